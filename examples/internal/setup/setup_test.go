package setup

import (
	"flag"
	"io"
	"strings"
	"testing"
)

const secret = "s3cr3t-value-never-printed"

// complete is a configuration for the cloud with client credentials.
func complete() map[string]string {
	return map[string]string{
		"BEYOND_IDENTITY_TENANT_ID":               "0001aaaabbbbcccc",
		"BEYOND_IDENTITY_REALM_ID":                "aaaabbbbccccdddd",
		"BEYOND_IDENTITY_AUTHENTICATOR_CONFIG_ID": "73731b7f-eb76-4143-9b4b-81a720385f5a",
		"BEYOND_IDENTITY_ADMIN_REALM_ID":          "bbbbccccddddeeee",
		"BEYOND_IDENTITY_APPLICATION_ID":          "4dc5c8a5-f3a4-4d2b-b7b1-6a4e0f9a3b21",
		"BEYOND_IDENTITY_CLIENT_ID":               "client",
		"BEYOND_IDENTITY_CLIENT_SECRET":           secret,
	}
}

// load parses args and loads the configuration from vars only (a variable
// absent from vars is unset).
func load(t *testing.T, args []string, vars map[string]string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := Register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f.Load(func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
}

// with returns a copy of m with the given key, value pairs set.
func with(m map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func TestLoadNothingSetIsOffline(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil || !c.Offline() {
		t.Fatalf("Load = %+v, %v; want an offline configuration", c.Describe(), err)
	}
}

func TestLoadCompleteConfiguration(t *testing.T) {
	c, err := load(t, nil, complete())
	if err != nil {
		t.Fatal(err)
	}
	if c.Offline() || c.TenantID != "0001aaaabbbbcccc" || c.ClientSecret != secret {
		t.Fatalf("Load = %s", c.Describe())
	}
}

// A variable set to "" (or blanks) is not "nothing configured": the
// examples must not fall back to the fake silently.
func TestLoadSetButEmptyIsAnErrorNamingIt(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		vars  map[string]string
		want  []string // named in the error
		clean []string // not named
	}{
		{
			name: "the only variable, empty",
			vars: map[string]string{"BEYOND_IDENTITY_TENANT_ID": ""},
			want: []string{"BEYOND_IDENTITY_TENANT_ID set but empty"},
		},
		{
			name: "the only variable, blank",
			vars: map[string]string{"BEYOND_IDENTITY_REGION": "  "},
			want: []string{"BEYOND_IDENTITY_REGION set but empty"},
		},
		{
			name: "a secret, empty, in a complete configuration",
			vars: with(complete(), "BEYOND_IDENTITY_CLIENT_SECRET", ""),
			want: []string{"BEYOND_IDENTITY_CLIENT_SECRET set but empty"},
		},
		{
			name:  "two of them",
			vars:  with(complete(), "BEYOND_IDENTITY_API_TOKEN", "", "BEYOND_IDENTITY_AUTH_URL", "\t"),
			want:  []string{"BEYOND_IDENTITY_API_TOKEN, BEYOND_IDENTITY_AUTH_URL set but empty"},
			clean: []string{"BEYOND_IDENTITY_TENANT_ID"},
		},
		{
			name: "an empty flag",
			args: []string{"-realm-id="},
			vars: complete(),
			want: []string{"-realm-id set but empty"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := load(t, tt.args, tt.vars)
			if err == nil {
				t.Fatalf("Load succeeded (offline: %v)", c.Offline())
			}
			msg := err.Error()
			for _, w := range append(tt.want, "unset every BEYOND_IDENTITY_* variable to run offline") {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q: %s", w, msg)
				}
			}
			for _, n := range tt.clean {
				if strings.Contains(msg, n) {
					t.Errorf("error names %s, which is set: %s", n, msg)
				}
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, secret) {
				t.Errorf("error is not one line without secrets: %q", msg)
			}
		})
	}
}

// A flag replaces its variable, even an empty one.
func TestLoadFlagOverridesAnEmptyVariable(t *testing.T) {
	c, err := load(t, []string{"-tenant-id", "0001ffffeeeedddd"}, with(complete(), "BEYOND_IDENTITY_TENANT_ID", ""))
	if err != nil {
		t.Fatal(err)
	}
	if c.TenantID != "0001ffffeeeedddd" {
		t.Fatalf("TenantID = %q", c.TenantID)
	}
}

func TestLoadRegion(t *testing.T) {
	for _, r := range []string{"us", "eu", "us-gov", "EU", " us-gov "} {
		t.Run("accepted "+r, func(t *testing.T) {
			c, err := load(t, nil, with(complete(), "BEYOND_IDENTITY_REGION", r))
			if err != nil {
				t.Fatal(err)
			}
			// The library takes every region the examples accept.
			if _, err := c.NewClient(nil); err != nil {
				t.Fatalf("NewClient: %v", err)
			}
		})
	}
	tests := []struct {
		name, want string
		args       []string
		vars       map[string]string
	}{
		{"unknown region", `unknown region "mars" in BEYOND_IDENTITY_REGION (-region): use BEYOND_IDENTITY_REGION=us|eu|us-gov`,
			nil, with(complete(), "BEYOND_IDENTITY_REGION", "mars")},
		{"unknown region by flag", `unknown region "us-east-1" in BEYOND_IDENTITY_REGION (-region): use BEYOND_IDENTITY_REGION=us|eu|us-gov`,
			[]string{"-region", "us-east-1"}, complete()},
		{"region and base URLs", "BEYOND_IDENTITY_REGION (-region) and BEYOND_IDENTITY_API_URL (-api-url) exclude each other: set BEYOND_IDENTITY_REGION=us|eu|us-gov, or the two base URLs",
			nil, with(complete(), "BEYOND_IDENTITY_REGION", "eu", "BEYOND_IDENTITY_API_URL", "http://127.0.0.1:1", "BEYOND_IDENTITY_AUTH_URL", "http://127.0.0.1:1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, tt.args, tt.vars)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestRegionUsageNamesTheValues(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	Register(fs)
	if u := fs.Lookup("region").Usage; !strings.Contains(u, "us, eu, us-gov (default us)") {
		t.Errorf("usage of -region: %q", u)
	}
}
