package beyondidentity

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

const (
	appsPath  = testRealmPath + "/applications"
	testApp   = "38833c36-6f47-4992-9329-ea0a00915137"
	appSecret = "wWD4mPzdsjms1LPekQSo0v9scOHLWy5wmMtKAR2JNhJPAKXv"
)

const oidcAppJSON = `{"id":"` + testApp + `","realm_id":"` + testRealm + `","tenant_id":"` + testTenant + `",
	"resource_server_id":"84db69f5-48a8-4c11-8cda-1bae3a73f07e","display_name":"Pet Application","is_managed":false,
	"protocol_config":{"type":"oidc","allowed_scopes":["pets:read","pets:write"],"client_id":"AYYNcuOSpfqIf33JeegCzDIT",
	"client_secret":"` + appSecret + `","confidentiality":"confidential","token_endpoint_auth_method":"client_secret_basic",
	"grant_type":["authorization_code"],"redirect_uris":["https://auth.mypetapp.com/callback"],
	"token_configuration":{"subject_field":"id","expires_after":86400,"token_signing_algorithm":"RS256"},
	"pkce":"disabled","token_format":"self_contained","future_member":{"x":[1,2]}}}`

func TestApplicationDecodingAndSecret(t *testing.T) {
	var a Application
	require.NoError(t, json.Unmarshal([]byte(oidcAppJSON), &a))
	cfg, ok := a.ProtocolConfig.(*OIDCConfig)
	require.True(t, ok, "%T", a.ProtocolConfig)
	assert.Equal(t, ProtocolTypeOIDC, cfg.ProtocolType())
	assert.Equal(t, []string{"pets:read", "pets:write"}, cfg.AllowedScopes)
	assert.Equal(t, []GrantType{GrantTypeAuthorizationCode}, cfg.GrantTypes)
	assert.Equal(t, &TokenConfiguration{ExpiresAfter: 86400, TokenSigningAlgorithm: "RS256", SubjectField: "id"}, cfg.TokenConfiguration)
	assert.Equal(t, appSecret, cfg.ClientSecret.Reveal())
	assert.JSONEq(t, `{"x":[1,2]}`, string(cfg.Extra["future_member"]), "an unknown member is kept")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(verb, a), appSecret)
		assert.NotContains(t, fmt.Sprintf(verb, cfg), appSecret)
	}
	b, err := json.Marshal(a)
	require.NoError(t, err)
	assert.NotContains(t, string(b), appSecret)
	assert.Contains(t, string(b), `"future_member":{"x":[1,2]}`)
}

func TestApplicationProtocolConfigDecodeErrorNamesTheKind(t *testing.T) {
	for _, kind := range []string{"oauth2", "oidc"} {
		var a Application
		err := json.Unmarshal([]byte(`{"id":"a","protocol_config":{"type":"`+kind+`","allowed_scopes":"pets:read"}}`), &a)
		require.Error(t, err, kind)
		assert.Contains(t, err.Error(), "decoding the "+kind+" protocol_config")
		assert.Nil(t, a.ProtocolConfig, "a failed decode leaves no half-filled config")
	}
}

func TestApplicationsCreateRequestShape(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, appsPath).
		AddMatcher(matchJSONBody(t, `{"application":{"display_name":"Pets backend","resource_server_id":"rs-1",
			"protocol_config":{"type":"oauth2","allowed_scopes":["pets:read"],"confidentiality":"confidential",
			"grant_type":["client_credentials"],"token_configuration":{"expires_after":3600},"token_format":"self_contained",
			"new_member":true}}}`)).
		Reply(200).BodyString(oidcAppJSON)
	app, err := c.Applications.Create(context.Background(), &CreateApplicationRequest{
		DisplayName: "Pets backend", ResourceServerID: "rs-1",
		ProtocolConfig: &OAuth2Config{OAuthSettings{
			AllowedScopes: []string{"pets:read"}, Confidentiality: ConfidentialityConfidential,
			GrantTypes: []GrantType{GrantTypeClientCredentials}, TokenConfiguration: &TokenConfiguration{ExpiresAfter: 3600},
			TokenFormat: TokenFormatSelfContained,
			// Read-only: never sent.
			ClientID: "mine", ClientSecret: NewSecret("not-sent-secret"),
			Extra: map[string]json.RawMessage{"new_member": json.RawMessage(`true`)},
		}},
	})
	require.NoError(t, err)
	assert.Equal(t, testApp, app.ID)
}

func TestApplicationsUnknownProtocolSurvivesGetAndUpdate(t *testing.T) {
	const saml = `{"type":"saml","acs_url":"https://sp.example/acs","sign_assertions":true,"sp_signature_certificates":[],"nested":{"a":[1,{"b":null}]}}`
	c := newGockClient(t)
	apiMock(http.MethodGet, appsPath+"/"+testApp).
		Reply(200).BodyString(`{"id":"` + testApp + `","display_name":"SAML app","protocol_config":` + saml + `}`)
	apiMock(http.MethodPatch, appsPath+"/"+testApp).
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			var w struct {
				Application struct {
					ProtocolConfig json.RawMessage `json:"protocol_config"`
				} `json:"application"`
			}
			err := json.Unmarshal(readAndRestore(r), &w)
			return err == nil && string(w.Application.ProtocolConfig) == saml, err
		}).
		Reply(200).BodyString(`{"id":"` + testApp + `","display_name":"SAML app 2","protocol_config":` + saml + `}`)
	ctx := context.Background()
	app, err := c.Applications.Get(ctx, testApp)
	require.NoError(t, err)
	u, ok := app.ProtocolConfig.(*UnknownProtocolConfig)
	require.True(t, ok, "%T", app.ProtocolConfig)
	assert.Equal(t, ProtocolType("saml"), u.ProtocolType())
	assert.Equal(t, saml, string(u.Raw), "byte for byte")
	app, err = c.Applications.Update(ctx, testApp, &UpdateApplicationRequest{DisplayName: Ptr("SAML app 2"), ProtocolConfig: app.ProtocolConfig})
	require.NoError(t, err)
	assert.Equal(t, saml, string(app.ProtocolConfig.(*UnknownProtocolConfig).Raw))
}

func TestApplicationsUpdateSendsOnlyWhatIsSet(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPatch, appsPath+"/"+testApp).
		AddMatcher(matchJSONBody(t, `{"application":{"protocol_config":{"type":"oidc","redirect_uris":[],"pkce":"s256"}}}`)).
		Reply(200).BodyString(oidcAppJSON)
	apiMock(http.MethodPatch, appsPath+"/"+testApp).
		AddMatcher(matchJSONBody(t, `{"application":{"display_name":"Renamed","resource_server_id":""}}`)).
		Reply(200).BodyString(oidcAppJSON)
	ctx := context.Background()
	_, err := c.Applications.Update(ctx, testApp, &UpdateApplicationRequest{
		ProtocolConfig: &OIDCConfig{OAuthSettings{RedirectURIs: []string{}, PKCE: PKCES256}}})
	require.NoError(t, err)
	_, err = c.Applications.Update(ctx, testApp, &UpdateApplicationRequest{DisplayName: Ptr("Renamed"), ResourceServerID: Ptr("")})
	require.NoError(t, err)
}

func TestApplicationsListGetDelete(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, appsPath).AddMatcher(matchQuery(t, map[string][]string{"page_size": {"100"}})).
		Reply(200).BodyString(`{"applications":[` + oidcAppJSON + `],"total_size":1}`)
	apiMock(http.MethodDelete, appsPath+"/"+testApp).Reply(200)
	page, err := c.Applications.List(context.Background(), &CursorOptions{PageSize: 100})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.NoError(t, c.Applications.Delete(context.Background(), testApp))
}

func TestApplicationsValidationBeforeIO(t *testing.T) {
	c := newGockClient(t) // no mocks: any request fails the test
	ctx := context.Background()
	oauth := &OAuth2Config{}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"create nil", func() error { _, err := c.Applications.Create(ctx, nil); return err }, "req"},
		{"create no name", func() error {
			_, err := c.Applications.Create(ctx, &CreateApplicationRequest{ProtocolConfig: oauth})
			return err
		}, "DisplayName"},
		{"create no protocol", func() error {
			_, err := c.Applications.Create(ctx, &CreateApplicationRequest{DisplayName: "a"})
			return err
		}, "ProtocolConfig"},
		{"create nil typed protocol", func() error {
			_, err := c.Applications.Create(ctx, &CreateApplicationRequest{DisplayName: "a", ProtocolConfig: (*OIDCConfig)(nil)})
			return err
		}, "ProtocolConfig"},
		{"create bad resource server", func() error {
			_, err := c.Applications.Create(ctx, &CreateApplicationRequest{DisplayName: "a", ResourceServerID: "a/b", ProtocolConfig: oauth})
			return err
		}, "ResourceServerID"},
		{"create extra shadows a field", func() error {
			_, err := c.Applications.Create(ctx, &CreateApplicationRequest{DisplayName: "a", ProtocolConfig: &OAuth2Config{OAuthSettings{
				Extra: map[string]json.RawMessage{"pkce": json.RawMessage(`"plain"`)}}}})
			return err
		}, `ProtocolConfig.Extra["pkce"]`},
		{"create extra not JSON", func() error {
			_, err := c.Applications.Create(ctx, &CreateApplicationRequest{DisplayName: "a", ProtocolConfig: &OAuth2Config{OAuthSettings{
				Extra: map[string]json.RawMessage{"x": json.RawMessage(`{`)}}}})
			return err
		}, `ProtocolConfig.Extra["x"]`},
		{"create unknown without type", func() error {
			_, err := c.Applications.Create(ctx, &CreateApplicationRequest{DisplayName: "a", ProtocolConfig: &UnknownProtocolConfig{Raw: json.RawMessage(`{"a":1}`)}})
			return err
		}, "ProtocolConfig"},
		{"get empty", func() error { _, err := c.Applications.Get(ctx, ""); return err }, "applicationID"},
		{"update nil", func() error { _, err := c.Applications.Update(ctx, testApp, nil); return err }, "req"},
		{"update bad name", func() error {
			_, err := c.Applications.Update(ctx, testApp, &UpdateApplicationRequest{DisplayName: Ptr("")})
			return err
		}, "DisplayName"},
		{"delete dotdot", func() error { return c.Applications.Delete(ctx, "..") }, "applicationID"},
		{"list page size", func() error { _, err := c.Applications.List(ctx, &CursorOptions{PageSize: 101}); return err }, "PageSize"},
		{"resource server no identifier", func() error {
			_, err := c.ResourceServers.Create(ctx, &CreateResourceServerRequest{DisplayName: "Pets"})
			return err
		}, "Identifier"},
		{"resource server scope with space", func() error {
			_, err := c.ResourceServers.Create(ctx, &CreateResourceServerRequest{DisplayName: "Pets", Identifier: "https://pets", Scopes: []string{"a b"}})
			return err
		}, "Scopes[0]"},
		{"resource server scope twice", func() error {
			_, err := c.ResourceServers.Update(ctx, testRS, &UpdateResourceServerRequest{Scopes: []string{"a", "a"}})
			return err
		}, "Scopes[1]"},
		{"role without resource server", func() error {
			_, err := c.Roles.Create(ctx, "", &CreateRoleRequest{DisplayName: "r"})
			return err
		}, "resourceServerID"},
		{"role name", func() error { _, err := c.Roles.Create(ctx, testRS, &CreateRoleRequest{}); return err }, "DisplayName"},
		{"role get no id", func() error { _, err := c.Roles.Get(ctx, testRS, ""); return err }, "roleID"},
		{"role members empty", func() error { _, err := c.Roles.AddMembers(ctx, testRS, "r1", &RoleMembers{}); return err }, "members"},
		{"role members nil", func() error { _, err := c.Roles.RemoveMembers(ctx, testRS, "r1", nil); return err }, "members"},
		{"role member group twice", func() error {
			_, err := c.Roles.AddMembers(ctx, testRS, "r1", &RoleMembers{GroupIDs: []string{"g", "g"}})
			return err
		}, "GroupIDs[1]"},
		{"role member wildcard identity", func() error {
			_, err := c.Roles.AddMembers(ctx, testRS, "r1", &RoleMembers{IdentityIDs: []string{AllIdentities}})
			return err
		}, "IdentityIDs[0]"},
		{"role scopes empty", func() error { _, err := c.Roles.AddScopes(ctx, testRS, "r1", nil); return err }, "scopes"},
		{"role scope blank", func() error { _, err := c.Roles.RemoveScopes(ctx, testRS, "r1", []string{" "}); return err }, "scopes[0]"},
		{"role members page size", func() error {
			_, err := c.Roles.ListMembers(ctx, testRS, "r1", &ListRoleMembersOptions{IdentitiesPageSize: 500})
			return err
		}, "IdentitiesPageSize"},
		{"role members skip", func() error {
			_, err := c.Roles.ListMembers(ctx, testRS, "r1", &ListRoleMembersOptions{GroupsSkip: -1})
			return err
		}, "GroupsSkip"},
		{"identity roles no resource server", func() error { _, err := c.Identities.ListRoles(ctx, "i1", "", nil); return err }, "resourceServerID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}

func TestRolesRequestShapes(t *testing.T) {
	c := newGockClient(t)
	rsPath := testRealmPath + "/resource-servers"
	rolePath := rsPath + "/" + testRS + "/roles/fb785d40cbe4fc0d"
	roleJSON := `{"id":"fb785d40cbe4fc0d","resource_server_id":"` + testRS + `","display_name":"Help Desk"}`
	rsJSON := `{"id":"` + testRS + `","display_name":"Pets","identifier":"https://api.pets","scopes":["pets:read"],"is_managed":false}`
	apiMock(http.MethodPost, rsPath).AddMatcher(matchJSONBody(t, `{"resource_server":{"display_name":"Pets","identifier":"https://api.pets","scopes":["pets:read"]}}`)).Reply(200).BodyString(rsJSON)
	apiMock(http.MethodPatch, rsPath+"/"+testRS).AddMatcher(matchJSONBody(t, `{"resource_server":{"scopes":[]}}`)).Reply(200).BodyString(rsJSON)
	apiMock(http.MethodGet, rsPath).AddMatcher(matchQuery(t, nil)).Reply(200).BodyString(`{"resource_servers":[` + rsJSON + `],"total_size":1}`)
	apiMock(http.MethodPost, rsPath+"/"+testRS+"/roles").AddMatcher(matchJSONBody(t, `{"role":{"display_name":"Help Desk"}}`)).Reply(200).BodyString(roleJSON)
	apiMock(http.MethodPost, rolePath+":addMembers").AddMatcher(matchJSONBody(t, `{"group_ids":["g1"],"identity_ids":["i1"]}`)).Reply(200).BodyString(roleJSON)
	apiMock(http.MethodPost, rolePath+":deleteMembers").AddMatcher(matchJSONBody(t, `{"group_ids":["g1"]}`)).Reply(200).BodyString(roleJSON)
	apiMock(http.MethodPost, rolePath+":addScopes").AddMatcher(matchJSONBody(t, `{"scopes":["pets:read"]}`)).Reply(200).BodyString(roleJSON)
	apiMock(http.MethodPost, rolePath+":deleteScopes").AddMatcher(matchJSONBody(t, `{"scopes":["pets:read"]}`)).Reply(200).BodyString(roleJSON)
	apiMock(http.MethodGet, rolePath+":listScopes").AddMatcher(matchQuery(t, map[string][]string{"page_size": {"5"}})).
		Reply(200).BodyString(`{"scopes":["pets:read"],"total_size":1}`)
	apiMock(http.MethodGet, rolePath+":listMembers").
		AddMatcher(matchQuery(t, map[string][]string{"groups_page_size": {"1"}, "identities_page_size": {"2"}, "identities_skip": {"1"}})).
		Reply(200).BodyString(`{"groups":[` + groupFixture("g1", "admins") + `],"total_groups_size":1,"identities":[` + identityFixture("i1", "ada") + `],"total_identities_size":2,"next_page_token":"n"}`)
	apiMock(http.MethodGet, rolePath+":listMembers").
		AddMatcher(matchQuery(t, map[string][]string{"groups_page_size": {"1"}, "identities_page_size": {"2"}, "identities_skip": {"1"}, "page_token": {"n"}})).
		Reply(200).BodyString(`{"groups":[],"total_groups_size":1,"identities":[` + identityFixture("i2", "bob") + `],"total_identities_size":2}`)
	apiMock(http.MethodGet, identitiesPath+"/i1:listRoles").AddMatcher(matchQuery(t, map[string][]string{"resource_server_id": {testRS}})).
		Reply(200).BodyString(`{"roles":[` + roleJSON + `],"total_size":1}`)
	apiMock(http.MethodDelete, rolePath).Reply(200)

	ctx := context.Background()
	_, err := c.ResourceServers.Create(ctx, &CreateResourceServerRequest{DisplayName: "Pets", Identifier: "https://api.pets", Scopes: []string{"pets:read"}})
	require.NoError(t, err)
	_, err = c.ResourceServers.Update(ctx, testRS, &UpdateResourceServerRequest{Scopes: []string{}})
	require.NoError(t, err)
	_, err = c.ResourceServers.List(ctx, nil)
	require.NoError(t, err)
	role, err := c.Roles.Create(ctx, testRS, &CreateRoleRequest{DisplayName: "Help Desk"})
	require.NoError(t, err)
	_, err = c.Roles.AddMembers(ctx, testRS, role.ID, &RoleMembers{GroupIDs: []string{"g1"}, IdentityIDs: []string{"i1"}})
	require.NoError(t, err)
	_, err = c.Roles.RemoveMembers(ctx, testRS, role.ID, &RoleMembers{GroupIDs: []string{"g1"}})
	require.NoError(t, err)
	_, err = c.Roles.AddScopes(ctx, testRS, role.ID, []string{"pets:read"})
	require.NoError(t, err)
	_, err = c.Roles.RemoveScopes(ctx, testRS, role.ID, []string{"pets:read"})
	require.NoError(t, err)
	scopes, err := c.Roles.ListScopes(ctx, testRS, role.ID, &PageOptions{PageSize: 5})
	require.NoError(t, err)
	assert.Equal(t, []string{"pets:read"}, scopes.Items)
	var members []string
	for m, err := range c.Roles.AllMembers(ctx, testRS, role.ID, &ListRoleMembersOptions{GroupsPageSize: 1, IdentitiesPageSize: 2, IdentitiesSkip: 1}) {
		require.NoError(t, err)
		switch {
		case m.Group != nil:
			members = append(members, "group "+m.Group.ID)
		case m.Identity != nil:
			members = append(members, "identity "+m.Identity.ID)
		}
	}
	assert.Equal(t, []string{"group g1", "identity i1", "identity i2"}, members)
	roles, err := c.Identities.ListRoles(ctx, "i1", testRS, nil)
	require.NoError(t, err)
	assert.Equal(t, "Help Desk", roles.Items[0].DisplayName)
	require.NoError(t, c.Roles.Delete(ctx, testRS, role.ID))
}

func TestApplicationAndResourceServerNamesFollowTheSpec(t *testing.T) {
	// The spec limits the names of groups, roles and identities, but not
	// those of applications and resource servers: the SDK must send them.
	c := newGockClient(t)
	long := "Pets: Admin Console / " + fmt.Sprintf("%070d", 0)
	apiMock(http.MethodPost, appsPath).AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
		return strings.Contains(string(readAndRestore(r)), long), nil
	}).Reply(200).BodyString(oidcAppJSON)
	apiMock(http.MethodPost, testRealmPath+"/resource-servers").Reply(200).BodyString(`{"id":"rs"}`)
	_, err := c.Applications.Create(context.Background(), &CreateApplicationRequest{DisplayName: long, ProtocolConfig: &OAuth2Config{}})
	require.NoError(t, err)
	_, err = c.ResourceServers.Create(context.Background(), &CreateResourceServerRequest{DisplayName: "Pets: API {v2}", Identifier: "https://api"})
	require.NoError(t, err)
}
