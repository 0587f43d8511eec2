package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/passkeyhq/beyondidentity/examples/internal/setup"
)

func envOf(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// jobsOf returns every binding job of the fake's user realm.
func jobsOf(t *testing.T, srv *beyondidentitytest.Server) []*beyondidentity.BindingJob {
	t.Helper()
	c, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	var jobs []*beyondidentity.BindingJob
	for j, err := range c.BindingJobs.All(t.Context(), beyondidentity.AllIdentities, nil) {
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, j)
	}
	return jobs
}

func TestOfflineRun(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(t.Context(), nil, envOf(nil), &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, &stdout, &stderr)
	}
	out := stdout.String()
	if first, _, _ := strings.Cut(out, "\n"); !strings.Contains(first, "in-process fake") {
		t.Errorf("first line = %q", first)
	}
	for _, want := range []string{"5. /bind received the link of identity ", ": COMPLETE. Passkey ", "state ACTIVE"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "token=") {
		t.Errorf("a link's token was printed:\n%s", out)
	}
}

// TestOfflineHandlerGetsTheLink runs the offline flow against a fake the
// test holds, to check its effects: the emailed link was opened (302 to
// /bind), the handler's link bound the passkey, the job is COMPLETE.
func TestOfflineHandlerGetsTheLink(t *testing.T) {
	ln := listen(t)
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInvokeURL(baseURL(ln)))
	defer srv.Close()
	var stdout bytes.Buffer
	o := options{username: "ada", email: "ada@example.com", timeout: 30 * time.Second}
	if err := bindByEmail(t.Context(), o, setup.Config{}, setup.FakeFor(srv, false), ln, &stdout, io.Discard); err != nil {
		t.Fatalf("bindByEmail: %v\n%s", err, &stdout)
	}
	jobs := jobsOf(t, srv)
	if len(jobs) != 1 || jobs[0].State != beyondidentity.BindingJobStateComplete || jobs[0].DeliveryMethod != beyondidentity.DeliveryMethodEmail {
		t.Fatalf("jobs = %+v, want one COMPLETE EMAIL job", jobs)
	}
	if !strings.Contains(stdout.String(), "5. /bind received the link of identity "+jobs[0].IdentityID+", job "+jobs[0].ID) {
		t.Errorf("the handler did not report the job's link:\n%s", &stdout)
	}
	opened := false
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/credential-binding-jobs/"+jobs[0].ID+":invokeAuthenticator") && r.Status == http.StatusFound {
			opened = true
		}
	}
	if !opened {
		t.Errorf("the emailed link was not opened through the fake's redirect")
	}
	if mails := srv.Outbox(); len(mails) != 1 || mails[0].To != "ada@example.com" {
		t.Errorf("outbox = %+v", mails)
	}
}

func TestBindPage(t *testing.T) {
	srv := beyondidentitytest.NewServer()
	defer srv.Close()
	c, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	opened := make(chan *beyondidentity.BindingLink, 1)
	h := newMux(c, opened)
	const token = "tok-SECRET-123"
	q := url.Values{
		"api_base_url": {srv.URL()}, "tenant_id": {srv.TenantID()}, "realm_id": {srv.RealmID()},
		"identity_id": {"1111222233334444"}, "job_id": {"aaaabbbbccccdddd"}, "token": {token},
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost:3000/bind?"+q.Encode(), nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	for _, want := range []string{"bindPasskey(window.location.href)", "1111222233334444", "aaaabbbbccccdddd"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, token) {
		t.Errorf("page shows the token")
	}
	if strings.Contains(body, "<script") {
		t.Errorf("page loads or runs a script")
	}
	if got := rec.Header().Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'none'") {
		t.Errorf("Content-Security-Policy = %q", got)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q", got)
	}
	select {
	case l := <-opened:
		if l.JobID != "aaaabbbbccccdddd" || l.RevealToken() != token {
			t.Errorf("handler got %v", l)
		}
	default:
		t.Fatal("the handler did not pass the link on")
	}

	// A link of another realm is refused before the page.
	q.Set("realm_id", "9999999999999999")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost:3000/bind?"+q.Encode(), nil))
	if rec.Code != http.StatusBadRequest {
		t.Errorf("foreign realm: status %d", rec.Code)
	}
	select {
	case l := <-opened:
		t.Errorf("handler passed on a refused link %v", l)
	default:
	}
}

// lineWriter hands each complete output line to a channel, and keeps all.
type lineWriter struct {
	mu    sync.Mutex
	all   bytes.Buffer
	part  string
	lines chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.all.Write(p)
	w.part += string(p)
	for {
		i := strings.IndexByte(w.part, '\n')
		if i < 0 {
			break
		}
		w.lines <- w.part[:i]
		w.part = w.part[i+1:]
	}
	return len(p), nil
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.all.String()
}

// TestConfiguredWaitsForTheUser runs the configured (cloud) path against a
// fake whose Invoke URL is the program's server: the program must wait until
// the user, here the test, opens the emailed link.
func TestConfiguredWaitsForTheUser(t *testing.T) {
	ln := listen(t)
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInvokeURL(baseURL(ln)))
	defer srv.Close()
	cfg := setup.FakeFor(srv, false).Config
	out := &lineWriter{lines: make(chan string, 100)}
	done := make(chan error, 1)
	o := options{username: "ada", email: "ada@example.com", timeout: 30 * time.Second}
	go func() { done <- bindByEmail(t.Context(), o, cfg, nil, ln, out, io.Discard) }()

wait:
	for {
		select {
		case line := <-out.lines:
			if strings.HasPrefix(line, "4. Waiting up to 30s for the user to open the emailed link") {
				break wait
			}
		case err := <-done:
			t.Fatalf("bindByEmail ended before waiting: %v\n%s", err, out)
		}
	}
	mails := srv.Outbox()
	if len(mails) != 1 {
		t.Fatalf("outbox = %+v", mails)
	}
	resp, err := http.Get(mails[0].Link) // the user clicks the link in the email
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "bindPasskey(window.location.href)") {
		t.Fatalf("opened link: %s\n%s", resp.Status, page)
	}
	if err := <-done; err != nil {
		t.Fatalf("bindByEmail: %v\n%s", err, out)
	}
	if !strings.Contains(out.String(), "is LINK_OPENED. The page at /bind showed the next step") {
		t.Errorf("output:\n%s", out)
	}
	if first := strings.SplitN(out.String(), "\n", 2)[0]; !strings.HasPrefix(first, "Using Beyond Identity tenant") {
		t.Errorf("first line = %q", first)
	}
	if strings.Contains(out.String(), srv.ClientSecret()) {
		t.Errorf("the client secret was printed")
	}
}

func TestConfiguredTimeoutRevokesTheJob(t *testing.T) {
	ln := listen(t)
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInvokeURL(baseURL(ln)))
	defer srv.Close()
	cfg := setup.FakeFor(srv, false).Config
	o := options{username: "ada", email: "ada@example.com", timeout: 50 * time.Millisecond}
	var stdout bytes.Buffer
	err := bindByEmail(t.Context(), o, cfg, nil, ln, &stdout, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not opened within 50ms; revoked binding job") {
		t.Fatalf("err = %v", err)
	}
	if jobs := jobsOf(t, srv); len(jobs) != 1 || jobs[0].State != beyondidentity.BindingJobStateRevoked {
		t.Errorf("jobs = %+v, want one REVOKED", jobs)
	}
}

func TestConfiguredNeedsAnEmailForANewIdentity(t *testing.T) {
	ln := listen(t)
	srv := beyondidentitytest.NewServer()
	defer srv.Close()
	cfg := setup.FakeFor(srv, false).Config
	err := bindByEmail(t.Context(), options{username: "noemail", timeout: time.Second}, cfg, nil, ln, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "has no primary email address") {
		t.Fatalf("err = %v", err)
	}
	if jobs := jobsOf(t, srv); len(jobs) != 0 {
		t.Errorf("a job was created: %+v", jobs)
	}
}
