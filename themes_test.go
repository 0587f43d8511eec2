package beyondidentity

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const themeJSON = `{"id":"88ef08fb-c3f9-44e2-b174-fbb239e1dc47","tenant_id":"` + testTenant + `","realm_id":"` + testRealm + `",
	"create_time":"2022-07-28T18:00:00.000Z","update_time":"2022-07-30T16:00:00.000Z","email_realm_name":"Pets",
	"logo_url_light":"https://example.com/light.png","logo_url_dark":"https://example.com/dark.png",
	"support_url":"https://example.com/support","button_color":"#4673D3","button_text_color":"#FFFFFF"}`

func TestThemesRequestShapes(t *testing.T) {
	c := newGockClient(t)
	p := testRealmPath + "/themes"
	apiMock(http.MethodPost, p).AddMatcher(matchJSONBody(t, `{"theme":{"email_realm_name":"Pets","button_color":"#4673D3"}}`)).Reply(200).BodyString(themeJSON)
	apiMock(http.MethodGet, p+"/active").AddMatcher(matchNoBody).Reply(200).BodyString(themeJSON)
	apiMock(http.MethodGet, p+"/88ef08fb-c3f9-44e2-b174-fbb239e1dc47").Reply(200).BodyString(themeJSON)
	apiMock(http.MethodPatch, p+"/88ef08fb-c3f9-44e2-b174-fbb239e1dc47").
		AddMatcher(matchJSONBody(t, `{"theme":{"support_url":"https://help.example/","button_text_color":"#000"}}`)).Reply(200).BodyString(themeJSON)
	ctx := context.Background()
	th, err := c.Themes.Create(ctx, &CreateThemeRequest{EmailRealmName: "Pets", ButtonColor: "#4673D3"})
	require.NoError(t, err)
	assert.Equal(t, "#FFFFFF", th.ButtonTextColor)
	active, err := c.Themes.GetActive(ctx)
	require.NoError(t, err)
	assert.Equal(t, th.ID, active.ID)
	_, err = c.Themes.Get(ctx, th.ID)
	require.NoError(t, err)
	_, err = c.Themes.Update(ctx, th.ID, &UpdateThemeRequest{SupportURL: Ptr("https://help.example/"), ButtonTextColor: Ptr("#000")})
	require.NoError(t, err)
}

func TestFlowTypeConfigRequestShapes(t *testing.T) {
	c := newGockClient(t)
	p := testRealmPath + "/flow-type-config"
	const answer = `{"id":"ftc1","tenant_id":"` + testTenant + `","realm_id":"` + testRealm + `","create_time":"2025-01-01T00:00:00Z","update_time":"2025-01-02T00:00:00Z",
		"platform_config":{"ios":{"universal_link":{"enabled":true,"valid":true},"scheme":{"enabled":false,"valid":true}},"visionos":{"future_flow":{"enabled":true,"valid":false}}}}`
	apiMock(http.MethodGet, p).AddMatcher(matchNoBody).Reply(200).BodyString(answer)
	apiMock(http.MethodPatch, p).AddMatcher(matchJSONBody(t, `{"ios":{"scheme":{"enabled":true}}}`)).Reply(200).BodyString(answer)
	ctx := context.Background()
	cfg, err := c.FlowTypeConfig.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, FlowTypeSetting{Enabled: true, Valid: true}, cfg.Platforms[PlatformIOS][FlowTypeUniversalLink])
	assert.Equal(t, FlowTypeSetting{Enabled: true}, cfg.Platforms["visionos"]["future_flow"], "unknown platforms and flow types decode")
	_, err = c.FlowTypeConfig.Update(ctx, &UpdateFlowTypeConfigRequest{Platforms: map[Platform]map[FlowType]FlowTypeUpdate{
		PlatformIOS: {FlowTypeScheme: {Enabled: Ptr(true)}}}})
	require.NoError(t, err)
}

func TestThemesAndFlowTypesValidationBeforeIO(t *testing.T) {
	c := newGockClient(t) // no mocks: any request fails the test
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"create nil", func() error { _, err := c.Themes.Create(ctx, nil); return err }, "req"},
		{"realm name pattern", func() error { _, err := c.Themes.Create(ctx, &CreateThemeRequest{EmailRealmName: "a<b"}); return err }, "EmailRealmName"},
		{"relative logo", func() error {
			_, err := c.Themes.Create(ctx, &CreateThemeRequest{LogoURLLight: "logo.png"})
			return err
		}, "LogoURLLight"},
		{"bad color", func() error { _, err := c.Themes.Create(ctx, &CreateThemeRequest{ButtonColor: "blue"}); return err }, "ButtonColor"},
		{"five digit color", func() error {
			_, err := c.Themes.Update(ctx, "t1", &UpdateThemeRequest{ButtonTextColor: Ptr("#12345")})
			return err
		}, "ButtonTextColor"},
		{"empty color", func() error {
			_, err := c.Themes.Update(ctx, "t1", &UpdateThemeRequest{ButtonColor: Ptr("")})
			return err
		}, "ButtonColor"},
		{"empty realm name", func() error {
			_, err := c.Themes.Update(ctx, "t1", &UpdateThemeRequest{EmailRealmName: Ptr("")})
			return err
		}, "EmailRealmName"},
		{"get active by id", func() error { _, err := c.Themes.Get(ctx, "active"); return err }, "themeID"},
		{"update no id", func() error { _, err := c.Themes.Update(ctx, "", &UpdateThemeRequest{}); return err }, "themeID"},
		{"flow types nil", func() error { _, err := c.FlowTypeConfig.Update(ctx, nil); return err }, "req"},
		{"flow types empty", func() error { _, err := c.FlowTypeConfig.Update(ctx, &UpdateFlowTypeConfigRequest{}); return err }, "Platforms"},
		{"flow type without change", func() error {
			_, err := c.FlowTypeConfig.Update(ctx, &UpdateFlowTypeConfigRequest{Platforms: map[Platform]map[FlowType]FlowTypeUpdate{PlatformWeb: {FlowTypeEmbedded: {}}}})
			return err
		}, "Platforms[web][embedded]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}
