package fakeapi

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// The polymorphic documents of the API whose kind is named by a "type"
// member (SSO config payloads, identity provider protocol configs) are
// stored as raw members (see rawObject). For a kind the fake knows it
// checks the members the spec declares, requires those a create must send,
// and sets those the server generates; every other member, and every
// member of a kind it does not know, is kept exactly as it was sent.

// memberCheck checks the raw value of a member (never null) and adds a
// violation for field when it does not fit.
type memberCheck func(v *violations, field string, raw json.RawMessage)

// kindSpec describes a known kind.
type kindSpec struct {
	// required are the members a create must send (not null, unless
	// listed in nullable), besides type.
	required []string
	nullable []string
	// members are the checks of the members the spec declares.
	members map[string]memberCheck
	// serverSet are the members the server sets: dropped from requests.
	serverSet []string
	// defaults are members set when a create leaves them out.
	defaults map[string]json.RawMessage
	// fill sets the members the server generates for the document of the
	// resource id, after a create or an update: those generated once are
	// set when absent, those derived from other members are computed
	// again.
	fill func(e *Engine, c *call, id string, doc *rawObject)
}

func isString(v *violations, field string, raw json.RawMessage) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		v.add(field, "must be a string")
	}
}

func isBool(v *violations, field string, raw json.RawMessage) {
	var b bool
	if json.Unmarshal(raw, &b) != nil {
		v.add(field, "must be a boolean")
	}
}

// isInt32 checks an int32 (the spec's format of the SSO configs' integers).
func isInt32(v *violations, field string, raw json.RawMessage) {
	if _, err := strconv.ParseInt(string(raw), 10, 32); err != nil {
		v.add(field, "must be an integer from -2147483648 to 2147483647")
	}
}

func isStrings(v *violations, field string, raw json.RawMessage) {
	var s []string
	if json.Unmarshal(raw, &s) != nil {
		v.add(field, "must be an array of strings")
	}
}

func isArray(v *violations, field string, raw json.RawMessage) {
	var a []json.RawMessage
	if json.Unmarshal(raw, &a) != nil {
		v.add(field, "must be an array")
	}
}

func isObject(v *violations, field string, raw json.RawMessage) {
	var o object
	if json.Unmarshal(raw, &o) != nil || o == nil {
		v.add(field, "must be an object")
	}
}

// isURL checks an absolute URL ("Must be a URL").
func isURL(v *violations, field string, raw json.RawMessage) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		v.add(field, "must be a string")
	} else if !checkAbsoluteURL(s) {
		v.add(field, "must be an absolute URL")
	}
}

// oneOf checks a string enum.
func oneOf(values ...string) memberCheck {
	return func(v *violations, field string, raw json.RawMessage) {
		var s string
		if json.Unmarshal(raw, &s) != nil || !slices.Contains(values, s) {
			v.add(field, "must be one of "+strings.Join(values, ", "))
		}
	}
}

// Enums shared by several kinds.
var (
	pkceValues    = oneOf("disabled", "plain", "s256")
	subjectFields = oneOf("id", "email", "username")
)

// readDoc decodes the raw value of a polymorphic document at field. ok is
// false (with a violation) when it is not an object.
func readDoc(v *violations, field string, raw json.RawMessage) (rawObject, bool) {
	doc, err := decodeRawObject(raw)
	if err != nil {
		v.add(field, "must be an object")
		return nil, false
	}
	return doc, true
}

// docType reads the type of a document: a non-empty string.
func docType(v *violations, doc rawObject, field string) (string, bool) {
	raw, ok := doc.get("type")
	if !ok || isNull(raw) {
		v.add(field+".type", "missing")
		return "", false
	}
	var t string
	if json.Unmarshal(raw, &t) != nil || t == "" {
		v.add(field+".type", "must be a non-empty string")
		return "", false
	}
	return t, true
}

// dropServerSet removes the members the server sets from a request's
// document.
func (k *kindSpec) dropServerSet(doc *rawObject) {
	if k == nil {
		return
	}
	for _, m := range k.serverSet {
		doc.del(m)
	}
}

// check checks the members of doc the kind declares and that the required
// ones are present. It checks a whole document: a create's, or an
// update's once merged into the stored one.
func (k *kindSpec) check(v *violations, doc rawObject, field string) {
	if k == nil {
		return
	}
	for _, m := range doc {
		if chk := k.members[m.key]; chk != nil && !isNull(m.value) {
			chk(v, join(field, m.key), m.value)
		}
	}
	for _, r := range k.required {
		raw, ok := doc.get(r)
		if !ok || (isNull(raw) && !slices.Contains(k.nullable, r)) {
			v.add(join(field, r), "missing")
		}
	}
}

// applyDefaults sets the defaults of the members a create left out.
func (k *kindSpec) applyDefaults(doc *rawObject) {
	if k == nil {
		return
	}
	keys := make([]string, 0, len(k.defaults))
	for key := range k.defaults {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		doc.setDefault(key, k.defaults[key])
	}
}

// complete applies the kind's fill.
func (k *kindSpec) complete(e *Engine, c *call, id string, doc *rawObject) {
	if k != nil && k.fill != nil {
		k.fill(e, c, id, doc)
	}
}

// mergeDoc applies the members of an update's document to a copy of the
// stored one: a member sent replaces the stored one as sent, a null
// removes it (or, for a member the kind declares nullable, sets it to
// null), the members the server sets are ignored. type is left to the
// caller.
func mergeDoc(k *kindSpec, stored, patch rawObject) rawObject {
	out := stored.clone()
	for _, m := range patch {
		switch {
		case m.key == "type":
		case k != nil && slices.Contains(k.serverSet, m.key):
		case isNull(m.value) && (k == nil || !slices.Contains(k.nullable, m.key)):
			out.del(m.key)
		default:
			out.set(m.key, m.value)
		}
	}
	return out
}
