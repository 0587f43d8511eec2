package beyondidentity_test

import (
	"context"
	"fmt"
	"log"
	"slices"

	"github.com/passkeyhq/beyondidentity"
)

// Check at start-up that the credentials point at the tenant and realm
// you expect.
func ExampleTenantService_Get() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	tenant, err := c.Tenant.Get(ctx)
	if err != nil {
		log.Fatal(err) // 401/403: wrong credentials or scopes
	}
	realm, err := c.Realms.Get(ctx, c.RealmID())
	if err != nil {
		log.Fatal(err) // ErrNotFound: the realm is not in this tenant
	}
	fmt.Println(tenant.ID == srv.TenantID(), realm.ID == srv.RealmID())
	// Output: true true
}

// Create a realm for a staging environment and work in it.
func ExampleRealmsService_Create() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	realm, err := c.Realms.Create(ctx, &beyondidentity.CreateRealmRequest{
		DisplayName:    "Staging",
		Classification: beyondidentity.RealmClassificationSecureCustomer,
	})
	if err != nil {
		log.Fatal(err)
	}
	staging := c.InRealm(realm.ID) // same credentials, other realm
	if _, err := staging.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
		DisplayName: "Test User", Traits: beyondidentity.Traits{Username: "test"}}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(realm.DisplayName, realm.Classification)
	// Output: Staging SECURE_CUSTOMER
}

// Put users into a group as they are provisioned.
func ExampleGroupsService_AddMembers() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	admins, err := c.Groups.Create(ctx, &beyondidentity.CreateGroupRequest{DisplayName: "admins"})
	if err != nil {
		log.Fatal(err)
	}
	var ids []string
	for _, name := range []string{"ada", "grace"} {
		id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
			DisplayName: name, Traits: beyondidentity.Traits{Username: name}})
		if err != nil {
			log.Fatal(err)
		}
		ids = append(ids, id.ID)
	}
	// Up to 1,000 identities a call; adding a member twice changes nothing.
	if _, err := c.Groups.AddMembers(ctx, admins.ID, ids); err != nil {
		log.Fatal(err)
	}
	var members []string
	for id, err := range c.Groups.AllMembers(ctx, admins.ID, nil) {
		if err != nil {
			log.Fatal(err)
		}
		members = append(members, id.Traits.Username)
	}
	slices.Sort(members)
	fmt.Println(members)
	// Output: [ada grace]
}

// Decide access for a signed-in user from the groups it belongs to.
func ExampleIdentitiesService_AllGroups() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	admins, err := c.Groups.Create(ctx, &beyondidentity.CreateGroupRequest{DisplayName: "admins"})
	if err != nil {
		log.Fatal(err)
	}
	ada, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
		DisplayName: "Ada", Traits: beyondidentity.Traits{Username: "ada"}})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Groups.AddMembers(ctx, admins.ID, []string{ada.ID}); err != nil {
		log.Fatal(err)
	}

	isAdmin := false
	for g, err := range c.Identities.AllGroups(ctx, ada.ID, nil) {
		if err != nil {
			log.Fatal(err) // deny on error
		}
		if g.ID == admins.ID {
			isAdmin = true
			break // no more pages are fetched
		}
	}
	fmt.Println("admin:", isAdmin)
	// Output: admin: true
}
