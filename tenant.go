package beyondidentity

import (
	"context"
	"net/http"
	"time"
)

// Tenant is an organization in the Beyond Identity cloud: it holds the
// realms and everything in them.
type Tenant struct {
	// ID identifies the tenant (16 hex characters starting 0001). Read-only.
	ID string `json:"id,omitempty"`
	// DisplayName is a human-readable name, 1 to 64 characters.
	DisplayName string `json:"display_name,omitempty"`
	// CreateTime is when the tenant was created. Read-only.
	CreateTime time.Time `json:"create_time,omitzero"`
	// UpdateTime is when the tenant was last updated. Read-only.
	UpdateTime time.Time `json:"update_time,omitzero"`
}

// UpdateTenantRequest is the body of [TenantService.Update] (a PATCH):
// only the fields that are set are sent.
type UpdateTenantRequest struct {
	// DisplayName, when set, is the new name (1 to 64 characters, none of
	// {}[]<>;:?\/|*^%$#=~`!).
	DisplayName *string `json:"display_name,omitempty"`
}

// TenantService handles the client's tenant. Get it from Client.Tenant.
type TenantService service

// Get fetches the client's tenant, for example to check at start-up that
// the credentials point at the tenant you expect.
//
// API: GET /v1/tenants/{tenant_id} (GetTenant)
func (s *TenantService) Get(ctx context.Context) (*Tenant, error) {
	return fetch[Tenant](ctx, s.client, &call{method: http.MethodGet, tenantLevel: true, idempotent: true})
}

// Update changes the client's tenant (PATCH) and returns it.
//
// API: PATCH /v1/tenants/{tenant_id} (UpdateTenant)
func (s *TenantService) Update(ctx context.Context, req *UpdateTenantRequest) (*Tenant, error) {
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if req.DisplayName != nil {
		if err := checkDisplayName("DisplayName", *req.DisplayName); err != nil {
			return nil, err
		}
	}
	body := struct {
		Tenant *UpdateTenantRequest `json:"tenant"`
	}{req}
	return fetch[Tenant](ctx, s.client, &call{method: http.MethodPatch, tenantLevel: true, body: body, idempotent: true})
}
