package beyondidentitytest_test

// The SDK's tenant, realm and group services against the fake: real state
// (members are identities; deleting an identity leaves its groups),
// pagination over a thousand groups and members, and the errors the API
// documents.

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSDKTenantAndRealms(t *testing.T) {
	t.Parallel()
	srv := newServer(t, beyondidentitytest.WithInMemory())
	c := newClient(t, srv)
	ctx := t.Context()

	tn, err := c.Tenant.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, srv.TenantID(), tn.ID)
	tn, err = c.Tenant.Update(ctx, &beyondidentity.UpdateTenantRequest{DisplayName: beyondidentity.Ptr("Acme Pets")})
	require.NoError(t, err)
	assert.Equal(t, "Acme Pets", tn.DisplayName)

	r, err := c.Realms.Create(ctx, &beyondidentity.CreateRealmRequest{DisplayName: "Staging", Classification: beyondidentity.RealmClassificationSecureCustomer})
	require.NoError(t, err)
	got, err := c.Realms.Get(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, "Staging", got.DisplayName)
	var names []string
	for realm, err := range c.Realms.All(ctx, &beyondidentity.PageOptions{PageSize: 1}) {
		require.NoError(t, err)
		names = append(names, realm.DisplayName)
	}
	assert.Contains(t, names, "Staging")

	// The new realm is usable at once; one with identities is not deleted.
	staging := c.InRealm(r.ID)
	id := createIdentity(t, staging, "ada", "")
	err = c.Realms.Delete(ctx, r.ID)
	assert.ErrorIs(t, err, beyondidentity.ErrConflict)
	require.NoError(t, staging.Identities.Delete(ctx, id.ID))
	r, err = c.Realms.Update(ctx, r.ID, &beyondidentity.UpdateRealmRequest{DisplayName: beyondidentity.Ptr("Old staging")})
	require.NoError(t, err)
	assert.Equal(t, "Old staging", r.DisplayName)
	require.NoError(t, c.Realms.Delete(ctx, r.ID))
	_, err = c.Realms.Get(ctx, r.ID)
	assert.ErrorIs(t, err, beyondidentity.ErrNotFound)
}

func TestSDKGroupMembership(t *testing.T) {
	t.Parallel()
	srv := newServer(t, beyondidentitytest.WithInMemory())
	c := newClient(t, srv)
	ctx := t.Context()
	ada := createIdentity(t, c, "ada", "")
	bob := createIdentity(t, c, "bob", "")

	admins, err := c.Groups.Create(ctx, &beyondidentity.CreateGroupRequest{DisplayName: "admins", Description: "Realm administrators"})
	require.NoError(t, err)
	g, err := c.Groups.AddMembers(ctx, admins.ID, []string{ada.ID, bob.ID})
	require.NoError(t, err)
	assert.Equal(t, admins.ID, g.ID, "AddMembers answers the group")
	// Adding a member again changes nothing.
	_, err = c.Groups.AddMembers(ctx, admins.ID, []string{ada.ID})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{ada.ID, bob.ID}, memberIDs(t, c, admins.ID))

	groups, err := c.Identities.ListGroups(ctx, ada.ID, nil)
	require.NoError(t, err)
	require.Len(t, groups.Items, 1)
	assert.Equal(t, "admins", groups.Items[0].DisplayName)

	// Errors the API documents.
	_, err = c.Groups.AddMembers(ctx, admins.ID, []string{ada.ID, "0000000000000000"})
	var ae *beyondidentity.APIError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, beyondidentity.ErrNotFound, "an unknown identity among the members")
	assert.ElementsMatch(t, []string{ada.ID, bob.ID}, memberIDs(t, c, admins.ID), "nothing changed")
	_, err = c.Groups.Get(ctx, "0000000000000000")
	assert.ErrorIs(t, err, beyondidentity.ErrNotFound)
	_, err = c.Groups.AddMembers(ctx, "0000000000000000", []string{ada.ID})
	assert.ErrorIs(t, err, beyondidentity.ErrNotFound)
	err = c.Groups.Delete(ctx, admins.ID)
	assert.ErrorIs(t, err, beyondidentity.ErrConflict, "a group with members is not deleted")

	// Deleting an identity removes it from its groups.
	require.NoError(t, c.Identities.Delete(ctx, bob.ID))
	assert.Equal(t, []string{ada.ID}, memberIDs(t, c, admins.ID))

	_, err = c.Groups.RemoveMembers(ctx, admins.ID, []string{ada.ID})
	require.NoError(t, err)
	assert.Empty(t, memberIDs(t, c, admins.ID))
	g, err = c.Groups.Update(ctx, admins.ID, &beyondidentity.UpdateGroupRequest{Description: beyondidentity.Ptr("")})
	require.NoError(t, err)
	assert.Equal(t, "admins", g.DisplayName)
	assert.Empty(t, g.Description)
	// Roles of a group, per resource server: an unknown one is a 409, as
	// the API documents.
	_, err = c.Groups.ListRoles(ctx, g.ID, "7b5a4325-00e0-4379-bd7b-3e5e7e30b09e", nil)
	assert.ErrorIs(t, err, beyondidentity.ErrConflict)

	require.NoError(t, c.Groups.Delete(ctx, admins.ID))
	_, err = c.Groups.Get(ctx, admins.ID)
	assert.ErrorIs(t, err, beyondidentity.ErrNotFound)
}

func memberIDs(t *testing.T, c *beyondidentity.Client, groupID string) []string {
	t.Helper()
	var ids []string
	for id, err := range c.Groups.AllMembers(t.Context(), groupID, nil) {
		require.NoError(t, err)
		ids = append(ids, id.ID)
	}
	return ids
}

func TestSDKPaginationOverThousandGroupsAndMembers(t *testing.T) {
	t.Parallel()
	srv := newServer(t, beyondidentitytest.WithInMemory())
	c := newClient(t, srv)
	ctx := t.Context()
	const n = 1000
	var ids []string
	for i := range n {
		ids = append(ids, createIdentity(t, c, fmt.Sprintf("member-%04d", i), "").ID)
		_, err := c.Groups.Create(ctx, &beyondidentity.CreateGroupRequest{DisplayName: fmt.Sprintf("group %04d", i)})
		require.NoError(t, err)
	}
	first, err := c.Groups.List(ctx, nil)
	require.NoError(t, err)
	group := first.Items[0]
	_, err = c.Groups.AddMembers(ctx, group.ID, ids) // 1,000 in one call, the most allowed
	require.NoError(t, err)

	srv.ClearRequests()
	var names []string
	for g, err := range c.Groups.All(ctx, &beyondidentity.PageOptions{PageSize: 200}) {
		require.NoError(t, err)
		names = append(names, g.DisplayName)
	}
	assert.Len(t, names, n)
	slices.Sort(names)
	assert.Len(t, slices.Compact(names), n, "no group twice")
	assert.Len(t, requestsTo(srv, http.MethodGet, realmPath(srv, "groups")), 5, "five pages of 200")

	srv.ClearRequests()
	got := memberIDsPaged(t, c, group.ID, 150)
	assert.ElementsMatch(t, ids, got)
	assert.Len(t, srv.Requests(), 7, "seven pages of 150")
}

func memberIDsPaged(t *testing.T, c *beyondidentity.Client, groupID string, size int) []string {
	var ids []string
	for id, err := range c.Groups.AllMembers(t.Context(), groupID, &beyondidentity.PageOptions{PageSize: size}) {
		require.NoError(t, err)
		ids = append(ids, id.ID)
	}
	return ids
}
