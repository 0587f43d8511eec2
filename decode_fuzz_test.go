package beyondidentity

// Fuzz targets for the decoders of the newer resources: whatever a server
// sends, decoding returns an error or a value, never a panic; a decoded
// value encodes again; a kind the library does not know keeps its JSON byte
// for byte; secrets never leak through printing.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func FuzzPolymorphicConfigs(f *testing.F) {
	for _, s := range []string{
		`{"type":"oauth2","client_secret":"s3cr3t-value","allowed_scopes":["a"],"x":{"y":1}}`,
		`{"type":"oidc","redirect_uris":[],"pkce":"s256"}`,
		`{"type":"saml","acs_url":"https://sp/acs"}`,
		`{"type":"bookmark","login_link":"https://app"}`,
		`{"type":"generic_oidc_idp","client_secret":"s3cr3t-value"}`,
		`{"type":"oidc_idp","client_id":"c","client_secret":"s3cr3t-value"}`,
		`{"Bookmark":{"login_link":"x"}}`, `null`, `[]`, `{"type":1}`, `{"type":"okta_idp","okta_registration":{}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		if pc, err := decodeProtocolConfig(b); err == nil && pc != nil {
			out, err := json.Marshal(pc)
			if err != nil {
				t.Fatalf("protocol config %q decodes but does not encode: %v", b, err)
			}
			// encoding/json compacts and HTML-escapes what a Marshaler
			// returns: the JSON value is kept, its spelling may not be.
			if u, ok := pc.(*UnknownProtocolConfig); ok && !sameJSON(out, u.Raw) {
				t.Fatalf("unknown protocol config changed: %q -> %q", u.Raw, out)
			}
			noSecret(t, b, pc)
		}
		if p, err := decodeSSOPayload(b); err == nil && p != nil {
			if _, err := json.Marshal(p); err != nil {
				t.Fatalf("SSO payload %q decodes but does not encode: %v", b, err)
			}
			noSecret(t, b, p)
		}
		if c, err := decodeIdentityProviderConfig(b); err == nil && c != nil {
			if _, err := json.Marshal(c); err != nil {
				t.Fatalf("identity provider config %q decodes but does not encode: %v", b, err)
			}
			noSecret(t, b, c)
		}
		var u SCIMUser
		if json.Unmarshal(b, &u) == nil {
			if _, err := json.Marshal(&u); err != nil && !strings.Contains(err.Error(), "beyondidentity") {
				t.Fatalf("SCIM user %q decodes but does not encode: %v", b, err)
			}
		}
		var a Application
		if json.Unmarshal(b, &a) == nil {
			if _, err := json.Marshal(a); err != nil {
				t.Fatalf("application %q decodes but does not encode: %v", b, err)
			}
		}
	})
}

// sameJSON reports whether a and b hold the same JSON value, numbers
// compared exactly.
func sameJSON(a, b []byte) bool {
	decode := func(b []byte) (any, error) {
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		var v any
		err := d.Decode(&v)
		return v, err
	}
	x, err1 := decode(a)
	y, err2 := decode(b)
	return err1 == nil && err2 == nil && reflect.DeepEqual(x, y)
}

// noSecret fails when printing v, decoded from b, shows the seed corpus's
// client secret. (A value under any other name is not known to be a secret:
// an unknown kind prints its members, but for names that look like secrets.)
func noSecret(t *testing.T, b []byte, v any) {
	t.Helper()
	if !bytes.Contains(b, []byte(`"client_secret":"s3cr3t-value"`)) {
		return
	}
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		if s := fmt.Sprintf(verb, v); strings.Contains(s, "s3cr3t-value") {
			t.Fatalf("%s of %T shows the secret: %s", verb, v, s)
		}
	}
}

func FuzzPageDecoding(f *testing.F) {
	for _, s := range []string{
		`{"identities":[{"id":"a"}],"total_size":1,"next_page_token":"n"}`,
		`{"identities":[null],"total_size":1}`, `{"identities":[` + strings.Repeat(`{},`, 50) + `{}]}`,
		`{"identities":{},"total_size":-1}`, `{"total_size":1e40}`, `null`, `{"identities":"x"}`,
	} {
		f.Add([]byte(s), 10)
	}
	f.Fuzz(func(t *testing.T, b []byte, maxItems int) {
		if maxItems < 0 || maxItems > 1000 {
			return
		}
		if err := checkPageItems(b, "identities", maxItems); err != nil {
			return
		}
		var w struct {
			Identities []*Identity `json:"identities"`
		}
		if json.Valid(b) && json.Unmarshal(b, &w) == nil {
			if len(w.Identities) > maxItems {
				t.Fatalf("checkPageItems let %d items through for a limit of %d: %q", len(w.Identities), maxItems, b)
			}
			for i, id := range w.Identities {
				if id == nil {
					t.Fatalf("checkPageItems let a null item %d through: %q", i, b)
				}
			}
		}
	})
}

func FuzzWaitHeaders(f *testing.F) {
	for _, s := range []string{"2", "0", "-1", "2.5", "1e30", "9223372036854775808", "Sat, 28 Nov 2026 12:00:10 GMT", "NaN", "Inf", "0x10", ""} {
		f.Add(s, s)
	}
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, retryAfter, reset string) {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		if reset != "" {
			h.Set("RateLimit-Reset", reset)
		}
		d, ok := retryAfterHeader(h, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("Retry-After %q, RateLimit-Reset %q: wait %v, ok %v", retryAfter, reset, d, ok)
		}
	})
}
