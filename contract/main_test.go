package contract

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// batchQueueLimit is bifake's limit of pending jobs made by batches.
const batchQueueLimit = 6

// specEnv names the variable that overrides the spec's path.
const specEnv = "BEYONDIDENTITY_OPENAPI_SPEC"

// bifakeInfo is the line cmd/bifake prints once it listens.
type bifakeInfo struct {
	URL                   string `json:"url"`
	TenantID              string `json:"tenant_id"`
	AdminRealmID          string `json:"admin_realm_id"`
	RealmID               string `json:"realm_id"`
	ApplicationID         string `json:"application_id"`
	ClientID              string `json:"client_id"`
	ClientSecret          string `json:"client_secret"`
	AuthenticatorConfigID string `json:"authenticator_config_id"`
	InvokeURL             string `json:"invoke_url"`
}

// env is what TestMain set up for the tests.
var env struct {
	skip      string // why the suite cannot run here; tests skip with it
	spec      *spec
	fake      bifakeInfo
	proxyURL  *url.URL // prism proxy --errors in front of bifake
	reportURL *url.URL // prism proxy (reporting, not refusing) in front of bifake
	outputURL *url.URL // prism proxy --errors --validate-request=false in front of bifake
	mockURL   *url.URL // prism mock
	tee       *tee     // between the proxies and bifake
	stats     *stats
}

// requireEnv skips the test when the suite cannot run (no spec, no Prism)
// outside CI; in CI TestMain has already failed the run.
func requireEnv(t *testing.T) {
	t.Helper()
	if env.skip != "" {
		t.Skip(env.skip)
	}
}

// requireSpec skips a test that needs only the spec when there is none.
func requireSpec(t *testing.T) {
	t.Helper()
	if env.spec == nil {
		t.Skip(env.skip)
	}
}

// specDefault is where the spec is by default, relative to the repository
// root: in a directory beside the clone.
const specDefault = "../shared/openapi/beyond-identity-v1.yaml"

// noSpec says, in one line, that the spec is missing, where to get it and
// how to point at it. contract/run.sh says the same.
func noSpec(path string) string {
	return fmt.Sprintf("no OpenAPI spec at %s: download static/api/v1/openapi.yaml from the GitHub repository "+
		"gobeyondidentity/developer-docs (reference: https://developer.beyondidentity.com/api/v1) and set %s to its path",
		path, specEnv)
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	start := time.Now()
	env.stats = newStats()
	inCI := os.Getenv("CI") != ""
	root, err := filepath.Abs("..")
	if err != nil {
		fmt.Fprintln(os.Stderr, "contract:", err)
		return 1
	}

	// The preconditions: the spec (a relative path is taken from the
	// repository root) and the pinned Prism. Without Prism, the tests that
	// need only the spec still run.
	specPath := os.Getenv(specEnv)
	if specPath == "" {
		specPath = specDefault
	}
	if !filepath.IsAbs(specPath) {
		specPath = filepath.Join(root, specPath)
	}
	prismBin := filepath.Join(root, "contract", "node_modules", ".bin", "prism")
	switch {
	case !exists(specPath):
		env.skip = noSpec(specPath)
	case !exists(prismBin):
		env.skip = fmt.Sprintf("Prism is not installed at %s: run contract/run.sh, which installs it with npm ci", prismBin)
	}
	if exists(specPath) {
		if env.spec, err = loadSpec(specPath); err != nil {
			fmt.Fprintln(os.Stderr, "contract: FAIL:", err)
			return 1
		}
	}
	if env.skip != "" {
		if inCI {
			fmt.Fprintln(os.Stderr, "contract: FAIL:", env.skip)
			return 1
		}
		fmt.Fprintln(os.Stderr, "contract: skipped:", env.skip)
		code := m.Run()
		if s := getAPISummary(); s != "" {
			writeReport(s)
		}
		return code
	}

	dir, err := os.MkdirTemp("", "bicontract-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "contract:", err)
		return 1
	}
	var procs procSet
	// Stop everything on ^C or SIGTERM too; a crash of this process kills
	// the children through their parent-death signal where the OS has one.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sig
		procs.stopAll()
		fmt.Fprintln(os.Stderr, "contract: stopped by", s, "; logs kept in", dir)
		os.Exit(1)
	}()
	code := func() int {
		defer procs.stopAll()
		if err := setUp(root, dir, specPath, prismBin, &procs); err != nil {
			fmt.Fprintln(os.Stderr, "contract: FAIL: setting up:", err)
			procs.dumpLogs()
			return 1
		}
		fmt.Fprintf(os.Stderr, "contract: ready in %v: bifake %s, prism proxy %s, reporting proxy %s, answer-checking proxy %s, mock %s\n",
			time.Since(start).Round(time.Millisecond), env.fake.URL, env.proxyURL, env.reportURL, env.outputURL, env.mockURL)
		code := m.Run()
		full := flag.Lookup("test.run").Value.String() == "" && flag.Lookup("test.skip").Value.String() == ""
		report, ok := env.stats.report(full)
		report += getAPISummary()
		if code == 0 && !ok {
			report += "contract: FAIL: operations not covered, unexpected violations, or unused allow-list entries (see above)\n"
			code = 1
		}
		writeReport(report)
		return code
	}()
	if code == 0 {
		os.RemoveAll(dir)
	} else {
		fmt.Fprintln(os.Stderr, "contract: logs kept in", dir)
	}
	fmt.Fprintf(os.Stderr, "contract: go test wall time %v\n", time.Since(start).Round(time.Millisecond))
	return code
}

// reportEnv names the file the coverage report goes to (contract/run.sh
// prints it whether the tests pass or fail); without it the report goes to
// standard output, which go test shows with -v or on failure.
const reportEnv = "CONTRACT_REPORT"

func writeReport(report string) {
	if p := os.Getenv(reportEnv); p != "" {
		if err := os.WriteFile(p, []byte(report), 0o644); err == nil {
			return
		}
	}
	fmt.Print(report)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// setUp builds and starts bifake, then the four Prism servers in parallel.
func setUp(root, dir, specPath, prismBin string, procs *procSet) error {
	bin := filepath.Join(dir, "bifake")
	build := exec.Command("go", "build", "-o", bin, "./cmd/bifake")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/bifake: %v\n%s", err, out)
	}
	// A small batch queue, so that a batch of batchQueueLimit+1 identities
	// meets the documented 429.
	fake, err := procs.start("bifake", filepath.Join(dir, "bifake.log"), bin, "-addr", "127.0.0.1:0", "-log",
		"-batch-queue-limit", fmt.Sprint(batchQueueLimit))
	if err != nil {
		return err
	}
	line, err := fake.firstLine(30 * time.Second)
	if err != nil {
		return fmt.Errorf("bifake: %w", err)
	}
	if err := json.Unmarshal([]byte(line), &env.fake); err != nil || env.fake.URL == "" {
		return fmt.Errorf("bifake printed %q: %v", line, err)
	}

	if env.tee, err = startTee(env.fake.URL); err != nil {
		return err
	}
	procs.onStop(env.tee.close)

	type server struct {
		name string
		args []string
		dst  **url.URL
	}
	servers := []server{
		{"prism-proxy", []string{"proxy", "--errors", specPath, env.tee.URL.String()}, &env.proxyURL},
		{"prism-report", []string{"proxy", specPath, env.tee.URL.String()}, &env.reportURL},
		// Forwards requests without checking them (the proxy above has
		// listed their violations) and refuses an answer that breaks the
		// spec, listing every error in its own answer, where the reporting
		// proxy's header is cut short after about 8 KB.
		{"prism-output", []string{"proxy", "--errors", "--validate-request=false", specPath, env.tee.URL.String()}, &env.outputURL},
		{"prism-mock", []string{"mock", "--dynamic=false", specPath}, &env.mockURL},
	}
	errs := make([]error, len(servers))
	var wg sync.WaitGroup
	for i, s := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			*s.dst, errs[i] = startPrism(procs, dir, prismBin, s.name, s.args)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// startPrism starts one Prism server on a free loopback port and waits until
// it answers. A port taken between the probe and Prism's bind is retried.
func startPrism(procs *procSet, dir, prismBin, name string, args []string) (*url.URL, error) {
	var lastErr error
	for attempt := range 3 {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		logPath := filepath.Join(dir, fmt.Sprintf("%s-%d.log", name, attempt))
		full := append(append([]string{}, args[0]), "-h", "127.0.0.1", "-p", fmt.Sprint(port))
		full = append(full, args[1:]...)
		p, err := procs.start(name, logPath, prismBin, full...)
		if err != nil {
			return nil, err
		}
		u := &url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", port)}
		if lastErr = p.waitHTTP(u, 120*time.Second); lastErr == nil {
			return u, nil
		}
		p.stop()
	}
	return nil, fmt.Errorf("%s: %w", name, lastErr)
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// proc is a child process in its own process group, its output in a log.
type proc struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	lines   chan string // stdout lines, until the first is read
	exited  chan struct{}
	once    sync.Once
}

type procSet struct {
	mu    sync.Mutex
	procs []*proc
	stops []func()
}

// onStop registers f to run when everything stops.
func (ps *procSet) onStop(f func()) {
	ps.mu.Lock()
	ps.stops = append(ps.stops, f)
	ps.mu.Unlock()
}

func (ps *procSet) start(name, logPath, bin string, args ...string) (*proc, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stderr = logf
	cmd.SysProcAttr = sysProcAttr()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, logPath: logPath, lines: make(chan string, 1), exited: make(chan struct{})}
	ps.mu.Lock()
	ps.procs = append(ps.procs, p)
	ps.mu.Unlock()
	go func() {
		r := bufio.NewReader(stdout)
		first, err := r.ReadString('\n')
		if err == nil {
			p.lines <- strings.TrimSpace(first)
			_, _ = logf.WriteString(first)
		}
		_, _ = io.Copy(logf, r)
		_ = cmd.Wait()
		logf.Close()
		close(p.exited)
	}()
	return p, nil
}

// firstLine waits for the first line the process prints.
func (p *proc) firstLine(timeout time.Duration) (string, error) {
	select {
	case l := <-p.lines:
		return l, nil
	case <-p.exited:
		return "", fmt.Errorf("exited before printing anything (%s)", p.cmd.ProcessState)
	case <-time.After(timeout):
		return "", fmt.Errorf("printed nothing within %v", timeout)
	}
}

// waitHTTP waits until the server answers any HTTP request.
func (p *proc) waitHTTP(u *url.URL, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	hc := &http.Client{Timeout: 2 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u.String()+"/__ready", nil)
		if resp, err := hc.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-p.exited:
			return fmt.Errorf("exited before listening (%s); log %s", p.cmd.ProcessState, p.logPath)
		case <-ctx.Done():
			return fmt.Errorf("not listening on %s within %v; log %s", u, timeout, p.logPath)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// stop ends the process group: SIGTERM, then SIGKILL after 5 s.
func (p *proc) stop() {
	p.once.Do(func() {
		pgid := p.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			<-p.exited
		}
		// Whatever the group left behind.
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	})
}

func (ps *procSet) stopAll() {
	ps.mu.Lock()
	procs := append([]*proc(nil), ps.procs...)
	stops := ps.stops
	ps.stops = nil
	ps.mu.Unlock()
	var wg sync.WaitGroup
	for _, p := range procs {
		wg.Add(1)
		go func() { defer wg.Done(); p.stop() }()
	}
	wg.Wait()
	for _, f := range stops {
		f()
	}
}

// dumpLogs prints the end of each process's log, for a failed run.
func (ps *procSet) dumpLogs() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.procs {
		b, _ := os.ReadFile(p.logPath)
		if len(b) > 4000 {
			b = b[len(b)-4000:]
		}
		fmt.Fprintf(os.Stderr, "---- %s (%s), end of log:\n%s\n", p.name, p.logPath, b)
	}
}
