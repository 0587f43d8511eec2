package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary play bifake itself (for the signal test).
func TestMain(m *testing.M) {
	if os.Getenv("BIFAKE_TEST_MAIN") == "1" {
		os.Args = append([]string{"bifake"}, strings.Fields(os.Getenv("BIFAKE_TEST_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startRun runs bifake in process and returns its info line and a stop
// function that cancels it and returns run's error.
func startRun(t *testing.T, args ...string) (info, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	var in info
	require.NoError(t, json.Unmarshal([]byte(line), &in), line)
	return in, func() error {
		cancel()
		return <-done
	}
}

func getToken(t *testing.T, in info) string {
	t.Helper()
	u := in.URL + "/v1/tenants/" + in.TenantID + "/realms/" + in.AdminRealmID + "/applications/" + in.ApplicationID + "/token"
	req, _ := http.NewRequest("POST", u, strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(in.ClientID), url.QueryEscape(in.ClientSecret))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tr))
	return tr.AccessToken
}

func TestRunServesAndStops(t *testing.T) {
	in, stop := startRun(t, "-seed", "9", "-invoke-url", "https://app.example", "-client-secret", "s3cret")
	assert.True(t, strings.HasPrefix(in.URL, "http://127.0.0.1:"), in.URL)
	assert.Regexp(t, `^0001[0-9a-f]{12}$`, in.TenantID)
	assert.Equal(t, "s3cret", in.ClientSecret)
	assert.Equal(t, "https://app.example", in.InvokeURL)

	tok := getToken(t, in)
	req, _ := http.NewRequest("GET", in.URL+"/v1/tenants/"+in.TenantID+"/realms/"+in.RealmID+"/authenticator-configs/"+in.AuthenticatorConfigID, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var cfg map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&cfg))
	resp.Body.Close()
	assert.Equal(t, "https://app.example", cfg["config"].(map[string]any)["invoke_url"])
	// The issuer names the server's URL.
	claims, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	assert.Contains(t, string(claims), `"iss":"`+in.URL+"/v1/tenants/")

	// The same seed gives the same tenant.
	in2, stop2 := startRun(t, "-seed", "9")
	assert.Equal(t, in.TenantID, in2.TenantID)
	require.NoError(t, stop2())

	require.NoError(t, stop())
	_, err = http.Get(in.URL + "/")
	assert.Error(t, err, "the listener is closed")
}

// TestRunServesTenantLevelAndRBACRoutes: the process serves every route of
// the engine, the tenant's own paths and those of groups and roles
// included.
func TestRunServesTenantLevelAndRBACRoutes(t *testing.T) {
	in, stop := startRun(t)
	tok := getToken(t, in)
	call := func(method, path, body string) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(method, in.URL+"/v1/tenants/"+in.TenantID+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		require.Equal(t, 200, resp.StatusCode, "%s %s: %v", method, path, m)
		return m
	}
	assert.Equal(t, in.TenantID, call("GET", "", "")["id"])
	assert.EqualValues(t, 2, call("GET", "/realms", "")["total_size"])
	g := call("POST", "/realms/"+in.RealmID+"/groups", `{"group":{"display_name":"staff"}}`)["id"].(string)
	rs := call("POST", "/realms/"+in.RealmID+"/resource-servers", `{"resource_server":{"display_name":"API","identifier":"https://api.example","scopes":["a:b"]}}`)["id"].(string)
	role := call("POST", "/realms/"+in.RealmID+"/resource-servers/"+rs+"/roles", `{"role":{"display_name":"r"}}`)["id"].(string)
	call("POST", "/realms/"+in.RealmID+"/resource-servers/"+rs+"/roles/"+role+":addMembers", `{"group_ids":["`+g+`"]}`)
	m := call("GET", "/realms/"+in.RealmID+"/groups/"+g+":listRoles?resource_server_id="+rs, "")
	assert.EqualValues(t, 1, m["total_size"])
	require.NoError(t, stop())
}

func TestRunFlags(t *testing.T) {
	ctx := t.Context()
	assert.Error(t, run(ctx, []string{"-nope"}, io.Discard, io.Discard))
	assert.Error(t, run(ctx, []string{"extra"}, io.Discard, io.Discard))
	assert.Error(t, run(ctx, []string{"-addr", "256.0.0.1:1"}, io.Discard, io.Discard))

	in, stop := startRun(t, "-public-url", "https://fake.example", "-log")
	assert.Equal(t, "https://fake.example", in.URL)
	require.NoError(t, stop())
}

func TestSignalStopsProcess(t *testing.T) {
	testSignal(t)
}

func waitExit(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("bifake did not stop")
		return nil
	}
}

// TestRunServesTheRestOfTheAPI: the process serves the themes, the flow
// type configuration, identity providers, SSO configs and SCIM.
func TestRunServesTheRestOfTheAPI(t *testing.T) {
	in, stop := startRun(t)
	tok := getToken(t, in)
	call := func(want int, method, rest, body string) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(method, in.URL+"/v1/tenants/"+in.TenantID+"/realms/"+in.RealmID+"/"+rest, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		require.Equal(t, want, resp.StatusCode, "%s %s: %v", method, rest, m)
		return m
	}
	call(200, "POST", "themes", `{"theme":{}}`)
	call(200, "GET", "themes/active", "")
	call(200, "GET", "flow-type-config", "")
	call(200, "GET", "identity-providers", "")
	sso := call(200, "POST", "sso-configs", `{"sso_config":{"display_name":"Wiki","payload":{"type":"bookmark","login_link":"https://wiki.example"}}}`)["id"].(string)
	user := call(201, "POST", "scim/v2/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada","displayName":"Ada"}`)["id"].(string)
	call(201, "POST", "scim/v2/Groups/", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"staff","members":[{"value":"`+user+`"}]}`)
	call(200, "GET", "sso-configs/"+sso, "")
	m := call(200, "GET", "scim/v2/Users?count=10&filter=userName%20eq%20%22ada%22", "")
	assert.EqualValues(t, 1, m["totalResults"])
	require.NoError(t, stop())
}
