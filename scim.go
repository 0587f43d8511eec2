package beyondidentity

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// SCIM 2.0 (RFC 7643, RFC 7644): the realm's users and groups as a SCIM
// service provider serves them, for provisioning clients.
//
// The API differs from its own spec in ways the types here follow:
//   - create and replace take the flat SCIM resource of RFC 7644 §3.3, not
//     the spec's {"user": …} and {"group": …} envelopes;
//   - PATCH takes a PatchOp (RFC 7644 §3.5.2), which SCIMPatch builds;
//   - answers may come as application/scim+json;
//   - the collection path of groups ends in a slash (/scim/v2/Groups/), and
//     is sent so.
//
// The SCIM endpoints are limited to 30 calls a minute: a 429 with a
// RateLimit-Reset header is waited out and retried by the retry policy.

// Schema URNs of the SCIM resources.
const (
	// SCIMSchemaUser is the core User schema (RFC 7643 §4.1).
	SCIMSchemaUser = "urn:ietf:params:scim:schemas:core:2.0:User"
	// SCIMSchemaEnterpriseUser is the enterprise User extension (RFC 7643
	// §4.3), which is also the JSON name of SCIMUser.Enterprise.
	SCIMSchemaEnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	// SCIMSchemaGroup is the core Group schema (RFC 7643 §4.2).
	SCIMSchemaGroup = "urn:ietf:params:scim:schemas:core:2.0:Group"
)

// Page sizes of the SCIM list calls.
const (
	// DefaultSCIMCount is the count SCIM list calls send when
	// SCIMListOptions.Count is zero. The API returns no resources at all
	// when count is absent or zero, so the library always sends one.
	DefaultSCIMCount = 100
	// MaxSCIMCount is the largest count the API documents: an answer holds
	// at most 1000 resources.
	MaxSCIMCount = 1000
)

// scimCollection is the empty last path segment that makes a URL end in a
// slash: the spec's paths key of the group collection is
// /scim/v2/Groups/, and the client's URL builder writes a '/' before every
// segment, an empty one included.
const scimCollection = ""

// SCIMService provisions the realm's users and groups through the API's
// SCIM 2.0 endpoints, and reads the SCIM discovery resources. Get it from
// Client.SCIM.
type SCIMService struct {
	client *Client

	// Users manages SCIM users (the realm's identities).
	Users *SCIMUsersService
	// Groups manages SCIM groups and their members.
	Groups *SCIMGroupsService
}

// newSCIMService returns the SCIM service of c and its sub-services.
func newSCIMService(c *Client) *SCIMService {
	return &SCIMService{client: c, Users: &SCIMUsersService{client: c}, Groups: &SCIMGroupsService{client: c}}
}

// SCIMUsersService handles SCIM users. Get it from Client.SCIM.Users.
type SCIMUsersService service

// SCIMGroupsService handles SCIM groups. Get it from Client.SCIM.Groups.
type SCIMGroupsService service

// ---- models ----

// SCIMMeta is the metadata of a SCIM resource (RFC 7643 §3.1). It is
// read-only: the library never sends it.
type SCIMMeta struct {
	// ResourceType is "User" or "Group".
	ResourceType string `json:"resourceType,omitempty"`
	// Created is when the resource was created.
	Created time.Time `json:"created,omitzero"`
	// LastModified is when the resource was last changed.
	LastModified time.Time `json:"lastModified,omitzero"`
	// Location is the URI of the resource; the API gives it relative, such
	// as "Users/2819c223-…".
	Location string `json:"location,omitempty"`
	// Version is the resource's version; the API documents it as always
	// "W/0" (it supports no ETags).
	Version string `json:"version,omitempty"`
}

// SCIMName is the name of a SCIM user (RFC 7643 §4.1.1).
type SCIMName struct {
	// Formatted is the full name as displayed (RFC 7643 name.formatted).
	Formatted string `json:"formatted,omitempty"`
	// FamilyName is the family (last) name (RFC 7643 name.familyName).
	FamilyName string `json:"familyName,omitempty"`
	// GivenName is the given (first) name (RFC 7643 name.givenName).
	GivenName string `json:"givenName,omitempty"`
	// MiddleName is the middle name (RFC 7643 name.middleName).
	MiddleName string `json:"middleName,omitempty"`
	// HonorificPrefix is the title before the name, such as "Ms."
	// (RFC 7643 name.honorificPrefix).
	HonorificPrefix string `json:"honorificPrefix,omitempty"`
	// HonorificSuffix is the suffix after the name, such as "III"
	// (RFC 7643 name.honorificSuffix).
	HonorificSuffix string `json:"honorificSuffix,omitempty"`
}

// UnmarshalJSON decodes a name object. It also takes the shape of the
// spec's examples, an array of objects that each hold some of the
// sub-attributes ([{"familyName": …}, {"givenName": …}]), and merges them.
func (n *SCIMName) UnmarshalJSON(b []byte) error {
	type plain SCIMName
	p := plain(*n)
	switch t := bytes.TrimSpace(b); {
	case string(t) == "null":
		return nil
	case len(t) > 0 && t[0] == '[':
		var parts []json.RawMessage
		if err := json.Unmarshal(t, &parts); err != nil {
			return err
		}
		for _, part := range parts {
			if err := json.Unmarshal(part, &p); err != nil {
				return err
			}
		}
	default:
		if err := json.Unmarshal(t, &p); err != nil {
			return err
		}
	}
	*n = SCIMName(p)
	return nil
}

// SCIMEmail is one email address of a SCIM user. The API keeps only the
// primary address and ignores the others.
type SCIMEmail struct {
	// Value is the address.
	Value string `json:"value,omitempty"`
	// Display is a human-readable form of it.
	Display string `json:"display,omitempty"`
	// Type is a label such as "work" or "home".
	Type string `json:"type,omitempty"`
	// Primary marks the primary address; at most one is.
	Primary bool `json:"primary,omitempty"`
}

// SCIMManager is the manager of an enterprise user (RFC 7643 §4.3).
type SCIMManager struct {
	// Value is the ID of the manager's SCIM user.
	Value string `json:"value,omitempty"`
	// Ref is the URI of the manager's SCIM user.
	Ref string `json:"$ref,omitempty"`
	// DisplayName is the manager's display name. Read-only.
	DisplayName string `json:"displayName,omitempty"`
}

// UnmarshalJSON decodes a manager object. It also takes the shape of the
// spec's examples, an array holding one manager object; an array of more
// than one is an error, since RFC 7643 gives a user one manager and the
// others could not be written back.
func (m *SCIMManager) UnmarshalJSON(b []byte) error {
	type plain SCIMManager
	t := bytes.TrimSpace(b)
	if string(t) == "null" {
		return nil
	}
	if len(t) > 0 && t[0] == '[' {
		var all []plain
		if err := json.Unmarshal(t, &all); err != nil {
			return err
		}
		switch len(all) {
		case 0:
			*m = SCIMManager{}
		case 1:
			*m = SCIMManager(all[0])
		default:
			return fmt.Errorf("manager holds %d entries; a user has one manager", len(all))
		}
		return nil
	}
	var p plain
	if err := json.Unmarshal(t, &p); err != nil {
		return err
	}
	*m = SCIMManager(p)
	return nil
}

// SCIMEnterpriseUser holds the attributes of the enterprise User extension
// (RFC 7643 §4.3).
type SCIMEnterpriseUser struct {
	// EmployeeNumber is the identifier the organization assigned the user,
	// typically by order of hire (RFC 7643 §4.3 employeeNumber).
	EmployeeNumber string `json:"employeeNumber,omitempty"`
	// CostCenter is the name of the user's cost center.
	CostCenter string `json:"costCenter,omitempty"`
	// Organization is the name of the user's organization.
	Organization string `json:"organization,omitempty"`
	// Division is the name of the user's division.
	Division string `json:"division,omitempty"`
	// Department is the name of the user's department.
	Department string `json:"department,omitempty"`
	// Manager is the user's manager, nil when absent.
	Manager *SCIMManager `json:"manager,omitempty"`

	// Extra holds the members of the extension this version of the
	// library does not type, by JSON name, as the server sent them; they
	// are written back unchanged. Its keys must not be the JSON name of a
	// field above (in any case) or "type".
	Extra map[string]json.RawMessage `json:"-"`
}

var scimEnterpriseFields = newJSONFields(reflect.TypeFor[SCIMEnterpriseUser]())

// MarshalJSON encodes the extension with its Extra members.
func (e SCIMEnterpriseUser) MarshalJSON() ([]byte, error) {
	type plain SCIMEnterpriseUser
	b, err := json.Marshal(plain(e))
	if err != nil {
		return nil, err
	}
	return appendExtra(b, e.Extra, scimEnterpriseFields, "enterprise extension member")
}

// UnmarshalJSON decodes the extension and keeps the members it does not
// type in Extra.
func (e *SCIMEnterpriseUser) UnmarshalJSON(b []byte) error {
	type plain SCIMEnterpriseUser
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	extra, err := scimExtraMembers(b, scimEnterpriseFields)
	if err != nil {
		return err
	}
	*e = SCIMEnterpriseUser(p)
	e.Extra = extra
	return nil
}

// SCIMUser is a SCIM user (RFC 7643 §4.1), the SCIM view of an identity of
// the realm.
type SCIMUser struct {
	// Schemas lists the schema URNs of the resource. When it is empty on
	// a create or replace, the library sends SCIMSchemaUser (and
	// SCIMSchemaEnterpriseUser when Enterprise is set).
	Schemas []string `json:"schemas,omitempty"`
	// ID identifies the user; it is the ID of the identity. Read-only.
	ID string `json:"id,omitempty"`
	// ExternalID is the provisioning client's own ID of the user.
	ExternalID string `json:"externalId,omitempty"`
	// UserName is the unique username (the identity's username). Required.
	UserName string `json:"userName,omitempty"`
	// Name holds the parts of the user's name.
	Name SCIMName `json:"name,omitzero"`
	// DisplayName is the name to display (the identity's display name).
	DisplayName string `json:"displayName,omitempty"`
	// Active is the administrative status: false suspends the identity.
	// nil leaves it out: a create then takes the server's default, and a
	// replace does not send it.
	Active *bool `json:"active,omitempty"`
	// Emails are the user's addresses. The API keeps the primary one only.
	Emails []SCIMEmail `json:"emails,omitempty"`
	// Enterprise holds the enterprise User extension, nil when absent.
	Enterprise *SCIMEnterpriseUser `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,omitempty"`
	// Meta is the resource's metadata. Read-only: it is not sent.
	Meta SCIMMeta `json:"meta,omitzero"`

	// Extra holds the members this version of the library does not type
	// (attributes and schema extensions a server may add, RFC 7643 §3), by
	// JSON name, as the server sent them; they are written back unchanged
	// by Replace. Its keys must not be the JSON name of a field above (in
	// any case) or "type".
	Extra map[string]json.RawMessage `json:"-"`
}

var scimUserFields = newJSONFields(reflect.TypeFor[SCIMUser]())

// MarshalJSON encodes the user with its Extra members.
func (u SCIMUser) MarshalJSON() ([]byte, error) {
	type plain SCIMUser
	b, err := json.Marshal(plain(u))
	if err != nil {
		return nil, err
	}
	return appendExtra(b, u.Extra, scimUserFields, "SCIM user member")
}

// UnmarshalJSON decodes a user and keeps the members it does not type in
// Extra.
func (u *SCIMUser) UnmarshalJSON(b []byte) error {
	type plain SCIMUser
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	extra, err := scimExtraMembers(b, scimUserFields)
	if err != nil {
		return err
	}
	*u = SCIMUser(p)
	u.Extra = extra
	return nil
}

// SCIMMember is a member of a SCIM group.
type SCIMMember struct {
	// Value is the ID of the member (a SCIM user's ID).
	Value string `json:"value"`
	// Display is the member's display name. Read-only.
	Display string `json:"display,omitempty"`
	// Ref is the URI of the member's resource. Read-only.
	Ref string `json:"$ref,omitempty"`
	// Type is "User" or "Group".
	Type string `json:"type,omitempty"`
}

// SCIMGroup is a SCIM group (RFC 7643 §4.2), the SCIM view of a group of
// the realm. The API does not return the members of a group: Members is
// empty in its answers.
type SCIMGroup struct {
	// Schemas lists the schema URNs of the resource. When it is empty on
	// a create, the library sends SCIMSchemaGroup.
	Schemas []string `json:"schemas,omitempty"`
	// ID identifies the group. Read-only.
	ID string `json:"id,omitempty"`
	// ExternalID is the provisioning client's own ID of the group.
	ExternalID string `json:"externalId,omitempty"`
	// DisplayName is the group's unique name. Required.
	DisplayName string `json:"displayName,omitempty"`
	// Members are the group's members, sent on create.
	Members []SCIMMember `json:"members,omitempty"`
	// Meta is the resource's metadata. Read-only: it is not sent.
	Meta SCIMMeta `json:"meta,omitzero"`

	// Extra holds the members of the JSON object this version of the
	// library does not type (such as the extension
	// urn:scim:schemas:extension:byndid:1.0:Group), by JSON name, as the
	// server sent them; they are written back unchanged. Its keys must not
	// be the JSON name of a field above (in any case) or "type".
	Extra map[string]json.RawMessage `json:"-"`
}

var scimGroupFields = newJSONFields(reflect.TypeFor[SCIMGroup]())

// MarshalJSON encodes the group with its Extra members.
func (g SCIMGroup) MarshalJSON() ([]byte, error) {
	type plain SCIMGroup
	b, err := json.Marshal(plain(g))
	if err != nil {
		return nil, err
	}
	return appendExtra(b, g.Extra, scimGroupFields, "SCIM group member")
}

// UnmarshalJSON decodes a group and keeps the members it does not type in
// Extra.
func (g *SCIMGroup) UnmarshalJSON(b []byte) error {
	type plain SCIMGroup
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	extra, err := scimExtraMembers(b, scimGroupFields)
	if err != nil {
		return err
	}
	*g = SCIMGroup(p)
	g.Extra = extra
	return nil
}

// scimExtraMembers returns the members of the JSON object b that are not
// known fields. encoding/json matches member names to fields without
// regard to case, as RFC 7643 §2.1 has SCIM do, so a member that matches
// a known name in another case went into its field and is not kept again.
func scimExtraMembers(b []byte, known jsonFields) (map[string]json.RawMessage, error) {
	extra, err := extraMembers(b, known)
	if err != nil {
		return nil, err
	}
	for k := range extra {
		if isKnownFold(k, known) {
			delete(extra, k)
		}
	}
	if len(extra) == 0 {
		return nil, nil
	}
	return extra, nil
}

func isKnownFold(name string, known jsonFields) bool {
	for _, n := range known.names {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	return false
}

// checkSCIMExtra refuses the Extra members a write cannot send as they
// are: a known name in any case, "type", an empty name, a value that is
// not JSON.
func checkSCIMExtra(field string, extra map[string]json.RawMessage, known jsonFields) error {
	for k := range extra {
		f := fmt.Sprintf("%s[%q]", field, k)
		if k == "type" {
			return invalid(f, `"type" cannot be kept in Extra by this version of the library`)
		}
		if isKnownFold(k, known) {
			return invalid(f, "is a typed member; set its field instead")
		}
	}
	return checkExtra(field, extra, known, "a typed member")
}

// SCIMSchemaExtension names a schema extension of a resource type.
type SCIMSchemaExtension struct {
	// Schema is the URN of the extension.
	Schema string `json:"schema"`
	// Required says whether resources of the type must carry it.
	Required bool `json:"required"`
}

// SCIMResourceType describes a resource type the API serves (RFC 7643 §6).
type SCIMResourceType struct {
	// Schemas lists the schema URNs of the resource: the core ResourceType
	// schema (urn:ietf:params:scim:schemas:core:2.0:ResourceType).
	Schemas []string `json:"schemas,omitempty"`
	// ID is the type's name, such as "User".
	ID string `json:"id,omitempty"`
	// Name is the type's name, such as "User".
	Name string `json:"name,omitempty"`
	// Description is the type's human-readable description, such as
	// "User Account". Read-only.
	Description string `json:"description,omitempty"`
	// Endpoint is the type's path relative to /scim/v2, such as "/Users".
	Endpoint string `json:"endpoint,omitempty"`
	// Schema is the URN of the type's core schema.
	Schema string `json:"schema,omitempty"`
	// SchemaExtensions are the schema extensions resources of the type may
	// carry. Read-only.
	SchemaExtensions []SCIMSchemaExtension `json:"schemaExtensions,omitempty"`
	// Meta is the resource type's metadata. Read-only.
	Meta SCIMMeta `json:"meta,omitzero"`
}

// SCIMAttribute describes an attribute of a SCIM schema (RFC 7643 §7).
type SCIMAttribute struct {
	// Name is the attribute's name. Read-only.
	Name string `json:"name"`
	// Type is one of string, boolean, decimal, integer, dateTime,
	// reference and complex.
	Type string `json:"type,omitempty"`
	// SubAttributes describe the parts of a complex attribute.
	SubAttributes []SCIMAttribute `json:"subAttributes,omitempty"`
	// MultiValued reports whether the attribute holds a list of values.
	// Read-only.
	MultiValued bool `json:"multiValued"`
	// Description is the attribute's human-readable description. Read-only.
	Description string `json:"description,omitempty"`
	// Required reports whether a resource must have the attribute. Read-only.
	Required bool `json:"required"`
	// CanonicalValues are the attribute's suggested values, such as "work"
	// and "home". Read-only.
	CanonicalValues []string `json:"canonicalValues,omitempty"`
	// CaseExact reports whether the attribute's string values are
	// case-sensitive. Read-only.
	CaseExact bool `json:"caseExact"`
	// Mutability is one of readOnly, readWrite, immutable and writeOnly.
	Mutability string `json:"mutability,omitempty"`
	// Returned is one of always, never, default and request.
	Returned string `json:"returned,omitempty"`
	// Uniqueness is one of none, server and global.
	Uniqueness string `json:"uniqueness,omitempty"`
	// ReferenceTypes are the resource types a reference attribute may refer
	// to, such as "User". Read-only.
	ReferenceTypes []string `json:"referenceTypes,omitempty"`
}

// SCIMSchema describes a schema the API supports and its attributes
// (RFC 7643 §7).
type SCIMSchema struct {
	// ID is the schema's URN.
	ID string `json:"id"`
	// Name is the schema's name, such as "User". Read-only.
	Name string `json:"name,omitempty"`
	// Description is the schema's human-readable description. Read-only.
	Description string `json:"description,omitempty"`
	// Attributes describe the attributes the schema defines. Read-only.
	Attributes []SCIMAttribute `json:"attributes,omitempty"`
	// Meta is the schema resource's metadata. Read-only.
	Meta SCIMMeta `json:"meta,omitzero"`
}

// SCIMSupport says whether a feature of the service provider is supported.
type SCIMSupport struct {
	// Supported reports whether the service provider supports the feature.
	// Read-only.
	Supported bool `json:"supported"`
}

// SCIMBulkSupport describes bulk operations, which the API does not
// support.
type SCIMBulkSupport struct {
	// Supported reports whether bulk operations are supported; the API
	// documents that they are not. Read-only.
	Supported bool `json:"supported"`
	// MaxOperations is the most operations a bulk request may hold.
	// Read-only.
	MaxOperations int `json:"maxOperations,omitempty"`
	// MaxPayloadSize is the largest payload of a bulk request, in bytes.
	// Read-only.
	MaxPayloadSize int `json:"maxPayloadSize,omitempty"`
}

// SCIMFilterSupport describes filtering.
type SCIMFilterSupport struct {
	// Supported reports whether list calls accept a filter. Read-only.
	Supported bool `json:"supported"`
	// MaxResults is the most resources an answer holds.
	MaxResults int `json:"maxResults,omitempty"`
}

// SCIMAuthenticationScheme describes a way to authenticate to the service
// provider.
type SCIMAuthenticationScheme struct {
	// Type is one of oauth, oauth2, oauthbearertoken, httpbasic and
	// httpdigest.
	Type string `json:"type"`
	// Name is the scheme's common name, such as "OAuth Bearer Token".
	// Read-only.
	Name string `json:"name,omitempty"`
	// Description describes the scheme. Read-only.
	Description string `json:"description,omitempty"`
	// SpecURI is the URL of the scheme's specification. Read-only.
	SpecURI string `json:"specUri,omitempty"`
	// DocumentationURI is the URL of the scheme's usage documentation.
	// Read-only.
	DocumentationURI string `json:"documentationUri,omitempty"`
	// Primary marks the service provider's preferred scheme. Read-only.
	Primary bool `json:"primary,omitempty"`
}

// SCIMServiceProviderConfig describes the SCIM features the API supports
// (RFC 7643 §5).
type SCIMServiceProviderConfig struct {
	// Schemas lists the schema URNs of the resource: the core
	// ServiceProviderConfig schema.
	Schemas []string `json:"schemas,omitempty"`
	// DocumentationURI is the URL of the service provider's help
	// documentation. Read-only.
	DocumentationURI string `json:"documentationUri,omitempty"`
	// Patch reports whether PATCH is supported; the API documents that it
	// is. Read-only.
	Patch SCIMSupport `json:"patch"`
	// Bulk describes bulk operations, which the API does not support.
	// Read-only.
	Bulk SCIMBulkSupport `json:"bulk"`
	// Filter describes the filtering of list calls. Read-only.
	Filter SCIMFilterSupport `json:"filter"`
	// ChangePassword reports whether passwords can be changed; the API
	// documents that it does not support passwords. Read-only.
	ChangePassword SCIMSupport `json:"changePassword"`
	// Sort reports whether list calls can be sorted; the API documents that
	// they cannot. Read-only.
	Sort SCIMSupport `json:"sort"`
	// ETag reports whether ETags are supported; the API documents that they
	// are not. Read-only.
	ETag SCIMSupport `json:"etag"`
	// AuthenticationSchemes are the ways to authenticate to the service
	// provider. Read-only.
	AuthenticationSchemes []SCIMAuthenticationScheme `json:"authenticationSchemes,omitempty"`
	// Meta is the resource's metadata. Read-only.
	Meta SCIMMeta `json:"meta,omitzero"`
}

// ---- lists ----

// SCIMListOptions pages and filters a SCIM list call.
type SCIMListOptions struct {
	// Filter is a SCIM filter (RFC 7644 §3.4.2.2). The API supports the
	// eq and ne operators on userName and externalId for users and on
	// displayName for groups. Build one with FilterEq or FilterNe, which
	// quote and escape the value: FilterEq("userName", "bjensen").
	Filter string
	// StartIndex is the 1-based index of the first result; 0 means 1.
	StartIndex int
	// Count is the most resources per page, 1 to MaxSCIMCount; 0 means
	// DefaultSCIMCount. The server may return fewer.
	Count int
}

// FilterNe returns the SCIM filter `attribute ne "value"` with value quoted
// and escaped: FilterNe("userName", "bjensen"). See FilterEq.
func FilterNe(attribute, value string) string {
	return attribute + " ne " + scimString(value)
}

// query validates o (which may be nil) and returns the query of a list
// call and the count it asks for.
func (o *SCIMListOptions) query() (url.Values, int, error) {
	var opts SCIMListOptions
	if o != nil {
		opts = *o
	}
	if opts.Count < 0 || opts.Count > MaxSCIMCount {
		return nil, 0, invalid("Count", fmt.Sprintf("%d is outside 0..%d (0 means %d)", opts.Count, MaxSCIMCount, DefaultSCIMCount))
	}
	if opts.StartIndex < 0 {
		return nil, 0, invalid("StartIndex", "must not be negative (it is 1-based; 0 means 1)")
	}
	if opts.Filter != "" {
		if err := checkSCIMText("Filter", opts.Filter, true); err != nil {
			return nil, 0, err
		}
	}
	count := opts.Count
	if count == 0 {
		count = DefaultSCIMCount
	}
	q := url.Values{"count": {strconv.Itoa(count)}}
	if opts.StartIndex > 0 {
		q["startIndex"] = []string{strconv.Itoa(opts.StartIndex)}
	}
	if opts.Filter != "" {
		q["filter"] = []string{opts.Filter}
	}
	return q, count, nil
}

// SCIMPage is one page of a SCIM list, a ListResponse (RFC 7644 §3.4.2).
type SCIMPage[T any] struct {
	// Schemas is the message schema,
	// urn:ietf:params:scim:api:messages:2.0:ListResponse.
	Schemas []string `json:"schemas,omitempty"`
	// Resources are the page's resources, in no defined order.
	Resources []T `json:"Resources"`
	// TotalResults is the number of resources the query matches.
	TotalResults int `json:"totalResults"`
	// StartIndex is the 1-based index of the page's first resource.
	StartIndex int `json:"startIndex"`
	// ItemsPerPage is the number of resources in the page.
	ItemsPerPage int `json:"itemsPerPage"`
}

// NextStartIndex returns the StartIndex of the page after p, or 0 when p
// is the last one.
func (p *SCIMPage[T]) NextStartIndex() int {
	start := max(p.StartIndex, 1)
	next := start + len(p.Resources)
	if len(p.Resources) == 0 || next > p.TotalResults {
		return 0
	}
	return next
}

// scimPageDecoder decodes a ListResponse after checking its resources
// without decoding them: more than maxItems resources, or a null one, is
// refused before it costs any memory.
type scimPageDecoder[T any] struct {
	maxItems int
	page     *SCIMPage[T]
}

func (d *scimPageDecoder[T]) decodeBody(b []byte) error {
	if err := checkPageItems(b, "Resources", d.maxItems); err != nil {
		return err
	}
	p := new(SCIMPage[T])
	if err := json.Unmarshal(b, p); err != nil {
		return err
	}
	if p.TotalResults < 0 || p.StartIndex < 0 || p.ItemsPerPage < 0 {
		return fmt.Errorf("the page holds a negative count (totalResults %d, startIndex %d, itemsPerPage %d)", p.TotalResults, p.StartIndex, p.ItemsPerPage)
	}
	d.page = p
	return nil
}

// scimList fetches one page of a SCIM list.
func scimList[T any](ctx context.Context, c *Client, path pathSegs, opts *SCIMListOptions) (*SCIMPage[T], error) {
	q, count, err := opts.query()
	if err != nil {
		return nil, err
	}
	d := &scimPageDecoder[T]{maxItems: 2 * count}
	if err := c.do(ctx, &call{method: http.MethodGet, path: path, extraQuery: q, idempotent: true, scim: true}, d); err != nil {
		return nil, err
	}
	return d.page, nil
}

// scimAll returns an iterator over every resource of a SCIM list: it
// copies *opts (which is not modified), asks for the pages one after the
// other from opts.StartIndex (1 when 0), advancing the start by the number
// of resources each page holds, and stops once totalResults are reached.
// A page that does not start where it was asked to (it would repeat or
// skip resources), or an empty page before the end, ends the iteration
// with an error rather than a loop.
func scimAll[T any](ctx context.Context, opts *SCIMListOptions, list func(context.Context, *SCIMListOptions) (*SCIMPage[T], error)) iter.Seq2[T, error] {
	var o SCIMListOptions
	if opts != nil {
		o = *opts
	}
	return func(yield func(T, error) bool) {
		var zero T
		start := max(o.StartIndex, 1)
		for {
			p := o
			p.StartIndex = start
			page, err := list(ctx, &p)
			if err != nil {
				yield(zero, err)
				return
			}
			switch {
			case page.StartIndex == 0 || page.StartIndex == start:
			case page.StartIndex < start:
				yield(zero, fmt.Errorf("beyondidentity: asked for startIndex %d, the server answered the page at startIndex %d, which repeats resources already returned; stopping", start, page.StartIndex))
				return
			default:
				yield(zero, fmt.Errorf("beyondidentity: asked for startIndex %d, the server answered the page at startIndex %d, which skips resources; stopping", start, page.StartIndex))
				return
			}
			for _, r := range page.Resources {
				if !yield(r, nil) {
					return
				}
			}
			n := len(page.Resources)
			if start-1+n >= page.TotalResults {
				return
			}
			if n == 0 {
				yield(zero, fmt.Errorf("beyondidentity: the server returned no resources at startIndex %d, before the end of the %d it counts; stopping", start, page.TotalResults))
				return
			}
			start += n
		}
	}
}

// ---- validation ----

// checkSCIMText checks a string attribute: valid UTF-8, no control
// character, not blank; empty is an error when required.
func checkSCIMText(field, s string, required bool) error {
	switch {
	case s == "":
		if required {
			return invalid(field, "is empty")
		}
		return nil
	case strings.TrimSpace(s) == "":
		return invalid(field, "is blank")
	case !utf8.ValidString(s):
		return invalid(field, "is not valid UTF-8")
	case strings.ContainsFunc(s, isControl):
		return invalid(field, "contains a control character")
	}
	return nil
}

// scimSchemas returns the schemas of a write: core and the extensions ext
// when have is empty; otherwise have, with the extensions it lacks added.
func scimSchemas(have []string, core string, ext ...string) []string {
	if len(have) == 0 {
		return append([]string{core}, ext...)
	}
	out := append([]string(nil), have...)
	for _, e := range ext {
		found := false
		for _, s := range have {
			// The spec's examples put two URNs in one string, space apart.
			for _, f := range strings.Fields(s) {
				found = found || f == e
			}
		}
		if !found {
			out = append(out, e)
		}
	}
	return out
}

// writeUser validates a user for a create (userID "") or a replace of
// userID, and returns the copy to send: without Meta, with Schemas set.
func writeUser(u *SCIMUser, userID string) (*SCIMUser, error) {
	if u == nil {
		return nil, invalid("user", "is nil")
	}
	if err := checkSCIMText("UserName", u.UserName, true); err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, v string }{{"DisplayName", u.DisplayName}, {"ExternalID", u.ExternalID}} {
		if err := checkSCIMText(f.name, f.v, false); err != nil {
			return nil, err
		}
	}
	if userID != "" && u.ID != "" && u.ID != userID {
		return nil, invalid("ID", fmt.Sprintf("%q is not the userID %q", u.ID, userID))
	}
	primary := -1
	for i, e := range u.Emails {
		f := "Emails[" + strconv.Itoa(i) + "]"
		if err := checkSCIMText(f+".Value", e.Value, true); err != nil {
			return nil, err
		}
		if e.Primary {
			if primary >= 0 {
				return nil, invalid(f+".Primary", fmt.Sprintf("Emails[%d] is primary already; at most one address is", primary))
			}
			primary = i
		}
	}
	if err := checkSCIMExtra("Extra", u.Extra, scimUserFields); err != nil {
		return nil, err
	}
	var ext []string
	if u.Enterprise != nil {
		if err := checkSCIMExtra("Enterprise.Extra", u.Enterprise.Extra, scimEnterpriseFields); err != nil {
			return nil, err
		}
		ext = append(ext, SCIMSchemaEnterpriseUser)
	}
	w := *u
	w.Meta = SCIMMeta{}
	w.Schemas = scimSchemas(u.Schemas, SCIMSchemaUser, ext...)
	return &w, nil
}

// writeGroup validates a group for a create and returns the copy to send:
// without Meta, with Schemas set.
func writeGroup(g *SCIMGroup) (*SCIMGroup, error) {
	if g == nil {
		return nil, invalid("group", "is nil")
	}
	if err := checkSCIMText("DisplayName", g.DisplayName, true); err != nil {
		return nil, err
	}
	if err := checkSCIMText("ExternalID", g.ExternalID, false); err != nil {
		return nil, err
	}
	for i, m := range g.Members {
		if err := checkID("Members["+strconv.Itoa(i)+"].Value", m.Value); err != nil {
			return nil, err
		}
	}
	if err := checkSCIMExtra("Extra", g.Extra, scimGroupFields); err != nil {
		return nil, err
	}
	w := *g
	w.Meta = SCIMMeta{}
	w.Schemas = scimSchemas(g.Schemas, SCIMSchemaGroup)
	return &w, nil
}

// patchBody validates a patch and returns its JSON.
func patchBody(patch *SCIMPatchOp) (json.RawMessage, error) {
	if patch == nil {
		return nil, invalid("patch", "is nil")
	}
	return patch.MarshalJSON()
}

// ---- users ----

// Create creates a user from a flat SCIM resource and returns it as the
// API stored it. UserName is required; a taken userName is an *APIError
// with status 409 (errors.Is(err, ErrConflict)). Schemas is set when
// empty; Meta is not sent.
//
// Like every create, it is not retried after a failure where the server
// may have acted (only after a 429 or a refused connection).
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/Users (SCIMCreateUser)
func (s *SCIMUsersService) Create(ctx context.Context, user *SCIMUser) (*SCIMUser, error) {
	w, err := writeUser(user, "")
	if err != nil {
		return nil, err
	}
	return fetch[SCIMUser](ctx, s.client, &call{method: http.MethodPost, path: segs("scim", "v2", "Users"), body: w, scim: true})
}

// Get fetches a user. A missing user is an *APIError for which
// errors.Is(err, ErrNotFound) is true.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/Users/{user_id} (SCIMGetUser)
func (s *SCIMUsersService) Get(ctx context.Context, userID string) (*SCIMUser, error) {
	if err := checkID("userID", userID); err != nil {
		return nil, err
	}
	return fetch[SCIMUser](ctx, s.client, &call{method: http.MethodGet, path: segs("scim", "v2", "Users", userID), idempotent: true, scim: true})
}

// List fetches one page of the realm's users, in no defined order. The API
// filters on userName and externalId with eq and ne:
// FilterEq("userName", "bjensen").
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/Users (SCIMListUsers)
func (s *SCIMUsersService) List(ctx context.Context, opts *SCIMListOptions) (*SCIMPage[*SCIMUser], error) {
	return scimList[*SCIMUser](ctx, s.client, segs("scim", "v2", "Users"), opts)
}

// All iterates over the realm's users with [SCIMUsersService.List],
// fetching pages as the loop needs them: no request is sent before the
// loop starts, and none after it breaks. The filter and count of opts are
// sent with every page; iteration starts at opts.StartIndex. opts is not
// modified. An error is yielded once and ends the iteration.
func (s *SCIMUsersService) All(ctx context.Context, opts *SCIMListOptions) iter.Seq2[*SCIMUser, error] {
	return scimAll(ctx, opts, s.List)
}

// Update changes a user with a PatchOp built by SCIMPatch and returns the
// user. The API supports the add and replace operations on users, and
// applies the operations one by one: when one fails, those before it may
// have been applied.
//
// API: PATCH /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/Users/{user_id} (SCIMUpdateUser)
func (s *SCIMUsersService) Update(ctx context.Context, userID string, patch *SCIMPatchOp) (*SCIMUser, error) {
	if err := checkID("userID", userID); err != nil {
		return nil, err
	}
	body, err := patchBody(patch)
	if err != nil {
		return nil, err
	}
	return fetch[SCIMUser](ctx, s.client, &call{method: http.MethodPatch, path: segs("scim", "v2", "Users", userID), body: body, idempotent: true, scim: true})
}

// Replace replaces every attribute of a user (PUT) with those of user and
// returns the user. Attributes user leaves out are cleared by the server.
// A user fetched with Get and changed is written back whole, its Extra
// members and extensions included; Meta is not sent. user.ID, when set,
// must be userID.
//
// API: PUT /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/Users/{user_id} (SCIMReplaceUser)
func (s *SCIMUsersService) Replace(ctx context.Context, userID string, user *SCIMUser) (*SCIMUser, error) {
	if err := checkID("userID", userID); err != nil {
		return nil, err
	}
	w, err := writeUser(user, userID)
	if err != nil {
		return nil, err
	}
	return fetch[SCIMUser](ctx, s.client, &call{method: http.MethodPut, path: segs("scim", "v2", "Users", userID), body: w, idempotent: true, scim: true})
}

// Delete deletes a user, and so the identity. A missing user is an
// *APIError for which errors.Is(err, ErrNotFound) is true; like every
// idempotent call, Delete is retried after a transient failure, so a
// first attempt that did succeed can surface as ErrNotFound.
//
// API: DELETE /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/Users/{user_id} (SCIMDeleteUser)
func (s *SCIMUsersService) Delete(ctx context.Context, userID string) error {
	if err := checkID("userID", userID); err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, path: segs("scim", "v2", "Users", userID), idempotent: true, scim: true}, nil)
}

// ---- groups ----

// Create creates a group from a flat SCIM resource and returns it.
// DisplayName is required. Schemas is set when empty; Meta is not sent.
// Like every create, it is not retried after a failure where the server
// may have acted.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/Groups/ (SCIMCreateGroup)
func (s *SCIMGroupsService) Create(ctx context.Context, group *SCIMGroup) (*SCIMGroup, error) {
	w, err := writeGroup(group)
	if err != nil {
		return nil, err
	}
	return fetch[SCIMGroup](ctx, s.client, &call{method: http.MethodPost, path: segs("scim", "v2", "Groups", scimCollection), body: w, scim: true})
}

// Get fetches a group, without its members (the API does not return
// them). A missing group is an *APIError for which errors.Is(err,
// ErrNotFound) is true.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/Groups/{group_id} (SCIMGetGroup)
func (s *SCIMGroupsService) Get(ctx context.Context, groupID string) (*SCIMGroup, error) {
	if err := checkID("groupID", groupID); err != nil {
		return nil, err
	}
	return fetch[SCIMGroup](ctx, s.client, &call{method: http.MethodGet, path: segs("scim", "v2", "Groups", groupID), idempotent: true, scim: true})
}

// List fetches one page of the realm's groups, without their members, in
// no defined order. The API filters on displayName with eq and ne:
// FilterEq("displayName", "Help Desk").
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/Groups/ (SCIMListGroups)
func (s *SCIMGroupsService) List(ctx context.Context, opts *SCIMListOptions) (*SCIMPage[*SCIMGroup], error) {
	return scimList[*SCIMGroup](ctx, s.client, segs("scim", "v2", "Groups", scimCollection), opts)
}

// All iterates over the realm's groups with [SCIMGroupsService.List], as
// [SCIMUsersService.All] does over users. opts is not modified.
func (s *SCIMGroupsService) All(ctx context.Context, opts *SCIMListOptions) iter.Seq2[*SCIMGroup, error] {
	return scimAll(ctx, opts, s.List)
}

// Update changes a group with a PatchOp built by SCIMPatch and returns the
// group (without its members, which the API does not return). The API
// supports replace on displayName, and add and remove on members: add
// several members in one operation with AddMembers, remove them one at a
// time with RemoveMember, and change the name and the members in separate
// operations. The operations are applied one by one: when one fails, those
// before it may have been applied.
//
// API: PATCH /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/Groups/{group_id} (SCIMUpdateGroup)
func (s *SCIMGroupsService) Update(ctx context.Context, groupID string, patch *SCIMPatchOp) (*SCIMGroup, error) {
	if err := checkID("groupID", groupID); err != nil {
		return nil, err
	}
	body, err := patchBody(patch)
	if err != nil {
		return nil, err
	}
	return fetch[SCIMGroup](ctx, s.client, &call{method: http.MethodPatch, path: segs("scim", "v2", "Groups", groupID), body: body, idempotent: true, scim: true})
}

// Delete deletes a group. A missing group is an *APIError for which
// errors.Is(err, ErrNotFound) is true.
//
// API: DELETE /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/Groups/{group_id} (SCIMDeleteGroup)
func (s *SCIMGroupsService) Delete(ctx context.Context, groupID string) error {
	if err := checkID("groupID", groupID); err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, path: segs("scim", "v2", "Groups", groupID), idempotent: true, scim: true}, nil)
}

// ---- discovery ----

// ListResourceTypes fetches the resource types the API serves (User and
// Group) in one ListResponse.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/ResourceTypes (ListResourceTypes)
func (s *SCIMService) ListResourceTypes(ctx context.Context) (*SCIMPage[*SCIMResourceType], error) {
	return scimDiscovery[*SCIMResourceType](ctx, s.client, "ResourceTypes")
}

// ListSchemas fetches the schemas the API supports, with their attributes,
// in one ListResponse.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/Schemas (ListSchemas)
func (s *SCIMService) ListSchemas(ctx context.Context) (*SCIMPage[*SCIMSchema], error) {
	return scimDiscovery[*SCIMSchema](ctx, s.client, "Schemas")
}

// GetServiceProviderConfig fetches the SCIM features the API supports.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/scim/v2/ServiceProviderConfig (GetServiceProviderConfig)
func (s *SCIMService) GetServiceProviderConfig(ctx context.Context) (*SCIMServiceProviderConfig, error) {
	return fetch[SCIMServiceProviderConfig](ctx, s.client, &call{method: http.MethodGet, path: segs("scim", "v2", "ServiceProviderConfig"), idempotent: true, scim: true})
}

// scimDiscovery fetches a discovery ListResponse, which takes no paging.
func scimDiscovery[T any](ctx context.Context, c *Client, resource string) (*SCIMPage[T], error) {
	d := &scimPageDecoder[T]{maxItems: 2 * MaxSCIMCount}
	if err := c.do(ctx, &call{method: http.MethodGet, path: segs("scim", "v2", resource), idempotent: true, scim: true}, d); err != nil {
		return nil, err
	}
	return d.page, nil
}
