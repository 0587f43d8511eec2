package fakeapi

import (
	"net/http"
	"slices"
)

type roleJSON struct {
	ID               string `json:"id"`
	ResourceServerID string `json:"resource_server_id"`
	RealmID          string `json:"realm_id"`
	TenantID         string `json:"tenant_id"`
	DisplayName      string `json:"display_name"`
	Description      string `json:"description,omitempty"`
	CreateTime       string `json:"create_time"`
	UpdateTime       string `json:"update_time"`
}

func (e *Engine) roleJSON(c *call, rl *role) roleJSON {
	return roleJSON{
		ID: rl.id, ResourceServerID: rl.serverID, RealmID: c.realm.id, TenantID: e.tenantID,
		DisplayName: rl.displayName, Description: rl.description,
		CreateTime: ts(rl.created), UpdateTime: ts(rl.updated),
	}
}

// roleFields are the members of the Role schema; the read-only ones are
// accepted and ignored.
var roleFields = append(slices.Clone(groupFields), "resource_server_id")

// createRole creates a role of a resource server. The body's member is
// "role": the spec's CreateRole schema names its property "group", a
// copy-paste defect, while its required list and its example say "role",
// which is what the API takes. A body with "group" is refused like any
// unknown member.
func (e *Engine) createRole(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	in := readNamed(&v, body, "role", roleFields, true)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	s := e.findServer(c, c.params[0])
	if s == nil {
		return
	}
	rl := &role{id: e.newID(), serverID: s.id, displayName: *in.displayName, created: c.now, updated: c.now}
	if in.description != nil {
		rl.description = *in.description
	}
	c.realm.addRole(s, rl)
	writeJSON(c.w, http.StatusOK, e.roleJSON(c, rl))
}

// findRole finds the resource server and the role of a path (404 for
// either).
func (e *Engine) findRole(c *call) (*resourceServer, *role) {
	s := e.findServer(c, c.params[0])
	if s == nil {
		return nil, nil
	}
	rl := c.realm.roleBy[c.params[1]]
	if rl == nil || rl.serverID != s.id {
		notFound(c.w, "Role", c.params[1], "role")
		return nil, nil
	}
	return s, rl
}

func (e *Engine) getRole(c *call) {
	if _, rl := e.findRole(c); rl != nil {
		writeJSON(c.w, http.StatusOK, e.roleJSON(c, rl))
	}
}

func (e *Engine) updateRole(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	in := readNamed(&v, body, "role", roleFields, false)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	_, rl := e.findRole(c)
	if rl == nil {
		return
	}
	if in.displayName != nil {
		rl.displayName = *in.displayName
	}
	if in.description != nil {
		rl.description = *in.description
	}
	rl.updated = c.now
	writeJSON(c.w, http.StatusOK, e.roleJSON(c, rl))
}

// deleteRole deletes a role without scopes or members (409 "role has
// children" otherwise, as the spec documents).
func (e *Engine) deleteRole(c *call) {
	s, rl := e.findRole(c)
	if rl == nil {
		return
	}
	if rl.scopes.len() > 0 || rl.groups.len() > 0 || rl.identities.len() > 0 {
		writeError(c.w, http.StatusConflict, "role has children")
		return
	}
	c.realm.removeRole(s, rl)
	writeEmpty(c.w)
}

func (e *Engine) listRoles(c *call) {
	pg, ok := e.parsePage(c, "roles/"+c.params[0], 20, 200)
	if !ok || !noFilter(c, pg) {
		return
	}
	if s := e.findServer(c, c.params[0]); s != nil {
		e.writeRoles(c, pg, s.roles)
	}
}

func (e *Engine) writeRoles(c *call, pg pageReq, items []*role) {
	page, next := paginate(e, pg, items)
	out := make([]roleJSON, 0, len(page))
	for _, rl := range page {
		out = append(out, e.roleJSON(c, rl))
	}
	writeJSON(c.w, http.StatusOK, listJSON("roles", out, len(items), next))
}

// parseRolesOf reads the query of ListGroupRoles and ListIdentityRoles:
// the page parameters and resource_server_id, which both operations
// require ("The request must include the `resource_server_id` query
// parameter"). The page token is bound to the resource server.
func (e *Engine) parseRolesOf(c *call, list string) (pageReq, string, bool) {
	rsID := c.query.Get("resource_server_id")
	pg, ok := e.parsePage(c, list+"?"+rsID, 20, 200)
	if !ok || !noFilter(c, pg) {
		return pg, "", false
	}
	if rsID == "" {
		invalidParam(c.w, "resource_server_id", "empty string")
		return pg, "", false
	}
	return pg, rsID, true
}

// listIdentityRoles lists the roles of one resource server the identity is
// assigned to: directly, not through its groups. The spec words it "the
// roles to which an identity is assigned", and it says "assigned" of the
// members AddRoleMembers takes ("IDs of the identities to be assigned to
// the role", "IDs of the groups to be assigned to the role"): an identity
// that is a member of an assigned group is not itself assigned. The group's
// roles are ListGroupRoles' answer, and ListRoleMembers lists the group, not
// its members, alike.
func (e *Engine) listIdentityRoles(c *call) {
	pg, rsID, ok := e.parseRolesOf(c, "identity-roles/"+c.params[0])
	if !ok {
		return
	}
	i := e.findIdentity(c, c.params[0])
	if i == nil {
		return
	}
	s := e.serverForRoleQuery(c, rsID)
	if s == nil {
		return
	}
	var items []*role
	for _, rl := range s.roles {
		if rl.identities.has[i.id] {
			items = append(items, rl)
		}
	}
	e.writeRoles(c, pg, items)
}

// readRoleMembers validates the {"group_ids": [...], "identity_ids":
// [...]} body of AddRoleMembers and DeleteRoleMembers ("at least one group
// ID or identity ID and ... not more than 1000 group IDs or 1000 identity
// IDs") and finds the role, the groups and the identities (400, then 404).
func (e *Engine) readRoleMembers(c *call) (rl *role, groups, identities []string, ok bool) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return nil, nil, nil, false
	}
	var v violations
	v.known(body, "", "group_ids", "identity_ids")
	groups, gOK := readIDList(&v, body, "group_ids", false)
	identities, iOK := readIDList(&v, body, "identity_ids", false)
	if !gOK && !iOK && len(v) == 0 {
		v.add("group_ids", "at least one group ID or identity ID is required")
		v.add("identity_ids", "at least one group ID or identity ID is required")
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return nil, nil, nil, false
	}
	if _, rl = e.findRole(c); rl == nil || missingGroups(c, groups) || missingIdentities(c, identities) {
		return nil, nil, nil, false
	}
	return rl, groups, identities, true
}

// addRoleMembers assigns groups and identities to a role and answers the
// role, as the spec's 200 response does. Assigning a member again changes
// nothing; update_time stays, as for group members.
func (e *Engine) addRoleMembers(c *call) {
	rl, groups, identities, ok := e.readRoleMembers(c)
	if !ok {
		return
	}
	for _, id := range groups {
		rl.groups.add(id)
	}
	for _, id := range identities {
		rl.identities.add(id)
	}
	writeJSON(c.w, http.StatusOK, e.roleJSON(c, rl))
}

// deleteRoleMembers unassigns groups and identities from a role and
// answers the role; a member that is not assigned changes nothing.
func (e *Engine) deleteRoleMembers(c *call) {
	rl, groups, identities, ok := e.readRoleMembers(c)
	if !ok {
		return
	}
	rl.groups.remove(setOf(groups))
	rl.identities.remove(setOf(identities))
	writeJSON(c.w, http.StatusOK, e.roleJSON(c, rl))
}

// listRoleMembers lists a role's groups and identities, two lists paged
// side by side: groups_page_size and groups_skip, identities_page_size and
// identities_skip, and one page_token for both (the operation declares no
// page_size, skip or filter). Each list defaults to 20 and allows at most
// 200 per page, as every other list of groups or identities (the
// operation's answer allows 200 of each). A page token is given while
// either list has more; the list that is done answers empty pages.
func (e *Engine) listRoleMembers(c *call) {
	const def, maxSize = 20, 200
	var v violations
	size := func(name string) int {
		n, ok := queryUint(c, name, &v)
		if ok && n > maxSize {
			v.addf(name, "must be at most %d", maxSize)
		}
		return n
	}
	gSize, iSize := size("groups_page_size"), size("identities_page_size")
	gSkip, _ := queryUint(c, "groups_skip", &v)
	iSkip, _ := queryUint(c, "identities_skip", &v)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	list := "role-members/" + c.params[1]
	gp, ip := pageReq{list: list, skip: gSkip}, pageReq{list: list, skip: iSkip}
	if raw := c.query.Get("page_token"); raw != "" {
		t, ok := e.decodePageToken(raw)
		switch {
		case !ok || t.List != list:
			invalidParam(c.w, "page_token", "invalid page token")
			return
		case t.Skip != gSkip:
			invalidParam(c.w, "groups_skip", "does not match the groups_skip of the first request; send it with every page")
			return
		case t.Skip2 != iSkip:
			invalidParam(c.w, "identities_skip", "does not match the identities_skip of the first request; send it with every page")
			return
		}
		gp.offset, ip.offset = t.Offset, t.Offset2
		if gSize == 0 {
			gSize = t.Size
		}
		if iSize == 0 {
			iSize = t.Size2
		}
	}
	gp.size, ip.size = cmpOr(gSize, def), cmpOr(iSize, def)
	_, rl := e.findRole(c)
	if rl == nil {
		return
	}
	gs, ge := gp.window(rl.groups.len())
	is, ie := ip.window(rl.identities.len())
	groups := make([]groupJSON, 0, ge-gs)
	for _, id := range rl.groups.ids[gs:ge] {
		groups = append(groups, e.groupJSON(c, c.realm.groupBy[id]))
	}
	identities := make([]identityJSON, 0, ie-is)
	for _, id := range rl.identities.ids[is:ie] {
		identities = append(identities, e.identityJSON(c, c.realm.identityBy[id]))
	}
	next := ""
	if ge < rl.groups.len() || ie < rl.identities.len() {
		next = e.encodePageToken(pageToken{
			List: list, Skip: gSkip, Offset: gp.offset + ge - gs, Size: gp.size,
			Skip2: iSkip, Offset2: ip.offset + ie - is, Size2: ip.size,
		})
	}
	writeJSON(c.w, http.StatusOK, struct {
		Groups              []groupJSON    `json:"groups"`
		TotalGroupsSize     int            `json:"total_groups_size"`
		Identities          []identityJSON `json:"identities"`
		TotalIdentitiesSize int            `json:"total_identities_size"`
		NextPageToken       string         `json:"next_page_token,omitempty"`
	}{groups, rl.groups.len(), identities, rl.identities.len(), next})
}

// cmpOr returns n, or def when n is 0.
func cmpOr(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// readRoleScopes validates the {"scopes": [...]} body of AddRoleScopes and
// DeleteRoleScopes (1 to 1000 scopes) and finds the role.
func (e *Engine) readRoleScopes(c *call) (*resourceServer, *role, []string, bool) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return nil, nil, nil, false
	}
	var v violations
	v.known(body, "", "scopes")
	scopes, present := readScopes(&v, body, "scopes", "")
	switch {
	case !present && !body.has("scopes"):
		v.add("scopes", "missing")
	case present && len(scopes) == 0 && len(v) == 0:
		v.add("scopes", "array must hold at least 1 element")
	case present && len(scopes) > 1000:
		v.add("scopes", "array exceeds 1000 elements")
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return nil, nil, nil, false
	}
	s, rl := e.findRole(c)
	if rl == nil {
		return nil, nil, nil, false
	}
	return s, rl, scopes, true
}

// addRoleScopes assigns scopes of the role's resource server to the role
// and answers the role. The Role schema says "The scopes belonging to a role
// are limited to its associated resource server": a scope the resource
// server does not have is refused with 400 (nothing is added).
func (e *Engine) addRoleScopes(c *call) {
	s, rl, scopes, ok := e.readRoleScopes(c)
	if !ok {
		return
	}
	var v violations
	for _, sc := range scopes {
		if !slices.Contains(s.scopes, sc) {
			v.add("scopes", "not a scope of the resource server: "+sc)
		}
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	for _, sc := range scopes {
		rl.scopes.add(sc)
	}
	writeJSON(c.w, http.StatusOK, e.roleJSON(c, rl))
}

// deleteRoleScopes unassigns scopes from the role and answers the role; a
// scope the role does not have changes nothing.
func (e *Engine) deleteRoleScopes(c *call) {
	_, rl, scopes, ok := e.readRoleScopes(c)
	if !ok {
		return
	}
	rl.scopes.remove(setOf(scopes))
	writeJSON(c.w, http.StatusOK, e.roleJSON(c, rl))
}

func (e *Engine) listRoleScopes(c *call) {
	pg, ok := e.parsePage(c, "role-scopes/"+c.params[1], 20, 200)
	if !ok || !noFilter(c, pg) {
		return
	}
	_, rl := e.findRole(c)
	if rl == nil {
		return
	}
	page, next := paginate(e, pg, rl.scopes.ids)
	writeJSON(c.w, http.StatusOK, listJSON("scopes", append([]string{}, page...), rl.scopes.len(), next))
}
