package beyondidentity

import (
	"net/url"
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
