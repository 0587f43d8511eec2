package fakeapi

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeededIDFormats(t *testing.T) {
	s := New(Config{}).Seeded()
	assert.Regexp(t, `^0001[0-9a-f]{12}$`, s.TenantID)
	assert.Regexp(t, `^[0-9a-f]{16}$`, s.AdminRealmID)
	assert.Regexp(t, `^[0-9a-f]{16}$`, s.RealmID)
	assert.NotEqual(t, s.AdminRealmID, s.RealmID)
	uuid := `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`
	assert.Regexp(t, uuid, s.ApplicationID)
	assert.Regexp(t, uuid, s.AuthenticatorConfigID)
	assert.NotEmpty(t, s.ClientID)
	assert.GreaterOrEqual(t, len(s.ClientSecret), 32)

	// Random per engine unless seeded; the same seed gives the same IDs.
	assert.NotEqual(t, s.TenantID, New(Config{}).Seeded().TenantID)
	a, b := New(Config{Seed: 7, Seeded: true}).Seeded(), New(Config{Seed: 7, Seeded: true}).Seeded()
	assert.Equal(t, a, b)
	assert.NotEqual(t, a, New(Config{Seed: 8, Seeded: true}).Seeded())
}

func TestTokenEndpoint(t *testing.T) {
	// A secret with characters that form-urlencoding changes: the Basic
	// credentials must be decoded per RFC 6749 §2.3.1.
	const secret = "s3cr:t+/%é ~x"
	s := newServer(t, Config{ClientID: "client:id+1", ClientSecret: secret})

	t.Run("basic", func(t *testing.T) {
		st, m := s.form(s.tokenPath(), url.Values{"grant_type": {"client_credentials"}}, basic("client:id+1", secret))
		require.Equal(t, 200, st, "%v", m)
		assert.Equal(t, "Bearer", m["token_type"])
		assert.EqualValues(t, DefaultTokenLifetime/time.Second, m["expires_in"])
		assert.Equal(t, strings.Join(ManagementScopes, " "), m["scope"])

		parts := strings.Split(m["access_token"].(string), ".")
		require.Len(t, parts, 3)
		h := decodeJWTPart(t, parts[0])
		assert.Equal(t, "JWT", h["typ"])
		cl := decodeJWTPart(t, parts[1])
		principal := "tenants/" + s.seed.TenantID + "/realms/" + s.seed.AdminRealmID + "/applications/" + s.seed.ApplicationID
		assert.Equal(t, s.url+"/v1/"+principal, cl["iss"])
		assert.Equal(t, s.seed.ApplicationID, cl["sub"])
		assert.Equal(t, []any{"beyondidentity"}, cl["aud"])
		assert.Equal(t, principal, cl["azp"])
		assert.Equal(t, principal, cl["bi_p"])
		assert.Equal(t, s.seed.TenantID, cl["bi_t"])
		assert.Equal(t, "*", cl["bi_r"])
		assert.Equal(t, m["scope"], cl["scope"])
		assert.NotEmpty(t, cl["jti"])
		iat, exp, nbf := cl["iat"].(float64), cl["exp"].(float64), cl["nbf"].(float64)
		assert.Equal(t, iat, nbf)
		assert.Equal(t, float64(DefaultTokenLifetime/time.Second), exp-iat)
		_, err := base64.RawURLEncoding.DecodeString(parts[2])
		assert.NoError(t, err)
	})
	t.Run("client_secret_post", func(t *testing.T) {
		st, m := s.form(s.tokenPath(), url.Values{"grant_type": {"client_credentials"}, "client_id": {"client:id+1"}, "client_secret": {secret}}, "")
		require.Equal(t, 200, st, "%v", m)
		assert.NotEmpty(t, m["access_token"])
	})
	t.Run("basic without form-urlencoding is refused", func(t *testing.T) {
		// With no ':' in the ID, only the decoding tells "p+q%2Bz" from
		// its raw form.
		s2 := newServer(t, Config{ClientID: "client-1", ClientSecret: "p+q%2Bz"})
		raw := "Basic " + base64.StdEncoding.EncodeToString([]byte("client-1:p+q%2Bz"))
		st, m := s2.form(s2.tokenPath(), url.Values{"grant_type": {"client_credentials"}}, raw)
		assert.Equal(t, 401, st)
		assert.Equal(t, "invalid_client", m["error"])
		st, _ = s2.form(s2.tokenPath(), url.Values{"grant_type": {"client_credentials"}}, basic("client-1", "p+q%2Bz"))
		assert.Equal(t, 200, st)
	})
	t.Run("wrong secret", func(t *testing.T) {
		st, m := s.form(s.tokenPath(), url.Values{"grant_type": {"client_credentials"}}, basic("client:id+1", "nope"))
		assert.Equal(t, 401, st)
		assert.Equal(t, "invalid_client", m["error"])
		assert.NotEmpty(t, m["error_description"])
	})
	t.Run("no credentials", func(t *testing.T) {
		st, m := s.form(s.tokenPath(), url.Values{"grant_type": {"client_credentials"}}, "")
		assert.Equal(t, 401, st)
		assert.Equal(t, "invalid_client", m["error"])
	})
	t.Run("wrong application path", func(t *testing.T) {
		p := "/v1/tenants/" + s.seed.TenantID + "/realms/" + s.seed.RealmID + "/applications/" + s.seed.ApplicationID + "/token"
		st, m := s.form(p, url.Values{"grant_type": {"client_credentials"}}, basic("client:id+1", secret))
		assert.Equal(t, 401, st)
		assert.Equal(t, "invalid_client", m["error"])
	})
	t.Run("two authentication methods", func(t *testing.T) {
		st, m := s.form(s.tokenPath(), url.Values{"grant_type": {"client_credentials"}, "client_secret": {secret}}, basic("client:id+1", secret))
		assert.Equal(t, 400, st)
		assert.Equal(t, "invalid_request", m["error"])
	})
	for name, tc := range map[string]struct {
		form url.Values
		code string
	}{
		"missing grant_type":        {url.Values{}, "invalid_request"},
		"other grant_type":          {url.Values{"grant_type": {"authorization_code"}}, "unsupported_grant_type"},
		"scope not allowed":         {url.Values{"grant_type": {"client_credentials"}, "scope": {"identities:read events:read"}}, "invalid_scope"},
		"expiration_time too long":  {url.Values{"grant_type": {"client_credentials"}, "expiration_time": {"99999999999"}}, "invalid_request"},
		"expiration_time not a num": {url.Values{"grant_type": {"client_credentials"}, "expiration_time": {"soon"}}, "invalid_request"},
	} {
		t.Run(name, func(t *testing.T) {
			st, m := s.form(s.tokenPath(), tc.form, basic("client:id+1", secret))
			assert.Equal(t, 400, st)
			assert.Equal(t, tc.code, m["error"])
		})
	}
	t.Run("scope and expiration_time", func(t *testing.T) {
		st, m := s.form(s.tokenPath(), url.Values{"grant_type": {"client_credentials"}, "scope": {"identities:read tokens:read"}, "expiration_time": {"60"}}, basic("client:id+1", secret))
		require.Equal(t, 200, st, "%v", m)
		assert.Equal(t, "identities:read tokens:read", m["scope"])
		assert.EqualValues(t, 60, m["expires_in"])
	})
	t.Run("form body required", func(t *testing.T) {
		req, _ := http.NewRequest("POST", s.url+s.tokenPath(), strings.NewReader(`{"grant_type":"client_credentials"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", basic("client:id+1", secret))
		st, m := s.send(req)
		assert.Equal(t, 400, st)
		assert.Equal(t, "invalid_request", m["error"])
	})
}

func TestBearerRules(t *testing.T) {
	s := newServer(t, Config{})
	list := s.realm("identities")
	s.mustDo(200, "GET", list, nil)

	for name, tok := range map[string]string{
		"missing":   "",
		"garbage":   "not-a-token",
		"forged":    s.token[:strings.LastIndexByte(s.token, '.')] + ".AAAA",
		"malformed": "a.b.c",
	} {
		t.Run(name, func(t *testing.T) {
			st, m := s.doToken(tok, "GET", list, nil)
			assert.Equal(t, 401, st)
			assert.Equal(t, map[string]any{"code": "unauthorized", "message": "unauthorized"}, m)
		})
	}
	t.Run("non-bearer scheme", func(t *testing.T) {
		req, _ := http.NewRequest("GET", s.url+list, nil)
		req.Header.Set("Authorization", basic(s.seed.ClientID, s.seed.ClientSecret))
		st, _ := s.send(req)
		assert.Equal(t, 401, st)
	})
	t.Run("revoked", func(t *testing.T) {
		tok := s.fetchToken(nil)
		s.mustDo(200, "GET", list, nil)
		jti := decodeJWTPart(t, strings.Split(tok, ".")[1])["jti"].(string)
		st, m := s.do("DELETE", s.admin("applications/"+s.seed.ApplicationID+"/tokens/"+jti), nil)
		require.Equal(t, 200, st)
		assert.Nil(t, m, "delete answers an empty body")
		st, m = s.doToken(tok, "GET", list, nil)
		assert.Equal(t, 401, st)
		assert.Equal(t, "unauthorized", m["code"])
	})
	t.Run("scope missing", func(t *testing.T) {
		tok := s.fetchToken(url.Values{"scope": {"identities:read"}})
		st, _ := s.doToken(tok, "GET", list, nil)
		assert.Equal(t, 200, st)
		st, m := s.doToken(tok, "POST", list, map[string]any{"identity": map[string]any{}})
		assert.Equal(t, 403, st)
		assert.Equal(t, map[string]any{"code": "forbidden", "message": "forbidden"}, m)
		st, _ = s.doToken(tok, "GET", s.realm("authenticator-configs"), nil)
		assert.Equal(t, 403, st)
	})
	t.Run("other tenant", func(t *testing.T) {
		st, m := s.do("GET", "/v1/tenants/0001aaaaaaaaaaaa/realms/"+s.seed.RealmID+"/identities", nil)
		assert.Equal(t, 403, st)
		assert.Equal(t, "forbidden", m["code"])
	})
	t.Run("unknown realm", func(t *testing.T) {
		st, m := s.do("GET", "/v1/tenants/"+s.seed.TenantID+"/realms/ffffffffffffffff/identities", nil)
		assert.Equal(t, 404, st)
		ri := resourceInfoOf(t, m)
		assert.Equal(t, "Realm", ri["resource_type"])
		assert.Equal(t, "ffffffffffffffff", ri["id"])
	})
	t.Run("unknown path and method", func(t *testing.T) {
		st, m := s.do("GET", s.realm("frobnicators"), nil)
		assert.Equal(t, 404, st)
		assert.Equal(t, "not_found", m["code"])
		st, m = s.do("PUT", list, "{}")
		assert.Equal(t, 405, st)
		assert.Equal(t, "method_not_allowed", m["code"])
		st, _ = s.do("GET", s.realm("identities:frobnicate"), nil)
		assert.Equal(t, 404, st)
	})
}

func TestTokenExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newMemServer(t, Config{TokenLifetime: time.Hour})
		list := s.realm("identities")
		s.mustDo(200, "GET", list, nil)
		time.Sleep(time.Hour - time.Second)
		s.mustDo(200, "GET", list, nil)
		time.Sleep(time.Second)
		st, m := s.do("GET", list, nil)
		assert.Equal(t, 401, st)
		assert.Equal(t, "unauthorized", m["code"])
		// A new token works; expired tokens are not listed.
		s.token = s.fetchToken(nil)
		s.mustDo(200, "GET", list, nil)
		toks := s.mustDo(200, "GET", s.admin("applications/"+s.seed.ApplicationID+"/tokens"), nil)
		assert.EqualValues(t, 1, toks["total_size"])
	})
}

func TestListAndRevokeTokens(t *testing.T) {
	s := newServer(t, Config{})
	named, err := s.e.IssueToken("ci token", []string{"identities:read"}, time.Hour)
	require.NoError(t, err)
	_, err = s.e.IssueToken("", []string{"events:read"}, 0)
	require.Error(t, err)

	p := s.admin("applications/" + s.seed.ApplicationID + "/tokens")
	m := s.mustDo(200, "GET", p, nil)
	assert.EqualValues(t, 2, m["total_size"])
	assert.NotContains(t, m, "next_page_token")
	toks := m["tokens"].([]any)
	require.Len(t, toks, 2)
	first := toks[0].(map[string]any)
	assert.Equal(t, decodeJWTPart(t, strings.Split(s.token, ".")[1])["jti"], first["id"])
	assert.Equal(t, s.token[len(s.token)-11:], first["token_suffix"])
	assert.Equal(t, "self_contained", first["token_format"])
	assert.Equal(t, "access", first["token_type"])
	assert.Len(t, first["scopes"], len(ManagementScopes))
	assert.Greater(t, first["expires"], first["issued_at"])
	second := toks[1].(map[string]any)
	assert.Equal(t, "ci token", second["display_name"])
	assert.Equal(t, []any{"identities:read"}, second["scopes"])

	m = s.mustDo(200, "GET", p+"?principal_type=application&principal_id="+s.seed.ApplicationID, nil)
	assert.EqualValues(t, 2, m["total_size"])
	m = s.mustDo(200, "GET", p+"?principal_type=identity", nil)
	assert.EqualValues(t, 0, m["total_size"])
	assert.Equal(t, []any{}, m["tokens"])
	m = s.mustDo(400, "GET", p+"?principal_type=robot", nil)
	assert.Contains(t, violationsOf(t, m), "principal_type")
	m = s.mustDo(200, "GET", p+"?page_size=1", nil)
	assert.Len(t, m["tokens"], 1)
	assert.NotEmpty(t, m["next_page_token"])
	m = s.mustDo(400, "GET", p+"?page_size=101", nil)
	assert.Equal(t, "must be at most 100", violationsOf(t, m)["page_size"])

	// The application lives in the Admin realm only.
	m = s.mustDo(404, "GET", s.realm("applications/"+s.seed.ApplicationID+"/tokens"), nil)
	assert.Equal(t, "Application", resourceInfoOf(t, m)["resource_type"])

	jti := second["id"].(string)
	st, body := s.do("DELETE", p+"/"+jti, nil)
	assert.Equal(t, 200, st)
	assert.Nil(t, body)
	st, _ = s.doToken(named, "GET", s.realm("identities"), nil)
	assert.Equal(t, 401, st)
	m = s.mustDo(404, "DELETE", p+"/nope", nil)
	assert.Equal(t, "Token", resourceInfoOf(t, m)["resource_type"])
	m = s.mustDo(200, "GET", p, nil)
	assert.EqualValues(t, 1, m["total_size"])
}

func TestIntrospectAndRevocationEndpoint(t *testing.T) {
	s := newServer(t, Config{})
	intro := s.admin("introspect")
	other := s.fetchToken(url.Values{"scope": {"identities:read"}})

	// Bearer with tokens:introspect.
	st, m := s.form(intro, url.Values{"token": {other}}, "Bearer "+s.token)
	require.Equal(t, 200, st, "%v", m)
	assert.Equal(t, true, m["active"])
	assert.Equal(t, "identities:read", m["scope"])
	assert.Equal(t, s.seed.ClientID, m["client_id"])
	assert.Equal(t, "Bearer", m["token_type"])
	assert.Equal(t, s.seed.TenantID, m["bi_t"])
	for _, k := range []string{"exp", "iat", "nbf", "sub", "aud", "iss", "jti"} {
		assert.Contains(t, m, k)
	}
	// Basic application credentials.
	st, m = s.form(intro, url.Values{"token": {other}}, basic(s.seed.ClientID, s.seed.ClientSecret))
	require.Equal(t, 200, st)
	assert.Equal(t, true, m["active"])
	// Without the scope.
	st, m = s.form(intro, url.Values{"token": {s.token}}, "Bearer "+other)
	assert.Equal(t, 403, st)
	assert.Equal(t, "insufficient_scope", m["error"])
	// Bad credentials.
	st, m = s.form(intro, url.Values{"token": {other}}, basic(s.seed.ClientID, "wrong"))
	assert.Equal(t, 401, st)
	assert.Equal(t, "invalid_client", m["error"])
	st, _ = s.form(intro, url.Values{"token": {other}}, "Bearer junk")
	assert.Equal(t, 401, st)
	// Unknown tokens and tokens of another realm are inactive.
	st, m = s.form(intro, url.Values{"token": {"junk"}}, "Bearer "+s.token)
	require.Equal(t, 200, st)
	assert.Equal(t, map[string]any{"active": false}, m)
	st, m = s.form(s.realm("introspect"), url.Values{"token": {other}}, "Bearer "+s.token)
	require.Equal(t, 200, st)
	assert.Equal(t, false, m["active"])

	// RFC 7009: always 200 with an empty body; the token is then inactive.
	rev := s.admin("applications/" + s.seed.ApplicationID + "/revoke")
	st, m = s.form(rev, url.Values{"token": {other}}, basic(s.seed.ClientID, s.seed.ClientSecret))
	assert.Equal(t, 200, st)
	assert.Nil(t, m)
	st, _ = s.form(rev, url.Values{"token": {"junk"}}, "Bearer "+s.token)
	assert.Equal(t, 200, st)
	st, m = s.form(intro, url.Values{"token": {other}}, "Bearer "+s.token)
	require.Equal(t, 200, st)
	assert.Equal(t, false, m["active"])
	st, _ = s.doToken(other, "GET", s.realm("identities"), nil)
	assert.Equal(t, 401, st)
}
