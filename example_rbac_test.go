package beyondidentity_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/passkeyhq/beyondidentity"
)

// Register a backend as a confidential OAuth 2.0 client with the client
// credentials grant, allowed some scopes of an API's resource server.
func ExampleApplicationsService_Create() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	rs, err := c.ResourceServers.Create(ctx, &beyondidentity.CreateResourceServerRequest{
		DisplayName: "Pets API", Identifier: "https://api.pets.example", Scopes: []string{"pets:read", "pets:write"}})
	if err != nil {
		log.Fatal(err)
	}
	app, err := c.Applications.Create(ctx, &beyondidentity.CreateApplicationRequest{
		DisplayName:      "Pets worker",
		ResourceServerID: rs.ID,
		ProtocolConfig: &beyondidentity.OAuth2Config{OAuthSettings: beyondidentity.OAuthSettings{
			Confidentiality:    beyondidentity.ConfidentialityConfidential,
			GrantTypes:         []beyondidentity.GrantType{beyondidentity.GrantTypeClientCredentials},
			AllowedScopes:      []string{"pets:read"},
			TokenConfiguration: &beyondidentity.TokenConfiguration{ExpiresAfter: 3600},
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	oauth := app.ProtocolConfig.(*beyondidentity.OAuth2Config)
	// The secret prints redacted; store oauth.ClientSecret.Reveal() in your
	// secret manager.
	fmt.Println(oauth.ClientID != "", oauth.ClientSecret, oauth.AllowedScopes)
	// Output: true REDACTED [pets:read]
}

// Read any application: protocol configs of kinds this library does not
// type come back as *UnknownProtocolConfig, their JSON kept byte for byte.
func ExampleApplicationsService_Get() {
	srv, c := fakeClient()
	defer srv.Close()
	app, err := c.InRealm(srv.AdminRealmID()).Applications.Get(context.Background(), srv.ApplicationID())
	if err != nil {
		log.Fatal(err)
	}
	switch pc := app.ProtocolConfig.(type) {
	case *beyondidentity.OAuth2Config:
		fmt.Println("oauth2", app.IsManaged, pc.GrantTypes)
	case *beyondidentity.OIDCConfig:
		fmt.Println("oidc", pc.RedirectURIs)
	case *beyondidentity.UnknownProtocolConfig:
		fmt.Println(pc.ProtocolType(), json.Valid(pc.Raw))
	}
	// Output: oauth2 true [client_credentials]
}

// Stand for your API with a resource server: its identifier is the
// audience of the tokens it accepts, its scopes what roles can grant.
func ExampleResourceServersService_Create() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	rs, err := c.ResourceServers.Create(ctx, &beyondidentity.CreateResourceServerRequest{
		DisplayName: "Pets API", Identifier: "https://api.pets.example", Scopes: []string{"pets:read"}})
	if err != nil {
		log.Fatal(err)
	}
	// Scopes replaces the list when set.
	rs, err = c.ResourceServers.Update(ctx, rs.ID, &beyondidentity.UpdateResourceServerRequest{
		Scopes: []string{"pets:read", "pets:write"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rs.Identifier, rs.Scopes)
	// Output: https://api.pets.example [pets:read pets:write]
}

// Give a role, with the scopes it grants, to a group; a user of the group
// then has the role through it.
func ExampleRolesService_AddMembers() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	rs, err := c.ResourceServers.Create(ctx, &beyondidentity.CreateResourceServerRequest{
		DisplayName: "Pets API", Identifier: "https://api.pets.example", Scopes: []string{"pets:read", "pets:write"}})
	if err != nil {
		log.Fatal(err)
	}
	role, err := c.Roles.Create(ctx, rs.ID, &beyondidentity.CreateRoleRequest{DisplayName: "Readers"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Roles.AddScopes(ctx, rs.ID, role.ID, []string{"pets:read"}); err != nil {
		log.Fatal(err)
	}
	group, err := c.Groups.Create(ctx, &beyondidentity.CreateGroupRequest{DisplayName: "readers"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Roles.AddMembers(ctx, rs.ID, role.ID, &beyondidentity.RoleMembers{GroupIDs: []string{group.ID}}); err != nil {
		log.Fatal(err)
	}
	for m, err := range c.Roles.AllMembers(ctx, rs.ID, role.ID, nil) {
		if err != nil {
			log.Fatal(err)
		}
		if m.Group != nil {
			fmt.Println("group", m.Group.DisplayName)
		}
	}
	for s, err := range c.Roles.AllScopes(ctx, rs.ID, role.ID, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("scope", s)
	}
	// Output:
	// group readers
	// scope pets:read
}
