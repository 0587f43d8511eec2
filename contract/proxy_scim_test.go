package contract

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unknownSCIMID names no SCIM user or group of the fake.
const unknownSCIMID = "00000000000000b1"

// scimErrorBody is a SCIM error (RFC 7644 §3.12), as the spec's SCIMError.
type scimErrorBody struct {
	Schemas  []string `json:"schemas"`
	Status   string   `json:"status"`
	SCIMType string   `json:"scimType"`
	Detail   string   `json:"detail"`
}

// requireSCIMError asserts that err is an *APIError with the status, read
// from a SCIM error: Code is its scimType (which a SCIM error may leave
// out), Message its detail.
func requireSCIMError(t *testing.T, err error, status int, scimType string) *bi.APIError {
	t.Helper()
	var ae *bi.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, status, ae.StatusCode, "%v", err)
	assert.Equal(t, scimType, ae.Code, "scimType")
	assert.NotEmpty(t, ae.Message, "detail")
	return ae
}

// rawSCIM sends a request the SDK would not send through the checked
// proxy, below the client's realm, and returns the status and the SCIM
// error of the answer.
func rawSCIM(t *testing.T, hc *http.Client, method, realmPath string, body any) (int, scimErrorBody) {
	t.Helper()
	status, b := rawRequest(t, hc, method, "/realms/"+env.fake.RealmID+realmPath, body)
	var e scimErrorBody
	if status >= 300 {
		require.NoError(t, json.Unmarshal(b, &e), string(b))
		assert.Equal(t, []string{"urn:ietf:params:scim:api:messages:2.0:Error"}, e.Schemas)
		assert.Equal(t, http.StatusText(status), http.StatusText(atoi(t, e.Status)), "status %q of the body", e.Status)
	}
	return status, e
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	require.NoError(t, json.Unmarshal([]byte(s), &n), "%q", s)
	return n
}

// newSCIMUser creates a SCIM user with a fresh userName.
func newSCIMUser(t *testing.T, c *bi.Client, externalID string) *bi.SCIMUser {
	t.Helper()
	name := unique("scim")
	u, err := c.SCIM.Users.Create(t.Context(), &bi.SCIMUser{UserName: name, DisplayName: "User " + name, ExternalID: externalID})
	require.NoError(t, err)
	return u
}

func scimUserIDs(us []*bi.SCIMUser) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.ID)
	}
	return out
}

func scimGroupIDs(gs []*bi.SCIMGroup) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.ID)
	}
	return out
}

// memberIDs lists the members of a group through the v1 API (SCIM answers
// groups without their members).
func memberIDs(t *testing.T, c *bi.Client, groupID string) []string {
	t.Helper()
	var out []string
	for m, err := range c.Groups.AllMembers(t.Context(), groupID, nil) {
		require.NoError(t, err)
		out = append(out, m.ID)
	}
	return out
}

func TestProxySCIMUsers(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()

	userName := unique("bjensen")
	created, err := c.SCIM.Users.Create(ctx, &bi.SCIMUser{
		UserName: userName, ExternalID: "dir-" + userName, DisplayName: "Barbara Jensen",
		Name:   bi.SCIMName{GivenName: "Barbara", FamilyName: "Jensen"},
		Emails: []bi.SCIMEmail{{Value: userName + "@example.com", Primary: true}},
		Active: bi.Ptr(true),
		Enterprise: &bi.SCIMEnterpriseUser{EmployeeNumber: "12345", CostCenter: "Finance", Department: "Accounting",
			Manager: &bi.SCIMManager{Value: "54321"}},
	})
	require.NoError(t, err)
	assert.NotEmpty(t, created.ID)
	assert.Equal(t, userName, created.UserName)
	assert.Equal(t, "dir-"+userName, created.ExternalID)
	assert.Equal(t, "Barbara Jensen", created.DisplayName)
	assert.Equal(t, bi.SCIMName{GivenName: "Barbara", FamilyName: "Jensen"}, created.Name)
	assert.Equal(t, []bi.SCIMEmail{{Value: userName + "@example.com", Primary: true}}, created.Emails)
	assert.Equal(t, bi.Ptr(true), created.Active)
	assert.Contains(t, created.Schemas, bi.SCIMSchemaUser)
	assert.Contains(t, created.Schemas, bi.SCIMSchemaEnterpriseUser)
	if assert.NotNil(t, created.Enterprise) {
		assert.Equal(t, "12345", created.Enterprise.EmployeeNumber)
		assert.Equal(t, "54321", created.Enterprise.Manager.Value)
	}
	assert.Equal(t, "User", created.Meta.ResourceType)
	assert.Equal(t, "Users/"+created.ID, created.Meta.Location)
	assert.False(t, created.Meta.Created.IsZero())

	got, err := c.SCIM.Users.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created, got)

	// The SCIM user is an identity of the v1 API.
	id, err := c.Identities.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, "Barbara Jensen", id.DisplayName)
	assert.Equal(t, bi.IdentityStatusActive, id.Status)
	assert.Equal(t, userName, id.Traits.Username)
	assert.Equal(t, userName+"@example.com", id.Traits.PrimaryEmailAddress)
	assert.Equal(t, "Barbara", id.Traits.GivenName)
	assert.Equal(t, "Jensen", id.Traits.FamilyName)
	assert.Equal(t, "dir-"+userName, id.Traits.ExternalID)
	found, err := c.Identities.FindByUsername(ctx, userName)
	require.NoError(t, err)
	assert.Equal(t, created.ID, found.ID)

	// A filter on userName finds it; ne leaves it out.
	page, err := c.SCIM.Users.List(ctx, &bi.SCIMListOptions{Filter: bi.FilterEq("userName", userName)})
	require.NoError(t, err)
	assert.Equal(t, 1, page.TotalResults)
	assert.Equal(t, []string{created.ID}, scimUserIDs(page.Resources))
	assert.Equal(t, created, page.Resources[0])
	page, err = c.SCIM.Users.List(ctx, &bi.SCIMListOptions{Filter: bi.FilterNe("userName", userName), Count: bi.MaxSCIMCount})
	require.NoError(t, err)
	assert.NotContains(t, scimUserIDs(page.Resources), created.ID)

	// A PatchOp changes exactly what it says.
	upd, err := c.SCIM.Users.Update(ctx, created.ID, bi.SCIMPatch().
		Replace("displayName", "Babs Jensen").
		Replace("name.givenName", "Babs"))
	require.NoError(t, err)
	want := *created
	want.DisplayName, want.Name.GivenName, want.Meta.LastModified = "Babs Jensen", "Babs", upd.Meta.LastModified
	assert.Equal(t, &want, upd)
	assert.False(t, upd.Meta.LastModified.Before(created.Meta.LastModified))
	after, err := c.Identities.Get(ctx, created.ID)
	require.NoError(t, err)
	wantID := *id
	wantID.DisplayName, wantID.Traits.GivenName, wantID.UpdateTime = "Babs Jensen", "Babs", after.UpdateTime
	assert.Equal(t, &wantID, after, "the identity changed as the patch said, and only so")

	upd, err = c.SCIM.Users.Update(ctx, created.ID, bi.SCIMPatch().
		Add("emails", []bi.SCIMEmail{{Value: "babs@example.com", Primary: true}}).
		Replace("active", false))
	require.NoError(t, err)
	assert.Equal(t, []bi.SCIMEmail{{Value: "babs@example.com", Primary: true}}, upd.Emails)
	assert.Equal(t, bi.Ptr(false), upd.Active)
	assert.Equal(t, "Babs Jensen", upd.DisplayName)
	after, err = c.Identities.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, bi.IdentityStatusSuspended, after.Status)
	assert.Equal(t, "babs@example.com", after.Traits.PrimaryEmailAddress)

	// A replace clears what it leaves out.
	rep, err := c.SCIM.Users.Replace(ctx, created.ID, &bi.SCIMUser{UserName: userName, DisplayName: "B. Jensen",
		Active: bi.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, created.ID, rep.ID)
	assert.Equal(t, "B. Jensen", rep.DisplayName)
	assert.Empty(t, rep.ExternalID)
	assert.Zero(t, rep.Name)
	assert.Empty(t, rep.Emails)
	assert.Nil(t, rep.Enterprise)
	assert.Equal(t, []string{bi.SCIMSchemaUser}, rep.Schemas)
	after, err = c.Identities.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, bi.IdentityStatusActive, after.Status)
	assert.Empty(t, after.Traits.GivenName)
	assert.Empty(t, after.Traits.PrimaryEmailAddress)

	// A user fetched, changed and written back whole.
	got, err = c.SCIM.Users.Get(ctx, created.ID)
	require.NoError(t, err)
	got.Name = bi.SCIMName{GivenName: "Barbara"}
	rep, err = c.SCIM.Users.Replace(ctx, created.ID, got)
	require.NoError(t, err)
	assert.Equal(t, "Barbara", rep.Name.GivenName)
	assert.Equal(t, "B. Jensen", rep.DisplayName)

	require.NoError(t, c.SCIM.Users.Delete(ctx, created.ID))
	_, err = c.SCIM.Users.Get(ctx, created.ID)
	requireSCIMError(t, err, http.StatusNotFound, "")
	assert.ErrorIs(t, err, bi.ErrNotFound)
	_, err = c.Identities.Get(ctx, created.ID)
	assert.ErrorIs(t, err, bi.ErrNotFound, "the identity went with the user")
}

// TestProxySCIMUserPages pages through a filtered list with startIndex and
// count to its end.
func TestProxySCIMUserPages(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	ext := unique("batch-")
	var want []string
	for range 3 {
		want = append(want, newSCIMUser(t, c, ext).ID)
	}
	opts := &bi.SCIMListOptions{Filter: bi.FilterEq("externalId", ext), Count: 1}
	var seen []string
	for start := 1; start != 0; {
		opts.StartIndex = start
		page, err := c.SCIM.Users.List(ctx, opts)
		require.NoError(t, err)
		assert.Equal(t, 3, page.TotalResults)
		assert.Equal(t, start, page.StartIndex)
		assert.Equal(t, 1, page.ItemsPerPage)
		require.Len(t, page.Resources, 1)
		assert.Equal(t, ext, page.Resources[0].ExternalID)
		seen = append(seen, page.Resources[0].ID)
		start = page.NextStartIndex()
		require.LessOrEqual(t, len(seen), 3, "the pages end")
	}
	assert.ElementsMatch(t, want, seen)

	// Past the end: no resources, the same total.
	page, err := c.SCIM.Users.List(ctx, &bi.SCIMListOptions{Filter: opts.Filter, StartIndex: 4, Count: 2})
	require.NoError(t, err)
	assert.Empty(t, page.Resources)
	assert.Equal(t, 3, page.TotalResults)
	assert.Zero(t, page.NextStartIndex())

	var all []*bi.SCIMUser
	for u, err := range c.SCIM.Users.All(ctx, &bi.SCIMListOptions{Filter: opts.Filter, Count: 2}) {
		require.NoError(t, err)
		all = append(all, u)
	}
	assert.ElementsMatch(t, want, scimUserIDs(all))

	for _, id := range want {
		require.NoError(t, c.SCIM.Users.Delete(ctx, id))
	}
}

func TestProxySCIMGroups(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	u1, u2, u3 := newSCIMUser(t, c, ""), newSCIMUser(t, c, ""), newSCIMUser(t, c, "")

	name := unique("Help Desk ")
	created, err := c.SCIM.Groups.Create(ctx, &bi.SCIMGroup{DisplayName: name, Members: []bi.SCIMMember{{Value: u1.ID}}})
	require.NoError(t, err)
	assert.NotEmpty(t, created.ID)
	assert.Equal(t, name, created.DisplayName)
	assert.Equal(t, []string{bi.SCIMSchemaGroup}, created.Schemas)
	assert.Empty(t, created.Members, "members are not returned with groups")
	assert.Equal(t, "Group", created.Meta.ResourceType)
	assert.Equal(t, "Groups/"+created.ID, created.Meta.Location)
	got, err := c.SCIM.Groups.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created, got)

	// The SCIM group is a group of the v1 API, with its members.
	g, err := c.Groups.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, name, g.DisplayName)
	assert.Equal(t, []string{u1.ID}, memberIDs(t, c, created.ID))

	page, err := c.SCIM.Groups.List(ctx, &bi.SCIMListOptions{Filter: bi.FilterEq("displayName", name)})
	require.NoError(t, err)
	assert.Equal(t, 1, page.TotalResults)
	assert.Equal(t, []string{created.ID}, scimGroupIDs(page.Resources))

	// Every group of the realm, in pages of two to the end.
	second := newGroup(t, c)
	first, err := c.SCIM.Groups.List(ctx, &bi.SCIMListOptions{Count: 2})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, first.TotalResults, 2)
	var all []*bi.SCIMGroup
	for sg, err := range c.SCIM.Groups.All(ctx, &bi.SCIMListOptions{Count: 2}) {
		require.NoError(t, err)
		all = append(all, sg)
	}
	assert.Len(t, all, first.TotalResults)
	assert.Subset(t, scimGroupIDs(all), []string{created.ID, second.ID})

	// PatchOps: a rename, members added several at a time, removed one at
	// a time (by a path filter, and in the spec's form with a value).
	renamed := unique("Support ")
	upd, err := c.SCIM.Groups.Update(ctx, created.ID, bi.SCIMPatch().Replace("displayName", renamed))
	require.NoError(t, err)
	assert.Equal(t, renamed, upd.DisplayName)
	assert.Equal(t, []string{u1.ID}, memberIDs(t, c, created.ID), "a rename leaves the members")
	upd, err = c.SCIM.Groups.Update(ctx, created.ID, bi.SCIMPatch().AddMembers(u2.ID, u3.ID))
	require.NoError(t, err)
	assert.Equal(t, renamed, upd.DisplayName)
	assert.ElementsMatch(t, []string{u1.ID, u2.ID, u3.ID}, memberIDs(t, c, created.ID))
	_, err = c.SCIM.Groups.Update(ctx, created.ID, bi.SCIMPatch().RemoveMember(u1.ID))
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{u2.ID, u3.ID}, memberIDs(t, c, created.ID))
	_, err = c.SCIM.Groups.Update(ctx, created.ID, bi.SCIMPatch().RemoveValue("members", []bi.SCIMMember{{Value: u2.ID}}))
	require.NoError(t, err)
	assert.Equal(t, []string{u3.ID}, memberIDs(t, c, created.ID))
	g, err = c.Groups.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, renamed, g.DisplayName)

	require.NoError(t, c.SCIM.Groups.Delete(ctx, created.ID))
	_, err = c.SCIM.Groups.Get(ctx, created.ID)
	requireSCIMError(t, err, http.StatusNotFound, "")
	_, err = c.Groups.Get(ctx, created.ID)
	assert.ErrorIs(t, err, bi.ErrNotFound, "the group went with the SCIM group")
	require.NoError(t, c.Groups.Delete(ctx, second.ID))
	for _, u := range []*bi.SCIMUser{u1, u2, u3} {
		require.NoError(t, c.SCIM.Users.Delete(ctx, u.ID))
	}
}

func TestProxySCIMDiscovery(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()

	types, err := c.SCIM.ListResourceTypes(ctx)
	require.NoError(t, err)
	byID := map[string]*bi.SCIMResourceType{}
	for _, rt := range types.Resources {
		byID[rt.ID] = rt
	}
	if assert.Contains(t, byID, "User") {
		assert.Equal(t, "/Users", byID["User"].Endpoint)
		assert.Equal(t, bi.SCIMSchemaUser, byID["User"].Schema)
		assert.Contains(t, byID["User"].SchemaExtensions, bi.SCIMSchemaExtension{Schema: bi.SCIMSchemaEnterpriseUser})
	}
	if assert.Contains(t, byID, "Group") {
		assert.Equal(t, "/Groups", byID["Group"].Endpoint)
	}
	assert.Equal(t, len(types.Resources), types.TotalResults)

	schemas, err := c.SCIM.ListSchemas(ctx)
	require.NoError(t, err)
	var ids []string
	for _, s := range schemas.Resources {
		ids = append(ids, s.ID)
		assert.NotEmpty(t, s.Attributes, s.ID)
	}
	assert.Subset(t, ids, []string{bi.SCIMSchemaUser, bi.SCIMSchemaGroup, bi.SCIMSchemaEnterpriseUser})
	i := slices.IndexFunc(schemas.Resources, func(s *bi.SCIMSchema) bool { return s.ID == bi.SCIMSchemaUser })
	require.GreaterOrEqual(t, i, 0)
	userName := slices.IndexFunc(schemas.Resources[i].Attributes, func(a bi.SCIMAttribute) bool { return a.Name == "userName" })
	if assert.GreaterOrEqual(t, userName, 0) {
		assert.True(t, schemas.Resources[i].Attributes[userName].Required)
		assert.Equal(t, "server", schemas.Resources[i].Attributes[userName].Uniqueness)
	}

	spc, err := c.SCIM.GetServiceProviderConfig(ctx)
	require.NoError(t, err)
	assert.True(t, spc.Patch.Supported)
	assert.True(t, spc.Filter.Supported)
	assert.Equal(t, bi.MaxSCIMCount, spc.Filter.MaxResults)
	assert.False(t, spc.Bulk.Supported)
	assert.False(t, spc.ETag.Supported)
	if assert.Len(t, spc.AuthenticationSchemes, 1) {
		assert.Equal(t, "oauthbearertoken", spc.AuthenticationSchemes[0].Type)
	}
}

func TestProxySCIMErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	u := newSCIMUser(t, c, "")
	other := newSCIMUser(t, c, "")
	g, err := c.SCIM.Groups.Create(ctx, &bi.SCIMGroup{DisplayName: unique("Desk ")})
	require.NoError(t, err)

	t.Run("400 missing userName", func(t *testing.T) {
		// The SDK refuses this before sending.
		_, err := c.SCIM.Users.Create(ctx, &bi.SCIMUser{DisplayName: "No name"})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		status, e := rawSCIM(t, hc, http.MethodPost, "/scim/v2/Users", map[string]any{
			"schemas": []string{bi.SCIMSchemaUser}, "displayName": "No name",
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "invalidValue", e.SCIMType)
	})
	t.Run("400 the spec's wrapped body", func(t *testing.T) {
		// The spec's request schema wraps the user, {"user": …}; the
		// servers take the flat resource of RFC 7644 §3.3 and refuse it.
		_, hc := newChecker(t, modeProxy)
		status, e := rawSCIM(t, hc, http.MethodPost, "/scim/v2/Users", map[string]any{
			"user": map[string]any{"schemas": []string{bi.SCIMSchemaUser}, "userName": unique("wrapped"), "displayName": "Wrapped"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "invalidSyntax", e.SCIMType)
	})
	t.Run("400 unsupported filter", func(t *testing.T) {
		// Users filter on userName and externalId only.
		_, err := c.SCIM.Users.List(ctx, &bi.SCIMListOptions{Filter: bi.FilterEq("displayName", "x")})
		requireSCIMError(t, err, http.StatusBadRequest, "invalidFilter")
		assert.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, err = c.SCIM.Groups.List(ctx, &bi.SCIMListOptions{Filter: `displayName sw "x"`})
		requireSCIMError(t, err, http.StatusBadRequest, "invalidFilter")
	})
	t.Run("400 unsupported PatchOp", func(t *testing.T) {
		// Users take add and replace only; members take add and remove.
		_, err := c.SCIM.Users.Update(ctx, u.ID, bi.SCIMPatch().Remove("externalId"))
		requireSCIMError(t, err, http.StatusBadRequest, "invalidValue")
		_, err = c.SCIM.Groups.Update(ctx, g.ID, bi.SCIMPatch().Replace("members", []bi.SCIMMember{{Value: u.ID}}))
		requireSCIMError(t, err, http.StatusBadRequest, "invalidValue")
		// The API removes one member per operation.
		_, err = c.SCIM.Groups.Update(ctx, g.ID, bi.SCIMPatch().RemoveValue("members",
			[]bi.SCIMMember{{Value: u.ID}, {Value: other.ID}}))
		requireSCIMError(t, err, http.StatusBadRequest, "invalidValue")
		got, err := c.SCIM.Users.Get(ctx, u.ID)
		require.NoError(t, err)
		assert.Equal(t, u, got, "a refused PatchOp changes nothing")
	})
	t.Run("400 member that is not a user", func(t *testing.T) {
		_, err := c.SCIM.Groups.Update(ctx, g.ID, bi.SCIMPatch().AddMembers(u.ID, unknownSCIMID))
		requireSCIMError(t, err, http.StatusBadRequest, "invalidValue")
		assert.Empty(t, memberIDs(t, c, g.ID), "all or nothing")
	})
	t.Run("404", func(t *testing.T) {
		check := func(err error) {
			t.Helper()
			requireSCIMError(t, err, http.StatusNotFound, "")
			assert.ErrorIs(t, err, bi.ErrNotFound)
		}
		_, err := c.SCIM.Users.Get(ctx, unknownSCIMID)
		check(err)
		_, err = c.SCIM.Users.Update(ctx, unknownSCIMID, bi.SCIMPatch().Replace("displayName", "X"))
		check(err)
		_, err = c.SCIM.Users.Replace(ctx, unknownSCIMID, &bi.SCIMUser{UserName: unique("x"), DisplayName: "X"})
		check(err)
		check(c.SCIM.Users.Delete(ctx, unknownSCIMID))
		_, err = c.SCIM.Groups.Get(ctx, unknownSCIMID)
		check(err)
		_, err = c.SCIM.Groups.Update(ctx, unknownSCIMID, bi.SCIMPatch().Replace("displayName", "X"))
		check(err)
		check(c.SCIM.Groups.Delete(ctx, unknownSCIMID))
	})
	t.Run("409 userName taken", func(t *testing.T) {
		// userName is unique (case-insensitively); the spec documents no
		// 409 for these operations.
		check := func(err error) {
			t.Helper()
			requireSCIMError(t, err, http.StatusConflict, "uniqueness")
			assert.ErrorIs(t, err, bi.ErrConflict)
		}
		_, err := c.SCIM.Users.Create(ctx, &bi.SCIMUser{UserName: u.UserName, DisplayName: "Twin"})
		check(err)
		_, err = c.SCIM.Users.Replace(ctx, other.ID, &bi.SCIMUser{UserName: u.UserName, DisplayName: other.DisplayName})
		check(err)
		_, err = c.SCIM.Users.Update(ctx, other.ID, bi.SCIMPatch().Replace("userName", u.UserName))
		check(err)
		got, err := c.SCIM.Users.Get(ctx, other.ID)
		require.NoError(t, err)
		assert.Equal(t, other, got, "unchanged")
	})
	t.Run("409 displayName taken", func(t *testing.T) {
		check := func(err error) {
			t.Helper()
			requireSCIMError(t, err, http.StatusConflict, "uniqueness")
		}
		_, err := c.SCIM.Groups.Create(ctx, &bi.SCIMGroup{DisplayName: g.DisplayName})
		check(err)
		second, err := c.SCIM.Groups.Create(ctx, &bi.SCIMGroup{DisplayName: unique("Desk ")})
		require.NoError(t, err)
		_, err = c.SCIM.Groups.Update(ctx, second.ID, bi.SCIMPatch().Replace("displayName", g.DisplayName))
		check(err)
		require.NoError(t, c.SCIM.Groups.Delete(ctx, second.ID))
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		for _, err := range scimCalls(t, bad, u.ID, g.ID) {
			requireSCIMError(t, err, http.StatusUnauthorized, "unauthorized")
			assert.ErrorIs(t, err, bi.ErrUnauthorized)
		}
	})
	t.Run("403 scope missing", func(t *testing.T) {
		narrow := proxyClientScopes(t, narrowScope)
		for _, err := range scimCalls(t, narrow, u.ID, g.ID) {
			requireSCIMError(t, err, http.StatusForbidden, "forbidden")
			assert.ErrorIs(t, err, bi.ErrForbidden)
		}
	})

	require.NoError(t, c.SCIM.Groups.Delete(ctx, g.ID))
	for _, id := range []string{u.ID, other.ID} {
		require.NoError(t, c.SCIM.Users.Delete(ctx, id))
	}
}

// scimCalls calls each SCIM operation that documents a 401 and a 403 (all
// but the discovery ones) once and returns their errors in that order.
func scimCalls(t *testing.T, c *bi.Client, userID, groupID string) []error {
	t.Helper()
	ctx := t.Context()
	var errs []error
	add := func(_ any, err error) { errs = append(errs, err) }
	add(c.SCIM.Users.Create(ctx, &bi.SCIMUser{UserName: unique("x"), DisplayName: "X"}))
	add(c.SCIM.Users.List(ctx, nil))
	add(c.SCIM.Users.Get(ctx, userID))
	add(c.SCIM.Users.Update(ctx, userID, bi.SCIMPatch().Replace("displayName", "X")))
	add(c.SCIM.Users.Replace(ctx, userID, &bi.SCIMUser{UserName: unique("x"), DisplayName: "X"}))
	errs = append(errs, c.SCIM.Users.Delete(ctx, userID))
	add(c.SCIM.Groups.Create(ctx, &bi.SCIMGroup{DisplayName: "X"}))
	add(c.SCIM.Groups.List(ctx, nil))
	add(c.SCIM.Groups.Get(ctx, groupID))
	add(c.SCIM.Groups.Update(ctx, groupID, bi.SCIMPatch().Replace("displayName", "X")))
	errs = append(errs, c.SCIM.Groups.Delete(ctx, groupID))
	require.Len(t, errs, 11)
	return errs
}
