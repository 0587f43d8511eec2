package fakeapi

import (
	"net/http"
	"time"
)

// The platforms and the flow types (launch mechanisms) of a flow type
// configuration, in the order of the spec's PlatformFlowTypeConfig and
// FlowTypeSet.
var (
	flowPlatforms = []string{"android", "macos", "ios", "windows", "web", "linux", "chromeos", "chromeosweb"}
	flowTypes     = []string{
		"unknown", "scheme", "embedded", "copy", "roaming_auth", "android_autofill", "android_accessibility",
		"pipe", "localhost", "universal_link", "safari_extension", "layered_auth_qr_code", "secure_localhost",
	}
)

// flowSetting is a FlowTypeConfiguration: whether a flow type is allowed
// and whether it is valid (expected) on the platform.
type flowSetting struct {
	Enabled bool `json:"enabled"`
	Valid   bool `json:"valid"`
}

// flowTypeConfig is a realm's one flow type configuration. It comes into
// being the first time it is read or updated ("Retrieves the flow type
// configuration ... or creates a default configuration if one does not
// exist").
//
// The spec documents no default values. The fake's default allows every
// flow type on every platform and marks it valid, except "unknown", which
// names no launch mechanism and is neither; an update may change any of
// them.
type flowTypeConfig struct {
	id       string
	created  time.Time
	updated  time.Time
	settings map[string]map[string]flowSetting // platform → flow type → setting
}

func (e *Engine) flowTypeConfigOf(c *call) *flowTypeConfig {
	if f := c.realm.flowType; f != nil {
		return f
	}
	f := &flowTypeConfig{id: e.uuid(), created: c.now, updated: c.now, settings: map[string]map[string]flowSetting{}}
	for _, p := range flowPlatforms {
		set := map[string]flowSetting{}
		for _, t := range flowTypes {
			on := t != "unknown"
			set[t] = flowSetting{Enabled: on, Valid: on}
		}
		f.settings[p] = set
	}
	c.realm.flowType = f
	return f
}

type flowTypeConfigJSON struct {
	ID             string                            `json:"id"`
	TenantID       string                            `json:"tenant_id"`
	RealmID        string                            `json:"realm_id"`
	CreateTime     string                            `json:"create_time"`
	UpdateTime     string                            `json:"update_time"`
	PlatformConfig map[string]map[string]flowSetting `json:"platform_config"`
}

func (e *Engine) flowTypeConfigJSON(c *call, f *flowTypeConfig) flowTypeConfigJSON {
	return flowTypeConfigJSON{
		ID: f.id, TenantID: e.tenantID, RealmID: c.realm.id, CreateTime: ts(f.created), UpdateTime: ts(f.updated),
		PlatformConfig: f.settings,
	}
}

func (e *Engine) getFlowTypeConfig(c *call) {
	writeJSON(c.w, http.StatusOK, e.flowTypeConfigJSON(c, e.flowTypeConfigOf(c)))
}

// flowChange is one member of an update: a platform's flow type and the
// members of its setting that were sent.
type flowChange struct {
	platform, flowType string
	enabled, valid     *bool
}

// updateFlowTypeConfig applies an UpdatePlatformFlowTypeConfig: the body
// is the platforms themselves (no envelope), and only the members sent
// change.
func (e *Engine) updateFlowTypeConfig(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	var changes []flowChange
	v.known(body, "", flowPlatforms...)
	for _, p := range flowPlatforms {
		set, ok := v.obj(body, p, "")
		if !ok {
			continue
		}
		v.known(set, p, flowTypes...)
		for _, t := range flowTypes {
			s, ok := v.obj(set, t, p)
			if !ok {
				continue
			}
			path := p + "." + t
			v.known(s, path, "enabled", "valid")
			ch := flowChange{platform: p, flowType: t}
			if b, ok := v.boolean(s, "enabled", path); ok {
				ch.enabled = &b
			}
			if b, ok := v.boolean(s, "valid", path); ok {
				ch.valid = &b
			}
			changes = append(changes, ch)
		}
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	f := e.flowTypeConfigOf(c)
	for _, ch := range changes {
		s := f.settings[ch.platform][ch.flowType]
		if ch.enabled != nil {
			s.Enabled = *ch.enabled
		}
		if ch.valid != nil {
			s.Valid = *ch.valid
		}
		f.settings[ch.platform][ch.flowType] = s
	}
	f.updated = c.now
	writeJSON(c.w, http.StatusOK, e.flowTypeConfigJSON(c, f))
}
