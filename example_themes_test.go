package beyondidentity_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/passkeyhq/beyondidentity"
)

// Brand the binding emails of a realm: create its theme, or update the one
// it has (a realm has one theme).
func ExampleThemesService_Create() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	theme, err := c.Themes.Create(ctx, &beyondidentity.CreateThemeRequest{
		EmailRealmName: "Acme Pets",
		LogoURLLight:   "https://pets.example/logo-light.png",
		ButtonColor:    "#4673D3",
	})
	if errors.Is(err, beyondidentity.ErrConflict) {
		var active *beyondidentity.Theme
		if active, err = c.Themes.GetActive(ctx); err == nil {
			theme, err = c.Themes.Update(ctx, active.ID, &beyondidentity.UpdateThemeRequest{
				EmailRealmName: beyondidentity.Ptr("Acme Pets"), ButtonColor: beyondidentity.Ptr("#4673D3")})
		}
	}
	if err != nil {
		log.Fatal(err)
	}
	active, err := c.Themes.GetActive(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(active.ID == theme.ID, active.EmailRealmName, active.ButtonColor)
	// Output: true Acme Pets #4673D3
}

// Allow a launch mechanism on one platform, leaving every other one as it
// is.
func ExampleFlowTypeConfigService_Update() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	cfg, err := c.FlowTypeConfig.Update(ctx, &beyondidentity.UpdateFlowTypeConfigRequest{
		Platforms: map[beyondidentity.Platform]map[beyondidentity.FlowType]beyondidentity.FlowTypeUpdate{
			beyondidentity.PlatformIOS: {beyondidentity.FlowTypeUniversalLink: {Enabled: beyondidentity.Ptr(true)}},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.Platforms[beyondidentity.PlatformIOS][beyondidentity.FlowTypeUniversalLink].Enabled)
	// Output: true
}
