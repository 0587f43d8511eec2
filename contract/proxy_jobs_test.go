package contract

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProxyBindingJobs(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	id := newIdentity(t, c, false)

	ret, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, env.fake.AuthenticatorConfigID,
		&bi.ReturnLinkOptions{PostBindingRedirectURI: "https://app.example/done"})
	require.NoError(t, err)
	require.NotEmpty(t, ret.Link)
	assert.Equal(t, bi.BindingJobStateLinkSent, ret.Job.State)
	assert.Equal(t, bi.DeliveryMethodReturn, ret.Job.DeliveryMethod)
	assert.Equal(t, id.ID, ret.Job.IdentityID)
	assert.False(t, ret.Job.ExpireTime.IsZero())
	link, err := bi.ParseBindingLink(ret.Link.Reveal())
	require.NoError(t, err)
	assert.Equal(t, ret.Job.ID, link.JobID)

	email, err := c.BindingJobs.Create(ctx, id.ID, &bi.CreateBindingJobRequest{
		DeliveryMethod: bi.DeliveryMethodEmail, AuthenticatorConfigID: env.fake.AuthenticatorConfigID})
	require.NoError(t, err)
	assert.Empty(t, email.Link)
	assert.Equal(t, bi.DeliveryMethodEmail, email.Job.DeliveryMethod)

	// An inline authenticator config instead of a config ID.
	inline, err := c.BindingJobs.Create(ctx, id.ID, &bi.CreateBindingJobRequest{
		DeliveryMethod: bi.DeliveryMethodReturn,
		AuthenticatorConfig: &bi.EmbeddedSettings{
			InvokeURL: "https://app.example", TrustedOrigins: []string{"https://app.example"},
			InvocationType:        bi.InvocationTypeAutomatic,
			AuthenticationMethods: []bi.AuthenticationMethod{{Type: bi.AuthenticationMethodWebAuthnPasskey}},
		}})
	require.NoError(t, err)
	require.NotEmpty(t, inline.Link)
	if emb, ok := inline.Job.AuthenticatorConfig.(*bi.EmbeddedSettings); assert.True(t, ok, "%T", inline.Job.AuthenticatorConfig) {
		assert.Equal(t, "https://app.example", emb.InvokeURL)
	}

	// An inline platform config: the API takes embedded and platform
	// settings inline (hosted_web must be referenced by ID); the spec's
	// schema refers to embedded and console instead (see the allow-list).
	platform, err := c.BindingJobs.Create(ctx, id.ID, &bi.CreateBindingJobRequest{
		DeliveryMethod:      bi.DeliveryMethodReturn,
		AuthenticatorConfig: &bi.PlatformSettings{TrustedOrigins: []string{"https://app.example"}},
	})
	require.NoError(t, err)
	assert.IsType(t, &bi.PlatformSettings{}, platform.Job.AuthenticatorConfig)

	got, err := c.BindingJobs.Get(ctx, id.ID, ret.Job.ID)
	require.NoError(t, err)
	assert.Equal(t, "https://app.example/done", got.PostBindingRedirectURI)
	_, err = c.BindingJobs.Get(ctx, id.ID, platform.Job.ID)
	require.NoError(t, err)
	got, err = c.BindingJobs.Get(ctx, id.ID, inline.Job.ID)
	require.NoError(t, err)
	assert.IsType(t, &bi.EmbeddedSettings{}, got.AuthenticatorConfig)

	page, err := c.BindingJobs.List(ctx, id.ID, &bi.ListOptions{PageSize: 1})
	require.NoError(t, err)
	assert.Len(t, page.Items, 1)
	assert.Equal(t, 4, page.TotalSize)
	n := 0
	for j, err := range c.BindingJobs.All(ctx, id.ID, &bi.ListOptions{PageSize: 2}) {
		require.NoError(t, err)
		assert.Equal(t, id.ID, j.IdentityID)
		n++
	}
	assert.Equal(t, 4, n)
	realm, err := c.BindingJobs.List(ctx, bi.AllIdentities, &bi.ListOptions{Filter: `delivery_method eq "EMAIL"`, PageSize: 200})
	require.NoError(t, err)
	require.NotEmpty(t, realm.Items)
	for _, j := range realm.Items {
		assert.Equal(t, bi.DeliveryMethodEmail, j.DeliveryMethod)
	}

	revoked, err := c.BindingJobs.Revoke(ctx, id.ID, email.Job.ID)
	require.NoError(t, err)
	assert.Equal(t, bi.BindingJobStateRevoked, revoked.State)

	// Wait ends in failure on a revoked job.
	_, err = c.BindingJobs.Wait(ctx, id.ID, email.Job.ID, nil)
	assert.ErrorIs(t, err, bi.ErrBindingJobFailed)
}

func TestProxyBindingJobWait(t *testing.T) {
	c, _ := proxyClient(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	id := newIdentity(t, c, false)
	ret, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, env.fake.AuthenticatorConfigID, nil)
	require.NoError(t, err)

	// Wait polls; the device binds once the first poll saw the job pending.
	polled := make(chan struct{})
	var once sync.Once
	done := make(chan struct{})
	var job *bi.BindingJob
	var waitErr error
	go func() {
		defer close(done)
		job, waitErr = c.BindingJobs.Wait(ctx, id.ID, ret.Job.ID, &bi.WaitOptions{
			InitialInterval: 50 * time.Millisecond, MaxInterval: 200 * time.Millisecond,
			OnUpdate: func(j *bi.BindingJob) { once.Do(func() { close(polled) }) },
		})
	}()
	select {
	case <-polled:
	case <-ctx.Done():
		t.Fatal("Wait never polled")
	}
	credID := completeBinding(t, ret.Link.Reveal())
	<-done
	require.NoError(t, waitErr)
	assert.Equal(t, bi.BindingJobStateComplete, job.State)
	assert.Equal(t, credID, job.CredentialID)

	got, err := c.Identities.Get(ctx, id.ID)
	require.NoError(t, err)
	assert.Equal(t, bi.EnrollmentStatusEnrolled, got.EnrollmentStatus)
}

func TestProxyBatchBindingJobs(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	a, b := newIdentity(t, c, false), newIdentity(t, c, false)

	batch, err := c.BindingJobs.BatchCreate(ctx, &bi.CreateBatchBindingJobRequest{
		IdentityIDs: []string{a.ID, b.ID},
		JobTemplate: bi.BatchBindingJobTemplate{
			AuthenticatorConfigID: env.fake.AuthenticatorConfigID, PostBindingRedirectURI: "https://app.example/done"},
	})
	require.NoError(t, err)
	require.NotEmpty(t, batch.ID)
	assert.ElementsMatch(t, []string{a.ID, b.ID}, batch.IdentityIDs)
	assert.NotEmpty(t, batch.State)

	got, err := c.BindingJobs.GetBatch(ctx, batch.ID)
	require.NoError(t, err)
	assert.Equal(t, batch.ID, got.ID)
	assert.Equal(t, env.fake.AuthenticatorConfigID, got.JobTemplate.AuthenticatorConfigID)

	res, err := c.BindingJobs.ListBatchResults(ctx, batch.ID, &bi.ListBatchResultsOptions{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, res.Items, 1)
	assert.Equal(t, 2, res.TotalSize)
	assert.Equal(t, batch.ID, res.Items[0].BatchID)
	n := 0
	for j, err := range c.BindingJobs.AllBatchResults(ctx, batch.ID, &bi.ListBatchResultsOptions{PageSize: 1}) {
		require.NoError(t, err)
		assert.Equal(t, bi.DeliveryMethodEmail, j.DeliveryMethod)
		n++
	}
	assert.Equal(t, 2, n)
}

func TestProxyBindingJobErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	id := newIdentity(t, c, false)
	noEmail := newIdentity(t, c, true)
	const unknown = "0000000000000000"

	t.Run("404", func(t *testing.T) {
		_, err := c.BindingJobs.Get(ctx, id.ID, unknown)
		ae := requireAPIError(t, err, http.StatusNotFound)
		assert.ErrorIs(t, err, bi.ErrNotFound)
		_ = ae
		_, err = c.BindingJobs.CreateReturnLink(ctx, unknown, env.fake.AuthenticatorConfigID, nil)
		ae = requireAPIError(t, err, http.StatusNotFound)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "Identity", ri.ResourceType)
		}
		_, err = c.BindingJobs.GetBatch(ctx, "00000000-0000-4000-8000-000000000000")
		requireAPIError(t, err, http.StatusNotFound)
		_, err = c.BindingJobs.ListBatchResults(ctx, "00000000-0000-4000-8000-000000000000", nil)
		requireAPIError(t, err, http.StatusNotFound)
		_, err = c.BindingJobs.Revoke(ctx, id.ID, unknown)
		requireAPIError(t, err, http.StatusNotFound)
	})
	t.Run("409 revoking a complete job", func(t *testing.T) {
		ret, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, env.fake.AuthenticatorConfigID, nil)
		require.NoError(t, err)
		completeBinding(t, ret.Link.Reveal())
		_, err = c.BindingJobs.Revoke(ctx, id.ID, ret.Job.ID)
		requireAPIError(t, err, http.StatusConflict)
		assert.ErrorIs(t, err, bi.ErrConflict)
	})
	t.Run("422 EMAIL without an address", func(t *testing.T) {
		_, err := c.BindingJobs.Create(ctx, noEmail.ID, &bi.CreateBindingJobRequest{
			DeliveryMethod: bi.DeliveryMethodEmail, AuthenticatorConfigID: env.fake.AuthenticatorConfigID})
		ae := requireAPIError(t, err, http.StatusUnprocessableEntity)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, noEmail.ID, ri.ResourceID)
		}
	})
	t.Run("400 unsupported filter", func(t *testing.T) {
		_, err := c.BindingJobs.List(ctx, bi.AllIdentities, &bi.ListOptions{Filter: `credential_id eq "x"`})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "filter", fieldOf(ae))
	})
	t.Run("400 empty authenticator config ID", func(t *testing.T) {
		// The SDK refuses a job without a config before sending.
		_, err := c.BindingJobs.Create(ctx, id.ID, &bi.CreateBindingJobRequest{DeliveryMethod: bi.DeliveryMethodReturn})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPost, "/identities/"+id.ID+"/credential-binding-jobs",
			map[string]any{"job": map[string]any{"delivery_method": "RETURN", "authenticator_config_id": ""}})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "job.authenticator_config_id", fieldOf(ae))
	})
	t.Run("429 batch queue full", func(t *testing.T) {
		var ids []string
		for range batchQueueLimit + 1 {
			ids = append(ids, newIdentity(t, c, false).ID)
		}
		_, err := c.BindingJobs.BatchCreate(ctx, &bi.CreateBatchBindingJobRequest{IdentityIDs: ids,
			JobTemplate: bi.BatchBindingJobTemplate{AuthenticatorConfigID: env.fake.AuthenticatorConfigID}})
		requireAPIError(t, err, http.StatusTooManyRequests)
		assert.ErrorIs(t, err, bi.ErrRateLimited)
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		_, err := bad.BindingJobs.BatchCreate(ctx, &bi.CreateBatchBindingJobRequest{IdentityIDs: []string{id.ID},
			JobTemplate: bi.BatchBindingJobTemplate{AuthenticatorConfigID: env.fake.AuthenticatorConfigID}})
		requireAPIError(t, err, http.StatusUnauthorized)
		_, err = bad.BindingJobs.Get(ctx, id.ID, unknown)
		requireAPIError(t, err, http.StatusUnauthorized)
		_, err = bad.BindingJobs.CreateReturnLink(ctx, id.ID, env.fake.AuthenticatorConfigID, nil)
		requireAPIError(t, err, http.StatusUnauthorized)
		_, err = bad.BindingJobs.List(ctx, bi.AllIdentities, nil)
		requireAPIError(t, err, http.StatusUnauthorized)
	})
}
