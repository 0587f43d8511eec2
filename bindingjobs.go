package beyondidentity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// DeliveryMethod is how the binding link of a credential binding job reaches
// the identity. Values other than the constants may appear when the API adds
// methods; Create accepts only the constants.
type DeliveryMethod string

// Delivery methods documented by the API.
const (
	// DeliveryMethodReturn returns the binding link to the caller, which
	// hands it to its front end (the Embedded SDK's bindPasskey).
	DeliveryMethodReturn DeliveryMethod = "RETURN"
	// DeliveryMethodEmail has Beyond Identity email the link to the
	// identity's primary email address. The link redirects to the
	// authenticator config's Invoke URL with a /bind path.
	DeliveryMethodEmail DeliveryMethod = "EMAIL"
)

// BindingJobState is the state of a credential binding job. Values other
// than the constants may appear when the API adds states; they are not
// terminal.
type BindingJobState string

// Binding job states documented by the API.
const (
	// BindingJobStateLinkSent: the link was sent (EMAIL) or returned
	// (RETURN). Jobs start in this state.
	BindingJobStateLinkSent BindingJobState = "LINK_SENT"
	// BindingJobStateLinkOpened: the identity opened the link.
	BindingJobStateLinkOpened BindingJobState = "LINK_OPENED"
	// BindingJobStateRequestDelivered: the binding request reached the
	// authenticator.
	BindingJobStateRequestDelivered BindingJobState = "REQUEST_DELIVERED"
	// BindingJobStateComplete: a credential was bound; the job's
	// CredentialID is set. Terminal.
	BindingJobStateComplete BindingJobState = "COMPLETE"
	// BindingJobStateExpired: the link expired before it was used. Terminal.
	BindingJobStateExpired BindingJobState = "EXPIRED"
	// BindingJobStateFailedToSend: the email could not be sent. Terminal.
	BindingJobStateFailedToSend BindingJobState = "FAILED_TO_SEND"
	// BindingJobStateRevoked: the job was revoked. Terminal.
	BindingJobStateRevoked BindingJobState = "REVOKED"
)

// IsTerminal reports whether the state is final: COMPLETE, EXPIRED,
// FAILED_TO_SEND or REVOKED. Unknown states are not terminal.
func (s BindingJobState) IsTerminal() bool {
	switch s {
	case BindingJobStateComplete, BindingJobStateExpired, BindingJobStateFailedToSend, BindingJobStateRevoked:
		return true
	}
	return false
}

// IsFailed reports whether the state is a terminal failure: EXPIRED,
// FAILED_TO_SEND or REVOKED.
func (s BindingJobState) IsFailed() bool {
	return s.IsTerminal() && s != BindingJobStateComplete
}

// BindingJob is a credential binding job: the binding of a new passkey to an
// identity, from the delivery of the binding link to the bound credential.
type BindingJob struct {
	// ID identifies the job within the realm. Read-only.
	ID string `json:"id,omitempty"`
	// IdentityID is the identity the passkey is bound to. Read-only.
	IdentityID string `json:"identity_id,omitempty"`
	// RealmID is the job's realm. Read-only.
	RealmID string `json:"realm_id,omitempty"`
	// TenantID is the job's tenant. Read-only.
	TenantID string `json:"tenant_id,omitempty"`
	// CredentialID is the bound credential, set once the job is COMPLETE.
	CredentialID string `json:"credential_id,omitempty"`
	// BatchID is the batch job that created this job, if any. Read-only.
	BatchID string `json:"batch_id,omitempty"`
	// DeliveryMethod is how the binding link is delivered.
	DeliveryMethod DeliveryMethod `json:"delivery_method,omitempty"`
	// State is the job's current state. Read-only.
	State BindingJobState `json:"state,omitempty"`
	// PostBindingRedirectURI is where the authenticator redirects after a
	// successful bind, if set.
	PostBindingRedirectURI string `json:"post_binding_redirect_uri,omitempty"`
	// AuthenticatorConfig is the job's inline authenticator settings, when
	// it was created with settings instead of an AuthenticatorConfigID
	// (on the wire: "authenticator_config": {"config": ...}).
	AuthenticatorConfig AuthenticatorSettings `json:"-"`
	// AuthenticatorConfigID is the authenticator configuration the passkey
	// is bound for.
	AuthenticatorConfigID string `json:"authenticator_config_id,omitempty"`
	// ExpireTime is when the binding link expires. Read-only.
	ExpireTime time.Time `json:"expire_time,omitzero"`
	// CreateTime is when the job was created. Read-only.
	CreateTime time.Time `json:"create_time,omitzero"`
	// UpdateTime is when the job last changed. Read-only.
	UpdateTime time.Time `json:"update_time,omitzero"`
}

// inlineAuthenticatorConfig is the wire form {"config": ...} of a job's
// inline authenticator settings.
type inlineAuthenticatorConfig struct {
	Config AuthenticatorSettings `json:"config,omitempty"`
}

// wrapInline returns the wire form of inline settings, nil for none.
func wrapInline(s AuthenticatorSettings) *inlineAuthenticatorConfig {
	if s = normalizeSettings(s); s == nil {
		return nil
	}
	return &inlineAuthenticatorConfig{Config: s}
}

// unwrapInline decodes {"config": ...}; null or absent gives nil.
func unwrapInline(raw json.RawMessage) (AuthenticatorSettings, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var w *struct {
		Config json.RawMessage `json:"config"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("decoding authenticator_config: %w", err)
	}
	if w == nil {
		return nil, nil
	}
	return decodeSettings(w.Config)
}

// MarshalJSON encodes the job as the API does.
func (j BindingJob) MarshalJSON() ([]byte, error) {
	type plain BindingJob
	return json.Marshal(struct {
		plain
		AuthenticatorConfig *inlineAuthenticatorConfig `json:"authenticator_config,omitempty"`
	}{plain(j), wrapInline(j.AuthenticatorConfig)})
}

// UnmarshalJSON decodes a job, including inline authenticator settings of
// any kind.
func (j *BindingJob) UnmarshalJSON(b []byte) error {
	type plain BindingJob
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
	*j = BindingJob(w.plain)
	j.AuthenticatorConfig = s
	return nil
}

// CreateBindingJobRequest is the body of BindingJobsService.Create. Set
// exactly one of AuthenticatorConfigID and AuthenticatorConfig.
type CreateBindingJobRequest struct {
	// DeliveryMethod is DeliveryMethodReturn or DeliveryMethodEmail.
	// Required.
	DeliveryMethod DeliveryMethod
	// AuthenticatorConfigID is the authenticator configuration the passkey
	// is bound for; it decides where an EMAIL link redirects (its Invoke
	// URL).
	AuthenticatorConfigID string
	// AuthenticatorConfig gives the authenticator settings inline instead
	// of AuthenticatorConfigID. The API does not accept *HostedWebSettings
	// here; the library refuses it and lets the server judge the other
	// kinds.
	AuthenticatorConfig AuthenticatorSettings
	// PostBindingRedirectURI, when set, is where the authenticator
	// redirects after a successful bind. It must be an absolute URL.
	PostBindingRedirectURI string
}

// bindingJobWrite is the wire form of a job sent to the API.
type bindingJobWrite struct {
	DeliveryMethod         DeliveryMethod             `json:"delivery_method,omitempty"`
	AuthenticatorConfigID  string                     `json:"authenticator_config_id,omitempty"`
	AuthenticatorConfig    *inlineAuthenticatorConfig `json:"authenticator_config,omitempty"`
	PostBindingRedirectURI string                     `json:"post_binding_redirect_uri,omitempty"`
}

// CreateBindingJobResult is the answer of [BindingJobsService.Create].
type CreateBindingJobResult struct {
	// Job is the created job.
	Job *BindingJob
	// Link is the credential binding link, only for DeliveryMethodReturn
	// (empty for EMAIL). It is a bearer secret: anyone holding it can bind
	// a passkey to the identity until it expires, so it prints, logs and
	// encodes as REDACTED. Hand Link.Reveal() to the front end, which
	// passes it to the Embedded SDK's bindPasskey; ParseBindingLink reads
	// its IDs.
	Link Secret
}

// createBindingJobResponse is the envelope the API answers a create with.
type createBindingJobResponse struct {
	Job  *BindingJob `json:"credential_binding_job"`
	Link Secret      `json:"credential_binding_link"`
}

// checkJobConfig validates the authenticator config fields shared by
// single jobs and batch templates: exactly one form, never hosted_web, and
// an absolute redirect URI.
func checkJobConfig(prefix, configID string, cfg AuthenticatorSettings, redirect string) error {
	switch {
	case configID == "" && cfg == nil:
		return invalid(prefix+"AuthenticatorConfigID", "one of AuthenticatorConfigID or AuthenticatorConfig is required")
	case configID != "" && cfg != nil:
		return invalid(prefix+"AuthenticatorConfig", "set only one of AuthenticatorConfigID and AuthenticatorConfig")
	case configID != "":
		if err := checkID(prefix+"AuthenticatorConfigID", configID); err != nil {
			return err
		}
	default:
		if cfg.AuthenticatorType() == AuthenticatorTypeHostedWeb {
			return invalid(prefix+"AuthenticatorConfig", "a hosted_web authenticator cannot be inlined in a binding job; create it and pass its ID in AuthenticatorConfigID")
		}
		if err := checkSettings(prefix+"AuthenticatorConfig", cfg, true); err != nil {
			return err
		}
	}
	if redirect != "" {
		if err := checkAbsoluteURL(prefix+"PostBindingRedirectURI", redirect); err != nil {
			return err
		}
	}
	return nil
}

// BindingJobsService handles credential binding jobs. Get it from
// Client.BindingJobs.
type BindingJobsService service

// Create creates a credential binding job for an identity. For
// DeliveryMethodReturn the result carries the binding link; for
// DeliveryMethodEmail Beyond Identity emails it (the API answers 422 when
// the identity has no email address).
//
// A create is never retried where the server could have acted on it (only
// after a 429 or a refused connection), so a retry cannot make a second job
// or send a second email. When it fails with a 5xx or a dropped connection,
// the job may or may not exist: list the identity's jobs before creating
// another.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}/credential-binding-jobs (CreateCredentialBindingJob)
func (s *BindingJobsService) Create(ctx context.Context, identityID string, req *CreateBindingJobRequest) (*CreateBindingJobResult, error) {
	if err := checkIdentityID(identityID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	switch req.DeliveryMethod {
	case DeliveryMethodReturn, DeliveryMethodEmail:
	case "":
		return nil, invalid("DeliveryMethod", "is required (DeliveryMethodReturn or DeliveryMethodEmail)")
	default:
		return nil, invalid("DeliveryMethod", fmt.Sprintf("unknown delivery method %q (use DeliveryMethodReturn or DeliveryMethodEmail)", string(req.DeliveryMethod)))
	}
	cfg := normalizeSettings(req.AuthenticatorConfig)
	if err := checkJobConfig("", req.AuthenticatorConfigID, cfg, req.PostBindingRedirectURI); err != nil {
		return nil, err
	}
	body := struct {
		Job bindingJobWrite `json:"job"`
	}{bindingJobWrite{
		DeliveryMethod:         req.DeliveryMethod,
		AuthenticatorConfigID:  req.AuthenticatorConfigID,
		AuthenticatorConfig:    wrapInline(cfg),
		PostBindingRedirectURI: req.PostBindingRedirectURI,
	}}
	var out createBindingJobResponse
	cl := &call{method: http.MethodPost, path: segs("identities", identityID, "credential-binding-jobs"), body: body}
	if err := s.client.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Job == nil {
		return nil, &RequestError{Method: cl.method, URL: cl.url, Err: errors.New("response has no credential_binding_job")}
	}
	return &CreateBindingJobResult{Job: out.Job, Link: out.Link}, nil
}

// ReturnLinkOptions are the optional settings of
// BindingJobsService.CreateReturnLink.
type ReturnLinkOptions struct {
	// PostBindingRedirectURI, when set, is where the authenticator
	// redirects after a successful bind. It must be an absolute URL.
	PostBindingRedirectURI string
}

// CreateReturnLink creates a RETURN binding job for an identity and an
// authenticator configuration and returns the job and its binding link,
// the link the front end passes to the Embedded SDK's bindPasskey. It is
// [BindingJobsService.Create] with DeliveryMethodReturn; opts may be nil.
//
// Should the API answer without a link, CreateReturnLink returns the
// result (so the job can be revoked) together with an error.
func (s *BindingJobsService) CreateReturnLink(ctx context.Context, identityID, authenticatorConfigID string, opts *ReturnLinkOptions) (*CreateBindingJobResult, error) {
	if err := checkIdentityID(identityID); err != nil {
		return nil, err
	}
	if err := checkID("authenticatorConfigID", authenticatorConfigID); err != nil {
		return nil, err
	}
	req := &CreateBindingJobRequest{DeliveryMethod: DeliveryMethodReturn, AuthenticatorConfigID: authenticatorConfigID}
	if opts != nil {
		req.PostBindingRedirectURI = opts.PostBindingRedirectURI
	}
	res, err := s.Create(ctx, identityID, req)
	if err != nil {
		return nil, err
	}
	if res.Link.IsZero() {
		return res, fmt.Errorf("beyondidentity: binding job %s was created but the API returned no credential_binding_link", res.Job.ID)
	}
	return res, nil
}

// Get fetches a credential binding job.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}/credential-binding-jobs/{credential_binding_job_id} (GetCredentialBindingJob)
func (s *BindingJobsService) Get(ctx context.Context, identityID, jobID string) (*BindingJob, error) {
	path, err := jobPath(identityID, jobID)
	if err != nil {
		return nil, err
	}
	return fetch[BindingJob](ctx, s.client, &call{method: http.MethodGet, path: path, idempotent: true})
}

// maxBindingJobsPageSize is the largest page of binding jobs the API serves.
const maxBindingJobsPageSize = 200

// List fetches one page of an identity's credential binding jobs, or of
// the whole realm's when identityID is AllIdentities. Page sizes go up to
// 200 (server default 20). The filter attributes are "state" and
// "delivery_method", e.g. FilterEq("state", string(BindingJobStateComplete)).
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}/credential-binding-jobs (ListCredentialBindingJobs)
func (s *BindingJobsService) List(ctx context.Context, identityID string, opts *ListOptions) (*Page[*BindingJob], error) {
	if err := checkID("identityID", identityID); err != nil {
		return nil, err
	}
	return list[*BindingJob](ctx, s.client, &call{path: segs("identities", identityID, "credential-binding-jobs")},
		opts, maxBindingJobsPageSize, "credential_binding_jobs")
}

// All iterates over an identity's credential binding jobs (or the realm's,
// with AllIdentities) with [BindingJobsService.List], fetching pages as the
// loop needs them. opts is not modified; its filter, skip and page size are
// sent with every page.
func (s *BindingJobsService) All(ctx context.Context, identityID string, opts *ListOptions) iter.Seq2[*BindingJob, error] {
	return all(ctx, opts, func(ctx context.Context, o *ListOptions) (*Page[*BindingJob], error) {
		return s.List(ctx, identityID, o)
	})
}

// Revoke revokes a credential binding job so that its link can no longer
// bind a passkey, and returns the revoked job. Revoking a job that is
// already complete fails with 409: errors.Is(err, ErrConflict). The
// request body is {}, as the operation declares.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}/credential-binding-jobs/{credential_binding_job_id}:revoke (SetCredentialBindingJobRevoked)
func (s *BindingJobsService) Revoke(ctx context.Context, identityID, jobID string) (*BindingJob, error) {
	path, err := jobPath(identityID, jobID)
	if err != nil {
		return nil, err
	}
	return fetch[BindingJob](ctx, s.client, &call{method: http.MethodPost, path: path, custom: "revoke", body: struct{}{}, idempotent: true})
}

// jobPath validates the IDs of a job and returns its path.
func jobPath(identityID, jobID string) (pathSegs, error) {
	if err := checkIdentityID(identityID); err != nil {
		return pathSegs{}, err
	}
	if err := checkID("jobID", jobID); err != nil {
		return pathSegs{}, err
	}
	return segs("identities", identityID, "credential-binding-jobs", jobID), nil
}
