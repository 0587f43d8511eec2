package beyondidentity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSecretRevealsOnlyThroughReveal(t *testing.T) {
	const v = "s3cr3t-value-0042"
	s := NewSecret(v)
	assert.Equal(t, v, s.Reveal())
	assert.False(t, s.IsZero())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v", "%10s", "%-8q"} {
		out := fmt.Sprintf(verb, s)
		assert.NotContains(t, out, v, verb)
		assert.NotContains(t, out, fmt.Sprintf("%x", v), verb)
	}
	assert.Equal(t, "REDACTED", fmt.Sprint(s))
	assert.Equal(t, `"REDACTED"`, fmt.Sprintf("%q", s))
	assert.Equal(t, `beyondidentity.Secret("REDACTED")`, fmt.Sprintf("%#v", s))
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, `"REDACTED"`, string(b))

	var zero Secret
	assert.True(t, zero.IsZero())
	assert.Equal(t, "", zero.Reveal())
	assert.Equal(t, "", fmt.Sprint(zero))
	assert.True(t, NewSecret("").IsZero())
	b, err = json.Marshal(struct {
		S Secret `json:"s,omitzero"`
	}{})
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(b), "omitzero leaves an empty secret out")
}

func TestSecretDecodesFromJSON(t *testing.T) {
	var w struct {
		S Secret `json:"s"`
		N Secret `json:"n"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"s":"from-the-api","n":null}`), &w))
	assert.Equal(t, "from-the-api", w.S.Reveal())
	assert.True(t, w.N.IsZero())
	err := json.Unmarshal([]byte(`{"s":12345678}`), &w)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "12345678")
}

// TestSecretsUnprintableThroughUnexportedFields prints every value of the
// library that holds a secret from inside unexported fields of a caller's
// struct, where fmt cannot call their methods and walks them by reflection
// (including its bad-verb path, %!s(...), which prints the value with %v).
func TestSecretsUnprintableThroughUnexportedFields(t *testing.T) {
	const (
		clientSecret = "client-secret-value-77"
		token        = "static-token-value-88"
		linkToken    = "link-token-value-99xyz"
	)
	cc := ClientCredentials{RealmID: "r", ApplicationID: "a", ClientID: "c", ClientSecret: NewSecret(clientSecret)}
	c, err := NewClient(WithTenant("t1"), WithRealm("r1"), WithClientCredentials(cc))
	require.NoError(t, err)
	link, err := ParseBindingLink("https://auth-us.beyondidentity.com/v1/tenants/t/realms/r/identities/i/credential-binding-jobs/j:invokeAuthenticator?token=" + linkToken)
	require.NoError(t, err)
	type holder struct {
		creds    ClientCredentials
		credsPtr *ClientCredentials
		static   TokenSource
		ccSource TokenSource
		client   *Client
		link     BindingLink
		linkPtr  *BindingLink
		result   CreateBindingJobResult
		resPtr   *CreateBindingJobResult
		secret   Secret
		any      any
	}
	res := &CreateBindingJobResult{Job: &BindingJob{ID: "j"}, Link: NewSecret(link.RevealURL())}
	h := holder{cc, &cc, StaticToken(token), c.core.tokens, c, *link, link, *res, res, NewSecret(token), cc}
	secrets := []string{clientSecret, token, linkToken}
	for _, v := range []any{h, &h, []holder{h}, map[string]holder{"k": h}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%p"} {
			out := fmt.Sprintf(verb, v)
			for _, s := range secrets {
				assert.NotContains(t, out, s, "verb %s of %T", verb, v)
				assert.NotContains(t, out, fmt.Sprintf("%x", s), "verb %s of %T", verb, v)
				assert.NotContains(t, out, fmt.Sprintf("%X", s), "verb %s of %T", verb, v)
			}
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "h", h, "p", &h)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "h", h, "creds", cc, "res", res, "link", link)
	for _, s := range secrets {
		assert.NotContains(t, buf.String(), s)
	}
}
