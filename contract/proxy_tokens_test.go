package contract

import (
	"net/http"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProxyTokens(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	// Applications live in the Admin realm.
	admin := c.InRealm(env.fake.AdminRealmID)

	// A token of its own to revoke, not the one the client uses.
	victim := fakeToken(t)
	intro, err := admin.Tokens.Introspect(ctx, victim) // auth host, outside the spec
	require.NoError(t, err)
	require.True(t, intro.Active)
	require.NotEmpty(t, intro.Jti)

	page, err := admin.Tokens.List(ctx, env.fake.ApplicationID, &bi.ListTokensOptions{
		PrincipalType: bi.PrincipalTypeApplication, PrincipalID: env.fake.ApplicationID})
	require.NoError(t, err)
	require.NotEmpty(t, page.Items)
	var found *bi.Token
	for _, tok := range page.Items {
		assert.NotEmpty(t, tok.ID)
		assert.NotZero(t, tok.Expires)
		if tok.ID == intro.Jti {
			found = tok
		}
	}
	require.NotNil(t, found, "the new token is listed")
	assert.NotEmpty(t, found.TokenSuffix)
	n := 0
	for tok, err := range admin.Tokens.All(ctx, env.fake.ApplicationID, &bi.ListTokensOptions{PageSize: 1}) {
		require.NoError(t, err)
		assert.NotEmpty(t, tok.ID)
		n++
	}
	assert.Equal(t, page.TotalSize, n)

	require.NoError(t, admin.Tokens.Revoke(ctx, env.fake.ApplicationID, intro.Jti))
	intro, err = admin.Tokens.Introspect(ctx, victim)
	require.NoError(t, err)
	assert.False(t, intro.Active)
}

func TestProxyTokenErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	admin := c.InRealm(env.fake.AdminRealmID)
	const unknown = "00000000-0000-4000-8000-000000000000"

	t.Run("404", func(t *testing.T) {
		_, err := admin.Tokens.List(ctx, unknown, nil)
		requireAPIError(t, err, http.StatusNotFound)
		err = admin.Tokens.Revoke(ctx, env.fake.ApplicationID, "no-such-token")
		requireAPIError(t, err, http.StatusNotFound)
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		_, err := bad.InRealm(env.fake.AdminRealmID).Tokens.List(ctx, env.fake.ApplicationID, nil)
		requireAPIError(t, err, http.StatusUnauthorized)
		err = bad.InRealm(env.fake.AdminRealmID).Tokens.Revoke(ctx, env.fake.ApplicationID, "x")
		requireAPIError(t, err, http.StatusUnauthorized)
	})
}
