package fakeapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ManagementScopes are the scopes the seeded Management API application
// may grant: every scope of the operations the fake serves, plus
// tokens:introspect.
var ManagementScopes = []string{
	"identities:create", "identities:read", "identities:update", "identities:delete",
	"credential-binding-jobs:create", "credential-binding-jobs:read", "credential-binding-jobs:revoke",
	"credentials:read", "credentials:revoke",
	"authenticator-configs:create", "authenticator-configs:read", "authenticator-configs:update", "authenticator-configs:delete",
	"tokens:read", "tokens:delete", "tokens:introspect",
	"tenants:read", "tenants:update",
	"realms:create", "realms:read", "realms:update", "realms:delete",
	"groups:create", "groups:read", "groups:update", "groups:delete",
	"roles:create", "roles:read", "roles:update", "roles:delete",
	"resource-servers:create", "resource-servers:read", "resource-servers:update", "resource-servers:delete",
	"applications:create", "applications:read", "applications:update", "applications:delete",
	"themes:create", "themes:read", "themes:update",
	"sso-configs:create", "sso-configs:read", "sso-configs:update", "sso-configs:delete",
	"flow-type:read", "flow-type:create", "flow-type:update",
	"scim:users:create", "scim:users:read", "scim:users:update", "scim:users:delete",
	"scim:groups:create", "scim:groups:read", "scim:groups:update", "scim:groups:delete",
}

// application is an application of a realm: its API document and what the
// token endpoint needs, derived from it (see syncApp).
type application struct {
	id          string
	realmID     string
	managed     bool
	doc         appDoc
	displayName string
	clientID    string
	secret      string // "" for a public client
	scopes      []string
	maxLifetime time.Duration
	// clientCredentials: a confidential client allowed the client
	// credentials grant.
	clientCredentials bool
	// audience of its tokens: its resource server's identifier, or its
	// client ID without one.
	audience string
	tokens   []*tokenRecord
}

type tokenRecord struct {
	jti         string
	appID       string
	realmID     string // of the application
	displayName string
	scopes      []string
	suffix      string
	issued      time.Time
	expires     time.Time
	revoked     bool
	claims      jwtClaims
}

func (t *tokenRecord) hasScope(s string) bool { return slices.Contains(t.scopes, s) }

// managementAPI reports whether the token is for the Management API: its
// audience is the Management API's resource server (an application of
// another resource server gets tokens for that one).
func (t *tokenRecord) managementAPI() bool { return slices.Contains(t.claims.Aud, ManagementAudience) }

func (t *tokenRecord) active(now time.Time) bool {
	return !t.revoked && now.Before(t.expires) && !now.Before(t.issued.Truncate(time.Second))
}

// jwtClaims are the claims of the fake's access tokens, named as on real
// Management API tokens.
type jwtClaims struct {
	Iss   string   `json:"iss"`
	Sub   string   `json:"sub"`
	Aud   []string `json:"aud"`
	Exp   int64    `json:"exp"`
	Iat   int64    `json:"iat"`
	Nbf   int64    `json:"nbf"`
	Jti   string   `json:"jti"`
	Scope string   `json:"scope"`
	Azp   string   `json:"azp"`
	BiT   string   `json:"bi_t"`
	BiR   string   `json:"bi_r"`
	BiP   string   `json:"bi_p"`
	BiTy  string   `json:"bi_ty"`
}

var b64 = base64.RawURLEncoding

// issue mints a token for app. Call with e.mu held.
func (e *Engine) issue(app *application, scopes []string, lifetime time.Duration, displayName string, now time.Time) (string, *tokenRecord) {
	jti := secretString(32)
	principal := "tenants/" + e.tenantID + "/realms/" + app.realmID + "/applications/" + app.id
	cl := jwtClaims{
		Iss:   e.origin + "/v1/" + principal,
		Sub:   app.id,
		Aud:   []string{app.audience},
		Iat:   now.Unix(),
		Nbf:   now.Unix(),
		Exp:   now.Add(lifetime).Unix(),
		Jti:   jti,
		Scope: strings.Join(scopes, " "),
		Azp:   principal,
		BiT:   e.tenantID,
		BiR:   "*",
		BiP:   principal,
		BiTy:  "client_credentials",
	}
	header, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT", "kid": "beyondidentitytest"})
	payload, _ := json.Marshal(cl)
	signing := b64.EncodeToString(header) + "." + b64.EncodeToString(payload)
	tok := signing + "." + b64.EncodeToString(e.sign(signing))
	rec := &tokenRecord{
		jti: jti, appID: app.id, realmID: app.realmID, displayName: displayName,
		scopes: append([]string(nil), scopes...), suffix: tok[len(tok)-11:],
		issued: now, expires: now.Add(lifetime), claims: cl,
	}
	e.tokens[jti] = rec
	app.tokens = append(app.tokens, rec)
	return tok, rec
}

func (e *Engine) sign(s string) []byte {
	m := hmac.New(sha256.New, e.signKey)
	m.Write([]byte(s))
	return m.Sum(nil)
}

// lookupToken verifies a token's signature and returns its record, nil when
// the token is malformed, forged or unknown. It does not check expiry.
func (e *Engine) lookupToken(tok string) *tokenRecord {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, e.sign(parts[0]+"."+parts[1])) {
		return nil
	}
	payload, err := b64.DecodeString(parts[1])
	if err != nil {
		return nil
	}
	var cl jwtClaims
	if json.Unmarshal(payload, &cl) != nil {
		return nil
	}
	return e.tokens[cl.Jti]
}

// bearer returns the active token of an API call, nil when it is missing,
// malformed, unknown, expired or revoked.
func (e *Engine) bearer(c *call) *tokenRecord {
	tok, ok := bearerToken(c.r)
	if !ok {
		return nil
	}
	rec := e.lookupToken(tok)
	if rec == nil || !rec.active(c.now) {
		return nil
	}
	return rec
}

func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// IssueToken mints an access token for the seeded application, as the Admin
// Console's "Create token" does. No scopes means all of the application's.
func (e *Engine) IssueToken(displayName string, scopes []string, lifetime time.Duration) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	app := e.apps[e.appID]
	for _, s := range scopes {
		if !slices.Contains(app.scopes, s) {
			return "", errors.New("fakeapi: scope " + strconv.Quote(s) + " is not allowed for the application")
		}
	}
	if len(scopes) == 0 {
		scopes = app.scopes
	}
	if lifetime <= 0 {
		lifetime = app.maxLifetime
	}
	tok, _ := e.issue(app, scopes, lifetime, displayName, time.Now())
	return tok, nil
}

// ---- auth host: token endpoint ----

// readForm parses an application/x-www-form-urlencoded body.
func readForm(r *http.Request, body []byte) (url.Values, bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, false
	}
	v, err := url.ParseQuery(string(body))
	return v, err == nil
}

// clientAuth reads the client credentials of a request: HTTP Basic, whose
// user and password are form-urlencoded before base64 (RFC 6749 §2.3.1), or
// client_id and client_secret in the form (client_secret_post). Using both
// is an error.
func clientAuth(r *http.Request, form url.Values) (id, secret string, present bool, err error) {
	h := r.Header.Get("Authorization")
	scheme, rest, _ := strings.Cut(h, " ")
	basic := strings.EqualFold(scheme, "Basic")
	formID, formSecret := form.Get("client_id"), form.Get("client_secret")
	if basic && formSecret != "" {
		return "", "", true, errors.New("use only one client authentication method")
	}
	if basic {
		// Malformed credentials authenticate nobody: the caller answers
		// 401 invalid_client for the empty ID.
		raw, derr := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
		if derr != nil {
			return "", "", true, nil
		}
		u, p, ok := strings.Cut(string(raw), ":")
		if !ok {
			return "", "", true, nil
		}
		id, err1 := url.QueryUnescape(u)
		secret, err2 := url.QueryUnescape(p)
		if err1 != nil || err2 != nil {
			return "", "", true, nil
		}
		return id, secret, true, nil
	}
	if formID != "" || formSecret != "" {
		return formID, formSecret, true, nil
	}
	return "", "", false, nil
}

func (app *application) authenticates(id, secret string) bool {
	// A public client has no secret and authenticates nowhere.
	return app.secret != "" &&
		subtle.ConstantTimeCompare([]byte(id), []byte(app.clientID)) == 1 &&
		subtle.ConstantTimeCompare([]byte(secret), []byte(app.secret)) == 1
}

// appAt returns the application of a token or revoke endpoint path, nil if
// the tenant, realm or application do not match.
func (e *Engine) appAt(c *call) *application {
	app := e.apps[c.params[0]]
	if app == nil || c.tenant != e.tenantID || app.realmID != c.path.realm {
		return nil
	}
	return app
}

func (e *Engine) tokenEndpoint(c *call) {
	form, ok := readForm(c.r, c.body)
	if !ok {
		oauthError(c.w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	id, secret, present, err := clientAuth(c.r, form)
	if err != nil {
		oauthError(c.w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	app := e.appAt(c)
	if !present || app == nil || !app.authenticates(id, secret) {
		oauthError(c.w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	switch gt := form.Get("grant_type"); gt {
	case "client_credentials":
		if !app.clientCredentials {
			oauthError(c.w, http.StatusBadRequest, "unauthorized_client", "the client is not allowed the client_credentials grant")
			return
		}
	case "":
		oauthError(c.w, http.StatusBadRequest, "invalid_request", "grant_type is required")
		return
	default:
		oauthError(c.w, http.StatusBadRequest, "unsupported_grant_type", "grant_type "+strconv.Quote(gt)+" is not supported")
		return
	}
	scopes := app.scopes
	if s := strings.Fields(form.Get("scope")); len(s) > 0 {
		for _, sc := range s {
			if !slices.Contains(app.scopes, sc) {
				oauthError(c.w, http.StatusBadRequest, "invalid_scope", "scope "+strconv.Quote(sc)+" is not allowed for this application")
				return
			}
		}
		scopes = s
	}
	lifetime := app.maxLifetime
	if v := form.Get("expiration_time"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			oauthError(c.w, http.StatusBadRequest, "invalid_request", "expiration_time must be a positive number of seconds")
			return
		}
		if time.Duration(n)*time.Second > app.maxLifetime {
			oauthError(c.w, http.StatusBadRequest, "invalid_request", "expiration_time exceeds the application's token lifetime")
			return
		}
		lifetime = time.Duration(n) * time.Second
	}
	tok, _ := e.issue(app, scopes, lifetime, "", c.now)
	c.w.Header().Set("Cache-Control", "no-store")
	c.w.Header().Set("Pragma", "no-cache")
	writeJSON(c.w, http.StatusOK, struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
		Scope       string `json:"scope"`
	}{tok, "Bearer", int64(lifetime / time.Second), strings.Join(scopes, " ")})
}

// revokeEndpoint is the RFC 7009 revocation endpoint of an application. It
// answers 200 with an empty body for any token, valid or not.
func (e *Engine) revokeEndpoint(c *call) {
	form, ok := readForm(c.r, c.body)
	if !ok {
		oauthError(c.w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	app := e.appAt(c)
	if app == nil {
		oauthError(c.w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	if !e.authHostAuth(c, form, app.realmID, "tokens:delete") {
		return
	}
	if rec := e.lookupToken(form.Get("token")); rec != nil && rec.appID == app.id {
		rec.revoked = true
	}
	writeEmpty(c.w)
}

// authHostAuth authenticates a call to the auth host: Basic (or form)
// credentials of an application of realmID, or a bearer token with scope.
func (e *Engine) authHostAuth(c *call, form url.Values, realmID, scope string) bool {
	if tok, ok := bearerToken(c.r); ok {
		rec := e.lookupToken(tok)
		if rec == nil || !rec.active(c.now) || c.tenant != e.tenantID {
			c.w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			oauthError(c.w, http.StatusUnauthorized, "invalid_token", "the access token is invalid")
			return false
		}
		if !rec.hasScope(scope) {
			oauthError(c.w, http.StatusForbidden, "insufficient_scope", "the access token lacks the scope "+scope)
			return false
		}
		return true
	}
	id, secret, present, err := clientAuth(c.r, form)
	if err != nil {
		oauthError(c.w, http.StatusBadRequest, "invalid_request", err.Error())
		return false
	}
	if present && c.tenant == e.tenantID {
		for _, app := range e.apps {
			if app.realmID == realmID && app.authenticates(id, secret) {
				return true
			}
		}
	}
	oauthError(c.w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
	return false
}

// introspectEndpoint is RFC 7662 introspection for the tokens issued in a
// realm.
func (e *Engine) introspectEndpoint(c *call) {
	form, ok := readForm(c.r, c.body)
	if !ok {
		oauthError(c.w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	if !e.authHostAuth(c, form, c.path.realm, "tokens:introspect") {
		return
	}
	tok := form.Get("token")
	if tok == "" {
		oauthError(c.w, http.StatusBadRequest, "invalid_request", "token is required")
		return
	}
	rec := e.lookupToken(tok)
	if rec == nil || !rec.active(c.now) || rec.realmID != c.path.realm {
		writeJSON(c.w, http.StatusOK, map[string]bool{"active": false})
		return
	}
	app := e.apps[rec.appID]
	cl := rec.claims
	writeJSON(c.w, http.StatusOK, struct {
		Active    bool   `json:"active"`
		ClientID  string `json:"client_id"`
		TokenType string `json:"token_type"`
		jwtClaims
	}{true, app.clientID, "Bearer", cl})
}

// ---- API host: ListTokens and RevokeToken ----

type tokenJSON struct {
	ID          string   `json:"id"`
	DisplayName string   `json:"display_name,omitempty"`
	Scopes      []string `json:"scopes"`
	TokenSuffix string   `json:"token_suffix"`
	TokenFormat string   `json:"token_format"`
	Expires     int64    `json:"expires"`
	IssuedAt    int64    `json:"issued_at"`
	TokenType   string   `json:"token_type"`
}

func (e *Engine) appInRealm(c *call) *application {
	app := e.apps[c.params[0]]
	if app == nil || app.realmID != c.realm.id {
		notFound(c.w, "Application", c.params[0], "application")
		return nil
	}
	return app
}

func (e *Engine) listTokens(c *call) {
	app := e.appInRealm(c)
	if app == nil {
		return
	}
	pt, pid := c.query.Get("principal_type"), c.query.Get("principal_id")
	if pt != "" && pt != "application" && pt != "identity" {
		invalidParam(c.w, "principal_type", "must be application or identity")
		return
	}
	pg, ok := e.parsePage(c, "tokens/"+app.id+"?"+pt+"&"+pid, 100, 100)
	if !ok {
		return
	}
	if pg.filter != "" {
		invalidParam(c.w, "filter", "unsupported filter")
		return
	}
	var items []*tokenRecord
	for _, t := range app.tokens {
		if !t.active(c.now) {
			continue
		}
		// Every token the fake issues has the application as its principal.
		if pt == "identity" || (pid != "" && pid != app.id) {
			continue
		}
		items = append(items, t)
	}
	page, next := paginate(e, pg, items)
	out := make([]tokenJSON, 0, len(page))
	for _, t := range page {
		out = append(out, tokenJSON{
			ID: t.jti, DisplayName: t.displayName, Scopes: t.scopes, TokenSuffix: t.suffix,
			TokenFormat: "self_contained", Expires: t.expires.Unix(), IssuedAt: t.issued.Unix(), TokenType: "access",
		})
	}
	writeJSON(c.w, http.StatusOK, struct {
		Tokens        []tokenJSON `json:"tokens"`
		TotalSize     int         `json:"total_size"`
		NextPageToken string      `json:"next_page_token,omitempty"`
	}{out, len(items), next})
}

func (e *Engine) revokeTokenByID(c *call) {
	app := e.appInRealm(c)
	if app == nil {
		return
	}
	rec := e.tokens[c.params[1]]
	if rec == nil || rec.appID != app.id {
		notFound(c.w, "Token", c.params[1], "token")
		return
	}
	rec.revoked = true
	writeEmpty(c.w)
}
