package beyondidentity

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"reflect"
)

// IdentityProvider is an external identity provider the realm's users can
// sign in with, such as an OpenID Connect provider.
type IdentityProvider struct {
	// ID identifies the identity provider within the realm. Read-only.
	ID string `json:"id,omitempty"`
	// TenantID is the identity provider's tenant. Read-only.
	TenantID string `json:"tenant_id,omitempty"`
	// RealmID is the identity provider's realm. Read-only.
	RealmID string `json:"realm_id,omitempty"`
	// DisplayName is a human-readable name.
	DisplayName string `json:"display_name,omitempty"`
	// ProtocolConfig is how Beyond Identity talks to the identity
	// provider: *OIDCIdentityProviderConfig, or
	// *UnknownIdentityProviderConfig for a kind this version of the
	// library does not know. Use a type switch to read it.
	ProtocolConfig IdentityProviderConfig `json:"-"`
}

// MarshalJSON encodes the identity provider as the API does. Secrets are
// encoded as "REDACTED" (see Secret): the form is meant for logs, not for
// requests.
func (p IdentityProvider) MarshalJSON() ([]byte, error) {
	type plain IdentityProvider
	return json.Marshal(struct {
		plain
		ProtocolConfig IdentityProviderConfig `json:"protocol_config,omitempty"`
	}{plain(p), p.ProtocolConfig})
}

// UnmarshalJSON decodes an identity provider, choosing the Go type of
// ProtocolConfig by its "type" member.
func (p *IdentityProvider) UnmarshalJSON(b []byte) error {
	type plain IdentityProvider
	var w struct {
		plain
		ProtocolConfig json.RawMessage `json:"protocol_config"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	pc, err := decodeIdentityProviderConfig(w.ProtocolConfig)
	if err != nil {
		return err
	}
	*p = IdentityProvider(w.plain)
	p.ProtocolConfig = pc
	return nil
}

// IdentityProviderType names the protocol of an identity provider, the
// "type" of its protocol config. Values other than the constants may
// appear.
type IdentityProviderType string

// Protocols of identity providers.
const (
	// IdentityProviderTypeOIDC is an OpenID Connect identity provider.
	IdentityProviderTypeOIDC IdentityProviderType = "oidc_idp"
)

// IdentityProviderConfig is the protocol-specific part of an identity
// provider (its "protocol_config" member). The implementations are
// *OIDCIdentityProviderConfig and *UnknownIdentityProviderConfig; the set
// is closed so that a type switch over them is complete, and
// UnknownIdentityProviderConfig carries any kind the API adds.
type IdentityProviderConfig interface {
	// IdentityProviderType returns the kind, the "type" member on the
	// wire.
	IdentityProviderType() IdentityProviderType
	isIdentityProviderConfig()
}

// OIDCIdentityProviderConfig is how Beyond Identity signs users in with an
// OpenID Connect identity provider and checks the tokens it receives. In a
// create, the members marked "Required on creation" must be set; in an
// update, only the members that are set are sent. RedirectURL is set by
// the API and never sent.
type OIDCIdentityProviderConfig struct {
	// ClientID is the client ID Beyond Identity has at the identity
	// provider. Required on creation.
	ClientID string `json:"client_id,omitempty"`
	// ClientSecret is the client secret Beyond Identity has at the
	// identity provider. Required on creation. It is sent in the request
	// body only, and prints as REDACTED (see Secret); the API hands it
	// back in its answers.
	ClientSecret Secret `json:"client_secret,omitzero"`
	// TokenScopes are the scopes given to the access tokens, checked
	// against the identity. Required on creation.
	TokenScopes []string `json:"token_scopes,omitzero"`
	// IdentityAttribute is the attribute of the realm's identities that
	// the identifying claim is matched with. Required on creation.
	IdentityAttribute SubjectField `json:"identity_attribute,omitempty"`
	// PKCE is the PKCE method used with the identity provider. Required on
	// creation.
	PKCE PKCEMethod `json:"pkce,omitempty"`
	// JWKSURL is the URL of the provider's ".well-known/jwks.json".
	// Required on creation.
	JWKSURL string `json:"jwks_url,omitempty"`
	// TokenURL is the provider's token endpoint. Required on creation.
	TokenURL string `json:"token_url,omitempty"`
	// AuthorizeURL is the provider's authorization endpoint. Required on
	// creation.
	AuthorizeURL string `json:"authorize_url,omitempty"`
	// IdentifyingClaimName is the claim of the provider's tokens that
	// names the user. Required on creation.
	IdentifyingClaimName string `json:"identifying_claim_name,omitempty"`
	// RedirectURL is Beyond Identity's callback, to register at the
	// provider. Read-only.
	RedirectURL string `json:"redirect_url,omitempty" bi:"ro"`

	// Extra holds the members this version of the library does not know,
	// by JSON name, as the server sent them; they are written back
	// unchanged. Its keys must not be the JSON name of a field above or
	// "type".
	Extra map[string]json.RawMessage `json:"-"`
}

// UnknownIdentityProviderConfig is a protocol config of a kind this version
// of the library does not know. Raw is its JSON as the server sent it,
// "type" included; it is written back byte for byte. Printed with fmt or
// encoded as JSON, the values of its members whose names look secret are
// REDACTED (see UnknownSSOPayload); Raw itself is never changed.
type UnknownIdentityProviderConfig struct {
	// Raw is the config's JSON object as the server sent it, "type"
	// included.
	Raw json.RawMessage
}

// IdentityProviderType returns IdentityProviderTypeOIDC.
func (*OIDCIdentityProviderConfig) IdentityProviderType() IdentityProviderType {
	return IdentityProviderTypeOIDC
}

// IdentityProviderType returns the "type" member of Raw, or "" when it has
// none.
func (u *UnknownIdentityProviderConfig) IdentityProviderType() IdentityProviderType {
	return IdentityProviderType(rawType(u.Raw))
}

func (*OIDCIdentityProviderConfig) isIdentityProviderConfig()    {}
func (*UnknownIdentityProviderConfig) isIdentityProviderConfig() {}

// oidcIDPFields are the JSON names of OIDCIdentityProviderConfig's fields.
var oidcIDPFields = newJSONFields(reflect.TypeFor[OIDCIdentityProviderConfig]())

// MarshalJSON encodes the config with "type": "oidc_idp", every field that
// is set, and every Extra member. Secrets, known and unknown, are encoded
// as "REDACTED": the form is meant for logs, not for requests.
func (c OIDCIdentityProviderConfig) MarshalJSON() ([]byte, error) {
	type plain OIDCIdentityProviderConfig
	return encodeKind(string(IdentityProviderTypeOIDC), plain(c), c.Extra, oidcIDPFields)
}

// UnmarshalJSON decodes the config and keeps unknown members in Extra.
func (c *OIDCIdentityProviderConfig) UnmarshalJSON(b []byte) error {
	type plain OIDCIdentityProviderConfig
	var v plain
	extra, err := decodeKind(b, &v, oidcIDPFields)
	*c = OIDCIdentityProviderConfig(v)
	c.Extra = extra
	return err
}

// MarshalJSON returns Raw with the values of secret-looking members
// REDACTED. Requests send Raw unchanged.
func (u UnknownIdentityProviderConfig) MarshalJSON() ([]byte, error) { return marshalUnknown(u.Raw) }

// Format prints the config's kind and Raw, the values of secret-looking
// members REDACTED, for every verb.
func (u UnknownIdentityProviderConfig) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "beyondidentity.UnknownIdentityProviderConfig{Type: %q, Raw: %s}", rawType(u.Raw), redactSecretMembers(u.Raw))
}

// decodeIdentityProviderConfig decodes a protocol config by its "type";
// null or absent gives nil.
func decodeIdentityProviderConfig(raw json.RawMessage) (IdentityProviderConfig, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var w struct {
		Type IdentityProviderType `json:"type"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("decoding protocol_config: %w", err)
	}
	if w.Type == IdentityProviderTypeOIDC {
		c := new(OIDCIdentityProviderConfig)
		if err := json.Unmarshal(raw, c); err != nil {
			return nil, fmt.Errorf("decoding the %s protocol_config: %w", w.Type, err)
		}
		return c, nil
	}
	return &UnknownIdentityProviderConfig{Raw: append(json.RawMessage(nil), raw...)}, nil
}

// identityProviderConfigWrite is the wire form of a protocol config sent to
// the API, and the secrets it holds. create applies the API's required
// members.
func identityProviderConfigWrite(field string, pc IdentityProviderConfig, create bool) (json.RawMessage, []string, error) {
	switch c := pc.(type) {
	case nil:
		return nil, nil, nil
	case *OIDCIdentityProviderConfig:
		if c == nil {
			return nil, nil, invalid(field, "is a nil *OIDCIdentityProviderConfig")
		}
		return writeKind(field, kindWire{string(IdentityProviderTypeOIDC), c, c.Extra, oidcIDPFields, []string{
			"ClientID", "ClientSecret", "TokenScopes", "IdentityAttribute", "PKCE", "JWKSURL", "TokenURL",
			"AuthorizeURL", "IdentifyingClaimName",
		}}, create)
	case *UnknownIdentityProviderConfig:
		if c == nil {
			return nil, nil, invalid(field, "is a nil *UnknownIdentityProviderConfig")
		}
		raw, err := checkUnknownRaw(field, c.Raw, "UnknownIdentityProviderConfig")
		return raw, nil, err
	}
	return nil, nil, invalid(field, fmt.Sprintf("unsupported protocol config type %T", pc))
}

// CreateIdentityProviderRequest is the body of
// [IdentityProvidersService.Create].
type CreateIdentityProviderRequest struct {
	// DisplayName is a human-readable name. Required.
	DisplayName string
	// ProtocolConfig is the protocol and its settings, e.g.
	// &OIDCIdentityProviderConfig{...}, with the members the API requires
	// of its kind. Required.
	ProtocolConfig IdentityProviderConfig
}

// UpdateIdentityProviderRequest is the body of
// [IdentityProvidersService.Update] (a PATCH): only the fields that are set
// are sent, and the API leaves the others as they are.
type UpdateIdentityProviderRequest struct {
	// DisplayName, when set, is the new name.
	DisplayName *string
	// ProtocolConfig, when set, changes the members of the protocol config
	// that it sets: for *OIDCIdentityProviderConfig, the fields that are
	// not zero (a nil slice is not sent; an empty one clears the list) and
	// every Extra member. Its type must be the identity provider's
	// protocol.
	ProtocolConfig IdentityProviderConfig
}

// identityProviderWrite is the wire form of an identity provider sent to
// the API.
type identityProviderWrite struct {
	DisplayName    *string         `json:"display_name,omitempty"`
	ProtocolConfig json.RawMessage `json:"protocol_config,omitempty"`
}

// maxIdentityProvidersPageSize bounds the page size of
// [IdentityProvidersService.List]; the API documents no maximum, and this
// is the largest page of the realm's other lists.
const maxIdentityProvidersPageSize = 200

// IdentityProvidersService handles the identity providers of the client's
// realm. Get it from Client.IdentityProviders.
type IdentityProvidersService service

// Create creates an identity provider and returns it. Like every create,
// it is not retried after a failure where the server may have acted.
//
// The API describes this body without the {"identity_provider": …}
// envelope its update uses, and its answer as the protocol config alone:
// the body is sent as described, and an answer that is a protocol config
// alone gives an IdentityProvider with only ProtocolConfig set.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/identity-providers (createIdentityProvider)
func (s *IdentityProvidersService) Create(ctx context.Context, req *CreateIdentityProviderRequest) (*IdentityProvider, error) {
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if err := checkName("DisplayName", req.DisplayName); err != nil {
		return nil, err
	}
	if req.ProtocolConfig == nil {
		return nil, invalid("ProtocolConfig", "is required (e.g. &OIDCIdentityProviderConfig{...})")
	}
	pc, secrets, err := identityProviderConfigWrite("ProtocolConfig", req.ProtocolConfig, true)
	if err != nil {
		return nil, err
	}
	body := identityProviderWrite{DisplayName: &req.DisplayName, ProtocolConfig: pc}
	out := &createdIdentityProvider{idp: new(IdentityProvider)}
	cl := &call{method: http.MethodPost, path: segs("identity-providers"), body: body}
	cl.bodySecrets = secrets
	if err := s.client.do(ctx, cl, out); err != nil {
		return nil, err
	}
	return out.idp, nil
}

// createdIdentityProvider decodes the answer of createIdentityProvider: an
// identity provider, or a protocol config alone as the API describes it.
type createdIdentityProvider struct{ idp *IdentityProvider }

func (c *createdIdentityProvider) decodeBody(b []byte) error {
	var probe struct {
		Type           *string         `json:"type"`
		ProtocolConfig json.RawMessage `json:"protocol_config"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return err
	}
	if probe.ProtocolConfig == nil && probe.Type != nil {
		pc, err := decodeIdentityProviderConfig(b)
		if err != nil {
			return err
		}
		c.idp.ProtocolConfig = pc
		return nil
	}
	return json.Unmarshal(b, c.idp)
}

// Get fetches an identity provider. A missing one is an *APIError for which
// errors.Is(err, ErrNotFound) is true.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/identity-providers/{identity_provider_id} (getIdentityProvider)
func (s *IdentityProvidersService) Get(ctx context.Context, identityProviderID string) (*IdentityProvider, error) {
	if err := checkID("identityProviderID", identityProviderID); err != nil {
		return nil, err
	}
	return fetch[IdentityProvider](ctx, s.client, &call{method: http.MethodGet, path: segs("identity-providers", identityProviderID), idempotent: true})
}

// List fetches one page of the realm's identity providers. PageSize is 0
// (the server's default) to 200; the API takes no offset for this list.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/identity-providers (listIdentityProviders)
func (s *IdentityProvidersService) List(ctx context.Context, opts *CursorOptions) (*Page[*IdentityProvider], error) {
	return list[*IdentityProvider](ctx, s.client, &call{path: segs("identity-providers")}, opts, maxIdentityProvidersPageSize, "identity_providers")
}

// All iterates over the realm's identity providers with
// [IdentityProvidersService.List]. opts is not modified.
func (s *IdentityProvidersService) All(ctx context.Context, opts *CursorOptions) iter.Seq2[*IdentityProvider, error] {
	return all(ctx, opts, s.List)
}

// Update changes an identity provider (PATCH): only what req sets is sent,
// and the API leaves the rest, protocol config members included, as it is.
//
// API: PATCH /v1/tenants/{tenant_id}/realms/{realm_id}/identity-providers/{identity_provider_id} (updateIdentityProvider)
func (s *IdentityProvidersService) Update(ctx context.Context, identityProviderID string, req *UpdateIdentityProviderRequest) (*IdentityProvider, error) {
	if err := checkID("identityProviderID", identityProviderID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	var w identityProviderWrite
	if req.DisplayName != nil {
		if err := checkName("DisplayName", *req.DisplayName); err != nil {
			return nil, err
		}
		w.DisplayName = req.DisplayName
	}
	pc, secrets, err := identityProviderConfigWrite("ProtocolConfig", req.ProtocolConfig, false)
	if err != nil {
		return nil, err
	}
	w.ProtocolConfig = pc
	body := struct {
		IdentityProvider identityProviderWrite `json:"identity_provider"`
	}{w}
	out := new(IdentityProvider)
	cl := &call{method: http.MethodPatch, path: segs("identity-providers", identityProviderID), body: body, idempotent: true}
	cl.bodySecrets = secrets
	if err := s.client.do(ctx, cl, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Delete deletes an identity provider.
//
// API: DELETE /v1/tenants/{tenant_id}/realms/{realm_id}/identity-providers/{identity_provider_id} (deleteIdentityProvider)
func (s *IdentityProvidersService) Delete(ctx context.Context, identityProviderID string) error {
	if err := checkID("identityProviderID", identityProviderID); err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, path: segs("identity-providers", identityProviderID), idempotent: true}, nil)
}
