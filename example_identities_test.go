package beyondidentity_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
)

// fakeClient starts an in-process fake of the API and returns it with a
// client for its user realm. In an application the client comes from
// beyondidentity.NewClient (see ExampleNewClient).
func fakeClient() (*beyondidentitytest.Server, *beyondidentity.Client) {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	return srv, c
}

// Create an identity at sign-up, or fetch the existing one when the
// username is already taken (usernames are compared case-insensitively).
func ExampleIdentitiesService_Create() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()

	signUp := func(username, email string) *beyondidentity.Identity {
		id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
			DisplayName: "Ada Lovelace",
			Traits:      beyondidentity.Traits{Username: username, PrimaryEmailAddress: email},
		})
		if errors.Is(err, beyondidentity.ErrConflict) {
			// The username exists: use that identity.
			id, err = c.Identities.FindByUsername(ctx, username)
		}
		if err != nil {
			log.Fatal(err)
		}
		return id
	}
	first := signUp("ada", "ada@example.com")
	again := signUp("ADA", "ada@example.com")
	fmt.Println(first.ID == again.ID, again.Traits.Username)
	// Output: true ada
}

// Look an identity up by username; ErrNotFound means there is none.
func ExampleIdentitiesService_FindByUsername() {
	srv, c := fakeClient()
	defer srv.Close()
	_, err := c.Identities.FindByUsername(context.Background(), "grace")
	switch {
	case errors.Is(err, beyondidentity.ErrNotFound):
		fmt.Println("no such user")
	case err != nil:
		log.Fatal(err)
	}
	// Output: no such user
}

// Range over every identity of the realm; pages are fetched as the loop
// needs them and the loop may stop at any time.
func ExampleIdentitiesService_All() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	for _, name := range []string{"ada", "grace", "hedy"} {
		_, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
			DisplayName: name, Traits: beyondidentity.Traits{Username: name}})
		if err != nil {
			log.Fatal(err)
		}
	}

	for id, err := range c.Identities.All(ctx, &beyondidentity.ListOptions{PageSize: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(id.Traits.Username, id.Status)
	}
	// Output:
	// ada active
	// grace active
	// hedy active
}

// Change the display name and one trait: fields left nil are not sent and
// stay as they are.
func ExampleIdentitiesService_Update() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
		DisplayName: "Ada", Traits: beyondidentity.Traits{Username: "ada", PrimaryEmailAddress: "ada@example.com"}})
	if err != nil {
		log.Fatal(err)
	}

	id, err = c.Identities.Update(ctx, id.ID, &beyondidentity.UpdateIdentityRequest{
		DisplayName: beyondidentity.Ptr("Ada L."),
		Traits:      &beyondidentity.TraitsUpdate{GivenName: beyondidentity.Ptr("Ada")},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(id.DisplayName, id.Traits.GivenName, id.Traits.PrimaryEmailAddress)
	// Output: Ada L. Ada ada@example.com
}

// Edit a fetched identity's traits and send only what changed; traits the
// library does not know are kept by the server.
func ExampleTraits_ChangesFrom() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
		DisplayName: "Ada", Traits: beyondidentity.Traits{Username: "ada", Title: "Countess"}})
	if err != nil {
		log.Fatal(err)
	}

	edited := id.Traits
	edited.Department = "Engineering"
	edited.Title = "" // cleared
	changes := edited.ChangesFrom(id.Traits)
	id, err = c.Identities.Update(ctx, id.ID, &beyondidentity.UpdateIdentityRequest{Traits: changes})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q %q\n", id.Traits.Department, id.Traits.Title)
	// Output: "Engineering" ""
}

// Delete identities, one or up to 1,000 at once (all or nothing).
func ExampleIdentitiesService_BatchDelete() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	var ids []string
	for _, name := range []string{"ada", "grace"} {
		id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
			DisplayName: name, Traits: beyondidentity.Traits{Username: name}})
		if err != nil {
			log.Fatal(err)
		}
		ids = append(ids, id.ID)
	}

	err := c.Identities.BatchDelete(ctx, append(ids, "0123456789abcdef"))
	fmt.Println(errors.Is(err, beyondidentity.ErrNotFound)) // one is unknown: nothing deleted
	if err := c.Identities.BatchDelete(ctx, ids); err != nil {
		log.Fatal(err)
	}
	page, err := c.Identities.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page.TotalSize)
	// Output:
	// true
	// 0
}
