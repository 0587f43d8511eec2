package beyondidentity

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// JWK encoders written for the tests, independent of the code under test.

var b64u = base64.RawURLEncoding.EncodeToString

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
