package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/passkeyhq/beyondidentity/examples/internal/setup"
)

// returnLink is the shape of a RETURN job's binding link.
var returnLink = regexp.MustCompile(`^https?://[^/\s]+/v1/tenants/[0-9a-f]{16}/realms/[0-9a-f]{16}/identities/[0-9a-f]{16}/credential-binding-jobs/[0-9a-f]{16}:invokeAuthenticator\?token=[A-Za-z0-9_-]+$`)

// envOf returns a lookup over vars only, so the tests never see the
// variables of the machine they run on.
func envOf(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

// linkIn returns the binding links among the output lines.
func linkIn(out string) []string {
	var links []string
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimSpace(l); strings.Contains(l, ":invokeAuthenticator?") {
			links = append(links, l)
		}
	}
	return links
}

func TestOfflineRunsTheWholeFlowAgainstTheFake(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(t.Context(), nil, envOf(nil), &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstdout:\n%s\nstderr:\n%s", err, &stdout, &stderr)
	}
	out := stdout.String()
	first, _, _ := strings.Cut(out, "\n")
	if !strings.Contains(first, "in-process fake") {
		t.Errorf("first line does not say it uses the fake: %q", first)
	}
	links := linkIn(out)
	if len(links) != 1 || !returnLink.MatchString(links[0]) {
		t.Errorf("want one binding link of the RETURN shape, got %q in:\n%s", links, out)
	}
	for _, want := range []string{
		"2. Identity: created ada.lovelace (",
		": COMPLETE.",
		"state ACTIVE, key EC P-256, bound to ada.lovelace",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr is not empty: %s", &stderr)
	}
}

func TestPartialConfigurationFailsNamingWhatIsMissing(t *testing.T) {
	const secret = "s3cr3t-value-never-printed"
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		missing []string
		present []string
	}{
		{
			name: "tenant and secret only",
			env:  map[string]string{"BEYOND_IDENTITY_TENANT_ID": "0001aaaabbbbcccc", "BEYOND_IDENTITY_CLIENT_SECRET": secret},
			missing: []string{"BEYOND_IDENTITY_REALM_ID", "BEYOND_IDENTITY_AUTHENTICATOR_CONFIG_ID",
				"BEYOND_IDENTITY_ADMIN_REALM_ID", "BEYOND_IDENTITY_APPLICATION_ID", "BEYOND_IDENTITY_CLIENT_ID"},
			present: []string{"BEYOND_IDENTITY_TENANT_ID", "BEYOND_IDENTITY_CLIENT_SECRET"},
		},
		{
			name:    "region only",
			env:     map[string]string{"BEYOND_IDENTITY_REGION": "eu"},
			missing: []string{"BEYOND_IDENTITY_TENANT_ID", "BEYOND_IDENTITY_REALM_ID", "credentials: BEYOND_IDENTITY_API_TOKEN"},
		},
		{
			name: "everything but the authenticator config, with a token",
			env: map[string]string{"BEYOND_IDENTITY_TENANT_ID": "0001aaaabbbbcccc", "BEYOND_IDENTITY_REALM_ID": "aaaabbbbccccdddd",
				"BEYOND_IDENTITY_API_TOKEN": secret},
			missing: []string{"BEYOND_IDENTITY_AUTHENTICATOR_CONFIG_ID"},
			present: []string{"BEYOND_IDENTITY_REALM_ID", "BEYOND_IDENTITY_ADMIN_REALM_ID", "BEYOND_IDENTITY_CLIENT_ID"},
		},
		{
			name:    "a flag alone",
			args:    []string{"-tenant-id", "0001aaaabbbbcccc"},
			missing: []string{"BEYOND_IDENTITY_REALM_ID (-realm-id)"},
		},
		{
			name:    "one of the two base URLs",
			env:     map[string]string{"BEYOND_IDENTITY_API_URL": "http://127.0.0.1:1"},
			missing: []string{"BEYOND_IDENTITY_AUTH_URL"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(t.Context(), tt.args, envOf(tt.env), &stdout, &stderr)
			if err == nil {
				t.Fatalf("run succeeded; stdout:\n%s", &stdout)
			}
			msg := err.Error()
			for _, m := range tt.missing {
				if !strings.Contains(msg, m) {
					t.Errorf("error does not name %q: %s", m, msg)
				}
			}
			for _, p := range tt.present {
				if strings.Contains(msg, p+" ") || strings.Contains(msg, p+",") {
					t.Errorf("error names %q, which is set: %s", p, msg)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			if strings.Contains(msg+stdout.String()+stderr.String(), secret) {
				t.Errorf("a secret was printed")
			}
			if stdout.Len() != 0 {
				t.Errorf("it ran anyway (fell back to the fake?):\n%s", &stdout)
			}
		})
	}
}

func TestBothCredentialKindsIsAnError(t *testing.T) {
	env := map[string]string{
		"BEYOND_IDENTITY_TENANT_ID": "0001aaaabbbbcccc", "BEYOND_IDENTITY_REALM_ID": "aaaabbbbccccdddd",
		"BEYOND_IDENTITY_AUTHENTICATOR_CONFIG_ID": "cfg", "BEYOND_IDENTITY_API_TOKEN": "tok", "BEYOND_IDENTITY_CLIENT_ID": "id",
	}
	err := run(t.Context(), nil, envOf(env), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not both") {
		t.Fatalf("err = %v, want a 'not both' error", err)
	}
}

func TestSecondRunReusesTheIdentity(t *testing.T) {
	srv := beyondidentitytest.NewServer()
	defer srv.Close()
	fake := setup.FakeFor(srv, false)
	o := options{username: "grace.hopper", timeout: defaultTestTimeout}

	var first, second bytes.Buffer
	if err := bind(t.Context(), o, setup.Config{}, fake, &first, io.Discard); err != nil {
		t.Fatalf("first run: %v\n%s", err, &first)
	}
	srv.ClearRequests()
	if err := bind(t.Context(), o, setup.Config{}, fake, &second, io.Discard); err != nil {
		t.Fatalf("second run: %v\n%s", err, &second)
	}

	idRe := regexp.MustCompile(`2\. Identity: .*\(([0-9a-f]{16})\)`)
	m1, m2 := idRe.FindStringSubmatch(first.String()), idRe.FindStringSubmatch(second.String())
	if m1 == nil || m2 == nil {
		t.Fatalf("no identity line:\n%s\n%s", &first, &second)
	}
	if m1[1] != m2[1] {
		t.Errorf("second run used identity %s, first %s", m2[1], m1[1])
	}
	if !strings.Contains(second.String(), "grace.hopper already exists") {
		t.Errorf("second run does not say it reused the identity:\n%s", &second)
	}
	conflicts := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/identities") && r.Status == http.StatusConflict {
			conflicts++
		}
	}
	if conflicts != 1 {
		t.Errorf("second run got %d 409 answers on create, want 1 (the reuse must go through the conflict)", conflicts)
	}
	if !strings.Contains(second.String(), "state ACTIVE") {
		t.Errorf("second passkey is not ACTIVE:\n%s", &second)
	}
	c, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	page, err := c.Identities.List(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if page.TotalSize != 1 {
		t.Errorf("the fake holds %d identities, want 1", page.TotalSize)
	}
	creds, err := c.Credentials.List(t.Context(), m1[1], nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(creds.Items) != 2 {
		t.Errorf("identity has %d passkeys, want 2 (one per run)", len(creds.Items))
	}
	for _, out := range []string{first.String(), second.String()} {
		if strings.Contains(out, srv.ClientSecret()) {
			t.Errorf("the client secret was printed:\n%s", out)
		}
	}
}

const defaultTestTimeout = 30 * time.Second // a bound for a hung test, never reached

// cloudEnv configures the program for srv as if it were a tenant in the
// cloud: the same variables, with the base URLs pointing at the fake.
func cloudEnv(srv *beyondidentitytest.Server) map[string]string {
	cc := srv.ClientCredentials()
	return map[string]string{
		"BEYOND_IDENTITY_TENANT_ID":               srv.TenantID(),
		"BEYOND_IDENTITY_REALM_ID":                srv.RealmID(),
		"BEYOND_IDENTITY_ADMIN_REALM_ID":          cc.RealmID,
		"BEYOND_IDENTITY_APPLICATION_ID":          cc.ApplicationID,
		"BEYOND_IDENTITY_CLIENT_ID":               cc.ClientID,
		"BEYOND_IDENTITY_CLIENT_SECRET":           cc.ClientSecret.Reveal(),
		"BEYOND_IDENTITY_AUTHENTICATOR_CONFIG_ID": srv.AuthenticatorConfigID(),
		"BEYOND_IDENTITY_API_URL":                 srv.URL(),
		"BEYOND_IDENTITY_AUTH_URL":                srv.URL(),
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestConfiguredRunWaitsForTheDevice runs the program configured as for the
// cloud (the fake stands in for it): it must print the link and wait until
// someone binds a passkey with it, here the test.
func TestConfiguredRunWaitsForTheDevice(t *testing.T) {
	for _, auth := range []string{"client credentials", "API token"} {
		t.Run(auth, func(t *testing.T) {
			srv := beyondidentitytest.NewServer()
			defer srv.Close()
			env := cloudEnv(srv)
			if auth == "API token" {
				for _, k := range []string{"ADMIN_REALM_ID", "APPLICATION_ID", "CLIENT_ID", "CLIENT_SECRET"} {
					delete(env, "BEYOND_IDENTITY_"+k)
				}
				env["BEYOND_IDENTITY_API_TOKEN"] = srv.IssueToken("examples test")
			}

			pr, pw := io.Pipe()
			var stdout, stderr syncBuffer
			done := make(chan error, 1)
			go func() {
				err := run(t.Context(), []string{"-username", "alan.turing"}, envOf(env), io.MultiWriter(pw, &stdout), &stderr)
				pw.Close()
				done <- err
			}()
			sc := bufio.NewScanner(pr)
			bound := false
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if !bound && returnLink.MatchString(line) {
					// The user opens the link on a device.
					if _, err := srv.CompleteBinding(t.Context(), line); err != nil {
						t.Errorf("CompleteBinding: %v", err)
					}
					bound = true
				}
			}
			if err := <-done; err != nil {
				t.Fatalf("run: %v\n%s", err, stdout.String())
			}
			out := stdout.String()
			if !bound {
				t.Fatalf("no binding link printed:\n%s", out)
			}
			if first, _, _ := strings.Cut(out, "\n"); !strings.HasPrefix(first, "Using Beyond Identity tenant "+srv.TenantID()) || strings.Contains(first, "fake") {
				t.Errorf("first line = %q", first)
			}
			for _, want := range []string{"5. Device: waiting up to 10m0s", "COMPLETE", "state ACTIVE, key EC P-256, bound to alan.turing"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			for _, s := range []string{srv.ClientSecret(), env["BEYOND_IDENTITY_API_TOKEN"]} {
				if s != "" && strings.Contains(out+stderr.String(), s) {
					t.Errorf("a secret was printed")
				}
			}
		})
	}
}

func TestConfiguredRunGivesUpAndRevokesTheJob(t *testing.T) {
	srv := beyondidentitytest.NewServer()
	defer srv.Close()
	var stdout bytes.Buffer
	// Nobody binds: the wait ends at the timeout, whatever the machine's speed.
	err := run(t.Context(), []string{"-timeout", "50ms"}, envOf(cloudEnv(srv)), &stdout, io.Discard)
	if err == nil {
		t.Fatalf("run succeeded without a device:\n%s", &stdout)
	}
	if !strings.Contains(err.Error(), "no passkey was bound within 50ms") || !strings.Contains(err.Error(), "revoked binding job") {
		t.Errorf("err = %v", err)
	}
	c, cerr := srv.Client()
	if cerr != nil {
		t.Fatal(cerr)
	}
	revoked := 0
	for j, err := range c.BindingJobs.All(context.Background(), beyondidentity.AllIdentities, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if j.State == beyondidentity.BindingJobStateRevoked {
			revoked++
		}
	}
	if revoked != 1 {
		t.Errorf("%d revoked jobs, want 1:\n%s", revoked, &stdout)
	}
	if links := linkIn(stdout.String()); len(links) != 1 {
		t.Fatalf("links printed: %q", links)
	} else if _, err := srv.CompleteBinding(t.Context(), links[0]); err == nil {
		t.Errorf("the printed link still binds a passkey after the program gave up")
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	srv := beyondidentitytest.NewServer()
	defer srv.Close()
	env := cloudEnv(srv)
	env["BEYOND_IDENTITY_AUTHENTICATOR_CONFIG_ID"] = "does-not-exist"
	// The flag's ID is the right one; the variable's would fail with 404.
	err := run(t.Context(), []string{"-authenticator-config-id", srv.AuthenticatorConfigID(), "-timeout", "50ms"},
		envOf(env), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "no passkey was bound") {
		t.Fatalf("err = %v, want the timeout (the flag's config must be used)", err)
	}
	err = run(t.Context(), []string{"-timeout", "50ms"}, envOf(env), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "reading authenticator config does-not-exist") {
		t.Fatalf("err = %v, want a failure on the variable's config", err)
	}
}
