package beyondidentity

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

const (
	credIdentity = "4c1e6a0f9b2d7e35"
	credID       = "9e0b7d3a5c21f486"
)

var b64u = base64.RawURLEncoding.EncodeToString

// ---- JWK encoders written for the tests, independent of the code under test ----

func ecJWK(t testing.TB, k *ecdsa.PublicKey) string {
	t.Helper()
	crv := map[elliptic.Curve]string{elliptic.P256(): "P-256", elliptic.P384(): "P-384", elliptic.P521(): "P-521"}[k.Curve]
	raw, err := k.Bytes()
	require.NoError(t, err)
	size := (len(raw) - 1) / 2
	// Member order and extra members differ from the canonical form on
	// purpose.
	return fmt.Sprintf(`{"kty":"EC","use":"sig","x":%q,"y":%q,"crv":%q,"kid":"k1"}`, b64u(raw[1:1+size]), b64u(raw[1+size:]), crv)
}

func rsaJWK(k *rsa.PublicKey) string {
	return fmt.Sprintf(`{"n":%q,"alg":"RS256","kty":"RSA","e":%q}`, b64u(k.N.Bytes()), b64u(big.NewInt(int64(k.E)).Bytes()))
}

func edJWK(k ed25519.PublicKey) string {
	return fmt.Sprintf(`{"x":%q,"kty":"OKP","crv":"Ed25519"}`, b64u(k))
}

func sha256b64(s string) string {
	sum := sha256.Sum256([]byte(s))
	return b64u(sum[:])
}

func mustECKey(t testing.TB, c elliptic.Curve) *ecdsa.PublicKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	require.NoError(t, err)
	return &k.PublicKey
}

// testRSAKey is generated once: RSA key generation is slow.
var testRSAKey = func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}()

// credentialJSON is a credential as the API sends it, with jwk_json as a
// JSON string.
func credentialJSON(id, identityID, state, jwkJSON, thumb, createTime, updateTime string) string {
	j, _ := json.Marshal(jwkJSON)
	return fmt.Sprintf(`{"id":%q,"identity_id":%q,"realm_id":%q,"tenant_id":%q,"state":%q,"csr_type":"WEBAUTHN","jwk_json":%s,"jwk_thumbprint":%q,"create_time":%q,"update_time":%q}`,
		id, identityID, testRealm, testTenant, state, j, thumb, createTime, updateTime)
}

// ---- requests ----

func TestCredentialsGetRequest(t *testing.T) {
	c := newGockClient(t)
	k := mustECKey(t, elliptic.P256())
	apiMock(http.MethodGet, testRealmPath+"/identities/"+credIdentity+"/credentials/"+credID).
		AddMatcher(matchNoBody).
		Reply(200).JSON(credentialJSON(credID, credIdentity, "ACTIVE", ecJWK(t, k), "", "2024-03-05T10:11:12.345Z", "2024-03-05T10:11:12.345678Z"))

	cred, err := c.Credentials.Get(context.Background(), credIdentity, credID)
	require.NoError(t, err)
	assert.Equal(t, credID, cred.ID)
	assert.Equal(t, credIdentity, cred.IdentityID)
	assert.Equal(t, CredentialStateActive, cred.State)
	assert.Equal(t, CSRTypeWebAuthn, cred.CSRType)
	pub, err := cred.PublicKey()
	require.NoError(t, err)
	assert.True(t, k.Equal(pub))
}

func TestCredentialsEscapesIDs(t *testing.T) {
	c := newGockClient(t)
	// ':' in an ID is escaped so it cannot turn into a custom method; the
	// ':' of ":revoke" is not.
	apiMock(http.MethodGet, "/v1/tenants/"+testTenant+"/realms/"+testRealm+"/identities/a%3Arevoke/credentials/b%3Fc%23d%25").
		Reply(200).JSON(`{"id":"x"}`)
	apiMock(http.MethodPost, testRealmPath+"/identities/a%3Arevoke/credentials/b%3Fc%23d%25:revoke").
		AddMatcher(matchNoBody).
		Reply(200).JSON(`{"id":"x","state":"REVOKED"}`)
	apiMock(http.MethodGet, testRealmPath+"/identities/id%3A1/credentials").
		Reply(200).JSON(`{"credentials":[],"total_size":0}`)

	ctx := context.Background()
	_, err := c.Credentials.Get(ctx, "a:revoke", "b?c#d%")
	require.NoError(t, err)
	_, err = c.Credentials.Revoke(ctx, "a:revoke", "b?c#d%")
	require.NoError(t, err)
	_, err = c.Credentials.List(ctx, "id:1", nil)
	require.NoError(t, err)
}

func TestCredentialsRevokeRequest(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, testRealmPath+"/identities/"+credIdentity+"/credentials/"+credID+":revoke").
		AddMatcher(matchNoBody).
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			// No body, so no Content-Type and no length: a validating proxy
			// of the spec answers a body on this call with 415.
			return r.Header.Get("Content-Type") == "" && r.ContentLength <= 0, nil
		}).
		AddMatcher(matchQuery(t, nil)).
		Reply(200).JSON(credentialJSON(credID, credIdentity, "REVOKED", edJWK(make(ed25519.PublicKey, 32)), "", "2024-03-05T10:11:12Z", "2024-06-01T00:00:00.5Z"))

	cred, err := c.Credentials.Revoke(context.Background(), credIdentity, credID)
	require.NoError(t, err)
	assert.Equal(t, CredentialStateRevoked, cred.State)
	assert.Equal(t, time.Date(2024, 6, 1, 0, 0, 0, 5e8, time.UTC), cred.UpdateTime.UTC())
}

func TestCredentialsRevokeIsRetried(t *testing.T) {
	// Revoking twice has the effect of revoking once, so a 503 is retried
	// like a read (creates are not).
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var seen []string
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			seen = append(seen, fmt.Sprintf("%s %s body=%q", r.Method, r.URL.EscapedPath(), body))
			n := len(seen)
			mu.Unlock()
			if n == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"id":"`+credID+`","state":"REVOKED"}`)
		})
		c := newMemClient(t, h)
		cred, err := c.Credentials.Revoke(t.Context(), credIdentity, credID)
		require.NoError(t, err)
		assert.Equal(t, CredentialStateRevoked, cred.State)
		want := "POST " + testRealmPath + "/identities/" + credIdentity + "/credentials/" + credID + `:revoke body=""`
		mu.Lock()
		defer mu.Unlock()
		assert.Equal(t, []string{want, want}, seen)
	})
}

func TestCredentialsRevokeConflictAndNotFound(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, testRealmPath+"/identities/"+credIdentity+"/credentials/"+credID+":revoke").
		Reply(404).JSON(`{"code":"not_found","message":"credential not found","details":[{"type":"ResourceInfo","resource_type":"Credential","id":"9e0b7d3a5c21f486"}]}`)
	_, err := c.Credentials.Revoke(context.Background(), credIdentity, credID)
	require.ErrorIs(t, err, ErrNotFound)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	require.NotNil(t, ae.ResourceInfo())
	assert.Equal(t, "Credential", ae.ResourceInfo().ResourceType)
}

func TestCredentialsListRequest(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, testRealmPath+"/identities/-/credentials").
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"200"}, "skip": {"3"}, "page_token": {"tok 1"}})).
		AddMatcher(matchNoBody).
		Reply(200).JSON(`{"credentials":[{"id":"a1","state":"ACTIVE"},{"id":"a2","state":"SUSPENDED_BY_ADMIN"}],"total_size":7,"next_page_token":"next+/="}`)

	opts := &ListOptions{PageSize: 200, Skip: 3, PageToken: "tok 1"}
	page, err := c.Credentials.List(context.Background(), AllIdentities, opts)
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	assert.Equal(t, "a1", page.Items[0].ID)
	// An unknown state decodes as is.
	assert.Equal(t, CredentialState("SUSPENDED_BY_ADMIN"), page.Items[1].State)
	assert.Equal(t, 7, page.TotalSize)
	assert.Equal(t, "next+/=", page.NextPageToken)
	assert.Equal(t, &ListOptions{PageSize: 200, Skip: 3, PageToken: "tok 1"}, opts, "opts not modified")
}

func TestCredentialsListNoOptionsSendsNoQuery(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, testRealmPath+"/identities/"+credIdentity+"/credentials").
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) { return r.URL.RawQuery == "", nil }).
		Reply(200).JSON(`{"credentials":[],"total_size":0}`)
	page, err := c.Credentials.List(context.Background(), credIdentity, &ListOptions{})
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	assert.Empty(t, page.NextPageToken)
}

func TestCredentialsAll(t *testing.T) {
	c := newGockClient(t)
	base := testRealmPath + "/identities/" + credIdentity + "/credentials"
	apiMock(http.MethodGet, base).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"2"}, "skip": {"1"}})).
		Reply(200).JSON(`{"credentials":[{"id":"c1"},{"id":"c2"}],"total_size":4,"next_page_token":"p2"}`)
	apiMock(http.MethodGet, base).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"2"}, "skip": {"1"}, "page_token": {"p2"}})).
		Reply(200).JSON(`{"credentials":[{"id":"c3"}],"total_size":4,"next_page_token":null}`)

	opts := &ListOptions{PageSize: 2, Skip: 1}
	var ids []string
	for cred, err := range c.Credentials.All(context.Background(), credIdentity, opts) {
		require.NoError(t, err)
		ids = append(ids, cred.ID)
	}
	assert.Equal(t, []string{"c1", "c2", "c3"}, ids)
	assert.Equal(t, &ListOptions{PageSize: 2, Skip: 1}, opts)
}

func TestCredentialsAllStopsOnBreak(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, testRealmPath+"/identities/-/credentials").
		Reply(200).JSON(`{"credentials":[{"id":"c1"},{"id":"c2"}],"total_size":4,"next_page_token":"p2"}`)
	for cred, err := range c.Credentials.All(context.Background(), AllIdentities, nil) {
		require.NoError(t, err)
		assert.Equal(t, "c1", cred.ID)
		break // no second page may be fetched (gock would report it unmatched)
	}
}

func TestCredentialsValidation(t *testing.T) {
	c := newGockClient(t) // no mocks: any request fails the test
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"get empty identity", func() error { _, err := c.Credentials.Get(ctx, "", credID); return err }, "identityID"},
		{"get dotdot credential", func() error { _, err := c.Credentials.Get(ctx, credIdentity, ".."); return err }, "credentialID"},
		{"get slash credential", func() error { _, err := c.Credentials.Get(ctx, credIdentity, "a/b"); return err }, "credentialID"},
		{"revoke blank identity", func() error { _, err := c.Credentials.Revoke(ctx, "  ", credID); return err }, "identityID"},
		{"revoke empty credential", func() error { _, err := c.Credentials.Revoke(ctx, credIdentity, ""); return err }, "credentialID"},
		{"get with the wildcard identity", func() error { _, err := c.Credentials.Get(ctx, AllIdentities, credID); return err }, "identityID"},
		{"revoke with the wildcard identity", func() error { _, err := c.Credentials.Revoke(ctx, AllIdentities, credID); return err }, "identityID"},
		{"list empty identity", func() error { _, err := c.Credentials.List(ctx, "", nil); return err }, "identityID"},
		{"list page size 201", func() error {
			_, err := c.Credentials.List(ctx, AllIdentities, &ListOptions{PageSize: 201})
			return err
		}, "PageSize"},
		{"list negative page size", func() error { _, err := c.Credentials.List(ctx, AllIdentities, &ListOptions{PageSize: -1}); return err }, "PageSize"},
		{"list negative skip", func() error { _, err := c.Credentials.List(ctx, AllIdentities, &ListOptions{Skip: -1}); return err }, "Skip"},
		{"list filter", func() error {
			_, err := c.Credentials.List(ctx, AllIdentities, &ListOptions{Filter: `state eq "ACTIVE"`})
			return err
		}, "Filter"},
		{"all page size", func() error {
			for _, err := range c.Credentials.All(ctx, AllIdentities, &ListOptions{PageSize: 500}) {
				return err
			}
			return nil
		}, "PageSize"},
		{"no realm", func() error { _, err := c.InRealm("").Credentials.Get(ctx, credIdentity, credID); return err }, "realm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.ErrorIs(t, err, ErrInvalidArgument)
		})
	}
	// Page sizes 0 and 200 are valid (checked without I/O by validate).
	assert.NoError(t, (&ListOptions{PageSize: 0}).validate(maxCredentialsPageSize))
	assert.NoError(t, (&ListOptions{PageSize: 200}).validate(maxCredentialsPageSize))
}

// ---- decoding ----

func TestCredentialDecoding(t *testing.T) {
	k := mustECKey(t, elliptic.P384())
	jwkText := ecJWK(t, k)
	thumb, err := JWKThumbprint(k)
	require.NoError(t, err)
	body := credentialJSON(credID, credIdentity, "ACTIVE", jwkText, thumb+"=", "2023-11-02T08:09:10.123Z", "2023-11-02T08:09:10.123456Z")

	var cred Credential
	require.NoError(t, json.Unmarshal([]byte(body), &cred))
	assert.Equal(t, Credential{
		ID: credID, IdentityID: credIdentity, RealmID: testRealm, TenantID: testTenant,
		State: CredentialStateActive, CSRType: CSRTypeWebAuthn,
		JWKJSON: jwkText, JWKThumbprint: thumb + "=",
		CreateTime: time.Date(2023, 11, 2, 8, 9, 10, 123000000, time.UTC),
		UpdateTime: time.Date(2023, 11, 2, 8, 9, 10, 123456000, time.UTC),
	}, cred)
	assert.NoError(t, cred.VerifyThumbprint(), "padded thumbprint, as the API sends it")

	// Encoding keeps jwk_json a string and leaves out zero times.
	out, err := json.Marshal(Credential{ID: "c", JWKJSON: `{"kty":"OKP"}`})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"c","jwk_json":"{\"kty\":\"OKP\"}"}`, string(out))

	// Unknown enum values and a missing key decode fine.
	require.NoError(t, json.Unmarshal([]byte(`{"id":"c2","state":"FROZEN","csr_type":"X509"}`), &cred))
	assert.Equal(t, CredentialState("FROZEN"), cred.State)
	assert.Equal(t, CSRType("X509"), cred.CSRType)

	// jwk_json as an object is not what the API sends: it is an error, not
	// a silently empty key.
	assert.Error(t, json.Unmarshal([]byte(`{"id":"c3","jwk_json":{"kty":"EC"}}`), &Credential{}))
}

// ---- public keys ----

func TestPublicKeyRoundTrip(t *testing.T) {
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	rsa3072, err := rsa.GenerateKey(rand.Reader, 3072)
	require.NoError(t, err)

	tests := []struct {
		name string
		key  interface{ Equal(crypto.PublicKey) bool }
		jwk  string
		// canonical is the RFC 7638 input, written out by hand.
		canonical string
	}{}
	for _, c := range []elliptic.Curve{elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		k := mustECKey(t, c)
		raw, _ := k.Bytes()
		size := (len(raw) - 1) / 2
		tests = append(tests, struct {
			name      string
			key       interface{ Equal(crypto.PublicKey) bool }
			jwk       string
			canonical string
		}{c.Params().Name, k, ecJWK(t, k),
			`{"crv":"` + c.Params().Name + `","kty":"EC","x":"` + b64u(raw[1:1+size]) + `","y":"` + b64u(raw[1+size:]) + `"}`})
	}
	for _, k := range []*rsa.PublicKey{&testRSAKey.PublicKey, &rsa3072.PublicKey} {
		tests = append(tests, struct {
			name      string
			key       interface{ Equal(crypto.PublicKey) bool }
			jwk       string
			canonical string
		}{fmt.Sprintf("RSA-%d", k.N.BitLen()), k, rsaJWK(k),
			`{"e":"AQAB","kty":"RSA","n":"` + b64u(k.N.Bytes()) + `"}`})
	}
	tests = append(tests, struct {
		name      string
		key       interface{ Equal(crypto.PublicKey) bool }
		jwk       string
		canonical string
	}{"Ed25519", edPub, edJWK(edPub), `{"crv":"Ed25519","kty":"OKP","x":"` + b64u(edPub) + `"}`})

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cred := &Credential{ID: "c1", JWKJSON: tt.jwk, JWKThumbprint: sha256b64(tt.canonical)}
			pub, err := cred.PublicKey()
			require.NoError(t, err)
			assert.True(t, tt.key.Equal(pub), "parsed key equals the generated one")

			tp, err := JWKThumbprint(pub)
			require.NoError(t, err)
			assert.Equal(t, sha256b64(tt.canonical), tp)
			assert.NoError(t, cred.VerifyThumbprint())
			cred.JWKThumbprint += "=" // the API's padded form
			assert.NoError(t, cred.VerifyThumbprint())
		})
	}
}

func TestPublicKeyECCoordinateWithLeadingZero(t *testing.T) {
	// About one P-256 key in 256 has an x with a leading zero octet; the
	// JWK and the thumbprint must keep the coordinate's full 32 bytes.
	var k *ecdsa.PublicKey
	var raw []byte
	for range 100000 {
		k = mustECKey(t, elliptic.P256())
		raw, _ = k.Bytes()
		if raw[1] == 0 {
			break
		}
	}
	require.Zero(t, raw[1], "no key with a leading zero found")
	tp, err := JWKThumbprint(k)
	require.NoError(t, err)
	assert.Equal(t, sha256b64(`{"crv":"P-256","kty":"EC","x":"`+b64u(raw[1:33])+`","y":"`+b64u(raw[33:])+`"}`), tp)

	pub, err := ParseJWK([]byte(ecJWK(t, k)))
	require.NoError(t, err)
	assert.True(t, k.Equal(pub))

	// The same key with the zero octet stripped from x is refused.
	short := fmt.Sprintf(`{"kty":"EC","crv":"P-256","x":%q,"y":%q}`, b64u(raw[2:33]), b64u(raw[33:]))
	_, err = ParseJWK([]byte(short))
	require.ErrorIs(t, err, ErrInvalidJWK)
	assert.Contains(t, err.Error(), "x is 31 bytes")
}

// TestJWKThumbprintRFCVectors checks the worked examples of RFC 7638 §3.1
// (RSA) and RFC 8037 Appendix A.3 (Ed25519).
func TestJWKThumbprintRFCVectors(t *testing.T) {
	const rfc7638N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
	tests := []struct {
		name, jwk, thumb string
	}{
		{"RFC 7638 RSA", `{"kty":"RSA","n":"` + rfc7638N + `","e":"AQAB","alg":"RS256","kid":"2011-04-29"}`, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"},
		{"RFC 8037 Ed25519", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := ParseJWK([]byte(tt.jwk))
			require.NoError(t, err)
			tp, err := JWKThumbprint(pub)
			require.NoError(t, err)
			assert.Equal(t, tt.thumb, tp)
			cred := &Credential{JWKJSON: tt.jwk, JWKThumbprint: tt.thumb}
			assert.NoError(t, cred.VerifyThumbprint())
		})
	}
}

func TestVerifyThumbprintFailures(t *testing.T) {
	k1 := mustECKey(t, elliptic.P256())
	k2 := mustECKey(t, elliptic.P256())
	other, err := JWKThumbprint(k2)
	require.NoError(t, err)

	err = (&Credential{ID: "c1", JWKJSON: ecJWK(t, k1), JWKThumbprint: other}).VerifyThumbprint()
	require.ErrorIs(t, err, ErrJWKThumbprintMismatch)
	assert.NotErrorIs(t, err, ErrInvalidJWK)

	for name, thumb := range map[string]string{
		"empty":        "",
		"not base64":   "not a thumbprint!",
		"std alphabet": strings.ReplaceAll(strings.ReplaceAll(other, "-", "+"), "_", "/") + "+/",
		"too short":    other[:20],
		"two pads":     other + "==",
		"sha-1 size":   b64u(make([]byte, 20)),
	} {
		t.Run(name, func(t *testing.T) {
			err := (&Credential{ID: "c1", JWKJSON: ecJWK(t, k1), JWKThumbprint: thumb}).VerifyThumbprint()
			require.ErrorIs(t, err, ErrInvalidJWK)
		})
	}
	// A bad key is reported as such, not as a mismatch.
	err = (&Credential{ID: "c1", JWKJSON: `{"kty":"EC"}`, JWKThumbprint: other}).VerifyThumbprint()
	require.ErrorIs(t, err, ErrInvalidJWK)
}

func TestJWKThumbprintUnsupportedKeys(t *testing.T) {
	p224 := mustECKey(t, elliptic.P224())
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	for name, k := range map[string]crypto.PublicKey{
		"nil":              nil,
		"nil ecdsa":        (*ecdsa.PublicKey)(nil),
		"nil rsa":          (*rsa.PublicKey)(nil),
		"rsa without N":    &rsa.PublicKey{E: 65537},
		"P-224":            p224,
		"short ed25519":    ed25519.PublicKey(edPub[:31]),
		"nil ed25519 ptr":  (*ed25519.PublicKey)(nil),
		"string":           "key",
		"ecdsa off curve":  &ecdsa.PublicKey{Curve: elliptic.P256(), X: big.NewInt(1), Y: big.NewInt(1)},
		"ecdsa no coords":  &ecdsa.PublicKey{Curve: elliptic.P256()},
		"ecdsa nil curve":  &ecdsa.PublicKey{X: big.NewInt(1), Y: big.NewInt(1)},
		"rsa zero modulus": &rsa.PublicKey{N: big.NewInt(0), E: 3},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := JWKThumbprint(k)
			assert.ErrorIs(t, err, ErrInvalidJWK)
		})
	}
	tp, err := JWKThumbprint(&edPub) // a pointer works too
	require.NoError(t, err)
	assert.Equal(t, sha256b64(`{"crv":"Ed25519","kty":"OKP","x":"`+b64u(edPub)+`"}`), tp)
}

func TestPublicKeyMalformed(t *testing.T) {
	ec := mustECKey(t, elliptic.P256())
	raw, _ := ec.Bytes()
	x, y := b64u(raw[1:33]), b64u(raw[33:])
	offY := append([]byte(nil), raw[33:]...)
	offY[31] ^= 1
	n := b64u(testRSAKey.N.Bytes())
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	evenN := new(big.Int).Add(testRSAKey.N, big.NewInt(1))
	ed := b64u(make([]byte, 32))

	tests := []struct {
		name, jwk, want string
	}{
		{"empty", ``, "not a JSON object"},
		{"not JSON", `kty=EC`, "not a JSON object"},
		{"truncated", `{"kty":"EC"`, "not a JSON object"},
		{"array", `[{"kty":"EC"}]`, "not a JSON object"},
		{"string", `"{\"kty\":\"EC\"}"`, "not a JSON object"},
		{"null", `null`, "not a JSON object"},
		{"number", `42`, "not a JSON object"},
		{"no kty", `{"crv":"P-256","x":"` + x + `","y":"` + y + `"}`, `"kty" is missing`},
		{"kty null", `{"kty":null}`, `"kty" is missing`},
		{"kty number", `{"kty":1}`, `"kty" is not a string`},
		{"x number", `{"kty":"EC","crv":"P-256","x":1,"y":"` + y + `"}`, `"x" is not a string`},
		{"wrong kty", `{"kty":"oct","k":"AAAA"}`, `private key member "k"`},
		{"unknown kty", `{"kty":"DSA"}`, `unsupported kty "DSA"`},
		{"symmetric kty", `{"kty":"oct"}`, `unsupported kty "oct"`},
		{"kty lower case", `{"kty":"ec","crv":"P-256","x":"` + x + `","y":"` + y + `"}`, "unsupported kty"},
		{"EC no crv", `{"kty":"EC","x":"` + x + `","y":"` + y + `"}`, `"crv" is missing`},
		{"EC wrong curve", `{"kty":"EC","crv":"secp256k1","x":"` + x + `","y":"` + y + `"}`, `unsupported crv "secp256k1"`},
		{"EC P-192", `{"kty":"EC","crv":"P-192","x":"` + x + `","y":"` + y + `"}`, "unsupported crv"},
		{"EC curve mismatch", `{"kty":"EC","crv":"P-384","x":"` + x + `","y":"` + y + `"}`, "x is 32 bytes, want 48"},
		{"EC no x", `{"kty":"EC","crv":"P-256","y":"` + y + `"}`, `"x" is missing`},
		{"EC no y", `{"kty":"EC","crv":"P-256","x":"` + x + `"}`, `"y" is missing`},
		{"EC upper-case member names", `{"kty":"EC","crv":"P-256","X":"` + x + `","Y":"` + y + `"}`, `"x" is missing`},
		{"EC empty x", `{"kty":"EC","crv":"P-256","x":"","y":"` + y + `"}`, `"x" is empty`},
		{"EC bad base64", `{"kty":"EC","crv":"P-256","x":"!!` + x[2:] + `","y":"` + y + `"}`, `"x" is not unpadded base64url`},
		{"EC padded base64", `{"kty":"EC","crv":"P-256","x":"` + x + `=","y":"` + y + `"}`, `"x" is not unpadded base64url`},
		{"EC std base64", `{"kty":"EC","crv":"P-256","x":"` + base64.RawStdEncoding.EncodeToString(append([]byte{0xfb, 0xff}, raw[3:33]...)) + `","y":"` + y + `"}`, "not unpadded base64url"},
		{"EC point off curve", `{"kty":"EC","crv":"P-256","x":"` + x + `","y":"` + b64u(offY) + `"}`, "not on P-256"},
		{"EC point at zero", `{"kty":"EC","crv":"P-256","x":"` + b64u(make([]byte, 32)) + `","y":"` + b64u(make([]byte, 32)) + `"}`, "not on P-256"},
		{"EC coordinate too long", `{"kty":"EC","crv":"P-256","x":"` + b64u(append([]byte{0}, raw[1:33]...)) + `","y":"` + y + `"}`, "x is 33 bytes"},
		{"EC private", `{"kty":"EC","crv":"P-256","x":"` + x + `","y":"` + y + `","d":"AAAA"}`, `private key member "d"`},
		{"RSA no n", `{"kty":"RSA","e":"AQAB"}`, `"n" is missing`},
		{"RSA no e", `{"kty":"RSA","n":"` + n + `"}`, `"e" is missing`},
		{"RSA 1024 bits", rsaJWK(&small.PublicKey), "modulus is 1024 bits, want at least 2048"},
		{"RSA tiny", `{"kty":"RSA","n":"AQ","e":"AQAB"}`, "modulus is 1 bits"},
		{"RSA even modulus", `{"kty":"RSA","n":"` + b64u(evenN.Bytes()) + `","e":"AQAB"}`, "modulus is even"},
		{"RSA leading zero n", `{"kty":"RSA","n":"` + b64u(append([]byte{0}, testRSAKey.N.Bytes()...)) + `","e":"AQAB"}`, "n has a leading zero"},
		{"RSA leading zero e", `{"kty":"RSA","n":"` + n + `","e":"AAEAAQ"}`, "e has a leading zero"},
		{"RSA exponent 1", `{"kty":"RSA","n":"` + n + `","e":"AQ"}`, "exponent 1 is not"},
		{"RSA even exponent", `{"kty":"RSA","n":"` + n + `","e":"AQAA"}`, "exponent 65536 is not"},
		{"RSA exponent 2^31+1", `{"kty":"RSA","n":"` + n + `","e":"` + b64u([]byte{0x80, 0, 0, 1}) + `"}`, "is not an odd number"},
		{"RSA exponent 5 bytes", `{"kty":"RSA","n":"` + n + `","e":"` + b64u([]byte{1, 0, 0, 0, 1}) + `"}`, "exponent is too large"},
		{"RSA huge modulus", `{"kty":"RSA","n":"` + b64u(append([]byte{0xff}, make([]byte, 2048)...)) + `","e":"AQAB"}`, "want at most 16384"},
		{"RSA private", `{"kty":"RSA","n":"` + n + `","e":"AQAB","p":"AQ"}`, `private key member "p"`},
		{"OKP no crv", `{"kty":"OKP","x":"` + ed + `"}`, `"crv" is missing`},
		{"OKP X25519", `{"kty":"OKP","crv":"X25519","x":"` + ed + `"}`, `unsupported crv "X25519"`},
		{"OKP Ed448", `{"kty":"OKP","crv":"Ed448","x":"` + b64u(make([]byte, 57)) + `"}`, "unsupported crv"},
		{"OKP short x", `{"kty":"OKP","crv":"Ed25519","x":"` + b64u(make([]byte, 31)) + `"}`, "x is 31 bytes"},
		{"OKP no x", `{"kty":"OKP","crv":"Ed25519"}`, `"x" is missing`},
		{"OKP private", `{"kty":"OKP","crv":"Ed25519","x":"` + ed + `","d":"` + ed + `"}`, `private key member "d"`},
		{"too long", `{"kty":"EC","pad":"` + strings.Repeat("a", 70000) + `"}`, "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cred := &Credential{ID: "c1", JWKJSON: tt.jwk}
			pub, err := cred.PublicKey()
			require.Error(t, err)
			assert.Nil(t, pub)
			assert.ErrorIs(t, err, ErrInvalidJWK)
			if tt.jwk == "" {
				assert.Contains(t, err.Error(), "has no jwk_json")
			} else {
				assert.Contains(t, err.Error(), tt.want)
			}
			assert.Less(t, len(err.Error()), 200, "errors stay short")
		})
	}
}

// FuzzCredentialPublicKey checks that any jwk_json gives a key or an
// ErrInvalidJWK error, never a panic, and that an accepted key survives a
// round trip through its canonical (RFC 7638) form.
func FuzzCredentialPublicKey(f *testing.F) {
	f.Add(ecJWK(f, mustECKey(f, elliptic.P256())))
	f.Add(ecJWK(f, mustECKey(f, elliptic.P384())))
	f.Add(ecJWK(f, mustECKey(f, elliptic.P521())))
	f.Add(rsaJWK(&testRSAKey.PublicKey))
	f.Add(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`)
	f.Add(`{"kty":"RSA","n":"AQ","e":"AQAB"}`)
	f.Add(`{"kty":"EC","crv":"P-256","x":"","y":null}`)
	f.Add(`[]`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, s string) {
		cred := &Credential{ID: "c", JWKJSON: s, JWKThumbprint: "x"}
		_ = cred.VerifyThumbprint()
		pub, err := cred.PublicKey()
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidJWK)
			require.Nil(t, pub)
			return
		}
		input, err := thumbprintInput(pub)
		require.NoError(t, err)
		again, err := ParseJWK(input)
		require.NoError(t, err)
		require.True(t, pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(again))
		tp, err := JWKThumbprint(pub)
		require.NoError(t, err)
		cred.JWKThumbprint = tp
		require.NoError(t, cred.VerifyThumbprint())
	})
}

// FuzzVerifyThumbprint checks that any thumbprint text is handled without a
// panic and is accepted only when it is the key's thumbprint.
func FuzzVerifyThumbprint(f *testing.F) {
	const jwkText = `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`
	const good = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
	f.Add(good)
	f.Add(good + "=")
	f.Add("")
	f.Add("====")
	f.Fuzz(func(t *testing.T, thumb string) {
		err := (&Credential{JWKJSON: jwkText, JWKThumbprint: thumb}).VerifyThumbprint()
		if err == nil {
			require.Contains(t, []string{good, good + "="}, thumb)
		}
	})
}
