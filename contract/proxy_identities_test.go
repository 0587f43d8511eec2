package contract

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireAPIError asserts that err is an *APIError with the status and
// returns it.
func requireAPIError(t *testing.T, err error, status int) *bi.APIError {
	t.Helper()
	var ae *bi.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, status, ae.StatusCode, "%v", err)
	assert.NotEmpty(t, ae.Code)
	assert.NotEmpty(t, ae.Message)
	return ae
}

// newIdentity creates an identity with a fresh username (and an email
// address unless noEmail).
func newIdentity(t *testing.T, c *bi.Client, noEmail bool) *bi.Identity {
	t.Helper()
	u := unique("user")
	tr := bi.Traits{Username: u}
	if !noEmail {
		tr.PrimaryEmailAddress = u + "@example.com"
	}
	id, err := c.Identities.Create(t.Context(), &bi.CreateIdentityRequest{DisplayName: "User " + u, Traits: tr})
	require.NoError(t, err)
	return id
}

func TestProxyIdentities(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	username := unique("ada")

	created, err := c.Identities.Create(ctx, &bi.CreateIdentityRequest{
		DisplayName: "Ada Lovelace",
		Status:      bi.IdentityStatusActive,
		Traits: bi.Traits{
			Username: username, PrimaryEmailAddress: username + "@example.com",
			GivenName: "Ada", FamilyName: "Lovelace", ExternalID: "ext-1", Locale: "en-GB",
			Extra: map[string]json.RawMessage{"custom_trait": json.RawMessage(`"kept"`)},
		},
	})
	require.NoError(t, err)
	assert.NotEmpty(t, created.ID)
	assert.Equal(t, env.fake.RealmID, created.RealmID)
	assert.Equal(t, env.fake.TenantID, created.TenantID)
	assert.Equal(t, username, created.Traits.Username)
	assert.False(t, created.CreateTime.IsZero())

	got, err := c.Identities.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created.ID, got.ID)
	assert.Equal(t, "Lovelace", got.Traits.FamilyName)

	found, err := c.Identities.FindByUsername(ctx, strings.ToUpper(username))
	require.NoError(t, err)
	assert.Equal(t, created.ID, found.ID)

	upd, err := c.Identities.Update(ctx, created.ID, &bi.UpdateIdentityRequest{
		DisplayName: bi.Ptr("Ada King"),
		Status:      bi.Ptr(bi.IdentityStatusSuspended),
		Traits:      &bi.TraitsUpdate{GivenName: bi.Ptr("Augusta Ada")},
	})
	require.NoError(t, err)
	assert.Equal(t, "Ada King", upd.DisplayName)
	assert.Equal(t, bi.IdentityStatusSuspended, upd.Status)
	assert.Equal(t, "Augusta Ada", upd.Traits.GivenName)
	assert.Equal(t, "Lovelace", upd.Traits.FamilyName, "a PATCH keeps the traits it does not name")

	// Pages of one, followed through their tokens.
	for range 2 {
		newIdentity(t, c, false)
	}
	page, err := c.Identities.List(ctx, &bi.ListOptions{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.GreaterOrEqual(t, page.TotalSize, 3)
	assert.NotEmpty(t, page.NextPageToken)
	n := 0
	for id, err := range c.Identities.All(ctx, &bi.ListOptions{PageSize: 2, Skip: 1}) {
		require.NoError(t, err)
		assert.NotEmpty(t, id.ID)
		n++
	}
	assert.Equal(t, page.TotalSize-1, n)

	require.NoError(t, c.Identities.Delete(ctx, created.ID))
	_, err = c.Identities.Get(ctx, created.ID)
	assert.ErrorIs(t, err, bi.ErrNotFound)

	a, b := newIdentity(t, c, false), newIdentity(t, c, true)
	require.NoError(t, c.Identities.BatchDelete(ctx, []string{a.ID, b.ID}))
	_, err = c.Identities.Get(ctx, a.ID)
	assert.ErrorIs(t, err, bi.ErrNotFound)
}

func TestProxyIdentityErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	first := newIdentity(t, c, false)
	second := newIdentity(t, c, false)

	t.Run("409 username taken on create", func(t *testing.T) {
		_, err := c.Identities.Create(ctx, &bi.CreateIdentityRequest{DisplayName: "Again",
			Traits: bi.Traits{Username: strings.ToUpper(first.Traits.Username)}})
		requireAPIError(t, err, http.StatusConflict)
		assert.ErrorIs(t, err, bi.ErrConflict)
	})
	t.Run("409 username taken on update", func(t *testing.T) {
		_, err := c.Identities.Update(ctx, second.ID, &bi.UpdateIdentityRequest{
			Traits: &bi.TraitsUpdate{Username: bi.Ptr(first.Traits.Username)}})
		requireAPIError(t, err, http.StatusConflict)
	})
	t.Run("404", func(t *testing.T) {
		_, err := c.Identities.Get(ctx, "0000000000000000")
		ae := requireAPIError(t, err, http.StatusNotFound)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "Identity", ri.ResourceType)
		}
		_, err = c.Identities.Update(ctx, "0000000000000000", &bi.UpdateIdentityRequest{DisplayName: bi.Ptr("X")})
		requireAPIError(t, err, http.StatusNotFound)
		err = c.Identities.Delete(ctx, "0000000000000000")
		requireAPIError(t, err, http.StatusNotFound)
		_, err = c.Identities.FindByUsername(ctx, unique("nobody"))
		assert.ErrorIs(t, err, bi.ErrNotFound)
	})
	t.Run("404 batch delete of an unknown ID", func(t *testing.T) {
		err := c.Identities.BatchDelete(ctx, []string{first.ID, "0000000000000000"})
		ae := requireAPIError(t, err, http.StatusNotFound)
		if assert.NotEmpty(t, ae.Details) {
			assert.Equal(t, bi.DetailTypeBatchOperationErrors, ae.Details[0].Type)
			if assert.NotEmpty(t, ae.Details[0].BatchErrors) {
				assert.Contains(t, ae.Details[0].BatchErrors[0].IDs, "0000000000000000")
			}
		}
		_, err = c.Identities.Get(ctx, first.ID)
		assert.NoError(t, err, "all or nothing: the known identity is still there")
	})
	t.Run("400 unknown status", func(t *testing.T) {
		// The spec types status as a string; the values are a server rule.
		_, err := c.Identities.Create(ctx, &bi.CreateIdentityRequest{DisplayName: "Odd",
			Status: "disabled", Traits: bi.Traits{Username: unique("odd")}})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "identity.status", fieldOf(ae))
	})
	t.Run("400 unknown status on update", func(t *testing.T) {
		_, err := c.Identities.Update(ctx, second.ID, &bi.UpdateIdentityRequest{Status: bi.Ptr(bi.IdentityStatus("disabled"))})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "identity.status", fieldOf(ae))
	})
	t.Run("400 unsupported filter", func(t *testing.T) {
		_, err := c.Identities.List(ctx, &bi.ListOptions{Filter: `display_name eq "x"`})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "filter", fieldOf(ae))
	})
	t.Run("400 missing username", func(t *testing.T) {
		// The SDK refuses this before sending; the spec does not require the
		// trait, the server does.
		_, err := c.Identities.Create(ctx, &bi.CreateIdentityRequest{DisplayName: "No name"})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPost, "/identities", map[string]any{
			"identity": map[string]any{"display_name": "No name", "traits": map[string]any{"type": "traits_v0"}},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "identity.traits.username", fieldOf(ae))
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		_, err := bad.Identities.Get(ctx, first.ID)
		requireAPIError(t, err, http.StatusUnauthorized)
		assert.ErrorIs(t, err, bi.ErrUnauthorized)
		_, err = bad.Identities.Create(ctx, &bi.CreateIdentityRequest{DisplayName: "X", Traits: bi.Traits{Username: unique("x")}})
		requireAPIError(t, err, http.StatusUnauthorized)
		_, err = bad.Identities.List(ctx, nil)
		requireAPIError(t, err, http.StatusUnauthorized)
		_, err = bad.Identities.Update(ctx, first.ID, &bi.UpdateIdentityRequest{DisplayName: bi.Ptr("X")})
		requireAPIError(t, err, http.StatusUnauthorized)
		err = bad.Identities.Delete(ctx, first.ID)
		requireAPIError(t, err, http.StatusUnauthorized)
		err = bad.Identities.BatchDelete(ctx, []string{first.ID})
		requireAPIError(t, err, http.StatusUnauthorized)
	})
}

// fieldOf returns the field of the first field violation of ae.
func fieldOf(ae *bi.APIError) string {
	if fv := ae.FieldViolations(); len(fv) > 0 {
		return fv[0].Field
	}
	return ""
}
