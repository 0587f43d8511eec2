package contract

import (
	"net/http"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newServer creates a resource server with a fresh identifier and these
// scopes.
func newServer(t *testing.T, c *bi.Client, scopes ...string) *bi.ResourceServer {
	t.Helper()
	rs, err := c.ResourceServers.Create(t.Context(), &bi.CreateResourceServerRequest{
		DisplayName: "Pet API", Identifier: "https://api.example.com/" + unique("pets"), Scopes: scopes,
	})
	require.NoError(t, err)
	return rs
}

func serverIDs(rs []*bi.ResourceServer) []string {
	var out []string
	for _, s := range rs {
		out = append(out, s.ID)
	}
	return out
}

// managedServer returns the Management API's resource server, which the
// fake seeds in the admin realm.
func managedServer(t *testing.T, admin *bi.Client) *bi.ResourceServer {
	t.Helper()
	for s, err := range admin.ResourceServers.All(t.Context(), nil) {
		require.NoError(t, err)
		if s.IsManaged {
			return s
		}
	}
	t.Fatal("the admin realm has no managed resource server")
	return nil
}

func TestProxyResourceServers(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()

	identifier := "https://api.example.com/" + unique("pets")
	created, err := c.ResourceServers.Create(ctx, &bi.CreateResourceServerRequest{
		DisplayName: "Pet API", Identifier: identifier, Scopes: []string{"pets:read", "pets:write"},
	})
	require.NoError(t, err)
	assert.NotEmpty(t, created.ID)
	assert.Equal(t, env.fake.RealmID, created.RealmID)
	assert.Equal(t, env.fake.TenantID, created.TenantID)
	assert.Equal(t, "Pet API", created.DisplayName)
	assert.Equal(t, identifier, created.Identifier)
	assert.Equal(t, []string{"pets:read", "pets:write"}, created.Scopes)
	assert.False(t, created.IsManaged)

	// Without scopes.
	bare, err := c.ResourceServers.Create(ctx, &bi.CreateResourceServerRequest{
		DisplayName: "Bare API", Identifier: "urn:" + unique("bare"),
	})
	require.NoError(t, err)
	assert.Empty(t, bare.Scopes)

	got, err := c.ResourceServers.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created, got)

	// Pages of one, followed through their tokens.
	page, err := c.ResourceServers.List(ctx, &bi.CursorOptions{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.GreaterOrEqual(t, page.TotalSize, 2)
	assert.NotEmpty(t, page.NextPageToken)
	var all []*bi.ResourceServer
	for s, err := range c.ResourceServers.All(ctx, &bi.CursorOptions{PageSize: 2}) {
		require.NoError(t, err)
		assert.Equal(t, env.fake.RealmID, s.RealmID)
		all = append(all, s)
	}
	assert.Len(t, all, page.TotalSize)
	assert.Subset(t, serverIDs(all), []string{created.ID, bare.ID})

	// A PATCH keeps what it does not send; scopes, when sent, replace the
	// list, and an empty list clears it.
	upd, err := c.ResourceServers.Update(ctx, created.ID, &bi.UpdateResourceServerRequest{DisplayName: bi.Ptr("Pet API v2")})
	require.NoError(t, err)
	assert.Equal(t, "Pet API v2", upd.DisplayName)
	assert.Equal(t, identifier, upd.Identifier)
	assert.Equal(t, []string{"pets:read", "pets:write"}, upd.Scopes)
	moved := identifier + "/v2"
	upd, err = c.ResourceServers.Update(ctx, created.ID, &bi.UpdateResourceServerRequest{
		Identifier: bi.Ptr(moved), Scopes: []string{"pets:read", "pets:admin"},
	})
	require.NoError(t, err)
	assert.Equal(t, "Pet API v2", upd.DisplayName)
	assert.Equal(t, moved, upd.Identifier)
	assert.Equal(t, []string{"pets:read", "pets:admin"}, upd.Scopes)
	upd, err = c.ResourceServers.Update(ctx, created.ID, &bi.UpdateResourceServerRequest{Scopes: []string{}})
	require.NoError(t, err)
	assert.Empty(t, upd.Scopes)
	assert.Equal(t, moved, upd.Identifier)
	got, err = c.ResourceServers.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, upd, got)

	// ResourceServer.display_name has neither a length limit nor a
	// pattern, unlike the names of groups, realms, roles, identities and
	// tenants: the server takes "Pet API: v2". ResourceServersService.Create
	// and Update refuse it before sending (they apply those names'
	// 64-character limit and forbidden characters), a bug of the library:
	// the SDK's update is left out, and a raw request shows the answer.
	_, hc := newChecker(t, modeProxy)
	status, b := rawRequest(t, hc, http.MethodPatch, "/realms/"+env.fake.RealmID+"/resource-servers/"+bare.ID, map[string]any{
		"resource_server": map[string]any{"display_name": "Pet API: v2"},
	})
	require.Equal(t, http.StatusOK, status, "%s", b)
	got, err = c.ResourceServers.Get(ctx, bare.ID)
	require.NoError(t, err)
	assert.Equal(t, "Pet API: v2", got.DisplayName)

	for _, id := range []string{created.ID, bare.ID} {
		require.NoError(t, c.ResourceServers.Delete(ctx, id))
		_, err = c.ResourceServers.Get(ctx, id)
		assert.ErrorIs(t, err, bi.ErrNotFound)
	}
}

func TestProxyResourceServerErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	rs := newServer(t, c, "pets:read")

	t.Run("400 missing identifier", func(t *testing.T) {
		// The SDK refuses this before sending; the spec's ResourceServer
		// schema requires nothing, the server requires an identifier.
		_, err := c.ResourceServers.Create(ctx, &bi.CreateResourceServerRequest{DisplayName: "No identifier"})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPost, "/resource-servers", map[string]any{
			"resource_server": map[string]any{"display_name": "No identifier"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "resource_server.identifier", fieldOf(ae))
	})
	t.Run("400 reserved identifier", func(t *testing.T) {
		// "beyondidentity" is the Management API's audience, "reserved and
		// may not be used for any other resource servers".
		_, err := c.ResourceServers.Create(ctx, &bi.CreateResourceServerRequest{DisplayName: "Impostor", Identifier: "beyondidentity"})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.ErrorIs(t, err, bi.ErrInvalidArgument)
		assert.Equal(t, "resource_server.identifier", fieldOf(ae))
		_, err = c.ResourceServers.Update(ctx, rs.ID, &bi.UpdateResourceServerRequest{Identifier: bi.Ptr("beyondidentity")})
		ae = requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "resource_server.identifier", fieldOf(ae))
	})
	t.Run("400 scope with a space", func(t *testing.T) {
		// The SDK refuses this before sending; the schema's scopes are
		// plain strings, the server takes OAuth 2.0 scope tokens.
		_, err := c.ResourceServers.Create(ctx, &bi.CreateResourceServerRequest{DisplayName: "X", Identifier: "urn:x", Scopes: []string{"pets read"}})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPatch, "/resource-servers/"+rs.ID, map[string]any{
			"resource_server": map[string]any{"scopes": []string{"pets read"}},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "resource_server.scopes[0]", fieldOf(ae))
	})
	t.Run("400 unknown member on update", func(t *testing.T) {
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPatch, "/resource-servers/"+rs.ID, map[string]any{
			"resource_server": map[string]any{"nickname": "x"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "resource_server.nickname", fieldOf(ae))
	})
	t.Run("400 invalid page token", func(t *testing.T) {
		_, err := c.ResourceServers.List(ctx, &bi.CursorOptions{PageToken: "not-a-page-token"})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "page_token", fieldOf(ae))
	})
	t.Run("403 managed", func(t *testing.T) {
		// The Management API's resource server "may not be modified by the
		// user".
		admin := c.InRealm(env.fake.AdminRealmID)
		m := managedServer(t, admin)
		_, err := admin.ResourceServers.Update(ctx, m.ID, &bi.UpdateResourceServerRequest{DisplayName: bi.Ptr("Mine now")})
		requireAPIError(t, err, http.StatusForbidden)
		assert.ErrorIs(t, err, bi.ErrForbidden)
		err = admin.ResourceServers.Delete(ctx, m.ID)
		requireAPIError(t, err, http.StatusForbidden)
		got, err := admin.ResourceServers.Get(ctx, m.ID)
		require.NoError(t, err)
		assert.Equal(t, m, got, "unchanged")
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
		_, err := c.ResourceServers.Get(ctx, unknownServerID)
		check(err)
		_, err = c.ResourceServers.Update(ctx, unknownServerID, &bi.UpdateResourceServerRequest{DisplayName: bi.Ptr("X")})
		check(err)
		check(c.ResourceServers.Delete(ctx, unknownServerID))
	})
	t.Run("404 realm", func(t *testing.T) {
		nowhere := c.InRealm(unknownID)
		_, err := nowhere.ResourceServers.Create(ctx, &bi.CreateResourceServerRequest{DisplayName: "X", Identifier: "urn:x"})
		ae := requireAPIError(t, err, http.StatusNotFound)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "Realm", ri.ResourceType)
		}
		_, err = nowhere.ResourceServers.List(ctx, nil)
		requireAPIError(t, err, http.StatusNotFound)
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		for _, err := range serverCalls(t, bad, rs.ID) {
			requireAPIError(t, err, http.StatusUnauthorized)
			assert.ErrorIs(t, err, bi.ErrUnauthorized)
		}
	})
	t.Run("403 scope missing", func(t *testing.T) {
		narrow := proxyClientScopes(t, narrowScope)
		for _, err := range serverCalls(t, narrow, rs.ID) {
			requireAPIError(t, err, http.StatusForbidden)
			assert.ErrorIs(t, err, bi.ErrForbidden)
		}
	})
	require.NoError(t, c.ResourceServers.Delete(ctx, rs.ID))
}

// serverCalls calls each resource server operation once and returns their
// errors in that order.
func serverCalls(t *testing.T, c *bi.Client, serverID string) []error {
	t.Helper()
	ctx := t.Context()
	var errs []error
	add := func(_ any, err error) { errs = append(errs, err) }
	add(c.ResourceServers.Create(ctx, &bi.CreateResourceServerRequest{DisplayName: "X", Identifier: "urn:x"}))
	add(c.ResourceServers.List(ctx, nil))
	add(c.ResourceServers.Get(ctx, serverID))
	add(c.ResourceServers.Update(ctx, serverID, &bi.UpdateResourceServerRequest{DisplayName: bi.Ptr("X")}))
	errs = append(errs, c.ResourceServers.Delete(ctx, serverID))
	require.Len(t, errs, 5)
	return errs
}
