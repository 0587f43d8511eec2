package contract

import (
	"encoding/json"
	"net/http"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unknownIdentityProviderID names no identity provider of the fake.
const unknownIdentityProviderID = "00000000000000a1"

// oidcIdentityProvider returns a complete OIDC protocol config.
func oidcIdentityProvider() *bi.OIDCIdentityProviderConfig {
	return &bi.OIDCIdentityProviderConfig{
		ClientID: "beyond-identity", ClientSecret: bi.NewSecret("client-secret-from-the-idp"),
		TokenScopes: []string{"openid", "email"}, IdentityAttribute: bi.SubjectFieldEmail, PKCE: bi.PKCES256,
		JWKSURL: "https://idp.example/.well-known/jwks.json", TokenURL: "https://idp.example/token",
		AuthorizeURL: "https://idp.example/authorize", IdentifyingClaimName: "email",
	}
}

// newIdentityProvider creates an OIDC identity provider with a fresh name.
func newIdentityProvider(t *testing.T, c *bi.Client) *bi.IdentityProvider {
	t.Helper()
	p, err := c.IdentityProviders.Create(t.Context(), &bi.CreateIdentityProviderRequest{
		DisplayName: unique("IdP "), ProtocolConfig: oidcIdentityProvider()})
	require.NoError(t, err)
	return p
}

// oidcOf returns the OIDC config of an identity provider.
func oidcOf(t *testing.T, p *bi.IdentityProvider) *bi.OIDCIdentityProviderConfig {
	t.Helper()
	pc, ok := p.ProtocolConfig.(*bi.OIDCIdentityProviderConfig)
	require.True(t, ok, "protocol config of %s is a %T", p.ID, p.ProtocolConfig)
	return pc
}

func idpIDs(ps []*bi.IdentityProvider) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestProxyIdentityProviders(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()

	name := unique("Corporate IdP ")
	created, err := c.IdentityProviders.Create(ctx, &bi.CreateIdentityProviderRequest{DisplayName: name,
		ProtocolConfig: oidcIdentityProvider()})
	require.NoError(t, err)
	assert.NotEmpty(t, created.ID)
	assert.Equal(t, env.fake.TenantID, created.TenantID)
	assert.Equal(t, env.fake.RealmID, created.RealmID)
	assert.Equal(t, name, created.DisplayName)
	pc := oidcOf(t, created)
	assert.NotEmpty(t, pc.RedirectURL, "Beyond Identity's callback")
	want := *oidcIdentityProvider()
	want.RedirectURL = pc.RedirectURL
	assert.Equal(t, &want, pc)
	assert.Equal(t, "client-secret-from-the-idp", pc.ClientSecret.Reveal(), "the API hands the secret back")

	got, err := c.IdentityProviders.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created, got)

	second := newIdentityProvider(t, c)
	page, err := c.IdentityProviders.List(ctx, &bi.CursorOptions{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.GreaterOrEqual(t, page.TotalSize, 2)
	assert.NotEmpty(t, page.NextPageToken)
	var all []*bi.IdentityProvider
	for p, err := range c.IdentityProviders.All(ctx, &bi.CursorOptions{PageSize: 1}) {
		require.NoError(t, err)
		assert.NotNil(t, p.ProtocolConfig, p.ID)
		all = append(all, p)
	}
	assert.Len(t, all, page.TotalSize)
	assert.Subset(t, idpIDs(all), []string{created.ID, second.ID})

	// A PATCH changes what it sends: the name alone, then some protocol
	// config members, the others (the secret too) staying as they are.
	renamed := unique("Renamed IdP ")
	upd, err := c.IdentityProviders.Update(ctx, created.ID, &bi.UpdateIdentityProviderRequest{DisplayName: bi.Ptr(renamed)})
	require.NoError(t, err)
	assert.Equal(t, renamed, upd.DisplayName)
	assert.Equal(t, pc, oidcOf(t, upd))
	upd, err = c.IdentityProviders.Update(ctx, created.ID, &bi.UpdateIdentityProviderRequest{
		ProtocolConfig: &bi.OIDCIdentityProviderConfig{TokenScopes: []string{"openid"}, PKCE: bi.PKCEPlain}})
	require.NoError(t, err)
	assert.Equal(t, renamed, upd.DisplayName)
	wantUpd := *pc
	wantUpd.TokenScopes, wantUpd.PKCE = []string{"openid"}, bi.PKCEPlain
	assert.Equal(t, &wantUpd, oidcOf(t, upd))
	got, err = c.IdentityProviders.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, upd, got)

	// A PATCH without members changes nothing.
	same, err := c.IdentityProviders.Update(ctx, created.ID, &bi.UpdateIdentityProviderRequest{})
	require.NoError(t, err)
	assert.Equal(t, upd, same)

	for _, id := range []string{created.ID, second.ID} {
		require.NoError(t, c.IdentityProviders.Delete(ctx, id))
	}
	rest, err := c.IdentityProviders.List(ctx, nil)
	require.NoError(t, err)
	assert.NotContains(t, idpIDs(rest.Items), created.ID)
	assert.NotContains(t, idpIDs(rest.Items), second.ID)
}

// TestProxyIdentityProviderUnknownMember shows that a protocol config
// member the SDK does not know survives create, get and update.
func TestProxyIdentityProviderUnknownMember(t *testing.T) {
	c, chk := proxyClient(t)
	ctx := t.Context()
	check := func(step string, p *bi.IdentityProvider, want string) {
		t.Helper()
		var answer struct {
			ProtocolConfig map[string]json.RawMessage `json:"protocol_config"`
		}
		require.NoError(t, json.Unmarshal(chk.Last().Body, &answer), step)
		assert.Equal(t, want, string(answer.ProtocolConfig[extensionKey]), "%s: the answer's bytes", step)
		assert.Equal(t, want, string(oidcOf(t, p).Extra[extensionKey]), "%s: Extra", step)
	}
	pc := oidcIdentityProvider()
	pc.Extra = map[string]json.RawMessage{extensionKey: json.RawMessage(extension)}
	p, err := c.IdentityProviders.Create(ctx, &bi.CreateIdentityProviderRequest{DisplayName: unique("Extended IdP "), ProtocolConfig: pc})
	require.NoError(t, err)
	check("create", p, extension)
	got, err := c.IdentityProviders.Get(ctx, p.ID)
	require.NoError(t, err)
	check("get", got, extension)
	upd, err := c.IdentityProviders.Update(ctx, p.ID, &bi.UpdateIdentityProviderRequest{
		ProtocolConfig: &bi.OIDCIdentityProviderConfig{IdentifyingClaimName: "sub"}})
	require.NoError(t, err)
	check("update", upd, extension)
	assert.Equal(t, "sub", oidcOf(t, upd).IdentifyingClaimName)
	require.NoError(t, c.IdentityProviders.Delete(ctx, p.ID))
}

// foreignAudienceClient returns a client whose token is valid and of the
// tenant but for another resource server than the Management API: the
// identity provider operations need no scope, only such a token.
func foreignAudienceClient(t *testing.T, c *bi.Client) *bi.Client {
	t.Helper()
	ctx := t.Context()
	rs := newServer(t, c, "pets:read")
	app, err := c.Applications.Create(ctx, &bi.CreateApplicationRequest{
		DisplayName: unique("Pet sync "), ResourceServerID: rs.ID,
		ProtocolConfig: &bi.OAuth2Config{OAuthSettings: bi.OAuthSettings{
			AllowedScopes: []string{"pets:read"}, Confidentiality: bi.ConfidentialityConfidential,
			GrantTypes: []bi.GrantType{bi.GrantTypeClientCredentials},
		}},
	})
	require.NoError(t, err)
	o := oauthOf(t, app, bi.ProtocolTypeOAuth2)
	t.Cleanup(func() {
		ctx := t.Context()
		_ = c.Applications.Delete(ctx, app.ID)
		_ = c.ResourceServers.Delete(ctx, rs.ID)
	})
	foreign, _ := proxyClientAuth(t, bi.WithClientCredentials(bi.ClientCredentials{
		RealmID: env.fake.RealmID, ApplicationID: app.ID, ClientID: o.ClientID, ClientSecret: o.ClientSecret,
	}))
	return foreign
}

func TestProxyIdentityProviderErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	p := newIdentityProvider(t, c)

	t.Run("400 empty display name", func(t *testing.T) {
		// The SDK refuses this before sending; the spec puts no bound on
		// the name, the server refuses an empty one.
		_, err := c.IdentityProviders.Create(ctx, &bi.CreateIdentityProviderRequest{ProtocolConfig: oidcIdentityProvider()})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		b, err := json.Marshal(oidcIdentityProvider())
		require.NoError(t, err)
		var pcDoc map[string]any
		require.NoError(t, json.Unmarshal(b, &pcDoc))
		pcDoc["client_secret"] = "client-secret-from-the-idp"
		status, ae := rawAPI(t, hc, http.MethodPost, "/identity-providers", map[string]any{
			"display_name": "", "protocol_config": pcDoc,
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "display_name", fieldOf(ae))
	})
	t.Run("400 URL that is not absolute", func(t *testing.T) {
		// The spec types the URLs as strings ("Must be a URL").
		pc := oidcIdentityProvider()
		pc.TokenURL = "/token"
		_, err := c.IdentityProviders.Create(ctx, &bi.CreateIdentityProviderRequest{DisplayName: "Relative", ProtocolConfig: pc})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.ErrorIs(t, err, bi.ErrInvalidArgument)
		assert.Equal(t, "protocol_config.token_url", fieldOf(ae))
		_, err = c.IdentityProviders.Update(ctx, p.ID, &bi.UpdateIdentityProviderRequest{
			ProtocolConfig: &bi.OIDCIdentityProviderConfig{JWKSURL: "jwks.json"}})
		ae = requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "identity_provider.protocol_config.jwks_url", fieldOf(ae))
	})
	t.Run("400 unknown member on update", func(t *testing.T) {
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPatch, "/identity-providers/"+p.ID, map[string]any{
			"identity_provider": map[string]any{"nickname": "x"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "identity_provider.nickname", fieldOf(ae))
	})
	t.Run("400 invalid page token", func(t *testing.T) {
		_, err := c.IdentityProviders.List(ctx, &bi.CursorOptions{PageToken: "not-a-page-token"})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "page_token", fieldOf(ae))
	})
	t.Run("404 identity provider", func(t *testing.T) {
		// The identity provider operations document no 404.
		check := func(err error) {
			t.Helper()
			ae := requireAPIError(t, err, http.StatusNotFound)
			assert.ErrorIs(t, err, bi.ErrNotFound)
			if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
				assert.Equal(t, "IdentityProvider", ri.ResourceType)
				assert.Equal(t, unknownIdentityProviderID, ri.ResourceID)
			}
		}
		_, err := c.IdentityProviders.Get(ctx, unknownIdentityProviderID)
		check(err)
		_, err = c.IdentityProviders.Update(ctx, unknownIdentityProviderID, &bi.UpdateIdentityProviderRequest{DisplayName: bi.Ptr("X")})
		check(err)
		check(c.IdentityProviders.Delete(ctx, unknownIdentityProviderID))
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		for _, err := range identityProviderCalls(t, bad, p.ID) {
			requireAPIError(t, err, http.StatusUnauthorized)
			assert.ErrorIs(t, err, bi.ErrUnauthorized)
		}
	})
	t.Run("403 token of another resource server", func(t *testing.T) {
		// These operations need a Management API token and no scope.
		foreign := foreignAudienceClient(t, c)
		for _, err := range identityProviderCalls(t, foreign, p.ID) {
			requireAPIError(t, err, http.StatusForbidden)
			assert.ErrorIs(t, err, bi.ErrForbidden)
		}
	})

	got, err := c.IdentityProviders.Get(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, p, got, "the refused calls changed nothing")
	require.NoError(t, c.IdentityProviders.Delete(ctx, p.ID))
}

// identityProviderCalls calls each identity provider operation once and
// returns their errors in that order.
func identityProviderCalls(t *testing.T, c *bi.Client, id string) []error {
	t.Helper()
	ctx := t.Context()
	var errs []error
	add := func(_ any, err error) { errs = append(errs, err) }
	add(c.IdentityProviders.Create(ctx, &bi.CreateIdentityProviderRequest{DisplayName: "X", ProtocolConfig: oidcIdentityProvider()}))
	add(c.IdentityProviders.List(ctx, nil))
	add(c.IdentityProviders.Get(ctx, id))
	add(c.IdentityProviders.Update(ctx, id, &bi.UpdateIdentityProviderRequest{DisplayName: bi.Ptr("X")}))
	errs = append(errs, c.IdentityProviders.Delete(ctx, id))
	require.Len(t, errs, 5)
	return errs
}
