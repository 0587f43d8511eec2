// Package fakeapi is the engine of beyondidentitytest: an in-memory
// implementation of the Beyond Identity v1 API at the wire level.
//
// It is written from the OpenAPI spec and the API notes, independently of the
// SDK's models, so that a misreading of the API shared by both cannot pass
// unnoticed. It serves the API host paths (the tenant, realms, identities,
// binding jobs, credentials, authenticator configs, groups, resource
// servers and their roles, applications, tokens, themes, the flow type
// configuration, identity providers, SSO configs and their assignments,
// SCIM 2.0 users, groups and discovery) and the auth host paths (token,
// introspection, revocation, binding links) on one origin.
package fakeapi

import (
	crand "crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// PlaceholderOrigin is the origin links use until SetOrigin is called, for
// an engine served without a listener. The .invalid top-level domain never
// resolves.
const PlaceholderOrigin = "http://beyondidentitytest.invalid"

// Defaults of Config.
const (
	// DefaultTokenLifetime is the lifetime of the Management API
	// application's tokens: 3 months, the documented default.
	DefaultTokenLifetime = 7776000 * time.Second
	// DefaultInvokeURL is the Invoke URL of the seeded authenticator config.
	DefaultInvokeURL = "http://localhost:3000"
	// DefaultBatchQueueLimit is how many binding jobs created by batches may
	// be pending in a realm at once.
	DefaultBatchQueueLimit = 1000
	// BindingLinkLifetime is how long a binding link stays valid.
	BindingLinkLifetime = 7 * 24 * time.Hour
)

// maxRequestBody bounds the request bodies the engine reads.
const maxRequestBody = 1 << 20

// Config configures an Engine. Zero fields take the defaults.
type Config struct {
	// Seed, when Seeded is true, makes every generated ID and the client
	// credentials reproducible. Secrets that protect something (link tokens,
	// token IDs, signing keys) are always random.
	Seed   uint64
	Seeded bool
	// TokenLifetime is the lifetime of tokens of the seeded application, and
	// the most a token request may ask for.
	TokenLifetime time.Duration
	// InvokeURL is the Invoke URL of the seeded embedded authenticator config.
	InvokeURL string
	// TrustedOrigins of the seeded config; default: the Invoke URL's origin.
	TrustedOrigins []string
	// ClientID and ClientSecret of the seeded application; default: random.
	ClientID, ClientSecret string
	// BatchQueueLimit caps pending batch-created jobs per realm.
	BatchQueueLimit int
	// Origin is the origin (scheme://host[:port]) of the server, used in
	// binding links and token issuers; default PlaceholderOrigin.
	Origin string
	// SCIMRateLimit, when positive, limits the tenant's SCIM calls to that
	// many per SCIMRateWindow (default DefaultSCIMRateWindow), as the API
	// does (30 a minute): SCIM answers then carry the RateLimit-* headers,
	// and a call past the limit is answered 429. Zero, the default, sets
	// no limit.
	SCIMRateLimit  int
	SCIMRateWindow time.Duration
}

// Engine is the fake API. It implements http.Handler and is safe for
// concurrent use.
type Engine struct {
	cfg Config

	rngMu sync.Mutex
	rng   *rand.Rand

	// mu guards everything below it.
	mu       sync.Mutex
	origin   string
	tenantID string
	adminID  string
	realmID  string
	appID    string
	configID string
	serverID string // the Management API resource server
	tenant   tenant
	realms   map[string]*realm
	realmSeq []*realm // the realms in creation order
	apps     map[string]*application
	tokens   map[string]*tokenRecord // by jti
	outbox   []Email

	scimWindow time.Time // start of the SCIM rate limit's window
	scimCalls  int       // SCIM calls in the window

	signKey []byte // signs access tokens
	pageKey []byte // signs page tokens

	table       []*routeDef // paths below a realm
	tenantTable []*routeDef // the tenant's own paths

	faultMu sync.Mutex
	faults  []*faultRule

	logMu sync.Mutex
	log   []*Request
}

// New returns an engine with a seeded tenant: an Admin realm holding the
// Management API application, and a user realm holding an embedded
// authenticator config.
func New(cfg Config) *Engine {
	if cfg.TokenLifetime <= 0 {
		cfg.TokenLifetime = DefaultTokenLifetime
	}
	if cfg.InvokeURL == "" {
		cfg.InvokeURL = DefaultInvokeURL
	}
	if cfg.BatchQueueLimit <= 0 {
		cfg.BatchQueueLimit = DefaultBatchQueueLimit
	}
	if cfg.Origin == "" {
		cfg.Origin = PlaceholderOrigin
	}
	var seed [32]byte
	if cfg.Seeded {
		binary.LittleEndian.PutUint64(seed[:], cfg.Seed)
		copy(seed[8:], "beyondidentitytest")
	} else {
		_, _ = crand.Read(seed[:])
	}
	e := &Engine{
		cfg:     cfg,
		rng:     rand.New(rand.NewChaCha8(seed)),
		origin:  strings.TrimRight(cfg.Origin, "/"),
		realms:  map[string]*realm{},
		apps:    map[string]*application{},
		tokens:  map[string]*tokenRecord{},
		signKey: randomBytes(32),
		pageKey: randomBytes(32),
	}
	now := time.Now()
	e.tenantID = "0001" + e.hexID(6)
	e.adminID = e.hexID(8)
	e.realmID = e.hexID(8)
	e.tenant = tenant{displayName: "beyondidentitytest", created: now, updated: now}
	e.addRealm(newRealm(e.adminID, "Beyond Identity Admin", now))
	e.addRealm(newRealm(e.realmID, "Users", now))

	e.appID = e.uuid()
	app := &application{
		id:          e.appID,
		realmID:     e.adminID,
		displayName: "Beyond Identity Management API",
		clientID:    cfg.ClientID,
		secret:      cfg.ClientSecret,
		scopes:      append([]string(nil), ManagementScopes...),
		maxLifetime: cfg.TokenLifetime,

		clientCredentials: true,
		audience:          ManagementAudience,
	}
	if app.clientID == "" {
		app.clientID = e.randomString(24)
	}
	if app.secret == "" {
		app.secret = e.randomString(48)
	}
	e.apps[app.id] = app
	e.realms[e.adminID].apps = append(e.realms[e.adminID].apps, app)

	origins := cfg.TrustedOrigins
	if origins == nil {
		origins = []string{originOf(cfg.InvokeURL)}
	}
	e.configID = e.uuid()
	r := e.realms[e.realmID]
	cfgv := configValue{
		Type:                  "embedded",
		InvokeURL:             cfg.InvokeURL,
		InvocationType:        "automatic",
		TrustedOrigins:        append([]string{}, origins...),
		AuthenticationMethods: []string{"software_passkey", "webauthn_passkey"},
	}
	r.addConfig(&authenticatorConfig{id: e.configID, realmID: r.id, displayName: "Embedded SDK", config: cfgv, created: now})

	// The Management API's resource server, which the Management API
	// application references; generated last so the IDs above stay what
	// a seed has always given.
	e.serverID = e.uuid()
	e.realms[e.adminID].addServer(&resourceServer{
		id: e.serverID, displayName: "Beyond Identity Management API", identifier: ManagementAudience,
		scopes: append([]string(nil), ManagementScopes...), managed: true,
	})
	app.managed = true
	app.doc = e.managementAppDoc(app)

	e.table = e.routes()
	e.tenantTable = e.tenantRoutes()
	return e
}

// Seeded holds the IDs and credentials of the seeded tenant.
type Seeded struct {
	TenantID              string
	AdminRealmID          string
	RealmID               string
	ApplicationID         string
	ClientID              string
	ClientSecret          string
	AuthenticatorConfigID string
}

// Seeded returns the seeded IDs and credentials.
func (e *Engine) Seeded() Seeded {
	e.mu.Lock()
	defer e.mu.Unlock()
	app := e.apps[e.appID]
	return Seeded{
		TenantID: e.tenantID, AdminRealmID: e.adminID, RealmID: e.realmID,
		ApplicationID: e.appID, ClientID: app.clientID, ClientSecret: app.secret,
		AuthenticatorConfigID: e.configID,
	}
}

// SetOrigin sets the origin used in binding links, redirects and token
// issuers (the server's own URL, once known).
func (e *Engine) SetOrigin(origin string) {
	e.mu.Lock()
	e.origin = strings.TrimRight(origin, "/")
	e.mu.Unlock()
}

// Origin returns the origin used in links.
func (e *Engine) Origin() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.origin
}

// ---- random values ----

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = crand.Read(b)
	return b
}

func (e *Engine) rngBytes(n int) []byte {
	e.rngMu.Lock()
	defer e.rngMu.Unlock()
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(e.rng.Uint32())
	}
	return b
}

// hexID returns 2n lowercase hex digits from the (possibly seeded) generator.
func (e *Engine) hexID(n int) string { return hex.EncodeToString(e.rngBytes(n)) }

// newID returns a 16-hex-digit ID, the format of realm, identity, credential
// and job IDs.
func (e *Engine) newID() string { return e.hexID(8) }

// uuid returns a version 4 UUID, the format of application, authenticator
// config and batch IDs.
func (e *Engine) uuid() string {
	b := e.rngBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func (e *Engine) randomString(n int) string {
	e.rngMu.Lock()
	defer e.rngMu.Unlock()
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[e.rng.IntN(len(alnum))]
	}
	return string(b)
}

// secretString returns n characters of crypto-random alphanumerics.
func secretString(n int) string {
	b := randomBytes(n)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return string(b)
}

func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return raw
	}
	return u.Scheme + "://" + u.Host
}

// ts formats a timestamp the way the API does: UTC, microseconds, "Z".
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// ---- serving ----

// ServeHTTP serves one request: fault injection first, then the request log,
// then routing.
func (e *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil {
		// The client went away while sending.
		panic(http.ErrAbortHandler)
	}
	entry := e.logRequest(r, body)
	rw := &statusWriter{ResponseWriter: w}
	defer func() {
		if p := recover(); p != nil {
			e.finishLog(entry, 0, true)
			panic(p)
		}
		e.finishLog(entry, rw.status, false)
	}()
	if len(body) > maxRequestBody {
		writeError(rw, http.StatusRequestEntityTooLarge, "request body too large")
		return
	}
	if f := e.takeFault(r); f != nil {
		if e.applyFault(rw, r, f) {
			return
		}
	}
	e.route(rw, r, body)
}

// statusWriter records the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// String names the engine's tenant; it never shows a secret.
func (e *Engine) String() string {
	return fmt.Sprintf("fakeapi.Engine{tenant: %s}", e.tenantID)
}
