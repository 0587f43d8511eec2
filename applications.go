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

// Application is a client application that uses Beyond Identity for
// authentication and, through a resource server, for access to an API: a
// web or native app, or machine-to-machine credentials. Its ID is the
// application_id that TokensService takes.
type Application struct {
	// ID identifies the application (a UUID). Read-only.
	ID string `json:"id,omitempty"`
	// RealmID is the application's realm. Read-only.
	RealmID string `json:"realm_id,omitempty"`
	// TenantID is the application's tenant. Read-only.
	TenantID string `json:"tenant_id,omitempty"`
	// ResourceServerID is the resource server whose scopes the application
	// can grant; empty for an application that only authenticates.
	ResourceServerID string `json:"resource_server_id,omitempty"`
	// AuthenticatorConfigID is the authenticator configuration its users
	// authenticate with (unused for client-credentials applications).
	AuthenticatorConfigID string `json:"authenticator_config_id,omitempty"`
	// DisplayName is a human-readable name.
	DisplayName string `json:"display_name,omitempty"`
	// IsManaged is true for applications Beyond Identity manages (the
	// Management API application), which cannot be changed. Read-only.
	IsManaged bool `json:"is_managed,omitempty"`
	// ProtocolConfig holds the settings of the application's protocol: one
	// of *OAuth2Config, *OIDCConfig, or *UnknownProtocolConfig for a kind
	// this version of the library does not know. Use a type switch to read
	// it.
	ProtocolConfig ProtocolConfig `json:"-"`
}

// MarshalJSON encodes the application as the API does.
func (a Application) MarshalJSON() ([]byte, error) {
	type plain Application
	return json.Marshal(struct {
		plain
		ProtocolConfig ProtocolConfig `json:"protocol_config,omitempty"`
	}{plain(a), a.ProtocolConfig})
}

// UnmarshalJSON decodes an application, choosing the Go type of
// ProtocolConfig by its "type" member.
func (a *Application) UnmarshalJSON(b []byte) error {
	type plain Application
	var w struct {
		plain
		ProtocolConfig json.RawMessage `json:"protocol_config"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	pc, err := decodeProtocolConfig(w.ProtocolConfig)
	if err != nil {
		return err
	}
	*a = Application(w.plain)
	a.ProtocolConfig = pc
	return nil
}

// ProtocolType names the protocol of an application, the "type" of its
// protocol config. Values other than the constants may appear.
type ProtocolType string

// Protocol types of applications.
const (
	ProtocolTypeOAuth2 ProtocolType = "oauth2"
	ProtocolTypeOIDC   ProtocolType = "oidc"
)

// ProtocolConfig is the protocol-specific part of an application (its
// "protocol_config" member). The implementations are *OAuth2Config,
// *OIDCConfig and *UnknownProtocolConfig; the set is closed so that a type
// switch over them is complete, and UnknownProtocolConfig carries any kind
// the API adds (or SAML, which the library does not type).
type ProtocolConfig interface {
	// ProtocolType returns the kind, the "type" member on the wire.
	ProtocolType() ProtocolType
	isProtocolConfig()
}

// Confidentiality says whether an application can keep a client secret
// (OAuth 2.0 client types).
type Confidentiality string

// Confidentialities documented by the API.
const (
	// ConfidentialityConfidential clients keep their credentials secret,
	// such as a backend.
	ConfidentialityConfidential Confidentiality = "confidential"
	// ConfidentialityPublic clients cannot, such as a single-page or native
	// app; they must use PKCE.
	ConfidentialityPublic Confidentiality = "public"
)

// GrantType is an OAuth 2.0 grant an application's token endpoint accepts.
type GrantType string

// Grant types documented by the API.
const (
	GrantTypeAuthorizationCode GrantType = "authorization_code"
	GrantTypeClientCredentials GrantType = "client_credentials"
)

// PKCEMethod is the PKCE code challenge method an application supports
// (RFC 7636).
type PKCEMethod string

// PKCE methods documented by the API.
const (
	PKCEDisabled PKCEMethod = "disabled"
	PKCEPlain    PKCEMethod = "plain"
	PKCES256     PKCEMethod = "s256"
)

// TokenConfiguration sets the tokens an application issues.
type TokenConfiguration struct {
	// ExpiresAfter is how long a token is valid, in seconds (the API's
	// unsigned 32-bit range).
	ExpiresAfter int64 `json:"expires_after"`
	// TokenSigningAlgorithm is how tokens are signed; only "RS256".
	TokenSigningAlgorithm string `json:"token_signing_algorithm,omitempty"`
	// SubjectField is the property of the principal that fills the
	// token's subject: "id", "email" or "username".
	SubjectField string `json:"subject_field,omitempty"`
}

// OAuthSettings are the settings shared by OAuth 2.0 and OpenID Connect
// applications (*OAuth2Config and *OIDCConfig).
type OAuthSettings struct {
	// AllowedScopes are the scopes the application can grant: a subset of
	// its resource server's scopes, empty without a resource server.
	AllowedScopes []string `json:"allowed_scopes,omitzero"`
	// ClientID is the application's OAuth client ID. Read-only.
	ClientID string `json:"client_id,omitempty"`
	// ClientSecret is the application's OAuth client secret, which the API
	// hands out for confidential applications. Read-only; it prints as
	// REDACTED (see Secret).
	ClientSecret Secret `json:"client_secret,omitzero"`
	// Confidentiality says whether the application can keep a secret.
	Confidentiality Confidentiality `json:"confidentiality,omitempty"`
	// TokenEndpointAuthMethod is how the application authenticates at the
	// token endpoint. The API ignores it on writes and sets it from
	// Confidentiality.
	//
	// Deprecated: the API has deprecated this field.
	TokenEndpointAuthMethod string `json:"token_endpoint_auth_method,omitempty"`
	// GrantTypes are the grants the token endpoint accepts.
	GrantTypes []GrantType `json:"grant_type,omitzero"`
	// RedirectURIs are where the authorization server may send the user
	// back after authorization.
	RedirectURIs []string `json:"redirect_uris,omitzero"`
	// TokenConfiguration sets the tokens the application issues.
	TokenConfiguration *TokenConfiguration `json:"token_configuration,omitempty"`
	// PKCE is the PKCE method the application supports.
	PKCE PKCEMethod `json:"pkce,omitempty"`
	// TokenFormat is the access token format: TokenFormatSelfContained (a
	// JWT) or TokenFormatReferential.
	TokenFormat TokenFormat `json:"token_format,omitempty"`

	// Extra holds the members this version of the library does not know,
	// by JSON name, as the server sent them; they are written back
	// unchanged. Its keys must not be the JSON name of a field above or
	// "type".
	Extra map[string]json.RawMessage `json:"-"`
}

// OAuth2Config is the protocol config of an OAuth 2.0 application.
type OAuth2Config struct{ OAuthSettings }

// OIDCConfig is the protocol config of an OpenID Connect application.
type OIDCConfig struct{ OAuthSettings }

// UnknownProtocolConfig is a protocol config of a kind this version of the
// library does not know. Raw is its JSON as the server sent it, "type"
// included; it is written back byte for byte.
type UnknownProtocolConfig struct {
	// Raw is the config's JSON object as the server sent it, "type"
	// included.
	Raw json.RawMessage
}

// ProtocolType returns ProtocolTypeOAuth2.
func (*OAuth2Config) ProtocolType() ProtocolType { return ProtocolTypeOAuth2 }

// ProtocolType returns ProtocolTypeOIDC.
func (*OIDCConfig) ProtocolType() ProtocolType { return ProtocolTypeOIDC }

// ProtocolType returns the "type" member of Raw, or "" when it has none.
func (u *UnknownProtocolConfig) ProtocolType() ProtocolType {
	var w struct {
		Type ProtocolType `json:"type"`
	}
	_ = json.Unmarshal(u.Raw, &w)
	return w.Type
}

func (*OAuth2Config) isProtocolConfig()          {}
func (*OIDCConfig) isProtocolConfig()            {}
func (*UnknownProtocolConfig) isProtocolConfig() {}

// oauthFields are the JSON names of OAuthSettings' fields.
var oauthFields = newJSONFields(reflect.TypeFor[OAuthSettings]())

// MarshalJSON encodes the config with "type": "oauth2", every field that is
// set, and every Extra member unchanged. The client secret is never
// encoded as it is: see Secret.
func (c OAuth2Config) MarshalJSON() ([]byte, error) { return c.encode(ProtocolTypeOAuth2) }

// MarshalJSON encodes the config with "type": "oidc"; see
// OAuth2Config.MarshalJSON.
func (c OIDCConfig) MarshalJSON() ([]byte, error) { return c.encode(ProtocolTypeOIDC) }

// MarshalJSON returns Raw.
func (u UnknownProtocolConfig) MarshalJSON() ([]byte, error) {
	if len(u.Raw) == 0 {
		return []byte("null"), nil
	}
	return u.Raw, nil
}

func (s OAuthSettings) encode(t ProtocolType) ([]byte, error) {
	type plain OAuthSettings
	b, err := json.Marshal(struct {
		Type ProtocolType `json:"type"`
		plain
	}{t, plain(s)})
	if err != nil {
		return nil, err
	}
	return appendExtra(b, s.Extra, oauthFields, "protocol config member")
}

// UnmarshalJSON decodes the settings and keeps unknown members in Extra.
func (s *OAuthSettings) UnmarshalJSON(b []byte) error {
	type plain OAuthSettings
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	extra, err := extraMembers(b, oauthFields)
	if err != nil {
		return err
	}
	*s = OAuthSettings(p)
	s.Extra = extra
	return nil
}

// decodeProtocolConfig decodes a protocol config by its "type"; null or
// absent gives nil.
func decodeProtocolConfig(raw json.RawMessage) (ProtocolConfig, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var w struct {
		Type ProtocolType `json:"type"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("decoding protocol_config: %w", err)
	}
	var (
		pc       ProtocolConfig
		settings *OAuthSettings
	)
	switch w.Type {
	case ProtocolTypeOAuth2:
		c := new(OAuth2Config)
		pc, settings = c, &c.OAuthSettings
	case ProtocolTypeOIDC:
		c := new(OIDCConfig)
		pc, settings = c, &c.OAuthSettings
	default:
		return &UnknownProtocolConfig{Raw: append(json.RawMessage(nil), raw...)}, nil
	}
	if err := json.Unmarshal(raw, settings); err != nil {
		return nil, fmt.Errorf("decoding the %s protocol_config: %w", w.Type, err)
	}
	return pc, nil
}

// protocolWrite is the wire form of a protocol config sent to the API: the
// read-only client ID and secret are left out.
func protocolWrite(field string, pc ProtocolConfig) (json.RawMessage, error) {
	switch c := pc.(type) {
	case nil:
		return nil, nil
	case *OAuth2Config:
		if c == nil {
			return nil, invalid(field, "is a nil *OAuth2Config")
		}
		return writeOAuth(field, c.OAuthSettings, ProtocolTypeOAuth2)
	case *OIDCConfig:
		if c == nil {
			return nil, invalid(field, "is a nil *OIDCConfig")
		}
		return writeOAuth(field, c.OAuthSettings, ProtocolTypeOIDC)
	case *UnknownProtocolConfig:
		if c == nil || !json.Valid(c.Raw) || c.ProtocolType() == "" {
			return nil, invalid(field, "an UnknownProtocolConfig needs Raw, a JSON object with a \"type\"")
		}
		return c.Raw, nil
	}
	return nil, invalid(field, fmt.Sprintf("unsupported protocol config type %T", pc))
}

// writeOAuth encodes OAuth settings for a write, without the read-only
// client ID and secret.
func writeOAuth(field string, s OAuthSettings, t ProtocolType) (json.RawMessage, error) {
	if err := checkExtra(field+".Extra", s.Extra, oauthFields, "a member"); err != nil {
		return nil, err
	}
	s.ClientID, s.ClientSecret = "", Secret{}
	return s.encode(t)
}

// CreateApplicationRequest is the body of [ApplicationsService.Create].
type CreateApplicationRequest struct {
	// DisplayName is a human-readable name. Required.
	DisplayName string
	// ResourceServerID, when set, is the resource server whose scopes the
	// application can grant.
	ResourceServerID string
	// AuthenticatorConfigID, when set, is the authenticator configuration
	// the application's users authenticate with.
	AuthenticatorConfigID string
	// ProtocolConfig is the protocol and its settings, e.g.
	// &OAuth2Config{OAuthSettings{...}}. Required. Its ClientID and
	// ClientSecret are set by the API and not sent.
	ProtocolConfig ProtocolConfig
}

// UpdateApplicationRequest is the body of [ApplicationsService.Update] (a
// PATCH): only the fields that are set are sent, and the API leaves the
// others as they are.
type UpdateApplicationRequest struct {
	// DisplayName, when set, is the new name.
	DisplayName *string
	// ResourceServerID, when set, is the new resource server.
	ResourceServerID *string
	// AuthenticatorConfigID, when set, is the new authenticator config.
	AuthenticatorConfigID *string
	// ProtocolConfig, when set, changes the members of the protocol config
	// that it sets: for *OAuth2Config and *OIDCConfig, the fields that are
	// not zero (a nil slice is not sent; an empty one clears the list) and
	// every Extra member. Its type must be the application's protocol.
	ProtocolConfig ProtocolConfig
}

// applicationWrite is the wire form of an application sent to the API.
type applicationWrite struct {
	DisplayName           *string         `json:"display_name,omitempty"`
	ResourceServerID      *string         `json:"resource_server_id,omitempty"`
	AuthenticatorConfigID *string         `json:"authenticator_config_id,omitempty"`
	ProtocolConfig        json.RawMessage `json:"protocol_config,omitempty"`
}

// Limits of the application operations.
const maxApplicationsPageSize = 100

// ApplicationsService handles the applications of the client's realm. Get
// it from Client.Applications.
type ApplicationsService service

// Create creates an application and returns it, with the client ID and,
// for a confidential application, the client secret the API generated.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/applications (CreateApplication)
func (s *ApplicationsService) Create(ctx context.Context, req *CreateApplicationRequest) (*Application, error) {
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if err := checkName("DisplayName", req.DisplayName); err != nil {
		return nil, err
	}
	if req.ProtocolConfig == nil {
		return nil, invalid("ProtocolConfig", "is required (e.g. &OAuth2Config{...})")
	}
	w := applicationWrite{DisplayName: &req.DisplayName}
	if err := w.setIDs("", req.ResourceServerID, req.AuthenticatorConfigID); err != nil {
		return nil, err
	}
	pc, err := protocolWrite("ProtocolConfig", req.ProtocolConfig)
	if err != nil {
		return nil, err
	}
	w.ProtocolConfig = pc
	body := struct {
		Application applicationWrite `json:"application"`
	}{w}
	return fetch[Application](ctx, s.client, &call{method: http.MethodPost, path: segs("applications"), body: body})
}

// setIDs validates and sets the optional IDs of a write (prefix names the
// request in errors).
func (w *applicationWrite) setIDs(prefix, resourceServerID, authenticatorConfigID string) error {
	if resourceServerID != "" {
		if err := checkID(prefix+"ResourceServerID", resourceServerID); err != nil {
			return err
		}
		w.ResourceServerID = &resourceServerID
	}
	if authenticatorConfigID != "" {
		if err := checkID(prefix+"AuthenticatorConfigID", authenticatorConfigID); err != nil {
			return err
		}
		w.AuthenticatorConfigID = &authenticatorConfigID
	}
	return nil
}

// Get fetches an application.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/applications/{application_id} (GetApplication)
func (s *ApplicationsService) Get(ctx context.Context, applicationID string) (*Application, error) {
	if err := checkID("applicationID", applicationID); err != nil {
		return nil, err
	}
	return fetch[Application](ctx, s.client, &call{method: http.MethodGet, path: segs("applications", applicationID), idempotent: true})
}

// List fetches one page of the realm's applications. PageSize is 0 (the
// server's default) to 100; the API takes no offset for this list.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/applications (ListApplications)
func (s *ApplicationsService) List(ctx context.Context, opts *CursorOptions) (*Page[*Application], error) {
	return list[*Application](ctx, s.client, &call{path: segs("applications")}, opts, maxApplicationsPageSize, "applications")
}

// All iterates over the realm's applications with [ApplicationsService.List].
// opts is not modified.
func (s *ApplicationsService) All(ctx context.Context, opts *CursorOptions) iter.Seq2[*Application, error] {
	return all(ctx, opts, s.List)
}

// Update changes an application (PATCH): only what req sets is sent, and
// the API leaves the rest, protocol config members included, as it is.
// Managed applications cannot be changed (403, errors.Is(err,
// ErrForbidden)).
//
// API: PATCH /v1/tenants/{tenant_id}/realms/{realm_id}/applications/{application_id} (UpdateApplication)
func (s *ApplicationsService) Update(ctx context.Context, applicationID string, req *UpdateApplicationRequest) (*Application, error) {
	if err := checkID("applicationID", applicationID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	var w applicationWrite
	if req.DisplayName != nil {
		if err := checkName("DisplayName", *req.DisplayName); err != nil {
			return nil, err
		}
		w.DisplayName = req.DisplayName
	}
	for _, f := range []struct {
		name string
		v    *string
		dst  **string
	}{{"ResourceServerID", req.ResourceServerID, &w.ResourceServerID}, {"AuthenticatorConfigID", req.AuthenticatorConfigID, &w.AuthenticatorConfigID}} {
		if f.v != nil && *f.v != "" {
			if err := checkID(f.name, *f.v); err != nil {
				return nil, err
			}
		}
		*f.dst = f.v
	}
	pc, err := protocolWrite("ProtocolConfig", req.ProtocolConfig)
	if err != nil {
		return nil, err
	}
	w.ProtocolConfig = pc
	body := struct {
		Application applicationWrite `json:"application"`
	}{w}
	return fetch[Application](ctx, s.client, &call{method: http.MethodPatch, path: segs("applications", applicationID), body: body, idempotent: true})
}

// Delete deletes an application; the tokens it issued stop working.
//
// API: DELETE /v1/tenants/{tenant_id}/realms/{realm_id}/applications/{application_id} (DeleteApplication)
func (s *ApplicationsService) Delete(ctx context.Context, applicationID string) error {
	if err := checkID("applicationID", applicationID); err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, path: segs("applications", applicationID), idempotent: true}, nil)
}
