package beyondidentitytest_test

// Tests of the real SDK driven against the fake: the binding flows a user of
// the library goes through, end to end.

import (
	"context"
	"crypto/ecdsa"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// createIdentity creates an identity through the SDK; email may be empty.
func createIdentity(t *testing.T, c *beyondidentity.Client, username, email string) *beyondidentity.Identity {
	t.Helper()
	id, err := c.Identities.Create(t.Context(), &beyondidentity.CreateIdentityRequest{
		DisplayName: "User " + username,
		Traits:      beyondidentity.Traits{Username: username, PrimaryEmailAddress: email},
	})
	require.NoError(t, err)
	return id
}

// identitiesPath is the escaped path of the user realm's identities.
func identitiesPath(srv *beyondidentitytest.Server) string { return realmPath(srv, "identities") }

// requestsTo returns the logged requests with this method and escaped path.
func requestsTo(srv *beyondidentitytest.Server, method, path string) []beyondidentitytest.Request {
	var out []beyondidentitytest.Request
	for _, r := range srv.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// tokenRequests counts the requests to the token endpoint.
func tokenRequests(srv *beyondidentitytest.Server) int {
	tokenPath := "/v1/tenants/" + srv.TenantID() + "/realms/" + srv.AdminRealmID() + "/applications/" + srv.ApplicationID() + "/token"
	return len(requestsTo(srv, http.MethodPost, tokenPath))
}

func TestSDKSeedFlow(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := newClient(t, srv)
	ctx := t.Context()

	create := map[string]func(identityID string) (*beyondidentity.CreateBindingJobResult, error){
		"Create": func(identityID string) (*beyondidentity.CreateBindingJobResult, error) {
			return c.BindingJobs.Create(ctx, identityID, &beyondidentity.CreateBindingJobRequest{
				DeliveryMethod:         beyondidentity.DeliveryMethodReturn,
				AuthenticatorConfigID:  srv.AuthenticatorConfigID(),
				PostBindingRedirectURI: "https://app.example/welcome",
			})
		},
		"CreateReturnLink": func(identityID string) (*beyondidentity.CreateBindingJobResult, error) {
			return c.BindingJobs.CreateReturnLink(ctx, identityID, srv.AuthenticatorConfigID(),
				&beyondidentity.ReturnLinkOptions{PostBindingRedirectURI: "https://app.example/welcome"})
		},
	}
	for name, createJob := range create {
		t.Run(name, func(t *testing.T) {
			id := createIdentity(t, c, "ada-"+name, "ada-"+name+"@example.com")
			assert.Regexp(t, `^[0-9a-f]{16}$`, id.ID)
			assert.Equal(t, srv.TenantID(), id.TenantID)
			assert.Equal(t, srv.RealmID(), id.RealmID)
			assert.Equal(t, beyondidentity.IdentityStatusActive, id.Status)
			assert.Equal(t, beyondidentity.EnrollmentStatusUnenrolled, id.EnrollmentStatus)

			res, err := createJob(id.ID)
			require.NoError(t, err)
			job := res.Job
			assert.Equal(t, beyondidentity.BindingJobStateLinkSent, job.State)
			assert.Equal(t, beyondidentity.DeliveryMethodReturn, job.DeliveryMethod)
			assert.Equal(t, id.ID, job.IdentityID)
			assert.Equal(t, srv.AuthenticatorConfigID(), job.AuthenticatorConfigID)
			assert.Equal(t, "https://app.example/welcome", job.PostBindingRedirectURI)
			assert.Empty(t, job.CredentialID)
			assert.Equal(t, job.CreateTime.Add(beyondidentitytest.BindingLinkLifetime), job.ExpireTime)

			// The link has the real shape, on the fake's origin (its auth host).
			wantPrefix := srv.URL() + "/v1/tenants/" + srv.TenantID() + "/realms/" + srv.RealmID() +
				"/identities/" + id.ID + "/credential-binding-jobs/" + job.ID + ":invokeAuthenticator?token="
			require.True(t, strings.HasPrefix(res.Link.Reveal(), wantPrefix), "link %s", res.Link)
			link, err := beyondidentity.ParseBindingLink(res.Link.Reveal())
			require.NoError(t, err)
			assert.Equal(t, beyondidentity.BindingLinkKindInvokeAuthenticator, link.Kind)
			assert.Equal(t, srv.URL(), link.APIBaseURL)
			assert.Equal(t, strings.TrimPrefix(srv.URL(), "http://"), link.Host)
			assert.Equal(t, srv.TenantID(), link.TenantID)
			assert.Equal(t, srv.RealmID(), link.RealmID)
			assert.Equal(t, id.ID, link.IdentityID)
			assert.Equal(t, job.ID, link.JobID)
			assert.Len(t, link.RevealToken(), 64)
			assert.Equal(t, res.Link.Reveal(), link.RevealURL())

			got, err := c.Identities.Get(ctx, id.ID)
			require.NoError(t, err)
			assert.Equal(t, beyondidentity.EnrollmentStatusPending, got.EnrollmentStatus)

			// The device binds a passkey with the link.
			b, err := srv.CompleteBinding(ctx, res.Link.Reveal())
			require.NoError(t, err)
			assert.Equal(t, "https://app.example/welcome", b.PostBindingRedirectURI)

			done, err := c.BindingJobs.Wait(deadline(t, 10*time.Second), id.ID, job.ID, nil)
			require.NoError(t, err)
			assert.Equal(t, beyondidentity.BindingJobStateComplete, done.State)
			assert.Equal(t, b.CredentialID, done.CredentialID)

			var creds []*beyondidentity.Credential
			for cr, err := range c.Credentials.All(ctx, id.ID, nil) {
				require.NoError(t, err)
				creds = append(creds, cr)
			}
			require.Len(t, creds, 1)
			cred := creds[0]
			assert.Equal(t, done.CredentialID, cred.ID)
			assert.Equal(t, id.ID, cred.IdentityID)
			assert.Equal(t, beyondidentity.CredentialStateActive, cred.State)
			pub, err := cred.PublicKey()
			require.NoError(t, err)
			ecPub, ok := pub.(*ecdsa.PublicKey)
			require.True(t, ok, "%T", pub)
			assert.True(t, ecPub.Equal(b.PrivateKey.Public()), "the credential's key is the device's public key")
			require.NoError(t, cred.VerifyThumbprint())

			got, err = c.Identities.Get(ctx, id.ID)
			require.NoError(t, err)
			assert.Equal(t, beyondidentity.EnrollmentStatusEnrolled, got.EnrollmentStatus)

			revoked, err := c.Credentials.Revoke(ctx, id.ID, cred.ID)
			require.NoError(t, err)
			assert.Equal(t, beyondidentity.CredentialStateRevoked, revoked.State)
			again, err := c.Credentials.Get(ctx, id.ID, cred.ID)
			require.NoError(t, err)
			assert.Equal(t, beyondidentity.CredentialStateRevoked, again.State)

			// A used link binds nothing more.
			_, err = srv.CompleteBinding(ctx, res.Link.Reveal())
			assert.ErrorIs(t, err, beyondidentitytest.ErrJobNotPending)
		})
	}
}

func TestSDKWaitFollowsTheDevice(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := newServer(t, beyondidentitytest.WithInMemory())
		c := newClient(t, srv)
		ctx := deadline(t, time.Hour)
		id := createIdentity(t, c, "grace", "")
		res, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, srv.AuthenticatorConfigID(), nil)
		require.NoError(t, err)

		// The user opens the page 90 seconds later and binds.
		bound := make(chan *beyondidentitytest.Binding, 1)
		go func() {
			time.Sleep(90 * time.Second)
			b, err := srv.CompleteBinding(ctx, res.Link.Reveal())
			assert.NoError(t, err)
			bound <- b
		}()
		var states []beyondidentity.BindingJobState
		start := time.Now()
		job, err := c.BindingJobs.Wait(ctx, id.ID, res.Job.ID, &beyondidentity.WaitOptions{
			OnUpdate: func(j *beyondidentity.BindingJob) { states = append(states, j.State) },
		})
		require.NoError(t, err)
		b := <-bound
		assert.Equal(t, b.CredentialID, job.CredentialID)
		assert.Equal(t, []beyondidentity.BindingJobState{beyondidentity.BindingJobStateLinkSent, beyondidentity.BindingJobStateComplete}, states)
		// Polls back off to 10 s: the bind is seen within one interval.
		elapsed := time.Since(start)
		assert.GreaterOrEqual(t, elapsed, 90*time.Second)
		assert.LessOrEqual(t, elapsed, 100*time.Second)
	})
}

func TestSDKUsernameConflictAndLookup(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := newClient(t, srv)
	ctx := t.Context()

	// The spec's pattern forbids a backslash, so the SDK refuses it before
	// sending anything.
	before := len(srv.Requests())
	_, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{DisplayName: "x", Traits: beyondidentity.Traits{Username: `back\slash`}})
	var ve *beyondidentity.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Traits.Username", ve.Field)
	assert.Len(t, srv.Requests(), before)

	for _, username := range []string{
		"ada",
		`Ada "Countess" O'Lovelace-Byron_1815@example.com`, // quotes, apostrophe, spaces, @ . - _
		"grace.hopper+passkeys&co (navy), 1906",
		"Ærøskøbing-Ünïcode",
	} {
		t.Run(username, func(t *testing.T) {
			orig := createIdentity(t, c, username, "")
			other := strings.ToUpper(username)
			require.NotEqual(t, username, other)

			_, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{DisplayName: "Other", Traits: beyondidentity.Traits{Username: other}})
			require.ErrorIs(t, err, beyondidentity.ErrConflict)
			var ae *beyondidentity.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, http.StatusConflict, ae.StatusCode)
			assert.Equal(t, "conflict", ae.Code)
			assert.Equal(t, 1, ae.Attempts)

			for _, lookup := range []string{username, other, strings.ToLower(username)} {
				found, err := c.Identities.FindByUsername(ctx, lookup)
				require.NoError(t, err, lookup)
				assert.Equal(t, orig.ID, found.ID)
				assert.Equal(t, username, found.Traits.Username, "the stored spelling")
			}
		})
	}
	_, err = c.Identities.FindByUsername(ctx, `nobody "here"`)
	assert.ErrorIs(t, err, beyondidentity.ErrNotFound)

	// Renaming onto a taken username (in another case) conflicts too; the
	// identity keeps its name.
	bob := createIdentity(t, c, "bob", "")
	_, err = c.Identities.Update(ctx, bob.ID, &beyondidentity.UpdateIdentityRequest{Traits: &beyondidentity.TraitsUpdate{Username: beyondidentity.Ptr("ADA")}})
	assert.ErrorIs(t, err, beyondidentity.ErrConflict)
	got, err := c.Identities.Get(ctx, bob.ID)
	require.NoError(t, err)
	assert.Equal(t, "bob", got.Traits.Username)
	renamed, err := c.Identities.Update(ctx, bob.ID, &beyondidentity.UpdateIdentityRequest{Traits: &beyondidentity.TraitsUpdate{Username: beyondidentity.Ptr("BOB")}})
	require.NoError(t, err, "its own name in another case is not a conflict")
	assert.Equal(t, "BOB", renamed.Traits.Username)
}

func TestSDKEmailFlow(t *testing.T) {
	t.Parallel()
	srv := newServer(t, beyondidentitytest.WithInvokeURL("https://app.example/passkeys"))
	c := newClient(t, srv)
	ctx := t.Context()
	id := createIdentity(t, c, "ada", "ada@example.com")

	res, err := c.BindingJobs.Create(ctx, id.ID, &beyondidentity.CreateBindingJobRequest{
		DeliveryMethod: beyondidentity.DeliveryMethodEmail, AuthenticatorConfigID: srv.AuthenticatorConfigID(),
	})
	require.NoError(t, err)
	assert.Empty(t, res.Link, "an EMAIL job returns no link")
	assert.Equal(t, beyondidentity.DeliveryMethodEmail, res.Job.DeliveryMethod)
	assert.Equal(t, beyondidentity.BindingJobStateLinkSent, res.Job.State)

	out := srv.Outbox()
	require.Len(t, out, 1)
	mail := out[0]
	assert.Equal(t, "ada@example.com", mail.To)
	assert.Equal(t, id.ID, mail.IdentityID)
	assert.Equal(t, res.Job.ID, mail.JobID)
	mailed, err := beyondidentity.ParseBindingLink(mail.Link)
	require.NoError(t, err)
	assert.Equal(t, beyondidentity.BindingLinkKindInvokeAuthenticator, mailed.Kind)
	assert.Equal(t, res.Job.ID, mailed.JobID)

	// Following the link (without following redirects) leads to the
	// Invoke URL's /bind route.
	hc := *srv.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(mail.Link)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	location := resp.Header.Get("Location")
	require.True(t, strings.HasPrefix(location, "https://app.example/passkeys/bind?"), location)

	opened, err := srv.OpenLink(ctx, mail.Link)
	require.NoError(t, err)
	assert.Equal(t, location, opened, "OpenLink returns the same redirect")

	link, err := beyondidentity.ParseBindingLink(location)
	require.NoError(t, err)
	assert.Equal(t, beyondidentity.BindingLinkKindBindRedirect, link.Kind)
	assert.Equal(t, srv.URL(), link.APIBaseURL)
	assert.Equal(t, "app.example", link.Host)
	assert.Equal(t, srv.TenantID(), link.TenantID)
	assert.Equal(t, srv.RealmID(), link.RealmID)
	assert.Equal(t, id.ID, link.IdentityID)
	assert.Equal(t, res.Job.ID, link.JobID)
	assert.Equal(t, mailed.RevealToken(), link.RevealToken())

	job, err := c.BindingJobs.Get(ctx, id.ID, res.Job.ID)
	require.NoError(t, err)
	assert.Equal(t, beyondidentity.BindingJobStateLinkOpened, job.State)

	// The application's /bind route, served with that URL.
	var seen []*beyondidentity.BindingLink
	h := c.BindHandler(func(w http.ResponseWriter, r *http.Request, l *beyondidentity.BindingLink) {
		seen = append(seen, l)
		w.WriteHeader(http.StatusNoContent)
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, location, nil))
	assert.Equal(t, http.StatusNoContent, rec.Code)
	require.Len(t, seen, 1)
	assert.Equal(t, link.TenantID, seen[0].TenantID)
	assert.Equal(t, link.RealmID, seen[0].RealmID)
	assert.Equal(t, link.IdentityID, seen[0].IdentityID)
	assert.Equal(t, link.JobID, seen[0].JobID)
	assert.Equal(t, link.RevealToken(), seen[0].RevealToken())
	assert.Equal(t, location, seen[0].RevealURL())
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))

	// A forged api_base_url would send the token elsewhere: refused.
	forged, err := url.Parse(location)
	require.NoError(t, err)
	q := forged.Query()
	q.Set("api_base_url", "https://auth.attacker.example")
	forged.RawQuery = q.Encode()
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, forged.String(), nil))
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.NotContains(t, rec.Body.String(), link.RevealToken())
	assert.Len(t, seen, 1, "the callback is not called")

	// The device binds with the /bind URL; the job completes.
	b, err := srv.CompleteBinding(ctx, location)
	require.NoError(t, err)
	job, err = c.BindingJobs.Wait(deadline(t, 10*time.Second), id.ID, res.Job.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, b.CredentialID, job.CredentialID)

	// No email address: 422, no job, no email.
	noMail := createIdentity(t, c, "no-mail", "")
	_, err = c.BindingJobs.Create(ctx, noMail.ID, &beyondidentity.CreateBindingJobRequest{
		DeliveryMethod: beyondidentity.DeliveryMethodEmail, AuthenticatorConfigID: srv.AuthenticatorConfigID(),
	})
	var ae *beyondidentity.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusUnprocessableEntity, ae.StatusCode)
	assert.Equal(t, "unprocessable_entity", ae.Code)
	assert.Equal(t, "Identity missing email address", ae.Message)
	assert.Len(t, srv.Outbox(), 1)
	page, err := c.BindingJobs.List(ctx, noMail.ID, nil)
	require.NoError(t, err)
	assert.Zero(t, page.TotalSize)

	// Inline embedded settings: the link redirects to their Invoke URL.
	inline, err := c.BindingJobs.Create(ctx, id.ID, &beyondidentity.CreateBindingJobRequest{
		DeliveryMethod: beyondidentity.DeliveryMethodEmail,
		AuthenticatorConfig: &beyondidentity.EmbeddedSettings{
			InvokeURL: "https://other.example/app", TrustedOrigins: []string{"https://other.example"},
		},
	})
	require.NoError(t, err)
	inlineCfg, ok := inline.Job.AuthenticatorConfig.(*beyondidentity.EmbeddedSettings)
	require.True(t, ok, "%T", inline.Job.AuthenticatorConfig)
	assert.Equal(t, "https://other.example/app", inlineCfg.InvokeURL)
	out = srv.Outbox()
	require.Len(t, out, 2)
	resp, err = hc.Get(out[1].Link)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	link, err = beyondidentity.ParseBindingLink(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "other.example", link.Host)
	assert.Equal(t, inline.Job.ID, link.JobID)
}

func TestSDKWaitOnFailedJobs(t *testing.T) {
	t.Parallel()
	for _, state := range []beyondidentity.BindingJobState{
		beyondidentity.BindingJobStateExpired,
		beyondidentity.BindingJobStateFailedToSend,
		beyondidentity.BindingJobStateRevoked,
	} {
		t.Run(string(state), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := newServer(t, beyondidentitytest.WithInMemory())
				c := newClient(t, srv)
				ctx := deadline(t, time.Hour)
				id := createIdentity(t, c, "ada", "ada@example.com")
				res, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, srv.AuthenticatorConfigID(), nil)
				require.NoError(t, err)

				go func() {
					time.Sleep(time.Minute)
					assert.NoError(t, srv.SetJobState(res.Job.ID, state))
				}()
				start := time.Now()
				job, err := c.BindingJobs.Wait(ctx, id.ID, res.Job.ID, nil)
				require.ErrorIs(t, err, beyondidentity.ErrBindingJobFailed)
				var je *beyondidentity.BindingJobError
				require.ErrorAs(t, err, &je)
				assert.Equal(t, state, je.State)
				require.NotNil(t, je.Job)
				assert.Equal(t, res.Job.ID, je.Job.ID)
				require.NotNil(t, job)
				assert.Equal(t, state, job.State)
				assert.GreaterOrEqual(t, time.Since(start), time.Minute)
				assert.LessOrEqual(t, time.Since(start), time.Minute+10*time.Second)
			})
		})
	}

	t.Run("natural expiry", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := newServer(t, beyondidentitytest.WithInMemory())
			c := newClient(t, srv)
			ctx := deadline(t, 30*24*time.Hour)
			id := createIdentity(t, c, "ada", "")
			first, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, srv.AuthenticatorConfigID(), nil)
			require.NoError(t, err)
			second, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, srv.AuthenticatorConfigID(), nil)
			require.NoError(t, err)
			assert.WithinDuration(t, time.Now().Add(7*24*time.Hour), first.Job.ExpireTime, 0)

			// Waiting on a job nobody binds ends when its link expires.
			start := time.Now()
			job, err := c.BindingJobs.Wait(ctx, id.ID, second.Job.ID, &beyondidentity.WaitOptions{MaxInterval: time.Hour})
			require.ErrorIs(t, err, beyondidentity.ErrBindingJobFailed)
			assert.Equal(t, beyondidentity.BindingJobStateExpired, job.State)
			assert.GreaterOrEqual(t, time.Since(start), 7*24*time.Hour)
			assert.LessOrEqual(t, time.Since(start), 7*24*time.Hour+time.Hour)

			// A job whose expire_time has passed is EXPIRED at the first poll.
			time.Sleep(time.Until(first.Job.ExpireTime) + time.Second)
			start = time.Now()
			job, err = c.BindingJobs.Wait(ctx, id.ID, first.Job.ID, nil)
			require.ErrorIs(t, err, beyondidentity.ErrBindingJobFailed)
			assert.Equal(t, beyondidentity.BindingJobStateExpired, job.State)
			assert.Zero(t, time.Since(start))
			_, err = srv.CompleteBinding(ctx, first.Link.Reveal())
			assert.ErrorIs(t, err, beyondidentitytest.ErrJobNotPending)
		})
	})
}

func TestSDKBatchBindingJobs(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := newClient(t, srv)
	ctx := t.Context()
	a := createIdentity(t, c, "a", "a@example.com")
	b := createIdentity(t, c, "b", "b@example.com")
	n := createIdentity(t, c, "n", "")

	batch, err := c.BindingJobs.BatchCreate(ctx, &beyondidentity.CreateBatchBindingJobRequest{
		IdentityIDs: []string{a.ID, b.ID, n.ID},
		JobTemplate: beyondidentity.BatchBindingJobTemplate{AuthenticatorConfigID: srv.AuthenticatorConfigID()},
	})
	require.NoError(t, err)
	assert.Regexp(t, `^[0-9a-f-]{36}$`, batch.ID)
	assert.Equal(t, []string{a.ID, b.ID, n.ID}, batch.IdentityIDs)

	got, err := c.BindingJobs.GetBatch(ctx, batch.ID)
	require.NoError(t, err)
	assert.Equal(t, beyondidentity.BatchBindingJobStatePartialSuccess, got.State)
	assert.True(t, got.State.IsTerminal())
	assert.Equal(t, map[string]beyondidentity.BatchIdentityError{
		n.ID: {LastError: "Identity missing email address", FailedPermanently: true},
	}, got.StateCommentary.Errors)
	assert.Equal(t, srv.AuthenticatorConfigID(), got.JobTemplate.AuthenticatorConfigID)

	jobs := map[string]*beyondidentity.BindingJob{}
	for j, err := range c.BindingJobs.AllBatchResults(ctx, batch.ID, &beyondidentity.ListBatchResultsOptions{PageSize: 1}) {
		require.NoError(t, err)
		jobs[j.IdentityID] = j
	}
	require.Len(t, jobs, 2)
	for _, who := range []string{a.ID, b.ID} {
		require.Contains(t, jobs, who)
		assert.Equal(t, batch.ID, jobs[who].BatchID)
		assert.Equal(t, beyondidentity.DeliveryMethodEmail, jobs[who].DeliveryMethod)
		assert.Equal(t, beyondidentity.BindingJobStateLinkSent, jobs[who].State)
	}
	assert.Len(t, srv.Outbox(), 2)

	// One of them binds: the counts follow.
	for _, m := range srv.Outbox() {
		assert.Equal(t, batch.ID, m.BatchID)
		if m.IdentityID == a.ID {
			_, err := srv.CompleteBinding(ctx, m.Link)
			require.NoError(t, err)
		}
	}
	page, err := c.BindingJobs.ListBatchResults(ctx, batch.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, page.TotalSize)
	assert.Equal(t, 1, page.TotalSuccessCount)
	assert.Equal(t, 1, page.TotalPendingCount)
	assert.Zero(t, page.TotalFailureCount)
}

func TestSDKBatchQueueFull(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := newServer(t, beyondidentitytest.WithInMemory(), beyondidentitytest.WithBatchQueueLimit(2))
		c := newClient(t, srv)
		ctx := deadline(t, time.Hour)
		var ids []string
		for _, u := range []string{"a", "b", "c"} {
			ids = append(ids, createIdentity(t, c, u, u+"@example.com").ID)
		}
		batchesPath := realmPath(srv, "batch-credential-binding-jobs")

		// The queue takes 2 jobs: a batch of 3 is refused with 429, which
		// the SDK retries (the server did not act on it) and then reports.
		_, err := c.BindingJobs.BatchCreate(ctx, &beyondidentity.CreateBatchBindingJobRequest{
			IdentityIDs: ids,
			JobTemplate: beyondidentity.BatchBindingJobTemplate{AuthenticatorConfigID: srv.AuthenticatorConfigID()},
		})
		assert.ErrorIs(t, err, beyondidentity.ErrRateLimited)
		ae := requireAPIError(t, err, http.StatusTooManyRequests, "too_many_requests")
		assert.Equal(t, beyondidentity.DefaultMaxRetries+1, ae.Attempts)
		assert.Len(t, requestsTo(srv, http.MethodPost, batchesPath), beyondidentity.DefaultMaxRetries+1)
		assert.Empty(t, srv.Outbox(), "no job was created")

		batch, err := c.BindingJobs.BatchCreate(ctx, &beyondidentity.CreateBatchBindingJobRequest{
			IdentityIDs: ids[:2],
			JobTemplate: beyondidentity.BatchBindingJobTemplate{AuthenticatorConfigID: srv.AuthenticatorConfigID()},
		})
		require.NoError(t, err)
		got, err := c.BindingJobs.GetBatch(ctx, batch.ID)
		require.NoError(t, err)
		assert.Equal(t, beyondidentity.BatchBindingJobStateSuccess, got.State)
		assert.Len(t, srv.Outbox(), 2)
	})
}

func TestSDKAuthenticatorConfigsCRUD(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := newClient(t, srv)
	ctx := t.Context()
	configsPath := realmPath(srv, "authenticator-configs")

	kinds := map[string]beyondidentity.AuthenticatorSettings{
		"embedded": &beyondidentity.EmbeddedSettings{
			InvokeURL:      "https://app.example/passkeys",
			InvocationType: beyondidentity.InvocationTypeManual,
			TrustedOrigins: []string{"https://app.example", "http://localhost:3000"},
			AuthenticationMethods: []beyondidentity.AuthenticationMethod{
				{Type: beyondidentity.AuthenticationMethodWebAuthnPasskey},
			},
		},
		"embedded app link": &beyondidentity.EmbeddedSettings{
			InvokeURL:      "myapp://passkeys",
			InvocationType: beyondidentity.InvocationTypeAutomatic,
			TrustedOrigins: []string{"https://app.example"},
		},
		"hosted_web": &beyondidentity.HostedWebSettings{
			AuthenticationMethods: []beyondidentity.AuthenticationMethod{
				{Type: beyondidentity.AuthenticationMethodSoftwarePasskey},
				{Type: beyondidentity.AuthenticationMethodEmailOneTimePassword},
			},
			TrustedOrigins: []string{"https://login.example"},
		},
		"console idp": &beyondidentity.ConsoleSettings{OnboardingConfiguration: beyondidentity.ConsoleOnboardingConfiguration{
			VerificationMethod: beyondidentity.ConsoleVerificationMethod{Type: beyondidentity.ConsoleVerificationIDP, IDPID: "6f1b0e43-2c8e-4f5e-9d0a-2a1a3b4c5d6e"},
		}},
		"console none": &beyondidentity.ConsoleSettings{OnboardingConfiguration: beyondidentity.ConsoleOnboardingConfiguration{
			VerificationMethod: beyondidentity.ConsoleVerificationMethod{Type: beyondidentity.ConsoleVerificationNone},
		}},
		"platform": &beyondidentity.PlatformSettings{
			TrustedOrigins: []string{"https://app.example"},
			RoamingAuthConfig: &beyondidentity.RoamingAuthConfig{
				Enabled: true, AllowUnknownUser: true,
				AllowedSourceIPs: []string{"192.0.2.0/24"}, AllowedUserGroupIDs: []string{"g1"}, AllowedUserIDs: []string{"u1", "u2"},
			},
		},
		"platform bare": &beyondidentity.PlatformSettings{},
	}
	for name, settings := range kinds {
		t.Run(name, func(t *testing.T) {
			created, err := c.AuthenticatorConfigs.Create(ctx, &beyondidentity.CreateAuthenticatorConfigRequest{DisplayName: "cfg " + name, Config: settings})
			require.NoError(t, err)
			assert.Regexp(t, `^[0-9a-f-]{36}$`, created.ID)
			assert.Equal(t, srv.RealmID(), created.RealmID)
			assert.Equal(t, srv.TenantID(), created.TenantID)
			assert.Equal(t, "cfg "+name, created.DisplayName)
			assert.Equal(t, settings, created.Config, "the settings round-trip")

			got, err := c.AuthenticatorConfigs.Get(ctx, created.ID)
			require.NoError(t, err)
			assert.Equal(t, created, got)
			assert.Contains(t, allConfigIDs(t, c), created.ID)

			// Renaming sends the name only and keeps the settings.
			srv.ClearRequests()
			renamed, err := c.AuthenticatorConfigs.Update(ctx, created.ID, &beyondidentity.UpdateAuthenticatorConfigRequest{DisplayName: beyondidentity.Ptr("renamed " + name)})
			require.NoError(t, err)
			assert.Equal(t, "renamed "+name, renamed.DisplayName)
			assert.Equal(t, settings, renamed.Config)
			patches := requestsTo(srv, http.MethodPatch, configsPath+"/"+created.ID)
			require.Len(t, patches, 1)
			assert.JSONEq(t, `{"authenticator_config":{"display_name":"renamed `+name+`"}}`, patches[0].Body)
			got, err = c.AuthenticatorConfigs.Get(ctx, created.ID)
			require.NoError(t, err)
			assert.Equal(t, renamed, got)

			require.NoError(t, c.AuthenticatorConfigs.Delete(ctx, created.ID))
			_, err = c.AuthenticatorConfigs.Get(ctx, created.ID)
			assert.ErrorIs(t, err, beyondidentity.ErrNotFound)
			assert.NotContains(t, allConfigIDs(t, c), created.ID)
			err = c.AuthenticatorConfigs.Delete(ctx, created.ID)
			assert.ErrorIs(t, err, beyondidentity.ErrNotFound)
		})
	}

	t.Run("partial settings update", func(t *testing.T) {
		cfg, err := c.AuthenticatorConfigs.Get(ctx, srv.AuthenticatorConfigID())
		require.NoError(t, err)
		before, ok := cfg.Config.(*beyondidentity.EmbeddedSettings)
		require.True(t, ok, "%T", cfg.Config)
		upd, err := c.AuthenticatorConfigs.Update(ctx, cfg.ID, &beyondidentity.UpdateAuthenticatorConfigRequest{
			Config: &beyondidentity.EmbeddedSettings{InvokeURL: "https://new.example/app"},
		})
		require.NoError(t, err)
		want := *before
		want.InvokeURL = "https://new.example/app"
		assert.Equal(t, &want, upd.Config, "only the Invoke URL changed")
		assert.Equal(t, cfg.DisplayName, upd.DisplayName)
	})
}

func allConfigIDs(t *testing.T, c *beyondidentity.Client) []string {
	t.Helper()
	var ids []string
	for cfg, err := range c.AuthenticatorConfigs.All(t.Context(), &beyondidentity.ListAuthenticatorConfigsOptions{PageSize: 2}) {
		require.NoError(t, err)
		ids = append(ids, cfg.ID)
	}
	return ids
}

func TestSDKTokens(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	spy := &bearerSpy{base: srv.HTTPClient().Transport}
	c := newClient(t, srv, beyondidentity.WithHTTPClient(&http.Client{Transport: spy}))
	admin := c.InRealm(srv.AdminRealmID())
	ctx := t.Context()

	page, err := admin.Tokens.List(ctx, srv.ApplicationID(), nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "the client's own token")
	own := page.Items[0]
	bearer := spy.last()
	require.NotEmpty(t, bearer)
	assert.True(t, strings.HasSuffix(bearer, own.TokenSuffix))
	assert.Equal(t, beyondidentity.TokenTypeAccess, own.TokenType)

	in, err := admin.Tokens.Introspect(ctx, bearer)
	require.NoError(t, err)
	assert.True(t, in.Active)
	assert.Equal(t, own.ID, in.Jti)
	assert.Equal(t, srv.ApplicationID(), in.Sub)
	assert.Equal(t, own.Expires, in.ExpiresAt)
	assert.Contains(t, strings.Fields(in.Scope), "identities:create")

	require.NoError(t, admin.Tokens.Revoke(ctx, srv.ApplicationID(), own.ID))
	// The client's next call is refused once, fetches a new token and
	// goes through; the old token is now inactive.
	srv.ClearRequests()
	in, err = admin.Tokens.Introspect(ctx, bearer)
	require.NoError(t, err)
	assert.False(t, in.Active)
	assert.Empty(t, in.Jti)
	assert.True(t, bearer != spy.last(), "the client uses a new token")
	introspect := "/v1/tenants/" + srv.TenantID() + "/realms/" + srv.AdminRealmID() + "/introspect"
	assert.Equal(t, []int{401, 200}, statusesOf(srv, http.MethodPost, introspect))
	assert.Equal(t, 1, tokenRequests(srv))

	page, err = admin.Tokens.List(ctx, srv.ApplicationID(), nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "only the new token is listed")
	assert.NotEqual(t, own.ID, page.Items[0].ID)
}

// bearerSpy records the bearer token of the last request, as a user would
// to see which token a client uses.
type bearerSpy struct {
	base http.RoundTripper
	mu   sync.Mutex
	tok  string
}

func (s *bearerSpy) RoundTrip(r *http.Request) (*http.Response, error) {
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		s.mu.Lock()
		s.tok = tok
		s.mu.Unlock()
	}
	return s.base.RoundTrip(r)
}

func (s *bearerSpy) last() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok
}

// deadline returns a context that ends after d, so that a test of code that
// waits fails instead of hanging when the wait never ends (inside a synctest
// bubble, d is fake time).
func deadline(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestOpenLinkReturnJobAndErrors(t *testing.T) {
	t.Parallel()
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	defer srv.Close()
	c, err := srv.Client()
	require.NoError(t, err)
	ctx := t.Context()
	id := createIdentity(t, c, "ada", "ada@example.com")
	res, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, srv.AuthenticatorConfigID(), nil)
	require.NoError(t, err)

	loc, err := srv.OpenLink(ctx, res.Link.Reveal())
	require.NoError(t, err)
	assert.Empty(t, loc, "a RETURN job's link does not redirect")
	job, err := c.BindingJobs.Get(ctx, id.ID, res.Job.ID)
	require.NoError(t, err)
	assert.Equal(t, beyondidentity.BindingJobStateLinkOpened, job.State)

	_, err = srv.CompleteBinding(ctx, res.Link.Reveal())
	require.NoError(t, err)
	_, err = srv.OpenLink(ctx, res.Link.Reveal())
	assert.ErrorContains(t, err, "410", "a used link no longer opens")
	_, err = srv.OpenLink(ctx, strings.Replace(res.Link.Reveal(), "token=", "token=x", 1))
	assert.ErrorContains(t, err, "404")
}
