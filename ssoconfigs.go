package beyondidentity

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strings"
)

// SSOConfig is a single sign-on configuration of the realm: an application
// its users reach through Beyond Identity (a bookmark, an OpenID Connect,
// SAML or WS-Federation application), an identity provider they sign in
// with (a generic OIDC provider, Okta), or an integration (Entra ID external
// authentication methods, SCIM). Identities and groups are associated with
// it to give them access.
type SSOConfig struct {
	// ID identifies the SSO config within the realm (a UUID). Read-only.
	ID string `json:"id,omitempty"`
	// DisplayName is a human-readable name, set at creation.
	DisplayName string `json:"display_name,omitempty"`
	// IsMigrated marks an SSO config that a migration script added rather
	// than an administrator.
	IsMigrated bool `json:"is_migrated,omitempty"`
	// Payload holds the kind of the SSO config and its settings: one of
	// the *…SSOPayload types of this package, or *UnknownSSOPayload for a
	// kind this version of the library does not know. Use a type switch to
	// read it.
	Payload SSOPayload `json:"-"`
}

// MarshalJSON encodes the SSO config as the API does, its payload under
// "payload" tagged with its "type". Secrets are encoded as "REDACTED" (see
// Secret): the form is meant for logs, not for requests.
func (c SSOConfig) MarshalJSON() ([]byte, error) {
	type plain SSOConfig
	return json.Marshal(struct {
		plain
		Payload SSOPayload `json:"payload,omitempty"`
	}{plain(c), c.Payload})
}

// UnmarshalJSON decodes an SSO config, choosing the Go type of Payload by
// its "type" member.
func (c *SSOConfig) UnmarshalJSON(b []byte) error {
	type plain SSOConfig
	var w struct {
		plain
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	p, err := decodeSSOPayload(w.Payload)
	if err != nil {
		return err
	}
	*c = SSOConfig(w.plain)
	c.Payload = p
	return nil
}

// SSOConfigType returns SSOConfigTypeBookmark.
func (*BookmarkSSOPayload) SSOConfigType() SSOConfigType { return SSOConfigTypeBookmark }

// SSOConfigType returns SSOConfigTypeEntraIDExternalAuthMethods.
func (*EntraIDSSOPayload) SSOConfigType() SSOConfigType {
	return SSOConfigTypeEntraIDExternalAuthMethods
}

// SSOConfigType returns SSOConfigTypeGenericOIDC.
func (*GenericOIDCSSOPayload) SSOConfigType() SSOConfigType { return SSOConfigTypeGenericOIDC }

// SSOConfigType returns SSOConfigTypeGenericOIDCIDP.
func (*GenericOIDCIDPSSOPayload) SSOConfigType() SSOConfigType { return SSOConfigTypeGenericOIDCIDP }

// SSOConfigType returns SSOConfigTypeGenericSAML.
func (*SAMLSSOPayload) SSOConfigType() SSOConfigType { return SSOConfigTypeGenericSAML }

// SSOConfigType returns SSOConfigTypeOktaIDP.
func (*OktaIDPSSOPayload) SSOConfigType() SSOConfigType { return SSOConfigTypeOktaIDP }

// SSOConfigType returns SSOConfigTypeOktaSSOBIIDP.
func (*OktaBIIDPSSOPayload) SSOConfigType() SSOConfigType { return SSOConfigTypeOktaSSOBIIDP }

// SSOConfigType returns SSOConfigTypeSCIM.
func (*SCIMSSOPayload) SSOConfigType() SSOConfigType { return SSOConfigTypeSCIM }

// SSOConfigType returns SSOConfigTypeWSFed.
func (*WSFedSSOPayload) SSOConfigType() SSOConfigType { return SSOConfigTypeWSFed }

// SSOConfigType returns SSOConfigTypeRealityCheck.
func (*RealityCheckSSOPayload) SSOConfigType() SSOConfigType { return SSOConfigTypeRealityCheck }

func (*BookmarkSSOPayload) isSSOPayload()       {}
func (*EntraIDSSOPayload) isSSOPayload()        {}
func (*GenericOIDCSSOPayload) isSSOPayload()    {}
func (*GenericOIDCIDPSSOPayload) isSSOPayload() {}
func (*SAMLSSOPayload) isSSOPayload()           {}
func (*OktaIDPSSOPayload) isSSOPayload()        {}
func (*OktaBIIDPSSOPayload) isSSOPayload()      {}
func (*SCIMSSOPayload) isSSOPayload()           {}
func (*WSFedSSOPayload) isSSOPayload()          {}
func (*RealityCheckSSOPayload) isSSOPayload()   {}
func (*UnknownSSOPayload) isSSOPayload()        {}

// SSOConfigIdentity is an identity associated with an SSO config, directly
// or through a group.
type SSOConfigIdentity struct {
	Identity
	// GroupID is the group through which the identity is associated; ""
	// for a direct association.
	GroupID string `json:"group_id,omitempty"`
	// GroupDisplayName is the name of that group.
	GroupDisplayName string `json:"group_display_name,omitempty"`
}

// SSOConfigGroup is a group associated with an SSO config.
type SSOConfigGroup struct {
	Group
	// MemberCount is the number of identities in the group.
	MemberCount int `json:"member_count,omitempty"`
}

// SSOConfigTestResult is the outcome of [SSOConfigsService.Test]: one
// entry per identity provider and per OIDC application the SSO config
// involves.
type SSOConfigTestResult struct {
	// IdentityProviders are the outcomes for identity providers.
	IdentityProviders []SSOConfigTestOutcome `json:"identity_providers"`
	// OIDCApplications are the outcomes for OIDC applications.
	OIDCApplications []SSOConfigTestOutcome `json:"oidc_applications"`
}

// SSOConfigTestOutcome is the outcome of testing one identity provider or
// OIDC application of an SSO config.
type SSOConfigTestOutcome struct {
	// IdentityProviderID is the identity provider tested (identity
	// providers only).
	IdentityProviderID string `json:"identity_provider_id,omitempty"`
	// ApplicationID is the application tested (OIDC applications only).
	ApplicationID string `json:"application_id,omitempty"`
	// DisplayName is the name of what was tested.
	DisplayName string `json:"display_name,omitempty"`
	// IsSuccess reports whether the test passed.
	IsSuccess bool `json:"is_success"`
	// StatusCode is the HTTP status the tested party answered, as text.
	StatusCode string `json:"status_code,omitempty"`
	// ErrorContext is what the tested party answered on failure, such as
	// an HTML error page.
	ErrorContext string `json:"error_context,omitempty"`
}

// UnmarshalJSON decodes an outcome. The API's schema names the result
// is_success with a string status_code; its example has is_successful and
// a numeric status_code: both are read.
func (o *SSOConfigTestOutcome) UnmarshalJSON(b []byte) error {
	var w struct {
		IdentityProviderID string          `json:"identity_provider_id"`
		ApplicationID      string          `json:"application_id"`
		DisplayName        string          `json:"display_name"`
		IsSuccess          *bool           `json:"is_success"`
		IsSuccessful       *bool           `json:"is_successful"`
		StatusCode         json.RawMessage `json:"status_code"`
		ErrorContext       string          `json:"error_context"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*o = SSOConfigTestOutcome{IdentityProviderID: w.IdentityProviderID, ApplicationID: w.ApplicationID,
		DisplayName: w.DisplayName, ErrorContext: w.ErrorContext}
	switch {
	case w.IsSuccess != nil:
		o.IsSuccess = *w.IsSuccess
	case w.IsSuccessful != nil:
		o.IsSuccess = *w.IsSuccessful
	}
	sc := bytes.TrimSpace(w.StatusCode)
	switch {
	case len(sc) == 0 || string(sc) == "null":
	case sc[0] == '"':
		if err := json.Unmarshal(sc, &o.StatusCode); err != nil {
			return fmt.Errorf("status_code: %w", err)
		}
	default:
		var n json.Number
		if err := json.Unmarshal(sc, &n); err != nil {
			return fmt.Errorf("status_code must be a string or a number")
		}
		o.StatusCode = n.String()
	}
	return nil
}

// CreateSSOConfigRequest is the body of [SSOConfigsService.Create].
type CreateSSOConfigRequest struct {
	// DisplayName is a human-readable name. Required.
	DisplayName string
	// IsMigrated, when true, marks the SSO config as added by a migration.
	IsMigrated bool
	// Payload is the kind and its settings, e.g. &BookmarkSSOPayload{...}.
	// Required, with the members the API requires of its kind; read-only
	// members are not sent.
	Payload SSOPayload
}

// UpdateSSOConfigRequest is the body of [SSOConfigsService.Update] (a
// PATCH). The API's update takes the payload only (SsoConfigPartialUpdate,
// {"sso_config": {"type": …, …}}): the display name is set at creation.
type UpdateSSOConfigRequest struct {
	// Payload changes the members of the payload that it sets: for the
	// typed kinds, the fields that are not zero (a nil slice or pointer is
	// not sent; an empty slice clears the list, Ptr(false) sets false)
	// and every Extra member; read-only members are never sent. Its type
	// must be the SSO config's kind. Required.
	Payload SSOPayload
}

// ListSSOConfigsOptions pages and filters [SSOConfigsService.List]. Zero
// fields are not sent.
type ListSSOConfigsOptions struct {
	// PageSize is the number of SSO configs per page, 0 (the server's
	// default, 20) to 200.
	PageSize int `url:"page_size,omitempty"`
	// PageToken continues a list from a previous page's NextPageToken.
	PageToken string `url:"page_token,omitempty"`
	// Types, when set, keeps the SSO configs of these kinds.
	Types []SSOConfigType `url:"type,omitempty"`
	// IsMigrated, when set, keeps the SSO configs that were (true) or were
	// not (false) added by a migration.
	IsMigrated *bool `url:"is_migrated,omitempty"`
	// OrderBy, when set, orders the list; the API does not document its
	// values.
	OrderBy string `url:"order_by,omitempty"`
}

func (o *ListSSOConfigsOptions) paging() (int, int, *string) { return o.PageSize, 0, &o.PageToken }

// Limits of the SSO config operations.
const (
	// maxSSOConfigsPageSize is the largest page of SSO configs, and of
	// their identities and groups, the API serves.
	maxSSOConfigsPageSize = 200
	// MaxSSOConfigAssociationsPerCall is the most identities or groups
	// one AddIdentities, RemoveIdentities, AddGroups or RemoveGroups call
	// takes.
	MaxSSOConfigAssociationsPerCall = 1000
)

// SSOConfigsService handles the SSO configs of the client's realm and the
// identities and groups associated with them. Get it from
// Client.SSOConfigs.
type SSOConfigsService service

// ssoConfigBody wraps the body of a create or an update.
type ssoConfigBody struct {
	SSOConfig any `json:"sso_config"`
}

// Create creates an SSO config and returns it, with the members the API
// set (IDs, endpoints, client credentials). Like every create, it is not
// retried after a failure where the server may have acted.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/sso-configs (CreateSsoConfig)
func (s *SSOConfigsService) Create(ctx context.Context, req *CreateSSOConfigRequest) (*SSOConfig, error) {
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if err := checkName("DisplayName", req.DisplayName); err != nil {
		return nil, err
	}
	payload, secrets, err := ssoPayloadWrite("Payload", req.Payload, true)
	if err != nil {
		return nil, err
	}
	body := ssoConfigBody{struct {
		DisplayName string          `json:"display_name"`
		IsMigrated  bool            `json:"is_migrated,omitempty"`
		Payload     json.RawMessage `json:"payload"`
	}{req.DisplayName, req.IsMigrated, payload}}
	out := new(SSOConfig)
	cl := &call{method: http.MethodPost, path: segs("sso-configs"), body: body}
	cl.bodySecrets = secrets
	if err := s.client.do(ctx, cl, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Get fetches an SSO config. A missing one is an *APIError for which
// errors.Is(err, ErrNotFound) is true.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/sso-configs/{sso_config_id} (GetSsoConfig)
func (s *SSOConfigsService) Get(ctx context.Context, ssoConfigID string) (*SSOConfig, error) {
	if err := checkID("ssoConfigID", ssoConfigID); err != nil {
		return nil, err
	}
	return fetch[SSOConfig](ctx, s.client, &call{method: http.MethodGet, path: segs("sso-configs", ssoConfigID), idempotent: true})
}

// List fetches one page of the realm's SSO configs, in no defined order,
// optionally of some kinds only. PageSize is 0 (the server's default, 20)
// to 200.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/sso-configs (listSsoConfigs)
func (s *SSOConfigsService) List(ctx context.Context, opts *ListSSOConfigsOptions) (*Page[*SSOConfig], error) {
	if opts != nil {
		for i, t := range opts.Types {
			if strings.TrimSpace(string(t)) == "" || strings.ContainsFunc(string(t), isControl) {
				return nil, invalid(fmt.Sprintf("Types[%d]", i), fmt.Sprintf("%q is not a kind of SSO config", t))
			}
		}
		if strings.ContainsFunc(opts.OrderBy, isControl) {
			return nil, invalid("OrderBy", "contains a control character")
		}
	}
	return list[*SSOConfig](ctx, s.client, &call{path: segs("sso-configs")}, opts, maxSSOConfigsPageSize, "sso_configs")
}

// All iterates over the realm's SSO configs with [SSOConfigsService.List],
// fetching pages as the loop needs them. opts is not modified.
func (s *SSOConfigsService) All(ctx context.Context, opts *ListSSOConfigsOptions) iter.Seq2[*SSOConfig, error] {
	return all(ctx, opts, s.List)
}

// Update changes the payload of an SSO config (PATCH): only what
// req.Payload sets is sent, and the API leaves the rest as it is.
//
// API: PATCH /v1/tenants/{tenant_id}/realms/{realm_id}/sso-configs/{sso_config_id} (UpdateSsoConfig)
func (s *SSOConfigsService) Update(ctx context.Context, ssoConfigID string, req *UpdateSSOConfigRequest) (*SSOConfig, error) {
	if err := checkID("ssoConfigID", ssoConfigID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	payload, secrets, err := ssoPayloadWrite("Payload", req.Payload, false)
	if err != nil {
		return nil, err
	}
	out := new(SSOConfig)
	cl := &call{method: http.MethodPatch, path: segs("sso-configs", ssoConfigID), body: ssoConfigBody{payload}, idempotent: true}
	cl.bodySecrets = secrets
	if err := s.client.do(ctx, cl, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Delete deletes an SSO config.
//
// API: DELETE /v1/tenants/{tenant_id}/realms/{realm_id}/sso-configs/{sso_config_id} (DeleteSsoConfig)
func (s *SSOConfigsService) Delete(ctx context.Context, ssoConfigID string) error {
	if err := checkID("ssoConfigID", ssoConfigID); err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, path: segs("sso-configs", ssoConfigID), idempotent: true}, nil)
}

// AddIdentities associates 1 to 1000 distinct identities of the realm with
// an SSO config. An identity that is already associated stays so.
//
// Associating the same identities again changes nothing, so the call is
// retried after a transient failure like an update, although it is a POST.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/sso-configs/{sso_config_id}:addIdentities (AddIdentitiesToSsoConfig)
func (s *SSOConfigsService) AddIdentities(ctx context.Context, ssoConfigID string, identityIDs []string) error {
	return s.changeIdentities(ctx, ssoConfigID, identityIDs, "addIdentities")
}

// RemoveIdentities removes the direct association of 1 to 1000 distinct
// identities with an SSO config (an identity associated through a group
// stays so). Like AddIdentities, it is retried after a transient failure:
// removing them again changes nothing.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/sso-configs/{sso_config_id}:deleteIdentities (DeleteIdentitiesFromSsoConfig)
func (s *SSOConfigsService) RemoveIdentities(ctx context.Context, ssoConfigID string, identityIDs []string) error {
	return s.changeIdentities(ctx, ssoConfigID, identityIDs, "deleteIdentities")
}

func (s *SSOConfigsService) changeIdentities(ctx context.Context, ssoConfigID string, identityIDs []string, method string) error {
	if err := checkID("ssoConfigID", ssoConfigID); err != nil {
		return err
	}
	if err := checkIdentityList("identityIDs", identityIDs, MaxSSOConfigAssociationsPerCall); err != nil {
		return err
	}
	body := struct {
		IdentityIDs []string `json:"identity_ids"`
	}{identityIDs}
	return s.client.do(ctx, &call{method: http.MethodPost, path: segs("sso-configs", ssoConfigID), custom: method, body: body, idempotent: true}, nil)
}

// ListIdentities fetches one page of the identities associated with an
// SSO config, directly or through a group (then GroupID is set). The API
// warns that a page may repeat identities, or be empty with a next page
// token: continue while NextPageToken is set. PageSize is 0 (the server's
// default) to 200.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/sso-configs/{sso_config_id}:listIdentityAssociations (ListIdentitiesForSsoConfig)
func (s *SSOConfigsService) ListIdentities(ctx context.Context, ssoConfigID string, opts *CursorOptions) (*Page[*SSOConfigIdentity], error) {
	if err := checkID("ssoConfigID", ssoConfigID); err != nil {
		return nil, err
	}
	cl := &call{path: segs("sso-configs", ssoConfigID), custom: "listIdentityAssociations"}
	return list[*SSOConfigIdentity](ctx, s.client, cl, opts, maxSSOConfigsPageSize, "identities")
}

// AllIdentities iterates over the identities associated with an SSO config
// with [SSOConfigsService.ListIdentities]. An identity may come more than
// once (once per association). opts is not modified.
func (s *SSOConfigsService) AllIdentities(ctx context.Context, ssoConfigID string, opts *CursorOptions) iter.Seq2[*SSOConfigIdentity, error] {
	return all(ctx, opts, func(ctx context.Context, o *CursorOptions) (*Page[*SSOConfigIdentity], error) {
		return s.ListIdentities(ctx, ssoConfigID, o)
	})
}

// AddGroups associates 1 to 1000 distinct groups of the realm with an SSO
// config; their members get access through them. Associating the same
// groups again changes nothing, so the call is retried after a transient
// failure like an update, although it is a POST.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/sso-configs/{sso_config_id}:addGroups (AddGroupsToSsoConfig)
func (s *SSOConfigsService) AddGroups(ctx context.Context, ssoConfigID string, groupIDs []string) error {
	return s.changeGroups(ctx, ssoConfigID, groupIDs, "addGroups")
}

// RemoveGroups removes the association of 1 to 1000 distinct groups with
// an SSO config. Like AddGroups, it is retried after a transient failure.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/sso-configs/{sso_config_id}:deleteGroups (DeleteGroupsFromSsoConfig)
func (s *SSOConfigsService) RemoveGroups(ctx context.Context, ssoConfigID string, groupIDs []string) error {
	return s.changeGroups(ctx, ssoConfigID, groupIDs, "deleteGroups")
}

func (s *SSOConfigsService) changeGroups(ctx context.Context, ssoConfigID string, groupIDs []string, method string) error {
	if err := checkID("ssoConfigID", ssoConfigID); err != nil {
		return err
	}
	if err := checkIDList("groupIDs", groupIDs, MaxSSOConfigAssociationsPerCall); err != nil {
		return err
	}
	body := struct {
		GroupIDs []string `json:"group_ids"`
	}{groupIDs}
	return s.client.do(ctx, &call{method: http.MethodPost, path: segs("sso-configs", ssoConfigID), custom: method, body: body, idempotent: true}, nil)
}

// ListGroups fetches the groups associated with an SSO config, with the
// number of members of each. The API declares no paging parameters for
// this list, but describes answers with a next page token: opts, when
// set, sends page_size (0 to 200) and page_token all the same.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/sso-configs/{sso_config_id}:listGroupAssociations (ListGroupsForSSOConfig)
func (s *SSOConfigsService) ListGroups(ctx context.Context, ssoConfigID string, opts *CursorOptions) (*Page[*SSOConfigGroup], error) {
	if err := checkID("ssoConfigID", ssoConfigID); err != nil {
		return nil, err
	}
	cl := &call{path: segs("sso-configs", ssoConfigID), custom: "listGroupAssociations"}
	return list[*SSOConfigGroup](ctx, s.client, cl, opts, maxSSOConfigsPageSize, "groups")
}

// AllGroups iterates over the groups associated with an SSO config with
// [SSOConfigsService.ListGroups]. opts is not modified.
func (s *SSOConfigsService) AllGroups(ctx context.Context, ssoConfigID string, opts *CursorOptions) iter.Seq2[*SSOConfigGroup, error] {
	return all(ctx, opts, func(ctx context.Context, o *CursorOptions) (*Page[*SSOConfigGroup], error) {
		return s.ListGroups(ctx, ssoConfigID, o)
	})
}

// ListForIdentity fetches one page of the SSO configs an identity is
// associated with, directly or through its groups. The API warns that a
// page may repeat SSO configs, or be empty with a next page token:
// continue while NextPageToken is set. PageSize is 0 (the server's
// default) to 200.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}/sso-configs (ListSsoConfigsForIdentity)
func (s *SSOConfigsService) ListForIdentity(ctx context.Context, identityID string, opts *CursorOptions) (*Page[*SSOConfig], error) {
	if err := checkIdentityID(identityID); err != nil {
		return nil, err
	}
	return list[*SSOConfig](ctx, s.client, &call{path: segs("identities", identityID, "sso-configs")}, opts, maxSSOConfigsPageSize, "sso_configs")
}

// AllForIdentity iterates over the SSO configs an identity is associated
// with, with [SSOConfigsService.ListForIdentity]. An SSO config may come
// more than once. opts is not modified.
func (s *SSOConfigsService) AllForIdentity(ctx context.Context, identityID string, opts *CursorOptions) iter.Seq2[*SSOConfig, error] {
	return all(ctx, opts, func(ctx context.Context, o *CursorOptions) (*Page[*SSOConfig], error) {
		return s.ListForIdentity(ctx, identityID, o)
	})
}

// ListForGroup fetches one page of the SSO configs a group is associated
// with. PageSize is 0 (the server's default) to 200.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/groups/{group_id}/sso-configs (ListSsoConfigsForGroup)
func (s *SSOConfigsService) ListForGroup(ctx context.Context, groupID string, opts *CursorOptions) (*Page[*SSOConfig], error) {
	if err := checkID("groupID", groupID); err != nil {
		return nil, err
	}
	return list[*SSOConfig](ctx, s.client, &call{path: segs("groups", groupID, "sso-configs")}, opts, maxSSOConfigsPageSize, "sso_configs")
}

// AllForGroup iterates over the SSO configs a group is associated with,
// with [SSOConfigsService.ListForGroup]. opts is not modified.
func (s *SSOConfigsService) AllForGroup(ctx context.Context, groupID string, opts *CursorOptions) iter.Seq2[*SSOConfig, error] {
	return all(ctx, opts, func(ctx context.Context, o *CursorOptions) (*Page[*SSOConfig], error) {
		return s.ListForGroup(ctx, groupID, o)
	})
}

// GetIDForApplication returns the ID of the SSO config an application
// belongs to, or "" when it belongs to none (the API then leaves
// sso_config_id out of its answer).
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/applications/{application_id}/sso-configs-id (ApplicationIdToSSOConfigId)
func (s *SSOConfigsService) GetIDForApplication(ctx context.Context, applicationID string) (string, error) {
	if err := checkID("applicationID", applicationID); err != nil {
		return "", err
	}
	out, err := fetch[struct {
		SSOConfigID string `json:"sso_config_id"`
	}](ctx, s.client, &call{method: http.MethodGet, path: segs("applications", applicationID, "sso-configs-id"), idempotent: true})
	if err != nil {
		return "", err
	}
	return out.SSOConfigID, nil
}

// Test tests an SSO config: Beyond Identity calls the identity providers
// and OIDC applications it involves and reports how each answered. The
// test changes nothing (it needs only the sso-configs:read scope), so it is
// retried after a transient failure, although it is a POST.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/sso-configs/{sso_config_id}/test (TestSsoConfig)
func (s *SSOConfigsService) Test(ctx context.Context, ssoConfigID string) (*SSOConfigTestResult, error) {
	if err := checkID("ssoConfigID", ssoConfigID); err != nil {
		return nil, err
	}
	return fetch[SSOConfigTestResult](ctx, s.client, &call{method: http.MethodPost, path: segs("sso-configs", ssoConfigID, "test"), idempotent: true})
}
