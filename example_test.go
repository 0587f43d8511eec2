package beyondidentity_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
)

// The whole server side of binding a passkey: create the user's identity,
// create a RETURN binding job, hand the link to the front end (which calls
// the Embedded SDK's bindPasskey(link)), and wait for the passkey.
//
// Here an in-process fake of the API stands in for the cloud and plays the
// device; see ExampleNewClient for a client of the real service.
func Example() {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	defer srv.Close()
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
		DisplayName: "Ada Lovelace",
		Traits:      beyondidentity.Traits{Username: "ada", PrimaryEmailAddress: "ada@example.com"},
	})
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, srv.AuthenticatorConfigID(), nil)
	if err != nil {
		log.Fatal(err)
	}
	// res.Link goes to the front end: bindPasskey(res.Link). The fake's
	// CompleteBinding plays the user's device.
	if _, err := srv.CompleteBinding(ctx, res.Link.Reveal()); err != nil {
		log.Fatal(err)
	}
	job, err := c.BindingJobs.Wait(ctx, id.ID, res.Job.ID, nil)
	if err != nil {
		log.Fatal(err)
	}
	passkey, err := c.Credentials.Get(ctx, id.ID, job.CredentialID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(job.State, passkey.State)
	// Output: COMPLETE ACTIVE
}

// A client for the real service. NewClient does no network I/O: the first
// call fetches an access token with the client credentials, caches it until
// shortly before it expires and shares it between goroutines.
func ExampleNewClient() {
	c, err := beyondidentity.NewClient(
		beyondidentity.WithTenant(os.Getenv("BEYOND_IDENTITY_TENANT_ID")),
		beyondidentity.WithRealm(os.Getenv("BEYOND_IDENTITY_REALM_ID")), // the realm of your users
		beyondidentity.WithRegion(beyondidentity.RegionEU),
		beyondidentity.WithClientCredentials(beyondidentity.ClientCredentials{
			// The Management API application lives in the Admin realm.
			RealmID:       os.Getenv("BEYOND_IDENTITY_ADMIN_REALM_ID"),
			ApplicationID: os.Getenv("BEYOND_IDENTITY_APPLICATION_ID"),
			ClientID:      os.Getenv("BEYOND_IDENTITY_CLIENT_ID"),
			ClientSecret:  beyondidentity.NewSecret(os.Getenv("BEYOND_IDENTITY_CLIENT_SECRET")),
		}),
		beyondidentity.WithUserAgent("shop-backend/1.4"),
	)
	if err != nil {
		// A *ValidationError naming the option, e.g. "invalid WithTenant: is empty".
		log.Fatal(err)
	}
	fmt.Println(c.APIBaseURL())
}

// Errors: sentinels for errors.Is, *APIError for the details of an answer,
// *ValidationError for input refused before anything was sent.
func Example_errors() {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	defer srv.Close()
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	_, err = c.Identities.Get(ctx, "0123456789abcdef")
	var apiErr *beyondidentity.APIError
	if errors.Is(err, beyondidentity.ErrNotFound) && errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.ResourceInfo().ResourceType)
	}

	_, err = c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
		DisplayName: "Ada",
		Traits:      beyondidentity.Traits{Username: "ada<script>"},
	})
	var invalid *beyondidentity.ValidationError
	if errors.Is(err, beyondidentity.ErrInvalidArgument) && errors.As(err, &invalid) {
		fmt.Println("not sent:", invalid.Field)
	}
	fmt.Println(strings.HasPrefix(err.Error(), "beyondidentity: invalid"))
	// Output:
	// 404 not_found Identity
	// not sent: Traits.Username
	// true
}

// One client per realm of a tenant, sharing the transport and the token cache.
func ExampleClient_InRealm() {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	defer srv.Close()
	users, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	admin := users.InRealm(srv.AdminRealmID())
	fmt.Println(users.RealmID() == srv.RealmID(), admin.RealmID() == srv.AdminRealmID())
	// Output: true true
}
