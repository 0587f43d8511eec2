package fakeapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// appDoc is an application as the API shows it. The protocol config is
// kept as raw members: the fake checks and fills in those it knows and
// keeps every other member as it was sent, so that a member the fake does
// not know (a newer field, a vendor extension) survives a create, a get and
// an update unchanged.
type appDoc struct {
	displayName      string
	resourceServerID string
	authConfigID     string
	protocol         object
}

func (d appDoc) clone() appDoc {
	d.protocol = maps.Clone(d.protocol)
	return d
}

// str returns the string member key of o, "" when absent or not a string.
func (o object) str(key string) string {
	var s string
	if raw, ok := o[key]; ok {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}

// strList returns the string array member key of o, nil when absent or
// malformed.
func (o object) strList(key string) []string {
	var s []string
	if raw, ok := o[key]; ok {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}

func rawString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

func rawJSON(v any) json.RawMessage {
	b, _ := marshal(v)
	return b
}

// applicationFields are the members of the Application schema; the
// read-only ones are accepted and ignored.
var applicationFields = []string{
	"id", "realm_id", "tenant_id", "resource_server_id", "authenticator_config_id",
	"display_name", "is_managed", "protocol_config",
}

// The protocol types CreateApplication takes: "At present, there are only
// two supported protocol types for applications, `oauth2` and `oidc`" (the
// operation's description; the schema's oneOf also lists a SAML config,
// which this sentence excludes).
var protocolTypes = []string{"oauth2", "oidc"}

// protocolServerSet are the protocol config members the server sets:
// client_id and client_secret are output-only, and the deprecated
// token_endpoint_auth_method is ignored in requests ("The API will ignore
// the value of this field in requests. In responses, confidential
// applications will always have `client_secret_basic` and public
// applications will always have `none`").
var protocolServerSet = []string{"client_id", "client_secret", "token_endpoint_auth_method"}

// readAppPatch applies the members of an application object of a create or
// update body to d. A protocol_config is merged member by member into the
// current one (a null member removes it), or replaces it when its type
// changes; the members the server sets are dropped. resource_server_id and
// authenticator_config_id are cleared by "" or null.
func readAppPatch(v *violations, d *appDoc, o object, create bool) {
	const key = "application"
	v.known(o, key, applicationFields...)
	if s, ok := v.str(o, "display_name", key); ok {
		if s == "" {
			v.add(key+".display_name", "empty string")
		}
		d.displayName = s
	} else if create && !o.has("display_name") {
		v.add(key+".display_name", "empty string")
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"resource_server_id", &d.resourceServerID}, {"authenticator_config_id", &d.authConfigID}} {
		if _, sent := o[f.name]; !sent {
			continue
		}
		s, _ := v.str(o, f.name, key)
		*f.dst = s
	}
	patch, ok := v.obj(o, "protocol_config", key)
	if !ok {
		if create && !o.has("protocol_config") {
			v.add(key+".protocol_config", "missing")
		}
		return
	}
	cur := d.protocol
	if cur == nil {
		cur = object{}
	}
	if t, ok := patch["type"]; ok && !isNull(t) && cur.str("type") != "" {
		var nt string
		if json.Unmarshal(t, &nt) == nil && nt != cur.str("type") {
			// A new protocol: the old members do not carry over, the
			// application's credentials do.
			next := object{}
			for _, k := range protocolServerSet {
				if raw, ok := cur[k]; ok {
					next[k] = raw
				}
			}
			cur = next
		}
	}
	for k, raw := range patch {
		switch {
		case slices.Contains(protocolServerSet, k):
		case isNull(raw):
			delete(cur, k)
		default:
			cur[k] = append(json.RawMessage(nil), raw...)
		}
	}
	d.protocol = cur
}

// checkProtocol validates the members of a protocol config the fake knows
// and fills in the defaults the spec documents: pkce "disabled", token_format
// "self_contained", and in a token_configuration token_signing_algorithm
// "RS256" and subject_field "id".
//
// confidentiality declares no default. An application without one is taken
// as confidential: a public client must enable PKCE (PkceConfig: "public
// OIDC and OAuth2 configured applications MUST enable PKCE support"), while
// PKCE defaults to disabled, so only confidential makes a config that sets
// neither valid.
func checkProtocol(v *violations, p object) {
	const path = "application.protocol_config"
	enum := func(key string, allowed ...string) string {
		s, ok := v.str(p, key, path)
		if ok && !slices.Contains(allowed, s) {
			v.add(join(path, key), "must be one of "+strings.Join(allowed, ", "))
		}
		return s
	}
	typ, ok := v.str(p, "type", path)
	switch {
	case !ok && !p.has("type"):
		v.add(path+".type", "missing")
	case ok && !slices.Contains(protocolTypes, typ):
		v.add(path+".type", "must be one of "+strings.Join(protocolTypes, ", "))
	}
	readScopes(v, p, "allowed_scopes", path)
	conf := enum("confidentiality", "confidential", "public")
	if conf == "" {
		conf = "confidential"
		p["confidentiality"] = rawString(conf)
	}
	if grants, ok := v.strs(p, "grant_type", path); ok {
		for i, g := range grants {
			if g != "authorization_code" && g != "client_credentials" {
				v.add(fmt.Sprintf("%s.grant_type[%d]", path, i), "must be one of authorization_code, client_credentials")
			}
		}
	}
	if uris, ok := v.strs(p, "redirect_uris", path); ok {
		for i, u := range uris {
			// RFC 6749 §3.1.2: the redirection endpoint URI MUST be an
			// absolute URI.
			if !checkAbsoluteURL(u) {
				v.add(fmt.Sprintf("%s.redirect_uris[%d]", path, i), "must be an absolute URL")
			}
		}
	}
	if tc, ok := v.obj(p, "token_configuration", path); ok {
		tp := path + ".token_configuration"
		if raw, ok := tc["expires_after"]; !ok || isNull(raw) {
			v.add(tp+".expires_after", "missing")
		} else if _, err := strconv.ParseUint(string(raw), 10, 32); err != nil {
			v.add(tp+".expires_after", "must be an integer from 0 to 4294967295")
		}
		if s, ok := v.str(tc, "token_signing_algorithm", tp); !ok {
			tc["token_signing_algorithm"] = rawString("RS256")
		} else if s != "RS256" {
			v.add(tp+".token_signing_algorithm", "must be RS256")
		}
		if s, ok := v.str(tc, "subject_field", tp); !ok {
			tc["subject_field"] = rawString("id")
		} else if !slices.Contains([]string{"id", "email", "username"}, s) {
			v.add(tp+".subject_field", "must be one of id, email, username")
		}
		p["token_configuration"] = rawJSON(tc)
	}
	pkce := enum("pkce", "disabled", "plain", "s256")
	if pkce == "" {
		pkce = "disabled"
		p["pkce"] = rawString(pkce)
	}
	if conf == "public" && pkce == "disabled" {
		v.add(path+".pkce", "a public application must enable PKCE (plain or s256)")
	}
	if enum("token_format", "self_contained", "referential") == "" {
		p["token_format"] = rawString("self_contained")
	}
}

// resolveApp checks what an application refers to: its resource server
// (404 when it is not one of the realm's) and the allowed scopes ("If this
// application references a resource server, this set of scopes must be a
// subset of the resource server's available scopes. If this application
// does not reference a resource server, then ... `scopes` must necessarily
// be empty"; 400), and its authenticator config (404).
func (e *Engine) resolveApp(c *call, d appDoc) (*resourceServer, bool) {
	var s *resourceServer
	if d.resourceServerID != "" {
		if s = c.realm.serverBy[d.resourceServerID]; s == nil {
			notFound(c.w, "ResourceServer", d.resourceServerID, "resource server")
			return nil, false
		}
	}
	if d.authConfigID != "" && c.realm.configBy[d.authConfigID] == nil {
		notFound(c.w, "AuthenticatorConfig", d.authConfigID, "authenticator config")
		return nil, false
	}
	var v violations
	scopes := d.protocol.strList("allowed_scopes")
	if s == nil && len(scopes) > 0 {
		v.add("application.protocol_config.allowed_scopes", "must be empty for an application without a resource server")
	}
	for _, sc := range scopes {
		if s != nil && !slices.Contains(s.scopes, sc) {
			v.add("application.protocol_config.allowed_scopes", "not a scope of the resource server: "+sc)
		}
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return nil, false
	}
	return s, true
}

// setCredentials sets what the server generates in the protocol config: the
// client ID (once), a client secret for a confidential application ("This
// field is present only when confidentiality is `confidential`"; kept
// while it stays confidential, dropped when it becomes public) and the
// token_endpoint_auth_method responses carry.
func (e *Engine) setCredentials(p object) {
	if p.str("client_id") == "" {
		p["client_id"] = rawString(e.randomString(24))
	}
	if p.str("confidentiality") == "public" {
		delete(p, "client_secret")
		p["token_endpoint_auth_method"] = rawString("none")
		return
	}
	if p.str("client_secret") == "" {
		p["client_secret"] = rawString(secretString(48))
	}
	p["token_endpoint_auth_method"] = rawString("client_secret_basic")
}

// syncApp updates what the token endpoint uses from the application's
// document: credentials, scopes, lifetime, grant and audience.
func (e *Engine) syncApp(app *application, s *resourceServer) {
	d := app.doc
	p := d.protocol
	app.displayName = d.displayName
	app.clientID = p.str("client_id")
	app.secret = p.str("client_secret")
	app.scopes = p.strList("allowed_scopes")
	app.maxLifetime = e.cfg.TokenLifetime
	if tc, ok := p["token_configuration"]; ok {
		var t struct {
			ExpiresAfter int64 `json:"expires_after"`
		}
		if json.Unmarshal(tc, &t) == nil && t.ExpiresAfter > 0 {
			app.maxLifetime = time.Duration(t.ExpiresAfter) * time.Second
		}
	}
	app.clientCredentials = p.str("confidentiality") == "confidential" && slices.Contains(p.strList("grant_type"), "client_credentials")
	app.audience = app.clientID
	if s != nil {
		app.audience = s.identifier
	}
}

type applicationJSON struct {
	ID                    string `json:"id"`
	RealmID               string `json:"realm_id"`
	TenantID              string `json:"tenant_id"`
	ResourceServerID      string `json:"resource_server_id,omitempty"`
	AuthenticatorConfigID string `json:"authenticator_config_id,omitempty"`
	DisplayName           string `json:"display_name"`
	IsManaged             bool   `json:"is_managed"`
	ProtocolConfig        object `json:"protocol_config"`
}

func (e *Engine) applicationJSON(app *application) applicationJSON {
	return applicationJSON{
		ID: app.id, RealmID: app.realmID, TenantID: e.tenantID, ResourceServerID: app.doc.resourceServerID,
		AuthenticatorConfigID: app.doc.authConfigID, DisplayName: app.doc.displayName, IsManaged: app.managed,
		ProtocolConfig: app.doc.protocol,
	}
}

// managementAppDoc describes the seeded Management API application: a
// confidential OAuth 2.0 client of the Management API resource server
// with the client credentials grant.
func (e *Engine) managementAppDoc(app *application) appDoc {
	p := object{
		"type":                       rawString("oauth2"),
		"allowed_scopes":             rawJSON(app.scopes),
		"client_id":                  rawString(app.clientID),
		"client_secret":              rawString(app.secret),
		"confidentiality":            rawString("confidential"),
		"token_endpoint_auth_method": rawString("client_secret_basic"),
		"grant_type":                 rawJSON([]string{"client_credentials"}),
		"token_configuration": rawJSON(map[string]any{
			"expires_after": int64(app.maxLifetime / time.Second), "token_signing_algorithm": "RS256", "subject_field": "id",
		}),
		"pkce":         rawString("disabled"),
		"token_format": rawString("self_contained"),
	}
	return appDoc{displayName: app.displayName, resourceServerID: e.serverID, protocol: p}
}

func (e *Engine) createApplication(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	var d appDoc
	if o, ok := v.envelope(body, "application"); ok {
		readAppPatch(&v, &d, o, true)
		if d.protocol != nil {
			checkProtocol(&v, d.protocol)
		}
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	s, ok := e.resolveApp(c, d)
	if !ok {
		return
	}
	e.setCredentials(d.protocol)
	app := &application{id: e.uuid(), realmID: c.realm.id, doc: d}
	e.syncApp(app, s)
	e.apps[app.id] = app
	c.realm.apps = append(c.realm.apps, app)
	writeJSON(c.w, http.StatusOK, e.applicationJSON(app))
}

func (e *Engine) getApplication(c *call) {
	if app := e.appInRealm(c); app != nil {
		writeJSON(c.w, http.StatusOK, e.applicationJSON(app))
	}
}

// updateApplication applies a partial update (see readAppPatch) and checks
// the result as a whole. A managed application is refused (403).
func (e *Engine) updateApplication(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	o, _ := v.envelope(body, "application")
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	app := e.appInRealm(c)
	if app == nil {
		return
	}
	if app.managed {
		managedRefused(c.w, "application")
		return
	}
	d := app.doc.clone()
	readAppPatch(&v, &d, o, false)
	checkProtocol(&v, d.protocol)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	s, ok := e.resolveApp(c, d)
	if !ok {
		return
	}
	e.setCredentials(d.protocol)
	app.doc = d
	e.syncApp(app, s)
	writeJSON(c.w, http.StatusOK, e.applicationJSON(app))
}

// deleteApplication deletes an application; its tokens stop working (the
// API checks every token it is given against its records, as RevokeToken
// shows). A managed application is refused (403).
func (e *Engine) deleteApplication(c *call) {
	app := e.appInRealm(c)
	if app == nil {
		return
	}
	if app.managed {
		managedRefused(c.w, "application")
		return
	}
	e.removeApp(app)
	writeEmpty(c.w)
}

func (e *Engine) removeApp(app *application) {
	delete(e.apps, app.id)
	if r := e.realms[app.realmID]; r != nil {
		r.apps = slices.DeleteFunc(r.apps, func(x *application) bool { return x == app })
	}
	for _, t := range app.tokens {
		t.revoked = true
	}
}

func (e *Engine) listApplications(c *call) {
	pg, ok := e.parsePage(c, "applications", 100, 100)
	if !ok || !noFilter(c, pg) {
		return
	}
	page, next := paginate(e, pg, c.realm.apps)
	out := make([]applicationJSON, 0, len(page))
	for _, app := range page {
		out = append(out, e.applicationJSON(app))
	}
	writeJSON(c.w, http.StatusOK, listJSON("applications", out, len(c.realm.apps), next))
}
