package bindlink

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/passkeyhq/beyondidentity"
)

// difference is a deliberate difference: a shape of link the official SDK
// accepts and ParseBindingLink refuses on purpose. Corpus entries name it
// in their deliberate field; ParseBindingLink's problem must then contain
// one of problems.
type difference struct {
	key, reason string
	problems    []string
}

// emptyKey names the one difference the rule itself allows: an empty ID or
// token, which ParseBindingLink refuses and the SDK does not mind.
const emptyKey = "empty"

// differences lists every deliberate difference, with the reason. Each
// must be shown by at least one URL of the corpus that the SDK accepts, so
// the list cannot outlive the SDK's behaviour.
var differences = []difference{
	{emptyKey, "An empty ID or token (token=, token without '=', an empty path segment) is refused: " +
		"the SDK only checks that the parameter or segment is there; such a link can never be redeemed.",
		[]string{" is empty"}},
	{"scheme", "Only http and https links are parsed. The SDK takes an invokeAuthenticator link of any scheme " +
		"(ftp:, file:, javascript:, a custom one) and GETs it as given; no Beyond Identity link has another " +
		"scheme, and the link's origin would not be an HTTP origin.",
		[]string{"must be an http or https URL", "is not a URL"}},
	{"userinfo", "User info (https://name@host) is refused: it makes a link show one host and go to another " +
		"(https://auth-us.beyondidentity.com@evil.example/…), and fetch refuses URLs with credentials anyway.",
		[]string{"must not contain user info"}},
	{"authority", "Links the browser repairs are refused: missing or extra slashes after the scheme " +
		"(https:host, https:/host, https:///host) and percent-encoded host names. The WHATWG URL parser of the " +
		"browser and the SDK finds a host there where Go's parser, like other RFC 3986 parsers, finds none or " +
		"another, so a check of the link's host on the server would not be about the host the browser goes to.",
		[]string{"is not a URL", "has no host"}},
	{"backslash", "A backslash where a slash belongs is refused: the browser reads it as '/', Go's parser and " +
		"most servers read it as part of a host or a segment, so the two would not read the same link.",
		[]string{"is not a URL", "has no host", "host", "path is", "extra path segments"}},
	{"controls", "A control character inside the link (tab, newline, NUL), or one at its ends other than " +
		"ASCII white space, is refused: the browser silently drops tabs and newlines and the SDK follows, which " +
		"hides what the link is; Go's parser refuses them.",
		[]string{"is not a URL"}},
	{"host-chars", "Host names are limited to letters, digits, '-', '.' and '_' (IP literals aside). The WHATWG " +
		"parser also takes !$&'()*+,;=~{}` and '\"' in a domain; no DNS name has them, and parsers disagree " +
		"about several of them.",
		[]string{"host has a character", "is not a URL"}},
	{"ipv4", "A host that ends in a number is taken only as a dotted-decimal IPv4 address (1.2.3.4). " +
		"The browser also reads hex, octal, shortened and " +
		"one-number forms (0x7f.1, 010.0.0.1 = 8.0.0.1, 127.1, 2130706433) that Go and most tools read " +
		"differently or as names, so the host a server checks would not be the host the browser goes to.",
		[]string{"IPv4"}},
	{"punycode", "A punycode (xn--) label is taken only if it decodes to letters of the Latin, Greek, Cyrillic, " +
		"Han, Hiragana, Katakana or Hangul scripts that UTS #46 leaves as they are, digits and '-', with at " +
		"least one non-ASCII letter. Go's standard library has no IDNA tables, so a wider check could take a " +
		"label the browser refuses; refused although the SDK takes them: right-to-left scripts (the bidi rule " +
		"is not checked here), symbols, emoji, joiners, and labels that decode to ASCII or to nothing.",
		[]string{"punycode"}},
	{"path", "An invokeAuthenticator link's path must be exactly " +
		"/v1/tenants/{t}/realms/{r}/identities/{i}/credential-binding-jobs/{j}:invokeAuthenticator. The SDK " +
		"behaves as if it split the path at '/' and ':' after any leading slashes (dot segments resolved) and " +
		"looked at the first ten parts only, and it GETs the link as given: with leading empty segments, a trailing slash, " +
		"extra segments, dot segments or '/invokeAuthenticator' for ':invokeAuthenticator' the token goes to " +
		"another path of the auth host than the endpoint's.",
		[]string{"extra path segments", "path is not /v1/tenants/", "path is neither"}},
	{"job-colons", "A job segment with more than one ':' ({job}:invokeAuthenticator:x) is refused: the SDK " +
		"reads the job before the first ':' and the method after it, while a server may take the custom " +
		"method after the last ':'.",
		[]string{"path is neither", "job_id contains"}},
	{"malformed-query", "A query with ';' or a malformed percent-escape in any parameter is refused, as Go's " +
		"url.ParseQuery does: the browser keeps ';' in the value and '%zz' as it is, other readers split on " +
		"';' or drop the pair, so they would disagree about the parameters (parameter cloaking).",
		[]string{"malformed query"}},
	{"malformed-path", "A path with a malformed percent-escape (%zz, a lone '%') is refused: Go's parser " +
		"refuses it, the browser keeps it as it is.",
		[]string{"is not a URL"}},
	{"duplicates", "Each parameter ParseBindingLink reads must appear once. The SDK takes the first copy, " +
		"other readers the last: a second api_base_url, tenant_id or realm_id could slip past a check made " +
		"on the other copy, and a second token makes the link mean two things.",
		[]string{"appears more than once"}},
	{"ids", "IDs are made of letters, digits, '-', '_', '.' and '~' (not '.' or '..'), at most 128 bytes: " +
		"Beyond Identity issues hex strings and UUIDs. The SDK takes any segment or value; '/', '?', '%', ':', " +
		"spaces or dot segments in an ID would change the meaning of URLs, paths and log lines an application " +
		"builds from it.",
		[]string{"contains a character", "is not a valid ID", "_id is too long"}},
	{"token-chars", "A token with a space or a control character is refused ('+' in a query is a space): " +
		"Beyond Identity's tokens are base64url, so such a token is a link mangled on its way, and a control " +
		"character could end up in a log line or a header.",
		[]string{"token contains a space or a control character"}},
	{"api-base-url", "api_base_url must be an http or https origin with a valid ASCII host (scheme://host[:port], " +
		"at most a trailing '/'). The SDK checks it only against its allowed domains and then sends the token " +
		"to it, with any path as a prefix; BindHandler compares it with an allow-list of origins.",
		[]string{"api_base_url is not", "parameter api_base_url is empty"}},
	{"non-ascii", "A link with a character that is not ASCII is refused: a browser hands a link over " +
		"percent-encoded, with a punycode host (location.href is ASCII), and the SDK's core traps (a WebAssembly " +
		"'unreachable') on one in the host, and on one in the path or the query unless it ends the link; it " +
		"takes one in the fragment or at the very end.",
		[]string{"not ASCII"}},
	{"limits", "A link over 8 KiB or a token over 4 KiB is refused: bounds on what is parsed and kept.",
		[]string{"is too long"}},
}

// emptyProblem matches ParseBindingLink's problems for an empty ID or token.
var emptyProblem = regexp.MustCompile(`^(parameter )?(token|tenant_id|realm_id|identity_id|job_id) is empty$`)

// verdict is the official SDK's answer for one URL (see verdicts.mjs).
type verdict struct {
	Bind bool   `json:"bind"`
	Kind string `json:"kind"`
}

// TestParseBindingLinkAgreesWithEmbeddedSDK asks the official Embedded SDK
// (@beyondidentity/bi-sdk-js, pinned in contract/package-lock.json) for its
// isBindPasskeyUrl verdict on every URL of the corpus and compares it with
// ParseBindingLink: what the SDK refuses, ParseBindingLink refuses; what it
// accepts, ParseBindingLink accepts, except for the deliberate differences
// listed in differences.
func TestParseBindingLinkAgreesWithEmbeddedSDK(t *testing.T) {
	node := requireSDK(t)
	entries := buildCorpus()
	urls := make([]string, len(entries))
	for i, e := range entries {
		urls[i] = e.url
	}
	start := time.Now()
	verdicts := sdkVerdicts(t, node, urls)
	t.Logf("official SDK: %d verdicts in %v", len(verdicts), time.Since(start).Round(time.Millisecond))
	checkHarness(t, entries, verdicts)

	byKey := map[string]difference{}
	for _, d := range differences {
		byKey[d.key] = d
	}
	for _, e := range entries {
		if e.deliberate != "" && byKey[e.deliberate].key == "" {
			t.Fatalf("corpus entry %q names an unknown deliberate difference %q", e.shape, e.deliberate)
		}
	}

	var (
		report                     []string
		bothAccept, bothRefuse     int
		shown                      = map[string]int{}
		families                   = map[string]int{}
		theirAccepts, ourAccepts   int
		disagreeOurs, disagreeThem int
	)
	for i, e := range entries {
		v := verdicts[i]
		families[family(e.shape)]++
		link, err := beyondidentity.ParseBindingLink(e.url)
		problem := ""
		if err != nil {
			problem = problemOf(err)
			if strings.Contains(err.Error(), token[:16]) {
				t.Errorf("ParseBindingLink's error shows the token: %s", e.shape)
			}
		} else if link == nil {
			t.Fatalf("ParseBindingLink returned neither a link nor an error: %s", e.shape)
		}
		if v.Bind {
			theirAccepts++
		}
		if err == nil {
			ourAccepts++
		}
		switch {
		case v.Bind && err == nil:
			bothAccept++
			if e.deliberate != "" && e.deliberate != emptyKey {
				report = append(report, disagreement(len(report)+1, e, v, problem,
					"documented as the deliberate difference "+e.deliberate+", but ParseBindingLink accepts it"))
			}
		case !v.Bind && err != nil:
			bothRefuse++
		case !v.Bind && err == nil:
			disagreeOurs++
			report = append(report, disagreement(len(report)+1, e, v, problem,
				"ParseBindingLink accepts a link the official SDK refuses: a backend would hand out a link the browser rejects"))
		default: // the SDK accepts, ParseBindingLink refuses
			key := e.deliberate
			if emptyProblem.MatchString(problem) && (key == "" || key == emptyKey) {
				key = emptyKey
			}
			if key != "" && matchesAny(problem, byKey[key].problems) {
				shown[key]++
				continue
			}
			disagreeThem++
			why := "ParseBindingLink refuses a link the official SDK accepts"
			if key != "" {
				why += " (expected as the deliberate difference " + key + ", but for another problem)"
			}
			report = append(report, disagreement(len(report)+1, e, v, problem, why))
		}
	}
	for _, d := range differences {
		if shown[d.key] == 0 {
			report = append(report, fmt.Sprintf("deliberate difference %q: no URL of the corpus shows it any more "+
				"(the official SDK refuses all of them, or ParseBindingLink's problem changed): update the list", d.key))
		}
	}

	var fams []string
	for f, n := range families {
		fams = append(fams, fmt.Sprintf("%s %d", f, n))
	}
	sort.Strings(fams)
	var keys []string
	for _, d := range differences {
		keys = append(keys, fmt.Sprintf("%s %d", d.key, shown[d.key]))
	}
	t.Logf("corpus: %d URLs (%s)", len(entries), strings.Join(fams, ", "))
	t.Logf("official SDK accepts %d, ParseBindingLink accepts %d; both accept %d, both refuse %d",
		theirAccepts, ourAccepts, bothAccept, bothRefuse)
	t.Logf("deliberate differences shown: %s", strings.Join(keys, ", "))
	if len(report) > 0 {
		t.Errorf("ParseBindingLink and the official SDK's isBindPasskeyUrl disagree (%d accepted by ParseBindingLink only, "+
			"%d refused by ParseBindingLink only):\n%s", disagreeOurs, disagreeThem, strings.Join(report, "\n"))
	}
}

// family is the part of a shape before its first ':', for the summary.
func family(shape string) string {
	if i := strings.Index(shape, ":"); i > 0 {
		return shape[:i]
	}
	return shape
}

func problemOf(err error) string {
	var ve *beyondidentity.ValidationError
	if errors.As(err, &ve) {
		return ve.Problem
	}
	return err.Error()
}

func matchesAny(problem string, subs []string) bool {
	for _, s := range subs {
		if strings.Contains(problem, s) {
			return true
		}
	}
	return false
}

// disagreement formats one finding. The corpus holds fake tokens only, so
// the URL is shown (shortened if very long).
func disagreement(n int, e entry, v verdict, problem, why string) string {
	u := e.url
	if len(u) > 400 {
		u = fmt.Sprintf("%s… (%d bytes)", u[:400], len(e.url))
	}
	sdk := "accepts"
	if !v.Bind {
		sdk = "refuses (" + v.Kind + ")"
	}
	ours := "accepts"
	if problem != "" {
		ours = "refuses: " + problem
	}
	return fmt.Sprintf("%3d. %s\n     %s\n     url: %q\n     official SDK: %s\n     ParseBindingLink: %s",
		n, e.shape, why, u, sdk, ours)
}

// checkHarness stops the test if the SDK's verdicts on links whose verdict
// is known are not what they must be: the SDK did not load, or answers
// something else.
func checkHarness(t *testing.T, entries []entry, verdicts []verdict) {
	t.Helper()
	known := map[string]bool{
		invoke("https://"+authUS, "?token="+token):    true,
		bind("https://app.example.com", bindParams()): true,
		"https://" + authUS + strings.Replace(invokePath(tenant, realm, identity, job), ":invoke", "%3Ainvoke", 1) + "?token=" + token: false,
		invoke("https://"+authUS, ""): false,
		"not a link":                  false,
	}
	found := 0
	for i, e := range entries {
		want, ok := known[e.url]
		if !ok {
			continue
		}
		found++
		if verdicts[i].Bind != want {
			t.Fatalf("the official SDK's verdict on a known link (%s) is %v, not %v: the SDK did not load as expected", e.shape, verdicts[i].Bind, want)
		}
	}
	if found != len(known) {
		t.Fatalf("the corpus lacks %d of the links whose verdict is known", len(known)-found)
	}
}

// requireSDK returns the node binary, or skips the test (fails it when $CI
// is set) when node or the pinned npm packages are missing.
func requireSDK(t *testing.T) string {
	t.Helper()
	skip := func(why string) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip("node is not installed: the differential test runs the official Embedded SDK under Node 20")
	}
	var pinned struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	raw, err := os.ReadFile(filepath.Join("..", "package.json"))
	if err != nil {
		t.Fatalf("reading contract/package.json: %v", err)
	}
	if err := json.Unmarshal(raw, &pinned); err != nil {
		t.Fatalf("reading contract/package.json: %v", err)
	}
	for _, pkg := range []string{"@beyondidentity/bi-sdk-js", "fake-indexeddb"} {
		want := pinned.DevDependencies[pkg]
		if want == "" {
			t.Fatalf("contract/package.json does not pin %s", pkg)
		}
		var installed struct {
			Version string `json:"version"`
		}
		raw, err := os.ReadFile(filepath.Join("..", "node_modules", pkg, "package.json"))
		if err == nil {
			err = json.Unmarshal(raw, &installed)
		}
		switch {
		case err != nil:
			skip(pkg + " is not installed in contract/node_modules: run contract/run.sh (it installs the pinned packages with npm ci)")
		case installed.Version != want:
			skip(fmt.Sprintf("contract/node_modules holds %s %s, not the pinned %s: run contract/run.sh (npm ci)", pkg, installed.Version, want))
		}
	}
	return node
}

// sdkVerdicts runs verdicts.mjs once on all the URLs.
func sdkVerdicts(t *testing.T, node string, urls []string) []verdict {
	t.Helper()
	in, err := json.Marshal(urls)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "verdicts.mjs")
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node verdicts.mjs: %v\n%s", err, stderr.String())
	}
	var out []verdict
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("node verdicts.mjs: reading its answer: %v\n%s", err, stderr.String())
	}
	if len(out) != len(urls) {
		t.Fatalf("node verdicts.mjs: %d verdicts for %d URLs", len(out), len(urls))
	}
	return out
}
