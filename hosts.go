package beyondidentity

import (
	"errors"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// How the library reads and compares hosts: as ASCII only, the way a
// browser resolves them (punycode labels checked like a browser does), and
// which hosts may be reached over plain http.

// httpOrigin returns s as an origin "scheme://host[:port]" (see
// hostOrigin) if s is an absolute http or https URL with a valid host and
// nothing else but an optional "/" path.
func httpOrigin(s string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" || u.User != nil || u.Host == "" ||
		u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#") ||
		(u.Path != "" && u.Path != "/") {
		return "", false
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", false
	}
	origin, problem := hostOrigin(u.Scheme, u.Host)
	return origin, problem == ""
}

// hostOrigin checks a URL's host (with an optional port) the way a browser
// reads it and returns the origin "scheme://host[:port]": the host
// lower-cased as ASCII, the port as a decimal number, dropped if it is
// empty or the scheme's default. Otherwise it returns one of the problem
// texts.
//
// The host must be ASCII: compared as ASCII, a look-alike such as U+0130
// would be lower-cased to "i" by strings.ToLower while a browser goes to its
// punycode host. A host name is made of letters, digits, '-', '.' and '_'
// (the WHATWG parser takes more, such as '!' or ',', which no DNS name has).
// A name that ends in a number is an IPv4 address to a browser, which also
// reads hex, octal and short forms (0x7f.1, 010.0.0.1 = 8.0.0.1, 127.1):
// only the dotted-decimal form is accepted, so that the host read here is
// the host the browser goes to. A punycode label must pass punycodeLabelOK.
func hostOrigin(scheme, hostport string) (string, string) {
	for i := 0; i < len(hostport); i++ {
		if hostport[i] >= 0x80 {
			return "", problemHostASCII
		}
	}
	name, port := hostport, ""
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return "", problemHostIPv6
		}
		name, port = hostport[:end+1], hostport[end+1:]
		if port != "" && port[0] != ':' {
			return "", problemHostIPv6
		}
		port = strings.TrimPrefix(port, ":")
		ip, err := netip.ParseAddr(name[1:end])
		if err != nil || !ip.Is6() || ip.Zone() != "" {
			return "", problemHostIPv6
		}
	} else {
		if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
			name, port = hostport[:i], hostport[i+1:]
		}
		if name == "" {
			return "", problemNoHost
		}
		for i := 0; i < len(name); i++ {
			if c := name[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_') {
				return "", problemHostChars
			}
		}
		name = lowerASCII(name)
		if endsInNumber(name) && !isDottedDecimalIPv4(name) {
			return "", problemHostIPv4
		}
		for _, label := range strings.Split(name, ".") {
			if strings.HasPrefix(label, "xn--") && !punycodeLabelOK(label[len("xn--"):]) {
				return "", problemHostPunycode
			}
		}
	}
	if port != "" {
		for i := 0; i < len(port); i++ {
			if port[i] < '0' || port[i] > '9' {
				return "", problemPort
			}
		}
		n, err := strconv.ParseUint(port, 10, 16)
		if err != nil {
			return "", problemPort
		}
		port = strconv.FormatUint(n, 10)
		if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
			port = ""
		}
	}
	origin := scheme + "://" + lowerASCII(name)
	if port != "" {
		origin += ":" + port
	}
	return origin, ""
}

// endsInNumber reports whether the WHATWG URL parser takes host for an
// IPv4 address: its last label (after one trailing dot) is all digits, or
// 0x followed by hex digits.
func endsInNumber(host string) bool {
	labels := strings.Split(host, ".")
	if labels[len(labels)-1] == "" {
		if len(labels) == 1 {
			return false
		}
		labels = labels[:len(labels)-1]
	}
	last := labels[len(labels)-1]
	if last == "" {
		return false
	}
	if strings.Trim(last, "0123456789") == "" {
		return true
	}
	return (strings.HasPrefix(last, "0x") || strings.HasPrefix(last, "0X")) &&
		strings.Trim(last[2:], "0123456789abcdefABCDEF") == ""
}

// isDottedDecimalIPv4 reports whether host is four decimal numbers from 0
// to 255 without leading zeros, dot-separated, and nothing else.
func isDottedDecimalIPv4(host string) bool {
	parts := strings.Split(host, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 || (len(p) > 1 && p[0] == '0') || strings.Trim(p, "0123456789") != "" {
			return false
		}
		if n, _ := strconv.Atoi(p); n > 255 {
			return false
		}
	}
	return true
}

// punycodeLabelOK reports whether enc (a lower-case label after its "xn--")
// is the punycode (RFC 3492) of a label that IDNA (UTS #46, as browsers and
// the Embedded SDK apply it) keeps as it is. Without IDNA tables, it takes
// only what is safe to take: at least one non-ASCII letter, and only ASCII
// lower-case letters, digits, '-' and lower-case or caseless letters of the
// Latin, Greek, Cyrillic, Han, Hiragana, Katakana and Hangul blocks that
// IDNA leaves unchanged (see idnaLetter). It refuses labels a browser would
// take (right-to-left scripts, whose bidi rule is not checked here,
// symbols, joiners), never the reverse.
func punycodeLabelOK(enc string) bool {
	dec, ok := decodePunycode(enc)
	if !ok {
		return false
	}
	nonASCII := false
	for _, r := range dec {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', r == '-':
		case idnaLetter(r):
			nonASCII = true
		default:
			return false
		}
	}
	return nonASCII
}

// idnaLetter reports whether r is a non-ASCII letter that IDNA keeps as it
// is (UTS #46 status "valid" or "deviation", unchanged by NFC), in the
// blocks punycodeLabelOK accepts: lower-case Latin-1 and Latin Extended-A
// letters (not U+0133 ĳ, U+0140 ŀ, U+0149 ŉ and U+017F ſ, which IDNA maps
// to other letters), lower-case Greek and Cyrillic letters, Hiragana,
// Katakana, the unified Han ideographs of Unicode 1.1 and Hangul
// syllables.
func idnaLetter(r rune) bool {
	switch {
	case 0x00DF <= r && r <= 0x00FF && r != 0x00F7,
		0x0100 <= r && r <= 0x017F && unicode.IsLower(r) && r != 0x0133 && r != 0x0140 && r != 0x0149 && r != 0x017F,
		0x03AC <= r && r <= 0x03CE,
		0x0430 <= r && r <= 0x045F,
		0x3041 <= r && r <= 0x3096,
		0x30A1 <= r && r <= 0x30FA,
		0x4E00 <= r && r <= 0x9FA5,
		0xAC00 <= r && r <= 0xD7A3:
		return true
	}
	return false
}

// decodePunycode decodes a punycode string (RFC 3492, section 6.2). It
// reports false on malformed input or overflow.
func decodePunycode(enc string) ([]rune, bool) {
	const (
		base, tMin, tMax, skew, damp = 36, 1, 26, 38, 700
		initialBias, initialN        = 72, 128
	)
	var out []rune
	rest := enc
	if i := strings.LastIndexByte(enc, '-'); i > 0 {
		for _, c := range enc[:i] {
			if c >= 0x80 {
				return nil, false
			}
			out = append(out, c)
		}
		rest = enc[i+1:]
	}
	n, bias, i, first := initialN, initialBias, 0, true
	for len(rest) > 0 {
		oldi, w := i, 1
		for k := base; ; k += base {
			if len(rest) == 0 {
				return nil, false
			}
			c := rest[0]
			rest = rest[1:]
			var digit int
			switch {
			case 'a' <= c && c <= 'z':
				digit = int(c - 'a')
			case 'A' <= c && c <= 'Z':
				digit = int(c - 'A')
			case '0' <= c && c <= '9':
				digit = int(c-'0') + 26
			default:
				return nil, false
			}
			if digit > (1<<30-i)/w {
				return nil, false
			}
			i += digit * w
			t := k - bias
			if t < tMin {
				t = tMin
			} else if t > tMax {
				t = tMax
			}
			if digit < t {
				break
			}
			if w > (1<<30)/(base-t) {
				return nil, false
			}
			w *= base - t
		}
		// Adapt the bias (RFC 3492, section 6.1).
		delta := i - oldi
		if first {
			delta /= damp
		} else {
			delta /= 2
		}
		first = false
		delta += delta / (len(out) + 1)
		k := 0
		for delta > ((base-tMin)*tMax)/2 {
			delta /= base - tMin
			k += base
		}
		bias = k + (base-tMin+1)*delta/(delta+skew)

		if i/(len(out)+1) > unicode.MaxRune-n {
			return nil, false
		}
		n += i / (len(out) + 1)
		i %= len(out) + 1
		if n > unicode.MaxRune || (0xD800 <= n && n <= 0xDFFF) {
			return nil, false
		}
		out = append(out, 0)
		copy(out[i+1:], out[i:])
		out[i] = rune(n)
		i++
	}
	return out, true
}

// errInsecureHTTP names the rule behind a refused http base URL.
var errInsecureHTTP = errors.New("plain http is only allowed for loopback and test hosts (localhost, 127.0.0.0/8, ::1, *.localhost, *.test, *.invalid); use https, or WithInsecureHTTP to send tokens and secrets in clear text")

// cleartextAllowed reports whether plain http may go to host (a URL's
// Host, with an optional port): loopback addresses and the names reserved
// for loopback and testing by RFC 2606 and RFC 6761.
func cleartextAllowed(host string) bool {
	h := strings.ToLower(hostname(host))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") ||
		strings.HasSuffix(h, ".test") || strings.HasSuffix(h, ".invalid") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// hostname returns host without its port and IPv6 brackets.
func hostname(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
}

// isASCIIHost reports whether host (with an optional port) is made of ASCII
// letters, digits and the punctuation of host names, IP addresses and
// ports only. A host with any other character would be compared one way
// here and resolved another way by a browser or resolver (U+0130 "İ"
// lower-cases to "i" in Go but becomes punycode in a browser).
func isASCIIHost(host string) bool {
	if host == "" {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == ':' || c == '[' || c == ']' || c == '_') {
			return false
		}
	}
	return true
}

// hasPunycodeLabel reports whether a host name has an internationalized
// (punycode, "xn--") label, which no Beyond Identity host has.
func hasPunycodeLabel(host string) bool {
	for _, label := range strings.Split(strings.ToLower(hostname(host)), ".") {
		if strings.HasPrefix(label, "xn--") {
			return true
		}
	}
	return false
}

// lowerASCII lower-cases the ASCII letters of s and nothing else.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
