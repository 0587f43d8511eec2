// Package apitable builds the README's table of API operations from the
// "API:" lines of the library's doc comments: every operation a method
// sends, with the method that sends it.
package apitable

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Row is one API: line and the method that carries it.
type Row struct {
	Service, Method  string // e.g. "IdentitiesService", "Get"
	HTTPMethod, Path string
	Operation        string // operationId, or the note of an operation outside the spec
}

var apiLine = regexp.MustCompile(`^API: ([A-Z]+) (/v1/\S*) \((.+)\)$`)

// Rows reads the non-test Go files of dir and returns a row per API: line
// of an exported method of an exported type, sorted by service, then by
// the order of the methods in the source.
func Rows(dir string) ([]Row, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	fset := token.NewFileSet()
	var rows []Row
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, d := range af.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Doc == nil || !fd.Name.IsExported() {
				continue
			}
			recv := fd.Recv.List[0].Type
			if s, ok := recv.(*ast.StarExpr); ok {
				recv = s.X
			}
			id, ok := recv.(*ast.Ident)
			if !ok || !id.IsExported() {
				continue
			}
			for _, c := range fd.Doc.List {
				text := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
				m := apiLine.FindStringSubmatch(text)
				if m == nil {
					continue
				}
				rows = append(rows, Row{Service: id.Name, Method: fd.Name.Name, HTTPMethod: m[1], Path: m[2], Operation: m[3]})
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Service < rows[j].Service })
	return rows, nil
}

// Markdown returns the table of rows, the realm prefix of paths shortened
// to "…".
func Markdown(rows []Row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| operation | method and path | Go method |\n|---|---|---|\n")
	for _, r := range rows {
		path := strings.Replace(r.Path, "/v1/tenants/{tenant_id}/realms/{realm_id}", "…", 1)
		if path == r.Path {
			path = strings.Replace(path, "/v1/tenants/{tenant_id}", "/v1/tenants/{t}", 1)
		}
		fmt.Fprintf(&b, "| %s | `%s %s` | `%s.%s` |\n", r.Operation, r.HTTPMethod, path, r.Service, r.Method)
	}
	return b.String()
}
