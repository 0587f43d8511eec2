package beyondidentity

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"time"
)

// BatchBindingJobState is the state of a batch credential binding job.
// Values other than the constants may appear.
type BatchBindingJobState string

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

// CreateBatch creates a batch credential binding job: one job, emailing its
// link, for each identity. A realm's batch queue holds at most 1000 jobs;
// beyond that the API answers 429 (errors.Is(err, ErrRateLimited)). Like
// every create, it is never retried where the server could have acted.
func (s *BindingJobsService) CreateBatch(ctx context.Context, req *CreateBatchBindingJobRequest) (*BatchBindingJob, error) {
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	n := len(req.IdentityIDs)
	if n == 0 || n > MaxBatchIdentities {
		return nil, invalid("IdentityIDs", fmt.Sprintf("has %d IDs; a batch takes 1 to %d", n, MaxBatchIdentities))
	}
	seen := make(map[string]struct{}, n)
	for i, id := range req.IdentityIDs {
		field := "IdentityIDs[" + strconv.Itoa(i) + "]"
		if err := checkID(field, id); err != nil {
			return nil, err
		}
		if id == AllIdentities {
			return nil, invalid(field, `"-" (AllIdentities) is not an identity ID`)
		}
		if _, dup := seen[id]; dup {
			return nil, invalid(field, fmt.Sprintf("%q appears more than once", id))
		}
		seen[id] = struct{}{}
	}
	t := req.JobTemplate
	cfg := normalizeSettings(t.AuthenticatorConfig)
	if err := checkJobConfig("JobTemplate.", t.AuthenticatorConfigID, cfg, t.PostBindingRedirectURI); err != nil {
		return nil, err
	}
	u, err := s.client.realmURL("batch-credential-binding-jobs")
	if err != nil {
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
	out := new(BatchBindingJob)
	if err := s.client.do(ctx, &call{method: http.MethodPost, url: u, body: body, idempotent: false}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// GetBatch fetches a batch credential binding job.
func (s *BindingJobsService) GetBatch(ctx context.Context, batchID string) (*BatchBindingJob, error) {
	u, err := s.batchURL(batchID)
	if err != nil {
		return nil, err
	}
	out := new(BatchBindingJob)
	if err := s.client.do(ctx, &call{method: http.MethodGet, url: u, idempotent: true}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// ListBatchResultsOptions pages BindingJobsService.ListBatchResults. Zero
// fields are not sent. (The spec declares no query parameters for this
// list although its answer carries next_page_token; the library sends the
// usual page_size and page_token.)
type ListBatchResultsOptions struct {
	// PageSize is the number of jobs per page, up to 200.
	PageSize int `url:"page_size,omitempty"`
	// PageToken continues a previous list from its NextPageToken.
	PageToken string `url:"page_token,omitempty"`
}

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
func (s *BindingJobsService) ListBatchResults(ctx context.Context, batchID string, opts *ListBatchResultsOptions) (*BatchResultsPage, error) {
	var q any
	if opts != nil {
		if err := checkPageSize("PageSize", opts.PageSize, maxBindingJobsPageSize); err != nil {
			return nil, err
		}
		q = opts
	}
	u, err := s.batchURL(batchID)
	if err != nil {
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
	if err := s.client.do(ctx, &call{method: http.MethodGet, url: u + ":listResults", query: q, idempotent: true}, &out); err != nil {
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

// AllBatchResults iterates over every job a batch created, fetching pages
// as the loop needs them. opts is not modified.
func (s *BindingJobsService) AllBatchResults(ctx context.Context, batchID string, opts *ListBatchResultsOptions) iter.Seq2[*BindingJob, error] {
	return listAll(ctx, opts, (*ListBatchResultsOptions).pageToken, func(ctx context.Context, o *ListBatchResultsOptions) (*Page[*BindingJob], error) {
		r, err := s.ListBatchResults(ctx, batchID, o)
		if err != nil {
			return nil, err
		}
		return &r.Page, nil
	})
}

func (o *ListBatchResultsOptions) pageToken() *string { return &o.PageToken }

func (s *BindingJobsService) batchURL(batchID string) (string, error) {
	if err := checkID("batchID", batchID); err != nil {
		return "", err
	}
	return s.client.realmURL("batch-credential-binding-jobs", batchID)
}
