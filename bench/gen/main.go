// Command gen generates a Go client for the Beyond Identity v1 API with
// oapi-codegen (the version pinned by this module's tool directive) from the
// official OpenAPI spec, for the "oapi-codegen" contender of the benchmarks.
//
// The spec does not generate as it is published. gen copies it to a
// temporary file, patches the copy (the spec itself is never changed, and no
// copy is kept), writes an oapi-codegen configuration beside it and runs the
// generator. Each patch below is needed: leave one out with -skip to see the
// generator fail.
//
//   - refs: every $ref deeper than #/components/<kind>/<name> (the spec
//     points into other operations, #/paths/..., and into the properties of
//     components) is replaced by a copy of its target; oapi-codegen fails on
//     them with "unexpected reference depth". References to examples stay:
//     examples are not generated.
//   - params: every operation declares exactly the path parameters of its
//     path. The spec declares sso_config_id on three list operations whose
//     paths have no such segment, leaves identity_id undeclared on
//     is-identity-assigned, and declares no tenant_id or realm_id on the
//     SCIM operations; oapi-codegen refuses a mismatch.
//   - suffix: response-type-suffix (HTTPResponse) in the configuration. With
//     the default suffix, Response, the wrappers of ListRealms,
//     ListApplications, ... clash with schemas of the same names and the
//     package does not compile.
//
// Defining the security schemes CredentialAuth and DirectoryAuth, which some
// operations use and the spec does not define, is not needed: the generated
// client (models and client, no embedded spec) is the same with and
// without.
//
// Usage, from the bench directory:
//
//	go run ./gen [-spec path] [-out oapigen] [-v] [-skip refs,params,suffix]
//
// The spec is -spec, else $BEYONDIDENTITY_OPENAPI_SPEC, else
// ../shared/openapi/beyond-identity-v1.yaml; the last two, when relative, are
// relative to the repository root (the parent of the bench directory).
package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

const (
	specEnv     = "BEYONDIDENTITY_OPENAPI_SPEC"
	defaultSpec = "../shared/openapi/beyond-identity-v1.yaml" // relative to the repository root
	// responseSuffix replaces oapi-codegen's default "Response".
	responseSuffix = "HTTPResponse"
)

func main() {
	spec := flag.String("spec", "", "path of the OpenAPI spec (default $"+specEnv+", else "+defaultSpec+" from the repository root)")
	out := flag.String("out", "oapigen", "directory of the generated package (replaced)")
	verbose := flag.Bool("v", false, "print what was patched")
	skip := flag.String("skip", "", "comma-separated patches to leave out, to see why each is needed: refs, params, suffix")
	flag.Parse()
	skipped := map[string]bool{}
	for _, s := range strings.Split(*skip, ",") {
		switch s = strings.TrimSpace(s); s {
		case "":
		case "refs", "params", "suffix":
			skipped[s] = true
		default:
			fmt.Fprintf(os.Stderr, "gen: -skip: unknown patch %q\n", s)
			os.Exit(2)
		}
	}
	if err := run(*spec, *out, *verbose, skipped); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// specPath returns the spec to read: the -spec flag (relative to the
// working directory), else $BEYONDIDENTITY_OPENAPI_SPEC or the default, both
// relative to the repository root as in contract/run.sh. Without -spec the
// working directory must be the bench module's (go run ./gen from there).
func specPath(flagValue string) (string, error) {
	p := flagValue
	if p == "" {
		if _, err := os.Stat("go.mod"); err != nil {
			return "", errors.New("run gen from the bench directory, or give -spec")
		}
		p = os.Getenv(specEnv)
		if p == "" {
			p = defaultSpec
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join("..", p)
		}
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("the OpenAPI spec is not at %s (set %s or -spec): %w", p, specEnv, err)
	}
	return filepath.Abs(p)
}

func run(specFlag, out string, verbose bool, skip map[string]bool) error {
	src, err := specPath(specFlag)
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("parsing %s: %w", src, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return errors.New("the spec is not one YAML document")
	}
	root := doc.Content[0]

	var (
		n      int
		params []string
	)
	if !skip["refs"] {
		if n, err = inlineDeepRefs(root); err != nil {
			return err
		}
	}
	if !skip["params"] {
		params = fixPathParams(root)
	}
	if verbose {
		fmt.Printf("gen: %s: inlined %d deep $refs; path parameters fixed: %s\n",
			src, n, strings.Join(params, "; "))
	}

	patched, err := yaml.Marshal(&doc)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "bench-oapi-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	specCopy := filepath.Join(tmp, "spec.yaml")
	if err := os.WriteFile(specCopy, patched, 0o600); err != nil {
		return err
	}

	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(absOut); err != nil {
		return err
	}
	if err := os.MkdirAll(absOut, 0o755); err != nil {
		return err
	}
	cfg := filepath.Join(tmp, "config.yaml")
	cfgText := fmt.Sprintf("package: oapigen\noutput: %s\ngenerate:\n  models: true\n  client: true\n",
		strconv.Quote(filepath.Join(absOut, "client.gen.go")))
	if !skip["suffix"] {
		cfgText += "output-options:\n  response-type-suffix: " + responseSuffix + "\n"
	}
	if err := os.WriteFile(cfg, []byte(cfgText), 0o600); err != nil {
		return err
	}
	cmd := exec.Command("go", "tool", "oapi-codegen", "-config", cfg, specCopy)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("oapi-codegen: %w", err)
	}
	return nil
}

// inlineDeepRefs replaces every deep $ref (see isDeep) by a copy of its
// target, repeating until none is left (a copied target may
// itself hold such references). It returns how many it replaced.
func inlineDeepRefs(root *yaml.Node) (int, error) {
	total := 0
	for pass := 0; ; pass++ {
		if pass > 20 {
			return total, errors.New("inlining deep references does not end (a reference cycle?)")
		}
		n := 0
		var err error
		walk(root, func(m *yaml.Node) {
			if err != nil {
				return
			}
			ref := refOf(m)
			if !isDeep(ref) {
				return
			}
			target, e := resolve(root, ref)
			if e != nil {
				err = e
				return
			}
			*m = *deepCopy(target)
			n++
		})
		if err != nil {
			return total, err
		}
		if n == 0 {
			return total, nil
		}
		total += n
	}
}

// isDeep reports whether ref is a local reference that oapi-codegen cannot
// follow: anything but #/components/<kind>/<name>. References to examples
// are left alone, since examples are not generated.
func isDeep(ref string) bool {
	if !strings.HasPrefix(ref, "#/") || strings.Contains(ref, "/examples/") {
		return false
	}
	parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
	return !(len(parts) == 3 && parts[0] == "components")
}

// walk calls f on every mapping node of the tree, parents before children.
// f may replace the node it is given.
func walk(n *yaml.Node, f func(*yaml.Node)) {
	if n.Kind == yaml.MappingNode {
		f(n)
	}
	for _, c := range n.Content {
		walk(c, f)
	}
}

// refOf returns the value of a mapping's $ref key, or "".
func refOf(m *yaml.Node) string {
	if m.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "$ref" {
			return m.Content[i+1].Value
		}
	}
	return ""
}

// resolve follows a local JSON pointer reference (#/a/b~1c/0 ...).
func resolve(root *yaml.Node, ref string) (*yaml.Node, error) {
	n := root
	for _, tok := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		// The spec percent-encodes { and } and spaces in its references.
		if u, err := url.PathUnescape(tok); err == nil {
			tok = u
		}
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch n.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == tok {
					next = n.Content[i+1]
					break
				}
			}
			if next == nil {
				return nil, fmt.Errorf("reference %s: no member %q", ref, tok)
			}
			n = next
		case yaml.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil, fmt.Errorf("reference %s: no item %q", ref, tok)
			}
			n = n.Content[i]
		default:
			return nil, fmt.Errorf("reference %s: %q is inside a scalar", ref, tok)
		}
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		}
	}
	return n, nil
}

func deepCopy(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = deepCopy(k)
	}
	return &c
}

// fixPathParams makes every operation declare exactly the path parameters
// of its path template, as oapi-codegen requires: the spec declares
// sso_config_id on three list operations whose paths have no such segment,
// and leaves identity_id or group_id undeclared on some SSO-config
// operations. A parameter not in the path is removed; a missing one is added
// as a required string. It must run after inlineDeepRefs, so that the
// parameters are inline. It returns one "METHOD path: -name" or "+name" per
// change.
func fixPathParams(root *yaml.Node) []string {
	paths := member(root, "paths")
	if paths == nil {
		return nil
	}
	var changes []string
	for i := 0; i+1 < len(paths.Content); i += 2 {
		path, item := paths.Content[i].Value, paths.Content[i+1]
		common := map[string]bool{} // path parameters declared for every operation of the path
		for _, p := range items(member(item, "parameters")) {
			p = deref(root, p)
			if in, name := member(p, "in"), member(p, "name"); in != nil && name != nil && in.Value == "path" {
				common[name.Value] = true
			}
		}
		for j := 0; j+1 < len(item.Content); j += 2 {
			method, op := item.Content[j].Value, item.Content[j+1]
			if op.Kind != yaml.MappingNode || method == "parameters" || method == "summary" || method == "description" || method == "servers" {
				continue
			}
			params := member(op, "parameters")
			if params == nil {
				params = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
				op.Content = append(op.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "parameters"}, params)
			}
			declared := map[string]bool{}
			kept := params.Content[:0]
			for _, p := range params.Content {
				d := deref(root, p)
				in, name := member(d, "in"), member(d, "name")
				if in != nil && name != nil && in.Value == "path" {
					if !strings.Contains(path, "{"+name.Value+"}") {
						changes = append(changes, strings.ToUpper(method)+" "+path+": -"+name.Value)
						continue
					}
					declared[name.Value] = true
				}
				kept = append(kept, p)
			}
			params.Content = kept
			for _, name := range templateNames(path) {
				if declared[name] || common[name] {
					continue
				}
				var p yaml.Node
				src := fmt.Sprintf("name: %s\nin: path\nrequired: true\nschema:\n  type: string\n", name)
				if err := yaml.Unmarshal([]byte(src), &p); err != nil {
					panic(err) // a constant shape
				}
				params.Content = append(params.Content, p.Content[0])
				changes = append(changes, strings.ToUpper(method)+" "+path+": +"+name)
			}
		}
	}
	return changes
}

// deref returns the target of n when n is a local reference, else n.
func deref(root, n *yaml.Node) *yaml.Node {
	if ref := refOf(n); strings.HasPrefix(ref, "#/") {
		if t, err := resolve(root, ref); err == nil {
			return t
		}
	}
	return n
}

// templateNames returns the names of the {parameters} of a path template.
func templateNames(path string) []string {
	var names []string
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			return names
		}
		j := strings.IndexByte(path[i:], '}')
		if j < 0 {
			return names
		}
		names = append(names, path[i+1:i+j])
		path = path[i+j+1:]
	}
}

// items returns the children of n, nil for nil.
func items(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	return n.Content
}

func member(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
