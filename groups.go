package beyondidentity

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// Group is a named collection of identities of a realm, used to decide
// access (roles, SSO configs, policy rules).
type Group struct {
	// ID identifies the group within the realm. Read-only.
	ID string `json:"id,omitempty"`
	// RealmID is the group's realm. Read-only.
	RealmID string `json:"realm_id,omitempty"`
	// TenantID is the group's tenant. Read-only.
	TenantID string `json:"tenant_id,omitempty"`
	// DisplayName is a human-readable name, 1 to 64 characters.
	DisplayName string `json:"display_name,omitempty"`
	// Description describes the group, at most 300 characters.
	Description string `json:"description,omitempty"`
	// CreateTime is when the group was created. Read-only.
	CreateTime time.Time `json:"create_time,omitzero"`
	// UpdateTime is when the group was last updated. Read-only.
	UpdateTime time.Time `json:"update_time,omitzero"`
}

// CreateGroupRequest is the body of [GroupsService.Create].
type CreateGroupRequest struct {
	// DisplayName is a human-readable name, 1 to 64 characters, none of
	// {}[]<>;:?\/|*^%$#=~`!. Required. The API does not require it to be
	// unique.
	DisplayName string `json:"display_name"`
	// Description, when set, describes the group: at most 300 characters,
	// none of the characters DisplayName refuses.
	Description string `json:"description,omitempty"`
}

// UpdateGroupRequest is the body of [GroupsService.Update] (a PATCH): only
// the fields that are set are sent. Set Description to Ptr("") to clear it.
type UpdateGroupRequest struct {
	// DisplayName, when set, is the new name.
	DisplayName *string `json:"display_name,omitempty"`
	// Description, when set, is the new description.
	Description *string `json:"description,omitempty"`
}

// Limits of the group operations.
const (
	maxGroupsPageSize = 200
	// MaxGroupMembersPerCall is the most identities one AddMembers or
	// RemoveMembers call takes.
	MaxGroupMembersPerCall = 1000
)

// GroupsService handles the groups of the client's realm and their
// members. Get it from Client.Groups.
type GroupsService service

// Create creates a group. Like every create, it is not retried after a
// failure where the server may have acted.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/groups (CreateGroup)
func (s *GroupsService) Create(ctx context.Context, req *CreateGroupRequest) (*Group, error) {
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if err := checkNamed(req.DisplayName, req.Description); err != nil {
		return nil, err
	}
	body := struct {
		Group *CreateGroupRequest `json:"group"`
	}{req}
	return fetch[Group](ctx, s.client, &call{method: http.MethodPost, path: segs("groups"), body: body})
}

// Get fetches a group. A missing group is an *APIError for which
// errors.Is(err, ErrNotFound) is true.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/groups/{group_id} (GetGroup)
func (s *GroupsService) Get(ctx context.Context, groupID string) (*Group, error) {
	if err := checkID("groupID", groupID); err != nil {
		return nil, err
	}
	return fetch[Group](ctx, s.client, &call{method: http.MethodGet, path: segs("groups", groupID), idempotent: true})
}

// List fetches one page of the realm's groups, in no defined order.
// PageSize is 0 (the server's default, 20) to 200.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/groups (ListGroups)
func (s *GroupsService) List(ctx context.Context, opts *PageOptions) (*Page[*Group], error) {
	return list[*Group](ctx, s.client, &call{path: segs("groups")}, opts, maxGroupsPageSize, "groups")
}

// All iterates over the realm's groups with [GroupsService.List], fetching
// pages as the loop needs them. opts is not modified.
func (s *GroupsService) All(ctx context.Context, opts *PageOptions) iter.Seq2[*Group, error] {
	return all(ctx, opts, s.List)
}

// Update changes a group (PATCH) and returns it.
//
// API: PATCH /v1/tenants/{tenant_id}/realms/{realm_id}/groups/{group_id} (UpdateGroup)
func (s *GroupsService) Update(ctx context.Context, groupID string, req *UpdateGroupRequest) (*Group, error) {
	if err := checkID("groupID", groupID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if err := checkNamedUpdate(req.DisplayName, req.Description); err != nil {
		return nil, err
	}
	body := struct {
		Group *UpdateGroupRequest `json:"group"`
	}{req}
	return fetch[Group](ctx, s.client, &call{method: http.MethodPatch, path: segs("groups", groupID), body: body, idempotent: true})
}

// Delete deletes a group. A group that still has members is not deleted:
// the API answers 409 (errors.Is(err, ErrConflict)); remove them first
// with [GroupsService.RemoveMembers].
//
// API: DELETE /v1/tenants/{tenant_id}/realms/{realm_id}/groups/{group_id} (DeleteGroup)
func (s *GroupsService) Delete(ctx context.Context, groupID string) error {
	if err := checkID("groupID", groupID); err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, path: segs("groups", groupID), idempotent: true}, nil)
}

// AddMembers adds 1 to 1000 distinct identities of the realm to a group and
// returns the group. An identity that is already a member stays one. A
// missing group or identity is an *APIError with errors.Is(err,
// ErrNotFound).
//
// Adding the same members again changes nothing, so the call is retried
// after a transient failure like an update, although it is a POST.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/groups/{group_id}:addMembers (AddGroupMembers)
func (s *GroupsService) AddMembers(ctx context.Context, groupID string, identityIDs []string) (*Group, error) {
	return s.changeMembers(ctx, groupID, identityIDs, "addMembers")
}

// RemoveMembers removes 1 to 1000 distinct identities from a group and
// returns the group. Like AddMembers, it is retried after a transient
// failure: removing members again changes nothing.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/groups/{group_id}:deleteMembers (DeleteGroupMembers)
func (s *GroupsService) RemoveMembers(ctx context.Context, groupID string, identityIDs []string) (*Group, error) {
	return s.changeMembers(ctx, groupID, identityIDs, "deleteMembers")
}

func (s *GroupsService) changeMembers(ctx context.Context, groupID string, identityIDs []string, method string) (*Group, error) {
	if err := checkID("groupID", groupID); err != nil {
		return nil, err
	}
	if err := checkIdentityList("identityIDs", identityIDs, MaxGroupMembersPerCall); err != nil {
		return nil, err
	}
	body := struct {
		IdentityIDs []string `json:"identity_ids"`
	}{identityIDs}
	return fetch[Group](ctx, s.client, &call{method: http.MethodPost, path: segs("groups", groupID), custom: method, body: body, idempotent: true})
}

// ListMembers fetches one page of the identities in a group. PageSize is 0
// (the server's default, 20) to 200.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/groups/{group_id}:listMembers (ListGroupMembers)
func (s *GroupsService) ListMembers(ctx context.Context, groupID string, opts *PageOptions) (*Page[*Identity], error) {
	if err := checkID("groupID", groupID); err != nil {
		return nil, err
	}
	return list[*Identity](ctx, s.client, &call{path: segs("groups", groupID), custom: "listMembers"}, opts, maxGroupsPageSize, "identities")
}

// AllMembers iterates over the identities in a group with
// [GroupsService.ListMembers]. opts is not modified.
func (s *GroupsService) AllMembers(ctx context.Context, groupID string, opts *PageOptions) iter.Seq2[*Identity, error] {
	return all(ctx, opts, func(ctx context.Context, o *PageOptions) (*Page[*Identity], error) {
		return s.ListMembers(ctx, groupID, o)
	})
}

// ListRoles fetches one page of the roles of a resource server that a
// group is assigned to. An unknown resource server is an *APIError with
// status 409 (errors.Is(err, ErrConflict)), as the API documents.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/groups/{group_id}:listRoles (ListGroupRoles)
func (s *GroupsService) ListRoles(ctx context.Context, groupID, resourceServerID string, opts *PageOptions) (*Page[*Role], error) {
	if err := checkID("groupID", groupID); err != nil {
		return nil, err
	}
	if err := checkID("resourceServerID", resourceServerID); err != nil {
		return nil, err
	}
	cl := &call{path: segs("groups", groupID), custom: "listRoles", extraQuery: resourceServerQuery(resourceServerID)}
	return list[*Role](ctx, s.client, cl, opts, maxRolesPageSize, "roles")
}

// AllRoles iterates over the roles of a resource server that a group is
// assigned to, with [GroupsService.ListRoles]. opts is not modified.
func (s *GroupsService) AllRoles(ctx context.Context, groupID, resourceServerID string, opts *PageOptions) iter.Seq2[*Role, error] {
	return all(ctx, opts, func(ctx context.Context, o *PageOptions) (*Page[*Role], error) {
		return s.ListRoles(ctx, groupID, resourceServerID, o)
	})
}

// ListGroups fetches one page of the groups an identity belongs to.
// PageSize is 0 (the server's default, 20) to 200.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}:listGroups (ListIdentityGroups)
func (s *IdentitiesService) ListGroups(ctx context.Context, identityID string, opts *PageOptions) (*Page[*Group], error) {
	if err := checkIdentityID(identityID); err != nil {
		return nil, err
	}
	return list[*Group](ctx, s.client, &call{path: segs("identities", identityID), custom: "listGroups"}, opts, maxGroupsPageSize, "groups")
}

// AllGroups iterates over the groups an identity belongs to, with
// [IdentitiesService.ListGroups]. opts is not modified.
func (s *IdentitiesService) AllGroups(ctx context.Context, identityID string, opts *PageOptions) iter.Seq2[*Group, error] {
	return all(ctx, opts, func(ctx context.Context, o *PageOptions) (*Page[*Group], error) {
		return s.ListGroups(ctx, identityID, o)
	})
}
