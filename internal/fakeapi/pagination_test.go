package fakeapi

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedIdentities creates n identities directly in the engine's realm (the
// HTTP path is tested elsewhere; 1000 creates over HTTP are slow with -race).
func seedIdentities(t *testing.T, s *tserver, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = s.createIdentity(fmt.Sprintf("user%04d", i), "")
	}
	return ids
}

func TestPaginationOverThousandIdentities(t *testing.T) {
	s := newServer(t, Config{})
	want := seedIdentities(t, s, 1000)
	base := s.realm("identities")

	t.Run("default page size is 20", func(t *testing.T) {
		m := s.mustDo(200, "GET", base, nil)
		assert.Len(t, m["identities"], 20)
		assert.EqualValues(t, 1000, m["total_size"])
		assert.NotEmpty(t, m["next_page_token"])
	})
	t.Run("page size above 200 is refused", func(t *testing.T) {
		m := s.mustDo(400, "GET", base+"?page_size=201", nil)
		assert.Equal(t, map[string]string{"page_size": "must be at most 200"}, violationsOf(t, m))
		m = s.mustDo(400, "GET", base+"?page_size=-1", nil)
		assert.Contains(t, violationsOf(t, m), "page_size")
		m = s.mustDo(400, "GET", base+"?skip=x", nil)
		assert.Contains(t, violationsOf(t, m), "skip")
	})
	t.Run("walk every page in creation order", func(t *testing.T) {
		var got []string
		tok, pages := "", 0
		for {
			q := url.Values{"page_size": {"200"}}
			if tok != "" {
				q.Set("page_token", tok)
			}
			m := s.mustDo(200, "GET", base+"?"+q.Encode(), nil)
			pages++
			assert.EqualValues(t, 1000, m["total_size"])
			for _, it := range m["identities"].([]any) {
				got = append(got, it.(map[string]any)["id"].(string))
			}
			next, ok := m["next_page_token"]
			if !ok {
				break
			}
			tok = next.(string)
			require.NotEmpty(t, tok)
			require.Less(t, pages, 10)
		}
		assert.Equal(t, 5, pages)
		assert.Equal(t, want, got)
	})
	t.Run("the token keeps the page size, which may be overridden", func(t *testing.T) {
		m := s.mustDo(200, "GET", base+"?page_size=7", nil)
		tok := m["next_page_token"].(string)
		m = s.mustDo(200, "GET", base+"?page_token="+url.QueryEscape(tok), nil)
		require.Len(t, m["identities"], 7)
		assert.Equal(t, want[7], m["identities"].([]any)[0].(map[string]any)["id"])
		m = s.mustDo(200, "GET", base+"?page_size=3&page_token="+url.QueryEscape(tok), nil)
		require.Len(t, m["identities"], 3)
		assert.Equal(t, want[7], m["identities"].([]any)[0].(map[string]any)["id"])
	})
	t.Run("skip must be repeated with every page", func(t *testing.T) {
		m := s.mustDo(200, "GET", base+"?skip=990&page_size=4", nil)
		ids := m["identities"].([]any)
		assert.Equal(t, want[990], ids[0].(map[string]any)["id"])
		assert.EqualValues(t, 1000, m["total_size"])
		tok := url.QueryEscape(m["next_page_token"].(string))
		m = s.mustDo(200, "GET", base+"?skip=990&page_token="+tok, nil)
		assert.Equal(t, want[994], m["identities"].([]any)[0].(map[string]any)["id"])
		m = s.mustDo(200, "GET", base+"?skip=990&page_token="+url.QueryEscape(m["next_page_token"].(string)), nil)
		assert.Len(t, m["identities"], 2)
		assert.NotContains(t, m, "next_page_token")

		m = s.mustDo(400, "GET", base+"?page_token="+tok, nil)
		assert.Contains(t, violationsOf(t, m), "skip")
	})
	t.Run("a skip past the end gives an empty page", func(t *testing.T) {
		m := s.mustDo(200, "GET", base+"?skip=5000", nil)
		assert.Equal(t, []any{}, m["identities"])
		assert.EqualValues(t, 1000, m["total_size"])
		assert.NotContains(t, m, "next_page_token")
	})
	t.Run("the token is bound to the filter", func(t *testing.T) {
		f := url.QueryEscape(`traits.username eq "user0001"`)
		m := s.mustDo(200, "GET", base+"?page_size=1", nil)
		tok := url.QueryEscape(m["next_page_token"].(string))
		m = s.mustDo(400, "GET", base+"?filter="+f+"&page_token="+tok, nil)
		assert.Equal(t, map[string]string{"filter": "does not match the filter of the page token"}, violationsOf(t, m))
		// Repeating the same (empty) filter is fine.
		s.mustDo(200, "GET", base+"?filter=&page_token="+tok, nil)
	})
	t.Run("forged, edited or foreign tokens are refused", func(t *testing.T) {
		m := s.mustDo(200, "GET", base+"?page_size=1", nil)
		tok := m["next_page_token"].(string)
		payload, mac, _ := strings.Cut(tok, ".")
		for _, bad := range []string{"junk", payload + ".AAAA", "x" + payload + "." + mac, b64.EncodeToString([]byte(`{"l":"identities","o":5,"n":5}`)) + "." + mac} {
			m := s.mustDo(400, "GET", base+"?page_token="+url.QueryEscape(bad), nil)
			assert.Equal(t, map[string]string{"page_token": "invalid page token"}, violationsOf(t, m))
		}
		m = s.mustDo(400, "GET", s.realm("identities/-/credential-binding-jobs?page_token="+url.QueryEscape(tok)), nil)
		assert.Equal(t, map[string]string{"page_token": "invalid page token"}, violationsOf(t, m))
	})
}

func TestPageSizesPerResource(t *testing.T) {
	s := newServer(t, Config{})
	for _, tc := range []struct {
		path string
		max  int
	}{
		{s.realm("identities"), 200},
		{s.realm("identities/-/credential-binding-jobs"), 200},
		{s.realm("identities/-/credentials"), 200},
		{s.realm("authenticator-configs"), 100},
		{s.admin("applications/" + s.seed.ApplicationID + "/tokens"), 100},
	} {
		s.mustDo(200, "GET", fmt.Sprintf("%s?page_size=%d", tc.path, tc.max), nil)
		m := s.mustDo(400, "GET", fmt.Sprintf("%s?page_size=%d", tc.path, tc.max+1), nil)
		assert.Equal(t, map[string]string{"page_size": fmt.Sprintf("must be at most %d", tc.max)}, violationsOf(t, m), tc.path)
	}
	// Authenticator configs default to 100 per page.
	for i := range 120 {
		s.mustDo(200, "POST", s.realm("authenticator-configs"), map[string]any{"authenticator_config": map[string]any{
			"display_name": fmt.Sprint("c", i), "config": map[string]any{"type": "embedded", "invoke_url": "https://app.example", "trusted_origins": []string{}},
		}})
	}
	m := s.mustDo(200, "GET", s.realm("authenticator-configs"), nil)
	assert.Len(t, m["authenticator_configs"], 100)
	assert.EqualValues(t, 121, m["total_size"])
	m = s.mustDo(200, "GET", s.realm("authenticator-configs?page_token="+url.QueryEscape(m["next_page_token"].(string))), nil)
	assert.Len(t, m["authenticator_configs"], 21)
	assert.NotContains(t, m, "next_page_token")
}
