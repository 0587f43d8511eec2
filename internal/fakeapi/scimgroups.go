package fakeapi

import (
	"encoding/json"
	"net/http"
	"strings"
)

// SCIM groups are the realm's groups: id ↔ id, displayName ↔
// display_name, members ↔ the group's members (identity IDs), meta.created
// and meta.lastModified ↔ create_time and update_time. A group's
// description is not part of the SCIM view and SCIM writes leave it.
// Members are never returned ("Members will not be returned with the
// group"; "members are not currently returned with groups").
//
// SCIMGroup calls displayName "The unique display name of the group": a
// SCIM create or rename to a name another group of the realm has (compared
// case-insensitively, caseExact being false in the spec's schema) is
// refused, 409 uniqueness. The v1 operations, which document no 409,
// still allow duplicates.

type scimGroupJSON struct {
	Schemas     []string `json:"schemas"`
	ID          string   `json:"id"`
	DisplayName string   `json:"displayName"`
	Meta        scimMeta `json:"meta"`
}

func scimGroupOf(g *group) scimGroupJSON {
	return scimGroupJSON{
		Schemas: []string{scimGroupSchema}, ID: g.id, DisplayName: g.displayName,
		Meta: newMeta("Group", "Groups/"+g.id, g.created, g.updated),
	}
}

// groupNameTaken answers 409 uniqueness when another group has the name.
func groupNameTaken(c *call, name string, self *group) bool {
	for _, g := range c.realm.groups {
		if g != self && strings.EqualFold(g.displayName, name) {
			scimError(c.w, http.StatusConflict, "uniqueness", "displayName already exists")
			return true
		}
	}
	return false
}

// checkGroupName validates a group's displayName as a v1 group's.
func checkGroupName(name string) *scimFail {
	if name == "" {
		return invalidValue("displayName is required")
	}
	var v violations
	checkName(&v, "displayName", name)
	if len(v) > 0 {
		return invalidValue("displayName " + v[0].Description)
	}
	return nil
}

// readMemberValues reads a members array, [{"value": id, "type"?:
// "User"}], and checks that each value names an identity of the realm
// (400 invalidValue otherwise: groups hold users, not groups).
func readMemberValues(c *call, raw json.RawMessage) ([]string, *scimFail) {
	var list []object
	if json.Unmarshal(raw, &list) != nil {
		return nil, invalidValue("members must be an array of objects")
	}
	ids := make([]string, 0, len(list))
	for _, m := range list {
		o := lowerKeys(m)
		id, f := scimStr(o["value"], "members.value")
		if f != nil {
			return nil, f
		}
		if id == "" {
			return nil, invalidValue("members.value is required")
		}
		if t, _ := scimStr(o["type"], "members.type"); t != "" && !strings.EqualFold(t, "User") {
			return nil, invalidValue("members must be users")
		}
		if c.realm.identityBy[id] == nil {
			return nil, invalidValue("no user " + id)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// scimCreateGroup creates a group from a flat SCIM Group, with its
// members if it lists any.
func (e *Engine) scimCreateGroup(c *call) {
	o, ok := readSCIMBody(c)
	if !ok || !flatResource(c, o, "group") || !checkSchemas(c, o, scimGroupSchema) {
		return
	}
	name, f := scimStr(o["displayname"], "displayName")
	if f == nil {
		f = checkGroupName(name)
	}
	var members []string
	if f == nil && o.has("members") {
		members, f = readMemberValues(c, o["members"])
	}
	if f != nil {
		f.write(c.w)
		return
	}
	if groupNameTaken(c, name, nil) {
		return
	}
	g := &group{id: e.newID(), displayName: name, created: c.now, updated: c.now}
	for _, id := range members {
		g.members.add(id)
	}
	c.realm.addGroup(g)
	e.scimCreated(c, "Groups/"+g.id, scimGroupOf(g))
}

func (e *Engine) scimFindGroup(c *call) *group {
	g := c.realm.groupBy[c.params[0]]
	if g == nil {
		scimNotFound(c.w, c.params[0])
	}
	return g
}

func (e *Engine) scimGetGroup(c *call) {
	if g := e.scimFindGroup(c); g != nil {
		writeSCIM(c.w, http.StatusOK, scimGroupOf(g))
	}
}

// scimDeleteGroup deletes a group, members or not (SCIMDeleteGroup
// documents no 409, unlike DeleteGroup), with its role and SSO config
// assignments: 204.
func (e *Engine) scimDeleteGroup(c *call) {
	if g := e.scimFindGroup(c); g != nil {
		c.realm.removeGroup(g)
		scimNoContent(c.w)
	}
}

// scimListGroups lists groups, filtered on displayName with eq or ne
// ("filtering on groups only supports the eq and ne operators and the
// displayName attribute").
func (e *Engine) scimListGroups(c *call) {
	pg, ok := parseSCIMPage(c)
	if !ok {
		return
	}
	cmp, ok := scimFilter(c, "displayname")
	if !ok {
		return
	}
	var items []*group
	for _, g := range c.realm.groups {
		if cmp == nil || cmp.test(g.displayName, true) {
			items = append(items, g)
		}
	}
	start, end := pg.window(len(items))
	page := make([]scimGroupJSON, 0, end-start)
	for _, g := range items[start:end] {
		page = append(page, scimGroupOf(g))
	}
	scimList(c.w, pg, page, len(items))
}

// groupPatch is a group being patched: its new name and members.
type groupPatch struct {
	name    string
	renamed bool
	members idSet
}

// scimUpdateGroup applies a PatchOp to a group, as the spec documents the
// API: "replace" (or "add", which replaces a single-valued attribute) of
// displayName; "add" of members, several at a time; "remove" of one
// member, by path members[value eq "id"] or by path members with a value
// of one member ("batch remove is not supported": a value of more, or a
// remove of all members, is refused); one operation may not change both
// the name and the members. Removing an identity that is not a member
// changes nothing. Adding a member does not change the group's update
// time, as AddGroupMembers does not. All operations apply, or none.
func (e *Engine) scimUpdateGroup(c *call) {
	ops, ok := readPatch(c)
	if !ok {
		return
	}
	g := e.scimFindGroup(c)
	if g == nil {
		return
	}
	p := groupPatch{name: g.displayName}
	for _, id := range g.members.ids {
		p.members.add(id)
	}
	for _, op := range ops {
		if f := p.apply(c, op); f != nil {
			f.write(c.w)
			return
		}
	}
	if p.renamed {
		if f := checkGroupName(p.name); f != nil {
			f.write(c.w)
			return
		}
		if groupNameTaken(c, p.name, g) {
			return
		}
		g.displayName = p.name
		g.updated = c.now
	}
	g.members = p.members
	writeSCIM(c.w, http.StatusOK, scimGroupOf(g))
}

func (p *groupPatch) apply(c *call, op patchOp) *scimFail {
	if !op.hasPath {
		if op.op == "remove" {
			return &scimFail{http.StatusBadRequest, "noTarget", "remove needs a path"}
		}
		o, f := scimObj(op.value, "value")
		if f != nil {
			return f
		}
		if o.has("displayname") && o.has("members") {
			return invalidValue("one operation cannot change both a group and its members: send two")
		}
		for k, v := range o {
			if f := p.set(c, op.op, k, v); f != nil {
				return f
			}
		}
		return nil
	}
	path := strings.TrimSpace(op.path)
	lower := strings.ToLower(path)
	if op.op == "remove" {
		return p.remove(c, path, lower, op.value)
	}
	return p.set(c, op.op, strings.TrimPrefix(lower, strings.ToLower(scimGroupSchema)+":"), op.value)
}

// set applies an add or a replace of one attribute (lower case).
func (p *groupPatch) set(c *call, op, attr string, raw json.RawMessage) *scimFail {
	switch attr {
	case "displayname":
		name, f := scimStr(raw, "displayName")
		if f != nil {
			return f
		}
		p.name, p.renamed = name, true
	case "members":
		if op == "replace" {
			return invalidValue(`members support "add" and "remove", not "replace"`)
		}
		ids, f := readMemberValues(c, raw)
		if f != nil {
			return f
		}
		for _, id := range ids {
			p.members.add(id)
		}
	default:
		if strings.ContainsAny(attr, "[]") {
			return &scimFail{http.StatusBadRequest, "invalidPath", "unsupported path " + attr}
		}
		// id, meta, schemas (read-only) and attributes the fake does not
		// store are ignored.
	}
	return nil
}

// remove applies a remove: of one member.
func (p *groupPatch) remove(c *call, path, lower string, raw json.RawMessage) *scimFail {
	var id string
	switch {
	case lower == "members":
		if raw == nil || isNull(raw) {
			return invalidValue("batch remove is not supported: remove one member at a time")
		}
		var list []object
		if json.Unmarshal(raw, &list) != nil {
			return invalidValue("members must be an array of objects")
		}
		if len(list) != 1 {
			return invalidValue("batch remove is not supported: remove one member at a time")
		}
		v, f := scimStr(lowerKeys(list[0])["value"], "members.value")
		if f != nil {
			return f
		}
		id = v
	case strings.HasPrefix(lower, "members[") && strings.HasSuffix(lower, "]"):
		cmp, err := parseComparisonOps(path[len("members["):len(path)-1], "eq")
		if err != nil || cmp.attr != "value" {
			return &scimFail{http.StatusBadRequest, "invalidPath", `unsupported path: the member filter is members[value eq "<id>"]`}
		}
		id = cmp.value
	case lower == "displayname":
		return invalidValue("displayName is required and cannot be removed")
	default:
		return &scimFail{http.StatusBadRequest, "invalidPath", "unsupported path " + path}
	}
	if id == "" {
		return invalidValue("members.value is required")
	}
	p.members.remove(map[string]bool{id: true})
	return nil
}
