package beyondidentity_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/passkeyhq/beyondidentity"
)

// exampleIdentitiesClient stands for the client an application builds once at
// start-up.
func exampleIdentitiesClient() *beyondidentity.Client {
	c, err := beyondidentity.NewClient(
		beyondidentity.WithTenant("0001f1f460b1ace6"),
		beyondidentity.WithRealm("8f5bec58229e6f29"),
		beyondidentity.WithAPIToken("an-api-token"),
	)
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// Create an identity at sign-up, or fetch the existing one when the
// username is already taken (usernames are compared case-insensitively).
func ExampleIdentitiesService_Create() {
	c := exampleIdentitiesClient()
	ctx := context.Background()

	id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
		DisplayName: "Ada Lovelace",
		Traits: beyondidentity.Traits{
			Username:            "ada",
			PrimaryEmailAddress: "ada@example.com",
		},
	})
	if errors.Is(err, beyondidentity.ErrConflict) {
		// The username exists: use that identity.
		id, err = c.Identities.FindByUsername(ctx, "ada")
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("identity:", id.ID)
}

// Look an identity up by username; ErrNotFound means there is none.
func ExampleIdentitiesService_FindByUsername() {
	c := exampleIdentitiesClient()
	id, err := c.Identities.FindByUsername(context.Background(), "ada")
	switch {
	case errors.Is(err, beyondidentity.ErrNotFound):
		fmt.Println("no such user")
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println(id.ID, id.EnrollmentStatus)
	}
}

// Range over every identity of the realm; pages are fetched as the loop
// needs them and the loop may stop at any time.
func ExampleIdentitiesService_All() {
	c := exampleIdentitiesClient()
	for id, err := range c.Identities.All(context.Background(), &beyondidentity.ListOptions{PageSize: 200}) {
		if err != nil {
			log.Fatal(err)
		}
		if id.EnrollmentStatus == beyondidentity.EnrollmentStatusUnenrolled {
			fmt.Println("no passkey yet:", id.Traits.Username)
		}
	}
}

// Change the display name only: fields left nil are not sent and stay as
// they are.
func ExampleIdentitiesService_Update() {
	c := exampleIdentitiesClient()
	id, err := c.Identities.Update(context.Background(), "e372db224c06e850", &beyondidentity.UpdateIdentityRequest{
		DisplayName: beyondidentity.Ptr("Ada L."),
		Traits:      &beyondidentity.TraitsUpdate{GivenName: beyondidentity.Ptr("Ada")},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(id.DisplayName)
}

// Edit a fetched identity's traits and send only what changed; traits the
// library does not know are kept by the server.
func ExampleTraits_ChangesFrom() {
	c := exampleIdentitiesClient()
	ctx := context.Background()
	id, err := c.Identities.Get(ctx, "e372db224c06e850")
	if err != nil {
		log.Fatal(err)
	}
	edited := id.Traits
	edited.Department = "Engineering"
	edited.Title = "" // cleared
	if changes := edited.ChangesFrom(id.Traits); changes != nil {
		if _, err := c.Identities.Update(ctx, id.ID, &beyondidentity.UpdateIdentityRequest{Traits: changes}); err != nil {
			log.Fatal(err)
		}
	}
}
