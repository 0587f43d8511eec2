package fakeapi

import (
	"net/http"
)

type credentialJSON struct {
	ID            string `json:"id"`
	IdentityID    string `json:"identity_id"`
	RealmID       string `json:"realm_id"`
	TenantID      string `json:"tenant_id"`
	State         string `json:"state"`
	CSRType       string `json:"csr_type"`
	JWKJSON       string `json:"jwk_json"`
	JWKThumbprint string `json:"jwk_thumbprint"`
	CreateTime    string `json:"create_time"`
	UpdateTime    string `json:"update_time"`
}

func (e *Engine) credentialJSON(cr *credential) credentialJSON {
	return credentialJSON{
		ID: cr.id, IdentityID: cr.identityID, RealmID: cr.realmID, TenantID: e.tenantID,
		State: cr.state, CSRType: cr.csrType, JWKJSON: cr.jwkJSON, JWKThumbprint: cr.thumbprint,
		CreateTime: ts(cr.created), UpdateTime: ts(cr.updated),
	}
}

// listCredentials lists the credentials of an identity, or of the realm
// for "-". An unknown identity has none (the operation declares no 404).
func (e *Engine) listCredentials(c *call) {
	who := c.params[0]
	pg, ok := e.parsePage(c, "credentials/"+who, 20, 200)
	if !ok {
		return
	}
	if pg.filter != "" {
		invalidParam(c.w, "filter", "unsupported filter")
		return
	}
	var items []*credential
	if who == "-" {
		items = c.realm.creds
	} else if i := c.realm.identityBy[who]; i != nil {
		items = i.creds
	}
	page, next := paginate(e, pg, items)
	out := make([]credentialJSON, 0, len(page))
	for _, cr := range page {
		out = append(out, e.credentialJSON(cr))
	}
	writeJSON(c.w, http.StatusOK, struct {
		Credentials   []credentialJSON `json:"credentials"`
		TotalSize     int              `json:"total_size"`
		NextPageToken string           `json:"next_page_token,omitempty"`
	}{out, len(items), next})
}

func (e *Engine) findCredential(c *call) *credential {
	cr := c.realm.credBy[c.params[1]]
	if cr == nil || cr.identityID != c.params[0] {
		notFound(c.w, "Credential", c.params[1], "credential")
		return nil
	}
	return cr
}

func (e *Engine) getCredential(c *call) {
	if cr := e.findCredential(c); cr != nil {
		writeJSON(c.w, http.StatusOK, e.credentialJSON(cr))
	}
}

// revokeCredential revokes a credential. The operation declares no request
// body: a request without one is served whatever its headers say (a
// generated client may well send Content-Type: application/json on every
// POST), while a body is refused with 415, as a validating proxy of the
// spec does. Revoking a revoked credential answers it unchanged.
func (e *Engine) revokeCredential(c *call) {
	if len(c.body) > 0 {
		writeError(c.w, http.StatusUnsupportedMediaType, "this operation takes no request body")
		return
	}
	cr := e.findCredential(c)
	if cr == nil {
		return
	}
	if cr.state != "REVOKED" {
		cr.state, cr.updated = "REVOKED", c.now
	}
	writeJSON(c.w, http.StatusOK, e.credentialJSON(cr))
}
