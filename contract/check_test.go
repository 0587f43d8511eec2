package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// violation is one finding of Prism, as in its sl-violations header and the
// "validation" member of its error answers.
type violation struct {
	Location locPath         `json:"location"`
	Severity string          `json:"severity"`
	Code     json.RawMessage `json:"code"` // a string, or a number for some
	Message  string          `json:"message"`
}

// locPath is a violation's location: "request" or "response", then
// "body", "query", ... and the path in it. Array indexes come as numbers.
type locPath []string

func (l *locPath) UnmarshalJSON(b []byte) error {
	var raw []any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*l = make(locPath, len(raw))
	for i, x := range raw {
		(*l)[i] = fmt.Sprint(x)
	}
	return nil
}

func (v violation) codeString() string {
	var s string
	if json.Unmarshal(v.Code, &s) == nil {
		return s
	}
	return string(v.Code)
}

func (v violation) where() string { return strings.Join(v.Location, ".") }

func (v violation) String() string {
	return fmt.Sprintf("[%s %s at %s] %s", v.Severity, v.codeString(), v.where(), v.Message)
}

// prismProblem is the body of an answer Prism makes itself
// (application/problem+json).
type prismProblem struct {
	Type       string      `json:"type"`
	Title      string      `json:"title"`
	Status     int         `json:"status"`
	Detail     string      `json:"detail"`
	Validation []violation `json:"validation"`
}

const prismErrors = "https://stoplight.io/prism/errors#"

// verdict is what Prism said about one exchange.
type verdict struct {
	violations []violation
	// blocked: Prism answered itself instead of forwarding the request
	// (or, for the mock, answered for an invalid request).
	blocked bool
	problem string // the kind of Prism's own answer, e.g. "UNAUTHORIZED"
}

// readVerdict reads Prism's findings from an answer: the sl-violations
// header, and the answer Prism makes itself when --errors is set or the
// request cannot be served.
func readVerdict(h http.Header, body []byte) verdict {
	var vd verdict
	if raw := h.Get("sl-violations"); raw != "" {
		var vs []violation
		if err := json.Unmarshal([]byte(raw), &vs); err != nil {
			// Prism truncates a long list ("Too many violations! ...").
			vs = []violation{{Location: locPath{"?"}, Severity: "Error", Code: json.RawMessage(`"unparsed"`), Message: raw}}
		}
		vd.violations = vs
	}
	ct, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if ct != "application/problem+json" {
		return vd
	}
	var p prismProblem
	if json.Unmarshal(body, &p) != nil || !strings.HasPrefix(p.Type, prismErrors) {
		return vd
	}
	vd.problem = strings.TrimPrefix(p.Type, prismErrors)
	switch vd.problem {
	case "VIOLATIONS":
		// The answer of the server broke the spec and Prism replaced it;
		// the header already lists the violations.
		if len(vd.violations) == 0 {
			vd.violations = p.Validation
		}
	case "UNPROCESSABLE_ENTITY":
		// The request broke the spec and was not forwarded.
		vd.blocked = true
		for _, v := range p.Validation {
			v.Location = append(locPath{"request"}, v.Location...)
			vd.violations = append(vd.violations, v)
		}
	case "UNAUTHORIZED":
		// The security requirements are not met; the request was not
		// forwarded. Said the way sl-violations says it, so that one
		// allow-list entry covers both.
		vd.blocked = true
		vd.violations = append(vd.violations, violation{
			Location: locPath{"request"}, Severity: "Error", Code: json.RawMessage(`401`),
			Message: p.Title,
		})
	default:
		// NO_PATH_MATCHED_ERROR, NO_METHOD_MATCHED_ERROR, ...: the request
		// was not forwarded.
		vd.blocked = true
		code, _ := json.Marshal(vd.problem)
		vd.violations = append(vd.violations, violation{
			Location: locPath{"request"}, Severity: "Error", Code: code,
			Message: strings.TrimSpace(p.Title + ": " + p.Detail),
		})
	}
	return vd
}

// reporter is the part of *testing.T the checker uses.
type reporter interface {
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
	Fatal(args ...any)
}

// exchange is one request the checker saw and the answer the SDK got.
type exchange struct {
	Op     string // operationId, "" when outside the spec
	Method string
	Path   string // escaped
	Status int
	Body   []byte
}

// checker is the http.RoundTripper wrapped around the SDK's transport. It
// reads Prism's verdict on every exchange with Prism, excuses what the
// allow-list excuses, and fails the test for everything else with Prism's
// message.
type checker struct {
	t    reporter
	mode string // modeProxy or modeMock
	base http.RoundTripper
	st   *stats

	mu        sync.Mutex
	exchanges []exchange
}

// exchangeSeq numbers exchanges for the tee.
var exchangeSeq atomic.Int64

const (
	modeProxy = "proxy"
	modeMock  = "mock"
)

type preferKey struct{}

// withPrefer asks the mock for one documented answer (Prism's Prefer
// header: "code=404", "code=200, example=\"Success\"").
func withPrefer(ctx context.Context, prefer string) context.Context {
	return context.WithValue(ctx, preferKey{}, prefer)
}

// RoundTrip sends req and checks Prism's verdict on the exchange.
func (c *checker) RoundTrip(req *http.Request) (*http.Response, error) {
	prismHost := env.proxyURL.Host
	if c.mode == modeMock {
		prismHost = env.mockURL.Host
	}
	if req.URL.Host != prismHost {
		// The auth host (token, introspection, revocation): not in the spec.
		c.st.outside(req.Method + " " + authPathName(req.URL.EscapedPath()))
		return c.base.RoundTrip(req)
	}

	var reqBody []byte
	if req.Body != nil {
		var err error
		reqBody, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	path := req.URL.EscapedPath()
	opID := ""
	// Prism accepts query parameters the operation does not declare; the
	// suite reports them like Prism's own findings.
	var own []violation
	if op := env.spec.Match(req.Method, path); op != nil {
		opID = op.ID
		for _, name := range op.undeclaredQuery(req.URL.Query()) {
			own = append(own, violation{Location: locPath{"request", "query", name}, Severity: "Error",
				Code: json.RawMessage(`"undeclared"`), Message: "query parameter " + name + " is not declared by the operation"})
		}
	}
	send := func(target *url.URL, header http.Header) (*http.Response, []byte, error) {
		r := req.Clone(req.Context())
		r.URL.Scheme, r.URL.Host, r.Host = target.Scheme, target.Host, ""
		r.Header = header
		if reqBody != nil {
			r.Body = io.NopCloser(bytes.NewReader(reqBody))
			r.ContentLength = int64(len(reqBody))
		}
		resp, err := c.base.RoundTrip(r)
		if err != nil {
			return nil, nil, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, nil, err
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		return resp, b, nil
	}

	header := req.Header.Clone()
	if p, _ := req.Context().Value(preferKey{}).(string); p != "" {
		header.Set("Prefer", p)
	}
	exID := fmt.Sprint(exchangeSeq.Add(1))
	if c.mode == modeProxy {
		header.Set(exchangeHeader, exID)
		defer env.tee.take(exID)
	}
	resp, body, err := send(req.URL, header)
	if err != nil {
		return nil, err
	}
	vd := readVerdict(resp.Header, body)
	vd.violations = append(own, vd.violations...)
	// answer is the server's answer, nil when there is none: Prism refused
	// the request. When Prism replaced the answer, the tee has the original.
	answer := body
	var original *recorded
	switch {
	case vd.problem == "VIOLATIONS" && c.mode == modeProxy:
		original = env.tee.take(exID)
		answer = nil
		if original != nil {
			answer = original.body
		}
	case vd.problem != "":
		answer = nil
	}
	all := vd.violations
	j := judge(opID, vd.violations, reqBody, answer)

	// When every violation is allow-listed:
	//   - an answer Prism replaced is handed to the SDK as the server sent it
	//     (from the tee; the request is not sent again);
	//   - a request Prism refused through the proxy goes, once, through the
	//     reporting proxy, which validates the same way but lists violations
	//     (sl-violations) instead of refusing, so that the operation and the
	//     server's answer are still checked;
	//   - a request the mock refused for the undefined security scheme is
	//     sent again without the Authorization header, as the spec (the way
	//     Prism reads it) asks.
	rerouted := ""
	if len(vd.violations) > 0 && len(j.unexpected) == 0 && len(j.pending) == 0 {
		switch {
		case original != nil:
			rerouted = "server's answer, which Prism replaced"
			resp.StatusCode, resp.Status = original.status, fmt.Sprintf("%d %s", original.status, http.StatusText(original.status))
			resp.Header = original.header.Clone()
			body = original.body
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
		case c.mode == modeProxy && vd.blocked:
			rerouted = "reporting proxy"
			resp, body, err = send(env.reportURL, header)
		case c.mode == modeMock && securityRefused(vd):
			rerouted = "mock without Authorization"
			h := header.Clone()
			h.Del("Authorization")
			resp, body, err = send(req.URL, h)
		}
		if err != nil {
			return nil, err
		}
		if rerouted != "" && original == nil {
			vd = readVerdict(resp.Header, body)
			vd.violations = append(own, vd.violations...)
			answer = body
			if vd.problem != "" {
				answer = nil
			}
			all = append(all, vd.violations...)
			j = judge(opID, all, reqBody, answer)
		}
	}
	// Excused only for lack of the server's answer: not excused.
	unexpected := append(j.unexpected, j.pending...)

	if opID == "" && len(all) == 0 {
		unexpected = append(unexpected, violation{Location: locPath{"request"}, Severity: "Error",
			Code: json.RawMessage(`"not-in-spec"`), Message: "no operation of the spec serves " + req.Method + " " + path})
	}
	if len(j.excused) > 0 {
		byWhy := map[string]int{}
		for _, a := range j.excused {
			byWhy[a.Why]++
		}
		for why, n := range byWhy {
			c.t.Logf("allow-listed on %s %s (%s): %d violation(s): %s", req.Method, path, opID, n, why)
		}
	}
	for _, v := range unexpected {
		c.t.Errorf("spec violation on %s %s (%s), %s: %s", req.Method, path, opID, c.mode, v)
	}
	c.st.record(c.mode, opID, resp.StatusCode, j.excused, unexpected, rerouted)

	c.mu.Lock()
	c.exchanges = append(c.exchanges, exchange{Op: opID, Method: req.Method, Path: path, Status: resp.StatusCode, Body: body})
	c.mu.Unlock()
	return resp, nil
}

// judgement sorts the distinct violations of one exchange.
type judgement struct {
	excused    map[string]*allowance // by violation text
	unexpected []violation
	// pending are violations an allowance would excuse if the server's
	// answer were there to look at.
	pending []violation
}

// judge sorts violations against the allow-list. reqBody and answer are the
// JSON bodies an allowance may look into (answer nil when Prism replaced
// it).
func judge(opID string, vs []violation, reqBody, answer []byte) judgement {
	j := judgement{excused: map[string]*allowance{}}
	seen := map[string]bool{}
	for _, v := range vs {
		key := v.String()
		if seen[key] {
			continue
		}
		seen[key] = true
		a, needBody := allowedFor(opID, v, reqBody, answer)
		switch {
		case a != nil:
			j.excused[key] = a
		case needBody:
			j.pending = append(j.pending, v)
		default:
			j.unexpected = append(j.unexpected, v)
		}
	}
	return j
}

// Exchanges returns the exchanges with Prism so far.
func (c *checker) Exchanges() []exchange {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.exchanges)
}

// Last returns the last exchange with Prism.
func (c *checker) Last() exchange {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.exchanges) == 0 {
		c.t.Fatal("no exchange with Prism")
	}
	return c.exchanges[len(c.exchanges)-1]
}

// authPathName names an auth host path without its IDs.
func authPathName(p string) string {
	segs := strings.Split(p, "/")
	last := segs[len(segs)-1]
	if i := strings.LastIndexByte(last, ':'); i >= 0 {
		return ":" + last[i+1:]
	}
	return last
}

// stats are the suite's totals, printed at the end.
type stats struct {
	mu         sync.Mutex
	ops        map[string]map[string]map[int]int // mode → op → status → count
	outsideOps map[string]int
	rerouted   map[string]int // "mode op via" → count
	nFound     int
	nExcused   int
	unexpected []string
}

func newStats() *stats {
	return &stats{ops: map[string]map[string]map[int]int{modeProxy: {}, modeMock: {}},
		outsideOps: map[string]int{}, rerouted: map[string]int{}}
}

func (s *stats) outside(what string) {
	s.mu.Lock()
	s.outsideOps[what]++
	s.mu.Unlock()
}

func (s *stats) record(mode, op string, status int, excused map[string]*allowance, unexpected []violation, rerouted string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if op != "" {
		if s.ops[mode][op] == nil {
			s.ops[mode][op] = map[int]int{}
		}
		s.ops[mode][op][status]++
	}
	s.nFound += len(excused) + len(unexpected)
	s.nExcused += len(excused)
	if s == env.stats {
		for _, a := range excused {
			a.hit()
		}
	}
	for _, v := range unexpected {
		s.unexpected = append(s.unexpected, fmt.Sprintf("%s %s: %s", mode, op, v))
	}
	if rerouted != "" {
		s.rerouted[fmt.Sprintf("%s %s: %s", mode, op, rerouted)]++
	}
}

// report returns the coverage and violation lines, and whether the run
// met its bar (every operation in scope exercised, no violation left).
func (s *stats) report(full bool) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	ok := len(s.unexpected) == 0
	for _, mode := range []string{modeProxy, modeMock} {
		n := 0
		var missing []string
		for _, id := range inScope {
			if len(s.ops[mode][id]) > 0 {
				n++
			} else {
				missing = append(missing, id)
			}
		}
		fmt.Fprintf(&b, "contract: %s: operations exercised %d/%d in scope", mode, n, len(inScope))
		if len(missing) > 0 {
			fmt.Fprintf(&b, " (missing: %s)", strings.Join(missing, ", "))
			ok = ok && !full
		}
		b.WriteString("\n")
		for _, id := range inScope {
			var sts []string
			codes := make([]int, 0, len(s.ops[mode][id]))
			for st := range s.ops[mode][id] {
				codes = append(codes, st)
			}
			sort.Ints(codes)
			for _, st := range codes {
				sts = append(sts, fmt.Sprintf("%d×%d", st, s.ops[mode][id][st]))
			}
			fmt.Fprintf(&b, "contract:   %-38s %s\n", id, strings.Join(sts, " "))
		}
	}
	for _, mode := range []string{modeProxy, modeMock} {
		for op := range s.ops[mode] {
			if !slices.Contains(inScope, op) {
				fmt.Fprintf(&b, "contract: %s: the SDK called %s, which inScope does not list\n", mode, op)
				ok = false
			}
		}
	}
	var outside []string
	for k, n := range s.outsideOps {
		outside = append(outside, fmt.Sprintf("%s×%d", k, n))
	}
	sort.Strings(outside)
	fmt.Fprintf(&b, "contract: auth host, outside the spec: %s\n", strings.Join(outside, " "))
	var rr []string
	for k, n := range s.rerouted {
		rr = append(rr, fmt.Sprintf("contract: after allow-listed violations only: %s ×%d\n", k, n))
	}
	sort.Strings(rr)
	b.WriteString(strings.Join(rr, ""))
	allowed := 0
	for _, a := range allowList {
		allowed += a.used()
		fmt.Fprintf(&b, "contract: allow-list %s %v at %s: %d× (%s)\n", a.Op, a.Codes, a.Location, a.used(), a.Why)
		if a.used() == 0 && full {
			fmt.Fprintf(&b, "contract:   ^ never needed: remove it or find why\n")
			ok = false
		}
	}
	for _, u := range s.unexpected {
		fmt.Fprintf(&b, "contract: unexpected: %s\n", u)
	}
	covered := 0
	for _, id := range inScope {
		if len(s.ops[modeProxy][id]) > 0 && len(s.ops[modeMock][id]) > 0 {
			covered++
		}
	}
	fmt.Fprintf(&b, "contract: operations exercised %d/%d in scope (through the proxy and against the mock); violations found %d, %d allow-listed, %d unexpected\n",
		covered, len(inScope), s.nFound, s.nExcused, len(s.unexpected))
	return b.String(), ok
}

// securityRefused reports whether the mock refused a request for its
// security requirements.
func securityRefused(vd verdict) bool {
	for _, v := range vd.violations {
		if v.codeString() == "401" {
			return true
		}
	}
	return false
}
