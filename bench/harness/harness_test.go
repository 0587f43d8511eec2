package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// seen is one request as the server received it.
type seen struct {
	method, path, query string
	header              http.Header
	body                []byte
}

func recordingServer(t *testing.T) (*Server, func() []seen) {
	t.Helper()
	srv := NewServer()
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	var log []seen
	srv.Record = func(r *http.Request, body []byte) {
		mu.Lock()
		defer mu.Unlock()
		log = append(log, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
	}
	return srv, func() []seen {
		mu.Lock()
		defer mu.Unlock()
		out := log
		log = nil
		return out
	}
}

// The comparison is fair only if every client sends the same request: the
// same method, path, headers that matter and (as JSON) body, and reads the
// same answer.
func TestContendersSendTheSameRequests(t *testing.T) {
	srv, take := recordingServer(t)
	type want struct {
		method, path string
		body         any // decoded JSON, nil for none
	}
	wants := []want{
		{http.MethodGet, "/v1/tenants/" + TenantID + "/realms/" + RealmID + "/identities/" + IdentityID, nil},
		{http.MethodPost, "/v1/tenants/" + TenantID + "/realms/" + RealmID + "/identities",
			map[string]any{"identity": map[string]any{"display_name": "Ada Lovelace",
				"traits": map[string]any{"type": "traits_v0", "username": "ada", "primary_email_address": "ada@example.com"}}}},
		{http.MethodPatch, "/v1/tenants/" + TenantID + "/realms/" + RealmID + "/identities/" + IdentityID,
			map[string]any{"identity": map[string]any{"display_name": "Ada L."}}},
	}
	bodies := map[string][][]byte{} // the POST and PATCH bodies, by contender
	for _, c := range Contenders() {
		t.Run(c.ID, func(t *testing.T) {
			calls, err := c.New(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			for _, f := range []func(context.Context) error{calls.Get, calls.Create, calls.Update} {
				if err := f(ctx); err != nil {
					t.Fatal(err)
				}
			}
			got := take()
			if len(got) != len(wants) {
				t.Fatalf("server saw %d requests, want %d", len(got), len(wants))
			}
			for i, w := range wants {
				g := got[i]
				if g.method != w.method || g.path != w.path || g.query != "" {
					t.Errorf("request %d: %s %s?%s, want %s %s", i, g.method, g.path, g.query, w.method, w.path)
				}
				hdr := map[string]string{
					"Accept":        "application/json",
					"User-Agent":    UserAgent,
					"Authorization": "Bearer " + APIToken,
				}
				if w.body != nil {
					hdr["Content-Type"] = "application/json"
				}
				for k, v := range hdr {
					if got := g.header.Values(k); len(got) != 1 || got[0] != v {
						t.Errorf("request %d: %s: %q, want %q", i, k, got, v)
					}
				}
				if w.body == nil {
					if len(g.body) != 0 || g.header.Get("Content-Type") != "" {
						t.Errorf("request %d: body %q, Content-Type %q; want none", i, g.body, g.header.Get("Content-Type"))
					}
					continue
				}
				var body any
				if err := json.Unmarshal(g.body, &body); err != nil {
					t.Fatalf("request %d: body %q: %v", i, g.body, err)
				}
				if !reflect.DeepEqual(body, w.body) {
					t.Errorf("request %d: body %s, want %v", i, g.body, w.body)
				}
				bodies[c.ID] = append(bodies[c.ID], g.body)
			}
		})
	}
	// The hand-written clients and the SDK send byte-identical bodies (the
	// generated client sends its fields in another order).
	for id, bs := range bodies {
		if id == "oapi" {
			continue
		}
		for i, b := range bs {
			if want := bodies["raw"][i]; !bytes.Equal(b, want) {
				t.Errorf("%s: body %s differs from raw's %s", id, b, want)
			}
		}
	}
}

func TestContendersList(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Total = 3*PageSize + 7
	for _, c := range Contenders() {
		t.Run(c.ID, func(t *testing.T) {
			calls, err := c.New(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			if calls.Range == nil {
				t.Skip("does not list")
			}
			before := srv.ListRequests()
			var names []string
			if err := calls.Range(context.Background(), func(u string) { names = append(names, u) }); err != nil {
				t.Fatal(err)
			}
			if len(names) != srv.Total || names[0] != "user0" || names[len(names)-1] != "user6" {
				t.Errorf("listed %d identities, first %q, last %q", len(names), names[0], names[len(names)-1])
			}
			if n := srv.ListRequests() - before; n != 4 {
				t.Errorf("%d page requests, want 4", n)
			}
		})
	}
}

func TestListItemsAreValidJSON(t *testing.T) {
	var v map[string]any
	if err := json.Unmarshal([]byte(ListItemJSON(123)), &v); err != nil {
		t.Fatal(err)
	}
	if id := v["id"].(string); len(id) != 16 {
		t.Errorf("id %q is not 16 characters", id)
	}
	if err := json.Unmarshal(IdentityJSON, &v); err != nil {
		t.Fatal(err)
	}
}

func TestMeasurementsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	cfg := &Config{Waves: 2, Concurrency: 8, BurstGoroutines: 20, BurstTrials: 2, ListTotal: 2*PageSize + 1, ListRounds: 2}
	cs := Contenders()
	conns, err := MeasureConns(cfg, cs)
	if err != nil {
		t.Fatal(err)
	}
	burst, err := MeasureTokenBurst(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(burst.Results[0].Note, "[1 1]") {
		t.Errorf("token burst: %s; want one token request per burst", burst.Results[0].Note)
	}
	list, err := MeasureList(cfg, cs)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteTable(&b, []Section{conns, burst, list}); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
}

// Benchmarks of every contender and operation, for profiling, e.g.
//
//	go test -run '^$' -bench 'Get/sdk$' -benchmem -memprofile mem.out ./harness
//	go tool pprof -sample_index=alloc_objects -top mem.out
func BenchmarkGet(b *testing.B)    { benchOp(b, Ops[0]) }
func BenchmarkCreate(b *testing.B) { benchOp(b, Ops[1]) }
func BenchmarkUpdate(b *testing.B) { benchOp(b, Ops[2]) }

func benchOp(b *testing.B, op Op) {
	srv := NewServer()
	b.Cleanup(srv.Close)
	for _, c := range Contenders() {
		calls, err := c.New(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		call := op.call(calls)
		if err := call(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.Run(c.ID, BenchCall(call))
	}
}
