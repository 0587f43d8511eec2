package fakeapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// raw sends a request with a body given as JSON text, with the headers of a
// generated client, and returns the answer's bytes.
func (s *tserver) raw(method, path, body string) (int, []byte) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := s.hc.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return resp.StatusCode, b
}

// protocolMembers decodes the raw members of an application's
// protocol_config.
func protocolMembers(t *testing.T, body []byte) map[string]json.RawMessage {
	t.Helper()
	var app struct {
		ProtocolConfig map[string]json.RawMessage `json:"protocol_config"`
	}
	require.NoError(t, json.Unmarshal(body, &app), "%s", body)
	require.NotNil(t, app.ProtocolConfig, "%s", body)
	return app.ProtocolConfig
}

func TestApplicationsCRUD(t *testing.T) {
	s := newServer(t, Config{})
	rs := s.createResourceServer("https://api.mypetapp.com", "pets:read", "pets:write")
	p := s.realm("applications")
	m := s.mustDo(200, "POST", p, map[string]any{"application": map[string]any{
		"display_name": "Pet Application", "resource_server_id": rs, "id": "ignored", "is_managed": true,
		"authenticator_config_id": s.seed.AuthenticatorConfigID,
		"protocol_config": map[string]any{
			"type": "oidc", "allowed_scopes": []string{"pets:read", "pets:write"}, "confidentiality": "confidential",
			"token_endpoint_auth_method": "client_secret_post", "grant_type": []string{"authorization_code"},
			"redirect_uris":       []string{"https://auth.mypetapp.com/callback"},
			"token_configuration": map[string]any{"expires_after": 86400},
			"client_id":           "mine", "client_secret": "mine",
		},
	}})
	id := m["id"].(string)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, id)
	pc := m["protocol_config"].(map[string]any)
	clientID, secret := pc["client_id"].(string), pc["client_secret"].(string)
	assert.Regexp(t, `^[A-Za-z0-9]{24}$`, clientID)
	assert.Regexp(t, `^[A-Za-z0-9]{48}$`, secret)
	assert.Equal(t, map[string]any{
		"id": id, "realm_id": s.seed.RealmID, "tenant_id": s.seed.TenantID, "resource_server_id": rs,
		"authenticator_config_id": s.seed.AuthenticatorConfigID, "display_name": "Pet Application", "is_managed": false,
		"protocol_config": map[string]any{
			"type": "oidc", "allowed_scopes": []any{"pets:read", "pets:write"}, "client_id": clientID, "client_secret": secret,
			"confidentiality": "confidential", "token_endpoint_auth_method": "client_secret_basic",
			"grant_type": []any{"authorization_code"}, "redirect_uris": []any{"https://auth.mypetapp.com/callback"},
			"token_configuration": map[string]any{"expires_after": float64(86400), "token_signing_algorithm": "RS256", "subject_field": "id"},
			"pkce":                "disabled", "token_format": "self_contained",
		},
	}, m)
	assert.Equal(t, m, s.mustDo(200, "GET", p+"/"+id, nil))

	// PATCH: only what is sent changes.
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"application": map[string]any{"display_name": "Pets"}})
	assert.Equal(t, "Pets", m["display_name"])
	assert.Equal(t, pc, m["protocol_config"])
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"application": map[string]any{"protocol_config": map[string]any{
		"allowed_scopes": []string{"pets:read"}, "pkce": "s256", "client_secret": "ignored",
	}}})
	pc2 := m["protocol_config"].(map[string]any)
	assert.Equal(t, []any{"pets:read"}, pc2["allowed_scopes"])
	assert.Equal(t, "s256", pc2["pkce"])
	assert.Equal(t, secret, pc2["client_secret"])
	assert.Equal(t, pc["redirect_uris"], pc2["redirect_uris"])
	assert.Equal(t, "Pets", m["display_name"])

	// Public: no secret, token_endpoint_auth_method none; the client ID stays.
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"application": map[string]any{"protocol_config": map[string]any{"confidentiality": "public"}}})
	pc3 := m["protocol_config"].(map[string]any)
	assert.NotContains(t, pc3, "client_secret")
	assert.Equal(t, "none", pc3["token_endpoint_auth_method"])
	assert.Equal(t, clientID, pc3["client_id"])
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"application": map[string]any{"protocol_config": map[string]any{"confidentiality": "confidential"}}})
	pc4 := m["protocol_config"].(map[string]any)
	assert.Regexp(t, `^[A-Za-z0-9]{48}$`, pc4["client_secret"])
	assert.NotEqual(t, secret, pc4["client_secret"], "a new secret")

	// A new protocol type replaces the config; the credentials stay.
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"application": map[string]any{"protocol_config": map[string]any{"type": "oauth2", "grant_type": []string{"client_credentials"}}}})
	assert.Equal(t, map[string]any{
		"type": "oauth2", "grant_type": []any{"client_credentials"}, "client_id": clientID, "client_secret": pc4["client_secret"],
		"confidentiality": "confidential", "token_endpoint_auth_method": "client_secret_basic", "pkce": "disabled", "token_format": "self_contained",
	}, m["protocol_config"])
	// Detach the resource server; the authenticator config too.
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"application": map[string]any{"resource_server_id": nil, "authenticator_config_id": ""}})
	assert.NotContains(t, m, "resource_server_id")
	assert.NotContains(t, m, "authenticator_config_id")

	public := s.mustDo(200, "POST", p, map[string]any{"application": map[string]any{
		"display_name": "SPA", "protocol_config": map[string]any{"type": "oidc", "confidentiality": "public", "pkce": "s256"},
	}})
	assert.NotContains(t, public["protocol_config"], "client_secret")
	m = s.mustDo(200, "GET", p, nil)
	assert.EqualValues(t, 2, m["total_size"])
	assert.Equal(t, []string{id, public["id"].(string)}, ids(t, m, "applications"))

	st, body := s.do("DELETE", p+"/"+id, nil)
	assert.Equal(t, 200, st)
	assert.Nil(t, body)
	for _, method := range []string{"GET", "DELETE"} {
		m = s.mustDo(404, method, p+"/"+id, nil)
		errorOf(t, m, "not_found", "application not found")
		assert.Equal(t, "Application", resourceInfoOf(t, m)["resource_type"])
	}
	s.mustDo(404, "PATCH", p+"/"+id, map[string]any{"application": map[string]any{}})
	// Applications are per realm.
	s.mustDo(404, "GET", s.admin("applications/"+public["id"].(string)), nil)
}

// TestApplicationUnknownMembersRoundTrip: protocol config members the fake
// does not know come back exactly as they were sent, through create, get
// and updates.
func TestApplicationUnknownMembersRoundTrip(t *testing.T) {
	s := newServer(t, Config{})
	unknown := map[string]string{
		"x_ratio":                   `1.50`,
		"x_big":                     `12345678901234567890123`,
		"x_exp":                     `-0.0e+0`,
		"x_html":                    `"<a href=\"x\">&amp;</a>"`,
		"x_escapes":                 `"\u00e9\ud83d\ude00\/\t"`,
		"x_utf8":                    `"é😀"`,
		"x_nested":                  `{"z":[true,null,{"k":"v","a":1}],"a":{}}`,
		"x_empty":                   `[]`,
		"post_logout_redirect_uris": `["https://app.example/bye"]`,
	}
	var b strings.Builder
	b.WriteString(`{"application":{"display_name":"App","protocol_config":{"type":"oidc","confidentiality":"public","pkce":"s256"`)
	for k, v := range unknown {
		b.WriteString(`,"` + k + `":` + v)
	}
	b.WriteString(`}}}`)
	check := func(body []byte, want map[string]string) {
		t.Helper()
		got := protocolMembers(t, body)
		for k, v := range want {
			assert.Equal(t, v, string(got[k]), "member %s", k)
		}
	}

	st, body := s.raw("POST", s.realm("applications"), b.String())
	require.Equal(t, 200, st, "%s", body)
	check(body, unknown)
	var app struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal(body, &app))
	p := s.realm("applications/" + app.ID)
	st, body = s.raw("GET", p, "")
	require.Equal(t, 200, st)
	check(body, unknown)

	// An update that does not name them keeps them.
	st, body = s.raw("PATCH", p, `{"application":{"display_name":"Renamed","protocol_config":{"redirect_uris":["https://app.example/cb"]}}}`)
	require.Equal(t, 200, st, "%s", body)
	check(body, unknown)
	assert.Equal(t, `["https://app.example/cb"]`, string(protocolMembers(t, body)["redirect_uris"]))
	// One that names one replaces it as sent, or removes it with null.
	st, body = s.raw("PATCH", p, `{"application":{"protocol_config":{"x_ratio":2.50,"x_empty":null,"x_new":{"b":1,"a":2}}}}`)
	require.Equal(t, 200, st, "%s", body)
	want := map[string]string{"x_ratio": `2.50`, "x_new": `{"b":1,"a":2}`}
	for k, v := range unknown {
		if _, ok := want[k]; !ok && k != "x_empty" {
			want[k] = v
		}
	}
	check(body, want)
	assert.NotContains(t, protocolMembers(t, body), "x_empty")
	st, body2 := s.raw("GET", p, "")
	require.Equal(t, 200, st)
	assert.Equal(t, string(body), string(body2))

	// A new protocol type starts afresh: the unknown members go.
	st, body = s.raw("PATCH", p, `{"application":{"protocol_config":{"type":"oauth2","pkce":"plain","x_kept":1}}}`)
	require.Equal(t, 200, st, "%s", body)
	got := protocolMembers(t, body)
	assert.NotContains(t, got, "x_ratio")
	assert.Equal(t, `1`, string(got["x_kept"]))
	assert.Equal(t, `"confidential"`, string(got["confidentiality"]), "the new config takes the defaults, not the old config's members")
	assert.Contains(t, got, "client_secret")
}

func TestApplicationValidation(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("applications")
	rs := s.createResourceServer("https://api.example", "pets:read")
	app := func(pc map[string]any) map[string]any {
		return map[string]any{"application": map[string]any{"display_name": "a", "resource_server_id": rs, "protocol_config": pc}}
	}
	const pcp = "application.protocol_config"
	for name, tc := range map[string]struct {
		body any
		want map[string]string
	}{
		"no application":     {map[string]any{}, map[string]string{"application": "missing"}},
		"nothing":            {map[string]any{"application": map[string]any{}}, map[string]string{"application.display_name": "empty string", pcp: "missing"}},
		"unknown app member": {map[string]any{"application": map[string]any{"display_name": "a", "protocol_config": map[string]any{"type": "oauth2"}, "x": 1}}, map[string]string{"application.x": "unknown field"}},
		"no type":            {app(map[string]any{}), map[string]string{pcp + ".type": "missing"}},
		// "At present, there are only two supported protocol types".
		"saml":             {app(map[string]any{"type": "saml"}), map[string]string{pcp + ".type": "must be one of oauth2, oidc"}},
		"confidentiality":  {app(map[string]any{"type": "oidc", "confidentiality": "secret"}), map[string]string{pcp + ".confidentiality": "must be one of confidential, public"}},
		"public, no pkce":  {app(map[string]any{"type": "oidc", "confidentiality": "public"}), map[string]string{pcp + ".pkce": "a public application must enable PKCE (plain or s256)"}},
		"pkce":             {app(map[string]any{"type": "oidc", "pkce": "S256"}), map[string]string{pcp + ".pkce": "must be one of disabled, plain, s256"}},
		"grant type":       {app(map[string]any{"type": "oauth2", "grant_type": []string{"password"}}), map[string]string{pcp + ".grant_type[0]": "must be one of authorization_code, client_credentials"}},
		"grant not list":   {app(map[string]any{"type": "oauth2", "grant_type": "client_credentials"}), map[string]string{pcp + ".grant_type": "must be an array of strings"}},
		"redirect uri":     {app(map[string]any{"type": "oauth2", "redirect_uris": []string{"/cb"}}), map[string]string{pcp + ".redirect_uris[0]": "must be an absolute URL"}},
		"token format":     {app(map[string]any{"type": "oauth2", "token_format": "jwt"}), map[string]string{pcp + ".token_format": "must be one of self_contained, referential"}},
		"no expires_after": {app(map[string]any{"type": "oauth2", "token_configuration": map[string]any{}}), map[string]string{pcp + ".token_configuration.expires_after": "missing"}},
		"bad expires_after": {app(map[string]any{"type": "oauth2", "token_configuration": map[string]any{"expires_after": -1, "token_signing_algorithm": "HS256", "subject_field": "phone"}}),
			map[string]string{pcp + ".token_configuration.expires_after": "must be an integer from 0 to 4294967295", pcp + ".token_configuration.token_signing_algorithm": "must be RS256", pcp + ".token_configuration.subject_field": "must be one of id, email, username"}},
		"bad scope": {app(map[string]any{"type": "oauth2", "allowed_scopes": []string{"a b"}}), map[string]string{pcp + ".allowed_scopes[0]": "must be a scope: printable ASCII without spaces, quotes or backslashes"}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "POST", p, tc.body)))
		})
	}
	t.Run("references", func(t *testing.T) {
		m := s.mustDo(400, "POST", p, app(map[string]any{"type": "oauth2", "allowed_scopes": []string{"pets:read", "pets:write"}}))
		assert.Equal(t, map[string]string{pcp + ".allowed_scopes": "not a scope of the resource server: pets:write"}, violationsOf(t, m))
		m = s.mustDo(400, "POST", p, map[string]any{"application": map[string]any{"display_name": "a", "protocol_config": map[string]any{"type": "oauth2", "allowed_scopes": []string{"pets:read"}}}})
		assert.Equal(t, map[string]string{pcp + ".allowed_scopes": "must be empty for an application without a resource server"}, violationsOf(t, m))
		m = s.mustDo(404, "POST", p, map[string]any{"application": map[string]any{"display_name": "a", "resource_server_id": "nope", "protocol_config": map[string]any{"type": "oauth2"}}})
		errorOf(t, m, "not_found", "resource server not found")
		assert.Equal(t, "nope", resourceInfoOf(t, m)["id"])
		m = s.mustDo(404, "POST", p, map[string]any{"application": map[string]any{"display_name": "a", "authenticator_config_id": "nope", "protocol_config": map[string]any{"type": "oauth2"}}})
		assert.Equal(t, "AuthenticatorConfig", resourceInfoOf(t, m)["resource_type"])

		// Updates are checked as a whole.
		id := s.mustDo(200, "POST", p, app(map[string]any{"type": "oauth2", "allowed_scopes": []string{"pets:read"}}))["id"].(string)
		m = s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"application": map[string]any{"resource_server_id": ""}})
		assert.Equal(t, map[string]string{pcp + ".allowed_scopes": "must be empty for an application without a resource server"}, violationsOf(t, m))
		m = s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"application": map[string]any{"protocol_config": map[string]any{"confidentiality": "public"}}})
		assert.Equal(t, map[string]string{pcp + ".pkce": "a public application must enable PKCE (plain or s256)"}, violationsOf(t, m))
		m = s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"application": map[string]any{"display_name": ""}})
		assert.Equal(t, map[string]string{"application.display_name": "empty string"}, violationsOf(t, m))
		s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"application": map[string]any{"resource_server_id": "", "protocol_config": map[string]any{"allowed_scopes": nil}}})
	})
}

func TestManagedApplication(t *testing.T) {
	s := newServer(t, Config{})
	m := s.mustDo(200, "GET", s.admin("applications"), nil)
	require.EqualValues(t, 1, m["total_size"])
	app := m["applications"].([]any)[0].(map[string]any)
	rs := s.mustDo(200, "GET", s.admin("resource-servers"), nil)["resource_servers"].([]any)[0].(map[string]any)
	scopes := make([]any, len(ManagementScopes))
	for i, sc := range ManagementScopes {
		scopes[i] = sc
	}
	assert.Equal(t, map[string]any{
		"id": s.seed.ApplicationID, "realm_id": s.seed.AdminRealmID, "tenant_id": s.seed.TenantID,
		"resource_server_id": rs["id"], "display_name": "Beyond Identity Management API", "is_managed": true,
		"protocol_config": map[string]any{
			"type": "oauth2", "allowed_scopes": scopes, "client_id": s.seed.ClientID, "client_secret": s.seed.ClientSecret,
			"confidentiality": "confidential", "token_endpoint_auth_method": "client_secret_basic",
			"grant_type":          []any{"client_credentials"},
			"token_configuration": map[string]any{"expires_after": float64(DefaultTokenLifetime.Seconds()), "token_signing_algorithm": "RS256", "subject_field": "id"},
			"pkce":                "disabled", "token_format": "self_contained",
		},
	}, app)
	p := s.admin("applications/" + s.seed.ApplicationID)
	assert.Equal(t, app, s.mustDo(200, "GET", p, nil))
	m = s.mustDo(403, "PATCH", p, map[string]any{"application": map[string]any{"display_name": "mine"}})
	errorOf(t, m, "forbidden", "application is managed by Beyond Identity and may not be modified")
	s.mustDo(403, "DELETE", p, nil)
	s.mustDo(404, "GET", s.realm("applications/"+s.seed.ApplicationID), nil)
	s.mustDo(200, "GET", s.realm("identities"), nil)
}

// TestApplicationTokens: a created confidential application with the
// client credentials grant gets tokens at its token endpoint, for the
// scopes it is allowed; those of the Management API's resource server open
// the API.
func TestApplicationTokens(t *testing.T) {
	s := newServer(t, Config{})
	mgmt := s.mustDo(200, "GET", s.admin("resource-servers"), nil)["resource_servers"].([]any)[0].(map[string]any)["id"].(string)
	create := func(realmPath func(string) string, rs string, pc map[string]any) (string, string, string) {
		t.Helper()
		body := map[string]any{"display_name": "svc", "protocol_config": pc}
		if rs != "" {
			body["resource_server_id"] = rs
		}
		m := s.mustDo(200, "POST", realmPath("applications"), map[string]any{"application": body})
		out := m["protocol_config"].(map[string]any)
		secret, _ := out["client_secret"].(string)
		return m["id"].(string), out["client_id"].(string), secret
	}
	token := func(realmPath func(string) string, app, id, secret string) (int, map[string]any) {
		t.Helper()
		return s.form(realmPath("applications/"+app+"/token"), url.Values{"grant_type": {"client_credentials"}}, basic(id, secret))
	}

	app, id, secret := create(s.admin, mgmt, map[string]any{
		"type": "oauth2", "grant_type": []string{"client_credentials"}, "allowed_scopes": []string{"identities:read"},
		"token_configuration": map[string]any{"expires_after": 600},
	})
	st, m := token(s.admin, app, id, secret)
	require.Equal(t, 200, st, "%v", m)
	assert.EqualValues(t, 600, m["expires_in"])
	assert.Equal(t, "identities:read", m["scope"])
	tok := m["access_token"].(string)
	assert.Equal(t, []any{"beyondidentity"}, decodeJWTPart(t, strings.Split(tok, ".")[1])["aud"])
	st, _ = s.doToken(tok, "GET", s.realm("identities"), nil)
	assert.Equal(t, 200, st)
	st, _ = s.doToken(tok, "POST", s.realm("identities"), identityBody("x", map[string]any{"type": "traits_v0", "username": "x"}))
	assert.Equal(t, 403, st)
	st, m = s.form(s.admin("applications/"+app+"/token"), url.Values{"grant_type": {"client_credentials"}, "scope": {"identities:create"}}, basic(id, secret))
	assert.Equal(t, 400, st)
	assert.Equal(t, "invalid_scope", m["error"])

	// Its tokens are listed under it, and end with it.
	m = s.mustDo(200, "GET", s.admin("applications/"+app+"/tokens"), nil)
	assert.EqualValues(t, 1, m["total_size"])
	s.mustDo(200, "DELETE", s.admin("applications/"+app), nil)
	st, _ = s.doToken(tok, "GET", s.realm("identities"), nil)
	assert.Equal(t, 401, st)
	st, m = token(s.admin, app, id, secret)
	assert.Equal(t, 401, st)
	assert.Equal(t, "invalid_client", m["error"])

	// Tokens for another resource server do not open the Management API.
	rs := s.createResourceServer("https://api.example", "identities:read")
	app, id, secret = create(s.realm, rs, map[string]any{"type": "oauth2", "grant_type": []string{"client_credentials"}, "allowed_scopes": []string{"identities:read"}})
	st, m = token(s.realm, app, id, secret)
	require.Equal(t, 200, st, "%v", m)
	tok = m["access_token"].(string)
	assert.Equal(t, []any{"https://api.example"}, decodeJWTPart(t, strings.Split(tok, ".")[1])["aud"])
	st, m = s.doToken(tok, "GET", s.realm("identities"), nil)
	assert.Equal(t, 403, st)
	assert.Equal(t, "forbidden", m["code"])

	// Without the grant, or without a secret, no token.
	app, id, secret = create(s.admin, mgmt, map[string]any{"type": "oidc", "grant_type": []string{"authorization_code"}})
	st, m = token(s.admin, app, id, secret)
	assert.Equal(t, 400, st)
	assert.Equal(t, "unauthorized_client", m["error"])
	app, id, secret = create(s.admin, mgmt, map[string]any{"type": "oauth2", "confidentiality": "public", "pkce": "s256", "grant_type": []string{"client_credentials"}})
	assert.Empty(t, secret)
	st, m = token(s.admin, app, id, "")
	assert.Equal(t, 401, st)
	assert.Equal(t, "invalid_client", m["error"])
}

// TestRawProtocolConfigIsNotEscaped: what the fake writes back keeps '<',
// '>' and '&' as they are.
func TestRawProtocolConfigIsNotEscaped(t *testing.T) {
	s := newServer(t, Config{})
	st, body := s.raw("POST", s.realm("applications"), `{"application":{"display_name":"a&b","protocol_config":{"type":"oauth2","x":"<&>"}}}`)
	require.Equal(t, 200, st, "%s", body)
	assert.True(t, bytes.Contains(body, []byte(`"x":"<&>"`)), "%s", body)
	assert.True(t, bytes.Contains(body, []byte(`"display_name":"a&b"`)), "%s", body)
}
