package beyondidentity_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"fmt"
	"log"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
)

// boundUser creates an identity with one passkey in the fake.
func boundUser(srv *beyondidentitytest.Server, c *beyondidentity.Client, username string) *beyondidentity.Identity {
	ctx := context.Background()
	user := newUser(c, username, username+"@example.com")
	res, err := c.BindingJobs.CreateReturnLink(ctx, user.ID, srv.AuthenticatorConfigID(), nil)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := srv.CompleteBinding(ctx, res.Link.Reveal()); err != nil {
		log.Fatal(err)
	}
	return user
}

// List the passkeys of an identity and check each one's public key against
// its thumbprint.
func ExampleCredentialsService_All() {
	srv, c := fakeClient()
	defer srv.Close()
	user := boundUser(srv, c, "ada")

	// For every passkey of the realm: c.Credentials.All(ctx, beyondidentity.AllIdentities, nil).
	for cred, err := range c.Credentials.All(context.Background(), user.ID, nil) {
		if err != nil {
			log.Fatal(err)
		}
		if err := cred.VerifyThumbprint(); err != nil {
			log.Printf("passkey %s: %v", cred.ID, err)
			continue
		}
		key, err := cred.PublicKey()
		if err != nil {
			log.Fatal(err)
		}
		if ec, ok := key.(*ecdsa.PublicKey); ok {
			fmt.Println(cred.State, "EC", ec.Curve.Params().Name)
		}
	}
	// Output: ACTIVE EC P-256
}

// Revoke a passkey, for example when a user reports a lost device.
func ExampleCredentialsService_Revoke() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	user := boundUser(srv, c, "ada")
	page, err := c.Credentials.List(ctx, user.ID, nil)
	if err != nil {
		log.Fatal(err)
	}

	cred, err := c.Credentials.Revoke(ctx, user.ID, page.Items[0].ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cred.State)
	// Output: REVOKED
}

func ExampleCredential_PublicKey() {
	// The Ed25519 key of RFC 8037, Appendix A.
	cred := &beyondidentity.Credential{
		ID:            "9e0b7d3a5c21f486",
		JWKJSON:       `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`,
		JWKThumbprint: "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k=",
	}
	key, err := cred.PublicKey()
	if err != nil {
		log.Fatal(err)
	}
	pub := key.(ed25519.PublicKey)
	fmt.Println(len(pub), "byte Ed25519 key")
	fmt.Println("thumbprint ok:", cred.VerifyThumbprint() == nil)
	// Output:
	// 32 byte Ed25519 key
	// thumbprint ok: true
}
