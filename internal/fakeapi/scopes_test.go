package fakeapi

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestScopesOfTheNewOperations: every operation needs every scope its
// security requirement lists (all of them: they are one requirement), and
// no other. A token lacking one gets 403; a token with exactly them does
// not.
func TestScopesOfTheNewOperations(t *testing.T) {
	s := newServer(t, Config{})
	i := s.createIdentity("ada", "")
	g := s.createGroup("g")
	rs, role := s.createRole("r")
	app := s.mustDo(200, "POST", s.realm("applications"), map[string]any{"application": map[string]any{
		"display_name": "a", "protocol_config": map[string]any{"type": "oauth2"}}})["id"].(string)
	realm := s.mustDo(200, "POST", s.tenant("realms"), map[string]any{"realm": map[string]any{"display_name": "r"}})["id"].(string)
	rp := "resource-servers/" + rs + "/roles/" + role
	ids := map[string]any{"identity_ids": []string{i}}
	named := func(key string) map[string]any { return map[string]any{key: map[string]any{"display_name": "x"}} }

	for _, tc := range []struct {
		op, method, path string
		body             any
		scopes           string
	}{
		{"GetTenant", "GET", s.tenant(""), nil, "tenants:read"},
		{"UpdateTenant", "PATCH", s.tenant(""), named("tenant"), "tenants:update"},
		{"CreateRealm", "POST", s.tenant("realms"), named("realm"), "realms:create"},
		{"ListRealms", "GET", s.tenant("realms"), nil, "realms:read"},
		{"GetRealm", "GET", s.tenant("realms/" + realm), nil, "realms:read"},
		{"UpdateRealm", "PATCH", s.tenant("realms/" + realm), named("realm"), "realms:update"},
		{"DeleteRealm", "DELETE", s.tenant("realms/ffffffffffffffff"), nil, "realms:delete"},
		{"CreateGroup", "POST", s.realm("groups"), named("group"), "groups:create"},
		{"ListGroups", "GET", s.realm("groups"), nil, "groups:read"},
		{"GetGroup", "GET", s.realm("groups/" + g), nil, "groups:read"},
		{"UpdateGroup", "PATCH", s.realm("groups/" + g), named("group"), "groups:update"},
		{"DeleteGroup", "DELETE", s.realm("groups/ffffffffffffffff"), nil, "groups:delete"},
		{"AddGroupMembers", "POST", s.realm("groups/" + g + ":addMembers"), ids, "groups:update identities:read"},
		{"DeleteGroupMembers", "POST", s.realm("groups/" + g + ":deleteMembers"), ids, "groups:update identities:read"},
		{"ListGroupMembers", "GET", s.realm("groups/" + g + ":listMembers"), nil, "groups:read identities:read"},
		{"ListGroupRoles", "GET", s.realm("groups/" + g + ":listRoles?resource_server_id=" + rs), nil, "groups:read roles:read resource-servers:read"},
		{"ListIdentityGroups", "GET", s.realm("identities/" + i + ":listGroups"), nil, "identities:read groups:read"},
		{"ListIdentityRoles", "GET", s.realm("identities/" + i + ":listRoles?resource_server_id=" + rs), nil, "identities:read roles:read resource-servers:read"},
		{"CreateRole", "POST", s.realm("resource-servers/" + rs + "/roles"), named("role"), "roles:create"},
		{"ListRoles", "GET", s.realm("resource-servers/" + rs + "/roles"), nil, "roles:read"},
		{"GetRole", "GET", s.realm(rp), nil, "roles:read"},
		{"UpdateRole", "PATCH", s.realm(rp), named("role"), "roles:update"},
		{"DeleteRole", "DELETE", s.realm("resource-servers/" + rs + "/roles/ffffffffffffffff"), nil, "roles:delete"},
		{"AddRoleMembers", "POST", s.realm(rp + ":addMembers"), ids, "roles:update groups:read identities:read"},
		{"DeleteRoleMembers", "POST", s.realm(rp + ":deleteMembers"), ids, "roles:update identities:read groups:read"},
		{"ListRoleMembers", "GET", s.realm(rp + ":listMembers"), nil, "roles:read groups:read identities:read"},
		{"AddRoleScopes", "POST", s.realm(rp + ":addScopes"), map[string]any{"scopes": []string{"pets:read"}}, "roles:update resource-servers:read"},
		{"DeleteRoleScopes", "POST", s.realm(rp + ":deleteScopes"), map[string]any{"scopes": []string{"pets:read"}}, "roles:update resource-servers:read"},
		{"ListRoleScopes", "GET", s.realm(rp + ":listScopes"), nil, "roles:read resource-servers:read"},
		{"CreateResourceServer", "POST", s.realm("resource-servers"), map[string]any{"resource_server": map[string]any{"display_name": "x", "identifier": "x"}}, "resource-servers:create"},
		{"ListResourceServers", "GET", s.realm("resource-servers"), nil, "resource-servers:read"},
		{"GetResourceServer", "GET", s.realm("resource-servers/" + rs), nil, "resource-servers:read"},
		{"UpdateResourceServer", "PATCH", s.realm("resource-servers/" + rs), named("resource_server"), "resource-servers:update"},
		{"DeleteResourceServer", "DELETE", s.realm("resource-servers/00000000-0000-4000-8000-000000000000"), nil, "resource-servers:delete"},
		{"CreateApplication", "POST", s.realm("applications"), map[string]any{"application": map[string]any{"display_name": "x", "protocol_config": map[string]any{"type": "oauth2"}}}, "applications:create"},
		{"ListApplications", "GET", s.realm("applications"), nil, "applications:read"},
		{"GetApplication", "GET", s.realm("applications/" + app), nil, "applications:read"},
		{"UpdateApplication", "PATCH", s.realm("applications/" + app), named("application"), "applications:update"},
		{"DeleteApplication", "DELETE", s.realm("applications/00000000-0000-4000-8000-000000000000"), nil, "applications:delete"},
	} {
		t.Run(tc.op, func(t *testing.T) {
			scopes := strings.Fields(tc.scopes)
			tok := s.fetchToken(url.Values{"scope": {tc.scopes}})
			st, m := s.doToken(tok, tc.method, tc.path, tc.body)
			assert.NotContains(t, []int{401, 403}, st, "with exactly %s: %v", tc.scopes, m)
			assert.Less(t, st, 500)
			for k := range scopes {
				fewer := slices.Delete(slices.Clone(scopes), k, k+1)
				if len(fewer) == 0 {
					fewer = []string{"tokens:read"}
				}
				tok := s.fetchToken(url.Values{"scope": {strings.Join(fewer, " ")}})
				st, m := s.doToken(tok, tc.method, tc.path, tc.body)
				require.Equal(t, 403, st, "without %s: %v", scopes[k], m)
				assert.Equal(t, map[string]any{"code": "forbidden", "message": "forbidden"}, m)
			}
		})
	}
}
