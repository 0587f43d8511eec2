package fakeapi

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Email is a message the fake "sent": the binding link of an EMAIL job.
type Email struct {
	To         string
	Subject    string
	Link       string // the :invokeAuthenticator link
	TenantID   string
	RealmID    string
	IdentityID string
	JobID      string
	BatchID    string
	SentAt     time.Time
}

// Outbox returns the emails sent so far, oldest first.
func (e *Engine) Outbox() []Email {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.outbox)
}

// Errors of CompleteBinding.
var (
	// ErrInvalidLink: the link is not a binding link of this server, or its
	// job or token is unknown.
	ErrInvalidLink = errors.New("not a valid binding link of this server")
	// ErrJobNotPending: the job is complete, expired, revoked or failed.
	ErrJobNotPending = errors.New("the binding job is not pending")
	// ErrIdentitySuspended: a suspended identity cannot bind a passkey.
	ErrIdentitySuspended = errors.New("the identity is suspended")
)

// bindURL is where an EMAIL job's link redirects: the Invoke URL's /bind
// route with everything the Embedded SDK needs.
func (e *Engine) bindURL(j *job) string {
	base := j.invokeURL
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	q := url.Values{
		"api_base_url": {e.origin},
		"tenant_id":    {e.tenantID},
		"realm_id":     {j.realmID},
		"identity_id":  {j.identityID},
		"job_id":       {j.id},
		"token":        {j.token},
	}
	return base + "bind?" + q.Encode()
}

// openLink serves GET on a binding link (auth host): the identity opened
// it. The job moves to LINK_OPENED; an EMAIL job bound for an embedded
// config is redirected (302) to {invoke_url}/bind?...; other jobs get a
// small JSON description (the Embedded SDK fetches RETURN links itself).
func (e *Engine) openLink(c *call) {
	j := e.linkJob(c.tenant, c.path.realm, c.params[0], c.params[1], c.query.Get("token"))
	if j == nil {
		writeError(c.w, http.StatusNotFound, "credential binding link not found")
		return
	}
	j.refresh(c.now)
	if !pendingState(j.state) {
		writeError(c.w, http.StatusGone, "credential binding link is no longer valid: the job is "+j.state)
		return
	}
	if j.state == StateLinkSent {
		j.state, j.updated = StateLinkOpened, c.now
	}
	if j.delivery == "EMAIL" && j.invokeURL != "" {
		c.w.Header().Set("Cache-Control", "no-store")
		http.Redirect(c.w, c.r, e.bindURL(j), http.StatusFound)
		return
	}
	writeJSON(c.w, http.StatusOK, struct {
		JobID       string `json:"credential_binding_job_id"`
		IdentityID  string `json:"identity_id"`
		RealmID     string `json:"realm_id"`
		TenantID    string `json:"tenant_id"`
		State       string `json:"state"`
		RedirectURI string `json:"post_binding_redirect_uri,omitempty"`
	}{j.id, j.identityID, j.realmID, e.tenantID, j.state, j.redirectURI})
}

// linkJob finds the job a link names and checks its token. Call with e.mu
// held.
func (e *Engine) linkJob(tenant, realmID, identityID, jobID, token string) *job {
	if tenant != e.tenantID {
		return nil
	}
	rl := e.realms[realmID]
	if rl == nil {
		return nil
	}
	j := rl.jobBy[jobID]
	if j == nil || j.identityID != identityID || token == "" ||
		subtle.ConstantTimeCompare([]byte(token), []byte(j.token)) != 1 {
		return nil
	}
	return j
}

// Binding is the result of a simulated passkey binding.
type Binding struct {
	TenantID               string
	RealmID                string
	IdentityID             string
	JobID                  string
	CredentialID           string
	PostBindingRedirectURI string
	// PrivateKey is the passkey's private key, which a real device keeps.
	PrivateKey *ecdsa.PrivateKey
}

type linkParts struct {
	tenant, realm, identity, job, token string
}

// parseLink accepts both shapes of a binding link: the
// …/credential-binding-jobs/{job}:invokeAuthenticator?token=… link on this
// origin, and the {invoke_url}/bind?api_base_url=…&… redirect whose
// api_base_url is this origin.
func (e *Engine) parseLink(link string) (linkParts, error) {
	u, err := url.Parse(link)
	if err != nil || u.Scheme == "" {
		return linkParts{}, fmt.Errorf("%w: not an absolute URL", ErrInvalidLink)
	}
	origin := e.Origin()
	q := u.Query()
	if strings.HasSuffix(u.EscapedPath(), ":invokeAuthenticator") {
		if u.Scheme+"://"+u.Host != origin {
			return linkParts{}, fmt.Errorf("%w: the link is for %s, not %s", ErrInvalidLink, u.Scheme+"://"+u.Host, origin)
		}
		p, ok := parsePath(u.EscapedPath())
		if !ok || p.custom != "invokeAuthenticator" || len(p.rest) != 4 || p.rest[0] != "identities" || p.rest[2] != "credential-binding-jobs" {
			return linkParts{}, fmt.Errorf("%w: unexpected path", ErrInvalidLink)
		}
		return linkParts{p.tenant, p.realm, p.rest[1], p.rest[3], q.Get("token")}, nil
	}
	if strings.HasSuffix(u.Path, "/bind") || u.Host == "bind" {
		if strings.TrimRight(q.Get("api_base_url"), "/") != origin {
			return linkParts{}, fmt.Errorf("%w: api_base_url %q is not %s", ErrInvalidLink, q.Get("api_base_url"), origin)
		}
		lp := linkParts{q.Get("tenant_id"), q.Get("realm_id"), q.Get("identity_id"), q.Get("job_id"), q.Get("token")}
		if lp.tenant == "" || lp.realm == "" || lp.identity == "" || lp.job == "" || lp.token == "" {
			return linkParts{}, fmt.Errorf("%w: a parameter of the /bind URL is missing", ErrInvalidLink)
		}
		return lp, nil
	}
	return linkParts{}, fmt.Errorf("%w: neither an :invokeAuthenticator link nor a /bind URL", ErrInvalidLink)
}

// CompleteBinding plays the device's part for a binding link of either
// shape: it creates an ACTIVE credential with a new P-256 key and completes
// the job.
func (e *Engine) CompleteBinding(ctx context.Context, link string) (*Binding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lp, err := e.parseLink(link)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	jwk, thumb, err := publicJWK(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	j := e.linkJob(lp.tenant, lp.realm, lp.identity, lp.job, lp.token)
	if j == nil {
		return nil, fmt.Errorf("%w: unknown job or wrong token", ErrInvalidLink)
	}
	now := time.Now()
	j.refresh(now)
	if !pendingState(j.state) {
		return nil, fmt.Errorf("%w: it is %s", ErrJobNotPending, j.state)
	}
	rl := e.realms[j.realmID]
	i := rl.identityBy[j.identityID]
	if i.status == "suspended" {
		return nil, ErrIdentitySuspended
	}
	cr := &credential{
		id: e.newID(), identityID: i.id, realmID: rl.id, state: "ACTIVE", csrType: "JWT",
		jwkJSON: jwk, thumbprint: thumb, created: now, updated: now,
	}
	rl.addCredential(i, cr)
	j.state, j.credID, j.updated = StateComplete, cr.id, now
	return &Binding{
		TenantID: e.tenantID, RealmID: rl.id, IdentityID: i.id, JobID: j.id, CredentialID: cr.id,
		PostBindingRedirectURI: j.redirectURI, PrivateKey: key,
	}, nil
}

// publicJWK returns the RFC 7517 JWK of an EC P-256 public key, with its
// members in the lexicographic order RFC 7638 hashes, and its RFC 7638
// thumbprint. The thumbprint is base64url with padding, as in the API's
// examples.
func publicJWK(pub *ecdsa.PublicKey) (jwk, thumbprint string, err error) {
	ek, err := pub.ECDH()
	if err != nil {
		return "", "", err
	}
	pt := ek.Bytes() // 0x04 || X || Y
	if len(pt) != 65 {
		return "", "", errors.New("unexpected P-256 point length")
	}
	jwk = `{"crv":"P-256","kty":"EC","x":"` + b64.EncodeToString(pt[1:33]) + `","y":"` + b64.EncodeToString(pt[33:]) + `"}`
	sum := sha256.Sum256([]byte(jwk))
	return jwk, base64.URLEncoding.EncodeToString(sum[:]), nil
}

// SetJobState sets a binding job's state, for tests of code that waits on
// jobs. COMPLETE is refused: use CompleteBinding, which also creates the
// credential. EXPIRED also moves the job's expire_time to now if it was
// later; a pending state on an expired job moves it 7 days ahead.
func (e *Engine) SetJobState(jobID, state string) error {
	if !slices.Contains(JobStates, state) {
		return fmt.Errorf("unknown binding job state %q", state)
	}
	if state == StateComplete {
		return errors.New("set COMPLETE with CompleteBinding")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := time.Now()
	for _, rl := range e.realms {
		j := rl.jobBy[jobID]
		if j == nil {
			continue
		}
		j.state, j.updated = state, now
		switch {
		case state == StateExpired && j.expires.After(now):
			j.expires = now
		case pendingState(state) && !now.Before(j.expires):
			j.expires = now.Add(BindingLinkLifetime)
		}
		return nil
	}
	return fmt.Errorf("no binding job %q", jobID)
}
