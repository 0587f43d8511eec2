package beyondidentity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"unicode/utf8"
)

// traitsType is the traits schema this library reads and writes. The API
// requires it on every write; the library sets it, never the caller.
const traitsType = "traits_v0"

// Traits describe an identity (the API's traits_v0 schema). Every trait is
// optional except Username, which Create requires.
//
// Traits the server returns that this version of the library does not know
// are kept, as raw JSON, in Extra, and written back unchanged whenever the
// Traits are encoded, so a fetched identity can be stored, copied or sent
// again without losing them.
//
// The API's "type" discriminator is not a field: the library writes
// "traits_v0" on every write.
type Traits struct {
	// Username is unique within the realm, compared case-insensitively;
	// 1 to 64 characters, none of {}[]<>;:?\/|*^%$#=~`!. Required on create.
	Username string `json:"username,omitempty"`
	// PrimaryEmailAddress is the main contact address; EMAIL binding jobs
	// send their link to it.
	PrimaryEmailAddress string `json:"primary_email_address,omitempty"`
	// SecondaryEmailAddress is another email address of the user.
	SecondaryEmailAddress string `json:"secondary_email_address,omitempty"`
	// ExternalID is an ID issued by the provisioning client, whose
	// uniqueness the client controls.
	ExternalID string `json:"external_id,omitempty"`
	// FamilyName is the family (last) name.
	FamilyName string `json:"family_name,omitempty"`
	// GivenName is the given (first) name.
	GivenName string `json:"given_name,omitempty"`
	// FormattedName is the full name formatted for display.
	FormattedName string `json:"formatted_name,omitempty"`
	// MiddleName is the middle name.
	MiddleName string `json:"middle_name,omitempty"`
	// HonorificPrefix is a title such as "Dr.".
	HonorificPrefix string `json:"honorific_prefix,omitempty"`
	// HonorificSuffix is a suffix such as "Jr.".
	HonorificSuffix string `json:"honorific_suffix,omitempty"`
	// NickName is the name the user goes by.
	NickName string `json:"nick_name,omitempty"`
	// Title is the job title.
	Title string `json:"title,omitempty"`
	// PrimaryPhone is the main phone number.
	PrimaryPhone string `json:"primary_phone,omitempty"`
	// SecondaryPhone is another phone number.
	SecondaryPhone string `json:"secondary_phone,omitempty"`
	// ProfileURL is a URL of the user's profile.
	ProfileURL string `json:"profile_url,omitempty"`
	// Photo is a URL of the user's photo.
	Photo string `json:"photo,omitempty"`
	// PreferredLanguage is the user's preferred language.
	PreferredLanguage string `json:"preferred_language,omitempty"`
	// Locale is the user's locale, typically language-region.
	Locale string `json:"locale,omitempty"`
	// Timezone is the user's time zone.
	Timezone string `json:"timezone,omitempty"`
	// FormattedAddress is the full mailing address; it may contain newlines.
	FormattedAddress string `json:"formatted_address,omitempty"`
	// StreetAddress is the street part of the address; it may contain
	// newlines.
	StreetAddress string `json:"street_address,omitempty"`
	// Locality is the city.
	Locality string `json:"locality,omitempty"`
	// Region is the state or region.
	Region string `json:"region,omitempty"`
	// PostalCode is the postal (zip) code.
	PostalCode string `json:"postal_code,omitempty"`
	// Country is the country.
	Country string `json:"country,omitempty"`
	// UserType is the relationship to the organization, such as "Employee"
	// or "Contractor"; any value is allowed.
	UserType string `json:"user_type,omitempty"`
	// EmployeeNumber is the employee number.
	EmployeeNumber string `json:"employee_number,omitempty"`
	// CostCenter is the cost center.
	CostCenter string `json:"cost_center,omitempty"`
	// Organization is the organization the user belongs to.
	Organization string `json:"organization,omitempty"`
	// Division is the division of the organization.
	Division string `json:"division,omitempty"`
	// Department is the department of the organization.
	Department string `json:"department,omitempty"`
	// ManagerID identifies the user's manager.
	ManagerID string `json:"manager_id,omitempty"`
	// ManagerName is the name of the user's manager.
	ManagerName string `json:"manager_name,omitempty"`

	// Extra holds the traits this version of the library does not know,
	// by JSON name, as the server sent them. They are written back
	// unchanged. Its keys must not be the JSON name of a field above or
	// "type".
	Extra map[string]json.RawMessage `json:"-"`
}

// TraitsUpdate changes some traits of an identity (UpdateIdentityRequest).
// Each field sets the trait of the same name in Traits (see there for its
// meaning). Only the fields that are set (non-nil) are sent; the server leaves every
// trait that is not sent as it is, including the traits this library does
// not know. Set a field to Ptr("") to clear that trait.
//
// Traits.ChangesFrom builds a TraitsUpdate from an edited copy of an
// identity's traits.
type TraitsUpdate struct {
	// Username is unique within the realm, compared case-insensitively;
	// 1 to 64 characters, none of {}[]<>;:?\/|*^%$#=~`!.
	Username              *string `json:"username,omitempty"`
	PrimaryEmailAddress   *string `json:"primary_email_address,omitempty"`
	SecondaryEmailAddress *string `json:"secondary_email_address,omitempty"`
	ExternalID            *string `json:"external_id,omitempty"`
	FamilyName            *string `json:"family_name,omitempty"`
	GivenName             *string `json:"given_name,omitempty"`
	FormattedName         *string `json:"formatted_name,omitempty"`
	MiddleName            *string `json:"middle_name,omitempty"`
	HonorificPrefix       *string `json:"honorific_prefix,omitempty"`
	HonorificSuffix       *string `json:"honorific_suffix,omitempty"`
	NickName              *string `json:"nick_name,omitempty"`
	Title                 *string `json:"title,omitempty"`
	PrimaryPhone          *string `json:"primary_phone,omitempty"`
	SecondaryPhone        *string `json:"secondary_phone,omitempty"`
	ProfileURL            *string `json:"profile_url,omitempty"`
	Photo                 *string `json:"photo,omitempty"`
	PreferredLanguage     *string `json:"preferred_language,omitempty"`
	Locale                *string `json:"locale,omitempty"`
	Timezone              *string `json:"timezone,omitempty"`
	FormattedAddress      *string `json:"formatted_address,omitempty"`
	StreetAddress         *string `json:"street_address,omitempty"`
	Locality              *string `json:"locality,omitempty"`
	Region                *string `json:"region,omitempty"`
	PostalCode            *string `json:"postal_code,omitempty"`
	Country               *string `json:"country,omitempty"`
	UserType              *string `json:"user_type,omitempty"`
	EmployeeNumber        *string `json:"employee_number,omitempty"`
	CostCenter            *string `json:"cost_center,omitempty"`
	Organization          *string `json:"organization,omitempty"`
	Division              *string `json:"division,omitempty"`
	Department            *string `json:"department,omitempty"`
	ManagerID             *string `json:"manager_id,omitempty"`
	ManagerName           *string `json:"manager_name,omitempty"`

	// Extra sets traits this library does not know, by JSON name, to the
	// given raw JSON values, sent as they are. Its keys must not be the JSON
	// name of a field above or "type".
	Extra map[string]json.RawMessage `json:"-"`
}

// The JSON names of the known traits (the same for Traits and TraitsUpdate,
// which a test checks). Read-only after initialisation.
var traitFields = newJSONFields(reflect.TypeFor[Traits]())

// MarshalJSON encodes the traits with "type": "traits_v0", the known traits
// that are not empty, and every Extra trait unchanged.
func (t Traits) MarshalJSON() ([]byte, error) {
	type plain Traits // without methods
	b, err := json.Marshal(struct {
		Type string `json:"type"`
		*plain
	}{traitsType, (*plain)(&t)})
	if err != nil {
		return nil, err
	}
	return appendExtra(b, t.Extra, traitFields, "trait")
}

// UnmarshalJSON decodes the known traits and keeps the others in Extra. The
// JSON names are matched exactly (case-sensitively), so no trait is both
// decoded into a field and kept in Extra.
func (t *Traits) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	// One pass over the members, matching names exactly: known traits
	// are read straight from their JSON strings, unknown ones kept as they
	// are. It allocates one string per trait and nothing else (decoding
	// into a struct first and scanning for unknown names after, as before,
	// read the traits twice). An escaped member name takes the slow path,
	// which lets encoding/json decode it.
	*t = Traits{}
	v := reflect.ValueOf(t).Elem()
	m := jsonMembers{b: b}
	for name, value := range m.all {
		if bytes.IndexByte(name, '\\') >= 0 || !utf8.Valid(name) {
			return t.unmarshalExact(b)
		}
		if i, known := traitFields.index[string(name)]; known {
			s, err := jsonString(value)
			if err != nil {
				return fmt.Errorf("trait %s: %w", name, err)
			}
			v.Field(i).SetString(s)
			continue
		}
		if string(name) == "type" {
			continue
		}
		if t.Extra == nil {
			t.Extra = map[string]json.RawMessage{}
		}
		t.Extra[string(name)] = append(json.RawMessage(nil), value...)
	}
	if !m.complete {
		return t.unmarshalExact(b)
	}
	return nil
}

// jsonString decodes a JSON string value (null reads as ""). A string
// without escapes, the usual case, is converted without a decoder.
func jsonString(raw []byte) (string, error) {
	if string(raw) == "null" {
		return "", nil
	}
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' {
		if inner := raw[1 : n-1]; bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
			return string(inner), nil
		}
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// unmarshalExact decodes the traits member by member, matching names
// exactly.
func (t *Traits) unmarshalExact(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*t = Traits{}
	v := reflect.ValueOf(t).Elem()
	for k, raw := range m {
		if i, ok := traitFields.index[k]; ok {
			if err := json.Unmarshal(raw, v.Field(i).Addr().Interface()); err != nil {
				return fmt.Errorf("trait %s: %w", k, err)
			}
			continue
		}
		if k == "type" {
			continue
		}
		if t.Extra == nil {
			t.Extra = make(map[string]json.RawMessage, len(m))
		}
		t.Extra[k] = raw // a copy: json.RawMessage does not alias the input
	}
	return nil
}

// MarshalJSON encodes the update with "type": "traits_v0", the fields that
// are set and every Extra trait unchanged.
func (u TraitsUpdate) MarshalJSON() ([]byte, error) {
	type plain TraitsUpdate // without methods
	b, err := json.Marshal(struct {
		Type string `json:"type"`
		*plain
	}{traitsType, (*plain)(&u)})
	if err != nil {
		return nil, err
	}
	return appendExtra(b, u.Extra, traitFields, "trait")
}

// ChangesFrom returns the update that turns the traits old into t: every
// known trait whose value differs (a trait emptied in t is sent as "", which
// clears it) and every Extra trait that is new or whose JSON differs. It
// returns nil when nothing changed.
//
// Use it to edit a fetched identity:
//
//	edited := id.Traits
//	edited.GivenName = "Ada"
//	upd, err := c.Identities.Update(ctx, id.ID, &beyondidentity.UpdateIdentityRequest{
//		Traits: edited.ChangesFrom(id.Traits)})
//
// Traits absent from t.Extra but present in old.Extra are not sent: an
// update cannot remove a trait, and the server keeps it.
func (t Traits) ChangesFrom(old Traits) *TraitsUpdate {
	var u TraitsUpdate
	changed := false
	nv, ov := reflect.ValueOf(t), reflect.ValueOf(old)
	uv := reflect.ValueOf(&u).Elem()
	for _, name := range traitFields.names {
		i := traitFields.index[name]
		if s := nv.Field(i).String(); s != ov.Field(i).String() {
			uv.FieldByName(nv.Type().Field(i).Name).Set(reflect.ValueOf(&s))
			changed = true
		}
	}
	for k, raw := range t.Extra {
		if o, ok := old.Extra[k]; ok && bytes.Equal(o, raw) {
			continue
		}
		if u.Extra == nil {
			u.Extra = map[string]json.RawMessage{}
		}
		u.Extra[k] = raw
		changed = true
	}
	if !changed {
		return nil
	}
	return &u
}
