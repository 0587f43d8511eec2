package beyondidentity

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// IdentityStatus is the administrative status of an identity. It is an open
// set: a value this version of the library does not know decodes as is.
type IdentityStatus string

// Identity statuses documented by the API.
const (
	// IdentityStatusActive identities can create passkeys and sign in.
	IdentityStatusActive IdentityStatus = "active"
	// IdentityStatusSuspended identities can neither create passkeys nor
	// sign in.
	IdentityStatusSuspended IdentityStatus = "suspended"
)

// EnrollmentStatus says whether an identity has passkeys. It is set by the
// server only and is an open set: a value this version of the library does
// not know decodes as is.
type EnrollmentStatus string

// Enrollment statuses documented by the API.
const (
	// EnrollmentStatusEnrolled means the identity has one or more active
	// passkeys.
	EnrollmentStatusEnrolled EnrollmentStatus = "ENROLLED"
	// EnrollmentStatusPending means the identity has no active passkey and
	// one or more pending enrollments (binding jobs).
	EnrollmentStatusPending EnrollmentStatus = "PENDING"
	// EnrollmentStatusInviteFailed means the identity has no active passkey,
	// no pending enrollment and one or more failed enrollments.
	EnrollmentStatusInviteFailed EnrollmentStatus = "INVITE_FAILED"
	// EnrollmentStatusUnenrolled means the identity is not enrolled.
	EnrollmentStatusUnenrolled EnrollmentStatus = "UNENROLLED"
)

// Identity is a user of a realm, to which passkeys are bound.
type Identity struct {
	// ID identifies the identity within its realm. Read-only.
	ID string `json:"id"`
	// RealmID is the realm that holds the identity. Read-only.
	RealmID string `json:"realm_id,omitempty"`
	// TenantID is the tenant of the realm. Read-only.
	TenantID string `json:"tenant_id,omitempty"`
	// DisplayName is a human-readable name, 1 to 64 characters.
	DisplayName string `json:"display_name,omitempty"`
	// Status is the administrative status; suspended identities cannot
	// create passkeys or sign in.
	Status IdentityStatus `json:"status,omitempty"`
	// EnrollmentStatus says whether the identity has passkeys. Read-only;
	// the server may leave it out, and then it is "".
	EnrollmentStatus EnrollmentStatus `json:"enrollment_status,omitempty"`
	// Traits describe the user: username, email addresses, names and more.
	Traits Traits `json:"traits,omitzero"`
	// CreateTime is when the identity was created. Read-only.
	CreateTime time.Time `json:"create_time,omitzero"`
	// UpdateTime is when the identity was last updated. Read-only.
	UpdateTime time.Time `json:"update_time,omitzero"`
}

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
	return appendExtraTraits(b, t.Extra)
}

// UnmarshalJSON decodes the known traits and keeps the others in Extra. The
// JSON names are matched exactly (case-sensitively), so no trait is both
// decoded into a field and kept in Extra.
func (t *Traits) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	// Fast path: one decode of the known traits, then a scan of the
	// object's member names for unknown ones, which allocates nothing when
	// there are none. A name that differs from a known one only by case
	// (encoding/json would decode it into that field) takes the exact path.
	type plain Traits // without methods
	*t = Traits{}
	if err := json.Unmarshal(b, (*plain)(t)); err != nil {
		return err
	}
	m := jsonMembers{b: b}
	for name, value := range m.all {
		if bytes.IndexByte(name, '\\') >= 0 || !utf8.Valid(name) {
			// An escaped name, or one encoding/json would repair: let it
			// decode the name.
			return t.unmarshalExact(b)
		}
		if _, known := traitFields.index[string(name)]; known || string(name) == "type" {
			continue
		}
		if traitFields.foldsToKnown(name) {
			return t.unmarshalExact(b)
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

// foldsToKnown reports whether name equals a known trait name or "type"
// except for case.
func (f jsonFields) foldsToKnown(name []byte) bool {
	for _, k := range f.names {
		if bytes.EqualFold(name, []byte(k)) {
			return true
		}
	}
	return bytes.EqualFold(name, []byte("type"))
}

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
	return appendExtraTraits(b, u.Extra)
}

// appendExtraTraits adds the extra traits, sorted by name, to the JSON
// object b. Known names and "type" are skipped (validation rejects them
// before a request is built).
func appendExtraTraits(b []byte, extra map[string]json.RawMessage) ([]byte, error) {
	if len(extra) == 0 {
		return b, nil
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if _, known := traitFields.index[k]; !known && k != "type" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := bytes.NewBuffer(make([]byte, 0, len(b)+64*len(keys)))
	out.Write(b[:len(b)-1]) // without the closing brace; b has at least "type"
	for _, k := range keys {
		name, _ := json.Marshal(k)
		out.WriteByte(',')
		out.Write(name)
		out.WriteByte(':')
		if err := json.Compact(out, extra[k]); err != nil {
			return nil, fmt.Errorf("trait %s: invalid JSON: %w", k, err)
		}
	}
	out.WriteByte('}')
	return out.Bytes(), nil
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

// CreateIdentityRequest is the body of IdentitiesService.Create.
type CreateIdentityRequest struct {
	// DisplayName is a human-readable name, 1 to 64 characters, none of
	// {}[]<>;:?\/|*^%$#=~`!. Required.
	DisplayName string `json:"display_name"`
	// Status is the initial administrative status; the server's default
	// (active) when empty.
	Status IdentityStatus `json:"status,omitempty"`
	// Traits describe the user. Traits.Username is required.
	Traits Traits `json:"traits"`
}

// UpdateIdentityRequest is the body of IdentitiesService.Update (a PATCH):
// only the fields that are set (non-nil) are sent, and the server leaves the
// others as they are.
type UpdateIdentityRequest struct {
	// DisplayName, when set, is the new display name (1 to 64 characters,
	// none of {}[]<>;:?\/|*^%$#=~`!).
	DisplayName *string `json:"display_name,omitempty"`
	// Status, when set, is the new administrative status, for example
	// IdentityStatusSuspended.
	Status *IdentityStatus `json:"status,omitempty"`
	// Traits, when set, changes the traits it sets and leaves the others as
	// they are. "type": "traits_v0" is added by the library.
	Traits *TraitsUpdate `json:"traits,omitempty"`
}

// Validation limits of the API.
const (
	maxIdentityNameLen     = 64
	maxIdentitiesPageSize  = 200
	maxBatchDeleteIdentity = 1000
	// identityNameForbidden lists the characters the API's pattern forbids
	// in usernames and display names.
	identityNameForbidden = "{}[]<>;:?\\/|*^%$#=~`!"
)

// checkIdentityName applies the API's rules for usernames and display names:
// 1 to 64 characters, none of identityNameForbidden.
func checkIdentityName(field, s string) error {
	if s == "" {
		return invalid(field, "is empty")
	}
	if !utf8.ValidString(s) {
		return invalid(field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > maxIdentityNameLen {
		return invalid(field, fmt.Sprintf("is %d characters long; the maximum is %d", n, maxIdentityNameLen))
	}
	if i := strings.IndexAny(s, identityNameForbidden); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return invalid(field, fmt.Sprintf("contains %q; none of %s is allowed", r, identityNameForbidden))
	}
	return nil
}

func checkIdentityStatus(field string, st IdentityStatus) error {
	if strings.TrimSpace(string(st)) == "" {
		return invalid(field, "is empty")
	}
	return nil
}

// checkExtraTraits rejects extra traits that would shadow a known trait or
// the type, and values that are not JSON.
func checkExtraTraits(field string, extra map[string]json.RawMessage) error {
	for k, v := range extra {
		f := fmt.Sprintf("%s[%q]", field, k)
		if _, known := traitFields.index[k]; known {
			return invalid(f, "is a known trait; set its field instead")
		}
		if k == "type" {
			return invalid(f, "the traits type is set by the library")
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

func (r *CreateIdentityRequest) validate() error {
	if r == nil {
		return invalid("req", "is nil")
	}
	if err := checkIdentityName("DisplayName", r.DisplayName); err != nil {
		return err
	}
	if err := checkIdentityName("Traits.Username", r.Traits.Username); err != nil {
		return err
	}
	if r.Status != "" {
		if err := checkIdentityStatus("Status", r.Status); err != nil {
			return err
		}
	}
	return checkExtraTraits("Traits.Extra", r.Traits.Extra)
}

func (r *UpdateIdentityRequest) validate() error {
	if r == nil {
		return invalid("req", "is nil")
	}
	if r.DisplayName != nil {
		if err := checkIdentityName("DisplayName", *r.DisplayName); err != nil {
			return err
		}
	}
	if r.Status != nil {
		if err := checkIdentityStatus("Status", *r.Status); err != nil {
			return err
		}
	}
	if r.Traits != nil {
		if r.Traits.Username != nil {
			if err := checkIdentityName("Traits.Username", *r.Traits.Username); err != nil {
				return err
			}
		}
		return checkExtraTraits("Traits.Extra", r.Traits.Extra)
	}
	return nil
}

// identityBody is the envelope of create and update requests.
type identityBody[T any] struct {
	Identity T `json:"identity"`
}

// Create creates an identity. The API answers 409 when the username is
// taken (usernames are compared case-insensitively): errors.Is(err,
// ErrConflict) is then true, and FindByUsername fetches the existing
// identity.
//
// Create is not retried after a failure where the server may have acted
// (only after a 429 or a refused connection), so it never creates two
// identities; after a timeout, look the identity up with FindByUsername.
func (s *IdentitiesService) Create(ctx context.Context, req *CreateIdentityRequest) (*Identity, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	u, err := s.client.realmURL("identities")
	if err != nil {
		return nil, err
	}
	out := new(Identity)
	body := identityBody[*CreateIdentityRequest]{req}
	if err := s.client.do(ctx, &call{method: http.MethodPost, url: u, body: body}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Get fetches an identity. A missing identity is an *APIError for which
// errors.Is(err, ErrNotFound) is true.
func (s *IdentitiesService) Get(ctx context.Context, identityID string) (*Identity, error) {
	if err := checkID("identityID", identityID); err != nil {
		return nil, err
	}
	u, err := s.client.realmURL("identities", identityID)
	if err != nil {
		return nil, err
	}
	out := new(Identity)
	if err := s.client.do(ctx, &call{method: http.MethodGet, url: u, idempotent: true}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// List fetches one page of the realm's identities, in no defined order.
// PageSize is 0 (the server's default, 20) to 200. The only filter the API
// documents is `traits.username eq "name"` (see FindByUsername).
func (s *IdentitiesService) List(ctx context.Context, opts *ListOptions) (*Page[*Identity], error) {
	if err := opts.validate(maxIdentitiesPageSize); err != nil {
		return nil, err
	}
	u, err := s.client.realmURL("identities")
	if err != nil {
		return nil, err
	}
	var q any
	if opts != nil {
		q = opts
	}
	return getPage[*Identity](ctx, s.client, u, q, "identities")
}

// All iterates over the realm's identities, fetching pages as the loop
// needs them: no request is sent before the loop starts, and none after it
// breaks. The filter, page size and skip of opts are sent with every page;
// iteration starts at opts.PageToken. opts is not modified. An error is
// yielded once and ends the iteration.
func (s *IdentitiesService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Identity, error] {
	return listAll(ctx, opts, (*ListOptions).pageToken, s.List)
}

// Update changes an identity (PATCH): only the fields of req that are set
// are sent, and the server leaves the others, and the traits not sent, as
// they are. It returns the updated identity. A username taken by another
// identity is an *APIError for which errors.Is(err, ErrConflict) is true.
func (s *IdentitiesService) Update(ctx context.Context, identityID string, req *UpdateIdentityRequest) (*Identity, error) {
	if err := checkID("identityID", identityID); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	u, err := s.client.realmURL("identities", identityID)
	if err != nil {
		return nil, err
	}
	out := new(Identity)
	body := identityBody[*UpdateIdentityRequest]{req}
	if err := s.client.do(ctx, &call{method: http.MethodPatch, url: u, body: body, idempotent: true}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Delete deletes an identity. A missing identity is an *APIError for which
// errors.Is(err, ErrNotFound) is true; like every idempotent call, Delete is
// retried after a transient failure, so a first attempt that did succeed can
// surface as ErrNotFound.
func (s *IdentitiesService) Delete(ctx context.Context, identityID string) error {
	if err := checkID("identityID", identityID); err != nil {
		return err
	}
	u, err := s.client.realmURL("identities", identityID)
	if err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, url: u, idempotent: true}, nil)
}

// BatchDelete deletes 1 to 1000 identities at once, all or nothing: if any
// of them does not exist, none is deleted and the *APIError (ErrNotFound)
// lists the missing IDs in its BatchOperationErrors detail. The IDs must be
// distinct. Like Delete, it is retried after a transient failure, so a first
// attempt that did succeed can surface as ErrNotFound.
func (s *IdentitiesService) BatchDelete(ctx context.Context, identityIDs []string) error {
	const field = "identityIDs"
	switch n := len(identityIDs); {
	case n == 0:
		return invalid(field, fmt.Sprintf("is empty; give 1 to %d IDs", maxBatchDeleteIdentity))
	case n > maxBatchDeleteIdentity:
		return invalid(field, fmt.Sprintf("has %d IDs; the maximum is %d", n, maxBatchDeleteIdentity))
	}
	seen := make(map[string]int, len(identityIDs))
	for i, id := range identityIDs {
		if err := checkID(fmt.Sprintf("%s[%d]", field, i), id); err != nil {
			return err
		}
		if j, dup := seen[id]; dup {
			return invalid(fmt.Sprintf("%s[%d]", field, i), fmt.Sprintf("repeats %s[%d] (%q); the IDs must be distinct", field, j, id))
		}
		seen[id] = i
	}
	u, err := s.client.realmURL("identities")
	if err != nil {
		return err
	}
	body := struct {
		IDs []string `json:"ids"`
	}{identityIDs}
	return s.client.do(ctx, &call{method: http.MethodPost, url: u + ":batchDelete", body: body, idempotent: true}, nil)
}

// FindByUsername fetches the identity with a username, compared
// case-insensitively as the server does. When there is none, the error
// names the username and errors.Is(err, ErrNotFound) is true.
//
// It sends one list request with the filter `traits.username eq "…"` (the
// value quoted and escaped) and only returns an identity whose username
// matches, even if the server were to ignore the filter.
func (s *IdentitiesService) FindByUsername(ctx context.Context, username string) (*Identity, error) {
	if err := checkIdentityName("username", username); err != nil {
		return nil, err
	}
	page, err := s.List(ctx, &ListOptions{Filter: usernameFilter(username)})
	if err != nil {
		return nil, err
	}
	var folded *Identity
	for _, id := range page.Items {
		switch {
		case id == nil:
		case id.Traits.Username == username:
			return id, nil
		case folded == nil && strings.EqualFold(id.Traits.Username, username):
			folded = id
		}
	}
	if folded != nil {
		return folded, nil
	}
	return nil, &usernameNotFoundError{username: username}
}

// usernameFilter returns the SCIM filter that selects the identity with a
// username, `traits.username eq "…"`, with the value quoted and its
// backslashes and double quotes escaped.
func usernameFilter(username string) string {
	return FilterEq("traits.username", username)
}

// scimString quotes s as a SCIM filter string value (RFC 7644 §3.4.2.2,
// which uses JSON strings): backslash and double quote are escaped, and so
// are control characters.
func scimString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\\' || r == '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// usernameNotFoundError is returned by FindByUsername when no identity has
// the username.
type usernameNotFoundError struct{ username string }

func (e *usernameNotFoundError) Error() string {
	return fmt.Sprintf("beyondidentity: no identity with username %q", e.username)
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *usernameNotFoundError) Is(target error) bool { return target == ErrNotFound }
