package beyondidentity

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodePunycode(t *testing.T) {
	// Samples of RFC 3492, section 7.1.
	for _, tt := range []struct{ enc, want string }{
		{"egbpdaj6bu4bxfgehfvwxn", "\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F"},
		{"ihqwcrb4cv8a8dqg056pqjye", "他们为什么不说中文"},
		{"Proprostnemluvesky-uyb24dma41a", "Pročprostěnemluvíčesky"},
		{"3B-ww4c5e180e575a65lsy2b", "3年B組金八先生"},
		{"bcher-kva", "bücher"},
		{"abc-", "abc"},
		{"", ""},
	} {
		got, ok := decodePunycode(tt.enc)
		require.True(t, ok, tt.enc)
		assert.Equal(t, tt.want, string(got), tt.enc)
	}
	for _, bad := range []string{"zz", "-", "-abc", "a!b", "99999999999", "ü-abc", "bcher-kv%"} {
		_, ok := decodePunycode(bad)
		assert.False(t, ok, bad)
	}
}
