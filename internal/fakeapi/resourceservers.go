package fakeapi

import (
	"fmt"
	"net/http"
	"slices"
)

// ManagementAudience is the identifier of the Management API's resource
// server: the audience of Management API tokens, which the spec reserves
// ("Tokens minted for the Beyond Identity Management API will use the
// audience `beyondidentity`, which is reserved and may not be used for any
// other resource servers").
const ManagementAudience = "beyondidentity"

type resourceServerJSON struct {
	ID          string   `json:"id"`
	RealmID     string   `json:"realm_id"`
	TenantID    string   `json:"tenant_id"`
	DisplayName string   `json:"display_name"`
	IsManaged   bool     `json:"is_managed"`
	Identifier  string   `json:"identifier"`
	Scopes      []string `json:"scopes"`
}

func (e *Engine) resourceServerJSON(r *realm, s *resourceServer) resourceServerJSON {
	scopes := s.scopes
	if scopes == nil {
		scopes = []string{}
	}
	return resourceServerJSON{
		ID: s.id, RealmID: r.id, TenantID: e.tenantID, DisplayName: s.displayName,
		IsManaged: s.managed, Identifier: s.identifier, Scopes: scopes,
	}
}

// resourceServerFields are the members of the ResourceServer schema; the
// read-only ones are accepted and ignored.
var resourceServerFields = []string{"id", "realm_id", "tenant_id", "display_name", "is_managed", "identifier", "scopes"}

// validScope reports whether s is an OAuth 2.0 scope token (RFC 6749
// §3.3: 1*( %x21 / %x23-5B / %x5D-7E )): a resource server's scopes end up
// in the space-separated scope of token requests and access tokens.
func validScope(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b < 0x21 || b > 0x7e || b == '"' || b == '\\' {
			return false
		}
	}
	return true
}

// readScopes reads an array of scopes at key of o (path for the field
// names): each a scope token; one listed twice counts once.
func readScopes(v *violations, o object, key, path string) ([]string, bool) {
	list, ok := v.strs(o, key, path)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for i, s := range list {
		if !validScope(s) {
			v.add(fmt.Sprintf("%s[%d]", join(path, key), i), "must be a scope: printable ASCII without spaces, quotes or backslashes")
			continue
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, true
}

// serverInput is a validated resource server of a create or update body.
type serverInput struct {
	displayName *string
	identifier  *string
	scopes      []string // nil when absent
}

// readServer validates the resource_server member of a body. The schema
// requires nothing, but a resource server without a name or without an
// identifier (the audience of its tokens) serves nobody: both must be set
// on create and may not be emptied, as every other resource's display name.
// The spec asks identifiers to be unique per realm with a "should" and
// documents no 409, so duplicates are accepted; only the reserved
// Management API audience is refused.
func readServer(v *violations, body object, create bool) serverInput {
	var in serverInput
	const key = "resource_server"
	o, ok := v.envelope(body, key)
	if !ok {
		return in
	}
	v.known(o, key, resourceServerFields...)
	if s, ok := v.str(o, "display_name", key); ok {
		if s == "" {
			v.add(key+".display_name", "empty string")
		}
		in.displayName = &s
	} else if create && !o.has("display_name") {
		v.add(key+".display_name", "empty string")
	}
	if s, ok := v.str(o, "identifier", key); ok {
		switch s {
		case "":
			v.add(key+".identifier", "empty string")
		case ManagementAudience:
			v.add(key+".identifier", "reserved for the Beyond Identity Management API")
		}
		in.identifier = &s
	} else if create && !o.has("identifier") {
		v.add(key+".identifier", "empty string")
	}
	if list, ok := readScopes(v, o, "scopes", key); ok {
		in.scopes = list
	} else if create {
		in.scopes = []string{}
	}
	return in
}

func (e *Engine) createResourceServer(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	in := readServer(&v, body, true)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	s := &resourceServer{id: e.uuid(), displayName: *in.displayName, identifier: *in.identifier, scopes: in.scopes}
	c.realm.addServer(s)
	writeJSON(c.w, http.StatusOK, e.resourceServerJSON(c.realm, s))
}

// findServer finds the resource server of a path (404).
func (e *Engine) findServer(c *call, id string) *resourceServer {
	s := c.realm.serverBy[id]
	if s == nil {
		notFound(c.w, "ResourceServer", id, "resource server")
	}
	return s
}

// serverForRoleQuery finds the resource server a ListGroupRoles or
// ListIdentityRoles query names. As both operations document, an unknown
// one is a 409 ("If the specified resource server does not exist, you will
// receive a 409 error"), with the ResourceInfo of their example.
func (e *Engine) serverForRoleQuery(c *call, id string) *resourceServer {
	s := c.realm.serverBy[id]
	if s == nil {
		const msg = "resource server not found"
		writeError(c.w, http.StatusConflict, msg, resourceInfo("ResourceServer", id, msg))
	}
	return s
}

// managedRefused answers 403 for a change to a resource managed by Beyond
// Identity, which "may not be modified by the user" (the spec's is_managed).
// The spec does not say how the API refuses; 403 is the one refusal both
// the update and the delete operations declare.
func managedRefused(w http.ResponseWriter, what string) {
	writeError(w, http.StatusForbidden, what+" is managed by Beyond Identity and may not be modified")
}

func (e *Engine) getResourceServer(c *call) {
	if s := e.findServer(c, c.params[0]); s != nil {
		writeJSON(c.w, http.StatusOK, e.resourceServerJSON(c.realm, s))
	}
}

// updateResourceServer applies a partial update; scopes, when sent,
// replace the list. UpdateResourceServer's description says "Scopes that
// are removed from a resource server will be asynchronously removed from
// all roles associated with the resource server" (while the Role schema
// says roles "must be manually updated"; the operation's own description
// is the later and more specific word). The fake removes them at once,
// which is what an asynchronous removal looks like once it is done.
func (e *Engine) updateResourceServer(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	in := readServer(&v, body, false)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	s := e.findServer(c, c.params[0])
	if s == nil {
		return
	}
	if s.managed {
		managedRefused(c.w, "resource server")
		return
	}
	if in.displayName != nil {
		s.displayName = *in.displayName
	}
	if in.identifier != nil {
		s.identifier = *in.identifier
	}
	if in.scopes != nil {
		gone := map[string]bool{}
		for _, sc := range s.scopes {
			if !slices.Contains(in.scopes, sc) {
				gone[sc] = true
			}
		}
		s.scopes = in.scopes
		for _, rl := range s.roles {
			rl.scopes.remove(gone)
		}
	}
	writeJSON(c.w, http.StatusOK, e.resourceServerJSON(c.realm, s))
}

// deleteResourceServer deletes a resource server with its roles (and their
// assignments): the spec documents no 409 for it. Applications that
// reference it keep the reference.
func (e *Engine) deleteResourceServer(c *call) {
	s := e.findServer(c, c.params[0])
	if s == nil {
		return
	}
	if s.managed {
		managedRefused(c.w, "resource server")
		return
	}
	c.realm.removeServer(s)
	writeEmpty(c.w)
}

func (e *Engine) listResourceServers(c *call) {
	pg, ok := e.parsePage(c, "resource-servers", 100, 100)
	if !ok || !noFilter(c, pg) {
		return
	}
	page, next := paginate(e, pg, c.realm.servers)
	out := make([]resourceServerJSON, 0, len(page))
	for _, s := range page {
		out = append(out, e.resourceServerJSON(c.realm, s))
	}
	writeJSON(c.w, http.StatusOK, listJSON("resource_servers", out, len(c.realm.servers), next))
}
