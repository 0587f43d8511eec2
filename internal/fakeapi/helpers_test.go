package fakeapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/passkeyhq/beyondidentity/internal/memtransport"
	"github.com/stretchr/testify/require"
)

// tserver is an engine behind a real loopback server (or in memory), with a
// token of the seeded application.
type tserver struct {
	t     *testing.T
	e     *Engine
	url   string
	hc    *http.Client
	seed  Seeded
	token string
}

func newServer(t *testing.T, cfg Config) *tserver {
	t.Helper()
	e := New(cfg)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	e.SetOrigin(srv.URL)
	s := &tserver{t: t, e: e, url: srv.URL, hc: srv.Client(), seed: e.Seeded()}
	s.token = s.fetchToken(nil)
	return s
}

// newMemServer serves the engine in memory (for synctest bubbles).
func newMemServer(t *testing.T, cfg Config) *tserver {
	t.Helper()
	e := New(cfg)
	s := &tserver{t: t, e: e, url: PlaceholderOrigin, hc: memtransport.Client(e), seed: e.Seeded()}
	s.token = s.fetchToken(nil)
	return s
}

func basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}

func (s *tserver) tokenPath() string {
	return "/v1/tenants/" + s.seed.TenantID + "/realms/" + s.seed.AdminRealmID + "/applications/" + s.seed.ApplicationID + "/token"
}

// fetchToken gets a token with Basic credentials and extra form values.
func (s *tserver) fetchToken(extra url.Values) string {
	s.t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	for k, v := range extra {
		form[k] = v
	}
	st, body := s.form(s.tokenPath(), form, basic(s.seed.ClientID, s.seed.ClientSecret))
	require.Equal(s.t, 200, st, "token: %v", body)
	return body["access_token"].(string)
}

// form posts a form with an Authorization header (may be "").
func (s *tserver) form(path string, form url.Values, auth string) (int, map[string]any) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.url+path, strings.NewReader(form.Encode()))
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return s.send(req)
}

// realm returns the escaped path of a resource of the user realm.
func (s *tserver) realm(rest string) string {
	return "/v1/tenants/" + s.seed.TenantID + "/realms/" + s.seed.RealmID + "/" + rest
}

func (s *tserver) admin(rest string) string {
	return "/v1/tenants/" + s.seed.TenantID + "/realms/" + s.seed.AdminRealmID + "/" + rest
}

// do sends a request with the server's token and a JSON body (a string is
// sent as is; nil sends no body) and decodes a JSON answer. It sends the
// headers a client generated from the spec may send on any request, body
// or not: Content-Type and Accept application/json.
func (s *tserver) do(method, path string, body any) (int, map[string]any) {
	s.t.Helper()
	return s.doToken(s.token, method, path, body)
}

func (s *tserver) doToken(token, method, path string, body any) (int, map[string]any) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		var b []byte
		if str, ok := body.(string); ok {
			b = []byte(str)
		} else {
			var err error
			b, err = json.Marshal(body)
			require.NoError(s.t, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return s.send(req)
}

// send sends a request and decodes the JSON answer (nil for an empty body).
func (s *tserver) send(req *http.Request) (int, map[string]any) {
	s.t.Helper()
	resp, err := s.hc.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	if len(b) == 0 {
		return resp.StatusCode, nil
	}
	require.Equal(s.t, "application/json", resp.Header.Get("Content-Type"), "body %s", b)
	var m map[string]any
	require.NoError(s.t, json.Unmarshal(b, &m), "body %s", b)
	return resp.StatusCode, m
}

// mustDo is do that requires a status.
func (s *tserver) mustDo(want int, method, path string, body any) map[string]any {
	s.t.Helper()
	st, m := s.do(method, path, body)
	require.Equal(s.t, want, st, "%s %s: %v", method, path, m)
	return m
}

// createIdentity creates an identity and returns its ID.
func (s *tserver) createIdentity(username, email string) string {
	s.t.Helper()
	traits := map[string]any{"type": "traits_v0", "username": username}
	if email != "" {
		traits["primary_email_address"] = email
	}
	m := s.mustDo(200, "POST", s.realm("identities"), map[string]any{"identity": map[string]any{"display_name": username, "traits": traits}})
	return m["id"].(string)
}

// createJob creates a binding job with the seeded config and returns the
// create answer.
func (s *tserver) createJob(identityID, delivery string) map[string]any {
	s.t.Helper()
	return s.mustDo(200, "POST", s.realm("identities/"+identityID+"/credential-binding-jobs"),
		map[string]any{"job": map[string]any{"delivery_method": delivery, "authenticator_config_id": s.seed.AuthenticatorConfigID}})
}

// errorOf checks an API error body and returns its details.
func errorOf(t *testing.T, m map[string]any, code, message string) []any {
	t.Helper()
	require.Equal(t, code, m["code"], "%v", m)
	if message != "" {
		require.Equal(t, message, m["message"], "%v", m)
	}
	d, _ := m["details"].([]any)
	return d
}

// violations returns the field violations of a 400 body as field → description.
func violationsOf(t *testing.T, m map[string]any) map[string]string {
	t.Helper()
	d := errorOf(t, m, "bad_request", "invalid parameters")
	require.Len(t, d, 1, "%v", m)
	det := d[0].(map[string]any)
	require.Equal(t, "FieldViolations", det["type"])
	out := map[string]string{}
	for _, fv := range det["field_violations"].([]any) {
		f := fv.(map[string]any)
		out[f["field"].(string)] = f["description"].(string)
	}
	return out
}

// resourceInfoOf returns the single ResourceInfo detail of an error body.
func resourceInfoOf(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	d, _ := m["details"].([]any)
	require.Len(t, d, 1, "%v", m)
	det := d[0].(map[string]any)
	require.Equal(t, "ResourceInfo", det["type"])
	return det
}

func decodeJWTPart(t *testing.T, part string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(part)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func mustRequest(t *testing.T, method, u, body, contentType, token string) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}
