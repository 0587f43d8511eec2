package fakeapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// generated builds a request the way a client generated from the spec
// sends it: Content-Type and Accept application/json whatever the
// operation, the bearer token, and the body if any.
func (s *tserver) generated(method, path, body string) *http.Request {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.token)
	return req
}

// TestBodilessPostsOfAGeneratedClient: an operation that declares no
// request body, or an optional one, is served when the request has none,
// whatever its Content-Type says.
func TestBodilessPostsOfAGeneratedClient(t *testing.T) {
	s := newServer(t, Config{})
	id := s.createIdentity("ada", "")
	bd, err := s.e.CompleteBinding(t.Context(), s.createJob(id, "RETURN")["credential_binding_link"].(string))
	require.NoError(t, err)
	revoke := s.realm("identities/" + id + "/credentials/" + bd.CredentialID + ":revoke")

	// RevokeCredential declares no body and no 415.
	st, m := s.send(s.generated("POST", revoke, ""))
	require.Equal(t, 200, st, "%v", m)
	assert.Equal(t, "REVOKED", m["state"])
	req := s.generated("POST", revoke, "")
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.ContentLength = 0
	st, _ = s.send(req)
	assert.Equal(t, 200, st)
	req = s.generated("POST", revoke, "")
	req.Header.Set("Content-Type", "text/plain")
	st, _ = s.send(req)
	assert.Equal(t, 200, st, "no body, nothing to refuse")
	// A body is still refused, as a validating proxy of the spec does.
	st, m = s.send(s.generated("POST", revoke, "{}"))
	assert.Equal(t, 415, st)
	assert.Equal(t, "unsupported_media_type", m["code"])

	// SetCredentialBindingJobRevoked declares an optional (empty) body.
	job := s.createJob(id, "RETURN")["credential_binding_job"].(map[string]any)["id"].(string)
	st, m = s.send(s.generated("POST", jobsPath(s, id)+"/"+job+":revoke", ""))
	require.Equal(t, 200, st, "%v", m)
	assert.Equal(t, "REVOKED", m["state"])
	job = s.createJob(id, "RETURN")["credential_binding_job"].(map[string]any)["id"].(string)
	st, m = s.send(s.generated("POST", jobsPath(s, id)+"/"+job+":revoke", "{}"))
	require.Equal(t, 200, st, "%v", m)
}

// TestGetJobFilter: GetCredentialBindingJob's filter (state,
// delivery_method) is applied: a job that does not match is not found.
func TestGetJobFilter(t *testing.T) {
	s := newServer(t, Config{})
	id := s.createIdentity("ada", "ada@example.com")
	job := s.createJob(id, "EMAIL")["credential_binding_job"].(map[string]any)
	p := jobsPath(s, id) + "/" + job["id"].(string)
	q := func(f string) string { return p + "?filter=" + url.QueryEscape(f) }

	for _, f := range []string{`state eq "LINK_SENT"`, `delivery_method eq "EMAIL"`, `STATE EQ "LINK_SENT"`, ""} {
		assert.Equal(t, job, s.mustDo(200, "GET", q(f), nil), f)
	}
	for _, f := range []string{`state eq "COMPLETE"`, `delivery_method eq "RETURN"`, `state eq "link_sent"`} {
		m := s.mustDo(404, "GET", q(f), nil)
		errorOf(t, m, "not_found", "credential binding job not found")
		assert.Equal(t, job["id"], resourceInfoOf(t, m)["id"], f)
	}
	require.NoError(t, s.e.SetJobState(job["id"].(string), StateRevoked))
	s.mustDo(200, "GET", q(`state eq "REVOKED"`), nil)
	for _, f := range []string{`identity_id eq "x"`, `state co "LINK"`, `state eq LINK_SENT`, `state eq "A" or state eq "B"`, `state`} {
		m := s.mustDo(400, "GET", q(f), nil)
		assert.Contains(t, violationsOf(t, m), "filter", f)
	}
	// An unknown job is not found before the filter is applied; a
	// malformed filter is refused first.
	s.mustDo(404, "GET", jobsPath(s, id)+"/ffffffffffffffff?filter="+url.QueryEscape(`state eq "LINK_SENT"`), nil)
	s.mustDo(400, "GET", jobsPath(s, id)+"/ffffffffffffffff?filter=junk", nil)
}

// TestListConfigsFilter: ListAuthenticatorConfigs declares a filter; the
// fake applies eq on id, display_name and config.type.
func TestListConfigsFilter(t *testing.T) {
	s := newServer(t, Config{})
	p := s.realm("authenticator-configs")
	plat := s.mustDo(200, "POST", p, map[string]any{"authenticator_config": map[string]any{"display_name": "Platform", "config": map[string]any{"type": "platform"}}})["id"].(string)
	s.mustDo(200, "POST", p, map[string]any{"authenticator_config": map[string]any{"display_name": "Platform 2", "config": map[string]any{"type": "platform"}}})
	q := func(f string) string { return p + "?filter=" + url.QueryEscape(f) }

	m := s.mustDo(200, "GET", q(`config.type eq "platform"`), nil)
	assert.EqualValues(t, 2, m["total_size"])
	m = s.mustDo(200, "GET", q(`config.type eq "embedded"`), nil)
	assert.Equal(t, []string{s.seed.AuthenticatorConfigID}, ids(t, m, "authenticator_configs"))
	m = s.mustDo(200, "GET", q(`display_name eq "Platform"`), nil)
	assert.Equal(t, []string{plat}, ids(t, m, "authenticator_configs"))
	m = s.mustDo(200, "GET", q(`id eq "`+plat+`"`), nil)
	assert.Equal(t, []string{plat}, ids(t, m, "authenticator_configs"))
	m = s.mustDo(200, "GET", q(`display_name eq "nothing"`), nil)
	assert.Equal(t, map[string]any{"authenticator_configs": []any{}, "total_size": float64(0)}, m)

	m = s.mustDo(200, "GET", q(`config.type eq "platform"`)+"&page_size=1", nil)
	assert.Equal(t, []string{plat}, ids(t, m, "authenticator_configs"))
	tok := url.QueryEscape(m["next_page_token"].(string))
	m = s.mustDo(200, "GET", q(`config.type eq "platform"`)+"&page_token="+tok, nil)
	assert.Len(t, m["authenticator_configs"], 1)
	m = s.mustDo(400, "GET", p+"?page_token="+tok, nil)
	assert.Contains(t, violationsOf(t, m), "filter")

	for _, f := range []string{`realm_id eq "x"`, `display_name co "Plat"`, `display_name eq Platform`} {
		m := s.mustDo(400, "GET", q(f), nil)
		assert.Contains(t, violationsOf(t, m), "filter", f)
	}
}
