package contract

import (
	"net/http"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unknownRoleID names no role of the fake.
const unknownRoleID = "0000000000000000"

// newRole creates a role of the resource server with a fresh name.
func newRole(t *testing.T, c *bi.Client, serverID string) *bi.Role {
	t.Helper()
	r, err := c.Roles.Create(t.Context(), serverID, &bi.CreateRoleRequest{DisplayName: unique("Role ")})
	require.NoError(t, err)
	return r
}

func roleIDs(rs []*bi.Role) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func TestProxyRoles(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	rs := newServer(t, c, "pets:read", "pets:write", "pets:admin")

	created, err := c.Roles.Create(ctx, rs.ID, &bi.CreateRoleRequest{DisplayName: "Help Desk",
		Description: "Customer support personnel."})
	require.NoError(t, err)
	assert.NotEmpty(t, created.ID)
	assert.Equal(t, rs.ID, created.ResourceServerID)
	assert.Equal(t, env.fake.RealmID, created.RealmID)
	assert.Equal(t, env.fake.TenantID, created.TenantID)
	assert.Equal(t, "Help Desk", created.DisplayName)
	assert.Equal(t, "Customer support personnel.", created.Description)
	assert.False(t, created.CreateTime.IsZero())
	assert.False(t, created.UpdateTime.IsZero())

	// Without a description.
	plain, err := c.Roles.Create(ctx, rs.ID, &bi.CreateRoleRequest{DisplayName: "Viewers"})
	require.NoError(t, err)
	assert.Empty(t, plain.Description)

	got, err := c.Roles.Get(ctx, rs.ID, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created.ID, got.ID)
	assert.Equal(t, "Help Desk", got.DisplayName)
	assert.True(t, got.CreateTime.Equal(created.CreateTime))

	// The resource server's roles, in pages of one.
	page, err := c.Roles.List(ctx, rs.ID, &bi.PageOptions{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, 2, page.TotalSize)
	assert.NotEmpty(t, page.NextPageToken)
	var all []*bi.Role
	for r, err := range c.Roles.All(ctx, rs.ID, &bi.PageOptions{PageSize: 1}) {
		require.NoError(t, err)
		assert.Equal(t, rs.ID, r.ResourceServerID)
		all = append(all, r)
	}
	assert.ElementsMatch(t, []string{created.ID, plain.ID}, roleIDs(all))
	skipped, err := c.Roles.List(ctx, rs.ID, &bi.PageOptions{Skip: 1})
	require.NoError(t, err)
	assert.Len(t, skipped.Items, 1)
	assert.Equal(t, 2, skipped.TotalSize)

	// A PATCH keeps what it does not send.
	upd, err := c.Roles.Update(ctx, rs.ID, created.ID, &bi.UpdateRoleRequest{DisplayName: bi.Ptr("Support")})
	require.NoError(t, err)
	assert.Equal(t, "Support", upd.DisplayName)
	assert.Equal(t, "Customer support personnel.", upd.Description)
	assert.True(t, upd.CreateTime.Equal(created.CreateTime))
	assert.False(t, upd.UpdateTime.Before(created.UpdateTime))
	upd, err = c.Roles.Update(ctx, rs.ID, plain.ID, &bi.UpdateRoleRequest{Description: bi.Ptr("Read only.")})
	require.NoError(t, err)
	assert.Equal(t, "Viewers", upd.DisplayName)
	assert.Equal(t, "Read only.", upd.Description)

	// Scopes: adding one again and removing one the role lacks change
	// nothing.
	r, err := c.Roles.AddScopes(ctx, rs.ID, created.ID, []string{"pets:read", "pets:write"})
	require.NoError(t, err)
	assert.Equal(t, created.ID, r.ID)
	assert.Equal(t, "Support", r.DisplayName)
	_, err = c.Roles.AddScopes(ctx, rs.ID, created.ID, []string{"pets:read"})
	require.NoError(t, err)
	scopes, err := c.Roles.ListScopes(ctx, rs.ID, created.ID, &bi.PageOptions{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, scopes.Items, 1)
	assert.Equal(t, 2, scopes.TotalSize)
	assert.NotEmpty(t, scopes.NextPageToken)
	var allScopes []string
	for s, err := range c.Roles.AllScopes(ctx, rs.ID, created.ID, &bi.PageOptions{PageSize: 1}) {
		require.NoError(t, err)
		allScopes = append(allScopes, s)
	}
	assert.ElementsMatch(t, []string{"pets:read", "pets:write"}, allScopes)
	r, err = c.Roles.RemoveScopes(ctx, rs.ID, created.ID, []string{"pets:write", "pets:admin"})
	require.NoError(t, err)
	assert.Equal(t, created.ID, r.ID)
	scopes, err = c.Roles.ListScopes(ctx, rs.ID, created.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"pets:read"}, scopes.Items)
	assert.Equal(t, 1, scopes.TotalSize)
	assert.Empty(t, scopes.NextPageToken)

	// Members: groups and identities, paged side by side.
	g := newGroup(t, c)
	a, b := newIdentity(t, c, false), newIdentity(t, c, true)
	inGroup := newIdentity(t, c, false)
	_, err = c.Groups.AddMembers(ctx, g.ID, []string{inGroup.ID})
	require.NoError(t, err)
	r, err = c.Roles.AddMembers(ctx, rs.ID, created.ID, &bi.RoleMembers{GroupIDs: []string{g.ID}, IdentityIDs: []string{a.ID}})
	require.NoError(t, err)
	assert.Equal(t, created.ID, r.ID)
	_, err = c.Roles.AddMembers(ctx, rs.ID, created.ID, &bi.RoleMembers{IdentityIDs: []string{b.ID, a.ID}})
	require.NoError(t, err, "adding a member again")
	members, err := c.Roles.ListMembers(ctx, rs.ID, created.ID, &bi.ListRoleMembersOptions{GroupsPageSize: 1, IdentitiesPageSize: 1})
	require.NoError(t, err)
	assert.Equal(t, 1, members.TotalGroups)
	assert.Equal(t, 2, members.TotalIdentities)
	if assert.Len(t, members.Groups, 1) {
		assert.Equal(t, g.ID, members.Groups[0].ID)
		assert.Equal(t, g.DisplayName, members.Groups[0].DisplayName)
	}
	assert.Len(t, members.Identities, 1)
	assert.NotEmpty(t, members.NextPageToken)
	var memberGroups, memberIdentities []string
	for m, err := range c.Roles.AllMembers(ctx, rs.ID, created.ID, &bi.ListRoleMembersOptions{GroupsPageSize: 1, IdentitiesPageSize: 1}) {
		require.NoError(t, err)
		switch {
		case m.Group != nil && m.Identity == nil:
			memberGroups = append(memberGroups, m.Group.ID)
		case m.Identity != nil && m.Group == nil:
			assert.NotEmpty(t, m.Identity.Traits.Username)
			memberIdentities = append(memberIdentities, m.Identity.ID)
		default:
			t.Errorf("a member is a group or an identity: %+v", m)
		}
	}
	assert.Equal(t, []string{g.ID}, memberGroups)
	assert.ElementsMatch(t, []string{a.ID, b.ID}, memberIdentities)
	skippedMembers, err := c.Roles.ListMembers(ctx, rs.ID, created.ID, &bi.ListRoleMembersOptions{GroupsSkip: 1, IdentitiesSkip: 1})
	require.NoError(t, err)
	assert.Empty(t, skippedMembers.Groups)
	assert.Len(t, skippedMembers.Identities, 1)

	// An identity's roles: those it is assigned to itself, not those of its
	// groups (the group's are ListGroupRoles').
	of, err := c.Identities.ListRoles(ctx, a.ID, rs.ID, &bi.PageOptions{PageSize: 1})
	require.NoError(t, err)
	assert.Equal(t, 1, of.TotalSize)
	if assert.Len(t, of.Items, 1) {
		assert.Equal(t, created.ID, of.Items[0].ID)
		assert.Equal(t, rs.ID, of.Items[0].ResourceServerID)
		assert.Equal(t, "Support", of.Items[0].DisplayName)
	}
	var ofB []*bi.Role
	for r, err := range c.Identities.AllRoles(ctx, b.ID, rs.ID, &bi.PageOptions{PageSize: 1}) {
		require.NoError(t, err)
		ofB = append(ofB, r)
	}
	assert.Equal(t, []string{created.ID}, roleIDs(ofB))
	of, err = c.Identities.ListRoles(ctx, inGroup.ID, rs.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, of.Items)
	assert.Zero(t, of.TotalSize)
	ofGroup, err := c.Groups.ListRoles(ctx, g.ID, rs.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{created.ID}, roleIDs(ofGroup.Items))

	// Removing members; removing one that is not a member changes nothing.
	r, err = c.Roles.RemoveMembers(ctx, rs.ID, created.ID, &bi.RoleMembers{GroupIDs: []string{g.ID}, IdentityIDs: []string{a.ID}})
	require.NoError(t, err)
	assert.Equal(t, created.ID, r.ID)
	_, err = c.Roles.RemoveMembers(ctx, rs.ID, created.ID, &bi.RoleMembers{IdentityIDs: []string{a.ID, b.ID}})
	require.NoError(t, err)
	members, err = c.Roles.ListMembers(ctx, rs.ID, created.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, members.Groups)
	assert.Empty(t, members.Identities)
	assert.Zero(t, members.TotalGroups)
	assert.Zero(t, members.TotalIdentities)
	assert.Empty(t, members.NextPageToken)
	of, err = c.Identities.ListRoles(ctx, a.ID, rs.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, of.Items)

	_, err = c.Roles.RemoveScopes(ctx, rs.ID, created.ID, []string{"pets:read"})
	require.NoError(t, err)
	for _, id := range []string{created.ID, plain.ID} {
		require.NoError(t, c.Roles.Delete(ctx, rs.ID, id))
		_, err = c.Roles.Get(ctx, rs.ID, id)
		assert.ErrorIs(t, err, bi.ErrNotFound)
	}
	_, err = c.Groups.RemoveMembers(ctx, g.ID, []string{inGroup.ID})
	require.NoError(t, err)
	require.NoError(t, c.Groups.Delete(ctx, g.ID))
	require.NoError(t, c.ResourceServers.Delete(ctx, rs.ID))
}

func TestProxyRoleErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	rs := newServer(t, c, "pets:read", "pets:write")
	role := newRole(t, c, rs.ID)
	g := newGroup(t, c)
	member := newIdentity(t, c, false)

	t.Run("400 missing display name", func(t *testing.T) {
		// The SDK refuses this before sending; the spec's Role schema
		// requires nothing, the server requires a name.
		_, err := c.Roles.Create(ctx, rs.ID, &bi.CreateRoleRequest{Description: "No name"})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPost, "/resource-servers/"+rs.ID+"/roles", map[string]any{
			"role": map[string]any{"description": "No name"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "role.display_name", fieldOf(ae))
	})
	t.Run("400 unknown member on update", func(t *testing.T) {
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPatch, "/resource-servers/"+rs.ID+"/roles/"+role.ID, map[string]any{
			"role": map[string]any{"nickname": "x"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "role.nickname", fieldOf(ae))
	})
	t.Run("400 scope the resource server lacks", func(t *testing.T) {
		// "The scopes belonging to a role are limited to its associated
		// resource server."
		_, err := c.Roles.AddScopes(ctx, rs.ID, role.ID, []string{"pets:read", "cats:read"})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.ErrorIs(t, err, bi.ErrInvalidArgument)
		assert.Equal(t, "scopes", fieldOf(ae))
		scopes, err := c.Roles.ListScopes(ctx, rs.ID, role.ID, nil)
		require.NoError(t, err)
		assert.Empty(t, scopes.Items, "nothing was added")
	})
	t.Run("400 scope that is not a scope token", func(t *testing.T) {
		// The SDK refuses this before sending; the spec's scopes are plain
		// strings, the server takes OAuth 2.0 scope tokens.
		_, err := c.Roles.AddScopes(ctx, rs.ID, role.ID, []string{"pets read"})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		for _, custom := range []string{":addScopes", ":deleteScopes"} {
			status, ae := rawAPI(t, hc, http.MethodPost, "/resource-servers/"+rs.ID+"/roles/"+role.ID+custom, map[string]any{
				"scopes": []string{"pets read"},
			})
			require.Equal(t, http.StatusBadRequest, status, custom)
			assert.Equal(t, "scopes[0]", fieldOf(ae), custom)
		}
	})
	t.Run("400 no members", func(t *testing.T) {
		// The SDK refuses this before sending; the spec's body requires
		// neither list, the server requires one.
		_, err := c.Roles.AddMembers(ctx, rs.ID, role.ID, &bi.RoleMembers{})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		for _, custom := range []string{":addMembers", ":deleteMembers"} {
			status, ae := rawAPI(t, hc, http.MethodPost, "/resource-servers/"+rs.ID+"/roles/"+role.ID+custom, map[string]any{})
			require.Equal(t, http.StatusBadRequest, status, custom)
			assert.Equal(t, "group_ids", fieldOf(ae), custom)
		}
	})
	t.Run("400 invalid page token", func(t *testing.T) {
		bad := &bi.PageOptions{PageToken: "not-a-page-token"}
		_, err := c.Roles.List(ctx, rs.ID, bad)
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "page_token", fieldOf(ae))
		_, err = c.Roles.ListScopes(ctx, rs.ID, role.ID, bad)
		ae = requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "page_token", fieldOf(ae))
		_, err = c.Roles.ListMembers(ctx, rs.ID, role.ID, &bi.ListRoleMembersOptions{PageToken: "not-a-page-token"})
		ae = requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "page_token", fieldOf(ae))
		_, err = c.Identities.ListRoles(ctx, member.ID, rs.ID, bad)
		ae = requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "page_token", fieldOf(ae))
	})
	t.Run("404 resource server", func(t *testing.T) {
		check := func(err error) {
			t.Helper()
			ae := requireAPIError(t, err, http.StatusNotFound)
			assert.ErrorIs(t, err, bi.ErrNotFound)
			if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
				assert.Equal(t, "ResourceServer", ri.ResourceType)
				assert.Equal(t, unknownServerID, ri.ResourceID)
			}
		}
		// Every role operation; ListIdentityRoles answers 409 for it.
		for _, err := range roleCalls(t, c, unknownServerID, role.ID, g.ID, member.ID)[:11] {
			check(err)
		}
	})
	t.Run("404 role", func(t *testing.T) {
		check := func(err error) {
			t.Helper()
			ae := requireAPIError(t, err, http.StatusNotFound)
			assert.ErrorIs(t, err, bi.ErrNotFound)
			if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
				assert.Equal(t, "Role", ri.ResourceType)
				assert.Equal(t, unknownRoleID, ri.ResourceID)
			}
		}
		// Every operation on one role: all but CreateRole, ListRoles and
		// ListIdentityRoles.
		for _, err := range roleCalls(t, c, rs.ID, unknownRoleID, g.ID, member.ID)[2:11] {
			check(err)
		}
		// A role of another resource server.
		other := newServer(t, c)
		_, err := c.Roles.Get(ctx, other.ID, role.ID)
		ae := requireAPIError(t, err, http.StatusNotFound)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "Role", ri.ResourceType)
		}
		require.NoError(t, c.ResourceServers.Delete(ctx, other.ID))
	})
	t.Run("404 group", func(t *testing.T) {
		for _, call := range []func() (*bi.Role, error){
			func() (*bi.Role, error) {
				return c.Roles.AddMembers(ctx, rs.ID, role.ID, &bi.RoleMembers{GroupIDs: []string{g.ID, unknownID}, IdentityIDs: []string{member.ID}})
			},
			func() (*bi.Role, error) {
				return c.Roles.RemoveMembers(ctx, rs.ID, role.ID, &bi.RoleMembers{GroupIDs: []string{unknownID}})
			},
		} {
			_, err := call()
			ae := requireAPIError(t, err, http.StatusNotFound)
			if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
				assert.Equal(t, "Group", ri.ResourceType)
				assert.Equal(t, unknownID, ri.ResourceID)
			}
		}
		page, err := c.Roles.ListMembers(ctx, rs.ID, role.ID, nil)
		require.NoError(t, err)
		assert.Empty(t, page.Groups, "all or nothing: the known group was not added")
		assert.Empty(t, page.Identities, "all or nothing: the known identity was not added")
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
		_, err := c.Roles.AddMembers(ctx, rs.ID, role.ID, &bi.RoleMembers{IdentityIDs: []string{member.ID, unknownID}})
		check(err)
		_, err = c.Roles.RemoveMembers(ctx, rs.ID, role.ID, &bi.RoleMembers{IdentityIDs: []string{unknownID}})
		check(err)
		_, err = c.Identities.ListRoles(ctx, unknownID, rs.ID, nil)
		check(err)
	})
	t.Run("404 realm", func(t *testing.T) {
		nowhere := c.InRealm(unknownID)
		_, err := nowhere.Roles.List(ctx, rs.ID, nil)
		ae := requireAPIError(t, err, http.StatusNotFound)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "Realm", ri.ResourceType)
		}
	})
	t.Run("409 role with scopes", func(t *testing.T) {
		r := newRole(t, c, rs.ID)
		_, err := c.Roles.AddScopes(ctx, rs.ID, r.ID, []string{"pets:read"})
		require.NoError(t, err)
		err = c.Roles.Delete(ctx, rs.ID, r.ID)
		requireAPIError(t, err, http.StatusConflict)
		assert.ErrorIs(t, err, bi.ErrConflict)
		_, err = c.Roles.Get(ctx, rs.ID, r.ID)
		require.NoError(t, err, "the role is still there")
		_, err = c.Roles.RemoveScopes(ctx, rs.ID, r.ID, []string{"pets:read"})
		require.NoError(t, err)
		require.NoError(t, c.Roles.Delete(ctx, rs.ID, r.ID), "without scopes, the role goes")
	})
	t.Run("409 role with members", func(t *testing.T) {
		for _, m := range []*bi.RoleMembers{{GroupIDs: []string{g.ID}}, {IdentityIDs: []string{member.ID}}} {
			r := newRole(t, c, rs.ID)
			_, err := c.Roles.AddMembers(ctx, rs.ID, r.ID, m)
			require.NoError(t, err)
			err = c.Roles.Delete(ctx, rs.ID, r.ID)
			requireAPIError(t, err, http.StatusConflict)
			assert.ErrorIs(t, err, bi.ErrConflict)
			_, err = c.Roles.RemoveMembers(ctx, rs.ID, r.ID, m)
			require.NoError(t, err)
			require.NoError(t, c.Roles.Delete(ctx, rs.ID, r.ID), "without members, the role goes")
		}
	})
	t.Run("409 unknown resource server", func(t *testing.T) {
		// "If the specified resource server does not exist, you will
		// receive a 409 error."
		_, err := c.Identities.ListRoles(ctx, member.ID, unknownServerID, nil)
		ae := requireAPIError(t, err, http.StatusConflict)
		assert.ErrorIs(t, err, bi.ErrConflict)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "ResourceServer", ri.ResourceType)
			assert.Equal(t, unknownServerID, ri.ResourceID)
		}
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		for _, err := range roleCalls(t, bad, rs.ID, role.ID, g.ID, member.ID) {
			requireAPIError(t, err, http.StatusUnauthorized)
			assert.ErrorIs(t, err, bi.ErrUnauthorized)
		}
	})
	t.Run("403 scope missing", func(t *testing.T) {
		narrow := proxyClientScopes(t, narrowScope)
		for _, err := range roleCalls(t, narrow, rs.ID, role.ID, g.ID, member.ID) {
			requireAPIError(t, err, http.StatusForbidden)
			assert.ErrorIs(t, err, bi.ErrForbidden)
		}
	})

	require.NoError(t, c.Roles.Delete(ctx, rs.ID, role.ID))
	require.NoError(t, c.ResourceServers.Delete(ctx, rs.ID))
	require.NoError(t, c.Groups.Delete(ctx, g.ID))
}

// roleCalls calls each role operation once, CreateRole and ListRoles first,
// then IdentitiesService.ListRoles, and returns their errors in that
// order.
func roleCalls(t *testing.T, c *bi.Client, serverID, roleID, groupID, identityID string) []error {
	t.Helper()
	ctx := t.Context()
	var errs []error
	add := func(_ any, err error) { errs = append(errs, err) }
	add(c.Roles.Create(ctx, serverID, &bi.CreateRoleRequest{DisplayName: "X"}))
	add(c.Roles.List(ctx, serverID, nil))
	add(c.Roles.Get(ctx, serverID, roleID))
	add(c.Roles.Update(ctx, serverID, roleID, &bi.UpdateRoleRequest{DisplayName: bi.Ptr("X")}))
	errs = append(errs, c.Roles.Delete(ctx, serverID, roleID))
	add(c.Roles.AddMembers(ctx, serverID, roleID, &bi.RoleMembers{GroupIDs: []string{groupID}, IdentityIDs: []string{identityID}}))
	add(c.Roles.RemoveMembers(ctx, serverID, roleID, &bi.RoleMembers{GroupIDs: []string{groupID}, IdentityIDs: []string{identityID}}))
	add(c.Roles.ListMembers(ctx, serverID, roleID, nil))
	add(c.Roles.AddScopes(ctx, serverID, roleID, []string{"pets:read"}))
	add(c.Roles.RemoveScopes(ctx, serverID, roleID, []string{"pets:read"}))
	add(c.Roles.ListScopes(ctx, serverID, roleID, nil))
	add(c.Identities.ListRoles(ctx, identityID, serverID, nil))
	require.Len(t, errs, 12)
	return errs
}
