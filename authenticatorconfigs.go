package beyondidentity

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// AuthenticatorConfig is an authenticator configuration of a realm: which
// authenticator an identity uses to bind and use a passkey and how it is
// reached. For the Embedded SDK it holds the app's Invoke URL, where binding
// links of EMAIL jobs are redirected ({invoke_url}/bind?...).
type AuthenticatorConfig struct {
	// ID identifies the configuration (a UUID). Read-only.
	ID string `json:"id,omitempty"`
	// RealmID is the realm the configuration belongs to. Read-only.
	RealmID string `json:"realm_id,omitempty"`
	// TenantID is the tenant the configuration belongs to. Read-only.
	TenantID string `json:"tenant_id,omitempty"`
	// DisplayName is a human readable name.
	DisplayName string `json:"display_name,omitempty"`
	// Config holds the settings of the authenticator kind: one of
	// *EmbeddedSettings, *HostedWebSettings, *ConsoleSettings,
	// *PlatformSettings, or *UnknownSettings for a kind this version of the
	// library does not know. Use a type switch to read it.
	Config AuthenticatorSettings `json:"-"`
}

// authenticatorConfigJSON is the wire form of AuthenticatorConfig.
type authenticatorConfigJSON struct {
	ID          string                `json:"id,omitempty"`
	RealmID     string                `json:"realm_id,omitempty"`
	TenantID    string                `json:"tenant_id,omitempty"`
	DisplayName string                `json:"display_name,omitempty"`
	Config      AuthenticatorSettings `json:"config,omitempty"`
}

// MarshalJSON encodes the configuration as the API does, with the settings
// under "config" tagged with their "type".
func (c AuthenticatorConfig) MarshalJSON() ([]byte, error) {
	return json.Marshal(authenticatorConfigJSON{
		ID: c.ID, RealmID: c.RealmID, TenantID: c.TenantID, DisplayName: c.DisplayName,
		Config: normalizeSettings(c.Config),
	})
}

// UnmarshalJSON decodes a configuration, choosing the Go type of Config by
// the "type" member of "config".
func (c *AuthenticatorConfig) UnmarshalJSON(b []byte) error {
	var w struct {
		ID          string          `json:"id"`
		RealmID     string          `json:"realm_id"`
		TenantID    string          `json:"tenant_id"`
		DisplayName string          `json:"display_name"`
		Config      json.RawMessage `json:"config"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	s, err := decodeSettings(w.Config)
	if err != nil {
		return err
	}
	*c = AuthenticatorConfig{ID: w.ID, RealmID: w.RealmID, TenantID: w.TenantID, DisplayName: w.DisplayName, Config: s}
	return nil
}

// AuthenticatorType names a kind of authenticator, the "type" of an
// authenticator configuration's settings. Values other than the constants
// may appear when the API adds kinds.
type AuthenticatorType string

// Authenticator kinds documented by the API.
const (
	// AuthenticatorTypeEmbedded is the Embedded SDK running in the
	// customer's own web or native app.
	AuthenticatorTypeEmbedded AuthenticatorType = "embedded"
	// AuthenticatorTypeHostedWeb is the web authenticator hosted by Beyond
	// Identity. It cannot be inlined in a binding job.
	AuthenticatorTypeHostedWeb AuthenticatorType = "hosted_web"
	// AuthenticatorTypeConsole is the enrollment into the Beyond Identity
	// Console.
	AuthenticatorTypeConsole AuthenticatorType = "console"
	// AuthenticatorTypePlatform is the Beyond Identity platform authenticator.
	AuthenticatorTypePlatform AuthenticatorType = "platform"
)

// AuthenticatorSettings is the kind-specific part of an authenticator
// configuration (its "config" member). The implementations are
// *EmbeddedSettings, *HostedWebSettings, *ConsoleSettings, *PlatformSettings
// and *UnknownSettings; the set is closed so that a type switch over them is
// complete, and UnknownSettings carries any kind the API adds later.
type AuthenticatorSettings interface {
	// AuthenticatorType returns the kind, the "type" member on the wire.
	AuthenticatorType() AuthenticatorType
	isAuthenticatorSettings()
}

// InvocationType says how the Embedded SDK's Invoke URL is invoked.
type InvocationType string

// Invocation types documented by the API.
const (
	// InvocationTypeAutomatic redirects the browser to the Invoke URL (the
	// default).
	InvocationTypeAutomatic InvocationType = "automatic"
	// InvocationTypeManual returns the URL to the caller in a JSON answer
	// instead of redirecting.
	InvocationTypeManual InvocationType = "manual"
)

// AuthenticationMethodType is a client-side authentication workflow an
// authenticator offers.
type AuthenticationMethodType string

// Authentication methods documented by the API.
const (
	// AuthenticationMethodWebAuthnPasskey creates a hardware-backed WebAuthn
	// passkey.
	AuthenticationMethodWebAuthnPasskey AuthenticationMethodType = "webauthn_passkey"
	// AuthenticationMethodSoftwarePasskey creates a passkey inside the
	// browser's context.
	AuthenticationMethodSoftwarePasskey AuthenticationMethodType = "software_passkey"
	// AuthenticationMethodEmailOneTimePassword verifies the identity with a
	// one-time password sent by email.
	AuthenticationMethodEmailOneTimePassword AuthenticationMethodType = "email_one_time_password"
)

// AuthenticationMethod is one element of an authenticator's
// authentication_methods list.
type AuthenticationMethod struct {
	// Type is the workflow.
	Type AuthenticationMethodType `json:"type"`
}

// EmbeddedSettings configures the Embedded SDK authenticator (type
// "embedded"). The API requires InvokeURL and TrustedOrigins when one is
// created.
type EmbeddedSettings struct {
	// InvokeURL is the app URL Beyond Identity sends the user to: binding
	// links of EMAIL jobs go to {InvokeURL}/bind?..., authentication to
	// {InvokeURL}/bi-authenticate?request=....
	InvokeURL string `json:"invoke_url,omitempty"`
	// InvocationType is how the Invoke URL is invoked; the API's default is
	// InvocationTypeAutomatic.
	InvocationType InvocationType `json:"invocation_type,omitempty"`
	// TrustedOrigins are the browser origins (scheme://host[:port]) allowed
	// to call the Beyond Identity API (CORS).
	TrustedOrigins []string `json:"trusted_origins,omitempty"`
	// AuthenticationMethods are the workflows offered.
	AuthenticationMethods []AuthenticationMethod `json:"authentication_methods,omitempty"`
}

// HostedWebSettings configures the web authenticator hosted by Beyond
// Identity (type "hosted_web"). The API requires both fields when one is
// created.
type HostedWebSettings struct {
	// AuthenticationMethods are the workflows offered.
	AuthenticationMethods []AuthenticationMethod `json:"authentication_methods,omitempty"`
	// TrustedOrigins are the browser origins allowed to call the API (CORS).
	TrustedOrigins []string `json:"trusted_origins,omitempty"`
}

// ConsoleVerificationType is how an identity is verified before it enrolls
// a credential for the Beyond Identity Console.
type ConsoleVerificationType string

// Console verification methods documented by the API.
const (
	// ConsoleVerificationIDP verifies the identity with an identity provider
	// (set ConsoleVerificationMethod.IDPID).
	ConsoleVerificationIDP ConsoleVerificationType = "idp"
	// ConsoleVerificationNone performs no verification.
	ConsoleVerificationNone ConsoleVerificationType = "none"
)

// ConsoleSettings configures the Console authenticator (type "console").
type ConsoleSettings struct {
	// OnboardingConfiguration configures credential enrollment. The API
	// requires it when one is created.
	OnboardingConfiguration ConsoleOnboardingConfiguration `json:"onboarding_configuration,omitzero"`
}

// ConsoleOnboardingConfiguration configures the Console onboarding
// experience.
type ConsoleOnboardingConfiguration struct {
	// VerificationMethod is how identities are verified.
	VerificationMethod ConsoleVerificationMethod `json:"verification_method,omitzero"`
}

// ConsoleVerificationMethod is how identities are verified during Console
// onboarding.
type ConsoleVerificationMethod struct {
	// Type is ConsoleVerificationIDP or ConsoleVerificationNone.
	Type ConsoleVerificationType `json:"type,omitempty"`
	// IDPID is the identity provider (a UUID) that verifies the identity;
	// only for ConsoleVerificationIDP.
	IDPID string `json:"idp_id,omitempty"`
}

// PlatformSettings configures the platform authenticator (type "platform").
type PlatformSettings struct {
	// TrustedOrigins are the browser origins allowed to call the API (CORS).
	// The API may send null, which decodes as nil.
	TrustedOrigins []string `json:"trusted_origins,omitempty"`
	// RoamingAuthConfig configures roaming authentication; nil leaves it out.
	RoamingAuthConfig *RoamingAuthConfig `json:"roaming_auth_config,omitempty"`
}

// RoamingAuthConfig configures the roaming authentication feature of the
// platform authenticator.
type RoamingAuthConfig struct {
	// Enabled offers roaming authentication at all. Always sent.
	Enabled bool `json:"enabled"`
	// AllowUnknownUser offers roaming authentication to users who cannot be
	// identified from the login hint. Always sent.
	AllowUnknownUser bool `json:"allow_unknown_user"`
	// AllowedSourceIPs, when not empty, limits roaming authentication to
	// these source IP addresses or ranges.
	AllowedSourceIPs []string `json:"allowed_source_ips,omitempty"`
	// AllowedUserGroupIDs, when not empty, limits it to members of these
	// groups.
	AllowedUserGroupIDs []string `json:"allowed_user_group_ids,omitempty"`
	// AllowedUserIDs, when not empty, limits it to these users.
	AllowedUserIDs []string `json:"allowed_user_ids,omitempty"`
}

// UnmarshalJSON decodes the configuration. It also reads AllowUnknownUser
// from "allow_unknow_user" when "allow_unknown_user" is absent (see the
// README, "Where the spec and practice differ").
func (r *RoamingAuthConfig) UnmarshalJSON(b []byte) error {
	type plain RoamingAuthConfig
	var w struct {
		plain
		AllowUnknownUser *bool `json:"allow_unknown_user"`
		Misspelled       *bool `json:"allow_unknow_user"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = RoamingAuthConfig(w.plain)
	switch {
	case w.AllowUnknownUser != nil:
		r.AllowUnknownUser = *w.AllowUnknownUser
	case w.Misspelled != nil:
		r.AllowUnknownUser = *w.Misspelled
	}
	return nil
}

// UnknownSettings holds the settings of an authenticator kind this version
// of the library does not know, as the raw JSON object the API sent. It is
// encoded back unchanged, so such a configuration survives a round trip.
type UnknownSettings struct {
	// Type is the kind, the "type" member of Raw ("" when Raw has none).
	Type AuthenticatorType
	// Raw is the whole settings object. When it is empty, the settings are
	// encoded as {"type": Type}.
	Raw json.RawMessage
}

// AuthenticatorType returns AuthenticatorTypeEmbedded.
func (*EmbeddedSettings) AuthenticatorType() AuthenticatorType { return AuthenticatorTypeEmbedded }

// AuthenticatorType returns AuthenticatorTypeHostedWeb.
func (*HostedWebSettings) AuthenticatorType() AuthenticatorType { return AuthenticatorTypeHostedWeb }

// AuthenticatorType returns AuthenticatorTypeConsole.
func (*ConsoleSettings) AuthenticatorType() AuthenticatorType { return AuthenticatorTypeConsole }

// AuthenticatorType returns AuthenticatorTypePlatform.
func (*PlatformSettings) AuthenticatorType() AuthenticatorType { return AuthenticatorTypePlatform }

// AuthenticatorType returns Type, or when it is empty the "type" member of
// Raw.
func (u *UnknownSettings) AuthenticatorType() AuthenticatorType {
	if u.Type != "" || len(u.Raw) == 0 {
		return u.Type
	}
	var probe struct {
		Type AuthenticatorType `json:"type"`
	}
	_ = json.Unmarshal(u.Raw, &probe)
	return probe.Type
}

func (*EmbeddedSettings) isAuthenticatorSettings()  {}
func (*HostedWebSettings) isAuthenticatorSettings() {}
func (*ConsoleSettings) isAuthenticatorSettings()   {}
func (*PlatformSettings) isAuthenticatorSettings()  {}
func (*UnknownSettings) isAuthenticatorSettings()   {}

// MarshalJSON encodes the settings with "type": "embedded".
func (s EmbeddedSettings) MarshalJSON() ([]byte, error) {
	type plain EmbeddedSettings
	return marshalTyped(AuthenticatorTypeEmbedded, plain(s))
}

// MarshalJSON encodes the settings with "type": "hosted_web".
func (s HostedWebSettings) MarshalJSON() ([]byte, error) {
	type plain HostedWebSettings
	return marshalTyped(AuthenticatorTypeHostedWeb, plain(s))
}

// MarshalJSON encodes the settings with "type": "console".
func (s ConsoleSettings) MarshalJSON() ([]byte, error) {
	type plain ConsoleSettings
	return marshalTyped(AuthenticatorTypeConsole, plain(s))
}

// MarshalJSON encodes the settings with "type": "platform".
func (s PlatformSettings) MarshalJSON() ([]byte, error) {
	type plain PlatformSettings
	return marshalTyped(AuthenticatorTypePlatform, plain(s))
}

// MarshalJSON encodes Raw unchanged, or {"type": Type} when Raw is empty.
func (u UnknownSettings) MarshalJSON() ([]byte, error) {
	if len(bytes.TrimSpace(u.Raw)) == 0 {
		return json.Marshal(struct {
			Type AuthenticatorType `json:"type"`
		}{u.Type})
	}
	if !json.Valid(u.Raw) {
		return nil, fmt.Errorf("beyondidentity: UnknownSettings.Raw is not valid JSON")
	}
	return u.Raw, nil
}

// marshalTyped encodes v (a struct) as a JSON object whose first member is
// "type".
func marshalTyped(t AuthenticatorType, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	tb, _ := json.Marshal(t)
	out := make([]byte, 0, len(b)+len(tb)+10)
	out = append(out, `{"type":`...)
	out = append(out, tb...)
	if len(b) > 2 { // more than "{}"
		out = append(out, ',')
	}
	out = append(out, b[1:]...)
	return out, nil
}

// decodeSettings decodes an authenticator's "config" object by its "type".
// null or an absent object gives nil.
func decodeSettings(raw json.RawMessage) (AuthenticatorSettings, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	var probe struct {
		Type AuthenticatorType `json:"type"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("decoding authenticator config: %w", err)
	}
	var s AuthenticatorSettings
	switch probe.Type {
	case AuthenticatorTypeEmbedded:
		s = new(EmbeddedSettings)
	case AuthenticatorTypeHostedWeb:
		s = new(HostedWebSettings)
	case AuthenticatorTypeConsole:
		s = new(ConsoleSettings)
	case AuthenticatorTypePlatform:
		s = new(PlatformSettings)
	default:
		return &UnknownSettings{Type: probe.Type, Raw: append(json.RawMessage(nil), raw...)}, nil
	}
	if err := json.Unmarshal(raw, s); err != nil {
		return nil, fmt.Errorf("decoding %s authenticator config: %w", probe.Type, err)
	}
	return s, nil
}

// normalizeSettings turns a typed nil pointer into a nil interface, so that
// "no settings" is never sent as null.
func normalizeSettings(s AuthenticatorSettings) AuthenticatorSettings {
	switch v := s.(type) {
	case *EmbeddedSettings:
		if v == nil {
			return nil
		}
	case *HostedWebSettings:
		if v == nil {
			return nil
		}
	case *ConsoleSettings:
		if v == nil {
			return nil
		}
	case *PlatformSettings:
		if v == nil {
			return nil
		}
	case *UnknownSettings:
		if v == nil {
			return nil
		}
	}
	return s
}

// checkSettings validates settings sent to the API. full is true for a
// create, where the API's required members must be present.
func checkSettings(field string, s AuthenticatorSettings, full bool) error {
	switch v := s.(type) {
	case *EmbeddedSettings:
		if v.InvokeURL != "" || full {
			if err := checkInvokeURL(field+".InvokeURL", v.InvokeURL); err != nil {
				return err
			}
		}
		if full && len(v.TrustedOrigins) == 0 {
			return invalid(field+".TrustedOrigins", "is required for an embedded authenticator")
		}
	case *HostedWebSettings:
		if full && len(v.AuthenticationMethods) == 0 {
			return invalid(field+".AuthenticationMethods", "is required for a hosted_web authenticator")
		}
		if full && len(v.TrustedOrigins) == 0 {
			return invalid(field+".TrustedOrigins", "is required for a hosted_web authenticator")
		}
	case *ConsoleSettings:
		vm := v.OnboardingConfiguration.VerificationMethod
		if full && vm.Type == "" {
			return invalid(field+".OnboardingConfiguration.VerificationMethod.Type", "is required for a console authenticator")
		}
		if vm.Type == ConsoleVerificationIDP && vm.IDPID == "" {
			return invalid(field+".OnboardingConfiguration.VerificationMethod.IDPID", "is required for the idp verification method")
		}
	case *UnknownSettings:
		if len(bytes.TrimSpace(v.Raw)) > 0 {
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(v.Raw, &obj); err != nil {
				return invalid(field+".Raw", "is not a JSON object")
			}
		} else if v.Type == "" {
			return invalid(field, "UnknownSettings has neither Type nor Raw")
		}
	}
	return nil
}

// checkInvokeURL requires an absolute URL (an https or http URL, or an app
// link with a custom scheme).
func checkInvokeURL(field, raw string) error {
	if raw == "" {
		return invalid(field, "is required for an embedded authenticator")
	}
	return checkAbsoluteURL(field, raw)
}

// checkAbsoluteURL requires raw to be an absolute URL; http and https URLs
// also need a host.
func checkAbsoluteURL(field, raw string) error {
	if strings.ContainsFunc(raw, isControl) {
		return invalid(field, "contains a control character")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return invalid(field, fmt.Sprintf("%q is not a URL", raw))
	}
	if !u.IsAbs() {
		return invalid(field, fmt.Sprintf("%q is not an absolute URL (it has no scheme)", raw))
	}
	if (u.Scheme == "http" || u.Scheme == "https") && u.Host == "" {
		return invalid(field, fmt.Sprintf("%q has no host", raw))
	}
	return nil
}

// maxAuthenticatorConfigsPageSize is the largest page the API serves.
const maxAuthenticatorConfigsPageSize = 100

// CreateAuthenticatorConfigRequest is the body of
// AuthenticatorConfigsService.Create.
type CreateAuthenticatorConfigRequest struct {
	// DisplayName is a human readable name.
	DisplayName string
	// Config holds the settings of the authenticator kind, e.g.
	// &EmbeddedSettings{InvokeURL: ..., TrustedOrigins: ...}. Required.
	Config AuthenticatorSettings
}

// UpdateAuthenticatorConfigRequest is the body of
// AuthenticatorConfigsService.Update. Fields left nil are not sent and stay
// unchanged.
type UpdateAuthenticatorConfigRequest struct {
	// DisplayName, when set, renames the configuration.
	DisplayName *string
	// Config, when set, updates the settings. Its zero fields are not sent,
	// so &EmbeddedSettings{InvokeURL: u} changes only the Invoke URL. The
	// "type" member is always sent.
	Config AuthenticatorSettings
}

// authenticatorConfigWrite is the wire form of create and update bodies.
type authenticatorConfigWrite struct {
	DisplayName *string               `json:"display_name,omitempty"`
	Config      AuthenticatorSettings `json:"config,omitempty"`
}

type authenticatorConfigEnvelope struct {
	AuthenticatorConfig authenticatorConfigWrite `json:"authenticator_config"`
}

// ListAuthenticatorConfigsOptions pages and filters
// [AuthenticatorConfigsService.List]. Zero fields are not sent. The API
// declares no skip parameter for this list.
type ListAuthenticatorConfigsOptions struct {
	// PageSize is the number of configurations per page, 1 to 100 (server
	// default 100).
	PageSize int `url:"page_size,omitempty"`
	// PageToken continues a previous list from its NextPageToken.
	PageToken string `url:"page_token,omitempty"`
	// Filter is a SCIM filter (RFC 7644 §3.4.2.2).
	Filter string `url:"filter,omitempty"`
}

// AuthenticatorConfigsService handles authenticator configurations. Get it
// from Client.AuthenticatorConfigs.
type AuthenticatorConfigsService service

// Create creates an authenticator configuration in the client's realm.
// A create is not retried after the server may have acted on it.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/authenticator-configs (CreateAuthenticatorConfig)
func (s *AuthenticatorConfigsService) Create(ctx context.Context, req *CreateAuthenticatorConfigRequest) (*AuthenticatorConfig, error) {
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	cfg := normalizeSettings(req.Config)
	if cfg == nil {
		return nil, invalid("Config", "is required (e.g. &EmbeddedSettings{...})")
	}
	if err := checkSettings("Config", cfg, true); err != nil {
		return nil, err
	}
	body := authenticatorConfigEnvelope{AuthenticatorConfig: authenticatorConfigWrite{Config: cfg}}
	if req.DisplayName != "" {
		body.AuthenticatorConfig.DisplayName = &req.DisplayName
	}
	return fetch[AuthenticatorConfig](ctx, s.client, &call{method: http.MethodPost, path: segs("authenticator-configs"), body: body})
}

// Get fetches an authenticator configuration.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/authenticator-configs/{authenticator_config_id} (GetAuthenticatorConfig)
func (s *AuthenticatorConfigsService) Get(ctx context.Context, authenticatorConfigID string) (*AuthenticatorConfig, error) {
	if err := checkID("authenticatorConfigID", authenticatorConfigID); err != nil {
		return nil, err
	}
	return fetch[AuthenticatorConfig](ctx, s.client, &call{method: http.MethodGet, path: segs("authenticator-configs", authenticatorConfigID), idempotent: true})
}

// List fetches one page of the realm's authenticator configurations.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/authenticator-configs (ListAuthenticatorConfigs)
func (s *AuthenticatorConfigsService) List(ctx context.Context, opts *ListAuthenticatorConfigsOptions) (*Page[*AuthenticatorConfig], error) {
	return list[*AuthenticatorConfig](ctx, s.client, &call{path: segs("authenticator-configs")},
		opts, maxAuthenticatorConfigsPageSize, "authenticator_configs")
}

// All iterates over every authenticator configuration of the realm with
// [AuthenticatorConfigsService.List], fetching pages as the loop needs
// them. opts is not modified.
func (s *AuthenticatorConfigsService) All(ctx context.Context, opts *ListAuthenticatorConfigsOptions) iter.Seq2[*AuthenticatorConfig, error] {
	return all(ctx, opts, s.List)
}

func (o *ListAuthenticatorConfigsOptions) paging() (int, int, *string) {
	return o.PageSize, 0, &o.PageToken
}

// Update changes the fields of an authenticator configuration that are set
// in req (PATCH) and returns the updated configuration.
//
// API: PATCH /v1/tenants/{tenant_id}/realms/{realm_id}/authenticator-configs/{authenticator_config_id} (UpdateAuthenticatorConfig)
func (s *AuthenticatorConfigsService) Update(ctx context.Context, authenticatorConfigID string, req *UpdateAuthenticatorConfigRequest) (*AuthenticatorConfig, error) {
	if err := checkID("authenticatorConfigID", authenticatorConfigID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	cfg := normalizeSettings(req.Config)
	if cfg != nil {
		if err := checkSettings("Config", cfg, false); err != nil {
			return nil, err
		}
	}
	body := authenticatorConfigEnvelope{AuthenticatorConfig: authenticatorConfigWrite{DisplayName: req.DisplayName, Config: cfg}}
	return fetch[AuthenticatorConfig](ctx, s.client, &call{method: http.MethodPatch, path: segs("authenticator-configs", authenticatorConfigID),
		body: body, idempotent: true})
}

// Delete deletes an authenticator configuration.
//
// API: DELETE /v1/tenants/{tenant_id}/realms/{realm_id}/authenticator-configs/{authenticator_config_id} (DeleteAuthenticatorConfig)
func (s *AuthenticatorConfigsService) Delete(ctx context.Context, authenticatorConfigID string) error {
	if err := checkID("authenticatorConfigID", authenticatorConfigID); err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, path: segs("authenticator-configs", authenticatorConfigID), idempotent: true}, nil)
}
