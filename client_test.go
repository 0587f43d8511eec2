package beyondidentity

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

func TestNewClientValidation(t *testing.T) {
	cc := ClientCredentials{RealmID: "adminrealm01", ApplicationID: "app-1", ClientID: "cid", ClientSecret: NewSecret("s3cret")}
	tests := []struct {
		name  string
		opts  []Option
		field string
	}{
		{"no tenant", []Option{WithAPIToken("t")}, "WithTenant"},
		{"empty tenant", []Option{WithTenant(""), WithAPIToken("t")}, "WithTenant"},
		{"blank tenant", []Option{WithTenant("  "), WithAPIToken("t")}, "WithTenant"},
		{"tenant with slash", []Option{WithTenant("a/b"), WithAPIToken("t")}, "WithTenant"},
		{"dot-dot realm", []Option{WithTenant("t1"), WithRealm(".."), WithAPIToken("t")}, "WithRealm"},
		{"no auth", []Option{WithTenant("t1")}, "authentication"},
		{"two auths", []Option{WithTenant("t1"), WithAPIToken("t"), WithClientCredentials(cc)}, "authentication"},
		{"empty token", []Option{WithTenant("t1"), WithAPIToken("")}, "WithAPIToken"},
		{"token with newline", []Option{WithTenant("t1"), WithAPIToken("a\nb")}, "WithAPIToken"},
		{"nil token source", []Option{WithTenant("t1"), WithTokenSource(nil)}, "WithTokenSource"},
		{"creds without secret", []Option{WithTenant("t1"), WithClientCredentials(ClientCredentials{RealmID: "r", ApplicationID: "a", ClientID: "c"})}, "WithClientCredentials.ClientSecret"},
		{"creds without realm", []Option{WithTenant("t1"), WithClientCredentials(ClientCredentials{ApplicationID: "a", ClientID: "c", ClientSecret: NewSecret("s")})}, "WithClientCredentials.RealmID"},
		{"creds without app", []Option{WithTenant("t1"), WithClientCredentials(ClientCredentials{RealmID: "r", ClientID: "c", ClientSecret: NewSecret("s")})}, "WithClientCredentials.ApplicationID"},
		{"creds without client id", []Option{WithTenant("t1"), WithClientCredentials(ClientCredentials{RealmID: "r", ApplicationID: "a", ClientSecret: NewSecret("s")})}, "WithClientCredentials.ClientID"},
		{"unknown region", []Option{WithTenant("t1"), WithAPIToken("t"), WithRegion("mars")}, "WithRegion"},
		{"base url not a url", []Option{WithTenant("t1"), WithAPIToken("t"), WithBaseURLs("://x", "https://a")}, "WithBaseURLs apiURL"},
		{"base url ftp", []Option{WithTenant("t1"), WithAPIToken("t"), WithBaseURLs("https://a", "ftp://a")}, "WithBaseURLs authURL"},
		{"base url relative", []Option{WithTenant("t1"), WithAPIToken("t"), WithBaseURLs("/v1", "https://a")}, "WithBaseURLs apiURL"},
		{"base url with query", []Option{WithTenant("t1"), WithAPIToken("t"), WithBaseURLs("https://a?x=1", "https://a")}, "WithBaseURLs apiURL"},
		{"region and base urls", []Option{WithTenant("t1"), WithAPIToken("t"), WithRegion(RegionEU), WithBaseURLs("https://a", "https://b")}, "WithBaseURLs"},
		{"nil http client", []Option{WithTenant("t1"), WithAPIToken("t"), WithHTTPClient(nil)}, "WithHTTPClient"},
		{"negative backoff", []Option{WithTenant("t1"), WithAPIToken("t"), WithRetryPolicy(RetryPolicy{MinBackoff: -1})}, "WithRetryPolicy"},
		{"user agent with newline", []Option{WithTenant("t1"), WithAPIToken("t"), WithUserAgent("x\r\nEvil: 1")}, "WithUserAgent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.ErrorIs(t, err, ErrInvalidArgument)
			assert.NotContains(t, err.Error(), "s3cret")
		})
	}
}

func TestNewClientRegions(t *testing.T) {
	for _, tt := range []struct {
		region    Region
		api, auth string
	}{
		{"", "https://api-us.beyondidentity.com", "https://auth-us.beyondidentity.com"},
		{RegionUS, "https://api-us.beyondidentity.com", "https://auth-us.beyondidentity.com"},
		{RegionEU, "https://api-eu.beyondidentity.com", "https://auth-eu.beyondidentity.com"},
		{RegionUSGov, "https://api.us1.beyondidentity-gov.com", "https://auth.us1.beyondidentity-gov.com"},
	} {
		opts := []Option{WithTenant("t1"), WithAPIToken("t")}
		if tt.region != "" {
			opts = append(opts, WithRegion(tt.region))
		}
		c, err := NewClient(opts...)
		require.NoError(t, err)
		assert.Equal(t, tt.api, c.APIBaseURL())
		assert.Equal(t, tt.auth, c.AuthBaseURL())
	}
	c, err := NewClient(WithTenant("t1"), WithAPIToken("t"), WithBaseURLs("http://127.0.0.1:8080/prefix/", "http://127.0.0.1:8081"))
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8080/prefix", c.APIBaseURL(), "trailing slash trimmed, prefix kept")
}

func TestInRealmSharesCoreAndChangesRealm(t *testing.T) {
	c, err := NewClient(WithTenant("t1"), WithRealm("r1"), WithAPIToken("t"))
	require.NoError(t, err)
	c2 := c.InRealm("r2")
	assert.Equal(t, "r1", c.RealmID())
	assert.Equal(t, "r2", c2.RealmID())
	assert.Same(t, c.core, c2.core)
	assert.Same(t, c2, c2.Identities.client)
	assert.Same(t, c2, c2.Tokens.client)
	assert.Same(t, c, c.Identities.client, "the original client is untouched")
}

func TestNoRealmIsAValidationErrorBeforeIO(t *testing.T) {
	c := newGockClient(t)
	c = c.InRealm("")
	err := c.Tokens.Revoke(context.Background(), "app", "tok")
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "realm", ve.Field)
}

func TestRequestShapeBearerAndUserAgent(t *testing.T) {
	c := newGockClient(t, WithUserAgent("myapp/1.2"))
	apiMock(http.MethodDelete, testRealmPath+"/applications/app-1/tokens/tok-1").
		MatchHeader("User-Agent", "^beyondidentity-go/"+strings.ReplaceAll(Version, ".", `\.`)+` myapp/1\.2$`).
		MatchHeader("Accept", "^application/json$").
		AddMatcher(matchNoBody).
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			return r.Header.Get("Content-Type") == "" && r.Header.Get("Idempotency-Key") == "", nil
		}).
		Reply(200)
	require.NoError(t, c.Tokens.Revoke(context.Background(), "app-1", "tok-1"))
}

func TestPathSegmentsAreEscaped(t *testing.T) {
	c := newGockClient(t)
	// ':' in an ID must never turn into a custom method; '%' and '?' are escaped.
	apiMock(http.MethodDelete, testRealmPath+"/applications/a%3Arevoke/tokens/t%25%3F").Reply(200)
	require.NoError(t, c.Tokens.Revoke(context.Background(), "a:revoke", "t%?"))
}

func TestInvalidIDsFailBeforeIO(t *testing.T) {
	c := newGockClient(t) // no mocks: any request would be unmatched
	for _, id := range []string{"", " ", ".", "..", "a/b", "a b", "a\x00b"} {
		err := c.Tokens.Revoke(context.Background(), "app", id)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "id %q", id)
		assert.Equal(t, "tokenID", ve.Field)
	}
}

func TestClientCredentialsTokenRequestShape(t *testing.T) {
	const secret = "client-secret-9z"
	c := newGockClient(t)
	// Replace the static token with client credentials on the same transport.
	c, err := NewClient(WithTenant(testTenant), WithRealm(testRealm), WithBaseURLs(testAPIBase, testAuthBase),
		WithHTTPClient(c.core.hc.HTTPClient), WithRetryPolicy(RetryPolicy{MaxRetries: -1}),
		WithClientCredentials(ClientCredentials{
			RealmID: "adminrealm01", ApplicationID: "mgmt-app", ClientID: "client-id-1", ClientSecret: NewSecret(secret),
			Scopes: []string{"identities:read", "tokens:read"}, TokenLifetime: time.Hour,
		}))
	require.NoError(t, err)

	gock.New(testAuthBase).
		AddMatcher(matchMethodAndEscapedPath(http.MethodPost, "/v1/tenants/"+testTenant+"/realms/adminrealm01/applications/mgmt-app/token")).
		MatchHeader("Authorization", "^Basic "+base64.StdEncoding.EncodeToString([]byte("client-id-1:"+secret))+"$").
		MatchHeader("Content-Type", "^application/x-www-form-urlencoded$").
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			form, err := url.ParseQuery(string(readAndRestore(r)))
			if err != nil {
				return false, nil
			}
			want := url.Values{"grant_type": {"client_credentials"}, "scope": {"identities:read tokens:read"}, "expiration_time": {"3600"}}
			return assert.Equal(t, want, form), nil
		}).
		Reply(200).JSON(map[string]any{"access_token": "minted-token-1", "token_type": "Bearer", "expires_in": 86400, "scope": "identities:read tokens:read"})
	gock.New(testAPIBase).
		AddMatcher(matchMethodAndEscapedPath(http.MethodDelete, testRealmPath+"/applications/a/tokens/b")).
		MatchHeader("Authorization", "^Bearer minted-token-1$").
		Times(2).
		Reply(200)

	require.NoError(t, c.Tokens.Revoke(context.Background(), "a", "b"))
	require.NoError(t, c.Tokens.Revoke(context.Background(), "a", "b"), "second call uses the cached token: no second token mock")
}

func TestErrorBodyShapes(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		header map[string]string
		check  func(t *testing.T, e *APIError)
		is     error
	}{
		{
			name: "field violations", status: 400,
			body: `{"code":"bad_request","message":"invalid parameters","details":[{"type":"FieldViolations","field_violations":[{"field":"identity.display_name","description":"empty string"}]}]}`,
			is:   ErrInvalidArgument,
			check: func(t *testing.T, e *APIError) {
				assert.Equal(t, "bad_request", e.Code)
				assert.Equal(t, []FieldViolation{{Field: "identity.display_name", Description: "empty string"}}, e.FieldViolations())
				assert.Contains(t, e.Error(), "identity.display_name: empty string")
			},
		},
		{
			name: "resource info", status: 404,
			body:   `{"code":"not_found","message":"identity not found","details":[{"type":"ResourceInfo","resource_type":"Identity","id":"abc","description":"identity not found"}]}`,
			header: map[string]string{"X-Request-Id": "req-42"},
			is:     ErrNotFound,
			check: func(t *testing.T, e *APIError) {
				ri := e.ResourceInfo()
				require.NotNil(t, ri)
				assert.Equal(t, "Identity", ri.ResourceType)
				assert.Equal(t, "abc", ri.ResourceID)
				assert.Equal(t, "req-42", e.RequestID)
				assert.Contains(t, e.Error(), "(request id req-42)")
			},
		},
		{
			name: "batch errors", status: 404,
			body: `{"code":"not_found","message":"not found","details":[{"type":"BatchOperationErrors","description":"some failed","errors":[{"Description":"identity not found","IDs":["a","b"],"ResourceType":"Identity"}]}]}`,
			is:   ErrNotFound,
			check: func(t *testing.T, e *APIError) {
				require.Len(t, e.Details, 1)
				assert.Equal(t, []BatchOperationError{{Description: "identity not found", IDs: []string{"a", "b"}, ResourceType: "Identity"}}, e.Details[0].BatchErrors)
			},
		},
		{
			name: "unknown detail kept raw", status: 409,
			body: `{"code":"conflict","message":"username already exists","details":[{"type":"QuotaInfo","limit":5}]}`,
			is:   ErrConflict,
			check: func(t *testing.T, e *APIError) {
				require.Len(t, e.Details, 1)
				assert.Equal(t, DetailType("QuotaInfo"), e.Details[0].Type)
				assert.JSONEq(t, `{"type":"QuotaInfo","limit":5}`, string(e.Details[0].Raw))
			},
		},
		{
			name: "oauth token error", status: 401,
			body: `{"error":"invalid_client","error_description":"client authentication failed"}`,
			is:   ErrUnauthorized,
			check: func(t *testing.T, e *APIError) {
				assert.Equal(t, "invalid_client", e.Code)
				assert.Equal(t, "client authentication failed", e.Message)
			},
		},
		{
			name: "forbidden", status: 403, body: `{"code":"forbidden","message":"forbidden"}`, is: ErrForbidden,
			check: func(t *testing.T, e *APIError) { assert.Equal(t, "forbidden", e.Code) },
		},
		{
			name: "rate limited", status: 429, body: `{"code":"too_many_requests","message":"slow down"}`,
			header: map[string]string{"RateLimit-Reset": "7"}, is: ErrRateLimited,
			check: func(t *testing.T, e *APIError) { assert.Equal(t, 7*time.Second, e.RetryAfter) },
		},
		{
			name: "html from a proxy", status: 502, body: "<html>\n<body>Bad gateway</body>\n</html>",
			check: func(t *testing.T, e *APIError) {
				assert.Equal(t, "", e.Code)
				assert.NotContains(t, e.Error(), "\n")
				assert.Contains(t, e.Error(), "Bad gateway")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newGockClient(t)
			m := apiMock(http.MethodDelete, testRealmPath+"/applications/a/tokens/b").Reply(tt.status).BodyString(tt.body)
			for k, v := range tt.header {
				m.SetHeader(k, v)
			}
			err := c.Tokens.Revoke(context.Background(), "a", "b")
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.status, ae.StatusCode)
			assert.Equal(t, http.MethodDelete, ae.Method)
			assert.Equal(t, testAPIBase+testRealmPath+"/applications/a/tokens/b", ae.URL)
			assert.Equal(t, 1, ae.Attempts)
			assert.NotContains(t, ae.Error(), "\n")
			assert.NotContains(t, ae.Error(), "{", "Error() is not JSON")
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			for _, s := range []error{ErrNotFound, ErrConflict, ErrUnauthorized, ErrForbidden, ErrRateLimited, ErrInvalidArgument} {
				if s != tt.is {
					assert.NotErrorIs(t, err, s)
				}
			}
			tt.check(t, ae)
		})
	}
}

func TestErrorURLHasNoQuery(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, testRealmPath+"/applications/app/tokens").
		MatchParam("principal_id", "^p1$").
		Reply(500).JSON(map[string]string{"code": "internal_server_error", "message": "boom"})
	_, err := c.Tokens.List(context.Background(), "app", &ListTokensOptions{PrincipalID: "p1"})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.NotContains(t, ae.Error(), "principal_id")
	assert.NotContains(t, ae.URL, "?")
}

func TestOversizedErrorBodyIsTruncated(t *testing.T) {
	c := newGockClient(t)
	big := `{"code":"bad_request","message":"` + strings.Repeat("x", 2*maxErrorBody) + `"}`
	apiMock(http.MethodDelete, testRealmPath+"/applications/a/tokens/b").Reply(400).BodyString(big)
	err := c.Tokens.Revoke(context.Background(), "a", "b")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 400, ae.StatusCode)
	assert.LessOrEqual(t, len(ae.Message), 250, "a body over the limit is not decoded whole")
}

func TestSuccessBodyDecodingErrors(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, testRealmPath+"/applications/app/tokens").Reply(200)
	_, err := c.Tokens.List(context.Background(), "app", nil)
	var re *RequestError
	require.ErrorAs(t, err, &re, "an empty body where a page is expected is an error")
	assert.Contains(t, err.Error(), "empty response body")

	apiMock(http.MethodGet, testRealmPath+"/applications/app/tokens").Reply(200).BodyString(`{"tokens": [`)
	_, err = c.Tokens.List(context.Background(), "app", nil)
	require.ErrorAs(t, err, &re)
	assert.Contains(t, err.Error(), "decoding response")
}

func TestEmptySuccessBodiesAccepted(t *testing.T) {
	c := newGockClient(t)
	for _, r := range []struct {
		status int
		body   string
	}{{200, ""}, {200, "{}"}, {204, ""}} {
		apiMock(http.MethodDelete, testRealmPath+"/applications/a/tokens/b").Reply(r.status).BodyString(r.body)
		assert.NoError(t, c.Tokens.Revoke(context.Background(), "a", "b"), "%d %q", r.status, r.body)
	}
}

func TestClientFormatHidesSecrets(t *testing.T) {
	const secret = "very-secret-value-123"
	cc := ClientCredentials{RealmID: "r", ApplicationID: "a", ClientID: "c", ClientSecret: NewSecret(secret)}
	c, err := NewClient(WithTenant("t1"), WithRealm("r1"), WithClientCredentials(cc))
	require.NoError(t, err)
	st := StaticToken(secret)
	c2, err := NewClient(WithTenant("t1"), WithAPIToken(secret))
	require.NoError(t, err)
	for _, v := range []any{cc, &cc, c, c2, *c, st, c.Identities, c.core.tokens} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, secret, "verb %s of %T", verb, v)
			assert.NotContains(t, out, fmt.Sprintf("%x", secret), "verb %s of %T", verb, v)
		}
	}
	assert.Contains(t, fmt.Sprintf("%+v", cc), "ClientSecret:REDACTED")
	b, err := json.Marshal(cc)
	require.NoError(t, err)
	assert.NotContains(t, string(b), secret)
}

func TestValidationErrorIs(t *testing.T) {
	err := error(invalid("Traits.Username", "is empty"))
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.NotErrorIs(t, err, ErrNotFound)
	assert.Equal(t, "beyondidentity: invalid Traits.Username: is empty", err.Error())
	assert.True(t, errors.Is(fmt.Errorf("wrapped: %w", err), ErrInvalidArgument))
}

func TestBaseURLErrorsNeverShowCredentials(t *testing.T) {
	for _, raw := range []string{
		"ftp://user:s3cret@api.example.com/",   // wrong scheme
		"https://user:s3cret@/v1",              // no host
		"https://user:s3 cret@api.example.com", // not a URL
		"https://user:s3cret@api.example.com",  // credentials
		"https://api.example.com/?key=s3cret",  // a query
		"mailto:ops@example.com?body=s3cret",   // opaque, with a query
	} {
		t.Run(raw, func(t *testing.T) {
			_, err := NewClient(WithTenant("t1"), WithAPIToken("t"), WithBaseURLs(raw, "https://auth.example.com"))
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "WithBaseURLs apiURL", ve.Field)
			assert.NotContains(t, err.Error(), "s3")
		})
	}
}

func TestNonJSONErrorExcerptIsValidUTF8(t *testing.T) {
	// A proxy's page whose 200th byte falls inside a two-byte character.
	body := []byte(strings.Repeat("x", 199) + strings.Repeat("é", 50))
	ae := newAPIError(http.MethodGet, "https://api.test/x", 502, http.Header{}, body)
	assert.True(t, utf8.ValidString(ae.Message), "%q", ae.Message)
	assert.True(t, strings.HasPrefix(ae.Message, strings.Repeat("x", 199)))
	assert.True(t, strings.HasSuffix(ae.Message, "…"))
}

// FuzzNewAPIError feeds arbitrary error bodies and headers to the decoder of
// error answers: it must not panic, and Error() must be one valid line.
func FuzzNewAPIError(f *testing.F) {
	f.Add(502, []byte("<html>Bad gateway</html>"), "", "")
	f.Add(400, []byte(`{"code":"bad_request","message":"m","details":[{"type":"FieldViolations","field_violations":[{"field":"a","description":"b\nc"}]}]}`), "", "r-1")
	f.Add(401, []byte(`{"error":"invalid_client","error_description":"bad"}`), "", "")
	f.Add(429, []byte(`{}`), "Sat, 28 Nov 2026 12:00:10 GMT", "")
	f.Add(503, []byte(strings.Repeat("é", 150)), "99999999999999999999", "")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter, requestID string) {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		if requestID != "" {
			h.Set("X-Request-Id", requestID)
		}
		ae := newAPIError(http.MethodGet, "https://api.test/x", status, h, body)
		msg := ae.Error()
		assert.NotContains(t, msg, "\n")
		assert.GreaterOrEqual(t, ae.RetryAfter, time.Duration(0))
		if utf8.Valid(body) {
			assert.True(t, utf8.ValidString(ae.Message), "%q", ae.Message)
		}
	})
}

func TestErrorTextHasNoControlCharacters(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodDelete, testRealmPath+"/applications/a/tokens/b").
		Reply(500).BodyString(`{"code":"internal_server_error","message":"boom\u001b[31m red\ttab\r\nnext"}`)
	err := c.Tokens.Revoke(context.Background(), "a", "b")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\x1b")
	assert.NotContains(t, err.Error(), "\t")
	assert.Contains(t, err.Error(), "boom [31m red tab next")
}
