package beyondidentity_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/passkeyhq/beyondidentity"
)

// Provision a user from a directory, or find the one provisioned before.
// A SCIM user is an identity of the realm: the v1 identity operations see
// it too.
func ExampleSCIMUsersService_Create() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	newUser := &beyondidentity.SCIMUser{
		UserName:    "bjensen",
		ExternalID:  "0b3f7e92", // the directory's own ID
		DisplayName: "Barbara Jensen",
		Name:        beyondidentity.SCIMName{GivenName: "Barbara", FamilyName: "Jensen"},
		Emails:      []beyondidentity.SCIMEmail{{Value: "bjensen@example.com", Primary: true}},
		Active:      beyondidentity.Ptr(true),
	}
	u, err := c.SCIM.Users.Create(ctx, newUser)
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.SCIM.Users.Create(ctx, newUser)
	if errors.Is(err, beyondidentity.ErrConflict) {
		// The userName is taken: find that user instead.
		page, err := c.SCIM.Users.List(ctx, &beyondidentity.SCIMListOptions{Filter: beyondidentity.FilterEq("userName", "bjensen")})
		if err != nil || len(page.Resources) != 1 {
			log.Fatal(err)
		}
		fmt.Println("found", page.Resources[0].ID == u.ID)
	}
	id, err := c.Identities.Get(ctx, u.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(id.Traits.Username, id.Traits.PrimaryEmailAddress)
	// Output:
	// found true
	// bjensen bjensen@example.com
}

// Walk every user of the realm. Pages are fetched as the loop needs them;
// a larger Count means fewer calls, which matters at 30 calls a minute.
func ExampleSCIMUsersService_All() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	for _, name := range []string{"ada", "grace", "linus"} {
		if _, err := c.SCIM.Users.Create(ctx, &beyondidentity.SCIMUser{UserName: name, DisplayName: name}); err != nil {
			log.Fatal(err)
		}
	}
	n := 0
	for _, err := range c.SCIM.Users.All(ctx, &beyondidentity.SCIMListOptions{Count: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(n, "users")
	// Output: 3 users
}

// Suspend a user and change their name with a PatchOp: it changes what it
// says and nothing else.
func ExampleSCIMUsersService_Update() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	u, err := c.SCIM.Users.Create(ctx, &beyondidentity.SCIMUser{UserName: "bjensen", DisplayName: "Barbara Jensen",
		Name: beyondidentity.SCIMName{GivenName: "Barbara", FamilyName: "Jensen"}})
	if err != nil {
		log.Fatal(err)
	}
	u, err = c.SCIM.Users.Update(ctx, u.ID, beyondidentity.SCIMPatch().
		Replace("active", false).
		Replace("name.familyName", "Jensen-Smith"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.UserName, *u.Active, u.Name.GivenName, u.Name.FamilyName)
	// Output: bjensen false Barbara Jensen-Smith
}

// Replace a user as a whole: what Get returned, changed, goes back with the
// attributes and extensions the library does not type.
func ExampleSCIMUsersService_Replace() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	u, err := c.SCIM.Users.Create(ctx, &beyondidentity.SCIMUser{UserName: "bjensen", DisplayName: "Barbara Jensen"})
	if err != nil {
		log.Fatal(err)
	}
	if u, err = c.SCIM.Users.Get(ctx, u.ID); err != nil {
		log.Fatal(err)
	}
	if u.Enterprise == nil {
		u.Enterprise = &beyondidentity.SCIMEnterpriseUser{}
	}
	u.Enterprise.Department = "Accounting"
	if u, err = c.SCIM.Users.Replace(ctx, u.ID, u); err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.Enterprise.Department)
	// Output: Accounting
}

// Create a group and manage its members: several are added in one
// operation, and removed one per operation. SCIM groups are the realm's
// groups.
func ExampleSCIMGroupsService_Update() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	var ids []string
	for _, name := range []string{"ada", "grace"} {
		u, err := c.SCIM.Users.Create(ctx, &beyondidentity.SCIMUser{UserName: name, DisplayName: name})
		if err != nil {
			log.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	g, err := c.SCIM.Groups.Create(ctx, &beyondidentity.SCIMGroup{DisplayName: "Help Desk"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.SCIM.Groups.Update(ctx, g.ID, beyondidentity.SCIMPatch().AddMembers(ids...)); err != nil {
		log.Fatal(err)
	}
	if _, err := c.SCIM.Groups.Update(ctx, g.ID, beyondidentity.SCIMPatch().RemoveMember(ids[0])); err != nil {
		log.Fatal(err)
	}
	members, err := c.Groups.ListMembers(ctx, g.ID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(members.Items), members.Items[0].Traits.Username)
	// Output: 1 grace
}

// Ask the service provider what it supports.
func ExampleSCIMService_GetServiceProviderConfig() {
	srv, c := fakeClient()
	defer srv.Close()
	cfg, err := c.SCIM.GetServiceProviderConfig(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("patch:", cfg.Patch.Supported)
	// Output: patch: true
}
