package beyondidentity

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

const benchPage = `{"tokens":[{"id":"jti-1","display_name":"ci","scopes":["identities:read","identities:create"],"token_suffix":"x9Zq","token_format":"self_contained","expires":1767225600,"issued_at":1764633600,"token_type":"access"}],"total_size":1}`

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchPage)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkGetSDK measures one GET (list of tokens) through the SDK: URL
// building, headers, retry wrapper, status handling and JSON decoding.
func BenchmarkGetSDK(b *testing.B) {
	srv := benchServer(b)
	c, err := NewClient(WithTenant(testTenant), WithRealm(testRealm), WithAPIToken(testToken),
		WithBaseURLs(srv.URL, srv.URL), WithHTTPClient(srv.Client()))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		p, err := c.Tokens.List(ctx, "app-1", nil)
		if err != nil || len(p.Items) != 1 {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetPlainNetHTTP is the same call written by hand with net/http and
// encoding/json, with the same headers, as the baseline.
func BenchmarkGetPlainNetHTTP(b *testing.B) {
	srv := benchServer(b)
	hc := srv.Client()
	u := srv.URL + testRealmPath + "/applications/app-1/tokens"
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", userAgentPrefix)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var out struct {
			Tokens    []*Token `json:"tokens"`
			TotalSize int      `json:"total_size"`
			Next      *string  `json:"next_page_token"`
		}
		err = json.NewDecoder(resp.Body).Decode(&out)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || len(out.Tokens) != 1 {
			b.Fatal(err)
		}
	}
}

const benchIdentity = `{"id":"e372db224c06e850","realm_id":"8f5bec58229e6f29","tenant_id":"0001f1f460b1ace6","display_name":"Ada Lovelace","create_time":"2026-01-02T03:04:05.123456Z","update_time":"2026-01-02T03:04:05.123456Z","status":"active","traits":{"type":"traits_v0","username":"ada","primary_email_address":"ada@example.com","given_name":"Ada","family_name":"Lovelace"}}`

func identityServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchIdentity)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkGetIdentitySDKDefault is Identities.Get through the SDK's
// default HTTP client (the one users get without WithHTTPClient).
func BenchmarkGetIdentitySDKDefault(b *testing.B) {
	srv := identityServer(b)
	c, err := NewClient(WithTenant(testTenant), WithRealm(testRealm), WithAPIToken(testToken), WithBaseURLs(srv.URL, srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		id, err := c.Identities.Get(ctx, "e372db224c06e850")
		if err != nil || id.Traits.Username != "ada" {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetIdentityRaw is the same GET by hand, decoding into the SDK's
// Identity, through a client like the SDK's default (pooled transport, no
// timeout).
func BenchmarkGetIdentityRaw(b *testing.B) {
	srv := identityServer(b)
	hc := &http.Client{Transport: defaultTransport()} // the SDK's transport: the same timeouts
	u := srv.URL + testRealmPath + "/identities/e372db224c06e850"
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", userAgentPrefix)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var id Identity
		err = json.NewDecoder(resp.Body).Decode(&id)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || id.Traits.Username != "ada" {
			b.Fatal(err)
		}
	}
}
