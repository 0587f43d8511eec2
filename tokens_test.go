package beyondidentity

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

const (
	ccSecret = "cc-secret-Zx81!+/="
	ccPath   = "/v1/tenants/" + testTenant + "/realms/adminrealm01/applications/mgmt-app/token"
)

var testCreds = ClientCredentials{RealmID: "adminrealm01", ApplicationID: "mgmt-app", ClientID: "client-1", ClientSecret: NewSecret(ccSecret)}

// authServer is an in-memory token endpoint plus an API that accepts only
// the tokens it minted and has not revoked.
type authServer struct {
	mu        sync.Mutex
	minted    []string
	revoked   map[string]bool
	expiresIn int
	apiCalls  atomic.Int32
	gate      chan struct{} // when set, token requests wait for it to close
	tokenFail int           // answer this many token requests with 500
	apiStatus func(n int32) int
}

func newAuthServer() *authServer {
	return &authServer{revoked: map[string]bool{}, expiresIn: 3600}
}

func (a *authServer) tokenCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.minted)
}

func (a *authServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == ccPath {
		if a.gate != nil {
			select {
			case <-a.gate:
			case <-r.Context().Done():
				return
			}
		}
		user, pass, ok := r.BasicAuth()
		if ok {
			user, _ = url.QueryUnescape(user)
			pass, _ = url.QueryUnescape(pass)
		}
		if !ok || user != testCreds.ClientID || pass != ccSecret {
			w.WriteHeader(401)
			_, _ = io.WriteString(w, `{"error":"invalid_client","error_description":"bad client credentials"}`)
			return
		}
		a.mu.Lock()
		if a.tokenFail > 0 {
			a.tokenFail--
			a.mu.Unlock()
			w.WriteHeader(500)
			_, _ = io.WriteString(w, `{"code":"internal_server_error","message":"oops"}`)
			return
		}
		tok := fmt.Sprintf("minted-%d", len(a.minted)+1)
		a.minted = append(a.minted, tok)
		a.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": a.expiresIn})
		return
	}
	n := a.apiCalls.Add(1)
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	a.mu.Lock()
	valid := !a.revoked[tok] && strings.HasPrefix(tok, "minted-")
	a.mu.Unlock()
	code := 200
	if !valid {
		code = 401
	}
	if a.apiStatus != nil {
		code = a.apiStatus(n)
	}
	w.WriteHeader(code)
	if code == 200 {
		_, _ = io.WriteString(w, `{"tokens":[],"total_size":0}`)
	} else {
		_, _ = io.WriteString(w, `{"code":"unauthorized","message":"unauthorized"}`)
	}
}

func (a *authServer) revoke(tok string) {
	a.mu.Lock()
	a.revoked[tok] = true
	a.mu.Unlock()
}

func TestConcurrentCallersShareOneTokenFetch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		as := newAuthServer()
		as.gate = make(chan struct{})
		c := newMemClient(t, as, WithClientCredentials(testCreds))
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		for range 100 {
			wg.Go(func() { errs <- listTokens(t.Context(), c) })
		}
		synctest.Wait() // every goroutine is now waiting for the one fetch
		close(as.gate)
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		assert.Equal(t, 1, as.tokenCount())
		assert.Equal(t, int32(100), as.apiCalls.Load())
	})
}

func TestCancelledWaiterDoesNotFailOthers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		as := newAuthServer()
		as.gate = make(chan struct{})
		c := newMemClient(t, as, WithClientCredentials(testCreds))

		ctxA, cancelA := context.WithCancel(t.Context())
		var errA, errB error
		doneA, doneB := make(chan struct{}), make(chan struct{})
		go func() { errA = listTokens(ctxA, c); close(doneA) }() // A starts the fetch
		synctest.Wait()
		go func() { errB = listTokens(t.Context(), c); close(doneB) }()
		synctest.Wait()

		cancelA()
		<-doneA
		assert.ErrorIs(t, errA, context.Canceled)
		select {
		case <-doneB:
			t.Fatal("B returned although only A was cancelled")
		default:
		}
		close(as.gate)
		<-doneB
		require.NoError(t, errB)
		assert.Equal(t, 1, as.tokenCount())
	})
}

func TestFailedTokenFetchReachesEveryWaiterAndIsNotCached(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		as := newAuthServer()
		as.tokenFail = 1
		c := newMemClient(t, as, WithClientCredentials(testCreds), WithRetryPolicy(RetryPolicy{MaxRetries: -1}))
		err := listTokens(t.Context(), c)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 500, ae.StatusCode)
		assert.True(t, strings.HasSuffix(ae.URL, "/token"))
		require.NoError(t, listTokens(t.Context(), c), "the next call fetches again")
	})
}

func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		as := newAuthServer()
		as.expiresIn = 600 // skew is min(1m, 10%) = 60 s: refresh after 540 s
		c := newMemClient(t, as, WithClientCredentials(testCreds))
		require.NoError(t, listTokens(t.Context(), c))
		time.Sleep(539 * time.Second)
		require.NoError(t, listTokens(t.Context(), c))
		assert.Equal(t, 1, as.tokenCount(), "still cached just before expiry minus skew")
		time.Sleep(2 * time.Second)
		require.NoError(t, listTokens(t.Context(), c))
		assert.Equal(t, 2, as.tokenCount(), "refreshed once expiry minus skew has passed")
	})
}

func TestUnauthorizedRefreshesOnceAndReplays(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		as := newAuthServer()
		c := newMemClient(t, as, WithClientCredentials(testCreds))
		require.NoError(t, listTokens(t.Context(), c))
		as.revoke("minted-1") // revoked early, before its expiry
		calls := as.apiCalls.Load()
		require.NoError(t, listTokens(t.Context(), c))
		assert.Equal(t, 2, as.tokenCount(), "one refresh")
		assert.Equal(t, calls+2, as.apiCalls.Load(), "the rejected request and one replay")
	})
}

func TestSecondUnauthorizedIsReturned(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		as := newAuthServer()
		as.apiStatus = func(int32) int { return 401 }
		c := newMemClient(t, as, WithClientCredentials(testCreds))
		err := listTokens(t.Context(), c)
		assert.ErrorIs(t, err, ErrUnauthorized)
		assert.Equal(t, 2, as.tokenCount())
		assert.Equal(t, int32(2), as.apiCalls.Load())
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 2, ae.Attempts)
	})
}

func TestStaticTokenUnauthorizedIsNotReplayed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		as := newAuthServer() // rejects the static test token
		c := newMemClient(t, as)
		err := listTokens(t.Context(), c)
		assert.ErrorIs(t, err, ErrUnauthorized)
		assert.Equal(t, int32(1), as.apiCalls.Load())
	})
}

func TestWrongClientSecret(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		as := newAuthServer()
		bad := testCreds
		bad.ClientSecret = NewSecret("wrong-secret-123")
		c := newMemClient(t, as, WithClientCredentials(bad))
		err := listTokens(t.Context(), c)
		assert.ErrorIs(t, err, ErrUnauthorized)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "invalid_client", ae.Code)
		assert.NotContains(t, err.Error(), "wrong-secret-123")
		assert.Equal(t, int32(0), as.apiCalls.Load())
	})
}

func TestTokenSourceFuncAndInvalidator(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		as := newAuthServer()
		var calls atomic.Int32
		ts := TokenSourceFunc(func(context.Context) (string, error) {
			calls.Add(1)
			return "minted-x", nil
		})
		c := newMemClient(t, as, WithTokenSource(ts))
		require.NoError(t, listTokens(t.Context(), c))
		assert.Equal(t, int32(1), calls.Load())

		failing := TokenSourceFunc(func(context.Context) (string, error) { return "", errors.New("vault sealed") })
		c = newMemClient(t, as, WithTokenSource(failing))
		err := listTokens(t.Context(), c)
		var re *RequestError
		require.ErrorAs(t, err, &re)
		assert.Contains(t, err.Error(), "getting access token: vault sealed")
	})
}

func TestJWTLifetimeFallback(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"exp":1700000600}`))
	assert.Equal(t, 10*time.Minute, jwtLifetime("h."+payload+".s", now))
	assert.Equal(t, 5*time.Minute, jwtLifetime("opaque", now))
	assert.Equal(t, 5*time.Minute, jwtLifetime("a.!!.c", now))
}

func TestLogsNeverContainSecrets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		as := newAuthServer()
		as.apiStatus = func(n int32) int {
			if n == 2 {
				return 503 // one retry
			}
			if n == 3 {
				return 401 // one refresh
			}
			return 200
		}
		logger, logs := newDebugLogger()
		c := newMemClient(t, as, WithClientCredentials(testCreds), WithLogger(logger))
		require.NoError(t, listTokens(t.Context(), c))
		require.NoError(t, listTokens(t.Context(), c))
		out := logs.String()
		for _, secret := range []string{ccSecret, "minted-1", "minted-2", url.QueryEscape(ccSecret),
			base64.StdEncoding.EncodeToString([]byte("client-1:" + url.QueryEscape(ccSecret)))} {
			assert.NotContains(t, out, secret)
		}
		assert.Contains(t, out, `"status":503`)
		assert.Equal(t, 1, strings.Count(out, "retrying"), "one retry logged")
		assert.Contains(t, out, "access token rejected")
		assert.Contains(t, out, `"url":"http://api.test`+testRealmPath+`/applications/app-1/tokens"`)
	})
}

func TestClientCredentialsLogAndJSONRedact(t *testing.T) {
	logger, logs := newDebugLogger()
	logger.Info("config", "creds", testCreds, "secret", testCreds.ClientSecret)
	text := slog.New(slog.NewTextHandler(logs, nil))
	text.Info("config", "creds", testCreds, "secret", testCreds.ClientSecret)
	assert.NotContains(t, logs.String(), ccSecret)
	assert.Contains(t, logs.String(), `"ClientSecret":"REDACTED"`)
	assert.Contains(t, logs.String(), `"secret":"REDACTED"`)
	assert.Contains(t, logs.String(), `ClientSecret:REDACTED`)
	b, err := json.Marshal(testCreds)
	require.NoError(t, err)
	assert.NotContains(t, string(b), ccSecret)
}

func TestTokensListRequestAndDecoding(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, testRealmPath+"/applications/app-1/tokens").
		AddMatcher(matchQuery(t, map[string][]string{"principal_type": {"identity"}, "principal_id": {"id-7"}, "page_size": {"50"}})).
		Reply(200).BodyString(`{"tokens":[
			{"id":"jti-1","display_name":"ci","scopes":["identities:read"],"token_suffix":"x9Zq","token_format":"self_contained","expires":1767225600,"issued_at":1764633600,"token_type":"access"},
			{"id":"jti-2","token_format":"opaque_future","token_type":"access","extra":"ignored"}],
			"total_size":2,"next_page_token":null}`)
	page, err := c.Tokens.List(context.Background(), "app-1", &ListTokensOptions{PrincipalType: PrincipalTypeIdentity, PrincipalID: "id-7", PageSize: 50})
	require.NoError(t, err)
	assert.Equal(t, 2, page.TotalSize)
	assert.Equal(t, "", page.NextPageToken)
	require.Len(t, page.Items, 2)
	assert.Equal(t, &Token{ID: "jti-1", DisplayName: "ci", Scopes: []string{"identities:read"}, TokenSuffix: "x9Zq",
		TokenFormat: TokenFormatSelfContained, Expires: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		IssuedAt: time.Date(2025, 12, 2, 0, 0, 0, 0, time.UTC), TokenType: TokenTypeAccess}, page.Items[0])
	assert.True(t, page.Items[1].Expires.IsZero(), "an absent time is the zero time")
	// A token encodes back to the API's form, its times as Unix seconds.
	b, err := json.Marshal(page.Items[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"jti-1","display_name":"ci","scopes":["identities:read"],"token_suffix":"x9Zq","token_format":"self_contained","expires":1767225600,"issued_at":1764633600,"token_type":"access"}`, string(b))
	assert.Equal(t, TokenFormat("opaque_future"), page.Items[1].TokenFormat, "unknown enum values decode")
}

func TestTokensListValidation(t *testing.T) {
	c := newGockClient(t)
	_, err := c.Tokens.List(context.Background(), "app-1", &ListTokensOptions{PageSize: 101})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "PageSize", ve.Field)
	_, err = c.Tokens.List(context.Background(), "", nil)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "applicationID", ve.Field)
}

func TestTokensAllFollowsPages(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, testRealmPath+"/applications/app-1/tokens").
		AddMatcher(matchQuery(t, map[string][]string{"principal_type": {"application"}})).
		Reply(200).BodyString(`{"tokens":[{"id":"a"},{"id":"b"}],"total_size":3,"next_page_token":"p2"}`)
	apiMock(http.MethodGet, testRealmPath+"/applications/app-1/tokens").
		AddMatcher(matchQuery(t, map[string][]string{"principal_type": {"application"}, "page_token": {"p2"}})).
		Reply(200).BodyString(`{"tokens":[{"id":"c"}],"total_size":3}`)
	opts := &ListTokensOptions{PrincipalType: PrincipalTypeApplication}
	var ids []string
	for tok, err := range c.Tokens.All(context.Background(), "app-1", opts) {
		require.NoError(t, err)
		ids = append(ids, tok.ID)
	}
	assert.Equal(t, []string{"a", "b", "c"}, ids)
	assert.Equal(t, &ListTokensOptions{PrincipalType: PrincipalTypeApplication}, opts, "caller's options unchanged")
}

func TestIntrospectRequestShape(t *testing.T) {
	const probed = "eyJhbGciOiJSUzI1NiJ9.probe.sig"
	c := newGockClient(t)
	gock.New(testAuthBase).
		AddMatcher(matchMethodAndEscapedPath(http.MethodPost, testRealmPath+"/introspect")).
		MatchHeader("Authorization", "^Bearer "+testToken+"$").
		MatchHeader("Content-Type", "^application/x-www-form-urlencoded$").
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			return string(readAndRestore(r)) == "token="+url.QueryEscape(probed), nil
		}).
		Reply(200).BodyString(`{"active":true,"scope":"identities:read","aud":"beyondidentity","exp":1767225600,"bi_t":"` + testTenant + `"}`)
	res, err := c.Tokens.Introspect(context.Background(), probed)
	require.NoError(t, err)
	assert.True(t, res.Active)
	assert.Equal(t, Audience{"beyondidentity"}, res.Aud)
	assert.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), res.ExpiresAt)
	assert.True(t, res.IssuedAt.IsZero() && res.NotBefore.IsZero(), "absent claims are zero times")
	assert.JSONEq(t, `1767225600`, string(res.Claims["exp"]), "the raw claim stays in Claims")
	assert.JSONEq(t, `"`+testTenant+`"`, string(res.Claims["bi_t"]))

	gock.New(testAuthBase).
		AddMatcher(matchMethodAndEscapedPath(http.MethodPost, testRealmPath+"/introspect")).
		Reply(200).BodyString(`{"active":false}`)
	res, err = c.Tokens.Introspect(context.Background(), "revoked-token")
	require.NoError(t, err)
	assert.False(t, res.Active)

	_, err = c.Tokens.Introspect(context.Background(), "")
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

func TestAudienceAcceptsArray(t *testing.T) {
	var a Audience
	require.NoError(t, json.Unmarshal([]byte(`["x","y"]`), &a))
	assert.Equal(t, Audience{"x", "y"}, a)
	assert.Error(t, json.Unmarshal([]byte(`5`), &a))
}

func TestAudienceNullIsNoAudience(t *testing.T) {
	var ti TokenIntrospection
	require.NoError(t, json.Unmarshal([]byte(`{"active":true,"aud":null}`), &ti))
	assert.Nil(t, ti.Aud, `"aud": null is no audience, not one empty audience`)

	a := Audience{"stale"}
	require.NoError(t, json.Unmarshal([]byte(`null`), &a))
	assert.Nil(t, a)
}
