package fakeapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scim sends a SCIM request the way a SCIM client does (a JSON value, or a
// string as is; nil sends no body), with the server's token, and decodes
// the answer, which must be application/scim+json when it has a body.
func (s *tserver) scim(method, path string, body any) (int, map[string]any, http.Header) {
	s.t.Helper()
	return s.scimToken(s.token, method, path, body)
}

func (s *tserver) scimToken(token, method, path string, body any) (int, map[string]any, http.Header) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, ok := body.(string)
		if !ok {
			raw, err := json.Marshal(body)
			require.NoError(s.t, err)
			b = string(raw)
		}
		rd = strings.NewReader(b)
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/scim+json")
	req.Header.Set("Accept", "application/scim+json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.hc.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	if len(b) == 0 {
		return resp.StatusCode, nil, resp.Header
	}
	require.Equal(s.t, "application/scim+json", resp.Header.Get("Content-Type"), "body %s", b)
	var m map[string]any
	require.NoError(s.t, json.Unmarshal(b, &m), "body %s", b)
	return resp.StatusCode, m, resp.Header
}

func (s *tserver) scimMust(want int, method, path string, body any) map[string]any {
	s.t.Helper()
	st, m, _ := s.scim(method, path, body)
	require.Equal(s.t, want, st, "%s %s: %v", method, path, m)
	return m
}

// scimErrorOf checks a SCIM error body.
func scimErrorOf(t *testing.T, m map[string]any, status int, scimType string) string {
	t.Helper()
	assert.Equal(t, []any{scimErrorSchema}, m["schemas"], "%v", m)
	assert.Equal(t, fmt.Sprint(status), m["status"], "%v", m)
	if scimType == "" {
		assert.NotContains(t, m, "scimType")
	} else {
		assert.Equal(t, scimType, m["scimType"], "%v", m)
	}
	d, _ := m["detail"].(string)
	return d
}

func bjensen() map[string]any {
	return map[string]any{
		"schemas":     []string{scimUserSchema},
		"active":      true,
		"userName":    "bjensen",
		"displayName": "Ms. Barbara Jensen",
		"externalId":  "bjensen-ext",
		"name":        map[string]any{"familyName": "Jensen", "givenName": "Barbara"},
		"emails": []any{
			map[string]any{"value": "babs@home.example", "type": "home"},
			map[string]any{"value": "bjensen@example.com", "primary": true, "type": "work"},
		},
		"phoneNumbers": []any{map[string]any{"value": "555-1234"}},
		scimEnterpriseSchema: map[string]any{
			"employeeNumber": "12345", "costCenter": "Finance", "department": "Accounting",
			"manager": map[string]any{"value": "54321", "displayName": "ignored: read-only"},
		},
	}
}

func TestSCIMUsers(t *testing.T) {
	s := newServer(t, Config{})
	base := s.realm("scim/v2/Users")

	st, m, h := s.scim("POST", base, bjensen())
	require.Equal(t, 201, st, "%v", m)
	id := m["id"].(string)
	assert.Equal(t, s.url+base+"/"+id, h.Get("Location"))
	meta := m["meta"].(map[string]any)
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`, meta["created"])
	assert.Equal(t, map[string]any{
		"schemas": []any{scimUserSchema, scimEnterpriseSchema}, "id": id, "externalId": "bjensen-ext",
		"userName": "bjensen", "displayName": "Ms. Barbara Jensen",
		"name":   map[string]any{"givenName": "Barbara", "familyName": "Jensen"},
		"active": true, "emails": []any{map[string]any{"value": "bjensen@example.com", "primary": true}},
		scimEnterpriseSchema: map[string]any{"employeeNumber": "12345", "costCenter": "Finance", "department": "Accounting", "manager": map[string]any{"value": "54321"}},
		"meta":               map[string]any{"resourceType": "User", "created": meta["created"], "lastModified": meta["created"], "location": "Users/" + id, "version": "W/0"},
	}, m, "only the primary email; attributes the fake does not store are dropped")
	assert.Equal(t, m, s.scimMust(200, "GET", base+"/"+id, nil))

	// The SCIM user is an identity.
	i := s.mustDo(200, "GET", s.realm("identities/"+id), nil)
	assert.Equal(t, "Ms. Barbara Jensen", i["display_name"])
	assert.Equal(t, "active", i["status"])
	assert.Equal(t, meta["created"], i["create_time"])
	assert.Equal(t, map[string]any{
		"type": "traits_v0", "username": "bjensen", "external_id": "bjensen-ext", "given_name": "Barbara", "family_name": "Jensen",
		"primary_email_address": "bjensen@example.com", "employee_number": "12345", "cost_center": "Finance",
		"department": "Accounting", "manager_id": "54321",
	}, i["traits"])
	l := s.mustDo(200, "GET", s.realm("identities?filter="+url.QueryEscape(`traits.username eq "bjensen"`)), nil)
	assert.Equal(t, []string{id}, ids(t, l, "identities"))

	// PUT replaces the SCIM view: what it leaves out is cleared; the
	// identity's other traits stay.
	s.mustDo(200, "PATCH", s.realm("identities/"+id), map[string]any{"identity": map[string]any{"traits": map[string]any{"type": "traits_v0", "locale": "en-US", "manager_name": "Jane"}}})
	time.Sleep(2 * time.Millisecond)
	r := s.scimMust(200, "PUT", base+"/"+id, map[string]any{
		"schemas": []string{scimUserSchema}, "id": "ignored", "userName": "bjensen2", "displayName": "Barbara", "active": false,
		"emails": []any{map[string]any{"value": "b@example.com", "primary": true}},
	})
	assert.Equal(t, "bjensen2", r["userName"])
	assert.Equal(t, false, r["active"])
	assert.NotContains(t, r, "externalId")
	assert.NotContains(t, r, "name")
	assert.Equal(t, map[string]any{"manager": map[string]any{"displayName": "Jane"}}, r[scimEnterpriseSchema], "manager.displayName is the manager_name trait")
	assert.NotEqual(t, meta["lastModified"], r["meta"].(map[string]any)["lastModified"])
	i = s.mustDo(200, "GET", s.realm("identities/"+id), nil)
	assert.Equal(t, "suspended", i["status"])
	assert.Equal(t, map[string]any{"type": "traits_v0", "username": "bjensen2", "primary_email_address": "b@example.com", "locale": "en-US", "manager_name": "Jane"}, i["traits"])
	assert.Empty(t, ids(t, s.mustDo(200, "GET", s.realm("identities?filter="+url.QueryEscape(`traits.username eq "bjensen"`)), nil), "identities"))

	// Delete: 204, then 404 in the SCIM shape, and the identity is gone.
	st, m, _ = s.scim("DELETE", base+"/"+id, nil)
	assert.Equal(t, 204, st)
	assert.Nil(t, m)
	for _, method := range []string{"GET", "DELETE", "PUT", "PATCH"} {
		var body any = bjensen()
		if method == "PATCH" {
			body = map[string]any{"schemas": []string{scimPatchSchema}, "Operations": []any{map[string]any{"op": "replace", "path": "active", "value": true}}}
		}
		m := s.scimMust(404, method, base+"/"+id, body)
		assert.Equal(t, "Resource "+id+" not found.", scimErrorOf(t, m, 404, ""), method)
	}
	s.mustDo(404, "GET", s.realm("identities/"+id), nil)
}

// TestIdentityIsSCIMUser: an identity created through the v1 API is a SCIM
// user, seen through the mapping.
func TestIdentityIsSCIMUser(t *testing.T) {
	s := newServer(t, Config{})
	id := s.mustDo(200, "POST", s.realm("identities"), identityBody("Ada Lovelace", map[string]any{
		"type": "traits_v0", "username": "ada", "primary_email_address": "ada@example.com", "given_name": "Ada",
		"organization": "Analytical", "title": "Countess",
	}))["id"].(string)
	s.mustDo(200, "PATCH", s.realm("identities/"+id), map[string]any{"identity": map[string]any{"status": "suspended"}})
	m := s.scimMust(200, "GET", s.realm("scim/v2/Users/"+id), nil)
	i := s.mustDo(200, "GET", s.realm("identities/"+id), nil)
	assert.Equal(t, map[string]any{
		"schemas": []any{scimUserSchema, scimEnterpriseSchema}, "id": id, "userName": "ada", "displayName": "Ada Lovelace",
		"name": map[string]any{"givenName": "Ada"}, "active": false,
		"emails":             []any{map[string]any{"value": "ada@example.com", "primary": true}},
		scimEnterpriseSchema: map[string]any{"organization": "Analytical"},
		"meta":               map[string]any{"resourceType": "User", "created": i["create_time"], "lastModified": i["update_time"], "location": "Users/" + id, "version": "W/0"},
	}, m)
	l := s.scimMust(200, "GET", s.realm("scim/v2/Users?count=10"), nil)
	assert.EqualValues(t, 1, l["totalResults"])
	assert.Equal(t, []any{m}, l["Resources"])

	// Deleting the identity deletes the user.
	s.mustDo(200, "DELETE", s.realm("identities/"+id), nil)
	s.scimMust(404, "GET", s.realm("scim/v2/Users/"+id), nil)
}

// TestSCIMPatchUser: each operation changes what it says and nothing else.
func TestSCIMPatchUser(t *testing.T) {
	s := newServer(t, Config{})
	base := s.realm("scim/v2/Users")
	id := s.scimMust(201, "POST", base, bjensen())["id"].(string)
	s.mustDo(200, "PATCH", s.realm("identities/"+id), map[string]any{"identity": map[string]any{"traits": map[string]any{"type": "traits_v0", "locale": "en-US"}}})
	patch := func(ops ...map[string]any) map[string]any {
		return map[string]any{"schemas": []string{scimPatchSchema}, "Operations": ops}
	}
	op := func(op, path string, value any) map[string]any {
		m := map[string]any{"op": op, "value": value}
		if path != "" {
			m["path"] = path
		}
		return m
	}
	identity := func() map[string]any { return s.mustDo(200, "GET", s.realm("identities/"+id), nil) }

	for name, tc := range map[string]struct {
		body any
		// change applies the expected change to the identity's JSON.
		change func(i, traits map[string]any)
	}{
		"replace displayName": {patch(op("replace", "displayName", "Babs")), func(i, _ map[string]any) { i["display_name"] = "Babs" }},
		"add userName":        {patch(op("Add", "userName", "babs")), func(_, tr map[string]any) { tr["username"] = "babs" }},
		"active string":       {patch(op("Replace", "active", "False")), func(i, _ map[string]any) { i["status"] = "suspended" }},
		"active":              {patch(op("replace", "active", true)), func(i, _ map[string]any) { i["status"] = "active" }},
		"givenName":           {patch(op("replace", "name.givenName", "Barb")), func(_, tr map[string]any) { tr["given_name"] = "Barb" }},
		"name object":         {patch(op("replace", "name", map[string]any{"familyName": "Jensen-Smith"})), func(_, tr map[string]any) { tr["family_name"] = "Jensen-Smith" }},
		"externalId null":     {patch(op("replace", "externalId", nil)), func(_, tr map[string]any) { delete(tr, "external_id") }},
		"primary email": {patch(op("replace", `emails[primary eq true].value`, "new@example.com")), func(_, tr map[string]any) {
			tr["primary_email_address"] = "new@example.com"
		}},
		"emails array": {patch(op("add", "emails", []any{map[string]any{"value": "x@example.com"}, map[string]any{"value": "p@example.com", "primary": true}})), func(_, tr map[string]any) {
			tr["primary_email_address"] = "p@example.com"
		}},
		"non-primary email ignored": {patch(op("add", "emails", []any{map[string]any{"value": "x@example.com"}})), func(_, _ map[string]any) {}},
		"enterprise path":           {patch(op("replace", scimEnterpriseSchema+":department", "Sales")), func(_, tr map[string]any) { tr["department"] = "Sales" }},
		"enterprise manager": {patch(op("replace", scimEnterpriseSchema+":manager", map[string]any{"value": "99"})), func(_, tr map[string]any) {
			tr["manager_id"] = "99"
		}},
		"no path": {patch(op("replace", "", map[string]any{"displayName": "B J", "name.familyName": "J", "title": "ignored", scimEnterpriseSchema: map[string]any{"division": "West"}})), func(i, tr map[string]any) {
			i["display_name"] = "B J"
			tr["family_name"] = "J"
			tr["division"] = "West"
		}},
		"core URN path":  {patch(op("replace", scimUserSchema+":displayName", "Core")), func(i, _ map[string]any) { i["display_name"] = "Core" }},
		"read-only ones": {patch(op("replace", "id", "x"), op("replace", "meta", map[string]any{}), op("add", "phoneNumbers", []any{})), func(_, _ map[string]any) {}},
		"several": {patch(op("replace", "displayName", "One"), op("replace", "displayName", "Two"), op("add", "externalId", "e2")), func(i, tr map[string]any) {
			i["display_name"] = "Two"
			tr["external_id"] = "e2"
		}},
	} {
		t.Run(name, func(t *testing.T) {
			before := identity()
			m := s.scimMust(200, "PATCH", base+"/"+id, tc.body)
			after := identity()
			want := before
			want["traits"] = cloneMap(before["traits"].(map[string]any))
			tc.change(want, want["traits"].(map[string]any))
			want["update_time"] = after["update_time"]
			assert.Equal(t, want, after)
			assert.Equal(t, s.scimMust(200, "GET", base+"/"+id, nil), m)
		})
	}

	// Refused operations change nothing, even after operations that would
	// have applied.
	other := s.scimMust(201, "POST", base, map[string]any{"schemas": []string{scimUserSchema}, "userName": "taken", "displayName": "T"})
	before := identity()
	for name, tc := range map[string]struct {
		body            any
		status          int
		scimType, extra string
	}{
		"remove":           {patch(op("replace", "displayName", "x"), map[string]any{"op": "remove", "path": "externalId"}), 400, "invalidValue", `only "add" and "replace" operations are supported for users`},
		"unknown op":       {patch(op("move", "displayName", "x")), 400, "invalidSyntax", "op must be add, replace or remove"},
		"no value":         {patch(map[string]any{"op": "replace", "path": "displayName"}), 400, "invalidValue", "replace needs a value"},
		"empty name":       {patch(op("replace", "displayName", "")), 400, "invalidValue", "displayName is required"},
		"long name":        {patch(op("replace", "userName", strings.Repeat("u", 65))), 400, "invalidValue", "userName must be at most 64 characters"},
		"not a string":     {patch(op("replace", "displayName", 7)), 400, "invalidValue", "displayname must be a string"},
		"active":           {patch(op("replace", "active", "maybe")), 400, "invalidValue", "active must be a boolean"},
		"taken":            {patch(op("replace", "displayName", "x"), op("replace", "userName", "TAKEN")), 409, "uniqueness", "userName already exists"},
		"bad filter":       {patch(op("replace", `emails[type eq "work"].value`, "w@example.com")), 400, "invalidPath", `unsupported path emails[type eq "work"].value`},
		"no schemas":       {map[string]any{"Operations": []any{op("replace", "displayName", "x")}}, 400, "invalidSyntax", `schemas must be an array that holds "` + scimPatchSchema + `"`},
		"no operations":    {patch(), 400, "invalidSyntax", "Operations must be an array of 1 or more operations"},
		"no-path non-obj":  {patch(op("replace", "", "x")), 400, "invalidValue", "value must be an object"},
		"not JSON":         {`{"schemas":`, 400, "invalidSyntax", "request body must be a JSON object"},
		"empty path":       {patch(op("replace", " ", "x")), 400, "invalidPath", "path must be a non-empty string"},
		"emails not array": {patch(op("add", "emails", "x@example.com")), 400, "invalidValue", "emails must be an array of objects"},
	} {
		t.Run(name, func(t *testing.T) {
			m := s.scimMust(tc.status, "PATCH", base+"/"+id, tc.body)
			assert.Equal(t, tc.extra, scimErrorOf(t, m, tc.status, tc.scimType))
			assert.Equal(t, before, identity())
		})
	}
	s.scimMust(404, "PATCH", base+"/ffffffffffffffff", patch(op("replace", "displayName", "x")))
	s.scimMust(200, "PATCH", base+"/"+other["id"].(string), patch(op("replace", "userName", "Taken")))
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestSCIMUserValidation(t *testing.T) {
	s := newServer(t, Config{})
	base := s.realm("scim/v2/Users")
	s.scimMust(201, "POST", base, bjensen())
	without := func(key string) map[string]any {
		u := bjensen()
		u["userName"] = "other"
		delete(u, key)
		return u
	}
	with := func(key string, v any) map[string]any {
		u := bjensen()
		u["userName"] = "other"
		u[key] = v
		return u
	}
	for name, tc := range map[string]struct {
		body            any
		status          int
		scimType, extra string
	}{
		"wrapped":         {map[string]any{"user": bjensen()}, 400, "invalidSyntax", `the body is the SCIM resource itself (RFC 7644 §3.3), not wrapped in {"user": …}`},
		"no schemas":      {without("schemas"), 400, "invalidSyntax", `schemas must be an array that holds "` + scimUserSchema + `"`},
		"group schema":    {with("schemas", []string{scimGroupSchema}), 400, "invalidSyntax", `schemas must hold "` + scimUserSchema + `"`},
		"no userName":     {without("userName"), 400, "invalidValue", "userName is required"},
		"no displayName":  {without("displayName"), 400, "invalidValue", "displayName is required"},
		"pattern":         {with("displayName", "a/b"), 400, "invalidValue", "displayName must not contain any of " + forbiddenNameChars},
		"duplicate":       {with("userName", "BJensen"), 409, "uniqueness", "userName already exists"},
		"name not object": {with("name", "Barbara"), 400, "invalidValue", "name must be an object"},
		"not JSON":        {"[1]", 400, "invalidSyntax", "request body must be a JSON object"},
	} {
		t.Run(name, func(t *testing.T) {
			m := s.scimMust(tc.status, "POST", base, tc.body)
			assert.Equal(t, tc.extra, scimErrorOf(t, m, tc.status, tc.scimType))
		})
	}
	// application/json is taken too; other media types are not.
	req := mustRequest(t, "POST", s.url+base, `{"schemas":["`+scimUserSchema+`"],"userName":"json","displayName":"J"}`, "application/json", s.token)
	st, _ := s.sendSCIM(req)
	assert.Equal(t, 201, st)
	req = mustRequest(t, "POST", s.url+base, `{}`, "text/plain", s.token)
	st, m := s.sendSCIM(req)
	assert.Equal(t, 415, st)
	scimErrorOf(t, m, 415, "")
	assert.EqualValues(t, 2, s.scimMust(200, "GET", base, nil)["totalResults"])
}

// sendSCIM sends a request and decodes a SCIM answer.
func (s *tserver) sendSCIM(req *http.Request) (int, map[string]any) {
	s.t.Helper()
	resp, err := s.hc.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	var m map[string]any
	b, _ := io.ReadAll(resp.Body)
	if len(b) > 0 {
		require.Equal(s.t, "application/scim+json", resp.Header.Get("Content-Type"))
		require.NoError(s.t, json.Unmarshal(b, &m))
	}
	return resp.StatusCode, m
}

func TestSCIMListUsersPaging(t *testing.T) {
	s := newServer(t, Config{})
	const n = 260
	var all []string
	for i := range n {
		u := map[string]any{"schemas": []string{scimUserSchema}, "userName": fmt.Sprintf("user%03d", i), "displayName": fmt.Sprintf("User %d", i)}
		if i%10 == 0 {
			u["externalId"] = fmt.Sprintf("ext-%d", i/10)
		}
		all = append(all, s.scimMust(201, "POST", s.realm("scim/v2/Users"), u)["id"].(string))
	}
	base := s.realm("scim/v2/Users")
	list := func(query string) map[string]any { return s.scimMust(200, "GET", base+"?"+query, nil) }
	resources := func(m map[string]any) []string {
		var out []string
		for _, r := range m["Resources"].([]any) {
			out = append(out, r.(map[string]any)["id"].(string))
		}
		return out
	}

	// Walk to the end with startIndex and count.
	var got []string
	for start := 1; ; {
		m := list(fmt.Sprintf("startIndex=%d&count=100", start))
		assert.Equal(t, []any{scimListSchema}, m["schemas"])
		assert.EqualValues(t, n, m["totalResults"])
		assert.EqualValues(t, start, m["startIndex"])
		page := resources(m)
		assert.EqualValues(t, len(page), m["itemsPerPage"])
		got = append(got, page...)
		if len(page) < 100 {
			assert.Len(t, page, 60)
			break
		}
		start += len(page)
	}
	assert.Equal(t, all, got)

	// The defaults and the bounds.
	m := list("")
	assert.Equal(t, map[string]any{"schemas": []any{scimListSchema}, "totalResults": float64(n), "startIndex": float64(1), "itemsPerPage": float64(0), "Resources": []any{}}, m,
		"no count: no resources")
	assert.Empty(t, resources(list("count=-5")))
	m = list("count=5000")
	assert.Len(t, resources(m), n)
	m = list("startIndex=0&count=2")
	assert.EqualValues(t, 1, m["startIndex"])
	assert.Equal(t, all[:2], resources(m))
	m = list("startIndex=259&count=10")
	assert.Equal(t, all[258:], resources(m))
	m = list("startIndex=1000&count=10")
	assert.Empty(t, resources(m))
	assert.EqualValues(t, n, m["totalResults"])

	// Filters.
	f := func(expr string) string { return "count=1000&filter=" + url.QueryEscape(expr) }
	m = list(f(`userName eq "USER007"`))
	assert.Equal(t, []string{all[7]}, resources(m), "userName compares case-insensitively")
	assert.EqualValues(t, 1, m["totalResults"])
	assert.Equal(t, []string{all[20]}, resources(list(f(`externalId eq "ext-2"`))))
	assert.Empty(t, resources(list(f(`externalId eq "EXT-2"`))), "externalId is case-exact")
	assert.Len(t, resources(list(f(`userName ne "user001"`))), n-1)
	assert.Len(t, resources(list(f(`externalid NE "ext-0"`))), n-1)
	assert.Empty(t, resources(list(f(`userName eq "nobody"`))))
	for _, bad := range []string{`displayName eq "User 1"`, `userName co "user"`, `userName eq user001`, `userName eq "a" and externalId eq "b"`} {
		m := s.scimMust(400, "GET", base+"?"+f(bad), nil)
		assert.Equal(t, `unsupported filter: the supported form is <attribute> eq|ne "<value>" on username, externalid`, scimErrorOf(t, m, 400, "invalidFilter"), bad)
	}
	m = s.scimMust(400, "GET", base+"?count=ten", nil)
	assert.Equal(t, "count must be an integer", scimErrorOf(t, m, 400, "invalidValue"))
}

func TestSCIMGroups(t *testing.T) {
	s := newServer(t, Config{})
	coll := s.realm("scim/v2/Groups/")
	a, b, c := s.createIdentity("a", ""), s.createIdentity("b", ""), s.createIdentity("c", "")

	st, m, h := s.scim("POST", coll, map[string]any{
		"schemas": []string{scimGroupSchema}, "id": "ignored", "displayName": "Help Desk",
		"members": []any{map[string]any{"value": a, "type": "User"}},
	})
	require.Equal(t, 201, st, "%v", m)
	id := m["id"].(string)
	assert.Equal(t, s.url+s.realm("scim/v2/Groups/"+id), h.Get("Location"))
	meta := m["meta"].(map[string]any)
	assert.Equal(t, map[string]any{
		"schemas": []any{scimGroupSchema}, "id": id, "displayName": "Help Desk",
		"meta": map[string]any{"resourceType": "Group", "created": meta["created"], "lastModified": meta["created"], "location": "Groups/" + id, "version": "W/0"},
	}, m, "members are not returned")
	assert.Equal(t, m, s.scimMust(200, "GET", s.realm("scim/v2/Groups/"+id), nil))

	// The SCIM group is a group; its members are the group's members.
	g := s.mustDo(200, "GET", s.realm("groups/"+id), nil)
	assert.Equal(t, "Help Desk", g["display_name"])
	members := func() []string {
		return ids(t, s.mustDo(200, "GET", s.realm("groups/"+id+":listMembers"), nil), "identities")
	}
	assert.Equal(t, []string{a}, members())

	p := s.realm("scim/v2/Groups/" + id)
	patch := func(ops ...any) map[string]any {
		return map[string]any{"schemas": []string{scimPatchSchema}, "Operations": ops}
	}
	// Add several members; remove one by filter and one by value; a v1
	// member is a SCIM member.
	s.mustDo(200, "POST", s.realm("groups/"+id+":addMembers"), map[string]any{"identity_ids": []string{c}})
	r := s.scimMust(200, "PATCH", p, patch(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": b}, map[string]any{"value": a}}}))
	assert.Equal(t, m, r, "membership is not returned, nor is the update time changed")
	assert.Equal(t, []string{a, c, b}, members())
	s.scimMust(200, "PATCH", p, patch(map[string]any{"op": "remove", "path": `members[value eq "` + c + `"]`}))
	assert.Equal(t, []string{a, b}, members())
	s.scimMust(200, "PATCH", p, patch(map[string]any{"op": "Remove", "path": "members", "value": []any{map[string]any{"value": a}}}))
	assert.Equal(t, []string{b}, members())
	s.scimMust(200, "PATCH", p, patch(map[string]any{"op": "remove", "path": `members[value eq "` + a + `"]`}))
	assert.Equal(t, []string{b}, members(), "removing a non-member changes nothing")
	s.scimMust(200, "PATCH", p, patch(map[string]any{"op": "add", "value": map[string]any{"members": []any{map[string]any{"value": c}}}}))
	assert.Equal(t, []string{b, c}, members())
	assert.Equal(t, []string{id}, ids(t, s.mustDo(200, "GET", s.realm("identities/"+c+":listGroups"), nil), "groups"))

	// Rename.
	time.Sleep(2 * time.Millisecond)
	r = s.scimMust(200, "PATCH", p, patch(map[string]any{"op": "replace", "path": "displayName", "value": "Service Desk"}))
	assert.Equal(t, "Service Desk", r["displayName"])
	assert.NotEqual(t, meta["lastModified"], r["meta"].(map[string]any)["lastModified"])
	r = s.scimMust(200, "PATCH", p, patch(map[string]any{"op": "replace", "value": map[string]any{"displayName": "Desk", "id": "ignored"}}))
	assert.Equal(t, "Desk", r["displayName"])
	g = s.mustDo(200, "GET", s.realm("groups/"+id), nil)
	assert.Equal(t, "Desk", g["display_name"])

	// Refused: all or nothing.
	other := s.scimMust(201, "POST", s.realm("scim/v2/Groups"), map[string]any{"schemas": []string{scimGroupSchema}, "displayName": "Other"})
	for name, tc := range map[string]struct {
		body            any
		status          int
		scimType, extra string
	}{
		"batch remove": {patch(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": a}}},
			map[string]any{"op": "remove", "path": "members", "value": []any{map[string]any{"value": b}, map[string]any{"value": c}}}),
			400, "invalidValue", "batch remove is not supported: remove one member at a time"},
		"remove all":      {patch(map[string]any{"op": "remove", "path": "members"}), 400, "invalidValue", "batch remove is not supported: remove one member at a time"},
		"both in one":     {patch(map[string]any{"op": "replace", "value": map[string]any{"displayName": "X", "members": []any{}}}), 400, "invalidValue", "one operation cannot change both a group and its members: send two"},
		"replace members": {patch(map[string]any{"op": "replace", "path": "members", "value": []any{}}), 400, "invalidValue", `members support "add" and "remove", not "replace"`},
		"unknown member":  {patch(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": "ffffffffffffffff"}}}), 400, "invalidValue", "no user ffffffffffffffff"},
		"group member":    {patch(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": a, "type": "Group"}}}), 400, "invalidValue", "members must be users"},
		"name taken":      {patch(map[string]any{"op": "replace", "path": "displayName", "value": "OTHER"}), 409, "uniqueness", "displayName already exists"},
		"empty name":      {patch(map[string]any{"op": "replace", "path": "displayName", "value": ""}), 400, "invalidValue", "displayName is required"},
		"remove name":     {patch(map[string]any{"op": "remove", "path": "displayName"}), 400, "invalidValue", "displayName is required and cannot be removed"},
		"bad filter":      {patch(map[string]any{"op": "remove", "path": `members[display eq "x"]`}), 400, "invalidPath", `unsupported path: the member filter is members[value eq "<id>"]`},
		"remove no path":  {patch(map[string]any{"op": "remove"}), 400, "noTarget", "remove needs a path"},
	} {
		t.Run(name, func(t *testing.T) {
			m := s.scimMust(tc.status, "PATCH", p, tc.body)
			assert.Equal(t, tc.extra, scimErrorOf(t, m, tc.status, tc.scimType))
			assert.Equal(t, []string{b, c}, members())
			assert.Equal(t, "Desk", s.mustDo(200, "GET", s.realm("groups/"+id), nil)["display_name"])
		})
	}

	// Lists and filters, on both collection paths.
	for _, path := range []string{"scim/v2/Groups/", "scim/v2/Groups"} {
		l := s.scimMust(200, "GET", s.realm(path+"?count=10"), nil)
		assert.EqualValues(t, 2, l["totalResults"])
		assert.Len(t, l["Resources"], 2)
		l = s.scimMust(200, "GET", s.realm(path+"?count=10&filter="+url.QueryEscape(`displayName eq "desk"`)), nil)
		assert.Equal(t, []any{s.scimMust(200, "GET", p, nil)}, l["Resources"])
		l = s.scimMust(200, "GET", s.realm(path+"?count=10&filter="+url.QueryEscape(`displayName ne "desk"`)), nil)
		assert.Equal(t, []any{other}, l["Resources"])
		l = s.scimMust(400, "GET", s.realm(path+"?filter="+url.QueryEscape(`userName eq "desk"`)), nil)
		scimErrorOf(t, l, 400, "invalidFilter")
	}

	// Create refusals.
	for name, tc := range map[string]struct {
		body            any
		status          int
		scimType, extra string
	}{
		"wrapped":      {map[string]any{"group": map[string]any{"displayName": "x"}}, 400, "invalidSyntax", `the body is the SCIM resource itself (RFC 7644 §3.3), not wrapped in {"group": …}`},
		"no name":      {map[string]any{"schemas": []string{scimGroupSchema}}, 400, "invalidValue", "displayName is required"},
		"taken":        {map[string]any{"schemas": []string{scimGroupSchema}, "displayName": "desk"}, 409, "uniqueness", "displayName already exists"},
		"bad member":   {map[string]any{"schemas": []string{scimGroupSchema}, "displayName": "new", "members": []any{map[string]any{"value": "nobody"}}}, 400, "invalidValue", "no user nobody"},
		"user schemas": {map[string]any{"schemas": []string{scimUserSchema}, "displayName": "new"}, 400, "invalidSyntax", `schemas must hold "` + scimGroupSchema + `"`},
	} {
		t.Run(name, func(t *testing.T) {
			m := s.scimMust(tc.status, "POST", coll, tc.body)
			assert.Equal(t, tc.extra, scimErrorOf(t, m, tc.status, tc.scimType))
		})
	}

	// Delete: a group with members goes (SCIM declares no 409); 404 after.
	st, m, _ = s.scim("DELETE", p, nil)
	assert.Equal(t, 204, st)
	assert.Nil(t, m)
	s.mustDo(404, "GET", s.realm("groups/"+id), nil)
	assert.Empty(t, ids(t, s.mustDo(200, "GET", s.realm("identities/"+b+":listGroups"), nil), "groups"))
	for _, method := range []string{"GET", "PATCH", "DELETE"} {
		m := s.scimMust(404, method, p, patch(map[string]any{"op": "add", "path": "members", "value": []any{}}))
		assert.Equal(t, "Resource "+id+" not found.", scimErrorOf(t, m, 404, ""))
	}
	// A v1 group is a SCIM group.
	v1 := s.createGroup("From v1")
	assert.Equal(t, "From v1", s.scimMust(200, "GET", s.realm("scim/v2/Groups/"+v1), nil)["displayName"])
}

// TestSCIMErrorShapes: every SCIM path answers errors in the SCIM shape,
// authentication and routing errors included.
func TestSCIMErrorShapes(t *testing.T) {
	s := newServer(t, Config{})
	users := s.realm("scim/v2/Users")

	st, m, _ := s.scimToken("", "GET", users, nil)
	assert.Equal(t, 401, st)
	assert.Equal(t, "The authorization header is invalid or missing.", scimErrorOf(t, m, 401, "unauthorized"))
	tok := s.fetchToken(url.Values{"scope": {"identities:read"}})
	st, m, _ = s.scimToken(tok, "GET", users, nil)
	assert.Equal(t, 403, st)
	assert.Equal(t, "token is unauthorized.", scimErrorOf(t, m, 403, "forbidden"))
	m = s.scimMust(404, "GET", s.in("ffffffffffffffff", "scim/v2/Users"), nil)
	assert.Equal(t, "Resource ffffffffffffffff not found.", scimErrorOf(t, m, 404, ""))
	m = s.scimMust(404, "GET", s.realm("scim/v2/Widgets"), nil)
	scimErrorOf(t, m, 404, "")
	st, m, h := s.scim("DELETE", users, nil)
	assert.Equal(t, 405, st)
	assert.Equal(t, "POST, GET", h.Get("Allow"))
	scimErrorOf(t, m, 405, "")
}

func TestSCIMDiscovery(t *testing.T) {
	s := newServer(t, Config{})
	// These operations declare no scope: any token of the tenant will do.
	tok := s.fetchToken(url.Values{"scope": {"tokens:read"}})
	get := func(path string) map[string]any {
		st, m, _ := s.scimToken(tok, "GET", s.realm("scim/v2/"+path), nil)
		require.Equal(t, 200, st, "%v", m)
		return m
	}
	m := get("ResourceTypes")
	assert.EqualValues(t, 2, m["totalResults"])
	assert.EqualValues(t, 2, m["itemsPerPage"])
	assert.Equal(t, map[string]any{
		"schemas": []any{scimResourceType}, "id": "User", "name": "User", "description": "User Account", "endpoint": "/Users",
		"schema": scimUserSchema, "schemaExtensions": []any{map[string]any{"schema": scimEnterpriseSchema, "required": false}},
	}, m["Resources"].([]any)[0])
	assert.Equal(t, "/Groups", m["Resources"].([]any)[1].(map[string]any)["endpoint"])

	m = get("Schemas")
	var schemaIDs []string
	for _, r := range m["Resources"].([]any) {
		doc := r.(map[string]any)
		schemaIDs = append(schemaIDs, doc["id"].(string))
		for _, a := range doc["attributes"].([]any) {
			attr := a.(map[string]any)
			for _, k := range []string{"name", "type", "multiValued", "description", "required", "mutability", "returned"} {
				assert.Contains(t, attr, k, "%s %v", doc["id"], attr["name"])
			}
		}
	}
	assert.Equal(t, []string{scimUserSchema, scimGroupSchema, scimEnterpriseSchema}, schemaIDs)

	m = get("ServiceProviderConfig")
	assert.Equal(t, []any{scimSPConfigSchema}, m["schemas"])
	assert.Equal(t, map[string]any{"supported": true}, m["patch"])
	assert.Equal(t, map[string]any{"supported": true, "maxResults": float64(1000)}, m["filter"])
	assert.Equal(t, false, m["bulk"].(map[string]any)["supported"])
	assert.Equal(t, "oauthbearertoken", m["authenticationSchemes"].([]any)[0].(map[string]any)["type"])

	st, r, _ := s.scim("GET", s.realm("scim/v2/Schemas?filter="+url.QueryEscape(`id eq "x"`)), nil)
	assert.Equal(t, 403, st)
	scimErrorOf(t, r, 403, "")
	st, _, _ = s.scimToken("", "GET", s.realm("scim/v2/ServiceProviderConfig"), nil)
	assert.Equal(t, 401, st)
}

// TestSCIMRateLimit: off by default; with Config.SCIMRateLimit, SCIM
// answers carry the RateLimit headers and a call past the limit is
// answered 429 until the window ends. Other operations are not limited.
func TestSCIMRateLimit(t *testing.T) {
	t.Run("off by default", func(t *testing.T) {
		s := newServer(t, Config{})
		for range 40 {
			_, _, h := s.scim("GET", s.realm("scim/v2/Users"), nil)
			assert.Empty(t, h.Get("RateLimit-Limit"))
			assert.Empty(t, h.Get("RateLimit-Remaining"))
		}
	})
	synctest.Test(t, func(t *testing.T) {
		s := newMemServer(t, Config{SCIMRateLimit: 3, SCIMRateWindow: 30 * time.Second})
		users := s.realm("scim/v2/Users")
		for i := range 3 {
			st, _, h := s.scim("GET", users, nil)
			require.Equal(t, 200, st)
			assert.Equal(t, "3", h.Get("RateLimit-Limit"))
			assert.Equal(t, fmt.Sprint(2-i), h.Get("RateLimit-Remaining"))
			assert.Equal(t, fmt.Sprint(30-i), h.Get("RateLimit-Reset"), "seconds until the window ends")
			time.Sleep(time.Second)
		}
		// Past the limit: 429 with the headers, on every SCIM path; the
		// v1 API is not limited, nor are failed authentications counted.
		for _, path := range []string{users, s.realm("scim/v2/Groups/"), s.realm("scim/v2/ServiceProviderConfig")} {
			st, m, h := s.scim("GET", path, nil)
			require.Equal(t, 429, st, path)
			assert.Equal(t, "rate limit exceeded: 3 calls per 30 seconds", scimErrorOf(t, m, 429, ""))
			assert.Equal(t, "3", h.Get("RateLimit-Limit"))
			assert.Equal(t, "0", h.Get("RateLimit-Remaining"))
			assert.Equal(t, "27", h.Get("RateLimit-Reset"))
			assert.Empty(t, h.Get("Retry-After"))
		}
		st, _, h := s.scimToken("", "GET", users, nil)
		assert.Equal(t, 401, st)
		assert.Empty(t, h.Get("RateLimit-Limit"))
		s.mustDo(200, "GET", s.realm("identities"), nil)

		time.Sleep(27 * time.Second)
		st, _, h = s.scim("GET", users, nil)
		require.Equal(t, 200, st)
		assert.Equal(t, "2", h.Get("RateLimit-Remaining"))
		assert.Equal(t, "30", h.Get("RateLimit-Reset"))
	})
}

// TestSCIMBodyEncoding: answers keep characters as they are, like the
// rest of the API.
func TestSCIMBodyEncoding(t *testing.T) {
	s := newServer(t, Config{})
	st, b := s.raw("POST", s.realm("scim/v2/Users"), `{"schemas":["`+scimUserSchema+`"],"userName":"a&b","displayName":"é & ü"}`)
	require.Equal(t, 201, st, "%s", b)
	assert.True(t, bytes.Contains(b, []byte(`"userName":"a&b","displayName":"é & ü"`)), "%s", b)
}
