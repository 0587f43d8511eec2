// Package contract holds the contract conformance suite of the SDK: it checks
// every request the SDK sends and every answer the fake gives against the
// official OpenAPI spec of the Beyond Identity v1 API, with Prism
// (@stoplight/prism-cli) as the judge.
//
// The suite is a module of its own, github.com/passkeyhq/beyondidentity/contract
// (contract/go.mod, which replaces the SDK's module with the repository root),
// so that its test dependencies (the YAML reader, Prism's npm files) stay out
// of the SDK's module. It needs Node/npm; run it with
//
//	contract/run.sh
//
// which installs the pinned npm packages (Prism, the official Embedded SDK
// and fake-indexeddb) from package-lock.json into contract/node_modules and
// runs go test ./... inside contract/.
//
// The suite finds the spec at $BEYONDIDENTITY_OPENAPI_SPEC, by default
// ../shared/openapi/beyond-identity-v1.yaml; a relative path is taken from
// the repository root. The spec is never copied into the repository: it is
// static/api/v1/openapi.yaml of the GitHub repository
// gobeyondidentity/developer-docs (rendered at
// https://developer.beyondidentity.com/api/v1). Without it the suite says so
// in one line and is skipped, or fails when $CI is set. Without Prism, only
// the tests that need no Prism run (the API-line check and the self-tests).
//
// Four parts:
//
//   - Proxy: the SDK talks to `prism proxy --errors <spec> <bifake>` in front
//     of cmd/bifake and drives every operation in scope, success and the
//     documented error answers (400, 401, 403, 404, 409, 422, 429). The
//     token and introspection endpoints and binding links are not in the
//     spec: the SDK's auth base URL points at bifake directly. A request the
//     SDK refuses to send (a server-side rule is what is tested) goes
//     through the same proxy as a raw request (rawAPI in client_test.go),
//     judged by Prism like the SDK's.
//   - Mock: the SDK talks to `prism mock <spec>` and decodes every example
//     answer of every operation in scope.
//   - API lines: every exported method of the SDK that sends one operation
//     names it in its doc comment, in a line such as
//     "API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id} (GetIdentity)".
//     TestAPILines reads the SDK's source with go/parser and checks each line
//     against the spec and the lists of spec_test.go: inScope (each named by
//     exactly one method), leftOut (never named) and outsideSpec (the auth
//     host's token and introspection endpoints). See apilines_test.go.
//   - Binding links (package bindlink): ParseBindingLink is compared, on a
//     corpus of several hundred link shapes, with the official Embedded
//     SDK's isBindPasskeyUrl (@beyondidentity/bi-sdk-js, run under Node
//     with fake-indexeddb; both pinned in package-lock.json). The two must
//     agree, except for the deliberate differences listed with their
//     reasons in bindlink/diff_test.go. This part needs neither the spec
//     nor Prism: cd contract && go test ./bindlink/ runs it alone.
//
// One http.RoundTripper, wrapped around the SDK's transport, reads Prism's
// verdict on each exchange (the sl-violations header and Prism's own error
// answers). Known defects of the spec are listed, with the reason, in the
// allow-list of allowlist_test.go, by operation and violation; every other
// violation fails the test that caused it. A request Prism refuses only
// for such defects is still forwarded, once, to bifake: through a proxy
// that checks the answer alone (--errors --validate-request=false), which
// lists every error of an answer in its own (Prism cuts its sl-violations
// header short after about 8 KB), or, after a refused security scheme,
// through a proxy that reports instead of refusing. The mock answers a
// request that breaks the spec with its 400 whatever it is asked for; an
// allowance may say how to put such a request in the form the spec
// declares (a header it requires, a body's envelope) for the mock only,
// and mock_test.go lists, with the reason, the answers no request can get
// from the mock or that a defect of the spec keeps from coming back
// through the SDK as the spec gives them.
package contract
