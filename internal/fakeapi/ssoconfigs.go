package fakeapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// ssoConfig is an SSO config of a realm: a display name and a payload
// polymorphic on its type (see poly.go), with the identities and groups
// assigned to it.
type ssoConfig struct {
	id          string
	displayName string
	migrated    bool
	payload     rawObject
	identities  idSet // identity IDs
	groups      idSet // group IDs
}

// Members checked in several SSO config kinds.
var (
	confidentialities = oneOf("confidential", "public")
	samlNameFormats   = oneOf("unspecified", "email_address", "x509_subject_name", "persistent", "transient",
		"entity", "kerberos", "windows_domain_qualified_name")
	samlAuthContexts = oneOf("x509", "integrated_windows_federation", "kerberos", "password",
		"password_protected_transport", "tls_client", "unspecified", "refeds_mfa")
	samlSubjectAttributes = oneOf("user_name", "email", "email_prefix", "external_id", "display_name", "custom", "none")
	samlSignatureAlgs     = oneOf("rsa_sha256", "rsa_sha1", "rsa_sha384", "rsa_sha512")
	samlDigestAlgs        = oneOf("sha256", "sha1", "sha384", "sha512")
	tileMembers           = map[string]memberCheck{"login_link": isString, "icon": isString, "is_tile_visible": isBool, "inbound_scim": isObject}
)

// with returns the tile members plus more.
func with(more map[string]memberCheck) map[string]memberCheck {
	out := map[string]memberCheck{}
	for k, c := range tileMembers {
		out[k] = c
	}
	for k, c := range more {
		out[k] = c
	}
	return out
}

// ssoKinds are the SSO config kinds of the spec's SsoConfigType. For each,
// required and members come from the create request's variant of
// SsoConfigPayload, and the members the server sets are those the 200
// answer's variant requires that the request's does not have.
//
// The spec's oneOf has no discriminator and its variants do not pin their
// type (each takes any SsoConfigType), so the fake switches on type:
//   - generic_saml takes the SAML variant, whose type the spec pins to
//     "saml", a value SsoConfigType does not list;
//   - the variant with company_identifier (SsoConfigRealityCheck) has no
//     type value in SsoConfigType, so its kind is not known here: it is
//     kept as sent, like any unknown kind;
//   - scim has no request variant, only an answer one: everything in it is
//     generated.
var ssoKinds = map[string]*kindSpec{
	"bookmark": {
		required: []string{"login_link"},
		members:  with(nil),
	},
	"entra_id_external_auth_methods": {
		required:  []string{"redirect_uris", "discover_endpoint"},
		members:   with(map[string]memberCheck{"redirect_uris": isStrings, "discover_endpoint": oneOf("global_azure", "azure_us_government", "microsoft_azure_vianet")}),
		serverSet: []string{"application_id", "authenticator_config_id", "resource_server_id", "client_id", "oidc_configuration"},
		fill:      oidcApplication(true, false),
	},
	"generic_oidc": {
		required: []string{"redirect_uris", "scopes", "confidentiality", "pkce"},
		members: with(map[string]memberCheck{
			"redirect_uris": isStrings, "scopes": isStrings, "trusted_origins": isStrings,
			"confidentiality": confidentialities, "pkce": pkceValues,
		}),
		serverSet: []string{"application_id", "authenticator_config_id", "resource_server_id", "client_id", "client_secret", "oidc_configuration"},
		defaults:  map[string]json.RawMessage{"trusted_origins": json.RawMessage(`[]`)},
		fill:      oidcApplication(true, true),
	},
	"generic_oidc_idp": {
		required: []string{"client_id", "identifying_claim_name", "identity_attribute", "authorization_endpoint", "token_endpoint", "jwks_endpoint"},
		nullable: []string{"authorization_endpoint"},
		members: map[string]memberCheck{
			"client_id": isString, "client_secret": isString, "pkce": pkceValues, "id_token_scopes": isStrings,
			"identifying_claim_name": isString, "identity_attribute": subjectFields, "authorization_endpoint": isURL,
			"token_endpoint": isURL, "jwks_endpoint": isURL, "inbound_scim": isObject,
		},
		serverSet: []string{"redirect_uri", "identity_provider_id"},
		defaults:  map[string]json.RawMessage{"pkce": rawString("disabled")},
		fill:      fillIdentityProvider,
	},
	"generic_saml": {
		required: []string{
			"acs_url", "override_recipient_and_destination", "audience_url", "default_relay_state", "name_format",
			"authentication_context", "subject_user_name_attribute", "sign_envelope", "sign_assertions",
			"signature_algorithm", "digest_algorithm", "encrypt_assertions", "assertion_validity_duration_seconds",
			"sp_signature_certificates", "enable_single_log_out", "validate_signed_requests",
			"additional_user_attributes", "single_logout_sign_request_and_response",
		},
		members: with(map[string]memberCheck{
			"acs_url": isString, "override_recipient_and_destination": isBool, "recipient_url": isString,
			"destination_url": isString, "audience_url": isString, "default_relay_state": isString,
			"name_format": samlNameFormats, "authentication_context": samlAuthContexts,
			"subject_user_name_attribute": samlSubjectAttributes, "sign_envelope": isBool, "sign_assertions": isBool,
			"signature_algorithm": samlSignatureAlgs, "digest_algorithm": samlDigestAlgs, "encrypt_assertions": isBool,
			"assertion_validity_duration_seconds": isInt32,
			"assertion_encryption_algorithm":      oneOf("aes256_cbc", "aes256_gcm", "aes128_cbc", "aes128_gcm"),
			"assertion_key_transport_algorithm":   oneOf("rsa_oaep", "rsa1_5"),
			"assertion_encryption_public_key":     isString, "sp_signature_certificates": isArray,
			"enable_single_log_out": isBool, "single_log_out_url": isString, "single_log_out_issuer_url": isString,
			"single_log_out_binding": oneOf("post", "redirect"), "single_logout_sign_request_and_response": isBool,
			"validate_signed_requests": isBool, "other_sso_urls": isObject, "additional_user_attributes": isArray,
			"use_short_url": isBool,
		}),
		serverSet: []string{"application_id", "authenticator_config_id", "idp_initiated_url", "sp_initiated_url", "identity_provider_certs"},
		fill: func(e *Engine, c *call, id string, doc *rawObject) {
			app := setApplication(e, doc)
			issuer := e.realmURL(c) + "/applications/" + app
			doc.setDefault("idp_initiated_url", rawString(issuer+"/saml/idp-initiated"))
			doc.setDefault("sp_initiated_url", rawString(issuer+"/saml/sso"))
		},
	},
	"okta_idp": {
		required: []string{"client_id", "identifying_claim_name", "identity_attribute", "okta_domain"},
		members: map[string]memberCheck{
			"client_id": isString, "client_secret": isString, "pkce": pkceValues, "id_token_scopes": isStrings,
			"identifying_claim_name": isString, "identity_attribute": subjectFields, "okta_domain": isString,
			"inbound_scim": isObject,
		},
		serverSet: []string{"authorization_endpoint", "token_endpoint", "jwks_endpoint", "redirect_uri", "identity_provider_id"},
		defaults:  map[string]json.RawMessage{"pkce": rawString("disabled")},
		fill: func(e *Engine, c *call, id string, doc *rawObject) {
			// The endpoints of an Okta org's authorization server, from its
			// domain.
			base := strings.TrimRight(doc.str("okta_domain"), "/")
			if !strings.Contains(base, "://") {
				base = "https://" + base
			}
			doc.set("authorization_endpoint", rawString(base+"/oauth2/v1/authorize"))
			doc.set("token_endpoint", rawString(base+"/oauth2/v1/token"))
			doc.set("jwks_endpoint", rawString(base+"/oauth2/v1/keys"))
			fillIdentityProvider(e, c, id, doc)
		},
	},
	"okta_sso_bi_idp": {
		required:  []string{"pkce", "okta_registration"},
		members:   map[string]memberCheck{"pkce": pkceValues, "okta_registration": isObject, "inbound_scim": isObject},
		serverSet: []string{"oidc_configuration", "client_id", "client_secret", "application_id", "authenticator_config_id"},
		fill:      oidcApplication(false, true),
	},
	"scim": {
		serverSet: []string{"application_id", "client_id", "client_secret", "scim_url", "token_endpoint"},
		fill: func(e *Engine, c *call, id string, doc *rawObject) {
			app := setApplication(e, doc)
			doc.setDefault("client_id", rawString(e.randomString(24)))
			doc.setDefault("client_secret", rawString(secretString(48)))
			doc.set("scim_url", rawString(e.realmURL(c)+"/scim/v2"))
			doc.set("token_endpoint", rawString(e.realmURL(c)+"/applications/"+app+"/token"))
		},
	},
	"ws_fed": {
		required: []string{
			"acs_url", "audience_url", "expiration_time_seconds", "digest_algorithm", "signature_algorithm",
			"name_format", "subject_user_name_attribute", "authentication_context", "additional_user_attributes",
		},
		members: map[string]memberCheck{
			"acs_url": isString, "audience_url": isString, "expiration_time_seconds": isInt32,
			"digest_algorithm": samlDigestAlgs, "signature_algorithm": samlSignatureAlgs, "name_format": samlNameFormats,
			"subject_user_name_attribute": samlSubjectAttributes, "authentication_context": samlAuthContexts,
			"additional_user_attributes": isArray, "icon": isString, "is_tile_visible": isBool, "inbound_scim": isObject,
		},
		serverSet: []string{"application_id", "authenticator_config_id"},
		fill: func(e *Engine, c *call, id string, doc *rawObject) {
			setApplication(e, doc)
		},
	},
}

// setApplication sets the generated application and authenticator config
// IDs of a payload (once) and returns the application ID. The fake does
// not create the application behind an SSO config: the ID names it in
// the payload and in ApplicationIdToSSOConfigId, and GetApplication does
// not know it.
func setApplication(e *Engine, doc *rawObject) string {
	doc.setDefault("application_id", rawString(e.uuid()))
	doc.setDefault("authenticator_config_id", rawString(e.uuid()))
	return doc.str("application_id")
}

// oidcApplication returns the fill of the kinds backed by an OIDC
// application: its IDs (a resource server's too when the kind's answer has
// one), its client ID, a client secret when the kind's answer has one and
// the config is not public, and its OIDC configuration, whose URLs are
// those of the fake's origin.
func oidcApplication(resourceServer, secret bool) func(e *Engine, c *call, id string, doc *rawObject) {
	return func(e *Engine, c *call, id string, doc *rawObject) {
		app := setApplication(e, doc)
		if resourceServer {
			doc.setDefault("resource_server_id", rawString(e.uuid()))
		}
		doc.setDefault("client_id", rawString(e.randomString(24)))
		public := doc.str("confidentiality") == "public"
		if secret && !public {
			doc.setDefault("client_secret", rawString(secretString(48)))
		} else if secret {
			doc.del("client_secret")
		}
		authMethod := "client_secret_basic"
		if public {
			authMethod = "none"
		}
		issuer := e.realmURL(c) + "/applications/" + app
		doc.set("oidc_configuration", rawJSON(map[string]any{
			"issuer":                                issuer,
			"authorization_endpoint":                issuer + "/authorize",
			"token_endpoint":                        issuer + "/token",
			"userinfo_endpoint":                     issuer + "/userinfo",
			"jwks_uri":                              issuer + "/.well-known/jwks.json",
			"introspect_endpoint":                   e.realmURL(c) + "/introspect",
			"response_types_supported":              []string{"code"},
			"grant_types_supported":                 []string{"authorization_code"},
			"token_endpoint_auth_methods_supported": []string{authMethod},
		}))
	}
}

// fillIdentityProvider sets what BI generates for the kinds that sign
// users in with an outside identity provider: the provider's ID (the fake
// does not create an identity provider for it) and the redirect URI.
func fillIdentityProvider(e *Engine, c *call, id string, doc *rawObject) {
	doc.setDefault("identity_provider_id", rawString(e.newID()))
	doc.set("redirect_uri", rawString(e.realmURL(c)+"/identity-providers/"+doc.str("identity_provider_id")+"/callback"))
}

type ssoConfigJSON struct {
	ID          string    `json:"id"`
	DisplayName string    `json:"display_name"`
	IsMigrated  bool      `json:"is_migrated,omitempty"`
	Payload     rawObject `json:"payload"`
}

// ssoConfigJSON is an SSO config as the API answers it: id, display_name
// and payload, as the spec's answer has them, and is_migrated when set
// (the request's member, which the answer's schema leaves out; listSso
// Configs filters on it).
func ssoJSON(s *ssoConfig) ssoConfigJSON {
	return ssoConfigJSON{ID: s.id, DisplayName: s.displayName, IsMigrated: s.migrated, Payload: s.payload}
}

// ssoInput is a validated sso_config of a create or update body.
type ssoInput struct {
	displayName *string
	migrated    *bool
	payload     rawObject // nil when absent
	kind        string
	field       string // the payload's field in the body
}

var ssoFields = []string{"id", "display_name", "is_migrated", "payload"}

// readSsoConfig reads the sso_config of a create or update body: display
// name, is_migrated and payload, as SsoConfigEnvelope gives them.
//
// The spec's update body, SsoConfigPartialUpdate, differs: its sso_config
// is a partial payload itself ({"sso_config": {"type": …, …}}), which
// leaves no way to rename a config. An update takes both: an sso_config
// with a type member is a payload, one without has the create's members.
func readSsoConfig(v *violations, body object, create bool) ssoInput {
	var in ssoInput
	const key = "sso_config"
	o, ok := v.envelope(body, key)
	if !ok {
		return in
	}
	if _, flat := o["type"]; flat && !create {
		doc, ok := readDoc(v, key, body[key])
		if !ok {
			return in
		}
		if kind, ok := docType(v, doc, key); ok {
			in.payload, in.kind, in.field = doc, kind, key
		}
		return in
	}
	v.known(o, key, ssoFields...)
	if s, ok := v.str(o, "display_name", key); ok {
		if s == "" {
			v.add(key+".display_name", "empty string")
		}
		in.displayName = &s
	} else if create && !o.has("display_name") {
		v.add(key+".display_name", "empty string")
	}
	if b, ok := v.boolean(o, "is_migrated", key); ok {
		in.migrated = &b
	}
	raw, ok := o["payload"]
	if !ok || isNull(raw) {
		if create {
			v.add(key+".payload", "missing")
		}
		return in
	}
	doc, ok := readDoc(v, key+".payload", raw)
	if !ok {
		return in
	}
	if kind, ok := docType(v, doc, key+".payload"); ok {
		in.payload, in.kind, in.field = doc, kind, key+".payload"
	}
	return in
}

func (e *Engine) createSsoConfig(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	in := readSsoConfig(&v, body, true)
	k := ssoKinds[in.kind]
	if in.payload != nil {
		k.dropServerSet(&in.payload)
		k.check(&v, in.payload, "sso_config.payload")
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	s := &ssoConfig{id: e.uuid(), displayName: *in.displayName, payload: in.payload}
	if in.migrated != nil {
		s.migrated = *in.migrated
	}
	k.applyDefaults(&s.payload)
	k.complete(e, c, s.id, &s.payload)
	c.realm.ssos = append(c.realm.ssos, s)
	c.realm.ssoBy[s.id] = s
	writeJSON(c.w, http.StatusOK, ssoJSON(s))
}

func (e *Engine) findSsoConfig(c *call) *ssoConfig {
	s := c.realm.ssoBy[c.params[0]]
	if s == nil {
		notFound(c.w, "SsoConfig", c.params[0], "sso config")
	}
	return s
}

func (e *Engine) getSsoConfig(c *call) {
	if s := e.findSsoConfig(c); s != nil {
		writeJSON(c.w, http.StatusOK, ssoJSON(s))
	}
}

// updateSsoConfig applies a partial update: display_name and is_migrated
// when sent, and the payload's members merged into the stored payload
// (see mergeDoc). The payload's type is required (every variant of the
// spec's SsoConfigPartialUpdatePayload requires it) and must be the
// config's: the spec offers no way to turn one kind into another.
func (e *Engine) updateSsoConfig(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	in := readSsoConfig(&v, body, false)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	s := e.findSsoConfig(c)
	if s == nil {
		return
	}
	payload := s.payload
	if in.payload != nil {
		if cur := s.payload.str("type"); in.kind != cur {
			invalidParam(c.w, in.field+".type", "must be "+cur+": the type of an SSO config cannot change")
			return
		}
		k := ssoKinds[in.kind]
		payload = mergeDoc(k, s.payload, in.payload)
		k.check(&v, payload, in.field)
		if len(v) > 0 {
			invalidParams(c.w, v)
			return
		}
		k.complete(e, c, s.id, &payload)
	}
	if in.displayName != nil {
		s.displayName = *in.displayName
	}
	if in.migrated != nil {
		s.migrated = *in.migrated
	}
	s.payload = payload
	writeJSON(c.w, http.StatusOK, ssoJSON(s))
}

// deleteSsoConfig deletes an SSO config and its assignments.
func (e *Engine) deleteSsoConfig(c *call) {
	s := e.findSsoConfig(c)
	if s == nil {
		return
	}
	delete(c.realm.ssoBy, s.id)
	c.realm.ssos = deleteItem(c.realm.ssos, s)
	writeEmpty(c.w)
}

// ssoOrder is an order_by of listSsoConfigs: the spec declares the
// parameter as a string and says nothing of its values. The fake takes
// the form of the API's other conventions (AIP-132): a field, display_name
// or id, optionally followed by "asc" or "desc"; anything else is refused
// rather than silently ignored.
func ssoOrder(s string) (func(a, b *ssoConfig) int, bool) {
	f := strings.Fields(s)
	if len(f) == 0 || len(f) > 2 || (len(f) == 2 && f[1] != "asc" && f[1] != "desc") {
		return nil, false
	}
	var key func(*ssoConfig) string
	switch f[0] {
	case "display_name":
		key = func(x *ssoConfig) string { return x.displayName }
	case "id":
		key = func(x *ssoConfig) string { return x.id }
	default:
		return nil, false
	}
	desc := len(f) == 2 && f[1] == "desc"
	return func(a, b *ssoConfig) int {
		n := strings.Compare(key(a), key(b))
		if desc {
			n = -n
		}
		return n
	}, true
}

// listSsoConfigs lists the realm's SSO configs: 20 a page by default, 200
// at most (as the operation documents), filtered by type (the parameter
// may be repeated; a config matches any of them) and by is_migrated.
func (e *Engine) listSsoConfigs(c *call) {
	types := c.query["type"]
	var v violations
	for _, t := range types {
		if t == "" {
			v.add("type", "empty string")
		}
	}
	var migrated *bool
	if raw := c.query.Get("is_migrated"); raw != "" {
		b, err := strconv.ParseBool(raw)
		if err != nil {
			v.add("is_migrated", "must be true or false")
		}
		migrated = &b
	}
	var order func(a, b *ssoConfig) int
	if ob := c.query.Get("order_by"); ob != "" {
		var ok bool
		if order, ok = ssoOrder(ob); !ok {
			v.add("order_by", "unsupported order: display_name or id, optionally followed by asc or desc")
		}
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	// The page token is bound to the parameters that select the list.
	key := url.Values{"type": slices.Sorted(slices.Values(types)), "is_migrated": {c.query.Get("is_migrated")}, "order_by": {c.query.Get("order_by")}}
	pg, ok := e.parsePage(c, "sso-configs?"+key.Encode(), 20, 200)
	if !ok || !noFilter(c, pg) {
		return
	}
	var items []*ssoConfig
	for _, s := range c.realm.ssos {
		if (len(types) == 0 || slices.Contains(types, s.payload.str("type"))) && (migrated == nil || s.migrated == *migrated) {
			items = append(items, s)
		}
	}
	if order != nil {
		slices.SortStableFunc(items, order)
	}
	writeSsoConfigs(c, e, pg, items)
}

func writeSsoConfigs(c *call, e *Engine, pg pageReq, items []*ssoConfig) {
	page, next := paginate(e, pg, items)
	out := make([]ssoConfigJSON, 0, len(page))
	for _, s := range page {
		out = append(out, ssoJSON(s))
	}
	writeJSON(c.w, http.StatusOK, listJSON("sso_configs", out, len(items), next))
}

// readSsoMembers validates the body of the association operations, {key:
// [1 to 1000 IDs]}, and finds the config and the identities or groups the
// IDs name (400, then 404; see missingIdentities).
func (e *Engine) readSsoMembers(c *call, key string) (*ssoConfig, []string, bool) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return nil, nil, false
	}
	var v violations
	v.known(body, "", key)
	ids, _ := readIDList(&v, body, key, true)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return nil, nil, false
	}
	s := e.findSsoConfig(c)
	if s == nil {
		return nil, nil, false
	}
	if key == "identity_ids" && missingIdentities(c, ids) || key == "group_ids" && missingGroups(c, ids) {
		return nil, nil, false
	}
	return s, ids, true
}

// addSsoIdentities assigns identities to an SSO config: 200 with an empty
// body, as the spec documents. Assigning one again changes nothing.
func (e *Engine) addSsoIdentities(c *call) {
	if s, ids, ok := e.readSsoMembers(c, "identity_ids"); ok {
		for _, id := range ids {
			s.identities.add(id)
		}
		writeEmpty(c.w)
	}
}

// deleteSsoIdentities removes identities from an SSO config; removing one
// that is not assigned changes nothing.
func (e *Engine) deleteSsoIdentities(c *call) {
	if s, ids, ok := e.readSsoMembers(c, "identity_ids"); ok {
		s.identities.remove(setOf(ids))
		writeEmpty(c.w)
	}
}

func (e *Engine) addSsoGroups(c *call) {
	if s, ids, ok := e.readSsoMembers(c, "group_ids"); ok {
		for _, id := range ids {
			s.groups.add(id)
		}
		writeEmpty(c.w)
	}
}

func (e *Engine) deleteSsoGroups(c *call) {
	if s, ids, ok := e.readSsoMembers(c, "group_ids"); ok {
		s.groups.remove(setOf(ids))
		writeEmpty(c.w)
	}
}

// ssoIdentityJSON is an identity associated with an SSO config: directly,
// or through a group, whose ID and display name it then carries.
type ssoIdentityJSON struct {
	identityJSON
	GroupID          string `json:"group_id,omitempty"`
	GroupDisplayName string `json:"group_display_name,omitempty"`
}

// ssoIdentity is one entry of ListIdentitiesForSsoConfig.
type ssoIdentity struct {
	id    string
	group *group // nil for a direct assignment
}

// listSsoIdentities lists the identities assigned to an SSO config: those
// assigned directly, then the members of each assigned group, with the
// group. As the spec warns, an identity assigned both ways (or through two
// groups) appears more than once. 20 a page by default, 200 at most (the
// spec's maxItems).
func (e *Engine) listSsoIdentities(c *call) {
	pg, ok := e.parsePage(c, "sso-identities/"+c.params[0], 20, 200)
	if !ok || !noFilter(c, pg) {
		return
	}
	s := e.findSsoConfig(c)
	if s == nil {
		return
	}
	var items []ssoIdentity
	for _, id := range s.identities.ids {
		items = append(items, ssoIdentity{id: id})
	}
	for _, gid := range s.groups.ids {
		g := c.realm.groupBy[gid]
		for _, id := range g.members.ids {
			items = append(items, ssoIdentity{id: id, group: g})
		}
	}
	page, next := paginate(e, pg, items)
	out := make([]ssoIdentityJSON, 0, len(page))
	for _, it := range page {
		j := ssoIdentityJSON{identityJSON: e.identityJSON(c, c.realm.identityBy[it.id])}
		if it.group != nil {
			j.GroupID, j.GroupDisplayName = it.group.id, it.group.displayName
		}
		out = append(out, j)
	}
	writeJSON(c.w, http.StatusOK, listJSON("identities", out, len(items), next))
}

// ssoGroupJSON is the spec's SsoGroupWithMemberCount.
type ssoGroupJSON struct {
	groupJSON
	MemberCount int `json:"member_count"`
}

// listSsoGroups lists the groups assigned to an SSO config, with their
// member counts. The spec declares no page parameters for it, but its
// description promises total_size and next_page_token: it pages as the
// other lists do (20 by default, 200 at most).
func (e *Engine) listSsoGroups(c *call) {
	pg, ok := e.parsePage(c, "sso-groups/"+c.params[0], 20, 200)
	if !ok || !noFilter(c, pg) {
		return
	}
	s := e.findSsoConfig(c)
	if s == nil {
		return
	}
	page, next := paginate(e, pg, s.groups.ids)
	out := make([]ssoGroupJSON, 0, len(page))
	for _, id := range page {
		g := c.realm.groupBy[id]
		out = append(out, ssoGroupJSON{groupJSON: e.groupJSON(c, g), MemberCount: g.members.len()})
	}
	writeJSON(c.w, http.StatusOK, listJSON("groups", out, s.groups.len(), next))
}

// listIdentitySsoConfigs lists the SSO configs an identity is assigned to,
// directly or through one of its groups; each once.
//
// The spec's 200 schema for this operation describes identities (it is
// the one ListIdentitiesForSsoConfig refers to), while its description
// says "a JSON object with keys for `sso_configs` and `total_size`", as the
// operation's name does: the fake answers sso_configs.
func (e *Engine) listIdentitySsoConfigs(c *call) {
	pg, ok := e.parsePage(c, "identity-sso-configs/"+c.params[0], 20, 200)
	if !ok || !noFilter(c, pg) {
		return
	}
	i := e.findIdentity(c, c.params[0])
	if i == nil {
		return
	}
	var items []*ssoConfig
	for _, s := range c.realm.ssos {
		if s.identities.has[i.id] || slices.ContainsFunc(s.groups.ids, func(gid string) bool {
			return c.realm.groupBy[gid].members.has[i.id]
		}) {
			items = append(items, s)
		}
	}
	writeSsoConfigs(c, e, pg, items)
}

// listGroupSsoConfigs lists the SSO configs a group is assigned to.
func (e *Engine) listGroupSsoConfigs(c *call) {
	pg, ok := e.parsePage(c, "group-sso-configs/"+c.params[0], 20, 200)
	if !ok || !noFilter(c, pg) {
		return
	}
	g := e.findGroup(c, c.params[0])
	if g == nil {
		return
	}
	var items []*ssoConfig
	for _, s := range c.realm.ssos {
		if s.groups.has[g.id] {
			items = append(items, s)
		}
	}
	writeSsoConfigs(c, e, pg, items)
}

// applicationSsoConfigID answers the SSO config whose payload names the
// application, {"sso_config_id": …}, or {} for an application of the
// realm that no SSO config names ("If this is missing it means that the
// application isn't associated with an SSO config"); 404 for an ID that
// names neither.
func (e *Engine) applicationSsoConfigID(c *call) {
	for _, s := range c.realm.ssos {
		if s.payload.str("application_id") == c.params[0] {
			writeJSON(c.w, http.StatusOK, map[string]string{"sso_config_id": s.id})
			return
		}
	}
	if e.appInRealm(c) != nil {
		writeJSON(c.w, http.StatusOK, map[string]string{})
	}
}

type idpTestJSON struct {
	IdentityProviderID string `json:"identity_provider_id"`
	DisplayName        string `json:"display_name"`
	IsSuccess          bool   `json:"is_success"`
	StatusCode         string `json:"status_code"`
	ErrorContext       string `json:"error_context,omitempty"`
}

type oidcAppTestJSON struct {
	ApplicationID string `json:"application_id"`
	DisplayName   string `json:"display_name"`
	IsSuccess     bool   `json:"is_success"`
	StatusCode    string `json:"status_code"`
	ErrorContext  string `json:"error_context,omitempty"`
}

// testSsoConfig tests the connections an SSO config describes. The fake
// reaches no outside server: it reports the identity provider a payload
// names (identity_provider_id) and the OIDC application behind it
// (application_id, for the kinds that carry an OIDC configuration) as
// reachable, with status "200". The spec's schema names the members
// is_success and status_code (a string); its example says is_successful
// and a number: the fake follows the schema.
func (e *Engine) testSsoConfig(c *call) {
	s := e.findSsoConfig(c)
	if s == nil {
		return
	}
	idps := []idpTestJSON{}
	if id := s.payload.str("identity_provider_id"); id != "" {
		name := s.displayName
		if p := c.realm.idpBy[id]; p != nil {
			name = p.displayName
		}
		idps = append(idps, idpTestJSON{IdentityProviderID: id, DisplayName: name, IsSuccess: true, StatusCode: "200"})
	}
	apps := []oidcAppTestJSON{}
	if id := s.payload.str("application_id"); id != "" && s.payload.has("oidc_configuration") {
		apps = append(apps, oidcAppTestJSON{ApplicationID: id, DisplayName: s.displayName, IsSuccess: true, StatusCode: "200"})
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"identity_providers": idps, "oidc_applications": apps})
}
