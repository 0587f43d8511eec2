package contract

import (
	"net/http"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unknownServerID names no resource server of the fake.
const unknownServerID = "00000000-0000-4000-8000-000000000000"

// newGroup creates a group with a fresh name.
func newGroup(t *testing.T, c *bi.Client) *bi.Group {
	t.Helper()
	g, err := c.Groups.Create(t.Context(), &bi.CreateGroupRequest{DisplayName: unique("Group ")})
	require.NoError(t, err)
	return g
}

// roleOfGroup makes a resource server in the client's realm and a role of
// it, and assigns the group to the role, for ListGroupRoles.
func roleOfGroup(t *testing.T, c *bi.Client, groupID string) (serverID, roleID string) {
	t.Helper()
	ctx := t.Context()
	rs := newServer(t, c, "pets:read", "pets:write")
	role, err := c.Roles.Create(ctx, rs.ID, &bi.CreateRoleRequest{DisplayName: "Help Desk",
		Description: "Customer support personnel."})
	require.NoError(t, err)
	_, err = c.Roles.AddMembers(ctx, rs.ID, role.ID, &bi.RoleMembers{GroupIDs: []string{groupID}})
	require.NoError(t, err)
	return rs.ID, role.ID
}

func groupIDs(gs []*bi.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.ID)
	}
	return out
}

func TestProxyGroups(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()

	name := unique("Admins ")
	created, err := c.Groups.Create(ctx, &bi.CreateGroupRequest{DisplayName: name,
		Description: "A group of realm administrators."})
	require.NoError(t, err)
	assert.NotEmpty(t, created.ID)
	assert.Equal(t, env.fake.RealmID, created.RealmID)
	assert.Equal(t, env.fake.TenantID, created.TenantID)
	assert.Equal(t, name, created.DisplayName)
	assert.Equal(t, "A group of realm administrators.", created.Description)
	assert.False(t, created.CreateTime.IsZero())

	got, err := c.Groups.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created.ID, got.ID)
	assert.Equal(t, name, got.DisplayName)

	renamed := unique("Realm admins ")
	upd, err := c.Groups.Update(ctx, created.ID, &bi.UpdateGroupRequest{DisplayName: bi.Ptr(renamed)})
	require.NoError(t, err)
	assert.Equal(t, renamed, upd.DisplayName)
	assert.Equal(t, "A group of realm administrators.", upd.Description, "a PATCH keeps what it does not name")
	upd, err = c.Groups.Update(ctx, created.ID, &bi.UpdateGroupRequest{Description: bi.Ptr("")})
	require.NoError(t, err)
	assert.Empty(t, upd.Description, "Ptr(\"\") clears the description")
	assert.Equal(t, renamed, upd.DisplayName)

	// Pages of one, followed through their tokens.
	other := newGroup(t, c)
	newGroup(t, c)
	page, err := c.Groups.List(ctx, &bi.PageOptions{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.GreaterOrEqual(t, page.TotalSize, 3)
	assert.NotEmpty(t, page.NextPageToken)
	var all []*bi.Group
	for g, err := range c.Groups.All(ctx, &bi.PageOptions{PageSize: 2}) {
		require.NoError(t, err)
		all = append(all, g)
	}
	assert.Len(t, all, page.TotalSize)
	assert.Contains(t, groupIDs(all), created.ID)

	// Members.
	a, b := newIdentity(t, c, false), newIdentity(t, c, true)
	g, err := c.Groups.AddMembers(ctx, created.ID, []string{a.ID, b.ID})
	require.NoError(t, err)
	assert.Equal(t, created.ID, g.ID)
	assert.Equal(t, renamed, g.DisplayName)
	_, err = c.Groups.AddMembers(ctx, created.ID, []string{a.ID})
	require.NoError(t, err, "adding a member again")
	members, err := c.Groups.ListMembers(ctx, created.ID, &bi.PageOptions{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, members.Items, 1)
	assert.Equal(t, 2, members.TotalSize)
	assert.NotEmpty(t, members.NextPageToken)
	var memberIDs []string
	for id, err := range c.Groups.AllMembers(ctx, created.ID, &bi.PageOptions{PageSize: 1}) {
		require.NoError(t, err)
		assert.NotEmpty(t, id.Traits.Username)
		memberIDs = append(memberIDs, id.ID)
	}
	assert.ElementsMatch(t, []string{a.ID, b.ID}, memberIDs)

	// An identity's groups.
	_, err = c.Groups.AddMembers(ctx, other.ID, []string{a.ID})
	require.NoError(t, err)
	of, err := c.Identities.ListGroups(ctx, a.ID, &bi.PageOptions{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, of.Items, 1)
	assert.Equal(t, 2, of.TotalSize)
	var ofA []*bi.Group
	for g, err := range c.Identities.AllGroups(ctx, a.ID, &bi.PageOptions{PageSize: 1}) {
		require.NoError(t, err)
		ofA = append(ofA, g)
	}
	assert.ElementsMatch(t, []string{created.ID, other.ID}, groupIDs(ofA))
	of, err = c.Identities.ListGroups(ctx, b.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{created.ID}, groupIDs(of.Items))

	// A group's roles of one resource server.
	serverID, roleID := roleOfGroup(t, c, created.ID)
	roles, err := c.Groups.ListRoles(ctx, created.ID, serverID, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, roles.TotalSize)
	if assert.Len(t, roles.Items, 1) {
		r := roles.Items[0]
		assert.Equal(t, roleID, r.ID)
		assert.Equal(t, serverID, r.ResourceServerID)
		assert.Equal(t, env.fake.RealmID, r.RealmID)
		assert.Equal(t, env.fake.TenantID, r.TenantID)
		assert.Equal(t, "Help Desk", r.DisplayName)
		assert.Equal(t, "Customer support personnel.", r.Description)
		assert.False(t, r.CreateTime.IsZero())
	}
	n := 0
	for r, err := range c.Groups.AllRoles(ctx, created.ID, serverID, &bi.PageOptions{PageSize: 1}) {
		require.NoError(t, err)
		assert.Equal(t, roleID, r.ID)
		n++
	}
	assert.Equal(t, 1, n)
	none, err := c.Groups.ListRoles(ctx, other.ID, serverID, nil)
	require.NoError(t, err)
	assert.Empty(t, none.Items)
	assert.Zero(t, none.TotalSize)

	// Removing members; removing one that is not a member changes nothing.
	g, err = c.Groups.RemoveMembers(ctx, created.ID, []string{a.ID, b.ID})
	require.NoError(t, err)
	assert.Equal(t, created.ID, g.ID)
	_, err = c.Groups.RemoveMembers(ctx, created.ID, []string{a.ID})
	require.NoError(t, err)
	members, err = c.Groups.ListMembers(ctx, created.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, members.Items)
	assert.Zero(t, members.TotalSize)
	of, err = c.Identities.ListGroups(ctx, a.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{other.ID}, groupIDs(of.Items))

	require.NoError(t, c.Groups.Delete(ctx, created.ID))
	_, err = c.Groups.Get(ctx, created.ID)
	assert.ErrorIs(t, err, bi.ErrNotFound)
	_, err = c.Groups.RemoveMembers(ctx, other.ID, []string{a.ID})
	require.NoError(t, err)
	require.NoError(t, c.Groups.Delete(ctx, other.ID))
}

func TestProxyGroupErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	g := newGroup(t, c)
	member := newIdentity(t, c, false)
	serverID, _ := roleOfGroup(t, c, g.ID)

	t.Run("400 missing display name", func(t *testing.T) {
		// The SDK refuses this before sending; the spec's Group schema
		// requires nothing, the server requires a name.
		_, err := c.Groups.Create(ctx, &bi.CreateGroupRequest{Description: "No name"})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPost, "/groups", map[string]any{
			"group": map[string]any{"description": "No name"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "group.display_name", fieldOf(ae))
	})
	t.Run("400 unknown member on update", func(t *testing.T) {
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPatch, "/groups/"+g.ID, map[string]any{
			"group": map[string]any{"nickname": "x"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "group.nickname", fieldOf(ae))
	})
	t.Run("400 group_ids beside identity_ids", func(t *testing.T) {
		// AddRoleMembers takes group_ids; the group's member lists do not.
		_, hc := newChecker(t, modeProxy)
		for _, custom := range []string{":addMembers", ":deleteMembers"} {
			status, ae := rawAPI(t, hc, http.MethodPost, "/groups/"+g.ID+custom, map[string]any{
				"identity_ids": []string{member.ID}, "group_ids": []string{g.ID},
			})
			require.Equal(t, http.StatusBadRequest, status, custom)
			assert.Equal(t, "group_ids", fieldOf(ae), custom)
		}
	})
	t.Run("400 invalid page token", func(t *testing.T) {
		bad := &bi.PageOptions{PageToken: "not-a-page-token"}
		_, err := c.Groups.List(ctx, bad)
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "page_token", fieldOf(ae))
		_, err = c.Groups.ListMembers(ctx, g.ID, bad)
		ae = requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "page_token", fieldOf(ae))
		_, err = c.Groups.ListRoles(ctx, g.ID, serverID, bad)
		ae = requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "page_token", fieldOf(ae))
		_, err = c.Identities.ListGroups(ctx, member.ID, bad)
		ae = requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "page_token", fieldOf(ae))
	})
	t.Run("404 group", func(t *testing.T) {
		check := func(err error) {
			t.Helper()
			ae := requireAPIError(t, err, http.StatusNotFound)
			assert.ErrorIs(t, err, bi.ErrNotFound)
			if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
				assert.Equal(t, "Group", ri.ResourceType)
				assert.Equal(t, unknownID, ri.ResourceID)
			}
		}
		_, err := c.Groups.Get(ctx, unknownID)
		check(err)
		_, err = c.Groups.Update(ctx, unknownID, &bi.UpdateGroupRequest{DisplayName: bi.Ptr("X")})
		check(err)
		check(c.Groups.Delete(ctx, unknownID))
		_, err = c.Groups.AddMembers(ctx, unknownID, []string{member.ID})
		check(err)
		_, err = c.Groups.RemoveMembers(ctx, unknownID, []string{member.ID})
		check(err)
		_, err = c.Groups.ListMembers(ctx, unknownID, nil)
		check(err)
		_, err = c.Groups.ListRoles(ctx, unknownID, serverID, nil)
		check(err)
	})
	t.Run("404 identity", func(t *testing.T) {
		check := func(err error) {
			t.Helper()
			ae := requireAPIError(t, err, http.StatusNotFound)
			if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
				assert.Equal(t, "Identity", ri.ResourceType)
				assert.Equal(t, unknownID, ri.ResourceID)
			}
		}
		_, err := c.Groups.AddMembers(ctx, g.ID, []string{member.ID, unknownID})
		check(err)
		page, err := c.Groups.ListMembers(ctx, g.ID, nil)
		require.NoError(t, err)
		assert.Empty(t, page.Items, "all or nothing: the known identity was not added")
		_, err = c.Groups.RemoveMembers(ctx, g.ID, []string{unknownID})
		check(err)
		_, err = c.Identities.ListGroups(ctx, unknownID, nil)
		check(err)
	})
	t.Run("404 realm", func(t *testing.T) {
		nowhere := c.InRealm(unknownID)
		_, err := nowhere.Groups.Create(ctx, &bi.CreateGroupRequest{DisplayName: "X"})
		ae := requireAPIError(t, err, http.StatusNotFound)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "Realm", ri.ResourceType)
		}
		_, err = nowhere.Groups.List(ctx, nil)
		requireAPIError(t, err, http.StatusNotFound)
	})
	t.Run("409 group with members", func(t *testing.T) {
		withMember := newGroup(t, c)
		_, err := c.Groups.AddMembers(ctx, withMember.ID, []string{member.ID})
		require.NoError(t, err)
		err = c.Groups.Delete(ctx, withMember.ID)
		requireAPIError(t, err, http.StatusConflict)
		assert.ErrorIs(t, err, bi.ErrConflict)
		_, err = c.Groups.Get(ctx, withMember.ID)
		require.NoError(t, err, "the group is still there")
		_, err = c.Groups.RemoveMembers(ctx, withMember.ID, []string{member.ID})
		require.NoError(t, err)
		require.NoError(t, c.Groups.Delete(ctx, withMember.ID), "once empty, the group goes")
	})
	t.Run("409 unknown resource server", func(t *testing.T) {
		_, err := c.Groups.ListRoles(ctx, g.ID, unknownServerID, nil)
		ae := requireAPIError(t, err, http.StatusConflict)
		assert.ErrorIs(t, err, bi.ErrConflict)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "ResourceServer", ri.ResourceType)
			assert.Equal(t, unknownServerID, ri.ResourceID)
		}
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		for _, err := range groupCalls(t, bad, g.ID, member.ID, serverID) {
			requireAPIError(t, err, http.StatusUnauthorized)
			assert.ErrorIs(t, err, bi.ErrUnauthorized)
		}
	})
	t.Run("403 scope missing", func(t *testing.T) {
		narrow := proxyClientScopes(t, narrowScope)
		for _, err := range groupCalls(t, narrow, g.ID, member.ID, serverID) {
			requireAPIError(t, err, http.StatusForbidden)
			assert.ErrorIs(t, err, bi.ErrForbidden)
		}
	})
}

// groupCalls calls each group operation once, and IdentitiesService.ListGroups,
// and returns their errors in that order.
func groupCalls(t *testing.T, c *bi.Client, groupID, identityID, serverID string) []error {
	t.Helper()
	ctx := t.Context()
	var errs []error
	add := func(_ any, err error) { errs = append(errs, err) }
	add(c.Groups.Create(ctx, &bi.CreateGroupRequest{DisplayName: "X"}))
	add(c.Groups.List(ctx, nil))
	add(c.Groups.Get(ctx, groupID))
	add(c.Groups.Update(ctx, groupID, &bi.UpdateGroupRequest{DisplayName: bi.Ptr("X")}))
	errs = append(errs, c.Groups.Delete(ctx, groupID))
	add(c.Groups.AddMembers(ctx, groupID, []string{identityID}))
	add(c.Groups.RemoveMembers(ctx, groupID, []string{identityID}))
	add(c.Groups.ListMembers(ctx, groupID, nil))
	add(c.Groups.ListRoles(ctx, groupID, serverID, nil))
	add(c.Identities.ListGroups(ctx, identityID, nil))
	require.Len(t, errs, 10)
	return errs
}
