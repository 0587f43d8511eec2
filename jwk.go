package beyondidentity

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

// ErrInvalidJWK matches (with errors.Is) every error of Credential.PublicKey
// and ParseJWK about a malformed, unsupported or unsafe key.
var ErrInvalidJWK = errors.New("beyondidentity: invalid JWK")

// ErrJWKThumbprintMismatch matches the error of Credential.VerifyThumbprint
// when the thumbprint does not belong to the key.
var ErrJWKThumbprintMismatch = errors.New("beyondidentity: JWK thumbprint does not match the key")

// Limits on keys accepted by ParseJWK.
const (
	// MinRSAKeyBits is the smallest RSA modulus ParseJWK accepts.
	MinRSAKeyBits = 2048
	// maxRSAKeyBits bounds the work a hostile key can cause a verifier.
	maxRSAKeyBits = 16384
	// maxJWKLen bounds the JWK JSON text (a 16384-bit RSA key is ~3 KiB).
	maxJWKLen = 64 << 10
)

func jwkError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidJWK}, args...)...)
}

// jwk holds the members of a public JWK this package reads. A nil field is
// an absent (or null) member. Member names are matched exactly, as RFC 7517
// requires (encoding/json would match them case-insensitively).
type jwk struct {
	Kty, Crv, X, Y, N, E *string
}

// privateJWKMembers are members that only a private key has (RFC 7518 §6).
var privateJWKMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// JWKThumbprint returns the RFC 7638 SHA-256 thumbprint of a public key, in
// unpadded base64url as RFC 7638 §3 specifies: the hash of the key's
// required members only, in lexicographic order, with no whitespace
// (EC: crv, kty, x, y; RSA: e, kty, n; OKP: crv, kty, x). pub is an
// *ecdsa.PublicKey on P-256, P-384 or P-521, an *rsa.PublicKey or an
// ed25519.PublicKey (a pointer to one works too).
func JWKThumbprint(pub crypto.PublicKey) (string, error) {
	input, err := thumbprintInput(pub)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(input)
	return base64.RawURLEncoding.EncodeToString(sum[:]), nil
}

// thumbprintInput returns the canonical JSON of RFC 7638 §3.2 for pub. It
// is also a valid public JWK of the key.
func thumbprintInput(pub crypto.PublicKey) ([]byte, error) {
	b64 := base64.RawURLEncoding.EncodeToString
	// Every value is base64url or a fixed name, so no JSON escaping is
	// needed and the members can be written directly in their order.
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k == nil || k.X == nil || k.Y == nil {
			// (*ecdsa.PublicKey).Bytes panics on nil coordinates.
			return nil, jwkError("EC public key is incomplete")
		}
		crv, size, ok := curveName(k.Curve)
		if !ok {
			return nil, jwkError("unsupported curve")
		}
		raw, err := k.Bytes() // validates the point; 0x04 || X || Y
		if err != nil || len(raw) != 1+2*size {
			return nil, jwkError("EC public key is not a valid point")
		}
		return []byte(`{"crv":"` + crv + `","kty":"EC","x":"` + b64(raw[1:1+size]) + `","y":"` + b64(raw[1+size:]) + `"}`), nil
	case *rsa.PublicKey:
		if k == nil || k.N == nil || k.N.Sign() <= 0 || k.E <= 0 {
			return nil, jwkError("RSA public key is incomplete")
		}
		e := big.NewInt(int64(k.E)).Bytes()
		return []byte(`{"e":"` + b64(e) + `","kty":"RSA","n":"` + b64(k.N.Bytes()) + `"}`), nil
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, jwkError("Ed25519 public key is %d bytes, want %d", len(k), ed25519.PublicKeySize)
		}
		return []byte(`{"crv":"Ed25519","kty":"OKP","x":"` + b64(k) + `"}`), nil
	case *ed25519.PublicKey:
		if k == nil {
			return nil, jwkError("nil key")
		}
		return thumbprintInput(*k)
	case nil:
		return nil, jwkError("nil key")
	default:
		return nil, jwkError("unsupported key type %T", pub)
	}
}

func curveName(c elliptic.Curve) (name string, size int, ok bool) {
	switch c {
	case elliptic.P256():
		return "P-256", 32, true
	case elliptic.P384():
		return "P-384", 48, true
	case elliptic.P521():
		return "P-521", 66, true
	}
	return "", 0, false
}

// ParseJWK parses a public JSON Web Key (RFC 7517) as found in
// Credential.JWKJSON. It returns:
//   - *ecdsa.PublicKey for kty "EC" with crv "P-256", "P-384" or "P-521";
//     x and y must have the curve's full size and the point must be on the
//     curve;
//   - *rsa.PublicKey for kty "RSA"; the modulus must be odd, at least
//     MinRSAKeyBits and at most 16384 bits, and the exponent odd, at least
//     3 and below 2^31; neither may have leading zero octets;
//   - ed25519.PublicKey for kty "OKP" with crv "Ed25519" and a 32-byte x.
//
// Values are unpadded base64url (RFC 7515 §2). Members other than those are
// ignored, except private key members ("d", "p", …), which are refused: a
// credential's key must never carry them. Every error matches ErrInvalidJWK
// and names the member at fault; ParseJWK never panics.
func ParseJWK(data []byte) (crypto.PublicKey, error) {
	if len(data) > maxJWKLen {
		return nil, jwkError("JWK is longer than %d bytes", maxJWKLen)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil || members == nil {
		return nil, jwkError("not a JSON object")
	}
	for _, m := range privateJWKMembers {
		if _, ok := members[m]; ok {
			return nil, jwkError("contains the private key member %q", m)
		}
	}
	var k jwk
	for _, m := range []struct {
		name string
		dst  **string
	}{{"kty", &k.Kty}, {"crv", &k.Crv}, {"x", &k.X}, {"y", &k.Y}, {"n", &k.N}, {"e", &k.E}} {
		name, dst := m.name, m.dst
		raw, ok := members[name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return nil, jwkError("member %q is not a string", name)
		}
	}
	if k.Kty == nil {
		return nil, jwkError(`member "kty" is missing`)
	}
	switch *k.Kty {
	case "EC":
		return parseECJWK(&k)
	case "RSA":
		return parseRSAJWK(&k)
	case "OKP":
		return parseOKPJWK(&k)
	default:
		return nil, jwkError("unsupported kty %q (want EC, RSA or OKP)", truncate(*k.Kty, 16))
	}
}

func parseECJWK(k *jwk) (crypto.PublicKey, error) {
	if k.Crv == nil {
		return nil, jwkError(`EC key: member "crv" is missing`)
	}
	var curve elliptic.Curve
	switch *k.Crv {
	case "P-256":
		curve = elliptic.P256()
	case "P-384":
		curve = elliptic.P384()
	case "P-521":
		curve = elliptic.P521()
	default:
		return nil, jwkError("EC key: unsupported crv %q (want P-256, P-384 or P-521)", truncate(*k.Crv, 16))
	}
	_, size, _ := curveName(curve)
	x, err := jwkBytes("EC", "x", k.X)
	if err != nil {
		return nil, err
	}
	y, err := jwkBytes("EC", "y", k.Y)
	if err != nil {
		return nil, err
	}
	// RFC 7518 §6.2.1.2: each coordinate is the full size of the field.
	if len(x) != size {
		return nil, jwkError("EC key: x is %d bytes, want %d for %s", len(x), size, *k.Crv)
	}
	if len(y) != size {
		return nil, jwkError("EC key: y is %d bytes, want %d for %s", len(y), size, *k.Crv)
	}
	point := make([]byte, 0, 1+2*size)
	point = append(point, 4) // uncompressed
	point = append(point, x...)
	point = append(point, y...)
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, point)
	if err != nil {
		return nil, jwkError("EC key: the point (x, y) is not on %s", *k.Crv)
	}
	return pub, nil
}

func parseRSAJWK(k *jwk) (crypto.PublicKey, error) {
	n, err := jwkBytes("RSA", "n", k.N)
	if err != nil {
		return nil, err
	}
	e, err := jwkBytes("RSA", "e", k.E)
	if err != nil {
		return nil, err
	}
	// RFC 7518 §6.3.1: the minimum number of octets, so no leading zero.
	if n[0] == 0 {
		return nil, jwkError("RSA key: n has a leading zero octet")
	}
	if e[0] == 0 {
		return nil, jwkError("RSA key: e has a leading zero octet")
	}
	bits := new(big.Int).SetBytes(n).BitLen()
	if bits < MinRSAKeyBits {
		return nil, jwkError("RSA key: modulus is %d bits, want at least %d", bits, MinRSAKeyBits)
	}
	if bits > maxRSAKeyBits {
		return nil, jwkError("RSA key: modulus is %d bits, want at most %d", bits, maxRSAKeyBits)
	}
	if n[len(n)-1]&1 == 0 {
		return nil, jwkError("RSA key: modulus is even")
	}
	if len(e) > 4 {
		return nil, jwkError("RSA key: exponent is too large")
	}
	var exp int64
	for _, b := range e {
		exp = exp<<8 | int64(b)
	}
	if exp < 3 || exp > 1<<31-1 || exp&1 == 0 {
		return nil, jwkError("RSA key: exponent %d is not an odd number from 3 to 2^31-1", exp)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp)}, nil
}

func parseOKPJWK(k *jwk) (crypto.PublicKey, error) {
	if k.Crv == nil {
		return nil, jwkError(`OKP key: member "crv" is missing`)
	}
	if *k.Crv != "Ed25519" {
		return nil, jwkError("OKP key: unsupported crv %q (want Ed25519)", truncate(*k.Crv, 16))
	}
	x, err := jwkBytes("OKP", "x", k.X)
	if err != nil {
		return nil, err
	}
	if len(x) != ed25519.PublicKeySize {
		return nil, jwkError("OKP key: x is %d bytes, want %d for Ed25519", len(x), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(x), nil
}

// jwkBytes decodes a required base64url member.
func jwkBytes(kty, name string, v *string) ([]byte, error) {
	if v == nil {
		return nil, jwkError("%s key: member %q is missing", kty, name)
	}
	if *v == "" {
		return nil, jwkError("%s key: member %q is empty", kty, name)
	}
	b, err := decodeBase64URL(*v, false)
	if err != nil {
		return nil, jwkError("%s key: member %q is not unpadded base64url", kty, name)
	}
	return b, nil
}

// decodeBase64URL decodes base64url, unpadded or, when padded is true,
// with '=' padding. encoding/base64 skips '\r' and '\n' even in strict
// mode; here any byte outside the alphabet is an error, so that two
// different strings never decode to the same bytes.
func decodeBase64URL(s string, padded bool) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || padded && c == '=') {
			return nil, errors.New("not base64url")
		}
	}
	if padded {
		return base64.URLEncoding.Strict().DecodeString(s)
	}
	return base64.RawURLEncoding.Strict().DecodeString(s)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
