package contract

import (
	"context"
	"net/http"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unknownThemeID names no theme of the fake.
const unknownThemeID = "00000000-0000-4000-8000-0000000000e0"

// newRealm creates a realm with a fresh name, deleted when t ends. A
// realm has at most one theme and one flow type configuration, made on
// first use: the theme and launch-mechanism tests each work in realms of
// their own.
func newRealm(t *testing.T, c *bi.Client) *bi.Realm {
	t.Helper()
	r, err := c.Realms.Create(t.Context(), &bi.CreateRealmRequest{DisplayName: unique("Themed ")})
	require.NoError(t, err)
	t.Cleanup(func() {
		assert.NoError(t, c.Realms.Delete(context.Background(), r.ID), "deleting realm %s", r.ID)
	})
	return r
}

func TestProxyThemes(t *testing.T) {
	base, _ := proxyClient(t)
	ctx := t.Context()
	realm := newRealm(t, base)
	c := base.InRealm(realm.ID)

	// Before any create, the active theme is the default one ("If the realm
	// has not specified the active theme, a default theme will be
	// returned"): not a stored theme, so without an ID or timestamps.
	def, err := c.Themes.GetActive(ctx)
	require.NoError(t, err)
	assert.Empty(t, def.ID, "the default theme is not a stored theme")
	assert.Equal(t, env.fake.TenantID, def.TenantID)
	assert.Equal(t, realm.ID, def.RealmID)
	assert.True(t, def.CreateTime.IsZero())
	assert.NotEmpty(t, def.EmailRealmName)
	assert.NotEmpty(t, def.ButtonColor)
	assert.NotEmpty(t, def.ButtonTextColor)

	created, err := c.Themes.Create(ctx, &bi.CreateThemeRequest{
		EmailRealmName:  "Realm Administrators",
		LogoURLLight:    "https://example.com/logo_url_light.png",
		LogoURLDark:     "https://example.com/logo_url_dark.png",
		SupportURL:      "https://example.com/support",
		ButtonColor:     "#4673D3",
		ButtonTextColor: "#FFFFFF",
	})
	require.NoError(t, err)
	assert.NotEmpty(t, created.ID)
	assert.Equal(t, env.fake.TenantID, created.TenantID)
	assert.Equal(t, realm.ID, created.RealmID)
	assert.False(t, created.CreateTime.IsZero())
	assert.False(t, created.UpdateTime.IsZero())
	assert.Equal(t, "Realm Administrators", created.EmailRealmName)
	assert.Equal(t, "https://example.com/logo_url_light.png", created.LogoURLLight)
	assert.Equal(t, "https://example.com/logo_url_dark.png", created.LogoURLDark)
	assert.Equal(t, "https://example.com/support", created.SupportURL)
	assert.Equal(t, "#4673D3", created.ButtonColor)
	assert.Equal(t, "#FFFFFF", created.ButtonTextColor)

	// After it, the realm's one theme is the active one.
	active, err := c.Themes.GetActive(ctx)
	require.NoError(t, err)
	assert.Equal(t, created, active)
	got, err := c.Themes.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created, got)

	// A PATCH of one member leaves the others as they are.
	upd, err := c.Themes.Update(ctx, created.ID, &bi.UpdateThemeRequest{EmailRealmName: bi.Ptr("Pet Owners")})
	require.NoError(t, err)
	assert.Equal(t, "Pet Owners", upd.EmailRealmName)
	want := *created
	want.EmailRealmName, want.UpdateTime = upd.EmailRealmName, upd.UpdateTime
	assert.Equal(t, &want, upd, "only email_realm_name changed")
	assert.True(t, upd.CreateTime.Equal(created.CreateTime))
	assert.False(t, upd.UpdateTime.Before(created.UpdateTime))

	// Colors in their short form; a URL set to "" is cleared.
	upd, err = c.Themes.Update(ctx, created.ID, &bi.UpdateThemeRequest{
		ButtonColor: bi.Ptr("#000"), ButtonTextColor: bi.Ptr("#fffe"), LogoURLDark: bi.Ptr(""),
	})
	require.NoError(t, err)
	assert.Equal(t, "#000", upd.ButtonColor)
	assert.Equal(t, "#fffe", upd.ButtonTextColor)
	assert.Empty(t, upd.LogoURLDark)
	assert.Equal(t, "https://example.com/logo_url_light.png", upd.LogoURLLight)
	assert.Equal(t, "https://example.com/support", upd.SupportURL)
	assert.Equal(t, "Pet Owners", upd.EmailRealmName)

	// A PATCH with no member changes nothing.
	same, err := c.Themes.Update(ctx, created.ID, &bi.UpdateThemeRequest{})
	require.NoError(t, err)
	want = *upd
	want.UpdateTime = same.UpdateTime
	assert.Equal(t, &want, same)

	active, err = c.Themes.GetActive(ctx)
	require.NoError(t, err)
	assert.Equal(t, same, active)

	// Every member is optional on create: the server fills in its defaults.
	other := base.InRealm(newRealm(t, base).ID)
	plain, err := other.Themes.Create(ctx, &bi.CreateThemeRequest{})
	require.NoError(t, err)
	assert.NotEmpty(t, plain.ID)
	assert.NotEqual(t, created.ID, plain.ID)
	assert.NotEmpty(t, plain.EmailRealmName)
	assert.NotEmpty(t, plain.ButtonColor)
	assert.NotEmpty(t, plain.ButtonTextColor)
	active, err = other.Themes.GetActive(ctx)
	require.NoError(t, err)
	assert.Equal(t, plain, active)
}

func TestProxyThemeErrors(t *testing.T) {
	base, _ := proxyClient(t)
	ctx := t.Context()
	themed := newRealm(t, base)
	c := base.InRealm(themed.ID)
	theme, err := c.Themes.Create(ctx, &bi.CreateThemeRequest{EmailRealmName: "Pets", SupportURL: "https://pets.example/help"})
	require.NoError(t, err)
	bare := newRealm(t, base)
	noTheme := base.InRealm(bare.ID)
	themesOf := func(realmID string) string { return "/realms/" + realmID + "/themes" }

	t.Run("400 color that is not hexadecimal", func(t *testing.T) {
		// The SDK refuses this before sending; the spec's colors are plain
		// strings ("Hexadecimal color code"), the server refuses others.
		_, err := noTheme.Themes.Create(ctx, &bi.CreateThemeRequest{ButtonColor: "red"})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, err = c.Themes.Update(ctx, theme.ID, &bi.UpdateThemeRequest{ButtonTextColor: bi.Ptr("#12345")})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		status, ae := rawTenant(t, hc, http.MethodPost, themesOf(bare.ID), map[string]any{
			"theme": map[string]any{"button_color": "red"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "theme.button_color", fieldOf(ae))
		status, ae = rawTenant(t, hc, http.MethodPatch, themesOf(themed.ID)+"/"+theme.ID, map[string]any{
			"theme": map[string]any{"button_text_color": "#12345"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "theme.button_text_color", fieldOf(ae))
		active, err := noTheme.Themes.GetActive(ctx)
		require.NoError(t, err)
		assert.Empty(t, active.ID, "a refused create creates nothing")
	})
	t.Run("400 logo URL that is not absolute", func(t *testing.T) {
		// The SDK refuses this before sending; the spec's logo URLs are
		// plain strings, the server takes absolute URLs.
		_, err := c.Themes.Update(ctx, theme.ID, &bi.UpdateThemeRequest{LogoURLLight: bi.Ptr("logo.png")})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		status, ae := rawTenant(t, hc, http.MethodPatch, themesOf(themed.ID)+"/"+theme.ID, map[string]any{
			"theme": map[string]any{"email_realm_name": "Changed", "logo_url_light": "logo.png"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "theme.logo_url_light", fieldOf(ae))
		got, err := c.Themes.Get(ctx, theme.ID)
		require.NoError(t, err)
		assert.Equal(t, theme, got, "a refused PATCH changes nothing")
	})
	t.Run("400 unknown member", func(t *testing.T) {
		// The SDK sends only the members it knows; the spec's Theme schema
		// allows others, the server refuses them.
		_, hc := newChecker(t, modeProxy)
		status, ae := rawTenant(t, hc, http.MethodPatch, themesOf(themed.ID)+"/"+theme.ID, map[string]any{
			"theme": map[string]any{"nickname": "x"},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "theme.nickname", fieldOf(ae))
	})
	t.Run("404 theme", func(t *testing.T) {
		check := func(err error, id string) {
			t.Helper()
			ae := requireAPIError(t, err, http.StatusNotFound)
			assert.ErrorIs(t, err, bi.ErrNotFound)
			if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
				assert.Equal(t, "Theme", ri.ResourceType)
				assert.Equal(t, id, ri.ResourceID)
			}
		}
		_, err := c.Themes.Get(ctx, unknownThemeID)
		check(err, unknownThemeID)
		_, err = c.Themes.Update(ctx, unknownThemeID, &bi.UpdateThemeRequest{EmailRealmName: bi.Ptr("X")})
		check(err, unknownThemeID)
		// The theme of another realm.
		_, err = noTheme.Themes.Get(ctx, theme.ID)
		check(err, theme.ID)
		_, err = noTheme.Themes.Update(ctx, theme.ID, &bi.UpdateThemeRequest{EmailRealmName: bi.Ptr("X")})
		check(err, theme.ID)
	})
	t.Run("404 realm", func(t *testing.T) {
		nowhere := base.InRealm(unknownID)
		for _, err := range themeCalls(t, nowhere, unknownThemeID) {
			ae := requireAPIError(t, err, http.StatusNotFound)
			if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
				assert.Equal(t, "Realm", ri.ResourceType)
				assert.Equal(t, unknownID, ri.ResourceID)
			}
		}
	})
	t.Run("409 second theme", func(t *testing.T) {
		// "Currently, each realm only supports a single theme."
		_, err := c.Themes.Create(ctx, &bi.CreateThemeRequest{EmailRealmName: "Second"})
		ae := requireAPIError(t, err, http.StatusConflict)
		assert.ErrorIs(t, err, bi.ErrConflict)
		assert.Equal(t, "theme already exists for this realm", ae.Message)
		active, err := c.Themes.GetActive(ctx)
		require.NoError(t, err)
		assert.Equal(t, theme.ID, active.ID, "the first theme stays the active one")
		assert.Equal(t, "Pets", active.EmailRealmName)
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		for _, err := range themeCalls(t, bad.InRealm(themed.ID), theme.ID) {
			requireAPIError(t, err, http.StatusUnauthorized)
			assert.ErrorIs(t, err, bi.ErrUnauthorized)
		}
	})
	t.Run("403 scope missing", func(t *testing.T) {
		narrow := proxyClientScopes(t, narrowScope)
		for _, err := range themeCalls(t, narrow.InRealm(themed.ID), theme.ID) {
			requireAPIError(t, err, http.StatusForbidden)
			assert.ErrorIs(t, err, bi.ErrForbidden)
		}
	})
}

// themeCalls calls each theme operation once and returns their errors in
// the order CreateTheme, GetActiveTheme, GetTheme, UpdateTheme.
func themeCalls(t *testing.T, c *bi.Client, themeID string) []error {
	t.Helper()
	ctx := t.Context()
	var errs []error
	add := func(_ any, err error) { errs = append(errs, err) }
	add(c.Themes.Create(ctx, &bi.CreateThemeRequest{EmailRealmName: "X"}))
	add(c.Themes.GetActive(ctx))
	add(c.Themes.Get(ctx, themeID))
	add(c.Themes.Update(ctx, themeID, &bi.UpdateThemeRequest{EmailRealmName: bi.Ptr("X")}))
	require.Len(t, errs, 4)
	return errs
}
