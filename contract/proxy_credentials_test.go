package contract

import (
	"crypto/ecdsa"
	"net/http"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// boundIdentity returns an identity with n passkeys bound through RETURN
// jobs, and the credential IDs.
func boundIdentity(t *testing.T, c *bi.Client, n int) (*bi.Identity, []string) {
	t.Helper()
	id := newIdentity(t, c, false)
	var creds []string
	for range n {
		ret, err := c.BindingJobs.CreateReturnLink(t.Context(), id.ID, env.fake.AuthenticatorConfigID, nil)
		require.NoError(t, err)
		creds = append(creds, completeBinding(t, ret.Link.Reveal()))
	}
	return id, creds
}

func TestProxyCredentials(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	id, creds := boundIdentity(t, c, 2)

	cred, err := c.Credentials.Get(ctx, id.ID, creds[0])
	require.NoError(t, err)
	assert.Equal(t, creds[0], cred.ID)
	assert.Equal(t, id.ID, cred.IdentityID)
	assert.Equal(t, bi.CredentialStateActive, cred.State)
	assert.NotEmpty(t, cred.CSRType)
	assert.False(t, cred.CreateTime.IsZero())
	key, err := cred.PublicKey()
	require.NoError(t, err, "jwk_json is a JSON string holding a JWK")
	assert.IsType(t, &ecdsa.PublicKey{}, key)
	assert.NoError(t, cred.VerifyThumbprint())

	page, err := c.Credentials.List(ctx, id.ID, &bi.PageOptions{PageSize: 1})
	require.NoError(t, err)
	assert.Len(t, page.Items, 1)
	assert.Equal(t, 2, page.TotalSize)
	var ids []string
	for cr, err := range c.Credentials.All(ctx, id.ID, &bi.PageOptions{PageSize: 1}) {
		require.NoError(t, err)
		ids = append(ids, cr.ID)
	}
	assert.ElementsMatch(t, creds, ids)
	realm, err := c.Credentials.List(ctx, bi.AllIdentities, &bi.PageOptions{PageSize: 200})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, realm.TotalSize, 2)

	revoked, err := c.Credentials.Revoke(ctx, id.ID, creds[1])
	require.NoError(t, err)
	assert.Equal(t, bi.CredentialStateRevoked, revoked.State)
	again, err := c.Credentials.Revoke(ctx, id.ID, creds[1])
	require.NoError(t, err, "revoking twice is harmless")
	assert.Equal(t, bi.CredentialStateRevoked, again.State)
}

func TestProxyCredentialErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	id, creds := boundIdentity(t, c, 1)
	const unknown = "0000000000000000"

	t.Run("404", func(t *testing.T) {
		_, err := c.Credentials.Get(ctx, id.ID, unknown)
		ae := requireAPIError(t, err, http.StatusNotFound)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "Credential", ri.ResourceType)
		}
		_, err = c.Credentials.Revoke(ctx, id.ID, unknown)
		requireAPIError(t, err, http.StatusNotFound)
		_, err = c.Credentials.Get(ctx, unknown, creds[0])
		requireAPIError(t, err, http.StatusNotFound)
	})
	t.Run("400 invalid page token", func(t *testing.T) {
		_, err := c.Credentials.List(ctx, id.ID, &bi.PageOptions{PageToken: "not-a-page-token"})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "page_token", fieldOf(ae))
	})
	t.Run("400 skip changed between pages", func(t *testing.T) {
		// The API keeps page size and filter in the page token but not skip,
		// which must be sent again unchanged; the SDK's iterators do.
		_, more := boundIdentity(t, c, 3)
		_ = more
		first, err := c.Credentials.List(ctx, bi.AllIdentities, &bi.PageOptions{PageSize: 1, Skip: 1})
		require.NoError(t, err)
		require.NotEmpty(t, first.NextPageToken)
		_, err = c.Credentials.List(ctx, bi.AllIdentities, &bi.PageOptions{PageToken: first.NextPageToken, Skip: 2})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "skip", fieldOf(ae))
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		_, err := bad.Credentials.Get(ctx, id.ID, creds[0])
		requireAPIError(t, err, http.StatusUnauthorized)
		_, err = bad.Credentials.List(ctx, id.ID, nil)
		requireAPIError(t, err, http.StatusUnauthorized)
		_, err = bad.Credentials.Revoke(ctx, id.ID, creds[0])
		requireAPIError(t, err, http.StatusUnauthorized)
	})
}
