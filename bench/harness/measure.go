package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/passkeyhq/beyondidentity"
)

// Config sizes a run.
type Config struct {
	// Rounds is the number of interleaved rounds of every operation's
	// benchmarks; each round runs every contender once, in an order shuffled
	// anew for each round. The time of each run is the benchtime of
	// the testing package (-test.benchtime, set by cmd/benchtable).
	Rounds int
	// Waves and Concurrency shape the connection-reuse measurement.
	Waves, Concurrency int
	// BurstGoroutines make their first call at once through a client with
	// client credentials, BurstTrials times, each with a new client.
	BurstGoroutines, BurstTrials int
	// ListTotal identities are listed, ListRounds times per contender
	// (interleaved), plus one sampled pass for the peak live heap.
	ListTotal, ListRounds int
	// Progress, when set, receives a line per step.
	Progress io.Writer
}

// Op names an operation measured per call.
type Op struct {
	Name string
	call func(*Calls) func(context.Context) error
}

// Ops are the operations measured per call.
var Ops = []Op{
	{"GET identity", func(c *Calls) func(context.Context) error { return c.Get }},
	{"POST create identity", func(c *Calls) func(context.Context) error { return c.Create }},
	{"PATCH update identity", func(c *Calls) func(context.Context) error { return c.Update }},
}

// BenchCall returns a benchmark of one call.
func BenchCall(call func(context.Context) error) func(b *testing.B) {
	return func(b *testing.B) {
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if err := call(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// Result is one measurement of one contender.
type Result struct {
	Contender string
	// Allocs and Bytes are per operation (or per identity for listing):
	// medians over the rounds.
	Allocs, Bytes float64
	// Wall is the median over the rounds of the contender's time divided by
	// raw's time in the same round; WallQ1 and WallQ3 are the quartiles of
	// those ratios, a measure of the noise.
	Wall, WallQ1, WallQ3 float64
	// Note holds what a measurement reports besides.
	Note string
}

// Section is the results of one measurement.
type Section struct {
	Measure string
	Unit    string // "op" or "identity"; "" for measurements without allocations
	Results []Result
}

func (cfg *Config) progress(format string, args ...any) {
	if cfg.Progress != nil {
		fmt.Fprintf(cfg.Progress, format+"\n", args...)
	}
}

// order returns the indexes 0..n-1 in the order of round r: shuffled, the
// same for the same n and r, so that no contender always runs first, last or
// right after another.
func order(n, r int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	rng := rand.New(rand.NewPCG(uint64(n), uint64(r)))
	rng.Shuffle(n, func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
	return idx
}

func median(xs []float64) float64 { return quantile(xs, 0.5) }

// quantile returns the q-quantile of xs, interpolating between the two
// nearest ranks.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}

// wallResult returns r with the median and quartiles of the ratios.
func wallResult(r Result, ratios []float64) Result {
	r.Wall, r.WallQ1, r.WallQ3 = median(ratios), quantile(ratios, 0.25), quantile(ratios, 0.75)
	return r
}

// MeasureOps benchmarks every operation of every contender against one
// server, in interleaved rounds.
func MeasureOps(cfg *Config, cs []Contender) ([]Section, error) {
	srv := NewServer()
	defer srv.Close()
	calls := make([]*Calls, len(cs))
	for i, c := range cs {
		cl, err := c.New(srv.URL)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		calls[i] = cl
		// One call each before measuring: connections are open, caches and
		// lazily built types are ready.
		for _, op := range Ops {
			if err := op.call(cl)(context.Background()); err != nil {
				return nil, fmt.Errorf("%s %s: %w", c.Name, op.Name, err)
			}
		}
	}
	var sections []Section
	for _, op := range Ops {
		ns := make([][]float64, len(cs))
		allocs := make([][]float64, len(cs))
		bytes := make([][]float64, len(cs))
		for r := range cfg.Rounds {
			for _, i := range order(len(cs), r) {
				res := testing.Benchmark(BenchCall(op.call(calls[i])))
				if res.N == 0 {
					return nil, fmt.Errorf("%s %s: the benchmark failed (run go test -bench in bench/harness for its error)", cs[i].Name, op.Name)
				}
				ns[i] = append(ns[i], float64(res.NsPerOp()))
				allocs[i] = append(allocs[i], float64(res.AllocsPerOp()))
				bytes[i] = append(bytes[i], float64(res.AllocedBytesPerOp()))
			}
			cfg.progress("%s: round %d/%d done", op.Name, r+1, cfg.Rounds)
		}
		sec := Section{Measure: op.Name, Unit: "op"}
		for i, c := range cs {
			ratios := make([]float64, cfg.Rounds)
			for r := range ratios {
				ratios[r] = ns[i][r] / ns[0][r]
			}
			sec.Results = append(sec.Results,
				wallResult(Result{Contender: c.Name, Allocs: median(allocs[i]), Bytes: median(bytes[i])}, ratios))
		}
		sections = append(sections, sec)
	}
	return sections, nil
}

// MeasureConns sends cfg.Waves waves of cfg.Concurrency concurrent GETs
// through each contender, each with a new server and client, and counts the
// connections the server accepted.
//
// One more row, for reference, is the SDK with a transport that keeps as
// many idle connections per host as there are concurrent callers.
func MeasureConns(cfg *Config, cs []Contender) (Section, error) {
	sec := Section{Measure: fmt.Sprintf("connections: %d waves × %d concurrent GETs", cfg.Waves, cfg.Concurrency)}
	tuned := Contender{
		Name: fmt.Sprintf("SDK, WithHTTPClient: MaxIdleConnsPerHost %d", cfg.Concurrency),
		New: func(base string) (*Calls, error) {
			t := http.DefaultTransport.(*http.Transport).Clone()
			t.MaxIdleConnsPerHost = cfg.Concurrency
			c, err := beyondidentity.NewClient(
				beyondidentity.WithTenant(TenantID),
				beyondidentity.WithRealm(RealmID),
				beyondidentity.WithBaseURLs(base, base),
				beyondidentity.WithAPIToken(APIToken),
				beyondidentity.WithHTTPClient(&http.Client{Transport: t, Timeout: beyondidentity.DefaultHTTPTimeout}),
			)
			if err != nil {
				return nil, err
			}
			return sdkCalls(c), nil
		},
	}
	for _, c := range append(slices.Clone(cs), tuned) {
		srv := NewServer()
		cl, err := c.New(srv.URL)
		if err != nil {
			srv.Close()
			return sec, err
		}
		var failed atomic.Int64
		var firstErr error
		var errOnce sync.Once
		for range cfg.Waves {
			var wg sync.WaitGroup
			for range cfg.Concurrency {
				wg.Go(func() {
					if err := cl.Get(context.Background()); err != nil {
						failed.Add(1)
						errOnce.Do(func() { firstErr = err })
					}
				})
			}
			wg.Wait()
		}
		n := srv.NewConns()
		srv.Close()
		if firstErr != nil {
			return sec, fmt.Errorf("%s: %d GETs failed, the first: %w", c.Name, failed.Load(), firstErr)
		}
		sec.Results = append(sec.Results, Result{Contender: c.Name,
			Note: fmt.Sprintf("%d new connections for %d requests", n, cfg.Waves*cfg.Concurrency)})
		cfg.progress("connections: %s: %d", c.Name, n)
	}
	return sec, nil
}

// MeasureTokenBurst starts cfg.BurstGoroutines goroutines that make their
// first call at once through a new SDK client configured with client
// credentials, and counts the token requests the server receives; it does
// so cfg.BurstTrials times.
func MeasureTokenBurst(cfg *Config) (Section, error) {
	sec := Section{Measure: fmt.Sprintf("token burst: %d goroutines' first call at once, client credentials", cfg.BurstGoroutines)}
	srv := NewServer()
	defer srv.Close()
	srv.TokenDelay = 20 * time.Millisecond
	var counts []int64
	for range cfg.BurstTrials {
		c, err := beyondidentity.NewClient(
			beyondidentity.WithTenant(TenantID),
			beyondidentity.WithRealm(RealmID),
			beyondidentity.WithBaseURLs(srv.URL, srv.URL),
			beyondidentity.WithClientCredentials(beyondidentity.ClientCredentials{
				RealmID: AdminRealmID, ApplicationID: AppID, ClientID: ClientID, ClientSecret: beyondidentity.NewSecret(ClientSecret),
			}),
		)
		if err != nil {
			return sec, err
		}
		before := srv.TokenRequests()
		start := make(chan struct{})
		errs := make(chan error, cfg.BurstGoroutines)
		var wg sync.WaitGroup
		for range cfg.BurstGoroutines {
			wg.Go(func() {
				<-start
				_, err := c.Identities.Get(context.Background(), IdentityID)
				errs <- err
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				return sec, fmt.Errorf("token burst: %w", err)
			}
		}
		counts = append(counts, srv.TokenRequests()-before)
	}
	note := fmt.Sprintf("token requests per burst: %v (%d trials, each a new client; the token endpoint answers after %v)",
		counts, cfg.BurstTrials, srv.TokenDelay)
	sec.Results = append(sec.Results, Result{Contender: "SDK", Note: note})
	cfg.progress("token burst: %v", counts)
	return sec, nil
}

// MeasureList ranges over cfg.ListTotal identities with each contender
// that can list: cfg.ListRounds interleaved rounds for allocations, bytes
// and time per identity, then one pass that forces a GC in the middle of
// every page and reads the live heap, for the peak the iteration keeps.
func MeasureList(cfg *Config, cs []Contender) (Section, error) {
	sec := Section{Measure: fmt.Sprintf("range over %d identities, pages of %d", cfg.ListTotal, PageSize), Unit: "identity"}
	srv := NewServer()
	defer srv.Close()
	srv.Total = cfg.ListTotal
	var listers []Contender
	var calls []*Calls
	for _, c := range cs {
		cl, err := c.New(srv.URL)
		if err != nil {
			return sec, err
		}
		if cl.Range == nil {
			continue
		}
		listers = append(listers, c)
		calls = append(calls, cl)
	}
	if len(listers) == 0 || listers[0].ID != "raw" {
		return sec, errors.New("listing: the raw contender is missing")
	}
	ctx := context.Background()
	count := func(cl *Calls, each func(int)) error {
		n := 0
		err := cl.Range(ctx, func(username string) {
			if username == "" {
				panic("listing: an identity without a username")
			}
			if each != nil {
				each(n)
			}
			n++
		})
		if err == nil && n != cfg.ListTotal {
			err = fmt.Errorf("listed %d identities, want %d", n, cfg.ListTotal)
		}
		return err
	}
	// Warm up: connections, lazily built types.
	for i, cl := range calls {
		if err := count(cl, nil); err != nil {
			return sec, fmt.Errorf("%s: %w", listers[i].Name, err)
		}
	}
	n := float64(cfg.ListTotal)
	ns := make([][]float64, len(calls))
	allocs := make([][]float64, len(calls))
	bytes := make([][]float64, len(calls))
	for r := range cfg.ListRounds {
		for _, i := range order(len(calls), r) {
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			t0 := time.Now()
			err := count(calls[i], nil)
			d := time.Since(t0)
			runtime.ReadMemStats(&m1)
			if err != nil {
				return sec, fmt.Errorf("%s: %w", listers[i].Name, err)
			}
			ns[i] = append(ns[i], float64(d.Nanoseconds())/n)
			allocs[i] = append(allocs[i], float64(m1.Mallocs-m0.Mallocs)/n)
			bytes[i] = append(bytes[i], float64(m1.TotalAlloc-m0.TotalAlloc)/n)
		}
		cfg.progress("listing: round %d/%d done", r+1, cfg.ListRounds)
	}
	peaks := make([]uint64, len(calls))
	for i, cl := range calls {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		base := m.HeapAlloc
		var peak uint64
		err := count(cl, func(k int) {
			if k%PageSize != PageSize/2 {
				return
			}
			runtime.GC()
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > base && m.HeapAlloc-base > peak {
				peak = m.HeapAlloc - base
			}
		})
		if err != nil {
			return sec, fmt.Errorf("%s: %w", listers[i].Name, err)
		}
		peaks[i] = peak
	}
	for i, c := range listers {
		ratios := make([]float64, cfg.ListRounds)
		for r := range ratios {
			ratios[r] = ns[i][r] / ns[0][r]
		}
		note := "peak live heap " + kib(peaks[i])
		if peaks[0] > 0 {
			// A short run may sample no heap at all for the baseline: no
			// ratio then.
			note += fmt.Sprintf(" (×%.2f)", float64(peaks[i])/float64(peaks[0]))
		}
		sec.Results = append(sec.Results, wallResult(Result{Contender: c.Name,
			Allocs: median(allocs[i]), Bytes: median(bytes[i]), Note: note}, ratios))
	}
	return sec, nil
}

func kib(b uint64) string {
	return fmt.Sprintf("%.0f KiB", float64(b)/1024)
}
