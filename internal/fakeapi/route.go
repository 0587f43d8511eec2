package fakeapi

import (
	"bytes"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// call is one request being served. Handlers run with Engine.mu held.
type call struct {
	e      *Engine
	w      http.ResponseWriter
	r      *http.Request
	body   []byte
	query  url.Values
	now    time.Time
	tenant string
	realm  *realm // set before API handlers run
	path   parsedPath
	params []string
	token  *tokenRecord // the bearer token of API calls
	scim   bool         // a SCIM path: SCIM error shapes and media type
}

// parsedPath is /v1/tenants/{tenant}[/{rest...}][:custom], with every
// segment unescaped. Paths below a realm, /v1/tenants/{tenant}/realms/
// {realm}/{rest...}, have inRealm set and rest relative to the realm; the
// others (the tenant, the realms collection and one realm) have rest
// relative to the tenant. A ':' counts as a custom method separator only
// when it appears literally in the last segment; an escaped %3A is part of
// the segment.
type parsedPath struct {
	tenant, realm string
	inRealm       bool
	rest          []string
	custom        string
}

func parsePath(escaped string) (parsedPath, bool) {
	segs := strings.Split(escaped, "/")
	if len(segs) < 4 || segs[0] != "" || segs[1] != "v1" || segs[2] != "tenants" {
		return parsedPath{}, false
	}
	var p parsedPath
	last := len(segs) - 1
	if i := strings.IndexByte(segs[last], ':'); i >= 0 {
		p.custom = segs[last][i+1:]
		segs[last] = segs[last][:i]
	}
	out := make([]string, 0, len(segs)-1)
	for _, s := range segs[1:] {
		u, err := url.PathUnescape(s)
		if err != nil {
			return parsedPath{}, false
		}
		out = append(out, u)
	}
	// out is v1, tenants, {tenant}, ...
	p.tenant = out[2]
	if p.tenant == "" {
		return parsedPath{}, false
	}
	if len(out) >= 6 && out[3] == "realms" {
		p.inRealm, p.realm, p.rest = true, out[4], out[5:]
	} else {
		p.rest = out[3:]
	}
	return p, true
}

type routeDef struct {
	method  string
	pattern []string // "*" matches one non-empty segment
	custom  string
	// scope lists the scopes a bearer token needs, separated by spaces
	// (all of them: the spec's security requirement lists them in one
	// object); noScope marks an operation that needs a bearer token and
	// no scope; "" marks an auth host route that authenticates on its own.
	scope  string
	handle func(*call)
}

// noScope is the scope of the operations whose security is the spec's
// global requirement, BearerAuth with no scope: any Management API token
// of the tenant may call them.
const noScope = "-"

// correlated reports whether the route is one of the SSO config and
// identity provider operations, whose answers carry an x-correlation-id
// header (errors included).
func (rt *routeDef) correlated() bool {
	return slices.Contains(rt.pattern, ssoConfigs) || slices.Contains(rt.pattern, "sso-configs-id") ||
		(len(rt.pattern) > 0 && rt.pattern[0] == identityProviders)
}

// scimPath reports whether a path is below a realm's scim/v2: its answers,
// errors included, are SCIM documents.
func scimPath(p parsedPath) bool {
	return p.inRealm && len(p.rest) >= 2 && p.rest[0] == "scim" && p.rest[1] == "v2"
}

func (rt *routeDef) match(p parsedPath) ([]string, bool) {
	if len(p.rest) != len(rt.pattern) || p.custom != rt.custom {
		return nil, false
	}
	var params []string
	for i, s := range rt.pattern {
		switch {
		case s == "*":
			if p.rest[i] == "" {
				return nil, false
			}
			params = append(params, p.rest[i])
		case s != p.rest[i]:
			return nil, false
		}
	}
	return params, true
}

// Path segments of the SSO config and identity provider collections.
const (
	ssoConfigs        = "sso-configs"
	identityProviders = "identity-providers"
)

// routes is the table of paths below a realm. Where two routes match a
// path, the first one wins (themes/active before themes/{theme_id}).
func (e *Engine) routes() []*routeDef {
	const (
		idn  = "identities"
		cbj  = "credential-binding-jobs"
		cred = "credentials"
		acfg = "authenticator-configs"
		bcbj = "batch-credential-binding-jobs"
		grp  = "groups"
		rs   = "resource-servers"
		role = "roles"
		apps = "applications"
		thm  = "themes"
		sso  = ssoConfigs
		idps = identityProviders
		ftc  = "flow-type-config"
		scim = "scim"
		v2   = "v2"
	)
	get, post, patch, put, del := http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete
	p := func(s ...string) []string { return s }
	return []*routeDef{
		// Identities.
		{post, p(idn), "", "identities:create", e.createIdentity},
		{get, p(idn), "", "identities:read", e.listIdentities},
		{post, p(idn), "batchDelete", "identities:delete", e.batchDeleteIdentities},
		{get, p(idn, "*"), "", "identities:read", e.getIdentity},
		{patch, p(idn, "*"), "", "identities:update", e.updateIdentity},
		{del, p(idn, "*"), "", "identities:delete", e.deleteIdentity},
		{get, p(idn, "*"), "listGroups", "identities:read groups:read", e.listIdentityGroups},
		{get, p(idn, "*"), "listRoles", "identities:read roles:read resource-servers:read", e.listIdentityRoles},
		// Credential binding jobs.
		{post, p(idn, "*", cbj), "", "credential-binding-jobs:create", e.createJob},
		{get, p(idn, "*", cbj), "", "credential-binding-jobs:read", e.listJobs},
		{get, p(idn, "*", cbj, "*"), "", "credential-binding-jobs:read", e.getJob},
		{post, p(idn, "*", cbj, "*"), "revoke", "credential-binding-jobs:revoke", e.revokeJob},
		{post, p(bcbj), "", "credential-binding-jobs:create", e.createBatch},
		{get, p(bcbj, "*"), "", "credential-binding-jobs:read", e.getBatch},
		{get, p(bcbj, "*"), "listResults", "credential-binding-jobs:read", e.listBatchResults},
		// Credentials.
		{get, p(idn, "*", cred), "", "credentials:read", e.listCredentials},
		{get, p(idn, "*", cred, "*"), "", "credentials:read", e.getCredential},
		{post, p(idn, "*", cred, "*"), "revoke", "credentials:revoke", e.revokeCredential},
		// Authenticator configs.
		{post, p(acfg), "", "authenticator-configs:create", e.createConfig},
		{get, p(acfg), "", "authenticator-configs:read", e.listConfigs},
		{get, p(acfg, "*"), "", "authenticator-configs:read", e.getConfig},
		{patch, p(acfg, "*"), "", "authenticator-configs:update", e.updateConfig},
		{del, p(acfg, "*"), "", "authenticator-configs:delete", e.deleteConfig},
		// Groups.
		{post, p(grp), "", "groups:create", e.createGroup},
		{get, p(grp), "", "groups:read", e.listGroups},
		{get, p(grp, "*"), "", "groups:read", e.getGroup},
		{patch, p(grp, "*"), "", "groups:update", e.updateGroup},
		{del, p(grp, "*"), "", "groups:delete", e.deleteGroup},
		{post, p(grp, "*"), "addMembers", "groups:update identities:read", e.addGroupMembers},
		{post, p(grp, "*"), "deleteMembers", "groups:update identities:read", e.deleteGroupMembers},
		{get, p(grp, "*"), "listMembers", "groups:read identities:read", e.listGroupMembers},
		{get, p(grp, "*"), "listRoles", "groups:read roles:read resource-servers:read", e.listGroupRoles},
		// Resource servers.
		{post, p(rs), "", "resource-servers:create", e.createResourceServer},
		{get, p(rs), "", "resource-servers:read", e.listResourceServers},
		{get, p(rs, "*"), "", "resource-servers:read", e.getResourceServer},
		{patch, p(rs, "*"), "", "resource-servers:update", e.updateResourceServer},
		{del, p(rs, "*"), "", "resource-servers:delete", e.deleteResourceServer},
		// Roles.
		{post, p(rs, "*", role), "", "roles:create", e.createRole},
		{get, p(rs, "*", role), "", "roles:read", e.listRoles},
		{get, p(rs, "*", role, "*"), "", "roles:read", e.getRole},
		{patch, p(rs, "*", role, "*"), "", "roles:update", e.updateRole},
		{del, p(rs, "*", role, "*"), "", "roles:delete", e.deleteRole},
		{post, p(rs, "*", role, "*"), "addMembers", "roles:update groups:read identities:read", e.addRoleMembers},
		{post, p(rs, "*", role, "*"), "deleteMembers", "roles:update identities:read groups:read", e.deleteRoleMembers},
		{get, p(rs, "*", role, "*"), "listMembers", "roles:read groups:read identities:read", e.listRoleMembers},
		{post, p(rs, "*", role, "*"), "addScopes", "roles:update resource-servers:read", e.addRoleScopes},
		{post, p(rs, "*", role, "*"), "deleteScopes", "roles:update resource-servers:read", e.deleteRoleScopes},
		{get, p(rs, "*", role, "*"), "listScopes", "roles:read resource-servers:read", e.listRoleScopes},
		// Applications.
		{post, p(apps), "", "applications:create", e.createApplication},
		{get, p(apps), "", "applications:read", e.listApplications},
		{get, p(apps, "*"), "", "applications:read", e.getApplication},
		{patch, p(apps, "*"), "", "applications:update", e.updateApplication},
		{del, p(apps, "*"), "", "applications:delete", e.deleteApplication},
		// Themes.
		{post, p(thm), "", "themes:create", e.createTheme},
		{get, p(thm, "active"), "", "themes:read", e.getActiveTheme},
		{get, p(thm, "*"), "", "themes:read", e.getTheme},
		{patch, p(thm, "*"), "", "themes:update", e.updateTheme},
		// Launch mechanisms (the spec's security scheme is DirectoryAuth,
		// which it never defines; it is taken as the bearer token).
		{get, p(ftc), "", "tenants:read realms:read flow-type:read flow-type:create", e.getFlowTypeConfig},
		{patch, p(ftc), "", "tenants:read realms:read flow-type:read flow-type:create flow-type:update", e.updateFlowTypeConfig},
		// Identity providers: the spec gives these operations no security
		// of their own, so the global one applies (a token, no scope).
		{get, p(idps), "", noScope, e.listIdentityProviders},
		{post, p(idps), "", noScope, e.createIdentityProvider},
		{get, p(idps, "*"), "", noScope, e.getIdentityProvider},
		{patch, p(idps, "*"), "", noScope, e.updateIdentityProvider},
		{del, p(idps, "*"), "", noScope, e.deleteIdentityProvider},
		// SSO configs. IdentityToSSOConfigCheck (GET identities/{id}/
		// sso-configs/{sso_config_id}/is-identity-assigned) and
		// SSOIsGroupAssigned (POST sso-configs/{id}/is-group-assigned)
		// answer 404 on the API's servers; the fake does not serve them
		// either. ListSsoConfigsForIdentity and ListGroupsForSSOConfig give
		// the same answers.
		{post, p(sso), "", "sso-configs:create", e.createSsoConfig},
		{get, p(sso), "", "sso-configs:read", e.listSsoConfigs},
		{get, p(sso, "*"), "", "sso-configs:read", e.getSsoConfig},
		{patch, p(sso, "*"), "", "sso-configs:update", e.updateSsoConfig},
		{del, p(sso, "*"), "", "sso-configs:delete", e.deleteSsoConfig},
		{post, p(sso, "*"), "addIdentities", "sso-configs:update", e.addSsoIdentities},
		{post, p(sso, "*"), "deleteIdentities", "sso-configs:update", e.deleteSsoIdentities},
		{get, p(sso, "*"), "listIdentityAssociations", "sso-configs:read identities:read groups:read", e.listSsoIdentities},
		{post, p(sso, "*"), "addGroups", "sso-configs:update", e.addSsoGroups},
		{post, p(sso, "*"), "deleteGroups", "sso-configs:update", e.deleteSsoGroups},
		{get, p(sso, "*"), "listGroupAssociations", "sso-configs:read groups:read", e.listSsoGroups},
		{get, p(idn, "*", sso), "", "sso-configs:read", e.listIdentitySsoConfigs},
		{get, p(grp, "*", sso), "", "sso-configs:read", e.listGroupSsoConfigs},
		{get, p(apps, "*", "sso-configs-id"), "", "sso-configs:read", e.applicationSsoConfigID},
		{post, p(sso, "*", "test"), "", "sso-configs:read", e.testSsoConfig},
		// SCIM 2.0. The spec's Groups collection path ends in a slash; the
		// path RFC 7644 §3.2 gives, without one, is served too, since SCIM
		// clients (identity providers provisioning the realm) build it.
		{post, p(scim, v2, "Users"), "", "scim:users:create", e.scimCreateUser},
		{get, p(scim, v2, "Users"), "", "scim:users:read", e.scimListUsers},
		{get, p(scim, v2, "Users", "*"), "", "scim:users:read", e.scimGetUser},
		{patch, p(scim, v2, "Users", "*"), "", "scim:users:update", e.scimUpdateUser},
		{put, p(scim, v2, "Users", "*"), "", "scim:users:update", e.scimReplaceUser},
		{del, p(scim, v2, "Users", "*"), "", "scim:users:delete", e.scimDeleteUser},
		{post, p(scim, v2, "Groups", ""), "", "scim:groups:create", e.scimCreateGroup},
		{get, p(scim, v2, "Groups", ""), "", "scim:groups:read", e.scimListGroups},
		{post, p(scim, v2, "Groups"), "", "scim:groups:create", e.scimCreateGroup},
		{get, p(scim, v2, "Groups"), "", "scim:groups:read", e.scimListGroups},
		{get, p(scim, v2, "Groups", "*"), "", "scim:groups:read", e.scimGetGroup},
		{patch, p(scim, v2, "Groups", "*"), "", "scim:groups:update", e.scimUpdateGroup},
		{del, p(scim, v2, "Groups", "*"), "", "scim:groups:delete", e.scimDeleteGroup},
		// The SCIM discovery operations declare no security of their own.
		{get, p(scim, v2, "ResourceTypes"), "", noScope, e.scimResourceTypes},
		{get, p(scim, v2, "Schemas"), "", noScope, e.scimSchemas},
		{get, p(scim, v2, "ServiceProviderConfig"), "", noScope, e.scimServiceProviderConfig},
		// Tokens (API host).
		{get, p(apps, "*", "tokens"), "", "tokens:read", e.listTokens},
		{del, p(apps, "*", "tokens", "*"), "", "tokens:delete", e.revokeTokenByID},
		// Auth host.
		{post, p(apps, "*", "token"), "", "", e.tokenEndpoint},
		{post, p(apps, "*", "revoke"), "", "", e.revokeEndpoint},
		{post, p("introspect"), "", "", e.introspectEndpoint},
		{get, p(idn, "*", cbj, "*"), "invokeAuthenticator", "", e.openLink},
	}
}

// tenantRoutes is the table of the tenant's own paths: the tenant, the
// realms collection and one realm (whose handlers find the realm
// themselves).
func (e *Engine) tenantRoutes() []*routeDef {
	get, post, patch, del := http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete
	p := func(s ...string) []string { return s }
	return []*routeDef{
		{get, p(), "", "tenants:read", e.getTenant},
		{patch, p(), "", "tenants:update", e.updateTenant},
		{post, p("realms"), "", "realms:create", e.createRealm},
		{get, p("realms"), "", "realms:read", e.listRealms},
		{get, p("realms", "*"), "", "realms:read", e.getRealm},
		{patch, p("realms", "*"), "", "realms:update", e.updateRealm},
		{del, p("realms", "*"), "", "realms:delete", e.deleteRealm},
	}
}

func (e *Engine) route(w http.ResponseWriter, r *http.Request, body []byte) {
	p, ok := parsePath(r.URL.EscapedPath())
	if !ok {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	var rt *routeDef
	var params []string
	var allowed []string
	table := e.tenantTable
	if p.inRealm {
		table = e.table
	}
	for _, cand := range table {
		ps, ok := cand.match(p)
		if !ok {
			continue
		}
		allowed = append(allowed, cand.method)
		if cand.method == r.Method && rt == nil {
			rt, params = cand, ps // the first route that matches wins
		}
	}
	scim := scimPath(p)
	if rt == nil {
		status, msg := http.StatusNotFound, "not found"
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			status, msg = http.StatusMethodNotAllowed, "method not allowed"
		}
		if scim {
			scimError(w, status, "", msg)
			return
		}
		writeError(w, status, msg)
		return
	}

	// Handlers run under the lock and write into a buffer, which is sent
	// once the lock is released, so a slow client holds up nobody.
	bw := &bufferedWriter{header: http.Header{}}
	if rt.correlated() {
		bw.header.Set("X-Correlation-Id", correlationID(r))
	}
	func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		c := &call{e: e, w: bw, r: r, body: body, query: r.URL.Query(), now: time.Now(), tenant: p.tenant, path: p, params: params, scim: scim}
		if rt.scope != "" && !e.authorize(c, rt.scope, p.inRealm) {
			return
		}
		if scim && !e.scimRateLimit(c) {
			return
		}
		rt.handle(c)
	}()
	bw.sendTo(w)
}

// bufferedWriter collects a response.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedWriter) sendTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}

// authorize checks the bearer token (401), the tenant and the scopes (403)
// and, for a path below a realm, finds the realm (404) of an API call.
func (e *Engine) authorize(c *call, scopes string, inRealm bool) bool {
	tok := e.bearer(c)
	if tok == nil {
		if c.scim {
			scimError(c.w, http.StatusUnauthorized, "unauthorized", "The authorization header is invalid or missing.")
		} else {
			unauthorized(c.w)
		}
		return false
	}
	c.token = tok
	ok := c.tenant == e.tenantID && tok.managementAPI()
	for _, s := range strings.Fields(scopes) {
		ok = ok && (s == noScope || tok.hasScope(s))
	}
	if !ok {
		if c.scim {
			scimError(c.w, http.StatusForbidden, "forbidden", "token is unauthorized.")
		} else {
			forbidden(c.w)
		}
		return false
	}
	if !inRealm {
		return true
	}
	return e.findRealm(c)
}

func (e *Engine) findRealm(c *call) bool {
	rl := e.realms[c.path.realm]
	if rl == nil || c.tenant != e.tenantID {
		if c.scim {
			scimNotFound(c.w, c.path.realm)
		} else {
			notFound(c.w, "Realm", c.path.realm, "realm")
		}
		return false
	}
	c.realm = rl
	return true
}

// correlationID returns the correlation ID of a request, or a new one: the
// SSO config and identity provider operations echo the one a client sends
// and generate one otherwise. The spec names the request header
// x-correlation_id (with an underscore) and the response header
// x-correlation-id; both spellings are read. A new ID is random, never
// drawn from the seeded generator, so that it leaves seeded IDs alone.
func correlationID(r *http.Request) string {
	for _, h := range []string{"X-Correlation-Id", "X-Correlation_id"} {
		if id := r.Header.Get(h); id != "" {
			return id
		}
	}
	return hex.EncodeToString(randomBytes(16))
}
