package fakeapi

import (
	"net/http"
	"time"
)

// tenant is the engine's one tenant.
type tenant struct {
	displayName string
	created     time.Time
	updated     time.Time
}

type tenantJSON struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	CreateTime  string `json:"create_time"`
	UpdateTime  string `json:"update_time"`
}

func (e *Engine) tenantJSON() tenantJSON {
	return tenantJSON{ID: e.tenantID, DisplayName: e.tenant.displayName, CreateTime: ts(e.tenant.created), UpdateTime: ts(e.tenant.updated)}
}

// tenantFields are the members of the Tenant schema; the read-only ones are
// accepted and ignored.
var tenantFields = []string{"id", "display_name", "create_time", "update_time"}

func (e *Engine) getTenant(c *call) {
	writeJSON(c.w, http.StatusOK, e.tenantJSON())
}

// updateTenant changes the display name, the one writable member.
func (e *Engine) updateTenant(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	o, _ := v.envelope(body, "tenant")
	var name string
	var set bool
	if o != nil {
		v.known(o, "tenant", tenantFields...)
		if name, set = v.str(o, "display_name", "tenant"); set {
			checkName(&v, "tenant.display_name", name)
		}
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	if set {
		e.tenant.displayName = name
		e.tenant.updated = c.now
	}
	writeJSON(c.w, http.StatusOK, e.tenantJSON())
}
