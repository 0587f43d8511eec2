package beyondidentity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// idpsOf returns the identity provider service of c.
func idpsOf(c *Client) *IdentityProvidersService { return &IdentityProvidersService{client: c} }

const (
	idpsPath  = testRealmPath + "/identity-providers"
	testIDP   = "e372db224c06e850" // the spec's example identity_provider_id
	idpSecret = "oidc-idp-client-secret-Zx8Cv7Bn6M"
)

// oidcIDPConfigJSON is an oidc_idp protocol config as the API answers it
// (IdentityProviderProtocolConfigOidcIdpResponse).
const oidcIDPConfigJSON = `{"type":"oidc_idp","client_id":"bi-at-idp","client_secret":"` + idpSecret + `",
	"token_scopes":["openid","email"],"identity_attribute":"email","pkce":"s256",
	"jwks_url":"https://idp.example.com/.well-known/jwks.json","token_url":"https://idp.example.com/token",
	"authorize_url":"https://idp.example.com/authorize","redirect_url":"https://auth-us.beyondidentity.com/v1/tenants/0001f1f460b1ace6/realms/8f5bec58229e6f29/idp/callback",
	"identifying_claim_name":"email"}`

func idpJSON(id, name, config string) string {
	return `{"id":"` + id + `","tenant_id":"` + testTenant + `","realm_id":"` + testRealm + `","display_name":"` + name + `","protocol_config":` + config + `}`
}

func TestIdentityProviderDecoding(t *testing.T) {
	var p IdentityProvider
	require.NoError(t, json.Unmarshal([]byte(idpJSON(testIDP, "Corporate IdP", oidcIDPConfigJSON)), &p))
	assert.Equal(t, testIDP, p.ID)
	assert.Equal(t, testTenant, p.TenantID)
	assert.Equal(t, testRealm, p.RealmID)
	cfg, ok := p.ProtocolConfig.(*OIDCIdentityProviderConfig)
	require.True(t, ok, "%T", p.ProtocolConfig)
	assert.Equal(t, IdentityProviderTypeOIDC, cfg.IdentityProviderType())
	assert.Equal(t, []string{"openid", "email"}, cfg.TokenScopes)
	assert.Equal(t, SubjectFieldEmail, cfg.IdentityAttribute)
	assert.Equal(t, PKCES256, cfg.PKCE)
	assert.Equal(t, idpSecret, cfg.ClientSecret.Reveal())
	assert.Contains(t, cfg.RedirectURL, "/idp/callback")
	assert.Nil(t, cfg.Extra)

	require.NoError(t, json.Unmarshal([]byte(`{"id":"x","protocol_config":null}`), &p))
	assert.Nil(t, p.ProtocolConfig)
	assert.Error(t, json.Unmarshal([]byte(`{"id":"x","protocol_config":{"type":"oidc_idp","token_scopes":"openid"}}`), &p))
}

func TestIdentityProvidersRequestShapes(t *testing.T) {
	c := newGockClient(t)
	s := idpsOf(c)
	idp := idpJSON(testIDP, "Corporate IdP", oidcIDPConfigJSON)
	// The API describes the create body without an envelope.
	apiMock(http.MethodPost, idpsPath).
		AddMatcher(matchJSONBody(t, `{"display_name":"Corporate IdP","protocol_config":{"type":"oidc_idp","client_id":"bi-at-idp",
			"client_secret":"`+idpSecret+`","token_scopes":["openid","email"],"identity_attribute":"email","pkce":"s256",
			"jwks_url":"https://idp.example.com/.well-known/jwks.json","token_url":"https://idp.example.com/token",
			"authorize_url":"https://idp.example.com/authorize","identifying_claim_name":"email"}}`)).
		Reply(200).BodyString(idp)
	// The API describes the create answer as the protocol config alone.
	apiMock(http.MethodPost, idpsPath).Reply(200).BodyString(oidcIDPConfigJSON)
	apiMock(http.MethodGet, idpsPath+"/"+testIDP).AddMatcher(matchNoBody).AddMatcher(matchQuery(t, nil)).Reply(200).BodyString(idp)
	apiMock(http.MethodGet, idpsPath).AddMatcher(matchQuery(t, map[string][]string{"page_size": {"1"}})).
		Reply(200).BodyString(`{"identity_providers":[` + idp + `],"total_size":2,"next_page_token":"n 1"}`)
	apiMock(http.MethodGet, idpsPath).AddMatcher(matchQuery(t, map[string][]string{"page_size": {"1"}, "page_token": {"n 1"}})).
		Reply(200).BodyString(`{"identity_providers":[` + idpJSON("f00", "Second", `{"type":"saml_idp","x":1}`) + `],"total_size":2,"next_page_token":null}`)
	apiMock(http.MethodPatch, idpsPath+"/"+testIDP).
		AddMatcher(matchJSONBody(t, `{"identity_provider":{"display_name":"Renamed","protocol_config":{"type":"oidc_idp","token_scopes":[],"pkce":"plain"}}}`)).
		Reply(200).BodyString(idp)
	apiMock(http.MethodPatch, idpsPath+"/"+testIDP).
		AddMatcher(matchJSONBody(t, `{"identity_provider":{"display_name":"Only the name"}}`)).Reply(200).BodyString(idp)
	apiMock(http.MethodDelete, idpsPath+"/idp%3A2").AddMatcher(matchNoBody).Reply(200)

	ctx := context.Background()
	full := &OIDCIdentityProviderConfig{ClientID: "bi-at-idp", ClientSecret: NewSecret(idpSecret), TokenScopes: []string{"openid", "email"},
		IdentityAttribute: SubjectFieldEmail, PKCE: PKCES256, JWKSURL: "https://idp.example.com/.well-known/jwks.json",
		TokenURL: "https://idp.example.com/token", AuthorizeURL: "https://idp.example.com/authorize", IdentifyingClaimName: "email",
		RedirectURL: "read-only, not sent"}
	created, err := s.Create(ctx, &CreateIdentityProviderRequest{DisplayName: "Corporate IdP", ProtocolConfig: full})
	require.NoError(t, err)
	assert.Equal(t, testIDP, created.ID)
	bare, err := s.Create(ctx, &CreateIdentityProviderRequest{DisplayName: "Corporate IdP", ProtocolConfig: full})
	require.NoError(t, err)
	assert.Empty(t, bare.ID)
	assert.Equal(t, idpSecret, bare.ProtocolConfig.(*OIDCIdentityProviderConfig).ClientSecret.Reveal())
	_, err = s.Get(ctx, testIDP)
	require.NoError(t, err)
	var names []string
	for p, err := range s.All(ctx, &CursorOptions{PageSize: 1}) {
		require.NoError(t, err)
		names = append(names, p.DisplayName+":"+string(p.ProtocolConfig.IdentityProviderType()))
	}
	assert.Equal(t, []string{"Corporate IdP:oidc_idp", "Second:saml_idp"}, names)
	_, err = s.Update(ctx, testIDP, &UpdateIdentityProviderRequest{DisplayName: Ptr("Renamed"),
		ProtocolConfig: &OIDCIdentityProviderConfig{TokenScopes: []string{}, PKCE: PKCEPlain}})
	require.NoError(t, err)
	_, err = s.Update(ctx, testIDP, &UpdateIdentityProviderRequest{DisplayName: Ptr("Only the name")})
	require.NoError(t, err)
	require.NoError(t, s.Delete(ctx, "idp:2"))
}

func TestIdentityProviderUnknownKindAndMembersSurviveGetAndUpdate(t *testing.T) {
	const future = `{"type":"saml_idp","metadata":{"url":"https://idp.example.com/md","certs":[1,{"a":null}]},"signing_secret":"sss-unknown-secret-123"}`
	const member = `{"k":[true,false]}`
	withExtra := strings.Replace(oidcIDPConfigJSON, `"type":"oidc_idp",`, `"type":"oidc_idp","future_member":`+member+`,`, 1)
	c := newGockClient(t)
	s := idpsOf(c)
	apiMock(http.MethodGet, idpsPath+"/"+testIDP).Reply(200).BodyString(idpJSON(testIDP, "Future", future))
	apiMock(http.MethodPatch, idpsPath+"/"+testIDP).
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			var w struct {
				IdentityProvider struct {
					ProtocolConfig json.RawMessage `json:"protocol_config"`
				} `json:"identity_provider"`
			}
			err := json.Unmarshal(readAndRestore(r), &w)
			return err == nil && string(w.IdentityProvider.ProtocolConfig) == future, err
		}).
		Reply(200).BodyString(idpJSON(testIDP, "Future", future))
	apiMock(http.MethodGet, idpsPath+"/"+testIDP).Reply(200).BodyString(idpJSON(testIDP, "OIDC", withExtra))
	apiMock(http.MethodPatch, idpsPath+"/"+testIDP).
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			var w struct {
				IdentityProvider struct {
					ProtocolConfig map[string]json.RawMessage `json:"protocol_config"`
				} `json:"identity_provider"`
			}
			err := json.Unmarshal(readAndRestore(r), &w)
			pc := w.IdentityProvider.ProtocolConfig
			// Sent back whole, but for the read-only redirect_url.
			return err == nil && string(pc["future_member"]) == member && pc["redirect_url"] == nil &&
				string(pc["client_secret"]) == `"`+idpSecret+`"`, err
		}).
		Reply(200).BodyString(idpJSON(testIDP, "OIDC", withExtra))

	ctx := context.Background()
	p, err := s.Get(ctx, testIDP)
	require.NoError(t, err)
	u, ok := p.ProtocolConfig.(*UnknownIdentityProviderConfig)
	require.True(t, ok, "%T", p.ProtocolConfig)
	assert.Equal(t, IdentityProviderType("saml_idp"), u.IdentityProviderType())
	assert.Equal(t, future, string(u.Raw), "byte for byte")
	p, err = s.Update(ctx, testIDP, &UpdateIdentityProviderRequest{ProtocolConfig: p.ProtocolConfig})
	require.NoError(t, err)
	assert.Equal(t, future, string(p.ProtocolConfig.(*UnknownIdentityProviderConfig).Raw))

	p, err = s.Get(ctx, testIDP)
	require.NoError(t, err)
	cfg := p.ProtocolConfig.(*OIDCIdentityProviderConfig)
	assert.Equal(t, member, string(cfg.Extra["future_member"]), "byte for byte")
	p, err = s.Update(ctx, testIDP, &UpdateIdentityProviderRequest{ProtocolConfig: cfg})
	require.NoError(t, err)
	assert.Equal(t, member, string(p.ProtocolConfig.(*OIDCIdentityProviderConfig).Extra["future_member"]))
}

func TestIdentityProviderSecrets(t *testing.T) {
	const unknownSecret = "sss-unknown-secret-123"
	for _, config := range []string{oidcIDPConfigJSON, `{"type":"saml_idp","signing_secret":"` + unknownSecret + `"}`} {
		var p IdentityProvider
		require.NoError(t, json.Unmarshal([]byte(idpJSON(testIDP, "IdP", config)), &p))
		for _, v := range []any{p, &p, p.ProtocolConfig} {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
				out := fmt.Sprintf(verb, v)
				assert.NotContains(t, out, idpSecret, verb)
				assert.NotContains(t, out, unknownSecret, verb)
			}
			b, err := json.Marshal(v)
			require.NoError(t, err)
			assert.NotContains(t, string(b), idpSecret)
			assert.NotContains(t, string(b), unknownSecret)
		}
	}

	// Sent only in the body's protocol_config.client_secret, never in the
	// URL or a header; an error quoting it does not.
	c := newGockClient(t)
	apiMock(http.MethodPost, idpsPath).
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			if strings.Contains(r.URL.String(), idpSecret) {
				return false, nil
			}
			for _, vs := range r.Header {
				for _, v := range vs {
					if strings.Contains(v, idpSecret) {
						return false, nil
					}
				}
			}
			body := readAndRestore(r)
			var w struct {
				ProtocolConfig struct {
					ClientSecret string `json:"client_secret"`
				} `json:"protocol_config"`
			}
			err := json.Unmarshal(body, &w)
			return err == nil && w.ProtocolConfig.ClientSecret == idpSecret && strings.Count(string(body), idpSecret) == 1, err
		}).
		Reply(422).JSON(map[string]any{"code": "unprocessable_entity", "message": "the identity provider refused " + idpSecret})
	_, err := idpsOf(c).Create(context.Background(), &CreateIdentityProviderRequest{DisplayName: "IdP", ProtocolConfig: &OIDCIdentityProviderConfig{
		ClientID: "c", ClientSecret: NewSecret(idpSecret), TokenScopes: []string{"openid"}, IdentityAttribute: SubjectFieldID,
		PKCE: PKCEDisabled, JWKSURL: "https://i/jwks", TokenURL: "https://i/token", AuthorizeURL: "https://i/authorize",
		IdentifyingClaimName: "sub"}})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.NotContains(t, err.Error(), idpSecret)
	assert.NotContains(t, fmt.Sprintf("%+v", ae), idpSecret)
}

func TestIdentityProvidersValidationBeforeIO(t *testing.T) {
	c := newGockClient(t) // no mocks: any request fails the test
	s := idpsOf(c)
	ctx := context.Background()
	complete := func() *OIDCIdentityProviderConfig {
		return &OIDCIdentityProviderConfig{ClientID: "c", ClientSecret: NewSecret("s3cr3t-value"), TokenScopes: []string{"openid"},
			IdentityAttribute: SubjectFieldID, PKCE: PKCEDisabled, JWKSURL: "https://i/jwks", TokenURL: "https://i/token",
			AuthorizeURL: "https://i/authorize", IdentifyingClaimName: "sub"}
	}
	noSecret := complete()
	noSecret.ClientSecret = NewSecret("")
	noScopes := complete()
	noScopes.TokenScopes = nil
	create := func(name string, pc IdentityProviderConfig) func() error {
		return func() error {
			_, err := s.Create(ctx, &CreateIdentityProviderRequest{DisplayName: name, ProtocolConfig: pc})
			return err
		}
	}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"create nil", func() error { _, err := s.Create(ctx, nil); return err }, "req"},
		{"create no name", create("", complete()), "DisplayName"},
		{"create no protocol", create("IdP", nil), "ProtocolConfig"},
		{"create nil typed protocol", create("IdP", (*OIDCIdentityProviderConfig)(nil)), "ProtocolConfig"},
		{"create nil unknown protocol", create("IdP", (*UnknownIdentityProviderConfig)(nil)), "ProtocolConfig"},
		{"create without secret", create("IdP", noSecret), "ProtocolConfig.ClientSecret"},
		{"create without scopes", create("IdP", noScopes), "ProtocolConfig.TokenScopes"},
		{"create unknown without type", create("IdP", &UnknownIdentityProviderConfig{Raw: json.RawMessage(`{"x":1}`)}), "ProtocolConfig"},
		{"create extra shadows a field", create("IdP", &OIDCIdentityProviderConfig{ClientID: "c", ClientSecret: NewSecret("s3cr3t-value"),
			TokenScopes: []string{"openid"}, IdentityAttribute: SubjectFieldID, PKCE: PKCEDisabled, JWKSURL: "j", TokenURL: "t",
			AuthorizeURL: "a", IdentifyingClaimName: "sub", Extra: map[string]json.RawMessage{"redirect_url": json.RawMessage(`"x"`)}}),
			`ProtocolConfig.Extra["redirect_url"]`},
		{"get empty", func() error { _, err := s.Get(ctx, ""); return err }, "identityProviderID"},
		{"get dotdot", func() error { _, err := s.Get(ctx, ".."); return err }, "identityProviderID"},
		{"list page size", func() error { _, err := s.List(ctx, &CursorOptions{PageSize: 201}); return err }, "PageSize"},
		{"all negative page size", func() error {
			for _, err := range s.All(ctx, &CursorOptions{PageSize: -1}) {
				return err
			}
			return nil
		}, "PageSize"},
		{"update nil", func() error { _, err := s.Update(ctx, testIDP, nil); return err }, "req"},
		{"update bad id", func() error { _, err := s.Update(ctx, "a/b", &UpdateIdentityProviderRequest{}); return err }, "identityProviderID"},
		{"update empty name", func() error {
			_, err := s.Update(ctx, testIDP, &UpdateIdentityProviderRequest{DisplayName: Ptr("")})
			return err
		}, "DisplayName"},
		{"update extra not JSON", func() error {
			_, err := s.Update(ctx, testIDP, &UpdateIdentityProviderRequest{ProtocolConfig: &OIDCIdentityProviderConfig{
				Extra: map[string]json.RawMessage{"x": json.RawMessage(`nope`)}}})
			return err
		}, `ProtocolConfig.Extra["x"]`},
		{"delete empty", func() error { return s.Delete(ctx, "") }, "identityProviderID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.True(t, errors.Is(err, ErrInvalidArgument))
		})
	}
}
