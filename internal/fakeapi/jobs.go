package fakeapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

type inlineConfigJSON struct {
	Config configValue `json:"config"`
}

type jobJSON struct {
	ID                     string            `json:"id"`
	IdentityID             string            `json:"identity_id"`
	RealmID                string            `json:"realm_id"`
	TenantID               string            `json:"tenant_id"`
	CredentialID           string            `json:"credential_id,omitempty"`
	BatchID                string            `json:"batch_id,omitempty"`
	DeliveryMethod         string            `json:"delivery_method"`
	State                  string            `json:"state"`
	PostBindingRedirectURI string            `json:"post_binding_redirect_uri,omitempty"`
	AuthenticatorConfig    *inlineConfigJSON `json:"authenticator_config,omitempty"`
	AuthenticatorConfigID  string            `json:"authenticator_config_id,omitempty"`
	ExpireTime             string            `json:"expire_time"`
	CreateTime             string            `json:"create_time"`
	UpdateTime             string            `json:"update_time"`
}

func (e *Engine) jobJSON(j *job, now time.Time) jobJSON {
	j.refresh(now)
	out := jobJSON{
		ID: j.id, IdentityID: j.identityID, RealmID: j.realmID, TenantID: e.tenantID,
		CredentialID: j.credID, BatchID: j.batchID, DeliveryMethod: j.delivery, State: j.state,
		PostBindingRedirectURI: j.redirectURI, AuthenticatorConfigID: j.configID,
		ExpireTime: ts(j.expires), CreateTime: ts(j.created), UpdateTime: ts(j.updated),
	}
	if j.inline != nil {
		out.AuthenticatorConfig = &inlineConfigJSON{*j.inline}
	}
	return out
}

// jobFields are the members of the CredentialBindingJob schema; read-only
// ones are accepted and ignored.
var jobFields = []string{
	"id", "identity_id", "realm_id", "tenant_id", "credential_id", "batch_id", "delivery_method", "state",
	"post_binding_redirect_uri", "authenticator_config", "authenticator_config_id", "expire_time", "create_time", "update_time",
}

// jobConfig is the authenticator config a job or batch template names.
type jobConfig struct {
	id          string
	inline      *configValue
	redirectURI string
}

// readJobConfig reads authenticator_config_id, authenticator_config and
// post_binding_redirect_uri of a job or a batch job template at path.
func readJobConfig(v *violations, o object, path string) jobConfig {
	var jc jobConfig
	jc.id, _ = v.str(o, "authenticator_config_id", path)
	if ic, ok := v.obj(o, "authenticator_config", path); ok {
		p := join(path, "authenticator_config")
		v.known(ic, p, "config")
		if cfg, ok := v.obj(ic, "config", p); ok {
			c := readConfig(v, cfg, join(p, "config"), true)
			jc.inline = &c
		} else if !ic.has("config") {
			v.add(join(p, "config"), "missing")
		}
	}
	switch {
	case jc.id == "" && jc.inline == nil && !o.has("authenticator_config"):
		v.add(join(path, "authenticator_config_id"), "empty string")
	case jc.id != "" && o.has("authenticator_config"):
		v.add(join(path, "authenticator_config"), "must not be set together with authenticator_config_id")
	}
	if u, ok := v.str(o, "post_binding_redirect_uri", path); ok && u != "" {
		if !checkAbsoluteURL(u) {
			v.add(join(path, "post_binding_redirect_uri"), "must be an absolute URL")
		}
		jc.redirectURI = u
	}
	return jc
}

// resolve finds a named config (404 when missing) and returns the Invoke
// URL binding redirects go to ("" for configs without one).
func (e *Engine) resolveConfig(c *call, jc jobConfig) (invokeURL string, ok bool) {
	if jc.inline != nil {
		if jc.inline.Type == "embedded" {
			return jc.inline.InvokeURL, true
		}
		return "", true
	}
	ac := c.realm.configBy[jc.id]
	if ac == nil {
		notFound(c.w, "AuthenticatorConfig", jc.id, "authenticator config")
		return "", false
	}
	if ac.config.Type == "embedded" {
		return ac.config.InvokeURL, true
	}
	return "", true
}

// newJob creates a job in LINK_SENT; for EMAIL it sends the email.
func (e *Engine) newJob(c *call, i *identity, delivery string, jc jobConfig, invokeURL, batchID string) *job {
	j := &job{
		id: e.newID(), identityID: i.id, realmID: c.realm.id, batchID: batchID,
		delivery: delivery, state: StateLinkSent, redirectURI: jc.redirectURI,
		configID: jc.id, inline: jc.inline, invokeURL: invokeURL,
		token:   b64.EncodeToString(randomBytes(48)), // 64 base64url characters
		created: c.now, updated: c.now, expires: c.now.Add(BindingLinkLifetime),
	}
	c.realm.addJob(i, j)
	if delivery == "EMAIL" {
		e.outbox = append(e.outbox, Email{
			To: i.email(), Subject: "Set up your passkey", Link: e.jobLink(j),
			TenantID: e.tenantID, RealmID: c.realm.id, IdentityID: i.id, JobID: j.id, BatchID: batchID, SentAt: c.now,
		})
	}
	return j
}

// jobLink is the binding link of a job, on the auth host (this origin).
func (e *Engine) jobLink(j *job) string {
	return e.origin + "/v1/tenants/" + url.PathEscape(e.tenantID) + "/realms/" + url.PathEscape(j.realmID) +
		"/identities/" + url.PathEscape(j.identityID) + "/credential-binding-jobs/" + url.PathEscape(j.id) +
		":invokeAuthenticator?token=" + j.token
}

func (e *Engine) createJob(c *call) {
	i := c.realm.identityBy[c.params[0]]
	if i == nil {
		notFound(c.w, "Identity", c.params[0], "identity")
		return
	}
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	o, ok := v.envelope(body, "job")
	if !ok {
		invalidParams(c.w, v)
		return
	}
	v.known(o, "job", jobFields...)
	dm, _ := v.str(o, "delivery_method", "job")
	if dm != "RETURN" && dm != "EMAIL" {
		v.add("job.delivery_method", "must be RETURN or EMAIL")
	}
	jc := readJobConfig(&v, o, "job")
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	invokeURL, ok := e.resolveConfig(c, jc)
	if !ok {
		return
	}
	if dm == "EMAIL" && i.email() == "" {
		const msg = "Identity missing email address"
		writeError(c.w, http.StatusUnprocessableEntity, msg, resourceInfo("Identity", i.id, msg))
		return
	}
	j := e.newJob(c, i, dm, jc, invokeURL, "")
	out := struct {
		Job  jobJSON `json:"credential_binding_job"`
		Link string  `json:"credential_binding_link,omitempty"`
	}{Job: e.jobJSON(j, c.now)}
	if dm == "RETURN" {
		out.Link = e.jobLink(j)
	}
	writeJSON(c.w, http.StatusOK, out)
}

func (e *Engine) findJob(c *call) *job {
	j := c.realm.jobBy[c.params[1]]
	if j == nil || j.identityID != c.params[0] {
		notFound(c.w, "CredentialBindingJob", c.params[1], "credential binding job")
		return nil
	}
	j.refresh(c.now)
	return j
}

// getJob answers a job. The operation declares a filter ("The response
// will only include resources matching this filter"; supported attributes
// state and delivery_method): the one resource it answers is included only
// when it matches, so a job that does not match is not found (404, the
// answer the operation declares for a job it does not return). A filter
// the fake cannot apply is refused with 400, as on the list operations
// (GetCredentialBindingJob declares no 400, but the filter grammar is the
// lists' and so is the refusal).
func (e *Engine) getJob(c *call) {
	cmp, ok := jobFilter(c, c.query.Get("filter"))
	if !ok {
		return
	}
	j := e.findJob(c)
	if j == nil {
		return
	}
	if !cmp.matches(j) {
		notFound(c.w, "CredentialBindingJob", j.id, "credential binding job")
		return
	}
	writeJSON(c.w, http.StatusOK, e.jobJSON(j, c.now))
}

// jobFilter parses a filter on jobs: `state eq "…"` or
// `delivery_method eq "…"` (the attributes the spec names). It answers 400
// and returns false for any other.
func jobFilter(c *call, f string) (comparison, bool) {
	if f == "" {
		return comparison{}, true
	}
	cmp, err := parseComparison(f)
	if err != nil || (cmp.attr != "state" && cmp.attr != "delivery_method") {
		invalidParam(c.w, "filter", `unsupported filter: use state eq "<state>" or delivery_method eq "<method>"`)
		return comparison{}, false
	}
	return cmp, true
}

// matches reports whether a job passes a job filter (the zero comparison
// passes every job).
func (cmp comparison) matches(j *job) bool {
	switch cmp.attr {
	case "state":
		return j.state == cmp.value
	case "delivery_method":
		return j.delivery == cmp.value
	}
	return true
}

// revokeJob revokes a pending job. A complete or expired job cannot be
// revoked (409); revoking a revoked job answers it unchanged.
func (e *Engine) revokeJob(c *call) {
	body, ok := readObject(c.w, c.r, c.body, true)
	if !ok {
		return
	}
	var v violations
	v.known(body, "")
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	j := e.findJob(c)
	if j == nil {
		return
	}
	switch j.state {
	case StateComplete, StateExpired:
		msg := "credential binding job already complete"
		if j.state == StateExpired {
			msg = "credential binding job expired"
		}
		writeError(c.w, http.StatusConflict, msg, resourceInfo("CredentialBindingJob", j.id, msg))
		return
	case StateRevoked:
	default:
		j.state, j.updated = StateRevoked, c.now
	}
	writeJSON(c.w, http.StatusOK, e.jobJSON(j, c.now))
}

// listJobs lists the jobs of an identity, or of the realm for "-". The
// filters `state eq "…"` and `delivery_method eq "…"` are supported (the
// spec documents them on the get operation, where they make no sense).
func (e *Engine) listJobs(c *call) {
	who := c.params[0]
	pg, ok := e.parsePage(c, "jobs/"+who, 20, 200)
	if !ok {
		return
	}
	cmp, ok := jobFilter(c, pg.filter)
	if !ok {
		return
	}
	var src []*job
	if who == "-" {
		src = c.realm.jobs
	} else if i := c.realm.identityBy[who]; i != nil {
		src = i.jobs
	}
	items := make([]*job, 0, len(src))
	for _, j := range src {
		j.refresh(c.now)
		if cmp.matches(j) {
			items = append(items, j)
		}
	}
	page, next := paginate(e, pg, items)
	out := make([]jobJSON, 0, len(page))
	for _, j := range page {
		out = append(out, e.jobJSON(j, c.now))
	}
	writeJSON(c.w, http.StatusOK, struct {
		Jobs          []jobJSON `json:"credential_binding_jobs"`
		TotalSize     int       `json:"total_size"`
		NextPageToken string    `json:"next_page_token,omitempty"`
	}{out, len(items), next})
}

// ---- batch jobs ----

type batchErrorJSON struct {
	LastError         string `json:"last_error"`
	FailedPermanently bool   `json:"failed_permanently"`
}

type batchTemplateJSON struct {
	PostBindingRedirectURI string            `json:"post_binding_redirect_uri,omitempty"`
	AuthenticatorConfig    *inlineConfigJSON `json:"authenticator_config,omitempty"`
	AuthenticatorConfigID  string            `json:"authenticator_config_id,omitempty"`
	ExpireTime             string            `json:"expire_time"`
}

type batchJSON struct {
	ID              string    `json:"id"`
	TenantID        string    `json:"tenant_id"`
	RealmID         string    `json:"realm_id"`
	IdentityIDs     []string  `json:"identity_ids"`
	State           string    `json:"state"`
	StateCommentary *struct { // absent when nothing failed
		Errors map[string]batchErrorJSON `json:"errors"`
	} `json:"state_commentary,omitempty"`
	JobTemplate batchTemplateJSON `json:"job_template"`
	CreateTime  string            `json:"create_time"`
	UpdateTime  string            `json:"update_time"`
}

// batchJSON describes a batch. The batch is processed when it is created,
// but the create answer reports it RUNNING (as the API's example does, with
// the errors met so far not yet permanent); later reads report the outcome:
// SUCCESS, PARTIAL_SUCCESS or FAILED.
func (e *Engine) batchJSON(b *batch, running bool) batchJSON {
	out := batchJSON{
		ID: b.id, TenantID: e.tenantID, RealmID: b.realmID, IdentityIDs: b.identityIDs,
		JobTemplate: batchTemplateJSON{
			PostBindingRedirectURI: b.redirectURI, AuthenticatorConfigID: b.configID, ExpireTime: ts(b.expires),
		},
		CreateTime: ts(b.created), UpdateTime: ts(b.updated),
	}
	if b.inline != nil {
		out.JobTemplate.AuthenticatorConfig = &inlineConfigJSON{*b.inline}
	}
	switch {
	case running:
		out.State = "RUNNING"
	case len(b.errors) == 0:
		out.State = "SUCCESS"
	case len(b.jobs) == 0:
		out.State = "FAILED"
	default:
		out.State = "PARTIAL_SUCCESS"
	}
	if len(b.errors) > 0 {
		out.StateCommentary = &struct {
			Errors map[string]batchErrorJSON `json:"errors"`
		}{map[string]batchErrorJSON{}}
		for id, msg := range b.errors {
			out.StateCommentary.Errors[id] = batchErrorJSON{LastError: msg, FailedPermanently: !running}
		}
	}
	return out
}

func (e *Engine) createBatch(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	const path = "batch_credential_binding_job"
	var v violations
	o, ok := v.envelope(body, path)
	if !ok {
		invalidParams(c.w, v)
		return
	}
	v.known(o, path, "id", "tenant_id", "realm_id", "identity_ids", "state", "state_commentary", "job_template", "create_time", "update_time")
	ids, _ := v.strs(o, "identity_ids", path)
	switch {
	case len(ids) == 0:
		v.add(path+".identity_ids", "must hold at least 1 ID")
	case len(ids) > 1000:
		v.add(path+".identity_ids", "must hold at most 1000 IDs")
	default:
		seen := map[string]bool{}
		for _, id := range ids {
			if id == "" {
				v.add(path+".identity_ids", "empty ID")
			} else if seen[id] {
				v.add(path+".identity_ids", "duplicate ID "+id)
			}
			seen[id] = true
		}
	}
	var jc jobConfig
	if t, ok := v.obj(o, "job_template", path); ok {
		p := path + ".job_template"
		v.known(t, p, "post_binding_redirect_uri", "authenticator_config", "authenticator_config_id", "expire_time")
		jc = readJobConfig(&v, t, p)
	} else if !o.has("job_template") {
		v.add(path+".job_template", "missing")
	}
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	invokeURL, ok := e.resolveConfig(c, jc)
	if !ok {
		return
	}
	limit := e.cfg.BatchQueueLimit
	if cur := c.realm.pendingBatchJobs(c.now); cur+len(ids) > limit {
		c.w.Header().Set("RateLimit-Limit", strconv.Itoa(limit))
		c.w.Header().Set("RateLimit-Remaining", strconv.Itoa(max(0, limit-cur)))
		writeError(c.w, http.StatusTooManyRequests, fmt.Sprintf(
			"Maximum queue sized reached. Maximum: %d Current Total: %d Overage: %d", limit, cur, cur+len(ids)-limit))
		return
	}
	b := &batch{
		id: e.uuid(), realmID: c.realm.id, identityIDs: ids, configID: jc.id, inline: jc.inline,
		redirectURI: jc.redirectURI, errors: map[string]string{}, created: c.now, updated: c.now,
		expires: c.now.Add(BindingLinkLifetime),
	}
	for _, id := range ids {
		i := c.realm.identityBy[id]
		switch {
		case i == nil:
			b.errors[id] = "identity not found"
		case i.email() == "":
			b.errors[id] = "Identity missing email address"
		default:
			b.jobs = append(b.jobs, e.newJob(c, i, "EMAIL", jc, invokeURL, b.id))
		}
	}
	c.realm.batches[b.id] = b
	writeJSON(c.w, http.StatusOK, e.batchJSON(b, true))
}

func (e *Engine) findBatch(c *call) *batch {
	b := c.realm.batches[c.params[0]]
	if b == nil {
		notFound(c.w, "BatchCredentialBindingJob", c.params[0], "batch credential binding job")
	}
	return b
}

func (e *Engine) getBatch(c *call) {
	if b := e.findBatch(c); b != nil {
		writeJSON(c.w, http.StatusOK, e.batchJSON(b, false))
	}
}

// listBatchResults lists the jobs a batch created, with counts: COMPLETE
// jobs succeeded, pending ones are pending, the others failed.
func (e *Engine) listBatchResults(c *call) {
	b := e.findBatch(c)
	if b == nil {
		return
	}
	pg, ok := e.parsePage(c, "batch/"+b.id, 200, 200)
	if !ok {
		return
	}
	if pg.filter != "" {
		invalidParam(c.w, "filter", "unsupported filter")
		return
	}
	// Jobs of identities deleted since are gone.
	jobs := slices.DeleteFunc(slices.Clone(b.jobs), func(j *job) bool { return c.realm.jobBy[j.id] != j })
	var ok1, fail, pend int
	for _, j := range jobs {
		j.refresh(c.now)
		switch {
		case j.state == StateComplete:
			ok1++
		case pendingState(j.state):
			pend++
		default:
			fail++
		}
	}
	page, next := paginate(e, pg, jobs)
	out := make([]jobJSON, 0, len(page))
	for _, j := range page {
		out = append(out, e.jobJSON(j, c.now))
	}
	writeJSON(c.w, http.StatusOK, struct {
		JobResults        []jobJSON `json:"job_results"`
		TotalSuccessCount int       `json:"total_success_count"`
		TotalFailureCount int       `json:"total_failure_count"`
		TotalPendingCount int       `json:"total_pending_count"`
		TotalSize         int       `json:"total_size"`
		NextPageToken     string    `json:"next_page_token,omitempty"`
	}{out, ok1, fail, pend, len(jobs), next})
}
