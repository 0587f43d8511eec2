package beyondidentity

import (
	"net/http"
	"net/url"

	"github.com/hashicorp/go-cleanhttp"
)

// This file holds the rules the library's HTTP traffic follows whatever
// *http.Client sends it: no redirect is ever followed, one failed call never
// empties the shared connection pool. Host rules are in hosts.go.

// newHTTPClient returns the *http.Client the library sends every attempt
// with: a copy of user (the caller's client is never modified), or of the
// library's default, that
//   - never follows a redirect: a 3xx comes back as it is, and core.do
//     turns it into an error naming the target host, so nothing (no token,
//     no client secret, no body) is sent to the target;
//   - hides its transport's CloseIdleConnections: go-retryablehttp calls
//     it after every call that fails for good or is cancelled during a
//     backoff wait, which would make every other goroutine of the process
//     reconnect because one call failed.
func newHTTPClient(user *http.Client) *http.Client {
	var hc http.Client
	if user != nil {
		hc = *user
	} else {
		hc = http.Client{Transport: defaultTransport()}
	}
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	hc.Transport = keepPool{rt}
	hc.CheckRedirect = refuseRedirect
	return &hc
}

// defaultTransport returns the transport of the library's default client.
// Its dial and TLS handshake timeouts are go-cleanhttp's (30 s, 10 s); the
// wait for response headers is bounded here, the body by core.bodyTimeout.
func defaultTransport() *http.Transport {
	t := cleanhttp.DefaultPooledTransport()
	t.MaxIdleConnsPerHost = DefaultMaxIdleConnsPerHost
	t.ResponseHeaderTimeout = DefaultHTTPTimeout
	return t
}

// refuseRedirect makes net/http hand back a redirect response instead of
// following it.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// keepPool is a RoundTripper without CloseIdleConnections, so that
// (*http.Client).CloseIdleConnections cannot reach the pool behind it.
type keepPool struct{ rt http.RoundTripper }

func (k keepPool) RoundTrip(r *http.Request) (*http.Response, error) { return k.rt.RoundTrip(r) }

// redirectTarget returns the host a redirect response points to, for an
// error message: only the host (and port) of Location, never its path or
// query, or the request's host for a relative Location.
func redirectTarget(resp *http.Response) string {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return "no Location"
	}
	u, err := url.Parse(loc)
	if err != nil {
		return "an unparsable Location"
	}
	host := u.Host
	if host == "" && resp.Request != nil && resp.Request.URL != nil {
		host = resp.Request.URL.Host
	}
	if host == "" || !isASCIIHost(host) || len(host) > 255 {
		return "an invalid host"
	}
	if u.Scheme != "" {
		return u.Scheme + "://" + host
	}
	return host
}
