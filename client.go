package beyondidentity

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"
)

// Version is the version of this library, sent in the User-Agent header.
const Version = "0.1.0"

const userAgentPrefix = "beyondidentity-go/" + Version

// DefaultHTTPTimeout bounds each phase of a single attempt (not the whole
// call, which the caller's context bounds) when the library uses its own
// HTTP client: connecting, waiting for the response headers, and reading
// the body each take at most this long (the TLS handshake at most 10 s).
// Without a deadline of the caller's, an attempt thus ends within about
// 100 s however the server stalls.
const DefaultHTTPTimeout = 30 * time.Second

// DefaultMaxIdleConnsPerHost is how many idle connections the library's
// own HTTP client keeps per host. A connection that finds no idle slot when
// its call ends is closed, and the next call opens a new one: size it to
// the number of calls your program runs at the same time (the default fits
// up to 64; Go's own default is 2). With WithHTTPClient, set
// http.Transport.MaxIdleConnsPerHost yourself.
const DefaultMaxIdleConnsPerHost = 64

// Region selects the Beyond Identity hosts a tenant lives on.
type Region string

// Regions of the Beyond Identity Secure Access platform.
const (
	// RegionUS is the US region (api-us / auth-us.beyondidentity.com), the default.
	RegionUS Region = "us"
	// RegionEU is the EU region (api-eu / auth-eu.beyondidentity.com).
	RegionEU Region = "eu"
	// RegionUSGov is the US FedRAMP environment
	// (api.us1 / auth.us1.beyondidentity-gov.com). Its releases trail the
	// commercial regions by about two weeks.
	RegionUSGov Region = "us-gov"
)

// hosts returns the API and auth base URLs of a region.
func (r Region) hosts() (api, auth string, ok bool) {
	switch r {
	case RegionUS:
		return "https://api-us.beyondidentity.com", "https://auth-us.beyondidentity.com", true
	case RegionEU:
		return "https://api-eu.beyondidentity.com", "https://auth-eu.beyondidentity.com", true
	case RegionUSGov:
		return "https://api.us1.beyondidentity-gov.com", "https://auth.us1.beyondidentity-gov.com", true
	}
	return "", "", false
}

// AllIdentities stands for every identity of the realm where a list call
// takes an identity ID (binding jobs and credentials).
const AllIdentities = "-"

// Client talks to the Beyond Identity v1 API for one tenant and one realm.
// It is safe for concurrent use. Create it with NewClient; derive clients for
// other realms of the same tenant with InRealm.
type Client struct {
	core    *core
	realmID string

	// Identities manages the users of the realm.
	Identities *IdentitiesService
	// BindingJobs creates and follows credential binding jobs, the way a
	// passkey is bound to an identity.
	BindingJobs *BindingJobsService
	// Credentials manages the passkeys bound to identities.
	Credentials *CredentialsService
	// AuthenticatorConfigs manages the authenticator configurations that
	// binding jobs refer to.
	AuthenticatorConfigs *AuthenticatorConfigsService
	// Tokens lists, revokes and introspects API access tokens.
	Tokens *TokensService
	// Tenant reads and updates the client's tenant.
	Tenant *TenantService
	// Realms manages the realms of the client's tenant.
	Realms *RealmsService
	// Groups manages the groups of the realm and their members.
	Groups *GroupsService
	// Applications manages the realm's applications (OAuth 2.0 and OIDC
	// clients).
	Applications *ApplicationsService
	// ResourceServers manages the APIs whose tokens the realm mints.
	ResourceServers *ResourceServersService
	// Roles manages the roles of resource servers: their scopes and the
	// groups and identities they are given to.
	Roles *RolesService
	// Themes manages the realm's theme, the branding of its emails.
	Themes *ThemesService
	// FlowTypeConfig reads and changes the realm's launch mechanisms.
	FlowTypeConfig *FlowTypeConfigService
	// SCIM provisions the realm's users and groups with SCIM 2.0 (RFC 7643,
	// RFC 7644).
	SCIM *SCIMService
	// SSOConfigs manages the realm's SSO configs and the identities and
	// groups associated with them.
	SSOConfigs *SSOConfigsService
	// IdentityProviders manages the external identity providers the
	// realm's users can sign in with.
	IdentityProviders *IdentityProvidersService
}

type service struct{ client *Client }

// core is what every Client derived from one NewClient call shares.
type core struct {
	hc       *retryablehttp.Client
	apiBase  string // no trailing slash
	authBase string // no trailing slash
	tenantID string
	tokens   TokenSource
	logger   *slog.Logger // nil: no logging
	policy   RetryPolicy
	budget   *retryBudget // nil when the policy has no budget
	// bodyTimeout bounds the reading of a success body (the default
	// client only; 0 with WithHTTPClient, whose own timeouts apply).
	bodyTimeout time.Duration
	ua          []string // User-Agent header value, shared by every request
	// bearer caches the Authorization header value of the last token used,
	// so a request does not build it again while the token stays the same.
	bearer atomic.Pointer[bearerHeader]
}

type bearerHeader struct {
	token string
	value []string
}

// authorization returns the Authorization header value for token.
func (c *core) authorization(token string) []string {
	if b := c.bearer.Load(); b != nil && b.token == token {
		return b.value
	}
	b := &bearerHeader{token: token, value: []string{"Bearer " + token}}
	c.bearer.Store(b)
	return b.value
}

var (
	acceptJSON  = []string{"application/json"}
	contentJSON = []string{"application/json"}
	// SCIM servers answer application/scim+json (RFC 7644 §3.1); SCIM
	// calls accept it besides JSON, and send their bodies as
	// application/json, which the spec declares and RFC 7644 §8.1 has
	// servers accept.
	acceptSCIM  = []string{"application/scim+json, application/json"}
	contentForm = []string{"application/x-www-form-urlencoded"}
)

// Option configures a Client. Options validate their arguments; NewClient
// returns the first error, naming the option.
type Option func(*options) error

type options struct {
	tenantID, realmID string
	region            Region
	apiURL, authURL   string
	authNames         []string
	tokens            TokenSource
	creds             *ClientCredentials
	httpClient        *http.Client
	policy            RetryPolicy
	logger            *slog.Logger
	uaSuffix          string
	insecureHTTP      bool
	tokenCache        TokenCache
}

// WithTenant sets the tenant ID. Required.
func WithTenant(tenantID string) Option {
	return func(o *options) error {
		if err := checkID("WithTenant", tenantID); err != nil {
			return err
		}
		o.tenantID = tenantID
		return nil
	}
}

// WithRealm sets the realm that holds the identities, binding jobs,
// credentials and authenticator configs the client works on. Without it, use
// InRealm before calling a realm-scoped service.
func WithRealm(realmID string) Option {
	return func(o *options) error {
		if err := checkID("WithRealm", realmID); err != nil {
			return err
		}
		o.realmID = realmID
		return nil
	}
}

// WithRegion selects the hosts of a region. The default is RegionUS.
func WithRegion(r Region) Option {
	return func(o *options) error {
		if _, _, ok := r.hosts(); !ok {
			return invalid("WithRegion", fmt.Sprintf("unknown region %q (use RegionUS, RegionEU or RegionUSGov)", string(r)))
		}
		if o.apiURL != "" {
			return invalid("WithRegion", "cannot be combined with WithBaseURLs")
		}
		o.region = r
		return nil
	}
}

// WithBaseURLs sets the base URLs of the API host (management calls) and of
// the auth host (tokens, introspection, binding links), for a proxy, a
// private deployment or a test server such as beyondidentitytest. Both must
// be absolute https URLs with an ASCII host (the punycode form of an
// internationalized name); a path prefix is kept. Plain http is accepted
// for loopback hosts (localhost, 127.0.0.0/8, ::1) and the names reserved
// for testing (*.localhost, *.test, *.invalid) only, unless
// WithInsecureHTTP is given too.
func WithBaseURLs(apiURL, authURL string) Option {
	return func(o *options) error {
		api, err := checkBaseURL("WithBaseURLs apiURL", apiURL)
		if err != nil {
			return err
		}
		auth, err := checkBaseURL("WithBaseURLs authURL", authURL)
		if err != nil {
			return err
		}
		if o.region != "" {
			return invalid("WithBaseURLs", "cannot be combined with WithRegion")
		}
		o.apiURL, o.authURL = api, auth
		return nil
	}
}

func checkBaseURL(field, raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", invalid(field, "is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// Not echoed: the text may hold a password (user:pass@host).
		return "", invalid(field, "is not a URL")
	}
	// Checked first, so that the URL quoted by the errors below holds no
	// password and no query.
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", invalid(field, "must not contain credentials, a query or a fragment")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", invalid(field, fmt.Sprintf("%q must use http or https", raw))
	}
	if u.Host == "" {
		return "", invalid(field, fmt.Sprintf("%q has no host", raw))
	}
	if !isASCIIHost(u.Host) {
		return "", invalid(field, fmt.Sprintf("%q has a host that is not ASCII; use its punycode (xn--) form", raw))
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// WithInsecureHTTP allows plain http base URLs (WithBaseURLs) for any host,
// not only loopback and test hosts. Access tokens, the client secret and
// every request and answer then cross the network in clear text, readable
// and changeable by anyone on the path. Use it only for a network you
// control, such as a TLS-terminating proxy on the same machine.
func WithInsecureHTTP() Option {
	return func(o *options) error {
		o.insecureHTTP = true
		return nil
	}
}

// WithAPIToken authenticates with a fixed bearer token, such as one created
// in the Admin Console. The token is never logged or printed.
func WithAPIToken(token string) Option {
	return func(o *options) error {
		if err := checkToken("WithAPIToken", token); err != nil {
			return err
		}
		o.authNames = append(o.authNames, "WithAPIToken")
		o.tokens = StaticToken(token)
		return nil
	}
}

// WithClientCredentials authenticates with the OAuth 2.0 client credentials
// of an application whose resource server is the Beyond Identity Management
// API. Tokens are fetched on first use, cached until shortly before they
// expire, fetched once however many goroutines need one, and refetched once
// when the API answers 401.
func WithClientCredentials(cc ClientCredentials) Option {
	return func(o *options) error {
		if err := cc.validate(); err != nil {
			return err
		}
		o.authNames = append(o.authNames, "WithClientCredentials")
		c := cc
		c.Scopes = append([]string(nil), cc.Scopes...)
		o.creds = &c
		return nil
	}
}

// WithTokenCache keeps the access tokens of WithClientCredentials in cache
// too, so that clients of other processes (or a restarted program) with
// the same credentials reuse a valid token instead of minting a new one:
// every token the token endpoint mints stays valid, and listed by
// TokensService.List, until it expires. NewFileTokenCache is a cache in
// files on this machine. Errors of the cache are logged (WithLogger) and
// otherwise ignored: the client then fetches tokens as without a cache.
// It requires WithClientCredentials.
func WithTokenCache(cache TokenCache) Option {
	return func(o *options) error {
		if cache == nil {
			return invalid("WithTokenCache", "is nil")
		}
		o.tokenCache = cache
		return nil
	}
}

// WithTokenSource authenticates with tokens from ts, called before every
// request. If ts also implements TokenInvalidator, a 401 from the API
// invalidates the token and the request is sent once more with a new one.
func WithTokenSource(ts TokenSource) Option {
	return func(o *options) error {
		if ts == nil {
			return invalid("WithTokenSource", "is nil")
		}
		o.authNames = append(o.authNames, "WithTokenSource")
		o.tokens = ts
		return nil
	}
}

// WithHTTPClient sets the *http.Client whose settings send every attempt:
// its Transport (http.DefaultTransport when nil), Timeout (which bounds
// each attempt) and Jar. The library uses a copy made by NewClient, and
// never changes hc: the copy never follows a redirect (the API never
// sends one; a 3xx is an error, and nothing is sent to its target), and
// it keeps the transport's idle connections when a call fails. The
// default is a pooled client of go-cleanhttp with DefaultHTTPTimeout and
// DefaultMaxIdleConnsPerHost.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error {
		if hc == nil {
			return invalid("WithHTTPClient", "is nil")
		}
		o.httpClient = hc
		return nil
	}
}

// WithRetryPolicy sets which failures are retried and how long to wait.
// Fields left zero take the defaults of RetryPolicy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(o *options) error {
		if p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxRetryAfter < 0 {
			return invalid("WithRetryPolicy", "durations must not be negative")
		}
		o.policy = p
		return nil
	}
}

// WithLogger logs every attempt (method, URL without query, status,
// duration, attempt number, request ID) at debug level and retries at warn
// level. Headers, bodies and secrets are never logged. The default is no
// logging.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		o.logger = l
		return nil
	}
}

// WithUserAgent appends s (e.g. "myapp/1.2") to the User-Agent header,
// which starts with "beyondidentity-go/<Version>".
func WithUserAgent(s string) Option {
	return func(o *options) error {
		if strings.ContainsFunc(s, isControl) {
			return invalid("WithUserAgent", "contains a control character")
		}
		o.uaSuffix = strings.TrimSpace(s)
		return nil
	}
}

// NewClient returns a client configured by opts. WithTenant and one of
// WithAPIToken, WithClientCredentials or WithTokenSource are required.
// NewClient does no network I/O: the first token is fetched by the first call
// that needs it.
func NewClient(opts ...Option) (*Client, error) {
	var o options
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if o.tenantID == "" {
		return nil, invalid("WithTenant", "is required")
	}
	switch len(o.authNames) {
	case 0:
		return nil, invalid("authentication", "one of WithAPIToken, WithClientCredentials or WithTokenSource is required")
	case 1:
	default:
		return nil, invalid("authentication", "use only one of WithAPIToken, WithClientCredentials or WithTokenSource (got "+strings.Join(o.authNames, " and ")+")")
	}

	if o.tokenCache != nil && o.creds == nil {
		return nil, invalid("WithTokenCache", "caches the tokens of WithClientCredentials, which is not set")
	}

	c := &core{tenantID: o.tenantID, logger: o.logger, policy: o.policy.withDefaults()}
	c.budget = newRetryBudget(c.policy.RetryBudget)
	if o.apiURL != "" {
		c.apiBase, c.authBase = o.apiURL, o.authURL
	} else {
		r := o.region
		if r == "" {
			r = RegionUS
		}
		c.apiBase, c.authBase, _ = r.hosts()
	}
	ua := userAgentPrefix
	if o.uaSuffix != "" {
		ua += " " + o.uaSuffix
	}
	c.ua = []string{ua}

	if !o.insecureHTTP {
		for _, base := range []struct{ field, url string }{{"WithBaseURLs apiURL", c.apiBase}, {"WithBaseURLs authURL", c.authBase}} {
			if u, err := url.Parse(base.url); err == nil && u.Scheme == "http" && !cleartextAllowed(u.Host) {
				return nil, invalid(base.field, errInsecureHTTP.Error())
			}
		}
	}

	hc := newHTTPClient(o.httpClient)
	if o.httpClient == nil {
		c.bodyTimeout = DefaultHTTPTimeout
	}
	c.hc = c.newRetryClient(hc)

	if o.creds != nil {
		c.tokens = newClientCredentialsSource(c, *o.creds, o.tokenCache)
	} else {
		c.tokens = o.tokens
	}
	return newClient(c, o.realmID), nil
}

func newClient(c *core, realmID string) *Client {
	cl := &Client{core: c, realmID: realmID}
	cl.Identities = &IdentitiesService{client: cl}
	cl.BindingJobs = &BindingJobsService{client: cl}
	cl.Credentials = &CredentialsService{client: cl}
	cl.AuthenticatorConfigs = &AuthenticatorConfigsService{client: cl}
	cl.Tokens = &TokensService{client: cl}
	cl.Tenant = &TenantService{client: cl}
	cl.Realms = &RealmsService{client: cl}
	cl.Groups = &GroupsService{client: cl}
	cl.Applications = &ApplicationsService{client: cl}
	cl.ResourceServers = &ResourceServersService{client: cl}
	cl.Roles = &RolesService{client: cl}
	cl.Themes = &ThemesService{client: cl}
	cl.FlowTypeConfig = &FlowTypeConfigService{client: cl}
	cl.SCIM = newSCIMService(cl)
	cl.SSOConfigs = &SSOConfigsService{client: cl}
	cl.IdentityProviders = &IdentityProvidersService{client: cl}
	return cl
}

// InRealm returns a client for another realm of the same tenant. It shares
// the transport, the retry policy and the token cache with c. An invalid
// realm ID is reported by the first call that uses it.
func (c *Client) InRealm(realmID string) *Client {
	return newClient(c.core, realmID)
}

// TenantID returns the tenant the client works on.
func (c *Client) TenantID() string { return c.core.tenantID }

// RealmID returns the realm the client works on, "" if none was set.
func (c *Client) RealmID() string { return c.realmID }

// APIBaseURL returns the base URL of the API host.
func (c *Client) APIBaseURL() string { return c.core.apiBase }

// AuthBaseURL returns the base URL of the auth host.
func (c *Client) AuthBaseURL() string { return c.core.authBase }

// Format prints the client's tenant, realm and hosts, never its credentials.
func (c *Client) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "beyondidentity.Client{tenant: %q, realm: %q, api: %q, auth: %q}",
		c.core.tenantID, c.realmID, c.core.apiBase, c.core.authBase)
}

// Ptr returns a pointer to v, for the optional fields of update requests.
func Ptr[T any](v T) *T { return &v }

// ---- paths ----

// checkID rejects IDs that are empty, blank, contain whitespace, control
// characters or '/', or are the path segments "." or "..".
func checkID(field, id string) error {
	switch {
	case id == "":
		return invalid(field, "is empty")
	case strings.TrimSpace(id) == "":
		return invalid(field, "is blank")
	case id == "." || id == "..":
		return invalid(field, fmt.Sprintf("%q is not a valid ID", id))
	case strings.ContainsFunc(id, func(r rune) bool { return r == '/' || r == ' ' || isControl(r) }):
		return invalid(field, fmt.Sprintf("%q contains '/', a space or a control character", id))
	}
	return nil
}

// checkIDList checks a list of 1 to maxLen distinct IDs, naming the first
// bad one by its index.
func checkIDList(field string, ids []string, maxLen int) error {
	if n := len(ids); n == 0 || n > maxLen {
		return invalid(field, fmt.Sprintf("has %d IDs; give 1 to %d distinct IDs", n, maxLen))
	}
	seen := make(map[string]int, len(ids))
	for i, id := range ids {
		f := field + "[" + strconv.Itoa(i) + "]"
		if err := checkID(f, id); err != nil {
			return err
		}
		if j, dup := seen[id]; dup {
			return invalid(f, fmt.Sprintf("%q repeats %s[%d]; the IDs must be distinct", id, field, j))
		}
		seen[id] = i
	}
	return nil
}

// Limits of the API's names and descriptions.
const (
	maxDisplayNameLen = 64
	maxDescriptionLen = 300
	// nameForbidden lists the characters the API's pattern for names and
	// descriptions, ^[^{}[\]<>;:?\\/|*^%$#=~`!]*$, forbids.
	nameForbidden = "{}[]<>;:?\\/|*^%$#=~`!"
)

// checkDisplayName applies the API's rules for display names and
// usernames: 1 to 64 characters, none of nameForbidden.
func checkDisplayName(field, s string) error {
	if s == "" {
		return invalid(field, "is empty")
	}
	return checkText(field, s, maxDisplayNameLen)
}

// checkNamed validates the display name (required) and description of a
// create of a named resource (groups, roles).
func checkNamed(name, description string) error {
	if err := checkDisplayName("DisplayName", name); err != nil {
		return err
	}
	return checkDescription("Description", description)
}

// checkNamedUpdate validates the display name and description an update
// sets (nil: not set).
func checkNamedUpdate(name, description *string) error {
	if name != nil {
		if err := checkDisplayName("DisplayName", *name); err != nil {
			return err
		}
	}
	if description != nil {
		return checkDescription("Description", *description)
	}
	return nil
}

// checkName refuses an empty or blank name, one that is not UTF-8 and one
// with control characters, for the display names the spec gives no further
// rule (applications, resource servers, SSO configs).
func checkName(field, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return invalid(field, "is empty")
	case !utf8.ValidString(s):
		return invalid(field, "is not valid UTF-8")
	case strings.ContainsFunc(s, isControl):
		return invalid(field, "contains a control character")
	}
	return nil
}

// checkDescription applies the API's rules for descriptions: at most 300
// characters, none of nameForbidden; empty is fine.
func checkDescription(field, s string) error { return checkText(field, s, maxDescriptionLen) }

func checkText(field, s string, maxLen int) error {
	if !utf8.ValidString(s) {
		return invalid(field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > maxLen {
		return invalid(field, fmt.Sprintf("is %d characters long; the maximum is %d", n, maxLen))
	}
	if i := strings.IndexAny(s, nameForbidden); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return invalid(field, fmt.Sprintf("contains %q; none of %s is allowed", r, nameForbidden))
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// escapeSegment escapes one path segment. Unlike url.PathEscape it also
// escapes ':', so an ID can never be read as a custom method (":revoke").
func escapeSegment(s string) string {
	e := url.PathEscape(s)
	if strings.IndexByte(e, ':') >= 0 {
		e = strings.ReplaceAll(e, ":", "%3A")
	}
	return e
}

// url returns the URL of cl without query: the API host (or, with
// cl.authHost, the auth host), then /v1/tenants/{tenant_id}, then, unless
// cl.tenantLevel, /realms/{realm_id} of the client, then cl.path with each
// segment escaped (an empty last segment gives a trailing slash), then
// cl.custom after a ':'. Path segments must have been
// validated by the caller.
func (c *Client) url(cl *call) (string, error) {
	base := c.core.apiBase
	if cl.authHost {
		base = c.core.authBase
	}
	n := len(base) + len("/v1/tenants/") + len(c.core.tenantID) + len(cl.custom) + 1
	if !cl.tenantLevel {
		if c.realmID == "" {
			return "", invalid("realm", "no realm set: use WithRealm or Client.InRealm")
		}
		if err := checkID("realm", c.realmID); err != nil {
			return "", err
		}
		n += len("/realms/") + len(c.realmID)
	}
	for _, s := range cl.path.all() {
		n += len(s) + 1
	}
	var b strings.Builder
	b.Grow(n + 8)
	b.WriteString(base)
	b.WriteString("/v1/tenants/")
	b.WriteString(escapeSegment(c.core.tenantID))
	if !cl.tenantLevel {
		b.WriteString("/realms/")
		b.WriteString(escapeSegment(c.realmID))
	}
	for _, s := range cl.path.all() {
		b.WriteByte('/')
		b.WriteString(escapeSegment(s))
	}
	if cl.custom != "" {
		b.WriteByte(':')
		b.WriteString(cl.custom)
	}
	return b.String(), nil
}

// pathSegs holds the path segments of a call inline: a slice literal
// would be allocated for every call, since the call's contents reach the
// heap (its strings end up in errors and logs).
type pathSegs struct {
	s [maxPathSegments]string
	n int
}

// maxPathSegments is the most segments a path under a realm has
// (identities/{id}/sso-configs/{id}/is-identity-assigned).
const maxPathSegments = 6

// segs returns the path segments s. It panics on more than maxPathSegments,
// a programming error of the library.
func segs(s ...string) pathSegs {
	if len(s) > maxPathSegments {
		panic("beyondidentity: too many path segments")
	}
	var p pathSegs
	p.n = copy(p.s[:], s)
	return p
}

func (p *pathSegs) all() []string { return p.s[:p.n] }

// ---- requests ----

// call describes one API call.
type call struct {
	method string
	// path holds the segments after /v1/tenants/{tenant_id}/realms/{realm_id}
	// (after /v1/tenants/{tenant_id} when tenantLevel is set), unescaped.
	path pathSegs
	// custom is a custom method appended to the last segment after a ':',
	// such as "revoke".
	custom      string
	tenantLevel bool
	authHost    bool
	// url is the request URL without query. Client.do builds it from the
	// fields above; calls outside the client's realm (the token endpoint)
	// set it directly.
	url        string
	query      any        // a go-querystring struct, or nil
	extraQuery url.Values // parameters added to query
	body       any        // marshalled as JSON; nil for no body
	form       url.Values
	idempotent bool
	// bodySecrets are secrets the body carries (an identity provider's
	// client secret), scrubbed from an error answer like the token.
	bodySecrets []string
	// scim marks a SCIM call, which also accepts application/scim+json.
	scim bool
	// basic, when set, authenticates with HTTP Basic instead of a bearer
	// token (the token endpoint).
	basic *ClientCredentials
}

// do builds the URL of cl for the client's tenant and realm and sends it
// with core.do.
func (c *Client) do(ctx context.Context, cl *call, out any) error {
	if cl.url == "" {
		u, err := c.url(cl)
		if err != nil {
			return err
		}
		cl.url = u
	}
	return c.core.do(ctx, cl, out)
}

// fetch sends cl and returns its answer decoded into a new T.
func fetch[T any](ctx context.Context, c *Client, cl *call) (*T, error) {
	out := new(T)
	if err := c.do(ctx, cl, out); err != nil {
		return nil, err
	}
	return out, nil
}

// do sends the call, retrying per the policy, and decodes a 2xx JSON answer
// into out (when out is nil the body is discarded; an empty body, {} and 204
// are all fine). A non-2xx answer becomes an *APIError; a transport failure a
// *RequestError.
func (c *core) do(ctx context.Context, cl *call, out any) error {
	if ctx == nil {
		return invalid("ctx", "is nil")
	}
	fullURL := cl.url
	if cl.query != nil || cl.extraQuery != nil {
		v := url.Values{}
		if cl.query != nil {
			var err error
			if v, err = query.Values(cl.query); err != nil {
				return invalid("options", err.Error())
			}
		}
		for k, vs := range cl.extraQuery {
			v[k] = vs
		}
		if len(v) > 0 {
			// Encode spaces as %20, the form the API documents; url.Values
			// encodes a literal '+' as %2B, so every '+' here is a space.
			fullURL += "?" + strings.ReplaceAll(v.Encode(), "+", "%20")
		}
	}
	var body []byte
	var contentType []string
	switch {
	case cl.form != nil:
		body, contentType = []byte(cl.form.Encode()), contentForm
	case cl.body != nil:
		b, err := json.Marshal(cl.body)
		if err != nil {
			return invalid("request body", err.Error())
		}
		body, contentType = b, contentJSON
	}

	ci := &callInfo{Context: ctx, method: cl.method, url: cl.url, idempotent: cl.idempotent}
	ctx = ci

	for replay := 0; ; replay++ {
		token := ""
		if cl.basic == nil {
			t, err := c.tokens.Token(ctx)
			if err != nil {
				return c.tokenError(cl, err)
			}
			token = t
		}
		resp, err := c.send(ctx, cl, ci, fullURL, body, contentType, token)
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusUnauthorized && replay == 0 && cl.basic == nil {
			if inv, ok := c.tokens.(TokenInvalidator); ok {
				// The token was revoked or expired early: drop it, get a new
				// one and send the request once more. The server did not act
				// on a request it refused as unauthenticated, so this is safe
				// for creates too.
				drain(resp.Body)
				inv.InvalidateToken(token)
				c.log(ctx, slog.LevelInfo, "access token rejected; fetching a new one", ci)
				continue
			}
		}
		return c.finish(cl, ci, resp, out, token)
	}
}

// minScrubbedSecret is the length below which a string the call sent is
// not scrubbed from the answer: replacing every "ab" of a message would
// make it unreadable, and such a short value is no real secret.
const minScrubbedSecret = 6

// callSecrets returns the secrets a call sent, in every form they took on
// the wire and in a JSON string: the bearer token, the client secret (alone,
// URL-escaped and inside the Basic credentials) and a token sent in a form
// (introspection).
func callSecrets(cl *call, token string) []string {
	var out []string
	add := func(s string) {
		if len(s) < minScrubbedSecret {
			return
		}
		out = append(out, s)
		if b, err := json.Marshal(s); err == nil {
			if esc := string(b[1 : len(b)-1]); esc != s {
				out = append(out, esc)
			}
		}
	}
	add(token)
	if cl.basic != nil {
		secret := cl.basic.ClientSecret.Reveal()
		add(secret)
		add(url.QueryEscape(secret))
		add(base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(cl.basic.ClientID) + ":" + url.QueryEscape(secret))))
	}
	for _, v := range cl.bodySecrets {
		add(v)
	}
	for _, v := range cl.form["token"] {
		add(v)
		add(url.QueryEscape(v))
	}
	return out
}

// send performs one logical send (with retries) and returns the final
// response, whose body the caller must close.
func (c *core) send(ctx context.Context, cl *call, ci *callInfo, fullURL string, body []byte, contentType []string, token string) (*http.Response, error) {
	if err := ctx.Err(); err != nil {
		// Not every transport checks a context that is already done; a
		// cancelled call must not reach the server.
		return nil, &RequestError{Method: cl.method, URL: cl.url, Err: err}
	}
	var rawBody any
	if body != nil {
		rawBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, fullURL, rawBody)
	if err != nil {
		return nil, &RequestError{Method: cl.method, URL: cl.url, Err: errors.New("building request: invalid URL")}
	}
	h := req.Header
	h["Accept"] = acceptJSON
	if cl.scim {
		h["Accept"] = acceptSCIM
	}
	h["User-Agent"] = c.ua
	if contentType != nil {
		h["Content-Type"] = contentType
	}
	if cl.basic != nil {
		req.SetBasicAuth(url.QueryEscape(cl.basic.ClientID), url.QueryEscape(cl.basic.ClientSecret.Reveal()))
	} else {
		h["Authorization"] = c.authorization(token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if resp != nil {
			drain(resp.Body)
		}
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = ctxErr
		}
		c.logAttemptError(ctx, ci, err)
		return nil, &RequestError{Method: cl.method, URL: cl.url, Err: err}
	}
	return resp, nil
}

// tokenError wraps a failure of the token source. Errors of the library's
// own sources are already typed; others are wrapped so the call is named.
func (c *core) tokenError(cl *call, err error) error {
	var ae *APIError
	var re *RequestError
	var ve *ValidationError
	if errors.As(err, &ae) || errors.As(err, &re) || errors.As(err, &ve) {
		return err
	}
	return &RequestError{Method: cl.method, URL: cl.url, Err: fmt.Errorf("getting access token: %w", err)}
}
