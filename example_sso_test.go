package beyondidentity_test

import (
	"context"
	"fmt"
	"log"

	"github.com/passkeyhq/beyondidentity"
)

// Add an application to the users' portal as a bookmark tile, and give a
// group access to it.
func ExampleSSOConfigsService_Create() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()

	cfg, err := c.SSOConfigs.Create(ctx, &beyondidentity.CreateSSOConfigRequest{
		DisplayName: "Wiki",
		Payload: &beyondidentity.BookmarkSSOPayload{
			LoginLink:     "https://wiki.example.com/login",
			IsTileVisible: beyondidentity.Ptr(true),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	staff, err := c.Groups.Create(ctx, &beyondidentity.CreateGroupRequest{DisplayName: "staff"})
	if err != nil {
		log.Fatal(err)
	}
	if err := c.SSOConfigs.AddGroups(ctx, cfg.ID, []string{staff.ID}); err != nil {
		log.Fatal(err)
	}
	for g, err := range c.SSOConfigs.AllGroups(ctx, cfg.ID, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("group:", g.DisplayName)
	}
	fmt.Println(cfg.Payload.SSOConfigType(), cfg.Payload.(*beyondidentity.BookmarkSSOPayload).LoginLink)
	// Output:
	// group: staff
	// bookmark https://wiki.example.com/login
}

// Read every SSO config of the realm, whatever its kind: kinds this
// library does not type come back as *UnknownSSOPayload, their JSON kept
// byte for byte.
func ExampleSSOConfigsService_All() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	for _, name := range []string{"Wiki", "Mail"} {
		_, err := c.SSOConfigs.Create(ctx, &beyondidentity.CreateSSOConfigRequest{
			DisplayName: name,
			Payload:     &beyondidentity.BookmarkSSOPayload{LoginLink: "https://apps.example.com/" + name},
		})
		if err != nil {
			log.Fatal(err)
		}
	}

	n := 0
	for cfg, err := range c.SSOConfigs.All(ctx, &beyondidentity.ListSSOConfigsOptions{
		Types: []beyondidentity.SSOConfigType{beyondidentity.SSOConfigTypeBookmark},
	}) {
		if err != nil {
			log.Fatal(err)
		}
		switch p := cfg.Payload.(type) {
		case *beyondidentity.BookmarkSSOPayload:
			n++
		case *beyondidentity.UnknownSSOPayload:
			fmt.Println("not typed:", p.SSOConfigType())
		}
	}
	fmt.Println(n, "bookmarks")
	// Output: 2 bookmarks
}

// Let the realm's users sign in with an OpenID Connect identity provider.
// The client secret is sent to the API and never printed.
func ExampleIdentityProvidersService_Create() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()

	_, err := c.IdentityProviders.Create(ctx, &beyondidentity.CreateIdentityProviderRequest{
		DisplayName: "Corporate IdP",
		ProtocolConfig: &beyondidentity.OIDCIdentityProviderConfig{
			ClientID:             "beyond-identity",
			ClientSecret:         beyondidentity.NewSecret("client-secret-from-the-idp"),
			TokenScopes:          []string{"openid", "email"},
			IdentityAttribute:    beyondidentity.SubjectFieldEmail,
			IdentifyingClaimName: "email",
			PKCE:                 beyondidentity.PKCES256,
			AuthorizeURL:         "https://idp.example.com/authorize",
			TokenURL:             "https://idp.example.com/token",
			JWKSURL:              "https://idp.example.com/.well-known/jwks.json",
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	for idp, err := range c.IdentityProviders.All(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		if oidc, ok := idp.ProtocolConfig.(*beyondidentity.OIDCIdentityProviderConfig); ok {
			fmt.Println(idp.DisplayName, oidc.ClientSecret, oidc.TokenScopes)
		}
	}
	// Output: Corporate IdP REDACTED [openid email]
}
