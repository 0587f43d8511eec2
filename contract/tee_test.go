package contract

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"
)

// exchangeHeader carries the checker's number of an exchange through Prism
// (which forwards request headers upstream) to the tee.
const exchangeHeader = "X-Contract-Exchange"

// tee is a reverse proxy between the Prism proxies and bifake that keeps
// bifake's answer to each numbered exchange. With --errors Prism replaces
// an answer that breaks the spec by its own error; when every violation is
// allow-listed, the checker hands the SDK bifake's answer from here instead,
// without sending the request again.
type tee struct {
	URL *url.URL
	srv *http.Server

	mu      sync.Mutex
	answers map[string]*recorded
}

// recorded is one answer of bifake.
type recorded struct {
	status int
	header http.Header
	body   []byte
}

// startTee serves a tee to upstream on a free loopback port.
func startTee(upstream string) (*tee, error) {
	up, err := url.Parse(upstream)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	t := &tee{URL: &url.URL{Scheme: "http", Host: ln.Addr().String()}, answers: map[string]*recorded{}}
	rp := httputil.NewSingleHostReverseProxy(up)
	rp.ModifyResponse = func(resp *http.Response) error {
		id := resp.Request.Header.Get(exchangeHeader)
		if id == "" {
			return nil
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		t.mu.Lock()
		t.answers[id] = &recorded{status: resp.StatusCode, header: resp.Header.Clone(), body: b}
		t.mu.Unlock()
		return nil
	}
	t.srv = &http.Server{Handler: rp, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = t.srv.Serve(ln) }()
	return t, nil
}

// take returns and forgets bifake's answer to exchange id, nil if none.
func (t *tee) take(id string) *recorded {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.answers[id]
	delete(t.answers, id)
	return r
}

func (t *tee) close() { _ = t.srv.Close() }
