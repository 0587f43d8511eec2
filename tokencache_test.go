package beyondidentity

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tokenServer mints a new token on every token request and answers API
// calls that carry a token it minted (401 for one revoked with revoke).
type tokenServer struct {
	*httptest.Server
	minted  atomic.Int32
	mu      sync.Mutex
	revoked map[string]bool
}

func newTokenServer(t *testing.T) *tokenServer {
	ts := &tokenServer{revoked: map[string]bool{}}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/token") {
			n := ts.minted.Add(1)
			_, _ = fmt.Fprintf(w, `{"access_token":"minted-%d","token_type":"Bearer","expires_in":3600}`, n)
			return
		}
		ts.mu.Lock()
		bad := ts.revoked[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		ts.mu.Unlock()
		if bad || !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer minted-") {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, `{"tokens":[],"total_size":0}`)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tokenServer) revoke(tok string) {
	ts.mu.Lock()
	ts.revoked[tok] = true
	ts.mu.Unlock()
}

func cachedClient(t *testing.T, ts *tokenServer, dir string) *Client {
	t.Helper()
	cache, err := NewFileTokenCache(dir)
	require.NoError(t, err)
	c, err := NewClient(WithTenant(testTenant), WithRealm(testRealm), WithBaseURLs(ts.URL, ts.URL),
		WithClientCredentials(testCreds), WithTokenCache(cache), WithRetryPolicy(RetryPolicy{MaxRetries: -1}))
	require.NoError(t, err)
	return c
}

func TestTokenCacheSharedByTwoClients(t *testing.T) {
	ts := newTokenServer(t)
	dir := filepath.Join(t.TempDir(), "tokens")
	for range 2 {
		c := cachedClient(t, ts, dir)
		require.NoError(t, listTokens(context.Background(), c))
	}
	assert.Equal(t, int32(1), ts.minted.Load(), "the second client reuses the first one's token")

	// The files are the user's only, and hold no client secret.
	fi, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
	files, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, files, 1)
	fi, err = os.Stat(filepath.Join(dir, files[0].Name()))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	b, err := os.ReadFile(filepath.Join(dir, files[0].Name()))
	require.NoError(t, err)
	assert.Contains(t, string(b), "minted-1")
	assert.NotContains(t, string(b)+files[0].Name(), ccSecret)
	assert.NotContains(t, files[0].Name(), testCreds.ClientID)
}

// TestMain runs tokenCacheChild instead of the tests when this binary is
// started as the child process of TestTokenCacheAcrossProcesses.
func TestMain(m *testing.M) {
	if url := os.Getenv("BI_TOKEN_CACHE_CHILD"); url != "" {
		os.Exit(tokenCacheChild(url, os.Getenv("BI_TOKEN_CACHE_DIR")))
	}
	os.Exit(m.Run())
}

// tokenCacheChild is a short-lived program: one call with client
// credentials and a file token cache.
func tokenCacheChild(url, dir string) int {
	cache, err := NewFileTokenCache(dir)
	if err == nil {
		var c *Client
		c, err = NewClient(WithTenant(testTenant), WithRealm(testRealm), WithBaseURLs(url, url),
			WithClientCredentials(testCreds), WithTokenCache(cache))
		if err == nil {
			err = listTokens(context.Background(), c)
		}
	}
	if err != nil {
		fmt.Println("child call failed:", err)
		return 1
	}
	fmt.Println("child call done")
	return 0
}

// TestTokenCacheAcrossProcesses runs this test binary twice as a separate
// process (see TestMain), one after the other, with the same cache
// directory: the second process uses the token the first one fetched.
func TestTokenCacheAcrossProcesses(t *testing.T) {
	ts := newTokenServer(t)
	dir := t.TempDir()
	for i := range 2 {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "BI_TOKEN_CACHE_CHILD="+ts.URL, "BI_TOKEN_CACHE_DIR="+dir)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "process %d: %s", i+1, out)
		require.Contains(t, string(out), "child call done", "process %d ran the call: %s", i+1, out)
	}
	assert.Equal(t, int32(1), ts.minted.Load(), "one token request for two processes")
}

func TestTokenCacheDropsARefusedToken(t *testing.T) {
	ts := newTokenServer(t)
	dir := t.TempDir()
	c := cachedClient(t, ts, dir)
	require.NoError(t, listTokens(context.Background(), c))
	ts.revoke("minted-1")
	// The 401 drops minted-1 from the client and the cache; the replay
	// fetches minted-2, which the cache then holds for the next client.
	require.NoError(t, listTokens(context.Background(), c))
	require.NoError(t, listTokens(context.Background(), cachedClient(t, ts, dir)))
	assert.Equal(t, int32(2), ts.minted.Load())
	cache, _ := NewFileTokenCache(dir)
	ct, ok, err := cache.Load(context.Background(), tokenCacheKey(c.core.tokens.(*clientCredentialsSource).url, testCreds))
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "minted-2", ct.Token.Reveal())
}

func TestTokenCacheIgnoresStaleAndDamagedEntries(t *testing.T) {
	ts := newTokenServer(t)
	dir := t.TempDir()
	cache, err := NewFileTokenCache(dir)
	require.NoError(t, err)
	key := tokenCacheKey(ts.URL+"/v1/tenants/"+testTenant+"/realms/"+testCreds.RealmID+"/applications/"+testCreds.ApplicationID+"/token", testCreds)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		write func()
	}{
		{"expires in 30 s", func() {
			require.NoError(t, cache.Store(ctx, key, CachedToken{Token: NewSecret("minted-old"), Expiry: time.Now().Add(30 * time.Second)}))
		}},
		{"expired", func() {
			require.NoError(t, cache.Store(ctx, key, CachedToken{Token: NewSecret("minted-old"), Expiry: time.Now().Add(-time.Hour)}))
		}},
		{"damaged file", func() {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "token-"+key+".json"), []byte(`{"access_tok`), 0o600))
		}},
		{"not a bearer token", func() {
			require.NoError(t, cache.Store(ctx, key, CachedToken{Token: NewSecret("bad token\n"), Expiry: time.Now().Add(time.Hour)}))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.write()
			before := ts.minted.Load()
			require.NoError(t, listTokens(ctx, cachedClient(t, ts, dir)))
			assert.Equal(t, before+1, ts.minted.Load(), "a new token is fetched")
		})
	}
}

func TestWithTokenCacheNeedsClientCredentials(t *testing.T) {
	cache, err := NewFileTokenCache(t.TempDir())
	require.NoError(t, err)
	_, err = NewClient(WithTenant("t1"), WithAPIToken("tok"), WithTokenCache(cache))
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "WithTokenCache", ve.Field)
	_, err = NewClient(WithTenant("t1"), WithAPIToken("tok"), WithTokenCache(nil))
	require.ErrorAs(t, err, &ve)
	_, err = NewFileTokenCache(" ")
	require.ErrorAs(t, err, &ve)
}

func TestFileTokenCacheConcurrentWritersNeverShowAPartialToken(t *testing.T) {
	cache, err := NewFileTokenCache(t.TempDir())
	require.NoError(t, err)
	ctx := context.Background()
	const key = "0123456789abcdef"
	long := strings.Repeat("x", 8000)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				tok := fmt.Sprintf("w%d-%d-%s", w, i, long)
				assert.NoError(t, cache.Store(ctx, key, CachedToken{Token: NewSecret(tok), Expiry: time.Now().Add(time.Hour)}))
				got, ok, err := cache.Load(ctx, key)
				assert.NoError(t, err)
				if assert.True(t, ok) {
					assert.True(t, strings.HasSuffix(got.Token.Reveal(), long), "a whole token")
				}
			}
		}()
	}
	wg.Wait()
	_, _, err = cache.Load(ctx, "../etc/passwd")
	assert.Error(t, err, "keys cannot name other files")
}
