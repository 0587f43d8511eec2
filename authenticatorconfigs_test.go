package beyondidentity

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const acID = "2f0c8b1e-5d7a-4e39-b7c2-8a1d9e6f3c40"

func acPath(id ...string) string {
	p := testRealmPath + "/authenticator-configs"
	for _, s := range id {
		p += "/" + s
	}
	return p
}

// Fixtures of every kind, written for these tests.
const (
	acEmbeddedJSON = `{"type":"embedded","invoke_url":"https://shop.example","invocation_type":"manual",` +
		`"trusted_origins":["https://shop.example","http://localhost:3000"],` +
		`"authentication_methods":[{"type":"webauthn_passkey"},{"type":"software_passkey"},{"type":"email_one_time_password"}]}`
	acHostedWebJSON   = `{"type":"hosted_web","authentication_methods":[{"type":"software_passkey"}],"trusted_origins":["https://login.shop.example"]}`
	acConsoleIDPJSON  = `{"type":"console","onboarding_configuration":{"verification_method":{"type":"idp","idp_id":"0e6c3d1a-2b4f-4c8e-9a7d-5f1b3c2e4d60"}}}`
	acConsoleNoneJSON = `{"type":"console","onboarding_configuration":{"verification_method":{"type":"none"}}}`
	acPlatformJSON    = `{"type":"platform","trusted_origins":["https://shop.example"],"roaming_auth_config":{"enabled":true,"allow_unknown_user":true,` +
		`"allowed_source_ips":["203.0.113.0/24"],"allowed_user_group_ids":["g1"],"allowed_user_ids":["u1","u2"]}}`
	acUnknownJSON = `{"type":"quantum_token","tolerance":0.5,"nested":{"a":[1,2,{"b":null}]},"flags":[true,false]}`
)

func acConfigJSON(config string) string {
	return `{"id":"` + acID + `","realm_id":"` + testRealm + `","tenant_id":"` + testTenant + `","display_name":"Shop passkeys","config":` + config + `}`
}

func TestAuthenticatorConfigDecodesEveryKind(t *testing.T) {
	tests := []struct {
		name   string
		config string
		want   AuthenticatorSettings
	}{
		{"embedded", acEmbeddedJSON, &EmbeddedSettings{
			InvokeURL: "https://shop.example", InvocationType: InvocationTypeManual,
			TrustedOrigins: []string{"https://shop.example", "http://localhost:3000"},
			AuthenticationMethods: []AuthenticationMethod{
				{Type: AuthenticationMethodWebAuthnPasskey}, {Type: AuthenticationMethodSoftwarePasskey}, {Type: AuthenticationMethodEmailOneTimePassword},
			},
		}},
		{"embedded as listed (no methods)", `{"invoke_url":"https://shop.example","invocation_type":"automatic","trusted_origins":["https://shop.example"],"type":"embedded"}`,
			&EmbeddedSettings{InvokeURL: "https://shop.example", InvocationType: InvocationTypeAutomatic, TrustedOrigins: []string{"https://shop.example"}}},
		{"hosted web", acHostedWebJSON, &HostedWebSettings{
			AuthenticationMethods: []AuthenticationMethod{{Type: AuthenticationMethodSoftwarePasskey}},
			TrustedOrigins:        []string{"https://login.shop.example"},
		}},
		{"console idp", acConsoleIDPJSON, &ConsoleSettings{OnboardingConfiguration: ConsoleOnboardingConfiguration{
			VerificationMethod: ConsoleVerificationMethod{Type: ConsoleVerificationIDP, IDPID: "0e6c3d1a-2b4f-4c8e-9a7d-5f1b3c2e4d60"}}}},
		{"console none", acConsoleNoneJSON, &ConsoleSettings{OnboardingConfiguration: ConsoleOnboardingConfiguration{
			VerificationMethod: ConsoleVerificationMethod{Type: ConsoleVerificationNone}}}},
		{"platform", acPlatformJSON, &PlatformSettings{
			TrustedOrigins: []string{"https://shop.example"},
			RoamingAuthConfig: &RoamingAuthConfig{
				Enabled: true, AllowUnknownUser: true, AllowedSourceIPs: []string{"203.0.113.0/24"},
				AllowedUserGroupIDs: []string{"g1"}, AllowedUserIDs: []string{"u1", "u2"},
			},
		}},
		{"platform minimal, null origins", `{"type":"platform","trusted_origins":null}`, &PlatformSettings{}},
		{"platform, misspelled key of the spec", `{"type":"platform","roaming_auth_config":{"enabled":false,"allow_unknow_user":true}}`,
			&PlatformSettings{RoamingAuthConfig: &RoamingAuthConfig{AllowUnknownUser: true}}},
		{"platform, both spellings: the correct one wins", `{"type":"platform","roaming_auth_config":{"enabled":true,"allow_unknow_user":true,"allow_unknown_user":false}}`,
			&PlatformSettings{RoamingAuthConfig: &RoamingAuthConfig{Enabled: true}}},
		{"unknown kind", acUnknownJSON, &UnknownSettings{Type: "quantum_token", Raw: json.RawMessage(acUnknownJSON)}},
		{"no type", `{"invoke_url":"https://x.example"}`, &UnknownSettings{Raw: json.RawMessage(`{"invoke_url":"https://x.example"}`)}},
		{"null config", `null`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got AuthenticatorConfig
			require.NoError(t, json.Unmarshal([]byte(acConfigJSON(tt.config)), &got))
			assert.Equal(t, acID, got.ID)
			assert.Equal(t, testRealm, got.RealmID)
			assert.Equal(t, testTenant, got.TenantID)
			assert.Equal(t, "Shop passkeys", got.DisplayName)
			assert.Equal(t, tt.want, got.Config)
			if tt.want != nil {
				assert.Equal(t, tt.want.AuthenticatorType(), got.Config.AuthenticatorType())
			}
		})
	}
}

func TestAuthenticatorConfigRoundTrips(t *testing.T) {
	for _, config := range []string{acEmbeddedJSON, acHostedWebJSON, acConsoleIDPJSON, acConsoleNoneJSON, acPlatformJSON, acUnknownJSON} {
		var cfg AuthenticatorConfig
		require.NoError(t, json.Unmarshal([]byte(acConfigJSON(config)), &cfg))
		out, err := json.Marshal(cfg)
		require.NoError(t, err)
		assert.JSONEq(t, acConfigJSON(config), string(out))
		// Through a pointer too.
		out, err = json.Marshal(&cfg)
		require.NoError(t, err)
		assert.JSONEq(t, acConfigJSON(config), string(out))
	}
	// The unknown kind is kept byte for byte.
	var cfg AuthenticatorConfig
	require.NoError(t, json.Unmarshal([]byte(acConfigJSON(acUnknownJSON)), &cfg))
	u, ok := cfg.Config.(*UnknownSettings)
	require.True(t, ok)
	assert.Equal(t, acUnknownJSON, string(u.Raw))
	assert.Equal(t, AuthenticatorType("quantum_token"), u.AuthenticatorType())

	// An unknown kind built by hand with only a type.
	out, err := json.Marshal(&UnknownSettings{Type: "future"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"future"}`, string(out))
	// Empty known kinds still carry their type.
	for s, want := range map[AuthenticatorSettings]string{
		&EmbeddedSettings{}:  `{"type":"embedded"}`,
		&HostedWebSettings{}: `{"type":"hosted_web"}`,
		&ConsoleSettings{}:   `{"type":"console"}`,
		&PlatformSettings{}:  `{"type":"platform"}`,
	} {
		out, err := json.Marshal(s)
		require.NoError(t, err)
		assert.JSONEq(t, want, string(out))
	}
	// No config at all is left out.
	out, err = json.Marshal(AuthenticatorConfig{ID: "x", Config: (*EmbeddedSettings)(nil)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"x"}`, string(out))
}

func TestAuthenticatorConfigMalformed(t *testing.T) {
	for _, s := range []string{
		`{"config":"embedded"}`,
		`{"config":{"type":"embedded","trusted_origins":"https://a.example"}}`,
		`{"config":{"type":"console","onboarding_configuration":[]}}`,
		`{"config":{"type":"platform","roaming_auth_config":{"enabled":"yes"}}}`,
		`{"config":{"type":7}}`,
		`[]`,
	} {
		var cfg AuthenticatorConfig
		assert.Error(t, json.Unmarshal([]byte(s), &cfg), s)
	}
	_, err := json.Marshal(&UnknownSettings{Raw: json.RawMessage(`{not json`)})
	assert.Error(t, err)
}

func TestAuthenticatorConfigsCreate(t *testing.T) {
	tests := []struct {
		name     string
		req      *CreateAuthenticatorConfigRequest
		wantBody string
	}{
		{"embedded", &CreateAuthenticatorConfigRequest{DisplayName: "Shop passkeys", Config: &EmbeddedSettings{
			InvokeURL: "https://shop.example", InvocationType: InvocationTypeManual,
			TrustedOrigins: []string{"https://shop.example", "http://localhost:3000"},
			AuthenticationMethods: []AuthenticationMethod{
				{Type: AuthenticationMethodWebAuthnPasskey}, {Type: AuthenticationMethodSoftwarePasskey}, {Type: AuthenticationMethodEmailOneTimePassword},
			},
		}}, acEmbeddedJSON},
		{"embedded app link", &CreateAuthenticatorConfigRequest{DisplayName: "Shop passkeys", Config: &EmbeddedSettings{
			InvokeURL: "shopapp://", TrustedOrigins: []string{"https://shop.example"},
		}}, `{"type":"embedded","invoke_url":"shopapp://","trusted_origins":["https://shop.example"]}`},
		{"hosted web", &CreateAuthenticatorConfigRequest{DisplayName: "Shop passkeys", Config: &HostedWebSettings{
			AuthenticationMethods: []AuthenticationMethod{{Type: AuthenticationMethodSoftwarePasskey}},
			TrustedOrigins:        []string{"https://login.shop.example"},
		}}, acHostedWebJSON},
		{"console", &CreateAuthenticatorConfigRequest{DisplayName: "Shop passkeys", Config: &ConsoleSettings{
			OnboardingConfiguration: ConsoleOnboardingConfiguration{VerificationMethod: ConsoleVerificationMethod{Type: ConsoleVerificationNone}},
		}}, acConsoleNoneJSON},
		{"platform", &CreateAuthenticatorConfigRequest{DisplayName: "Shop passkeys", Config: &PlatformSettings{
			TrustedOrigins: []string{"https://shop.example"},
			RoamingAuthConfig: &RoamingAuthConfig{Enabled: true, AllowUnknownUser: true, AllowedSourceIPs: []string{"203.0.113.0/24"},
				AllowedUserGroupIDs: []string{"g1"}, AllowedUserIDs: []string{"u1", "u2"}},
		}}, acPlatformJSON},
		{"platform roaming off is sent as false", &CreateAuthenticatorConfigRequest{DisplayName: "Shop passkeys", Config: &PlatformSettings{
			RoamingAuthConfig: &RoamingAuthConfig{},
		}}, `{"type":"platform","roaming_auth_config":{"enabled":false,"allow_unknown_user":false}}`},
		{"unknown kind passes through", &CreateAuthenticatorConfigRequest{DisplayName: "Shop passkeys", Config: &UnknownSettings{Raw: json.RawMessage(acUnknownJSON)}}, acUnknownJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newGockClient(t)
			apiMock(http.MethodPost, acPath()).
				AddMatcher(matchJSONBody(t, `{"authenticator_config":{"display_name":"Shop passkeys","config":`+tt.wantBody+`}}`)).
				Reply(200).
				JSON(acConfigJSON(tt.wantBody))
			cfg, err := c.AuthenticatorConfigs.Create(context.Background(), tt.req)
			require.NoError(t, err)
			assert.Equal(t, acID, cfg.ID)
			assert.Equal(t, normalizeSettings(tt.req.Config).AuthenticatorType(), cfg.Config.AuthenticatorType())
		})
	}
}

func TestAuthenticatorConfigsCreateWithoutDisplayName(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, acPath()).
		AddMatcher(matchJSONBody(t, `{"authenticator_config":{"config":{"type":"console","onboarding_configuration":{"verification_method":{"type":"idp","idp_id":"i-1"}}}}}`)).
		Reply(200).
		JSON(`{"id":"` + acID + `","config":{"type":"console","onboarding_configuration":{"verification_method":{"type":"idp","idp_id":"i-1"}}}}`)
	_, err := c.AuthenticatorConfigs.Create(context.Background(), &CreateAuthenticatorConfigRequest{Config: &ConsoleSettings{
		OnboardingConfiguration: ConsoleOnboardingConfiguration{VerificationMethod: ConsoleVerificationMethod{Type: ConsoleVerificationIDP, IDPID: "i-1"}},
	}})
	require.NoError(t, err)
}

func TestAuthenticatorConfigsGet(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, acPath("cfg%3A1%3Frevoke")).
		AddMatcher(matchNoBody).
		AddMatcher(matchQuery(t, nil)).
		Reply(200).
		JSON(acConfigJSON(acHostedWebJSON))
	cfg, err := c.AuthenticatorConfigs.Get(context.Background(), "cfg:1?revoke")
	require.NoError(t, err)
	hw, ok := cfg.Config.(*HostedWebSettings)
	require.True(t, ok, "got %T", cfg.Config)
	assert.Equal(t, []string{"https://login.shop.example"}, hw.TrustedOrigins)
}

func TestAuthenticatorConfigsGetNotFound(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, acPath(acID)).
		Reply(404).
		JSON(`{"code":"not_found","message":"authenticator config not found"}`)
	cfg, err := c.AuthenticatorConfigs.Get(context.Background(), acID)
	assert.Nil(t, cfg)
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestAuthenticatorConfigsListAndAll(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, acPath()).
		AddMatcher(matchNoBody).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"100"}, "page_token": {"t1"}, "filter": {`display_name eq "Shop"`}})).
		Reply(200).
		JSON(`{"authenticator_configs":[` + acConfigJSON(acEmbeddedJSON) + `,` + acConfigJSON(acUnknownJSON) + `],"total_size":2}`)
	// All: two pages, the filter and page size repeated with the token.
	apiMock(http.MethodGet, acPath()).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"1"}, "filter": {`display_name eq "Shop"`}})).
		Reply(200).
		JSON(`{"authenticator_configs":[` + acConfigJSON(acPlatformJSON) + `],"total_size":2,"next_page_token":"n2"}`)
	apiMock(http.MethodGet, acPath()).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"1"}, "filter": {`display_name eq "Shop"`}, "page_token": {"n2"}})).
		Reply(200).
		JSON(`{"authenticator_configs":[` + acConfigJSON(acConsoleNoneJSON) + `],"total_size":2,"next_page_token":""}`)

	ctx := context.Background()
	page, err := c.AuthenticatorConfigs.List(ctx, &ListAuthenticatorConfigsOptions{PageSize: 100, PageToken: "t1", Filter: `display_name eq "Shop"`})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	assert.IsType(t, &EmbeddedSettings{}, page.Items[0].Config)
	assert.IsType(t, &UnknownSettings{}, page.Items[1].Config)
	assert.Equal(t, 2, page.TotalSize)
	assert.Empty(t, page.NextPageToken)

	opts := &ListAuthenticatorConfigsOptions{PageSize: 1, Filter: `display_name eq "Shop"`}
	var kinds []AuthenticatorType
	for cfg, err := range c.AuthenticatorConfigs.All(ctx, opts) {
		require.NoError(t, err)
		kinds = append(kinds, cfg.Config.AuthenticatorType())
	}
	assert.Equal(t, []AuthenticatorType{AuthenticatorTypePlatform, AuthenticatorTypeConsole}, kinds)
	assert.Equal(t, &ListAuthenticatorConfigsOptions{PageSize: 1, Filter: `display_name eq "Shop"`}, opts)
}

func TestAuthenticatorConfigsUpdate(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPatch, acPath(acID)).
		AddMatcher(matchJSONBody(t, `{"authenticator_config":{"display_name":"Renamed"}}`)).
		Reply(200).
		JSON(acConfigJSON(acEmbeddedJSON))
	apiMock(http.MethodPatch, acPath(acID)).
		AddMatcher(matchJSONBody(t, `{"authenticator_config":{"config":{"type":"embedded","invoke_url":"https://new.shop.example"}}}`)).
		Reply(200).
		JSON(acConfigJSON(acEmbeddedJSON))
	apiMock(http.MethodPatch, acPath(acID)).
		AddMatcher(matchJSONBody(t, `{"authenticator_config":{"display_name":""}}`)).
		Reply(200).
		JSON(acConfigJSON(acEmbeddedJSON))

	ctx := context.Background()
	cfg, err := c.AuthenticatorConfigs.Update(ctx, acID, &UpdateAuthenticatorConfigRequest{DisplayName: Ptr("Renamed")})
	require.NoError(t, err)
	assert.Equal(t, acID, cfg.ID)
	_, err = c.AuthenticatorConfigs.Update(ctx, acID, &UpdateAuthenticatorConfigRequest{Config: &EmbeddedSettings{InvokeURL: "https://new.shop.example"}})
	require.NoError(t, err)
	// A pointer to "" is sent: unset and empty differ.
	_, err = c.AuthenticatorConfigs.Update(ctx, acID, &UpdateAuthenticatorConfigRequest{DisplayName: Ptr("")})
	require.NoError(t, err)
}

func TestAuthenticatorConfigsDelete(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"200 empty", 200, ""},
		{"200 {}", 200, "{}"},
		{"204", 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newGockClient(t)
			apiMock(http.MethodDelete, acPath(acID)).
				AddMatcher(matchNoBody).
				Reply(tt.status).
				BodyString(tt.body)
			require.NoError(t, c.AuthenticatorConfigs.Delete(context.Background(), acID))
		})
	}
}

func TestAuthenticatorConfigsValidationBeforeIO(t *testing.T) {
	c := newGockClient(t) // no mocks: any request fails the test at cleanup
	ctx := context.Background()
	create := func(r *CreateAuthenticatorConfigRequest) func() error {
		return func() error { _, err := c.AuthenticatorConfigs.Create(ctx, r); return err }
	}
	update := func(id string, r *UpdateAuthenticatorConfigRequest) func() error {
		return func() error { _, err := c.AuthenticatorConfigs.Update(ctx, id, r); return err }
	}
	origins := []string{"https://shop.example"}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"create nil", create(nil), "req"},
		{"create no config", create(&CreateAuthenticatorConfigRequest{DisplayName: "x"}), "Config"},
		{"create typed nil config", create(&CreateAuthenticatorConfigRequest{Config: (*PlatformSettings)(nil)}), "Config"},
		{"create embedded without invoke url", create(&CreateAuthenticatorConfigRequest{Config: &EmbeddedSettings{TrustedOrigins: origins}}), "Config.InvokeURL"},
		{"create embedded relative invoke url", create(&CreateAuthenticatorConfigRequest{Config: &EmbeddedSettings{InvokeURL: "/app", TrustedOrigins: origins}}), "Config.InvokeURL"},
		{"create embedded https without host", create(&CreateAuthenticatorConfigRequest{Config: &EmbeddedSettings{InvokeURL: "https://", TrustedOrigins: origins}}), "Config.InvokeURL"},
		{"create embedded without origins", create(&CreateAuthenticatorConfigRequest{Config: &EmbeddedSettings{InvokeURL: "https://shop.example"}}), "Config.TrustedOrigins"},
		{"create hosted web without methods", create(&CreateAuthenticatorConfigRequest{Config: &HostedWebSettings{TrustedOrigins: origins}}), "Config.AuthenticationMethods"},
		{"create hosted web without origins", create(&CreateAuthenticatorConfigRequest{Config: &HostedWebSettings{AuthenticationMethods: []AuthenticationMethod{{Type: AuthenticationMethodWebAuthnPasskey}}}}), "Config.TrustedOrigins"},
		{"create console without method", create(&CreateAuthenticatorConfigRequest{Config: &ConsoleSettings{}}), "Config.OnboardingConfiguration.VerificationMethod.Type"},
		{"create console idp without id", create(&CreateAuthenticatorConfigRequest{Config: &ConsoleSettings{OnboardingConfiguration: ConsoleOnboardingConfiguration{
			VerificationMethod: ConsoleVerificationMethod{Type: ConsoleVerificationIDP}}}}), "Config.OnboardingConfiguration.VerificationMethod.IDPID"},
		{"create unknown not an object", create(&CreateAuthenticatorConfigRequest{Config: &UnknownSettings{Raw: json.RawMessage(`[1]`)}}), "Config.Raw"},
		{"create unknown empty", create(&CreateAuthenticatorConfigRequest{Config: &UnknownSettings{}}), "Config"},
		{"get empty id", func() error { _, err := c.AuthenticatorConfigs.Get(ctx, ""); return err }, "authenticatorConfigID"},
		{"get dot-dot id", func() error { _, err := c.AuthenticatorConfigs.Get(ctx, ".."); return err }, "authenticatorConfigID"},
		{"update bad id", update("a/b", &UpdateAuthenticatorConfigRequest{DisplayName: Ptr("x")}), "authenticatorConfigID"},
		{"update nil", update(acID, nil), "req"},
		{"update relative invoke url", update(acID, &UpdateAuthenticatorConfigRequest{Config: &EmbeddedSettings{InvokeURL: "app"}}), "Config.InvokeURL"},
		{"delete blank id", func() error { return c.AuthenticatorConfigs.Delete(ctx, "  ") }, "authenticatorConfigID"},
		{"list page size 101", func() error {
			_, err := c.AuthenticatorConfigs.List(ctx, &ListAuthenticatorConfigsOptions{PageSize: 101})
			return err
		}, "PageSize"},
		{"list negative page size", func() error {
			_, err := c.AuthenticatorConfigs.List(ctx, &ListAuthenticatorConfigsOptions{PageSize: -1})
			return err
		}, "PageSize"},
		{"all page size 101", func() error {
			for _, err := range c.AuthenticatorConfigs.All(ctx, &ListAuthenticatorConfigsOptions{PageSize: 101}) {
				return err
			}
			return nil
		}, "PageSize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, "error: %v", err)
			assert.ErrorIs(t, err, ErrInvalidArgument)
		})
	}
}
