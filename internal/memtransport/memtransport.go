// Package memtransport provides an http.RoundTripper that serves requests by
// calling an http.Handler in memory, without sockets.
//
// Tests that wait (backoff, Retry-After, token expiry, polling) run inside a
// testing/synctest bubble, where fake time only advances while every
// goroutine is durably blocked. A goroutine reading a kept-alive loopback
// socket is not, so such tests send HTTP through this transport instead.
package memtransport

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
)

// ErrConnectionDropped is returned by RoundTrip when the handler aborted the
// request with panic(http.ErrAbortHandler), the in-memory analogue of a
// connection reset.
var ErrConnectionDropped = errors.New("memtransport: connection dropped by handler")

// Transport calls Handler for every request.
type Transport struct {
	Handler http.Handler
}

// RoundTrip runs the handler in its own goroutine and returns its recorded
// response, or the request context's error if it ends first.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// Give the handler its own copy of the body, as a server would.
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	sreq := req.Clone(req.Context())
	sreq.Body = io.NopCloser(bytes.NewReader(body))
	sreq.ContentLength = int64(len(body))
	sreq.RequestURI = req.URL.RequestURI()
	sreq.RemoteAddr = "192.0.2.1:1234"
	if sreq.Host == "" {
		sreq.Host = req.URL.Host
	}

	type result struct {
		resp *http.Response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		rec := httptest.NewRecorder()
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					done <- result{err: ErrConnectionDropped}
					return
				}
				panic(p)
			}
		}()
		t.Handler.ServeHTTP(rec, sreq)
		resp := rec.Result()
		resp.Request = req
		done <- result{resp: resp}
	}()
	select {
	case r := <-done:
		return r.resp, r.err
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
}

// Client returns an *http.Client that uses a Transport for h.
func Client(h http.Handler) *http.Client {
	return &http.Client{Transport: &Transport{Handler: h}}
}
