// Package bindlink holds the differential test of the SDK's
// ParseBindingLink against the official Embedded SDK
// (@beyondidentity/bi-sdk-js), whose isBindPasskeyUrl a front end calls
// before bindPasskey: the two must agree on every shape of binding link,
// except for the deliberate differences listed, with their reasons, in
// diff_test.go.
//
// The test builds a corpus of several hundred link shapes (corpus_test.go),
// runs the official SDK once on all of them under Node (verdicts.mjs, with
// fake-indexeddb in place of the browser's IndexedDB), and compares each
// verdict with ParseBindingLink's, reporting every disagreement with the URL
// (the corpus holds only fake tokens) and ParseBindingLink's problem.
//
// It needs node and the packages pinned in contract/package-lock.json,
// which contract/run.sh installs with npm ci; without them it is skipped
// with a one-line reason, or fails when $CI is set. It needs neither the
// OpenAPI spec nor Prism. Run it alone with
//
//	cd contract && go test -run TestParseBindingLinkAgreesWithEmbeddedSDK -v ./bindlink/
package bindlink
