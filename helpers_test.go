package beyondidentity

// Shared test helpers. Tests of this package never run in parallel: gock
// keeps its mocks in global state.

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"sync"
	"testing"

	"github.com/passkeyhq/beyondidentity/internal/memtransport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

const (
	testTenant   = "0001f1f460b1ace6"
	testRealm    = "8f5bec58229e6f29"
	testAPIBase  = "https://api.test"
	testAuthBase = "https://auth.test"
	testToken    = "test-access-token-5e6f"
	// testRealmPath is the path prefix of realm-scoped API calls.
	testRealmPath = "/v1/tenants/" + testTenant + "/realms/" + testRealm
)

// newGockClient returns a client whose HTTP traffic goes to gock, with a
// static token, test base URLs, the test tenant and realm, and retries off
// (pass WithRetryPolicy to change that). At the end of the test it asserts
// that every registered mock was used and no request went unmatched.
func newGockClient(t *testing.T, opts ...Option) *Client {
	t.Helper()
	hc := &http.Client{}
	gock.InterceptClient(hc)
	gock.DisableNetworking()
	t.Cleanup(func() {
		assert.True(t, gock.IsDone(), "gock: not every expected request was made: %v", pendingMocks())
		assert.False(t, gock.HasUnmatchedRequest(), "gock: unmatched requests: %v", unmatched())
		gock.OffAll()
		gock.RestoreClient(hc)
	})
	base := []Option{
		WithTenant(testTenant), WithRealm(testRealm),
		WithBaseURLs(testAPIBase, testAuthBase),
		WithAPIToken(testToken),
		WithHTTPClient(hc),
		WithRetryPolicy(RetryPolicy{MaxRetries: -1}),
	}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func pendingMocks() []string {
	var out []string
	for _, m := range gock.Pending() {
		r := m.Request()
		out = append(out, r.Method+" "+r.URLStruct.String())
	}
	return out
}

func unmatched() []string {
	var out []string
	for _, r := range gock.GetUnmatchedRequests() {
		out = append(out, r.Method+" "+r.URL.String())
	}
	return out
}

// apiMock registers a gock mock for an API call: exact method, the escaped
// path anchored at both ends, and the bearer token.
func apiMock(method, escapedPath string) *gock.Request {
	return gock.New(testAPIBase).
		AddMatcher(matchMethodAndEscapedPath(method, escapedPath)).
		MatchHeader("Authorization", "^Bearer "+testToken+"$")
}

// matchMethodAndEscapedPath matches the method and the path exactly as sent
// on the wire (so escaping and the ':' of custom methods are checked).
func matchMethodAndEscapedPath(method, escapedPath string) gock.MatchFunc {
	return func(r *http.Request, _ *gock.Request) (bool, error) {
		return r.Method == method && r.URL.EscapedPath() == escapedPath, nil
	}
}

// matchJSONBody matches a request whose JSON body decodes to the same value
// as want (key order and spacing do not matter; extra or missing keys do).
// It also requires Content-Type: application/json exactly.
func matchJSONBody(t *testing.T, want string) gock.MatchFunc {
	return func(r *http.Request, _ *gock.Request) (bool, error) {
		body := readAndRestore(r)
		if r.Header.Get("Content-Type") != "application/json" {
			t.Logf("matchJSONBody: Content-Type %q", r.Header.Get("Content-Type"))
			return false, nil
		}
		var got, exp any
		if err := json.Unmarshal(body, &got); err != nil {
			t.Logf("matchJSONBody: body is not JSON: %q", body)
			return false, nil
		}
		if err := json.Unmarshal([]byte(want), &exp); err != nil {
			t.Fatalf("matchJSONBody: bad expectation: %v", err)
		}
		if !reflect.DeepEqual(got, exp) {
			t.Logf("matchJSONBody: body mismatch\n got: %s\nwant: %s", body, want)
			return false, nil
		}
		return true, nil
	}
}

// matchNoBody matches a request without a body.
func matchNoBody(r *http.Request, _ *gock.Request) (bool, error) {
	return len(readAndRestore(r)) == 0, nil
}

// matchRawQuery matches the decoded query exactly (every key, every value).
func matchQuery(t *testing.T, want map[string][]string) gock.MatchFunc {
	return func(r *http.Request, _ *gock.Request) (bool, error) {
		got := map[string][]string(r.URL.Query())
		if len(got) == 0 && len(want) == 0 {
			return true, nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Logf("matchQuery: got %v want %v", got, want)
			return false, nil
		}
		return true, nil
	}
}

func readAndRestore(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

// newMemClient returns a client whose requests are served in memory by h
// (for tests inside a testing/synctest bubble), using base URLs
// http://api.test and http://auth.test. Retries use tiny backoffs unless
// opts override the policy.
func newMemClient(t *testing.T, h http.Handler, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithTenant(testTenant), WithRealm(testRealm),
		WithBaseURLs("http://api.test", "http://auth.test"),
		WithHTTPClient(memtransport.Client(h)),
		WithRetryPolicy(RetryPolicy{MinBackoff: 1e6, MaxBackoff: 4e6}),
	}
	hasAuth := false
	for _, o := range opts {
		var probe options
		_ = o(&probe)
		if len(probe.authNames) > 0 {
			hasAuth = true
		}
	}
	if !hasAuth {
		base = append(base, WithAPIToken(testToken))
	}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// logBuffer collects slog output for redaction tests.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// newDebugLogger returns a JSON logger at debug level writing to a buffer.
func newDebugLogger() (*slog.Logger, *logBuffer) {
	lb := &logBuffer{}
	return slog.New(slog.NewJSONHandler(lb, &slog.HandlerOptions{Level: slog.LevelDebug})), lb
}
