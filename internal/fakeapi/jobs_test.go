package fakeapi

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func jobsPath(s *tserver, identityID string) string {
	return s.realm("identities/" + identityID + "/credential-binding-jobs")
}

func TestCreateReturnJob(t *testing.T) {
	s := newServer(t, Config{})
	id := s.createIdentity("ada", "")
	m := s.mustDo(200, "POST", jobsPath(s, id), map[string]any{"job": map[string]any{
		"delivery_method": "RETURN", "authenticator_config_id": s.seed.AuthenticatorConfigID,
		"post_binding_redirect_uri": "https://app.example/done", "state": "COMPLETE", "id": "ignored",
	}})
	require.Len(t, m, 2, "%v", m)
	job := m["credential_binding_job"].(map[string]any)
	jobID := job["id"].(string)
	assert.Regexp(t, `^[0-9a-f]{16}$`, jobID)
	assert.Equal(t, id, job["identity_id"])
	assert.Equal(t, s.seed.RealmID, job["realm_id"])
	assert.Equal(t, s.seed.TenantID, job["tenant_id"])
	assert.Equal(t, "RETURN", job["delivery_method"])
	assert.Equal(t, "LINK_SENT", job["state"])
	assert.Equal(t, "https://app.example/done", job["post_binding_redirect_uri"])
	assert.Equal(t, s.seed.AuthenticatorConfigID, job["authenticator_config_id"])
	assert.NotContains(t, job, "credential_id")
	assert.NotContains(t, job, "batch_id")
	created, _ := time.Parse(time.RFC3339Nano, job["create_time"].(string))
	expires, _ := time.Parse(time.RFC3339Nano, job["expire_time"].(string))
	assert.Equal(t, 7*24*time.Hour, expires.Sub(created))

	link := m["credential_binding_link"].(string)
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(s.url+"/v1/tenants/"+s.seed.TenantID+"/realms/"+s.seed.RealmID+"/identities/"+id+"/credential-binding-jobs/"+jobID) + `:invokeAuthenticator\?token=([A-Za-z0-9_-]{64})$`)
	assert.Regexp(t, re, link)

	// Get answers the bare job.
	got := s.mustDo(200, "GET", jobsPath(s, id)+"/"+jobID, nil)
	assert.Equal(t, job, got)
	assert.Empty(t, s.e.Outbox(), "RETURN sends no email")

	// The job of another identity is not found under this one.
	other := s.createIdentity("bob", "")
	m = s.mustDo(404, "GET", jobsPath(s, other)+"/"+jobID, nil)
	errorOf(t, m, "not_found", "credential binding job not found")
	ri := resourceInfoOf(t, m)
	assert.Equal(t, "CredentialBindingJob", ri["resource_type"])
	assert.Equal(t, jobID, ri["id"])
}

func identityJobs(t *testing.T, s *tserver, who string) []map[string]any {
	t.Helper()
	m := s.mustDo(200, "GET", jobsPath(s, who)+"?page_size=200", nil)
	var out []map[string]any
	for _, j := range m["credential_binding_jobs"].([]any) {
		out = append(out, j.(map[string]any))
	}
	return out
}

func TestCreateJobErrors(t *testing.T) {
	s := newServer(t, Config{})
	id := s.createIdentity("ada", "")
	p := jobsPath(s, id)
	cfg := s.seed.AuthenticatorConfigID
	for name, tc := range map[string]struct {
		body any
		want map[string]string
	}{
		"no job":           {map[string]any{}, map[string]string{"job": "missing"}},
		"no config":        {map[string]any{"job": map[string]any{"delivery_method": "RETURN"}}, map[string]string{"job.authenticator_config_id": "empty string"}},
		"empty config id":  {map[string]any{"job": map[string]any{"delivery_method": "RETURN", "authenticator_config_id": ""}}, map[string]string{"job.authenticator_config_id": "empty string"}},
		"bad delivery":     {map[string]any{"job": map[string]any{"delivery_method": "SMS", "authenticator_config_id": cfg}}, map[string]string{"job.delivery_method": "must be RETURN or EMAIL"}},
		"missing delivery": {map[string]any{"job": map[string]any{"authenticator_config_id": cfg}}, map[string]string{"job.delivery_method": "must be RETURN or EMAIL"}},
		"unknown field":    {map[string]any{"job": map[string]any{"delivery_method": "RETURN", "authenticator_config_id": cfg, "deliveryMethod": "RETURN"}}, map[string]string{"job.deliveryMethod": "unknown field"}},
		"bad redirect":     {map[string]any{"job": map[string]any{"delivery_method": "RETURN", "authenticator_config_id": cfg, "post_binding_redirect_uri": "/relative"}}, map[string]string{"job.post_binding_redirect_uri": "must be an absolute URL"}},
		"both configs": {map[string]any{"job": map[string]any{"delivery_method": "RETURN", "authenticator_config_id": cfg,
			"authenticator_config": map[string]any{"config": map[string]any{"type": "platform"}}}}, map[string]string{"job.authenticator_config": "must not be set together with authenticator_config_id"}},
		"inline hosted web": {map[string]any{"job": map[string]any{"delivery_method": "RETURN",
			"authenticator_config": map[string]any{"config": map[string]any{"type": "hosted_web", "authentication_methods": []any{}, "trusted_origins": []any{}}}}},
			map[string]string{"job.authenticator_config.config.type": "hosted_web cannot be used inline; create it and pass authenticator_config_id"}},
	} {
		t.Run(name, func(t *testing.T) {
			m := s.mustDo(400, "POST", p, tc.body)
			assert.Equal(t, tc.want, violationsOf(t, m))
		})
	}
	t.Run("unknown identity", func(t *testing.T) {
		m := s.mustDo(404, "POST", jobsPath(s, "ffffffffffffffff"), map[string]any{"job": map[string]any{"delivery_method": "RETURN", "authenticator_config_id": cfg}})
		errorOf(t, m, "not_found", "identity not found")
		assert.Equal(t, "Identity", resourceInfoOf(t, m)["resource_type"])
		// The spec declares this 404 with the ResourceInfo schema, but its
		// example, like every other 404, is an Error with a ResourceInfo
		// detail: the body is that, without ResourceInfo members of its own.
		for _, k := range []string{"type", "resource_type", "id", "description"} {
			assert.NotContains(t, m, k)
		}
	})
	t.Run("unknown config", func(t *testing.T) {
		m := s.mustDo(404, "POST", p, map[string]any{"job": map[string]any{"delivery_method": "RETURN", "authenticator_config_id": "nope"}})
		assert.Equal(t, "AuthenticatorConfig", resourceInfoOf(t, m)["resource_type"])
	})
	t.Run("email without address", func(t *testing.T) {
		m := s.mustDo(422, "POST", p, map[string]any{"job": map[string]any{"delivery_method": "EMAIL", "authenticator_config_id": cfg}})
		errorOf(t, m, "unprocessable_entity", "Identity missing email address")
		ri := resourceInfoOf(t, m)
		assert.Equal(t, map[string]any{"type": "ResourceInfo", "resource_type": "Identity", "id": id, "description": "Identity missing email address"}, ri)
		assert.Empty(t, s.e.Outbox())
	})
	assert.Empty(t, identityJobs(t, s, "-"), "no job was created by a failed request")
}

func TestInlineConfigJob(t *testing.T) {
	s := newServer(t, Config{})
	id := s.createIdentity("ada", "ada@example.com")
	m := s.mustDo(200, "POST", jobsPath(s, id), map[string]any{"job": map[string]any{"delivery_method": "EMAIL",
		"authenticator_config": map[string]any{"config": map[string]any{"type": "embedded", "invoke_url": "myapp://", "trusted_origins": []string{}}}}})
	job := m["credential_binding_job"].(map[string]any)
	assert.NotContains(t, job, "authenticator_config_id")
	assert.Equal(t, map[string]any{"config": map[string]any{"type": "embedded", "invoke_url": "myapp://", "invocation_type": "automatic", "trusted_origins": []any{}}}, job["authenticator_config"])
	out := s.e.Outbox()
	require.Len(t, out, 1)
	loc := openLink(t, s, out[0].Link, http.StatusFound)
	assert.True(t, strings.HasPrefix(loc, "myapp://bind?"), loc)
}

// openLink GETs a binding link without following redirects and returns the
// Location.
func openLink(t *testing.T, s *tserver, link string, want int) string {
	t.Helper()
	hc := *s.hc
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(link)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, want, resp.StatusCode)
	return resp.Header.Get("Location")
}

func TestEmailFlow(t *testing.T) {
	s := newServer(t, Config{InvokeURL: "http://localhost:3000"})
	id := s.createIdentity("ada", "ada@example.com")
	m := s.createJob(id, "EMAIL")
	assert.NotContains(t, m, "credential_binding_link", "EMAIL jobs answer no link")
	job := m["credential_binding_job"].(map[string]any)
	jobID := job["id"].(string)
	assert.Equal(t, "EMAIL", job["delivery_method"])
	assert.Equal(t, "LINK_SENT", job["state"])

	out := s.e.Outbox()
	require.Len(t, out, 1)
	mail := out[0]
	assert.Equal(t, "ada@example.com", mail.To)
	assert.Equal(t, id, mail.IdentityID)
	assert.Equal(t, jobID, mail.JobID)
	assert.Equal(t, s.seed.TenantID, mail.TenantID)
	assert.Equal(t, s.seed.RealmID, mail.RealmID)
	assert.True(t, strings.HasPrefix(mail.Link, s.url+jobsPath(s, id)+"/"+jobID+":invokeAuthenticator?token="), mail.Link)
	tok, _ := url.Parse(mail.Link)
	token := tok.Query().Get("token")
	assert.Len(t, token, 64)

	loc := openLink(t, s, mail.Link, http.StatusFound)
	u, err := url.Parse(loc)
	require.NoError(t, err)
	assert.Equal(t, "http://localhost:3000/bind", u.Scheme+"://"+u.Host+u.Path)
	assert.Equal(t, url.Values{
		"api_base_url": {s.url}, "tenant_id": {s.seed.TenantID}, "realm_id": {s.seed.RealmID},
		"identity_id": {id}, "job_id": {jobID}, "token": {token},
	}, u.Query())
	got := s.mustDo(200, "GET", jobsPath(s, id)+"/"+jobID, nil)
	assert.Equal(t, "LINK_OPENED", got["state"])
	assert.Equal(t, "PENDING", s.mustDo(200, "GET", s.realm("identities/"+id), nil)["enrollment_status"])

	// Complete from the /bind redirect.
	b, err := s.e.CompleteBinding(t.Context(), loc)
	require.NoError(t, err)
	assert.Equal(t, jobID, b.JobID)
	got = s.mustDo(200, "GET", jobsPath(s, id)+"/"+jobID, nil)
	assert.Equal(t, "COMPLETE", got["state"])
	assert.Equal(t, b.CredentialID, got["credential_id"])
	// The link is spent.
	openLink(t, s, mail.Link, http.StatusGone)
	_, err = s.e.CompleteBinding(t.Context(), mail.Link)
	assert.ErrorIs(t, err, ErrJobNotPending)
}

func TestCompleteBindingOnReturnLink(t *testing.T) {
	s := newServer(t, Config{})
	id := s.createIdentity("ada", "")
	m := s.mustDo(200, "POST", jobsPath(s, id), map[string]any{"job": map[string]any{
		"delivery_method": "RETURN", "authenticator_config_id": s.seed.AuthenticatorConfigID, "post_binding_redirect_uri": "https://app.example/done"}})
	link := m["credential_binding_link"].(string)
	jobID := m["credential_binding_job"].(map[string]any)["id"].(string)

	// Opening a RETURN link answers JSON and marks it opened.
	openLink(t, s, link, http.StatusOK)
	assert.Equal(t, "LINK_OPENED", s.mustDo(200, "GET", jobsPath(s, id)+"/"+jobID, nil)["state"])
	// A wrong token is not found.
	openLink(t, s, link[:len(link)-3]+"xyz", http.StatusNotFound)
	_, err := s.e.CompleteBinding(t.Context(), link[:len(link)-3]+"xyz")
	assert.ErrorIs(t, err, ErrInvalidLink)

	b, err := s.e.CompleteBinding(t.Context(), link)
	require.NoError(t, err)
	assert.Equal(t, Binding{TenantID: s.seed.TenantID, RealmID: s.seed.RealmID, IdentityID: id, JobID: jobID,
		CredentialID: b.CredentialID, PostBindingRedirectURI: "https://app.example/done", PrivateKey: b.PrivateKey}, *b)

	cred := s.mustDo(200, "GET", s.realm("identities/"+id+"/credentials/"+b.CredentialID), nil)
	assert.Equal(t, "ACTIVE", cred["state"])
	assert.Equal(t, "JWT", cred["csr_type"])
	assert.Equal(t, id, cred["identity_id"])
	assert.Equal(t, s.seed.RealmID, cred["realm_id"])
	assert.Equal(t, s.seed.TenantID, cred["tenant_id"])

	// jwk_json is a string holding the public key's JWK.
	jwkStr, ok := cred["jwk_json"].(string)
	require.True(t, ok, "jwk_json must be a JSON string")
	var jwk map[string]string
	require.NoError(t, json.Unmarshal([]byte(jwkStr), &jwk))
	assert.Equal(t, "EC", jwk["kty"])
	assert.Equal(t, "P-256", jwk["crv"])
	x, _ := base64.RawURLEncoding.DecodeString(jwk["x"])
	y, _ := base64.RawURLEncoding.DecodeString(jwk["y"])
	pub := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}
	assert.True(t, pub.Equal(b.PrivateKey.Public()), "the JWK is the binding's key")
	// RFC 7638 thumbprint over the required members in lexicographic order.
	canon := fmt.Sprintf(`{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}`, jwk["x"], jwk["y"])
	sum := sha256.Sum256([]byte(canon))
	assert.Equal(t, base64.URLEncoding.EncodeToString(sum[:]), cred["jwk_thumbprint"])

	assert.Equal(t, "ENROLLED", s.mustDo(200, "GET", s.realm("identities/"+id), nil)["enrollment_status"])
	job := s.mustDo(200, "GET", jobsPath(s, id)+"/"+jobID, nil)
	assert.Equal(t, "COMPLETE", job["state"])
	assert.Equal(t, b.CredentialID, job["credential_id"])

	// A completed job cannot be revoked.
	m = s.mustDo(409, "POST", jobsPath(s, id)+"/"+jobID+":revoke", map[string]any{})
	errorOf(t, m, "conflict", "credential binding job already complete")
	assert.Equal(t, "CredentialBindingJob", resourceInfoOf(t, m)["resource_type"])
}

func TestCompleteBindingRejects(t *testing.T) {
	s := newServer(t, Config{})
	id := s.createIdentity("ada", "")
	link := s.createJob(id, "RETURN")["credential_binding_link"].(string)
	for _, bad := range []string{
		"", "not a url", "https://elsewhere.example" + strings.TrimPrefix(link, s.url),
		s.url + "/v1/whatever", "http://localhost:3000/bind?api_base_url=" + url.QueryEscape(s.url) + "&tenant_id=x",
		"http://localhost:3000/bind?api_base_url=https%3A%2F%2Fauth-us.beyondidentity.com&tenant_id=a&realm_id=b&identity_id=c&job_id=d&token=e",
	} {
		_, err := s.e.CompleteBinding(t.Context(), bad)
		assert.ErrorIs(t, err, ErrInvalidLink, bad)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.e.CompleteBinding(ctx, link)
	assert.Error(t, err)

	// Suspended identities cannot bind.
	s.mustDo(200, "PATCH", s.realm("identities/"+id), map[string]any{"identity": map[string]any{"status": "suspended"}})
	_, err = s.e.CompleteBinding(t.Context(), link)
	assert.ErrorIs(t, err, ErrIdentitySuspended)
	s.mustDo(200, "PATCH", s.realm("identities/"+id), map[string]any{"identity": map[string]any{"status": "active"}})

	// Revoked jobs cannot bind; revoking twice is fine.
	jobID := identityJobs(t, s, id)[0]["id"].(string)
	m := s.mustDo(200, "POST", jobsPath(s, id)+"/"+jobID+":revoke", map[string]any{})
	assert.Equal(t, "REVOKED", m["state"])
	st, m := s.send(mustRequest(t, "POST", s.url+jobsPath(s, id)+"/"+jobID+":revoke", "", "", s.token))
	assert.Equal(t, 200, st, "an empty body is accepted too")
	assert.Equal(t, "REVOKED", m["state"])
	_, err = s.e.CompleteBinding(t.Context(), link)
	assert.ErrorIs(t, err, ErrJobNotPending)
	openLink(t, s, link, http.StatusGone)

	m = s.mustDo(404, "POST", jobsPath(s, id)+"/ffffffffffffffff:revoke", map[string]any{})
	assert.Equal(t, "CredentialBindingJob", resourceInfoOf(t, m)["resource_type"])
}

func TestJobExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newMemServer(t, Config{TokenLifetime: 30 * 24 * time.Hour})
		id := s.createIdentity("ada", "")
		m := s.createJob(id, "RETURN")
		link := m["credential_binding_link"].(string)
		jobID := m["credential_binding_job"].(map[string]any)["id"].(string)
		time.Sleep(7*24*time.Hour - time.Second)
		assert.Equal(t, "LINK_SENT", s.mustDo(200, "GET", jobsPath(s, id)+"/"+jobID, nil)["state"])
		time.Sleep(time.Second)
		job := s.mustDo(200, "GET", jobsPath(s, id)+"/"+jobID, nil)
		assert.Equal(t, "EXPIRED", job["state"])
		assert.Equal(t, job["expire_time"], job["update_time"])
		assert.Equal(t, "UNENROLLED", s.mustDo(200, "GET", s.realm("identities/"+id), nil)["enrollment_status"])
		_, err := s.e.CompleteBinding(t.Context(), link)
		assert.ErrorIs(t, err, ErrJobNotPending)
		m = s.mustDo(409, "POST", jobsPath(s, id)+"/"+jobID+":revoke", map[string]any{})
		assert.Equal(t, "credential binding job expired", m["message"])
	})
}

func TestSetJobState(t *testing.T) {
	s := newServer(t, Config{})
	id := s.createIdentity("ada", "")
	jobID := s.createJob(id, "RETURN")["credential_binding_job"].(map[string]any)["id"].(string)
	get := func() map[string]any { return s.mustDo(200, "GET", jobsPath(s, id)+"/"+jobID, nil) }

	require.NoError(t, s.e.SetJobState(jobID, StateRequestDelivered))
	assert.Equal(t, "REQUEST_DELIVERED", get()["state"])
	require.NoError(t, s.e.SetJobState(jobID, StateFailedToSend))
	assert.Equal(t, "FAILED_TO_SEND", get()["state"])
	assert.Equal(t, "INVITE_FAILED", s.mustDo(200, "GET", s.realm("identities/"+id), nil)["enrollment_status"])
	require.NoError(t, s.e.SetJobState(jobID, StateExpired))
	job := get()
	assert.Equal(t, "EXPIRED", job["state"])
	exp, _ := time.Parse(time.RFC3339Nano, job["expire_time"].(string))
	assert.False(t, exp.After(time.Now()))
	require.NoError(t, s.e.SetJobState(jobID, StateLinkSent))
	assert.Equal(t, "LINK_SENT", get()["state"], "a pending state outlives the old expiry")

	assert.Error(t, s.e.SetJobState(jobID, StateComplete))
	assert.Error(t, s.e.SetJobState(jobID, "PENDING"))
	assert.Error(t, s.e.SetJobState("nope", StateExpired))
}

func TestListJobs(t *testing.T) {
	s := newServer(t, Config{})
	a, b := s.createIdentity("a", "a@example.com"), s.createIdentity("b", "")
	j1 := s.createJob(a, "RETURN")["credential_binding_job"].(map[string]any)["id"]
	j2 := s.createJob(b, "RETURN")["credential_binding_job"].(map[string]any)["id"]
	j3 := s.createJob(a, "EMAIL")["credential_binding_job"].(map[string]any)["id"]

	ids := func(jobs []map[string]any) []any {
		var out []any
		for _, j := range jobs {
			out = append(out, j["id"])
		}
		return out
	}
	assert.Equal(t, []any{j1, j2, j3}, ids(identityJobs(t, s, "-")))
	assert.Equal(t, []any{j1, j3}, ids(identityJobs(t, s, a)))
	assert.Equal(t, []any{j2}, ids(identityJobs(t, s, b)))
	m := s.mustDo(200, "GET", jobsPath(s, "ffffffffffffffff"), nil)
	assert.EqualValues(t, 0, m["total_size"])

	m = s.mustDo(200, "GET", jobsPath(s, "-")+"?filter="+url.QueryEscape(`delivery_method eq "EMAIL"`), nil)
	assert.EqualValues(t, 1, m["total_size"])
	require.NoError(t, s.e.SetJobState(j2.(string), StateRevoked))
	m = s.mustDo(200, "GET", jobsPath(s, "-")+"?filter="+url.QueryEscape(`state eq "REVOKED"`), nil)
	assert.EqualValues(t, 1, m["total_size"])
	assert.Equal(t, j2, m["credential_binding_jobs"].([]any)[0].(map[string]any)["id"])
	m = s.mustDo(400, "GET", jobsPath(s, "-")+"?filter="+url.QueryEscape(`identity_id eq "x"`), nil)
	assert.Contains(t, violationsOf(t, m), "filter")

	m = s.mustDo(200, "GET", jobsPath(s, "-")+"?page_size=2", nil)
	assert.Len(t, m["credential_binding_jobs"], 2)
	assert.EqualValues(t, 3, m["total_size"])
	// A page token of the realm-wide list is not valid for one identity.
	m = s.mustDo(400, "GET", jobsPath(s, a)+"?page_token="+url.QueryEscape(m["next_page_token"].(string)), nil)
	assert.Contains(t, violationsOf(t, m), "page_token")
}

func TestBatchJobs(t *testing.T) {
	s := newServer(t, Config{BatchQueueLimit: 5})
	a, b, c := s.createIdentity("a", "a@example.com"), s.createIdentity("b", ""), s.createIdentity("c", "c@example.com")
	p := s.realm("batch-credential-binding-jobs")
	body := func(ids ...string) map[string]any {
		return map[string]any{"batch_credential_binding_job": map[string]any{
			"identity_ids": ids,
			"job_template": map[string]any{"authenticator_config_id": s.seed.AuthenticatorConfigID, "post_binding_redirect_uri": "https://app.example/done"},
		}}
	}
	m := s.mustDo(200, "POST", p, body(a, b, c, "ffffffffffffffff"))
	batchID := m["id"].(string)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, batchID)
	assert.Equal(t, "RUNNING", m["state"])
	assert.Equal(t, []any{a, b, c, "ffffffffffffffff"}, m["identity_ids"])
	assert.Equal(t, map[string]any{"errors": map[string]any{
		b:                  map[string]any{"last_error": "Identity missing email address", "failed_permanently": false},
		"ffffffffffffffff": map[string]any{"last_error": "identity not found", "failed_permanently": false},
	}}, m["state_commentary"])
	tmpl := m["job_template"].(map[string]any)
	assert.Equal(t, s.seed.AuthenticatorConfigID, tmpl["authenticator_config_id"])
	assert.Equal(t, "https://app.example/done", tmpl["post_binding_redirect_uri"])
	assert.NotEmpty(t, tmpl["expire_time"])

	out := s.e.Outbox()
	require.Len(t, out, 2)
	assert.Equal(t, []string{"a@example.com", "c@example.com"}, []string{out[0].To, out[1].To})
	assert.Equal(t, batchID, out[0].BatchID)

	m = s.mustDo(200, "GET", p+"/"+batchID, nil)
	assert.Equal(t, "PARTIAL_SUCCESS", m["state"])
	assert.Equal(t, true, m["state_commentary"].(map[string]any)["errors"].(map[string]any)[b].(map[string]any)["failed_permanently"])

	jobs := identityJobs(t, s, a)
	require.Len(t, jobs, 1)
	assert.Equal(t, batchID, jobs[0]["batch_id"])
	assert.Equal(t, "EMAIL", jobs[0]["delivery_method"])

	// Results: one complete, one pending.
	_, err := s.e.CompleteBinding(t.Context(), out[0].Link)
	require.NoError(t, err)
	m = s.mustDo(200, "GET", p+"/"+batchID+":listResults", nil)
	assert.Len(t, m["job_results"], 2)
	assert.EqualValues(t, 2, m["total_size"])
	assert.EqualValues(t, 1, m["total_success_count"])
	assert.EqualValues(t, 1, m["total_pending_count"])
	assert.EqualValues(t, 0, m["total_failure_count"])

	// Queue limit: one pending batch job of 5 is queued; 5 more overflow.
	ids := []string{}
	for i := range 5 {
		ids = append(ids, s.createIdentity(fmt.Sprint("q", i), fmt.Sprintf("q%d@example.com", i)))
	}
	req := mustRequest(t, "POST", s.url+p, mustJSON(t, body(ids...)), "application/json", s.token)
	resp, err := s.hc.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, "5", resp.Header.Get("RateLimit-Limit"))
	assert.Equal(t, "4", resp.Header.Get("RateLimit-Remaining"))
	// All failing: FAILED.
	m = s.mustDo(200, "POST", p, body(b))
	assert.Equal(t, "FAILED", s.mustDo(200, "GET", p+"/"+m["id"].(string), nil)["state"])

	m = s.mustDo(429, "POST", p, body(ids...))
	errorOf(t, m, "too_many_requests", "Maximum queue sized reached. Maximum: 5 Current Total: 1 Overage: 1")
	m = s.mustDo(200, "POST", p, body(ids[:4]...))
	assert.Equal(t, "SUCCESS", s.mustDo(200, "GET", p+"/"+m["id"].(string), nil)["state"])
	assert.NotContains(t, s.mustDo(200, "GET", p+"/"+m["id"].(string), nil), "state_commentary")

	for name, tc := range map[string]struct {
		body any
		want map[string]string
	}{
		"empty":      {body(), map[string]string{"batch_credential_binding_job.identity_ids": "must hold at least 1 ID"}},
		"too many":   {body(manyIDs(1001)...), map[string]string{"batch_credential_binding_job.identity_ids": "must hold at most 1000 IDs"}},
		"duplicates": {body(a, a), map[string]string{"batch_credential_binding_job.identity_ids": "duplicate ID " + a}},
		"no template": {map[string]any{"batch_credential_binding_job": map[string]any{"identity_ids": []string{a}}},
			map[string]string{"batch_credential_binding_job.job_template": "missing"}},
		"no config": {map[string]any{"batch_credential_binding_job": map[string]any{"identity_ids": []string{a}, "job_template": map[string]any{}}},
			map[string]string{"batch_credential_binding_job.job_template.authenticator_config_id": "empty string"}},
	} {
		t.Run(name, func(t *testing.T) {
			m := s.mustDo(400, "POST", p, tc.body)
			assert.Equal(t, tc.want, violationsOf(t, m))
		})
	}
	m = s.mustDo(404, "GET", p+"/00000000-0000-4000-8000-000000000000", nil)
	assert.Equal(t, "BatchCredentialBindingJob", resourceInfoOf(t, m)["resource_type"])
	s.mustDo(404, "GET", p+"/00000000-0000-4000-8000-000000000000:listResults", nil)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestCredentials(t *testing.T) {
	s := newServer(t, Config{})
	a, b := s.createIdentity("a", ""), s.createIdentity("b", "")
	var creds []string
	for _, id := range []string{a, b, a} {
		bd, err := s.e.CompleteBinding(t.Context(), s.createJob(id, "RETURN")["credential_binding_link"].(string))
		require.NoError(t, err)
		creds = append(creds, bd.CredentialID)
	}
	list := func(who string) []any {
		m := s.mustDo(200, "GET", s.realm("identities/"+who+"/credentials"), nil)
		var ids []any
		for _, c := range m["credentials"].([]any) {
			ids = append(ids, c.(map[string]any)["id"])
		}
		assert.EqualValues(t, len(ids), m["total_size"])
		return ids
	}
	assert.Equal(t, []any{creds[0], creds[1], creds[2]}, list("-"))
	assert.Equal(t, []any{creds[0], creds[2]}, list(a))
	assert.Nil(t, list("ffffffffffffffff"))

	p := s.realm("identities/" + a + "/credentials/" + creds[0])
	m := s.mustDo(404, "GET", s.realm("identities/"+b+"/credentials/"+creds[0]), nil)
	errorOf(t, m, "not_found", "credential not found")
	assert.Equal(t, "Credential", resourceInfoOf(t, m)["resource_type"])

	// :revoke takes no body.
	st, m := s.do("POST", p+":revoke", map[string]any{})
	assert.Equal(t, 415, st)
	assert.Equal(t, "unsupported_media_type", m["code"])
	st, m = s.send(mustRequest(t, "POST", s.url+p+":revoke", "", "", s.token))
	require.Equal(t, 200, st, "%v", m)
	assert.Equal(t, "REVOKED", m["state"])
	assert.NotEqual(t, m["create_time"], "")
	assert.Equal(t, "REVOKED", s.mustDo(200, "GET", p, nil)["state"])
	st, m = s.send(mustRequest(t, "POST", s.url+p+":revoke", "", "", s.token))
	assert.Equal(t, 200, st)
	assert.Equal(t, "REVOKED", m["state"])
	st, m = s.send(mustRequest(t, "POST", s.url+s.realm("identities/"+a+"/credentials/nope:revoke"), "", "", s.token))
	assert.Equal(t, 404, st)
	assert.Equal(t, "Credential", resourceInfoOf(t, m)["resource_type"])
	// Still enrolled through the other credential.
	assert.Equal(t, "ENROLLED", s.mustDo(200, "GET", s.realm("identities/"+a), nil)["enrollment_status"])
}
