package fakeapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
)

// rawObject is a JSON object whose members keep the order they were sent
// in and their values as they were sent: the polymorphic documents the
// fake stores without knowing every kind (SSO config payloads, identity
// provider protocol configs) go back exactly as they came, whitespace
// between tokens aside.
type rawObject []rawMember

type rawMember struct {
	key   string
	value json.RawMessage
}

var errNotObject = errors.New("not a JSON object")

// decodeRawObject decodes a JSON object, keeping its members in order. A
// member sent twice keeps its first place and its last value, the value
// encoding/json would decode.
func decodeRawObject(b []byte) (rawObject, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, errNotObject
	}
	o := rawObject{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errNotObject
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		o.set(key, raw)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, errNotObject
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errNotObject
	}
	return o, nil
}

func (o rawObject) index(key string) int {
	return slices.IndexFunc(o, func(m rawMember) bool { return m.key == key })
}

// get returns the raw value of key.
func (o rawObject) get(key string) (json.RawMessage, bool) {
	if i := o.index(key); i >= 0 {
		return o[i].value, true
	}
	return nil, false
}

// has reports whether key is present and not null.
func (o rawObject) has(key string) bool {
	raw, ok := o.get(key)
	return ok && !isNull(raw)
}

// set replaces the value of key in place, or appends the member.
func (o *rawObject) set(key string, value json.RawMessage) {
	value = append(json.RawMessage(nil), value...)
	if i := o.index(key); i >= 0 {
		(*o)[i].value = value
		return
	}
	*o = append(*o, rawMember{key, value})
}

// setDefault sets key unless it is present and not null.
func (o *rawObject) setDefault(key string, value json.RawMessage) {
	if !o.has(key) {
		o.set(key, value)
	}
}

func (o *rawObject) del(key string) {
	*o = slices.DeleteFunc(*o, func(m rawMember) bool { return m.key == key })
}

func (o rawObject) clone() rawObject {
	out := make(rawObject, len(o))
	copy(out, o)
	return out
}

// str returns the string member key, "" when absent or not a string.
func (o rawObject) str(key string) string {
	var s string
	if raw, ok := o.get(key); ok {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}

// MarshalJSON writes the members in order. The values are written as they
// are; the encoder that calls it compacts them.
func (o rawObject) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := marshal(m.key)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(m.value)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
