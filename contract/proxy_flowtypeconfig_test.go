package contract

import (
	"net/http"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The platforms and flow types the spec lists (PlatformFlowTypeConfig and
// FlowTypeSet require each of them in a configuration).
var (
	specPlatforms = []bi.Platform{bi.PlatformAndroid, bi.PlatformMacOS, bi.PlatformIOS, bi.PlatformWindows,
		bi.PlatformWeb, bi.PlatformLinux, bi.PlatformChromeOS, bi.PlatformChromeOSWeb}
	specFlowTypes = []bi.FlowType{bi.FlowTypeUnknown, bi.FlowTypeScheme, bi.FlowTypeEmbedded, bi.FlowTypeCopy,
		bi.FlowTypeRoamingAuth, bi.FlowTypeAndroidAutofill, bi.FlowTypeAndroidAccessibility, bi.FlowTypePipe,
		bi.FlowTypeLocalhost, bi.FlowTypeUniversalLink, bi.FlowTypeSafariExtension, bi.FlowTypeLayeredAuthQRCode,
		bi.FlowTypeSecureLocalhost}
)

// requireComplete checks that cfg has a setting for every flow type of
// every platform of the spec.
func requireComplete(t *testing.T, cfg *bi.FlowTypeConfig) {
	t.Helper()
	require.Len(t, cfg.Platforms, len(specPlatforms))
	for _, p := range specPlatforms {
		require.Len(t, cfg.Platforms[p], len(specFlowTypes), "platform %s", p)
		for _, ft := range specFlowTypes {
			_, ok := cfg.Platforms[p][ft]
			require.True(t, ok, "platform %s has no %s", p, ft)
		}
	}
}

// withSetting returns a copy of the platforms of cfg with one setting
// replaced.
func withSetting(cfg *bi.FlowTypeConfig, p bi.Platform, ft bi.FlowType, s bi.FlowTypeSetting) map[bi.Platform]map[bi.FlowType]bi.FlowTypeSetting {
	out := make(map[bi.Platform]map[bi.FlowType]bi.FlowTypeSetting, len(cfg.Platforms))
	for plat, set := range cfg.Platforms {
		cp := make(map[bi.FlowType]bi.FlowTypeSetting, len(set))
		for k, v := range set {
			cp[k] = v
		}
		out[plat] = cp
	}
	out[p][ft] = s
	return out
}

func TestProxyFlowTypeConfig(t *testing.T) {
	base, _ := proxyClient(t)
	ctx := t.Context()
	realm := newRealm(t, base)
	c := base.InRealm(realm.ID)

	// The first read creates the realm's default configuration; later ones
	// find the same.
	cfg, err := c.FlowTypeConfig.Get(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, cfg.ID)
	assert.Equal(t, env.fake.TenantID, cfg.TenantID)
	assert.Equal(t, realm.ID, cfg.RealmID)
	assert.False(t, cfg.CreateTime.IsZero())
	assert.False(t, cfg.UpdateTime.IsZero())
	requireComplete(t, cfg)
	again, err := c.FlowTypeConfig.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, cfg, again)

	// One flow type of one platform changes; every other setting stays.
	before := cfg.Platforms[bi.PlatformIOS][bi.FlowTypeUniversalLink]
	upd, err := c.FlowTypeConfig.Update(ctx, &bi.UpdateFlowTypeConfigRequest{
		Platforms: map[bi.Platform]map[bi.FlowType]bi.FlowTypeUpdate{
			bi.PlatformIOS: {bi.FlowTypeUniversalLink: {Enabled: bi.Ptr(!before.Enabled)}},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, cfg.ID, upd.ID)
	assert.Equal(t, realm.ID, upd.RealmID)
	assert.True(t, upd.CreateTime.Equal(cfg.CreateTime))
	assert.False(t, upd.UpdateTime.Before(cfg.UpdateTime))
	requireComplete(t, upd)
	assert.Equal(t, bi.FlowTypeSetting{Enabled: !before.Enabled, Valid: before.Valid},
		upd.Platforms[bi.PlatformIOS][bi.FlowTypeUniversalLink], "enabled changed, valid kept")
	assert.Equal(t, withSetting(cfg, bi.PlatformIOS, bi.FlowTypeUniversalLink,
		bi.FlowTypeSetting{Enabled: !before.Enabled, Valid: before.Valid}), upd.Platforms,
		"only ios.universal_link changed")
	got, err := c.FlowTypeConfig.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, upd, got)

	// Valid alone, on another platform: enabled stays, and so does the
	// earlier change.
	prev := upd
	was := prev.Platforms[bi.PlatformAndroid][bi.FlowTypeAndroidAutofill]
	upd, err = c.FlowTypeConfig.Update(ctx, &bi.UpdateFlowTypeConfigRequest{
		Platforms: map[bi.Platform]map[bi.FlowType]bi.FlowTypeUpdate{
			bi.PlatformAndroid: {bi.FlowTypeAndroidAutofill: {Valid: bi.Ptr(!was.Valid)}},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, withSetting(prev, bi.PlatformAndroid, bi.FlowTypeAndroidAutofill,
		bi.FlowTypeSetting{Enabled: was.Enabled, Valid: !was.Valid}), upd.Platforms,
		"only android.android_autofill changed")

	// An update in a realm that has no configuration yet makes the default
	// one first ("this will also create a default configuration if one does
	// not exist").
	other := base.InRealm(newRealm(t, base).ID)
	first, err := other.FlowTypeConfig.Update(ctx, &bi.UpdateFlowTypeConfigRequest{
		Platforms: map[bi.Platform]map[bi.FlowType]bi.FlowTypeUpdate{
			bi.PlatformWeb: {bi.FlowTypeCopy: {Enabled: bi.Ptr(false), Valid: bi.Ptr(false)}},
		},
	})
	require.NoError(t, err)
	assert.NotEmpty(t, first.ID)
	assert.NotEqual(t, cfg.ID, first.ID)
	requireComplete(t, first)
	assert.Equal(t, bi.FlowTypeSetting{}, first.Platforms[bi.PlatformWeb][bi.FlowTypeCopy])
	assert.Equal(t, withSetting(cfg, bi.PlatformWeb, bi.FlowTypeCopy, bi.FlowTypeSetting{}), first.Platforms,
		"the default configuration with web.copy changed")
}

func TestProxyFlowTypeConfigErrors(t *testing.T) {
	base, _ := proxyClient(t)
	ctx := t.Context()
	realm := newRealm(t, base)
	c := base.InRealm(realm.ID)
	cfg, err := c.FlowTypeConfig.Get(ctx)
	require.NoError(t, err)
	change := func(p bi.Platform, ft bi.FlowType) *bi.UpdateFlowTypeConfigRequest {
		return &bi.UpdateFlowTypeConfigRequest{Platforms: map[bi.Platform]map[bi.FlowType]bi.FlowTypeUpdate{
			p: {ft: {Enabled: bi.Ptr(true)}},
		}}
	}
	unchanged := func(t *testing.T) {
		t.Helper()
		got, err := c.FlowTypeConfig.Get(ctx)
		require.NoError(t, err)
		assert.Equal(t, cfg, got, "a refused PATCH changes nothing")
	}

	t.Run("400 unknown platform", func(t *testing.T) {
		// Platforms are an open set in the SDK; the spec's body allows
		// other members, the server refuses them.
		_, err := c.FlowTypeConfig.Update(ctx, change("playstation", bi.FlowTypeScheme))
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.ErrorIs(t, err, bi.ErrInvalidArgument)
		assert.Equal(t, "playstation", fieldOf(ae))
		unchanged(t)
	})
	t.Run("400 unknown flow type", func(t *testing.T) {
		_, err := c.FlowTypeConfig.Update(ctx, change(bi.PlatformIOS, "teleport"))
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "ios.teleport", fieldOf(ae))
		unchanged(t)
	})
	t.Run("400 body in an envelope", func(t *testing.T) {
		// The platforms are the body itself. The SDK cannot send them in a
		// platform_config member (as the answer holds them); the spec's
		// body allows other members, the server refuses them.
		_, hc := newChecker(t, modeProxy)
		status, ae := rawTenant(t, hc, http.MethodPatch, "/realms/"+realm.ID+"/flow-type-config", map[string]any{
			"platform_config": map[string]any{"ios": map[string]any{"universal_link": map[string]any{"enabled": false}}},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "platform_config", fieldOf(ae))
		unchanged(t)
	})
	t.Run("404 realm", func(t *testing.T) {
		nowhere := base.InRealm(unknownID)
		for _, err := range flowTypeConfigCalls(t, nowhere) {
			ae := requireAPIError(t, err, http.StatusNotFound)
			assert.ErrorIs(t, err, bi.ErrNotFound)
			if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
				assert.Equal(t, "Realm", ri.ResourceType)
				assert.Equal(t, unknownID, ri.ResourceID)
			}
		}
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		for _, err := range flowTypeConfigCalls(t, bad.InRealm(realm.ID)) {
			requireAPIError(t, err, http.StatusUnauthorized)
			assert.ErrorIs(t, err, bi.ErrUnauthorized)
		}
	})
	t.Run("403 scope missing", func(t *testing.T) {
		narrow := proxyClientScopes(t, narrowScope)
		for _, err := range flowTypeConfigCalls(t, narrow.InRealm(realm.ID)) {
			requireAPIError(t, err, http.StatusForbidden)
			assert.ErrorIs(t, err, bi.ErrForbidden)
		}
		// Reading alone is not enough to update.
		reader := proxyClientScopes(t, "tenants:read", "realms:read", "flow-type:read", "flow-type:create")
		_, err := reader.InRealm(realm.ID).FlowTypeConfig.Get(ctx)
		require.NoError(t, err)
		_, err = reader.InRealm(realm.ID).FlowTypeConfig.Update(ctx, change(bi.PlatformIOS, bi.FlowTypeScheme))
		requireAPIError(t, err, http.StatusForbidden)
		unchanged(t)
	})
}

// flowTypeConfigCalls calls each flow type configuration operation once and
// returns their errors in the order GetFlowTypeConfig, UpdateFlowTypeConfig.
func flowTypeConfigCalls(t *testing.T, c *bi.Client) []error {
	t.Helper()
	ctx := t.Context()
	var errs []error
	add := func(_ any, err error) { errs = append(errs, err) }
	add(c.FlowTypeConfig.Get(ctx))
	add(c.FlowTypeConfig.Update(ctx, &bi.UpdateFlowTypeConfigRequest{Platforms: map[bi.Platform]map[bi.FlowType]bi.FlowTypeUpdate{
		bi.PlatformIOS: {bi.FlowTypeScheme: {Enabled: bi.Ptr(false)}},
	}}))
	require.Len(t, errs, 2)
	return errs
}
