package beyondidentity

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Realistic IDs (16 hex characters) and a 64-character base64url token,
// made up for these tests.
const (
	linkTenant   = "0001a7c3e95b2d40"
	linkRealm    = "5d2f8e1b7a0c9346"
	linkIdentity = "b83e0f6a2c9d1475"
	linkJob      = "e1f4a9c07b3d2856"
	linkToken    = "q7Xz-3kP_v9LmR2sTn8WcY4bHd6JfA0gUe5iKo1Npq_ZrS-tVw3xMy7aBc9DeF2G"
)

func invokeLink(host, tenant, realm, identity, job, query string) string {
	return host + "/v1/tenants/" + tenant + "/realms/" + realm + "/identities/" + identity +
		"/credential-binding-jobs/" + job + ":invokeAuthenticator" + query
}

func bindRedirect(invokeURL string, params url.Values) string {
	return invokeURL + "/bind?" + params.Encode()
}

func redirectParams(apiBase, tenant, realm string) url.Values {
	return url.Values{
		"api_base_url": {apiBase}, "tenant_id": {tenant}, "realm_id": {realm},
		"identity_id": {linkIdentity}, "job_id": {linkJob}, "token": {linkToken},
	}
}

func TestLinkTokenIsRealistic(t *testing.T) {
	assert.Len(t, linkToken, 64)
	assert.Regexp(t, `^[A-Za-z0-9_-]+$`, linkToken)
}

func TestParseBindingLinkInvokeAuthenticator(t *testing.T) {
	for _, tt := range []struct {
		host, wantBase, wantHost string
	}{
		{"https://auth-us.beyondidentity.com", "https://auth-us.beyondidentity.com", "auth-us.beyondidentity.com"},
		{"https://auth-eu.beyondidentity.com", "https://auth-eu.beyondidentity.com", "auth-eu.beyondidentity.com"},
		{"https://auth.us1.beyondidentity-gov.com", "https://auth.us1.beyondidentity-gov.com", "auth.us1.beyondidentity-gov.com"},
		// Any http(s) host parses; allow-listing is BindHandler's job.
		{"http://localhost:8092", "http://localhost:8092", "localhost:8092"},
		{"https://AUTH-US.beyondidentity.com:443", "https://auth-us.beyondidentity.com", "AUTH-US.beyondidentity.com:443"},
	} {
		t.Run(tt.host, func(t *testing.T) {
			raw := invokeLink(tt.host, linkTenant, linkRealm, linkIdentity, linkJob, "?token="+linkToken)
			link, err := ParseBindingLink(raw)
			require.NoError(t, err)
			assert.Equal(t, BindingLinkKindInvokeAuthenticator, link.Kind)
			assert.Equal(t, linkTenant, link.TenantID)
			assert.Equal(t, linkRealm, link.RealmID)
			assert.Equal(t, linkIdentity, link.IdentityID)
			assert.Equal(t, linkJob, link.JobID)
			assert.Equal(t, tt.wantBase, link.APIBaseURL)
			assert.Equal(t, tt.wantHost, link.Host)
			assert.Equal(t, linkToken, link.RevealToken())
			assert.Equal(t, raw, link.RevealURL())
		})
	}

	t.Run("surrounding ASCII white space", func(t *testing.T) {
		raw := invokeLink("https://auth-us.beyondidentity.com", linkTenant, linkRealm, linkIdentity, linkJob, "?token="+linkToken)
		link, err := ParseBindingLink(" \t" + raw + "\r\n")
		require.NoError(t, err)
		assert.Equal(t, linkJob, link.JobID)
		assert.Equal(t, raw, link.RevealURL())
	})

	t.Run("percent-encoded IDs", func(t *testing.T) {
		// The Embedded SDK takes IDs percent-encoded; they are read decoded.
		link, err := ParseBindingLink(invokeLink("https://auth-us.beyondidentity.com", "%30"+linkTenant[1:], linkRealm, linkIdentity, "e1f4a9c07b3d285%36", "?token="+linkToken))
		require.NoError(t, err)
		assert.Equal(t, linkTenant, link.TenantID)
		assert.Equal(t, linkJob, link.JobID)
	})

	t.Run("other parameters are ignored", func(t *testing.T) {
		link, err := ParseBindingLink(invokeLink("https://auth-eu.beyondidentity.com", linkTenant, linkRealm, linkIdentity, linkJob, "?utm_source=mail&token="+linkToken))
		require.NoError(t, err)
		assert.Equal(t, linkToken, link.RevealToken())
	})
}

func TestParseBindingLinkBindRedirect(t *testing.T) {
	t.Run("localhost invoke URL", func(t *testing.T) {
		// The parameter order Beyond Identity was seen to use.
		raw := "http://localhost:3000/bind?api_base_url=https%3A%2F%2Fauth-us.beyondidentity.com&identity_id=" + linkIdentity +
			"&job_id=" + linkJob + "&realm_id=" + linkRealm + "&tenant_id=" + linkTenant + "&token=" + linkToken
		link, err := ParseBindingLink(raw)
		require.NoError(t, err)
		assert.Equal(t, BindingLinkKindBindRedirect, link.Kind)
		assert.Equal(t, linkTenant, link.TenantID)
		assert.Equal(t, linkRealm, link.RealmID)
		assert.Equal(t, linkIdentity, link.IdentityID)
		assert.Equal(t, linkJob, link.JobID)
		assert.Equal(t, "https://auth-us.beyondidentity.com", link.APIBaseURL)
		assert.Equal(t, "localhost:3000", link.Host)
		assert.Equal(t, linkToken, link.RevealToken())
		assert.Equal(t, raw, link.RevealURL())
	})

	t.Run("path prefix, other order, extra parameter, normalised origin", func(t *testing.T) {
		raw := "https://app.example.com/accounts/passkeys/bind?token=" + linkToken + "&job_id=" + linkJob +
			"&lang=en&tenant_id=" + linkTenant + "&api_base_url=" + url.QueryEscape("HTTPS://Auth-EU.beyondidentity.com:443/") +
			"&identity_id=" + linkIdentity + "&realm_id=" + linkRealm
		link, err := ParseBindingLink(raw)
		require.NoError(t, err)
		assert.Equal(t, BindingLinkKindBindRedirect, link.Kind)
		assert.Equal(t, "https://auth-eu.beyondidentity.com", link.APIBaseURL)
		assert.Equal(t, "app.example.com", link.Host)
		assert.Equal(t, linkJob, link.JobID)
		assert.Equal(t, linkToken, link.RevealToken())
	})

	t.Run("UUID-shaped IDs", func(t *testing.T) {
		p := redirectParams("https://auth-us.beyondidentity.com", linkTenant, linkRealm)
		p.Set("job_id", "3f2a9c1e-7b4d-4e8f-a6c5-0d1b2e3f4a5b")
		link, err := ParseBindingLink(bindRedirect("https://app.example.com", p))
		require.NoError(t, err)
		assert.Equal(t, "3f2a9c1e-7b4d-4e8f-a6c5-0d1b2e3f4a5b", link.JobID)
	})
}

func TestParseBindingLinkRejects(t *testing.T) {
	good := redirectParams("https://auth-us.beyondidentity.com", linkTenant, linkRealm)
	with := func(edit func(url.Values)) string {
		return bindRedirect("https://app.example.com", edited(good, edit))
	}
	invoke := func(query string) string {
		return invokeLink("https://auth-us.beyondidentity.com", linkTenant, linkRealm, linkIdentity, linkJob, query)
	}
	tests := []struct {
		name, raw, want string
	}{
		{"empty", "", "is empty"},
		{"blank", " \t\n", "is empty"},
		{"not a URL", "this is not a link " + linkToken, "is not a URL"},
		{"bad escape", "https://auth-us.beyondidentity.com/%zz?token=" + linkToken, "is not a URL"},
		{"control character", "https://auth-us.beyondidentity.com/\x00?token=" + linkToken, "is not a URL"},
		{"relative", "/v1/tenants/t/realms/r/identities/i/credential-binding-jobs/j:invokeAuthenticator?token=" + linkToken, "is not a URL"},
		{"opaque", "https:auth-us.beyondidentity.com?token=" + linkToken, "is not a URL"},
		{"javascript scheme", "javascript:alert(1)//bind?token=" + linkToken, "is not a URL"},
		{"ftp scheme", strings.Replace(invoke("?token="+linkToken), "https", "ftp", 1), "must be an http or https URL"},
		{"custom scheme", "bi://auth-us.beyondidentity.com/bind?token=" + linkToken, "must be an http or https URL"},
		{"no host", "https:///v1/tenants/" + linkTenant + "/realms/r/identities/i/credential-binding-jobs/j:invokeAuthenticator?token=" + linkToken, "has no host"},
		{"user info", strings.Replace(invoke("?token="+linkToken), "https://", "https://evil@", 1), "user info"},
		{"semicolon query", invoke("?a=1;token=" + linkToken), "malformed query"},
		{"bad query escape", invoke("?token=" + linkToken + "&x=%zz"), "malformed query"},
		{"too long", invoke("?token=" + linkToken + "&pad=" + strings.Repeat("a", 9000)), "is too long"},

		{"missing token", invoke(""), "parameter token is missing"},
		{"missing token, other params", invoke("?tok=" + linkToken), "parameter token is missing"},
		{"empty token", invoke("?token="), "parameter token is empty"},
		{"duplicated token", invoke("?token=" + linkToken + "&token=" + linkToken[:10]), "parameter token appears more than once"},
		{"token with space", invoke("?token=" + linkToken[:30] + "+" + linkToken[30:]), "token contains a space"},
		{"token with newline", invoke("?token=" + linkToken[:30] + "%0A" + linkToken[30:]), "token contains a space or a control character"},
		{"token too long", invoke("?token=" + strings.Repeat(linkToken, 70)), "token is too long"},

		{"extra path after job", invokeLink("https://auth-us.beyondidentity.com", linkTenant, linkRealm, linkIdentity, linkJob, "/extra?token="+linkToken), "extra path segments"},
		{"extra path before v1", invokeLink("https://auth-us.beyondidentity.com/api", linkTenant, linkRealm, linkIdentity, linkJob, "?token="+linkToken), "extra path segments"},
		{"trailing slash", invokeLink("https://auth-us.beyondidentity.com", linkTenant, linkRealm, linkIdentity, linkJob, "/?token="+linkToken), "extra path segments"},
		{"wrong collection", "https://auth-us.beyondidentity.com/v1/tenants/" + linkTenant + "/realms/" + linkRealm + "/identities/" + linkIdentity + "/jobs/" + linkJob + ":invokeAuthenticator?token=" + linkToken, "path is not /v1/tenants/"},
		{"missing identity", "https://auth-us.beyondidentity.com/v1/tenants/" + linkTenant + "/realms/" + linkRealm + "/credential-binding-jobs/" + linkJob + ":invokeAuthenticator?token=" + linkToken, "path is not /v1/tenants/"},
		{"v2 path", strings.Replace(invoke("?token="+linkToken), "/v1/", "/v2/", 1), "path is not /v1/tenants/"},
		{"other custom method", strings.Replace(invoke("?token="+linkToken), ":invokeAuthenticator", ":revoke", 1), "path is neither"},
		{"no path", "https://auth-us.beyondidentity.com/?token=" + linkToken, "path is neither"},
		{"bind with extra path", "https://app.example.com/bind/extra?" + good.Encode(), "path is neither"},
		{"bind with trailing slash", "https://app.example.com/bind/?" + good.Encode(), "path is neither"},
		{"empty job", invokeLink("https://auth-us.beyondidentity.com", linkTenant, linkRealm, linkIdentity, "", "?token="+linkToken), "job_id is empty"},
		{"empty tenant segment", invokeLink("https://auth-us.beyondidentity.com", "", linkRealm, linkIdentity, linkJob, "?token="+linkToken), "tenant_id is empty"},
		{"dot-dot realm segment", invokeLink("https://auth-us.beyondidentity.com", linkTenant, "..", linkIdentity, linkJob, "?token="+linkToken), "realm_id is not a valid ID"},
		{"escaped slash in identity", invokeLink("https://auth-us.beyondidentity.com", linkTenant, linkRealm, "a%2Fb", linkJob, "?token="+linkToken), "identity_id contains a character"},
		{"colon in job", invokeLink("https://auth-us.beyondidentity.com", linkTenant, linkRealm, linkIdentity, "a:b", "?token="+linkToken), "job_id contains a character"},

		{"redirect missing token", with(func(p url.Values) { p.Del("token") }), "parameter token is missing"},
		{"redirect empty token", with(func(p url.Values) { p.Set("token", "") }), "parameter token is empty"},
		{"redirect missing tenant", with(func(p url.Values) { p.Del("tenant_id") }), "parameter tenant_id is missing"},
		{"redirect missing realm", with(func(p url.Values) { p.Del("realm_id") }), "parameter realm_id is missing"},
		{"redirect missing identity", with(func(p url.Values) { p.Del("identity_id") }), "parameter identity_id is missing"},
		{"redirect missing job", with(func(p url.Values) { p.Del("job_id") }), "parameter job_id is missing"},
		{"redirect missing api_base_url", with(func(p url.Values) { p.Del("api_base_url") }), "parameter api_base_url is missing"},
		{"redirect empty identity", with(func(p url.Values) { p.Set("identity_id", "") }), "parameter identity_id is empty"},
		{"redirect duplicated tenant", with(func(p url.Values) { p.Add("tenant_id", "0001ffffffffffff") }), "parameter tenant_id appears more than once"},
		{"redirect duplicated api_base_url", with(func(p url.Values) { p.Add("api_base_url", "https://evil.example") }), "parameter api_base_url appears more than once"},
		{"redirect duplicated token", with(func(p url.Values) { p.Add("token", "x") }), "parameter token appears more than once"},
		{"redirect ID with space", with(func(p url.Values) { p.Set("job_id", "a b") }), "job_id contains a character"},
		{"redirect ID with slash", with(func(p url.Values) { p.Set("realm_id", "../admin") }), "realm_id contains a character"},
		{"redirect dot ID", with(func(p url.Values) { p.Set("identity_id", ".") }), "identity_id is not a valid ID"},
		{"redirect long ID", with(func(p url.Values) { p.Set("identity_id", strings.Repeat("a", 129)) }), "identity_id is too long"},
		{"api_base_url javascript", with(func(p url.Values) { p.Set("api_base_url", "javascript:alert(1)") }), "api_base_url is not an http or https origin"},
		{"api_base_url without scheme", with(func(p url.Values) { p.Set("api_base_url", "auth-us.beyondidentity.com") }), "api_base_url is not"},
		{"api_base_url with path", with(func(p url.Values) { p.Set("api_base_url", "https://auth-us.beyondidentity.com/v1") }), "api_base_url is not"},
		{"api_base_url with query", with(func(p url.Values) { p.Set("api_base_url", "https://auth-us.beyondidentity.com?x=1") }), "api_base_url is not"},
		{"api_base_url with fragment", with(func(p url.Values) { p.Set("api_base_url", "https://auth-us.beyondidentity.com#x") }), "api_base_url is not"},
		{"api_base_url with user", with(func(p url.Values) { p.Set("api_base_url", "https://auth-us.beyondidentity.com@evil.example") }), "api_base_url is not"},
		{"api_base_url ftp", with(func(p url.Values) { p.Set("api_base_url", "ftp://auth-us.beyondidentity.com") }), "api_base_url is not"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			link, err := ParseBindingLink(tt.raw)
			require.Error(t, err)
			assert.Nil(t, link)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "binding link", ve.Field)
			assert.ErrorIs(t, err, ErrInvalidArgument)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), linkToken)
			assert.NotContains(t, err.Error(), linkToken[:16], "not even part of the token")
		})
	}
}

// The shapes below were found by the differential test against the
// official Embedded SDK (contract/bindlink): its isBindPasskeyUrl refuses
// them, so a backend that accepted them would hand out links the browser
// rejects.
func TestParseBindingLinkRefusesWhatTheEmbeddedSDKRefuses(t *testing.T) {
	const bi = "https://auth-us.beyondidentity.com"
	path := invokeLink("", linkTenant, linkRealm, linkIdentity, linkJob, "")
	q := "?token=" + linkToken
	redirect := "?" + redirectParams(bi, linkTenant, linkRealm).Encode()
	tests := []struct {
		name, raw, want string
	}{
		{"escaped colon", bi + strings.Replace(path, ":invoke", "%3Ainvoke", 1) + q, "path has a percent-encoded character outside its IDs"},
		{"escaped colon, lower-case hex", bi + strings.Replace(path, ":invoke", "%3ainvoke", 1) + q, "percent-encoded character outside its IDs"},
		{"escaped letter of invokeAuthenticator", bi + strings.Replace(path, ":invokeA", ":invoke%41", 1) + q, "percent-encoded character outside its IDs"},
		{"escaped letter of tenants", bi + strings.Replace(path, "/tenants/", "/tenant%73/", 1) + q, "percent-encoded character outside its IDs"},
		{"escaped digit of v1", bi + strings.Replace(path, "/v1/", "/v%31/", 1) + q, "percent-encoded character outside its IDs"},
		{"escaped '-' of credential-binding-jobs", bi + strings.Replace(path, "credential-binding", "credential%2Dbinding", 1) + q, "percent-encoded character outside its IDs"},
		{"escaped letter of bind", "https://app.example.com/bin%64" + redirect, "percent-encoded character outside its IDs"},
		{"bind fully escaped", "https://app.example.com/%62%69%6E%64" + redirect, "percent-encoded character outside its IDs"},
		{"port 65536", "https://auth-us.beyondidentity.com:65536" + path + q, "port is not a number from 0 to 65535"},
		{"port 99999 on the Invoke URL", "https://app.example.com:99999/bind" + redirect, "port is not a number"},
		{"IPv4 part over 255", "https://256.1.1.1" + path + q, "host ends in a number but is not a dotted-decimal IPv4 address"},
		{"five-part IPv4", "https://1.2.3.4.5/bind" + redirect, "dotted-decimal IPv4"},
		{"IPv4 number over 32 bits", "https://4294967296" + path + q, "dotted-decimal IPv4"},
		{"invalid octal IPv4", "https://08.0.0.1" + path + q, "dotted-decimal IPv4"},
		{"name ending in a number", "https://h.1/bind" + redirect, "dotted-decimal IPv4"},
		{"name ending in 0x", "https://example.0x" + path + q, "dotted-decimal IPv4"},
		{"invalid punycode", "https://xn--zz.example" + path + q, "punycode (xn--) label"},
		{"punycode of a control character", "https://xn--a.example/bind" + redirect, "punycode (xn--) label"},
		{"punycode of an upper-case letter", "https://xn--bcher-2pa.example" + path + q, "punycode (xn--) label"},
		{"punycode of a letter IDNA maps (long s)", "https://xn--oo-4va.example" + path + q, "punycode (xn--) label"},
		{"punycode of a compatibility ideograph", "https://xn--x-h47h.example/bind" + redirect, "punycode (xn--) label"},
		{"non-ASCII in the token", bi + path + "?token=" + linkToken[:20] + "ü" + linkToken[20:], "contains a character that is not ASCII"},
		{"non-ASCII in the path prefix", "https://app.example.com/ü/bind" + redirect, "not ASCII"},
		{"leading no-break space", "\u00a0" + bi + path + q, "not ASCII"},
		{"leading line separator", "\u2028" + bi + path + q, "not ASCII"},
		{"api_base_url port 65536", "https://app.example.com/bind?" + redirectParams(bi+":65536", linkTenant, linkRealm).Encode(), "api_base_url is not"},
		{"api_base_url invalid punycode", "https://app.example.com/bind?" + redirectParams("https://xn--zz.example", linkTenant, linkRealm).Encode(), "api_base_url is not"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			link, err := ParseBindingLink(tt.raw)
			require.Error(t, err)
			assert.Nil(t, link)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Contains(t, ve.Problem, tt.want)
			assert.NotContains(t, err.Error(), linkToken[:16])
		})
	}
}

// The official Embedded SDK accepts these, and so does ParseBindingLink now.
func TestParseBindingLinkAcceptsWhatTheEmbeddedSDKAccepts(t *testing.T) {
	const bi = "https://auth-us.beyondidentity.com"
	redirect := redirectParams(bi, linkTenant, linkRealm).Encode()
	tests := []struct {
		name, raw, wantBase, wantHost string
	}{
		{"fragment", invokeLink(bi, linkTenant, linkRealm, linkIdentity, linkJob, "?token="+linkToken+"#frag"), bi, "auth-us.beyondidentity.com"},
		{"empty fragment", invokeLink(bi, linkTenant, linkRealm, linkIdentity, linkJob, "?token="+linkToken+"#"), bi, "auth-us.beyondidentity.com"},
		{"another token in the fragment", invokeLink(bi, linkTenant, linkRealm, linkIdentity, linkJob, "?token="+linkToken+"#&token=other"), bi, "auth-us.beyondidentity.com"},
		{"fragment on a /bind redirect", "https://app.example.com/bind?" + redirect + "#tenant_id=0001ffffffffffff", bi, "app.example.com"},
		{"empty port", invokeLink(bi+":", linkTenant, linkRealm, linkIdentity, linkJob, "?token="+linkToken), bi, "auth-us.beyondidentity.com:"},
		{"default port with a leading zero", invokeLink(bi+":0443", linkTenant, linkRealm, linkIdentity, linkJob, "?token="+linkToken), bi, "auth-us.beyondidentity.com:0443"},
		{"other port with leading zeros", invokeLink(bi+":008443", linkTenant, linkRealm, linkIdentity, linkJob, "?token="+linkToken), bi + ":8443", "auth-us.beyondidentity.com:008443"},
		{"api_base_url with an empty port", "https://app.example.com/bind?" + redirectParams(bi+":", linkTenant, linkRealm).Encode(), bi, "app.example.com"},
		{"api_base_url with a leading-zero port", "https://app.example.com/bind?" + redirectParams("http://localhost:08092", linkTenant, linkRealm).Encode(), "http://localhost:8092", "app.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			link, err := ParseBindingLink(tt.raw)
			require.NoError(t, err)
			assert.Equal(t, tt.wantBase, link.APIBaseURL)
			assert.Equal(t, tt.wantHost, link.Host)
			assert.Equal(t, linkToken, link.RevealToken(), "the token is read from the query, never the fragment")
			assert.Equal(t, linkTenant, link.TenantID)
			assert.Equal(t, tt.raw, link.RevealURL())
		})
	}
}

// The official Embedded SDK accepts these links; ParseBindingLink refuses
// them on purpose. The full list, with the reasons, is in
// contract/bindlink/diff_test.go.
func TestParseBindingLinkDeliberateDifferences(t *testing.T) {
	const bi = "https://auth-us.beyondidentity.com"
	path := invokeLink("", linkTenant, linkRealm, linkIdentity, linkJob, "")
	q := "?token=" + linkToken
	tests := []struct {
		name, raw, want string
	}{
		// A browser reads these as IPv4 addresses other tools read
		// differently (010.0.0.1 is 8.0.0.1 to a browser, 10.0.0.1 to many
		// others) or as names.
		{"hex IPv4", "https://0x7f.1" + path + q, "dotted-decimal IPv4"},
		{"short IPv4", "https://127.1" + path + q, "dotted-decimal IPv4"},
		{"octal IPv4", "https://010.0.0.1" + path + q, "dotted-decimal IPv4"},
		{"IPv4 as one number", "https://2130706433" + path + q, "dotted-decimal IPv4"},
		{"IPv4 with a trailing dot", "https://127.0.0.1." + path + q, "dotted-decimal IPv4"},
		// Punycode outside what can be checked without IDNA tables.
		{"right-to-left punycode", "https://xn--4dbc.example" + path + q, "punycode"},
		{"punycode of a symbol", "https://xn--n3h.example" + path + q, "punycode"},
		{"punycode of an ASCII label", "https://xn--abc-.example" + path + q, "punycode"},
		{"empty punycode label", "https://xn--.example" + path + q, "punycode"},
		// A browser hands links over in ASCII; the SDK takes a non-ASCII
		// character only at the very end of the link.
		{"non-ASCII at the end", bi + path + q + "ü", "not ASCII"},
		{"trailing no-break space", bi + path + q + "\u00a0", "not ASCII"},
		// No DNS name has these characters.
		{"'!' in the host", "https://h!x.example" + path + q, "host has a character other than letters, digits, '-', '.' and '_'"},
		{"',' in the host", "https://h,x.example" + path + q, "host has a character other than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseBindingLink(tt.raw)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Contains(t, ve.Problem, tt.want)
		})
	}
}

func TestParseBindingLinkPunycodeHosts(t *testing.T) {
	for _, tt := range []struct{ host, wantBase string }{
		{"xn--bcher-kva.example", "https://xn--bcher-kva.example"},
		{"XN--BCHER-KVA.example", "https://xn--bcher-kva.example"},
		{"xn--e1afmkfd.example", "https://xn--e1afmkfd.example"},   // Cyrillic
		{"xn--r8jz45g.example", "https://xn--r8jz45g.example"},     // Han and Hiragana
		{"xn--strae-oqa.example", "https://xn--strae-oqa.example"}, // sharp s
		{"xn--3xa.example", "https://xn--3xa.example"},             // Greek final sigma
		{"xn--pple-43d.com", "https://xn--pple-43d.com"},           // a Cyrillic look-alike: BindHandler refuses it
		{"shop.xn--p1ai", "https://shop.xn--p1ai"},                 // .рф
		{"xn--9n2bp8q.example", "https://xn--9n2bp8q.example"},     // Hangul
		{"xn--eckwd4c7c.example", "https://xn--eckwd4c7c.example"}, // Katakana
		{"xn--caf-dma.example:8443", "https://xn--caf-dma.example:8443"},
	} {
		t.Run(tt.host, func(t *testing.T) {
			link, err := ParseBindingLink(invokeLink("https://"+tt.host, linkTenant, linkRealm, linkIdentity, linkJob, "?token="+linkToken))
			require.NoError(t, err)
			assert.Equal(t, tt.wantBase, link.APIBaseURL)
		})
	}
}

func TestBindingLinkRedactsToken(t *testing.T) {
	raw := bindRedirect("https://app.example.com", redirectParams("https://auth-us.beyondidentity.com", linkTenant, linkRealm))
	link, err := ParseBindingLink(raw)
	require.NoError(t, err)

	type holder struct {
		Exported   *BindingLink
		unexported BindingLink
		ptr        *BindingLink
	}
	h := holder{Exported: link, unexported: *link, ptr: link}
	outputs := map[string]string{
		"Sprint ptr":     fmt.Sprint(link),
		"Sprint value":   fmt.Sprint(*link),
		"Println":        fmt.Sprintln(link),
		"%v":             fmt.Sprintf("%v", link),
		"%+v":            fmt.Sprintf("%+v", link),
		"%#v":            fmt.Sprintf("%#v", link),
		"%#v value":      fmt.Sprintf("%#v", *link),
		"%s":             fmt.Sprintf("%s", link),
		"%q":             fmt.Sprintf("%q", link),
		"%x":             fmt.Sprintf("%x", link),
		"%d":             fmt.Sprintf("%d", link),
		"String":         link.String(),
		"holder %+v":     fmt.Sprintf("%+v", h),
		"holder %#v":     fmt.Sprintf("%#v", h),
		"slice %v":       fmt.Sprintf("%v", []*BindingLink{link}),
		"map %+v":        fmt.Sprintf("%+v", map[string]BindingLink{"l": *link}),
		"error wrapping": fmt.Errorf("binding failed for %v", link).Error(),
	}
	js, err := json.Marshal(link)
	require.NoError(t, err)
	outputs["json"] = string(js)
	js, err = json.Marshal(h)
	require.NoError(t, err)
	outputs["json holder"] = string(js)

	logger, logs := newDebugLogger()
	logger.Info("bind", "link", link)
	logger.Info("bind value", slog.Any("link", *link))
	logger.Info("bind holder", "h", h)
	outputs["slog"] = logs.String()

	textBuf := &logBuffer{}
	slog.New(slog.NewTextHandler(textBuf, nil)).Info("bind", "link", link)
	outputs["slog text"] = textBuf.String()

	for name, out := range outputs {
		assert.NotContains(t, out, linkToken, name)
		assert.NotContains(t, out, linkToken[:12], name)
		assert.NotContains(t, out, url.QueryEscape(linkToken), name)
	}
	// The outputs do describe the link (so the test would notice an empty
	// printer).
	for _, name := range []string{"%v", "%+v", "%#v", "json", "slog", "slog text", "holder %+v"} {
		assert.Contains(t, outputs[name], linkJob, name)
	}
	assert.Contains(t, outputs["%v"], "REDACTED")
	assert.Contains(t, outputs["json"], `"token":"REDACTED"`)
	assert.Contains(t, outputs["slog"], `"token":"REDACTED"`)
	assert.Contains(t, outputs["%#v"], `token:"REDACTED"`)

	// The explicit accessors still reveal it.
	assert.Equal(t, linkToken, link.RevealToken())
	assert.Equal(t, raw, link.RevealURL())
	var zero BindingLink
	assert.Empty(t, zero.RevealToken())
	assert.Empty(t, zero.RevealURL())
	assert.NotContains(t, zero.String(), "REDACTED")
}

// ---- BindHandler ----

func newBindClient(t *testing.T, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithTenant(linkTenant), WithRealm(linkRealm), WithAPIToken(testToken)}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// recordingFn is a BindHandler callback that records the links it gets.
type recordingFn struct{ links []*BindingLink }

func (f *recordingFn) handle(w http.ResponseWriter, _ *http.Request, link *BindingLink) {
	f.links = append(f.links, link)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte("<script>bind()</script>"))
}

func TestBindHandlerAcceptsGoodLinks(t *testing.T) {
	for _, apiBase := range []string{
		"https://auth-us.beyondidentity.com",
		"https://auth-eu.beyondidentity.com",
		"https://auth.us1.beyondidentity-gov.com",
		"https://auth-us.beyondidentity.com/",
		"https://auth-us.beyondidentity.com:443",
	} {
		t.Run(apiBase, func(t *testing.T) {
			c := newBindClient(t, WithRegion(RegionEU)) // every region's auth host is allowed
			var fn recordingFn
			h := c.BindHandler(fn.handle)
			target := "/passkeys/bind?" + redirectParams(apiBase, linkTenant, linkRealm).Encode()
			req := httptest.NewRequest(http.MethodGet, target, nil)
			req.Host = "app.example.com"
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			require.Len(t, fn.links, 1)
			link := fn.links[0]
			assert.Equal(t, BindingLinkKindBindRedirect, link.Kind)
			assert.Equal(t, linkTenant, link.TenantID)
			assert.Equal(t, linkRealm, link.RealmID)
			assert.Equal(t, linkIdentity, link.IdentityID)
			assert.Equal(t, linkJob, link.JobID)
			assert.Equal(t, linkToken, link.RevealToken())
			assert.Equal(t, "http://app.example.com"+target, link.RevealURL())
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			assert.Equal(t, "no-referrer", rec.Header().Get("Referrer-Policy"))
			assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
			assert.Equal(t, "DENY", rec.Header().Get("X-Frame-Options"))
			assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
		})
	}
}

func TestBindHandlerConfiguredAuthBase(t *testing.T) {
	// A private deployment or the local fake: the configured auth host is
	// allowed (by origin, even over http and with a path prefix).
	c := newBindClient(t, WithBaseURLs("http://127.0.0.1:9999/api", "http://127.0.0.1:9998/auth"))
	var fn recordingFn
	h := c.BindHandler(fn.handle)

	req := httptest.NewRequest(http.MethodGet, "/bind?"+redirectParams("http://127.0.0.1:9998", linkTenant, linkRealm).Encode(), nil)
	req.TLS = &tls.ConnectionState{}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Len(t, fn.links, 1)
	assert.Equal(t, "http://127.0.0.1:9998", fn.links[0].APIBaseURL)
	assert.True(t, strings.HasPrefix(fn.links[0].RevealURL(), "https://example.com/bind?"), fn.links[0].RevealURL())

	// The configured host on another port, or the API host, is not.
	for _, base := range []string{"http://127.0.0.1:9999", "http://127.0.0.1:9997", "https://127.0.0.1:9998"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/bind?"+redirectParams(base, linkTenant, linkRealm).Encode(), nil))
		assert.Equal(t, http.StatusBadRequest, rec.Code, base)
	}
	assert.Len(t, fn.links, 1)
}

func TestBindHandlerRejects(t *testing.T) {
	good := redirectParams("https://auth-us.beyondidentity.com", linkTenant, linkRealm)
	with := func(edit func(url.Values)) string {
		return "/bind?" + edited(good, edit).Encode()
	}
	tests := []struct {
		name, method, target string
		status               int
		reason               string
	}{
		{"forged api_base_url", "GET", with(func(p url.Values) { p.Set("api_base_url", "https://evil.example") }), 400, "api_base_url is not an allowed Beyond Identity auth host"},
		{"look-alike host", "GET", with(func(p url.Values) { p.Set("api_base_url", "https://auth-us.beyondidentity.com.evil.example") }), 400, "api_base_url is not an allowed"},
		{"suffix host", "GET", with(func(p url.Values) { p.Set("api_base_url", "https://evilauth-us.beyondidentity.com") }), 400, "api_base_url is not an allowed"},
		{"subdomain of BI", "GET", with(func(p url.Values) { p.Set("api_base_url", "https://x.auth-us.beyondidentity.com") }), 400, "api_base_url is not an allowed"},
		{"BI host over http", "GET", with(func(p url.Values) { p.Set("api_base_url", "http://auth-us.beyondidentity.com") }), 400, "api_base_url is not an allowed"},
		{"BI host other port", "GET", with(func(p url.Values) { p.Set("api_base_url", "https://auth-us.beyondidentity.com:8443") }), 400, "api_base_url is not an allowed"},
		{"BI API host", "GET", with(func(p url.Values) { p.Set("api_base_url", "https://api-us.beyondidentity.com") }), 400, "api_base_url is not an allowed"},
		{"api_base_url with path", "GET", with(func(p url.Values) { p.Set("api_base_url", "https://auth-us.beyondidentity.com/evil") }), 400, "api_base_url is not an http or https origin"},
		{"duplicated api_base_url", "GET", with(func(p url.Values) { p.Add("api_base_url", "https://evil.example") }), 400, "appears more than once"},
		{"foreign tenant", "GET", with(func(p url.Values) { p.Set("tenant_id", "0001ffffffffffff") }), 400, "binding link is for another tenant"},
		{"foreign realm", "GET", with(func(p url.Values) { p.Set("realm_id", "ffffffffffffffff") }), 400, "binding link is for another realm"},
		{"missing token", "GET", with(func(p url.Values) { p.Del("token") }), 400, "parameter token is missing"},
		{"missing job", "GET", with(func(p url.Values) { p.Del("job_id") }), 400, "parameter job_id is missing"},
		{"no query", "GET", "/bind", 400, "invalid binding link"},
		{"invokeAuthenticator path", "GET", "/v1/tenants/" + linkTenant + "/realms/" + linkRealm + "/identities/" + linkIdentity +
			"/credential-binding-jobs/" + linkJob + ":invokeAuthenticator?token=" + linkToken, 400, "not a /bind redirect"},
		{"POST", "POST", with(func(url.Values) {}), 405, "method not allowed"},
		{"PUT", "PUT", with(func(url.Values) {}), 405, "method not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newBindClient(t)
			var fn recordingFn
			rec := httptest.NewRecorder()
			c.BindHandler(fn.handle).ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))

			assert.Equal(t, tt.status, rec.Code)
			assert.Empty(t, fn.links, "fn must not be called")
			assert.Contains(t, rec.Body.String(), tt.reason)
			assert.NotContains(t, rec.Body.String(), linkToken)
			assert.NotContains(t, rec.Body.String(), "evil")
			assert.Less(t, rec.Body.Len(), 200)
			assert.True(t, strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain"))
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			assert.Equal(t, "no-referrer", rec.Header().Get("Referrer-Policy"))
			if tt.status == 405 {
				assert.Equal(t, "GET, HEAD", rec.Header().Get("Allow"))
			}
		})
	}
}

func TestBindHandlerAbsoluteFormRequest(t *testing.T) {
	// A request in absolute form names another host; the link is still
	// built from the Host header and the path and query only.
	c := newBindClient(t)
	var fn recordingFn
	target := "http://evil.example/bind?" + redirectParams("https://auth-us.beyondidentity.com", linkTenant, linkRealm).Encode()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Host = "app.example.com"
	rec := httptest.NewRecorder()
	c.BindHandler(fn.handle).ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Len(t, fn.links, 1)
	assert.Equal(t, "app.example.com", fn.links[0].Host)
	assert.True(t, strings.HasPrefix(fn.links[0].RevealURL(), "http://app.example.com/bind?"), fn.links[0].RevealURL())
}

func TestBindHandlerHEAD(t *testing.T) {
	c := newBindClient(t)
	var fn recordingFn
	rec := httptest.NewRecorder()
	c.BindHandler(fn.handle).ServeHTTP(rec, httptest.NewRequest(http.MethodHead,
		"/bind?"+redirectParams("https://auth-us.beyondidentity.com", linkTenant, linkRealm).Encode(), nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Len(t, fn.links, 1)
}

func TestBindHandlerClientWithoutRealm(t *testing.T) {
	c, err := NewClient(WithTenant(linkTenant), WithAPIToken(testToken))
	require.NoError(t, err)
	var fn recordingFn
	rec := httptest.NewRecorder()
	c.BindHandler(fn.handle).ServeHTTP(rec, httptest.NewRequest(http.MethodGet,
		"/bind?"+redirectParams("https://auth-us.beyondidentity.com", linkTenant, linkRealm).Encode(), nil))
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Empty(t, fn.links)

	// InRealm gives a handler for that realm.
	rec = httptest.NewRecorder()
	c.InRealm(linkRealm).BindHandler(fn.handle).ServeHTTP(rec, httptest.NewRequest(http.MethodGet,
		"/bind?"+redirectParams("https://auth-us.beyondidentity.com", linkTenant, linkRealm).Encode(), nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Len(t, fn.links, 1)
}

func TestBindHandlerLogsRejectionWithoutToken(t *testing.T) {
	logger, logs := newDebugLogger()
	c := newBindClient(t, WithLogger(logger))
	var fn recordingFn
	p := redirectParams("https://evil.example", linkTenant, linkRealm)
	rec := httptest.NewRecorder()
	c.BindHandler(fn.handle).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/bind?"+p.Encode(), nil))
	require.Equal(t, http.StatusBadRequest, rec.Code)
	out := logs.String()
	assert.Contains(t, out, "rejected binding link")
	assert.Contains(t, out, "api_base_url is not an allowed")
	assert.NotContains(t, out, linkToken)
	assert.NotContains(t, out, "token=")
}

func TestBindHandlerNilFn(t *testing.T) {
	c := newBindClient(t)
	assert.PanicsWithValue(t, "beyondidentity: BindHandler: nil fn", func() { c.BindHandler(nil) })
}

// ---- fuzzing ----

// tokenParam finds the values of token= parameters in a raw URL, crudely
// and independently of the parser.
var tokenParam = regexp.MustCompile(`(?:^|[?&;])token=([^&;#]*)`)

// FuzzParseBindingLink checks that ParseBindingLink never panics, that its
// errors are *ValidationError, and that neither an error nor any printed or
// logged form of a parsed link contains the token. To make "contains the
// token" meaningful whatever the fuzzer picks, every token value is first
// replaced by a marker that appears nowhere else in the input.
func FuzzParseBindingLink(f *testing.F) {
	f.Add(invokeLink("https://auth-us.beyondidentity.com", linkTenant, linkRealm, linkIdentity, linkJob, "?token="+linkToken))
	f.Add(bindRedirect("http://localhost:3000", redirectParams("https://auth-us.beyondidentity.com", linkTenant, linkRealm)))
	f.Add(bindRedirect("https://app.example.com/p", redirectParams("https://evil.example/x", "t", "r")))
	f.Add("https://auth-us.beyondidentity.com/v1/tenants/a/realms/b/identities/c/credential-binding-jobs/d:invokeAuthenticator?token=&token=x")
	f.Add("http://h/bind?token=x#y")
	f.Add("https://xn--bcher-kva.example:0443/v1/tenants/a/realms/b/identities/c/credential-binding-jobs/d:invokeAuthenticator?token=x")
	f.Add("https://[::1]:8/a/bind?api_base_url=http%3A%2F%2F127.0.0.1%3A&tenant_id=t&realm_id=r&identity_id=i&job_id=j&token=x")
	f.Add("::")
	f.Add("")
	f.Fuzz(func(t *testing.T, raw string) {
		link, err := ParseBindingLink(raw)
		if err != nil {
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "error type %T", err)
			require.Nil(t, link)
		} else {
			require.NotEmpty(t, link.RevealToken())
			require.NotEmpty(t, link.TenantID)
			require.NotEmpty(t, link.JobID)
		}

		const marker = "ZZtok3nM4rk3rZZ"
		if strings.Contains(raw, marker) {
			return
		}
		marked := tokenParam.ReplaceAllStringFunc(raw, func(m string) string {
			return m[:strings.Index(m, "token=")+len("token=")] + marker
		})
		if marked == raw {
			return // no token parameter to look for
		}
		link, err = ParseBindingLink(marked)
		if err != nil {
			require.NotContains(t, err.Error(), marker)
			return
		}
		if link.RevealToken() != marker {
			return // the marker did not become the token (e.g. a second token= in the fragment)
		}
		logger, logs := newDebugLogger()
		logger.Info("x", "link", link)
		js, jerr := json.Marshal(link)
		require.NoError(t, jerr)
		for _, out := range []string{
			fmt.Sprint(link), fmt.Sprintf("%+v", link), fmt.Sprintf("%#v", link), fmt.Sprintf("%q", *link),
			link.String(), string(js), logs.String(),
		} {
			require.NotContains(t, out, marker)
		}
	})
}

// edited returns a deep copy of q changed by edit; q is left as it is.
func edited(q url.Values, edit func(url.Values)) url.Values {
	p := make(url.Values, len(q))
	for k, v := range q {
		p[k] = append([]string(nil), v...)
	}
	edit(p)
	return p
}
