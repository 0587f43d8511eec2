package beyondidentity_test

import (
	"context"
	"fmt"
	"log"

	"github.com/passkeyhq/beyondidentity"
)

// Create an authenticator config for an app that embeds the Embedded SDK.
func ExampleAuthenticatorConfigsService_Create() {
	c := exampleBindingClient()
	cfg, err := c.AuthenticatorConfigs.Create(context.Background(), &beyondidentity.CreateAuthenticatorConfigRequest{
		DisplayName: "Shop passkeys",
		Config: &beyondidentity.EmbeddedSettings{
			InvokeURL:      "https://shop.example",
			TrustedOrigins: []string{"https://shop.example"},
			AuthenticationMethods: []beyondidentity.AuthenticationMethod{
				{Type: beyondidentity.AuthenticationMethodWebAuthnPasskey},
			},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.ID)
}

// Read the settings of every authenticator config with a type switch.
func ExampleAuthenticatorConfigsService_All() {
	c := exampleBindingClient()
	for cfg, err := range c.AuthenticatorConfigs.All(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		switch s := cfg.Config.(type) {
		case *beyondidentity.EmbeddedSettings:
			fmt.Println(cfg.DisplayName, "embedded, invoke URL", s.InvokeURL)
		case *beyondidentity.HostedWebSettings:
			fmt.Println(cfg.DisplayName, "hosted web for", s.TrustedOrigins)
		case *beyondidentity.ConsoleSettings:
			fmt.Println(cfg.DisplayName, "console, verified by", s.OnboardingConfiguration.VerificationMethod.Type)
		case *beyondidentity.PlatformSettings:
			fmt.Println(cfg.DisplayName, "platform")
		case *beyondidentity.UnknownSettings:
			fmt.Println(cfg.DisplayName, "kind unknown to this library:", s.Type)
		}
	}
}

// Move an embedded app to a new URL; only the Invoke URL is sent.
func ExampleAuthenticatorConfigsService_Update() {
	c := exampleBindingClient()
	_, err := c.AuthenticatorConfigs.Update(context.Background(), "5b0c6c1e-7d1a-4c57-9a58-0f6f3d2e8a11",
		&beyondidentity.UpdateAuthenticatorConfigRequest{
			Config: &beyondidentity.EmbeddedSettings{InvokeURL: "https://www.shop.example"},
		})
	if err != nil {
		log.Fatal(err)
	}
}
