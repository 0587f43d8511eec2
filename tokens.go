package beyondidentity

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// TokenSource supplies the bearer token for API calls. The client calls
// Token before every request, so an implementation should cache. Token must
// be safe for concurrent use and should return promptly when ctx is done.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// TokenInvalidator is implemented by token sources that can drop a cached
// token. When the API answers 401, the client calls InvalidateToken with the
// rejected token, gets a new one and sends the request once more.
type TokenInvalidator interface {
	InvalidateToken(token string)
}

// TokenSourceFunc adapts a function to TokenSource.
type TokenSourceFunc func(ctx context.Context) (string, error)

// Token calls f(ctx).
func (f TokenSourceFunc) Token(ctx context.Context) (string, error) { return f(ctx) }

// StaticToken returns a TokenSource that always returns token. Printing or
// logging it never shows the token.
func StaticToken(token string) TokenSource { return &staticToken{tok: NewSecret(token)} }

// staticToken keeps its token in a Secret, so that even reflection-based
// printing (a caller's struct holding the source in an unexported field)
// shows an address.
type staticToken struct{ tok Secret }

func (s *staticToken) Token(context.Context) (string, error) { return s.tok.Reveal(), nil }

// Format prints the type without the token.
func (s *staticToken) Format(f fmt.State, _ rune) {
	fmt.Fprint(f, "beyondidentity.StaticToken("+redacted+")")
}

// LogValue logs the type without the token.
func (s *staticToken) LogValue() slog.Value { return slog.StringValue("StaticToken(" + redacted + ")") }

func checkToken(field, tok string) error {
	switch {
	case tok == "":
		return invalid(field, "token is empty")
	case strings.ContainsFunc(tok, func(r rune) bool { return r == ' ' || isControl(r) }):
		return invalid(field, "token contains whitespace or a control character")
	}
	return nil
}

// ClientCredentials are the OAuth 2.0 client credentials of an application
// allowed to call the Management API: the built-in "Beyond Identity
// Management API" application, which lives in the tenant's "Beyond Identity
// Admin" realm, or any confidential application with the client credentials
// grant and that resource server.
//
// The client secret is a [Secret]: printing, logging or JSON-encoding the
// credentials shows it as REDACTED.
type ClientCredentials struct {
	// RealmID is the realm that holds the application, usually the Admin
	// realm, which differs from the realm that holds the end users.
	RealmID string
	// ApplicationID is the ID of the application.
	ApplicationID string
	// ClientID is the application's OAuth client ID.
	ClientID string
	// ClientSecret is the application's OAuth client secret, e.g.
	// NewSecret(os.Getenv("BEYOND_IDENTITY_CLIENT_SECRET")).
	ClientSecret Secret
	// Scopes, when set, asks for these scopes only (sent space-separated);
	// they must be among the application's allowed scopes. When empty the
	// token gets the application's allowed scopes.
	Scopes []string
	// TokenLifetime, when set, asks for tokens valid this long (sent as
	// expiration_time in whole seconds); it must not exceed the
	// application's configured expiry.
	TokenLifetime time.Duration
}

func (cc ClientCredentials) validate() error {
	const f = "WithClientCredentials."
	if err := checkID(f+"RealmID", cc.RealmID); err != nil {
		return err
	}
	if err := checkID(f+"ApplicationID", cc.ApplicationID); err != nil {
		return err
	}
	if strings.TrimSpace(cc.ClientID) == "" {
		return invalid(f+"ClientID", "is empty")
	}
	if cc.ClientSecret.IsZero() {
		return invalid(f+"ClientSecret", "is empty")
	}
	if cc.TokenLifetime < 0 || (cc.TokenLifetime > 0 && cc.TokenLifetime < time.Second) {
		return invalid(f+"TokenLifetime", "must be zero or at least one second")
	}
	for _, s := range cc.Scopes {
		if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r == ' ' || isControl(r) }) {
			return invalid(f+"Scopes", fmt.Sprintf("%q is not a scope", s))
		}
	}
	return nil
}

// tokenFetchTimeout bounds one token fetch. The fetch does not follow any
// single caller's cancellation, since other callers may wait for it.
const tokenFetchTimeout = time.Minute

// clientCredentialsSource fetches and caches client-credentials tokens.
type clientCredentialsSource struct {
	core     *core
	creds    ClientCredentials
	url      string
	cache    TokenCache // nil: tokens live in this source only
	cacheKey string

	mu        sync.Mutex
	token     string
	refreshAt time.Time
	inflight  *tokenFetch
}

type tokenFetch struct {
	done  chan struct{}
	token string
	err   error
}

func newClientCredentialsSource(c *core, cc ClientCredentials, cache TokenCache) *clientCredentialsSource {
	s := &clientCredentialsSource{
		core:  c,
		creds: cc,
		url: c.authBase + "/v1/tenants/" + escapeSegment(c.tenantID) + "/realms/" + escapeSegment(cc.RealmID) +
			"/applications/" + escapeSegment(cc.ApplicationID) + "/token",
		cache: cache,
	}
	if cache != nil {
		s.cacheKey = tokenCacheKey(s.url, cc)
	}
	return s
}

// Format prints the source without its secret or token.
func (s *clientCredentialsSource) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "beyondidentity.clientCredentialsSource{url: %q}", s.url)
}

// Token returns the cached token, or waits for a fetch. Concurrent callers
// share one fetch; a caller whose ctx ends stops waiting without affecting
// the others.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/applications/{application_id}/token (auth host, not in the spec)
func (s *clientCredentialsSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	if s.token != "" && time.Now().Before(s.refreshAt) {
		t := s.token
		s.mu.Unlock()
		return t, nil
	}
	f := s.inflight
	if f == nil {
		f = &tokenFetch{done: make(chan struct{})}
		s.inflight = f
		go s.fetch(context.WithoutCancel(ctx), f)
	}
	s.mu.Unlock()

	select {
	case <-f.done:
		return f.token, f.err
	case <-ctx.Done():
		return "", &RequestError{Method: http.MethodPost, URL: s.url, Err: ctx.Err()}
	}
}

// InvalidateToken drops the cached token if it is still token.
// InvalidateToken drops the cached token if it is still token, from the
// TokenCache too.
func (s *clientCredentialsSource) InvalidateToken(token string) {
	s.mu.Lock()
	if s.token == token {
		s.token = ""
	}
	s.mu.Unlock()
	if s.cache != nil {
		ctx, cancel := context.WithTimeout(context.Background(), tokenCacheTimeout)
		defer cancel()
		if err := s.cache.Delete(ctx, s.cacheKey, token); err != nil {
			s.logCacheError(ctx, "delete", err)
		}
	}
}

func (s *clientCredentialsSource) fetch(ctx context.Context, f *tokenFetch) {
	ctx, cancel := context.WithTimeout(ctx, tokenFetchTimeout)
	defer cancel()
	start := time.Now()
	tok, expiry, fromCache := s.loadCached(ctx, start)
	var err error
	if !fromCache {
		var lifetime time.Duration
		tok, lifetime, err = s.request(ctx)
		expiry = start.Add(lifetime)
		if err == nil && s.cache != nil {
			if cerr := s.cache.Store(ctx, s.cacheKey, CachedToken{Token: NewSecret(tok), Expiry: expiry}); cerr != nil {
				s.logCacheError(ctx, "store", cerr)
			}
		}
	}

	s.mu.Lock()
	if err == nil {
		s.token = tok
		s.refreshAt = refreshTime(start, expiry)
	}
	s.inflight = nil
	s.mu.Unlock()

	f.token, f.err = tok, err
	close(f.done)
}

// minCachedTokenLife is how long a token of the TokenCache must still be
// valid to be used.
const minCachedTokenLife = time.Minute

// refreshTime is when a token valid from now until expiry is refreshed:
// a minute before it expires, or a tenth of its lifetime for short ones.
func refreshTime(now, expiry time.Time) time.Time {
	lifetime := expiry.Sub(now)
	return expiry.Add(-min(time.Minute, lifetime/10))
}

// loadCached returns a token of the TokenCache that is not yet due for a
// refresh, if there is one.
func (s *clientCredentialsSource) loadCached(ctx context.Context, now time.Time) (string, time.Time, bool) {
	if s.cache == nil {
		return "", time.Time{}, false
	}
	ct, ok, err := s.cache.Load(ctx, s.cacheKey)
	if err != nil {
		s.logCacheError(ctx, "load", err)
		return "", time.Time{}, false
	}
	tok := ct.Token.Reveal()
	// The token's original lifetime is unknown here: one that expires
	// within minCachedTokenLife is left for a new one.
	if !ok || !isBearerToken(tok) || ct.Expiry.Sub(now) <= minCachedTokenLife {
		return "", time.Time{}, false
	}
	expiry := ct.Expiry
	if limit := now.Add(maxTokenLifetime); expiry.After(limit) {
		expiry = limit
	}
	return tok, expiry, true
}

func (s *clientCredentialsSource) logCacheError(ctx context.Context, op string, err error) {
	if l := s.core.logger; l != nil {
		l.LogAttrs(ctx, slog.LevelWarn, "beyondidentity: token cache "+op+" failed; going on without it",
			slog.String("error", oneLine(err.Error())))
	}
}

type tokenResponse struct {
	AccessToken string    `json:"access_token"`
	TokenType   string    `json:"token_type"`
	ExpiresIn   expiresIn `json:"expires_in"`
	Scope       string    `json:"scope"`
}

// expiresIn reads expires_in as token endpoints send it: a JSON number,
// whole or not, or a string holding one. A number too large for a float64
// reads as +Inf.
type expiresIn float64

func (e *expiresIn) UnmarshalJSON(b []byte) error {
	v := string(bytes.TrimSpace(b))
	if v == "null" {
		*e = 0
		return nil
	}
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = strings.TrimSpace(v[1 : len(v)-1])
	}
	f, err := strconv.ParseFloat(v, 64)
	if (err != nil && !errors.Is(err, strconv.ErrRange)) || strings.ContainsAny(v, "xXpP_iInN") {
		return errors.New("expires_in is not a number")
	}
	*e = expiresIn(f)
	return nil
}

// Bounds of a cached token's lifetime.
const (
	// maxTokenLifetime caps the lifetime a token endpoint announces: the
	// Management API's tokens live 90 days by default, and a larger value
	// (or one that overflows a Duration) is treated as a year.
	maxTokenLifetime = 366 * 24 * time.Hour
	// fallbackTokenLifetime is used when neither expires_in nor the
	// token's exp claim gives a lifetime.
	fallbackTokenLifetime = 5 * time.Minute
)

// tokenLifetime turns expires_in into the lifetime of a token: within
// (0, maxTokenLifetime]; when expires_in is missing, zero, negative or not
// a number, the token's own exp claim, if it is a JWT, else 5 minutes.
func tokenLifetime(secs float64, tok string, now time.Time) time.Duration {
	switch {
	case math.IsNaN(secs) || secs <= 0:
		return jwtLifetime(tok, now)
	case secs >= maxTokenLifetime.Seconds():
		return maxTokenLifetime
	}
	return max(time.Duration(secs*float64(time.Second)), time.Nanosecond)
}

// isBearerToken reports whether tok has the syntax of an OAuth bearer
// token (RFC 6750 §2.1, b64token), so that it can be sent in an
// Authorization header as it is.
func isBearerToken(tok string) bool {
	i := 0
	for ; i < len(tok); i++ {
		c := tok[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/') {
			break
		}
	}
	if i == 0 {
		return false
	}
	for ; i < len(tok); i++ {
		if tok[i] != '=' {
			return false
		}
	}
	return true
}

// request performs the token request and returns the token and its lifetime.
func (s *clientCredentialsSource) request(ctx context.Context) (string, time.Duration, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	if len(s.creds.Scopes) > 0 {
		form.Set("scope", strings.Join(s.creds.Scopes, " "))
	}
	if s.creds.TokenLifetime > 0 {
		form.Set("expiration_time", strconv.FormatInt(int64(s.creds.TokenLifetime/time.Second), 10))
	}
	var tr tokenResponse
	// Minting a token has no effect a repeat could duplicate in a harmful
	// way, so the request is retried like a read.
	err := s.core.do(ctx, &call{method: http.MethodPost, url: s.url, form: form, idempotent: true, basic: &s.creds}, &tr)
	if err != nil {
		return "", 0, err
	}
	if tr.AccessToken == "" {
		return "", 0, &RequestError{Method: http.MethodPost, URL: s.url, Err: fmt.Errorf("token response has no access_token")}
	}
	if !isBearerToken(tr.AccessToken) {
		// Cached, it would fail every call as an invalid header value.
		return "", 0, &RequestError{Method: http.MethodPost, URL: s.url, Err: fmt.Errorf("token response's access_token is not a bearer token (RFC 6750 b64token)")}
	}
	if tt := tr.TokenType; tt != "" && !strings.EqualFold(tt, "bearer") {
		return "", 0, &RequestError{Method: http.MethodPost, URL: s.url, Err: fmt.Errorf("unsupported token_type %q", tt)}
	}
	return tr.AccessToken, tokenLifetime(float64(tr.ExpiresIn), tr.AccessToken, time.Now()), nil
}

// jwtLifetime reads the exp claim of a JWT without verifying it (the token is
// only used, never trusted, here), capped at maxTokenLifetime. It returns
// fallbackTokenLifetime when there is none.
func jwtLifetime(tok string, now time.Time) time.Duration {
	const fallback = fallbackTokenLifetime
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return fallback
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return fallback
	}
	var claims struct {
		Exp int64 `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp == 0 {
		return fallback
	}
	if d := time.Unix(claims.Exp, 0).Sub(now); d > 0 {
		return min(d, maxTokenLifetime)
	}
	return fallback
}

// TokenFormat is how a token is encoded. It is an open set: values this
// version does not know decode as is.
type TokenFormat string

// Token formats documented by the API.
const (
	TokenFormatSelfContained TokenFormat = "self_contained"
	TokenFormatReferential   TokenFormat = "referential"
)

// TokenType is the kind of a token. It is an open set.
type TokenType string

// Token types documented by the API.
const (
	TokenTypeAccess   TokenType = "access"
	TokenTypeRefresh  TokenType = "refresh"
	TokenTypeIdentity TokenType = "identity"
)

// PrincipalType is the kind of principal a token was issued to.
type PrincipalType string

// Principal types accepted by TokensService.List.
const (
	PrincipalTypeApplication PrincipalType = "application"
	PrincipalTypeIdentity    PrincipalType = "identity"
)

// Token describes an issued token. It never holds the token itself, only
// its last characters (TokenSuffix).
type Token struct {
	// ID is the token's ID, equal to its JWT "jti" claim.
	ID string `json:"id"`
	// DisplayName is the name given to the token, if any.
	DisplayName string `json:"display_name,omitempty"`
	// Scopes are the scopes granted to the token.
	Scopes []string `json:"scopes,omitempty"`
	// TokenSuffix is the last few characters of the token, to recognise it.
	TokenSuffix string `json:"token_suffix,omitempty"`
	// TokenFormat is how the token is encoded.
	TokenFormat TokenFormat `json:"token_format,omitempty"`
	// Expires is when the token expires (sent as Unix seconds).
	Expires time.Time `json:"expires,omitzero"`
	// IssuedAt is when the token was issued (sent as Unix seconds).
	IssuedAt time.Time `json:"issued_at,omitzero"`
	// TokenType is the kind of token.
	TokenType TokenType `json:"token_type,omitempty"`
}

// UnmarshalJSON decodes a token, reading its times from Unix seconds.
func (t *Token) UnmarshalJSON(b []byte) error {
	type plain Token
	w := struct {
		*plain
		Expires  int64 `json:"expires"`
		IssuedAt int64 `json:"issued_at"`
	}{plain: (*plain)(t)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	t.Expires, t.IssuedAt = unixTime(w.Expires), unixTime(w.IssuedAt)
	return nil
}

// MarshalJSON encodes a token as the API does, with its times in Unix
// seconds.
func (t Token) MarshalJSON() ([]byte, error) {
	type plain Token
	return json.Marshal(struct {
		plain
		Expires  int64 `json:"expires,omitempty"`
		IssuedAt int64 `json:"issued_at,omitempty"`
	}{plain(t), unixSeconds(t.Expires), unixSeconds(t.IssuedAt)})
}

// unixTime returns Unix seconds as a UTC time, the zero time for 0.
func unixTime(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// unixSeconds returns t as Unix seconds, 0 for the zero time.
func unixSeconds(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// ListTokensOptions filters and pages [TokensService.List]. Zero fields are
// not sent.
type ListTokensOptions struct {
	// PrincipalType limits the list to tokens issued to this kind of principal.
	PrincipalType PrincipalType `url:"principal_type,omitempty"`
	// PrincipalID limits the list to tokens issued to this principal.
	PrincipalID string `url:"principal_id,omitempty"`
	// PageSize is the number of tokens per page, 1 to 100 (server default 100).
	PageSize int `url:"page_size,omitempty"`
	// PageToken continues a previous list from its NextPageToken.
	PageToken string `url:"page_token,omitempty"`
}

// Maximum page size of the token list.
const maxTokensPageSize = 100

// TokensService handles API access tokens. Get it from Client.Tokens.
type TokensService service

// List fetches one page of the tokens issued by an application of the
// client's realm. For the built-in Management API application, use a client
// for the Admin realm: c.InRealm(adminRealmID).Tokens.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/applications/{application_id}/tokens (ListTokens)
func (s *TokensService) List(ctx context.Context, applicationID string, opts *ListTokensOptions) (*Page[*Token], error) {
	if err := checkID("applicationID", applicationID); err != nil {
		return nil, err
	}
	return list[*Token](ctx, s.client, &call{path: segs("applications", applicationID, "tokens")},
		opts, maxTokensPageSize, "tokens")
}

// All iterates over every token issued by an application with
// [TokensService.List], fetching pages as the loop needs them. opts is not
// modified.
func (s *TokensService) All(ctx context.Context, applicationID string, opts *ListTokensOptions) iter.Seq2[*Token, error] {
	return all(ctx, opts, func(ctx context.Context, o *ListTokensOptions) (*Page[*Token], error) {
		return s.List(ctx, applicationID, o)
	})
}

func (o *ListTokensOptions) paging() (int, int, *string) { return o.PageSize, 0, &o.PageToken }

// Revoke revokes a token of an application by its ID (the JWT "jti").
// The API answers 200 with an empty body.
//
// API: DELETE /v1/tenants/{tenant_id}/realms/{realm_id}/applications/{application_id}/tokens/{token_id} (RevokeToken)
func (s *TokensService) Revoke(ctx context.Context, applicationID, tokenID string) error {
	if err := checkID("applicationID", applicationID); err != nil {
		return err
	}
	if err := checkID("tokenID", tokenID); err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, path: segs("applications", applicationID, "tokens", tokenID), idempotent: true}, nil)
}

// TokenIntrospection is the RFC 7662 answer of TokensService.Introspect. An
// inactive (expired, revoked or unknown) token has Active false and nothing
// else set.
type TokenIntrospection struct {
	// Active reports whether the token is valid now.
	Active bool `json:"active"`
	// Scope is the token's space-separated scopes.
	Scope string `json:"scope,omitempty"`
	// ClientID is the OAuth client the token was issued to.
	ClientID string `json:"client_id,omitempty"`
	// Username is the resource owner's name, for tokens issued to a user.
	Username string `json:"username,omitempty"`
	// TokenType is the kind of token, such as "Bearer".
	TokenType string `json:"token_type,omitempty"`
	// ExpiresAt, IssuedAt and NotBefore are the token's "exp", "iat" and
	// "nbf" claims (Unix seconds on the wire; their raw values stay in
	// Claims), the zero time when absent.
	ExpiresAt time.Time `json:"-"`
	IssuedAt  time.Time `json:"-"`
	NotBefore time.Time `json:"-"`
	// Sub is the token's subject.
	Sub string `json:"sub,omitempty"`
	// Aud is the token's audience.
	Aud Audience `json:"aud,omitempty"`
	// Iss is the token's issuer: the auth host URL of the issuing application.
	Iss string `json:"iss,omitempty"`
	// Jti is the token's ID, the ID TokensService.List and Revoke use.
	Jti string `json:"jti,omitempty"`
	// Claims holds every member of the answer, including the Beyond Identity
	// claims (bi_t, bi_r, bi_p, ...), as raw JSON.
	Claims map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the known members and keeps all of them in Claims.
func (t *TokenIntrospection) UnmarshalJSON(b []byte) error {
	type plain TokenIntrospection
	w := struct {
		*plain
		Exp int64 `json:"exp"`
		Iat int64 `json:"iat"`
		Nbf int64 `json:"nbf"`
	}{plain: (*plain)(t)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	t.ExpiresAt, t.IssuedAt, t.NotBefore = unixTime(w.Exp), unixTime(w.Iat), unixTime(w.Nbf)
	return json.Unmarshal(b, &t.Claims)
}

// Audience is a JWT "aud" claim, which may be one string or an array.
type Audience []string

// UnmarshalJSON accepts a string, an array of strings or null (no
// audience).
func (a *Audience) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*a = nil
		return nil
	}
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*a = Audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*a = many
	return nil
}

// Introspect asks the auth host whether token is active (RFC 7662), using
// the client's own token for authorization (scope tokens:introspect). The
// realm is the client's realm: the realm of the application that issued
// the token.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/introspect (auth host, not in the spec)
func (s *TokensService) Introspect(ctx context.Context, token string) (*TokenIntrospection, error) {
	if err := checkToken("token", token); err != nil {
		return nil, err
	}
	return fetch[TokenIntrospection](ctx, s.client, &call{method: http.MethodPost, authHost: true, path: segs("introspect"),
		form: url.Values{"token": {token}}, idempotent: true})
}
