package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// call sends a request to bifake and returns the status and decoded body.
func call(t *testing.T, method, u, tok, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	require.NoError(t, err)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	if len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, &out), string(b))
	}
	return resp.StatusCode, out
}

func TestDeviceEndpoints(t *testing.T) {
	in, stop := startRun(t)
	defer func() { assert.NoError(t, stop()) }()
	tok := getToken(t, in)
	realm := in.URL + "/v1/tenants/" + in.TenantID + "/realms/" + in.RealmID

	st, idn := call(t, "POST", realm+"/identities", tok,
		`{"identity":{"display_name":"Ada","traits":{"type":"traits_v0","username":"ada"}}}`)
	require.Equal(t, 200, st, idn)
	identityID := idn["id"].(string)
	newJob := func() (id, link string) {
		st, res := call(t, "POST", realm+"/identities/"+identityID+"/credential-binding-jobs", tok,
			`{"job":{"delivery_method":"RETURN","authenticator_config_id":"`+in.AuthenticatorConfigID+`"}}`)
		require.Equal(t, 200, st, res)
		return res["credential_binding_job"].(map[string]any)["id"].(string), res["credential_binding_link"].(string)
	}

	jobID, link := newJob()
	body, _ := json.Marshal(map[string]string{"link": link})
	st, b := call(t, "POST", in.URL+"/bifake/complete-binding", "", string(body))
	require.Equal(t, 200, st, b)
	assert.Equal(t, jobID, b["job_id"])
	assert.Equal(t, identityID, b["identity_id"])
	credID, _ := b["credential_id"].(string)
	require.NotEmpty(t, credID)

	st, job := call(t, "GET", realm+"/identities/"+identityID+"/credential-binding-jobs/"+jobID, tok, "")
	require.Equal(t, 200, st)
	assert.Equal(t, "COMPLETE", job["state"])
	assert.Equal(t, credID, job["credential_id"])
	st, cred := call(t, "GET", realm+"/identities/"+identityID+"/credentials/"+credID, tok, "")
	require.Equal(t, 200, st)
	assert.Equal(t, "ACTIVE", cred["state"])

	// The link is spent: the job is no longer pending.
	st, b = call(t, "POST", in.URL+"/bifake/complete-binding", "", string(body))
	assert.Equal(t, 409, st, b)
	st, b = call(t, "POST", in.URL+"/bifake/complete-binding", "", `{"link":"https://elsewhere.example/x"}`)
	assert.Equal(t, 400, st, b)
	assert.NotEmpty(t, b["error"])
	st, _ = call(t, "POST", in.URL+"/bifake/complete-binding", "", `not json`)
	assert.Equal(t, 400, st)

	jobID2, _ := newJob()
	st, _ = call(t, "POST", in.URL+"/bifake/job-state", "", `{"job_id":"`+jobID2+`","state":"EXPIRED"}`)
	assert.Equal(t, 204, st)
	st, job = call(t, "GET", realm+"/identities/"+identityID+"/credential-binding-jobs/"+jobID2, tok, "")
	require.Equal(t, 200, st)
	assert.Equal(t, "EXPIRED", job["state"])
	st, _ = call(t, "POST", in.URL+"/bifake/job-state", "", `{"job_id":"`+jobID2+`","state":"NOPE"}`)
	assert.Equal(t, 400, st)

	st, _ = call(t, "GET", in.URL+"/bifake/complete-binding", "", "")
	assert.Equal(t, 405, st)
	st, _ = call(t, "POST", in.URL+"/bifake/other", "", `{}`)
	assert.Equal(t, 404, st)
}
