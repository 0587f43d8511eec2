package beyondidentity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// This file reads and decodes the API's answers: success bodies through a
// bounded, pooled buffer; answers that decode to nothing are errors; error
// bodies become an *APIError with every secret of the call scrubbed out.

// Limits on how much of a response body is read.
const (
	maxResponseBody = 32 << 20 // a success body; a page of 200 identities is ~200 KiB
	maxErrorBody    = 64 << 10 // an error body; only the start is useful
	// maxPrealloc bounds the buffer allocated for a body before its bytes
	// arrive, whatever Content-Length the server declares: a larger body
	// grows the buffer as it is read.
	maxPrealloc = 64 << 10
	// maxPooledBuffer is the largest buffer kept for reuse.
	maxPooledBuffer = 1 << 20
)

// bodyDecoder is implemented by results that decode a success body
// themselves (list pages check their items before decoding them).
type bodyDecoder interface {
	decodeBody(b []byte) error
}

// finish turns the final response of a call into its result: the decoded
// body of a 2xx answer into out, an error otherwise. The secrets the call
// sent (token is its bearer token) are scrubbed from every text an error
// takes from the answer.
func (c *core) finish(cl *call, ci *callInfo, resp *http.Response, out any, token string) error {
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		c.budget.refill()
		if err := decodeSuccess(resp, out, c.bodyTimeout); err != nil {
			return &RequestError{Method: cl.method, URL: cl.url, Err: err}
		}
		return nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		// The client never follows a redirect (see newHTTPClient): the API
		// does not send one, and following it would hand the token, the
		// client secret or the request body to another host.
		drain(resp.Body)
		return &APIError{
			StatusCode: resp.StatusCode, Method: cl.method, URL: cl.url, Attempts: ci.attempt,
			Message:   "redirect to " + redirectTarget(resp) + " not followed: the API never redirects",
			RequestID: scrub(oneLine(requestID(resp.Header)), callSecrets(cl, token)),
		}
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil && len(b) == 0 {
		b = nil
	}
	ae := newAPIError(cl.method, cl.url, resp.StatusCode, resp.Header, b)
	ae.Attempts = ci.attempt
	ae.scrub(callSecrets(cl, token))
	return ae
}

// decodeSuccess decodes the body of a 2xx answer into out. A nil out
// discards the body (an empty body, {} and 204 are all fine then); for a
// non-nil out, an empty body, a 204 and a body of null are errors, since
// they would leave the caller a zero value and no error. A timeout above
// zero bounds the reading of the body.
func decodeSuccess(resp *http.Response, out any, timeout time.Duration) error {
	if out == nil || resp.StatusCode == http.StatusNoContent {
		drain(resp.Body)
		if out != nil {
			return errors.New("empty response (204) where a result was expected")
		}
		return nil
	}
	var dl *bodyDeadline
	if timeout > 0 {
		dl = armBodyDeadline(resp.Body, timeout)
	}
	bp, err := readBody(resp.Body, resp.ContentLength)
	if dl != nil && dl.disarm() {
		err = fmt.Errorf("reading response: the body did not arrive within %s", timeout)
	}
	if bp != nil {
		defer putBuffer(bp)
	}
	if err != nil {
		return err
	}
	b := *bp
	switch trimmed := bytes.TrimSpace(b); {
	case len(trimmed) == 0:
		return errors.New("empty response body where a result was expected")
	case string(trimmed) == "null":
		return errors.New("the answer is null where a result was expected")
	}
	if d, ok := out.(bodyDecoder); ok {
		err = d.decodeBody(b)
	} else {
		err = json.Unmarshal(b, out)
	}
	if err != nil {
		return fmt.Errorf("decoding response: %w", err)
	}
	return nil
}

var bufferPool = sync.Pool{New: func() any { return new([]byte) }}

func putBuffer(bp *[]byte) {
	if cap(*bp) > maxPooledBuffer {
		return // let a rare huge body go, rather than keep it for good
	}
	*bp = (*bp)[:0]
	bufferPool.Put(bp)
}

// readBody reads a whole body of at most maxResponseBody bytes into a
// pooled buffer, which the caller returns with putBuffer. declared is the
// Content-Length (-1 when unknown): a larger declared length fails at once,
// and at most maxPrealloc bytes are allocated before the bytes arrive, so a
// server that declares a huge body and stalls costs little memory. The read
// continues to EOF, so the connection goes back to the pool.
func readBody(r io.Reader, declared int64) (*[]byte, error) {
	if declared > maxResponseBody {
		return nil, fmt.Errorf("response body of %d bytes is larger than the %d bytes allowed", declared, maxResponseBody)
	}
	bp := bufferPool.Get().(*[]byte)
	b := (*bp)[:0]
	// One byte more than declared, so that the read that reports EOF finds
	// room and needs no second buffer.
	if want := int(min(max(declared+1, 512), maxPrealloc)); cap(b) < want {
		b = make([]byte, 0, want)
	}
	for {
		if len(b) == cap(b) {
			if len(b) > maxResponseBody {
				*bp = b
				return bp, fmt.Errorf("response body larger than the %d bytes allowed", maxResponseBody)
			}
			b = append(b, 0)[:len(b)] // grow by append's factor
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			*bp = b
			return bp, nil
		}
		if err != nil {
			*bp = b
			return bp, fmt.Errorf("reading response: %w", err)
		}
	}
}

// drain reads a little of the body so the connection can be reused, then
// closes it.
func drain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 4<<10))
	_ = body.Close()
}

// scrub replaces every secret in s with REDACTED.
func scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	return s
}

// bodyDeadline closes a response body whose reading takes too long, which
// makes the blocked read return: with it, the library's default client
// bounds every attempt without http.Client.Timeout, which costs about ten
// allocations a request inside net/http. Deadlines are pooled with their
// timer, so arming one allocates nothing.
type bodyDeadline struct {
	timer    *time.Timer
	mu       sync.Mutex
	body     io.Closer // nil when disarmed
	timedOut bool
}

var deadlinePool = sync.Pool{New: func() any {
	d := &bodyDeadline{}
	d.timer = time.AfterFunc(maxDuration, d.fire)
	d.timer.Stop()
	return d
}}

func (d *bodyDeadline) fire() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.body != nil {
		d.timedOut = true
		_ = d.body.Close()
	}
}

// armBodyDeadline closes body after timeout unless disarm is called first.
func armBodyDeadline(body io.Closer, timeout time.Duration) *bodyDeadline {
	d := deadlinePool.Get().(*bodyDeadline)
	d.mu.Lock()
	d.body, d.timedOut = body, false
	d.mu.Unlock()
	d.timer.Reset(timeout)
	return d
}

// disarm stops the deadline and reports whether it had passed.
func (d *bodyDeadline) disarm() bool {
	stopped := d.timer.Stop()
	d.mu.Lock()
	timedOut := d.timedOut
	d.body = nil
	d.mu.Unlock()
	// A timer whose function has started may still be about to run it:
	// such a deadline is not reused, so it can never close another body.
	if stopped {
		deadlinePool.Put(d)
	}
	return timedOut
}
