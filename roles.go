package beyondidentity

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Role is a named set of scopes of one resource server, given to groups
// and identities.
type Role struct {
	// ID identifies the role within the realm. Read-only.
	ID string `json:"id,omitempty"`
	// ResourceServerID is the resource server whose scopes the role
	// grants. Read-only.
	ResourceServerID string `json:"resource_server_id,omitempty"`
	// RealmID is the role's realm. Read-only.
	RealmID string `json:"realm_id,omitempty"`
	// TenantID is the role's tenant. Read-only.
	TenantID string `json:"tenant_id,omitempty"`
	// DisplayName is a human-readable name, 1 to 64 characters.
	DisplayName string `json:"display_name,omitempty"`
	// Description describes the role, at most 300 characters.
	Description string `json:"description,omitempty"`
	// CreateTime is when the role was created. Read-only.
	CreateTime time.Time `json:"create_time,omitzero"`
	// UpdateTime is when the role was last updated. Read-only.
	UpdateTime time.Time `json:"update_time,omitzero"`
}

// maxRolesPageSize is the largest page of roles the API serves.
const maxRolesPageSize = 200

// resourceServerQuery is the resource_server_id parameter of the role
// lists of groups and identities.
func resourceServerQuery(resourceServerID string) url.Values {
	return url.Values{"resource_server_id": {resourceServerID}}
}

// CreateRoleRequest is the body of [RolesService.Create].
type CreateRoleRequest struct {
	// DisplayName is a human-readable name, 1 to 64 characters, none of
	// {}[]<>;:?\/|*^%$#=~`!. Required.
	DisplayName string `json:"display_name"`
	// Description, when set, describes the role (at most 300 characters).
	Description string `json:"description,omitempty"`
}

// UpdateRoleRequest is the body of [RolesService.Update] (a PATCH): only
// the fields that are set are sent.
type UpdateRoleRequest struct {
	// DisplayName, when set, is the new name.
	DisplayName *string `json:"display_name,omitempty"`
	// Description, when set, is the new description.
	Description *string `json:"description,omitempty"`
}

// RoleMembers are groups and identities given to, or taken from, a role.
// At least one list must be set; each holds up to 1000 distinct IDs.
type RoleMembers struct {
	// GroupIDs are IDs of groups of the realm.
	GroupIDs []string `json:"group_ids,omitempty"`
	// IdentityIDs are IDs of identities of the realm.
	IdentityIDs []string `json:"identity_ids,omitempty"`
}

// MaxRoleChangePerCall is the most groups, identities or scopes one call
// adds to or removes from a role (per list).
const MaxRoleChangePerCall = 1000

func (m *RoleMembers) validate() error {
	if m == nil || len(m.GroupIDs) == 0 && len(m.IdentityIDs) == 0 {
		return invalid("members", "is empty: set GroupIDs, IdentityIDs or both")
	}
	if len(m.GroupIDs) > 0 {
		if err := checkIDList("GroupIDs", m.GroupIDs, MaxRoleChangePerCall); err != nil {
			return err
		}
	}
	if len(m.IdentityIDs) > 0 {
		return checkIdentityList("IdentityIDs", m.IdentityIDs, MaxRoleChangePerCall)
	}
	return nil
}

// ListRoleMembersOptions pages [RolesService.ListMembers]: the API pages
// a role's groups and its identities side by side, with one page token.
// Zero fields are not sent.
type ListRoleMembersOptions struct {
	// GroupsPageSize is the number of groups per page, 0 (the server's
	// default, 20) to 200.
	GroupsPageSize int `url:"groups_page_size,omitempty"`
	// GroupsSkip is the number of groups to skip.
	GroupsSkip int `url:"groups_skip,omitempty"`
	// IdentitiesPageSize is the number of identities per page, 0 to 200.
	IdentitiesPageSize int `url:"identities_page_size,omitempty"`
	// IdentitiesSkip is the number of identities to skip.
	IdentitiesSkip int `url:"identities_skip,omitempty"`
	// PageToken continues a list from a previous page's NextPageToken.
	PageToken string `url:"page_token,omitempty"`
}

// RoleMembersPage is one page of a role's members.
type RoleMembersPage struct {
	// Groups are this page's groups.
	Groups []*Group
	// Identities are this page's identities.
	Identities []*Identity
	// TotalGroups is the number of groups the role has.
	TotalGroups int
	// TotalIdentities is the number of identities the role has.
	TotalIdentities int
	// NextPageToken continues the list; it is "" on the last page.
	NextPageToken string
}

// RoleMember is a member of a role: exactly one of Group and Identity is
// set.
type RoleMember struct {
	// Group is the member when it is a group, else nil.
	Group *Group
	// Identity is the member when it is an identity, else nil.
	Identity *Identity
}

// RolesService handles the roles of the resource servers of the client's
// realm: their members (groups and identities) and their scopes. Get it
// from Client.Roles.
type RolesService service

// rolePath validates the IDs of a role and returns its path.
func rolePath(resourceServerID, roleID string) (pathSegs, error) {
	if err := checkID("resourceServerID", resourceServerID); err != nil {
		return pathSegs{}, err
	}
	if err := checkID("roleID", roleID); err != nil {
		return pathSegs{}, err
	}
	return segs("resource-servers", resourceServerID, "roles", roleID), nil
}

// Create creates a role of a resource server. Like every create, it is not
// retried after a failure where the server may have acted.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id}/roles (CreateRole)
func (s *RolesService) Create(ctx context.Context, resourceServerID string, req *CreateRoleRequest) (*Role, error) {
	if err := checkID("resourceServerID", resourceServerID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if err := checkNamed(req.DisplayName, req.Description); err != nil {
		return nil, err
	}
	body := struct {
		Role *CreateRoleRequest `json:"role"`
	}{req}
	return fetch[Role](ctx, s.client, &call{method: http.MethodPost, path: segs("resource-servers", resourceServerID, "roles"), body: body})
}

// Get fetches a role.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id}/roles/{role_id} (GetRole)
func (s *RolesService) Get(ctx context.Context, resourceServerID, roleID string) (*Role, error) {
	path, err := rolePath(resourceServerID, roleID)
	if err != nil {
		return nil, err
	}
	return fetch[Role](ctx, s.client, &call{method: http.MethodGet, path: path, idempotent: true})
}

// List fetches one page of a resource server's roles. PageSize is 0 (the
// server's default, 20) to 200.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id}/roles (ListRoles)
func (s *RolesService) List(ctx context.Context, resourceServerID string, opts *PageOptions) (*Page[*Role], error) {
	if err := checkID("resourceServerID", resourceServerID); err != nil {
		return nil, err
	}
	return list[*Role](ctx, s.client, &call{path: segs("resource-servers", resourceServerID, "roles")}, opts, maxRolesPageSize, "roles")
}

// All iterates over a resource server's roles with [RolesService.List].
// opts is not modified.
func (s *RolesService) All(ctx context.Context, resourceServerID string, opts *PageOptions) iter.Seq2[*Role, error] {
	return all(ctx, opts, func(ctx context.Context, o *PageOptions) (*Page[*Role], error) {
		return s.List(ctx, resourceServerID, o)
	})
}

// Update changes a role (PATCH) and returns it.
//
// API: PATCH /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id}/roles/{role_id} (UpdateRole)
func (s *RolesService) Update(ctx context.Context, resourceServerID, roleID string, req *UpdateRoleRequest) (*Role, error) {
	path, err := rolePath(resourceServerID, roleID)
	if err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if err := checkNamedUpdate(req.DisplayName, req.Description); err != nil {
		return nil, err
	}
	body := struct {
		Role *UpdateRoleRequest `json:"role"`
	}{req}
	return fetch[Role](ctx, s.client, &call{method: http.MethodPatch, path: path, body: body, idempotent: true})
}

// Delete deletes a role. A role that still has scopes or members is not
// deleted: the API answers 409 (errors.Is(err, ErrConflict)).
//
// API: DELETE /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id}/roles/{role_id} (DeleteRole)
func (s *RolesService) Delete(ctx context.Context, resourceServerID, roleID string) error {
	path, err := rolePath(resourceServerID, roleID)
	if err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, path: path, idempotent: true}, nil)
}

// AddMembers gives a role to groups and identities and returns the role.
// Giving it again changes nothing, so the call is retried after a
// transient failure like an update.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id}/roles/{role_id}:addMembers (AddRoleMembers)
func (s *RolesService) AddMembers(ctx context.Context, resourceServerID, roleID string, members *RoleMembers) (*Role, error) {
	return s.change(ctx, resourceServerID, roleID, "addMembers", members)
}

// RemoveMembers takes a role from groups and identities and returns the
// role. It is retried like AddMembers.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id}/roles/{role_id}:deleteMembers (DeleteRoleMembers)
func (s *RolesService) RemoveMembers(ctx context.Context, resourceServerID, roleID string, members *RoleMembers) (*Role, error) {
	return s.change(ctx, resourceServerID, roleID, "deleteMembers", members)
}

// AddScopes adds 1 to 1000 distinct scopes of the role's resource server
// to a role and returns the role. It is retried like AddMembers.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id}/roles/{role_id}:addScopes (AddRoleScopes)
func (s *RolesService) AddScopes(ctx context.Context, resourceServerID, roleID string, scopes []string) (*Role, error) {
	return s.change(ctx, resourceServerID, roleID, "addScopes", scopes)
}

// RemoveScopes removes 1 to 1000 distinct scopes from a role and returns
// the role. It is retried like AddMembers.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id}/roles/{role_id}:deleteScopes (DeleteRoleScopes)
func (s *RolesService) RemoveScopes(ctx context.Context, resourceServerID, roleID string, scopes []string) (*Role, error) {
	return s.change(ctx, resourceServerID, roleID, "deleteScopes", scopes)
}

// change sends one of the custom methods that change a role's members or
// scopes; what is a *RoleMembers or a []string of scopes.
func (s *RolesService) change(ctx context.Context, resourceServerID, roleID, method string, what any) (*Role, error) {
	path, err := rolePath(resourceServerID, roleID)
	if err != nil {
		return nil, err
	}
	var body any
	switch w := what.(type) {
	case *RoleMembers:
		if err := w.validate(); err != nil {
			return nil, err
		}
		body = w
	case []string:
		if err := checkScopes("scopes", w, true); err != nil {
			return nil, err
		}
		if len(w) > MaxRoleChangePerCall {
			return nil, invalid("scopes", fmt.Sprintf("has %d scopes; give 1 to %d", len(w), MaxRoleChangePerCall))
		}
		body = struct {
			Scopes []string `json:"scopes"`
		}{w}
	}
	return fetch[Role](ctx, s.client, &call{method: http.MethodPost, path: path, custom: method, body: body, idempotent: true})
}

// ListMembers fetches one page of a role's members: its groups and its
// identities, paged side by side.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id}/roles/{role_id}:listMembers (ListRoleMembers)
func (s *RolesService) ListMembers(ctx context.Context, resourceServerID, roleID string, opts *ListRoleMembersOptions) (*RoleMembersPage, error) {
	path, err := rolePath(resourceServerID, roleID)
	if err != nil {
		return nil, err
	}
	cl := &call{method: http.MethodGet, path: path, custom: "listMembers", idempotent: true}
	limit := 2 * maxRolesPageSize
	if opts != nil {
		for _, f := range []struct {
			name       string
			size, skip int
		}{{"GroupsPageSize", opts.GroupsPageSize, opts.GroupsSkip}, {"IdentitiesPageSize", opts.IdentitiesPageSize, opts.IdentitiesSkip}} {
			if err := checkPageSize(f.name, f.size, maxRolesPageSize); err != nil {
				return nil, err
			}
			if f.skip < 0 {
				return nil, invalid(strings.TrimSuffix(f.name, "PageSize")+"Skip", "must not be negative")
			}
		}
		cl.query = opts
	}
	var out roleMembersWire
	out.maxItems = limit
	if err := s.client.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	p := &RoleMembersPage{Groups: out.Groups, Identities: out.Identities, TotalGroups: out.TotalGroups, TotalIdentities: out.TotalIdentities}
	if out.NextPageToken != nil {
		p.NextPageToken = *out.NextPageToken
	}
	return p, nil
}

// roleMembersWire is the answer of ListRoleMembers; it checks both lists
// before decoding them, as list pages do.
type roleMembersWire struct {
	Groups          []*Group    `json:"groups"`
	Identities      []*Identity `json:"identities"`
	TotalGroups     int         `json:"total_groups_size"`
	TotalIdentities int         `json:"total_identities_size"`
	NextPageToken   *string     `json:"next_page_token"`
	maxItems        int
}

func (w *roleMembersWire) decodeBody(b []byte) error {
	for _, key := range []string{"groups", "identities"} {
		if err := checkPageItems(b, key, w.maxItems); err != nil {
			return err
		}
	}
	type plain roleMembersWire
	return json.Unmarshal(b, (*plain)(w))
}

// AllMembers iterates over a role's groups and identities with
// [RolesService.ListMembers], fetching pages as the loop needs them; each
// page's groups come before its identities. opts is not modified.
func (s *RolesService) AllMembers(ctx context.Context, resourceServerID, roleID string, opts *ListRoleMembersOptions) iter.Seq2[RoleMember, error] {
	var o ListRoleMembersOptions
	if opts != nil {
		o = *opts
	}
	return allPages(ctx, o.PageToken, func(ctx context.Context, token string) (*Page[RoleMember], error) {
		p := o
		p.PageToken = token
		page, err := s.ListMembers(ctx, resourceServerID, roleID, &p)
		if err != nil {
			return nil, err
		}
		items := make([]RoleMember, 0, len(page.Groups)+len(page.Identities))
		for _, g := range page.Groups {
			items = append(items, RoleMember{Group: g})
		}
		for _, id := range page.Identities {
			items = append(items, RoleMember{Identity: id})
		}
		return &Page[RoleMember]{Items: items, TotalSize: page.TotalGroups + page.TotalIdentities, NextPageToken: page.NextPageToken}, nil
	})
}

// ListScopes fetches one page of a role's scopes. PageSize is 0 (the
// server's default, 20) to 200.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/resource-servers/{resource_server_id}/roles/{role_id}:listScopes (ListRoleScopes)
func (s *RolesService) ListScopes(ctx context.Context, resourceServerID, roleID string, opts *PageOptions) (*Page[string], error) {
	path, err := rolePath(resourceServerID, roleID)
	if err != nil {
		return nil, err
	}
	return list[string](ctx, s.client, &call{path: path, custom: "listScopes"}, opts, maxRolesPageSize, "scopes")
}

// AllScopes iterates over a role's scopes with [RolesService.ListScopes].
// opts is not modified.
func (s *RolesService) AllScopes(ctx context.Context, resourceServerID, roleID string, opts *PageOptions) iter.Seq2[string, error] {
	return all(ctx, opts, func(ctx context.Context, o *PageOptions) (*Page[string], error) {
		return s.ListScopes(ctx, resourceServerID, roleID, o)
	})
}

// ListRoles fetches one page of the roles of a resource server that an
// identity is assigned to directly (the API's ListIdentityRoles does not
// include roles the identity has through its groups: see
// [GroupsService.ListRoles] for those). An unknown resource server is an
// *APIError with status 409 (errors.Is(err, ErrConflict)), as the API
// documents.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}:listRoles (ListIdentityRoles)
func (s *IdentitiesService) ListRoles(ctx context.Context, identityID, resourceServerID string, opts *PageOptions) (*Page[*Role], error) {
	if err := checkIdentityID(identityID); err != nil {
		return nil, err
	}
	if err := checkID("resourceServerID", resourceServerID); err != nil {
		return nil, err
	}
	cl := &call{path: segs("identities", identityID), custom: "listRoles", extraQuery: resourceServerQuery(resourceServerID)}
	return list[*Role](ctx, s.client, cl, opts, maxRolesPageSize, "roles")
}

// AllRoles iterates over the roles of a resource server that an identity is
// assigned to, with [IdentitiesService.ListRoles]. opts is not modified.
func (s *IdentitiesService) AllRoles(ctx context.Context, identityID, resourceServerID string, opts *PageOptions) iter.Seq2[*Role, error] {
	return all(ctx, opts, func(ctx context.Context, o *PageOptions) (*Page[*Role], error) {
		return s.ListRoles(ctx, identityID, resourceServerID, o)
	})
}
