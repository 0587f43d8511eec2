package beyondidentity

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBindingJobsCreateBatch(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, testRealmPath+"/batch-credential-binding-jobs").
		AddMatcher(matchJSONBody(t, `{"batch_credential_binding_job":{"identity_ids":["id-1","id-2","id-3"],"job_template":{"authenticator_config_id":"`+bjConfig+`","post_binding_redirect_uri":"https://shop.example/done"}}}`)).
		Reply(200).
		JSON(`{"id":"` + bjBatch + `","tenant_id":"` + testTenant + `","realm_id":"` + testRealm + `",
			"identity_ids":["id-1","id-2","id-3"],"state":"RUNNING",
			"state_commentary":{"errors":{"id-2":{"last_error":"Identity missing email address","failed_permanently":true},"id-3":{"last_error":"timeout"}}},
			"job_template":{"authenticator_config_id":"` + bjConfig + `","post_binding_redirect_uri":"https://shop.example/done","expire_time":"2031-04-08T10:00:00Z"},
			"create_time":"2031-04-01T10:00:00.000Z","update_time":"2031-04-01T10:00:02.000001Z"}`)

	b, err := c.BindingJobs.CreateBatch(context.Background(), &CreateBatchBindingJobRequest{
		IdentityIDs: []string{"id-1", "id-2", "id-3"},
		JobTemplate: BatchBindingJobTemplate{
			AuthenticatorConfigID:  bjConfig,
			PostBindingRedirectURI: "https://shop.example/done",
			ExpireTime:             time.Now(), // read-only: not sent
		},
	})
	require.NoError(t, err)
	assert.Equal(t, bjBatch, b.ID)
	assert.Equal(t, BatchBindingJobStateRunning, b.State)
	assert.False(t, b.State.IsTerminal())
	assert.Equal(t, []string{"id-1", "id-2", "id-3"}, b.IdentityIDs)
	assert.Equal(t, map[string]BatchIdentityError{
		"id-2": {LastError: "Identity missing email address", FailedPermanently: true},
		"id-3": {LastError: "timeout"},
	}, b.StateCommentary.Errors)
	assert.Equal(t, bjConfig, b.JobTemplate.AuthenticatorConfigID)
	assert.Equal(t, time.Date(2031, 4, 8, 10, 0, 0, 0, time.UTC), b.JobTemplate.ExpireTime)
	assert.Equal(t, time.Date(2031, 4, 1, 10, 0, 2, 1000, time.UTC), b.UpdateTime)
}

func TestBindingJobsCreateBatchInlineTemplate(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, testRealmPath+"/batch-credential-binding-jobs").
		AddMatcher(matchJSONBody(t, `{"batch_credential_binding_job":{"identity_ids":["id-1"],"job_template":{"authenticator_config":{"config":{"type":"platform","roaming_auth_config":{"enabled":true,"allow_unknown_user":false}}}}}}`)).
		Reply(200).
		JSON(`{"id":"` + bjBatch + `","identity_ids":["id-1"],"state":"SUCCESS","job_template":{"authenticator_config":{"config":{"type":"platform","trusted_origins":null}}}}`)

	b, err := c.BindingJobs.CreateBatch(context.Background(), &CreateBatchBindingJobRequest{
		IdentityIDs: []string{"id-1"},
		JobTemplate: BatchBindingJobTemplate{AuthenticatorConfig: &PlatformSettings{RoamingAuthConfig: &RoamingAuthConfig{Enabled: true}}},
	})
	require.NoError(t, err)
	assert.True(t, b.State.IsTerminal())
	p, ok := b.JobTemplate.AuthenticatorConfig.(*PlatformSettings)
	require.True(t, ok, "got %T", b.JobTemplate.AuthenticatorConfig)
	assert.Nil(t, p.TrustedOrigins)
}

func TestBindingJobsGetBatch(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, testRealmPath+"/batch-credential-binding-jobs/b%3A1").
		AddMatcher(matchNoBody).
		Reply(200).
		JSON(`{"id":"b:1","identity_ids":["id-1"],"state":"PARTIAL_SUCCESS","job_template":{"authenticator_config_id":"` + bjConfig + `"}}`)

	b, err := c.BindingJobs.GetBatch(context.Background(), "b:1")
	require.NoError(t, err)
	assert.Equal(t, BatchBindingJobStatePartialSuccess, b.State)
}

func TestBindingJobsListBatchResults(t *testing.T) {
	c := newGockClient(t)
	path := testRealmPath + "/batch-credential-binding-jobs/" + bjBatch + ":listResults"
	apiMock(http.MethodGet, path).
		AddMatcher(matchNoBody).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"2"}})).
		Reply(200).
		JSON(`{"job_results":[{"id":"job-a","batch_id":"` + bjBatch + `","state":"COMPLETE","credential_id":"cred-a"},{"id":"job-b","batch_id":"` + bjBatch + `","state":"LINK_OPENED"}],
			"total_success_count":1,"total_failure_count":1,"total_pending_count":1,"total_size":3,"next_page_token":"r2"}`)
	apiMock(http.MethodGet, path).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"2"}, "page_token": {"r2"}})).
		Reply(200).
		JSON(`{"job_results":[{"id":"job-c","state":"FAILED_TO_SEND"}],"total_success_count":1,"total_failure_count":1,"total_pending_count":1,"total_size":3}`)
	apiMock(http.MethodGet, path).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"2"}})).
		Reply(200).
		JSON(`{"job_results":[{"id":"job-a"},{"id":"job-b"}],"total_success_count":1,"total_failure_count":1,"total_pending_count":1,"total_size":3,"next_page_token":"r2"}`)
	apiMock(http.MethodGet, path).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"2"}, "page_token": {"r2"}})).
		Reply(200).
		JSON(`{"job_results":[{"id":"job-c"}],"total_success_count":1,"total_failure_count":1,"total_pending_count":1,"total_size":3}`)

	ctx := context.Background()
	page, err := c.BindingJobs.ListBatchResults(ctx, bjBatch, &ListBatchResultsOptions{PageSize: 2})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	assert.Equal(t, bjBatch, page.Items[0].BatchID)
	assert.Equal(t, "cred-a", page.Items[0].CredentialID)
	assert.Equal(t, 1, page.TotalSuccessCount)
	assert.Equal(t, 1, page.TotalFailureCount)
	assert.Equal(t, 1, page.TotalPendingCount)
	assert.Equal(t, 3, page.TotalSize)
	assert.Equal(t, "r2", page.NextPageToken)

	page, err = c.BindingJobs.ListBatchResults(ctx, bjBatch, &ListBatchResultsOptions{PageSize: 2, PageToken: "r2"})
	require.NoError(t, err)
	assert.Equal(t, BindingJobStateFailedToSend, page.Items[0].State)
	assert.Empty(t, page.NextPageToken)

	var ids []string
	for job, err := range c.BindingJobs.AllBatchResults(ctx, bjBatch, &ListBatchResultsOptions{PageSize: 2}) {
		require.NoError(t, err)
		ids = append(ids, job.ID)
	}
	assert.Equal(t, []string{"job-a", "job-b", "job-c"}, ids)
}
