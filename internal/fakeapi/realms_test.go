package fakeapi

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tenant returns the escaped path of a tenant-level resource ("" for the
// tenant itself).
func (s *tserver) tenant(rest string) string {
	p := "/v1/tenants/" + s.seed.TenantID
	if rest != "" {
		p += "/" + rest
	}
	return p
}

// in returns the escaped path of a resource of realm.
func (s *tserver) in(realm, rest string) string {
	return "/v1/tenants/" + s.seed.TenantID + "/realms/" + realm + "/" + rest
}

func TestTenant(t *testing.T) {
	s := newServer(t, Config{})
	m := s.mustDo(200, "GET", s.tenant(""), nil)
	require.Len(t, m, 4, "%v", m)
	assert.Equal(t, s.seed.TenantID, m["id"])
	assert.Equal(t, "beyondidentitytest", m["display_name"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`, m["create_time"])
	created := m["create_time"]

	time.Sleep(2 * time.Millisecond)
	m = s.mustDo(200, "PATCH", s.tenant(""), map[string]any{"tenant": map[string]any{"display_name": "Acme", "id": "ignored", "create_time": "2000-01-01T00:00:00Z"}})
	assert.Equal(t, "Acme", m["display_name"])
	assert.Equal(t, s.seed.TenantID, m["id"])
	assert.Equal(t, created, m["create_time"])
	assert.NotEqual(t, m["create_time"], m["update_time"])
	assert.Equal(t, m, s.mustDo(200, "GET", s.tenant(""), nil))
	// Nothing to change: unchanged.
	assert.Equal(t, m, s.mustDo(200, "PATCH", s.tenant(""), map[string]any{"tenant": map[string]any{}}))

	for name, tc := range map[string]struct {
		body any
		want map[string]string
	}{
		"no tenant":      {map[string]any{}, map[string]string{"tenant": "missing"}},
		"empty name":     {map[string]any{"tenant": map[string]any{"display_name": ""}}, map[string]string{"tenant.display_name": "empty string"}},
		"forbidden char": {map[string]any{"tenant": map[string]any{"display_name": "a;b"}}, map[string]string{"tenant.display_name": "must not contain any of " + forbiddenNameChars}},
		"unknown field":  {map[string]any{"tenant": map[string]any{"displayName": "x"}}, map[string]string{"tenant.displayName": "unknown field"}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "PATCH", s.tenant(""), tc.body)))
		})
	}

	t.Run("other tenant, methods", func(t *testing.T) {
		st, m := s.do("GET", "/v1/tenants/0001aaaaaaaaaaaa", nil)
		assert.Equal(t, 403, st)
		assert.Equal(t, "forbidden", m["code"])
		st, m = s.do("DELETE", s.tenant(""), nil)
		assert.Equal(t, 405, st)
		assert.Equal(t, "method_not_allowed", m["code"])
		st, _ = s.do("GET", "/v1/tenants/", nil)
		assert.Equal(t, 404, st)
		st, _ = s.do("GET", s.tenant("")+":frobnicate", nil)
		assert.Equal(t, 404, st)
		st, _ = s.do("GET", s.tenant("realms/"), nil)
		assert.Equal(t, 404, st)
	})
}

func TestRealmsCRUD(t *testing.T) {
	s := newServer(t, Config{})
	p := s.tenant("realms")

	m := s.mustDo(200, "GET", p, nil)
	assert.EqualValues(t, 2, m["total_size"])
	realms := m["realms"].([]any)
	assert.Equal(t, s.seed.AdminRealmID, realms[0].(map[string]any)["id"])
	assert.Equal(t, "Beyond Identity Admin", realms[0].(map[string]any)["display_name"])
	assert.Equal(t, s.seed.RealmID, realms[1].(map[string]any)["id"])

	m = s.mustDo(200, "POST", p, map[string]any{"realm": map[string]any{"display_name": "Staging", "classification": "SECURE_CUSTOMER", "id": "ignored"}})
	id := m["id"].(string)
	assert.Regexp(t, `^[0-9a-f]{16}$`, id)
	assert.Equal(t, s.seed.TenantID, m["tenant_id"])
	assert.Equal(t, "Staging", m["display_name"])
	assert.Equal(t, "SECURE_CUSTOMER", m["classification"])
	assert.Equal(t, m["create_time"], m["update_time"])
	assert.Equal(t, m, s.mustDo(200, "GET", p+"/"+id, nil))

	// The classification the official CLI sends beside the realm is taken.
	m = s.mustDo(200, "POST", p, map[string]any{"classification": "Secure Workforce", "realm": map[string]any{"display_name": "Workforce"}})
	assert.Equal(t, "Secure Workforce", m["classification"])
	// Without one, none is shown.
	m = s.mustDo(200, "POST", p, map[string]any{"realm": map[string]any{"display_name": "Plain"}})
	assert.NotContains(t, m, "classification")
	plain := m["id"].(string)

	time.Sleep(2 * time.Millisecond)
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"realm": map[string]any{"display_name": "Prod"}})
	assert.Equal(t, "Prod", m["display_name"])
	assert.Equal(t, "SECURE_CUSTOMER", m["classification"], "omitted members are unchanged")
	assert.NotEqual(t, m["create_time"], m["update_time"])

	m = s.mustDo(200, "GET", p+"?page_size=2", nil)
	assert.EqualValues(t, 5, m["total_size"])
	require.Len(t, m["realms"], 2)
	m = s.mustDo(200, "GET", p+"?page_token="+url.QueryEscape(m["next_page_token"].(string)), nil)
	require.Len(t, m["realms"], 2)
	assert.Equal(t, id, m["realms"].([]any)[0].(map[string]any)["id"])
	m = s.mustDo(400, "GET", p+"?page_size=201", nil)
	assert.Equal(t, map[string]string{"page_size": "must be at most 200"}, violationsOf(t, m))

	// A new realm is a realm like the seeded ones.
	idn := s.mustDo(200, "POST", s.in(id, "identities"), identityBody("x", map[string]any{"type": "traits_v0", "username": "ada"}))
	assert.Equal(t, id, idn["realm_id"])
	s.mustDo(409, "POST", s.in(id, "identities"), identityBody("x", map[string]any{"type": "traits_v0", "username": "ADA"}))
	s.mustDo(200, "GET", s.in(id, "identities/"+idn["id"].(string)), nil)

	st, body := s.do("DELETE", p+"/"+plain, nil)
	assert.Equal(t, 200, st)
	assert.Nil(t, body)
	for _, method := range []string{"GET", "DELETE"} {
		m = s.mustDo(404, method, p+"/"+plain, nil)
		errorOf(t, m, "not_found", "realm not found")
		ri := resourceInfoOf(t, m)
		assert.Equal(t, "Realm", ri["resource_type"])
		assert.Equal(t, plain, ri["id"])
	}
	s.mustDo(404, "PATCH", p+"/"+plain, map[string]any{"realm": map[string]any{}})
	s.mustDo(404, "GET", s.in(plain, "identities"), nil)
}

func TestRealmValidation(t *testing.T) {
	s := newServer(t, Config{})
	p := s.tenant("realms")
	for name, tc := range map[string]struct {
		body any
		want map[string]string
	}{
		"no realm":              {map[string]any{}, map[string]string{"realm": "missing"}},
		"no name":               {map[string]any{"realm": map[string]any{}}, map[string]string{"realm.display_name": "empty string"}},
		"long name":             {map[string]any{"realm": map[string]any{"display_name": fmt.Sprintf("%065d", 0)}}, map[string]string{"realm.display_name": "must be at most 64 characters"}},
		"forbidden char":        {map[string]any{"realm": map[string]any{"display_name": "a/b"}}, map[string]string{"realm.display_name": "must not contain any of " + forbiddenNameChars}},
		"empty classification":  {map[string]any{"realm": map[string]any{"display_name": "a", "classification": ""}}, map[string]string{"realm.classification": "empty string"}},
		"classification type":   {map[string]any{"realm": map[string]any{"display_name": "a", "classification": 1}}, map[string]string{"realm.classification": "must be a string"}},
		"unknown field":         {map[string]any{"realm": map[string]any{"display_name": "a", "name": "a"}}, map[string]string{"realm.name": "unknown field"}},
		"unknown top-level key": {map[string]any{"realm": map[string]any{"display_name": "a"}, "x": 1}, map[string]string{"x": "unknown field"}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "POST", p, tc.body)))
		})
	}
	m := s.mustDo(400, "PATCH", p+"/"+s.seed.RealmID, map[string]any{"realm": map[string]any{"display_name": ""}})
	assert.Equal(t, map[string]string{"realm.display_name": "empty string"}, violationsOf(t, m))
	m = s.mustDo(400, "PATCH", p+"/"+s.seed.RealmID, map[string]any{})
	assert.Equal(t, map[string]string{"realm": "missing"}, violationsOf(t, m))
}

// TestDeleteRealmRules: a realm with identities, groups or roles cannot be
// deleted (409); what else it holds goes with it.
func TestDeleteRealmRules(t *testing.T) {
	s := newServer(t, Config{})
	p := s.tenant("realms")
	newRealm := func() string {
		return s.mustDo(200, "POST", p, map[string]any{"realm": map[string]any{"display_name": "r"}})["id"].(string)
	}
	conflict := func(id string) {
		t.Helper()
		m := s.mustDo(409, "DELETE", p+"/"+id, nil)
		assert.Equal(t, map[string]any{"code": "conflict", "message": "realm has children"}, m)
		s.mustDo(200, "GET", p+"/"+id, nil)
	}

	t.Run("identities", func(t *testing.T) {
		r := newRealm()
		i := s.mustDo(200, "POST", s.in(r, "identities"), identityBody("x", map[string]any{"type": "traits_v0", "username": "u"}))["id"].(string)
		conflict(r)
		s.mustDo(200, "DELETE", s.in(r, "identities/"+i), nil)
		s.mustDo(200, "DELETE", p+"/"+r, nil)
	})
	t.Run("groups", func(t *testing.T) {
		r := newRealm()
		g := s.mustDo(200, "POST", s.in(r, "groups"), map[string]any{"group": map[string]any{"display_name": "g"}})["id"].(string)
		conflict(r)
		s.mustDo(200, "DELETE", s.in(r, "groups/"+g), nil)
		s.mustDo(200, "DELETE", p+"/"+r, nil)
	})
	t.Run("roles", func(t *testing.T) {
		r := newRealm()
		rs := s.mustDo(200, "POST", s.in(r, "resource-servers"), map[string]any{"resource_server": map[string]any{"display_name": "API", "identifier": "https://api.example"}})["id"].(string)
		role := s.mustDo(200, "POST", s.in(r, "resource-servers/"+rs+"/roles"), map[string]any{"role": map[string]any{"display_name": "r"}})["id"].(string)
		conflict(r)
		s.mustDo(200, "DELETE", s.in(r, "resource-servers/"+rs+"/roles/"+role), nil)
		s.mustDo(200, "DELETE", p+"/"+r, nil)
	})
	t.Run("the Admin realm", func(t *testing.T) {
		conflict(s.seed.AdminRealmID)
	})
	t.Run("configs, resource servers and applications go with the realm", func(t *testing.T) {
		r := newRealm()
		cfg := s.mustDo(200, "POST", s.in(r, "authenticator-configs"), map[string]any{"authenticator_config": map[string]any{
			"display_name": "c", "config": map[string]any{"type": "platform"}}})["id"].(string)
		rs := s.mustDo(200, "POST", s.in(r, "resource-servers"), map[string]any{"resource_server": map[string]any{
			"display_name": "API", "identifier": "https://api.example", "scopes": []string{"pets:read"}}})["id"].(string)
		var apps []string
		var tokenPaths, auths []string
		for range 3 {
			app := s.mustDo(200, "POST", s.in(r, "applications"), map[string]any{"application": map[string]any{
				"display_name": "svc", "resource_server_id": rs,
				"protocol_config": map[string]any{"type": "oauth2", "grant_type": []string{"client_credentials"}, "allowed_scopes": []string{"pets:read"}},
			}})
			pc := app["protocol_config"].(map[string]any)
			apps = append(apps, app["id"].(string))
			tokenPaths = append(tokenPaths, s.in(r, "applications/"+app["id"].(string)+"/token"))
			auths = append(auths, basic(pc["client_id"].(string), pc["client_secret"].(string)))
		}
		st, m := s.form(tokenPaths[0], url.Values{"grant_type": {"client_credentials"}}, auths[0])
		require.Equal(t, 200, st, "%v", m)

		s.mustDo(200, "DELETE", p+"/"+r, nil)
		paths := []string{"authenticator-configs/" + cfg, "resource-servers/" + rs}
		for _, app := range apps {
			paths = append(paths, "applications/"+app)
		}
		for _, path := range paths {
			m := s.mustDo(404, "GET", s.in(r, path), nil)
			assert.Equal(t, "Realm", resourceInfoOf(t, m)["resource_type"], path)
		}
		for i := range apps {
			st, m = s.form(tokenPaths[i], url.Values{"grant_type": {"client_credentials"}}, auths[i])
			assert.Equal(t, 401, st)
			assert.Equal(t, "invalid_client", m["error"])
		}
		m = s.mustDo(200, "GET", p, nil)
		assert.EqualValues(t, 2, m["total_size"], "only the seeded realms are left")
	})
}
