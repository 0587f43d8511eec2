package beyondidentity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Allocation-free walks over JSON text that encoding/json has validated or
// will validate (the members of an object, the elements of an array), and
// the helpers of the types that keep the members they do not know (Traits,
// the protocol configs of applications).

// jsonMembers walks the members of the JSON object b, which must be valid
// JSON, as encoding/json hands it to an UnmarshalJSON method. Its all method
// yields the raw name (without quotes, escapes not decoded) and the raw
// value of each member, in order; complete is then true if the walk reached
// the end of the object.
type jsonMembers struct {
	b        []byte
	complete bool
}

func (m *jsonMembers) all(yield func(name, value []byte) bool) {
	b := m.b
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return
	}
	i = skipJSONSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		m.complete = true
		return
	}
	for i < len(b) && b[i] == '"' {
		end := skipJSONString(b, i)
		if end < 0 {
			return
		}
		name := b[i+1 : end-1]
		i = skipJSONSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return
		}
		i = skipJSONSpace(b, i+1)
		vend := skipJSONValue(b, i)
		if vend < 0 {
			return
		}
		if !yield(name, b[i:vend]) {
			return
		}
		i = skipJSONSpace(b, vend)
		if i >= len(b) {
			return
		}
		switch b[i] {
		case '}':
			m.complete = true
			return
		case ',':
			i = skipJSONSpace(b, i+1)
		default:
			return
		}
	}
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipJSONString returns the index after the string that starts at b[i],
// or -1.
func skipJSONString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipJSONValue returns the index after the value that starts at b[i], or
// -1.
func skipJSONValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipJSONString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = skipJSONString(b, j)
				if j < 0 {
					return -1
				}
				j-- // the loop's j++ moves past the string
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	default: // number, true, false, null
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' &&
			b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
			j++
		}
		return j
	}
}

// jsonElements walks the elements of the JSON array b, which must be valid
// JSON. Its all method yields the raw value of each element, in order.
// Anything but an array yields nothing.
type jsonElements struct {
	b []byte
}

func (a *jsonElements) all(yield func(value []byte) bool) {
	b := a.b
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return
	}
	i = skipJSONSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return
	}
	for i < len(b) {
		end := skipJSONValue(b, i)
		if end < 0 || !yield(b[i:end]) {
			return
		}
		i = skipJSONSpace(b, end)
		if i >= len(b) || b[i] != ',' {
			return
		}
		i = skipJSONSpace(b, i+1)
	}
}

// jsonFields maps the JSON names of a struct's tagged fields to their index.
type jsonFields struct {
	names []string // in field order
	index map[string]int
}

func newJSONFields(t reflect.Type) jsonFields {
	f := jsonFields{index: map[string]int{}}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		f.names = append(f.names, name)
		f.index[name] = i
	}
	return f
}

// appendExtra adds the extra members, sorted by name, to the JSON object b,
// which has at least one member. Names of known fields and "type" are
// skipped (validation refuses them before a request is built); what names
// the kind of member in errors.
func appendExtra(b []byte, extra map[string]json.RawMessage, known jsonFields, what string) ([]byte, error) {
	if len(extra) == 0 {
		return b, nil
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if _, isKnown := known.index[k]; !isKnown && k != "type" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := bytes.NewBuffer(make([]byte, 0, len(b)+64*len(keys)))
	out.Write(b[:len(b)-1]) // without the closing brace
	for _, k := range keys {
		name, _ := json.Marshal(k)
		if out.Len() > 1 {
			out.WriteByte(',')
		}
		out.Write(name)
		out.WriteByte(':')
		if err := json.Compact(out, extra[k]); err != nil {
			return nil, fmt.Errorf("%s %s: invalid JSON: %w", what, k, err)
		}
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// extraMembers returns the members of the JSON object b whose names are not
// known fields (nor "type"), as raw JSON, or nil when there are none. Names
// are matched exactly; an escaped name is decoded.
func extraMembers(b []byte, known jsonFields) (map[string]json.RawMessage, error) {
	var extra map[string]json.RawMessage
	m := jsonMembers{b: b}
	for name, value := range m.all {
		if bytes.IndexByte(name, '\\') >= 0 {
			var all map[string]json.RawMessage
			if err := json.Unmarshal(b, &all); err != nil {
				return nil, err
			}
			extra = nil
			for k, v := range all {
				if _, isKnown := known.index[k]; !isKnown && k != "type" {
					if extra == nil {
						extra = map[string]json.RawMessage{}
					}
					extra[k] = v
				}
			}
			return extra, nil
		}
		if _, isKnown := known.index[string(name)]; isKnown || string(name) == "type" {
			continue
		}
		if extra == nil {
			extra = map[string]json.RawMessage{}
		}
		extra[string(name)] = append(json.RawMessage(nil), value...)
	}
	return extra, nil
}

// checkExtra refuses extra members that would shadow a known field (what
// says what a known name is, e.g. "a known trait") or the type, empty
// names, and values that are not JSON.
func checkExtra(field string, extra map[string]json.RawMessage, known jsonFields, what string) error {
	for k, v := range extra {
		f := fmt.Sprintf("%s[%q]", field, k)
		if _, isKnown := known.index[k]; isKnown {
			return invalid(f, "is "+what+"; set its field instead")
		}
		if k == "type" {
			return invalid(f, "the type is set by the library")
		}
		if k == "" {
			return invalid(f, "has an empty name")
		}
		if !json.Valid(v) {
			return invalid(f, "is not valid JSON")
		}
	}
	return nil
}

// jsonName decodes the raw name of a member, escapes included.
func jsonName(raw []byte) string {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw)
	}
	var s string
	if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s) != nil {
		return string(raw)
	}
	return s
}
