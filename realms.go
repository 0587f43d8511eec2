package beyondidentity

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// RealmClassification says what a realm is for. It is an open set: a
// value this version of the library does not know decodes as is.
type RealmClassification string

// Realm classifications documented by the API.
const (
	// RealmClassificationSecureCustomer realms hold the users of a
	// customer-facing application.
	RealmClassificationSecureCustomer RealmClassification = "SECURE_CUSTOMER"
	// RealmClassificationSecureWorkforce realms hold an organization's
	// workforce.
	RealmClassificationSecureWorkforce RealmClassification = "SECURE_WORKFORCE"
)

// Realm is an administrative domain of a tenant: it holds identities,
// groups, applications and the rest. Realms separate environments (test,
// production) or user populations.
type Realm struct {
	// ID identifies the realm within the tenant. Read-only.
	ID string `json:"id,omitempty"`
	// TenantID is the realm's tenant. Read-only.
	TenantID string `json:"tenant_id,omitempty"`
	// DisplayName is a human-readable name, 1 to 64 characters.
	DisplayName string `json:"display_name,omitempty"`
	// Classification says what the realm is for.
	Classification RealmClassification `json:"classification,omitempty"`
	// CreateTime is when the realm was created. Read-only.
	CreateTime time.Time `json:"create_time,omitzero"`
	// UpdateTime is when the realm was last updated. Read-only.
	UpdateTime time.Time `json:"update_time,omitzero"`
}

// CreateRealmRequest is the body of [RealmsService.Create].
type CreateRealmRequest struct {
	// DisplayName is a human-readable name, 1 to 64 characters, none of
	// {}[]<>;:?\/|*^%$#=~`!. Required.
	DisplayName string `json:"display_name"`
	// Classification, when set, says what the realm is for.
	Classification RealmClassification `json:"classification,omitempty"`
}

// UpdateRealmRequest is the body of [RealmsService.Update] (a PATCH): only
// the fields that are set are sent.
type UpdateRealmRequest struct {
	// DisplayName, when set, is the new name.
	DisplayName *string `json:"display_name,omitempty"`
	// Classification, when set, is the new classification.
	Classification *RealmClassification `json:"classification,omitempty"`
}

// maxRealmsPageSize is the largest page of realms the API serves.
const maxRealmsPageSize = 200

// RealmsService handles the realms of the client's tenant. A realm ID is
// an argument of its methods, never the client's realm. Get it from
// Client.Realms.
type RealmsService service

// Create creates a realm in the client's tenant. Like every create, it is
// not retried after a failure where the server may have acted.
//
// API: POST /v1/tenants/{tenant_id}/realms (CreateRealm)
func (s *RealmsService) Create(ctx context.Context, req *CreateRealmRequest) (*Realm, error) {
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if err := checkDisplayName("DisplayName", req.DisplayName); err != nil {
		return nil, err
	}
	body := struct {
		Realm *CreateRealmRequest `json:"realm"`
	}{req}
	return fetch[Realm](ctx, s.client, &call{method: http.MethodPost, tenantLevel: true, path: segs("realms"), body: body})
}

// Get fetches a realm of the client's tenant.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id} (GetRealm)
func (s *RealmsService) Get(ctx context.Context, realmID string) (*Realm, error) {
	if err := checkID("realmID", realmID); err != nil {
		return nil, err
	}
	return fetch[Realm](ctx, s.client, &call{method: http.MethodGet, tenantLevel: true, path: segs("realms", realmID), idempotent: true})
}

// List fetches one page of the tenant's realms. PageSize is 0 (the
// server's default) to 200.
//
// API: GET /v1/tenants/{tenant_id}/realms (ListRealms)
func (s *RealmsService) List(ctx context.Context, opts *PageOptions) (*Page[*Realm], error) {
	return list[*Realm](ctx, s.client, &call{tenantLevel: true, path: segs("realms")}, opts, maxRealmsPageSize, "realms")
}

// All iterates over the tenant's realms with [RealmsService.List],
// fetching pages as the loop needs them. opts is not modified.
func (s *RealmsService) All(ctx context.Context, opts *PageOptions) iter.Seq2[*Realm, error] {
	return all(ctx, opts, s.List)
}

// Update changes a realm (PATCH) and returns it.
//
// API: PATCH /v1/tenants/{tenant_id}/realms/{realm_id} (UpdateRealm)
func (s *RealmsService) Update(ctx context.Context, realmID string, req *UpdateRealmRequest) (*Realm, error) {
	if err := checkID("realmID", realmID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if req.DisplayName != nil {
		if err := checkDisplayName("DisplayName", *req.DisplayName); err != nil {
			return nil, err
		}
	}
	body := struct {
		Realm *UpdateRealmRequest `json:"realm"`
	}{req}
	return fetch[Realm](ctx, s.client, &call{method: http.MethodPatch, tenantLevel: true, path: segs("realms", realmID), body: body, idempotent: true})
}

// Delete deletes a realm. A realm that still has identities, groups or
// roles is not deleted: the API answers 409 (errors.Is(err, ErrConflict)).
//
// API: DELETE /v1/tenants/{tenant_id}/realms/{realm_id} (DeleteRealm)
func (s *RealmsService) Delete(ctx context.Context, realmID string) error {
	if err := checkID("realmID", realmID); err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, tenantLevel: true, path: segs("realms", realmID), idempotent: true}, nil)
}
