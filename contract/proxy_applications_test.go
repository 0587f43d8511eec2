package contract

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unknownAppID names no application of the fake.
const unknownAppID = "00000000-0000-4000-8000-0000000000a0"

// extensionKey is a protocol config member neither the spec nor the SDK
// knows, and extension its value: nested objects and arrays, each JSON
// type, a non-ASCII string and a fraction.
//
// The value is written the way JavaScript's JSON.stringify writes it:
// compact, strings without optional escapes, numbers in their shortest
// form, no integer-like member names. Prism's proxy parses the JSON bodies
// it validates and forwards them re-serialized, in both directions: through
// it "caf\u00e9" arrives as "café", 1.50 as 1.5, 1e2 as 100,
// 12345678901234567890 as 12345678901234567000, and a member named "1"
// moves to the front of its object. bifake and the SDK keep such a value as
// it was sent; through the proxy only this form can be compared byte for
// byte.
const (
	extensionKey = "x_contract_extension"
	extension    = `{"nested":{"list":[1,"two",true,null,{"k":[]}],"n":-0.25,"s":"café ü"},"on":false}`
)

func appIDs(apps []*bi.Application) []string {
	var out []string
	for _, a := range apps {
		out = append(out, a.ID)
	}
	return out
}

// oauthOf returns the OAuth settings of an application's protocol config,
// failing t when it is not of the kind want.
func oauthOf(t *testing.T, app *bi.Application, want bi.ProtocolType) *bi.OAuthSettings {
	t.Helper()
	require.NotNil(t, app.ProtocolConfig, "application %s has no protocol config", app.ID)
	require.Equal(t, want, app.ProtocolConfig.ProtocolType())
	switch pc := app.ProtocolConfig.(type) {
	case *bi.OAuth2Config:
		return &pc.OAuthSettings
	case *bi.OIDCConfig:
		return &pc.OAuthSettings
	}
	t.Fatalf("protocol config of %s is a %T", app.ID, app.ProtocolConfig)
	return nil
}

// memberOf returns the raw value of one member of the protocol config in
// an application's JSON answer, as the SDK received it.
func memberOf(t *testing.T, answer []byte, key string) []byte {
	t.Helper()
	var app struct {
		ProtocolConfig map[string]json.RawMessage `json:"protocol_config"`
	}
	require.NoError(t, json.Unmarshal(answer, &app), string(answer))
	return app.ProtocolConfig[key]
}

func TestProxyApplications(t *testing.T) {
	c, chk := proxyClient(t)
	ctx := t.Context()
	rs := newServer(t, c, "pets:read", "pets:write")

	// A confidential OAuth 2.0 client of the resource server, with the
	// client credentials grant; the defaults are the server's.
	m2mName := unique("Pet sync ")
	m2m, err := c.Applications.Create(ctx, &bi.CreateApplicationRequest{
		DisplayName: m2mName, ResourceServerID: rs.ID,
		ProtocolConfig: &bi.OAuth2Config{OAuthSettings: bi.OAuthSettings{
			AllowedScopes:      []string{"pets:read"},
			Confidentiality:    bi.ConfidentialityConfidential,
			GrantTypes:         []bi.GrantType{bi.GrantTypeClientCredentials},
			TokenConfiguration: &bi.TokenConfiguration{ExpiresAfter: 3600},
			TokenFormat:        bi.TokenFormatReferential,
		}},
	})
	require.NoError(t, err)
	assert.NotEmpty(t, m2m.ID)
	assert.Equal(t, env.fake.RealmID, m2m.RealmID)
	assert.Equal(t, env.fake.TenantID, m2m.TenantID)
	assert.Equal(t, rs.ID, m2m.ResourceServerID)
	assert.Equal(t, m2mName, m2m.DisplayName)
	assert.False(t, m2m.IsManaged)
	o := oauthOf(t, m2m, bi.ProtocolTypeOAuth2)
	assert.NotEmpty(t, o.ClientID)
	assert.NotEmpty(t, o.ClientSecret.Reveal(), "a confidential application gets a client secret")
	assert.Equal(t, []string{"pets:read"}, o.AllowedScopes)
	assert.Equal(t, bi.ConfidentialityConfidential, o.Confidentiality)
	assert.Equal(t, []bi.GrantType{bi.GrantTypeClientCredentials}, o.GrantTypes)
	assert.Equal(t, &bi.TokenConfiguration{ExpiresAfter: 3600, TokenSigningAlgorithm: "RS256", SubjectField: "id"},
		o.TokenConfiguration, "the spec's defaults filled in")
	assert.Equal(t, bi.PKCEDisabled, o.PKCE, "the spec's default")
	assert.Equal(t, bi.TokenFormatReferential, o.TokenFormat)
	assert.Empty(t, o.Extra)
	// The deprecated token_endpoint_auth_method is set by the server.
	assert.JSONEq(t, `"client_secret_basic"`, string(memberOf(t, chk.Last().Body, "token_endpoint_auth_method")))

	// A public OpenID Connect client with PKCE, an authenticator config and
	// no resource server.
	webName := unique("Pet web ")
	web, err := c.Applications.Create(ctx, &bi.CreateApplicationRequest{
		DisplayName: webName, AuthenticatorConfigID: env.fake.AuthenticatorConfigID,
		ProtocolConfig: &bi.OIDCConfig{OAuthSettings: bi.OAuthSettings{
			Confidentiality: bi.ConfidentialityPublic,
			GrantTypes:      []bi.GrantType{bi.GrantTypeAuthorizationCode},
			RedirectURIs:    []string{"https://app.example/callback", "http://localhost:3000/callback"},
			PKCE:            bi.PKCES256,
			TokenConfiguration: &bi.TokenConfiguration{ExpiresAfter: 600,
				TokenSigningAlgorithm: "RS256", SubjectField: "email"},
		}},
	})
	require.NoError(t, err)
	assert.Empty(t, web.ResourceServerID)
	assert.Equal(t, env.fake.AuthenticatorConfigID, web.AuthenticatorConfigID)
	w := oauthOf(t, web, bi.ProtocolTypeOIDC)
	assert.NotEmpty(t, w.ClientID)
	assert.NotEqual(t, o.ClientID, w.ClientID)
	assert.True(t, w.ClientSecret.IsZero(), "a public application has no client secret")
	assert.Empty(t, w.AllowedScopes)
	assert.Equal(t, bi.ConfidentialityPublic, w.Confidentiality)
	assert.Equal(t, []bi.GrantType{bi.GrantTypeAuthorizationCode}, w.GrantTypes)
	assert.Equal(t, []string{"https://app.example/callback", "http://localhost:3000/callback"}, w.RedirectURIs)
	assert.Equal(t, bi.PKCES256, w.PKCE)
	assert.Equal(t, &bi.TokenConfiguration{ExpiresAfter: 600, TokenSigningAlgorithm: "RS256", SubjectField: "email"}, w.TokenConfiguration)
	assert.Equal(t, bi.TokenFormatSelfContained, w.TokenFormat, "the spec's default")
	assert.JSONEq(t, `"none"`, string(memberOf(t, chk.Last().Body, "token_endpoint_auth_method")))

	// Read back as created, the client secret included.
	for _, app := range []*bi.Application{m2m, web} {
		got, err := c.Applications.Get(ctx, app.ID)
		require.NoError(t, err)
		assert.Equal(t, app, got)
	}
	got, err := c.Applications.Get(ctx, m2m.ID)
	require.NoError(t, err)
	assert.Equal(t, o.ClientSecret.Reveal(), oauthOf(t, got, bi.ProtocolTypeOAuth2).ClientSecret.Reveal())

	// Pages of one, followed through their tokens.
	page, err := c.Applications.List(ctx, &bi.CursorOptions{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.GreaterOrEqual(t, page.TotalSize, 2)
	assert.NotEmpty(t, page.NextPageToken)
	var all []*bi.Application
	for app, err := range c.Applications.All(ctx, &bi.CursorOptions{PageSize: 2}) {
		require.NoError(t, err)
		assert.NotNil(t, app.ProtocolConfig, "application %s", app.ID)
		all = append(all, app)
	}
	assert.Len(t, all, page.TotalSize)
	assert.Subset(t, appIDs(all), []string{m2m.ID, web.ID})

	// A PATCH of some protocol config members leaves the others as they
	// are: the OAuth 2.0 client gains a scope, the OIDC client changes its
	// redirect URIs and its name.
	upd, err := c.Applications.Update(ctx, m2m.ID, &bi.UpdateApplicationRequest{
		ProtocolConfig: &bi.OAuth2Config{OAuthSettings: bi.OAuthSettings{AllowedScopes: []string{"pets:read", "pets:write"}}},
	})
	require.NoError(t, err)
	uo := oauthOf(t, upd, bi.ProtocolTypeOAuth2)
	assert.Equal(t, []string{"pets:read", "pets:write"}, uo.AllowedScopes)
	want := *o
	want.AllowedScopes = uo.AllowedScopes
	assert.Equal(t, &want, uo, "only allowed_scopes changed")
	assert.Equal(t, o.ClientSecret.Reveal(), uo.ClientSecret.Reveal(), "the client secret stays")
	assert.Equal(t, m2mName, upd.DisplayName)
	assert.Equal(t, rs.ID, upd.ResourceServerID)

	renamed := unique("Pet portal ")
	upd, err = c.Applications.Update(ctx, web.ID, &bi.UpdateApplicationRequest{
		DisplayName:    bi.Ptr(renamed),
		ProtocolConfig: &bi.OIDCConfig{OAuthSettings: bi.OAuthSettings{RedirectURIs: []string{"https://portal.example/callback"}}},
	})
	require.NoError(t, err)
	assert.Equal(t, renamed, upd.DisplayName)
	assert.Equal(t, env.fake.AuthenticatorConfigID, upd.AuthenticatorConfigID)
	uw := oauthOf(t, upd, bi.ProtocolTypeOIDC)
	wantW := *w
	wantW.RedirectURIs = []string{"https://portal.example/callback"}
	assert.Equal(t, &wantW, uw, "only redirect_uris changed")
	got, err = c.Applications.Get(ctx, web.ID)
	require.NoError(t, err)
	assert.Equal(t, upd, got)

	// A PATCH with no member changes nothing.
	same, err := c.Applications.Update(ctx, web.ID, &bi.UpdateApplicationRequest{})
	require.NoError(t, err)
	assert.Equal(t, upd, same)

	// Application.display_name has neither a length limit nor a pattern,
	// unlike the names of groups, realms, roles, identities and tenants:
	// the server takes "Pets: Admin Console". ApplicationsService.Create
	// and Update refuse it before sending (they apply those names'
	// 64-character limit and forbidden characters), a bug of the library:
	// the SDK's create is left out, and a raw request shows the answer.
	_, hc := newChecker(t, modeProxy)
	status, b := rawRequest(t, hc, http.MethodPost, "/realms/"+env.fake.RealmID+"/applications", map[string]any{
		"application": map[string]any{"display_name": "Pets: Admin Console", "protocol_config": map[string]any{"type": "oauth2"}},
	})
	require.Equal(t, http.StatusOK, status, "%s", b)
	var colon struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal(b, &colon))
	got, err = c.Applications.Get(ctx, colon.ID)
	require.NoError(t, err)
	assert.Equal(t, "Pets: Admin Console", got.DisplayName)
	require.NoError(t, c.Applications.Delete(ctx, colon.ID))

	for _, id := range []string{m2m.ID, web.ID} {
		require.NoError(t, c.Applications.Delete(ctx, id))
		_, err = c.Applications.Get(ctx, id)
		assert.ErrorIs(t, err, bi.ErrNotFound)
	}
	require.NoError(t, c.ResourceServers.Delete(ctx, rs.ID))
}

// TestProxyApplicationUnknownMember shows that a protocol config member the
// SDK does not know survives create, get and update byte for byte: in
// OAuthSettings.Extra and in the JSON answers, through the proxy.
func TestProxyApplicationUnknownMember(t *testing.T) {
	c, chk := proxyClient(t)
	ctx := t.Context()
	value := []byte(extension)
	var buf bytes.Buffer
	require.NoError(t, json.Compact(&buf, value))
	require.Equal(t, extension, buf.String(), "compact, as the SDK sends Extra members")

	check := func(step string, app *bi.Application, want []byte) {
		t.Helper()
		answer := chk.Last().Body
		assert.Equal(t, string(want), string(memberOf(t, answer, extensionKey)), "%s: the answer's bytes", step)
		assert.Equal(t, string(want), string(oauthOf(t, app, bi.ProtocolTypeOAuth2).Extra[extensionKey]), "%s: Extra", step)
	}

	app, err := c.Applications.Create(ctx, &bi.CreateApplicationRequest{
		DisplayName: unique("Extended "),
		ProtocolConfig: &bi.OAuth2Config{OAuthSettings: bi.OAuthSettings{
			GrantTypes: []bi.GrantType{bi.GrantTypeAuthorizationCode},
			Extra:      map[string]json.RawMessage{extensionKey: json.RawMessage(extension)},
		}},
	})
	require.NoError(t, err)
	check("create", app, value)

	got, err := c.Applications.Get(ctx, app.ID)
	require.NoError(t, err)
	check("get", got, value)

	// An update that names other members keeps it.
	upd, err := c.Applications.Update(ctx, app.ID, &bi.UpdateApplicationRequest{
		DisplayName:    bi.Ptr(unique("Extended ")),
		ProtocolConfig: &bi.OAuth2Config{OAuthSettings: bi.OAuthSettings{PKCE: bi.PKCES256}},
	})
	require.NoError(t, err)
	check("update", upd, value)
	assert.Equal(t, bi.PKCES256, oauthOf(t, upd, bi.ProtocolTypeOAuth2).PKCE)

	// What a get decoded goes back as it came: the SDK writes Extra back.
	back := oauthOf(t, got, bi.ProtocolTypeOAuth2)
	upd, err = c.Applications.Update(ctx, app.ID, &bi.UpdateApplicationRequest{
		ProtocolConfig: &bi.OAuth2Config{OAuthSettings: bi.OAuthSettings{Extra: back.Extra}},
	})
	require.NoError(t, err)
	check("update with the Extra a get gave", upd, value)

	// An update that sets it changes it.
	next := []byte(`{"nested":{"list":[]},"on":true}`)
	upd, err = c.Applications.Update(ctx, app.ID, &bi.UpdateApplicationRequest{
		ProtocolConfig: &bi.OAuth2Config{OAuthSettings: bi.OAuthSettings{Extra: map[string]json.RawMessage{extensionKey: next}}},
	})
	require.NoError(t, err)
	check("update of the member", upd, next)
	got, err = c.Applications.Get(ctx, app.ID)
	require.NoError(t, err)
	check("get after the update", got, next)

	require.NoError(t, c.Applications.Delete(ctx, app.ID))
}

func TestProxyApplicationErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	rs := newServer(t, c, "pets:read")
	app, err := c.Applications.Create(ctx, &bi.CreateApplicationRequest{
		DisplayName: unique("Target "), ResourceServerID: rs.ID,
		ProtocolConfig: &bi.OAuth2Config{OAuthSettings: bi.OAuthSettings{
			AllowedScopes: []string{"pets:read"}, GrantTypes: []bi.GrantType{bi.GrantTypeClientCredentials},
		}},
	})
	require.NoError(t, err)
	oauth2 := func(s bi.OAuthSettings) bi.ProtocolConfig { return &bi.OAuth2Config{OAuthSettings: s} }

	t.Run("400 missing display name", func(t *testing.T) {
		// The SDK refuses this before sending; the spec's Application
		// schema requires nothing, the server requires a name.
		_, err := c.Applications.Create(ctx, &bi.CreateApplicationRequest{ProtocolConfig: oauth2(bi.OAuthSettings{})})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPost, "/applications", map[string]any{
			"application": map[string]any{"protocol_config": map[string]any{"type": "oauth2"}},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "application.display_name", fieldOf(ae))
	})
	t.Run("400 missing protocol config", func(t *testing.T) {
		// The SDK refuses this before sending.
		_, err := c.Applications.Create(ctx, &bi.CreateApplicationRequest{DisplayName: "No protocol"})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPost, "/applications", map[string]any{
			"application": map[string]any{"display_name": "No protocol"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "application.protocol_config", fieldOf(ae))
	})
	t.Run("400 scope the resource server lacks", func(t *testing.T) {
		_, err := c.Applications.Create(ctx, &bi.CreateApplicationRequest{DisplayName: "Greedy", ResourceServerID: rs.ID,
			ProtocolConfig: oauth2(bi.OAuthSettings{AllowedScopes: []string{"pets:write"}})})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.ErrorIs(t, err, bi.ErrInvalidArgument)
		assert.Equal(t, "application.protocol_config.allowed_scopes", fieldOf(ae))
		// Without a resource server, "scopes must necessarily be empty".
		_, err = c.Applications.Update(ctx, app.ID, &bi.UpdateApplicationRequest{ResourceServerID: bi.Ptr("")})
		ae = requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "application.protocol_config.allowed_scopes", fieldOf(ae))
	})
	t.Run("400 public without PKCE", func(t *testing.T) {
		// "public OIDC and OAuth2 configured applications MUST enable PKCE
		// support"; PKCE defaults to disabled.
		_, err := c.Applications.Create(ctx, &bi.CreateApplicationRequest{DisplayName: "Leaky",
			ProtocolConfig: &bi.OIDCConfig{OAuthSettings: bi.OAuthSettings{Confidentiality: bi.ConfidentialityPublic,
				GrantTypes: []bi.GrantType{bi.GrantTypeAuthorizationCode}, RedirectURIs: []string{"https://app.example/cb"}}}})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "application.protocol_config.pkce", fieldOf(ae))
	})
	t.Run("400 relative redirect URI", func(t *testing.T) {
		_, err := c.Applications.Update(ctx, app.ID, &bi.UpdateApplicationRequest{
			ProtocolConfig: oauth2(bi.OAuthSettings{RedirectURIs: []string{"/callback"}})})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "application.protocol_config.redirect_uris[0]", fieldOf(ae))
	})
	t.Run("400 unknown member on update", func(t *testing.T) {
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPatch, "/applications/"+app.ID, map[string]any{
			"application": map[string]any{"nickname": "x"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "application.nickname", fieldOf(ae))
	})
	t.Run("400 invalid page token", func(t *testing.T) {
		_, err := c.Applications.List(ctx, &bi.CursorOptions{PageToken: "not-a-page-token"})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "page_token", fieldOf(ae))
	})
	t.Run("403 managed", func(t *testing.T) {
		// The Management API application "may not be modified by the user".
		admin := c.InRealm(env.fake.AdminRealmID)
		before, err := admin.Applications.Get(ctx, env.fake.ApplicationID)
		require.NoError(t, err)
		assert.True(t, before.IsManaged)
		_, err = admin.Applications.Update(ctx, env.fake.ApplicationID, &bi.UpdateApplicationRequest{DisplayName: bi.Ptr("Mine now")})
		requireAPIError(t, err, http.StatusForbidden)
		assert.ErrorIs(t, err, bi.ErrForbidden)
		err = admin.Applications.Delete(ctx, env.fake.ApplicationID)
		requireAPIError(t, err, http.StatusForbidden)
		after, err := admin.Applications.Get(ctx, env.fake.ApplicationID)
		require.NoError(t, err)
		assert.Equal(t, before, after, "unchanged")
	})
	t.Run("404 application", func(t *testing.T) {
		check := func(err error) {
			t.Helper()
			ae := requireAPIError(t, err, http.StatusNotFound)
			assert.ErrorIs(t, err, bi.ErrNotFound)
			if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
				assert.Equal(t, "Application", ri.ResourceType)
				assert.Equal(t, unknownAppID, ri.ResourceID)
			}
		}
		_, err := c.Applications.Get(ctx, unknownAppID)
		check(err)
		_, err = c.Applications.Update(ctx, unknownAppID, &bi.UpdateApplicationRequest{DisplayName: bi.Ptr("X")})
		check(err)
		check(c.Applications.Delete(ctx, unknownAppID))
	})
	t.Run("404 resource server", func(t *testing.T) {
		_, err := c.Applications.Create(ctx, &bi.CreateApplicationRequest{DisplayName: "Lost", ResourceServerID: unknownServerID,
			ProtocolConfig: oauth2(bi.OAuthSettings{})})
		ae := requireAPIError(t, err, http.StatusNotFound)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "ResourceServer", ri.ResourceType)
			assert.Equal(t, unknownServerID, ri.ResourceID)
		}
	})
	t.Run("404 authenticator config", func(t *testing.T) {
		_, err := c.Applications.Update(ctx, app.ID, &bi.UpdateApplicationRequest{AuthenticatorConfigID: bi.Ptr(unknownServerID)})
		ae := requireAPIError(t, err, http.StatusNotFound)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "AuthenticatorConfig", ri.ResourceType)
			assert.Equal(t, unknownServerID, ri.ResourceID)
		}
	})
	t.Run("404 realm", func(t *testing.T) {
		nowhere := c.InRealm(unknownID)
		_, err := nowhere.Applications.Create(ctx, &bi.CreateApplicationRequest{DisplayName: "X", ProtocolConfig: oauth2(bi.OAuthSettings{})})
		ae := requireAPIError(t, err, http.StatusNotFound)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "Realm", ri.ResourceType)
		}
		_, err = nowhere.Applications.List(ctx, nil)
		requireAPIError(t, err, http.StatusNotFound)
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		for _, err := range applicationCalls(t, bad, app.ID) {
			requireAPIError(t, err, http.StatusUnauthorized)
			assert.ErrorIs(t, err, bi.ErrUnauthorized)
		}
	})
	t.Run("403 scope missing", func(t *testing.T) {
		narrow := proxyClientScopes(t, narrowScope)
		for _, err := range applicationCalls(t, narrow, app.ID) {
			requireAPIError(t, err, http.StatusForbidden)
			assert.ErrorIs(t, err, bi.ErrForbidden)
		}
	})

	require.NoError(t, c.Applications.Delete(ctx, app.ID))
	require.NoError(t, c.ResourceServers.Delete(ctx, rs.ID))
}

// applicationCalls calls each application operation once and returns their
// errors in that order.
func applicationCalls(t *testing.T, c *bi.Client, appID string) []error {
	t.Helper()
	ctx := t.Context()
	var errs []error
	add := func(_ any, err error) { errs = append(errs, err) }
	add(c.Applications.Create(ctx, &bi.CreateApplicationRequest{DisplayName: "X", ProtocolConfig: &bi.OAuth2Config{}}))
	add(c.Applications.List(ctx, nil))
	add(c.Applications.Get(ctx, appID))
	add(c.Applications.Update(ctx, appID, &bi.UpdateApplicationRequest{DisplayName: bi.Ptr("X")}))
	errs = append(errs, c.Applications.Delete(ctx, appID))
	require.Len(t, errs, 5)
	return errs
}
