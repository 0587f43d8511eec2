package beyondidentity_test

import (
	"context"
	"fmt"
	"log"
)

// List the access tokens the Management API application has issued. The
// application lives in the Admin realm, so use a client for that realm.
func ExampleTokensService_List() {
	srv, c := fakeClient()
	defer srv.Close()
	admin := c.InRealm(srv.AdminRealmID())
	page, err := admin.Tokens.List(context.Background(), srv.ApplicationID(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, tok := range page.Items {
		// Only the last characters of a token are ever listed.
		fmt.Println(tok.TokenType, tok.TokenFormat, tok.Expires.After(tok.IssuedAt))
	}
	// Output: access self_contained true
}

// Ask the auth host whether a token is still active, and revoke it.
func ExampleTokensService_Introspect() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	admin := c.InRealm(srv.AdminRealmID())
	token := srv.IssueToken("ci pipeline", "identities:read")

	info, err := admin.Tokens.Introspect(ctx, token)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Active, info.Scope)
	if err := admin.Tokens.Revoke(ctx, srv.ApplicationID(), info.Jti); err != nil {
		log.Fatal(err)
	}
	info, err = admin.Tokens.Introspect(ctx, token)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Active)
	// Output:
	// true identities:read
	// false
}
