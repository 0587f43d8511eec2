package beyondidentitytest_test

// The SDK's theme and launch-mechanism services against the fake.

import (
	"testing"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSDKThemes(t *testing.T) {
	t.Parallel()
	srv := newServer(t, beyondidentitytest.WithInMemory())
	c := newClient(t, srv)
	ctx := t.Context()

	def, err := c.Themes.GetActive(ctx)
	require.NoError(t, err)
	assert.Empty(t, def.ID, "before a create, the active theme is the API's default")
	th, err := c.Themes.Create(ctx, &beyondidentity.CreateThemeRequest{EmailRealmName: "Acme", SupportURL: "https://help.example/"})
	require.NoError(t, err)
	_, err = c.Themes.Create(ctx, &beyondidentity.CreateThemeRequest{EmailRealmName: "Again"})
	assert.ErrorIs(t, err, beyondidentity.ErrConflict, "a realm has one theme")
	th, err = c.Themes.Update(ctx, th.ID, &beyondidentity.UpdateThemeRequest{ButtonColor: beyondidentity.Ptr("#000000")})
	require.NoError(t, err)
	assert.Equal(t, "Acme", th.EmailRealmName, "an update leaves what it does not set")
	active, err := c.Themes.GetActive(ctx)
	require.NoError(t, err)
	assert.Equal(t, th.ID, active.ID)
	assert.Equal(t, "#000000", active.ButtonColor)
	_, err = c.Themes.Get(ctx, "00000000-0000-0000-0000-000000000000")
	assert.ErrorIs(t, err, beyondidentity.ErrNotFound)
}

func TestSDKFlowTypeConfig(t *testing.T) {
	t.Parallel()
	srv := newServer(t, beyondidentitytest.WithInMemory())
	c := newClient(t, srv)
	ctx := t.Context()
	before, err := c.FlowTypeConfig.Get(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, before.Platforms[beyondidentity.PlatformWeb])
	after, err := c.FlowTypeConfig.Update(ctx, &beyondidentity.UpdateFlowTypeConfigRequest{
		Platforms: map[beyondidentity.Platform]map[beyondidentity.FlowType]beyondidentity.FlowTypeUpdate{
			beyondidentity.PlatformWeb: {beyondidentity.FlowTypeEmbedded: {Enabled: beyondidentity.Ptr(false)}},
		}})
	require.NoError(t, err)
	assert.False(t, after.Platforms[beyondidentity.PlatformWeb][beyondidentity.FlowTypeEmbedded].Enabled)
	// Everything else is unchanged.
	for p, types := range before.Platforms {
		for ft, s := range types {
			if p == beyondidentity.PlatformWeb && ft == beyondidentity.FlowTypeEmbedded {
				continue
			}
			assert.Equal(t, s, after.Platforms[p][ft], "%s %s", p, ft)
		}
	}
}
