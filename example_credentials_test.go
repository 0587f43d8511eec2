package beyondidentity_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log"

	"github.com/passkeyhq/beyondidentity"
)

// List the passkeys of an identity and check each one's public key against
// its thumbprint.
func ExampleCredentialsService_All() {
	c, err := beyondidentity.NewClient(
		beyondidentity.WithTenant("0001f1f460b1ace6"),
		beyondidentity.WithRealm("8f5bec58229e6f29"),
		beyondidentity.WithAPIToken("token from the Admin Console"),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for cred, err := range c.Credentials.All(ctx, "4c1e6a0f9b2d7e35", nil) {
		if err != nil {
			log.Fatal(err)
		}
		if err := cred.VerifyThumbprint(); err != nil {
			log.Printf("passkey %s: %v", cred.ID, err)
			continue
		}
		key, _ := cred.PublicKey()
		fmt.Printf("%s %s %T created %s\n", cred.ID, cred.State, key, cred.CreateTime.Format("2006-01-02"))
	}
	// Every passkey of the realm: c.Credentials.All(ctx, beyondidentity.AllIdentities, nil)
}

// Revoke a passkey, for example when a user reports a lost device.
func ExampleCredentialsService_Revoke() {
	c, err := beyondidentity.NewClient(
		beyondidentity.WithTenant("0001f1f460b1ace6"),
		beyondidentity.WithRealm("8f5bec58229e6f29"),
		beyondidentity.WithAPIToken("token from the Admin Console"),
	)
	if err != nil {
		log.Fatal(err)
	}
	cred, err := c.Credentials.Revoke(context.Background(), "4c1e6a0f9b2d7e35", "9e0b7d3a5c21f486")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cred.ID, cred.State) // 9e0b7d3a5c21f486 REVOKED
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
