package fakeapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func bookmark(name, link string) map[string]any {
	return map[string]any{"sso_config": map[string]any{"display_name": name, "payload": map[string]any{"type": "bookmark", "login_link": link}}}
}

func (s *tserver) createSso(name string, payload map[string]any) map[string]any {
	s.t.Helper()
	return s.mustDo(200, "POST", s.realm("sso-configs"), map[string]any{"sso_config": map[string]any{"display_name": name, "payload": payload}})
}

func payloadOf(m map[string]any) map[string]any { return m["payload"].(map[string]any) }

func TestSsoConfigsCRUD(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("sso-configs")

	m := s.mustDo(200, "POST", p, map[string]any{"sso_config": map[string]any{
		"display_name": "Wiki", "is_migrated": true, "id": "ignored",
		"payload": map[string]any{"type": "bookmark", "login_link": "https://wiki.example/login", "is_tile_visible": true},
	}})
	id := m["id"].(string)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, id)
	assert.Equal(t, map[string]any{
		"id": id, "display_name": "Wiki", "is_migrated": true,
		"payload": map[string]any{"type": "bookmark", "login_link": "https://wiki.example/login", "is_tile_visible": true},
	}, m)
	assert.Equal(t, m, s.mustDo(200, "GET", p+"/"+id, nil))

	// PATCH changes what it is sent and nothing else.
	u := s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"sso_config": map[string]any{"display_name": "Team wiki"}})
	assert.Equal(t, "Team wiki", u["display_name"])
	assert.Equal(t, m["payload"], u["payload"])
	assert.Equal(t, true, u["is_migrated"])
	u = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"sso_config": map[string]any{"is_migrated": false, "payload": map[string]any{"type": "bookmark", "icon": "https://wiki.example/icon.png", "is_tile_visible": nil}}})
	assert.Equal(t, map[string]any{
		"id": id, "display_name": "Team wiki",
		"payload": map[string]any{"type": "bookmark", "login_link": "https://wiki.example/login", "icon": "https://wiki.example/icon.png"},
	}, u, "a null member is removed; is_migrated false is left out")

	// The spec's update body: sso_config is the partial payload itself.
	u = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"sso_config": map[string]any{"type": "bookmark", "login_link": "https://wiki.example/sso"}})
	assert.Equal(t, map[string]any{
		"id": id, "display_name": "Team wiki",
		"payload": map[string]any{"type": "bookmark", "login_link": "https://wiki.example/sso", "icon": "https://wiki.example/icon.png"},
	}, u)
	r := s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"sso_config": map[string]any{"type": "scim"}})
	assert.Equal(t, map[string]string{"sso_config.type": "must be bookmark: the type of an SSO config cannot change"}, violationsOf(t, r))
	r = s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"sso_config": map[string]any{"type": "bookmark", "login_link": nil}})
	assert.Equal(t, map[string]string{"sso_config.login_link": "missing"}, violationsOf(t, r))

	// The type of a config cannot change.
	r = s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"sso_config": map[string]any{"payload": map[string]any{"type": "generic_oidc"}}})
	assert.Equal(t, map[string]string{"sso_config.payload.type": "must be bookmark: the type of an SSO config cannot change"}, violationsOf(t, r))
	r = s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"sso_config": map[string]any{"payload": map[string]any{"icon": "x"}}})
	assert.Equal(t, map[string]string{"sso_config.payload.type": "missing"}, violationsOf(t, r))
	r = s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"sso_config": map[string]any{"payload": map[string]any{"type": "bookmark", "login_link": nil}}})
	assert.Equal(t, map[string]string{"sso_config.payload.login_link": "missing"}, violationsOf(t, r))
	assert.Equal(t, u, s.mustDo(200, "GET", p+"/"+id, nil), "refused updates change nothing")

	st, body := s.do("DELETE", p+"/"+id, nil)
	assert.Equal(t, 200, st)
	assert.Nil(t, body)
	for _, method := range []string{"GET", "PATCH", "DELETE"} {
		r := s.mustDo(404, method, p+"/"+id, map[string]any{"sso_config": map[string]any{}})
		errorOf(t, r, "not_found", "sso config not found")
		assert.Equal(t, "SsoConfig", resourceInfoOf(t, r)["resource_type"])
	}
	for _, custom := range []string{":addIdentities", ":deleteIdentities", ":addGroups", ":deleteGroups", "/test"} {
		body := map[string]any{"identity_ids": []string{s.createIdentity("u"+custom[1:], "")}}
		if strings.Contains(custom, "Groups") {
			body = map[string]any{"group_ids": []string{s.createGroup("g")}}
		}
		r := s.mustDo(404, "POST", p+"/"+id+custom, body)
		assert.Equal(t, "SsoConfig", resourceInfoOf(t, r)["resource_type"], custom)
	}
	for _, custom := range []string{":listIdentityAssociations", ":listGroupAssociations"} {
		s.mustDo(404, "GET", p+"/"+id+custom, nil)
	}
}

func TestSsoConfigKinds(t *testing.T) {
	s := newServer(t, Config{})
	base := s.url + s.realm("")
	uuid := `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`

	t.Run("generic_oidc", func(t *testing.T) {
		m := s.createSso("App", map[string]any{
			"type": "generic_oidc", "redirect_uris": []string{"https://app.example/cb"}, "scopes": []string{"openid"},
			"confidentiality": "confidential", "pkce": "s256", "client_id": "mine", "application_id": "mine",
		})
		pl := payloadOf(m)
		app := pl["application_id"].(string)
		assert.Regexp(t, uuid, app, "the server sets the application")
		assert.Regexp(t, uuid, pl["authenticator_config_id"])
		assert.Regexp(t, uuid, pl["resource_server_id"])
		assert.Regexp(t, `^[A-Za-z0-9]{24}$`, pl["client_id"])
		assert.Regexp(t, `^[A-Za-z0-9]{48}$`, pl["client_secret"])
		assert.Equal(t, []any{}, pl["trusted_origins"], "the answer requires trusted_origins")
		issuer := base + "applications/" + app
		assert.Equal(t, map[string]any{
			"issuer": issuer, "authorization_endpoint": issuer + "/authorize", "token_endpoint": issuer + "/token",
			"userinfo_endpoint": issuer + "/userinfo", "jwks_uri": issuer + "/.well-known/jwks.json",
			"introspect_endpoint": base + "introspect", "response_types_supported": []any{"code"},
			"grant_types_supported": []any{"authorization_code"}, "token_endpoint_auth_methods_supported": []any{"client_secret_basic"},
		}, pl["oidc_configuration"])

		// The generated members stay through updates; a public config has
		// no secret.
		id := m["id"].(string)
		u := s.mustDo(200, "PATCH", s.realm("sso-configs/"+id), map[string]any{"sso_config": map[string]any{"payload": map[string]any{
			"type": "generic_oidc", "confidentiality": "public", "client_id": "ignored",
		}}})
		upl := payloadOf(u)
		assert.Equal(t, pl["client_id"], upl["client_id"])
		assert.Equal(t, app, upl["application_id"])
		assert.NotContains(t, upl, "client_secret")
		assert.Equal(t, []any{"none"}, upl["oidc_configuration"].(map[string]any)["token_endpoint_auth_methods_supported"])
		assert.Equal(t, pl["redirect_uris"], upl["redirect_uris"])
	})
	t.Run("generic_oidc_idp", func(t *testing.T) {
		m := s.createSso("IdP", map[string]any{
			"type": "generic_oidc_idp", "client_id": "c", "client_secret": "s", "identifying_claim_name": "sub",
			"identity_attribute": "username", "authorization_endpoint": nil,
			"token_endpoint": "https://idp.example/token", "jwks_endpoint": "https://idp.example/jwks",
		})
		pl := payloadOf(m)
		idp := pl["identity_provider_id"].(string)
		assert.Regexp(t, `^[0-9a-f]{16}$`, idp)
		assert.Equal(t, base+"identity-providers/"+idp+"/callback", pl["redirect_uri"])
		assert.Equal(t, "disabled", pl["pkce"], "pkce defaults to disabled")
		assert.Contains(t, pl, "authorization_endpoint", "nullable: kept as null")
		assert.Nil(t, pl["authorization_endpoint"])
		assert.Equal(t, "s", pl["client_secret"], "the spec's answer has the client secret")
	})
	t.Run("okta_idp", func(t *testing.T) {
		m := s.createSso("Okta", map[string]any{
			"type": "okta_idp", "client_id": "c", "identifying_claim_name": "sub", "identity_attribute": "email",
			"okta_domain": "acme.okta.com",
		})
		pl := payloadOf(m)
		assert.Equal(t, "https://acme.okta.com/oauth2/v1/authorize", pl["authorization_endpoint"])
		assert.Equal(t, "https://acme.okta.com/oauth2/v1/token", pl["token_endpoint"])
		assert.Equal(t, "https://acme.okta.com/oauth2/v1/keys", pl["jwks_endpoint"])
		u := s.mustDo(200, "PATCH", s.realm("sso-configs/"+m["id"].(string)), map[string]any{"sso_config": map[string]any{"payload": map[string]any{
			"type": "okta_idp", "okta_domain": "https://other.okta.com/",
		}}})
		upl := payloadOf(u)
		assert.Equal(t, "https://other.okta.com/oauth2/v1/token", upl["token_endpoint"], "derived members follow the domain")
		assert.Equal(t, pl["identity_provider_id"], upl["identity_provider_id"])
	})
	t.Run("scim", func(t *testing.T) {
		m := s.createSso("Inbound SCIM", map[string]any{"type": "scim"})
		pl := payloadOf(m)
		app := pl["application_id"].(string)
		assert.Equal(t, base+"scim/v2", pl["scim_url"])
		assert.Equal(t, base+"applications/"+app+"/token", pl["token_endpoint"])
		assert.Regexp(t, `^[A-Za-z0-9]{48}$`, pl["client_secret"])
	})
	t.Run("okta_sso_bi_idp", func(t *testing.T) {
		pl := payloadOf(s.createSso("BI in Okta", map[string]any{
			"type": "okta_sso_bi_idp", "pkce": "s256", "okta_registration": map[string]any{"domain": "acme.okta.com", "okta_token": "t", "is_enabled": true},
		}))
		assert.NotContains(t, pl, "resource_server_id", "its answer has none")
		assert.Contains(t, pl, "client_secret")
		assert.Contains(t, pl, "oidc_configuration")
	})
	t.Run("entra_id_external_auth_methods", func(t *testing.T) {
		pl := payloadOf(s.createSso("Entra", map[string]any{
			"type": "entra_id_external_auth_methods", "redirect_uris": []string{"https://login.microsoftonline.com/cb"}, "discover_endpoint": "global_azure",
		}))
		assert.Contains(t, pl, "resource_server_id")
		assert.NotContains(t, pl, "client_secret", "its answer has none")
	})
	t.Run("ws_fed and generic_saml", func(t *testing.T) {
		pl := payloadOf(s.createSso("WS-Fed", map[string]any{
			"type": "ws_fed", "acs_url": "https://sp.example/acs", "audience_url": "https://sp.example", "expiration_time_seconds": 300,
			"digest_algorithm": "sha256", "signature_algorithm": "rsa_sha256", "name_format": "unspecified",
			"subject_user_name_attribute": "email", "authentication_context": "x509", "additional_user_attributes": []any{},
		}))
		assert.Regexp(t, uuid, pl["application_id"])
		saml := map[string]any{
			"type": "generic_saml", "acs_url": "https://sp.example/acs", "override_recipient_and_destination": false,
			"audience_url": "https://sp.example", "default_relay_state": "", "name_format": "email_address",
			"authentication_context": "password_protected_transport", "subject_user_name_attribute": "email",
			"sign_envelope": true, "sign_assertions": true, "signature_algorithm": "rsa_sha256", "digest_algorithm": "sha256",
			"encrypt_assertions": false, "assertion_validity_duration_seconds": 300, "sp_signature_certificates": []any{},
			"enable_single_log_out": false, "validate_signed_requests": false, "additional_user_attributes": []any{},
			"single_logout_sign_request_and_response": false,
		}
		pl = payloadOf(s.createSso("SAML", saml))
		app := pl["application_id"].(string)
		assert.Equal(t, base+"applications/"+app+"/saml/sso", pl["sp_initiated_url"])
		delete(saml, "sign_envelope")
		r := s.mustDo(400, "POST", s.realm("sso-configs"), map[string]any{"sso_config": map[string]any{"display_name": "x", "payload": saml}})
		assert.Equal(t, map[string]string{"sso_config.payload.sign_envelope": "missing"}, violationsOf(t, r))
	})

	for name, tc := range map[string]struct {
		body any
		want map[string]string
	}{
		"nothing":       {map[string]any{}, map[string]string{"sso_config": "missing"}},
		"empty":         {map[string]any{"sso_config": map[string]any{}}, map[string]string{"sso_config.display_name": "empty string", "sso_config.payload": "missing"}},
		"unknown field": {map[string]any{"sso_config": map[string]any{"display_name": "x", "payload": map[string]any{"type": "bookmark", "login_link": "l"}, "tiles": 1}}, map[string]string{"sso_config.tiles": "unknown field"}},
		"no type":       {map[string]any{"sso_config": map[string]any{"display_name": "x", "payload": map[string]any{"login_link": "l"}}}, map[string]string{"sso_config.payload.type": "missing"}},
		"type number":   {map[string]any{"sso_config": map[string]any{"display_name": "x", "payload": map[string]any{"type": 1}}}, map[string]string{"sso_config.payload.type": "must be a non-empty string"}},
		"not object":    {map[string]any{"sso_config": map[string]any{"display_name": "x", "payload": "bookmark"}}, map[string]string{"sso_config.payload": "must be an object"}},
		"oidc missing": {map[string]any{"sso_config": map[string]any{"display_name": "x", "payload": map[string]any{"type": "generic_oidc", "redirect_uris": []string{}}}},
			map[string]string{"sso_config.payload.scopes": "missing", "sso_config.payload.confidentiality": "missing", "sso_config.payload.pkce": "missing"}},
		"oidc enums": {map[string]any{"sso_config": map[string]any{"display_name": "x", "payload": map[string]any{"type": "generic_oidc", "redirect_uris": "x", "scopes": []string{}, "confidentiality": "secret", "pkce": "S256"}}},
			map[string]string{"sso_config.payload.redirect_uris": "must be an array of strings", "sso_config.payload.confidentiality": "must be one of confidential, public", "sso_config.payload.pkce": "must be one of disabled, plain, s256"}},
		"entra endpoint": {map[string]any{"sso_config": map[string]any{"display_name": "x", "payload": map[string]any{"type": "entra_id_external_auth_methods", "redirect_uris": []string{}, "discover_endpoint": "mars"}}},
			map[string]string{"sso_config.payload.discover_endpoint": "must be one of global_azure, azure_us_government, microsoft_azure_vianet"}},
		"ws_fed int": {map[string]any{"sso_config": map[string]any{"display_name": "x", "payload": map[string]any{"type": "ws_fed", "acs_url": "a", "audience_url": "a", "expiration_time_seconds": 1.5,
			"digest_algorithm": "md5", "signature_algorithm": "rsa_sha256", "name_format": "unspecified", "subject_user_name_attribute": "email", "authentication_context": "x509", "additional_user_attributes": []any{}}}},
			map[string]string{"sso_config.payload.expiration_time_seconds": "must be an integer from -2147483648 to 2147483647", "sso_config.payload.digest_algorithm": "must be one of sha256, sha1, sha384, sha512"}},
	} {
		t.Run("invalid "+name, func(t *testing.T) {
			assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "POST", s.realm("sso-configs"), tc.body)))
		})
	}
}

// TestSsoConfigPayloadRoundTrip: the payload of a kind the fake does not
// know, and the members a known kind does not declare, come back exactly as
// they were sent, through create, get, list and updates.
func TestSsoConfigPayloadRoundTrip(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("sso-configs")
	// The spec's SsoConfigRealityCheck has a type SsoConfigType does not
	// list; any other unknown kind is kept the same way.
	unknown := `{"type":"reality_check","company_identifier":"acme","x_ratio":1.50,"x_big":12345678901234567890123,"x_exp":-0.0e+0,` +
		`"x_html":"<a href=\"x\">&amp;</a>","x_escapes":"\u00e9\ud83d\ude00\/\t","x_utf8":"é😀","x_nested":{"z":[true,null,{"k":"v","a":1}],"a":{}},"x_null":null}`
	st, body := s.raw("POST", p, `{"sso_config":{"display_name":"Reality","payload":`+unknown+`}}`)
	require.Equal(t, 200, st, "%s", body)
	assert.Equal(t, unknown, string(rawPayload(t, body)))
	var cfg struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal(body, &cfg))
	st, body = s.raw("GET", p+"/"+cfg.ID, "")
	require.Equal(t, 200, st)
	assert.Equal(t, unknown, string(rawPayload(t, body)))
	st, body = s.raw("GET", p, "")
	require.Equal(t, 200, st)
	var list struct {
		SsoConfigs []json.RawMessage `json:"sso_configs"`
	}
	require.NoError(t, json.Unmarshal(body, &list))
	require.Len(t, list.SsoConfigs, 1)
	assert.Equal(t, unknown, string(rawPayload(t, list.SsoConfigs[0])))

	// An update changes the members it names, in place, and nothing else.
	st, body = s.raw("PATCH", p+"/"+cfg.ID, `{"sso_config":{"payload":{"type":"reality_check","x_ratio":2.50,"x_nested":null,"x_new":{"b":1,"a":2}}}}`)
	require.Equal(t, 200, st, "%s", body)
	assert.Equal(t, strings.NewReplacer(`"x_ratio":1.50`, `"x_ratio":2.50`, `,"x_nested":{"z":[true,null,{"k":"v","a":1}],"a":{}}`, "").Replace(strings.TrimSuffix(unknown, "}"))+`,"x_new":{"b":1,"a":2}}`,
		string(rawPayload(t, body)))

	// A known kind keeps the members it does not declare, in order, before
	// those the server adds.
	known := `{"type":"bookmark","x_vendor":{"k":[1.0,"<&>"]},"login_link":"https://x.example/?a=1&b=2","x_after":"é"}`
	st, body = s.raw("POST", p, `{"sso_config":{"display_name":"Bookmark","payload":`+known+`}}`)
	require.Equal(t, 200, st, "%s", body)
	assert.Equal(t, known, string(rawPayload(t, body)))
	knownOIDC := `{"type":"generic_oidc","x_first":[],"redirect_uris":["https://a.example/cb"],"scopes":["openid"],"confidentiality":"public","pkce":"s256","x_last":{"n":1e3}}`
	st, body = s.raw("POST", p, `{"sso_config":{"display_name":"OIDC","payload":`+knownOIDC+`}}`)
	require.Equal(t, 200, st, "%s", body)
	assert.True(t, strings.HasPrefix(string(rawPayload(t, body)), strings.TrimSuffix(knownOIDC, "}")+`,"trusted_origins":[],"application_id":`), "%s", rawPayload(t, body))
}

// rawPayload returns the raw payload of an SSO config answer.
func rawPayload(t *testing.T, body []byte) json.RawMessage {
	t.Helper()
	var v struct {
		Payload json.RawMessage `json:"payload"`
	}
	require.NoError(t, json.Unmarshal(body, &v), "%s", body)
	return v.Payload
}

func TestListSsoConfigs(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("sso-configs")
	var all []string
	for i := range 45 {
		name := fmt.Sprintf("cfg%02d", 44-i)
		var m map[string]any
		switch i % 3 {
		case 0:
			m = s.mustDo(200, "POST", p, bookmark(name, "https://x.example"))
		case 1:
			m = s.createSso(name, map[string]any{"type": "scim"})
		default:
			m = s.mustDo(200, "POST", p, map[string]any{"sso_config": map[string]any{"display_name": name, "is_migrated": true, "payload": map[string]any{"type": "bookmark", "login_link": "l"}}})
		}
		all = append(all, m["id"].(string))
	}
	walk := func(query string) ([]string, int) {
		var got []string
		tok, pages := "", 0
		for {
			q := query
			if tok != "" {
				q += "&page_token=" + url.QueryEscape(tok)
			}
			m := s.mustDo(200, "GET", p+"?"+q, nil)
			pages++
			got = append(got, ids(t, m, "sso_configs")...)
			next, ok := m["next_page_token"]
			if !ok {
				return got, pages
			}
			tok = next.(string)
			require.Less(t, pages, 50)
		}
	}
	got, pages := walk("")
	assert.Equal(t, all, got)
	assert.Equal(t, 3, pages, "20 a page by default")
	got, pages = walk("page_size=200")
	assert.Equal(t, all, got)
	assert.Equal(t, 1, pages)

	every := func(k int) []string {
		var out []string
		for i, id := range all {
			if i%3 == k {
				out = append(out, id)
			}
		}
		return out
	}
	got, _ = walk("type=scim&page_size=7")
	assert.Equal(t, every(1), got)
	got, _ = walk("type=scim&type=bookmark&page_size=7")
	assert.Equal(t, all, got)
	got, _ = walk("is_migrated=true&page_size=4")
	assert.Equal(t, every(2), got)
	got, _ = walk("type=bookmark&is_migrated=false")
	assert.Equal(t, every(0), got)
	got, _ = walk("order_by=display_name&page_size=9")
	assert.Equal(t, reversed(all), got)
	got, _ = walk("order_by=" + url.QueryEscape("display_name desc") + "&page_size=9")
	assert.Equal(t, all, got)
	m := s.mustDo(200, "GET", p+"?type=scim", nil)
	assert.EqualValues(t, 15, m["total_size"])

	// The page token is bound to the parameters that select the list.
	m = s.mustDo(200, "GET", p+"?type=scim&page_size=2", nil)
	tok := url.QueryEscape(m["next_page_token"].(string))
	r := s.mustDo(400, "GET", p+"?type=bookmark&page_token="+tok, nil)
	assert.Equal(t, map[string]string{"page_token": "invalid page token"}, violationsOf(t, r))
	for query, want := range map[string]map[string]string{
		"page_size=201":    {"page_size": "must be at most 200"},
		"is_migrated=yes":  {"is_migrated": "must be true or false"},
		"order_by=created": {"order_by": "unsupported order: display_name or id, optionally followed by asc or desc"},
		"type=":            {"type": "empty string"},
		"filter=" + url.QueryEscape(`display_name eq "x"`): {"filter": "unsupported filter"},
	} {
		assert.Equal(t, want, violationsOf(t, s.mustDo(400, "GET", p+"?"+query, nil)), query)
	}
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[len(s)-1-i] = x
	}
	return out
}

func TestSsoConfigAssociations(t *testing.T) {
	s := newServer(t, Config{})
	sso := s.mustDo(200, "POST", s.realm("sso-configs"), bookmark("Wiki", "https://wiki.example"))["id"].(string)
	other := s.mustDo(200, "POST", s.realm("sso-configs"), bookmark("Mail", "https://mail.example"))["id"].(string)
	p := s.realm("sso-configs/" + sso)
	a, b, c := s.createIdentity("a", ""), s.createIdentity("b", ""), s.createIdentity("c", "")
	g := s.createGroup("staff")
	s.mustDo(200, "POST", s.realm("groups/"+g+":addMembers"), map[string]any{"identity_ids": []string{b, c}})

	// Add answers 200 with an empty body; an ID listed twice counts once.
	st, body := s.do("POST", p+":addIdentities", map[string]any{"identity_ids": []string{a, b, a}})
	assert.Equal(t, 200, st)
	assert.Nil(t, body)
	st, body = s.do("POST", p+":addGroups", map[string]any{"group_ids": []string{g}})
	assert.Equal(t, 200, st)
	assert.Nil(t, body)

	// Identities: direct ones, then each group's members with the group (b
	// twice, as the spec warns).
	m := s.mustDo(200, "GET", p+":listIdentityAssociations", nil)
	assert.EqualValues(t, 4, m["total_size"])
	assert.Equal(t, []string{a, b, b, c}, ids(t, m, "identities"))
	list := m["identities"].([]any)
	direct := list[0].(map[string]any)
	assert.Equal(t, s.mustDo(200, "GET", s.realm("identities/"+a), nil), direct, "a direct one is the identity")
	viaGroup := list[2].(map[string]any)
	assert.Equal(t, g, viaGroup["group_id"])
	assert.Equal(t, "staff", viaGroup["group_display_name"])
	delete(viaGroup, "group_id")
	delete(viaGroup, "group_display_name")
	assert.Equal(t, s.mustDo(200, "GET", s.realm("identities/"+b), nil), viaGroup)
	m = s.mustDo(200, "GET", p+":listIdentityAssociations?page_size=3", nil)
	assert.Equal(t, []string{a, b, b}, ids(t, m, "identities"))
	m = s.mustDo(200, "GET", p+":listIdentityAssociations?page_token="+url.QueryEscape(m["next_page_token"].(string)), nil)
	assert.Equal(t, []string{c}, ids(t, m, "identities"))

	// Groups, with their member counts.
	m = s.mustDo(200, "GET", p+":listGroupAssociations", nil)
	grp := s.mustDo(200, "GET", s.realm("groups/"+g), nil)
	grp["member_count"] = float64(2)
	assert.Equal(t, map[string]any{"groups": []any{grp}, "total_size": float64(1)}, m)

	// The configs of an identity (directly or through a group) and of a
	// group.
	s.mustDo(200, "POST", s.realm("sso-configs/"+other+":addIdentities"), map[string]any{"identity_ids": []string{c}})
	for id, want := range map[string][]string{a: {sso}, b: {sso}, c: {sso, other}} {
		m = s.mustDo(200, "GET", s.realm("identities/"+id+"/sso-configs"), nil)
		assert.Equal(t, want, ids(t, m, "sso_configs"), id)
		assert.EqualValues(t, len(want), m["total_size"])
	}
	m = s.mustDo(200, "GET", s.realm("groups/"+g+"/sso-configs"), nil)
	assert.Equal(t, []string{sso}, ids(t, m, "sso_configs"))
	assert.Equal(t, s.mustDo(200, "GET", s.realm("sso-configs/"+sso), nil), m["sso_configs"].([]any)[0])
	r := s.mustDo(404, "GET", s.realm("identities/ffffffffffffffff/sso-configs"), nil)
	assert.Equal(t, "Identity", resourceInfoOf(t, r)["resource_type"])
	r = s.mustDo(404, "GET", s.realm("groups/ffffffffffffffff/sso-configs"), nil)
	assert.Equal(t, "Group", resourceInfoOf(t, r)["resource_type"])

	// Unknown identities or groups: 404 naming each, nothing changes.
	r = s.mustDo(404, "POST", p+":addIdentities", map[string]any{"identity_ids": []string{c, "ffffffffffffffff"}})
	errorOf(t, r, "not_found", "identity not found")
	assert.Equal(t, "ffffffffffffffff", resourceInfoOf(t, r)["id"])
	r = s.mustDo(404, "POST", p+":addGroups", map[string]any{"group_ids": []string{"eeeeeeeeeeeeeeee"}})
	errorOf(t, r, "not_found", "group not found")
	assert.EqualValues(t, 4, s.mustDo(200, "GET", p+":listIdentityAssociations", nil)["total_size"])

	// Removal; removing what is not assigned changes nothing.
	s.mustDo(200, "POST", p+":deleteIdentities", map[string]any{"identity_ids": []string{a, c}})
	assert.Equal(t, []string{b, b, c}, ids(t, s.mustDo(200, "GET", p+":listIdentityAssociations", nil), "identities"))
	s.mustDo(200, "POST", p+":deleteGroups", map[string]any{"group_ids": []string{g}})
	assert.Equal(t, []string{b}, ids(t, s.mustDo(200, "GET", p+":listIdentityAssociations", nil), "identities"))
	assert.Empty(t, ids(t, s.mustDo(200, "GET", p+":listGroupAssociations", nil), "groups"))
	assert.Empty(t, ids(t, s.mustDo(200, "GET", s.realm("identities/"+a+"/sso-configs"), nil), "sso_configs"))

	for name, tc := range map[string]struct {
		custom string
		body   any
		want   map[string]string
	}{
		"missing":       {":addIdentities", map[string]any{}, map[string]string{"identity_ids": "missing"}},
		"empty":         {":deleteIdentities", map[string]any{"identity_ids": []string{}}, map[string]string{"identity_ids": "array must hold at least 1 element"}},
		"too many":      {":addGroups", map[string]any{"group_ids": manyIDs(1001)}, map[string]string{"group_ids": "array exceeds 1000 elements"}},
		"wrong key":     {":addGroups", map[string]any{"identity_ids": []string{a}}, map[string]string{"identity_ids": "unknown field", "group_ids": "missing"}},
		"not strings":   {":deleteGroups", map[string]any{"group_ids": []int{1}}, map[string]string{"group_ids": "must be an array of strings"}},
		"unknown field": {":addIdentities", map[string]any{"identity_ids": []string{a}, "x": 1}, map[string]string{"x": "unknown field"}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "POST", p+tc.custom, tc.body)))
		})
	}
}

// TestDeletingIdentitiesAndGroupsLeavesSsoConfigs: a deleted identity or
// group, whichever way it is deleted, is no longer assigned to its SSO
// configs.
func TestDeletingIdentitiesAndGroupsLeavesSsoConfigs(t *testing.T) {
	s := newServer(t, Config{})
	sso := s.mustDo(200, "POST", s.realm("sso-configs"), bookmark("Wiki", "https://wiki.example"))["id"].(string)
	p := s.realm("sso-configs/" + sso)
	a, b, c, d := s.createIdentity("a", ""), s.createIdentity("b", ""), s.createIdentity("c", ""), s.createIdentity("d", "")
	g1, g2 := s.createGroup("g1"), s.createGroup("g2")
	s.mustDo(200, "POST", s.realm("groups/"+g2+":addMembers"), map[string]any{"identity_ids": []string{d}})
	s.mustDo(200, "POST", p+":addIdentities", map[string]any{"identity_ids": []string{a, b, c, d}})
	s.mustDo(200, "POST", p+":addGroups", map[string]any{"group_ids": []string{g1, g2}})

	s.mustDo(200, "DELETE", s.realm("identities/"+a), nil)
	s.mustDo(200, "POST", s.realm("identities:batchDelete"), map[string]any{"ids": []string{b}})
	s.scimMust(204, "DELETE", s.realm("scim/v2/Users/"+c), nil)
	s.mustDo(200, "DELETE", s.realm("groups/"+g1), nil)
	s.scimMust(204, "DELETE", s.realm("scim/v2/Groups/"+g2), nil) // a group with a member
	assert.Equal(t, []string{d}, ids(t, s.mustDo(200, "GET", p+":listIdentityAssociations", nil), "identities"))
	assert.Empty(t, ids(t, s.mustDo(200, "GET", p+":listGroupAssociations", nil), "groups"))

	// New ones, under the old names, are assigned to nothing.
	a2, g3 := s.createIdentity("a", ""), s.createGroup("g1")
	assert.Empty(t, ids(t, s.mustDo(200, "GET", s.realm("identities/"+a2+"/sso-configs"), nil), "sso_configs"))
	assert.Empty(t, ids(t, s.mustDo(200, "GET", s.realm("groups/"+g3+"/sso-configs"), nil), "sso_configs"))
}

func TestApplicationIDToSsoConfigID(t *testing.T) {
	s := newServer(t, Config{})
	oidc := s.createSso("App", map[string]any{
		"type": "generic_oidc", "redirect_uris": []string{"https://app.example/cb"}, "scopes": []string{"openid"}, "confidentiality": "public", "pkce": "s256",
	})
	app := payloadOf(oidc)["application_id"].(string)
	assert.Equal(t, map[string]any{"sso_config_id": oidc["id"]}, s.mustDo(200, "GET", s.realm("applications/"+app+"/sso-configs-id"), nil))
	plain := s.mustDo(200, "POST", s.realm("applications"), map[string]any{"application": map[string]any{
		"display_name": "a", "protocol_config": map[string]any{"type": "oauth2"}}})["id"].(string)
	assert.Equal(t, map[string]any{}, s.mustDo(200, "GET", s.realm("applications/"+plain+"/sso-configs-id"), nil))
	r := s.mustDo(404, "GET", s.realm("applications/00000000-0000-4000-8000-000000000000/sso-configs-id"), nil)
	assert.Equal(t, "Application", resourceInfoOf(t, r)["resource_type"])
	s.mustDo(404, "GET", s.admin("applications/"+app+"/sso-configs-id"), nil)
}

func TestTestSsoConfig(t *testing.T) {
	s := newServer(t, Config{})
	idp := s.mustDo(200, "POST", s.realm("identity-providers"), map[string]any{"display_name": "Okta IdP", "protocol_config": oidcIdpConfig()})["id"].(string)
	b := s.mustDo(200, "POST", s.realm("sso-configs"), bookmark("Wiki", "https://wiki.example"))["id"].(string)
	assert.Equal(t, map[string]any{"identity_providers": []any{}, "oidc_applications": []any{}}, s.mustDo(200, "POST", s.realm("sso-configs/"+b+"/test"), nil))

	oidc := s.createSso("App", map[string]any{
		"type": "generic_oidc", "redirect_uris": []string{"https://app.example/cb"}, "scopes": []string{"openid"}, "confidentiality": "public", "pkce": "s256",
	})
	m := s.mustDo(200, "POST", s.realm("sso-configs/"+oidc["id"].(string)+"/test"), nil)
	assert.Equal(t, map[string]any{"identity_providers": []any{}, "oidc_applications": []any{map[string]any{
		"application_id": payloadOf(oidc)["application_id"], "display_name": "App", "is_success": true, "status_code": "200",
	}}}, m)

	// The identity provider a config names is reported under its own name.
	sso := s.createSso("Okta", map[string]any{
		"type": "okta_idp", "client_id": "c", "identifying_claim_name": "sub", "identity_attribute": "email", "okta_domain": "acme.okta.com",
		"identity_provider_id": idp,
	})
	gen := payloadOf(sso)["identity_provider_id"].(string)
	assert.NotEqual(t, idp, gen, "identity_provider_id is the server's")
	m = s.mustDo(200, "POST", s.realm("sso-configs/"+sso["id"].(string)+"/test"), nil)
	assert.Equal(t, []any{map[string]any{"identity_provider_id": gen, "display_name": "Okta", "is_success": true, "status_code": "200"}}, m["identity_providers"])
}

// TestUnservedSsoOperations: IdentityToSSOConfigCheck and
// SSOIsGroupAssigned answer 404 on the API's servers, and on the fake.
func TestUnservedSsoOperations(t *testing.T) {
	s := newServer(t, Config{})
	sso := s.mustDo(200, "POST", s.realm("sso-configs"), bookmark("Wiki", "https://wiki.example"))["id"].(string)
	i, g := s.createIdentity("a", ""), s.createGroup("g")
	s.mustDo(200, "POST", s.realm("sso-configs/"+sso+":addIdentities"), map[string]any{"identity_ids": []string{i}})
	s.mustDo(200, "POST", s.realm("sso-configs/"+sso+":addGroups"), map[string]any{"group_ids": []string{g}})

	m := s.mustDo(404, "GET", s.realm("identities/"+i+"/sso-configs/"+sso+"/is-identity-assigned"), nil)
	assert.Equal(t, map[string]any{"code": "not_found", "message": "not found"}, m)
	m = s.mustDo(404, "POST", s.realm("sso-configs/"+sso+"/is-group-assigned"), map[string]any{"group_ids": []string{g}})
	assert.Equal(t, map[string]any{"code": "not_found", "message": "not found"}, m)
}

// TestCorrelationID: the SSO config and identity provider operations echo
// the x-correlation-id a client sends (under either of the spec's
// spellings) and generate one otherwise, errors included; the other
// operations carry none.
func TestCorrelationID(t *testing.T) {
	s := newServer(t, Config{})
	send := func(path, header, value, token string) *http.Response {
		t.Helper()
		req := mustRequest(t, "GET", s.url+path, "", "", token)
		if header != "" {
			req.Header.Set(header, value)
		}
		resp, err := s.hc.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	for _, path := range []string{s.realm("sso-configs"), s.realm("identity-providers"), s.realm("applications/x/sso-configs-id"), s.realm("sso-configs/x")} {
		resp := send(path, "X-Correlation-ID", "abc-123", s.token)
		assert.Equal(t, "abc-123", resp.Header.Get("X-Correlation-Id"), path)
		resp = send(path, "x-correlation_id", "under_score", s.token)
		assert.Equal(t, "under_score", resp.Header.Get("X-Correlation-Id"), path)
		resp = send(path, "", "", s.token)
		assert.Regexp(t, `^[0-9a-f]{32}$`, resp.Header.Get("X-Correlation-Id"), path)
	}
	resp := send(s.realm("sso-configs"), "X-Correlation-Id", "on-401", "")
	assert.Equal(t, 401, resp.StatusCode)
	assert.Equal(t, "on-401", resp.Header.Get("X-Correlation-Id"))
	resp = send(s.realm("identities"), "X-Correlation-Id", "abc", s.token)
	assert.Empty(t, resp.Header.Get("X-Correlation-Id"))
}
