package beyondidentity

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// scimSchemaPatchOp is the message schema of a PATCH body.
const scimSchemaPatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

// Operations of a PatchOp (RFC 7644 §3.5.2).
const (
	scimOpAdd     = "add"
	scimOpReplace = "replace"
	scimOpRemove  = "remove"
)

// maxSCIMMembersPerOp is the most members AddMembers takes, the limit of
// the API's other member operations.
const maxSCIMMembersPerOp = MaxGroupMembersPerCall

// SCIMPatchOp is the body of a SCIM PATCH (RFC 7644 §3.5.2), a list of
// operations built with SCIMPatch and its methods:
//
//	patch := beyondidentity.SCIMPatch().
//		Replace("displayName", "Ada Lovelace").
//		Add("emails", []beyondidentity.SCIMEmail{{Value: "ada@example.com", Primary: true}})
//
// Each method checks its operation as it is added (the path's syntax, the
// value's JSON encoding) and keeps the first problem, which Err returns
// and the Update calls report before sending anything. The zero value is
// an empty PatchOp, ready to use. A SCIMPatchOp is not safe for concurrent
// changes; once built, it can be sent any number of times.
type SCIMPatchOp struct {
	ops []scimOperation
	err error
}

// scimOperation is one operation of a PatchOp, as sent.
type scimOperation struct {
	Op    string          `json:"op"`
	Path  string          `json:"path,omitempty"`
	Value json.RawMessage `json:"value,omitempty"`
}

// SCIMPatch returns an empty PatchOp to add operations to.
func SCIMPatch() *SCIMPatchOp { return &SCIMPatchOp{} }

// Add adds an "add" operation: value is added to the attribute at path
// (appended to a multi-valued attribute, set on a single-valued one). With
// an empty path, value must encode as a JSON object whose members are
// added to the resource. value must encode as JSON and not as null.
func (p *SCIMPatchOp) Add(path string, value any) *SCIMPatchOp {
	return p.addOp(scimOpAdd, path, value, true)
}

// Replace adds a "replace" operation: the attribute at path is replaced
// by value. With an empty path, value must encode as a JSON object whose
// members replace those of the resource. value must encode as JSON and
// not as null; to clear an attribute, use Remove.
func (p *SCIMPatchOp) Replace(path string, value any) *SCIMPatchOp {
	return p.addOp(scimOpReplace, path, value, true)
}

// Remove adds a "remove" operation: the attribute at path, or the values
// of a multi-valued attribute its filter selects, is removed. The path is
// required: `members[value eq "2819c223"]` selects one member (see
// RemoveMember, which quotes the ID).
func (p *SCIMPatchOp) Remove(path string) *SCIMPatchOp {
	return p.addOp(scimOpRemove, path, nil, false)
}

// RemoveValue adds a "remove" operation that names the values to remove
// in a value rather than in a path filter, the form the API's spec shows
// for groups ({"op": "remove", "path": "members", "value": [{"value":
// "6c9f819d6a0f1b57"}]}) and some providers send. RFC 7644 defines no
// value for remove: prefer Remove and RemoveMember where the server takes
// them. The path is required.
func (p *SCIMPatchOp) RemoveValue(path string, value any) *SCIMPatchOp {
	return p.addOp(scimOpRemove, path, value, true)
}

// AddMembers adds an "add" operation of the members of a group: path
// "members", value [{"value": id}, …]. It takes 1 to 1000 distinct IDs of
// the realm's users.
func (p *SCIMPatchOp) AddMembers(ids ...string) *SCIMPatchOp {
	if err := checkIDList("AddMembers", ids, maxSCIMMembersPerOp); err != nil {
		p.fail(err)
		return p
	}
	members := make([]SCIMMember, len(ids))
	for i, id := range ids {
		members[i].Value = id
	}
	return p.addOp(scimOpAdd, "members", members, true)
}

// RemoveMember adds a "remove" operation of one member of a group, by the
// path `members[value eq "id"]` with the ID quoted and escaped. The API
// removes one member per operation: add one RemoveMember for each.
func (p *SCIMPatchOp) RemoveMember(id string) *SCIMPatchOp {
	if err := checkID("RemoveMember", id); err != nil {
		p.fail(err)
		return p
	}
	return p.addOp(scimOpRemove, "members[value eq "+scimString(id)+"]", nil, false)
}

// Len returns the number of operations.
func (p *SCIMPatchOp) Len() int { return len(p.ops) }

// Err returns the first problem found in the operations, a
// *ValidationError, or nil when there is none. An empty PatchOp is a
// problem too: a PATCH needs at least one operation.
func (p *SCIMPatchOp) Err() error {
	if p.err != nil {
		return p.err
	}
	if len(p.ops) == 0 {
		return invalid("patch", "has no operations; add at least one")
	}
	return nil
}

// MarshalJSON encodes the PatchOp as RFC 7644 §3.5.2 has it:
// {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
// "Operations": [{"op": …, "path": …, "value": …}, …]}. A PatchOp with a
// problem (see Err) does not encode.
func (p SCIMPatchOp) MarshalJSON() ([]byte, error) {
	if err := p.Err(); err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Schemas    []string        `json:"schemas"`
		Operations []scimOperation `json:"Operations"`
	}{[]string{scimSchemaPatchOp}, p.ops})
}

func (p *SCIMPatchOp) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// addOp checks and appends one operation; withValue says whether it
// carries a value.
func (p *SCIMPatchOp) addOp(op, path string, value any, withValue bool) *SCIMPatchOp {
	field := "Operations[" + strconv.Itoa(len(p.ops)) + "]"
	o := scimOperation{Op: op, Path: path}
	switch {
	case path == "" && op == scimOpRemove:
		p.fail(invalid(field+".path", "is required for remove"))
	case path != "":
		if problem := checkSCIMPath(path); problem != "" {
			p.fail(invalid(field+".path", fmt.Sprintf("%q %s", path, problem)))
		}
	}
	if withValue {
		b, err := json.Marshal(value)
		switch {
		case err != nil:
			p.fail(invalid(field+".value", "does not encode as JSON: "+err.Error()))
		case string(b) == "null":
			p.fail(invalid(field+".value", "is null; to clear an attribute, use Remove"))
		case path == "" && b[0] != '{':
			p.fail(invalid(field+".value", "must be a JSON object when the path is empty"))
		}
		o.Value = b
	}
	p.ops = append(p.ops, o)
	return p
}

// checkSCIMPath checks the syntax of a PATCH path (RFC 7644 §3.5.2):
//
//	[URN ":"] attr ["." subAttr]
//	[URN ":"] attr "[" filter "]" ["." subAttr]
//
// where names start with a letter (or '$', for "$ref") and go on with
// letters, digits, '_' and '-'. The filter is checked for balance only:
// its strings closed, no bracket outside them. It returns the problem, or
// "" when the path is fine.
func checkSCIMPath(path string) string {
	switch {
	case !utf8.ValidString(path):
		return "is not valid UTF-8"
	case strings.ContainsFunc(path, isControl):
		return "contains a control character"
	case strings.TrimSpace(path) != path:
		return "has spaces around it"
	}
	rest := path
	if len(rest) >= 4 && strings.EqualFold(rest[:4], "urn:") {
		head := rest
		if i := strings.IndexByte(rest, '['); i >= 0 {
			head = rest[:i]
		}
		i := strings.LastIndexByte(head, ':')
		if i == len("urn:")-1 {
			return "has a schema URN without a name"
		}
		if strings.ContainsAny(head[:i], " \t") {
			return "has a space in its schema URN"
		}
		rest = rest[i+1:]
	}
	rest, ok := cutSCIMName(rest)
	if !ok {
		return "does not start with an attribute name"
	}
	switch {
	case rest == "":
		return ""
	case rest[0] == '.':
		if sub, ok := cutSCIMName(rest[1:]); !ok || sub != "" {
			return "has a bad sub-attribute after '.'"
		}
		return ""
	case rest[0] != '[':
		return fmt.Sprintf("has %q after the attribute name", rest[0])
	}
	end := scanSCIMFilter(rest)
	switch {
	case end < 0:
		return "has a filter whose brackets or quotes do not close"
	case strings.TrimSpace(rest[1:end-1]) == "":
		return "has an empty filter"
	}
	if after := rest[end:]; after != "" {
		if after[0] != '.' {
			return "has something other than '.' after the filter"
		}
		if sub, ok := cutSCIMName(after[1:]); !ok || sub != "" {
			return "has a bad sub-attribute after the filter"
		}
	}
	return ""
}

// cutSCIMName cuts an attribute name from the start of s and returns the
// rest; ok is false when s does not start with a name.
func cutSCIMName(s string) (rest string, ok bool) {
	if s == "" || !(isASCIILetter(s[0]) || s[0] == '$') {
		return s, false
	}
	i := 1
	for i < len(s) && (isASCIILetter(s[i]) || s[i] >= '0' && s[i] <= '9' || s[i] == '_' || s[i] == '-') {
		i++
	}
	return s[i:], true
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// scanSCIMFilter returns the index after the ']' that closes the '[' at
// s[0], skipping JSON strings, or -1 when there is none or a bracket
// appears inside the filter outside a string.
func scanSCIMFilter(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '"':
			j := skipJSONString([]byte(s), i)
			if j < 0 {
				return -1
			}
			i = j - 1
		case '[':
			return -1
		case ']':
			return i + 1
		}
	}
	return -1
}
