package apitable

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the table in README.md")

const (
	startMarker = "<!-- api-table:start (generated from the API: lines; go test ./internal/apitable -update) -->\n"
	endMarker   = "<!-- api-table:end -->"
)

// TestREADMETableIsCurrent fails when the README's table of operations
// differs from the API: lines of the library; with -update it rewrites it.
func TestREADMETableIsCurrent(t *testing.T) {
	rows, err := Rows("../..")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 23 {
		t.Fatalf("found %d API lines, want every operation the library sends", len(rows))
	}
	seen := map[string]string{}
	for _, r := range rows {
		if prev, dup := seen[r.Operation]; dup && !strings.Contains(r.Operation, " ") {
			t.Errorf("%s is named by %s and %s.%s", r.Operation, prev, r.Service, r.Method)
		}
		seen[r.Operation] = r.Service + "." + r.Method
	}
	readme := filepath.Join("..", "..", "README.md")
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	i, j := strings.Index(text, startMarker), strings.Index(text, endMarker)
	if i < 0 || j < i {
		t.Fatalf("README.md has no table between %q and %q", strings.TrimSpace(startMarker), endMarker)
	}
	want := Markdown(rows)
	if got := text[i+len(startMarker) : j]; got != want {
		if *update {
			if err := os.WriteFile(readme, []byte(text[:i+len(startMarker)]+want+text[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md's table of operations is out of date; run: go test ./internal/apitable -update")
	}
}
