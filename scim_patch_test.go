package beyondidentity_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"math"
	"testing"

	"github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func marshalPatch(t *testing.T, p *beyondidentity.SCIMPatchOp) string {
	t.Helper()
	require.NoError(t, p.Err())
	b, err := json.Marshal(p)
	require.NoError(t, err)
	return string(b)
}

func TestSCIMPatchGolden(t *testing.T) {
	for _, tc := range []struct {
		name  string
		patch *beyondidentity.SCIMPatchOp
		want  string
	}{
		{
			"the spec's SCIMUpdateUser example",
			beyondidentity.SCIMPatch().Replace("displayName", "Ms. Barbara J Jensen III"),
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Ms. Barbara J Jensen III"}]}`,
		},
		{
			"the spec's SCIMUpdateGroup example Add Members",
			beyondidentity.SCIMPatch().AddMembers("6c9f819d6a0f1b57", "a46bd3fb5c62d80d"),
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"6c9f819d6a0f1b57"},{"value":"a46bd3fb5c62d80d"}]}]}`,
		},
		{
			"the spec's SCIMUpdateGroup example Remove Member",
			beyondidentity.SCIMPatch().RemoveValue("members", []beyondidentity.SCIMMember{{Value: "6c9f819d6a0f1b57"}}),
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members","value":[{"value":"6c9f819d6a0f1b57"}]}]}`,
		},
		{
			"RFC 7644 remove of one member, the ID escaped",
			beyondidentity.SCIMPatch().RemoveMember(`6c9f"81\9d`),
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"6c9f\\\"81\\\\9d\"]"}]}`,
		},
		{
			"a chain, in order",
			beyondidentity.SCIMPatch().
				Replace("displayName", "Ada").
				Add("emails", []beyondidentity.SCIMEmail{{Value: "ada@example.com", Type: "work", Primary: true}}).
				Remove(`emails[type eq "home"]`).
				Replace("active", false),
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[` +
				`{"op":"replace","path":"displayName","value":"Ada"},` +
				`{"op":"add","path":"emails","value":[{"value":"ada@example.com","type":"work","primary":true}]},` +
				`{"op":"remove","path":"emails[type eq \"home\"]"},` +
				`{"op":"replace","path":"active","value":false}]}`,
		},
		{
			"no path: the value's members apply to the resource",
			beyondidentity.SCIMPatch().Replace("", map[string]any{"displayName": "Ada", "nickName": "A"}),
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"displayName":"Ada","nickName":"A"}}]}`,
		},
		{
			"an extension attribute",
			beyondidentity.SCIMPatch().Replace("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "Maths"),
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Maths"}]}`,
		},
		{
			"raw JSON values go as they are",
			beyondidentity.SCIMPatch().Add("name", json.RawMessage(`{"givenName":"Ada"}`)),
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"name","value":{"givenName":"Ada"}}]}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, marshalPatch(t, tc.patch))
		})
	}
}

func TestSCIMPatchZeroValueIsUsable(t *testing.T) {
	var p beyondidentity.SCIMPatchOp
	p.Replace("displayName", "Ada")
	assert.Equal(t, 1, p.Len())
	b, err := json.Marshal(p) // a value encodes as well as a pointer
	require.NoError(t, err)
	assert.Equal(t, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Ada"}]}`, string(b))
}

func TestSCIMPatchValidation(t *testing.T) {
	many := make([]string, 1001)
	for i := range many {
		many[i] = fmt.Sprint("i", i)
	}
	P := beyondidentity.SCIMPatch
	for _, tc := range []struct {
		name  string
		patch *beyondidentity.SCIMPatchOp
		field string
	}{
		{"no operation", P(), "patch"},
		{"remove without path", P().Remove(""), "Operations[0].path"},
		{"remove value without path", P().RemoveValue("", []int{1}), "Operations[0].path"},
		{"null value", P().Add("emails", nil), "Operations[0].value"},
		{"nil slice value", P().Replace("emails", []beyondidentity.SCIMEmail(nil)), "Operations[0].value"},
		{"value that does not encode", P().Add("x", make(chan int)), "Operations[0].value"},
		{"NaN", P().Replace("x", math.NaN()), "Operations[0].value"},
		{"raw value that is not JSON", P().Add("x", json.RawMessage(`{`)), "Operations[0].value"},
		{"no path, not an object", P().Add("", "Ada"), "Operations[0].value"},
		{"no path, an array", P().Replace("", []string{"a"}), "Operations[0].value"},
		{"space in name", P().Replace("display name", "x"), "Operations[0].path"},
		{"leading space", P().Replace(" displayName", "x"), "Operations[0].path"},
		{"digit first", P().Replace("1name", "x"), "Operations[0].path"},
		{"control character", P().Replace("name\n", "x"), "Operations[0].path"},
		{"not UTF-8", P().Replace("n\xffame", "x"), "Operations[0].path"},
		{"double dot", P().Replace("name..givenName", "x"), "Operations[0].path"},
		{"three levels", P().Replace("name.givenName.x", "x"), "Operations[0].path"},
		{"unclosed filter", P().Remove(`emails[type eq "work"`), "Operations[0].path"},
		{"unclosed string", P().Remove(`emails[type eq "work]`), "Operations[0].path"},
		{"empty filter", P().Remove(`emails[ ]`), "Operations[0].path"},
		{"nested brackets", P().Remove(`emails[[type eq "work"]]`), "Operations[0].path"},
		{"junk after filter", P().Remove(`emails[type eq "work"]x`), "Operations[0].path"},
		{"bad sub-attribute after filter", P().Replace(`emails[type eq "work"].`, "x"), "Operations[0].path"},
		{"URN without a name", P().Replace("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:", "x"), "Operations[0].path"},
		{"bare urn", P().Replace("urn:", "x"), "Operations[0].path"},
		{"the second operation", P().Replace("displayName", "x").Remove(""), "Operations[1].path"},
		{"the first problem is kept", P().Remove("").Add("x", nil), "Operations[0].path"},
		{"no members", P().AddMembers(), "AddMembers"},
		{"too many members", P().AddMembers(many...), "AddMembers"},
		{"a member twice", P().AddMembers("a", "b", "a"), "AddMembers[2]"},
		{"a bad member ID", P().AddMembers("a", "b c"), "AddMembers[1]"},
		{"remove no member", P().RemoveMember(""), "RemoveMember"},
		{"remove a dotdot member", P().RemoveMember(".."), "RemoveMember"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.patch.Err()
			var ve *beyondidentity.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field, ve.Error())
			assert.ErrorIs(t, err, beyondidentity.ErrInvalidArgument)
			_, merr := json.Marshal(tc.patch)
			assert.True(t, errors.Is(merr, beyondidentity.ErrInvalidArgument), "an invalid PatchOp does not encode: %v", merr)
		})
	}
}

func TestSCIMPatchPathsAccepted(t *testing.T) {
	for _, path := range []string{
		"displayName", "active", "name.givenName", "emails", "members", "$ref",
		`emails[type eq "work"]`, `emails[type eq "work"].value`, `members[value eq "a]b[c"]`,
		`addresses[type eq "work" and primary eq true].streetAddress`, `emails[value co "\"x\""]`,
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
		`URN:ietf:params:scim:schemas:core:2.0:User:emails[type eq "a:b"].value`,
		"x-custom_attr9",
	} {
		assert.NoError(t, beyondidentity.SCIMPatch().Replace(path, "v").Err(), path)
	}
}

// Build the body of a SCIM PATCH: the library encodes the PatchOp, quotes
// member IDs in filters, and checks each operation before anything is sent.
func ExampleSCIMPatch() {
	rename := beyondidentity.SCIMPatch().
		Replace("displayName", "Ada Lovelace").
		Add("emails", []beyondidentity.SCIMEmail{{Value: "ada@example.com", Primary: true}})
	b, err := json.Marshal(rename)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))

	// Group membership: several members are added in one operation and
	// removed one per operation.
	members := beyondidentity.SCIMPatch().AddMembers("6c9f819d6a0f1b57", "a46bd3fb5c62d80d").RemoveMember("0b3f7e92c1d4a865")
	b, err = json.Marshal(members)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))

	// A mistake is reported before any request: errors.Is(err,
	// beyondidentity.ErrInvalidArgument) is true.
	fmt.Println(beyondidentity.SCIMPatch().Remove("display name").Err())
	// Output:
	// {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Ada Lovelace"},{"op":"add","path":"emails","value":[{"value":"ada@example.com","primary":true}]}]}
	// {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"6c9f819d6a0f1b57"},{"value":"a46bd3fb5c62d80d"}]},{"op":"remove","path":"members[value eq \"0b3f7e92c1d4a865\"]"}]}
	// beyondidentity: invalid Operations[0].path: "display name" has ' ' after the attribute name
}
