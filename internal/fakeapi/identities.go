package fakeapi

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// knownTraits are the string traits of Traits_v0 besides type.
var knownTraits = []string{
	"username", "primary_email_address", "secondary_email_address", "external_id",
	"family_name", "given_name", "formatted_name", "middle_name", "honorific_prefix",
	"honorific_suffix", "nick_name", "title", "primary_phone", "secondary_phone",
	"profile_url", "photo", "preferred_language", "locale", "timezone",
	"formatted_address", "street_address", "locality", "region", "postal_code",
	"country", "user_type", "employee_number", "cost_center", "organization",
	"division", "department", "manager_id", "manager_name",
}

// identityFields are the members of the Identity schema; read-only ones are
// accepted and ignored on writes.
var identityFields = []string{"id", "realm_id", "tenant_id", "display_name", "create_time", "update_time", "status", "traits", "enrollment_status"}

// forbiddenNameChars are the characters the spec's pattern for display
// names and usernames excludes: ^[^{}[\]<>;:?\\/|*^%$#=~`!]*$
const forbiddenNameChars = "{}[]<>;:?\\/|*^%$#=~`!"

func checkName(v *violations, field, s string) {
	switch {
	case s == "":
		v.add(field, "empty string")
	case utf8.RuneCountInString(s) > 64:
		v.add(field, "must be at most 64 characters")
	case strings.ContainsAny(s, forbiddenNameChars):
		v.add(field, "must not contain any of "+forbiddenNameChars)
	}
}

type identityJSON struct {
	ID               string                     `json:"id"`
	RealmID          string                     `json:"realm_id"`
	TenantID         string                     `json:"tenant_id"`
	DisplayName      string                     `json:"display_name"`
	CreateTime       string                     `json:"create_time"`
	UpdateTime       string                     `json:"update_time"`
	Status           string                     `json:"status"`
	Traits           map[string]json.RawMessage `json:"traits"`
	EnrollmentStatus string                     `json:"enrollment_status"`
}

func (e *Engine) identityJSON(c *call, i *identity) identityJSON {
	traits := make(map[string]json.RawMessage, len(i.traits)+1)
	for k, v := range i.traits {
		traits[k] = v
	}
	traits["type"] = json.RawMessage(`"traits_v0"`)
	return identityJSON{
		ID: i.id, RealmID: c.realm.id, TenantID: e.tenantID, DisplayName: i.displayName,
		CreateTime: ts(i.created), UpdateTime: ts(i.updated), Status: i.status,
		Traits: traits, EnrollmentStatus: enrollmentStatus(c, i),
	}
}

// enrollmentStatus derives the identity's enrollment status as the spec
// defines it: ENROLLED with an active passkey, PENDING with a pending binding
// job, INVITE_FAILED with a failed one, UNENROLLED otherwise.
func enrollmentStatus(c *call, i *identity) string {
	for _, cr := range i.creds {
		if cr.state == "ACTIVE" {
			return "ENROLLED"
		}
	}
	failed := false
	for _, j := range i.jobs {
		j.refresh(c.now)
		if pendingState(j.state) {
			return "PENDING"
		}
		failed = failed || j.state == StateFailedToSend
	}
	if failed {
		return "INVITE_FAILED"
	}
	return "UNENROLLED"
}

// identityInput is a validated identity from a create or update body.
type identityInput struct {
	displayName *string
	status      *string
	traits      map[string]json.RawMessage // nil when absent; JSON null means remove
}

// readIdentity validates the "identity" member of a create or update body.
func readIdentity(v *violations, body object, create bool) identityInput {
	var in identityInput
	o, ok := v.envelope(body, "identity")
	if !ok {
		return in
	}
	v.known(o, "identity", identityFields...)
	if s, ok := v.str(o, "display_name", "identity"); ok {
		checkName(v, "identity.display_name", s)
		in.displayName = &s
	} else if create && !o.has("display_name") {
		v.add("identity.display_name", "empty string")
	}
	if s, ok := v.str(o, "status", "identity"); ok {
		if s != "active" && s != "suspended" {
			v.add("identity.status", "must be active or suspended")
		}
		in.status = &s
	}
	t, ok := v.obj(o, "traits", "identity")
	if !ok {
		if create && !o.has("traits") {
			v.add("identity.traits", "missing")
		}
		return in
	}
	typ, ok := v.str(t, "type", "identity.traits")
	switch {
	case !ok && !t.has("type"):
		v.add("identity.traits.type", "missing")
	case ok && typ != "traits_v0":
		v.add("identity.traits.type", "unsupported traits type "+typ+" (want traits_v0)")
	}
	in.traits = map[string]json.RawMessage{}
	for k, raw := range t {
		if k == "type" {
			continue
		}
		if isNull(raw) {
			in.traits[k] = nil // clears the trait
			continue
		}
		if slices.Contains(knownTraits, k) {
			s, _ := v.str(t, k, "identity.traits")
			if k == "username" {
				checkName(v, "identity.traits.username", s)
			}
			if s == "" {
				in.traits[k] = nil
				continue
			}
		}
		in.traits[k] = append(json.RawMessage(nil), raw...)
	}
	if create && !t.has("username") {
		v.add("identity.traits.username", "empty string")
	}
	return in
}

func (e *Engine) createIdentity(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	in := readIdentity(&v, body, true)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	i := &identity{id: e.newID(), displayName: *in.displayName, status: "active", traits: map[string]json.RawMessage{}, created: c.now, updated: c.now}
	if in.status != nil {
		i.status = *in.status
	}
	for k, raw := range in.traits {
		if raw != nil {
			i.traits[k] = raw
		}
	}
	if c.realm.usernames[foldUsername(i.username())] != nil {
		writeError(c.w, http.StatusConflict, "username already exists")
		return
	}
	c.realm.addIdentity(i)
	writeJSON(c.w, http.StatusOK, e.identityJSON(c, i))
}

func (e *Engine) findIdentity(c *call, id string) *identity {
	i := c.realm.identityBy[id]
	if i == nil {
		notFound(c.w, "Identity", id, "identity")
	}
	return i
}

func (e *Engine) getIdentity(c *call) {
	if i := e.findIdentity(c, c.params[0]); i != nil {
		writeJSON(c.w, http.StatusOK, e.identityJSON(c, i))
	}
}

func (e *Engine) updateIdentity(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	in := readIdentity(&v, body, false)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	i := e.findIdentity(c, c.params[0])
	if i == nil {
		return
	}
	if raw, ok := in.traits["username"]; ok && raw != nil {
		var u string
		_ = json.Unmarshal(raw, &u)
		if other := c.realm.usernames[foldUsername(u)]; other != nil && other != i {
			writeError(c.w, http.StatusConflict, "username already exists")
			return
		}
	}
	oldKey := foldUsername(i.username())
	if in.displayName != nil {
		i.displayName = *in.displayName
	}
	if in.status != nil {
		i.status = *in.status
	}
	for k, raw := range in.traits {
		if raw == nil {
			if k != "username" {
				delete(i.traits, k)
			}
			continue
		}
		i.traits[k] = raw
	}
	delete(c.realm.usernames, oldKey)
	c.realm.usernames[foldUsername(i.username())] = i
	i.updated = c.now
	writeJSON(c.w, http.StatusOK, e.identityJSON(c, i))
}

func (e *Engine) deleteIdentity(c *call) {
	if i := e.findIdentity(c, c.params[0]); i != nil {
		c.realm.removeIdentities(map[string]bool{i.id: true})
		writeEmpty(c.w)
	}
}

// batchDeleteIdentities deletes 1 to 1000 distinct identities, all or none.
func (e *Engine) batchDeleteIdentities(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	v.known(body, "", "ids")
	ids, present := v.strs(body, "ids", "")
	switch {
	case len(v) > 0:
	case !present || len(ids) == 0:
		v.add("ids", "must hold at least 1 ID")
	case len(ids) > 1000:
		v.add("ids", "must hold at most 1000 IDs")
	default:
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				v.add("ids", "duplicate ID "+id)
			}
			seen[id] = true
		}
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	var missing []string
	set := map[string]bool{}
	for _, id := range ids {
		if c.realm.identityBy[id] == nil {
			missing = append(missing, id)
		}
		set[id] = true
	}
	if len(missing) > 0 {
		writeError(c.w, http.StatusNotFound, "identities not found", batchOperationErrorsDetail{
			Type:        "BatchOperationErrors",
			Description: "errors encountered performing batch operation",
			Errors:      []batchOperation{{Description: "identities not found", IDs: missing, ResourceType: "Identity"}},
		})
		return
	}
	c.realm.removeIdentities(set)
	writeEmpty(c.w)
}

func (e *Engine) listIdentities(c *call) {
	pg, ok := e.parsePage(c, "identities", 20, 200)
	if !ok {
		return
	}
	items := c.realm.identities
	if pg.filter != "" {
		cmp, err := parseComparison(pg.filter)
		if err != nil || cmp.attr != "traits.username" {
			invalidParam(c.w, "filter", `unsupported filter: only traits.username eq "<username>" is supported`)
			return
		}
		items = nil
		if i := c.realm.usernames[foldUsername(cmp.value)]; i != nil {
			items = []*identity{i}
		}
	}
	page, next := paginate(e, pg, items)
	out := make([]identityJSON, 0, len(page))
	for _, i := range page {
		out = append(out, e.identityJSON(c, i))
	}
	writeJSON(c.w, http.StatusOK, struct {
		Identities    []identityJSON `json:"identities"`
		TotalSize     int            `json:"total_size"`
		NextPageToken string         `json:"next_page_token,omitempty"`
	}{out, len(items), next})
}
