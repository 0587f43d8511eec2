package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/passkeyhq/beyondidentity/examples/internal/setup"
)

// testOptions are the program's defaults, for tests that call provision.
func testOptions() options {
	return options{n: 1000, concurrency: 8, batchSize: maxBatch, runs: 1}
}

// counts reads every summary row called name from the output, in order.
func counts(t *testing.T, out, name string) []int {
	t.Helper()
	re := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(name) + ` +(\d+)\b`)
	var ns []int
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[1])
		ns = append(ns, n)
	}
	return ns
}

// identityCount returns how many identities the fake's user realm holds.
func identityCount(t *testing.T, srv *beyondidentitytest.Server) int {
	t.Helper()
	c, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	page, err := c.Identities.List(context.Background(), &beyondidentity.ListOptions{PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	return page.TotalSize
}

// checkOneEmailEach checks that the fake emailed exactly want identities,
// each once.
func checkOneEmailEach(t *testing.T, srv *beyondidentitytest.Server, want int) {
	t.Helper()
	seen := map[string]int{}
	for _, m := range srv.Outbox() {
		seen[m.IdentityID]++
		if seen[m.IdentityID] == 2 {
			t.Errorf("identity %s (%s) got two emails", m.IdentityID, m.To)
		}
	}
	if len(seen) != want {
		t.Errorf("%d identities got an email, want %d", len(seen), want)
	}
}

func TestThousandUsersThenRerunCreatesNone(t *testing.T) {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	defer srv.Close()
	fake := setup.FakeFor(srv, false)

	var first bytes.Buffer
	if err := provision(t.Context(), testOptions(), setup.Config{}, fake, &first, io.Discard); err != nil {
		t.Fatalf("first run: %v\n%s", err, &first)
	}
	if got := counts(t, first.String(), "created"); len(got) != 1 || got[0] != 1000 {
		t.Errorf("first run created %v, want [1000]:\n%s", got, &first)
	}
	if got := counts(t, first.String(), "emails sent"); len(got) != 1 || got[0] != 1000 {
		t.Errorf("first run emails sent %v, want [1000]", got)
	}
	if n := identityCount(t, srv); n != 1000 {
		t.Errorf("the fake holds %d identities after the first run, want 1000", n)
	}
	checkOneEmailEach(t, srv, 1000)

	var second bytes.Buffer
	if err := provision(t.Context(), testOptions(), setup.Config{}, fake, &second, io.Discard); err != nil {
		t.Fatalf("rerun: %v\n%s", err, &second)
	}
	out := second.String()
	for name, want := range map[string]int{"created": 0, "existing": 1000, "failed": 0, "emails sent": 0, "no link needed": 1000} {
		if got := counts(t, out, name); len(got) != 1 || got[0] != want {
			t.Errorf("rerun: %s = %v, want [%d]:\n%s", name, got, want, out)
		}
	}
	if n := identityCount(t, srv); n != 1000 {
		t.Errorf("the fake holds %d identities after the rerun, want 1000", n)
	}
	checkOneEmailEach(t, srv, 1000)
}

func TestRunsFlagRerunsAgainstTheSameFake(t *testing.T) {
	var stdout bytes.Buffer
	if err := run(t.Context(), []string{"-n", "40", "-runs", "2"}, func(string) (string, bool) { return "", false }, &stdout, io.Discard); err != nil {
		t.Fatalf("run: %v\n%s", err, &stdout)
	}
	out := stdout.String()
	if first, _, _ := strings.Cut(out, "\n"); !strings.Contains(first, "in-process fake") {
		t.Errorf("first line = %q", first)
	}
	if got := counts(t, out, "created"); len(got) != 2 || got[0] != 40 || got[1] != 0 {
		t.Errorf("created = %v, want [40 0]:\n%s", got, out)
	}
	if got := counts(t, out, "existing"); len(got) != 2 || got[1] != 40 {
		t.Errorf("existing = %v, want [0 40]", got)
	}
}

func TestCSVFileWithDuplicatesAndExistingUsers(t *testing.T) {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	defer srv.Close()
	c, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	// grace exists already, without a link: she gets one.
	if _, err := c.Identities.Create(t.Context(), &beyondidentity.CreateIdentityRequest{
		DisplayName: "Grace", Traits: beyondidentity.Traits{Username: "grace", PrimaryEmailAddress: "grace@example.com"}}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "users.csv")
	csv := "\ufeffusername, email ,display_name\n" +
		"ada,ada@example.com,Ada Lovelace\n" +
		"grace,grace@example.com,Grace Hopper\n" +
		"ADA,ada2@example.com,Ada again\n" + // a duplicate: usernames ignore case
		"\n" +
		"alan,,Alan Turing\n" + // no email: created, no link
		"grace,grace@example.com,Grace Hopper\n" + // a duplicate row
		",nobody@example.com,Nobody\n" // no username: invalid
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	o := testOptions()
	o.csvPath = path
	var stdout bytes.Buffer
	err = provision(t.Context(), o, setup.Config{}, setup.FakeFor(srv, false), &stdout, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "1 users, rows or emails failed") {
		t.Errorf("err = %v, want the invalid row reported", err)
	}
	out := stdout.String()
	for name, want := range map[string]int{"users": 3, "created": 2, "existing": 1, "failed": 0, "emails sent": 2,
		"no email": 1, "duplicate rows": 2, "invalid rows": 1} {
		if got := counts(t, out, name); len(got) != 1 || got[0] != want {
			t.Errorf("%s = %v, want [%d]:\n%s", name, got, want, out)
		}
	}
	for _, want := range []string{"! line 8: has no username", "Users: 3 from " + path + " (skipping 2 duplicate and 1 invalid rows)."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := identityCount(t, srv); n != 3 {
		t.Errorf("the fake holds %d identities, want 3", n)
	}
	checkOneEmailEach(t, srv, 2)
	for _, m := range srv.Outbox() {
		if m.To == "ada2@example.com" {
			t.Errorf("the duplicate row's address got an email")
		}
	}
}

// cancelAfter cancels a context once n responses matching match have come
// back: an interruption at a precise point of a run.
type cancelAfter struct {
	base   http.RoundTripper
	match  func(*http.Request, *http.Response) bool
	n      int64
	seen   atomic.Int64
	cancel context.CancelFunc
}

func (c *cancelAfter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err == nil && c.match(r, resp) {
		switch k := c.seen.Add(1); {
		case k == c.n:
			c.cancel()
		case k > c.n:
			// Served after the n-th, possibly before the goroutine that saw
			// the n-th has cancelled: the interruption loses this answer,
			// as a real one would, instead of racing with the cancel.
			c.cancel()
			_ = resp.Body.Close()
			return nil, context.Canceled
		}
	}
	return resp, err
}

// interruptingClient is the fake's HTTP client, cancelling cancel after n
// matching responses.
func interruptingClient(srv *beyondidentitytest.Server, n int64, cancel context.CancelFunc, match func(*http.Request, *http.Response) bool) beyondidentity.Option {
	hc := *srv.HTTPClient()
	hc.Transport = &cancelAfter{base: hc.Transport, match: match, n: n, cancel: cancel}
	return beyondidentity.WithHTTPClient(&hc)
}

func isCreate(suffix string) func(*http.Request, *http.Response) bool {
	return func(r *http.Request, resp *http.Response) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, suffix) && resp.StatusCode == http.StatusOK
	}
}

func TestInterruptedWhileCreatingThenResumed(t *testing.T) {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	defer srv.Close()
	fake := setup.FakeFor(srv, false)

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	o := testOptions()
	o.clientOpts = []beyondidentity.Option{interruptingClient(srv, 300, cancel, isCreate("/identities"))}
	var first bytes.Buffer
	err := provision(ctx, o, setup.Config{}, fake, &first, io.Discard)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: err = %v\n%s", err, &first)
	}
	if !strings.Contains(first.String(), "Interrupted after ") || !strings.Contains(err.Error(), "interrupted after ") {
		t.Errorf("the interrupted run does not say how far it got:\n%s", &first)
	}
	created := counts(t, first.String(), "created")
	// The creates in flight at the interruption may have been served without
	// the program learning it: the fake can hold a few more than it counted.
	if n := identityCount(t, srv); len(created) != 1 || created[0] < 300-o.concurrency || created[0] > 300 ||
		n < 300 || n > 300+o.concurrency {
		t.Fatalf("interrupted run: created %v, the fake holds %d; want about 300", created, n)
	}
	if len(srv.Outbox()) != 0 {
		t.Errorf("emails were sent by the interrupted run")
	}

	var second bytes.Buffer
	if err := provision(t.Context(), testOptions(), setup.Config{}, fake, &second, io.Discard); err != nil {
		t.Fatalf("resumed run: %v\n%s", err, &second)
	}
	c2, e2 := counts(t, second.String(), "created"), counts(t, second.String(), "existing")
	if len(c2) != 1 || len(e2) != 1 || c2[0]+e2[0] != 1000 || e2[0] < 300 {
		t.Errorf("resumed run: created %v existing %v, want them to add up to 1000 with at least 300 existing", c2, e2)
	}
	if n := identityCount(t, srv); n != 1000 {
		t.Errorf("the fake holds %d identities, want exactly 1000", n)
	}
	checkOneEmailEach(t, srv, 1000)
}

func TestInterruptedWhileSendingLinksThenResumed(t *testing.T) {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	defer srv.Close()
	fake := setup.FakeFor(srv, false)

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	o := testOptions()
	o.n, o.batchSize = 250, 100
	o.clientOpts = []beyondidentity.Option{interruptingClient(srv, 1, cancel, isCreate("/batch-credential-binding-jobs"))}
	var first bytes.Buffer
	if err := provision(ctx, o, setup.Config{}, fake, &first, io.Discard); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: err = %v\n%s", err, &first)
	}
	if got := len(srv.Outbox()); got != 100 {
		t.Fatalf("the interrupted run sent %d emails, want the first batch's 100", got)
	}

	o.clientOpts = nil
	var second bytes.Buffer
	if err := provision(t.Context(), o, setup.Config{}, fake, &second, io.Discard); err != nil {
		t.Fatalf("resumed run: %v\n%s", err, &second)
	}
	for name, want := range map[string]int{"created": 0, "existing": 250, "emails sent": 150, "no link needed": 100} {
		if got := counts(t, second.String(), name); len(got) != 1 || got[0] != want {
			t.Errorf("resumed run: %s = %v, want [%d]:\n%s", name, got, want, &second)
		}
	}
	checkOneEmailEach(t, srv, 250)
}

// TestFullBatchQueueIsWaitedOut runs against a fake whose batch queue holds
// 100 links: the second and third batches are refused with 429 until the
// simulated users bind their passkeys, and each refusal is waited out.
func TestFullBatchQueueIsWaitedOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory(), beyondidentitytest.WithBatchQueueLimit(100))
		defer srv.Close()
		o := testOptions()
		o.n, o.batchSize, o.queueWait = 250, 100, 30*time.Second
		start := time.Now()
		var stdout bytes.Buffer
		if err := provision(t.Context(), o, setup.Config{}, setup.FakeFor(srv, false), &stdout, io.Discard); err != nil {
			t.Fatalf("provision: %v\n%s", err, &stdout)
		}
		if got := counts(t, stdout.String(), "emails sent"); len(got) != 1 || got[0] != 250 {
			t.Errorf("emails sent = %v, want [250]:\n%s", got, &stdout)
		}
		refused := 0
		for _, r := range srv.Requests() {
			if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/batch-credential-binding-jobs") && r.Status == http.StatusTooManyRequests {
				refused++
			}
		}
		if refused != 2 {
			t.Errorf("%d batches refused with 429, want 2 (one before each simulated drain)", refused)
		}
		if waited := time.Since(start); waited < 60*time.Second {
			t.Errorf("waited %s in all, want the two 30s queue waits", waited)
		}
		if !strings.Contains(stdout.String(), "100 simulated users opened their email") {
			t.Errorf("output:\n%s", &stdout)
		}
		checkOneEmailEach(t, srv, 250)
	})
}

func TestRetryAfterOfAFullQueueIsHonoured(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
		defer srv.Close()
		// Longer than the client's MaxRetryAfter: the client fails fast and
		// the program waits it out itself.
		srv.InjectFault(beyondidentitytest.Fault{
			Method: http.MethodPost, Path: "/v1/tenants/*/realms/*/batch-credential-binding-jobs",
			Status: http.StatusTooManyRequests, RetryAfter: 90 * time.Second,
		})
		o := testOptions()
		o.n, o.queueWait = 10, time.Second
		start := time.Now()
		var stdout bytes.Buffer
		if err := provision(t.Context(), o, setup.Config{}, setup.FakeFor(srv, false), &stdout, io.Discard); err != nil {
			t.Fatalf("provision: %v\n%s", err, &stdout)
		}
		if waited := time.Since(start); waited < 90*time.Second || waited > 100*time.Second {
			t.Errorf("waited %s, want the 90s the API asked for", waited)
		}
		if !strings.Contains(stdout.String(), "Waiting 1m30s, then sending the batch again") {
			t.Errorf("output:\n%s", &stdout)
		}
		checkOneEmailEach(t, srv, 10)
	})
}

func TestForbiddenStopsTheRun(t *testing.T) {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	defer srv.Close()
	fake := setup.FakeFor(srv, false)
	// A token that may read configs but not create identities.
	fake.Config.APIToken = srv.IssueToken("read only", "authenticator-configs:read", "identities:read")
	fake.Config.ClientID, fake.Config.ClientSecret = "", ""
	var stdout bytes.Buffer
	err := provision(t.Context(), testOptions(), setup.Config{}, fake, &stdout, io.Discard)
	if !errors.Is(err, beyondidentity.ErrForbidden) || !strings.HasPrefix(err.Error(), "stopped: ") {
		t.Fatalf("err = %v, want a stop on 403", err)
	}
	posts := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/identities") {
			posts++
		}
	}
	if posts > 2*testOptions().concurrency {
		t.Errorf("%d creates sent after the first 403, want the run stopped", posts)
	}
}

func TestCloudNeedsACSVFile(t *testing.T) {
	env := map[string]string{
		"BEYOND_IDENTITY_TENANT_ID": "0001aaaabbbbcccc", "BEYOND_IDENTITY_REALM_ID": "aaaabbbbccccdddd",
		"BEYOND_IDENTITY_AUTHENTICATOR_CONFIG_ID": "cfg", "BEYOND_IDENTITY_API_TOKEN": "tok",
	}
	var stdout bytes.Buffer
	err := run(t.Context(), nil, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, &stdout, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-csv is required") || stdout.Len() != 0 {
		t.Fatalf("err = %v, stdout %q", err, &stdout)
	}
}

func TestReadUsers(t *testing.T) {
	in, err := readUsers(strings.NewReader("display_name,username\nAda,ada\n,bob\nx\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.users) != 2 || in.users[0] != (user{line: 2, username: "ada", displayName: "Ada"}) ||
		in.users[1] != (user{line: 3, username: "bob", displayName: "bob"}) {
		t.Errorf("users = %+v", in.users)
	}
	if len(in.invalid) != 1 || in.invalid[0].line != 4 {
		t.Errorf("invalid = %+v, want line 4 (one field, header two)", in.invalid)
	}
	for _, bad := range []string{"", "email,display_name\na@b,c\n", "username,username\n"} {
		if _, err := readUsers(strings.NewReader(bad)); err == nil {
			t.Errorf("readUsers(%q) accepted it", bad)
		}
	}
}

func TestGeneratedUsers(t *testing.T) {
	var buf bytes.Buffer
	if err := generateCSV(&buf, 12345); err != nil {
		t.Fatal(err)
	}
	in, err := readUsers(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.users) != 12345 || len(in.duplicates)+len(in.invalid) != 0 {
		t.Fatalf("%d users, %d duplicates, %d invalid", len(in.users), len(in.duplicates), len(in.invalid))
	}
	if u := in.users[41]; u.username != "user-00042" || u.email != "user-00042@example.com" || u.displayName != "User 00042" {
		t.Errorf("user 42 = %+v", u)
	}
}

func TestProgress(t *testing.T) {
	if isTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is a terminal")
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file is a terminal")
	}
	if got := bar(5, 10, 10); got != "[#####-----]" {
		t.Errorf("bar = %q", got)
	}

	synctest.Test(t, func(t *testing.T) {
		var out bytes.Buffer
		p := startProgress(&out, false, "identities", 100)
		p.add(10, 0, 0)
		time.Sleep(plainEvery + time.Millisecond)
		synctest.Wait()
		p.add(0, 5, 1)
		time.Sleep(3 * plainEvery) // nothing moves: no more lines
		synctest.Wait()
		p.finish()
		want := "identities: 10/100 created 10 existing 0 failed 0 2/s ETA 45s\n" +
			"identities: 16/100 created 10 existing 5 failed 1 2/s ETA 53s\n" +
			"identities: 16/100 created 10 existing 5 failed 1 1/s\n"
		if out.String() != want {
			t.Errorf("plain progress:\n%s\nwant:\n%s", &out, want)
		}
	})

	synctest.Test(t, func(t *testing.T) {
		var out bytes.Buffer
		p := startProgress(&out, true, "identities", 4)
		p.add(2, 0, 0)
		time.Sleep(150 * time.Millisecond)
		synctest.Wait()
		p.add(1, 1, 0)
		p.finish()
		got := out.String()
		if !strings.HasPrefix(got, "\r\x1b[K[######------] 2/4 created 2 ") || !strings.HasSuffix(got, "\r\x1b[K[############] 4/4 created 3 existing 1 failed 0 27/s\n") {
			t.Errorf("terminal progress: %q", got)
		}
	})
}

// noEnrollmentStatus drops enrollment_status from identity lists, as an API
// that leaves the optional field out would.
type noEnrollmentStatus struct{ base http.RoundTripper }

func (n noEnrollmentStatus) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := n.base.RoundTrip(r)
	if err != nil || r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/identities") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var page map[string]any
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, err
	}
	ids, _ := page["identities"].([]any)
	for _, id := range ids {
		delete(id.(map[string]any), "enrollment_status")
	}
	body, _ = json.Marshal(page)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// TestRerunWithoutEnrollmentStatus checks the fallback: when the API does
// not say whether a link is pending, the identity's binding jobs do.
func TestRerunWithoutEnrollmentStatus(t *testing.T) {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	defer srv.Close()
	fake := setup.FakeFor(srv, false)
	o := testOptions()
	o.n = 30
	if err := provision(t.Context(), o, setup.Config{}, fake, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	c, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	// user-0001 binds a passkey; user-0002's link is revoked: only she
	// needs a new one.
	mails := map[string]beyondidentitytest.Email{}
	for _, m := range srv.Outbox() {
		mails[m.To] = m
	}
	if _, err := srv.CompleteBinding(t.Context(), mails["user-0001@example.com"].Link); err != nil {
		t.Fatal(err)
	}
	m2 := mails["user-0002@example.com"]
	if _, err := c.BindingJobs.Revoke(t.Context(), m2.IdentityID, m2.JobID); err != nil {
		t.Fatal(err)
	}

	hc := *srv.HTTPClient()
	hc.Transport = noEnrollmentStatus{hc.Transport}
	o.clientOpts = []beyondidentity.Option{beyondidentity.WithHTTPClient(&hc)}
	var out bytes.Buffer
	if err := provision(t.Context(), o, setup.Config{}, fake, &out, io.Discard); err != nil {
		t.Fatalf("rerun: %v\n%s", err, &out)
	}
	for name, want := range map[string]int{"existing": 30, "emails sent": 1, "no link needed": 29} {
		if got := counts(t, out.String(), name); len(got) != 1 || got[0] != want {
			t.Errorf("%s = %v, want [%d]:\n%s", name, got, want, &out)
		}
	}
	if last := srv.Outbox()[len(srv.Outbox())-1]; last.To != "user-0002@example.com" {
		t.Errorf("the new link went to %s, want user-0002@example.com", last.To)
	}
}

// TestConfiguredRun provisions a CSV file configured as for a tenant in the
// cloud, with the base URLs pointing at a fake.
func TestConfiguredRun(t *testing.T) {
	srv := beyondidentitytest.NewServer()
	defer srv.Close()
	cc := srv.ClientCredentials()
	env := map[string]string{
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
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, []byte("username,email,display_name\nada,ada@example.com,Ada\ngrace,grace@example.com,Grace\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(t.Context(), []string{"-csv", path, "-runs", "2"}, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s%s", err, &stdout, &stderr)
	}
	out := stdout.String()
	if first, _, _ := strings.Cut(out, "\n"); !strings.HasPrefix(first, "Using Beyond Identity tenant "+srv.TenantID()) {
		t.Errorf("first line = %q", first)
	}
	if got := counts(t, out, "created"); len(got) != 2 || got[0] != 2 || got[1] != 0 {
		t.Errorf("created = %v, want [2 0]:\n%s", got, out)
	}
	if strings.Contains(out+stderr.String(), cc.ClientSecret.Reveal()) {
		t.Errorf("the client secret was printed")
	}
	checkOneEmailEach(t, srv, 2)
}
