package contract

import (
	"context"
	"net/http"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// narrowScope is the one scope of the tokens the 403 cases use: a valid
// token of the tenant that lacks the scopes of the operation.
const narrowScope = "identities:read"

func TestProxyTenant(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()

	ten, err := c.Tenant.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, env.fake.TenantID, ten.ID)
	assert.NotEmpty(t, ten.DisplayName)
	assert.False(t, ten.CreateTime.IsZero())
	assert.False(t, ten.UpdateTime.IsZero())
	t.Cleanup(func() {
		_, err := c.Tenant.Update(context.Background(), &bi.UpdateTenantRequest{DisplayName: bi.Ptr(ten.DisplayName)})
		assert.NoError(t, err, "putting the tenant's name back")
	})

	name := unique("Tenant ")
	upd, err := c.Tenant.Update(ctx, &bi.UpdateTenantRequest{DisplayName: bi.Ptr(name)})
	require.NoError(t, err)
	assert.Equal(t, ten.ID, upd.ID)
	assert.Equal(t, name, upd.DisplayName)
	assert.True(t, upd.CreateTime.Equal(ten.CreateTime))
	assert.False(t, upd.UpdateTime.Before(ten.UpdateTime))

	// A PATCH without members changes nothing.
	same, err := c.Tenant.Update(ctx, &bi.UpdateTenantRequest{})
	require.NoError(t, err)
	assert.Equal(t, name, same.DisplayName)

	got, err := c.Tenant.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, name, got.DisplayName)
}

func TestProxyTenantErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()

	t.Run("400 unknown member", func(t *testing.T) {
		// The SDK sends only the members it knows; the spec's Tenant
		// schema allows others, the server refuses them.
		_, hc := newChecker(t, modeProxy)
		status, ae := rawTenant(t, hc, http.MethodPatch, "", map[string]any{
			"tenant": map[string]any{"display_name": "Renamed", "nickname": "x"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "tenant.nickname", fieldOf(ae))
		got, err := c.Tenant.Get(ctx)
		require.NoError(t, err)
		assert.NotEqual(t, "Renamed", got.DisplayName, "a refused PATCH changes nothing")
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		_, err := bad.Tenant.Get(ctx)
		requireAPIError(t, err, http.StatusUnauthorized)
		assert.ErrorIs(t, err, bi.ErrUnauthorized)
		_, err = bad.Tenant.Update(ctx, &bi.UpdateTenantRequest{DisplayName: bi.Ptr("X")})
		requireAPIError(t, err, http.StatusUnauthorized)
	})
	t.Run("403 scope missing", func(t *testing.T) {
		narrow := proxyClientScopes(t, narrowScope)
		_, err := narrow.Tenant.Get(ctx)
		requireAPIError(t, err, http.StatusForbidden)
		assert.ErrorIs(t, err, bi.ErrForbidden)
		_, err = narrow.Tenant.Update(ctx, &bi.UpdateTenantRequest{DisplayName: bi.Ptr("X")})
		requireAPIError(t, err, http.StatusForbidden)
	})
}
