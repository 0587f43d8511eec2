package beyondidentity

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// FuzzAuthenticatorConfigJSON decodes arbitrary input as an authenticator
// config: it never panics, and whatever decodes encodes again to a stable
// form (encode(decode(x)) is a fixed point).
func FuzzAuthenticatorConfigJSON(f *testing.F) {
	for _, c := range []string{acEmbeddedJSON, acHostedWebJSON, acConsoleIDPJSON, acConsoleNoneJSON, acPlatformJSON, acUnknownJSON, `null`, `{}`, `{"type":""}`} {
		f.Add([]byte(acConfigJSON(c)))
	}
	f.Add([]byte(`{"config":{"type":"platform","roaming_auth_config":{"allow_unknow_user":true}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c AuthenticatorConfig
		if json.Unmarshal(data, &c) != nil {
			return
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("decoded %q but cannot encode it: %v", data, err)
		}
		var c2 AuthenticatorConfig
		if err := json.Unmarshal(out, &c2); err != nil {
			t.Fatalf("cannot decode own output %s: %v", out, err)
		}
		out2, err := json.Marshal(c2)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != string(out2) {
			t.Fatalf("unstable encoding:\n%s\n%s", out, out2)
		}
	})
}

// FuzzBindingJobJSON does the same for binding jobs, batch jobs and the
// create envelope.
func FuzzBindingJobJSON(f *testing.F) {
	f.Add([]byte(bjJobJSON(BindingJobStateComplete, DeliveryMethodEmail)))
	f.Add([]byte(`{"id":"j","authenticator_config":{"config":` + acEmbeddedJSON + `}}`))
	f.Add([]byte(`{"identity_ids":["a"],"job_template":{"authenticator_config":{"config":` + acPlatformJSON + `}},"state_commentary":{"errors":{"a":{"last_error":"x"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var j BindingJob
		if json.Unmarshal(data, &j) == nil {
			out, err := json.Marshal(j)
			if err != nil {
				t.Fatalf("decoded %q but cannot encode it: %v", data, err)
			}
			var j2 BindingJob
			if err := json.Unmarshal(out, &j2); err != nil {
				t.Fatalf("cannot decode own output %s: %v", out, err)
			}
		}
		var b BatchBindingJob
		if json.Unmarshal(data, &b) == nil {
			if _, err := json.Marshal(b); err != nil {
				t.Fatalf("decoded %q but cannot encode it: %v", data, err)
			}
		}
		var e createBindingJobResponse
		_ = json.Unmarshal(data, &e)
	})
}

// FuzzRedactBindingJobLink checks that printing a create result never
// shows the link's token, whatever the rest of the link looks like.
func FuzzRedactBindingJobLink(f *testing.F) {
	f.Add("https://auth-us.beyondidentity.com/v1/tenants/t/realms/r/identities/i/credential-binding-jobs/j:invokeAuthenticator", "tok_abcdefgh12345678")
	f.Add("http://localhost:3000/bind?api_base_url=https%3A%2F%2Fauth-us.beyondidentity.com&job_id=j", "secret-token-value")
	f.Add("%zz", "abcdefghij")
	f.Fuzz(func(t *testing.T, prefix, token string) {
		link := prefix + "?token=" + url.QueryEscape(token)
		if strings.Contains(prefix, "?") {
			link = prefix + "&token=" + url.QueryEscape(token)
		}
		got := fmt.Sprint(CreateBindingJobResult{Link: link})
		if len(token) < 8 || strings.Contains("[binding link redacted]?REDACTED{<nil> }", token) {
			return
		}
		// The token may also appear where the fuzzer put it into the rest of
		// the link (path, query keys, other values): only the token
		// parameter is under test.
		if strings.Contains(prefix, token) || strings.Contains(prefix, "#") || strings.Contains(prefix, "%") {
			return
		}
		for _, safe := range []string{"api_base_url", "tenant_id", "realm_id", "identity_id", "job_id"} {
			if strings.Contains(prefix, safe) {
				return
			}
		}
		if strings.Contains(got, token) {
			t.Fatalf("token %q visible in %q (link %q)", token, got, link)
		}
	})
}
