//go:build scimfield

package beyondidentity_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/passkeyhq/beyondidentity"
)

// scimClient returns a client of the real service for the SCIM examples,
// which have no output to check: the in-memory fake does not serve SCIM.
func scimClient() *beyondidentity.Client {
	c, err := beyondidentity.NewClient(
		beyondidentity.WithTenant(os.Getenv("BEYOND_IDENTITY_TENANT_ID")),
		beyondidentity.WithRealm(os.Getenv("BEYOND_IDENTITY_REALM_ID")),
		beyondidentity.WithAPIToken(os.Getenv("BEYOND_IDENTITY_API_TOKEN")), // scopes scim:users:* and scim:groups:*
	)
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// Provision a user from a directory, or find the one provisioned before.
func ExampleSCIMUsersService_Create() {
	c := scimClient()
	ctx := context.Background()
	u, err := c.SCIM.Users.Create(ctx, &beyondidentity.SCIMUser{
		UserName:    "bjensen",
		ExternalID:  "0b3f7e92", // the directory's own ID
		DisplayName: "Barbara Jensen",
		Name:        beyondidentity.SCIMName{GivenName: "Barbara", FamilyName: "Jensen"},
		Emails:      []beyondidentity.SCIMEmail{{Value: "bjensen@example.com", Primary: true}},
		Active:      beyondidentity.Ptr(true),
	})
	if errors.Is(err, beyondidentity.ErrConflict) {
		// The userName is taken: fetch that user.
		page, err := c.SCIM.Users.List(ctx, &beyondidentity.SCIMListOptions{
			Filter: beyondidentity.FilterEq("userName", "bjensen"),
		})
		if err != nil || len(page.Resources) == 0 {
			log.Fatal(err)
		}
		u = page.Resources[0]
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.ID, u.Meta.Created)
}

// Walk every user of the realm. Pages are fetched as the loop needs them;
// a larger Count means fewer calls, which matters at 30 calls a minute.
func ExampleSCIMUsersService_All() {
	c := scimClient()
	for u, err := range c.SCIM.Users.All(context.Background(), &beyondidentity.SCIMListOptions{Count: 500}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.UserName, u.Active != nil && *u.Active)
	}
}

// Suspend a user and change their name with a PatchOp.
func ExampleSCIMUsersService_Update() {
	c := scimClient()
	u, err := c.SCIM.Users.Update(context.Background(), "2819c223-7f76-453a-919d-413861904646",
		beyondidentity.SCIMPatch().
			Replace("active", false).
			Replace("name.familyName", "Jensen-Smith"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.UserName, *u.Active)
}

// Replace a user as a whole: what Get returned, changed, goes back with the
// attributes and extensions the library does not type.
func ExampleSCIMUsersService_Replace() {
	c := scimClient()
	ctx := context.Background()
	u, err := c.SCIM.Users.Get(ctx, "2819c223-7f76-453a-919d-413861904646")
	if err != nil {
		log.Fatal(err)
	}
	if u.Enterprise == nil {
		u.Enterprise = &beyondidentity.SCIMEnterpriseUser{}
	}
	u.Enterprise.Department = "Accounting"
	if _, err := c.SCIM.Users.Replace(ctx, u.ID, u); err != nil {
		log.Fatal(err)
	}
}

// Create a group and manage its members: several are added in one
// operation, and removed one per operation.
func ExampleSCIMGroupsService_Update() {
	c := scimClient()
	ctx := context.Background()
	g, err := c.SCIM.Groups.Create(ctx, &beyondidentity.SCIMGroup{DisplayName: "Help Desk"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.SCIM.Groups.Update(ctx, g.ID,
		beyondidentity.SCIMPatch().AddMembers("6c9f819d6a0f1b57", "a46bd3fb5c62d80d")); err != nil {
		log.Fatal(err)
	}
	if _, err := c.SCIM.Groups.Update(ctx, g.ID,
		beyondidentity.SCIMPatch().RemoveMember("6c9f819d6a0f1b57")); err != nil {
		log.Fatal(err)
	}
}

// Ask the service provider what it supports.
func ExampleSCIMService_GetServiceProviderConfig() {
	c := scimClient()
	cfg, err := c.SCIM.GetServiceProviderConfig(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.Patch.Supported, cfg.Filter.MaxResults)
}
