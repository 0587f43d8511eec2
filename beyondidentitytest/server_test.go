package beyondidentitytest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fastRetries keeps real-time retry tests short.
var fastRetries = beyondidentity.WithRetryPolicy(beyondidentity.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})

func newServer(t *testing.T, opts ...beyondidentitytest.Option) *beyondidentitytest.Server {
	t.Helper()
	srv := beyondidentitytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

func newClient(t *testing.T, srv *beyondidentitytest.Server, opts ...beyondidentity.Option) *beyondidentity.Client {
	t.Helper()
	c, err := srv.Client(opts...)
	require.NoError(t, err)
	return c
}

// api sends a raw request to the fake with a bearer token and decodes the
// JSON answer.
func api(t *testing.T, srv *beyondidentitytest.Server, token, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, srv.URL()+path, rd)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var m map[string]any
	if b, _ := io.ReadAll(resp.Body); len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, &m), "%s", b)
	}
	return resp.StatusCode, m
}

func realmPath(srv *beyondidentitytest.Server, rest string) string {
	return "/v1/tenants/" + srv.TenantID() + "/realms/" + srv.RealmID() + "/" + rest
}

func tokensPath(srv *beyondidentitytest.Server) string {
	return "/v1/tenants/" + srv.TenantID() + "/realms/" + srv.AdminRealmID() + "/applications/" + srv.ApplicationID() + "/tokens"
}

func TestServerAccessors(t *testing.T) {
	srv := newServer(t)
	assert.True(t, strings.HasPrefix(srv.URL(), "http://127.0.0.1:"), srv.URL())
	assert.Regexp(t, `^0001[0-9a-f]{12}$`, srv.TenantID())
	assert.Regexp(t, `^[0-9a-f]{16}$`, srv.AdminRealmID())
	assert.Regexp(t, `^[0-9a-f]{16}$`, srv.RealmID())
	assert.Regexp(t, `^[0-9a-f-]{36}$`, srv.ApplicationID())
	assert.Regexp(t, `^[0-9a-f-]{36}$`, srv.AuthenticatorConfigID())
	assert.NotEmpty(t, srv.ClientID())
	assert.NotEmpty(t, srv.ClientSecret())
	assert.NotNil(t, srv.Handler())
	assert.Equal(t, beyondidentity.ClientCredentials{
		RealmID: srv.AdminRealmID(), ApplicationID: srv.ApplicationID(), ClientID: srv.ClientID(), ClientSecret: beyondidentity.NewSecret(srv.ClientSecret()),
	}, srv.ClientCredentials())

	c := newClient(t, srv)
	assert.Equal(t, srv.TenantID(), c.TenantID())
	assert.Equal(t, srv.RealmID(), c.RealmID())
	assert.Equal(t, srv.URL(), c.APIBaseURL())
	assert.Equal(t, srv.URL(), c.AuthBaseURL())

	mem := newServer(t, beyondidentitytest.WithInMemory())
	assert.Equal(t, beyondidentitytest.PlaceholderURL, mem.URL())
	assert.Equal(t, beyondidentitytest.PlaceholderURL, newClient(t, mem).APIBaseURL())

	seeded := newServer(t, beyondidentitytest.WithSeed(42), beyondidentitytest.WithInMemory())
	again := newServer(t, beyondidentitytest.WithSeed(42))
	assert.Equal(t, seeded.TenantID(), again.TenantID())
	assert.Equal(t, seeded.ClientSecret(), again.ClientSecret())
	assert.NotEqual(t, srv.TenantID(), mem.TenantID())
}

func TestClientTokens(t *testing.T) {
	for _, mode := range []string{"loopback", "memory"} {
		t.Run(mode, func(t *testing.T) {
			var opts []beyondidentitytest.Option
			if mode == "memory" {
				opts = append(opts, beyondidentitytest.WithInMemory())
			}
			srv := newServer(t, opts...)
			ctx := t.Context()
			admin := newClient(t, srv).InRealm(srv.AdminRealmID())

			page, err := admin.Tokens.List(ctx, srv.ApplicationID(), nil)
			require.NoError(t, err)
			require.Len(t, page.Items, 1, "the client's own token")
			assert.Equal(t, 1, page.TotalSize)
			assert.Empty(t, page.NextPageToken)
			tok := page.Items[0]
			assert.Equal(t, beyondidentity.TokenTypeAccess, tok.TokenType)
			assert.Equal(t, beyondidentity.TokenFormatSelfContained, tok.TokenFormat)
			assert.Contains(t, tok.Scopes, "identities:create")
			assert.WithinDuration(t, time.Now().Add(beyondidentitytest.DefaultTokenLifetime), tok.Expires, 5*time.Second)

			issued := srv.IssueToken("ci", "identities:read")
			n := 0
			for tk, err := range admin.Tokens.All(ctx, srv.ApplicationID(), &beyondidentity.ListTokensOptions{PageSize: 1}) {
				require.NoError(t, err)
				n++
				if tk.DisplayName == "ci" {
					assert.Equal(t, []string{"identities:read"}, tk.Scopes)
					assert.Equal(t, issued[len(issued)-len(tk.TokenSuffix):], tk.TokenSuffix)
				}
			}
			assert.Equal(t, 2, n)

			in, err := admin.Tokens.Introspect(ctx, issued)
			require.NoError(t, err)
			assert.True(t, in.Active)
			assert.Equal(t, "identities:read", in.Scope)
			assert.Equal(t, srv.ApplicationID(), in.Sub)
			assert.Equal(t, beyondidentity.Audience{"beyondidentity"}, in.Aud)
			assert.JSONEq(t, `"`+srv.TenantID()+`"`, string(in.Claims["bi_t"]))

			// Revoking the client's own token: the next call is refused once,
			// then succeeds with a new token.
			require.NoError(t, admin.Tokens.Revoke(ctx, srv.ApplicationID(), tok.ID))
			page, err = admin.Tokens.List(ctx, srv.ApplicationID(), nil)
			require.NoError(t, err)
			assert.Equal(t, 2, page.TotalSize, "the issued token and the client's new one")
			var statuses []int
			for _, r := range srv.Requests() {
				if r.Method == "GET" && r.Path == tokensPath(srv) {
					statuses = append(statuses, r.Status)
				}
			}
			assert.Equal(t, []int{200, 200, 200, 401, 200}, statuses)

			in, err = admin.Tokens.Introspect(ctx, "not-a-token")
			require.NoError(t, err)
			assert.False(t, in.Active)

			err = admin.Tokens.Revoke(ctx, srv.ApplicationID(), "nope")
			assert.ErrorIs(t, err, beyondidentity.ErrNotFound)
		})
	}
}

func TestClientOptionsOverrideDefaults(t *testing.T) {
	srv := newServer(t)
	ctx := t.Context()

	// An API token replaces the client credentials: no token request.
	tok := srv.IssueToken("", "tokens:read")
	c := newClient(t, srv, beyondidentity.WithAPIToken(tok), beyondidentity.WithRealm(srv.AdminRealmID()), beyondidentity.WithUserAgent("tests/1"))
	assert.Equal(t, srv.AdminRealmID(), c.RealmID())
	_, err := c.Tokens.List(ctx, srv.ApplicationID(), nil)
	require.NoError(t, err)
	for _, r := range srv.Requests() {
		assert.False(t, strings.HasSuffix(r.Path, "/token"), "no token request expected")
		assert.Contains(t, r.Header.Get("User-Agent"), "tests/1")
	}
	// The token lacks tokens:introspect.
	_, err = c.Tokens.Introspect(ctx, tok)
	assert.ErrorIs(t, err, beyondidentity.ErrForbidden)

	// Client credentials with a scope subset replace the defaults too.
	cc := srv.ClientCredentials()
	cc.Scopes = []string{"tokens:read"}
	c = newClient(t, srv, beyondidentity.WithClientCredentials(cc))
	_, err = c.InRealm(srv.AdminRealmID()).Tokens.Introspect(ctx, tok)
	assert.ErrorIs(t, err, beyondidentity.ErrForbidden)

	// Wrong credentials: 401 invalid_client.
	cc = srv.ClientCredentials()
	cc.ClientSecret = beyondidentity.NewSecret("wrong")
	c = newClient(t, srv, beyondidentity.WithClientCredentials(cc))
	_, err = c.InRealm(srv.AdminRealmID()).Tokens.List(ctx, srv.ApplicationID(), nil)
	var ae *beyondidentity.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 401, ae.StatusCode)
	assert.Equal(t, "invalid_client", ae.Code)
	assert.ErrorIs(t, err, beyondidentity.ErrUnauthorized)
	assert.NotContains(t, err.Error(), srv.ClientSecret())

	// An invalid option is reported.
	_, err = srv.Client(beyondidentity.WithTenant(""))
	assert.ErrorIs(t, err, beyondidentity.ErrInvalidArgument)
}

func TestSecretNeedingEscapes(t *testing.T) {
	srv := newServer(t, beyondidentitytest.WithAppCredentials("id:with+chars", "sec%ret+/:é"))
	_, err := newClient(t, srv).InRealm(srv.AdminRealmID()).Tokens.List(t.Context(), srv.ApplicationID(), nil)
	require.NoError(t, err)
}

func TestFaultsDriveSDKRetries(t *testing.T) {
	srv := newServer(t)
	ctx := t.Context()
	admin := newClient(t, srv, fastRetries).InRealm(srv.AdminRealmID())
	p := tokensPath(srv)

	t.Run("503 then success", func(t *testing.T) {
		srv.ClearRequests()
		srv.InjectFault(beyondidentitytest.Fault{Method: "GET", Path: p, Status: 503})
		_, err := admin.Tokens.List(ctx, srv.ApplicationID(), nil)
		require.NoError(t, err)
		assert.Equal(t, []int{503, 200}, statusesOf(srv, "GET", p))
		assert.Zero(t, srv.PendingFaults())
	})
	t.Run("dropped connection on a GET", func(t *testing.T) {
		srv.ClearRequests()
		srv.InjectFault(beyondidentitytest.Fault{Method: "GET", Path: "/v1/tenants/*/realms/*/applications/*/tokens", Drop: true})
		_, err := admin.Tokens.List(ctx, srv.ApplicationID(), nil)
		require.NoError(t, err)
		log := srv.Requests()
		require.GreaterOrEqual(t, len(log), 2)
		assert.True(t, log[0].Dropped)
		assert.Equal(t, 200, log[len(log)-1].Status)
	})
	t.Run("persistent failure surfaces", func(t *testing.T) {
		srv.InjectFault(beyondidentitytest.Fault{Method: "GET", Path: p, Status: 500, Times: 10})
		defer srv.ClearFaults()
		_, err := admin.Tokens.List(ctx, srv.ApplicationID(), nil)
		var ae *beyondidentity.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 500, ae.StatusCode)
		assert.Equal(t, "internal_server_error", ae.Code)
		assert.Equal(t, 4, ae.Attempts)
	})
	t.Run("invalid fault panics", func(t *testing.T) {
		assert.Panics(t, func() { srv.InjectFault(beyondidentitytest.Fault{Path: "/x"}) })
	})
}

func statusesOf(srv *beyondidentitytest.Server, method, path string) []int {
	var out []int
	for _, r := range srv.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r.Status)
		}
	}
	return out
}

func TestInMemoryWithSynctest(t *testing.T) {
	t.Run("token expiry", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := newServer(t, beyondidentitytest.WithInMemory(), beyondidentitytest.WithTokenLifetime(time.Hour))
			ctx := t.Context()
			admin := newClient(t, srv).InRealm(srv.AdminRealmID())
			static := newClient(t, srv, beyondidentity.WithAPIToken(srv.IssueToken("static")), beyondidentity.WithRealm(srv.AdminRealmID()))

			first, err := admin.Tokens.List(ctx, srv.ApplicationID(), nil)
			require.NoError(t, err)
			_, err = static.Tokens.List(ctx, srv.ApplicationID(), nil)
			require.NoError(t, err)

			time.Sleep(time.Hour)
			// The static token has expired: 401.
			_, err = static.Tokens.List(ctx, srv.ApplicationID(), nil)
			assert.ErrorIs(t, err, beyondidentity.ErrUnauthorized)
			// The client credentials client fetched a new one.
			page, err := admin.Tokens.List(ctx, srv.ApplicationID(), nil)
			require.NoError(t, err)
			require.Len(t, page.Items, 1, "expired tokens are not listed")
			assert.NotEqual(t, first.Items[0].ID, page.Items[0].ID)
			n := 0
			for _, r := range srv.Requests() {
				if strings.HasSuffix(r.Path, "/token") {
					n++
				}
			}
			assert.Equal(t, 2, n)
		})
	})
	t.Run("Retry-After waits in fake time", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := newServer(t, beyondidentitytest.WithInMemory())
			admin := newClient(t, srv).InRealm(srv.AdminRealmID())
			srv.InjectFault(beyondidentitytest.Fault{Method: "GET", Path: tokensPath(srv), Status: 429, RetryAfter: 30 * time.Second})
			start := time.Now()
			_, err := admin.Tokens.List(t.Context(), srv.ApplicationID(), nil)
			require.NoError(t, err)
			assert.Equal(t, 30*time.Second, time.Since(start))
		})
	})
	t.Run("delay and cancellation", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := newServer(t, beyondidentitytest.WithInMemory())
			admin := newClient(t, srv).InRealm(srv.AdminRealmID())
			srv.InjectFault(beyondidentitytest.Fault{Path: tokensPath(srv), Delay: time.Minute})
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			start := time.Now()
			_, err := admin.Tokens.List(ctx, srv.ApplicationID(), nil)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, 5*time.Second, time.Since(start))
		})
	})
}

func TestBindingFlowOverHTTP(t *testing.T) {
	for _, mode := range []string{"loopback", "memory"} {
		t.Run(mode, func(t *testing.T) {
			var opts []beyondidentitytest.Option
			if mode == "memory" {
				opts = append(opts, beyondidentitytest.WithInMemory())
			}
			srv := newServer(t, append(opts, beyondidentitytest.WithInvokeURL("https://app.example/passkeys"))...)
			tok := srv.IssueToken("")
			st, m := api(t, srv, tok, "POST", realmPath(srv, "identities"), map[string]any{"identity": map[string]any{
				"display_name": "Ada", "traits": map[string]any{"type": "traits_v0", "username": "ada", "primary_email_address": "ada@example.com"}}})
			require.Equal(t, 200, st, "%v", m)
			id := m["id"].(string)
			jobs := realmPath(srv, "identities/"+id+"/credential-binding-jobs")

			// RETURN: the link comes back; the device completes it.
			st, m = api(t, srv, tok, "POST", jobs, map[string]any{"job": map[string]any{"delivery_method": "RETURN", "authenticator_config_id": srv.AuthenticatorConfigID()}})
			require.Equal(t, 200, st, "%v", m)
			link := m["credential_binding_link"].(string)
			assert.True(t, strings.HasPrefix(link, srv.URL()+"/v1/tenants/"+srv.TenantID()+"/realms/"+srv.RealmID()+"/identities/"+id+"/credential-binding-jobs/"), link)
			b, err := srv.CompleteBinding(t.Context(), link)
			require.NoError(t, err)
			st, m = api(t, srv, tok, "GET", jobs+"/"+b.JobID, nil)
			require.Equal(t, 200, st)
			assert.Equal(t, "COMPLETE", m["state"])
			assert.Equal(t, b.CredentialID, m["credential_id"])
			_, err = srv.CompleteBinding(t.Context(), link)
			assert.ErrorIs(t, err, beyondidentitytest.ErrJobNotPending)

			// EMAIL: the outbox has the link; following it redirects to the
			// Invoke URL's /bind route with every parameter.
			st, m = api(t, srv, tok, "POST", jobs, map[string]any{"job": map[string]any{"delivery_method": "EMAIL", "authenticator_config_id": srv.AuthenticatorConfigID()}})
			require.Equal(t, 200, st, "%v", m)
			jobID := m["credential_binding_job"].(map[string]any)["id"].(string)
			out := srv.Outbox()
			require.Len(t, out, 1)
			assert.Equal(t, "ada@example.com", out[0].To)
			assert.Equal(t, jobID, out[0].JobID)
			assert.Equal(t, id, out[0].IdentityID)

			hc := *srv.HTTPClient()
			hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, err := hc.Get(out[0].Link)
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, http.StatusFound, resp.StatusCode)
			loc, err := url.Parse(resp.Header.Get("Location"))
			require.NoError(t, err)
			assert.Equal(t, "https://app.example/passkeys/bind", loc.Scheme+"://"+loc.Host+loc.Path)
			q := loc.Query()
			assert.Equal(t, srv.URL(), q.Get("api_base_url"))
			assert.Equal(t, srv.TenantID(), q.Get("tenant_id"))
			assert.Equal(t, srv.RealmID(), q.Get("realm_id"))
			assert.Equal(t, id, q.Get("identity_id"))
			assert.Equal(t, jobID, q.Get("job_id"))
			assert.Len(t, q.Get("token"), 64)
			_, m = api(t, srv, tok, "GET", jobs+"/"+jobID, nil)
			assert.Equal(t, "LINK_OPENED", m["state"])

			b, err = srv.CompleteBinding(t.Context(), loc.String())
			require.NoError(t, err)
			assert.Equal(t, jobID, b.JobID)
			st, m = api(t, srv, tok, "GET", realmPath(srv, "identities/"+id+"/credentials"), nil)
			require.Equal(t, 200, st)
			assert.EqualValues(t, 2, m["total_size"])

			require.NoError(t, srv.SetJobState(jobID, "EXPIRED"))
			_, m = api(t, srv, tok, "GET", jobs+"/"+jobID, nil)
			assert.Equal(t, "EXPIRED", m["state"])
			assert.Error(t, srv.SetJobState(jobID, "COMPLETE"))

			_, err = srv.CompleteBinding(t.Context(), "https://example.com/nothing")
			assert.True(t, errors.Is(err, beyondidentitytest.ErrInvalidLink))
		})
	}
}

func TestRequestLogRedaction(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv).InRealm(srv.AdminRealmID())
	_, err := c.Tokens.List(t.Context(), srv.ApplicationID(), nil)
	require.NoError(t, err)
	log := srv.Requests()
	require.Len(t, log, 2)
	assert.Equal(t, "POST", log[0].Method)
	assert.Equal(t, "grant_type=client_credentials", log[0].Body)
	for _, r := range log {
		assert.Empty(t, r.Header.Values("Authorization"))
	}
}

func TestClose(t *testing.T) {
	srv := beyondidentitytest.NewServer()
	hc := srv.HTTPClient()
	u := srv.URL()
	srv.Close()
	_, err := hc.Get(u + "/v1/tenants/x/realms/y/identities")
	assert.Error(t, err)
	beyondidentitytest.NewServer(beyondidentitytest.WithInMemory()).Close()
}
