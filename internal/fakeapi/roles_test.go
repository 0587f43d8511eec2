package fakeapi

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (s *tserver) createResourceServer(identifier string, scopes ...string) string {
	s.t.Helper()
	if scopes == nil {
		scopes = []string{}
	}
	return s.mustDo(200, "POST", s.realm("resource-servers"), map[string]any{"resource_server": map[string]any{
		"display_name": "API " + identifier, "identifier": identifier, "scopes": scopes,
	}})["id"].(string)
}

// createRole creates a resource server with the scopes pets:read and
// pets:write and a role of it; it returns both IDs.
func (s *tserver) createRole(name string) (string, string) {
	s.t.Helper()
	rs := s.createResourceServer("https://"+name+".example", "pets:read", "pets:write")
	role := s.mustDo(200, "POST", s.realm("resource-servers/"+rs+"/roles"), map[string]any{"role": map[string]any{"display_name": name}})["id"].(string)
	return rs, role
}

func TestResourceServersCRUD(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("resource-servers")
	m := s.mustDo(200, "POST", p, map[string]any{"resource_server": map[string]any{
		"display_name": "Pet API", "identifier": "https://api.mypetapp.com", "scopes": []string{"pets:read", "pets:write", "pets:read"},
		"id": "ignored", "is_managed": true,
	}})
	id := m["id"].(string)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, id)
	assert.Equal(t, map[string]any{
		"id": id, "realm_id": s.seed.RealmID, "tenant_id": s.seed.TenantID, "display_name": "Pet API",
		"is_managed": false, "identifier": "https://api.mypetapp.com", "scopes": []any{"pets:read", "pets:write"},
	}, m)
	assert.Equal(t, m, s.mustDo(200, "GET", p+"/"+id, nil))

	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"resource_server": map[string]any{"display_name": "Pets"}})
	assert.Equal(t, "Pets", m["display_name"])
	assert.Equal(t, []any{"pets:read", "pets:write"}, m["scopes"], "omitted members are unchanged")
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"resource_server": map[string]any{"identifier": "https://pets.example", "scopes": []string{}}})
	assert.Equal(t, "https://pets.example", m["identifier"])
	assert.Equal(t, []any{}, m["scopes"])

	other := s.createResourceServer("https://other.example")
	m = s.mustDo(200, "GET", p, nil)
	assert.EqualValues(t, 2, m["total_size"])
	assert.Equal(t, []string{id, other}, ids(t, m, "resource_servers"))

	st, body := s.do("DELETE", p+"/"+id, nil)
	assert.Equal(t, 200, st)
	assert.Nil(t, body)
	for _, method := range []string{"GET", "DELETE"} {
		m = s.mustDo(404, method, p+"/"+id, nil)
		errorOf(t, m, "not_found", "resource server not found")
		assert.Equal(t, "ResourceServer", resourceInfoOf(t, m)["resource_type"])
	}
	s.mustDo(404, "PATCH", p+"/"+id, map[string]any{"resource_server": map[string]any{}})

	t.Run("the Management API's resource server is managed", func(t *testing.T) {
		m := s.mustDo(200, "GET", s.admin("resource-servers"), nil)
		require.EqualValues(t, 1, m["total_size"])
		rs := m["resource_servers"].([]any)[0].(map[string]any)
		assert.Equal(t, true, rs["is_managed"])
		assert.Equal(t, "beyondidentity", rs["identifier"])
		assert.Equal(t, "Beyond Identity Management API", rs["display_name"])
		assert.Len(t, rs["scopes"], len(ManagementScopes))
		mp := s.admin("resource-servers/" + rs["id"].(string))
		m = s.mustDo(403, "PATCH", mp, map[string]any{"resource_server": map[string]any{"display_name": "x"}})
		errorOf(t, m, "forbidden", "resource server is managed by Beyond Identity and may not be modified")
		s.mustDo(403, "DELETE", mp, nil)
		assert.Equal(t, rs, s.mustDo(200, "GET", mp, nil))
	})

	t.Run("validation", func(t *testing.T) {
		for name, tc := range map[string]struct {
			body any
			want map[string]string
		}{
			"no resource_server": {map[string]any{}, map[string]string{"resource_server": "missing"}},
			"nothing":            {map[string]any{"resource_server": map[string]any{}}, map[string]string{"resource_server.display_name": "empty string", "resource_server.identifier": "empty string"}},
			"reserved audience":  {map[string]any{"resource_server": map[string]any{"display_name": "x", "identifier": "beyondidentity"}}, map[string]string{"resource_server.identifier": "reserved for the Beyond Identity Management API"}},
			"bad scopes": {map[string]any{"resource_server": map[string]any{"display_name": "x", "identifier": "y", "scopes": []string{"ok", "two words", ""}}},
				map[string]string{"resource_server.scopes[1]": "must be a scope: printable ASCII without spaces, quotes or backslashes", "resource_server.scopes[2]": "must be a scope: printable ASCII without spaces, quotes or backslashes"}},
			"scopes not strings": {map[string]any{"resource_server": map[string]any{"display_name": "x", "identifier": "y", "scopes": "a b"}}, map[string]string{"resource_server.scopes": "must be an array of strings"}},
			"unknown field":      {map[string]any{"resource_server": map[string]any{"display_name": "x", "identifier": "y", "audience": "y"}}, map[string]string{"resource_server.audience": "unknown field"}},
		} {
			t.Run(name, func(t *testing.T) {
				assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "POST", p, tc.body)))
			})
		}
		m := s.mustDo(400, "PATCH", p+"/"+other, map[string]any{"resource_server": map[string]any{"identifier": ""}})
		assert.Equal(t, map[string]string{"resource_server.identifier": "empty string"}, violationsOf(t, m))
	})
}

func TestRolesCRUD(t *testing.T) {
	s := newServer(t, Config{})
	rs := s.createResourceServer("https://api.example", "pets:read")
	p := s.realm("resource-servers/" + rs + "/roles")
	m := s.mustDo(200, "POST", p, map[string]any{"role": map[string]any{
		"display_name": "Help Desk", "description": "Customer support personnel.", "resource_server_id": "ignored",
	}})
	require.Len(t, m, 8, "%v", m)
	id := m["id"].(string)
	assert.Regexp(t, `^[0-9a-f]{16}$`, id)
	assert.Equal(t, rs, m["resource_server_id"])
	assert.Equal(t, s.seed.RealmID, m["realm_id"])
	assert.Equal(t, s.seed.TenantID, m["tenant_id"])
	assert.Equal(t, "Help Desk", m["display_name"])
	assert.Equal(t, "Customer support personnel.", m["description"])
	assert.Equal(t, m["create_time"], m["update_time"])
	assert.Equal(t, m, s.mustDo(200, "GET", p+"/"+id, nil))

	time.Sleep(2 * time.Millisecond)
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"role": map[string]any{"display_name": "Support"}})
	assert.Equal(t, "Support", m["display_name"])
	assert.Equal(t, "Customer support personnel.", m["description"])
	assert.NotEqual(t, m["create_time"], m["update_time"])

	second := s.mustDo(200, "POST", p, map[string]any{"role": map[string]any{"display_name": "Support"}})["id"].(string)
	m = s.mustDo(200, "GET", p, nil)
	assert.EqualValues(t, 2, m["total_size"])
	assert.Equal(t, []string{id, second}, ids(t, m, "roles"))

	// A role is found under its own resource server only.
	other := s.createResourceServer("https://other.example")
	m = s.mustDo(404, "GET", s.realm("resource-servers/"+other+"/roles/"+id), nil)
	errorOf(t, m, "not_found", "role not found")
	assert.Equal(t, "Role", resourceInfoOf(t, m)["resource_type"])
	assert.Equal(t, map[string]any{"roles": []any{}, "total_size": float64(0)}, s.mustDo(200, "GET", s.realm("resource-servers/"+other+"/roles"), nil))
	// An unknown resource server is a 404 on every role operation.
	unknown := s.realm("resource-servers/00000000-0000-4000-8000-000000000000/roles")
	for _, rq := range []struct{ method, path string }{
		{"GET", unknown}, {"POST", unknown}, {"GET", unknown + "/" + id}, {"PATCH", unknown + "/" + id},
		{"DELETE", unknown + "/" + id}, {"GET", unknown + "/" + id + ":listMembers"}, {"GET", unknown + "/" + id + ":listScopes"},
		{"POST", unknown + "/" + id + ":addScopes"}, {"POST", unknown + "/" + id + ":addMembers"},
	} {
		body := map[string]any{"role": map[string]any{"display_name": "x"}}
		if strings.Contains(rq.path, ":add") {
			body = map[string]any{"scopes": []string{"pets:read"}, "identity_ids": []string{s.createIdentity(fmt.Sprint("u", len(rq.path), rq.method), "")}}
			if strings.HasSuffix(rq.path, "Scopes") {
				delete(body, "identity_ids")
			} else {
				delete(body, "scopes")
			}
		}
		m := s.mustDo(404, rq.method, rq.path, body)
		errorOf(t, m, "not_found", "resource server not found")
		assert.Equal(t, "ResourceServer", resourceInfoOf(t, m)["resource_type"], "%s %s", rq.method, rq.path)
	}

	t.Run("validation", func(t *testing.T) {
		for name, tc := range map[string]struct {
			body any
			want map[string]string
		}{
			// The spec's CreateRole schema names the member "group" (a
			// defect); the API takes "role".
			"group instead of role": {map[string]any{"group": map[string]any{"display_name": "x"}}, map[string]string{"group": "unknown field", "role": "missing"}},
			"no name":               {map[string]any{"role": map[string]any{}}, map[string]string{"role.display_name": "empty string"}},
			"long description":      {map[string]any{"role": map[string]any{"display_name": "x", "description": strings.Repeat("d", 301)}}, map[string]string{"role.description": "must be at most 300 characters"}},
			"unknown field":         {map[string]any{"role": map[string]any{"display_name": "x", "scopes": []string{}}}, map[string]string{"role.scopes": "unknown field"}},
		} {
			t.Run(name, func(t *testing.T) {
				assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "POST", p, tc.body)))
			})
		}
		m := s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"role": map[string]any{"display_name": "a=b"}})
		assert.Equal(t, map[string]string{"role.display_name": "must not contain any of " + forbiddenNameChars}, violationsOf(t, m))
	})

	st, body := s.do("DELETE", p+"/"+id, nil)
	assert.Equal(t, 200, st)
	assert.Nil(t, body)
	m = s.mustDo(404, "GET", p+"/"+id, nil)
	assert.Equal(t, "Role", resourceInfoOf(t, m)["resource_type"])
}

func TestRoleScopes(t *testing.T) {
	s := newServer(t, Config{})
	rs, id := s.createRole("r")
	p := s.realm("resource-servers/" + rs + "/roles/" + id)
	role := s.mustDo(200, "GET", p, nil)

	m := s.mustDo(200, "POST", p+":addScopes", map[string]any{"scopes": []string{"pets:write", "pets:read", "pets:write"}})
	assert.Equal(t, role, m, "answers the role")
	s.mustDo(200, "POST", p+":addScopes", map[string]any{"scopes": []string{"pets:read"}})
	m = s.mustDo(200, "GET", p+":listScopes", nil)
	assert.Equal(t, map[string]any{"scopes": []any{"pets:write", "pets:read"}, "total_size": float64(2)}, m)

	// Only the resource server's scopes.
	m = s.mustDo(400, "POST", p+":addScopes", map[string]any{"scopes": []string{"pets:read", "pets:admin"}})
	assert.Equal(t, map[string]string{"scopes": "not a scope of the resource server: pets:admin"}, violationsOf(t, m))
	for name, tc := range map[string]struct {
		body any
		want map[string]string
	}{
		"missing":   {map[string]any{}, map[string]string{"scopes": "missing"}},
		"empty":     {map[string]any{"scopes": []string{}}, map[string]string{"scopes": "array must hold at least 1 element"}},
		"too many":  {map[string]any{"scopes": manyIDs(1001)}, map[string]string{"scopes": "array exceeds 1000 elements"}},
		"bad scope": {map[string]any{"scopes": []string{"a b"}}, map[string]string{"scopes[0]": "must be a scope: printable ASCII without spaces, quotes or backslashes"}},
	} {
		for _, custom := range []string{":addScopes", ":deleteScopes"} {
			t.Run(name+custom, func(t *testing.T) {
				assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "POST", p+custom, tc.body)))
			})
		}
	}

	m = s.mustDo(200, "GET", p+":listScopes?page_size=1", nil)
	assert.Equal(t, []any{"pets:write"}, m["scopes"])
	m = s.mustDo(200, "GET", p+":listScopes?page_token="+url.QueryEscape(m["next_page_token"].(string)), nil)
	assert.Equal(t, []any{"pets:read"}, m["scopes"])
	assert.NotContains(t, m, "next_page_token")

	// A role with scopes cannot be deleted.
	m = s.mustDo(409, "DELETE", p, nil)
	assert.Equal(t, map[string]any{"code": "conflict", "message": "role has children"}, m)

	m = s.mustDo(200, "POST", p+":deleteScopes", map[string]any{"scopes": []string{"pets:write", "not:assigned"}})
	assert.Equal(t, role, m)
	assert.Equal(t, []any{"pets:read"}, s.mustDo(200, "GET", p+":listScopes", nil)["scopes"])

	// Scopes removed from the resource server leave its roles.
	s.mustDo(200, "PATCH", s.realm("resource-servers/"+rs), map[string]any{"resource_server": map[string]any{"scopes": []string{"pets:write"}}})
	assert.Equal(t, map[string]any{"scopes": []any{}, "total_size": float64(0)}, s.mustDo(200, "GET", p+":listScopes", nil))
	s.mustDo(200, "DELETE", p, nil)
	m = s.mustDo(404, "GET", p+":listScopes", nil)
	assert.Equal(t, "Role", resourceInfoOf(t, m)["resource_type"])
}

func TestRoleMembers(t *testing.T) {
	s := newServer(t, Config{})
	rs, id := s.createRole("r")
	p := s.realm("resource-servers/" + rs + "/roles/" + id)
	role := s.mustDo(200, "GET", p, nil)
	g1, g2 := s.createGroup("g1"), s.createGroup("g2")
	a, b := s.createIdentity("a", ""), s.createIdentity("b", "")

	m := s.mustDo(200, "POST", p+":addMembers", map[string]any{"group_ids": []string{g1}, "identity_ids": []string{a, b, a}})
	assert.Equal(t, role, m, "answers the role")
	s.mustDo(200, "POST", p+":addMembers", map[string]any{"group_ids": []string{g2, g1}})
	s.mustDo(200, "POST", p+":addMembers", map[string]any{"identity_ids": []string{b}})
	m = s.mustDo(200, "GET", p+":listMembers", nil)
	require.Len(t, m, 4, "%v", m)
	assert.Equal(t, []string{g1, g2}, ids(t, m, "groups"))
	assert.EqualValues(t, 2, m["total_groups_size"])
	assert.Equal(t, []string{a, b}, ids(t, m, "identities"))
	assert.EqualValues(t, 2, m["total_identities_size"])
	assert.Equal(t, s.mustDo(200, "GET", s.realm("groups/"+g1), nil), m["groups"].([]any)[0])
	assert.Equal(t, s.mustDo(200, "GET", s.realm("identities/"+a), nil), m["identities"].([]any)[0])

	// Unknown groups or identities: 404, nothing changes.
	m = s.mustDo(404, "POST", p+":addMembers", map[string]any{"group_ids": []string{"ffffffffffffffff"}, "identity_ids": []string{a}})
	errorOf(t, m, "not_found", "group not found")
	assert.Equal(t, "Group", resourceInfoOf(t, m)["resource_type"])
	c := s.createIdentity("c", "")
	m = s.mustDo(404, "POST", p+":addMembers", map[string]any{"group_ids": []string{g1}, "identity_ids": []string{c, "eeeeeeeeeeeeeeee"}})
	errorOf(t, m, "not_found", "identity not found")
	assert.Equal(t, "eeeeeeeeeeeeeeee", resourceInfoOf(t, m)["id"])
	assert.EqualValues(t, 2, s.mustDo(200, "GET", p+":listMembers", nil)["total_identities_size"])

	for name, tc := range map[string]struct {
		body any
		want map[string]string
	}{
		"nothing":        {map[string]any{}, map[string]string{"group_ids": "at least one group ID or identity ID is required", "identity_ids": "at least one group ID or identity ID is required"}},
		"empty groups":   {map[string]any{"group_ids": []string{}, "identity_ids": []string{a}}, map[string]string{"group_ids": "array must hold at least 1 element"}},
		"too many":       {map[string]any{"identity_ids": manyIDs(1001)}, map[string]string{"identity_ids": "array exceeds 1000 elements"}},
		"unknown member": {map[string]any{"identity_ids": []string{a}, "scopes": []string{"x"}}, map[string]string{"scopes": "unknown field"}},
	} {
		for _, custom := range []string{":addMembers", ":deleteMembers"} {
			t.Run(name+custom, func(t *testing.T) {
				assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "POST", p+custom, tc.body)))
			})
		}
	}

	// Roles of groups and identities, per resource server.
	rs2, other := s.createRole("other")
	s.mustDo(200, "POST", s.realm("resource-servers/"+rs2+"/roles/"+other+":addMembers"), map[string]any{"group_ids": []string{g1}, "identity_ids": []string{a}})
	m = s.mustDo(200, "GET", s.realm("groups/"+g1+":listRoles?resource_server_id="+rs), nil)
	assert.Equal(t, map[string]any{"roles": []any{role}, "total_size": float64(1)}, m)
	m = s.mustDo(200, "GET", s.realm("groups/"+g1+":listRoles?resource_server_id="+rs2), nil)
	assert.Equal(t, []string{other}, ids(t, m, "roles"))
	m = s.mustDo(200, "GET", s.realm("identities/"+a+":listRoles?resource_server_id="+rs), nil)
	assert.Equal(t, map[string]any{"roles": []any{role}, "total_size": float64(1)}, m)
	// Direct assignments only: c is in g1, which has the role, but c is
	// not assigned to it.
	s.mustDo(200, "POST", s.realm("groups/"+g1+":addMembers"), map[string]any{"identity_ids": []string{c}})
	m = s.mustDo(200, "GET", s.realm("identities/"+c+":listRoles?resource_server_id="+rs), nil)
	assert.Equal(t, map[string]any{"roles": []any{}, "total_size": float64(0)}, m)

	for _, base := range []string{s.realm("groups/" + g1 + ":listRoles"), s.realm("identities/" + a + ":listRoles")} {
		m = s.mustDo(400, "GET", base, nil)
		assert.Equal(t, map[string]string{"resource_server_id": "empty string"}, violationsOf(t, m))
		m = s.mustDo(400, "GET", base+"?resource_server_id=", nil)
		assert.Equal(t, map[string]string{"resource_server_id": "empty string"}, violationsOf(t, m))
		// An unknown resource server is a 409, as both operations document.
		m = s.mustDo(409, "GET", base+"?resource_server_id=00000000-0000-4000-8000-000000000000", nil)
		errorOf(t, m, "conflict", "resource server not found")
		ri := resourceInfoOf(t, m)
		assert.Equal(t, "ResourceServer", ri["resource_type"])
		assert.Equal(t, "00000000-0000-4000-8000-000000000000", ri["id"])
	}
	m = s.mustDo(404, "GET", s.realm("identities/ffffffffffffffff:listRoles?resource_server_id="+rs), nil)
	assert.Equal(t, "Identity", resourceInfoOf(t, m)["resource_type"])
	m = s.mustDo(404, "GET", s.realm("groups/ffffffffffffffff:listRoles?resource_server_id="+rs), nil)
	assert.Equal(t, "Group", resourceInfoOf(t, m)["resource_type"])

	// A role with members cannot be deleted; a deleted group leaves its
	// roles.
	m = s.mustDo(409, "DELETE", p, nil)
	assert.Equal(t, "role has children", m["message"])
	s.mustDo(200, "POST", s.realm("groups/"+g1+":deleteMembers"), map[string]any{"identity_ids": []string{c}})
	s.mustDo(200, "DELETE", s.realm("groups/"+g1), nil)
	m = s.mustDo(200, "GET", p+":listMembers", nil)
	assert.Equal(t, []string{g2}, ids(t, m, "groups"))
	assert.Equal(t, []string{}, ids(t, s.mustDo(200, "GET", s.realm("resource-servers/"+rs2+"/roles/"+other+":listMembers"), nil), "groups"))

	m = s.mustDo(200, "POST", p+":deleteMembers", map[string]any{"group_ids": []string{g2}, "identity_ids": []string{a, b, c}})
	assert.Equal(t, role, m)
	m = s.mustDo(200, "GET", p+":listMembers", nil)
	assert.Equal(t, map[string]any{"groups": []any{}, "total_groups_size": float64(0), "identities": []any{}, "total_identities_size": float64(0)}, m)
	s.mustDo(200, "DELETE", p, nil)
	assert.Empty(t, ids(t, s.mustDo(200, "GET", s.realm("identities/"+a+":listRoles?resource_server_id="+rs), nil), "roles"))

	// Deleting a resource server deletes its roles and their assignments.
	s.mustDo(200, "DELETE", s.realm("resource-servers/"+rs2), nil)
	s.mustDo(404, "GET", s.realm("resource-servers/"+rs2+"/roles/"+other), nil)
	m = s.mustDo(409, "GET", s.realm("identities/"+a+":listRoles?resource_server_id="+rs2), nil)
	assert.Equal(t, "ResourceServer", resourceInfoOf(t, m)["resource_type"])
}

// TestRoleMembersPaging: ListRoleMembers pages its groups and identities
// side by side with one page token.
func TestRoleMembersPaging(t *testing.T) {
	s := newServer(t, Config{})
	rs, id := s.createRole("r")
	p := s.realm("resource-servers/" + rs + "/roles/" + id)
	var groups []string
	for i := range 5 {
		groups = append(groups, s.createGroup(fmt.Sprint("g", i)))
	}
	idents := seedIdentities(t, s, 45)
	s.mustDo(200, "POST", p+":addMembers", map[string]any{"group_ids": groups, "identity_ids": idents})

	// Defaults: 20 of each.
	m := s.mustDo(200, "GET", p+":listMembers", nil)
	assert.Equal(t, groups, ids(t, m, "groups"))
	assert.Equal(t, idents[:20], ids(t, m, "identities"))
	assert.EqualValues(t, 5, m["total_groups_size"])
	assert.EqualValues(t, 45, m["total_identities_size"])

	var gotG, gotI []string
	tok, pages := "", 0
	for {
		q := url.Values{"groups_page_size": {"2"}, "identities_page_size": {"10"}, "groups_skip": {"1"}, "identities_skip": {"3"}}
		if tok != "" {
			q.Set("page_token", tok)
		}
		m := s.mustDo(200, "GET", p+":listMembers?"+q.Encode(), nil)
		pages++
		g, i := ids(t, m, "groups"), ids(t, m, "identities")
		assert.LessOrEqual(t, len(g), 2)
		assert.LessOrEqual(t, len(i), 10)
		gotG, gotI = append(gotG, g...), append(gotI, i...)
		next, ok := m["next_page_token"]
		if !ok {
			break
		}
		tok = next.(string)
		require.Less(t, pages, 20)
	}
	assert.Equal(t, 5, pages, "the longer list sets the number of pages")
	assert.Equal(t, groups[1:], gotG)
	assert.Equal(t, idents[3:], gotI)

	m = s.mustDo(200, "GET", p+":listMembers?groups_page_size=1&identities_page_size=1", nil)
	tok = url.QueryEscape(m["next_page_token"].(string))
	// The token keeps the sizes, which a request may override; the skips
	// must be sent again.
	m = s.mustDo(200, "GET", p+":listMembers?page_token="+tok, nil)
	assert.Equal(t, groups[1:2], ids(t, m, "groups"))
	assert.Equal(t, idents[1:2], ids(t, m, "identities"))
	m = s.mustDo(200, "GET", p+":listMembers?identities_page_size=3&page_token="+tok, nil)
	assert.Equal(t, idents[1:4], ids(t, m, "identities"))
	m = s.mustDo(400, "GET", p+":listMembers?groups_skip=1&page_token="+tok, nil)
	assert.Contains(t, violationsOf(t, m), "groups_skip")
	m = s.mustDo(400, "GET", p+":listMembers?identities_skip=1&page_token="+tok, nil)
	assert.Contains(t, violationsOf(t, m), "identities_skip")
	m = s.mustDo(400, "GET", p+":listMembers?page_token=junk", nil)
	assert.Equal(t, map[string]string{"page_token": "invalid page token"}, violationsOf(t, m))
	m = s.mustDo(400, "GET", p+":listMembers?groups_page_size=201&identities_page_size=-1", nil)
	assert.Equal(t, map[string]string{"groups_page_size": "must be at most 200", "identities_page_size": "must be a non-negative integer"}, violationsOf(t, m))
	m = s.mustDo(200, "GET", p+":listMembers?groups_skip=10&identities_skip=100", nil)
	assert.Equal(t, map[string]any{"groups": []any{}, "total_groups_size": float64(5), "identities": []any{}, "total_identities_size": float64(45)}, m)
}
