package beyondidentitytest_test

// Tests of the SDK's error handling and retries against the fake: every
// error rule of the API as the SDK surfaces it, and injected faults driving
// the SDK's retry policy.

import (
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSDKErrorRules(t *testing.T) {
	t.Parallel()

	t.Run("field violations of rules the client does not check", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv)
		ctx := t.Context()
		configs := len(allConfigIDs(t, c))

		// The spec gives idp_id the uuid format; the SDK only requires it
		// to be set.
		_, err := c.AuthenticatorConfigs.Create(ctx, &beyondidentity.CreateAuthenticatorConfigRequest{
			DisplayName: "console",
			Config: &beyondidentity.ConsoleSettings{OnboardingConfiguration: beyondidentity.ConsoleOnboardingConfiguration{
				VerificationMethod: beyondidentity.ConsoleVerificationMethod{Type: beyondidentity.ConsoleVerificationIDP, IDPID: "okta"},
			}},
		})
		ae := requireAPIError(t, err, http.StatusBadRequest, "bad_request")
		assert.ErrorIs(t, err, beyondidentity.ErrInvalidArgument)
		var ve *beyondidentity.ValidationError
		assert.False(t, errors.As(err, &ve), "rejected by the server, not the client")
		assert.Equal(t, "invalid parameters", ae.Message)
		assert.Equal(t, []beyondidentity.FieldViolation{{
			Field:       "authenticator_config.config.onboarding_configuration.verification_method.idp_id",
			Description: "must be a UUID",
		}}, ae.FieldViolations())
		assert.Contains(t, err.Error(), "idp_id", "the violation is in the message")

		// Trusted origins are scheme://host[:port], nothing more.
		_, err = c.AuthenticatorConfigs.Create(ctx, &beyondidentity.CreateAuthenticatorConfigRequest{
			Config: &beyondidentity.EmbeddedSettings{InvokeURL: "https://app.example", TrustedOrigins: []string{"https://app.example", "https://app.example/path"}},
		})
		ae = requireAPIError(t, err, http.StatusBadRequest, "bad_request")
		require.Len(t, ae.FieldViolations(), 1)
		assert.Equal(t, "authenticator_config.config.trusted_origins[1]", ae.FieldViolations()[0].Field)
		assert.Len(t, allConfigIDs(t, c), configs, "nothing created")

		// A page token the server did not issue.
		_, err = c.Identities.List(ctx, &beyondidentity.ListOptions{PageToken: "made-up"})
		ae = requireAPIError(t, err, http.StatusBadRequest, "bad_request")
		require.Len(t, ae.FieldViolations(), 1)
		assert.Equal(t, "page_token", ae.FieldViolations()[0].Field)

		// A filter the identities list does not support.
		_, err = c.Identities.List(ctx, &beyondidentity.ListOptions{Filter: `traits.primary_email_address eq "a@example.com"`})
		ae = requireAPIError(t, err, http.StatusBadRequest, "bad_request")
		require.Len(t, ae.FieldViolations(), 1)
		assert.Equal(t, "filter", ae.FieldViolations()[0].Field)
	})

	t.Run("404 with ResourceInfo", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv)
		ctx := t.Context()
		const missing = "0123456789abcdef"

		_, err := c.Identities.Get(ctx, missing)
		assert.ErrorIs(t, err, beyondidentity.ErrNotFound)
		ae := requireAPIError(t, err, http.StatusNotFound, "not_found")
		ri := ae.ResourceInfo()
		require.NotNil(t, ri)
		assert.Equal(t, beyondidentity.DetailTypeResourceInfo, ri.Type)
		assert.Equal(t, "Identity", ri.ResourceType)
		assert.Equal(t, missing, ri.ResourceID)
		assert.NotEmpty(t, ri.Description)

		id := createIdentity(t, c, "ada", "")
		_, err = c.BindingJobs.Get(ctx, id.ID, missing)
		ri = requireAPIError(t, err, http.StatusNotFound, "not_found").ResourceInfo()
		require.NotNil(t, ri)
		assert.Equal(t, "CredentialBindingJob", ri.ResourceType)
		assert.Equal(t, missing, ri.ResourceID)

		_, err = c.Credentials.Get(ctx, id.ID, missing)
		ri = requireAPIError(t, err, http.StatusNotFound, "not_found").ResourceInfo()
		require.NotNil(t, ri)
		assert.Equal(t, "Credential", ri.ResourceType)

		// Creating a job for a missing identity: the spec declares this 404
		// with the ResourceInfo schema.
		_, err = c.BindingJobs.CreateReturnLink(ctx, missing, srv.AuthenticatorConfigID(), nil)
		ri = requireAPIError(t, err, http.StatusNotFound, "not_found").ResourceInfo()
		require.NotNil(t, ri)
		assert.Equal(t, "Identity", ri.ResourceType)
		assert.Equal(t, missing, ri.ResourceID)

		_, err = c.AuthenticatorConfigs.Get(ctx, "00000000-0000-4000-8000-000000000000")
		ri = requireAPIError(t, err, http.StatusNotFound, "not_found").ResourceInfo()
		require.NotNil(t, ri)
		assert.Equal(t, "AuthenticatorConfig", ri.ResourceType)
	})

	t.Run("409 revoking a complete job", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv)
		ctx := t.Context()
		id := createIdentity(t, c, "ada", "")
		done, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, srv.AuthenticatorConfigID(), nil)
		require.NoError(t, err)
		_, err = srv.CompleteBinding(ctx, done.Link.Reveal())
		require.NoError(t, err)

		_, err = c.BindingJobs.Revoke(ctx, id.ID, done.Job.ID)
		assert.ErrorIs(t, err, beyondidentity.ErrConflict)
		requireAPIError(t, err, http.StatusConflict, "conflict")
		job, err := c.BindingJobs.Get(ctx, id.ID, done.Job.ID)
		require.NoError(t, err)
		assert.Equal(t, beyondidentity.BindingJobStateComplete, job.State)

		// A pending job is revoked, and revoking it again is harmless.
		pending, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, srv.AuthenticatorConfigID(), nil)
		require.NoError(t, err)
		for range 2 {
			job, err = c.BindingJobs.Revoke(ctx, id.ID, pending.Job.ID)
			require.NoError(t, err)
			assert.Equal(t, beyondidentity.BindingJobStateRevoked, job.State)
		}
		_, err = srv.CompleteBinding(ctx, pending.Link.Reveal())
		assert.ErrorIs(t, err, beyondidentitytest.ErrJobNotPending)
	})

	t.Run("401 after revoking the client's token, then a new token", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv)
		ctx := t.Context()
		id := createIdentity(t, c, "ada", "")
		admin := c.InRealm(srv.AdminRealmID())
		page, err := admin.Tokens.List(ctx, srv.ApplicationID(), nil)
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		require.NoError(t, admin.Tokens.Revoke(ctx, srv.ApplicationID(), page.Items[0].ID))

		srv.ClearRequests()
		got, err := c.Identities.Get(ctx, id.ID)
		require.NoError(t, err)
		assert.Equal(t, id.ID, got.ID)
		assert.Equal(t, []int{401, 200}, statusesOf(srv, http.MethodGet, identitiesPath(srv)+"/"+id.ID))
		assert.Equal(t, 1, tokenRequests(srv), "one new token")

		// A create refused with 401 is sent again, body included, with the
		// new token.
		require.NoError(t, admin.Tokens.Revoke(ctx, srv.ApplicationID(), ownTokenID(t, admin, srv)))
		srv.ClearRequests()
		bob, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{DisplayName: "Bob B.", Traits: beyondidentity.Traits{Username: "bob"}})
		require.NoError(t, err)
		assert.Equal(t, "Bob B.", bob.DisplayName)
		assert.Equal(t, "bob", bob.Traits.Username)
		posts := requestsTo(srv, http.MethodPost, identitiesPath(srv))
		require.Len(t, posts, 2)
		assert.Equal(t, 401, posts[0].Status)
		assert.Equal(t, 200, posts[1].Status)
		assert.Equal(t, posts[0].Body, posts[1].Body)

		// A fixed token cannot be renewed: the 401 surfaces.
		static := srv.IssueToken("static")
		sc := newClient(t, srv, beyondidentity.WithAPIToken(static))
		_, err = sc.Identities.Get(ctx, id.ID)
		require.NoError(t, err)
		for tok, err := range admin.Tokens.All(ctx, srv.ApplicationID(), nil) {
			require.NoError(t, err)
			if tok.DisplayName == "static" {
				require.NoError(t, admin.Tokens.Revoke(ctx, srv.ApplicationID(), tok.ID))
			}
		}
		srv.ClearRequests()
		_, err = sc.Identities.Get(ctx, id.ID)
		assert.ErrorIs(t, err, beyondidentity.ErrUnauthorized)
		requireAPIError(t, err, http.StatusUnauthorized, "unauthorized")
		assert.NotContains(t, err.Error(), static)
		assert.Equal(t, []int{401}, statusesOf(srv, http.MethodGet, identitiesPath(srv)+"/"+id.ID))
		assert.Zero(t, tokenRequests(srv))
	})

	t.Run("403 for a token without the scope", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv)
		ctx := t.Context()
		id := createIdentity(t, c, "ada", "")
		ro := newClient(t, srv, beyondidentity.WithAPIToken(srv.IssueToken("read-only", "identities:read")))

		got, err := ro.Identities.Get(ctx, id.ID)
		require.NoError(t, err)
		assert.Equal(t, id.ID, got.ID)

		_, err = ro.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{DisplayName: "Bob", Traits: beyondidentity.Traits{Username: "bob"}})
		assert.ErrorIs(t, err, beyondidentity.ErrForbidden)
		requireAPIError(t, err, http.StatusForbidden, "forbidden")
		_, err = c.Identities.FindByUsername(ctx, "bob")
		assert.ErrorIs(t, err, beyondidentity.ErrNotFound, "nothing created")

		_, err = ro.BindingJobs.CreateReturnLink(ctx, id.ID, srv.AuthenticatorConfigID(), nil)
		assert.ErrorIs(t, err, beyondidentity.ErrForbidden)
		err = ro.Identities.Delete(ctx, id.ID)
		assert.ErrorIs(t, err, beyondidentity.ErrForbidden)

		// Client credentials asking for fewer scopes get a token limited
		// the same way.
		cc := srv.ClientCredentials()
		cc.Scopes = []string{"identities:read"}
		limited := newClient(t, srv, beyondidentity.WithClientCredentials(cc))
		_, err = limited.Identities.Get(ctx, id.ID)
		require.NoError(t, err)
		_, err = limited.Credentials.List(ctx, id.ID, nil)
		assert.ErrorIs(t, err, beyondidentity.ErrForbidden)
	})
}

func TestSDKBatchDeleteAllOrNothing(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := newClient(t, srv)
	ctx := t.Context()
	var ids []string
	for _, u := range []string{"a", "b", "c", "d", "e"} {
		ids = append(ids, createIdentity(t, c, u, "").ID)
	}
	const missing = "feedfacefeedface"

	err := c.Identities.BatchDelete(ctx, []string{ids[0], missing, ids[1]})
	assert.ErrorIs(t, err, beyondidentity.ErrNotFound)
	ae := requireAPIError(t, err, http.StatusNotFound, "not_found")
	require.Len(t, ae.Details, 1)
	d := ae.Details[0]
	assert.Equal(t, beyondidentity.DetailTypeBatchOperationErrors, d.Type)
	require.Len(t, d.BatchErrors, 1)
	assert.Equal(t, []string{missing}, d.BatchErrors[0].IDs)
	assert.Equal(t, "Identity", d.BatchErrors[0].ResourceType)
	assert.NotEmpty(t, d.BatchErrors[0].Description)
	for _, id := range ids {
		_, err := c.Identities.Get(ctx, id)
		require.NoError(t, err, "nothing deleted")
	}

	require.NoError(t, c.Identities.BatchDelete(ctx, ids[:3]))
	page, err := c.Identities.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, page.TotalSize)
	for _, id := range ids[:3] {
		_, err := c.Identities.Get(ctx, id)
		assert.ErrorIs(t, err, beyondidentity.ErrNotFound)
	}
}

func TestSDKRetriesDrivenByFaults(t *testing.T) {
	t.Parallel()

	t.Run("503 then success on a GET", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := newServer(t, beyondidentitytest.WithInMemory())
			c := newClient(t, srv)
			ctx := deadline(t, time.Hour)
			id := createIdentity(t, c, "ada", "")
			path := identitiesPath(srv) + "/" + id.ID
			srv.InjectFault(beyondidentitytest.Fault{Method: http.MethodGet, Path: path, Status: http.StatusServiceUnavailable})

			start := time.Now()
			got, err := c.Identities.Get(ctx, id.ID)
			require.NoError(t, err)
			assert.Equal(t, id.ID, got.ID)
			assert.Equal(t, []int{503, 200}, statusesOf(srv, http.MethodGet, path))
			backoff := time.Since(start)
			assert.Positive(t, backoff)
			assert.LessOrEqual(t, backoff, beyondidentity.DefaultMinBackoff)
		})
	})

	t.Run("503 on a create is not retried", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := newServer(t, beyondidentitytest.WithInMemory())
			c := newClient(t, srv)
			ctx := deadline(t, time.Hour)
			srv.InjectFault(beyondidentitytest.Fault{Method: http.MethodPost, Path: identitiesPath(srv), Status: http.StatusServiceUnavailable})

			_, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{DisplayName: "Ada", Traits: beyondidentity.Traits{Username: "ada"}})
			ae := requireAPIError(t, err, http.StatusServiceUnavailable, "service_unavailable")
			assert.Equal(t, 1, ae.Attempts)
			assert.Equal(t, []int{503}, statusesOf(srv, http.MethodPost, identitiesPath(srv)))
			page, err := c.Identities.List(ctx, nil)
			require.NoError(t, err)
			assert.Zero(t, page.TotalSize)
		})
	})

	t.Run("dropped connection", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := newServer(t, beyondidentitytest.WithInMemory())
			c := newClient(t, srv)
			ctx := deadline(t, time.Hour)
			id := createIdentity(t, c, "ada", "")
			path := identitiesPath(srv) + "/" + id.ID

			// A GET is retried.
			srv.InjectFault(beyondidentitytest.Fault{Method: http.MethodGet, Path: path, Drop: true})
			_, err := c.Identities.Get(ctx, id.ID)
			require.NoError(t, err)
			log := requestsTo(srv, http.MethodGet, path)
			require.Len(t, log, 2)
			assert.True(t, log[0].Dropped)
			assert.Equal(t, 200, log[1].Status)

			// Without retries the same fault is an error: the retry above
			// was the SDK's.
			once := newClient(t, srv, beyondidentity.WithRetryPolicy(beyondidentity.RetryPolicy{MaxRetries: -1}))
			srv.ClearRequests()
			srv.InjectFault(beyondidentitytest.Fault{Method: http.MethodGet, Path: path, Drop: true})
			_, err = once.Identities.Get(ctx, id.ID)
			var re *beyondidentity.RequestError
			require.ErrorAs(t, err, &re)
			assert.Len(t, requestsTo(srv, http.MethodGet, path), 1)

			// A create is not: the server may have acted on it.
			srv.ClearRequests()
			srv.InjectFault(beyondidentitytest.Fault{Method: http.MethodPost, Path: identitiesPath(srv), Drop: true})
			_, err = c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{DisplayName: "Bob", Traits: beyondidentity.Traits{Username: "bob"}})
			require.ErrorAs(t, err, &re)
			assert.Len(t, requestsTo(srv, http.MethodPost, identitiesPath(srv)), 1)
		})
	})

	t.Run("dropped connection on a real socket", func(t *testing.T) {
		// A fresh connection per request, so that net/http does not resend
		// the GET by itself (it does on a reused connection).
		srv := newServer(t)
		hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		c := newClient(t, srv, beyondidentity.WithHTTPClient(hc), fastRetries)
		once := newClient(t, srv, beyondidentity.WithHTTPClient(hc), beyondidentity.WithRetryPolicy(beyondidentity.RetryPolicy{MaxRetries: -1}))
		ctx := t.Context()
		id := createIdentity(t, c, "ada", "")
		path := identitiesPath(srv) + "/" + id.ID
		_, err := once.Identities.Get(ctx, id.ID) // fetches its token
		require.NoError(t, err)

		srv.ClearRequests()
		srv.InjectFault(beyondidentitytest.Fault{Method: http.MethodGet, Path: path, Drop: true})
		_, err = once.Identities.Get(ctx, id.ID)
		var re *beyondidentity.RequestError
		require.ErrorAs(t, err, &re)
		assert.Len(t, requestsTo(srv, http.MethodGet, path), 1)

		srv.ClearRequests()
		srv.InjectFault(beyondidentitytest.Fault{Method: http.MethodGet, Path: path, Drop: true})
		_, err = c.Identities.Get(ctx, id.ID)
		require.NoError(t, err)
		log := requestsTo(srv, http.MethodGet, path)
		require.Len(t, log, 2)
		assert.True(t, log[0].Dropped)
		assert.Equal(t, 200, log[1].Status)
	})

	t.Run("429 with Retry-After on a create", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := newServer(t, beyondidentitytest.WithInMemory())
			c := newClient(t, srv)
			ctx := deadline(t, time.Hour)
			srv.InjectFault(beyondidentitytest.Fault{Method: http.MethodPost, Path: identitiesPath(srv), Status: http.StatusTooManyRequests, RetryAfter: 7 * time.Second})

			start := time.Now()
			id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{DisplayName: "Ada", Traits: beyondidentity.Traits{Username: "ada"}})
			require.NoError(t, err)
			assert.Equal(t, 7*time.Second, time.Since(start), "the server's wait, exactly")
			assert.Equal(t, []int{429, 200}, statusesOf(srv, http.MethodPost, identitiesPath(srv)))
			page, err := c.Identities.List(ctx, nil)
			require.NoError(t, err)
			require.Equal(t, 1, page.TotalSize, "one identity")
			assert.Equal(t, id.ID, page.Items[0].ID)

			// A wait longer than the policy allows fails at once.
			srv.ClearRequests()
			srv.InjectFault(beyondidentitytest.Fault{Method: http.MethodPost, Path: identitiesPath(srv), Status: http.StatusTooManyRequests, RetryAfter: 5 * time.Minute})
			start = time.Now()
			_, err = c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{DisplayName: "Bob", Traits: beyondidentity.Traits{Username: "bob"}})
			assert.ErrorIs(t, err, beyondidentity.ErrRateLimited)
			ae := requireAPIError(t, err, http.StatusTooManyRequests, "too_many_requests")
			assert.Equal(t, 5*time.Minute, ae.RetryAfter)
			assert.Zero(t, time.Since(start))
			assert.Len(t, requestsTo(srv, http.MethodPost, identitiesPath(srv)), 1)
		})
	})

	t.Run("Wait rides out failed polls", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := newServer(t, beyondidentitytest.WithInMemory())
			c := newClient(t, srv, beyondidentity.WithRetryPolicy(beyondidentity.RetryPolicy{MaxRetries: -1}))
			ctx := deadline(t, time.Hour)
			id := createIdentity(t, c, "ada", "")
			res, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, srv.AuthenticatorConfigID(), nil)
			require.NoError(t, err)
			path := identitiesPath(srv) + "/" + id.ID + "/credential-binding-jobs/" + res.Job.ID
			srv.InjectFault(beyondidentitytest.Fault{Method: http.MethodGet, Path: path, Status: http.StatusBadGateway, Times: 2})
			srv.InjectFault(beyondidentitytest.Fault{Method: http.MethodGet, Path: path, Drop: true})
			_, err = srv.CompleteBinding(ctx, res.Link.Reveal())
			require.NoError(t, err)

			job, err := c.BindingJobs.Wait(ctx, id.ID, res.Job.ID, nil)
			require.NoError(t, err)
			assert.Equal(t, beyondidentity.BindingJobStateComplete, job.State)
			assert.Equal(t, []int{502, 502, 0, 200}, statusesOf(srv, http.MethodGet, path))
		})
	})
}

// requireAPIError asserts that err is an *APIError with this status and code.
func requireAPIError(t *testing.T, err error, status int, code string) *beyondidentity.APIError {
	t.Helper()
	var ae *beyondidentity.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, status, ae.StatusCode)
	assert.Equal(t, code, ae.Code)
	return ae
}

// ownTokenID returns the ID of the only token of the application that is
// still active: the client's own.
func ownTokenID(t *testing.T, admin *beyondidentity.Client, srv *beyondidentitytest.Server) string {
	t.Helper()
	page, err := admin.Tokens.List(t.Context(), srv.ApplicationID(), nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	return page.Items[0].ID
}
