package beyondidentity

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTraitsDecodingRejectsNonStringKnownTrait(t *testing.T) {
	var tr Traits
	err := json.Unmarshal([]byte(`{"type":"traits_v0","username":42}`), &tr)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "username")
}

func everyTrait() Traits {
	var tr Traits
	v := reflect.ValueOf(&tr).Elem()
	for _, k := range traitFields.names {
		v.Field(traitFields.index[k]).SetString("v-" + k)
	}
	return tr
}

func TestTraitsCoverTheSpecSchema(t *testing.T) {
	// The optional traits of the API's traits_v0 schema, besides "type".
	want := []string{"username", "primary_email_address", "secondary_email_address", "external_id",
		"family_name", "given_name", "formatted_name", "middle_name", "honorific_prefix", "honorific_suffix",
		"nick_name", "title", "primary_phone", "secondary_phone", "profile_url", "photo", "preferred_language",
		"locale", "timezone", "formatted_address", "street_address", "locality", "region", "postal_code",
		"country", "user_type", "employee_number", "cost_center", "organization", "division", "department",
		"manager_id", "manager_name"}
	assert.Equal(t, want, traitFields.names)

	// TraitsUpdate mirrors Traits: same Go names, same JSON names, pointers.
	up := newJSONFields(reflect.TypeFor[TraitsUpdate]())
	assert.Equal(t, traitFields.names, up.names)
	tt, ut := reflect.TypeFor[Traits](), reflect.TypeFor[TraitsUpdate]()
	for _, k := range traitFields.names {
		f, u := tt.Field(traitFields.index[k]), ut.Field(up.index[k])
		assert.Equal(t, f.Name, u.Name, k)
		assert.Equal(t, reflect.TypeFor[*string](), u.Type, k)
	}
}

func TestTraitsMarshalAlwaysWritesType(t *testing.T) {
	b, err := json.Marshal(Traits{})
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"traits_v0"}`, string(b))

	b, err = json.Marshal(everyTrait())
	require.NoError(t, err)
	assert.JSONEq(t, everyTraitJSON, string(b))

	b, err = json.Marshal(TraitsUpdate{})
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"traits_v0"}`, string(b))

	// A "type" in Extra is never written, whatever it says.
	b, err = json.Marshal(Traits{Username: "u", Extra: map[string]json.RawMessage{"type": json.RawMessage(`"traits_v9"`)}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"traits_v0","username":"u"}`, string(b))
}

func TestTraitsUnknownTraitsRoundTripUnchanged(t *testing.T) {
	// Values whose JSON a decode/encode through Go types would change: a
	// big integer, a float with trailing zeros, escapes, nesting.
	in := `{"type":"traits_v0","username":"dee","big":123456789012345678901234567890,` +
		`"ratio":1.50,"esc":"\u00e9\"<&>","deep":{"a":[1,{"b":null}]},"nul":null}`
	var tr Traits
	require.NoError(t, json.Unmarshal([]byte(in), &tr))
	assert.Equal(t, "dee", tr.Username)
	assert.NotContains(t, tr.Extra, "type")
	assert.NotContains(t, tr.Extra, "username")

	out, err := json.Marshal(tr)
	require.NoError(t, err)
	var got map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out, &got))
	for k, want := range map[string]string{
		"big": `123456789012345678901234567890`, "ratio": `1.50`,
		"deep": `{"a":[1,{"b":null}]}`, "nul": `null`,
	} {
		assert.Equal(t, want, string(got[k]), "trait %s must be written back byte for byte", k)
	}
	// encoding/json may re-escape characters inside strings (<, &, >); the
	// value is the same.
	var esc string
	require.NoError(t, json.Unmarshal(got["esc"], &esc))
	assert.Equal(t, "\u00e9\"<&>", esc)
}

func TestTraitsChangesFrom(t *testing.T) {
	old := Traits{Username: "u", GivenName: "A", Title: "Dr",
		Extra: map[string]json.RawMessage{"k": json.RawMessage(`1`), "gone": json.RawMessage(`true`)}}
	edited := old
	edited.GivenName = "B"
	edited.Title = ""
	edited.Extra = map[string]json.RawMessage{"k": json.RawMessage(`1`), "new": json.RawMessage(`"n"`)}
	u := edited.ChangesFrom(old)
	require.NotNil(t, u)
	assert.Equal(t, &TraitsUpdate{GivenName: Ptr("B"), Title: Ptr(""),
		Extra: map[string]json.RawMessage{"new": json.RawMessage(`"n"`)}}, u)
	assert.Nil(t, old.ChangesFrom(old))
}

func TestTraitsDecodingNameEdgeCases(t *testing.T) {
	tests := []struct {
		name, in string
		want     Traits
	}{
		{"case variant of a known name is kept apart", `{"Username": "A", "username": "b"}`,
			Traits{Username: "b", Extra: map[string]json.RawMessage{"Username": json.RawMessage(`"A"`)}}},
		{"upper-case name only", `{"USERNAME": "A"}`,
			Traits{Extra: map[string]json.RawMessage{"USERNAME": json.RawMessage(`"A"`)}}},
		{"case variant of type", `{"Type": "x", "type": "traits_v0"}`,
			Traits{Extra: map[string]json.RawMessage{"Type": json.RawMessage(`"x"`)}}},
		{"escaped name", `{"user\u006eame": "x", "caf\u00e9": 1}`,
			Traits{Username: "x", Extra: map[string]json.RawMessage{"café": json.RawMessage(`1`)}}},
		{"tricky values", " {\n\t\"a\" : \"}\\\"{\" , \"b\":[1,{\"c\":\"]\\\\\"}], \"d\":-1.5e3,\"e\":true ,\"given_name\":\"G\"}\n",
			Traits{GivenName: "G", Extra: map[string]json.RawMessage{
				"a": json.RawMessage(`"}\"{"`), "b": json.RawMessage(`[1,{"c":"]\\"}]`),
				"d": json.RawMessage(`-1.5e3`), "e": json.RawMessage(`true`)}}},
		{"duplicate known name: last wins", `{"username": "a", "username": "b"}`, Traits{Username: "b"}},
		{"empty object", `{}`, Traits{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Traits
			require.NoError(t, json.Unmarshal([]byte(tt.in), &got))
			assert.Equal(t, tt.want, got)
		})
	}
}

// FuzzTraitsUnmarshalJSON checks the fast decoding path against the exact,
// member-by-member one, on any JSON object.
func FuzzTraitsUnmarshalJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"type":"traits_v0","username":"u"}`, everyTraitJSON,
		`{"Username":"A","username":"b"}`, `{"x":{"y":[1,"}"]},"z":null}`,
		`{"user\u006eame":"x"}`, ` { "a" : "\\" , "b" : [ ] } `, `{"username":1}`, `[1]`, `"s"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		var fast, exact Traits
		errFast := json.Unmarshal(b, &fast)
		var errExact error
		if string(b) != "null" {
			errExact = exact.unmarshalExact(b)
		}
		if (errFast == nil) != (errExact == nil) {
			t.Fatalf("fast error %v, exact error %v, input %q", errFast, errExact, b)
		}
		if errFast == nil && !reflect.DeepEqual(fast, exact) {
			t.Fatalf("input %q\nfast  %#v\nexact %#v", b, fast, exact)
		}
	})
}
