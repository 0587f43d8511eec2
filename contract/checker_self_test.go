package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder collects what a checker reports, instead of failing the test.
type recorder struct {
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Logf(string, ...any) {}

func (r *recorder) Fatal(args ...any) { panic(fmt.Sprint(args...)) }

func (r *recorder) take() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := strings.Join(r.errors, "\n")
	r.errors = nil
	return s
}

// TestCheckerReportsViolations shows that the checker fails what breaks
// the spec, on the request side and the answer side, and that an
// allow-list entry excuses nothing beyond its defect. Its findings go to
// a recorder and to stats of its own, not to the suite's totals.
func TestCheckerReportsViolations(t *testing.T) {
	requireEnv(t)
	rec := &recorder{}
	chk := &checker{t: rec, mode: modeProxy, base: transport, st: newStats()}
	hc := &http.Client{Transport: chk}
	tok := fakeToken(t)
	send := func(method, realm, path string, body any) int {
		t.Helper()
		var b []byte
		if body != nil {
			b, _ = json.Marshal(body)
		}
		u := env.proxyURL.String() + "/v1/tenants/" + env.fake.TenantID + "/realms/" + realm + path
		req, err := http.NewRequestWithContext(t.Context(), method, u, bytes.NewReader(b))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+tok)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := hc.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	c, _ := proxyClient(t)

	t.Run("a request that breaks the spec is refused and reported", func(t *testing.T) {
		name := unique("empty")
		send(http.MethodPost, env.fake.RealmID, "/identities", map[string]any{
			"identity": map[string]any{"display_name": "", "traits": map[string]any{"type": "traits_v0", "username": name}}})
		got := rec.take()
		assert.Contains(t, got, "(CreateIdentity)")
		assert.Contains(t, got, "minLength at request.body.identity.display_name")
		_, err := c.Identities.FindByUsername(t.Context(), name)
		assert.ErrorIs(t, err, bi.ErrNotFound, "the fake never saw the request")
	})
	t.Run("an answer that breaks the spec is reported", func(t *testing.T) {
		// ListCredentials documents no 404; the fake answers an unknown realm
		// with one.
		status := send(http.MethodGet, "0000000000000000", "/identities/x/credentials", nil)
		assert.Equal(t, http.StatusNotFound, status)
		got := rec.take()
		assert.Contains(t, got, "(ListCredentials)")
		assert.Contains(t, got, "Unable to match the returned status code")
	})
	t.Run("an allowance excuses its defect only", func(t *testing.T) {
		id := newIdentity(t, c, false)
		// An inline embedded config without invoke_url fails the same oneOf
		// as an inline platform config, but it is not the spec's defect.
		send(http.MethodPost, env.fake.RealmID, "/identities/"+id.ID+"/credential-binding-jobs", map[string]any{
			"job": map[string]any{"delivery_method": "RETURN", "authenticator_config": map[string]any{
				"config": map[string]any{"type": "embedded", "trusted_origins": []string{"https://app.example"}}}}})
		got := rec.take()
		assert.Contains(t, got, "(CreateCredentialBindingJob)")
		assert.Contains(t, got, "required at request.body.job.authenticator_config.config")
		assert.Contains(t, got, "'invoke_url'")
	})
	t.Run("an undefined security scheme excuses the security check only", func(t *testing.T) {
		// UpdateFlowTypeConfig's DirectoryAuth is excused, not a member of
		// the wrong type.
		send(http.MethodPatch, env.fake.RealmID, "/flow-type-config", map[string]any{
			"ios": map[string]any{"scheme": map[string]any{"enabled": "yes"}}})
		got := rec.take()
		assert.Contains(t, got, "(UpdateFlowTypeConfig)")
		assert.Contains(t, got, "type at request.body.ios.scheme.enabled")
		assert.NotContains(t, got, "401")
	})
	t.Run("an undeclared query parameter is reported", func(t *testing.T) {
		send(http.MethodGet, env.fake.RealmID, "/identities?page_size=1&pagesize=1", nil)
		got := rec.take()
		assert.Contains(t, got, "undeclared at request.query.pagesize")
		assert.NotContains(t, got, "request.query.page_size")
	})
	t.Run("a call outside the spec is reported", func(t *testing.T) {
		send(http.MethodGet, env.fake.RealmID, "/identities/x:unknownMethod", nil)
		assert.NotEmpty(t, rec.take())
	})
	assert.Empty(t, rec.take())
}
