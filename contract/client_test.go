package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/require"
)

// transport is shared by every client of the suite.
var transport = cleanhttp.DefaultPooledTransport()

// newChecker returns a checker for t and an *http.Client that uses it.
func newChecker(t *testing.T, mode string) (*checker, *http.Client) {
	chk := &checker{t: t, mode: mode, base: transport, st: env.stats}
	return chk, &http.Client{Transport: chk, Timeout: 30 * time.Second}
}

// proxyClient returns a client of the seeded realm whose API calls go
// through the validating proxy and whose auth calls (the token) go to
// bifake itself. Retries are off: every answer reaches the test as sent.
func proxyClient(t *testing.T) (*bi.Client, *checker) {
	t.Helper()
	return proxyClientAuth(t, bi.WithClientCredentials(bi.ClientCredentials{
		RealmID: env.fake.AdminRealmID, ApplicationID: env.fake.ApplicationID,
		ClientID: env.fake.ClientID, ClientSecret: bi.NewSecret(env.fake.ClientSecret),
	}))
}

// proxyClientAuth is proxyClient with another authentication option.
func proxyClientAuth(t *testing.T, auth bi.Option) (*bi.Client, *checker) {
	t.Helper()
	requireEnv(t)
	chk, hc := newChecker(t, modeProxy)
	c, err := bi.NewClient(
		bi.WithTenant(env.fake.TenantID),
		bi.WithRealm(env.fake.RealmID),
		bi.WithBaseURLs(env.proxyURL.String(), env.fake.URL),
		auth,
		bi.WithHTTPClient(hc),
		bi.WithRetryPolicy(bi.RetryPolicy{MaxRetries: -1}),
		bi.WithUserAgent("contract-suite"),
	)
	require.NoError(t, err)
	return c, chk
}

// mockClient returns a client whose API calls go to the mock, with a static
// token (the mock checks that one is sent, not its value).
func mockClient(t *testing.T) (*bi.Client, *checker) {
	t.Helper()
	requireEnv(t)
	chk, hc := newChecker(t, modeMock)
	c, err := bi.NewClient(
		bi.WithTenant("000176d94fd7b4d1"),
		bi.WithRealm("8f5bec58229e6f29"),
		bi.WithBaseURLs(env.mockURL.String(), env.mockURL.String()),
		bi.WithAPIToken("mock-token"),
		bi.WithHTTPClient(hc),
		bi.WithRetryPolicy(bi.RetryPolicy{MaxRetries: -1}),
	)
	require.NoError(t, err)
	return c, chk
}

var uniq atomic.Int64

// unique returns a name no other call of the run returns.
func unique(prefix string) string {
	return fmt.Sprintf("%s%d%d", prefix, time.Now().UnixNano()%1e6, uniq.Add(1))
}

// rawAPI sends a request the SDK would refuse to send (a server-side rule
// is what is tested) through the same checked proxy, with a valid token,
// and returns the status and the decoded error body. realmPath is below
// the client's realm.
func rawAPI(t *testing.T, chk *http.Client, method, realmPath string, body any) (int, *bi.APIError) {
	t.Helper()
	return rawTenant(t, chk, method, "/realms/"+env.fake.RealmID+realmPath, body)
}

// rawTenant is rawAPI for a path below the tenant: "" for the tenant
// itself, "/realms", "/realms/{realm_id}/groups", ...
func rawTenant(t *testing.T, chk *http.Client, method, tenantPath string, body any) (int, *bi.APIError) {
	t.Helper()
	status, b := rawRequest(t, chk, method, tenantPath, body)
	var ae bi.APIError
	ae.StatusCode = status
	if status >= 300 {
		var eb struct {
			Code    string           `json:"code"`
			Message string           `json:"message"`
			Details []bi.ErrorDetail `json:"details"`
		}
		require.NoError(t, json.Unmarshal(b, &eb), string(b))
		ae.Code, ae.Message, ae.Details = eb.Code, eb.Message, eb.Details
	}
	return status, &ae
}

// rawRequest sends one JSON request to a path below the tenant through
// the proxy, with a valid token, and returns the status and the body.
func rawRequest(t *testing.T, chk *http.Client, method, tenantPath string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	u := env.proxyURL.String() + "/v1/tenants/" + env.fake.TenantID + tenantPath
	req, err := http.NewRequestWithContext(t.Context(), method, u, rd)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+fakeToken(t))
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := chk.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

// proxyClientScopes is proxyClient with a token of these scopes only.
func proxyClientScopes(t *testing.T, scopes ...string) *bi.Client {
	t.Helper()
	c, _ := proxyClientAuth(t, bi.WithClientCredentials(bi.ClientCredentials{
		RealmID: env.fake.AdminRealmID, ApplicationID: env.fake.ApplicationID,
		ClientID: env.fake.ClientID, ClientSecret: bi.NewSecret(env.fake.ClientSecret),
		Scopes: scopes,
	}))
	return c
}

// fakeToken fetches an access token from bifake's token endpoint.
func fakeToken(t *testing.T) string {
	t.Helper()
	u := env.fake.URL + "/v1/tenants/" + env.fake.TenantID + "/realms/" + env.fake.AdminRealmID +
		"/applications/" + env.fake.ApplicationID + "/token"
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader("grant_type=client_credentials"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(env.fake.ClientID, env.fake.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tr))
	return tr.AccessToken
}

// device posts to one of bifake's device endpoints (outside the API).
func device(t *testing.T, endpoint string, body any, out any) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, env.fake.URL+"/bifake/"+endpoint, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	rb, _ := io.ReadAll(resp.Body)
	require.Less(t, resp.StatusCode, 300, "bifake %s: %s", endpoint, rb)
	if out != nil {
		require.NoError(t, json.Unmarshal(rb, out))
	}
}

// completeBinding plays the device that binds a passkey with the link and
// returns the new credential's ID.
func completeBinding(t *testing.T, link string) string {
	t.Helper()
	var out struct {
		CredentialID string `json:"credential_id"`
	}
	device(t, "complete-binding", map[string]string{"link": link}, &out)
	require.NotEmpty(t, out.CredentialID)
	return out.CredentialID
}
