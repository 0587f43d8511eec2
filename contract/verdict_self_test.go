package contract

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseViolations reads complete sl-violations headers and the ones
// Prism cut short.
func TestParseViolations(t *testing.T) {
	full := `[{"location":["request","header"],"severity":"Error","code":"required","message":"a"},` +
		`{"location":["response","body","x",0],"severity":"Warning","message":"b"}]`
	vs, complete := parseViolations(full)
	assert.True(t, complete)
	require.Len(t, vs, 2)
	assert.Equal(t, "[Error required at request.header] a", vs[0].String())
	assert.Equal(t, "response.body.x.0", vs[1].where())

	// Cut inside the second violation: the first is kept.
	vs, complete = parseViolations(tooMany + full[:len(full)/2+20])
	assert.False(t, complete)
	require.Len(t, vs, 1)
	assert.Equal(t, "a", vs[0].Message)

	// Cut after a whole list, as Prism does when it is just too long.
	vs, complete = parseViolations(tooMany + full)
	assert.False(t, complete)
	assert.Len(t, vs, 2)

	vs, complete = parseViolations("not JSON")
	assert.False(t, complete)
	assert.Empty(t, vs)
}

// TestReadVerdictCut shows that a list Prism cut short is completed by the
// list of Prism's own answer when it has one, and fails the exchange
// otherwise.
func TestReadVerdictCut(t *testing.T) {
	v := violation{Location: locPath{"response", "body", "x"}, Severity: "Error", Code: json.RawMessage(`"type"`), Message: "x must be string"}
	w := violation{Location: locPath{"response", "body", "y"}, Severity: "Error", Code: json.RawMessage(`"type"`), Message: "y must be string"}
	one, err := json.Marshal([]violation{v})
	require.NoError(t, err)
	h := http.Header{}
	h.Set("sl-violations", tooMany+string(one[:len(one)-1])+`,{"loca`)

	problem, err := json.Marshal(prismProblem{Type: prismErrors + "VIOLATIONS", Validation: []violation{v, w}})
	require.NoError(t, err)
	h.Set("Content-Type", "application/problem+json")
	vd := readVerdict(h, problem)
	assert.Equal(t, "VIOLATIONS", vd.problem)
	var codes []string
	for _, x := range vd.violations {
		codes = append(codes, x.codeString())
	}
	assert.NotContains(t, codes, "cut", "Prism's answer lists every error")
	j := judge("CreateIdentity", vd.violations, nil, nil, 0)
	assert.Len(t, j.unexpected, 2, "listed twice, counted once")

	h.Set("Content-Type", "application/json")
	vd = readVerdict(h, []byte(`{}`))
	codes = codes[:0]
	for _, x := range vd.violations {
		codes = append(codes, x.codeString())
	}
	assert.Equal(t, []string{"type", "cut"}, codes, "what the cut hid is unknown: not excused")
}

// TestAllowanceStatus shows that an allowance with a status excuses the
// violation for an answer of that status only.
func TestAllowanceStatus(t *testing.T) {
	a := &allowance{Op: "getIdentityProvider", Codes: []string{""}, Location: "response", Exact: true,
		Status: http.StatusNotFound, Message: "Unable to match the returned status code", Why: "test"}
	v := violation{Location: locPath{"response"}, Severity: "Warning",
		Message: "Unable to match the returned status code with those defined in the document: 200,400,401,403,500"}
	ok, _ := a.match("getIdentityProvider", v, nil, nil, http.StatusNotFound)
	assert.True(t, ok)
	ok, _ = a.match("getIdentityProvider", v, nil, nil, http.StatusConflict)
	assert.False(t, ok)
	ok, _ = a.match("getIdentityProvider", v, nil, nil, 0)
	assert.False(t, ok, "no answer, no status")
	ok, _ = a.match("updateIdentityProvider", v, nil, nil, http.StatusNotFound)
	assert.False(t, ok)
}
