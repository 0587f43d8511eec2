package contract

import (
	"net/http"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unknownID names no realm, group or identity of the fake.
const unknownID = "0000000000000000"

func TestProxyRealms(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()

	name := unique("Realm ")
	created, err := c.Realms.Create(ctx, &bi.CreateRealmRequest{DisplayName: name,
		Classification: bi.RealmClassificationSecureCustomer})
	require.NoError(t, err)
	assert.NotEmpty(t, created.ID)
	assert.Equal(t, env.fake.TenantID, created.TenantID)
	assert.Equal(t, name, created.DisplayName)
	assert.Equal(t, bi.RealmClassificationSecureCustomer, created.Classification)
	assert.False(t, created.CreateTime.IsZero())

	// Without a classification.
	plain, err := c.Realms.Create(ctx, &bi.CreateRealmRequest{DisplayName: unique("Realm ")})
	require.NoError(t, err)
	assert.Empty(t, plain.Classification)

	got, err := c.Realms.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created.ID, got.ID)
	assert.Equal(t, bi.RealmClassificationSecureCustomer, got.Classification)

	// The seeded Admin and user realms and the two new ones, in pages of one.
	page, err := c.Realms.List(ctx, &bi.PageOptions{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.GreaterOrEqual(t, page.TotalSize, 4)
	assert.NotEmpty(t, page.NextPageToken)
	seen := map[string]bool{}
	for r, err := range c.Realms.All(ctx, &bi.PageOptions{PageSize: 2}) {
		require.NoError(t, err)
		assert.Equal(t, env.fake.TenantID, r.TenantID)
		seen[r.ID] = true
	}
	assert.Len(t, seen, page.TotalSize)
	for _, id := range []string{env.fake.AdminRealmID, env.fake.RealmID, created.ID, plain.ID} {
		assert.True(t, seen[id], "realm %s listed", id)
	}

	renamed := unique("Renamed ")
	upd, err := c.Realms.Update(ctx, created.ID, &bi.UpdateRealmRequest{DisplayName: bi.Ptr(renamed)})
	require.NoError(t, err)
	assert.Equal(t, renamed, upd.DisplayName)
	assert.Equal(t, bi.RealmClassificationSecureCustomer, upd.Classification, "a PATCH keeps what it does not name")

	// The SDK works in the new realm like in the seeded one.
	in := c.InRealm(created.ID)
	g, err := in.Groups.Create(ctx, &bi.CreateGroupRequest{DisplayName: "Staff"})
	require.NoError(t, err)
	assert.Equal(t, created.ID, g.RealmID)
	require.NoError(t, in.Groups.Delete(ctx, g.ID))

	for _, id := range []string{created.ID, plain.ID} {
		require.NoError(t, c.Realms.Delete(ctx, id))
		_, err = c.Realms.Get(ctx, id)
		assert.ErrorIs(t, err, bi.ErrNotFound)
	}
}

func TestProxyRealmErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	realm, err := c.Realms.Create(ctx, &bi.CreateRealmRequest{DisplayName: unique("Realm ")})
	require.NoError(t, err)

	t.Run("400 missing display name", func(t *testing.T) {
		// The SDK refuses this before sending; the spec's Realm schema
		// requires nothing, the server requires a name.
		_, err := c.Realms.Create(ctx, &bi.CreateRealmRequest{})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		status, ae := rawTenant(t, hc, http.MethodPost, "/realms", map[string]any{
			"realm": map[string]any{"classification": "SECURE_CUSTOMER"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "realm.display_name", fieldOf(ae))
	})
	t.Run("400 unknown member on update", func(t *testing.T) {
		_, hc := newChecker(t, modeProxy)
		status, ae := rawTenant(t, hc, http.MethodPatch, "/realms/"+realm.ID, map[string]any{
			"realm": map[string]any{"nickname": "x"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "realm.nickname", fieldOf(ae))
	})
	t.Run("400 invalid page token", func(t *testing.T) {
		_, err := c.Realms.List(ctx, &bi.PageOptions{PageToken: "not-a-page-token"})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "page_token", fieldOf(ae))
	})
	t.Run("404", func(t *testing.T) {
		_, err := c.Realms.Get(ctx, unknownID)
		ae := requireAPIError(t, err, http.StatusNotFound)
		assert.ErrorIs(t, err, bi.ErrNotFound)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "Realm", ri.ResourceType)
			assert.Equal(t, unknownID, ri.ResourceID)
		}
		_, err = c.Realms.Update(ctx, unknownID, &bi.UpdateRealmRequest{DisplayName: bi.Ptr("X")})
		requireAPIError(t, err, http.StatusNotFound)
		err = c.Realms.Delete(ctx, unknownID)
		requireAPIError(t, err, http.StatusNotFound)
	})
	t.Run("409 realm with children", func(t *testing.T) {
		in := c.InRealm(realm.ID)
		g, err := in.Groups.Create(ctx, &bi.CreateGroupRequest{DisplayName: "Staff"})
		require.NoError(t, err)
		err = c.Realms.Delete(ctx, realm.ID)
		requireAPIError(t, err, http.StatusConflict)
		assert.ErrorIs(t, err, bi.ErrConflict)
		require.NoError(t, in.Groups.Delete(ctx, g.ID))

		u := unique("user")
		id, err := in.Identities.Create(ctx, &bi.CreateIdentityRequest{DisplayName: u, Traits: bi.Traits{Username: u}})
		require.NoError(t, err)
		err = c.Realms.Delete(ctx, realm.ID)
		requireAPIError(t, err, http.StatusConflict)
		require.NoError(t, in.Identities.Delete(ctx, id.ID))

		require.NoError(t, c.Realms.Delete(ctx, realm.ID), "once empty, the realm goes")
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		_, err := bad.Realms.Create(ctx, &bi.CreateRealmRequest{DisplayName: "X"})
		requireAPIError(t, err, http.StatusUnauthorized)
		_, err = bad.Realms.List(ctx, nil)
		requireAPIError(t, err, http.StatusUnauthorized)
		_, err = bad.Realms.Get(ctx, env.fake.RealmID)
		requireAPIError(t, err, http.StatusUnauthorized)
		_, err = bad.Realms.Update(ctx, env.fake.RealmID, &bi.UpdateRealmRequest{DisplayName: bi.Ptr("X")})
		requireAPIError(t, err, http.StatusUnauthorized)
		err = bad.Realms.Delete(ctx, env.fake.RealmID)
		requireAPIError(t, err, http.StatusUnauthorized)
	})
	t.Run("403 scope missing", func(t *testing.T) {
		narrow := proxyClientScopes(t, narrowScope)
		_, err := narrow.Realms.Create(ctx, &bi.CreateRealmRequest{DisplayName: "X"})
		requireAPIError(t, err, http.StatusForbidden)
		assert.ErrorIs(t, err, bi.ErrForbidden)
		_, err = narrow.Realms.List(ctx, nil)
		requireAPIError(t, err, http.StatusForbidden)
		_, err = narrow.Realms.Get(ctx, env.fake.RealmID)
		requireAPIError(t, err, http.StatusForbidden)
		_, err = narrow.Realms.Update(ctx, env.fake.RealmID, &bi.UpdateRealmRequest{DisplayName: bi.Ptr("X")})
		requireAPIError(t, err, http.StatusForbidden)
		err = narrow.Realms.Delete(ctx, env.fake.RealmID)
		requireAPIError(t, err, http.StatusForbidden)
	})
}
