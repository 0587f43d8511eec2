package contract

import (
	"net/http"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProxyAuthenticatorConfigs(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()

	settings := []bi.AuthenticatorSettings{
		&bi.EmbeddedSettings{
			InvokeURL: "https://app.example", InvocationType: bi.InvocationTypeManual,
			TrustedOrigins:        []string{"https://app.example", "http://localhost:3000"},
			AuthenticationMethods: []bi.AuthenticationMethod{{Type: bi.AuthenticationMethodWebAuthnPasskey}, {Type: bi.AuthenticationMethodEmailOneTimePassword}},
		},
		&bi.HostedWebSettings{
			TrustedOrigins:        []string{"https://login.example"},
			AuthenticationMethods: []bi.AuthenticationMethod{{Type: bi.AuthenticationMethodSoftwarePasskey}},
		},
		&bi.ConsoleSettings{OnboardingConfiguration: bi.ConsoleOnboardingConfiguration{
			VerificationMethod: bi.ConsoleVerificationMethod{Type: bi.ConsoleVerificationNone}}},
		&bi.ConsoleSettings{OnboardingConfiguration: bi.ConsoleOnboardingConfiguration{
			VerificationMethod: bi.ConsoleVerificationMethod{Type: bi.ConsoleVerificationIDP, IDPID: "4c5e7f0a-7c1f-4a4e-9f5e-2d3b1c0a9e8d"}}},
		&bi.PlatformSettings{TrustedOrigins: []string{"https://app.example"}},
		&bi.PlatformSettings{RoamingAuthConfig: &bi.RoamingAuthConfig{
			Enabled: true, AllowUnknownUser: true, AllowedSourceIPs: []string{"10.0.0.0/8"}}},
	}
	var ids []string
	for _, s := range settings {
		cfg, err := c.AuthenticatorConfigs.Create(ctx, &bi.CreateAuthenticatorConfigRequest{DisplayName: unique("cfg"), Config: s})
		require.NoError(t, err, "%T", s)
		require.NotEmpty(t, cfg.ID)
		assert.Equal(t, s.AuthenticatorType(), cfg.Config.AuthenticatorType())
		got, err := c.AuthenticatorConfigs.Get(ctx, cfg.ID)
		require.NoError(t, err)
		assert.Equal(t, cfg.Config, got.Config, "%T", s)
		ids = append(ids, cfg.ID)
	}
	roaming := ids[len(ids)-1]
	got, err := c.AuthenticatorConfigs.Get(ctx, roaming)
	require.NoError(t, err)
	if p, ok := got.Config.(*bi.PlatformSettings); assert.True(t, ok) && assert.NotNil(t, p.RoamingAuthConfig) {
		assert.True(t, p.RoamingAuthConfig.AllowUnknownUser)
	}

	page, err := c.AuthenticatorConfigs.List(ctx, &bi.ListAuthenticatorConfigsOptions{PageSize: 2})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	assert.GreaterOrEqual(t, page.TotalSize, len(ids)+1)
	n := 0
	for cfg, err := range c.AuthenticatorConfigs.All(ctx, &bi.ListAuthenticatorConfigsOptions{PageSize: 3}) {
		require.NoError(t, err)
		assert.NotNil(t, cfg.Config)
		n++
	}
	assert.Equal(t, page.TotalSize, n)

	upd, err := c.AuthenticatorConfigs.Update(ctx, ids[0], &bi.UpdateAuthenticatorConfigRequest{
		DisplayName: bi.Ptr("Renamed"),
		Config:      &bi.EmbeddedSettings{InvokeURL: "https://app2.example"},
	})
	require.NoError(t, err)
	assert.Equal(t, "Renamed", upd.DisplayName)
	if e, ok := upd.Config.(*bi.EmbeddedSettings); assert.True(t, ok) {
		assert.Equal(t, "https://app2.example", e.InvokeURL)
		assert.Len(t, e.TrustedOrigins, 2, "a PATCH keeps what it does not send")
	}
	upd, err = c.AuthenticatorConfigs.Update(ctx, roaming, &bi.UpdateAuthenticatorConfigRequest{
		Config: &bi.PlatformSettings{RoamingAuthConfig: &bi.RoamingAuthConfig{Enabled: false, AllowUnknownUser: true}},
	})
	require.NoError(t, err)
	if p, ok := upd.Config.(*bi.PlatformSettings); assert.True(t, ok) && assert.NotNil(t, p.RoamingAuthConfig) {
		assert.False(t, p.RoamingAuthConfig.Enabled)
	}

	for _, id := range ids {
		require.NoError(t, c.AuthenticatorConfigs.Delete(ctx, id))
	}
	_, err = c.AuthenticatorConfigs.Get(ctx, ids[0])
	assert.ErrorIs(t, err, bi.ErrNotFound)
}

func TestProxyAuthenticatorConfigErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	const unknown = "00000000-0000-4000-8000-000000000000"

	t.Run("404", func(t *testing.T) {
		_, err := c.AuthenticatorConfigs.Get(ctx, unknown)
		requireAPIError(t, err, http.StatusNotFound)
		_, err = c.AuthenticatorConfigs.Update(ctx, unknown, &bi.UpdateAuthenticatorConfigRequest{DisplayName: bi.Ptr("X")})
		requireAPIError(t, err, http.StatusNotFound)
		err = c.AuthenticatorConfigs.Delete(ctx, unknown)
		requireAPIError(t, err, http.StatusNotFound)
	})
	t.Run("400 trusted origin that is not an origin", func(t *testing.T) {
		_, err := c.AuthenticatorConfigs.Create(ctx, &bi.CreateAuthenticatorConfigRequest{
			DisplayName: "Bad", Config: &bi.EmbeddedSettings{InvokeURL: "https://app.example",
				TrustedOrigins: []string{"https://app.example/with/a/path"}}})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "authenticator_config.config.trusted_origins[0]", fieldOf(ae))
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		_, err := bad.AuthenticatorConfigs.Get(ctx, env.fake.AuthenticatorConfigID)
		requireAPIError(t, err, http.StatusUnauthorized)
		_, err = bad.AuthenticatorConfigs.List(ctx, nil)
		requireAPIError(t, err, http.StatusUnauthorized)
		_, err = bad.AuthenticatorConfigs.Create(ctx, &bi.CreateAuthenticatorConfigRequest{DisplayName: "X",
			Config: &bi.PlatformSettings{}})
		requireAPIError(t, err, http.StatusUnauthorized)
		_, err = bad.AuthenticatorConfigs.Update(ctx, env.fake.AuthenticatorConfigID, &bi.UpdateAuthenticatorConfigRequest{DisplayName: bi.Ptr("X")})
		requireAPIError(t, err, http.StatusUnauthorized)
		err = bad.AuthenticatorConfigs.Delete(ctx, env.fake.AuthenticatorConfigID)
		requireAPIError(t, err, http.StatusUnauthorized)
	})
}
