package fakeapi

import (
	"net/http"
	"strings"
	"unicode/utf8"
)

type groupJSON struct {
	ID          string `json:"id"`
	RealmID     string `json:"realm_id"`
	TenantID    string `json:"tenant_id"`
	DisplayName string `json:"display_name"`
	Description string `json:"description,omitempty"`
	CreateTime  string `json:"create_time"`
	UpdateTime  string `json:"update_time"`
}

func (e *Engine) groupJSON(c *call, g *group) groupJSON {
	return groupJSON{
		ID: g.id, RealmID: c.realm.id, TenantID: e.tenantID, DisplayName: g.displayName,
		Description: g.description, CreateTime: ts(g.created), UpdateTime: ts(g.updated),
	}
}

// groupFields are the members of the Group schema (and of Role, less
// resource_server_id); the read-only ones are accepted and ignored.
var groupFields = []string{"id", "realm_id", "tenant_id", "display_name", "description", "create_time", "update_time"}

// checkDescription checks a description: at most 300 characters, none of
// those the names' pattern excludes (the spec gives descriptions the same
// pattern). It may be empty.
func checkDescription(v *violations, field, s string) {
	switch {
	case utf8.RuneCountInString(s) > 300:
		v.add(field, "must be at most 300 characters")
	case strings.ContainsAny(s, forbiddenNameChars):
		v.add(field, "must not contain any of "+forbiddenNameChars)
	}
}

// namedInput is a validated display name and description, of a group or a
// role.
type namedInput struct {
	displayName *string
	description *string
}

// readNamed reads the object at key of a create or update body whose
// members are fields: a display name and a description.
func readNamed(v *violations, body object, key string, fields []string, create bool) namedInput {
	var in namedInput
	o, ok := v.envelope(body, key)
	if !ok {
		return in
	}
	v.known(o, key, fields...)
	if s, ok := v.str(o, "display_name", key); ok {
		checkName(v, key+".display_name", s)
		in.displayName = &s
	} else if create && !o.has("display_name") {
		v.add(key+".display_name", "empty string")
	}
	if s, ok := v.str(o, "description", key); ok {
		checkDescription(v, key+".description", s)
		in.description = &s
	}
	return in
}

// createGroup creates a group. Display names need not be unique: the spec
// documents no 409 for CreateGroup (nor for UpdateGroup).
func (e *Engine) createGroup(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	in := readNamed(&v, body, "group", groupFields, true)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	g := &group{id: e.newID(), displayName: *in.displayName, created: c.now, updated: c.now}
	if in.description != nil {
		g.description = *in.description
	}
	c.realm.addGroup(g)
	writeJSON(c.w, http.StatusOK, e.groupJSON(c, g))
}

func (e *Engine) findGroup(c *call, id string) *group {
	g := c.realm.groupBy[id]
	if g == nil {
		notFound(c.w, "Group", id, "group")
	}
	return g
}

func (e *Engine) getGroup(c *call) {
	if g := e.findGroup(c, c.params[0]); g != nil {
		writeJSON(c.w, http.StatusOK, e.groupJSON(c, g))
	}
}

func (e *Engine) updateGroup(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	in := readNamed(&v, body, "group", groupFields, false)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	g := e.findGroup(c, c.params[0])
	if g == nil {
		return
	}
	if in.displayName != nil {
		g.displayName = *in.displayName
	}
	if in.description != nil {
		g.description = *in.description
	}
	g.updated = c.now
	writeJSON(c.w, http.StatusOK, e.groupJSON(c, g))
}

// deleteGroup deletes a group without members (409 "group has children"
// otherwise, as the spec documents); its role assignments go with it.
func (e *Engine) deleteGroup(c *call) {
	g := e.findGroup(c, c.params[0])
	if g == nil {
		return
	}
	if g.members.len() > 0 {
		writeError(c.w, http.StatusConflict, "group has children")
		return
	}
	c.realm.removeGroup(g)
	writeEmpty(c.w)
}

func (e *Engine) listGroups(c *call) {
	pg, ok := e.parsePage(c, "groups", 20, 200)
	if !ok || !noFilter(c, pg) {
		return
	}
	e.writeGroups(c, pg, c.realm.groups)
}

func (e *Engine) writeGroups(c *call, pg pageReq, items []*group) {
	page, next := paginate(e, pg, items)
	out := make([]groupJSON, 0, len(page))
	for _, g := range page {
		out = append(out, e.groupJSON(c, g))
	}
	writeJSON(c.w, http.StatusOK, listJSON("groups", out, len(items), next))
}

// readIDList reads the array of IDs at key of a membership body: present
// when required, 1 to 1000 items (the spec's minItems and maxItems; its
// example words the excess "array exceeds 1000 elements"). An ID listed
// twice counts once: the spec declares no uniqueItems, and a membership is
// a set.
func readIDList(v *violations, body object, key string, required bool) ([]string, bool) {
	ids, present := v.strs(body, key, "")
	switch {
	case !present:
		if required && !body.has(key) {
			v.add(key, "missing")
		}
		return nil, false
	case len(ids) == 0:
		v.add(key, "array must hold at least 1 element")
	case len(ids) > 1000:
		v.add(key, "array exceeds 1000 elements")
	}
	seen := make(map[string]bool, len(ids))
	out := ids[:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, true
}

// missingIdentities answers 404 when some of ids name no identity of the
// realm and reports whether it did. The spec documents only "group not
// found" (or "role not found") for these operations' 404, whose description
// is "The resource was not found."; an identity the request names that does
// not exist is such a resource. The answer carries one ResourceInfo per missing identity and
// nothing is changed, all or nothing as BatchDeleteIdentities is. This
// holds for removals too: an ID that names no identity is a client error,
// while removing an existing identity that is not a member changes nothing
// and succeeds.
func missingIdentities(c *call, ids []string) bool {
	return missing(c, ids, "Identity", "identity", func(id string) bool { return c.realm.identityBy[id] != nil })
}

// missingGroups is missingIdentities for groups.
func missingGroups(c *call, ids []string) bool {
	return missing(c, ids, "Group", "group", func(id string) bool { return c.realm.groupBy[id] != nil })
}

func missing(c *call, ids []string, resourceType, what string, exists func(string) bool) bool {
	var details []any
	msg := what + " not found"
	for _, id := range ids {
		if !exists(id) {
			details = append(details, resourceInfo(resourceType, id, msg))
		}
	}
	if details == nil {
		return false
	}
	writeError(c.w, http.StatusNotFound, msg, details...)
	return true
}

// readMembers validates the {"identity_ids": [...]} body of
// AddGroupMembers and DeleteGroupMembers and finds the group and the
// identities (400, then 404).
func (e *Engine) readMembers(c *call) (*group, []string, bool) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return nil, nil, false
	}
	var v violations
	v.known(body, "", "identity_ids")
	ids, _ := readIDList(&v, body, "identity_ids", true)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return nil, nil, false
	}
	g := e.findGroup(c, c.params[0])
	if g == nil || missingIdentities(c, ids) {
		return nil, nil, false
	}
	return g, ids, true
}

// addGroupMembers adds identities to a group and answers the group (as the
// spec's 200 response does). Adding a member again changes nothing.
// Membership is not an attribute of the group: update_time stays.
func (e *Engine) addGroupMembers(c *call) {
	g, ids, ok := e.readMembers(c)
	if !ok {
		return
	}
	for _, id := range ids {
		g.members.add(id)
	}
	writeJSON(c.w, http.StatusOK, e.groupJSON(c, g))
}

// deleteGroupMembers removes identities from a group and answers the group.
func (e *Engine) deleteGroupMembers(c *call) {
	g, ids, ok := e.readMembers(c)
	if !ok {
		return
	}
	g.members.remove(setOf(ids))
	writeJSON(c.w, http.StatusOK, e.groupJSON(c, g))
}

func setOf(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func (e *Engine) listGroupMembers(c *call) {
	pg, ok := e.parsePage(c, "group-members/"+c.params[0], 20, 200)
	if !ok || !noFilter(c, pg) {
		return
	}
	g := e.findGroup(c, c.params[0])
	if g == nil {
		return
	}
	e.writeIdentities(c, "identities", pg, g.members.ids)
}

// writeIdentities answers a page of the identities named by ids, under key.
func (e *Engine) writeIdentities(c *call, key string, pg pageReq, ids []string) {
	page, next := paginate(e, pg, ids)
	out := make([]identityJSON, 0, len(page))
	for _, id := range page {
		out = append(out, e.identityJSON(c, c.realm.identityBy[id]))
	}
	writeJSON(c.w, http.StatusOK, listJSON(key, out, len(ids), next))
}

// listGroupRoles lists the roles of one resource server the group is
// assigned to.
func (e *Engine) listGroupRoles(c *call) {
	pg, rsID, ok := e.parseRolesOf(c, "group-roles/"+c.params[0])
	if !ok {
		return
	}
	g := e.findGroup(c, c.params[0])
	if g == nil {
		return
	}
	s := e.serverForRoleQuery(c, rsID)
	if s == nil {
		return
	}
	var items []*role
	for _, rl := range s.roles {
		if rl.groups.has[g.id] {
			items = append(items, rl)
		}
	}
	e.writeRoles(c, pg, items)
}

// listIdentityGroups lists the groups an identity is a member of.
func (e *Engine) listIdentityGroups(c *call) {
	pg, ok := e.parsePage(c, "identity-groups/"+c.params[0], 20, 200)
	if !ok || !noFilter(c, pg) {
		return
	}
	i := e.findIdentity(c, c.params[0])
	if i == nil {
		return
	}
	var items []*group
	for _, g := range c.realm.groups {
		if g.members.has[i.id] {
			items = append(items, g)
		}
	}
	e.writeGroups(c, pg, items)
}
