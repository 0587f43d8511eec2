package fakeapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"sort"
)

// object is a decoded JSON object whose members are still raw.
type object map[string]json.RawMessage

// violations collects field violations while a request body is read.
type violations []fieldViolation

func (v *violations) add(field, description string) {
	*v = append(*v, fieldViolation{Field: field, Description: description})
}

func (v *violations) addf(field, format string, args ...any) {
	v.add(field, fmt.Sprintf(format, args...))
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// readObject decodes a JSON object request body. It answers 415 for a body
// that is not declared as JSON and 400 "invalid request" for one that is not
// a JSON object; ok is false then.
func readObject(w http.ResponseWriter, r *http.Request, body []byte, allowEmpty bool) (object, bool) {
	if len(bytes.TrimSpace(body)) == 0 {
		if allowEmpty {
			return object{}, true
		}
		malformed(w)
		return nil, false
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "request body must be application/json")
		return nil, false
	}
	var o object
	if err := json.Unmarshal(body, &o); err != nil || o == nil {
		malformed(w)
		return nil, false
	}
	return o, true
}

// has reports whether key is present and not null.
func (o object) has(key string) bool {
	raw, ok := o[key]
	return ok && !isNull(raw)
}

// known adds an "unknown field" violation for every member not in allowed.
func (v *violations) known(o object, path string, allowed ...string) {
	var unknown []string
	for k := range o {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		v.add(join(path, k), "unknown field")
	}
}

// str reads a string member. present is false when it is absent or null.
func (v *violations) str(o object, key, path string) (s string, present bool) {
	raw, ok := o[key]
	if !ok || isNull(raw) {
		return "", false
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		v.add(join(path, key), "must be a string")
		return "", false
	}
	return s, true
}

func (v *violations) boolean(o object, key, path string) (b bool, present bool) {
	raw, ok := o[key]
	if !ok || isNull(raw) {
		return false, false
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		v.add(join(path, key), "must be a boolean")
		return false, false
	}
	return b, true
}

func (v *violations) strs(o object, key, path string) (s []string, present bool) {
	raw, ok := o[key]
	if !ok || isNull(raw) {
		return nil, false
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		v.add(join(path, key), "must be an array of strings")
		return nil, false
	}
	if s == nil {
		s = []string{}
	}
	return s, true
}

// obj reads an object member. present is false when it is absent or null.
func (v *violations) obj(o object, key, path string) (object, bool) {
	raw, ok := o[key]
	if !ok || isNull(raw) {
		return nil, false
	}
	var m object
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		v.add(join(path, key), "must be an object")
		return nil, false
	}
	return m, true
}

// envelope reads a request body of the form {key: {...}}: no other member
// is allowed, and a missing or non-object key is a violation. It returns the
// inner object, or false.
func (v *violations) envelope(body object, key string) (object, bool) {
	v.known(body, "", key)
	o, ok := v.obj(body, key, "")
	if !ok && !body.has(key) {
		v.add(key, "missing")
	}
	return o, ok
}

// objs reads an array of objects.
func (v *violations) objs(o object, key, path string) ([]object, bool) {
	raw, ok := o[key]
	if !ok || isNull(raw) {
		return nil, false
	}
	var m []object
	if err := json.Unmarshal(raw, &m); err != nil {
		v.add(join(path, key), "must be an array of objects")
		return nil, false
	}
	if m == nil {
		m = []object{}
	}
	return m, true
}
