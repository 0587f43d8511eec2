package fakeapi

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func identityBody(display string, traits map[string]any) map[string]any {
	return map[string]any{"identity": map[string]any{"display_name": display, "traits": traits}}
}

func TestCreateAndGetIdentity(t *testing.T) {
	s := newServer(t, Config{})
	before := time.Now().UTC().Truncate(time.Microsecond)
	m := s.mustDo(200, "POST", s.realm("identities"), map[string]any{"identity": map[string]any{
		"id": "ignored", "create_time": "1999-01-01T00:00:00Z", "enrollment_status": "ENROLLED",
		"display_name": "Ada Lovelace",
		"traits": map[string]any{
			"type": "traits_v0", "username": "Ada", "primary_email_address": "ada@example.com",
			"given_name": "Ada", "x_favourite": map[string]any{"n": 1}, "x_note": "kept",
		},
	}})
	id := m["id"].(string)
	assert.Regexp(t, `^[0-9a-f]{16}$`, id)
	assert.Equal(t, s.seed.RealmID, m["realm_id"])
	assert.Equal(t, s.seed.TenantID, m["tenant_id"])
	assert.Equal(t, "Ada Lovelace", m["display_name"])
	assert.Equal(t, "active", m["status"])
	assert.Equal(t, "UNENROLLED", m["enrollment_status"])
	assert.Equal(t, map[string]any{
		"type": "traits_v0", "username": "Ada", "primary_email_address": "ada@example.com",
		"given_name": "Ada", "x_favourite": map[string]any{"n": float64(1)}, "x_note": "kept",
	}, m["traits"])
	created, err := time.Parse(time.RFC3339Nano, m["create_time"].(string))
	require.NoError(t, err)
	assert.False(t, created.Before(before))
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`, m["create_time"])
	assert.Equal(t, m["create_time"], m["update_time"])

	got := s.mustDo(200, "GET", s.realm("identities/"+id), nil)
	assert.Equal(t, m, got)

	m = s.mustDo(404, "GET", s.realm("identities/0123456789abcdef"), nil)
	errorOf(t, m, "not_found", "identity not found")
	ri := resourceInfoOf(t, m)
	assert.Equal(t, "Identity", ri["resource_type"])
	assert.Equal(t, "0123456789abcdef", ri["id"])
	assert.Equal(t, "identity not found", ri["description"])

	// An escaped ':' is part of the ID, not a custom method.
	m = s.mustDo(404, "GET", s.realm("identities/"+id+"%3Arevoke"), nil)
	assert.Equal(t, id+":revoke", resourceInfoOf(t, m)["id"])
}

func TestIdentityValidation(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("identities")
	ok := func() map[string]any { return map[string]any{"type": "traits_v0", "username": "u1"} }
	cases := []struct {
		name string
		body any
		want map[string]string
	}{
		{"no identity", map[string]any{}, map[string]string{"identity": "missing"}},
		{"unknown top-level field", map[string]any{"identity": map[string]any{"display_name": "x", "traits": ok()}, "extra": 1}, map[string]string{"extra": "unknown field"}},
		{"unknown identity field", map[string]any{"identity": map[string]any{"display_name": "x", "displayName": "x", "traits": ok()}}, map[string]string{"identity.displayName": "unknown field"}},
		{"empty display name", identityBody("", ok()), map[string]string{"identity.display_name": "empty string"}},
		{"missing display name", map[string]any{"identity": map[string]any{"traits": ok()}}, map[string]string{"identity.display_name": "empty string"}},
		{"long display name", identityBody(strings.Repeat("é", 65), ok()), map[string]string{"identity.display_name": "must be at most 64 characters"}},
		{"forbidden char in display name", identityBody("a<b", ok()), map[string]string{"identity.display_name": "must not contain any of " + forbiddenNameChars}},
		{"display name not a string", identityBody("x", ok()), nil},
		{"missing traits", map[string]any{"identity": map[string]any{"display_name": "x"}}, map[string]string{"identity.traits": "missing"}},
		{"missing type", identityBody("x", map[string]any{"username": "u"}), map[string]string{"identity.traits.type": "missing"}},
		{"wrong type", identityBody("x", map[string]any{"type": "traits_v1", "username": "u"}), map[string]string{"identity.traits.type": "unsupported traits type traits_v1 (want traits_v0)"}},
		{"missing username", identityBody("x", map[string]any{"type": "traits_v0"}), map[string]string{"identity.traits.username": "empty string"}},
		{"empty username", identityBody("x", map[string]any{"type": "traits_v0", "username": ""}), map[string]string{"identity.traits.username": "empty string"}},
		{"long username", identityBody("x", map[string]any{"type": "traits_v0", "username": strings.Repeat("u", 65)}), map[string]string{"identity.traits.username": "must be at most 64 characters"}},
		{"forbidden char in username", identityBody("x", map[string]any{"type": "traits_v0", "username": "a/b"}), map[string]string{"identity.traits.username": "must not contain any of " + forbiddenNameChars}},
		{"trait not a string", identityBody("x", map[string]any{"type": "traits_v0", "username": "u", "given_name": 3}), map[string]string{"identity.traits.given_name": "must be a string"}},
		{"bad status", map[string]any{"identity": map[string]any{"display_name": "x", "status": "gone", "traits": ok()}}, map[string]string{"identity.status": "must be active or suspended"}},
		{"several at once", identityBody("", map[string]any{"username": "?"}), map[string]string{"identity.display_name": "empty string", "identity.traits.type": "missing", "identity.traits.username": "must not contain any of " + forbiddenNameChars}},
	}
	for _, tc := range cases {
		if tc.want == nil {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			m := s.mustDo(400, "POST", p, tc.body)
			assert.Equal(t, tc.want, violationsOf(t, m))
		})
	}
	for _, c := range forbiddenNameChars {
		m := s.mustDo(400, "POST", p, identityBody("x"+string(c), ok()))
		assert.Contains(t, violationsOf(t, m), "identity.display_name", "char %q", c)
	}
	// 64 characters (not bytes) is fine.
	s.mustDo(200, "POST", p, identityBody(strings.Repeat("é", 64), map[string]any{"type": "traits_v0", "username": strings.Repeat("ü", 64)}))

	t.Run("malformed JSON", func(t *testing.T) {
		m := s.mustDo(400, "POST", p, `{"identity":`)
		assert.Equal(t, map[string]any{"code": "bad_request", "message": "invalid request"}, m)
		m = s.mustDo(400, "POST", p, `[1]`)
		assert.Equal(t, "invalid request", m["message"])
	})
	t.Run("not JSON", func(t *testing.T) {
		req := s.mustDo
		_ = req
		st, m := s.send(mustRequest(t, "POST", s.url+p, "display_name=x", "text/plain", s.token))
		assert.Equal(t, 415, st)
		assert.Equal(t, "unsupported_media_type", m["code"])
	})
	t.Run("empty body", func(t *testing.T) {
		st, m := s.send(mustRequest(t, "POST", s.url+p, "", "", s.token))
		assert.Equal(t, 400, st)
		assert.Equal(t, "invalid request", m["message"])
	})
}

func TestUsernameUniqueness(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("identities")
	id := s.createIdentity("Grace", "")
	m := s.mustDo(409, "POST", p, identityBody("x", map[string]any{"type": "traits_v0", "username": "gRACE"}))
	assert.Equal(t, map[string]any{"code": "conflict", "message": "username already exists"}, m)
	other := s.createIdentity("hopper", "")
	// Renaming onto a taken username conflicts; changing one's own case does not.
	m = s.mustDo(409, "PATCH", p+"/"+other, identityBody("x", map[string]any{"type": "traits_v0", "username": "GRACE"}))
	assert.Equal(t, "username already exists", m["message"])
	s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"identity": map[string]any{"traits": map[string]any{"type": "traits_v0", "username": "GRACE"}}})
	// The old name is free again after a rename.
	s.mustDo(200, "PATCH", p+"/"+id, map[string]any{"identity": map[string]any{"traits": map[string]any{"type": "traits_v0", "username": "grace2"}}})
	s.createIdentity("grace", "")
	// Usernames are per realm.
	s.mustDo(200, "POST", s.admin("identities"), identityBody("x", map[string]any{"type": "traits_v0", "username": "hopper"}))
}

func TestUpdateIdentity(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("identities/")
	m := s.mustDo(200, "POST", s.realm("identities"), identityBody("Old", map[string]any{
		"type": "traits_v0", "username": "kate", "primary_email_address": "k@example.com", "family_name": "J", "x_extra": "e",
	}))
	id := m["id"].(string)
	time.Sleep(2 * time.Millisecond)
	// PATCH merges traits; omitted fields stay; "" or null clears a trait.
	m = s.mustDo(200, "PATCH", p+id, map[string]any{"identity": map[string]any{
		"display_name": "New", "id": "ignored", "status": "suspended",
		"traits": map[string]any{"type": "traits_v0", "primary_email_address": "kate@example.com", "family_name": "", "x_extra": nil, "x_more": "m"},
	}})
	assert.Equal(t, id, m["id"])
	assert.Equal(t, "New", m["display_name"])
	assert.Equal(t, "suspended", m["status"])
	assert.Equal(t, map[string]any{"type": "traits_v0", "username": "kate", "primary_email_address": "kate@example.com", "x_more": "m"}, m["traits"])
	assert.NotEqual(t, m["create_time"], m["update_time"])

	m = s.mustDo(200, "PATCH", p+id, map[string]any{"identity": map[string]any{}})
	assert.Equal(t, "New", m["display_name"])

	m = s.mustDo(400, "PATCH", p+id, map[string]any{"identity": map[string]any{"traits": map[string]any{"primary_email_address": "x"}}})
	assert.Equal(t, map[string]string{"identity.traits.type": "missing"}, violationsOf(t, m))
	m = s.mustDo(400, "PATCH", p+id, map[string]any{"identity": map[string]any{"display_name": ""}})
	assert.Equal(t, map[string]string{"identity.display_name": "empty string"}, violationsOf(t, m))
	m = s.mustDo(400, "PATCH", p+id, map[string]any{"identity": map[string]any{"traits": map[string]any{"type": "traits_v0", "username": ""}}})
	assert.Equal(t, map[string]string{"identity.traits.username": "empty string"}, violationsOf(t, m))
	m = s.mustDo(404, "PATCH", p+"0000000000000000", map[string]any{"identity": map[string]any{}})
	assert.Equal(t, "Identity", resourceInfoOf(t, m)["resource_type"])
}

func TestDeleteIdentities(t *testing.T) {
	s := newServer(t, Config{})
	a, b, c := s.createIdentity("a", "a@example.com"), s.createIdentity("b", ""), s.createIdentity("c", "")
	s.createJob(a, "RETURN")

	st, body := s.do("DELETE", s.realm("identities/"+a), nil)
	assert.Equal(t, 200, st)
	assert.Nil(t, body)
	s.mustDo(404, "GET", s.realm("identities/"+a), nil)
	m := s.mustDo(200, "GET", s.realm("identities/-/credential-binding-jobs"), nil)
	assert.EqualValues(t, 0, m["total_size"], "the identity's jobs go with it")
	m = s.mustDo(404, "DELETE", s.realm("identities/"+a), nil)
	assert.Equal(t, "Identity", resourceInfoOf(t, m)["resource_type"])
	s.createIdentity("a", "") // the username is free again

	bd := s.realm("identities:batchDelete")
	// All or nothing: one missing ID deletes nothing.
	m = s.mustDo(404, "POST", bd, map[string]any{"ids": []string{b, "ffffffffffffffff", c, "eeeeeeeeeeeeeeee"}})
	d := errorOf(t, m, "not_found", "identities not found")
	require.Len(t, d, 1)
	assert.Equal(t, map[string]any{
		"type": "BatchOperationErrors", "description": "errors encountered performing batch operation",
		"errors": []any{map[string]any{"Description": "identities not found", "IDs": []any{"ffffffffffffffff", "eeeeeeeeeeeeeeee"}, "ResourceType": "Identity"}},
	}, d[0])
	s.mustDo(200, "GET", s.realm("identities/"+b), nil)

	for name, tc := range map[string]struct {
		body any
		want string
	}{
		"empty":      {map[string]any{"ids": []string{}}, "must hold at least 1 ID"},
		"missing":    {map[string]any{}, "must hold at least 1 ID"},
		"duplicates": {map[string]any{"ids": []string{b, b}}, "duplicate ID " + b},
		"too many":   {map[string]any{"ids": manyIDs(1001)}, "must hold at most 1000 IDs"},
	} {
		t.Run(name, func(t *testing.T) {
			m := s.mustDo(400, "POST", bd, tc.body)
			assert.Equal(t, map[string]string{"ids": tc.want}, violationsOf(t, m))
		})
	}
	st, body = s.do("POST", bd, map[string]any{"ids": []string{b, c}})
	assert.Equal(t, 200, st)
	assert.Nil(t, body)
	m = s.mustDo(200, "GET", s.realm("identities"), nil)
	assert.EqualValues(t, 1, m["total_size"])
}

func manyIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%016x", i)
	}
	return out
}

func TestUsernameFilter(t *testing.T) {
	s := newServer(t, Config{})
	tricky := `o"brien`
	id := s.createIdentity(tricky, "")
	s.createIdentity("other", "")
	q := func(f string) string { return s.realm("identities?filter=" + url.QueryEscape(f)) }

	for _, f := range []string{
		`traits.username eq "O\"BRIEN"`,
		`traits.username eq "o\"brien"`,
		`Traits.Username EQ "o\"brien"`,
		`  traits.username  eq  "o\u0022brien" `,
	} {
		m := s.mustDo(200, "GET", q(f), nil)
		assert.EqualValues(t, 1, m["total_size"], f)
		require.Len(t, m["identities"], 1, f)
		assert.Equal(t, id, m["identities"].([]any)[0].(map[string]any)["id"])
	}
	m := s.mustDo(200, "GET", q(`traits.username eq "nobody"`), nil)
	assert.EqualValues(t, 0, m["total_size"])
	assert.Equal(t, []any{}, m["identities"])

	for _, f := range []string{
		`username eq "other"`,
		`traits.username co "oth"`,
		`traits.username eq other`,
		`traits.username eq "other" and display_name eq "x"`,
		`traits.primary_email_address eq "a@b"`,
		`traits.username eq "unterminated`,
		`traits.username`,
		`traits.username eq "o"brien"`,
	} {
		m := s.mustDo(400, "GET", q(f), nil)
		assert.Contains(t, violationsOf(t, m), "filter", f)
	}
}
