package beyondidentity

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Memory of ranging over a large realm: run with
//
//	go test -run '^$' -bench BenchmarkIdentitiesAllMemory -benchtime 1x .
//
// A loopback server serves the identities in pages of 200 (the API's
// maximum). The benchmark reports, relative to the heap before the loop:
//
//   - peak-live-KB: the largest live heap at a page boundary (a forced GC
//     before each sample, so only what is still referenced counts): what
//     the iterator retains.
//   - peak-heap-KB: the largest heap (live and garbage) seen by a sampler
//     every 100µs and at each page boundary, without forced GCs: what the
//     process really reaches under the default GOGC.
//   - page-json-KB and page-decoded-KB: the size of one page as JSON on the
//     wire and as decoded *Identity values in memory, for comparison.
//   - alloc-B/identity, allocs/identity, ns/identity: bytes, allocations
//     and time per identity of the sampled pass, client and in-process
//     server together (the raw sub-benchmark fetches the same pages with
//     plain net/http: the transport's and server's share).
//
// ns/op covers both passes and the forced GCs; it is not a speed figure.

const memPageSize = 200

// identityPageServer serves total identities in pages of memPageSize, with
// page tokens "p<index>". Pages are written from a template into one buffer
// allocated up front (requests are served one at a time), so the server
// allocates little besides net/http's own needs and its buffer is part of
// the heap before the measured loop.
type identityPageServer struct {
	total    int
	template []byte // one page of memPageSize items, the IDs to be patched
	idOffs   []int  // offsets of each 16-digit hex number to patch, 3 per item
	mu       sync.Mutex
	buf      []byte
	requests atomic.Int64
}

func newIdentityPageServer(total int) *identityPageServer {
	s := &identityPageServer{total: total}
	var b strings.Builder
	b.WriteString(`{"identities":[`)
	for i := range memPageSize {
		if i > 0 {
			b.WriteByte(',')
		}
		mark := func() { s.idOffs = append(s.idOffs, b.Len()) }
		b.WriteString(`{"id":"`)
		mark()
		b.WriteString(`0000000000000000","realm_id":"` + testRealm + `","tenant_id":"` + testTenant + `",`)
		b.WriteString(`"display_name":"Member `)
		mark()
		b.WriteString(`0000000000000000","create_time":"2024-03-01T10:20:30.123Z","update_time":"2024-05-06T07:08:09.123456Z",`)
		b.WriteString(`"status":"active","enrollment_status":"ENROLLED","traits":{"type":"traits_v0","username":"member-`)
		mark()
		b.WriteString(`0000000000000000","primary_email_address":"member@example.org","given_name":"Given","family_name":"Family",`)
		b.WriteString(`"external_id":"ext-1234","department":"Research"}}`)
	}
	b.WriteString(`],"total_size":`)
	s.template = []byte(b.String())
	s.buf = make([]byte, 0, len(s.template)+128)
	return s
}

func (s *identityPageServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	page := 0
	if tok := r.URL.Query().Get("page_token"); tok != "" {
		page, _ = strconv.Atoi(strings.TrimPrefix(tok, "p"))
	}
	first := page * memPageSize
	n := min(memPageSize, s.total-first)
	s.mu.Lock()
	defer s.mu.Unlock()
	buf := append(s.buf[:0], s.template...)
	for i := range memPageSize {
		for _, off := range s.idOffs[3*i : 3*i+3] {
			hexInto(buf[off:off+16], uint64(first+i))
		}
	}
	if n < memPageSize {
		// Cut the item list after n items.
		cut := len(`{"identities":[`)
		if n > 0 {
			cut = s.idOffs[3*n] - len(`{"id":"`) - 1 // before the comma
		}
		buf = append(buf[:cut], `],"total_size":`...)
	}
	buf = strconv.AppendInt(buf, int64(s.total), 10)
	if first+n < s.total {
		buf = append(buf, `,"next_page_token":"p`...)
		buf = strconv.AppendInt(buf, int64(page+1), 10)
		buf = append(buf, '"')
	}
	buf = append(buf, '}')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(buf)))
	_, _ = w.Write(buf)
}

func hexInto(dst []byte, v uint64) {
	const digits = "0123456789abcdef"
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = digits[v&0xf]
		v >>= 4
	}
}

func newMemoryBenchClient(tb testing.TB, srv *httptest.Server) *Client {
	c, err := NewClient(WithTenant(testTenant), WithRealm(testRealm),
		WithBaseURLs(srv.URL, srv.URL), WithAPIToken(testToken))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// heapSampler records the largest heap (live objects and garbage) seen by a
// background reader of runtime/metrics.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	done chan struct{}
}

const heapObjectsMetric = "/memory/classes/heap/objects:bytes"

func startHeapSampler(every time.Duration) *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		s := []metrics.Sample{{Name: heapObjectsMetric}}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			metrics.Read(s)
			h.observe(s[0].Value.Uint64())
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) observe(v uint64) {
	for {
		p := h.peak.Load()
		if v <= p || h.peak.CompareAndSwap(p, v) {
			return
		}
	}
}

func (h *heapSampler) finish() uint64 {
	close(h.stop)
	<-h.done
	return h.peak.Load()
}

func heapObjects() uint64 {
	s := []metrics.Sample{{Name: heapObjectsMetric}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func BenchmarkIdentitiesAllMemory(b *testing.B) {
	for _, total := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", total), func(b *testing.B) {
			ps := newIdentityPageServer(total)
			srv := httptest.NewServer(ps)
			defer srv.Close()
			c := newMemoryBenchClient(b, srv)
			ctx := context.Background()

			// One page, as JSON and decoded.
			resp, err := http.Get(srv.URL + "/")
			if err != nil {
				b.Fatal(err)
			}
			pageJSON, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			before := liveHeap()
			page, err := c.Identities.List(ctx, &ListOptions{PageSize: memPageSize})
			if err != nil {
				b.Fatal(err)
			}
			pageDecoded := int64(liveHeap()) - int64(before)
			runtime.KeepAlive(page)
			page = nil

			var peakLive, peakHeap uint64
			var allocBytes, allocs uint64
			var elapsed time.Duration
			b.ResetTimer()
			for range b.N {
				// Pass 1: live heap at each page boundary (forced GC).
				base := liveHeap()
				n := 0
				for id, err := range c.Identities.All(ctx, &ListOptions{PageSize: memPageSize}) {
					if err != nil {
						b.Fatal(err)
					}
					if n%memPageSize == 0 {
						if h := liveHeap(); h > base {
							peakLive = max(peakLive, h-base)
						}
					}
					_ = id
					n++
				}
				if n != total {
					b.Fatalf("got %d identities, want %d", n, total)
				}

				// Pass 2: natural heap (live and garbage), sampled.
				var m0, m1 runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&m0)
				base = m0.HeapAlloc
				hs := startHeapSampler(100 * time.Microsecond)
				start := time.Now()
				n = 0
				for _, err := range c.Identities.All(ctx, &ListOptions{PageSize: memPageSize}) {
					if err != nil {
						b.Fatal(err)
					}
					if n%memPageSize == 0 {
						hs.observe(heapObjects())
					}
					n++
				}
				elapsed += time.Since(start)
				peak := hs.finish()
				runtime.ReadMemStats(&m1)
				if peak > base {
					peakHeap = max(peakHeap, peak-base)
				}
				allocBytes += m1.TotalAlloc - m0.TotalAlloc
				allocs += m1.Mallocs - m0.Mallocs
			}
			b.StopTimer()
			b.ReportMetric(float64(peakLive)/1024, "peak-live-KB")
			b.ReportMetric(float64(peakHeap)/1024, "peak-heap-KB")
			b.ReportMetric(float64(len(pageJSON))/1024, "page-json-KB")
			b.ReportMetric(float64(pageDecoded)/1024, "page-decoded-KB")
			b.ReportMetric(float64(allocBytes)/float64(b.N*total), "alloc-B/identity")
			b.ReportMetric(float64(allocs)/float64(b.N*total), "allocs/identity")
			b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N*total), "ns/identity")
		})
	}

	// The transport's and the test server's share: the same pages fetched
	// and discarded with plain net/http.
	b.Run("raw", func(b *testing.B) {
		const total = 100_000
		srv := httptest.NewServer(newIdentityPageServer(total))
		defer srv.Close()
		hc := srv.Client()
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		b.ResetTimer()
		for range b.N {
			for p := range total / memPageSize {
				resp, err := hc.Get(srv.URL + "/?page_size=200&page_token=p" + strconv.Itoa(p))
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		b.StopTimer()
		runtime.ReadMemStats(&m1)
		b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(b.N*total), "alloc-B/identity")
		b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/float64(b.N*total), "allocs/identity")
	})
}

// BenchmarkIdentitiesAll ranges over 10,000 identities served in pages of
// 200 by a loopback server: time and allocations of the whole path
// (request, transport, decoding, iteration).
func BenchmarkIdentitiesAll(b *testing.B) {
	srv := httptest.NewServer(newIdentityPageServer(10_000))
	defer srv.Close()
	c := newMemoryBenchClient(b, srv)
	b.ReportAllocs()
	for range b.N {
		n := 0
		for _, err := range c.Identities.All(context.Background(), &ListOptions{PageSize: memPageSize}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 10_000 {
			b.Fatalf("got %d identities", n)
		}
	}
}

// The page server itself must serve what it claims, or the figures mean
// nothing.
func TestIdentityPageServer(t *testing.T) {
	ps := newIdentityPageServer(450)
	srv := httptest.NewServer(ps)
	defer srv.Close()
	c := newMemoryBenchClient(t, srv)
	seen := map[string]bool{}
	for id, err := range c.Identities.All(context.Background(), &ListOptions{PageSize: memPageSize}) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[id.ID] {
			t.Fatalf("duplicate %s", id.ID)
		}
		seen[id.ID] = true
		if want := "member-" + id.ID; id.Traits.Username != want {
			t.Fatalf("username %q, want %q", id.Traits.Username, want)
		}
		if id.CreateTime.IsZero() || id.Traits.Extra != nil {
			t.Fatalf("unexpected decoding: %+v", id)
		}
	}
	if len(seen) != 450 || ps.requests.Load() != 3 {
		t.Fatalf("%d identities in %d requests, want 450 in 3", len(seen), ps.requests.Load())
	}
	if !seen["0000000000000000"] || !seen[fmt.Sprintf("%016x", 449)] {
		t.Fatal("first or last identity missing")
	}
}
