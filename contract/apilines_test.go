package contract

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The SDK's doc comments name the API operation each method sends. An
// exported method that sends exactly one operation carries one line
//
//	API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id} (GetIdentity)
//
// that is "API:", the HTTP method in upper case, the path template exactly
// as the spec's paths key, and the operationId in parentheses, each
// separated by one space. An operation the spec does not describe (see
// outsideSpec) has, instead of the operationId, a note that says "not in
// the spec":
//
//	API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/introspect (auth host, not in the spec)
//
// Methods that send several requests (the All iterators, FindByUsername,
// Wait, CreateReturnLink) carry no API: line. TestAPILines checks the lines
// of the SDK's source against the spec, inScope, leftOut and outsideSpec.

// apiLineRE is the shape of a well-formed API: line.
var apiLineRE = regexp.MustCompile(`^API: (GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS) (/\S+) \(([^()]+)\)$`)

// apiLineStart recognises a line meant as an API: line, well formed or not.
var apiLineStart = regexp.MustCompile(`(?i)^api\s*:`)

// opIDRE is the shape of an operationId.
var opIDRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// notInSpec must appear in the note of an operation outside the spec.
const notInSpec = "not in the spec"

// apiLine is one API: line of the SDK's source.
type apiLine struct {
	Pos  string // file:line
	Func string // the exported method whose doc comment holds it, e.g. "IdentitiesService.Get"; "" elsewhere
	Text string

	Method string // HTTP method
	Path   string // path template
	OpID   string // operationId; "" for an operation outside the spec
	Note   string // the parenthesis of an operation outside the spec
	Bad    string // why the line is malformed; "" when it is well formed
}

// parseAPILine reads one comment line already known to start like an API:
// line.
func parseAPILine(text string) apiLine {
	l := apiLine{Text: text}
	m := apiLineRE.FindStringSubmatch(text)
	switch {
	case m == nil:
		l.Bad = "want `API: METHOD /path/template (OperationId)`, one space apart, method in upper case"
	case !strings.HasPrefix(m[2], "/v1/"):
		l.Bad = "the path template does not start with /v1/"
	case opIDRE.MatchString(m[3]):
		l.Method, l.Path, l.OpID = m[1], m[2], m[3]
	case strings.Contains(m[3], notInSpec):
		l.Method, l.Path, l.Note = m[1], m[2], m[3]
	default:
		l.Bad = fmt.Sprintf("the parenthesis holds neither an operationId nor a note saying %q", notInSpec)
	}
	return l
}

// scanAPILines returns the API: lines of the non-test Go files of the
// package in dir (those the go command builds on this platform).
func scanAPILines(dir string) ([]apiLine, error) {
	pkg, err := build.ImportDir(dir, 0)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var lines []apiLine
	for _, name := range append(slices.Clone(pkg.GoFiles), pkg.CgoFiles...) {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		lines = append(lines, fileAPILines(fset, f)...)
	}
	return lines, nil
}

// fileAPILines returns the API: lines of every comment of f, each with the
// exported method whose doc comment holds it.
func fileAPILines(fset *token.FileSet, f *ast.File) []apiLine {
	owner := map[*ast.CommentGroup]string{}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil && fd.Recv != nil && fd.Name.IsExported() {
			owner[fd.Doc] = recvTypeName(fd.Recv.List[0].Type) + "." + fd.Name.Name
		}
	}
	var out []apiLine
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			for i, text := range commentLines(c.Text) {
				if !apiLineStart.MatchString(text) {
					continue
				}
				l := parseAPILine(text)
				p := fset.Position(c.Pos())
				l.Pos = fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line+i)
				l.Func = owner[cg]
				out = append(out, l)
			}
		}
	}
	return out
}

// commentLines returns the lines of one comment without the comment
// markers and surrounding blanks.
func commentLines(c string) []string {
	if s, ok := strings.CutPrefix(c, "//"); ok {
		return []string{strings.TrimSpace(s)}
	}
	s := strings.TrimSuffix(strings.TrimPrefix(c, "/*"), "*/")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "*"))
	}
	return lines
}

// recvTypeName names a method's receiver type: T for T, *T, T[P] and *T[P].
func recvTypeName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return fmt.Sprintf("%T", e)
		}
	}
}

// isComposite reports whether a method of this name sends several requests
// and so carries no API: line: the All iterators, FindByUsername, Wait and
// CreateReturnLink.
func isComposite(method string) bool {
	name := method[strings.LastIndexByte(method, '.')+1:]
	if rest, ok := strings.CutPrefix(name, "All"); ok {
		r, _ := utf8.DecodeRuneInString(rest)
		if rest == "" || unicode.IsUpper(r) {
			return true
		}
	}
	switch name {
	case "FindByUsername", "Wait", "CreateReturnLink":
		return true
	}
	return false
}

// apiRules are the lists the API: lines are checked against.
type apiRules struct {
	InScope []string
	LeftOut []leftOutOp
	Outside []outsideOp
}

// apiCheck is the outcome of checking the API: lines.
type apiCheck struct {
	Problems []string
	Named    map[string][]string // in-scope operationId → methods naming it
	Missing  []string            // in-scope operations no method names
	Outside  map[string][]string // "METHOD path" outside the spec → methods naming it
	Summary  string              // a few lines for the suite's report
}

// checkAPILines checks lines against the spec and the rules: every line is
// well formed and in an exported method's doc comment, a method carries at
// most one, names an operation of the spec with its exact method and path
// template (or one of rules.Outside), never one left out or out of scope;
// every operation in scope is named by exactly one method.
func checkAPILines(sp *spec, lines []apiLine, rules apiRules) apiCheck {
	res := apiCheck{Named: map[string][]string{}, Outside: map[string][]string{}}
	fail := func(format string, args ...any) { res.Problems = append(res.Problems, fmt.Sprintf(format, args...)) }

	// The lists themselves.
	leftOut := map[string]leftOutOp{}
	for _, lo := range rules.LeftOut {
		leftOut[lo.ID] = lo
		if sp.Op(lo.ID) == nil {
			fail("left-out list: the spec has no operation %s", lo.ID)
		}
		if slices.Contains(rules.InScope, lo.ID) {
			fail("%s is both in scope and left out", lo.ID)
		}
	}
	for _, id := range rules.InScope {
		if sp.Op(id) == nil {
			fail("in-scope list: the spec has no operation %s", id)
		}
	}
	for _, o := range rules.Outside {
		for _, op := range sp.ops {
			if op.Path == o.Path && op.Method == o.Method {
				fail("outside-the-spec list: %s %s is in the spec as %s", o.Method, o.Path, op.ID)
			}
		}
	}

	perFunc := map[string][]apiLine{}
	for _, l := range lines {
		at := l.Pos
		if l.Func != "" {
			at += " (" + l.Func + ")"
			perFunc[l.Func] = append(perFunc[l.Func], l)
		}
		switch {
		case l.Bad != "":
			fail("%s: malformed API: line %q: %s", at, l.Text, l.Bad)
			continue
		case l.Func == "":
			fail("%s: API: line %q outside the doc comment of an exported method", at, l.Text)
			continue
		case isComposite(l.Func):
			fail("%s: %s sends several requests and carries no API: line", at, l.Func)
			continue
		}
		if l.OpID == "" {
			i := slices.IndexFunc(rules.Outside, func(o outsideOp) bool { return o.Path == l.Path })
			switch {
			case i < 0:
				fail("%s: %s %s is said to be %s, but it is not an operation the suite knows outside the spec (%s)",
					at, l.Method, l.Path, notInSpec, outsidePaths(rules.Outside))
			case rules.Outside[i].Method != l.Method:
				fail("%s: %s is sent with %s, not %s", at, l.Path, rules.Outside[i].Method, l.Method)
			default:
				k := l.Method + " " + l.Path
				res.Outside[k] = append(res.Outside[k], l.Func)
			}
			continue
		}
		op := sp.Op(l.OpID)
		if op == nil {
			fail("%s: names %s, which the spec does not have", at, l.OpID)
			continue
		}
		if op.Method != l.Method || op.Path != l.Path {
			fail("%s: %s is %s %s in the spec, not %s %s", at, l.OpID, op.Method, op.Path, l.Method, l.Path)
			continue
		}
		if lo, ok := leftOut[l.OpID]; ok {
			fail("%s: names %s, which the SDK leaves out on purpose (%s)", at, l.OpID, lo.Why)
			continue
		}
		if !slices.Contains(rules.InScope, l.OpID) {
			fail("%s: names %s, which the in-scope list lacks: add it to inScope (spec_test.go) and drive it in the suite", at, l.OpID)
			continue
		}
		res.Named[l.OpID] = append(res.Named[l.OpID], l.Func)
	}
	funcs := make([]string, 0, len(perFunc))
	for f := range perFunc {
		funcs = append(funcs, f)
	}
	sort.Strings(funcs)
	for _, f := range funcs {
		if ls := perFunc[f]; len(ls) > 1 {
			var at []string
			for _, l := range ls {
				at = append(at, l.Pos)
			}
			fail("%s carries %d API: lines (%s); a method that sends one operation carries one", f, len(ls), strings.Join(at, ", "))
		}
	}
	for _, id := range rules.InScope {
		switch fs := res.Named[id]; {
		case len(fs) == 0:
			res.Missing = append(res.Missing, id)
			where := ""
			if op := sp.Op(id); op != nil {
				where = " (" + op.Method + " " + op.Path + ")"
			}
			fail("no method names in-scope operation %s%s", id, where)
		case len(fs) > 1:
			slices.Sort(fs)
			fail("%s is named by %d methods: %s", id, len(fs), strings.Join(fs, ", "))
		}
	}
	res.Summary = res.summary(len(rules.InScope), rules.LeftOut)
	return res
}

func outsidePaths(ops []outsideOp) string {
	var s []string
	for _, o := range ops {
		s = append(s, o.Method+" "+o.Path)
	}
	return strings.Join(s, "; ")
}

func (res *apiCheck) summary(inScope int, leftOut []leftOutOp) string {
	var b strings.Builder
	fmt.Fprintf(&b, "contract: API lines: %d/%d operations in scope named by exactly one method", inScope-len(res.Missing)-res.namedTwice(), inScope)
	switch n := len(res.Missing); {
	case n > 0 && n <= 5:
		fmt.Fprintf(&b, " (named by none: %s)", strings.Join(res.Missing, ", "))
	case n > 5:
		fmt.Fprintf(&b, " (%d named by none)", n)
	}
	var lo []string
	for _, o := range leftOut {
		lo = append(lo, o.ID)
	}
	fmt.Fprintf(&b, "; %d left out on purpose (%s)", len(leftOut), strings.Join(lo, ", "))
	var out []string
	for k, fs := range res.Outside {
		out = append(out, k[strings.LastIndexByte(k, '/')+1:]+" by "+strings.Join(fs, ", "))
	}
	sort.Strings(out)
	if len(out) == 0 {
		out = []string{"none named"}
	}
	fmt.Fprintf(&b, "; outside the spec: %s; problems: %d\n", strings.Join(out, "; "), len(res.Problems))
	return b.String()
}

func (res *apiCheck) namedTwice() int {
	n := 0
	for _, fs := range res.Named {
		if len(fs) > 1 {
			n++
		}
	}
	return n
}

// apiSummary is TestAPILines's summary for the suite's report.
var apiSummary struct {
	mu   sync.Mutex
	text string
}

func setAPISummary(s string) {
	apiSummary.mu.Lock()
	apiSummary.text = s
	apiSummary.mu.Unlock()
}

func getAPISummary() string {
	apiSummary.mu.Lock()
	defer apiSummary.mu.Unlock()
	return apiSummary.text
}

// TestAPILines checks the API: lines of the SDK's source (the package at
// the repository root) against the spec: see checkAPILines.
func TestAPILines(t *testing.T) {
	requireSpec(t)
	lines, err := scanAPILines("..")
	if err != nil {
		t.Fatal(err)
	}
	res := checkAPILines(env.spec, lines, apiRules{InScope: inScope, LeftOut: leftOut, Outside: outsideSpec})
	setAPISummary(res.Summary)
	t.Log(strings.TrimSpace(res.Summary))
	for _, p := range res.Problems {
		t.Error(p)
	}
}
