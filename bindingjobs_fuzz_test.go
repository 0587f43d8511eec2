package beyondidentity

import (
	"encoding/json"
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
