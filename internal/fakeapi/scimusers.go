package fakeapi

import (
	"encoding/json"
	"net/http"
	"strings"
)

// SCIM users are the realm's identities: a user created through SCIM is an
// identity of GetIdentity and ListIdentities, and an identity created
// through the v1 API is a SCIM user. The mapping, from the attributes of
// the spec's SCIMUser to the identity:
//
//	id                              identity id
//	userName                        traits.username (unique case-insensitively, so compared that way)
//	displayName                     display_name
//	active                          status: true "active", false "suspended"
//	externalId                      traits.external_id
//	name.givenName                  traits.given_name
//	name.familyName                 traits.family_name
//	emails[primary eq true].value   traits.primary_email_address
//	meta.created, meta.lastModified create_time, update_time
//
// and, in the enterprise extension (urn:ietf:params:scim:schemas:
// extension:enterprise:2.0:User), whose attributes Traits_v0 has one for
// one:
//
//	employeeNumber, costCenter      traits.employee_number, traits.cost_center
//	organization, division          traits.organization, traits.division
//	department                      traits.department
//	manager.value                   traits.manager_id
//	manager.displayName             traits.manager_name (read-only in SCIM, as RFC 7643 §4.3 has it)
//
// Only the primary email address is kept ("Only the primary email address
// is included on the response. All other provided email addresses will be
// ignored"). Attributes outside this list (phoneNumbers, addresses, title,
// ...) are not stored and are ignored on writes, as are read-only ones (id,
// meta, schemas); the other traits of an identity are not part of the SCIM
// view, and SCIM writes leave them as they are.

// scimTraits are the traits a SCIM user sets, besides username.
var scimTraits = []string{
	"external_id", "given_name", "family_name", "primary_email_address",
	"employee_number", "cost_center", "organization", "division", "department", "manager_id",
}

// scimEnterpriseAttrs maps the enterprise extension's string attributes
// (lower case) to traits.
var scimEnterpriseAttrs = map[string]string{
	"employeenumber": "employee_number", "costcenter": "cost_center", "organization": "organization",
	"division": "division", "department": "department",
}

// scimUser is the SCIM view of an identity, what SCIM writes change.
type scimUser struct {
	userName    string
	displayName string
	active      bool
	traits      map[string]string // of scimTraits; "" is absent
}

func userOf(i *identity) scimUser {
	u := scimUser{userName: i.username(), displayName: i.displayName, active: i.status != "suspended", traits: map[string]string{}}
	for _, t := range scimTraits {
		u.traits[t] = i.trait(t)
	}
	return u
}

type scimName struct {
	GivenName  string `json:"givenName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
}

type scimEmail struct {
	Value   string `json:"value"`
	Primary bool   `json:"primary"`
}

type scimManager struct {
	Value       string `json:"value,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

type scimEnterprise struct {
	EmployeeNumber string       `json:"employeeNumber,omitempty"`
	CostCenter     string       `json:"costCenter,omitempty"`
	Organization   string       `json:"organization,omitempty"`
	Division       string       `json:"division,omitempty"`
	Department     string       `json:"department,omitempty"`
	Manager        *scimManager `json:"manager,omitempty"`
}

// scimUserJSON is a SCIM User. Its schemas list the core User schema, and
// the enterprise extension when the user has one of its attributes, each
// as an element (the spec's example joins both in one string with a
// space, which RFC 7643 §3 does not allow).
type scimUserJSON struct {
	Schemas     []string        `json:"schemas"`
	ID          string          `json:"id"`
	ExternalID  string          `json:"externalId,omitempty"`
	UserName    string          `json:"userName"`
	DisplayName string          `json:"displayName"`
	Name        *scimName       `json:"name,omitempty"`
	Active      bool            `json:"active"`
	Emails      []scimEmail     `json:"emails,omitempty"`
	Enterprise  *scimEnterprise `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,omitempty"`
	Meta        scimMeta        `json:"meta"`
}

func scimUserOf(i *identity) scimUserJSON {
	u := scimUserJSON{
		Schemas: []string{scimUserSchema}, ID: i.id, ExternalID: i.trait("external_id"), UserName: i.username(),
		DisplayName: i.displayName, Active: i.status != "suspended",
		Meta: newMeta("User", "Users/"+i.id, i.created, i.updated),
	}
	if g, f := i.trait("given_name"), i.trait("family_name"); g != "" || f != "" {
		u.Name = &scimName{GivenName: g, FamilyName: f}
	}
	if m := i.email(); m != "" {
		u.Emails = []scimEmail{{Value: m, Primary: true}}
	}
	ent := scimEnterprise{
		EmployeeNumber: i.trait("employee_number"), CostCenter: i.trait("cost_center"), Organization: i.trait("organization"),
		Division: i.trait("division"), Department: i.trait("department"),
	}
	if id, name := i.trait("manager_id"), i.trait("manager_name"); id != "" || name != "" {
		ent.Manager = &scimManager{Value: id, DisplayName: name}
	}
	if ent != (scimEnterprise{}) {
		u.Enterprise = &ent
		u.Schemas = append(u.Schemas, scimEnterpriseSchema)
	}
	return u
}

// scimFail is a SCIM client error found while reading a request.
type scimFail struct {
	status   int
	scimType string
	detail   string
}

func invalidValue(detail string) *scimFail {
	return &scimFail{http.StatusBadRequest, "invalidValue", detail}
}

func (f *scimFail) write(w http.ResponseWriter) { scimError(w, f.status, f.scimType, f.detail) }

// scimStr reads a string (null: "" and present) of attribute name.
func scimStr(raw json.RawMessage, name string) (string, *scimFail) {
	if isNull(raw) {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", invalidValue(name + " must be a string")
	}
	return s, nil
}

// scimBool reads a boolean. The strings "true" and "false" (any case) are
// taken too: some provisioning clients (Microsoft Entra ID among them)
// send active that way.
func scimBool(raw json.RawMessage, name string) (bool, *scimFail) {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		switch strings.ToLower(s) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, invalidValue(name + " must be a boolean")
}

func scimObj(raw json.RawMessage, name string) (scimObject, *scimFail) {
	var o object
	if json.Unmarshal(raw, &o) != nil || o == nil {
		return nil, invalidValue(name + " must be an object")
	}
	return lowerKeys(o), nil
}

// primaryEmail returns the value of the primary address of an emails
// array ("" when none is primary).
func primaryEmail(raw json.RawMessage) (string, *scimFail) {
	if isNull(raw) {
		return "", nil
	}
	var list []object
	if json.Unmarshal(raw, &list) != nil {
		return "", invalidValue("emails must be an array of objects")
	}
	for _, e := range list {
		o := lowerKeys(e)
		primary := false
		if raw, ok := o["primary"]; ok && !isNull(raw) {
			var f *scimFail
			if primary, f = scimBool(raw, "emails.primary"); f != nil {
				return "", f
			}
		}
		if primary {
			return scimStr(o["value"], "emails.value")
		}
	}
	return "", nil
}

// setAttr applies one attribute (a path, lower case, relative to the User
// schema) of a write to u: a create's or replace's attribute, or the
// target of a PATCH add or replace. It ignores read-only attributes and
// attributes the fake does not store.
func (u *scimUser) setAttr(path string, raw json.RawMessage) *scimFail {
	entPrefix := strings.ToLower(scimEnterpriseSchema)
	path = strings.TrimPrefix(path, strings.ToLower(scimUserSchema)+":")
	switch {
	case path == entPrefix:
		o, f := scimObj(raw, scimEnterpriseSchema)
		if f != nil {
			return f
		}
		for k, v := range o {
			if f := u.setAttr(entPrefix+":"+k, v); f != nil {
				return f
			}
		}
		return nil
	case strings.HasPrefix(path, entPrefix+":"):
		return u.setEnterprise(strings.TrimPrefix(path, entPrefix+":"), raw)
	}
	switch path {
	case "username", "displayname":
		s, f := scimStr(raw, path)
		if f != nil {
			return f
		}
		if path == "username" {
			u.userName = s
		} else {
			u.displayName = s
		}
	case "active":
		if isNull(raw) {
			return invalidValue("active must be a boolean")
		}
		b, f := scimBool(raw, "active")
		if f != nil {
			return f
		}
		u.active = b
	case "externalid":
		return u.setTrait("external_id", raw, "externalId")
	case "name":
		if isNull(raw) {
			u.traits["given_name"], u.traits["family_name"] = "", ""
			return nil
		}
		o, f := scimObj(raw, "name")
		if f != nil {
			return f
		}
		for k, v := range o {
			if f := u.setAttr("name."+k, v); f != nil {
				return f
			}
		}
	case "name.givenname":
		return u.setTrait("given_name", raw, "name.givenName")
	case "name.familyname":
		return u.setTrait("family_name", raw, "name.familyName")
	case "emails":
		m, f := primaryEmail(raw)
		if f != nil {
			return f
		}
		if m != "" || isNull(raw) {
			u.traits["primary_email_address"] = m
		}
	case "emails[primary eq true].value":
		return u.setTrait("primary_email_address", raw, "emails.value")
	default:
		if strings.ContainsAny(path, "[]") {
			return &scimFail{http.StatusBadRequest, "invalidPath", "unsupported path " + path}
		}
	}
	return nil
}

func (u *scimUser) setTrait(trait string, raw json.RawMessage, name string) *scimFail {
	s, f := scimStr(raw, name)
	if f == nil {
		u.traits[trait] = s
	}
	return f
}

func (u *scimUser) setEnterprise(attr string, raw json.RawMessage) *scimFail {
	if t, ok := scimEnterpriseAttrs[attr]; ok {
		return u.setTrait(t, raw, attr)
	}
	switch attr {
	case "manager":
		if isNull(raw) {
			u.traits["manager_id"] = ""
			return nil
		}
		o, f := scimObj(raw, "manager")
		if f != nil {
			return f
		}
		if v, ok := o["value"]; ok {
			return u.setTrait("manager_id", v, "manager.value")
		}
	case "manager.value":
		return u.setTrait("manager_id", raw, "manager.value")
	}
	return nil // manager.displayName is read-only; others are not stored
}

// check validates the user as the identity it becomes: userName and
// displayName present, each 1 to 64 characters of the names' pattern.
func (u *scimUser) check() *scimFail {
	for _, a := range []struct{ name, value string }{{"userName", u.userName}, {"displayName", u.displayName}} {
		if a.value == "" {
			return invalidValue(a.name + " is required")
		}
		var v violations
		checkName(&v, a.name, a.value)
		if len(v) > 0 {
			return invalidValue(a.name + " " + v[0].Description)
		}
	}
	return nil
}

// readUser reads the User of a create or replace body: a flat SCIM
// resource.
func readUser(c *call) (scimUser, bool) {
	u := scimUser{active: true, traits: map[string]string{}}
	o, ok := readSCIMBody(c)
	if !ok || !flatResource(c, o, "user") || !checkSchemas(c, o, scimUserSchema) {
		return u, false
	}
	for k, v := range o {
		if f := u.setAttr(k, v); f != nil {
			f.write(c.w)
			return u, false
		}
	}
	if f := u.check(); f != nil {
		f.write(c.w)
		return u, false
	}
	return u, true
}

// usernameTaken answers 409 uniqueness when another identity has the
// username.
func usernameTaken(c *call, u scimUser, self *identity) bool {
	if other := c.realm.usernames[foldUsername(u.userName)]; other != nil && other != self {
		scimError(c.w, http.StatusConflict, "uniqueness", "userName already exists")
		return true
	}
	return false
}

// apply writes the user to the identity: display name, status, username
// and the mapped traits (a "" trait is removed); nothing else.
func (u scimUser) apply(c *call, i *identity) {
	delete(c.realm.usernames, foldUsername(i.username()))
	i.displayName = u.displayName
	i.status = "suspended"
	if u.active {
		i.status = "active"
	}
	i.traits["username"] = rawString(u.userName)
	for _, t := range scimTraits {
		if v := u.traits[t]; v != "" {
			i.traits[t] = rawString(v)
		} else {
			delete(i.traits, t)
		}
	}
	c.realm.usernames[foldUsername(u.userName)] = i
	i.updated = c.now
}

func (e *Engine) scimCreateUser(c *call) {
	u, ok := readUser(c)
	if !ok || usernameTaken(c, u, nil) {
		return
	}
	i := &identity{id: e.newID(), traits: map[string]json.RawMessage{}, created: c.now}
	u.apply(c, i)
	c.realm.addIdentity(i)
	e.scimCreated(c, "Users/"+i.id, scimUserOf(i))
}

func (e *Engine) scimFindUser(c *call) *identity {
	i := c.realm.identityBy[c.params[0]]
	if i == nil {
		scimNotFound(c.w, c.params[0])
	}
	return i
}

func (e *Engine) scimGetUser(c *call) {
	if i := e.scimFindUser(c); i != nil {
		writeSCIM(c.w, http.StatusOK, scimUserOf(i))
	}
}

// scimReplaceUser replaces the user: every attribute of the mapping takes
// the body's value, and one the body leaves out is cleared (active, left
// out, is true); the identity's other traits stay.
func (e *Engine) scimReplaceUser(c *call) {
	u, ok := readUser(c)
	if !ok {
		return
	}
	i := e.scimFindUser(c)
	if i == nil || usernameTaken(c, u, i) {
		return
	}
	u.apply(c, i)
	writeSCIM(c.w, http.StatusOK, scimUserOf(i))
}

// scimDeleteUser deletes the identity, as DeleteIdentity does: 204.
func (e *Engine) scimDeleteUser(c *call) {
	if i := e.scimFindUser(c); i != nil {
		c.realm.removeIdentities(map[string]bool{i.id: true})
		scimNoContent(c.w)
	}
}

// scimListUsers lists users, filtered on userName or externalId with eq or
// ne ("filtering on users only supports the eq and ne operators and the
// userName and externalId attributes").
func (e *Engine) scimListUsers(c *call) {
	pg, ok := parseSCIMPage(c)
	if !ok {
		return
	}
	cmp, ok := scimFilter(c, "username", "externalid")
	if !ok {
		return
	}
	var items []*identity
	for _, i := range c.realm.identities {
		switch {
		case cmp == nil:
		case cmp.attr == "username" && !cmp.test(i.username(), true):
			continue
		case cmp.attr == "externalid" && !cmp.test(i.trait("external_id"), false):
			continue
		}
		items = append(items, i)
	}
	start, end := pg.window(len(items))
	page := make([]scimUserJSON, 0, end-start)
	for _, i := range items[start:end] {
		page = append(page, scimUserOf(i))
	}
	scimList(c.w, pg, page, len(items))
}

// patchOp is one operation of a PatchOp.
type patchOp struct {
	op      string // lower case
	path    string // as sent
	hasPath bool
	value   json.RawMessage // nil when absent
}

// readPatch reads a PatchOp body (RFC 7644 §3.5.2): schemas with the
// PatchOp URN and 1 or more Operations, each with an op of add, replace or
// remove (any case), an optional path and a value.
func readPatch(c *call) ([]patchOp, bool) {
	o, ok := readSCIMBody(c)
	if !ok || !checkSchemas(c, o, scimPatchSchema) {
		return nil, false
	}
	var list []object
	if raw, ok := o["operations"]; !ok || json.Unmarshal(raw, &list) != nil || len(list) == 0 {
		scimError(c.w, http.StatusBadRequest, "invalidSyntax", "Operations must be an array of 1 or more operations")
		return nil, false
	}
	ops := make([]patchOp, 0, len(list))
	for _, item := range list {
		m := lowerKeys(item)
		var op patchOp
		if json.Unmarshal(m["op"], &op.op) != nil {
			scimError(c.w, http.StatusBadRequest, "invalidSyntax", "op must be add, replace or remove")
			return nil, false
		}
		op.op = strings.ToLower(op.op)
		if op.op != "add" && op.op != "replace" && op.op != "remove" {
			scimError(c.w, http.StatusBadRequest, "invalidSyntax", "op must be add, replace or remove")
			return nil, false
		}
		if raw, ok := m["path"]; ok && !isNull(raw) {
			if json.Unmarshal(raw, &op.path) != nil || strings.TrimSpace(op.path) == "" {
				scimError(c.w, http.StatusBadRequest, "invalidPath", "path must be a non-empty string")
				return nil, false
			}
			op.hasPath = true
		}
		if raw, ok := m["value"]; ok {
			op.value = raw
		}
		if op.op != "remove" && op.value == nil {
			scimError(c.w, http.StatusBadRequest, "invalidValue", op.op+" needs a value")
			return nil, false
		}
		ops = append(ops, op)
	}
	return ops, true
}

// scimUpdateUser applies a PatchOp to a user: add and replace, the only
// operations the spec says the API supports for users (remove is refused,
// 400 invalidValue). Each operation changes its target and nothing else;
// add on these single-valued attributes replaces (RFC 7644 §3.5.2.1), and
// an operation without a path applies each member of its value. The spec
// warns that the API may apply a request in part; the fake applies all of
// it or, when one operation is refused, none.
func (e *Engine) scimUpdateUser(c *call) {
	ops, ok := readPatch(c)
	if !ok {
		return
	}
	i := e.scimFindUser(c)
	if i == nil {
		return
	}
	u := userOf(i)
	for _, op := range ops {
		if f := u.patch(op); f != nil {
			f.write(c.w)
			return
		}
	}
	if f := u.check(); f != nil {
		f.write(c.w)
		return
	}
	if usernameTaken(c, u, i) {
		return
	}
	u.apply(c, i)
	writeSCIM(c.w, http.StatusOK, scimUserOf(i))
}

func (u *scimUser) patch(op patchOp) *scimFail {
	if op.op == "remove" {
		return invalidValue(`only "add" and "replace" operations are supported for users`)
	}
	if op.hasPath {
		return u.setAttr(strings.ToLower(strings.TrimSpace(op.path)), op.value)
	}
	o, f := scimObj(op.value, "value")
	if f != nil {
		return f
	}
	for k, v := range o {
		if f := u.setAttr(k, v); f != nil {
			return f
		}
	}
	return nil
}
