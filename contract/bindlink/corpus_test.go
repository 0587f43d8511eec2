package bindlink

import (
	"fmt"
	"net/url"
	"strings"
)

// Made-up IDs in the shape Beyond Identity issues (16 hex characters) and
// a fake token: the corpus holds no real secret, so a failing test may
// print its URLs.
const (
	tenant   = "0001a7c3e95b2d40"
	realm    = "5d2f8e1b7a0c9346"
	identity = "b83e0f6a2c9d1475"
	job      = "e1f4a9c07b3d2856"
	token    = "FAKE-test-token_not-a-secret_0123456789abcdefghijklmnopqrstuv"

	authUS  = "auth-us.beyondidentity.com"
	authEU  = "auth-eu.beyondidentity.com"
	authGov = "auth.us1.beyondidentity-gov.com"
)

// entry is one URL of the corpus.
type entry struct {
	url string
	// shape says what the URL is made of, for the report.
	shape string
	// deliberate names the deliberate difference (see differences) the URL
	// shows if the official SDK accepts it: ParseBindingLink refuses it on
	// purpose. Empty when the two must agree.
	deliberate string
}

// corpus builds the URLs, always in the same order, without duplicates.
type corpus struct {
	entries []entry
	seen    map[string]bool
}

func (c *corpus) add(shape, deliberate, u string) {
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	if c.seen[u] {
		return
	}
	c.seen[u] = true
	c.entries = append(c.entries, entry{url: u, shape: shape, deliberate: deliberate})
}

// invokePath is the path of a RETURN (invokeAuthenticator) link.
func invokePath(t, r, i, j string) string {
	return "/v1/tenants/" + t + "/realms/" + r + "/identities/" + i + "/credential-binding-jobs/" + j + ":invokeAuthenticator"
}

// invoke is a RETURN link on origin with query q ("" for none, else with
// its '?').
func invoke(origin, q string) string { return origin + invokePath(tenant, realm, identity, job) + q }

// param is one query parameter, its value already encoded for the URL.
type param struct{ name, value string }

// bindParams are the parameters of a /bind redirect, in the order Beyond
// Identity was seen to send them.
func bindParams() []param {
	return []param{
		{"api_base_url", url.QueryEscape("https://" + authUS)},
		{"identity_id", identity},
		{"job_id", job},
		{"realm_id", realm},
		{"tenant_id", tenant},
		{"token", token},
	}
}

func query(ps []param) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.name + "=" + p.value
	}
	return strings.Join(parts, "&")
}

// bind is a /bind redirect on prefix (scheme, host and path prefix).
func bind(prefix string, ps []param) string { return prefix + "/bind?" + query(ps) }

// withParam returns ps with the value of name replaced (already encoded).
func withParam(ps []param, name, value string) []param {
	out := append([]param(nil), ps...)
	for i := range out {
		if out[i].name == name {
			out[i].value = value
		}
	}
	return out
}

func withoutParam(ps []param, name string) []param {
	var out []param
	for _, p := range ps {
		if p.name != name {
			out = append(out, p)
		}
	}
	return out
}

// pctEncode percent-encodes the i-th byte of s (upper-case hex, or
// lower-case if lower).
func pctEncode(s string, i int, lower bool) string {
	enc := fmt.Sprintf("%%%02X", s[i])
	if lower {
		enc = strings.ToLower(enc)
	}
	return s[:i] + enc + s[i+1:]
}

// buildCorpus makes the corpus: every shape of binding link the official
// SDK and ParseBindingLink must agree on, and the shapes where they differ
// on purpose.
func buildCorpus() []entry {
	var c corpus
	addHosts(&c)
	addSchemesAndAuthority(&c)
	addInvokePaths(&c)
	addBindPaths(&c)
	addIDs(&c)
	addTokens(&c)
	addQueries(&c)
	addBindParams(&c)
	addAPIBaseURLs(&c)
	addMisc(&c)
	return c.entries
}

// hosts: the auth hosts of every region, other hosts, IPs, ports, case,
// IDN and punycode, look-alikes. Each host gets both link shapes.
func addHosts(c *corpus) {
	hosts := []struct{ host, shape, deliberate string }{
		{authUS, "US auth host", ""},
		{authEU, "EU auth host", ""},
		{authGov, "US FedRAMP auth host", ""},
		{"api-us.beyondidentity.com", "US API host", ""},
		{"auth-us.beyondidentity.com:443", "default port", ""},
		{"auth-us.beyondidentity.com:0443", "default port with a leading zero", ""},
		{"auth-us.beyondidentity.com:", "empty port", ""},
		{"auth-us.beyondidentity.com:8443", "other port", ""},
		{"auth-us.beyondidentity.com:0", "port 0", ""},
		{"auth-us.beyondidentity.com:65535", "port 65535", ""},
		{"auth-us.beyondidentity.com:65536", "port 65536", ""},
		{"auth-us.beyondidentity.com:99999", "port 99999", ""},
		{"auth-us.beyondidentity.com:4294967297", "port over 2^32", ""},
		{"auth-us.beyondidentity.com:+443", "signed port", ""},
		{"auth-us.beyondidentity.com:44x", "port with a letter", ""},
		{"auth-us.beyondidentity.com.", "trailing dot", ""},
		{"AUTH-US.BEYONDIDENTITY.COM", "upper-case host", ""},
		{"Auth-Eu.BeyondIdentity.com", "mixed-case host", ""},
		{"localhost", "localhost", ""},
		{"localhost:3000", "localhost with port", ""},
		{"app.example.com", "application host", ""},
		{"shop.example", "application host", ""},
		{"127.0.0.1", "IPv4 loopback", ""},
		{"127.0.0.1:8092", "IPv4 with port", ""},
		{"10.1.2.3", "private IPv4", ""},
		{"255.255.255.255", "IPv4 broadcast", ""},
		{"[::1]", "IPv6 loopback", ""},
		{"[::1]:8443", "IPv6 with port", ""},
		{"[2001:db8::42]", "IPv6", ""},
		{"[::ffff:127.0.0.1]", "IPv4-mapped IPv6", ""},
		{"[::ffff:127.0.0.01]", "IPv4-mapped IPv6 with a leading zero", ""},
		{"[fe80::1%25eth0]", "IPv6 with a zone", ""},
		{"[zz::1]", "invalid IPv6", ""},
		{"[1::2::3]", "IPv6 with two '::'", ""},
		{"[::1:2:3:4:5:6:7]", "IPv6 whose '::' stands for one group", ""},
		{"[::1]x", "text after an IPv6 literal", ""},
		{"[1.2.3.4]", "IPv4 in brackets", ""},
		{"[::1]:", "IPv6 with an empty port", ""},
		{"h:80:80", "two ports", ""},
		{"0x7f.1", "hex IPv4 short form", "ipv4"},
		{"0x7F000001", "hex IPv4 as one number", "ipv4"},
		{"127.1", "short IPv4", "ipv4"},
		{"1.2.3", "three-part IPv4", "ipv4"},
		{"010.0.0.1", "octal IPv4 (8.0.0.1 to a browser)", "ipv4"},
		{"2130706433", "IPv4 as one decimal number", "ipv4"},
		{"4294967295", "largest IPv4 number", "ipv4"},
		{"4294967296", "IPv4 number too large", ""},
		{"127.0.0.1.", "IPv4 with a trailing dot", "ipv4"},
		{"256.1.1.1", "IPv4 part over 255", ""},
		{"1.2.3.4.5", "five-part IPv4", ""},
		{"08.0.0.1", "invalid octal IPv4", ""},
		{"0x100.1", "hex IPv4 part over 255", ""},
		{"h.1", "name ending in a number", ""},
		{"example.0x", "name ending in 0x", ""},
		{"example.0x1f", "name ending in a hex number", ""},
		{"1e3.example", "name starting with digits", ""},
		{"123.example", "numeric first label", ""},
		{"x_y.example", "underscore in a label", ""},
		{"-a.example", "label starting with '-'", ""},
		{"a-.example", "label ending with '-'", ""},
		{"a..b.example", "empty label", ""},
		{strings.Repeat("a", 64) + ".example", "64-character label", ""},
		{"auth-us.beyondidentity.com.evil.example", "look-alike: suffix", ""},
		{"auth-us-beyondidentity.com", "look-alike: dash for dot", ""},
		{"auth-us.beyondidentity.co", "look-alike: other TLD", ""},
		{"xn--pple-43d.com", "punycode look-alike (Cyrillic a)", ""},
		{"xn--bcher-kva.example", "punycode (u-umlaut)", ""},
		{"XN--BCHER-KVA.example", "upper-case punycode", ""},
		{"xn--e1afmkfd.example", "punycode (Cyrillic)", ""},
		{"xn--r8jz45g.example", "punycode (Han, Hiragana)", ""},
		{"xn--strae-oqa.example", "punycode (sharp s)", ""},
		{"xn--3xa.example", "punycode (Greek final sigma)", ""},
		{"xn--9n2bp8q.example", "punycode (Hangul)", ""},
		{"xn--eckwd4c7c.example", "punycode (Katakana)", ""},
		{"shop.xn--p1ai", "punycode top-level domain (Cyrillic)", ""},
		{"xn--caf-dma.example:8443", "punycode with a port", ""},
		{"xn--80ak6aa92e.com", "punycode look-alike (Cyrillic, with a Cyrillic palochka)", "punycode"},
		{"auth-us.xn--beyondidentity-r6h.com", "punycode of a dotted-I look-alike (combining dot)", "punycode"},
		{"xn--4dbc.example", "punycode (Hebrew, right-to-left)", "punycode"},
		{"xn--n3h.example", "punycode (symbol)", "punycode"},
		{"xn--e28h.example", "punycode (emoji)", "punycode"},
		{"xn--ab-m1t.example", "punycode (zero-width joiner)", "punycode"},
		{"xn--abc-.example", "punycode of an ASCII label", "punycode"},
		{"xn--.example", "empty punycode label", "punycode"},
		{"xn--zz.example", "invalid punycode", ""},
		{"xn--a.example", "punycode of a control character", ""},
		{"xn---.example", "punycode of '-'", ""},
		{"xn--bcher-2pa.example", "punycode with an upper-case letter", ""},
		{"xn--oo-4va.example", "punycode of a mapped letter (long s)", ""},
		{"xn--sba.example", "punycode of a mapped letter (micro sign)", ""},
		{"xn--lja.example", "punycode of a compatibility letter (dz)", ""},
		{"xn--x-h47h.example", "punycode of a CJK compatibility ideograph", ""},
		{"xn--a-0hc.example", "punycode mixing left-to-right and right-to-left", ""},
		{"xn--ab-7tb.example", "punycode starting with a combining mark", ""},
		{"xn--uber-vwc.example", "punycode not in NFC", ""},
		{"xn--b-yq0i.example", "punycode of a full-width letter", ""},
		{"bücher.example", "non-ASCII host", ""},
		{"аuth-us.beyondidentity.com", "non-ASCII look-alike (Cyrillic a)", ""},
		{"auth-us.beyondİdentity.com", "non-ASCII look-alike (dotted I)", ""},
		{"auth-us.beyondidentity.com\u3002evil.example", "ideographic full stop", ""},
		{"%61uth-us.beyondidentity.com", "percent-encoded host", "authority"},
		{"auth-us%2ebeyondidentity.com", "percent-encoded dot in the host", "authority"},
		{"h!x.example", "'!' in the host", "host-chars"},
		{"h$x.example", "'$' in the host", "host-chars"},
		{"h'x.example", "quote in the host", "host-chars"},
		{"h*x.example", "'*' in the host", "host-chars"},
		{"h,x.example", "',' in the host", "host-chars"},
		{"h;x.example", "';' in the host", "host-chars"},
		{"h=x.example", "'=' in the host", "host-chars"},
		{"h~x.example", "'~' in the host", "host-chars"},
		{"h{x.example", "'{' in the host", "host-chars"},
		{"h\"x.example", "double quote in the host", "host-chars"},
		{"h^x.example", "'^' in the host", ""},
		{"h|x.example", "'|' in the host", ""},
		{"h<x.example", "'<' in the host", ""},
		{"h x.example", "space in the host", ""},
	}
	for _, h := range hosts {
		c.add("host: "+h.shape+", invokeAuthenticator link", h.deliberate, invoke("https://"+h.host, "?token="+token))
		c.add("host: "+h.shape+", /bind redirect", h.deliberate, bind("https://"+h.host, bindParams()))
	}
	for _, h := range []string{authUS, "localhost:8092", "127.0.0.1:3000", "[::1]:3000", "app.example.com"} {
		c.add("host: over http, invokeAuthenticator link", "", invoke("http://"+h, "?token="+token))
		c.add("host: over http, /bind redirect", "", bind("http://"+h, bindParams()))
	}
}

// schemes and the authority: other schemes, missing and extra slashes,
// backslashes, user info.
func addSchemesAndAuthority(c *corpus) {
	rest := "//" + authUS + invokePath(tenant, realm, identity, job) + "?token=" + token
	restBind := "//app.example.com/bind?" + query(bindParams())
	for _, s := range []struct{ scheme, deliberate string }{
		{"https:", ""}, {"http:", ""}, {"HTTPS:", ""}, {"HtTp:", ""},
		{"ftp:", "scheme"}, {"ws:", "scheme"}, {"wss:", "scheme"}, {"file:", "scheme"},
		{"javascript:", "scheme"}, {"bi:", "scheme"}, {"intent:", "scheme"}, {"data:", "scheme"},
		{"https+x:", "scheme"}, {"", ""},
	} {
		c.add("scheme: "+strings.TrimSuffix(s.scheme, ":")+", invokeAuthenticator link", s.deliberate, s.scheme+rest)
		c.add("scheme: "+strings.TrimSuffix(s.scheme, ":")+", /bind redirect", s.deliberate, s.scheme+restBind)
	}
	for _, a := range []struct{ authority, shape, deliberate string }{
		{"https:" + authUS, "no slashes after the scheme", "authority"},
		{"https:/" + authUS, "one slash after the scheme", "authority"},
		{"https:///" + authUS, "three slashes after the scheme", "authority"},
		{"https:////" + authUS, "four slashes after the scheme", "authority"},
		{`https:\\` + authUS, "backslashes after the scheme", "backslash"},
		{`https:/\` + authUS, "slash and backslash after the scheme", "backslash"},
		{"https://user@" + authUS, "user info", "userinfo"},
		{"https://user:pass@" + authUS, "user and password", "userinfo"},
		{"https://@" + authUS, "empty user info", "userinfo"},
		{"https://:@" + authUS, "empty user and password", "userinfo"},
		{"https://" + authUS + "@evil.example", "BI host as user info of another host", "userinfo"},
		{"https://" + authUS + "%40evil.example", "percent-encoded '@' in the host", ""},
		{"https://" + authUS + `\@evil.example`, "backslash before '@'", "backslash"},
		{"https://", "no host", ""},
	} {
		c.add("authority: "+a.shape+", invokeAuthenticator link", a.deliberate, invoke(a.authority, "?token="+token))
		c.add("authority: "+a.shape+", /bind redirect", a.deliberate, bind(a.authority, bindParams()))
	}
	c.add("authority: no host, path only", "", "https:"+invokePath(tenant, realm, identity, job)+"?token="+token)
	c.add("authority: host-relative link", "", invokePath(tenant, realm, identity, job)+"?token="+token)
	c.add("authority: host-relative /bind", "", "/bind?"+query(bindParams()))
}

// invokeAuthenticator paths: percent-encodings of every character, slashes,
// case, dot segments, colons.
func addInvokePaths(c *corpus) {
	good := invokePath(tenant, realm, identity, job)
	origin := "https://" + authUS
	q := "?token=" + token
	// Every character of the path outside the IDs, percent-encoded.
	fixed := map[int]bool{}
	for _, lit := range []string{"/v1/tenants/", "/realms/", "/identities/", "/credential-binding-jobs/", ":invokeAuthenticator"} {
		at := strings.Index(good, lit)
		for i := at; i < at+len(lit); i++ {
			fixed[i] = true
		}
	}
	for i := 0; i < len(good); i++ {
		if !fixed[i] {
			continue
		}
		shape := fmt.Sprintf("invokeAuthenticator path: %q percent-encoded", good[i])
		c.add(shape, "", origin+pctEncode(good, i, false)+q)
		if good[i] == ':' || good[i] == '/' {
			c.add(shape+" (lower-case hex)", "", origin+pctEncode(good, i, true)+q)
		}
	}
	// One character of each ID percent-encoded (the ID is unchanged).
	for _, id := range []string{tenant, realm, identity, job} {
		at := strings.Index(good, id)
		c.add("invokeAuthenticator path: a character of an ID percent-encoded", "", origin+pctEncode(good, at+1, false)+q)
		c.add("invokeAuthenticator path: a character of an ID percent-encoded (lower-case hex)", "", origin+pctEncode(good, at+len(id)-1, true)+q)
	}
	var whole strings.Builder
	for i := 0; i < len(job); i++ {
		fmt.Fprintf(&whole, "%%%02X", job[i])
	}
	c.add("invokeAuthenticator path: a whole ID percent-encoded", "", origin+invokePath(tenant, realm, identity, whole.String())+q)

	// Slashes: doubled, missing, leading, trailing.
	slashes := []int{}
	for i := 0; i < len(good); i++ {
		if good[i] == '/' {
			slashes = append(slashes, i)
		}
	}
	for n, i := range slashes {
		c.add(fmt.Sprintf("invokeAuthenticator path: slash %d doubled", n+1), "path", origin+good[:i]+"/"+good[i:]+q)
		if n > 0 {
			c.add(fmt.Sprintf("invokeAuthenticator path: slash %d missing", n+1), "", origin+good[:i]+good[i+1:]+q)
		}
		c.add(fmt.Sprintf("invokeAuthenticator path: slash %d as a backslash", n+1), "backslash", origin+good[:i]+`\`+good[i+1:]+q)
	}
	c.add("invokeAuthenticator path: three leading slashes", "path", origin+"//"+good+q)
	c.add("invokeAuthenticator path: trailing slash", "path", origin+good+"/"+q)
	c.add("invokeAuthenticator path: two trailing slashes", "path", origin+good+"//"+q)
	c.add("invokeAuthenticator path: extra segment after the job", "path", origin+good+"/extra"+q)
	c.add("invokeAuthenticator path: two extra segments after the job", "path", origin+good+"/a/b"+q)
	c.add("invokeAuthenticator path: extra segment 'bind' after the job", "path", origin+good+"/bind"+q)
	c.add("invokeAuthenticator path: extra segment before v1", "", origin+"/api"+good+q)
	c.add("invokeAuthenticator path: v1 twice", "", origin+"/v1"+good+q)
	c.add("invokeAuthenticator path: no leading slash after the host", "", origin+good[1:]+q)
	for _, d := range []struct{ path, shape string }{
		{"/." + good, "'.' segment before v1"},
		{"/x/.." + good, "'x/..' before v1"},
		{"/%2e" + good, "'%2e' segment before v1"},
		{"/x/%2E%2e" + good, "'x/%2E%2e' before v1"},
		{"/x/.%2e" + good, "'x/.%2e' before v1"},
		{strings.Replace(good, "/realms/", "/./realms/", 1), "'.' segment inside"},
		{strings.Replace(good, "/credential-binding-jobs/", "/credential-binding-jobs/%2e/", 1), "'%2e' segment before the job"},
		{strings.Replace(good, "/realms/", "/x/../realms/", 1), "'x/..' inside"},
		{good + "/.", "'.' after the job"},
		{good + "/x/..", "'x/..' after the job"},
		{good + "/..", "'..' after the job"},
		{strings.Replace(good, "/realms/", "/../realms/", 1), "'..' removing the tenant"},
	} {
		deliberate := "path"
		if d.shape == "'..' after the job" || d.shape == "'..' removing the tenant" {
			deliberate = ""
		}
		c.add("invokeAuthenticator path: "+d.shape, deliberate, origin+d.path+q)
	}

	// Case and spelling of the fixed parts.
	for _, r := range [][2]string{
		{"/v1/", "/V1/"}, {"/v1/", "/v2/"}, {"/v1/", "/v0/"}, {"/tenants/", "/Tenants/"}, {"/tenants/", "/tenant/"},
		{"/realms/", "/REALMS/"}, {"/identities/", "/identity/"}, {"/credential-binding-jobs/", "/credential_binding_jobs/"},
		{"/credential-binding-jobs/", "/credentialBindingJobs/"}, {"/credential-binding-jobs/", "/jobs/"},
		{":invokeAuthenticator", ":invokeauthenticator"}, {":invokeAuthenticator", ":InvokeAuthenticator"},
		{":invokeAuthenticator", ":invokeAuthenticatorX"}, {":invokeAuthenticator", ":invoke"},
		{":invokeAuthenticator", ":revoke"}, {":invokeAuthenticator", ";invokeAuthenticator"},
		{":invokeAuthenticator", "/:invokeAuthenticator"}, {":invokeAuthenticator", "/invokeAuthenticator"},
		{":invokeAuthenticator", ":invokeAuthenticator:invokeAuthenticator"},
		{":invokeAuthenticator", ":invokeAuthenticator:x"}, {":invokeAuthenticator", ":invokeAuthenticator:"},
		{":invokeAuthenticator", "::invokeAuthenticator"}, {":invokeAuthenticator", ":invokeAuthenticator%3Ax"},
		{":invokeAuthenticator", ""},
		{"/realms/" + realm + "/", "/"}, {"/identities/" + identity + "/", "/"},
		{"/tenants/" + tenant + "/realms/" + realm + "/", "/realms/" + realm + "/tenants/" + tenant + "/"},
	} {
		deliberate := ""
		switch r[1] {
		case ":invokeAuthenticator:invokeAuthenticator", ":invokeAuthenticator:x", ":invokeAuthenticator:":
			deliberate = "job-colons"
		case "/invokeAuthenticator":
			deliberate = "path"
		}
		c.add(fmt.Sprintf("invokeAuthenticator path: %q for %q", r[1], r[0]), deliberate, origin+strings.Replace(good, r[0], r[1], 1)+q)
	}
	c.add("invokeAuthenticator path: job with a ':' inside", "", origin+invokePath(tenant, realm, identity, "a:b")+q)
	c.add("invokeAuthenticator path: ';' parameter on the job segment", "", origin+good+";x=1"+q)
}

// /bind paths: prefixes, slashes, case, encodings, dot segments.
func addBindPaths(c *corpus) {
	q := "?" + query(bindParams())
	for _, p := range []struct{ path, shape, deliberate string }{
		{"/bind", "at the root", ""},
		{"/a/bind", "one-segment prefix", ""},
		{"/accounts/passkeys/bind", "two-segment prefix", ""},
		{"/a/b/c/d/bind", "long prefix", ""},
		{"//bind", "double leading slash", ""},
		{"/a//bind", "double slash in the prefix", ""},
		{"/bind/", "trailing slash", ""},
		{"/bind//", "two trailing slashes", ""},
		{"/bind/x", "extra segment", ""},
		{"/bind/bind", "bind twice", ""},
		{"/xbind", "prefix glued to bind", ""},
		{"/bindx", "suffix glued to bind", ""},
		{"/bind.html", "file extension", ""},
		{"/Bind", "capital B", ""},
		{"/BIND", "upper case", ""},
		{"/bin%64", "'d' percent-encoded", ""},
		{"/%62ind", "'b' percent-encoded", ""},
		{"/%62%69%6E%64", "all of bind percent-encoded", ""},
		{"%2Fbind", "slash percent-encoded", ""},
		{"/a%2Fbind", "slash of the prefix percent-encoded", ""},
		{"/bind%2F", "trailing slash percent-encoded", ""},
		{"/bind%3F", "'?' percent-encoded", ""},
		{"/bind;x=1", "';' parameter", ""},
		{"/a/../bind", "'..' in the prefix", ""},
		{"/./bind", "'.' in the prefix", ""},
		{"/%2e%2e/bind", "'%2e%2e' in the prefix", ""},
		{"/bind/.", "'.' after bind", ""},
		{"/bind/..", "'..' after bind", ""},
		{"/bind/%2e", "'%2e' after bind", ""},
		{"/bind/x/..", "'x/..' after bind", ""},
		{`/a\bind`, "backslash in the prefix", "backslash"},
		{`\bind`, "backslash before bind", "backslash"},
		{"/%zz/bind", "malformed percent-escape in the prefix", "malformed-path"},
		{"/a%/bind", "lone '%' in the prefix", "malformed-path"},
		{"/ü/bind", "non-ASCII prefix", ""},
		{"/a b/bind", "space in the prefix", ""},
		{"/v1/tenants/" + tenant + "/bind", "API-looking prefix", ""},
	} {
		c.add("/bind path: "+p.shape, p.deliberate, "https://app.example.com"+p.path+q)
	}
	c.add("/bind path: no path", "", "https://app.example.com"+q)
	c.add("/bind path: only a slash", "", "https://app.example.com/"+q)
	c.add("/bind path: with the invokeAuthenticator parameters", "", "https://app.example.com/bind?token="+token)
}

// IDs: empty, dots, reserved characters, encodings, lengths, in both
// shapes.
func addIDs(c *corpus) {
	ids := []struct{ raw, shape, deliberate string }{
		{"", "empty", "empty"},
		{".", "'.'", "ids"},
		{"..", "'..'", "ids"},
		{"%2e", "'%2e'", "ids"},
		{"%2E%2E", "'%2E%2E'", "ids"},
		{"a%2Fb", "encoded '/'", "ids"},
		{"a%3Fb", "encoded '?'", "ids"},
		{"a%23b", "encoded '#'", "ids"},
		{"a%25b", "encoded '%'", "ids"},
		{"a%3Ab", "encoded ':'", "ids"},
		{"a%20b", "encoded space", "ids"},
		{"a+b", "'+'", "ids"},
		{"a@b", "'@'", "ids"},
		{"a!b", "'!'", "ids"},
		{"%C3%BC", "encoded non-ASCII", "ids"},
		{"ü", "non-ASCII", "ids"},
		{"a%00b", "encoded NUL", "ids"},
		{"a%0Ab", "encoded newline", "ids"},
		{"3f2a9c1e-7b4d-4e8f-a6c5-0d1b2e3f4a5b", "UUID", ""},
		{"A-z_0.9~", "every unreserved kind", ""},
		{"%41%7E", "encoded unreserved characters", ""},
		{strings.Repeat("a", 128), "128 characters", ""},
		{strings.Repeat("a", 129), "129 characters", "ids"},
	}
	names := []string{"tenant_id", "realm_id", "identity_id", "job_id"}
	for n, name := range names {
		for _, id := range ids {
			v := [4]string{tenant, realm, identity, job}
			v[n] = id.raw
			shape := fmt.Sprintf("ID: %s %s", name, id.shape)
			c.add(shape+", invokeAuthenticator link", id.deliberate,
				"https://"+authUS+invokePath(v[0], v[1], v[2], v[3])+"?token="+token)
			c.add(shape+", /bind redirect", id.deliberate, bind("https://app.example.com", withParam(bindParams(), name, id.raw)))
		}
	}
	c.add("ID: tenant_id with a raw space, invokeAuthenticator link", "ids", "https://"+authUS+invokePath("a b", realm, identity, job)+"?token="+token)
	c.add("ID: tenant_id with a raw space, /bind redirect", "ids", bind("https://app.example.com", withParam(bindParams(), "tenant_id", "a b")))
	c.add("ID: realm_id with a raw ':', invokeAuthenticator link", "", "https://"+authUS+invokePath(tenant, "a:b", identity, job)+"?token="+token)
}

// tokens: missing, empty, duplicated, encodings, characters, lengths.
func addTokens(c *corpus) {
	toks := []struct{ q, shape, deliberate string }{
		{"", "no query", ""},
		{"?", "empty query", ""},
		{"?token=", "empty token", "empty"},
		{"?token", "token without '='", "empty"},
		{"?token=&token=" + token, "empty token, then a token", "duplicates"},
		{"?token=" + token + "&token=", "token, then an empty token", "duplicates"},
		{"?token=" + token + "&token=" + token, "the same token twice", "duplicates"},
		{"?token=" + token + "&token=FAKE-other", "two different tokens", "duplicates"},
		{"?token=" + token[:20] + "+" + token[20:], "'+' (a space) in the token", "token-chars"},
		{"?token=" + token[:20] + "%20" + token[20:], "encoded space in the token", "token-chars"},
		{"?token=" + token[:20] + "%2B" + token[20:], "encoded '+' in the token", ""},
		{"?token=" + token[:20] + "%0A" + token[20:], "encoded newline in the token", "token-chars"},
		{"?token=" + token[:20] + "%00" + token[20:], "encoded NUL in the token", "token-chars"},
		{"?token=" + token[:20] + "%7F" + token[20:], "encoded DEL in the token", "token-chars"},
		{"?token=" + token[:20] + "%09" + token[20:], "encoded tab in the token", "token-chars"},
		{"?token=" + token[:20] + "\"" + token[20:], "double quote in the token", ""},
		{"?token=" + token[:20] + "'<>" + token[20:], "quote and angle brackets in the token", ""},
		{"?token=" + token[:20] + "ü" + token[20:], "non-ASCII in the token", ""},
		{"?token=" + token + "ü", "non-ASCII at the end of the token", "non-ascii"},
		{"?token=" + token[:20] + "%C3%BC" + token[20:], "encoded non-ASCII in the token", ""},
		{"?token=" + token[:20] + "%FF" + token[20:], "encoded invalid UTF-8 in the token", ""},
		{"?token=" + token[:20] + "%zz" + token[20:], "malformed percent-escape in the token", "malformed-query"},
		{"?token=" + token[:20] + "%" + token[20:], "lone '%' in the token", "malformed-query"},
		{"?token=" + token[:20] + "/?:@" + token[20:], "'/', '?', ':' and '@' in the token", ""},
		{"?token=" + token[:20] + "=" + token[20:], "'=' in the token", ""},
		{"?token=" + strings.Repeat("A", 4096), "4096-byte token", ""},
		{"?token=" + strings.Repeat("A", 4097), "4097-byte token", "limits"},
		{"?Token=" + token, "'Token'", ""},
		{"?TOKEN=" + token, "'TOKEN'", ""},
		{"?%74oken=" + token, "'token' with an encoded 't'", ""},
		{"?tok%65n=" + token, "'token' with an encoded 'e'", ""},
		{"?to+ken=" + token, "'to ken'", ""},
		{"?token%3D" + token, "encoded '='", ""},
		{"?tokens=" + token, "'tokens'", ""},
		{"?access_token=" + token, "'access_token'", ""},
		{"?token[]=" + token, "'token[]'", ""},
	}
	for _, t := range toks {
		c.add("token: "+t.shape+", invokeAuthenticator link", t.deliberate, invoke("https://"+authUS, t.q))
		ps := withoutParam(bindParams(), "token")
		c.add("token: "+t.shape+", /bind redirect", t.deliberate, "https://app.example.com/bind?"+query(ps)+"&"+strings.TrimPrefix(t.q, "?"))
	}
}

// query structure and fragments: other parameters, separators, malformed
// escapes, fragments.
func addQueries(c *corpus) {
	bq := query(bindParams())
	for _, v := range []struct{ q, shape, deliberate string }{
		{"?utm_source=mail&token=" + token, "other parameter before", ""},
		{"?token=" + token + "&lang=en", "other parameter after", ""},
		{"?&&token=" + token + "&", "empty pairs", ""},
		{"?=x&token=" + token, "pair without a name", ""},
		{"??token=" + token, "'?' twice", ""},
		{"?a=1;token=" + token, "';' before the token", ""},
		{"?token=" + token + ";a=1", "';' after the token", "malformed-query"},
		{"?token=" + token + "&a=1;b=2", "';' in another parameter", "malformed-query"},
		{"?token=" + token + "&x=%zz", "malformed percent-escape in another parameter", "malformed-query"},
		{"?token=" + token + "&x=%", "lone '%' in another parameter", "malformed-query"},
		{"?token=" + token + "&x=%C3", "truncated UTF-8 in another parameter", ""},
		{"?x=1&token=" + token + "#", "empty fragment", ""},
		{"?token=" + token + "#", "empty fragment", ""},
		{"?token=" + token + "#frag", "fragment", ""},
		{"?token=" + token + "#token=FAKE-other", "token in the fragment too", ""},
		{"?token=" + token + "#&token=FAKE-other", "'&token=' in the fragment", ""},
		{"#token=" + token, "token only in the fragment", ""},
		{"?token=" + token + "#/bind?x=1", "path-like fragment", ""},
		{"?token=" + token + "#a#b", "two '#'", ""},
		{"?token=" + token + "#é", "non-ASCII at the end of the fragment", "non-ascii"},
		{"?token=" + token + "#é/x", "non-ASCII inside the fragment", "non-ascii"},
		{"?token=" + token + "&x=é", "non-ASCII at the end of another parameter", "non-ascii"},
		{"?x=é&token=" + token, "non-ASCII in another parameter", ""},
		{"%3Ftoken=" + token, "encoded '?'", ""},
		{"?token=" + token + "&pad=" + strings.Repeat("a", 8300), "link over 8 KiB", "limits"},
	} {
		c.add("query: "+v.shape+", invokeAuthenticator link", v.deliberate, invoke("https://"+authUS, v.q))
	}
	for _, v := range []struct{ q, shape, deliberate string }{
		{"?utm_source=mail&" + bq, "other parameter before", ""},
		{"?" + bq + "&lang=en", "other parameter after", ""},
		{"?&&" + bq + "&", "empty pairs", ""},
		{"?" + strings.ReplaceAll(bq, "&", ";"), "';' separators", ""},
		{"?" + strings.Replace(bq, "&token=", ";token=", 1), "';' before the token", ""},
		{"?" + bq + ";a=1", "';' after the token", "malformed-query"},
		{"?" + bq + "&x=%zz", "malformed percent-escape in another parameter", "malformed-query"},
		{"?" + bq + "#", "empty fragment", ""},
		{"?" + bq + "#frag", "fragment", ""},
		{"?" + bq + "#tenant_id=0001ffffffffffff", "tenant_id in the fragment too", ""},
		{"?" + strings.Replace(bq, "&token=", "#&token=", 1), "token only in the fragment", ""},
		{"?" + bq + "&pad=" + strings.Repeat("a", 8300), "link over 8 KiB", "limits"},
	} {
		c.add("query: "+v.shape+", /bind redirect", v.deliberate, "https://app.example.com/bind"+v.q)
	}
}

// /bind parameters: orders, each one missing, empty, duplicated, renamed.
func addBindParams(c *corpus) {
	ps := bindParams()
	n := len(ps)
	for r := 0; r < n; r++ {
		rot := append(append([]param(nil), ps[r:]...), ps[:r]...)
		c.add(fmt.Sprintf("/bind parameters: order rotated by %d", r), "", bind("https://app.example.com", rot))
		rev := make([]param, n)
		for i := range rot {
			rev[i] = rot[n-1-i]
		}
		c.add(fmt.Sprintf("/bind parameters: order reversed, rotated by %d", r), "", bind("https://app.example.com", rev))
	}
	for _, p := range ps {
		c.add("/bind parameters: "+p.name+" missing", "", bind("https://app.example.com", withoutParam(ps, p.name)))
		empty := "empty"
		if p.name == "api_base_url" {
			empty = "api-base-url"
		}
		c.add("/bind parameters: "+p.name+" empty", empty, bind("https://app.example.com", withParam(ps, p.name, "")))
		c.add("/bind parameters: "+p.name+" without '='", empty,
			"https://app.example.com/bind?"+strings.Replace(query(ps), p.name+"="+p.value, p.name, 1))
		c.add("/bind parameters: "+p.name+" twice, same value", "duplicates", bind("https://app.example.com", append(append([]param(nil), ps...), p)))
		other := param{p.name, "0001ffffffffffff"}
		if p.name == "api_base_url" {
			other.value = url.QueryEscape("https://evil.example")
		}
		c.add("/bind parameters: "+p.name+" twice, another value last", "duplicates", bind("https://app.example.com", append(append([]param(nil), ps...), other)))
		c.add("/bind parameters: "+p.name+" twice, another value first", "duplicates", bind("https://app.example.com", append([]param{other}, ps...)))
		c.add("/bind parameters: "+p.name+" in upper case", "", bind("https://app.example.com",
			append(withoutParam(ps, p.name), param{strings.ToUpper(p.name), p.value})))
		c.add("/bind parameters: "+p.name+" with an encoded first letter", "", bind("https://app.example.com",
			append(withoutParam(ps, p.name), param{pctEncode(p.name, 0, false), p.value})))
		c.add("/bind parameters: "+p.name+" with '-' for '_'", "", bind("https://app.example.com",
			append(withoutParam(ps, p.name), param{strings.ReplaceAll(p.name, "_", "-"), p.value})))
	}
}

// api_base_url: the auth hosts of every region, origins written in other
// ways, and values that are not origins.
func addAPIBaseURLs(c *corpus) {
	for _, v := range []struct{ value, shape, deliberate string }{
		{"https://" + authUS, "US auth origin", ""},
		{"https://" + authEU, "EU auth origin", ""},
		{"https://" + authGov, "US FedRAMP auth origin", ""},
		{"https://" + authUS + "/", "origin with a trailing slash", ""},
		{"https://" + authUS + ":443", "origin with the default port", ""},
		{"https://" + authUS + ":0443", "origin with a leading-zero default port", ""},
		{"https://" + authUS + ":", "origin with an empty port", ""},
		{"https://" + authUS + ":8443", "origin with another port", ""},
		{"https://" + authUS + ":65536", "origin with port 65536", "api-base-url"},
		{"HTTPS://AUTH-US.BEYONDIDENTITY.COM", "upper-case origin", ""},
		{"http://localhost:8092", "local http origin", ""},
		{"http://127.0.0.1:9998", "IPv4 origin", ""},
		{"http://[::1]:9998", "IPv6 origin", ""},
		{"https://evil.example", "another origin", ""},
		{"https://" + authUS + ".evil.example", "look-alike suffix", ""},
		{"https://xn--bcher-kva.example", "punycode origin", ""},
		{"https://xn--zz.example", "invalid punycode origin", "api-base-url"},
		{"https://bücher.example", "non-ASCII origin", "api-base-url"},
		{"https://0x7f.1", "hex IPv4 origin", "api-base-url"},
		{"https://" + authUS + "/v1", "origin with a path", "api-base-url"},
		{"https://" + authUS + "//", "origin with '//'", "api-base-url"},
		{"https://" + authUS + "?x=1", "origin with a query", "api-base-url"},
		{"https://" + authUS + "#x", "origin with a fragment", "api-base-url"},
		{"https://" + authUS + "@evil.example", "BI host as user info", "api-base-url"},
		{"https://user@" + authUS, "user info", "api-base-url"},
		{"ftp://" + authUS, "ftp", "api-base-url"},
		{"javascript:alert(1)", "javascript", "api-base-url"},
		{"//" + authUS, "scheme-relative", "api-base-url"},
		{authUS, "host only", "api-base-url"},
		{"https:" + authUS, "no slashes", "api-base-url"},
		{"https:///" + authUS, "three slashes", "api-base-url"},
		{"not a url", "not a URL", "api-base-url"},
		{"%", "lone '%'", ""},
	} {
		enc := url.QueryEscape(v.value)
		if v.value == "%" {
			enc = "%"
		}
		deliberate := v.deliberate
		if v.value == "%" {
			deliberate = "malformed-query"
		}
		c.add("api_base_url: "+v.shape, deliberate, bind("https://app.example.com", withParam(bindParams(), "api_base_url", enc)))
	}
	c.add("api_base_url: unencoded", "", bind("https://app.example.com", withParam(bindParams(), "api_base_url", "https://"+authUS)))
	c.add("api_base_url: encoded twice", "api-base-url", bind("https://app.example.com",
		withParam(bindParams(), "api_base_url", url.QueryEscape(url.QueryEscape("https://"+authUS)))))
}

// whitespace, control characters, other link kinds, garbage.
func addMisc(c *corpus) {
	good := invoke("https://"+authUS, "?token="+token)
	goodBind := bind("https://app.example.com", bindParams())
	for _, w := range []struct{ before, after, shape, deliberate string }{
		{" ", " ", "surrounding spaces", ""},
		{"\n", "\r\n", "surrounding newlines", ""},
		{"\t", "\t", "surrounding tabs", ""},
		{"\f", "\v", "surrounding form feed and vertical tab", ""},
		{"\x01", "", "leading control character", "controls"},
		{"", "\x00", "trailing NUL", "controls"},
		{"\u00a0", "", "leading no-break space", ""},
		{"", "\u00a0", "trailing no-break space", "non-ascii"},
		{"\u2028", "", "leading line separator", ""},
		{"\ufeff", "", "leading byte order mark", ""},
	} {
		c.add("whitespace: "+w.shape+", invokeAuthenticator link", w.deliberate, w.before+good+w.after)
		c.add("whitespace: "+w.shape+", /bind redirect", w.deliberate, w.before+goodBind+w.after)
	}
	for _, ins := range []struct{ at, s, shape string }{
		{"/realms/", "\t", "tab in the path"},
		{"/realms/", "\n", "newline in the path"},
		{"?token=", "\r\n", "CRLF in the query"},
		{"?token=FAKE", "\t", "tab in the token"},
		{"beyondidentity", "\n", "newline in the host"},
	} {
		i := strings.Index(good, ins.at) + len(ins.at)
		c.add("control character: "+ins.shape+", invokeAuthenticator link", "controls", good[:i]+ins.s+good[i:])
	}
	c.add("control character: tab in a /bind parameter", "controls", strings.Replace(goodBind, "job_id=", "job_id=\t", 1))
	c.add("control character: NUL in the path", "controls", strings.Replace(good, "/realms/", "/realms/\x00", 1))

	for _, o := range []struct{ u, shape string }{
		{"https://app.example.com/bi-authenticate?request=FAKE-request", "authenticate link"},
		{"https://" + authUS + "/v1/tenants/" + tenant + "/realms/" + realm + "/applications/a1/authorize?response_type=code", "authorize URL"},
		{"https://" + authUS + "/v1/tenants/" + tenant + "/realms/" + realm + "/identities/" + identity, "identity URL"},
		{"https://" + authUS + "/v1/tenants/" + tenant + "/realms/" + realm + "/identities/" + identity + "/credential-binding-jobs/" + job + "?token=" + token, "job URL without the custom method"},
		{"https://" + authUS + "/?token=" + token, "token on the root"},
		{"https://app.example.com/bind", "/bind without a query"},
		{"https://app.example.com/bi-authenticate?" + query(bindParams()), "authenticate path with bind parameters"},
		{"", "empty string"},
		{"   ", "spaces only"},
		{"not a link", "plain text"},
		{"::", "two colons"},
		{"https:", "scheme only"},
		{"https://?token=" + token, "empty host with a token"},
		{"about:blank", "about:blank"},
		{"mailto:user@example.com?token=" + token, "mailto"},
		{"bind?" + query(bindParams()), "relative bind"},
	} {
		c.add("other: "+o.shape, "", o.u)
	}
}
