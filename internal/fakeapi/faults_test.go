package fakeapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/passkeyhq/beyondidentity/internal/memtransport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultStatusThenSuccess(t *testing.T) {
	s := newServer(t, Config{})
	list := s.realm("identities")
	require.NoError(t, s.e.AddFault(Fault{Method: "GET", Path: list, Status: 503, RetryAfter: 1500 * time.Millisecond}))
	assert.Equal(t, 1, s.e.PendingFaults())

	// Other methods and paths are not affected.
	s.mustDo(200, "POST", list, identityBody("a", map[string]any{"type": "traits_v0", "username": "a"}))
	s.mustDo(200, "GET", s.realm("authenticator-configs"), nil)

	resp, err := s.hc.Do(mustRequest(t, "GET", s.url+list, "", "", s.token))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, "2", resp.Header.Get("Retry-After"))
	assert.Equal(t, 0, s.e.PendingFaults())
	s.mustDo(200, "GET", list, nil)

	// Times, patterns, headers and bodies.
	require.NoError(t, s.e.AddFault(Fault{Path: "/v1/tenants/*/realms/*/identities/*", Times: 2, Status: 429,
		Header: http.Header{"Ratelimit-Reset": {"7"}}, Body: `{"code":"too_many_requests","message":"slow down"}`}))
	id := s.createIdentity("b", "")
	for range 2 {
		m := s.mustDo(429, "GET", s.realm("identities/"+id), nil)
		assert.Equal(t, "slow down", m["message"])
	}
	s.mustDo(200, "GET", s.realm("identities/"+id), nil)

	require.NoError(t, s.e.AddFault(Fault{Status: 500, Times: 3}))
	s.e.ClearFaults()
	s.mustDo(200, "GET", list, nil)

	assert.Error(t, s.e.AddFault(Fault{Path: "/["}))
	assert.Error(t, s.e.AddFault(Fault{Path: "/x"}), "a fault must do something")
	assert.Error(t, s.e.AddFault(Fault{Status: 5}))
}

func TestFaultDrop(t *testing.T) {
	s := newServer(t, Config{})
	list := s.realm("identities")
	require.NoError(t, s.e.AddFault(Fault{Method: "GET", Path: list, Drop: true}))
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	_, err := hc.Do(mustRequest(t, "GET", s.url+list, "", "", s.token))
	require.Error(t, err)
	var ue *url.Error
	assert.True(t, errors.As(err, &ue), "a transport error: %v", err)
	s.mustDo(200, "GET", list, nil)

	log := s.e.Requests()
	var dropped []Request
	for _, r := range log {
		if r.Dropped {
			dropped = append(dropped, r)
		}
	}
	require.Len(t, dropped, 1)
	assert.Equal(t, list, dropped[0].Path)
	assert.Equal(t, 0, dropped[0].Status)

	// In memory, a drop is memtransport's transport error.
	m := New(Config{})
	seed := m.Seeded()
	require.NoError(t, m.AddFault(Fault{Drop: true}))
	_, err = memtransport.Client(m).Get(PlaceholderOrigin + "/v1/tenants/" + seed.TenantID + "/realms/" + seed.RealmID + "/identities")
	assert.ErrorIs(t, err, memtransport.ErrConnectionDropped)
}

func TestFaultDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newMemServer(t, Config{})
		list := s.realm("identities")
		require.NoError(t, s.e.AddFault(Fault{Path: list, Delay: 10 * time.Second, Times: 2}))

		// The client gives up first: the wait ends with its context.
		ctx, cancel := context.WithTimeout(t.Context(), 4*time.Second)
		defer cancel()
		start := time.Now()
		req := mustRequest(t, "GET", s.url+list, "", "", s.token).WithContext(ctx)
		_, err := s.hc.Do(req)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 4*time.Second, time.Since(start))
		synctest.Wait()

		// Served after the delay.
		start = time.Now()
		s.mustDo(200, "GET", list, nil)
		assert.Equal(t, 10*time.Second, time.Since(start))
		start = time.Now()
		s.mustDo(200, "GET", list, nil)
		assert.Zero(t, time.Since(start))

		// A delay combined with a status.
		require.NoError(t, s.e.AddFault(Fault{Path: list, Delay: time.Second, Status: 504}))
		start = time.Now()
		s.mustDo(504, "GET", list, nil)
		assert.Equal(t, time.Second, time.Since(start))
	})
}

func TestRequestLogRedactsSecrets(t *testing.T) {
	s := newServer(t, Config{})
	s.e.ClearRequests()
	s.fetchToken(nil)
	st, _ := s.form(s.tokenPath(), url.Values{"grant_type": {"client_credentials"}, "client_id": {s.seed.ClientID}, "client_secret": {s.seed.ClientSecret}}, "")
	require.Equal(t, 200, st)
	id := s.createIdentity("ada", "")
	link := s.createJob(id, "RETURN")["credential_binding_link"].(string)
	openLink(t, s, link, http.StatusOK)
	st, _ = s.form(s.admin("introspect"), url.Values{"token": {s.token}}, "Bearer "+s.token)
	require.Equal(t, 200, st)

	log := s.e.Requests()
	require.Len(t, log, 6)
	for _, r := range log {
		assert.Empty(t, r.Header.Get("Authorization"), "%s %s", r.Method, r.Path)
		all := fmt.Sprint(r)
		assert.NotContains(t, all, s.seed.ClientSecret)
		assert.NotContains(t, all, s.token)
		assert.NotContains(t, all, link[strings.Index(link, "token=")+6:])
		assert.NotZero(t, r.Status)
		assert.False(t, r.Time.IsZero())
	}
	assert.Equal(t, "POST", log[0].Method)
	assert.Equal(t, s.tokenPath(), log[0].Path)
	assert.Equal(t, "grant_type=client_credentials", log[0].Body)
	assert.Equal(t, 200, log[0].Status)
	assert.Contains(t, log[1].Body, "client_secret="+Redacted)
	assert.Contains(t, log[1].Body, "client_id="+url.QueryEscape(s.seed.ClientID))
	assert.Contains(t, log[2].Body, `"username":"ada"`)
	assert.Equal(t, "application/json", log[2].Header.Get("Content-Type"))
	assert.Equal(t, url.Values{"token": {Redacted}}, log[4].Query)
	assert.True(t, strings.HasSuffix(log[4].Path, ":invokeAuthenticator"))
	assert.Equal(t, "token="+Redacted, log[5].Body)

	// The log hands out copies.
	log[4].Query.Set("token", "x")
	assert.Equal(t, Redacted, s.e.Requests()[4].Query.Get("token"))
	s.e.ClearRequests()
	assert.Empty(t, s.e.Requests())
}

func TestConcurrentCreates(t *testing.T) {
	s := newServer(t, Config{})
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			if err := concurrentWorker(s, i); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	m := s.mustDo(200, "GET", s.realm("identities?page_size=200"), nil)
	assert.EqualValues(t, n, m["total_size"])
	seen := map[string]bool{}
	for _, it := range m["identities"].([]any) {
		seen[it.(map[string]any)["traits"].(map[string]any)["username"].(string)] = true
	}
	assert.Len(t, seen, n)
	m = s.mustDo(200, "GET", s.realm("identities/-/credential-binding-jobs?page_size=200"), nil)
	assert.EqualValues(t, 2*n, m["total_size"])
	jobIDs := map[string]bool{}
	for _, it := range m["credential_binding_jobs"].([]any) {
		jobIDs[it.(map[string]any)["id"].(string)] = true
	}
	assert.Len(t, jobIDs, 2*n)
	assert.Len(t, s.e.Outbox(), n)
	m = s.mustDo(200, "GET", s.realm("identities/-/credentials?page_size=200"), nil)
	assert.EqualValues(t, n, m["total_size"])
}

// concurrentWorker creates an identity, a RETURN job it completes, and an
// EMAIL job, listing along the way. It reports failures as errors (the
// testing helpers must not run off the test goroutine).
func concurrentWorker(s *tserver, i int) error {
	do := func(method, path, body string) (int, string, error) {
		req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
		if err != nil {
			return 0, "", err
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+s.token)
		resp, err := s.hc.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}
	st, body, err := do("POST", s.realm("identities"), fmt.Sprintf(`{"identity":{"display_name":"u%d","traits":{"type":"traits_v0","username":"user%d","primary_email_address":"u%d@example.com"}}}`, i, i, i))
	if err != nil || st != 200 {
		return fmt.Errorf("create identity %d: %d %s %v", i, st, body, err)
	}
	id := body[strings.Index(body, `"id":"`)+6:]
	id = id[:16]
	for _, dm := range []string{"RETURN", "EMAIL"} {
		st, body, err = do("POST", s.realm("identities/"+id+"/credential-binding-jobs"), `{"job":{"delivery_method":"`+dm+`","authenticator_config_id":"`+s.seed.AuthenticatorConfigID+`"}}`)
		if err != nil || st != 200 {
			return fmt.Errorf("create job %d: %d %s %v", i, st, body, err)
		}
		if dm == "RETURN" {
			link := body[strings.Index(body, `"credential_binding_link":"`)+27:]
			link = link[:strings.IndexByte(link, '"')]
			if _, err := s.e.CompleteBinding(context.Background(), link); err != nil {
				return fmt.Errorf("complete %d: %v", i, err)
			}
		}
	}
	if st, _, err := do("GET", s.realm("identities/-/credential-binding-jobs"), ""); err != nil || st != 200 {
		return fmt.Errorf("list %d: %d %v", i, st, err)
	}
	return nil
}
