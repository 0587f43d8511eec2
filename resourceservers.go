package beyondidentity

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"unicode"
)

// ResourceServer stands for an API whose access tokens Beyond Identity
// mints: its identifier is the tokens' audience, and its scopes are what
// roles and applications can grant.
type ResourceServer struct {
	// ID identifies the resource server (a UUID). Read-only.
	ID string `json:"id,omitempty"`
	// RealmID is the resource server's realm. Read-only.
	RealmID string `json:"realm_id,omitempty"`
	// TenantID is the resource server's tenant. Read-only.
	TenantID string `json:"tenant_id,omitempty"`
	// DisplayName is a human-readable name.
	DisplayName string `json:"display_name,omitempty"`
	// IsManaged is true for the Beyond Identity Management API's resource
	// server, which cannot be changed. Read-only.
	IsManaged bool `json:"is_managed,omitempty"`
	// Identifier names the API, often as a URI: the "aud" claim of its
	// tokens. Unique in the realm; "beyondidentity" is reserved.
	Identifier string `json:"identifier,omitempty"`
	// Scopes are the scopes the API defines, such as "pets:read".
	Scopes []string `json:"scopes,omitempty"`
}

// CreateResourceServerRequest is the body of [ResourceServersService.Create].
type CreateResourceServerRequest struct {
	// DisplayName is a human-readable name. Required.
	DisplayName string `json:"display_name"`
	// Identifier names the API, often as a URI; it becomes the audience of
	// its tokens. Required.
	Identifier string `json:"identifier"`
	// Scopes are the scopes the API defines.
	Scopes []string `json:"scopes,omitempty"`
}

// UpdateResourceServerRequest is the body of [ResourceServersService.Update]
// (a PATCH): only the fields that are set are sent. Scopes, when not nil,
// replaces the whole list (an empty slice clears it); the API then removes
// the scopes that are gone from the roles of the resource server.
type UpdateResourceServerRequest struct {
	// DisplayName, when set, is the new name.
	DisplayName *string `json:"display_name,omitempty"`
	// Identifier, when set, is the new identifier.
	Identifier *string `json:"identifier,omitempty"`
	// Scopes, when not nil, is the new list of scopes.
	Scopes []string `json:"scopes,omitzero"`
}

// Limits of the resource server operations.
const maxResourceServersPageSize = 100

// ResourceServersService handles the resource servers of the client's
// realm. Get it from Client.ResourceServers.
type ResourceServersService service

// Create creates a resource server.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers (CreateResourceServer)
func (s *ResourceServersService) Create(ctx context.Context, req *CreateResourceServerRequest) (*ResourceServer, error) {
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if err := checkName("DisplayName", req.DisplayName); err != nil {
		return nil, err
	}
	if err := checkIdentifier("Identifier", req.Identifier); err != nil {
		return nil, err
	}
	if err := checkScopes("Scopes", req.Scopes, false); err != nil {
		return nil, err
	}
	body := struct {
		ResourceServer *CreateResourceServerRequest `json:"resource_server"`
	}{req}
	return fetch[ResourceServer](ctx, s.client, &call{method: http.MethodPost, path: segs("resource-servers"), body: body})
}

// Get fetches a resource server.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id} (GetResourceServer)
func (s *ResourceServersService) Get(ctx context.Context, resourceServerID string) (*ResourceServer, error) {
	if err := checkID("resourceServerID", resourceServerID); err != nil {
		return nil, err
	}
	return fetch[ResourceServer](ctx, s.client, &call{method: http.MethodGet, path: segs("resource-servers", resourceServerID), idempotent: true})
}

// List fetches one page of the realm's resource servers. PageSize is 0
// (the server's default) to 100.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers (ListResourceServers)
func (s *ResourceServersService) List(ctx context.Context, opts *CursorOptions) (*Page[*ResourceServer], error) {
	return list[*ResourceServer](ctx, s.client, &call{path: segs("resource-servers")}, opts, maxResourceServersPageSize, "resource_servers")
}

// All iterates over the realm's resource servers with
// [ResourceServersService.List]. opts is not modified.
func (s *ResourceServersService) All(ctx context.Context, opts *CursorOptions) iter.Seq2[*ResourceServer, error] {
	return all(ctx, opts, s.List)
}

// Update changes a resource server (PATCH) and returns it. Managed
// resource servers cannot be changed (403, errors.Is(err, ErrForbidden)).
//
// API: PATCH /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id} (UpdateResourceServer)
func (s *ResourceServersService) Update(ctx context.Context, resourceServerID string, req *UpdateResourceServerRequest) (*ResourceServer, error) {
	if err := checkID("resourceServerID", resourceServerID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if req.DisplayName != nil {
		if err := checkName("DisplayName", *req.DisplayName); err != nil {
			return nil, err
		}
	}
	if req.Identifier != nil {
		if err := checkIdentifier("Identifier", *req.Identifier); err != nil {
			return nil, err
		}
	}
	if err := checkScopes("Scopes", req.Scopes, false); err != nil {
		return nil, err
	}
	body := struct {
		ResourceServer *UpdateResourceServerRequest `json:"resource_server"`
	}{req}
	return fetch[ResourceServer](ctx, s.client, &call{method: http.MethodPatch, path: segs("resource-servers", resourceServerID), body: body, idempotent: true})
}

// Delete deletes a resource server and its roles.
//
// API: DELETE /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id} (DeleteResourceServer)
func (s *ResourceServersService) Delete(ctx context.Context, resourceServerID string) error {
	if err := checkID("resourceServerID", resourceServerID); err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, path: segs("resource-servers", resourceServerID), idempotent: true}, nil)
}

// checkIdentifier refuses an empty identifier or one with whitespace or
// control characters.
func checkIdentifier(field, s string) error {
	switch {
	case s == "":
		return invalid(field, "is empty")
	case strings.ContainsFunc(s, func(r rune) bool { return r == ' ' || isControl(r) }):
		return invalid(field, "contains a space or a control character")
	}
	return nil
}

// checkScopes refuses empty scopes, scopes with whitespace or control
// characters, and repeated scopes; required refuses an empty list.
func checkScopes(field string, scopes []string, required bool) error {
	if required && len(scopes) == 0 {
		return invalid(field, "is empty")
	}
	seen := make(map[string]int, len(scopes))
	for i, sc := range scopes {
		f := field + "[" + strconv.Itoa(i) + "]"
		if sc == "" || strings.ContainsFunc(sc, func(r rune) bool { return unicode.IsSpace(r) || isControl(r) }) {
			return invalid(f, fmt.Sprintf("%q is not a scope", sc))
		}
		if j, dup := seen[sc]; dup {
			return invalid(f, fmt.Sprintf("%q repeats %s[%d]", sc, field, j))
		}
		seen[sc] = i
	}
	return nil
}
