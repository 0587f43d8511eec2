package contract

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseViolations reads complete sl-violations headers and the ones
// Prism cut short.
func TestParseViolations(t *testing.T) {
	full := `[{"location":["request","header"],"severity":"Error","code":"required","message":"a"},` +
		`{"location":["response","body","x",0],"severity":"Warning","message":"b"}]`
	vs, complete := parseViolations(full)
	assert.True(t, complete)
	require.Len(t, vs, 2)
	assert.Equal(t, "[Error required at request.header] a", vs[0].String())
	assert.Equal(t, "response.body.x.0", vs[1].where())

	// Cut inside the second violation: the first is kept.
	vs, complete = parseViolations(tooMany + full[:len(full)/2+20])
	assert.False(t, complete)
	require.Len(t, vs, 1)
	assert.Equal(t, "a", vs[0].Message)

	// Cut after a whole list, as Prism does when it is just too long.
	vs, complete = parseViolations(tooMany + full)
	assert.False(t, complete)
	assert.Len(t, vs, 2)

	vs, complete = parseViolations("not JSON")
	assert.False(t, complete)
	assert.Empty(t, vs)
}

// TestReadVerdictCut shows that a list Prism cut short is completed by the
// list of Prism's own answer when it has one, and fails the exchange
// otherwise.
func TestReadVerdictCut(t *testing.T) {
	v := violation{Location: locPath{"response", "body", "x"}, Severity: "Error", Code: json.RawMessage(`"type"`), Message: "x must be string"}
	w := violation{Location: locPath{"response", "body", "y"}, Severity: "Error", Code: json.RawMessage(`"type"`), Message: "y must be string"}
	one, err := json.Marshal([]violation{v})
	require.NoError(t, err)
	h := http.Header{}
	h.Set("sl-violations", tooMany+string(one[:len(one)-1])+`,{"loca`)

	problem, err := json.Marshal(prismProblem{Type: prismErrors + "VIOLATIONS", Validation: []violation{v, w}})
	require.NoError(t, err)
	h.Set("Content-Type", "application/problem+json")
	vd := readVerdict(h, problem)
	assert.Equal(t, "VIOLATIONS", vd.problem)
	var codes []string
	for _, x := range vd.violations {
		codes = append(codes, x.codeString())
	}
	assert.NotContains(t, codes, "cut", "Prism's answer lists every error")
	j := judge("CreateIdentity", vd.violations, nil, nil, 0)
	assert.Len(t, j.unexpected, 2, "listed twice, counted once")

	h.Set("Content-Type", "application/json")
	vd = readVerdict(h, []byte(`{}`))
	codes = codes[:0]
	for _, x := range vd.violations {
		codes = append(codes, x.codeString())
	}
	assert.Equal(t, []string{"type", "cut"}, codes, "what the cut hid is unknown: not excused")
}

// TestAllowanceStatus shows that an allowance with a status excuses the
// violation for an answer of that status only.
func TestAllowanceStatus(t *testing.T) {
	a := undocumentedStatus("getIdentityProvider", http.StatusNotFound, "test")
	v := violation{Location: locPath{"response"}, Severity: "Warning",
		Message: "Unable to match the returned status code with those defined in the document: 200,400,401,403,500"}
	ok, _ := a.match("getIdentityProvider", v, nil, nil, http.StatusNotFound)
	assert.True(t, ok)
	ok, _ = a.match("getIdentityProvider", v, nil, nil, http.StatusConflict)
	assert.False(t, ok)
	ok, _ = a.match("getIdentityProvider", v, nil, nil, 0)
	assert.False(t, ok, "no answer, no status")
	ok, _ = a.match("updateIdentityProvider", v, nil, nil, http.StatusNotFound)
	assert.False(t, ok)
}

// TestCheckerReroutes shows the routes the checker takes after violations
// the allow-list excuses, and that those allowances excuse their defects
// only. Its findings go to a recorder and to stats of its own.
func TestCheckerReroutes(t *testing.T) {
	requireEnv(t)
	rec := &recorder{}
	st := newStats()

	t.Run("proxy: a refused request's answer is still checked", func(t *testing.T) {
		chk := &checker{t: rec, mode: modeProxy, base: transport, st: st}
		c, _ := proxyClient(t)
		c2, err := bi.NewClient(bi.WithTenant(env.fake.TenantID), bi.WithRealm(env.fake.RealmID),
			bi.WithBaseURLs(env.proxyURL.String(), env.fake.URL), bi.WithAPIToken(fakeToken(t)),
			bi.WithHTTPClient(&http.Client{Transport: chk}), bi.WithRetryPolicy(bi.RetryPolicy{MaxRetries: -1}))
		require.NoError(t, err)
		// Every SSO config request lacks x-correlation_id (S1): Prism
		// refuses it, and the answer-checking proxy forwards it.
		cfg, err := c2.SSOConfigs.Create(t.Context(), &bi.CreateSSOConfigRequest{DisplayName: unique("Reroute "),
			Payload: &bi.BookmarkSSOPayload{LoginLink: "https://wiki.example/login"}})
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, chk.Last().Status)
		assert.Empty(t, rec.take())
		assert.Contains(t, strings.Join(st.reroutes(), "\n"), "proxy CreateSsoConfig: answer-checking proxy")

		// A bookmark payload that breaks its own variant is no defect of
		// the spec (S3 excuses three other kinds): reported.
		hc := &http.Client{Transport: &checker{t: rec, mode: modeProxy, base: transport, st: st}}
		status, _ := rawRequest(t, hc, http.MethodPost, "/realms/"+env.fake.RealmID+"/sso-configs", map[string]any{
			"sso_config": map[string]any{"display_name": "Bad", "payload": map[string]any{"type": "bookmark", "login_link": 5}},
		})
		assert.Equal(t, http.StatusUnprocessableEntity, status, "Prism refused it")
		got := rec.take()
		assert.Contains(t, got, "oneOf at request.body.sso_config.payload")
		assert.NotContains(t, got, "x-correlation_id", "S1 is still excused")
		require.NoError(t, c.SSOConfigs.Delete(t.Context(), cfg.ID))
	})
	t.Run("mock: a request is sent again as the spec declares it", func(t *testing.T) {
		chk := &checker{t: rec, mode: modeMock, base: transport, st: st}
		c, err := bi.NewClient(bi.WithTenant("000176d94fd7b4d1"), bi.WithRealm("8f5bec58229e6f29"),
			bi.WithBaseURLs(env.mockURL.String(), env.mockURL.String()), bi.WithAPIToken("mock-token"),
			bi.WithHTTPClient(&http.Client{Transport: chk}), bi.WithRetryPolicy(bi.RetryPolicy{MaxRetries: -1}))
		require.NoError(t, err)
		// A flat SCIM body (C1): the mock is sent it wrapped.
		_, err = c.SCIM.Groups.Create(withPrefer(t.Context(), "code=201"), &bi.SCIMGroup{DisplayName: "Test Group"})
		require.NoError(t, err)
		assert.Equal(t, http.StatusCreated, chk.Last().Status)
		// A path parameter the path lacks (S2): no form meets the spec,
		// the mock's refusal stands.
		_, err = c.SSOConfigs.ListForIdentity(withPrefer(t.Context(), "code=200"), mID, nil)
		var ae *bi.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
		assert.Empty(t, rec.take())
		reroutes := strings.Join(st.reroutes(), "\n")
		assert.Contains(t, reroutes, "mock SCIMCreateGroup: mock, the request as the spec declares it")
		assert.NotContains(t, reroutes, "ListSsoConfigsForIdentity")
	})
}

// reroutes lists the reroutes the stats recorded.
func (s *stats) reroutes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.rerouted {
		out = append(out, k)
	}
	return out
}
