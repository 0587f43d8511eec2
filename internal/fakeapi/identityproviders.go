package fakeapi

import (
	"encoding/json"
	"net/http"
	"slices"
)

// identityProvider is an external identity provider of a realm. Its
// protocol_config is polymorphic on its type: the spec knows one kind,
// oidc_idp (a oneOf of one, with a discriminator on update); a config of
// another kind is stored and answered as it was sent.
type identityProvider struct {
	id          string
	displayName string
	protocol    rawObject
}

// idpKinds are the protocol config kinds the fake knows.
//
// The client secret the API takes in comes back in every answer: the
// spec's IdentityProviderProtocolConfigOidcIdpResponse lists client_secret
// among its required members.
var idpKinds = map[string]*kindSpec{
	"oidc_idp": {
		required: []string{
			"client_id", "client_secret", "token_scopes", "identity_attribute", "pkce",
			"jwks_url", "token_url", "authorize_url", "identifying_claim_name",
		},
		members: map[string]memberCheck{
			"client_id": isString, "client_secret": isString, "token_scopes": isStrings,
			"identity_attribute": subjectFields, "pkce": pkceValues,
			"jwks_url": isURL, "token_url": isURL, "authorize_url": isURL, "identifying_claim_name": isString,
		},
		// redirect_url: "Redirect URL provided by Beyond Identity".
		serverSet: []string{"redirect_url"},
		fill: func(e *Engine, c *call, id string, doc *rawObject) {
			doc.set("redirect_url", e.redirectURL(c, id))
		},
	},
}

// idpFields are the members of an identity provider in a request; the
// read-only ones are accepted and ignored.
var idpFields = []string{"id", "tenant_id", "realm_id", "display_name", "protocol_config"}

type identityProviderJSON struct {
	ID             string    `json:"id"`
	TenantID       string    `json:"tenant_id"`
	RealmID        string    `json:"realm_id"`
	DisplayName    string    `json:"display_name"`
	ProtocolConfig rawObject `json:"protocol_config"`
}

func (e *Engine) identityProviderJSON(c *call, p *identityProvider) identityProviderJSON {
	return identityProviderJSON{ID: p.id, TenantID: e.tenantID, RealmID: c.realm.id, DisplayName: p.displayName, ProtocolConfig: p.protocol}
}

// idpInput is a validated identity provider of a create or update body.
type idpInput struct {
	displayName *string
	protocol    rawObject // nil when absent
	kind        string
}

// readIdentityProvider validates the members of an identity provider (o,
// at path) of a create or an update.
func readIdentityProvider(v *violations, o object, path string, create bool) idpInput {
	var in idpInput
	v.known(o, path, idpFields...)
	if s, ok := v.str(o, "display_name", path); ok {
		if s == "" {
			v.add(join(path, "display_name"), "empty string")
		}
		in.displayName = &s
	} else if create && !o.has("display_name") {
		v.add(join(path, "display_name"), "empty string")
	}
	field := join(path, "protocol_config")
	raw, ok := o["protocol_config"]
	if !ok || isNull(raw) {
		if create {
			v.add(field, "missing")
		}
		return in
	}
	doc, ok := readDoc(v, field, raw)
	if !ok {
		return in
	}
	kind, ok := docType(v, doc, field)
	if !ok {
		return in
	}
	in.protocol, in.kind = doc, kind
	return in
}

// redirectURL is the callback of an identity provider: a URL of the fake's
// origin (which the fake does not serve: it never talks to an identity
// provider).
func (e *Engine) redirectURL(c *call, id string) json.RawMessage {
	return rawString(e.realmURL(c) + "/identity-providers/" + id + "/callback")
}

// realmURL is the URL of the call's realm on the fake's origin.
func (e *Engine) realmURL(c *call) string {
	return e.origin + "/v1/tenants/" + e.tenantID + "/realms/" + c.realm.id
}

// createIdentityProvider creates an identity provider. Its body is the
// identity provider itself, without the envelope of the update (as the
// spec gives it).
//
// The spec's 200 answer is IdentityProviderProtocolConfigResponse, the
// protocol config alone, which would leave the client without the new
// ID; the fake answers the whole IdentityProviderResponse, as GetIdentity
// Provider and UpdateIdentityProvider do.
func (e *Engine) createIdentityProvider(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	in := readIdentityProvider(&v, body, "", true)
	k := idpKinds[in.kind]
	if in.protocol != nil {
		k.dropServerSet(&in.protocol)
		k.check(&v, in.protocol, "protocol_config")
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	p := &identityProvider{id: e.newID(), displayName: *in.displayName, protocol: in.protocol}
	k.complete(e, c, p.id, &p.protocol)
	c.realm.idps = append(c.realm.idps, p)
	c.realm.idpBy[p.id] = p
	writeJSON(c.w, http.StatusOK, e.identityProviderJSON(c, p))
}

// findIdentityProvider finds the identity provider of the path. The spec
// declares no 404 for these operations; an unknown one is "not found" as
// every other resource is.
func (e *Engine) findIdentityProvider(c *call) *identityProvider {
	p := c.realm.idpBy[c.params[0]]
	if p == nil {
		notFound(c.w, "IdentityProvider", c.params[0], "identity provider")
	}
	return p
}

func (e *Engine) getIdentityProvider(c *call) {
	if p := e.findIdentityProvider(c); p != nil {
		writeJSON(c.w, http.StatusOK, e.identityProviderJSON(c, p))
	}
}

// updateIdentityProvider applies {"identity_provider": {...}}: the members
// sent change, the others stay. A protocol_config is merged member by
// member into the stored one (a null member removes it); one of another
// type replaces it and must then be whole.
func (e *Engine) updateIdentityProvider(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	var in idpInput
	if o, ok := v.envelope(body, "identity_provider"); ok {
		in = readIdentityProvider(&v, o, "identity_provider", false)
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	p := e.findIdentityProvider(c)
	if p == nil {
		return
	}
	protocol := p.protocol
	if in.protocol != nil {
		k := idpKinds[in.kind]
		stored := p.protocol
		if in.kind != p.protocol.str("type") {
			stored = rawObject{{"type", rawString(in.kind)}}
		}
		protocol = mergeDoc(k, stored, in.protocol)
		k.check(&v, protocol, "identity_provider.protocol_config")
		k.complete(e, c, p.id, &protocol)
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	if in.displayName != nil {
		p.displayName = *in.displayName
	}
	p.protocol = protocol
	writeJSON(c.w, http.StatusOK, e.identityProviderJSON(c, p))
}

// deleteIdentityProvider deletes an identity provider. SSO configs that
// name it keep their payload as it is.
func (e *Engine) deleteIdentityProvider(c *call) {
	p := e.findIdentityProvider(c)
	if p == nil {
		return
	}
	delete(c.realm.idpBy, p.id)
	c.realm.idps = deleteItem(c.realm.idps, p)
	writeEmpty(c.w)
}

// listIdentityProviders lists the realm's identity providers: 20 a page by
// default, 200 at most, as listSsoConfigs documents (the spec gives this
// operation no numbers). The spec's parameters for it include an
// sso_config_id "in: path" that its path does not have; there is none to
// read.
func (e *Engine) listIdentityProviders(c *call) {
	pg, ok := e.parsePage(c, "identity-providers", 20, 200)
	if !ok || !noFilter(c, pg) {
		return
	}
	page, next := paginate(e, pg, c.realm.idps)
	out := make([]identityProviderJSON, 0, len(page))
	for _, p := range page {
		out = append(out, e.identityProviderJSON(c, p))
	}
	writeJSON(c.w, http.StatusOK, listJSON("identity_providers", out, len(c.realm.idps), next))
}

// deleteItem removes x from s.
func deleteItem[T comparable](s []T, x T) []T {
	return slices.DeleteFunc(s, func(y T) bool { return y == x })
}
