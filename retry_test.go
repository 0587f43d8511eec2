package beyondidentity

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// script is a handler that answers the n-th request with steps[n] (the last
// step repeats) and records when each request arrived.
type script struct {
	mu     sync.Mutex
	steps  []func(w http.ResponseWriter, r *http.Request)
	times  []time.Time
	bodies []string
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.times)
	s.times = append(s.times, time.Now())
	s.bodies = append(s.bodies, string(b))
	step := s.steps[min(n, len(s.steps)-1)]
	s.mu.Unlock()
	step(w, r)
}

func (s *script) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.times)
}

func status(code int, headers ...string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		if code >= 400 {
			_, _ = io.WriteString(w, `{"code":"`+codeName(code)+`","message":"`+http.StatusText(code)+`"}`)
		} else {
			_, _ = io.WriteString(w, `{"tokens":[],"total_size":0}`)
		}
	}
}

func codeName(code int) string {
	switch code {
	case 429:
		return "too_many_requests"
	case 401:
		return "unauthorized"
	}
	return "internal_server_error"
}

// listTokens is an idempotent GET used to drive the request path.
func listTokens(ctx context.Context, c *Client) error {
	_, err := c.Tokens.List(ctx, "app-1", nil)
	return err
}

// createSomething is a non-idempotent POST (a create) through the request path.
func createSomething(ctx context.Context, c *Client) error {
	return c.do(ctx, &call{method: http.MethodPost, path: segs("identities"), body: map[string]string{"x": "y"}}, nil)
}

func TestRetryGETOn503ThenSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503), status(503), status(200)}}
		c := newMemClient(t, s)
		require.NoError(t, listTokens(t.Context(), c))
		assert.Equal(t, 3, s.count())
	})
}

func TestRetryGivesUpAfterMaxRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(502)}}
		c := newMemClient(t, s, WithRetryPolicy(RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond}))
		err := listTokens(t.Context(), c)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 502, ae.StatusCode)
		assert.Equal(t, 3, ae.Attempts)
		assert.Equal(t, 3, s.count())
	})
}

func TestBackoffIsExponentialAndCapped(t *testing.T) {
	p := RetryPolicy{MinBackoff: 100 * time.Millisecond, MaxBackoff: 400 * time.Millisecond}.withDefaults()
	for attempt, bounds := range [][2]time.Duration{{50, 100}, {100, 200}, {200, 400}, {200, 400}, {200, 400}} {
		for range 50 {
			d := p.backoff(0, 0, attempt, nil)
			assert.GreaterOrEqual(t, d, bounds[0]*time.Millisecond, "attempt %d", attempt)
			assert.LessOrEqual(t, d, bounds[1]*time.Millisecond, "attempt %d", attempt)
		}
	}
}

func TestPOSTIsNotRetriedAfterServerError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(500), status(200)}}
		c := newMemClient(t, s)
		err := createSomething(t.Context(), c)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 500, ae.StatusCode)
		assert.Equal(t, 1, s.count(), "a create that may have acted is sent once")
	})
}

func TestPOSTIsRetriedAfter429(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "1"), status(200)}}
		c := newMemClient(t, s)
		require.NoError(t, createSomething(t.Context(), c))
		assert.Equal(t, 2, s.count())
		assert.Equal(t, s.bodies[0], s.bodies[1], "the body is replayed unchanged")
	})
}

func TestRetryAfterSecondsIsHonouredExactly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "2"), status(200)}}
		c := newMemClient(t, s)
		start := time.Now()
		require.NoError(t, listTokens(t.Context(), c))
		assert.Equal(t, 2*time.Second, time.Since(start))
		assert.Equal(t, 2*time.Second, s.times[1].Sub(s.times[0]))
	})
}

func TestRetryAfterHTTPDate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		when := time.Now().Add(5 * time.Second).UTC().Format(http.TimeFormat)
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503, "Retry-After", when), status(200)}}
		c := newMemClient(t, s)
		start := time.Now()
		require.NoError(t, listTokens(t.Context(), c))
		assert.Equal(t, 5*time.Second, time.Since(start))
	})
}

func TestRateLimitResetHeaderIsHonoured(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(429, "RateLimit-Reset", "7"), status(200)}}
		c := newMemClient(t, s)
		start := time.Now()
		require.NoError(t, listTokens(t.Context(), c))
		assert.Equal(t, 7*time.Second, time.Since(start))
	})
}

func TestLongRetryAfterFailsFast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "3600"), status(200)}}
		c := newMemClient(t, s)
		start := time.Now()
		err := listTokens(t.Context(), c)
		assert.Zero(t, time.Since(start), "no wait at all")
		assert.ErrorIs(t, err, ErrRateLimited)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, time.Hour, ae.RetryAfter)
		assert.Equal(t, 1, s.count())
		assert.Contains(t, err.Error(), "retry after 1h0m0s")
	})
}

func TestMaxRetryAfterIsConfigurable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "90"), status(200)}}
		c := newMemClient(t, s, WithRetryPolicy(RetryPolicy{MaxRetryAfter: 2 * time.Minute}))
		start := time.Now()
		require.NoError(t, listTokens(t.Context(), c))
		assert.Equal(t, 90*time.Second, time.Since(start))
	})
}

func TestCancelDuringBackoffReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503, "Retry-After", "30"), status(200)}}
		c := newMemClient(t, s)
		ctx, cancel := context.WithCancel(t.Context())
		var err error
		done := make(chan struct{})
		start := time.Now()
		go func() {
			err = listTokens(ctx, c)
			close(done)
		}()
		time.Sleep(time.Second)
		cancel()
		<-done
		assert.Equal(t, time.Second, time.Since(start), "returned when cancelled, not after 30 s")
		assert.ErrorIs(t, err, context.Canceled)
		var re *RequestError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, http.MethodGet, re.Method)
		assert.Equal(t, 1, s.count())
	})
}

func TestDeadlineDuringBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503, "Retry-After", "30")}}
		c := newMemClient(t, s)
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
		defer cancel()
		start := time.Now()
		err := listTokens(ctx, c)
		assert.Equal(t, 3*time.Second, time.Since(start))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

func TestCustomShouldRetryReplacesDecision(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var seen []RetryAttempt
		policy := RetryPolicy{MinBackoff: time.Millisecond, ShouldRetry: func(a RetryAttempt) bool {
			seen = append(seen, a)
			return a.StatusCode == http.StatusConflict // something the default never retries
		}}
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(409), status(200)}}
		c := newMemClient(t, s, WithRetryPolicy(policy))
		require.NoError(t, createSomething(t.Context(), c))
		require.Len(t, seen, 1)
		assert.Equal(t, RetryAttempt{Method: "POST", URL: "http://api.test" + testRealmPath + "/identities", Idempotent: false,
			Attempt: 1, StatusCode: 409, Header: seen[0].Header}, seen[0])
	})
}

func TestRetriesDisabled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503), status(200)}}
		c := newMemClient(t, s, WithRetryPolicy(RetryPolicy{MaxRetries: -1}))
		assert.Error(t, listTokens(t.Context(), c))
		assert.Equal(t, 1, s.count())
	})
}

func TestDefaultShouldRetry(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	for _, tt := range []struct {
		a    RetryAttempt
		want bool
	}{
		{RetryAttempt{Idempotent: true, StatusCode: 503}, true},
		{RetryAttempt{Idempotent: false, StatusCode: 503}, false},
		{RetryAttempt{Idempotent: false, StatusCode: 429}, true},
		{RetryAttempt{Idempotent: true, StatusCode: 408}, true},
		{RetryAttempt{Idempotent: true, StatusCode: 501}, false},
		{RetryAttempt{Idempotent: true, StatusCode: 404}, false},
		{RetryAttempt{Idempotent: true, StatusCode: 409}, false},
		{RetryAttempt{Idempotent: true, Err: reset}, true},
		{RetryAttempt{Idempotent: false, Err: reset}, false},
		{RetryAttempt{Idempotent: false, Err: refused}, true},
		{RetryAttempt{Idempotent: false, Err: &net.DNSError{Err: "no such host", Name: "x"}}, true},
		{RetryAttempt{Idempotent: true, Err: errors.New(`Get "http://x": stopped after 10 redirects`)}, false},
	} {
		assert.Equal(t, tt.want, DefaultShouldRetry(tt.a), "%+v", tt.a)
	}
}

// refusingTransport fails the first n round trips with ECONNREFUSED, as a
// dial to a closed port does, then delegates.
type refusingTransport struct {
	n    atomic.Int32
	next http.RoundTripper
}

func (rt *refusingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if rt.n.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	return rt.next.RoundTrip(r)
}

func TestPOSTIsRetriedWhenConnectionRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(200)}}
		rt := &refusingTransport{next: newMemClient(t, s).core.hc.HTTPClient.Transport}
		rt.n.Store(2)
		c := newMemClient(t, s, WithHTTPClient(&http.Client{Transport: rt}))
		require.NoError(t, createSomething(t.Context(), c))
		assert.Equal(t, 1, s.count(), "the server saw the create once")
	})
}

// resetServer is a loopback server that drops the connection of the first
// `drops` requests without answering, then answers 200.
func resetServer(t *testing.T, drops int) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if int(n.Add(1)) <= drops {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // send RST, not FIN
				}
				_ = conn.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"tokens":[],"total_size":0}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// freshConnClient never reuses connections, so net/http's own retry of
// requests on reused connections cannot hide the SDK's behaviour.
func freshConnClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

func TestConnectionResetOnGETIsRetried(t *testing.T) {
	srv, n := resetServer(t, 1)
	c, err := NewClient(WithTenant(testTenant), WithRealm(testRealm), WithAPIToken(testToken),
		WithBaseURLs(srv.URL, srv.URL), WithHTTPClient(freshConnClient()),
		WithRetryPolicy(RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}))
	require.NoError(t, err)
	require.NoError(t, listTokens(context.Background(), c))
	assert.Equal(t, int32(2), n.Load())
}

func TestConnectionResetOnPOSTIsNotRetried(t *testing.T) {
	srv, n := resetServer(t, 1)
	c, err := NewClient(WithTenant(testTenant), WithRealm(testRealm), WithAPIToken(testToken),
		WithBaseURLs(srv.URL, srv.URL), WithHTTPClient(freshConnClient()),
		WithRetryPolicy(RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}))
	require.NoError(t, err)
	err = createSomething(context.Background(), c)
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, int32(1), n.Load(), "the server may have acted: not sent again")
	assert.NotContains(t, err.Error(), "?")
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		h    http.Header
		want time.Duration
		ok   bool
	}{
		{http.Header{"Retry-After": {"2"}}, 2 * time.Second, true},
		{http.Header{"Retry-After": {"0"}}, 0, true},
		{http.Header{"Retry-After": {"-1"}}, 0, false},
		{http.Header{"Retry-After": {"soon"}}, 0, false},
		{http.Header{"Retry-After": {"Sat, 28 Nov 2026 12:00:10 GMT"}}, 10 * time.Second, true},
		{http.Header{"Retry-After": {"Sat, 28 Nov 2026 11:00:00 GMT"}}, 0, true},
		{http.Header{"Ratelimit-Reset": {"7"}}, 7 * time.Second, true},
		{http.Header{"Retry-After": {"99999999999999999"}}, maxDuration, true},
		// Numbers too large for an int64 or written as floats are very long
		// waits, not unreadable ones.
		{http.Header{"Retry-After": {"9223372036854775808"}}, maxDuration, true},
		{http.Header{"Retry-After": {"2.5"}}, 2500 * time.Millisecond, true},
		{http.Header{"Retry-After": {"-2.5"}}, 0, false},
		{http.Header{"Retry-After": {"NaN"}}, 0, false},
		{http.Header{"Ratelimit-Reset": {"1e30"}}, maxDuration, true},
		{http.Header{"Ratelimit-Reset": {"1e400"}}, maxDuration, true},
		{http.Header{"Ratelimit-Reset": {strconv.FormatInt(now.Unix()+10, 10)}}, 10 * time.Second, true}, // a Unix time
		{http.Header{"Ratelimit-Reset": {"200000000000"}}, maxDuration, true},                            // past the Unix range
		{http.Header{"Retry-After": {"0x10"}}, 0, false},
		{http.Header{"Retry-After": {"Inf"}}, 0, false},
		{http.Header{}, 0, false},
	} {
		got, ok := retryAfterHeader(tt.h, now)
		assert.Equal(t, tt.ok, ok, "%v", tt.h)
		assert.Equal(t, tt.want, got, "%v", tt.h)
	}
}

func TestExhaustedRetriesAreNotLoggedAsRetrying(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503)}}
		logger, logs := newDebugLogger()
		c := newMemClient(t, s, WithLogger(logger), WithRetryPolicy(RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond}))
		require.Error(t, listTokens(t.Context(), c))
		assert.Equal(t, 3, s.count())
		assert.Equal(t, 2, strings.Count(logs.String(), "beyondidentity: retrying"))
	})
}

func TestAttemptLogHasDuration(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(1500 * time.Millisecond)
			status(404)(w, r)
		})
		logger, logs := newDebugLogger()
		c := newMemClient(t, slow, WithLogger(logger))
		require.Error(t, listTokens(t.Context(), c))
		var line struct {
			Msg      string
			Status   int
			Duration time.Duration
		}
		require.NoError(t, json.Unmarshal([]byte(strings.TrimSpace(logs.String())), &line), logs.String())
		assert.Equal(t, "beyondidentity: response", line.Msg)
		assert.Equal(t, 404, line.Status)
		assert.Equal(t, 1500*time.Millisecond, line.Duration, "the attempt's duration, as WithLogger documents")
	})
}

func TestRateLimitResetAsUnixTime(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	h := http.Header{"Ratelimit-Reset": {strconv.FormatInt(now.Add(30*time.Second).Unix(), 10)}}
	got, ok := retryAfterHeader(h, now)
	assert.True(t, ok)
	assert.Equal(t, 30*time.Second, got)
}
