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

// tooMany starts an sl-violations header Prism cut short: it keeps about
// 8 KB of the JSON list.
const tooMany = "Too many violations! "

// parseViolations reads an sl-violations header: every violation of a
// complete list, or those before the cut of a list Prism cut short (then
// complete is false).
func parseViolations(raw string) (vs []violation, complete bool) {
	cut := strings.HasPrefix(raw, tooMany)
	dec := json.NewDecoder(strings.NewReader(strings.TrimPrefix(raw, tooMany)))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, false
	}
	for dec.More() {
		var v violation
		if err := dec.Decode(&v); err != nil {
			return vs, false
		}
		vs = append(vs, v)
	}
	if _, err := dec.Token(); err != nil {
		return vs, false
	}
	return vs, !cut
}

// readVerdict reads Prism's findings from an answer: the sl-violations
// header, and the answer Prism makes itself when --errors is set or the
// request cannot be served.
func readVerdict(h http.Header, body []byte) (vd verdict) {
	complete := true
	raw := h.Get("sl-violations")
	if raw != "" {
		vd.violations, complete = parseViolations(raw)
	}
	defer func() {
		if !complete {
			// Violations Prism's header no longer shows, and no list of
			// Prism's answer gives them: unknown, so not excused.
			vd.violations = append(vd.violations, violation{Location: locPath{"?"}, Severity: "Error",
				Code: json.RawMessage(`"cut"`), Message: fmt.Sprintf("Prism cut its list of violations short after %d: %.300s…", len(vd.violations), raw)})
		}
	}()
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
		// The answer of the server broke the spec and Prism replaced it.
		// Prism's answer lists every error of the server's answer; the
		// header lists them too, unless it was cut short. A cut hides
		// nothing else: the request had no error (it was forwarded), Prism
		// warns of an answer only for a status the operation does not
		// document (and then checks nothing else of it), and of a request
		// only for a deprecated parameter, which the spec has none of.
		// judge counts a violation listed twice once.
		vd.violations = append(vd.violations, p.Validation...)
		complete = true
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
	send := func(target *url.URL, header http.Header, reqBody []byte) (*http.Response, []byte, error) {
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
	resp, body, err := send(req.URL, header, reqBody)
	if err != nil {
		return nil, err
	}
	vd := readVerdict(resp.Header, body)
	vd.violations = append(own, vd.violations...)
	// answer is the server's answer and status its status, nil and 0 when
	// there is none: Prism refused the request. When Prism replaced the
	// answer, the tee has the original.
	answer, status := body, resp.StatusCode
	var original *recorded
	switch {
	case vd.problem == "VIOLATIONS" && c.mode == modeProxy:
		original = env.tee.take(exID)
		answer, status = nil, 0
		if original != nil {
			answer, status = original.body, original.status
		}
	case vd.problem != "":
		answer, status = nil, 0
	}
	all := vd.violations
	j := judge(opID, vd.violations, reqBody, answer, status)

	// When every violation is allow-listed:
	//   - an answer Prism replaced is handed to the SDK as the server sent it
	//     (from the tee; the request is not sent again);
	//   - a request Prism refused through the proxy for what it holds
	//     (UNPROCESSABLE_ENTITY, whose answer lists every violation of the
	//     request) goes, once, through the answer-checking proxy, which
	//     forwards it without checking it again and refuses a server's
	//     answer that breaks the spec with the whole list of its errors;
	//     the server's answer is then handed to the SDK from the tee as
	//     above;
	//   - a request Prism refused through the proxy for its security (or
	//     its path) goes, once, through the reporting proxy, which
	//     validates the same way but lists violations (sl-violations)
	//     instead of refusing, so that the operation and the server's
	//     answer are still checked;
	//   - a request the mock refused for the undefined security scheme is
	//     sent again without the Authorization header, as the spec (the way
	//     Prism reads it) asks;
	//   - a request the mock refused only for defects whose allowances say
	//     how the spec wants the request (allowance.MockRequest) is sent to
	//     the mock again in that form, so that the mock answers with what
	//     was asked of it. What the SDK sent is what was judged.
	rerouted := ""
	if len(vd.violations) > 0 && len(j.unexpected) == 0 && len(j.pending) == 0 {
		switch {
		case original != nil:
			rerouted = "server's answer, which Prism replaced"
			body = useRecorded(resp, original)
		case c.mode == modeProxy && vd.problem == "UNPROCESSABLE_ENTITY":
			rerouted = "answer-checking proxy"
			resp, body, err = send(env.outputURL, header, reqBody)
		case c.mode == modeProxy && vd.blocked:
			rerouted = "reporting proxy"
			resp, body, err = send(env.reportURL, header, reqBody)
		case c.mode == modeMock && securityRefused(vd):
			rerouted = "mock without Authorization"
			h := header.Clone()
			h.Del("Authorization")
			resp, body, err = send(req.URL, h, reqBody)
		case c.mode == modeMock:
			if rewrites := mockRewrites(vd.violations, j); len(rewrites) > 0 {
				rerouted = "mock, the request as the spec declares it"
				h, b := header.Clone(), reqBody
				for _, a := range rewrites {
					b = a.MockRequest(h, b)
				}
				resp, body, err = send(req.URL, h, b)
			}
		}
		if err != nil {
			return nil, err
		}
		if rerouted != "" && original == nil {
			vd = readVerdict(resp.Header, body)
			vd.violations = append(own, vd.violations...)
			answer, status = body, resp.StatusCode
			var replaced *recorded
			switch {
			case vd.problem == "VIOLATIONS" && c.mode == modeProxy:
				replaced = env.tee.take(exID)
				answer, status = nil, 0
				if replaced != nil {
					answer, status = replaced.body, replaced.status
				}
			case vd.problem != "":
				answer, status = nil, 0
			}
			all = append(all, vd.violations...)
			j = judge(opID, all, reqBody, answer, status)
			if replaced != nil && len(j.unexpected) == 0 && len(j.pending) == 0 {
				rerouted += ", then the server's answer, which Prism replaced"
				body = useRecorded(resp, replaced)
			}
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
// it), status the status of the answer (0 when there is none).
func judge(opID string, vs []violation, reqBody, answer []byte, status int) judgement {
	j := judgement{excused: map[string]*allowance{}}
	seen := map[string]bool{}
	for _, v := range vs {
		key := v.String()
		if seen[key] {
			continue
		}
		seen[key] = true
		a, needBody := allowedFor(opID, v, reqBody, answer, status)
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

// useRecorded makes resp the server's answer rec, which Prism replaced,
// and returns its body.
func useRecorded(resp *http.Response, rec *recorded) []byte {
	resp.StatusCode, resp.Status = rec.status, fmt.Sprintf("%d %s", rec.status, http.StatusText(rec.status))
	resp.Header = rec.header.Clone()
	resp.Body = io.NopCloser(bytes.NewReader(rec.body))
	resp.ContentLength = int64(len(rec.body))
	return rec.body
}

// mockRewrites returns the allowances whose MockRequest puts a request the
// mock refused in the form the spec declares, nil unless every error of
// the request is excused by one of them.
func mockRewrites(vs []violation, j judgement) []*allowance {
	var out []*allowance
	for _, v := range vs {
		if len(v.Location) == 0 || v.Location[0] != "request" || v.Severity != "Error" {
			continue
		}
		a := j.excused[v.String()]
		if a == nil || a.MockRequest == nil {
			return nil
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
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
