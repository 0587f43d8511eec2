package fakeapi

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlowTypeConfig(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("flow-type-config")

	// The first read creates the default configuration; later reads answer
	// the same one.
	m := s.mustDo(200, "GET", p, nil)
	id := m["id"].(string)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, id)
	assert.Equal(t, s.seed.TenantID, m["tenant_id"])
	assert.Equal(t, s.seed.RealmID, m["realm_id"])
	assert.Equal(t, m["create_time"], m["update_time"])
	pc := m["platform_config"].(map[string]any)
	require.Len(t, pc, len(flowPlatforms))
	for _, platform := range flowPlatforms {
		set := pc[platform].(map[string]any)
		require.Len(t, set, len(flowTypes), platform)
		for _, ft := range flowTypes {
			on := ft != "unknown"
			assert.Equal(t, map[string]any{"enabled": on, "valid": on}, set[ft], "%s.%s", platform, ft)
		}
	}
	assert.Equal(t, m, s.mustDo(200, "GET", p, nil))

	// An update changes what it is sent and nothing else; the body is the
	// platforms themselves.
	time.Sleep(2 * time.Millisecond)
	u := s.mustDo(200, "PATCH", p, map[string]any{
		"ios":     map[string]any{"scheme": map[string]any{"enabled": false}, "safari_extension": map[string]any{"enabled": false, "valid": false}},
		"android": map[string]any{"unknown": map[string]any{"valid": true}},
	})
	assert.Equal(t, id, u["id"])
	assert.Equal(t, m["create_time"], u["create_time"])
	assert.NotEqual(t, m["create_time"], u["update_time"])
	upc := u["platform_config"].(map[string]any)
	want := pc
	want["ios"].(map[string]any)["scheme"] = map[string]any{"enabled": false, "valid": true}
	want["ios"].(map[string]any)["safari_extension"] = map[string]any{"enabled": false, "valid": false}
	want["android"].(map[string]any)["unknown"] = map[string]any{"enabled": false, "valid": true}
	assert.Equal(t, want, upc)
	assert.Equal(t, u, s.mustDo(200, "GET", p, nil))

	// An update creates the default first when there is none; realms have
	// their own.
	a := s.mustDo(200, "PATCH", s.admin("flow-type-config"), map[string]any{"web": map[string]any{"copy": map[string]any{"enabled": false}}})
	assert.NotEqual(t, id, a["id"])
	assert.Equal(t, map[string]any{"enabled": false, "valid": true}, a["platform_config"].(map[string]any)["web"].(map[string]any)["copy"])
	assert.Equal(t, map[string]any{"enabled": true, "valid": true}, a["platform_config"].(map[string]any)["ios"].(map[string]any)["scheme"])
	s.mustDo(200, "PATCH", p, map[string]any{})
	r := s.mustDo(404, "GET", s.in("ffffffffffffffff", "flow-type-config"), nil)
	assert.Equal(t, "Realm", resourceInfoOf(t, r)["resource_type"])

	for name, tc := range map[string]struct {
		body any
		want map[string]string
	}{
		"unknown platform":  {map[string]any{"amiga": map[string]any{}}, map[string]string{"amiga": "unknown field"}},
		"unknown flow type": {map[string]any{"ios": map[string]any{"telepathy": map[string]any{}}}, map[string]string{"ios.telepathy": "unknown field"}},
		"unknown member":    {map[string]any{"ios": map[string]any{"scheme": map[string]any{"on": true}}}, map[string]string{"ios.scheme.on": "unknown field"}},
		"not a boolean":     {map[string]any{"ios": map[string]any{"scheme": map[string]any{"enabled": "yes"}}}, map[string]string{"ios.scheme.enabled": "must be a boolean"}},
		"not an object":     {map[string]any{"ios": []string{"scheme"}}, map[string]string{"ios": "must be an object"}},
		"an envelope":       {map[string]any{"platform_config": map[string]any{}}, map[string]string{"platform_config": "unknown field"}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, violationsOf(t, s.mustDo(400, "PATCH", p, tc.body)))
		})
	}
	assert.Equal(t, u["platform_config"], s.mustDo(200, "GET", p, nil)["platform_config"], "refused updates change nothing")
}
