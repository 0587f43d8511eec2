package beyondidentity

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Fixtures written for these tests (IDs are made up).
const (
	bjIdentity   = "c0ffee00d15ea5e1"
	bjJob        = "b1d0b1d0b1d0b1d0"
	bjConfig     = "5b0c6c1e-7d1a-4c57-9a58-0f6f3d2e8a11"
	bjCredential = "feedface12345678"
	bjBatch      = "9d7e9c7a-0b5e-4f0e-8a47-3a0c2f1d6b22"
	bjLinkToken  = "tok_Zm9vYmFyYmF6cXV4c2VjcmV0LXRva2VuLXZhbHVlLTAxMjM0NTY3ODk"
)

func bjLink() string {
	return "https://auth.test/v1/tenants/" + testTenant + "/realms/" + testRealm +
		"/identities/" + bjIdentity + "/credential-binding-jobs/" + bjJob + ":invokeAuthenticator?token=" + bjLinkToken
}

func bjJobJSON(state BindingJobState, method DeliveryMethod) string {
	extra := ""
	if state == BindingJobStateComplete {
		extra = `"credential_id":"` + bjCredential + `",`
	}
	return `{"id":"` + bjJob + `","identity_id":"` + bjIdentity + `","realm_id":"` + testRealm +
		`","tenant_id":"` + testTenant + `",` + extra + `"delivery_method":"` + string(method) +
		`","state":"` + string(state) + `","authenticator_config_id":"` + bjConfig +
		`","post_binding_redirect_uri":"https://shop.example/passkey/done"` +
		`,"expire_time":"2031-04-08T10:00:00.123Z","create_time":"2031-04-01T10:00:00.123456Z","update_time":"2031-04-01T10:00:01.5Z"}`
}

func jobsPath(identity string) string {
	return testRealmPath + "/identities/" + identity + "/credential-binding-jobs"
}

func TestBindingJobsCreateReturn(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, jobsPath(bjIdentity)).
		AddMatcher(matchJSONBody(t, `{"job":{"delivery_method":"RETURN","authenticator_config_id":"`+bjConfig+`","post_binding_redirect_uri":"https://shop.example/passkey/done"}}`)).
		Reply(200).
		JSON(`{"credential_binding_job":` + bjJobJSON(BindingJobStateLinkSent, DeliveryMethodReturn) + `,"credential_binding_link":"` + bjLink() + `"}`)

	res, err := c.BindingJobs.Create(context.Background(), bjIdentity, &CreateBindingJobRequest{
		DeliveryMethod:         DeliveryMethodReturn,
		AuthenticatorConfigID:  bjConfig,
		PostBindingRedirectURI: "https://shop.example/passkey/done",
	})
	require.NoError(t, err)
	assert.Equal(t, bjLink(), res.Link.Reveal())
	require.NotNil(t, res.Job)
	assert.Equal(t, bjJob, res.Job.ID)
	assert.Equal(t, BindingJobStateLinkSent, res.Job.State)
	assert.Equal(t, DeliveryMethodReturn, res.Job.DeliveryMethod)
	assert.Equal(t, bjConfig, res.Job.AuthenticatorConfigID)
	assert.Equal(t, "https://shop.example/passkey/done", res.Job.PostBindingRedirectURI)
}

func TestBindingJobsCreateEmailHasNoLink(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, jobsPath(bjIdentity)).
		AddMatcher(matchJSONBody(t, `{"job":{"delivery_method":"EMAIL","authenticator_config_id":"`+bjConfig+`"}}`)).
		Reply(200).
		JSON(`{"credential_binding_job":` + bjJobJSON(BindingJobStateLinkSent, DeliveryMethodEmail) + `}`)

	res, err := c.BindingJobs.Create(context.Background(), bjIdentity, &CreateBindingJobRequest{
		DeliveryMethod: DeliveryMethodEmail, AuthenticatorConfigID: bjConfig,
	})
	require.NoError(t, err)
	assert.True(t, res.Link.IsZero())
	assert.Equal(t, DeliveryMethodEmail, res.Job.DeliveryMethod)
}

func TestBindingJobsCreateEmailMissingAddressIs422(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, jobsPath(bjIdentity)).
		Reply(422).
		JSON(`{"code":"unprocessable_entity","message":"Identity missing email address","details":[{"type":"ResourceInfo","resource_type":"Identity","id":"` + bjIdentity + `"}]}`)

	_, err := c.BindingJobs.Create(context.Background(), bjIdentity, &CreateBindingJobRequest{
		DeliveryMethod: DeliveryMethodEmail, AuthenticatorConfigID: bjConfig,
	})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 422, ae.StatusCode)
	assert.Equal(t, "Identity missing email address", ae.Message)
}

func TestBindingJobsCreateInlineConfig(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, jobsPath(bjIdentity)).
		AddMatcher(matchJSONBody(t, `{"job":{"delivery_method":"RETURN","authenticator_config":{"config":{"type":"embedded","invoke_url":"https://shop.example","trusted_origins":["https://shop.example"]}}}}`)).
		Reply(200).
		JSON(`{"credential_binding_job":{"id":"` + bjJob + `","state":"LINK_SENT","delivery_method":"RETURN","authenticator_config":{"config":{"type":"embedded","invoke_url":"https://shop.example","trusted_origins":["https://shop.example"]}}},"credential_binding_link":"` + bjLink() + `"}`)

	res, err := c.BindingJobs.Create(context.Background(), bjIdentity, &CreateBindingJobRequest{
		DeliveryMethod:      DeliveryMethodReturn,
		AuthenticatorConfig: &EmbeddedSettings{InvokeURL: "https://shop.example", TrustedOrigins: []string{"https://shop.example"}},
	})
	require.NoError(t, err)
	emb, ok := res.Job.AuthenticatorConfig.(*EmbeddedSettings)
	require.True(t, ok, "inline config decodes as *EmbeddedSettings, got %T", res.Job.AuthenticatorConfig)
	assert.Equal(t, "https://shop.example", emb.InvokeURL)
}

func TestBindingJobsCreateReturnLink(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, jobsPath(bjIdentity)).
		AddMatcher(matchJSONBody(t, `{"job":{"delivery_method":"RETURN","authenticator_config_id":"`+bjConfig+`"}}`)).
		Reply(200).
		JSON(`{"credential_binding_job":` + bjJobJSON(BindingJobStateLinkSent, DeliveryMethodReturn) + `,"credential_binding_link":"` + bjLink() + `"}`)
	apiMock(http.MethodPost, jobsPath(bjIdentity)).
		AddMatcher(matchJSONBody(t, `{"job":{"delivery_method":"RETURN","authenticator_config_id":"`+bjConfig+`","post_binding_redirect_uri":"myapp://passkey-bound"}}`)).
		Reply(200).
		JSON(`{"credential_binding_job":` + bjJobJSON(BindingJobStateLinkSent, DeliveryMethodReturn) + `}`)

	res, err := c.BindingJobs.CreateReturnLink(context.Background(), bjIdentity, bjConfig, nil)
	require.NoError(t, err)
	assert.Equal(t, bjLink(), res.Link.Reveal())
	assert.Equal(t, bjJob, res.Job.ID)

	// A RETURN job answered without a link is an error, but the job is
	// handed back so it can be revoked.
	res, err = c.BindingJobs.CreateReturnLink(context.Background(), bjIdentity, bjConfig,
		&ReturnLinkOptions{PostBindingRedirectURI: "myapp://passkey-bound"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), bjJob)
	require.NotNil(t, res)
	assert.Equal(t, bjJob, res.Job.ID)
}

func TestBindingJobsGetEscapesIDs(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, jobsPath("id%3Awith%3Fodd%25chars")+"/job%3Arevoke").
		AddMatcher(matchNoBody).
		AddMatcher(matchQuery(t, nil)).
		Reply(200).
		JSON(bjJobJSON(BindingJobStateLinkOpened, DeliveryMethodEmail))

	job, err := c.BindingJobs.Get(context.Background(), "id:with?odd%chars", "job:revoke")
	require.NoError(t, err)
	assert.Equal(t, BindingJobStateLinkOpened, job.State)
}

func TestBindingJobsListQueryAndAllIdentities(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, jobsPath("-")).
		AddMatcher(matchNoBody).
		AddMatcher(matchQuery(t, map[string][]string{
			"page_size": {"50"}, "page_token": {"tok-1"}, "skip": {"3"}, "filter": {`state eq "COMPLETE"`},
		})).
		Reply(200).
		JSON(`{"credential_binding_jobs":[` + bjJobJSON(BindingJobStateComplete, DeliveryMethodReturn) + `],"total_size":7,"next_page_token":"tok-2"}`)
	apiMock(http.MethodGet, jobsPath(bjIdentity)).
		AddMatcher(matchQuery(t, nil)).
		Reply(200).
		JSON(`{"credential_binding_jobs":[],"total_size":0}`)

	page, err := c.BindingJobs.List(context.Background(), AllIdentities, &ListOptions{
		PageSize: 50, PageToken: "tok-1", Skip: 3, Filter: `state eq "COMPLETE"`,
	})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, bjCredential, page.Items[0].CredentialID)
	assert.Equal(t, 7, page.TotalSize)
	assert.Equal(t, "tok-2", page.NextPageToken)

	page, err = c.BindingJobs.List(context.Background(), bjIdentity, nil)
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	assert.Empty(t, page.NextPageToken)
}

func TestBindingJobsAllRepeatsOptionsWithEveryPage(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, jobsPath(bjIdentity)).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"1"}, "skip": {"2"}, "filter": {`delivery_method eq "EMAIL"`}})).
		Reply(200).
		JSON(`{"credential_binding_jobs":[{"id":"job-a","state":"LINK_SENT"}],"total_size":2,"next_page_token":"p2"}`)
	apiMock(http.MethodGet, jobsPath(bjIdentity)).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"1"}, "skip": {"2"}, "filter": {`delivery_method eq "EMAIL"`}, "page_token": {"p2"}})).
		Reply(200).
		JSON(`{"credential_binding_jobs":[{"id":"job-b","state":"COMPLETE"}],"total_size":2,"next_page_token":null}`)

	opts := &ListOptions{PageSize: 1, Skip: 2, Filter: `delivery_method eq "EMAIL"`}
	var ids []string
	for job, err := range c.BindingJobs.All(context.Background(), bjIdentity, opts) {
		require.NoError(t, err)
		ids = append(ids, job.ID)
	}
	assert.Equal(t, []string{"job-a", "job-b"}, ids)
	assert.Equal(t, &ListOptions{PageSize: 1, Skip: 2, Filter: `delivery_method eq "EMAIL"`}, opts, "options are not modified")
}

func TestBindingJobsRevoke(t *testing.T) {
	c := newGockClient(t)
	// The job ID's own ':' is escaped; the custom method's is not.
	apiMock(http.MethodPost, jobsPath(bjIdentity)+"/odd%3Aid:revoke").
		AddMatcher(matchJSONBody(t, `{}`)).
		Reply(200).
		JSON(bjJobJSON(BindingJobStateRevoked, DeliveryMethodEmail))
	apiMock(http.MethodPost, jobsPath(bjIdentity)+"/"+bjJob+":revoke").
		AddMatcher(matchJSONBody(t, `{}`)).
		Reply(409).
		JSON(`{"code":"conflict","message":"credential binding job already complete"}`)

	job, err := c.BindingJobs.Revoke(context.Background(), bjIdentity, "odd:id")
	require.NoError(t, err)
	assert.Equal(t, BindingJobStateRevoked, job.State)

	job, err = c.BindingJobs.Revoke(context.Background(), bjIdentity, bjJob)
	assert.Nil(t, job)
	assert.ErrorIs(t, err, ErrConflict)
}

func TestBindingJobsValidationBeforeIO(t *testing.T) {
	c := newGockClient(t) // no mocks: any request fails the test at cleanup
	ctx := context.Background()
	emb := &EmbeddedSettings{InvokeURL: "https://shop.example", TrustedOrigins: []string{"https://shop.example"}}
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("id-%04d", i)
		}
		return out
	}
	create := func(identity string, r *CreateBindingJobRequest) func() error {
		return func() error { _, err := c.BindingJobs.Create(ctx, identity, r); return err }
	}
	batch := func(r *CreateBatchBindingJobRequest) func() error {
		return func() error { _, err := c.BindingJobs.BatchCreate(ctx, r); return err }
	}
	ok := &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodReturn, AuthenticatorConfigID: bjConfig}
	tmpl := BatchBindingJobTemplate{AuthenticatorConfigID: bjConfig}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"create empty identity", create("", ok), "identityID"},
		{"create wildcard identity", create(AllIdentities, ok), "identityID"},
		{"create dot-dot identity", create("..", ok), "identityID"},
		{"create nil request", create(bjIdentity, nil), "req"},
		{"create no delivery method", create(bjIdentity, &CreateBindingJobRequest{AuthenticatorConfigID: bjConfig}), "DeliveryMethod"},
		{"create unknown delivery method", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: "SMS", AuthenticatorConfigID: bjConfig}), "DeliveryMethod"},
		{"create lower-case delivery method", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: "return", AuthenticatorConfigID: bjConfig}), "DeliveryMethod"},
		{"create neither config", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodEmail}), "AuthenticatorConfigID"},
		{"create typed nil config only", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodEmail, AuthenticatorConfig: (*EmbeddedSettings)(nil)}), "AuthenticatorConfigID"},
		{"create both configs", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodEmail, AuthenticatorConfigID: bjConfig, AuthenticatorConfig: emb}), "AuthenticatorConfig"},
		{"create hosted web inline", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodEmail, AuthenticatorConfig: &HostedWebSettings{
			AuthenticationMethods: []AuthenticationMethod{{Type: AuthenticationMethodSoftwarePasskey}}, TrustedOrigins: []string{"https://a.example"}}}), "AuthenticatorConfig"},
		{"create hosted web smuggled as unknown", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodEmail, AuthenticatorConfig: &UnknownSettings{
			Raw: json.RawMessage(`{"type":"hosted_web","trusted_origins":["https://a.example"]}`)}}), "AuthenticatorConfig"},
		{"create inline embedded without invoke url", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodEmail, AuthenticatorConfig: &EmbeddedSettings{TrustedOrigins: []string{"https://a.example"}}}), "AuthenticatorConfig.InvokeURL"},
		{"create config id with slash", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodEmail, AuthenticatorConfigID: "a/b"}), "AuthenticatorConfigID"},
		{"create relative redirect", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodReturn, AuthenticatorConfigID: bjConfig, PostBindingRedirectURI: "/done"}), "PostBindingRedirectURI"},
		{"create redirect without scheme", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodReturn, AuthenticatorConfigID: bjConfig, PostBindingRedirectURI: "shop.example/done"}), "PostBindingRedirectURI"},
		{"create https redirect without host", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodReturn, AuthenticatorConfigID: bjConfig, PostBindingRedirectURI: "https:///done"}), "PostBindingRedirectURI"},
		{"create unparsable redirect", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodReturn, AuthenticatorConfigID: bjConfig, PostBindingRedirectURI: "http://[::1"}), "PostBindingRedirectURI"},
		{"create redirect with newline", create(bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodReturn, AuthenticatorConfigID: bjConfig, PostBindingRedirectURI: "https://a.example/\n"}), "PostBindingRedirectURI"},
		{"return link no config", func() error { _, err := c.BindingJobs.CreateReturnLink(ctx, bjIdentity, "", nil); return err }, "authenticatorConfigID"},
		{"return link wildcard identity", func() error { _, err := c.BindingJobs.CreateReturnLink(ctx, AllIdentities, bjConfig, nil); return err }, "identityID"},
		{"return link relative redirect", func() error {
			_, err := c.BindingJobs.CreateReturnLink(ctx, bjIdentity, bjConfig, &ReturnLinkOptions{PostBindingRedirectURI: "done"})
			return err
		}, "PostBindingRedirectURI"},
		{"get empty job", func() error { _, err := c.BindingJobs.Get(ctx, bjIdentity, ""); return err }, "jobID"},
		{"get wildcard identity", func() error { _, err := c.BindingJobs.Get(ctx, AllIdentities, bjJob); return err }, "identityID"},
		{"get job with slash", func() error { _, err := c.BindingJobs.Get(ctx, bjIdentity, "a/b"); return err }, "jobID"},
		{"revoke dot job", func() error { _, err := c.BindingJobs.Revoke(ctx, bjIdentity, "."); return err }, "jobID"},
		{"revoke wildcard identity", func() error { _, err := c.BindingJobs.Revoke(ctx, AllIdentities, bjJob); return err }, "identityID"},
		{"list empty identity", func() error { _, err := c.BindingJobs.List(ctx, "", nil); return err }, "identityID"},
		{"list page size too big", func() error {
			_, err := c.BindingJobs.List(ctx, AllIdentities, &ListOptions{PageSize: 201})
			return err
		}, "PageSize"},
		{"list negative skip", func() error { _, err := c.BindingJobs.List(ctx, AllIdentities, &ListOptions{Skip: -1}); return err }, "Skip"},
		{"all page size too big", func() error {
			for _, err := range c.BindingJobs.All(ctx, bjIdentity, &ListOptions{PageSize: 500}) {
				return err
			}
			return nil
		}, "PageSize"},
		{"wait wildcard identity", func() error { _, err := c.BindingJobs.Wait(ctx, AllIdentities, bjJob, nil); return err }, "identityID"},
		{"wait empty job", func() error { _, err := c.BindingJobs.Wait(ctx, bjIdentity, "", nil); return err }, "jobID"},
		{"wait negative interval", func() error {
			_, err := c.BindingJobs.Wait(ctx, bjIdentity, bjJob, &WaitOptions{InitialInterval: -time.Second})
			return err
		}, "WaitOptions.InitialInterval"},
		{"wait max below initial", func() error {
			_, err := c.BindingJobs.Wait(ctx, bjIdentity, bjJob, &WaitOptions{InitialInterval: 5 * time.Second, MaxInterval: time.Second})
			return err
		}, "WaitOptions.MaxInterval"},
		{"batch nil", batch(nil), "req"},
		{"batch no identities", batch(&CreateBatchBindingJobRequest{JobTemplate: tmpl}), "IdentityIDs"},
		{"batch 1001 identities", batch(&CreateBatchBindingJobRequest{IdentityIDs: ids(1001), JobTemplate: tmpl}), "IdentityIDs"},
		{"batch duplicate identity", batch(&CreateBatchBindingJobRequest{IdentityIDs: []string{"a", "b", "a"}, JobTemplate: tmpl}), "IdentityIDs[2]"},
		{"batch empty identity", batch(&CreateBatchBindingJobRequest{IdentityIDs: []string{"a", ""}, JobTemplate: tmpl}), "IdentityIDs[1]"},
		{"batch wildcard identity", batch(&CreateBatchBindingJobRequest{IdentityIDs: []string{"-"}, JobTemplate: tmpl}), "IdentityIDs[0]"},
		{"batch neither config", batch(&CreateBatchBindingJobRequest{IdentityIDs: []string{"a"}}), "JobTemplate.AuthenticatorConfigID"},
		{"batch both configs", batch(&CreateBatchBindingJobRequest{IdentityIDs: []string{"a"}, JobTemplate: BatchBindingJobTemplate{AuthenticatorConfigID: bjConfig, AuthenticatorConfig: emb}}), "JobTemplate.AuthenticatorConfig"},
		{"batch hosted web", batch(&CreateBatchBindingJobRequest{IdentityIDs: []string{"a"}, JobTemplate: BatchBindingJobTemplate{AuthenticatorConfig: &HostedWebSettings{}}}), "JobTemplate.AuthenticatorConfig"},
		{"batch relative redirect", batch(&CreateBatchBindingJobRequest{IdentityIDs: []string{"a"}, JobTemplate: BatchBindingJobTemplate{AuthenticatorConfigID: bjConfig, PostBindingRedirectURI: "done"}}), "JobTemplate.PostBindingRedirectURI"},
		{"get batch empty", func() error { _, err := c.BindingJobs.GetBatch(ctx, ""); return err }, "batchID"},
		{"batch results bad id", func() error { _, err := c.BindingJobs.ListBatchResults(ctx, "..", nil); return err }, "batchID"},
		{"batch results page size", func() error {
			_, err := c.BindingJobs.ListBatchResults(ctx, bjBatch, &ListBatchResultsOptions{PageSize: 201})
			return err
		}, "PageSize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, "error: %v", err)
			assert.ErrorIs(t, err, ErrInvalidArgument)
		})
	}

	// The limits themselves are accepted.
	_, err := c.InRealm("").BindingJobs.BatchCreate(ctx, &CreateBatchBindingJobRequest{IdentityIDs: ids(1000), JobTemplate: tmpl})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "realm", ve.Field, "1000 identities pass validation (the missing realm stops it)")
}

func TestBindingJobDecodesEveryState(t *testing.T) {
	tests := []struct {
		state            BindingJobState
		terminal, failed bool
	}{
		{BindingJobStateLinkSent, false, false},
		{BindingJobStateLinkOpened, false, false},
		{BindingJobStateRequestDelivered, false, false},
		{BindingJobStateComplete, true, false},
		{BindingJobStateExpired, true, true},
		{BindingJobStateFailedToSend, true, true},
		{BindingJobStateRevoked, true, true},
		{"PENDING", false, false}, // not in the spec; must still decode
		{"SOMETHING_NEW", false, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.state), func(t *testing.T) {
			var job BindingJob
			require.NoError(t, json.Unmarshal([]byte(bjJobJSON(tt.state, DeliveryMethodEmail)), &job))
			assert.Equal(t, tt.state, job.State)
			assert.Equal(t, tt.terminal, job.State.IsTerminal())
			assert.Equal(t, tt.failed, job.State.IsFailed())
		})
	}
	var job BindingJob
	require.NoError(t, json.Unmarshal([]byte(`{"id":"j","delivery_method":"CARRIER_PIGEON"}`), &job))
	assert.Equal(t, DeliveryMethod("CARRIER_PIGEON"), job.DeliveryMethod)
}

func TestBindingJobDecodesEveryField(t *testing.T) {
	raw := `{"id":"j1","identity_id":"i1","realm_id":"r1","tenant_id":"t1","credential_id":"c1","batch_id":"b1",
		"delivery_method":"EMAIL","state":"COMPLETE","post_binding_redirect_uri":"https://a.example/x",
		"authenticator_config":{"config":{"type":"console","onboarding_configuration":{"verification_method":{"type":"none"}}}},
		"authenticator_config_id":"cfg1",
		"expire_time":"2031-04-08T10:00:00.123Z","create_time":"2031-04-01T10:00:00.123456Z","update_time":"2031-04-01T10:00:01Z"}`
	var job BindingJob
	require.NoError(t, json.Unmarshal([]byte(raw), &job))
	assert.Equal(t, BindingJob{
		ID: "j1", IdentityID: "i1", RealmID: "r1", TenantID: "t1", CredentialID: "c1", BatchID: "b1",
		DeliveryMethod: DeliveryMethodEmail, State: BindingJobStateComplete,
		PostBindingRedirectURI: "https://a.example/x",
		AuthenticatorConfig: &ConsoleSettings{OnboardingConfiguration: ConsoleOnboardingConfiguration{
			VerificationMethod: ConsoleVerificationMethod{Type: ConsoleVerificationNone}}},
		AuthenticatorConfigID: "cfg1",
		ExpireTime:            time.Date(2031, 4, 8, 10, 0, 0, 123000000, time.UTC),
		CreateTime:            time.Date(2031, 4, 1, 10, 0, 0, 123456000, time.UTC),
		UpdateTime:            time.Date(2031, 4, 1, 10, 0, 1, 0, time.UTC),
	}, job)

	// Encoding gives the same JSON back.
	out, err := json.Marshal(job)
	require.NoError(t, err)
	assert.JSONEq(t, raw, string(out))

	// A job without inline settings and times encodes without them.
	out, err = json.Marshal(BindingJob{ID: "j2"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"j2"}`, string(out))

	// null inline config and null config decode as no settings.
	for _, s := range []string{`{"authenticator_config":null}`, `{"authenticator_config":{}}`, `{"authenticator_config":{"config":null}}`} {
		var j BindingJob
		require.NoError(t, json.Unmarshal([]byte(s), &j), s)
		assert.Nil(t, j.AuthenticatorConfig, s)
	}
	// Malformed input is an error, not a panic.
	for _, s := range []string{`{"authenticator_config":[]}`, `{"authenticator_config":{"config":"x"}}`, `{"state":3}`, `{"create_time":"yesterday"}`} {
		var j BindingJob
		assert.Error(t, json.Unmarshal([]byte(s), &j), s)
	}
}

func TestCreateBindingJobResultRedactsToken(t *testing.T) {
	res := &CreateBindingJobResult{Job: &BindingJob{ID: bjJob, State: BindingJobStateLinkSent}, Link: NewSecret(bjLink())}
	// A caller's struct that keeps the result in an unexported field: fmt
	// cannot call methods there and walks the fields by reflection.
	type holder struct {
		res  CreateBindingJobResult
		link Secret
	}
	for _, v := range []any{res, *res, struct{ R *CreateBindingJobResult }{res}, holder{*res, res.Link}, &holder{*res, res.Link}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			s := fmt.Sprintf(verb, v)
			assert.NotContains(t, s, bjLinkToken, "verb %s of %T", verb, v)
			assert.NotContains(t, s, fmt.Sprintf("%x", bjLinkToken), "verb %s of %T", verb, v)
		}
	}
	assert.Contains(t, fmt.Sprintf("%+v", res), "Link:REDACTED")

	logger, buf := newDebugLogger()
	logger.Info("created", "result", res, slog.Any("value", *res))
	text := slog.New(slog.NewTextHandler(buf, nil))
	text.Info("created", "result", res, "holder", holder{*res, res.Link})
	assert.NotContains(t, buf.String(), bjLinkToken)
	assert.Contains(t, buf.String(), bjJob)

	// JSON too: a slog JSONHandler encodes a caller's struct that holds a
	// result with encoding/json.
	b, err := json.Marshal(struct {
		Result CreateBindingJobResult
		Ptr    *CreateBindingJobResult
	}{*res, res})
	require.NoError(t, err)
	assert.NotContains(t, string(b), bjLinkToken)
	assert.Contains(t, string(b), bjJob)
	assert.Contains(t, string(b), `"Link":"REDACTED"`)

	// The link itself is intact for the caller.
	assert.Equal(t, bjLink(), res.Link.Reveal())
}

func TestCreateBindingJobNotRetriedWhereServerMayHaveActed(t *testing.T) {
	// Retries are on (the default policy: 3 retries) in every case.
	t.Run("500 is sent once", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var n int
			c := newMemClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n++
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(500)
				_, _ = w.Write([]byte(`{"code":"internal_server_error","message":"boom"}`))
			}))
			_, err := c.BindingJobs.Create(context.Background(), bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodEmail, AuthenticatorConfigID: bjConfig})
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, 500, ae.StatusCode)
			assert.Equal(t, 1, n, "a create that got a 500 must not be repeated")
		})
	})
	t.Run("dropped connection is sent once", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var n int
			c := newMemClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n++
				panic(http.ErrAbortHandler)
			}))
			_, err := c.BindingJobs.Create(context.Background(), bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodReturn, AuthenticatorConfigID: bjConfig})
			var re *RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, 1, n, "a create whose connection dropped must not be repeated")
		})
	})
	t.Run("429 is retried", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var n int
			c := newMemClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n++
				w.Header().Set("Content-Type", "application/json")
				if n == 1 {
					w.Header().Set("Retry-After", "2")
					w.WriteHeader(429)
					_, _ = w.Write([]byte(`{"code":"too_many_requests","message":"slow down"}`))
					return
				}
				_, _ = w.Write([]byte(`{"credential_binding_job":` + bjJobJSON(BindingJobStateLinkSent, DeliveryMethodReturn) + `,"credential_binding_link":"` + bjLink() + `"}`))
			}))
			start := time.Now()
			res, err := c.BindingJobs.Create(context.Background(), bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodReturn, AuthenticatorConfigID: bjConfig})
			require.NoError(t, err)
			assert.Equal(t, bjLink(), res.Link.Reveal())
			assert.Equal(t, 2, n)
			assert.Equal(t, 2*time.Second, time.Since(start), "Retry-After honoured")
		})
	})
	t.Run("batch create 500 is sent once", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var n int
			c := newMemClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n++
				w.WriteHeader(503)
			}))
			_, err := c.BindingJobs.BatchCreate(context.Background(), &CreateBatchBindingJobRequest{IdentityIDs: []string{"a"}, JobTemplate: BatchBindingJobTemplate{AuthenticatorConfigID: bjConfig}})
			require.Error(t, err)
			assert.Equal(t, 1, n)
		})
	})
	t.Run("control: get and revoke are retried", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var n int
			c := newMemClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n++
				if n%2 == 1 {
					w.WriteHeader(500)
					return
				}
				_, _ = w.Write([]byte(bjJobJSON(BindingJobStateRevoked, DeliveryMethodEmail)))
			}))
			_, err := c.BindingJobs.Get(context.Background(), bjIdentity, bjJob)
			require.NoError(t, err)
			_, err = c.BindingJobs.Revoke(context.Background(), bjIdentity, bjJob)
			require.NoError(t, err)
			assert.Equal(t, 4, n)
		})
	})
}

// TestCreateBindingJobDroppedOverRealConnection checks on a real loopback
// connection, kept alive by an earlier call, that neither net/http nor the
// retry policy sends a create again when the server drops the connection
// after reading the request.
func TestCreateBindingJobDroppedOverRealConnection(t *testing.T) {
	var mu sync.Mutex
	counts := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		counts[r.Method]++
		mu.Unlock()
		if r.Method == http.MethodGet {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(bjJobJSON(BindingJobStateLinkSent, DeliveryMethodReturn)))
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		_ = conn.Close()
	}))
	defer srv.Close()
	c, err := NewClient(WithTenant(testTenant), WithRealm(testRealm), WithBaseURLs(srv.URL, srv.URL),
		WithAPIToken(testToken), WithRetryPolicy(RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}))
	require.NoError(t, err)

	ctx := context.Background()
	_, err = c.BindingJobs.Get(ctx, bjIdentity, bjJob) // leaves a kept-alive connection
	require.NoError(t, err)
	_, err = c.BindingJobs.Create(ctx, bjIdentity, &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodEmail, AuthenticatorConfigID: bjConfig})
	var re *RequestError
	require.ErrorAs(t, err, &re)
	_, err = c.BindingJobs.BatchCreate(ctx, &CreateBatchBindingJobRequest{IdentityIDs: []string{"a"}, JobTemplate: BatchBindingJobTemplate{AuthenticatorConfigID: bjConfig}})
	require.ErrorAs(t, err, &re)

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 2, counts[http.MethodPost], "each create reached the server exactly once")
	assert.Equal(t, 1, counts[http.MethodGet])
}
