package beyondidentity_test

import (
	"context"
	"fmt"
	"log"

	"github.com/passkeyhq/beyondidentity"
)

// Create an authenticator config for an app that embeds the Embedded SDK.
// Its Invoke URL is where EMAIL binding links land ({invoke_url}/bind).
func ExampleAuthenticatorConfigsService_Create() {
	srv, c := fakeClient()
	defer srv.Close()
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
	fmt.Println(cfg.DisplayName, cfg.Config.AuthenticatorType())
	// Output: Shop passkeys embedded
}

// Read the settings of every authenticator config with a type switch.
func ExampleAuthenticatorConfigsService_All() {
	srv, c := fakeClient()
	defer srv.Close()
	for cfg, err := range c.AuthenticatorConfigs.All(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		switch s := cfg.Config.(type) {
		case *beyondidentity.EmbeddedSettings:
			fmt.Println("embedded, invoke URL", s.InvokeURL)
		case *beyondidentity.HostedWebSettings:
			fmt.Println("hosted web for", s.TrustedOrigins)
		case *beyondidentity.ConsoleSettings:
			fmt.Println("console, verified by", s.OnboardingConfiguration.VerificationMethod.Type)
		case *beyondidentity.PlatformSettings:
			fmt.Println("platform")
		case *beyondidentity.UnknownSettings:
			fmt.Println("kind unknown to this library:", s.Type)
		}
	}
	// Output: embedded, invoke URL http://localhost:3000
}

// Move an embedded app to a new URL; only the Invoke URL is sent.
func ExampleAuthenticatorConfigsService_Update() {
	srv, c := fakeClient()
	defer srv.Close()
	cfg, err := c.AuthenticatorConfigs.Update(context.Background(), srv.AuthenticatorConfigID(),
		&beyondidentity.UpdateAuthenticatorConfigRequest{
			Config: &beyondidentity.EmbeddedSettings{InvokeURL: "https://www.shop.example"},
		})
	if err != nil {
		log.Fatal(err)
	}
	s := cfg.Config.(*beyondidentity.EmbeddedSettings)
	fmt.Println(s.InvokeURL, s.TrustedOrigins) // the trusted origins are unchanged
	// Output: https://www.shop.example [http://localhost:3000]
}
