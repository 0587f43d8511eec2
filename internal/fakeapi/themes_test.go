package fakeapi

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestThemes(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("themes")

	// Before a theme is created the active theme is a default one, which is
	// no resource: no ID, no timestamps.
	m := s.mustDo(200, "GET", p+"/active", nil)
	assert.Equal(t, map[string]any{
		"tenant_id": s.seed.TenantID, "realm_id": s.seed.RealmID, "email_realm_name": "Users",
		"button_color": "#4673D3", "button_text_color": "#FFFFFF",
	}, m)

	// Create: the members left out take their defaults; read-only ones are
	// ignored.
	m = s.mustDo(200, "POST", p, map[string]any{"theme": map[string]any{
		"logo_url_light": "https://example.com/logo_url_light.png", "support_url": "https://example.com/support",
		"button_color": "#123abc", "id": "ignored", "create_time": "2000-01-01T00:00:00Z",
	}})
	id := m["id"].(string)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, id)
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`, m["create_time"])
	assert.Equal(t, map[string]any{
		"id": id, "tenant_id": s.seed.TenantID, "realm_id": s.seed.RealmID,
		"create_time": m["create_time"], "update_time": m["create_time"],
		"email_realm_name": "Users", "logo_url_light": "https://example.com/logo_url_light.png",
		"support_url": "https://example.com/support", "button_color": "#123abc", "button_text_color": "#FFFFFF",
	}, m)
	assert.Equal(t, m, s.mustDo(200, "GET", p+"/"+id, nil))
	assert.Equal(t, m, s.mustDo(200, "GET", p+"/active", nil), "the realm's one theme is the active one")

	// One theme per realm.
	m2 := s.mustDo(409, "POST", p, map[string]any{"theme": map[string]any{}})
	assert.Equal(t, map[string]any{"code": "conflict", "message": "theme already exists for this realm"}, m2)

	// PATCH changes what it is sent, and nothing else.
	time.Sleep(2 * time.Millisecond)
	u := s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"theme": map[string]any{"email_realm_name": "Realm Administrators", "support_url": ""}})
	assert.Equal(t, "Realm Administrators", u["email_realm_name"])
	assert.NotContains(t, u, "support_url", "an empty URL clears it")
	assert.NotEqual(t, m["update_time"], u["update_time"])
	for _, k := range []string{"id", "create_time", "logo_url_light", "button_color", "button_text_color"} {
		assert.Equal(t, m[k], u[k], k)
	}
	assert.Equal(t, u, s.mustDo(200, "GET", p+"/active", nil))

	// Unknown themes; themes are per realm.
	for _, method := range []string{"GET", "PATCH"} {
		r := s.mustDo(404, method, p+"/00000000-0000-4000-8000-000000000000", map[string]any{"theme": map[string]any{}})
		errorOf(t, r, "not_found", "theme not found")
		assert.Equal(t, "Theme", resourceInfoOf(t, r)["resource_type"])
	}
	s.mustDo(404, "GET", s.admin("themes/"+id), nil)
	assert.NotContains(t, s.mustDo(200, "GET", s.admin("themes/active"), nil), "id")
	r := s.mustDo(404, "GET", s.in("ffffffffffffffff", "themes/active"), nil)
	assert.Equal(t, "Realm", resourceInfoOf(t, r)["resource_type"])
	// The active theme is not a theme ID: it cannot be updated by that name.
	s.mustDo(404, "PATCH", p+"/active", map[string]any{"theme": map[string]any{}})
}

func TestThemeValidation(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("themes")
	for name, tc := range map[string]struct {
		body any
		want map[string]string
	}{
		"no theme":        {map[string]any{}, map[string]string{"theme": "missing"}},
		"empty name":      {map[string]any{"theme": map[string]any{"email_realm_name": ""}}, map[string]string{"theme.email_realm_name": "provided email_realm_name must not be empty"}},
		"long name":       {map[string]any{"theme": map[string]any{"email_realm_name": strings.Repeat("n", 65)}}, map[string]string{"theme.email_realm_name": "must be at most 64 characters"}},
		"pattern":         {map[string]any{"theme": map[string]any{"email_realm_name": "a;b"}}, map[string]string{"theme.email_realm_name": "must not contain any of " + forbiddenNameChars}},
		"relative logo":   {map[string]any{"theme": map[string]any{"logo_url_dark": "/logo.png"}}, map[string]string{"theme.logo_url_dark": "must be an absolute URL"}},
		"support not url": {map[string]any{"theme": map[string]any{"support_url": "support"}}, map[string]string{"theme.support_url": "must be an absolute URL"}},
		"color":           {map[string]any{"theme": map[string]any{"button_color": "blue"}}, map[string]string{"theme.button_color": "must be a hexadecimal color code such as #4673D3"}},
		"text color":      {map[string]any{"theme": map[string]any{"button_text_color": "#12345"}}, map[string]string{"theme.button_text_color": "must be a hexadecimal color code such as #4673D3"}},
		"not a string":    {map[string]any{"theme": map[string]any{"button_color": 1}}, map[string]string{"theme.button_color": "must be a string"}},
		"unknown field":   {map[string]any{"theme": map[string]any{"font": "serif"}}, map[string]string{"theme.font": "unknown field"}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "POST", p, tc.body)))
		})
	}
	m := s.mustDo(400, "POST", p, `{"theme":`)
	assert.Equal(t, map[string]any{"code": "bad_request", "message": "invalid request"}, m)

	// Nothing was created; the short color forms are taken.
	assert.NotContains(t, s.mustDo(200, "GET", p+"/active", nil), "id")
	id := s.mustDo(200, "POST", p, map[string]any{"theme": map[string]any{"button_color": "#abc", "button_text_color": "#FFFFFF80"}})["id"].(string)
	// An invalid update changes nothing, and is answered 400 before 404.
	before := s.mustDo(200, "GET", p+"/"+id, nil)
	m = s.mustDo(400, "PATCH", p+"/"+id, map[string]any{"theme": map[string]any{"email_realm_name": "ok", "button_color": "red"}})
	assert.Equal(t, map[string]string{"theme.button_color": "must be a hexadecimal color code such as #4673D3"}, violationsOf(t, m))
	assert.Equal(t, before, s.mustDo(200, "GET", p+"/"+id, nil))
	s.mustDo(400, "PATCH", p+"/00000000-0000-4000-8000-000000000000", map[string]any{"theme": map[string]any{"button_color": "red"}})
	require.Equal(t, "#abc", before["button_color"])
}
