package beyondidentity

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// BindingLinkKind says which of the two shapes a binding link has.
type BindingLinkKind string

// The two shapes of a binding link.
const (
	// BindingLinkKindInvokeAuthenticator is the link on the auth host that a
	// RETURN binding job hands back and an EMAIL job sends:
	//   https://auth-us.beyondidentity.com/v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}/credential-binding-jobs/{job_id}:invokeAuthenticator?token=…
	BindingLinkKindInvokeAuthenticator BindingLinkKind = "invokeAuthenticator"
	// BindingLinkKindBindRedirect is where Beyond Identity redirects an
	// opened EMAIL link: the /bind route of the authenticator config's
	// Invoke URL:
	//   {invoke_url}/bind?api_base_url={auth origin}&tenant_id=…&realm_id=…&identity_id=…&job_id=…&token=…
	BindingLinkKindBindRedirect BindingLinkKind = "bind"
)

// Limits on what ParseBindingLink accepts.
const (
	maxBindingLinkLen   = 8 << 10
	maxBindingTokenLen  = 4 << 10
	maxBindingLinkIDLen = 128
)

// BindingLink is a parsed credential binding link, the URL the front end
// hands to the Embedded SDK's bindPasskey(link). Get one from
// ParseBindingLink or BindHandler.
//
// The link's token is a one-time bearer secret: whoever holds the link can
// bind a passkey to the identity. String, Format (every fmt verb, %+v and
// %#v included), LogValue (log/slog) and MarshalJSON show the IDs and hosts
// but never the token, which sits in [Secret] values (see the package
// documentation, "Secrets"). Use RevealToken and RevealURL, only where the
// secret is really needed.
//
// The exported fields describe the link as parsed; changing them does not
// change what RevealURL returns.
type BindingLink struct {
	// Kind is the shape the link had.
	Kind BindingLinkKind
	// TenantID is the ID of the tenant of the binding job.
	TenantID string
	// RealmID is the ID of the realm of the binding job.
	RealmID string
	// IdentityID is the ID of the identity the passkey will be bound to.
	IdentityID string
	// JobID is the ID of the credential binding job.
	JobID string
	// APIBaseURL is the origin (scheme://host[:port], no trailing slash; the
	// host in lower case, the port in decimal and left out if it is the
	// scheme's default) of the Beyond Identity auth host the front end will
	// redeem the token at: the link's own origin for
	// BindingLinkKindInvokeAuthenticator, the api_base_url parameter for
	// BindingLinkKindBindRedirect. ParseBindingLink does not check it is a
	// Beyond Identity host; BindHandler does.
	APIBaseURL string
	// Host is the host (and port, if any) of the link itself: the auth host
	// for BindingLinkKindInvokeAuthenticator, the application's Invoke URL
	// host for BindingLinkKindBindRedirect.
	Host string

	// The token and the URL are Secrets: even reflection-based printing
	// (fmt on a struct that holds a BindingLink in an unexported field,
	// where Format cannot be called) shows addresses, never the token.
	token, url Secret
}

// RevealToken returns the link's one-time token. It is a bearer secret:
// never log it, print it or put it in an error.
func (l BindingLink) RevealToken() string { return l.token.Reveal() }

// RevealURL returns the full link exactly as it was parsed (surrounding
// spaces trimmed), token included, to hand to the front end's
// bindPasskey(link). It is a bearer secret: serve it only to the identity's
// own browser, never log it, print it or put it in an error.
//
// For a link from BindHandler, the URL is rebuilt from the request: its
// scheme is https only if the request came over TLS to this server (behind
// a TLS-terminating proxy it reads http), its host is the request's Host. A
// front end on the /bind page can pass window.location.href instead.
func (l BindingLink) RevealURL() string { return l.url.Reveal() }

// String describes the link without its token.
func (l BindingLink) String() string {
	tok := ""
	if l.RevealToken() != "" {
		tok = redacted
	}
	return fmt.Sprintf("BindingLink{kind: %s, tenant: %s, realm: %s, identity: %s, job: %s, api_base_url: %s, host: %s, token: %s}",
		l.Kind, l.TenantID, l.RealmID, l.IdentityID, l.JobID, l.APIBaseURL, l.Host, tok)
}

// Format prints the link without its token, for every verb: %v, %+v and %s
// print String, %#v a Go-syntax form with the token redacted, %q the quoted
// String.
func (l BindingLink) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		tok := ""
		if l.RevealToken() != "" {
			tok = redacted
		}
		fmt.Fprintf(f, "beyondidentity.BindingLink{Kind:%q, TenantID:%q, RealmID:%q, IdentityID:%q, JobID:%q, APIBaseURL:%q, Host:%q, token:%q}",
			string(l.Kind), l.TenantID, l.RealmID, l.IdentityID, l.JobID, l.APIBaseURL, l.Host, tok)
	case verb == 'q':
		fmt.Fprintf(f, "%q", l.String())
	default:
		fmt.Fprint(f, l.String())
	}
}

// LogValue logs the link's IDs and hosts with the token redacted.
func (l BindingLink) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("kind", string(l.Kind)),
		slog.String("tenant_id", l.TenantID),
		slog.String("realm_id", l.RealmID),
		slog.String("identity_id", l.IdentityID),
		slog.String("job_id", l.JobID),
		slog.String("api_base_url", l.APIBaseURL),
		slog.String("host", l.Host),
		slog.String("token", redacted),
	)
}

// MarshalJSON encodes the link's IDs and hosts with the token redacted, so a
// link dumped as JSON into a log does not leak it. To send the link to a
// front end, send RevealURL.
func (l BindingLink) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Kind       BindingLinkKind `json:"kind"`
		TenantID   string          `json:"tenant_id"`
		RealmID    string          `json:"realm_id"`
		IdentityID string          `json:"identity_id"`
		JobID      string          `json:"job_id"`
		APIBaseURL string          `json:"api_base_url"`
		Host       string          `json:"host"`
		Token      string          `json:"token"`
	}{l.Kind, l.TenantID, l.RealmID, l.IdentityID, l.JobID, l.APIBaseURL, l.Host, redacted})
}

// Problems reported by ParseBindingLink. They are fixed texts: no part of
// the input ever appears in an error, so neither can the token.
const (
	linkField = "binding link"

	problemEmpty        = "is empty"
	problemTooLong      = "is too long"
	problemNonASCII     = "contains a character that is not ASCII (a browser hands a link over percent-encoded, with a punycode host)"
	problemNotURL       = "is not a URL"
	problemScheme       = "must be an http or https URL"
	problemNoHost       = "has no host"
	problemUserInfo     = "must not contain user info"
	problemQuery        = "has a malformed query"
	problemShape        = "path is neither …/credential-binding-jobs/{job_id}:invokeAuthenticator nor {invoke_url}/bind"
	problemExtraPath    = "has extra path segments after the binding link's path"
	problemInvokePath   = "path is not /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}/credential-binding-jobs/{job_id}:invokeAuthenticator"
	problemPathEscaped  = "path has a percent-encoded character outside its IDs (the Embedded SDK refuses such a link)"
	problemTokenChars   = "token contains a space or a control character"
	problemTokenTooLong = "token is too long"
	problemAPIBase      = "api_base_url is not an http or https origin (scheme://host[:port]) with a valid ASCII host"
	problemHostASCII    = "host is not ASCII (a browser would go to its punycode form)"
	problemHostChars    = "host has a character other than letters, digits, '-', '.' and '_'"
	problemHostIPv4     = "host ends in a number but is not a dotted-decimal IPv4 address (a browser reads hex, octal and short IPv4 forms its own way)"
	problemHostIPv6     = "host is not a valid IPv6 address"
	problemHostPunycode = "host has a punycode (xn--) label that is not the encoding of a name of letters, digits and '-' of the scripts this package checks"
	problemPort         = "port is not a number from 0 to 65535"
)

func linkErr(problem string) error { return invalid(linkField, problem) }

// ParseBindingLink parses a credential binding link of either shape:
//
//   - the link a RETURN binding job hands back (and an EMAIL job sends),
//     on the auth host:
//     https://auth-us.beyondidentity.com/v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}/credential-binding-jobs/{job_id}:invokeAuthenticator?token=…
//   - the redirect an opened EMAIL link leads to, on the application's
//     Invoke URL (which may have a path prefix):
//     {invoke_url}/bind?api_base_url={auth origin}&tenant_id=…&realm_id=…&identity_id=…&job_id=…&token=…
//     in any parameter order.
//
// It accepts what the official Embedded SDK's isBindPasskeyUrl accepts,
// and is stricter where that is safer (the contract suite checks both
// against each other; see contract/bindlink):
//
//   - The link is ASCII (a browser's location.href always is: the path and
//     query percent-encoded, the host in punycode), absolute http or https,
//     without user info. A fragment is allowed and ignored.
//   - The host is a name of letters, digits, '-', '.' and '_', a
//     dotted-decimal IPv4 address or an IPv6 literal, with an optional port
//     up to 65535. A name that ends in a number must be an IPv4 address; a
//     punycode (xn--) label must decode to letters of the Latin, Greek,
//     Cyrillic, Han, Hiragana, Katakana or Hangul scripts (as IDNA keeps
//     them), digits and '-'.
//   - The path's fixed parts ("v1", "tenants", …, the ':' and
//     "invokeAuthenticator", "bind") are written out, not percent-encoded;
//     the invokeAuthenticator path has nothing before /v1 or after the job.
//   - IDs are non-empty and made of letters, digits, '-', '_', '.' and '~'
//     once percent-decoded (not "." or "..").
//   - The query has no ';' and no malformed percent-escape; the token is
//     present and non-empty, without spaces or control characters; the
//     parameters read appear once each; api_base_url is an origin. Other
//     query parameters are ignored.
//
// ParseBindingLink does not check that the hosts are Beyond Identity's (any
// host is accepted; see BindingLink.APIBaseURL and BindHandler).
//
// An error is a *ValidationError (errors.Is(err, ErrInvalidArgument)) whose
// Problem names what is wrong; it never contains any part of the input, so
// never the token.
func ParseBindingLink(raw string) (*BindingLink, error) {
	// ASCII white space only: a browser keeps a no-break space or a line
	// separator at the start of a link as part of it.
	raw = strings.Trim(raw, " \t\n\v\f\r")
	if raw == "" {
		return nil, linkErr(problemEmpty)
	}
	if len(raw) > maxBindingLinkLen {
		return nil, linkErr(problemTooLong)
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] >= 0x80 {
			return nil, linkErr(problemNonASCII)
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		// err embeds the URL, token included: never pass it on.
		return nil, linkErr(problemNotURL)
	}
	if u.Scheme == "" || u.Opaque != "" {
		return nil, linkErr(problemNotURL)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, linkErr(problemScheme)
	}
	if u.Host == "" {
		return nil, linkErr(problemNoHost)
	}
	if u.User != nil {
		return nil, linkErr(problemUserInfo)
	}
	origin, problem := hostOrigin(u.Scheme, u.Host)
	if problem != "" {
		return nil, linkErr(problem)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, linkErr(problemQuery)
	}
	// The path as written: the SDK matches its fixed parts unescaped, so
	// "%3AinvokeAuthenticator" is not ":invokeAuthenticator" to it.
	// RawPath is the path as written whenever that differs from the
	// default escaping of Path, which EscapedPath gives otherwise.
	rawPath := u.RawPath
	if rawPath == "" {
		rawPath = u.EscapedPath()
	}
	segs := strings.Split(strings.TrimPrefix(rawPath, "/"), "/")

	link := &BindingLink{Host: u.Host}
	last := segs[len(segs)-1]
	switch {
	case strings.HasSuffix(last, ":invokeAuthenticator"):
		link.Kind = BindingLinkKindInvokeAuthenticator
		if err := parseInvokePath(link, segs); err != nil {
			return nil, err
		}
		link.APIBaseURL = origin
	case last == "bind":
		if hasInvokeSegment(segs[:len(segs)-1]) {
			return nil, linkErr(problemExtraPath)
		}
		link.Kind = BindingLinkKindBindRedirect
		for _, p := range []struct {
			name string
			dst  *string
		}{
			{"tenant_id", &link.TenantID}, {"realm_id", &link.RealmID},
			{"identity_id", &link.IdentityID}, {"job_id", &link.JobID},
		} {
			v, err := queryParam(q, p.name)
			if err != nil {
				return nil, err
			}
			if err := checkLinkID(p.name, v); err != nil {
				return nil, err
			}
			*p.dst = v
		}
		base, err := queryParam(q, "api_base_url")
		if err != nil {
			return nil, err
		}
		o, ok := httpOrigin(base)
		if !ok {
			return nil, linkErr(problemAPIBase)
		}
		link.APIBaseURL = o
	default:
		if hasInvokeSegment(segs[:len(segs)-1]) {
			return nil, linkErr(problemExtraPath)
		}
		if d := unescapeSegment(last); strings.HasSuffix(d, ":invokeAuthenticator") || d == "bind" {
			return nil, linkErr(problemPathEscaped)
		}
		return nil, linkErr(problemShape)
	}

	tok, err := queryParam(q, "token")
	if err != nil {
		return nil, err
	}
	if len(tok) > maxBindingTokenLen {
		return nil, linkErr(problemTokenTooLong)
	}
	if strings.ContainsFunc(tok, func(r rune) bool { return r == ' ' || isControl(r) }) {
		return nil, linkErr(problemTokenChars)
	}
	link.token, link.url = NewSecret(tok), NewSecret(raw)
	return link, nil
}

// hasInvokeSegment reports whether a segment (as written) ends with
// ":invokeAuthenticator".
func hasInvokeSegment(segs []string) bool {
	for _, s := range segs {
		if strings.HasSuffix(s, ":invokeAuthenticator") {
			return true
		}
	}
	return false
}

// unescapeSegment percent-decodes a path segment as written; url.Parse has
// already checked its escapes.
func unescapeSegment(s string) string {
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

// parseInvokePath reads the IDs of
// /v1/tenants/{t}/realms/{r}/identities/{i}/credential-binding-jobs/{j}:invokeAuthenticator
// from the segments as written: the fixed parts must be written out, the
// IDs may be percent-encoded.
func parseInvokePath(link *BindingLink, segs []string) error {
	if len(segs) > 9 {
		// The job segment ends the path; anything before v1 is extra.
		return linkErr(problemExtraPath)
	}
	if len(segs) != 9 {
		return linkErr(problemInvokePath)
	}
	for _, fixed := range []struct {
		at   int
		want string
	}{{0, "v1"}, {1, "tenants"}, {3, "realms"}, {5, "identities"}, {7, "credential-binding-jobs"}} {
		if s := segs[fixed.at]; s != fixed.want {
			if unescapeSegment(s) == fixed.want {
				return linkErr(problemPathEscaped)
			}
			return linkErr(problemInvokePath)
		}
	}
	job := strings.TrimSuffix(segs[8], ":invokeAuthenticator")
	for _, p := range []struct {
		name, value string
		dst         *string
	}{
		{"tenant_id", segs[2], &link.TenantID}, {"realm_id", segs[4], &link.RealmID},
		{"identity_id", segs[6], &link.IdentityID}, {"job_id", job, &link.JobID},
	} {
		id, err := url.PathUnescape(p.value)
		if err != nil {
			return linkErr(problemNotURL)
		}
		if err := checkLinkID(p.name, id); err != nil {
			return err
		}
		*p.dst = id
	}
	return nil
}

// queryParam returns the one value of a required parameter.
func queryParam(q url.Values, name string) (string, error) {
	vs, ok := q[name]
	switch {
	case !ok:
		return "", linkErr("parameter " + name + " is missing")
	case len(vs) > 1:
		return "", linkErr("parameter " + name + " appears more than once")
	case vs[0] == "":
		return "", linkErr("parameter " + name + " is empty")
	}
	return vs[0], nil
}

// checkLinkID accepts the IDs Beyond Identity issues (hex strings, UUIDs)
// and anything else made of URL-unreserved characters; name is one of the
// fixed ID names, never input.
func checkLinkID(name, id string) error {
	switch {
	case id == "":
		return linkErr(name + " is empty")
	case len(id) > maxBindingLinkIDLen:
		return linkErr(name + " is too long")
	case id == "." || id == "..":
		return linkErr(name + " is not a valid ID")
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !isUnreserved(c) {
			return linkErr(name + " contains a character other than letters, digits, '-', '_', '.' and '~'")
		}
	}
	return nil
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// ---- the /bind handler ----

// BindHandler returns the handler of the /bind route of the Invoke URL of
// an embedded authenticator config: where Beyond Identity redirects the
// user who opened an EMAIL binding link. It parses the request URL (a
// BindingLinkKindBindRedirect link), checks that the link's tenant and realm
// are the client's (TenantID, RealmID) and that its api_base_url is a
// Beyond Identity auth host: https://auth-us.beyondidentity.com,
// https://auth-eu.beyondidentity.com, https://auth.us1.beyondidentity-gov.com
// or the origin of the client's AuthBaseURL, compared as ASCII (a host with
// any other character, or a punycode label, is refused: it would be
// compared one way here and resolved another way by the browser). Then it
// calls fn, which
// typically serves the page whose script calls the Embedded SDK's
// bindPasskey(link) with link.RevealURL() or window.location.href.
//
// Any other request gets 400 Bad Request with a short plain-text reason
// (never the token) and fn is not called; a method other than GET or HEAD
// gets 405 Method Not Allowed. A rejection is logged at warn level on the
// client's logger (WithLogger), without the URL.
//
// Because the URL carries a bearer token, every response, fn's included,
// starts with these headers (fn may change them):
//   - Cache-Control: no-store, so no browser or proxy cache keeps the page;
//   - Referrer-Policy: no-referrer, so the page's requests for scripts,
//     images or links to other sites do not send the URL as Referer;
//   - X-Content-Type-Options: nosniff;
//   - X-Frame-Options: DENY, so another site cannot frame the page and trick
//     the user into binding a passkey (clickjacking).
//
// What the handler does not do, and the application should consider:
//   - It does not redeem or verify the token; the Beyond Identity cloud does
//     that when the front end calls bindPasskey.
//   - It does not know who is signed in. Anyone who forwards a link can make
//     its recipient bind a passkey to the sender's identity; if the page has
//     a signed-in user, compare link.IdentityID with the session's identity
//     before binding.
//   - Access logs of the server and of proxies in front of it record the
//     URL with its token; strip the query string of /bind from them.
//   - The URL stays in the browser's history; the page can remove the
//     query with history.replaceState once it has read the link.
//
// BindHandler panics if fn is nil.
func (c *Client) BindHandler(fn func(w http.ResponseWriter, r *http.Request, link *BindingLink)) http.Handler {
	if fn == nil {
		panic("beyondidentity: BindHandler: nil fn")
	}
	allowed := map[string]bool{}
	for _, r := range []Region{RegionUS, RegionEU, RegionUSGov} {
		if _, auth, ok := r.hosts(); ok {
			allowed[auth] = true
		}
	}
	// The configured auth host (WithBaseURLs), trusted by origin: a path
	// prefix of the base URL (a proxy) is not part of api_base_url.
	if u, err := url.Parse(c.AuthBaseURL()); err == nil {
		if o, ok := httpOrigin(u.Scheme + "://" + u.Host); ok {
			allowed[o] = true
		}
	}
	return &bindHandler{c: c, fn: fn, allowed: allowed}
}

type bindHandler struct {
	c       *Client
	fn      func(http.ResponseWriter, *http.Request, *BindingLink)
	allowed map[string]bool // auth origins, normalised by httpOrigin
}

func (h *bindHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("X-Frame-Options", "DENY")

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		h.reject(w, r, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "localhost"
	}
	// Path and query only: a request in absolute form (a proxy request)
	// must not bring its own scheme and host into the URL.
	target := r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	link, err := ParseBindingLink(scheme + "://" + host + target)
	if err != nil {
		var ve *ValidationError
		reason := "invalid binding link"
		if errors.As(err, &ve) {
			reason += ": " + ve.Problem
		}
		h.reject(w, r, http.StatusBadRequest, reason)
		return
	}
	switch {
	case link.Kind != BindingLinkKindBindRedirect:
		h.reject(w, r, http.StatusBadRequest, "invalid binding link: not a /bind redirect")
	case link.TenantID != h.c.TenantID():
		h.reject(w, r, http.StatusBadRequest, "binding link is for another tenant")
	case h.c.RealmID() == "" || link.RealmID != h.c.RealmID():
		h.reject(w, r, http.StatusBadRequest, "binding link is for another realm")
	case hasPunycodeLabel(strings.TrimPrefix(strings.TrimPrefix(link.APIBaseURL, "https://"), "http://")):
		h.reject(w, r, http.StatusBadRequest, "binding link's api_base_url is an internationalized (punycode) host, which no Beyond Identity host is")
	case !h.allowed[link.APIBaseURL]:
		h.reject(w, r, http.StatusBadRequest, "binding link's api_base_url is not an allowed Beyond Identity auth host")
	default:
		h.fn(w, r, link)
	}
}

// reject answers with a plain-text reason. reason is one of the fixed texts
// of this file, never input.
func (h *bindHandler) reject(w http.ResponseWriter, r *http.Request, status int, reason string) {
	if l := h.c.core.logger; l != nil {
		l.LogAttrs(r.Context(), slog.LevelWarn, "beyondidentity: rejected binding link request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", status), slog.String("reason", reason))
	}
	http.Error(w, reason, status)
}
