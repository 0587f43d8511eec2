package beyondidentity_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
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

// Keep client-credentials tokens in files, so that the next run of a
// short-lived program (a cron job, a CLI) reuses the token the previous run
// fetched instead of minting one more.
func ExampleNewFileTokenCache() {
	srv := beyondidentitytest.NewServer()
	defer srv.Close()
	dir, err := os.MkdirTemp("", "tokens") // in production: under os.UserCacheDir()
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	run := func() { // one run of the program
		cache, err := beyondidentity.NewFileTokenCache(dir)
		if err != nil {
			log.Fatal(err)
		}
		c, err := srv.Client(beyondidentity.WithTokenCache(cache))
		if err != nil {
			log.Fatal(err)
		}
		if _, err := c.Identities.List(context.Background(), nil); err != nil {
			log.Fatal(err)
		}
	}
	run()
	run()
	minted := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/token") {
			minted++
		}
	}
	fmt.Println("tokens minted for two runs:", minted)
	// Output: tokens minted for two runs: 1
}
