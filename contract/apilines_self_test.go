package contract

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A synthetic spec and SDK for the self-tests of the API-line check: four
// operations in scope, one left out, one out of scope, and one token
// endpoint outside the spec.
const synthSpec = `openapi: 3.0.1
info: {title: synthetic, version: "0"}
paths:
  /v1/tenants/{tenant_id}/things:
    get:
      operationId: ListThings
      responses: {"200": {description: ok}}
    post:
      operationId: CreateThing
      responses: {"200": {description: ok}}
  /v1/tenants/{tenant_id}/things/{thing_id}:
    get:
      operationId: GetThing
      responses: {"200": {description: ok}}
    delete:
      operationId: DeleteThing
      responses: {"200": {description: ok}}
  /v1/tenants/{tenant_id}/things/{thing_id}:check:
    post:
      operationId: CheckThing
      responses: {"200": {description: ok}}
  /v1/tenants/{tenant_id}/gadgets:
    get:
      operationId: ListGadgets
      responses: {"200": {description: ok}}
`

var synthRules = apiRules{
	InScope: []string{"ListThings", "CreateThing", "GetThing", "DeleteThing"},
	LeftOut: []leftOutOp{{"CheckThing", "answers 404"}},
	Outside: []outsideOp{{"POST", "/v1/tenants/{tenant_id}/token", "token endpoint"}},
}

// synthSource is a package that passes the check.
var synthSource = map[string]string{
	"things.go": `package things

import (
	"context"
	"iter"
)

type ThingsService struct{}

// List fetches one page of things.
//
// API: GET /v1/tenants/{tenant_id}/things (ListThings)
func (s *ThingsService) List(ctx context.Context) error { return nil }

// All iterates over every thing, page after page.
func (s *ThingsService) All(ctx context.Context) iter.Seq2[int, error] { return nil }

// Create creates a thing.
// API: POST /v1/tenants/{tenant_id}/things (CreateThing)
func (s *ThingsService) Create(ctx context.Context) error { return nil }

// Wait polls a thing until it is done.
func (s *ThingsService) Wait(ctx context.Context) error { return nil }

// get is the one request both Get and Wait send.
func (s *ThingsService) get(ctx context.Context) error { return nil }
`,
	"more.go": `package things

import "context"

// Box holds things.
type Box[T any] struct{}

// Get fetches a thing.
//
//	API: GET /v1/tenants/{tenant_id}/things/{thing_id} (GetThing)
func (b *Box[T]) Get(ctx context.Context) error { return nil }

/*
Delete deletes a thing.

API: DELETE /v1/tenants/{tenant_id}/things/{thing_id} (DeleteThing)
*/
func (b Box[T]) Delete(ctx context.Context) error { return nil }

type tokenSource struct{}

// Token fetches an access token.
//
// API: POST /v1/tenants/{tenant_id}/token (auth host, not in the spec)
func (s *tokenSource) Token(ctx context.Context) (string, error) { return "", nil }
`,
	// Test files are not the SDK: what they say is never read.
	"things_test.go": `package things

// API: GET /nowhere (Nothing)
func (s *ThingsService) TestOnly() {}
`,
	// Nor files the go command would not build.
	"ignored.go": `//go:build ignore

package things

// API: GET /nowhere (Nothing)
func (s *ThingsService) Ignored() {}
`,
}

// checkSynth writes the synthetic package with edits applied (file →
// replacements, old and new in turn; a new file when the file is absent)
// and checks it against the synthetic spec.
func checkSynth(t *testing.T, edits map[string][]string) apiCheck {
	t.Helper()
	sp, err := parseSpec("synthetic.yaml", []byte(synthSpec))
	require.NoError(t, err)
	files := map[string]string{}
	for name, src := range synthSource {
		files[name] = src
	}
	for name, rs := range edits {
		src, ok := files[name]
		if !ok {
			files[name] = strings.Join(rs, "")
			continue
		}
		for i := 0; i+1 < len(rs); i += 2 {
			require.Contains(t, src, rs[i], "edit of %s", name)
			src = strings.Replace(src, rs[i], rs[i+1], 1)
		}
		files[name] = src
	}
	lines, err := scanAPILines(writeSynth(t, files))
	require.NoError(t, err)
	return checkAPILines(sp, lines, synthRules)
}

// TestAPILinesCheckerPasses shows that the synthetic package passes: the
// lines are found in // and /* */ comments, with generic and unexported
// receivers, composites carry none, and test files are not read.
func TestAPILinesCheckerPasses(t *testing.T) {
	res := checkSynth(t, nil)
	assert.Empty(t, res.Problems)
	assert.Equal(t, map[string][]string{
		"ListThings":  {"ThingsService.List"},
		"CreateThing": {"ThingsService.Create"},
		"GetThing":    {"Box.Get"},
		"DeleteThing": {"Box.Delete"},
	}, res.Named)
	assert.Equal(t, map[string][]string{"POST /v1/tenants/{tenant_id}/token": {"tokenSource.Token"}}, res.Outside)
	assert.Equal(t, "contract: API lines: 4/4 operations in scope named by exactly one method; "+
		"1 left out on purpose (CheckThing); outside the spec: token by tokenSource.Token; problems: 0\n", res.Summary)
}

// TestAPILinesCheckerFails shows that the check fails each kind of wrong
// API: line, and says what is wrong.
func TestAPILinesCheckerFails(t *testing.T) {
	const (
		list   = "API: GET /v1/tenants/{tenant_id}/things (ListThings)"
		create = "API: POST /v1/tenants/{tenant_id}/things (CreateThing)"
		token  = "API: POST /v1/tenants/{tenant_id}/token (auth host, not in the spec)"
	)
	tests := []struct {
		name  string
		edits map[string][]string
		want  []string // each is in some problem
	}{
		{
			name:  "an operation the spec does not have",
			edits: map[string][]string{"things.go": {list, "API: GET /v1/tenants/{tenant_id}/things (ListThingz)"}},
			want:  []string{"things.go:12 (ThingsService.List): names ListThingz, which the spec does not have", "no method names in-scope operation ListThings"},
		},
		{
			name:  "a method that does not match the spec",
			edits: map[string][]string{"things.go": {list, "API: POST /v1/tenants/{tenant_id}/things (ListThings)"}},
			want:  []string{"ListThings is GET /v1/tenants/{tenant_id}/things in the spec, not POST /v1/tenants/{tenant_id}/things"},
		},
		{
			name:  "a path that does not match the spec",
			edits: map[string][]string{"things.go": {list, "API: GET /v1/tenants/{tenant}/things (ListThings)"}},
			want:  []string{"ListThings is GET /v1/tenants/{tenant_id}/things in the spec, not GET /v1/tenants/{tenant}/things"},
		},
		{
			name:  "a concrete path instead of the template",
			edits: map[string][]string{"things.go": {list, "API: GET /v1/tenants/0001/things (ListThings)"}},
			want:  []string{"not GET /v1/tenants/0001/things"},
		},
		{
			name:  "an in-scope operation no method names",
			edits: map[string][]string{"things.go": {"// " + create + "\n", ""}},
			want:  []string{"no method names in-scope operation CreateThing (POST /v1/tenants/{tenant_id}/things)"},
		},
		{
			name:  "two methods name the same operation",
			edits: map[string][]string{"extra.go": {method("CreateAgain", create)}},
			want:  []string{"CreateThing is named by 2 methods: ThingsService.Create, ThingsService.CreateAgain"},
		},
		{
			name:  "one method with two lines",
			edits: map[string][]string{"things.go": {"// " + create, "// " + create + "\n// API: GET /v1/tenants/{tenant_id}/gadgets (ListGadgets)"}},
			want:  []string{"ThingsService.Create carries 2 API: lines (things.go:19, things.go:20)"},
		},
		{
			name:  "an operation out of scope",
			edits: map[string][]string{"extra.go": {method("Gadgets", "API: GET /v1/tenants/{tenant_id}/gadgets (ListGadgets)")}},
			want:  []string{"extra.go:6 (ThingsService.Gadgets): names ListGadgets, which the in-scope list lacks"},
		},
		{
			name:  "an operation left out on purpose",
			edits: map[string][]string{"extra.go": {method("Check", "API: POST /v1/tenants/{tenant_id}/things/{thing_id}:check (CheckThing)")}},
			want:  []string{"names CheckThing, which the SDK leaves out on purpose (answers 404)"},
		},
		{
			name:  "a composite method with a line",
			edits: map[string][]string{"things.go": {"// All iterates over every thing, page after page.", "// All iterates.\n// " + list}},
			want:  []string{"things.go:16 (ThingsService.All): ThingsService.All sends several requests and carries no API: line"},
		},
		{
			name:  "a line on an unexported method",
			edits: map[string][]string{"things.go": {"// get is the one request both Get and Wait send.", "// get fetches.\n// API: GET /v1/tenants/{tenant_id}/things/{thing_id} (GetThing)"}},
			want:  []string{"things.go:26: API: line \"API: GET /v1/tenants/{tenant_id}/things/{thing_id} (GetThing)\" outside the doc comment of an exported method"},
		},
		{
			name:  "a line on a type",
			edits: map[string][]string{"things.go": {"type ThingsService struct{}", "// API: GET /v1/tenants/{tenant_id}/things (ListThings)\ntype ThingsService struct{}"}},
			want:  []string{"outside the doc comment of an exported method"},
		},
		{
			name:  "a path outside the spec that is not on the list",
			edits: map[string][]string{"more.go": {token, "API: POST /v1/tenants/{tenant_id}/revoke (auth host, not in the spec)"}},
			want:  []string{"POST /v1/tenants/{tenant_id}/revoke is said to be not in the spec, but it is not an operation the suite knows outside the spec"},
		},
		{
			name:  "a listed path outside the spec with another method",
			edits: map[string][]string{"more.go": {token, "API: GET /v1/tenants/{tenant_id}/token (auth host, not in the spec)"}},
			want:  []string{"/v1/tenants/{tenant_id}/token is sent with POST, not GET"},
		},
	}
	malformed := map[string]string{
		"no operationId":               "API: GET /v1/tenants/{tenant_id}/things",
		"empty parenthesis":            "API: GET /v1/tenants/{tenant_id}/things ()",
		"method in lower case":         "API: get /v1/tenants/{tenant_id}/things (ListThings)",
		"no space after the colon":     "API:GET /v1/tenants/{tenant_id}/things (ListThings)",
		"two spaces":                   "API: GET  /v1/tenants/{tenant_id}/things (ListThings)",
		"text after the parenthesis":   "API: GET /v1/tenants/{tenant_id}/things (ListThings).",
		"no method":                    "API: /v1/tenants/{tenant_id}/things (ListThings)",
		"a path without /v1":           "API: GET /tenants/{tenant_id}/things (ListThings)",
		"a note without the words":     "API: GET /v1/tenants/{tenant_id}/things (auth host)",
		"a spaced operationId":         "API: GET /v1/tenants/{tenant_id}/things (List Things)",
		"lower-case api":               "api: GET /v1/tenants/{tenant_id}/things (ListThings)",
		"a space before the colon":     "API : GET /v1/tenants/{tenant_id}/things (ListThings)",
		"an unknown HTTP method":       "API: FETCH /v1/tenants/{tenant_id}/things (ListThings)",
		"operationId without brackets": "API: GET /v1/tenants/{tenant_id}/things ListThings",
	}
	for name, line := range malformed {
		tests = append(tests, struct {
			name  string
			edits map[string][]string
			want  []string
		}{
			name:  "malformed: " + name,
			edits: map[string][]string{"things.go": {list, line}},
			want:  []string{"things.go:12 (ThingsService.List): malformed API: line " + strconv.Quote(line), "no method names in-scope operation ListThings"},
		})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := checkSynth(t, tt.edits)
			require.NotEmpty(t, res.Problems, "the check passed")
			all := strings.Join(res.Problems, "\n")
			for _, w := range tt.want {
				assert.Contains(t, all, w)
			}
			assert.Contains(t, res.Summary, "problems: ")
			assert.NotContains(t, res.Summary, "problems: 0\n")
		})
	}
}

// TestAPILinesCheckerLists shows that the lists themselves are checked.
func TestAPILinesCheckerLists(t *testing.T) {
	sp, err := parseSpec("synthetic.yaml", []byte(synthSpec))
	require.NoError(t, err)
	lines, err := scanAPILines(writeSynth(t, synthSource))
	require.NoError(t, err)
	rules := synthRules
	rules.InScope = append([]string{"Nope", "CheckThing"}, rules.InScope...)
	rules.LeftOut = append([]leftOutOp{{"Gone", "?"}}, rules.LeftOut...)
	rules.Outside = append([]outsideOp{{"GET", "/v1/tenants/{tenant_id}/gadgets", "?"}}, rules.Outside...)
	all := strings.Join(checkAPILines(sp, lines, rules).Problems, "\n")
	for _, w := range []string{
		"in-scope list: the spec has no operation Nope",
		"left-out list: the spec has no operation Gone",
		"CheckThing is both in scope and left out",
		"outside-the-spec list: GET /v1/tenants/{tenant_id}/gadgets is in the spec as ListGadgets",
	} {
		assert.Contains(t, all, w)
	}
}

// TestAPILinesRealLists checks the suite's own lists against the real spec,
// with no line at all: only "named by none" problems may come out.
func TestAPILinesRealLists(t *testing.T) {
	requireSpec(t)
	res := checkAPILines(env.spec, nil, apiRules{InScope: inScope, LeftOut: leftOut, Outside: outsideSpec})
	assert.Equal(t, inScope, res.Missing)
	for _, p := range res.Problems {
		assert.True(t, strings.HasPrefix(p, "no method names in-scope operation "), p)
	}
}

// writeSynth writes files (name → source) into a new directory and returns
// it.
func writeSynth(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644))
	}
	return dir
}

// method returns a file with one method of ThingsService whose doc
// comment ends with line (on line 6).
func method(name, line string) string {
	return "package things\n\nimport \"context\"\n\n// " + name + " does something.\n// " + line + "\n" +
		"func (s *ThingsService) " + name + "(ctx context.Context) error { return nil }\n"
}
