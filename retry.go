package beyondidentity

import (
	"context"
	"crypto/x509"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Defaults of RetryPolicy. Total attempts are MaxRetries+1, so with the
// defaults a call gives up after 4 attempts and at most about 7 seconds of
// backoff, unless the server asks for a longer wait (up to MaxRetryAfter).
const (
	DefaultMaxRetries    = 3
	DefaultMinBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff    = 8 * time.Second
	DefaultMaxRetryAfter = 60 * time.Second
	// DefaultRetryBudget is the default size of the retry budget: 20
	// retries in a row (RetryCost each) before a client stops retrying.
	DefaultRetryBudget = 100
	// RetryCost is what a retry takes from the retry budget; every
	// successful answer gives back one.
	RetryCost = 5
)

// RetryPolicy decides which failed attempts are retried and how long to wait
// between them. Fields left zero take the defaults above; a negative
// MaxRetries turns retries off.
//
// The default decision (DefaultShouldRetry) never repeats a call that could
// have taken effect on the server unless the call is idempotent: creates are
// retried only after a 429 or a refused connection, so a retry never makes a
// second identity, binding job or email.
//
// A wait the server asks for (Retry-After in seconds or as an HTTP date, or
// RateLimit-Reset) is honoured exactly. When it is longer than MaxRetryAfter
// the call fails at once with an *APIError carrying the wait in RetryAfter
// (for a 429, errors.Is(err, ErrRateLimited) is true). Otherwise the wait is
// exponential from MinBackoff, capped at MaxBackoff, with jitter. The
// caller's context cancels any wait at once.
type RetryPolicy struct {
	// MaxRetries is how many times a failed attempt is repeated.
	MaxRetries int
	// MinBackoff is the first backoff wait.
	MinBackoff time.Duration
	// MaxBackoff caps the computed backoff wait.
	MaxBackoff time.Duration
	// MaxRetryAfter caps a wait requested by the server; a longer request
	// makes the call fail at once.
	MaxRetryAfter time.Duration
	// ShouldRetry, when set, replaces DefaultShouldRetry. It is called after
	// every failed attempt (a transport error or a non-2xx status other than
	// a 401 handled by token refresh) while retries remain.
	ShouldRetry func(RetryAttempt) bool
	// RetryBudget bounds retries across all the calls of a client and of
	// the clients InRealm derives from it, in the manner of the AWS SDKs'
	// standard retry mode: the budget starts full with RetryBudget tokens,
	// every retry takes RetryCost of them, and every successful answer
	// gives one back. Once the budget cannot pay for a retry, failed
	// attempts are not retried, so during a sustained outage the client
	// sends about one request per call instead of MaxRetries+1; as answers
	// succeed again, retries come back. Zero means DefaultRetryBudget;
	// negative turns the budget off (every call retries up to MaxRetries).
	RetryBudget int
}

// RetryAttempt describes a failed attempt to a ShouldRetry function.
type RetryAttempt struct {
	// Method is the HTTP method of the request.
	Method string
	// URL is the request URL without its query string.
	URL string
	// Idempotent reports whether repeating the call cannot change its effect:
	// reads, deletes, updates and revokes are; creates are not.
	Idempotent bool
	// Attempt is the 1-based number of the attempt that failed.
	Attempt int
	// StatusCode is the response status, 0 when Err is set.
	StatusCode int
	// Header holds the response headers, nil when Err is set.
	Header http.Header
	// Err is the transport error, nil when a response arrived.
	Err error
}

// DefaultShouldRetry is the default retry decision:
//   - 429: retried for every call (the server did not act on it);
//   - 408, 500, 502, 503, 504 and transport errors: retried for idempotent
//     calls only;
//   - a refused connection or a failed DNS lookup: retried for every call,
//     since the request never reached the server;
//   - TLS certificate errors, redirect loops and all other statuses: not retried.
func DefaultShouldRetry(a RetryAttempt) bool {
	if a.Err != nil {
		if neverReachedServer(a.Err) {
			return true
		}
		if permanentTransportError(a.Err) {
			return false
		}
		return a.Idempotent
	}
	if a.StatusCode == http.StatusTooManyRequests {
		return true
	}
	return a.Idempotent && transientStatus(a.StatusCode)
}

// transientStatus reports whether a status says the server failed in a way
// that may pass if the request is sent again: 408, 429, 500, 502, 503 and
// 504.
func transientStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

func neverReachedServer(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

func permanentTransportError(err error) bool {
	var (
		certErr    *x509.CertificateInvalidError
		unknownErr x509.UnknownAuthorityError
		hostErr    x509.HostnameError
	)
	if errors.As(err, &certErr) || errors.As(err, &unknownErr) || errors.As(err, &hostErr) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "stopped after") && strings.Contains(msg, "redirects") ||
		strings.Contains(msg, "unsupported protocol scheme")
}

// withDefaults returns the policy with zero fields replaced by defaults.
func (p RetryPolicy) withDefaults() RetryPolicy {
	switch {
	case p.MaxRetries < 0:
		p.MaxRetries = 0
	case p.MaxRetries == 0:
		p.MaxRetries = DefaultMaxRetries
	}
	if p.MinBackoff <= 0 {
		p.MinBackoff = DefaultMinBackoff
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = DefaultMaxBackoff
	}
	if p.MaxBackoff < p.MinBackoff {
		p.MaxBackoff = p.MinBackoff
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if p.ShouldRetry == nil {
		p.ShouldRetry = DefaultShouldRetry
	}
	if p.RetryBudget == 0 {
		p.RetryBudget = DefaultRetryBudget
	}
	return p
}

// retryBudget is the token bucket of RetryPolicy.RetryBudget, shared by
// every call of a client. A nil budget allows every retry.
type retryBudget struct {
	capacity int64
	tokens   atomic.Int64
}

func newRetryBudget(capacity int) *retryBudget {
	if capacity < 0 {
		return nil
	}
	b := &retryBudget{capacity: int64(capacity)}
	b.tokens.Store(int64(capacity))
	return b
}

// take pays for one retry and reports whether the budget could.
func (b *retryBudget) take() bool {
	if b == nil {
		return true
	}
	for {
		t := b.tokens.Load()
		if t < RetryCost {
			return false
		}
		if b.tokens.CompareAndSwap(t, t-RetryCost) {
			return true
		}
	}
}

// refill gives one token back after a successful answer.
func (b *retryBudget) refill() {
	if b == nil {
		return
	}
	for {
		t := b.tokens.Load()
		if t >= b.capacity || b.tokens.CompareAndSwap(t, t+1) {
			return
		}
	}
}

// newRetryClient returns the go-retryablehttp client that sends every
// attempt through hc. Every field is set: its logger stays off (it prints
// URLs), its error handler hands back the last response or error unchanged
// (its errors embed URLs; core.do builds an *APIError or *RequestError
// without query strings), and the retry decision and waits are the policy's.
func (c *core) newRetryClient(hc *http.Client) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:      hc,
		Logger:          nil,
		RetryWaitMin:    c.policy.MinBackoff,
		RetryWaitMax:    c.policy.MaxBackoff,
		RetryMax:        c.policy.MaxRetries,
		RequestLogHook:  c.beforeAttempt,
		ResponseLogHook: c.afterAttempt,
		CheckRetry:      c.checkRetry,
		Backoff:         c.policy.backoff,
		ErrorHandler:    retryablehttp.PassthroughErrorHandler,
		PrepareRetry:    nil,
	}
}

// callInfo travels in a request's context so that the retry hooks of
// go-retryablehttp, which only see (ctx, resp, err), know which call they
// are deciding about. It is itself that context: it wraps the caller's
// context and answers Value(callInfoKey{}) with itself, so a call costs one
// allocation for both instead of a record and a context.WithValue.
type callInfo struct {
	context.Context
	method     string
	url        string // without query
	idempotent bool
	attempt    int       // 1-based count of attempts of the whole call
	try        int       // 0-based attempt within the current retry loop
	start      time.Time // when the current attempt was sent
}

type callInfoKey struct{}

// Value returns the callInfo for callInfoKey{}, and asks the caller's
// context for any other key.
func (ci *callInfo) Value(key any) any {
	if _, ok := key.(callInfoKey); ok {
		return ci
	}
	return ci.Context.Value(key)
}

func callInfoFrom(ctx context.Context) *callInfo {
	ci, _ := ctx.Value(callInfoKey{}).(*callInfo)
	return ci
}

// checkRetry is the go-retryablehttp CheckRetry hook.
func (p RetryPolicy) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if err == nil && resp.StatusCode < 400 {
		return false, nil
	}
	ci := callInfoFrom(ctx)
	if ci == nil {
		return false, err
	}
	a := RetryAttempt{Method: ci.method, URL: ci.url, Idempotent: ci.idempotent, Attempt: ci.attempt, Err: err}
	if resp != nil {
		a.StatusCode, a.Header = resp.StatusCode, resp.Header
		// A 401 is handled by the token refresh in Client.do, never here.
		if resp.StatusCode == http.StatusUnauthorized {
			return false, nil
		}
	}
	if !p.ShouldRetry(a) {
		// Returning the transport error keeps it as the call's error.
		return false, err
	}
	if resp != nil {
		if wait, ok := retryAfterHeader(resp.Header, time.Now()); ok && wait > p.MaxRetryAfter {
			// Waiting that long would stall the caller; fail fast instead and
			// let the caller see the requested wait in APIError.RetryAfter.
			return false, nil
		}
	}
	return true, nil
}

// backoff is the go-retryablehttp Backoff hook. attemptNum is 0-based.
func (p RetryPolicy) backoff(_, _ time.Duration, attemptNum int, resp *http.Response) time.Duration {
	if resp != nil {
		if wait, ok := retryAfterHeader(resp.Header, time.Now()); ok {
			// An HTTP date in the past asks for no wait; keep a small floor so
			// a misbehaving clock does not turn into a busy loop.
			return max(wait, p.MinBackoff/10)
		}
	}
	d := p.MinBackoff
	for i := 0; i < attemptNum && d < p.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, p.MaxBackoff)
	// Equal jitter: half fixed, half random, so clients that failed together
	// do not retry together.
	half := d / 2
	return half + rand.N(half+1)
}

// retryAfter returns the wait a response asks for, or 0.
func retryAfter(h http.Header, now time.Time) time.Duration {
	d, _ := retryAfterHeader(h, now)
	return d
}

// retryAfterHeader reads Retry-After (delta seconds or an HTTP date) and,
// failing that, RateLimit-Reset (delta seconds, or a Unix time). A number
// too large for a time.Duration ("9223372036854775808", "1e30") is the
// longest wait, which fails fast like any wait over MaxRetryAfter; a
// negative or unreadable value is ignored.
func retryAfterHeader(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if secs, ok := parseSeconds(v); ok {
			return secondsDuration(secs), true
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0), true
		}
	}
	if v := strings.TrimSpace(h.Get("RateLimit-Reset")); v != "" {
		if secs, ok := parseSeconds(v); ok {
			// The header counts seconds until the reset, but some servers send
			// the reset's Unix time: a value from 2001 to the year 5138 as a
			// Unix time can only be one, since no window lasts 30 years.
			if secs >= unixTimeMin && secs < unixTimeMax {
				return max(time.Unix(int64(secs), 0).Sub(now), 0), true
			}
			return secondsDuration(secs), true
		}
	}
	return 0, false
}

// Unix times RateLimit-Reset may hold; see retryAfterHeader.
const (
	unixTimeMin = 1e9  // 2001-09-09
	unixTimeMax = 1e11 // in the year 5138
)

// maxDuration is the longest time.Duration.
const maxDuration = time.Duration(1<<63 - 1)

// parseSeconds reads a non-negative number of seconds: digits, or a decimal
// or exponent form such as "2.5" or "1e30". Too many digits for a float64
// read as +Inf.
func parseSeconds(v string) (float64, bool) {
	// A decimal number only: ParseFloat also reads "Inf", "NaN", hex and
	// underscores.
	if v == "" || v[0] < '0' || v[0] > '9' || strings.Trim(v, "0123456789.eE+-") != "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}

// secondsDuration converts seconds to a Duration, maxDuration when they do
// not fit.
func secondsDuration(secs float64) time.Duration {
	if secs >= float64(maxDuration/time.Second) {
		return maxDuration
	}
	return time.Duration(secs * float64(time.Second))
}

func (c *core) beforeAttempt(_ retryablehttp.Logger, req *http.Request, try int) {
	if ci := callInfoFrom(req.Context()); ci != nil {
		ci.attempt++
		ci.try = try
		ci.start = time.Now()
	}
}

func (c *core) afterAttempt(_ retryablehttp.Logger, resp *http.Response) {
	if c.logger == nil || resp.Request == nil {
		return
	}
	ctx := resp.Request.Context()
	if !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	ci := callInfoFrom(ctx)
	if ci == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", ci.method), slog.String("url", ci.url),
		slog.Int("status", resp.StatusCode), slog.Int("attempt", ci.attempt),
		slog.Duration("duration", time.Since(ci.start)),
	}
	if id := requestID(resp.Header); id != "" {
		attrs = append(attrs, slog.String("request_id", id))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "beyondidentity: response", attrs...)
}

func (c *core) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry, cerr := c.policy.checkRetry(ctx, resp, err)
	ci := callInfoFrom(ctx)
	// go-retryablehttp stops after MaxRetries whatever this returns: only a
	// retry that will happen pays from the budget and is logged.
	if !retry || ci == nil || ci.try >= c.policy.MaxRetries {
		return retry, cerr
	}
	if !c.budget.take() {
		c.logRetry(ctx, ci, resp, err, "beyondidentity: retry budget spent; not retrying")
		// Returning the transport error keeps it as the call's error.
		return false, err
	}
	c.logRetry(ctx, ci, resp, err, "beyondidentity: retrying")
	return true, nil
}

func (c *core) logRetry(ctx context.Context, ci *callInfo, resp *http.Response, err error, msg string) {
	if c.logger == nil {
		return
	}
	attrs := []slog.Attr{slog.String("method", ci.method), slog.String("url", ci.url), slog.Int("attempt", ci.attempt)}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	} else if err != nil {
		attrs = append(attrs, slog.String("error", causeText(err)))
	}
	c.logger.LogAttrs(ctx, slog.LevelWarn, msg, attrs...)
}

func (c *core) logAttemptError(ctx context.Context, ci *callInfo, err error) {
	if c.logger == nil {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "beyondidentity: request failed",
		slog.String("method", ci.method), slog.String("url", ci.url),
		slog.Int("attempt", ci.attempt), slog.Duration("duration", time.Since(ci.start)),
		slog.String("error", causeText(err)))
}

func (c *core) log(ctx context.Context, level slog.Level, msg string, ci *callInfo) {
	if c.logger == nil {
		return
	}
	c.logger.LogAttrs(ctx, level, "beyondidentity: "+msg,
		slog.String("method", ci.method), slog.String("url", ci.url))
}
