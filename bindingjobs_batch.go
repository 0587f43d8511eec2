package beyondidentity

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"time"
)

// BatchBindingJobState is the state of a batch credential binding job.
// Values other than the constants may appear.
type BatchBindingJobState string

// Batch job states documented by the API.
const (
	// BatchBindingJobStateRunning: jobs are still being created.
	BatchBindingJobStateRunning BatchBindingJobState = "RUNNING"
	// BatchBindingJobStateFailed: the batch failed.
	BatchBindingJobStateFailed BatchBindingJobState = "FAILED"
	// BatchBindingJobStatePartialSuccess: the batch finished with some
	// failures (see StateCommentary).
	BatchBindingJobStatePartialSuccess BatchBindingJobState = "PARTIAL_SUCCESS"
	// BatchBindingJobStateSuccess: a job was created for every identity.
	BatchBindingJobStateSuccess BatchBindingJobState = "SUCCESS"
)

// IsTerminal reports whether the batch has finished: FAILED,
// PARTIAL_SUCCESS or SUCCESS.
func (s BatchBindingJobState) IsTerminal() bool {
	switch s {
	case BatchBindingJobStateFailed, BatchBindingJobStatePartialSuccess, BatchBindingJobStateSuccess:
		return true
	}
	return false
}

// BatchBindingJobTemplate describes the jobs a batch creates. Set exactly
// one of AuthenticatorConfigID and AuthenticatorConfig. The API's template
// has no delivery method: batch jobs email their links.
type BatchBindingJobTemplate struct {
	// AuthenticatorConfigID is the authenticator configuration the
	// passkeys are bound for.
	AuthenticatorConfigID string `json:"authenticator_config_id,omitempty"`
	// AuthenticatorConfig gives the settings inline instead (not
	// *HostedWebSettings).
	AuthenticatorConfig AuthenticatorSettings `json:"-"`
	// PostBindingRedirectURI, when set, is where the authenticator
	// redirects after a successful bind.
	PostBindingRedirectURI string `json:"post_binding_redirect_uri,omitempty"`
	// ExpireTime is when the jobs' links expire. Read-only.
	ExpireTime time.Time `json:"expire_time,omitzero"`
}

// MarshalJSON encodes the template as the API does.
func (t BatchBindingJobTemplate) MarshalJSON() ([]byte, error) {
	type plain BatchBindingJobTemplate
	return json.Marshal(struct {
		plain
		AuthenticatorConfig *inlineAuthenticatorConfig `json:"authenticator_config,omitempty"`
	}{plain(t), wrapInline(t.AuthenticatorConfig)})
}

// UnmarshalJSON decodes a template, including inline settings of any kind.
func (t *BatchBindingJobTemplate) UnmarshalJSON(b []byte) error {
	type plain BatchBindingJobTemplate
	var w struct {
		plain
		AuthenticatorConfig json.RawMessage `json:"authenticator_config"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	s, err := unwrapInline(w.AuthenticatorConfig)
	if err != nil {
		return err
	}
	*t = BatchBindingJobTemplate(w.plain)
	t.AuthenticatorConfig = s
	return nil
}

// BatchBindingJob is a batch credential binding job: one job per identity,
// created from a template.
type BatchBindingJob struct {
	// ID identifies the batch (a UUID). Read-only.
	ID string `json:"id,omitempty"`
	// TenantID is the batch's tenant. Read-only.
	TenantID string `json:"tenant_id,omitempty"`
	// RealmID is the batch's realm. Read-only.
	RealmID string `json:"realm_id,omitempty"`
	// IdentityIDs are the identities the batch binds passkeys to.
	IdentityIDs []string `json:"identity_ids,omitempty"`
	// State is the batch's state. Read-only.
	State BatchBindingJobState `json:"state,omitempty"`
	// StateCommentary holds the per-identity errors. Read-only.
	StateCommentary BatchStateCommentary `json:"state_commentary,omitzero"`
	// JobTemplate describes the jobs created.
	JobTemplate BatchBindingJobTemplate `json:"job_template,omitzero"`
	// CreateTime is when the batch was created. Read-only.
	CreateTime time.Time `json:"create_time,omitzero"`
	// UpdateTime is when the batch last changed. Read-only.
	UpdateTime time.Time `json:"update_time,omitzero"`
}

// BatchStateCommentary explains the state of a batch.
type BatchStateCommentary struct {
	// Errors maps an identity ID to the error met creating its job.
	Errors map[string]BatchIdentityError `json:"errors,omitempty"`
}

// BatchIdentityError is the error met creating one identity's job in a
// batch.
type BatchIdentityError struct {
	// LastError is the most recent error, e.g. "Identity missing email
	// address".
	LastError string `json:"last_error"`
	// FailedPermanently is true when the batch stopped retrying this
	// identity.
	FailedPermanently bool `json:"failed_permanently,omitempty"`
}

// CreateBatchBindingJobRequest is the body of BindingJobsService.CreateBatch.
type CreateBatchBindingJobRequest struct {
	// IdentityIDs are the identities to bind passkeys to: 1 to 1000
	// distinct IDs.
	IdentityIDs []string
	// JobTemplate describes the jobs to create. Its ExpireTime is
	// read-only and not sent.
	JobTemplate BatchBindingJobTemplate
}

// MaxBatchIdentities is the most identities one batch job may hold.
const MaxBatchIdentities = 1000

// BatchCreate creates a batch credential binding job: one job, emailing
// its link, for each of 1 to 1000 distinct identities. A realm's batch
// queue holds at most 1000 jobs; beyond that the API answers 429
// (errors.Is(err, ErrRateLimited)). Like every create, it is never retried
// where the server could have acted.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/batch-credential-binding-jobs (CreateBatchCredentialBindingJob)
func (s *BindingJobsService) BatchCreate(ctx context.Context, req *CreateBatchBindingJobRequest) (*BatchBindingJob, error) {
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if err := checkIdentityList("IdentityIDs", req.IdentityIDs, MaxBatchIdentities); err != nil {
		return nil, err
	}
	t := req.JobTemplate
	cfg := normalizeSettings(t.AuthenticatorConfig)
	if err := checkJobConfig("JobTemplate.", t.AuthenticatorConfigID, cfg, t.PostBindingRedirectURI); err != nil {
		return nil, err
	}
	type templateWrite struct {
		AuthenticatorConfigID  string                     `json:"authenticator_config_id,omitempty"`
		AuthenticatorConfig    *inlineAuthenticatorConfig `json:"authenticator_config,omitempty"`
		PostBindingRedirectURI string                     `json:"post_binding_redirect_uri,omitempty"`
	}
	type batchWrite struct {
		IdentityIDs []string      `json:"identity_ids"`
		JobTemplate templateWrite `json:"job_template"`
	}
	body := struct {
		Batch batchWrite `json:"batch_credential_binding_job"`
	}{batchWrite{
		IdentityIDs: req.IdentityIDs,
		JobTemplate: templateWrite{
			AuthenticatorConfigID:  t.AuthenticatorConfigID,
			AuthenticatorConfig:    wrapInline(cfg),
			PostBindingRedirectURI: t.PostBindingRedirectURI,
		},
	}}
	return fetch[BatchBindingJob](ctx, s.client, &call{method: http.MethodPost, path: segs("batch-credential-binding-jobs"), body: body})
}

// CreateBatch is the former name of [BindingJobsService.BatchCreate].
//
// Deprecated: use BatchCreate, whose name puts Batch first like
// [IdentitiesService.BatchDelete].
func (s *BindingJobsService) CreateBatch(ctx context.Context, req *CreateBatchBindingJobRequest) (*BatchBindingJob, error) {
	return s.BatchCreate(ctx, req)
}

// GetBatch fetches a batch credential binding job.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/batch-credential-binding-jobs/{batch_credential_binding_job_id} (GetBatchCredentialBindingJob)
func (s *BindingJobsService) GetBatch(ctx context.Context, batchID string) (*BatchBindingJob, error) {
	if err := checkID("batchID", batchID); err != nil {
		return nil, err
	}
	return fetch[BatchBindingJob](ctx, s.client, &call{method: http.MethodGet, path: segs("batch-credential-binding-jobs", batchID), idempotent: true})
}

// ListBatchResultsOptions pages [BindingJobsService.ListBatchResults]: a
// page size (up to 200) and a page token.
type ListBatchResultsOptions = CursorOptions

// BatchResultsPage is one page of the jobs a batch created, with the
// batch's totals.
type BatchResultsPage struct {
	Page[*BindingJob]
	// TotalSuccessCount is the number of jobs created successfully.
	TotalSuccessCount int
	// TotalFailureCount is the number of identities whose job failed.
	TotalFailureCount int
	// TotalPendingCount is the number of identities still pending.
	TotalPendingCount int
}

// ListBatchResults fetches one page of the jobs a batch created, with the
// batch's success, failure and pending counts.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/batch-credential-binding-jobs/{batch_credential_binding_job_id}:listResults (ListBatchCredentialBindingJobResults)
func (s *BindingJobsService) ListBatchResults(ctx context.Context, batchID string, opts *ListBatchResultsOptions) (*BatchResultsPage, error) {
	if err := checkID("batchID", batchID); err != nil {
		return nil, err
	}
	cl := &call{path: segs("batch-credential-binding-jobs", batchID), custom: "listResults"}
	if err := prepareList(cl, opts, maxBindingJobsPageSize); err != nil {
		return nil, err
	}
	var out struct {
		JobResults        []*BindingJob `json:"job_results"`
		TotalSuccessCount int           `json:"total_success_count"`
		TotalFailureCount int           `json:"total_failure_count"`
		TotalPendingCount int           `json:"total_pending_count"`
		TotalSize         int           `json:"total_size"`
		NextPageToken     *string       `json:"next_page_token"`
	}
	if err := s.client.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	p := &BatchResultsPage{
		Page:              Page[*BindingJob]{Items: out.JobResults, TotalSize: out.TotalSize},
		TotalSuccessCount: out.TotalSuccessCount,
		TotalFailureCount: out.TotalFailureCount,
		TotalPendingCount: out.TotalPendingCount,
	}
	if out.NextPageToken != nil {
		p.NextPageToken = *out.NextPageToken
	}
	return p, nil
}

// AllBatchResults iterates over every job a batch created with
// [BindingJobsService.ListBatchResults], fetching pages as the loop needs
// them. opts is not modified.
func (s *BindingJobsService) AllBatchResults(ctx context.Context, batchID string, opts *ListBatchResultsOptions) iter.Seq2[*BindingJob, error] {
	return all(ctx, opts, func(ctx context.Context, o *ListBatchResultsOptions) (*Page[*BindingJob], error) {
		r, err := s.ListBatchResults(ctx, batchID, o)
		if err != nil {
			return nil, err
		}
		return &r.Page, nil
	})
}
