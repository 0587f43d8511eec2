package beyondidentity

import (
	"context"
	"net/http"
	"time"
)

// Platform is a platform of the realm's launch mechanisms (flow types),
// such as PlatformIOS. It is an open set.
type Platform string

// Platforms documented by the API.
const (
	PlatformAndroid     Platform = "android"
	PlatformMacOS       Platform = "macos"
	PlatformIOS         Platform = "ios"
	PlatformWindows     Platform = "windows"
	PlatformWeb         Platform = "web"
	PlatformLinux       Platform = "linux"
	PlatformChromeOS    Platform = "chromeos"
	PlatformChromeOSWeb Platform = "chromeosweb"
)

// FlowType is a way the authenticator is launched on a platform (a launch
// mechanism), such as FlowTypeUniversalLink. It is an open set.
type FlowType string

// Flow types documented by the API.
const (
	FlowTypeUnknown              FlowType = "unknown"
	FlowTypeScheme               FlowType = "scheme"
	FlowTypeEmbedded             FlowType = "embedded"
	FlowTypeCopy                 FlowType = "copy"
	FlowTypeRoamingAuth          FlowType = "roaming_auth"
	FlowTypeAndroidAutofill      FlowType = "android_autofill"
	FlowTypeAndroidAccessibility FlowType = "android_accessibility"
	FlowTypePipe                 FlowType = "pipe"
	FlowTypeLocalhost            FlowType = "localhost"
	FlowTypeUniversalLink        FlowType = "universal_link"
	FlowTypeSafariExtension      FlowType = "safari_extension"
	FlowTypeLayeredAuthQRCode    FlowType = "layered_auth_qr_code"
	FlowTypeSecureLocalhost      FlowType = "secure_localhost"
)

// FlowTypeSetting says whether a flow type may be used on a platform.
type FlowTypeSetting struct {
	// Enabled says whether the flow type is allowed.
	Enabled bool `json:"enabled"`
	// Valid says whether the flow type is valid and expected on the
	// platform.
	Valid bool `json:"valid"`
}

// FlowTypeConfig is the realm's launch-mechanism configuration: for each
// platform, which flow types are enabled.
type FlowTypeConfig struct {
	// ID identifies the configuration. Read-only.
	ID string `json:"id,omitempty"`
	// TenantID is the configuration's tenant. Read-only.
	TenantID string `json:"tenant_id,omitempty"`
	// RealmID is the configuration's realm. Read-only.
	RealmID string `json:"realm_id,omitempty"`
	// CreateTime is when the configuration was created. Read-only.
	CreateTime time.Time `json:"create_time,omitzero"`
	// UpdateTime is when the configuration was last updated. Read-only.
	UpdateTime time.Time `json:"update_time,omitzero"`
	// Platforms maps each platform to its flow types and their settings
	// (the API's platform_config). Platforms and flow types this version
	// does not know are kept.
	Platforms map[Platform]map[FlowType]FlowTypeSetting `json:"platform_config,omitempty"`
}

// FlowTypeUpdate changes the setting of one flow type: only the fields
// that are set are sent.
type FlowTypeUpdate struct {
	// Enabled, when set, allows or forbids the flow type.
	Enabled *bool `json:"enabled,omitempty"`
	// Valid, when set, marks the flow type valid or not on the platform.
	Valid *bool `json:"valid,omitempty"`
}

// UpdateFlowTypeConfigRequest is the body of [FlowTypeConfigService.Update]
// (a PATCH): the flow types of the platforms it names change, and all
// others stay as they are.
type UpdateFlowTypeConfigRequest struct {
	// Platforms maps platforms to the flow types to change.
	Platforms map[Platform]map[FlowType]FlowTypeUpdate
}

// FlowTypeConfigService handles the realm's launch mechanisms. Get it from
// Client.FlowTypeConfig.
type FlowTypeConfigService service

// Get fetches the realm's flow type configuration; the API creates the
// default configuration when the realm has none.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/flow-type-config (GetFlowTypeConfig)
func (s *FlowTypeConfigService) Get(ctx context.Context) (*FlowTypeConfig, error) {
	return fetch[FlowTypeConfig](ctx, s.client, &call{method: http.MethodGet, path: segs("flow-type-config"), idempotent: true})
}

// Update changes the flow types req names and returns the configuration.
//
// API: PATCH /v1/tenants/{tenant_id}/realms/{realm_id}/flow-type-config (UpdateFlowTypeConfig)
func (s *FlowTypeConfigService) Update(ctx context.Context, req *UpdateFlowTypeConfigRequest) (*FlowTypeConfig, error) {
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if len(req.Platforms) == 0 {
		return nil, invalid("Platforms", "is empty: name a platform and a flow type to change")
	}
	for p, types := range req.Platforms {
		field := "Platforms[" + string(p) + "]"
		if p == "" {
			return nil, invalid(field, "names no platform")
		}
		if len(types) == 0 {
			return nil, invalid(field, "changes no flow type")
		}
		for ft, u := range types {
			if ft == "" {
				return nil, invalid(field, "has a flow type with no name")
			}
			if u.Enabled == nil && u.Valid == nil {
				return nil, invalid(field+"["+string(ft)+"]", "sets neither Enabled nor Valid")
			}
		}
	}
	// The API takes the platforms at the top of the body, without an
	// envelope.
	return fetch[FlowTypeConfig](ctx, s.client, &call{method: http.MethodPatch, path: segs("flow-type-config"), body: req.Platforms, idempotent: true})
}
