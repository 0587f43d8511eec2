package beyondidentitytest

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/internal/fakeapi"
	"github.com/passkeyhq/beyondidentity/internal/memtransport"
)

// PlaceholderURL is what Server.URL returns for a server made with
// WithInMemory: an origin that never resolves, used in binding links and
// token issuers. Requests to it only work through Server.HTTPClient or
// Server.Client.
const PlaceholderURL = fakeapi.PlaceholderOrigin

// Defaults of the seeded tenant.
const (
	// DefaultTokenLifetime is the lifetime of access tokens (3 months, the
	// documented default of the Management API application).
	DefaultTokenLifetime = fakeapi.DefaultTokenLifetime
	// DefaultInvokeURL is the Invoke URL of the seeded authenticator config.
	DefaultInvokeURL = fakeapi.DefaultInvokeURL
	// BindingLinkLifetime is how long a binding job's link stays valid.
	BindingLinkLifetime = fakeapi.BindingLinkLifetime
)

// Errors returned by Server.CompleteBinding.
var (
	// ErrInvalidLink reports a link that is not a binding link of this
	// server, or whose job or token is unknown.
	ErrInvalidLink = fakeapi.ErrInvalidLink
	// ErrJobNotPending reports a job that is complete, expired, revoked or
	// failed: its link can no longer bind a passkey.
	ErrJobNotPending = fakeapi.ErrJobNotPending
	// ErrIdentitySuspended reports a suspended identity, which cannot bind a
	// passkey.
	ErrIdentitySuspended = fakeapi.ErrIdentitySuspended
)

// Option configures a Server.
type Option func(*config)

type config struct {
	engine   fakeapi.Config
	inMemory bool
}

// WithSeed makes every generated ID and the client credentials
// reproducible: two servers with the same seed, used the same way, give the
// same IDs. Without it they are random. Secrets (access tokens, binding link
// tokens) stay random.
func WithSeed(seed uint64) Option {
	return func(c *config) { c.engine.Seed, c.engine.Seeded = seed, true }
}

// WithInMemory makes a server without a listener: requests reach it only
// through Server.Client, Server.HTTPClient or Server.Handler, which call the
// handler in memory. Use it inside a testing/synctest bubble, where a
// goroutine blocked on a socket would stop fake time. URL then returns
// PlaceholderURL.
func WithInMemory() Option {
	return func(c *config) { c.inMemory = true }
}

// WithTokenLifetime sets the lifetime of access tokens (and the most a
// token request's expiration_time may ask for). The default is
// DefaultTokenLifetime.
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) { c.engine.TokenLifetime = d }
}

// WithInvokeURL sets the Invoke URL of the seeded authenticator config,
// where the links of EMAIL binding jobs redirect ({invoke_url}/bind?...).
// The default is DefaultInvokeURL.
func WithInvokeURL(u string) Option {
	return func(c *config) { c.engine.InvokeURL = u }
}

// WithTrustedOrigins sets the trusted origins of the seeded authenticator
// config. The default is the origin of its Invoke URL.
func WithTrustedOrigins(origins ...string) Option {
	return func(c *config) { c.engine.TrustedOrigins = append([]string{}, origins...) }
}

// WithAppCredentials fixes the client ID and secret of the seeded
// Management API application (random by default), for instance to test a
// secret with characters that need escaping.
func WithAppCredentials(clientID, clientSecret string) Option {
	return func(c *config) { c.engine.ClientID, c.engine.ClientSecret = clientID, clientSecret }
}

// WithBatchQueueLimit sets how many jobs created by batch binding jobs may
// be pending in a realm before a batch is refused with 429 (default 1000).
func WithBatchQueueLimit(n int) Option {
	return func(c *config) { c.engine.BatchQueueLimit = n }
}

// Server is an in-process fake of the Beyond Identity v1 API, serving the
// API host and the auth host on one origin. It is safe for concurrent use.
type Server struct {
	e  *fakeapi.Engine
	ts *httptest.Server // nil in memory
	hc *http.Client
}

// NewServer starts a fake with a seeded tenant: an Admin realm holding the
// Management API application (with client credentials), and a user realm
// holding an embedded authenticator config. Call Close when done.
func NewServer(opts ...Option) *Server {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	s := &Server{e: fakeapi.New(c.engine)}
	if c.inMemory {
		s.hc = memtransport.Client(s.e)
		return s
	}
	s.ts = httptest.NewServer(s.e)
	s.e.SetOrigin(s.ts.URL)
	s.hc = s.ts.Client()
	return s
}

// Close shuts the server down (nothing to do for an in-memory server).
func (s *Server) Close() {
	if s.ts != nil {
		s.ts.Close()
	}
}

// URL returns the server's origin, e.g. "http://127.0.0.1:41234", which is
// both its API and its auth base URL (PlaceholderURL in memory).
func (s *Server) URL() string { return s.e.Origin() }

// Handler returns the server's handler, for serving it some other way.
func (s *Server) Handler() http.Handler { return s.e }

// HTTPClient returns an *http.Client that reaches the server: the test
// server's client, or an in-memory transport for WithInMemory. It follows
// redirects; set CheckRedirect on a copy to see them.
func (s *Server) HTTPClient() *http.Client { return s.hc }

// TenantID returns the seeded tenant's ID (16 hex digits starting 0001).
func (s *Server) TenantID() string { return s.e.Seeded().TenantID }

// AdminRealmID returns the ID of the Admin realm, which holds the
// Management API application.
func (s *Server) AdminRealmID() string { return s.e.Seeded().AdminRealmID }

// RealmID returns the ID of the user realm, which holds the seeded
// authenticator config and is where Client works.
func (s *Server) RealmID() string { return s.e.Seeded().RealmID }

// ApplicationID returns the ID (a UUID) of the Management API application.
func (s *Server) ApplicationID() string { return s.e.Seeded().ApplicationID }

// ClientID returns the Management API application's client ID.
func (s *Server) ClientID() string { return s.e.Seeded().ClientID }

// ClientSecret returns the Management API application's client secret.
func (s *Server) ClientSecret() string { return s.e.Seeded().ClientSecret }

// AuthenticatorConfigID returns the ID (a UUID) of the seeded embedded
// authenticator config of the user realm.
func (s *Server) AuthenticatorConfigID() string { return s.e.Seeded().AuthenticatorConfigID }

// ClientCredentials returns the credentials of the Management API
// application, as beyondidentity.WithClientCredentials takes them.
func (s *Server) ClientCredentials() beyondidentity.ClientCredentials {
	seed := s.e.Seeded()
	return beyondidentity.ClientCredentials{
		RealmID: seed.AdminRealmID, ApplicationID: seed.ApplicationID,
		ClientID: seed.ClientID, ClientSecret: beyondidentity.NewSecret(seed.ClientSecret),
	}
}

// Client returns a client for the user realm of the fake, authenticating
// with the application's client credentials and sending requests through
// HTTPClient. opts are applied after these defaults, so they override them;
// an authentication option (WithAPIToken, WithClientCredentials,
// WithTokenSource) replaces the default credentials.
func (s *Server) Client(opts ...beyondidentity.Option) (*beyondidentity.Client, error) {
	seed := s.e.Seeded()
	base := []beyondidentity.Option{
		beyondidentity.WithTenant(seed.TenantID),
		beyondidentity.WithRealm(seed.RealmID),
		beyondidentity.WithBaseURLs(s.URL(), s.URL()),
		beyondidentity.WithHTTPClient(s.hc),
	}
	if !hasAuthOption(opts) {
		base = append(base, beyondidentity.WithClientCredentials(s.ClientCredentials()))
	}
	return beyondidentity.NewClient(append(base, opts...)...)
}

// hasAuthOption reports whether one of opts configures authentication:
// alone with a tenant, such an option makes a valid client.
func hasAuthOption(opts []beyondidentity.Option) bool {
	for _, o := range opts {
		if o == nil {
			continue
		}
		if _, err := beyondidentity.NewClient(beyondidentity.WithTenant("0001000000000000"), o); err == nil {
			return true
		}
	}
	return false
}

// IssueToken mints an access token of the Management API application, as
// the Admin Console's "Create token" does, for beyondidentity.WithAPIToken.
// No scopes means all of the application's; the token lives for the
// server's token lifetime. It panics on a scope the application lacks.
func (s *Server) IssueToken(displayName string, scopes ...string) string {
	tok, err := s.e.IssueToken(displayName, scopes, 0)
	if err != nil {
		panic("beyondidentitytest: IssueToken: " + err.Error())
	}
	return tok
}

// Email is a message the fake sent for an EMAIL binding job.
type Email struct {
	// To is the identity's primary email address.
	To string
	// Subject is the message's subject.
	Subject string
	// Link is the binding link, of the form
	// {URL}/v1/tenants/{t}/realms/{r}/identities/{i}/credential-binding-jobs/{j}:invokeAuthenticator?token=….
	// Following it redirects to {invoke_url}/bind?….
	Link string
	// TenantID, RealmID, IdentityID and JobID name the job.
	TenantID   string
	RealmID    string
	IdentityID string
	JobID      string
	// BatchID is the batch binding job that created the job, if any.
	BatchID string
	// SentAt is when the job was created.
	SentAt time.Time
}

// Outbox returns the emails sent so far, oldest first.
func (s *Server) Outbox() []Email {
	in := s.e.Outbox()
	out := make([]Email, len(in))
	for i, m := range in {
		out[i] = Email(m)
	}
	return out
}

// Binding is the outcome of CompleteBinding: the passkey the simulated
// device created.
type Binding struct {
	// TenantID, RealmID, IdentityID and JobID name the completed job.
	TenantID   string
	RealmID    string
	IdentityID string
	JobID      string
	// CredentialID is the ID of the new credential (passkey).
	CredentialID string
	// PostBindingRedirectURI is the job's post_binding_redirect_uri, as the
	// Embedded SDK returns it.
	PostBindingRedirectURI string
	// PrivateKey is the passkey's private key, which a real device keeps to
	// itself. Its public half is the credential's jwk_json.
	PrivateKey *ecdsa.PrivateKey
}

// CompleteBinding plays the device's part of binding a passkey, what the
// Embedded SDK's bindPasskey does: given a binding link of either shape (a
// job's …:invokeAuthenticator?token=… link, or the {invoke_url}/bind?…
// URL it redirects to), it creates an ACTIVE credential with a new EC P-256
// key for the job's identity and moves the job to COMPLETE with its
// credential_id set. It fails with ErrInvalidLink, ErrJobNotPending or
// ErrIdentitySuspended.
func (s *Server) CompleteBinding(ctx context.Context, link string) (*Binding, error) {
	b, err := s.e.CompleteBinding(ctx, link)
	if err != nil {
		return nil, err
	}
	out := Binding(*b)
	return &out, nil
}

// SetJobState sets the state of a binding job, to test code that waits on
// jobs: LINK_SENT, LINK_OPENED, REQUEST_DELIVERED, EXPIRED, FAILED_TO_SEND
// or REVOKED. COMPLETE is refused (use CompleteBinding). A job also turns
// EXPIRED by itself BindingLinkLifetime after its creation.
func (s *Server) SetJobState(jobID string, state beyondidentity.BindingJobState) error {
	return s.e.SetJobState(jobID, string(state))
}

// OpenLink opens a binding link the way a user's browser does when the user
// clicks it: the job moves to LINK_OPENED and, for an EMAIL job, the server
// answers with a redirect to the authenticator config's Invoke URL +
// "/bind?api_base_url=…&tenant_id=…&…&token=…". OpenLink returns that
// location without following it ("" for a RETURN job, whose link is meant
// for the Embedded SDK). An unknown link or a job that is no longer pending
// is an error naming the status.
func (s *Server) OpenLink(ctx context.Context, link string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return "", err
	}
	hc := *s.hc
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	switch {
	case resp.StatusCode == http.StatusFound:
		return resp.Header.Get("Location"), nil
	case resp.StatusCode == http.StatusOK:
		return "", nil
	}
	return "", fmt.Errorf("beyondidentitytest: opening the binding link: %s", resp.Status)
}

// Fault makes the next Times requests matching Method and Path misbehave:
// answer Status, wait Delay, or drop the connection.
//
// A dropped connection is a reset for a real server and, in memory
// (WithInMemory), a transport error from the client's RoundTripper; either
// way the SDK returns a *beyondidentity.RequestError. Note that net/http's
// Transport resends an idempotent request by itself, once, when a reused
// keep-alive connection is dropped before any answer: such a request can
// take two of Times.
type Fault struct {
	// Method matches the request method; "" matches any.
	Method string
	// Path matches the escaped request path: exactly, or as a path.Match
	// pattern when it holds '*', '?' or '[' ('*' does not cross '/': use
	// "/v1/tenants/*/realms/*/identities/*" for any identity). "" matches
	// any path.
	Path string
	// Times is how many matching requests the fault applies to; 0 means 1.
	Times int
	// Delay holds each request this long before it is served (or answered
	// with Status, or dropped); the wait ends if the client gives up.
	Delay time.Duration
	// Status, when set, answers with this status and an error body in the
	// API's {code, message} shape (or Body, when set).
	Status int
	// RetryAfter, when positive, sets a Retry-After header in whole seconds
	// (rounded up).
	RetryAfter time.Duration
	// Header holds more headers for the Status answer (RateLimit-Reset, a
	// Retry-After HTTP date, ...).
	Header http.Header
	// Body replaces the error body of the Status answer.
	Body string
	// Drop drops the connection without any answer.
	Drop bool
}

// InjectFault registers a fault. Faults apply in the order they were
// injected: the first that matches a request takes it. It panics if the
// fault is invalid (a bad Path pattern, a bad Status, or nothing to do).
func (s *Server) InjectFault(f Fault) {
	if err := s.e.AddFault(fakeapi.Fault(f)); err != nil {
		panic(fmt.Sprintf("beyondidentitytest: InjectFault: %v", err))
	}
}

// PendingFaults returns how many fault applications are left.
func (s *Server) PendingFaults() int { return s.e.PendingFaults() }

// ClearFaults removes every pending fault.
func (s *Server) ClearFaults() { s.e.ClearFaults() }

// Request is a request the server received, with secrets redacted: no
// Authorization or Cookie header, and the values of the client_secret and
// token form fields and of the token query parameter (a binding link's
// token) replaced by "REDACTED".
type Request struct {
	// Time is when the request arrived.
	Time time.Time
	// Method is the request method.
	Method string
	// Path is the escaped path, e.g. /v1/tenants/…/identities/…:revoke.
	Path string
	// Query is the decoded query string.
	Query url.Values
	// Header holds the request headers.
	Header http.Header
	// Body is the request body.
	Body string
	// Status is the answer's status, 0 if the connection was dropped or
	// the client gave up before the answer.
	Status int
	// Dropped reports a connection dropped by a fault.
	Dropped bool
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	in := s.e.Requests()
	out := make([]Request, len(in))
	for i, r := range in {
		out[i] = Request(r)
	}
	return out
}

// ClearRequests empties the request log.
func (s *Server) ClearRequests() { s.e.ClearRequests() }
