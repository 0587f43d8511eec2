package beyondidentity

// Tests of what a hostile or broken server can do to the client: redirects,
// clear text, look-alike hosts, echoed secrets, endless pages, huge or
// stalled bodies, absurd numbers, nulls, outages. Each runs against real
// loopback servers (or the in-memory transport inside a synctest bubble
// where it waits) and goes through the public API.

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newLoopClient returns a client for a loopback server, with a static
// token and retries off unless opts set a policy.
func newLoopClient(t *testing.T, srv *httptest.Server, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithTenant(testTenant), WithRealm(testRealm),
		WithBaseURLs(srv.URL, srv.URL),
		WithRetryPolicy(RetryPolicy{MaxRetries: -1}),
	}
	if srv.TLS != nil {
		base = append(base, WithHTTPClient(srv.Client()))
	}
	hasAuth := false
	for _, o := range opts {
		var probe options
		_ = o(&probe)
		hasAuth = hasAuth || len(probe.authNames) > 0
	}
	if !hasAuth {
		base = append(base, WithAPIToken(testToken))
	}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// target is a server that must receive nothing: it counts requests and
// records what credentials reached it.
type target struct {
	*httptest.Server
	n    atomic.Int32
	mu   sync.Mutex
	seen []string
}

func newTarget(t *testing.T, tls bool) *target {
	tg := &target{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tg.n.Add(1)
		b, _ := io.ReadAll(r.Body)
		tg.mu.Lock()
		tg.seen = append(tg.seen, r.Method+" "+r.Header.Get("Authorization")+" "+string(b))
		tg.mu.Unlock()
		_, _ = io.WriteString(w, `{"id":"from-the-target","identities":[],"total_size":0}`)
	})
	if tls {
		tg.Server = httptest.NewTLSServer(h)
	} else {
		tg.Server = httptest.NewServer(h)
	}
	t.Cleanup(tg.Close)
	return tg
}

func redirector(status int, location string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Location", location+r.URL.Path)
		w.WriteHeader(status)
	}))
}

func TestRedirectsAreNeverFollowed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		tls    bool // the target is https (the redirect then goes https -> http below)
		call   func(*Client) error
	}{
		{"307 GET to another port", http.StatusTemporaryRedirect, false, func(c *Client) error {
			_, err := c.Identities.Get(context.Background(), "i1")
			return err
		}},
		{"308 GET", http.StatusPermanentRedirect, false, func(c *Client) error {
			_, err := c.Identities.List(context.Background(), nil)
			return err
		}},
		{"307 create re-posts the body", http.StatusTemporaryRedirect, false, func(c *Client) error {
			_, err := c.Identities.Create(context.Background(), &CreateIdentityRequest{DisplayName: "Ada", Traits: Traits{Username: "ada"}})
			return err
		}},
		{"302 create turns into a GET", http.StatusFound, false, func(c *Client) error {
			_, err := c.Identities.Create(context.Background(), &CreateIdentityRequest{DisplayName: "Ada", Traits: Traits{Username: "ada"}})
			return err
		}},
		{"303 delete", http.StatusSeeOther, false, func(c *Client) error {
			return c.Identities.Delete(context.Background(), "i1")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tg := newTarget(t, tc.tls)
			src := redirector(tc.status, tg.URL)
			defer src.Close()
			c := newLoopClient(t, src, WithRetryPolicy(RetryPolicy{})) // default retries
			err := tc.call(c)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.status, ae.StatusCode)
			assert.Contains(t, err.Error(), strings.TrimPrefix(tg.URL, "http://"), "the error names the target host")
			assert.Contains(t, err.Error(), "not followed")
			assert.Equal(t, int32(0), tg.n.Load(), "nothing reaches the target")
			assert.Equal(t, 1, ae.Attempts, "a redirect is not retried")
		})
	}
}

func TestRedirectFromHTTPSToHTTPSendsNothing(t *testing.T) {
	tg := newTarget(t, false)
	src := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, tg.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer src.Close()
	c := newLoopClient(t, src)
	_, err := c.Identities.Get(context.Background(), "i1")
	require.Error(t, err)
	assert.Equal(t, int32(0), tg.n.Load(), "the token never travels in clear text")
}

func TestTokenEndpointRedirectGetsNoSecret(t *testing.T) {
	const secret = "client-secret-xyz-123456"
	tg := newTarget(t, false)
	src := redirector(http.StatusTemporaryRedirect, tg.URL)
	defer src.Close()
	c := newLoopClient(t, src, WithClientCredentials(ClientCredentials{
		RealmID: "admin1", ApplicationID: "app1", ClientID: "cid", ClientSecret: NewSecret(secret)}))
	_, err := c.Identities.Get(context.Background(), "i1")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusTemporaryRedirect, ae.StatusCode)
	assert.True(t, strings.HasSuffix(ae.URL, "/token"), "the token request is the one refused: %s", ae.URL)
	assert.Equal(t, int32(0), tg.n.Load())
	assert.NotContains(t, err.Error(), secret)
}

func TestWithHTTPClientIsNotModified(t *testing.T) {
	tr := &http.Transport{}
	hc := &http.Client{Transport: tr, Timeout: 7 * time.Second}
	_, err := NewClient(WithTenant("t1"), WithAPIToken("tok"), WithHTTPClient(hc))
	require.NoError(t, err)
	assert.Nil(t, hc.CheckRedirect, "the caller's client keeps its redirect policy")
	assert.Same(t, tr, hc.Transport, "the caller's client keeps its transport")
	assert.Equal(t, 7*time.Second, hc.Timeout)
}

func TestPlainHTTPOnlyForLoopbackAndTestHosts(t *testing.T) {
	for _, ok := range []string{
		"http://localhost", "http://localhost:8080", "http://127.0.0.1:9", "http://127.1.2.3",
		"http://[::1]:8080", "http://api.test", "http://x.invalid/prefix", "http://app.localhost",
		"https://api.example.com", "https://api.example.com:8443/proxy",
	} {
		_, err := NewClient(WithTenant("t1"), WithAPIToken("tok"), WithBaseURLs(ok, "https://auth.example.com"))
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{
		"http://api.example.com", "http://10.0.0.1", "http://192.168.1.2:8080", "http://localhost.example.com",
		"http://test", "http://api-us.beyondidentity.com",
	} {
		_, err := NewClient(WithTenant("t1"), WithAPIToken("tok"), WithBaseURLs(bad, "https://auth.example.com"))
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, bad)
		assert.Equal(t, "WithBaseURLs apiURL", ve.Field)
		assert.Contains(t, ve.Problem, "WithInsecureHTTP")
		_, err = NewClient(WithTenant("t1"), WithAPIToken("tok"), WithBaseURLs("https://api.example.com", bad))
		require.ErrorAs(t, err, &ve, bad)
		assert.Equal(t, "WithBaseURLs authURL", ve.Field)
		// The loud opt-in, before or after the base URLs.
		_, err = NewClient(WithTenant("t1"), WithAPIToken("tok"), WithBaseURLs(bad, bad), WithInsecureHTTP())
		assert.NoError(t, err, bad)
		_, err = NewClient(WithInsecureHTTP(), WithTenant("t1"), WithAPIToken("tok"), WithBaseURLs(bad, bad))
		assert.NoError(t, err, bad)
	}
}

func TestNonASCIIHostsAreRefused(t *testing.T) {
	for _, bad := range []string{"https://api-us.beyondİdentity.com", "https://аpi.example.com", "https://bücher.example"} {
		_, err := NewClient(WithTenant("t1"), WithAPIToken("tok"), WithBaseURLs(bad, "https://auth.example.com"))
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, bad)
		assert.Contains(t, ve.Problem, "punycode")
	}
	_, err := NewClient(WithTenant("t1"), WithAPIToken("tok"), WithBaseURLs("https://xn--bcher-kva.example", "https://auth.example.com"))
	assert.NoError(t, err, "the punycode form of a name is ASCII")
}

func TestBindHandlerRefusesLookAlikeHosts(t *testing.T) {
	c, err := NewClient(WithTenant(testTenant), WithRealm(testRealm), WithAPIToken("tok"))
	require.NoError(t, err)
	h := c.BindHandler(func(w http.ResponseWriter, r *http.Request, link *BindingLink) {
		t.Errorf("fn called for %v", link)
	})
	q := url.Values{"tenant_id": {testTenant}, "realm_id": {testRealm}, "identity_id": {"i1"}, "job_id": {"j1"}, "token": {"tok123"}}
	for _, base := range []string{
		"https://auth-us.beyondİdentity.com",          // U+0130: Go lower-cases it to "i"
		"https://auth-us.beyondıdentity.com",          // U+0131 dotless i
		"https://auth.us1.beyondİdentity-gov.com",     // the gov host
		"https://auth-us.xn--beyondidentity-r6h.com",  // what a browser makes of the first
		"https://AUTH-US.BEYONDİDENTITY.COM",          // case folding on top
		"https://auth-eu.beyondidentity.com.evil.com", // a suffix
		"https://auth-eu.beyondidentity.com@evil.com", // user info
	} {
		q.Set("api_base_url", base)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "https://shop.example/bind?"+q.Encode(), nil))
		assert.Equal(t, http.StatusBadRequest, rec.Code, base)
		_, err := ParseBindingLink("https://shop.example/bind?" + q.Encode())
		if !isASCIIHost(strings.TrimPrefix(base, "https://")) {
			assert.Error(t, err, "ParseBindingLink refuses a non-ASCII api_base_url: %s", base)
		}
	}
	// The real hosts pass, in any ASCII case.
	for _, base := range []string{"https://auth-us.beyondidentity.com", "https://AUTH-EU.BeyondIdentity.com", "https://auth.us1.beyondidentity-gov.com:443"} {
		q.Set("api_base_url", base)
		called := false
		h := c.BindHandler(func(w http.ResponseWriter, r *http.Request, link *BindingLink) { called = true })
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "https://shop.example/bind?"+q.Encode(), nil))
		assert.True(t, called, base)
	}
	// A link whose own host is not ASCII is refused too.
	_, err = ParseBindingLink("https://auth-us.beyondİdentity.com/v1/tenants/t/realms/r/identities/i/credential-binding-jobs/j:invokeAuthenticator?token=abc")
	assert.Error(t, err)
}

func TestEchoedSecretsAreScrubbed(t *testing.T) {
	const (
		token  = "bearer-token-abc123XYZ"
		secret = "client-secret-qq77/+=="
		probed = "introspected.token.value99"
	)
	// A gateway that echoes everything it was sent into its error.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		msg := "denied: " + r.Header.Get("Authorization") + " body=" + string(b)
		w.Header().Set("X-Request-Id", "rid "+r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusForbidden)
		_, _ = fmt.Fprintf(w, `{"code":%q,"message":%q,"details":[{"type":"FieldViolations","field_violations":[{"field":%q,"description":%q}]},{"type":"Other","echo":%q}]}`,
			"code "+r.Header.Get("Authorization"), msg, string(b), r.Header.Get("Authorization"), msg)
	}))
	defer echo.Close()
	check := func(t *testing.T, err error, secrets ...string) {
		t.Helper()
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		text := fmt.Sprintf("%v %+v %#v %s %s", err, ae, ae, ae.Details[1].Raw, ae.FieldViolations())
		for _, s := range secrets {
			assert.NotContains(t, text, s)
		}
		assert.Contains(t, ae.Message, "REDACTED")
	}

	c := newLoopClient(t, echo, WithAPIToken(token))
	_, err := c.Identities.Get(context.Background(), "i1")
	check(t, err, token)
	_, err = c.Tokens.Introspect(context.Background(), probed)
	check(t, err, token, probed)

	cc := newLoopClient(t, echo, WithClientCredentials(ClientCredentials{RealmID: "admin1", ApplicationID: "app1", ClientID: "cid", ClientSecret: NewSecret(secret)}))
	_, err = cc.Identities.Get(context.Background(), "i1")
	basic := base64.StdEncoding.EncodeToString([]byte("cid:" + url.QueryEscape(secret)))
	check(t, err, secret, url.QueryEscape(secret), basic)
}

// pageServer answers list requests with pages chosen by page token.
func pageServer(t *testing.T, pages func(token string) string) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 1000 {
			t.Error("more than 1000 requests: the iteration does not stop")
			http.Error(w, "stop", http.StatusGone)
			return
		}
		_, _ = io.WriteString(w, pages(r.URL.Query().Get("page_token")))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestAllStopsOnPageTokenCycles(t *testing.T) {
	srv, n := pageServer(t, func(tok string) string {
		next := map[string]string{"": "A", "A": "B", "B": "A"}[tok]
		return `{"identities":[{"id":"x` + tok + `"}],"total_size":9,"next_page_token":"` + next + `"}`
	})
	c := newLoopClient(t, srv)
	var ids []string
	var last error
	for id, err := range c.Identities.All(context.Background(), nil) {
		if err != nil {
			last = err
			break
		}
		ids = append(ids, id.ID)
	}
	assert.ErrorIs(t, last, errPageTokenLoop)
	assert.Equal(t, []string{"x", "xA", "xB"}, ids)
	assert.Equal(t, int32(3), n.Load(), "the page that repeats a token is not fetched")
}

func TestAllStopsOnEndlessEmptyPages(t *testing.T) {
	srv, n := pageServer(t, func(tok string) string {
		i, _ := strconv.Atoi(tok)
		return `{"identities":[],"total_size":0,"next_page_token":"` + strconv.Itoa(i+1) + `"}`
	})
	c := newLoopClient(t, srv)
	var errs []error
	for _, err := range c.Identities.All(context.Background(), nil) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "empty pages in a row")
	assert.Equal(t, int32(maxEmptyPages), n.Load())
}

func TestPageWithFarMoreItemsThanAskedIsRefused(t *testing.T) {
	srv, _ := pageServer(t, func(string) string {
		return `{"identities":[` + strings.Repeat(`{},`, 5000) + `{}],"total_size":1}`
	})
	c := newLoopClient(t, srv)
	_, err := c.Identities.List(context.Background(), &ListOptions{PageSize: 10})
	require.ErrorContains(t, err, "more than 200 items")
	_, err = c.Identities.List(context.Background(), nil)
	require.ErrorContains(t, err, "more than 400 items", "twice the largest page when no size is asked")
}

func TestNullAnswersAreErrors(t *testing.T) {
	body := "null"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, body) }))
	defer srv.Close()
	c := newLoopClient(t, srv)
	id, err := c.Identities.Get(context.Background(), "i1")
	assert.Nil(t, id)
	require.ErrorContains(t, err, "null where a result was expected")
	for _, b := range []string{" null ", "", "  "} {
		body = b
		_, err = c.Identities.Get(context.Background(), "i1")
		assert.Error(t, err, "%q", b)
	}
	body = `{"identities":[{"id":"a"},null],"total_size":2}`
	page, err := c.Identities.List(context.Background(), nil)
	assert.Nil(t, page)
	require.ErrorContains(t, err, "item 1 of the page is null")
	body = `{"credential_binding_job":null,"credential_binding_link":"x"}`
	_, err = c.BindingJobs.Create(context.Background(), "i1", &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodReturn, AuthenticatorConfigID: "cfg"})
	require.Error(t, err)
	// A delete answers no result: null is as good as {} there.
	body = "null"
	assert.NoError(t, c.Identities.Delete(context.Background(), "i1"))
}

func TestStalledHugeBodyCostsLittleMemory(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(30<<20))
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"id":"`)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := newLoopClient(t, srv)
	const calls = 8
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	for range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Identities.Get(ctx, "i1")
			assert.Error(t, err)
		}()
	}
	time.Sleep(300 * time.Millisecond) // every call is now stalled in its body
	runtime.ReadMemStats(&after)
	cancel()
	wg.Wait()
	grown := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d stalled calls with a declared 30 MiB body allocated %d KiB", calls, grown>>10)
	assert.Less(t, grown, uint64(calls*(1<<20)), "at most 64 KiB per call before the bytes arrive")
}

func TestDeclaredBodyOverTheLimitIsRefusedAtOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(maxResponseBody+1))
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	_, err := newLoopClient(t, srv).Identities.Get(context.Background(), "i1")
	require.ErrorContains(t, err, "larger than")
}

func TestAbsurdTokenLifetimes(t *testing.T) {
	for _, tc := range []struct {
		expiresIn string
		fetches   int // token requests for three calls an hour apart
	}{
		{`20211507185753197`, 1}, // overflowed to 512 ns before: a fetch per call
		{`1e18`, 1},              // went negative before
		{`"3600"`, 3},            // a string: an hour, so one fetch per call an hour apart
		{`7200.5`, 2},
		{`-5`, 3},   // not a lifetime: 5 minutes
		{`null`, 3}, // none
	} {
		t.Run(tc.expiresIn, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var fetches int
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if strings.HasSuffix(r.URL.Path, "/token") {
						fetches++
						_, _ = fmt.Fprintf(w, `{"access_token":"tok-%d","token_type":"Bearer","expires_in":%s}`, fetches, tc.expiresIn)
						return
					}
					_, _ = io.WriteString(w, `{"tokens":[],"total_size":0}`)
				})
				c := newMemClient(t, h, WithClientCredentials(testCreds))
				for range 3 {
					require.NoError(t, listTokens(t.Context(), c))
					time.Sleep(time.Hour)
				}
				assert.Equal(t, tc.fetches, fetches)
			})
		})
	}
}

func TestAccessTokenThatCannotBeAHeaderIsATokenError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var fetches, apiCalls int
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/token") {
				fetches++
				_, _ = io.WriteString(w, `{"access_token":"bad token\r\nX-Injected: 1","token_type":"Bearer","expires_in":3600}`)
				return
			}
			apiCalls++
		})
		c := newMemClient(t, h, WithClientCredentials(testCreds), WithRetryPolicy(RetryPolicy{MaxRetries: -1}))
		for range 2 {
			err := listTokens(t.Context(), c)
			require.ErrorContains(t, err, "not a bearer token")
			assert.NotContains(t, err.Error(), "X-Injected")
		}
		assert.Equal(t, 2, fetches, "the bad token is not cached")
		assert.Equal(t, 0, apiCalls)
	})
}

func TestAbsurdWaitsFailFast(t *testing.T) {
	for _, h := range []http.Header{
		{"Retry-After": {"9223372036854775808"}},
		{"Retry-After": {"99999999999999999999999999"}},
		{"Ratelimit-Reset": {"1e30"}},
	} {
		synctest.Test(t, func(t *testing.T) {
			var n int
			c := newMemClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n++
				for k, v := range h {
					w.Header()[k] = v
				}
				w.WriteHeader(http.StatusTooManyRequests)
			}), WithRetryPolicy(RetryPolicy{}))
			start := time.Now()
			err := listTokens(t.Context(), c)
			var ae *APIError
			require.ErrorAs(t, err, &ae, "%v", h)
			assert.ErrorIs(t, err, ErrRateLimited)
			assert.Equal(t, 1, n, "%v: not retried", h)
			assert.Equal(t, time.Duration(0), time.Since(start), "%v: no wait", h)
			assert.Greater(t, ae.RetryAfter, 100*365*24*time.Hour, "%v", h)
		})
	}
}

func TestRetryBudgetUnderSustainedOutage(t *testing.T) {
	const calls = 300
	count := func(policy RetryPolicy, auth Option) (api, token int) {
		synctest.Test(t, func(t *testing.T) {
			c := newMemClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/token") {
					token++
				} else {
					api++
				}
				w.WriteHeader(http.StatusServiceUnavailable)
			}), WithRetryPolicy(policy), auth)
			for range calls {
				assert.Error(t, listTokens(t.Context(), c.InRealm("realm"+strconv.Itoa(api%3))))
			}
		})
		return api, token
	}
	fast := RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}
	off := fast
	off.RetryBudget = -1
	withBudget, _ := count(fast, WithAPIToken(testToken))
	without, _ := count(off, WithAPIToken(testToken))
	t.Logf("API answering 503: %d requests for %d calls with the budget, %d without", withBudget, calls, without)
	assert.Equal(t, calls*(DefaultMaxRetries+1), without)
	assert.Equal(t, calls+DefaultRetryBudget/RetryCost, withBudget)

	_, tokWith := count(fast, WithClientCredentials(testCreds))
	_, tokWithout := count(off, WithClientCredentials(testCreds))
	t.Logf("token endpoint answering 503: %d token requests for %d calls with the budget, %d without", tokWith, calls, tokWithout)
	assert.Equal(t, calls*(DefaultMaxRetries+1), tokWithout)
	assert.Equal(t, calls+DefaultRetryBudget/RetryCost, tokWith)
}

func TestRetryBudgetRefillsOnSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		failing := true
		var n int
		c := newMemClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n++
			if failing {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			_, _ = io.WriteString(w, `{"tokens":[],"total_size":0}`)
		}), WithRetryPolicy(RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, RetryBudget: 10}))
		for range 5 {
			_ = listTokens(t.Context(), c)
		}
		assert.Equal(t, 5+2, n, "a budget of 10 pays for 2 retries")
		failing = false
		for range 10 {
			require.NoError(t, listTokens(t.Context(), c))
		}
		failing, n = true, 0
		_ = listTokens(t.Context(), c)
		assert.Equal(t, 3, n, "10 successes paid for 2 retries again")
	})
}

func TestOneFailureDoesNotEmptyThePool(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%100 == 0 {
			w.WriteHeader(http.StatusServiceUnavailable) // 1 % of calls fail for good
			return
		}
		_, _ = io.WriteString(w, `{"id":"i1"}`)
	}))
	var conns atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := newLoopClient(t, srv, WithRetryPolicy(RetryPolicy{MaxRetries: -1}))
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 333 {
				_, _ = c.Identities.Get(context.Background(), "i"+strconv.Itoa(g))
			}
		}()
	}
	wg.Wait()
	t.Logf("%d requests, %d connections", n.Load(), conns.Load())
	assert.LessOrEqual(t, conns.Load(), int32(8), "failed calls do not close the other goroutines' idle connections")
}

// TestDefaultClientReusesConnectionsUnderConcurrency sends 10 waves of 64
// concurrent GETs through the default client: the idle pool keeps enough
// connections per host (DefaultMaxIdleConnsPerHost) that later waves reuse
// the first wave's connections (go-cleanhttp's GOMAXPROCS+1 reopened most
// of them on every wave).
func TestDefaultClientReusesConnectionsUnderConcurrency(t *testing.T) {
	var release atomic.Pointer[chan struct{}]
	var inFlight atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Hold each wave until all 64 calls are in, so they need 64
		// connections at once.
		ch := *release.Load()
		if inFlight.Add(1) == 64 {
			close(ch)
		}
		<-ch
		_, _ = io.WriteString(w, `{"id":"i1"}`)
	}))
	var conns atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := NewClient(WithTenant(testTenant), WithRealm(testRealm), WithAPIToken(testToken), WithBaseURLs(srv.URL, srv.URL))
	require.NoError(t, err)
	for range 10 {
		inFlight.Store(0)
		ch := make(chan struct{})
		release.Store(&ch)
		var wg sync.WaitGroup
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := c.Identities.Get(context.Background(), "i1")
				assert.NoError(t, err)
			}()
		}
		wg.Wait()
	}
	t.Logf("10 waves of 64 concurrent GETs opened %d connections", conns.Load())
	assert.LessOrEqual(t, conns.Load(), int32(80))
}

func TestPageCheckMatchesTheItemsKeyAsEncodingJSONDoes(t *testing.T) {
	// encoding/json matches "identities" case-insensitively and decodes
	// escaped names: the check before decoding must see those items too.
	for _, body := range []string{
		`{"Identities":[null],"total_size":1}`,
		`{"IDENTITIES":[{"id":"a"},null],"total_size":2}`,
		`{"identit\u0069es":[null],"total_size":1}`,
		`{"identitIes":[` + strings.Repeat(`{},`, 500) + `{}],"total_size":1}`,
	} {
		srv, _ := pageServer(t, func(string) string { return body })
		_, err := newLoopClient(t, srv).Identities.List(context.Background(), nil)
		require.Error(t, err, body)
	}
}
