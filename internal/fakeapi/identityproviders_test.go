package fakeapi

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func oidcIdpConfig() map[string]any {
	return map[string]any{
		"type": "oidc_idp", "client_id": "idp-client", "client_secret": "idp-secret",
		"token_scopes": []string{"openid", "email"}, "identity_attribute": "email", "pkce": "s256",
		"jwks_url": "https://idp.example/.well-known/jwks.json", "token_url": "https://idp.example/token",
		"authorize_url": "https://idp.example/authorize", "identifying_claim_name": "email",
	}
}

func TestIdentityProvidersCRUD(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("identity-providers")

	// The create body is the identity provider itself, without an
	// envelope; the answer is the whole identity provider.
	cfg := oidcIdpConfig()
	cfg["redirect_url"] = "https://evil.example/ignored"
	m := s.mustDo(200, "POST", p, map[string]any{"display_name": "Okta IdP", "protocol_config": cfg, "id": "ignored"})
	id := m["id"].(string)
	assert.Regexp(t, `^[0-9a-f]{16}$`, id)
	redirect := s.url + s.realm("identity-providers/"+id+"/callback")
	want := oidcIdpConfig()
	want["token_scopes"] = []any{"openid", "email"}
	want["redirect_url"] = redirect
	assert.Equal(t, map[string]any{
		"id": id, "tenant_id": s.seed.TenantID, "realm_id": s.seed.RealmID, "display_name": "Okta IdP", "protocol_config": want,
	}, m, "the client secret comes back: the spec's answer requires it")
	assert.Equal(t, m, s.mustDo(200, "GET", p+"/"+id, nil))

	// PATCH: {"identity_provider": {...}}; only what is sent changes.
	u := s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"identity_provider": map[string]any{"display_name": "Okta"}})
	assert.Equal(t, "Okta", u["display_name"])
	assert.Equal(t, want, u["protocol_config"])
	u = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"identity_provider": map[string]any{"protocol_config": map[string]any{
		"type": "oidc_idp", "client_secret": "rotated", "pkce": "disabled", "redirect_url": "ignored",
	}}})
	want["client_secret"], want["pkce"] = "rotated", "disabled"
	assert.Equal(t, want, u["protocol_config"])
	assert.Equal(t, "Okta", u["display_name"])

	second := s.mustDo(200, "POST", p, map[string]any{"display_name": "Second", "protocol_config": oidcIdpConfig()})
	l := s.mustDo(200, "GET", p, nil)
	assert.EqualValues(t, 2, l["total_size"])
	assert.Equal(t, []string{id, second["id"].(string)}, ids(t, l, "identity_providers"))
	l = s.mustDo(200, "GET", p+"?page_size=1", nil)
	assert.Equal(t, []string{id}, ids(t, l, "identity_providers"))
	l = s.mustDo(200, "GET", p+"?page_token="+l["next_page_token"].(string), nil)
	assert.Equal(t, []string{second["id"].(string)}, ids(t, l, "identity_providers"))
	assert.NotContains(t, l, "next_page_token")

	st, body := s.do("DELETE", p+"/"+id, nil)
	assert.Equal(t, 200, st)
	assert.Nil(t, body)
	for _, method := range []string{"GET", "DELETE", "PATCH"} {
		r := s.mustDo(404, method, p+"/"+id, map[string]any{"identity_provider": map[string]any{}})
		errorOf(t, r, "not_found", "identity provider not found")
		assert.Equal(t, "IdentityProvider", resourceInfoOf(t, r)["resource_type"])
	}
	s.mustDo(404, "GET", s.admin("identity-providers/"+second["id"].(string)), nil)
}

func TestIdentityProviderValidation(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("identity-providers")
	without := func(key string) map[string]any {
		c := oidcIdpConfig()
		delete(c, key)
		return map[string]any{"display_name": "x", "protocol_config": c}
	}
	with := func(key string, v any) map[string]any {
		c := oidcIdpConfig()
		c[key] = v
		return map[string]any{"display_name": "x", "protocol_config": c}
	}
	for name, tc := range map[string]struct {
		body any
		want map[string]string
	}{
		"nothing":           {map[string]any{}, map[string]string{"display_name": "empty string", "protocol_config": "missing"}},
		"an envelope":       {map[string]any{"identity_provider": map[string]any{}}, map[string]string{"identity_provider": "unknown field", "display_name": "empty string", "protocol_config": "missing"}},
		"no type":           {without("type"), map[string]string{"protocol_config.type": "missing"}},
		"no secret":         {without("client_secret"), map[string]string{"protocol_config.client_secret": "missing"}},
		"no scopes":         {without("token_scopes"), map[string]string{"protocol_config.token_scopes": "missing"}},
		"relative jwks":     {with("jwks_url", "/jwks"), map[string]string{"protocol_config.jwks_url": "must be an absolute URL"}},
		"bad attribute":     {with("identity_attribute", "phone"), map[string]string{"protocol_config.identity_attribute": "must be one of id, email, username"}},
		"bad pkce":          {with("pkce", "S256"), map[string]string{"protocol_config.pkce": "must be one of disabled, plain, s256"}},
		"scopes not array":  {with("token_scopes", "openid"), map[string]string{"protocol_config.token_scopes": "must be an array of strings"}},
		"config not object": {map[string]any{"display_name": "x", "protocol_config": []int{}}, map[string]string{"protocol_config": "must be an object"}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "POST", p, tc.body)))
		})
	}
	assert.EqualValues(t, 0, s.mustDo(200, "GET", p, nil)["total_size"])

	id := s.mustDo(200, "POST", p, map[string]any{"display_name": "x", "protocol_config": oidcIdpConfig()})["id"].(string)
	m := s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"identity_provider": map[string]any{"protocol_config": map[string]any{"client_id": "x"}}})
	assert.Equal(t, map[string]string{"identity_provider.protocol_config.type": "missing"}, violationsOf(t, m))
	// Removing a required member with null is refused; nothing changes.
	m = s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"identity_provider": map[string]any{"display_name": "y", "protocol_config": map[string]any{"type": "oidc_idp", "token_url": nil}}})
	assert.Equal(t, map[string]string{"identity_provider.protocol_config.token_url": "missing"}, violationsOf(t, m))
	assert.Equal(t, "x", s.mustDo(200, "GET", p+"/"+id, nil)["display_name"])
}

// TestIdentityProviderUnknownKindRoundTrip: a protocol config of a kind
// the fake does not know, and the unknown members of a known one, come
// back exactly as they were sent.
func TestIdentityProviderUnknownKindRoundTrip(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("identity-providers")
	saml := `{"type":"saml_idp","metadata_url":"https://idp.example/md?a=1&b=<2>","weights":[1.50,-0.0e+0,12345678901234567890123],"nested":{"z":null,"a":{"é":"\u00e9\ud83d\ude00"}},"client_secret":"s"}`
	st, body := s.raw("POST", p, `{"display_name":"SAML","protocol_config":`+saml+`}`)
	require.Equal(t, 200, st, "%s", body)
	assert.Equal(t, saml, string(protocolConfigOf(t, body)), "every member, in order, as sent")
	var idp struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal(body, &idp))
	st, body = s.raw("GET", p+"/"+idp.ID, "")
	require.Equal(t, 200, st)
	assert.Equal(t, saml, string(protocolConfigOf(t, body)))

	// An update of the same kind merges member by member.
	st, body = s.raw("PATCH", p+"/"+idp.ID, `{"identity_provider":{"protocol_config":{"type":"saml_idp","weights":null,"extra":{"b":1,"a":2}}}}`)
	require.Equal(t, 200, st, "%s", body)
	assert.Equal(t, `{"type":"saml_idp","metadata_url":"https://idp.example/md?a=1&b=<2>","nested":{"z":null,"a":{"é":"\u00e9\ud83d\ude00"}},"client_secret":"s","extra":{"b":1,"a":2}}`,
		string(protocolConfigOf(t, body)))

	// A known kind keeps its unknown members; a change of kind starts over
	// and must be whole.
	st, body = s.raw("PATCH", p+"/"+idp.ID, `{"identity_provider":{"protocol_config":{"type":"oidc_idp","client_id":"c"}}}`)
	require.Equal(t, 400, st, "%s", body)
	c := oidcIdpConfig()
	c["x_vendor"] = json.RawMessage(`{"k":[1.0,true]}`)
	b, _ := json.Marshal(map[string]any{"identity_provider": map[string]any{"protocol_config": c}})
	st, body = s.raw("PATCH", p+"/"+idp.ID, string(b))
	require.Equal(t, 200, st, "%s", body)
	pc := map[string]json.RawMessage{}
	require.NoError(t, json.Unmarshal(protocolConfigOf(t, body), &pc))
	assert.Equal(t, `{"k":[1.0,true]}`, string(pc["x_vendor"]))
	assert.NotContains(t, pc, "metadata_url", "the old kind's members are gone")
	assert.Contains(t, pc, "redirect_url")
}

// protocolConfigOf returns the raw protocol_config of an identity
// provider answer.
func protocolConfigOf(t *testing.T, body []byte) json.RawMessage {
	t.Helper()
	var v struct {
		ProtocolConfig json.RawMessage `json:"protocol_config"`
	}
	require.NoError(t, json.Unmarshal(body, &v), "%s", body)
	return v.ProtocolConfig
}
