package fakeapi

import (
	"encoding/json"
	"math"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SCIM 2.0 (RFC 7643, RFC 7644) below a realm's scim/v2. SCIM users are
// the realm's identities and SCIM groups its groups: the SCIM operations
// are another view of the same state (see scimusers.go, scimgroups.go).
// Answers are application/scim+json, errors the spec's SCIMError.

// Schema URNs.
const (
	scimUserSchema       = "urn:ietf:params:scim:schemas:core:2.0:User"
	scimGroupSchema      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	scimEnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	scimListSchema       = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	scimPatchSchema      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	scimResourceType     = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	scimSchemaSchema     = "urn:ietf:params:scim:schemas:core:2.0:Schema"
	scimSPConfigSchema   = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
)

// scimMaxResults is the most resources a list answers: "The response will
// contain at most 1000 items".
const scimMaxResults = 1000

// DefaultSCIMRateWindow is the window of Config.SCIMRateLimit when
// Config.SCIMRateWindow is zero: the API limits SCIM calls per minute.
const DefaultSCIMRateWindow = time.Minute

// scimObject is a SCIM JSON object with its member names in lower case:
// SCIM attribute names are case-insensitive (RFC 7643 §2.1).
type scimObject map[string]json.RawMessage

func lowerKeys(o object) scimObject {
	out := make(scimObject, len(o))
	for k, v := range o {
		out[strings.ToLower(k)] = v
	}
	return out
}

func (o scimObject) has(key string) bool {
	raw, ok := o[key]
	return ok && !isNull(raw)
}

// scimInvalid answers 400 invalidValue.
func scimInvalid(w http.ResponseWriter, detail string) {
	scimError(w, http.StatusBadRequest, "invalidValue", detail)
}

// scimNotFound answers the spec's 404: "Resource <id> not found."
func scimNotFound(w http.ResponseWriter, id string) {
	scimError(w, http.StatusNotFound, "", "Resource "+id+" not found.")
}

// readSCIMBody decodes a SCIM request body: a JSON object sent as
// application/scim+json or application/json (RFC 7644 §3.1; 415
// otherwise), 400 invalidSyntax when it is not an object.
func readSCIMBody(c *call) (scimObject, bool) {
	mt, _, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || (mt != scimMediaType && mt != "application/json") {
		scimError(c.w, http.StatusUnsupportedMediaType, "", "request body must be application/scim+json or application/json")
		return nil, false
	}
	var o object
	if err := json.Unmarshal(c.body, &o); err != nil || o == nil {
		scimError(c.w, http.StatusBadRequest, "invalidSyntax", "request body must be a JSON object")
		return nil, false
	}
	return lowerKeys(o), true
}

// checkSchemas checks that the request's schemas list holds urn (URNs are
// compared case-insensitively).
func checkSchemas(c *call, o scimObject, urn string) bool {
	var list []string
	raw, ok := o["schemas"]
	if !ok || json.Unmarshal(raw, &list) != nil {
		scimError(c.w, http.StatusBadRequest, "invalidSyntax", `schemas must be an array that holds "`+urn+`"`)
		return false
	}
	for _, s := range list {
		if strings.EqualFold(s, urn) {
			return true
		}
	}
	scimError(c.w, http.StatusBadRequest, "invalidSyntax", `schemas must hold "`+urn+`"`)
	return false
}

// flatResource refuses a create or replace body wrapped the way the spec's
// request schemas show ({"user": …}, {"group": …}): the API takes the
// resource itself, as RFC 7644 §3.3 says, and so does the fake.
func flatResource(c *call, o scimObject, wrapper string) bool {
	if _, ok := o[wrapper]; ok && !o.has("schemas") {
		scimError(c.w, http.StatusBadRequest, "invalidSyntax",
			`the body is the SCIM resource itself (RFC 7644 §3.3), not wrapped in {"`+wrapper+`": …}`)
		return false
	}
	return true
}

// scimPage is a resolved list request: 1-based startIndex and count.
type scimPage struct {
	start int // 1-based
	count int
}

// parseSCIMPage reads startIndex and count. As the spec documents: count
// defaults to 0, and a count of 0 (or a negative one, treated as 0) asks
// for no resources; a startIndex below 1 is taken as 1 (RFC 7644
// §3.4.2.4). A count above 1000 gets 1000.
func parseSCIMPage(c *call) (scimPage, bool) {
	pg := scimPage{start: 1}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"startIndex", &pg.start}, {"count", &pg.count}} {
		s := c.query.Get(p.name)
		if s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			scimInvalid(c.w, p.name+" must be an integer")
			return pg, false
		}
		*p.dst = int(max(min(n, math.MaxInt32), math.MinInt32))
	}
	pg.start = max(pg.start, 1)
	pg.count = min(max(pg.count, 0), scimMaxResults)
	return pg, true
}

// window returns the bounds of the page in a list of n items.
func (pg scimPage) window(n int) (int, int) {
	start := min(pg.start-1, n)
	return start, min(start+pg.count, n)
}

type scimListJSON struct {
	Schemas      []string `json:"schemas"`
	TotalResults int      `json:"totalResults"`
	StartIndex   int      `json:"startIndex"`
	ItemsPerPage int      `json:"itemsPerPage"`
	Resources    any      `json:"Resources"`
}

// scimList answers a ListResponse of a page of resources out of total.
func scimList[T any](w http.ResponseWriter, pg scimPage, page []T, total int) {
	if page == nil {
		page = []T{}
	}
	writeSCIM(w, http.StatusOK, scimListJSON{
		Schemas: []string{scimListSchema}, TotalResults: total, StartIndex: pg.start, ItemsPerPage: len(page), Resources: page,
	})
}

// scimFilter parses the filter of a list: one comparison with eq or ne on
// one of attrs (lower case), the forms the spec says the API supports.
// The comparison is nil without a filter.
func scimFilter(c *call, attrs ...string) (*comparison, bool) {
	f := c.query.Get("filter")
	if f == "" {
		return nil, true
	}
	cmp, err := parseComparisonOps(f, "eq", "ne")
	if err != nil || !slices.Contains(attrs, cmp.attr) {
		scimError(c.w, http.StatusBadRequest, "invalidFilter",
			"unsupported filter: the supported form is <attribute> eq|ne \"<value>\" on "+strings.Join(attrs, ", "))
		return nil, false
	}
	return &cmp, true
}

func boolPtr(b bool) *bool { return &b }

// test applies the comparison to a value; fold compares case-insensitively
// (attributes whose caseExact is false).
func (cmp *comparison) test(value string, fold bool) bool {
	eq := value == cmp.value || (fold && strings.EqualFold(value, cmp.value))
	return eq == (cmp.op == "eq")
}

// scimMeta is a resource's meta. location is relative to the SCIM base
// ("Users/{id}"), as the spec's examples give it; version "is always
// W/0".
type scimMeta struct {
	ResourceType string `json:"resourceType"`
	Created      string `json:"created"`
	LastModified string `json:"lastModified"`
	Location     string `json:"location"`
	Version      string `json:"version"`
}

func newMeta(resourceType, location string, created, updated time.Time) scimMeta {
	return scimMeta{ResourceType: resourceType, Created: ts(created), LastModified: ts(updated), Location: location, Version: "W/0"}
}

// scimCreated answers 201 with the resource and its Location (RFC 7644
// §3.3).
func (e *Engine) scimCreated(c *call, path string, v any) {
	c.w.Header().Set("Location", e.realmURL(c)+"/scim/v2/"+path)
	writeSCIM(c.w, http.StatusCreated, v)
}

// scimNoContent answers 204, the spec's answer to a SCIM delete.
func scimNoContent(w http.ResponseWriter) {
	w.WriteHeader(http.StatusNoContent)
}

// scimRateLimit applies Config.SCIMRateLimit, when set, to a SCIM call
// that passed authentication: a fixed window of Config.SCIMRateWindow
// (a minute by default) for the tenant. Every answer within the limit
// carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (in
// seconds, draft-polli-ratelimit-headers-02, as the spec documents for
// the 429); past the limit the call is answered 429 with them and no
// Retry-After, which the API does not send.
func (e *Engine) scimRateLimit(c *call) bool {
	limit := e.cfg.SCIMRateLimit
	if limit <= 0 {
		return true
	}
	window := e.cfg.SCIMRateWindow
	if window <= 0 {
		window = DefaultSCIMRateWindow
	}
	if e.scimWindow.IsZero() || !c.now.Before(e.scimWindow.Add(window)) {
		e.scimWindow, e.scimCalls = c.now, 0
	}
	reset := int(math.Ceil(e.scimWindow.Add(window).Sub(c.now).Seconds()))
	h := c.w.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(limit))
	h.Set("RateLimit-Reset", strconv.Itoa(reset))
	if e.scimCalls >= limit {
		h.Set("RateLimit-Remaining", "0")
		scimError(c.w, http.StatusTooManyRequests, "",
			"rate limit exceeded: "+strconv.Itoa(limit)+" calls per "+strconv.Itoa(int(window/time.Second))+" seconds")
		return false
	}
	e.scimCalls++
	h.Set("RateLimit-Remaining", strconv.Itoa(limit-e.scimCalls))
	return true
}

// ---- discovery ----

// discovery refuses a filter on the discovery operations (RFC 7644 §4:
// "If a "filter" is provided, the service provider SHOULD respond with
// HTTP status code 403 (Forbidden)").
func discovery(c *call) bool {
	if c.query.Has("filter") {
		scimError(c.w, http.StatusForbidden, "", "filters are not supported on discovery endpoints")
		return false
	}
	return true
}

type scimSchemaExtension struct {
	Schema   string `json:"schema"`
	Required bool   `json:"required"`
}

type scimResourceTypeJSON struct {
	Schemas          []string              `json:"schemas"`
	ID               string                `json:"id"`
	Name             string                `json:"name"`
	Description      string                `json:"description"`
	Endpoint         string                `json:"endpoint"`
	Schema           string                `json:"schema"`
	SchemaExtensions []scimSchemaExtension `json:"schemaExtensions"`
}

// scimResourceTypes lists the resource types the fake serves: User, with
// the enterprise extension, and Group. The spec's example lists a Beyond
// Identity Group extension (urn:scim:schemas:extension:byndid:1.0:Group)
// that it describes nowhere; the fake serves no such extension and does
// not list it.
func (e *Engine) scimResourceTypes(c *call) {
	if !discovery(c) {
		return
	}
	types := []scimResourceTypeJSON{
		{
			Schemas: []string{scimResourceType}, ID: "User", Name: "User", Description: "User Account", Endpoint: "/Users",
			Schema: scimUserSchema, SchemaExtensions: []scimSchemaExtension{{Schema: scimEnterpriseSchema, Required: false}},
		},
		{
			Schemas: []string{scimResourceType}, ID: "Group", Name: "Group", Description: "User Groups", Endpoint: "/Groups",
			Schema: scimGroupSchema, SchemaExtensions: []scimSchemaExtension{},
		},
	}
	scimList(c.w, scimPage{start: 1}, types, len(types))
}

// scimAttr is an attribute definition of a schema (RFC 7643 §7).
type scimAttr struct {
	Name           string     `json:"name"`
	Type           string     `json:"type"`
	MultiValued    bool       `json:"multiValued"`
	Description    string     `json:"description"`
	Required       bool       `json:"required"`
	CaseExact      *bool      `json:"caseExact,omitempty"`
	Mutability     string     `json:"mutability"`
	Returned       string     `json:"returned"`
	Uniqueness     string     `json:"uniqueness,omitempty"`
	ReferenceTypes []string   `json:"referenceTypes,omitempty"`
	SubAttributes  []scimAttr `json:"subAttributes,omitempty"`
}

type scimSchemaJSON struct {
	Schemas     []string   `json:"schemas"`
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Attributes  []scimAttr `json:"attributes"`
}

// str is a readWrite single-valued string attribute.
func str(name, desc string, required, caseExact bool, uniqueness string) scimAttr {
	return scimAttr{
		Name: name, Type: "string", Description: desc, Required: required, CaseExact: &caseExact,
		Mutability: "readWrite", Returned: "default", Uniqueness: uniqueness,
	}
}

// scimSchemaDocs describes what the fake stores of each resource: the
// attributes of the spec's SCIMUser and SCIMGroup. userName is compared
// case-insensitively, as the realm's usernames are unique
// case-insensitively; displayName and userName are required because an
// identity has both.
func scimSchemaDocs() []scimSchemaJSON {
	id := scimAttr{
		Name: "id", Type: "string", Description: "Unique identifier of the resource, set by the service provider.",
		CaseExact: boolPtr(true), Mutability: "readOnly", Returned: "always", Uniqueness: "server",
	}
	active := scimAttr{
		Name: "active", Type: "boolean", Description: "The user's administrative status: false suspends the identity.",
		Mutability: "readWrite", Returned: "default",
	}
	name := scimAttr{
		Name: "name", Type: "complex", Description: "The components of the user's real name.", Mutability: "readWrite", Returned: "default",
		SubAttributes: []scimAttr{
			str("givenName", "The given name of the user.", false, true, "none"),
			str("familyName", "The family name of the user.", false, true, "none"),
		},
	}
	emails := scimAttr{
		Name: "emails", Type: "complex", MultiValued: true, Mutability: "readWrite", Returned: "default",
		Description: "Email addresses of the user: only the primary one is kept; the others are ignored.",
		SubAttributes: []scimAttr{
			str("value", "The email address.", false, false, "none"),
			{Name: "primary", Type: "boolean", Description: "Whether this is the primary address.", Mutability: "readWrite", Returned: "default"},
		},
	}
	members := scimAttr{
		Name: "members", Type: "complex", MultiValued: true, Mutability: "readWrite", Returned: "never",
		Description: "The members of the group: users. Members are not returned with groups.",
		SubAttributes: []scimAttr{
			{Name: "value", Type: "string", Description: "The id of a user.", CaseExact: boolPtr(true), Mutability: "immutable", Returned: "default"},
			{Name: "type", Type: "string", Description: "The type of the member: User.", CaseExact: boolPtr(false), Mutability: "immutable", Returned: "default"},
		},
	}
	manager := scimAttr{
		Name: "manager", Type: "complex", Description: "The user's manager.", Mutability: "readWrite", Returned: "default",
		SubAttributes: []scimAttr{
			str("value", "The id of the manager's user.", false, true, "none"),
			{Name: "displayName", Type: "string", Description: "The manager's display name.", CaseExact: boolPtr(false), Mutability: "readOnly", Returned: "default"},
		},
	}
	return []scimSchemaJSON{
		{
			Schemas: []string{scimSchemaSchema}, ID: scimUserSchema, Name: "User", Description: "User Account",
			Attributes: []scimAttr{
				id,
				str("userName", "The unique username of the user.", true, false, "server"),
				str("displayName", "The name of the user, suitable for display.", true, true, "none"),
				str("externalId", "The provisioning client's identifier of the user.", false, true, "none"),
				active, name, emails,
			},
		},
		{
			Schemas: []string{scimSchemaSchema}, ID: scimGroupSchema, Name: "Group", Description: "Group",
			Attributes: []scimAttr{id, str("displayName", "The unique display name of the group.", true, false, "server"), members},
		},
		{
			Schemas: []string{scimSchemaSchema}, ID: scimEnterpriseSchema, Name: "EnterpriseUser", Description: "Enterprise User",
			Attributes: []scimAttr{
				str("employeeNumber", "The user's employee number.", false, true, "none"),
				str("costCenter", "The user's cost center.", false, true, "none"),
				str("organization", "The user's organization.", false, true, "none"),
				str("division", "The user's division.", false, true, "none"),
				str("department", "The user's department.", false, true, "none"),
				manager,
			},
		},
	}
}

func (e *Engine) scimSchemas(c *call) {
	if !discovery(c) {
		return
	}
	docs := scimSchemaDocs()
	scimList(c.w, scimPage{start: 1}, docs, len(docs))
}

// scimServiceProviderConfig describes the fake's SCIM service: PATCH and
// filters, no bulk, no sort, no ETags, no passwords, bearer tokens.
func (e *Engine) scimServiceProviderConfig(c *call) {
	type supported struct {
		Supported bool `json:"supported"`
	}
	writeSCIM(c.w, http.StatusOK, map[string]any{
		"schemas":          []string{scimSPConfigSchema},
		"documentationUri": "",
		"patch":            supported{true},
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": scimMaxResults},
		"changePassword":   supported{false},
		"sort":             supported{false},
		"etag":             supported{false},
		"authenticationSchemes": []map[string]any{{
			"type": "oauthbearertoken", "name": "OAuth Bearer Token",
			"description":      "Authentication with a Beyond Identity Management API access token.",
			"specUri":          "https://www.rfc-editor.org/info/rfc6750",
			"documentationUri": "",
			"primary":          true,
		}},
	})
}
