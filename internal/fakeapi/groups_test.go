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

func (s *tserver) createGroup(name string) string {
	s.t.Helper()
	return s.mustDo(200, "POST", s.realm("groups"), map[string]any{"group": map[string]any{"display_name": name}})["id"].(string)
}

// ids returns the "id" members of the objects of a list answer under key.
func ids(t *testing.T, m map[string]any, key string) []string {
	t.Helper()
	list, ok := m[key].([]any)
	require.True(t, ok, "%s is not an array: %v", key, m)
	out := []string{}
	for _, it := range list {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	return out
}

func TestGroupsCRUD(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("groups")
	m := s.mustDo(200, "POST", p, map[string]any{"group": map[string]any{
		"display_name": "Realm Administrators", "description": "A group of realm administrators.", "id": "ignored", "create_time": "2000-01-01T00:00:00Z",
	}})
	require.Len(t, m, 7, "%v", m)
	id := m["id"].(string)
	assert.Regexp(t, `^[0-9a-f]{16}$`, id)
	assert.Equal(t, s.seed.RealmID, m["realm_id"])
	assert.Equal(t, s.seed.TenantID, m["tenant_id"])
	assert.Equal(t, "Realm Administrators", m["display_name"])
	assert.Equal(t, "A group of realm administrators.", m["description"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`, m["create_time"])
	assert.Equal(t, m["create_time"], m["update_time"])
	assert.Equal(t, m, s.mustDo(200, "GET", p+"/"+id, nil))

	// The spec documents no 409: display names need not be unique.
	other := s.mustDo(200, "POST", p, map[string]any{"group": map[string]any{"display_name": "Realm Administrators"}})
	assert.NotContains(t, other, "description")

	time.Sleep(2 * time.Millisecond)
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"group": map[string]any{"display_name": "Admins"}})
	assert.Equal(t, "Admins", m["display_name"])
	assert.Equal(t, "A group of realm administrators.", m["description"], "omitted members are unchanged")
	assert.NotEqual(t, m["create_time"], m["update_time"])
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"group": map[string]any{"description": ""}})
	assert.NotContains(t, m, "description")
	assert.Equal(t, "Admins", m["display_name"])

	m = s.mustDo(200, "GET", p, nil)
	assert.EqualValues(t, 2, m["total_size"])
	assert.Equal(t, []string{id, other["id"].(string)}, ids(t, m, "groups"))

	st, body := s.do("DELETE", p+"/"+id, nil)
	assert.Equal(t, 200, st)
	assert.Nil(t, body)
	for _, method := range []string{"GET", "DELETE"} {
		m = s.mustDo(404, method, p+"/"+id, nil)
		errorOf(t, m, "not_found", "group not found")
		ri := resourceInfoOf(t, m)
		assert.Equal(t, "Group", ri["resource_type"])
		assert.Equal(t, id, ri["id"])
		assert.Equal(t, "group not found", ri["description"])
	}
	s.mustDo(404, "PATCH", p+"/"+id, map[string]any{"group": map[string]any{}})
	for _, custom := range []string{":listMembers", ":listRoles?resource_server_id=x"} {
		m = s.mustDo(404, "GET", p+"/"+id+custom, nil)
		assert.Equal(t, "Group", resourceInfoOf(t, m)["resource_type"], custom)
	}
	for _, custom := range []string{":addMembers", ":deleteMembers"} {
		m = s.mustDo(404, "POST", p+"/"+id+custom, map[string]any{"identity_ids": []string{s.createIdentity("u"+custom[1:], "")}})
		assert.Equal(t, "Group", resourceInfoOf(t, m)["resource_type"], custom)
	}
	// Groups are per realm.
	s.mustDo(404, "GET", s.admin("groups/"+other["id"].(string)), nil)
	m = s.mustDo(404, "GET", s.in("ffffffffffffffff", "groups"), nil)
	assert.Equal(t, "Realm", resourceInfoOf(t, m)["resource_type"])
	m = s.mustDo(400, "GET", p+"?filter="+url.QueryEscape(`display_name eq "Admins"`), nil)
	assert.Equal(t, map[string]string{"filter": "unsupported filter"}, violationsOf(t, m))
}

func TestGroupValidation(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("groups")
	for name, tc := range map[string]struct {
		body any
		want map[string]string
	}{
		"no group":          {map[string]any{}, map[string]string{"group": "missing"}},
		"group not object":  {map[string]any{"group": "x"}, map[string]string{"group": "must be an object"}},
		"no name":           {map[string]any{"group": map[string]any{"description": "d"}}, map[string]string{"group.display_name": "empty string"}},
		"empty name":        {map[string]any{"group": map[string]any{"display_name": ""}}, map[string]string{"group.display_name": "empty string"}},
		"long name":         {map[string]any{"group": map[string]any{"display_name": strings.Repeat("g", 65)}}, map[string]string{"group.display_name": "must be at most 64 characters"}},
		"forbidden in name": {map[string]any{"group": map[string]any{"display_name": "a|b"}}, map[string]string{"group.display_name": "must not contain any of " + forbiddenNameChars}},
		"long description":  {map[string]any{"group": map[string]any{"display_name": "g", "description": strings.Repeat("é", 301)}}, map[string]string{"group.description": "must be at most 300 characters"}},
		"forbidden in desc": {map[string]any{"group": map[string]any{"display_name": "g", "description": "50%"}}, map[string]string{"group.description": "must not contain any of " + forbiddenNameChars}},
		"unknown field":     {map[string]any{"group": map[string]any{"display_name": "g", "members": []string{}}}, map[string]string{"group.members": "unknown field"}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "POST", p, tc.body)))
		})
	}
	s.mustDo(200, "POST", p, map[string]any{"group": map[string]any{"display_name": strings.Repeat("é", 64), "description": strings.Repeat("é", 300)}})
	id := s.createGroup("g")
	m := s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"group": map[string]any{"display_name": ""}})
	assert.Equal(t, map[string]string{"group.display_name": "empty string"}, violationsOf(t, m))
	m = s.mustDo(400, "POST", p, `{"group":`)
	assert.Equal(t, map[string]any{"code": "bad_request", "message": "invalid request"}, m)
}

func TestGroupMembers(t *testing.T) {
	s := newServer(t, Config{})
	g := s.createGroup("staff")
	p := s.realm("groups/" + g)
	a, b, c := s.createIdentity("a", "a@example.com"), s.createIdentity("b", ""), s.createIdentity("c", "")
	group := s.mustDo(200, "GET", p, nil)

	// Add answers the group; a member listed twice, or added again, counts once.
	m := s.mustDo(200, "POST", p+":addMembers", map[string]any{"identity_ids": []string{a, b, a}})
	assert.Equal(t, group, m)
	s.mustDo(200, "POST", p+":addMembers", map[string]any{"identity_ids": []string{b, c}})
	m = s.mustDo(200, "GET", p+":listMembers", nil)
	assert.EqualValues(t, 3, m["total_size"])
	assert.Equal(t, []string{a, b, c}, ids(t, m, "identities"))
	member := m["identities"].([]any)[0].(map[string]any)
	assert.Equal(t, s.mustDo(200, "GET", s.realm("identities/"+a), nil), member, "members are whole identities")

	// Unknown identities: 404 naming each, nothing added.
	d := s.createIdentity("d", "")
	m = s.mustDo(404, "POST", p+":addMembers", map[string]any{"identity_ids": []string{d, "ffffffffffffffff", "eeeeeeeeeeeeeeee", "ffffffffffffffff"}})
	details := errorOf(t, m, "not_found", "identity not found")
	assert.Equal(t, []any{
		map[string]any{"type": "ResourceInfo", "resource_type": "Identity", "id": "ffffffffffffffff", "description": "identity not found"},
		map[string]any{"type": "ResourceInfo", "resource_type": "Identity", "id": "eeeeeeeeeeeeeeee", "description": "identity not found"},
	}, details)
	assert.EqualValues(t, 3, s.mustDo(200, "GET", p+":listMembers", nil)["total_size"])
	// An identity of another realm is not one of this realm's.
	adminIdn := s.mustDo(200, "POST", s.admin("identities"), identityBody("x", map[string]any{"type": "traits_v0", "username": "x"}))["id"].(string)
	m = s.mustDo(404, "POST", p+":addMembers", map[string]any{"identity_ids": []string{adminIdn}})
	assert.Equal(t, adminIdn, resourceInfoOf(t, m)["id"])

	// Delete answers the group; removing a non-member changes nothing, an
	// unknown identity is a 404.
	m = s.mustDo(200, "POST", p+":deleteMembers", map[string]any{"identity_ids": []string{b, d}})
	assert.Equal(t, group, m)
	assert.Equal(t, []string{a, c}, ids(t, s.mustDo(200, "GET", p+":listMembers", nil), "identities"))
	m = s.mustDo(404, "POST", p+":deleteMembers", map[string]any{"identity_ids": []string{a, "ffffffffffffffff"}})
	assert.Equal(t, "Identity", resourceInfoOf(t, m)["resource_type"])
	assert.Equal(t, []string{a, c}, ids(t, s.mustDo(200, "GET", p+":listMembers", nil), "identities"))

	for name, tc := range map[string]struct {
		body any
		want map[string]string
	}{
		"missing":       {map[string]any{}, map[string]string{"identity_ids": "missing"}},
		"empty":         {map[string]any{"identity_ids": []string{}}, map[string]string{"identity_ids": "array must hold at least 1 element"}},
		"too many":      {map[string]any{"identity_ids": manyIDs(1001)}, map[string]string{"identity_ids": "array exceeds 1000 elements"}},
		"not strings":   {map[string]any{"identity_ids": []int{1}}, map[string]string{"identity_ids": "must be an array of strings"}},
		"unknown field": {map[string]any{"identity_ids": []string{a}, "group_ids": []string{g}}, map[string]string{"group_ids": "unknown field"}},
	} {
		for _, custom := range []string{":addMembers", ":deleteMembers"} {
			t.Run(name+custom, func(t *testing.T) {
				assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "POST", p+custom, tc.body)))
			})
		}
	}

	// Group memberships of an identity.
	g2 := s.createGroup("others")
	s.createGroup("empty")
	s.mustDo(200, "POST", s.realm("groups/"+g2+":addMembers"), map[string]any{"identity_ids": []string{a}})
	m = s.mustDo(200, "GET", s.realm("identities/"+a+":listGroups"), nil)
	assert.EqualValues(t, 2, m["total_size"])
	assert.Equal(t, []string{g, g2}, ids(t, m, "groups"))
	assert.Equal(t, s.mustDo(200, "GET", s.realm("groups/"+g2), nil), m["groups"].([]any)[1])
	m = s.mustDo(200, "GET", s.realm("identities/"+b+":listGroups"), nil)
	assert.Equal(t, map[string]any{"groups": []any{}, "total_size": float64(0)}, m)
	m = s.mustDo(404, "GET", s.realm("identities/ffffffffffffffff:listGroups"), nil)
	errorOf(t, m, "not_found", "identity not found")
	assert.Equal(t, "Identity", resourceInfoOf(t, m)["resource_type"])

	// A group with members cannot be deleted.
	m = s.mustDo(409, "DELETE", p, nil)
	assert.Equal(t, map[string]any{"code": "conflict", "message": "group has children"}, m)
	s.mustDo(200, "POST", p+":deleteMembers", map[string]any{"identity_ids": []string{a, c}})
	s.mustDo(200, "DELETE", p, nil)
	assert.Equal(t, []string{g2}, ids(t, s.mustDo(200, "GET", s.realm("identities/"+a+":listGroups"), nil), "groups"))
}

// TestDeletingIdentitiesLeavesGroupsAndRoles: a deleted identity is no
// longer a member of its groups nor assigned to its roles.
func TestDeletingIdentitiesLeavesGroupsAndRoles(t *testing.T) {
	s := newServer(t, Config{})
	g := s.createGroup("g")
	rs, role := s.createRole("r")
	rp := s.realm("resource-servers/" + rs + "/roles/" + role)
	a, b, c := s.createIdentity("a", ""), s.createIdentity("b", ""), s.createIdentity("c", "")
	s.mustDo(200, "POST", s.realm("groups/"+g+":addMembers"), map[string]any{"identity_ids": []string{a, b, c}})
	s.mustDo(200, "POST", rp+":addMembers", map[string]any{"identity_ids": []string{a, b, c}, "group_ids": []string{g}})

	s.mustDo(200, "DELETE", s.realm("identities/"+a), nil)
	s.mustDo(200, "POST", s.realm("identities:batchDelete"), map[string]any{"ids": []string{c}})
	assert.Equal(t, []string{b}, ids(t, s.mustDo(200, "GET", s.realm("groups/"+g+":listMembers"), nil), "identities"))
	m := s.mustDo(200, "GET", rp+":listMembers", nil)
	assert.Equal(t, []string{b}, ids(t, m, "identities"))
	assert.EqualValues(t, 1, m["total_identities_size"])
	assert.Equal(t, []string{g}, ids(t, m, "groups"))

	// A new identity is not a member of anything, even under a reused name.
	a2 := s.createIdentity("a", "")
	assert.Empty(t, ids(t, s.mustDo(200, "GET", s.realm("identities/"+a2+":listGroups"), nil), "groups"))
	assert.Empty(t, ids(t, s.mustDo(200, "GET", s.realm("identities/"+a2+":listRoles?resource_server_id="+rs), nil), "roles"))
}

func TestPaginationOverThousandGroupsAndMembers(t *testing.T) {
	s := newServer(t, Config{})
	const n = 1000
	groups := make([]string, n)
	for i := range groups {
		groups[i] = s.createGroup(fmt.Sprintf("group%04d", i))
	}
	members := seedIdentities(t, s, n)
	g := groups[500]
	// 1000 identities in one request: the most the operation takes.
	s.mustDo(200, "POST", s.realm("groups/"+g+":addMembers"), map[string]any{"identity_ids": members})
	// One identity in every group.
	who := members[7]
	for _, gid := range groups {
		s.mustDo(200, "POST", s.realm("groups/"+gid+":addMembers"), map[string]any{"identity_ids": []string{who}})
	}

	walk := func(t *testing.T, base, key string, pageSize int) ([]string, int) {
		t.Helper()
		var got []string
		tok, pages := "", 0
		for {
			q := url.Values{}
			if pageSize > 0 {
				q.Set("page_size", fmt.Sprint(pageSize))
			}
			if tok != "" {
				q.Set("page_token", tok)
			}
			m := s.mustDo(200, "GET", base+"?"+q.Encode(), nil)
			pages++
			assert.EqualValues(t, n, m["total_size"])
			page := ids(t, m, key)
			want := pageSize
			if want == 0 {
				want = 20
			}
			assert.LessOrEqual(t, len(page), want)
			got = append(got, page...)
			next, ok := m["next_page_token"]
			if !ok {
				return got, pages
			}
			tok = next.(string)
			require.NotEmpty(t, tok)
			require.Less(t, pages, 100)
		}
	}
	t.Run("groups", func(t *testing.T) {
		got, pages := walk(t, s.realm("groups"), "groups", 200)
		assert.Equal(t, 5, pages)
		assert.Equal(t, groups, got)
		got, pages = walk(t, s.realm("groups"), "groups", 0)
		assert.Equal(t, 50, pages, "20 per page by default")
		assert.Equal(t, groups, got)
	})
	t.Run("members", func(t *testing.T) {
		got, pages := walk(t, s.realm("groups/"+g+":listMembers"), "identities", 200)
		assert.Equal(t, 5, pages)
		assert.Equal(t, members, got)
	})
	t.Run("groups of an identity", func(t *testing.T) {
		got, pages := walk(t, s.realm("identities/"+who+":listGroups"), "groups", 150)
		assert.Equal(t, 7, pages)
		assert.Equal(t, groups, got)
	})
	t.Run("page rules", func(t *testing.T) {
		base := s.realm("groups/" + g + ":listMembers")
		m := s.mustDo(400, "GET", base+"?page_size=201", nil)
		assert.Equal(t, map[string]string{"page_size": "must be at most 200"}, violationsOf(t, m))
		m = s.mustDo(200, "GET", base+"?skip=995&page_size=3", nil)
		assert.Equal(t, members[995:998], ids(t, m, "identities"))
		tok := url.QueryEscape(m["next_page_token"].(string))
		m = s.mustDo(200, "GET", base+"?skip=995&page_token="+tok, nil)
		assert.Equal(t, members[998:], ids(t, m, "identities"))
		assert.NotContains(t, m, "next_page_token")
		m = s.mustDo(400, "GET", base+"?page_token="+tok, nil)
		assert.Contains(t, violationsOf(t, m), "skip")
		// A token is bound to its list: another group's, or the groups
		// list's, is refused.
		m = s.mustDo(400, "GET", s.realm("groups/"+groups[1]+":listMembers?skip=995&page_token="+tok), nil)
		assert.Equal(t, map[string]string{"page_token": "invalid page token"}, violationsOf(t, m))
		m = s.mustDo(400, "GET", s.realm("groups?skip=995&page_token="+tok), nil)
		assert.Equal(t, map[string]string{"page_token": "invalid page token"}, violationsOf(t, m))
	})
}
