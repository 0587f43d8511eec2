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

// TestScopesOfTheRestOperations: the same for the themes, launch
// mechanisms, identity providers, SSO configs and SCIM. The operations
// whose security is the spec's global requirement (a bearer token, no
// scope) take a token with any one scope; a token of another tenant or
// none is still refused.
func TestScopesOfTheRestOperations(t *testing.T) {
	s := newServer(t, Config{})
	i := s.createIdentity("ada", "")
	g := s.createGroup("g")
	theme := s.mustDo(200, "POST", s.realm("themes"), map[string]any{"theme": map[string]any{}})["id"].(string)
	idp := s.mustDo(200, "POST", s.realm("identity-providers"), map[string]any{"display_name": "i", "protocol_config": oidcIdpConfig()})["id"].(string)
	sso := s.mustDo(200, "POST", s.realm("sso-configs"), bookmark("b", "https://b.example"))["id"].(string)
	app := s.mustDo(200, "POST", s.realm("applications"), map[string]any{"application": map[string]any{
		"display_name": "a", "protocol_config": map[string]any{"type": "oauth2"}}})["id"].(string)
	user := s.scimMust(201, "POST", s.realm("scim/v2/Users"), map[string]any{"schemas": []string{scimUserSchema}, "userName": "u", "displayName": "U"})["id"].(string)
	sp := "sso-configs/" + sso
	ids := map[string]any{"identity_ids": []string{i}}
	groups := map[string]any{"group_ids": []string{g}}
	userPatch := map[string]any{"schemas": []string{scimPatchSchema}, "Operations": []any{map[string]any{"op": "replace", "path": "active", "value": true}}}
	groupPatch := map[string]any{"schemas": []string{scimPatchSchema}, "Operations": []any{map[string]any{"op": "replace", "path": "displayName", "value": "g"}}}
	ftc := "tenants:read realms:read flow-type:read flow-type:create"

	for _, tc := range []struct {
		op, method, path string
		body             any
		scopes           string // "" for no scope
	}{
		{"CreateTheme", "POST", s.admin("themes"), map[string]any{"theme": map[string]any{}}, "themes:create"},
		{"GetActiveTheme", "GET", s.realm("themes/active"), nil, "themes:read"},
		{"GetTheme", "GET", s.realm("themes/" + theme), nil, "themes:read"},
		{"UpdateTheme", "PATCH", s.realm("themes/" + theme), map[string]any{"theme": map[string]any{}}, "themes:update"},
		{"GetFlowTypeConfig", "GET", s.realm("flow-type-config"), nil, ftc},
		{"UpdateFlowTypeConfig", "PATCH", s.realm("flow-type-config"), map[string]any{}, ftc + " flow-type:update"},
		{"listIdentityProviders", "GET", s.realm("identity-providers"), nil, ""},
		{"createIdentityProvider", "POST", s.realm("identity-providers"), map[string]any{"display_name": "i", "protocol_config": oidcIdpConfig()}, ""},
		{"getIdentityProvider", "GET", s.realm("identity-providers/" + idp), nil, ""},
		{"updateIdentityProvider", "PATCH", s.realm("identity-providers/" + idp), map[string]any{"identity_provider": map[string]any{}}, ""},
		{"deleteIdentityProvider", "DELETE", s.realm("identity-providers/ffffffffffffffff"), nil, ""},
		{"CreateSsoConfig", "POST", s.realm("sso-configs"), bookmark("b", "https://b.example"), "sso-configs:create"},
		{"listSsoConfigs", "GET", s.realm("sso-configs"), nil, "sso-configs:read"},
		{"GetSsoConfig", "GET", s.realm(sp), nil, "sso-configs:read"},
		{"UpdateSsoConfig", "PATCH", s.realm(sp), map[string]any{"sso_config": map[string]any{}}, "sso-configs:update"},
		{"DeleteSsoConfig", "DELETE", s.realm("sso-configs/00000000-0000-4000-8000-000000000000"), nil, "sso-configs:delete"},
		{"AddIdentitiesToSsoConfig", "POST", s.realm(sp + ":addIdentities"), ids, "sso-configs:update"},
		{"DeleteIdentitiesFromSsoConfig", "POST", s.realm(sp + ":deleteIdentities"), ids, "sso-configs:update"},
		{"ListIdentitiesForSsoConfig", "GET", s.realm(sp + ":listIdentityAssociations"), nil, "sso-configs:read identities:read groups:read"},
		{"ListSsoConfigsForIdentity", "GET", s.realm("identities/" + i + "/sso-configs"), nil, "sso-configs:read"},
		{"AddGroupsToSsoConfig", "POST", s.realm(sp + ":addGroups"), groups, "sso-configs:update"},
		{"DeleteGroupsFromSsoConfig", "POST", s.realm(sp + ":deleteGroups"), groups, "sso-configs:update"},
		{"ListGroupsForSSOConfig", "GET", s.realm(sp + ":listGroupAssociations"), nil, "sso-configs:read groups:read"},
		{"ListSsoConfigsForGroup", "GET", s.realm("groups/" + g + "/sso-configs"), nil, "sso-configs:read"},
		{"ApplicationIdToSSOConfigId", "GET", s.realm("applications/" + app + "/sso-configs-id"), nil, "sso-configs:read"},
		{"TestSsoConfig", "POST", s.realm(sp + "/test"), nil, "sso-configs:read"},
		{"SCIMCreateUser", "POST", s.realm("scim/v2/Users"), bjensen(), "scim:users:create"},
		{"SCIMListUsers", "GET", s.realm("scim/v2/Users"), nil, "scim:users:read"},
		{"SCIMGetUser", "GET", s.realm("scim/v2/Users/" + user), nil, "scim:users:read"},
		{"SCIMUpdateUser", "PATCH", s.realm("scim/v2/Users/" + user), userPatch, "scim:users:update"},
		{"SCIMReplaceUser", "PUT", s.realm("scim/v2/Users/" + user), map[string]any{"schemas": []string{scimUserSchema}, "userName": "u", "displayName": "U"}, "scim:users:update"},
		{"SCIMDeleteUser", "DELETE", s.realm("scim/v2/Users/ffffffffffffffff"), nil, "scim:users:delete"},
		{"SCIMCreateGroup", "POST", s.realm("scim/v2/Groups/"), map[string]any{"schemas": []string{scimGroupSchema}, "displayName": "sg"}, "scim:groups:create"},
		{"SCIMListGroups", "GET", s.realm("scim/v2/Groups/"), nil, "scim:groups:read"},
		{"SCIMGetGroup", "GET", s.realm("scim/v2/Groups/" + g), nil, "scim:groups:read"},
		{"SCIMUpdateGroup", "PATCH", s.realm("scim/v2/Groups/" + g), groupPatch, "scim:groups:update"},
		{"SCIMDeleteGroup", "DELETE", s.realm("scim/v2/Groups/ffffffffffffffff"), nil, "scim:groups:delete"},
		{"ListResourceTypes", "GET", s.realm("scim/v2/ResourceTypes"), nil, ""},
		{"ListSchemas", "GET", s.realm("scim/v2/Schemas"), nil, ""},
		{"GetServiceProviderConfig", "GET", s.realm("scim/v2/ServiceProviderConfig"), nil, ""},
	} {
		t.Run(tc.op, func(t *testing.T) {
			scim := strings.Contains(tc.path, "/scim/v2/")
			call := func(tok string) (int, map[string]any) {
				t.Helper()
				if scim {
					st, m, _ := s.scimToken(tok, tc.method, tc.path, tc.body)
					return st, m
				}
				return s.doToken(tok, tc.method, tc.path, tc.body)
			}
			scopes := strings.Fields(tc.scopes)
			if len(scopes) == 0 {
				// No scope needed: a token with an unrelated one will do.
				st, m := call(s.fetchToken(url.Values{"scope": {"tokens:read"}}))
				assert.NotContains(t, []int{401, 403}, st, "%v", m)
				assert.Less(t, st, 500)
				st, _ = call("")
				assert.Equal(t, 401, st)
				return
			}
			st, m := call(s.fetchToken(url.Values{"scope": {tc.scopes}}))
			assert.NotContains(t, []int{401, 403}, st, "with exactly %s: %v", tc.scopes, m)
			assert.Less(t, st, 500)
			for k := range scopes {
				fewer := slices.Delete(slices.Clone(scopes), k, k+1)
				if len(fewer) == 0 {
					fewer = []string{"tokens:read"}
				}
				st, m := call(s.fetchToken(url.Values{"scope": {strings.Join(fewer, " ")}}))
				require.Equal(t, 403, st, "without %s: %v", scopes[k], m)
				if scim {
					assert.Equal(t, "token is unauthorized.", scimErrorOf(t, m, 403, "forbidden"))
				} else {
					assert.Equal(t, map[string]any{"code": "forbidden", "message": "forbidden"}, m)
				}
			}
		})
	}
}

// TestManagementAppHasEveryScope: the seeded Management API application
// may be granted every scope the fake's operations need.
func TestManagementAppHasEveryScope(t *testing.T) {
	e := New(Config{})
	for _, table := range [][]*routeDef{e.table, e.tenantTable} {
		for _, rt := range table {
			for _, sc := range strings.Fields(rt.scope) {
				if sc != noScope {
					assert.Contains(t, ManagementScopes, sc, "%s %v", rt.method, rt.pattern)
				}
			}
		}
	}
}
