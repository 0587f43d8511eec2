package beyondidentity

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/go-cleanhttp"
)

// This file holds the rules the library's HTTP traffic follows whatever
// *http.Client sends it: no redirect is ever followed, one failed call never
// empties the shared connection pool, plain http goes only to loopback and
// test hosts, and hosts are compared as ASCII.

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

// errInsecureHTTP names the rule behind a refused http base URL.
var errInsecureHTTP = errors.New("plain http is only allowed for loopback and test hosts (localhost, 127.0.0.0/8, ::1, *.localhost, *.test, *.invalid); use https, or WithInsecureHTTP to send tokens and secrets in clear text")

// cleartextAllowed reports whether plain http may go to host (a URL's
// Host, with an optional port): loopback addresses and the names reserved
// for loopback and testing by RFC 2606 and RFC 6761.
func cleartextAllowed(host string) bool {
	h := strings.ToLower(hostname(host))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") ||
		strings.HasSuffix(h, ".test") || strings.HasSuffix(h, ".invalid") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// hostname returns host without its port and IPv6 brackets.
func hostname(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
}

// isASCIIHost reports whether host (with an optional port) is made of ASCII
// letters, digits and the punctuation of host names, IP addresses and
// ports only. A host with any other character would be compared one way
// here and resolved another way by a browser or resolver (U+0130 "İ"
// lower-cases to "i" in Go but becomes punycode in a browser).
func isASCIIHost(host string) bool {
	if host == "" {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == ':' || c == '[' || c == ']' || c == '_') {
			return false
		}
	}
	return true
}

// hasPunycodeLabel reports whether a host name has an internationalized
// (punycode, "xn--") label, which no Beyond Identity host has.
func hasPunycodeLabel(host string) bool {
	for _, label := range strings.Split(strings.ToLower(hostname(host)), ".") {
		if strings.HasPrefix(label, "xn--") {
			return true
		}
	}
	return false
}

// lowerASCII lower-cases the ASCII letters of s and nothing else.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
