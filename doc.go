// Package beyondidentity is a client for the Beyond Identity v1 API (the
// Secure Access platform) that does the server half of binding a passkey to a
// user: it gets API access tokens, creates and finds identities, creates
// credential binding jobs and hands their links to the front end, and manages
// the resulting passkeys (credentials), authenticator configs and API tokens.
//
// # Binding a passkey
//
//	c, err := beyondidentity.NewClient(
//		beyondidentity.WithTenant(tenantID),
//		beyondidentity.WithRealm(realmID), // the realm of your users
//		beyondidentity.WithClientCredentials(beyondidentity.ClientCredentials{
//			RealmID: adminRealmID, ApplicationID: appID, ClientID: clientID,
//			ClientSecret: beyondidentity.NewSecret(clientSecret)}),
//	)
//	id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{DisplayName: "Ada",
//		Traits: beyondidentity.Traits{Username: "ada", PrimaryEmailAddress: "ada@example.com"}})
//	res, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, authenticatorConfigID, nil)
//	// hand res.Link.Reveal() to the front end, which calls the Embedded SDK's bindPasskey(link)
//	job, err := c.BindingJobs.Wait(ctx, id.ID, res.Job.ID, nil) // COMPLETE: job.CredentialID
//
// With EMAIL delivery ([BindingJobsService.Create] with DeliveryMethodEmail)
// Beyond Identity emails the link instead; opening it redirects to the
// authenticator config's Invoke URL with a /bind path, which
// [Client.BindHandler] serves. [ParseBindingLink] reads both link shapes.
//
// # Authentication
//
// WithClientCredentials fetches tokens from the token endpoint of an
// application whose resource server is the Management API (the built-in
// "Beyond Identity Management API" application lives in the Admin realm, not
// in the realm of your users). Tokens are cached until shortly before they
// expire, fetched once for any number of concurrent callers, and fetched
// again when the API answers 401. WithAPIToken uses a fixed token;
// WithTokenSource plugs in any TokenSource.
//
// # Requests, retries and errors
//
// Every call takes a context, which bounds it, waits included. Reads,
// deletes, updates and revokes are retried on transport errors and 408, 429,
// 500, 502, 503 and 504 answers; creates only after a 429 or where the
// request cannot have reached the server, so a retry
// never makes a second identity, job or email (see RetryPolicy). Non-2xx
// answers are *APIError values that work with errors.Is and the sentinels
// ErrNotFound, ErrConflict, ErrUnauthorized, ErrForbidden and ErrRateLimited;
// input the library refuses before sending anything is a *ValidationError
// (errors.Is(err, ErrInvalidArgument)).
//
// # Secrets
//
// The client secret, access tokens and binding links never appear in the
// library's errors or logs. Every secret the library takes in or hands out
// is held the same way: in a [Secret] (ClientCredentials.ClientSecret,
// CreateBindingJobResult.Link) or, for a parsed binding link, in a
// [BindingLink] whose token sits in Secrets. Such values print as REDACTED
// with every fmt verb, log as REDACTED with log/slog and encode as
// "REDACTED" with encoding/json; only the Reveal methods return the secret.
//
// fmt cannot call a method on a value kept in an unexported field of a
// struct: it walks such a field by reflection. That is why the secret
// itself sits behind an unexported pointer, which fmt prints as an address:
// even a struct of yours that keeps a Secret, a ClientCredentials, a
// CreateBindingJobResult, a BindingLink or a token source in an unexported
// field prints no secret, with any verb. Tools that follow pointers while
// walking unexported fields (go-spew, go-cmp diffs in tests) can still reach
// it: do not dump such values with them.
//
// # Lists
//
// List methods return one Page; All methods return an iter.Seq2 that fetches
// pages lazily as a range loop needs them:
//
//	for id, err := range c.Identities.All(ctx, nil) { ... }
//
// # Testing
//
// Package beyondidentitytest provides an in-process fake of the API,
// including the device side of binding, for tests of code that uses this
// package; the examples here run against it.
package beyondidentity
