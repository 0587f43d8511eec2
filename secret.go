package beyondidentity

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// redacted replaces a secret wherever the library prints one.
const redacted = "REDACTED"

// Secret holds a secret string, such as a client secret. It is the one
// shape this package gives every secret it takes in or hands out (see
// [BindingLink] for the binding link, which holds its token the same way):
//
//   - fmt prints it as REDACTED with every verb (%v, %+v, %#v, %s, %q, %x,
//     …), log/slog logs it as REDACTED, encoding/json encodes it as
//     "REDACTED";
//   - the value sits behind an unexported pointer, so even where fmt cannot
//     call a method (in an unexported field) it prints an address, never
//     the secret (see the package documentation, "Secrets");
//   - only Reveal returns the value: call it where the secret is really
//     needed, and never log or print what it returns.
//
// The zero Secret is empty: it prints as "" and Reveal returns "".
type Secret struct {
	v *string
}

// NewSecret returns a Secret holding s.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{v: &s}
}

// Reveal returns the secret value. Never log it, print it or put it in an
// error.
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

// IsZero reports whether the secret is empty. It makes the json option
// omitzero leave an empty secret out.
func (s Secret) IsZero() bool { return s.v == nil || *s.v == "" }

// String returns REDACTED, or "" for an empty secret.
func (s Secret) String() string {
	if s.IsZero() {
		return ""
	}
	return redacted
}

// Format prints String for every verb: %q quotes it, %#v prints
// beyondidentity.Secret("REDACTED").
func (s Secret) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprintf(f, "beyondidentity.Secret(%q)", s.String())
	case verb == 'q':
		fmt.Fprintf(f, "%q", s.String())
	default:
		fmt.Fprint(f, s.String())
	}
}

// LogValue logs String.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON encodes String as a JSON string, so a configuration dumped as
// JSON into a log does not leak the secret.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a JSON string (null is the empty secret), so a secret
// the API hands out decodes into a Secret.
func (s *Secret) UnmarshalJSON(b []byte) error {
	var v *string
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("a secret must be a JSON string")
	}
	if v == nil {
		*s = Secret{}
		return nil
	}
	*s = NewSecret(*v)
	return nil
}
