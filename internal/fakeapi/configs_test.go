package fakeapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeededConfig(t *testing.T) {
	s := newServer(t, Config{InvokeURL: "https://app.example/passkeys", TrustedOrigins: []string{"https://app.example", "http://localhost:3000"}})
	m := s.mustDo(200, "GET", s.realm("authenticator-configs/"+s.seed.AuthenticatorConfigID), nil)
	assert.Equal(t, map[string]any{
		"id": s.seed.AuthenticatorConfigID, "realm_id": s.seed.RealmID, "tenant_id": s.seed.TenantID,
		"display_name": "Embedded SDK",
		"config": map[string]any{
			"type": "embedded", "invoke_url": "https://app.example/passkeys", "invocation_type": "automatic",
			"trusted_origins":        []any{"https://app.example", "http://localhost:3000"},
			"authentication_methods": []any{map[string]any{"type": "software_passkey"}, map[string]any{"type": "webauthn_passkey"}},
		},
	}, m)
	// Default: the Invoke URL's origin is trusted.
	d := newServer(t, Config{})
	m = d.mustDo(200, "GET", d.realm("authenticator-configs/"+d.seed.AuthenticatorConfigID), nil)
	assert.Equal(t, []any{"http://localhost:3000"}, m["config"].(map[string]any)["trusted_origins"])
	assert.Equal(t, DefaultInvokeURL, m["config"].(map[string]any)["invoke_url"])
}

func TestAuthenticatorConfigCRUD(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("authenticator-configs")
	kinds := map[string]map[string]any{
		"embedded": {"type": "embedded", "invoke_url": "http://localhost:8092", "trusted_origins": []any{"http://localhost:8092"}},
		"hosted_web": {"type": "hosted_web", "authentication_methods": []any{map[string]any{"type": "email_one_time_password"}},
			"trusted_origins": []any{"https://login.example"}},
		"console_idp":  {"type": "console", "onboarding_configuration": map[string]any{"verification_method": map[string]any{"type": "idp", "idp_id": "4f0e42f3-8e6b-4c2e-9d0e-6f2c1c1b2a3d"}}},
		"console_none": {"type": "console", "onboarding_configuration": map[string]any{"verification_method": map[string]any{"type": "none"}}},
		"platform":     {"type": "platform"},
		"platform_roaming": {"type": "platform", "trusted_origins": []any{"https://a.example"},
			"roaming_auth_config": map[string]any{"enabled": true, "allow_unknown_user": true, "allowed_user_ids": []any{"u1"}}},
	}
	want := map[string]map[string]any{
		"embedded": {"type": "embedded", "invoke_url": "http://localhost:8092", "invocation_type": "automatic", "trusted_origins": []any{"http://localhost:8092"}},
	}
	for name, cfg := range kinds {
		t.Run(name, func(t *testing.T) {
			m := s.mustDo(200, "POST", p, map[string]any{"authenticator_config": map[string]any{"display_name": name, "config": cfg, "id": "ignored"}})
			id := m["id"].(string)
			assert.Regexp(t, `^[0-9a-f-]{36}$`, id)
			assert.Equal(t, s.seed.RealmID, m["realm_id"])
			assert.Equal(t, name, m["display_name"])
			w := want[name]
			if w == nil {
				w = cfg
			}
			assert.Equal(t, w, m["config"])
			assert.Equal(t, m, s.mustDo(200, "GET", p+"/"+id, nil))
		})
	}

	m := s.mustDo(200, "POST", p, map[string]any{"authenticator_config": map[string]any{"display_name": "app", "config": kinds["embedded"]}})
	id := m["id"].(string)
	// PATCH merges into the config; the type may be omitted.
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"authenticator_config": map[string]any{"config": map[string]any{"invoke_url": "https://new.example"}}})
	assert.Equal(t, "app", m["display_name"])
	assert.Equal(t, map[string]any{"type": "embedded", "invoke_url": "https://new.example", "invocation_type": "automatic", "trusted_origins": []any{"http://localhost:8092"}}, m["config"])
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"authenticator_config": map[string]any{"display_name": "renamed"}})
	assert.Equal(t, "renamed", m["display_name"])
	assert.Equal(t, "https://new.example", m["config"].(map[string]any)["invoke_url"])
	// A new type replaces the config.
	m = s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"authenticator_config": map[string]any{"config": map[string]any{"type": "platform"}}})
	assert.Equal(t, map[string]any{"type": "platform"}, m["config"])
	m = s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"authenticator_config": map[string]any{"config": map[string]any{"type": "embedded"}}})
	assert.Equal(t, map[string]string{"authenticator_config.config.invoke_url": "missing", "authenticator_config.config.trusted_origins": "missing"}, violationsOf(t, m))

	st, body := s.do("DELETE", p+"/"+id, nil)
	assert.Equal(t, 200, st)
	assert.Nil(t, body)
	for _, method := range []string{"GET", "DELETE"} {
		m = s.mustDo(404, method, p+"/"+id, nil)
		errorOf(t, m, "not_found", "authenticator config not found")
		assert.Equal(t, "AuthenticatorConfig", resourceInfoOf(t, m)["resource_type"])
	}
	s.mustDo(404, "PATCH", p+"/"+id, map[string]any{"authenticator_config": map[string]any{}})

	m = s.mustDo(200, "GET", p, nil)
	assert.EqualValues(t, 1+len(kinds), m["total_size"])
	s.mustDo(400, "GET", p+"?filter="+"x%20eq%20%22y%22", nil)
}

func TestAuthenticatorConfigValidation(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("authenticator-configs")
	post := func(cfg any) map[string]string {
		t.Helper()
		body := map[string]any{"authenticator_config": map[string]any{"display_name": "x", "config": cfg}}
		if cfg == nil {
			body = map[string]any{"authenticator_config": map[string]any{"display_name": "x"}}
		}
		return violationsOf(t, s.mustDo(400, "POST", p, body))
	}
	const c = "authenticator_config.config"
	assert.Equal(t, map[string]string{c: "missing"}, post(nil))
	assert.Equal(t, map[string]string{c + ".type": "missing"}, post(map[string]any{}))
	assert.Equal(t, map[string]string{c + ".type": "must be one of embedded, hosted_web, console, platform"}, post(map[string]any{"type": "none"}))
	assert.Equal(t, map[string]string{c + ".invoke_url": "must be an absolute URL", c + ".trusted_origins[1]": "must be an origin: scheme://host[:port]"},
		post(map[string]any{"type": "embedded", "invoke_url": "/x", "trusted_origins": []any{"https://ok.example:8443", "https://bad.example/path"}}))
	assert.Equal(t, map[string]string{c + ".invocation_type": "must be automatic or manual", c + ".invokeUrl": "unknown field"},
		post(map[string]any{"type": "embedded", "invoke_url": "https://a.example", "trusted_origins": []any{}, "invocation_type": "sometimes", "invokeUrl": "x"}))
	assert.Equal(t, map[string]string{c + ".authentication_methods[0].type": "must be one of email_one_time_password, software_passkey, webauthn_passkey"},
		post(map[string]any{"type": "hosted_web", "authentication_methods": []any{map[string]any{"type": "sms"}}, "trusted_origins": []any{}}))
	assert.Equal(t, map[string]string{c + ".authentication_methods": "missing", c + ".trusted_origins": "missing"}, post(map[string]any{"type": "hosted_web"}))
	assert.Equal(t, map[string]string{c + ".onboarding_configuration.verification_method.idp_id": "must be a UUID"},
		post(map[string]any{"type": "console", "onboarding_configuration": map[string]any{"verification_method": map[string]any{"type": "idp", "idp_id": "x"}}}))
	assert.Equal(t, map[string]string{c + ".onboarding_configuration": "missing"}, post(map[string]any{"type": "console"}))
	assert.Equal(t, map[string]string{c + ".roaming_auth_config.enabled": "missing"}, post(map[string]any{"type": "platform", "roaming_auth_config": map[string]any{}}))
	m := s.mustDo(400, "POST", p, map[string]any{})
	assert.Equal(t, map[string]string{"authenticator_config": "missing"}, violationsOf(t, m))
	require.NotNil(t, m)
}
