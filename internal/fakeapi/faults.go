package fakeapi

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// Fault makes the next Times requests that match Method and Path misbehave.
type Fault struct {
	// Method matches the request method; "" matches any.
	Method string
	// Path matches the escaped request path: exactly, or as a path.Match
	// pattern when it holds '*', '?' or '[' ('*' stops at '/', so
	// "/v1/tenants/*/realms/*/identities/*" matches one identity's path).
	// "" matches any path.
	Path string
	// Times is how many requests the fault applies to; 0 means 1.
	Times int
	// Delay holds the request this long before it is served (or answered
	// with Status, or dropped). The wait ends early if the client gives up.
	Delay time.Duration
	// Status, when set, answers with this status and an error body in the
	// API's shape (or Body, when set).
	Status int
	// RetryAfter, when positive, sets the Retry-After header in whole seconds
	// (rounded up).
	RetryAfter time.Duration
	// Header holds more headers for the Status answer (RateLimit-Reset,
	// an HTTP-date Retry-After, ...).
	Header http.Header
	// Body replaces the error body of the Status answer.
	Body string
	// Drop drops the connection without an answer (a net/http server resets
	// it; memtransport returns a transport error).
	Drop bool
}

type faultRule struct {
	Fault
	left int
}

func (f *Fault) matches(r *http.Request) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
		return false
	}
	if f.Path == "" {
		return true
	}
	p := r.URL.EscapedPath()
	if strings.ContainsAny(f.Path, "*?[") {
		ok, _ := path.Match(f.Path, p)
		return ok
	}
	return f.Path == p
}

// AddFault registers a fault. Faults are tried in the order they were added;
// the first that matches a request applies to it.
func (e *Engine) AddFault(f Fault) error {
	if strings.ContainsAny(f.Path, "*?[") {
		if _, err := path.Match(f.Path, ""); err != nil {
			return fmt.Errorf("bad Path pattern %q: %w", f.Path, err)
		}
	}
	if f.Times < 0 || f.Delay < 0 || f.Status < 0 || (f.Status != 0 && (f.Status < 100 || f.Status > 999)) {
		return fmt.Errorf("bad fault %+v", f)
	}
	if f.Status == 0 && !f.Drop && f.Delay == 0 {
		return fmt.Errorf("a fault needs a Status, a Delay or Drop")
	}
	n := f.Times
	if n == 0 {
		n = 1
	}
	e.faultMu.Lock()
	e.faults = append(e.faults, &faultRule{Fault: f, left: n})
	e.faultMu.Unlock()
	return nil
}

// ClearFaults removes every pending fault.
func (e *Engine) ClearFaults() {
	e.faultMu.Lock()
	e.faults = nil
	e.faultMu.Unlock()
}

// PendingFaults returns how many fault applications are left.
func (e *Engine) PendingFaults() int {
	e.faultMu.Lock()
	defer e.faultMu.Unlock()
	n := 0
	for _, f := range e.faults {
		n += f.left
	}
	return n
}

func (e *Engine) takeFault(r *http.Request) *Fault {
	e.faultMu.Lock()
	defer e.faultMu.Unlock()
	for i, f := range e.faults {
		if f.matches(r) {
			f.left--
			if f.left == 0 {
				e.faults = append(e.faults[:i:i], e.faults[i+1:]...)
			}
			ff := f.Fault
			return &ff
		}
	}
	return nil
}

// applyFault applies f and reports whether the request was answered (or
// abandoned); false lets it be served normally after a delay.
func (e *Engine) applyFault(w http.ResponseWriter, r *http.Request, f *Fault) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		}
	}
	if f.Drop {
		panic(http.ErrAbortHandler)
	}
	if f.Status == 0 {
		return false
	}
	for k, vs := range f.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if f.RetryAfter > 0 {
		secs := (f.RetryAfter + time.Second - 1) / time.Second
		w.Header().Set("Retry-After", strconv.FormatInt(int64(secs), 10))
	}
	if f.Body != "" {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
		return true
	}
	msg := strings.ToLower(http.StatusText(f.Status))
	if msg == "" {
		msg = "error"
	}
	writeError(w, f.Status, msg)
	return true
}

// ---- request log ----

// Request is a served request as the log keeps it, with secrets redacted:
// no Authorization or Cookie header, and the values of client_secret, token
// and similar form fields and query parameters (the binding link's token)
// replaced by "REDACTED".
type Request struct {
	Time   time.Time
	Method string
	// Path is the escaped path.
	Path   string
	Query  url.Values
	Header http.Header
	Body   string
	// Status is the answer's status, 0 if the connection was dropped or
	// the client gave up first.
	Status int
	// Dropped reports a connection dropped by a fault.
	Dropped bool
}

// Redacted is what replaces a secret in the request log.
const Redacted = "REDACTED"

var secretParams = []string{"client_secret", "token", "access_token", "refresh_token", "assertion", "code", "password"}

func redactValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		if slicesContainsFold(secretParams, k) {
			out[k] = make([]string, len(vs))
			for i := range vs {
				out[k][i] = Redacted
			}
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func slicesContainsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func (e *Engine) logRequest(r *http.Request, body []byte) *Request {
	h := r.Header.Clone()
	h.Del("Authorization")
	h.Del("Proxy-Authorization")
	h.Del("Cookie")
	b := string(body)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		if v, err := url.ParseQuery(b); err == nil {
			b = redactValues(v).Encode()
		} else {
			b = Redacted
		}
	}
	entry := &Request{Time: time.Now(), Method: r.Method, Path: r.URL.EscapedPath(), Query: redactValues(r.URL.Query()), Header: h, Body: b}
	e.logMu.Lock()
	e.log = append(e.log, entry)
	e.logMu.Unlock()
	return entry
}

func (e *Engine) finishLog(entry *Request, status int, dropped bool) {
	e.logMu.Lock()
	entry.Status, entry.Dropped = status, dropped
	e.logMu.Unlock()
}

// Requests returns the request log, oldest first.
func (e *Engine) Requests() []Request {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	out := make([]Request, len(e.log))
	for i, r := range e.log {
		out[i] = *r
		out[i].Query = redactValues(r.Query)
		out[i].Header = r.Header.Clone()
	}
	return out
}

// ClearRequests empties the request log.
func (e *Engine) ClearRequests() {
	e.logMu.Lock()
	e.log = nil
	e.logMu.Unlock()
}
