package beyondidentity

// The SCIM error body ({"schemas": [...], "status": "404", "scimType":
// "...", "detail": "..."}, RFC 7644 §3.12) is read into APIError.Code and
// APIError.Message.

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSCIMErrorBodyFillsCodeAndMessage(t *testing.T) {
	c := newGockClient(t)
	s := scimOf(c)
	for _, tc := range []struct {
		status        int
		body          string
		code, message string
	}{
		{400, specSCIMError400, "invalidValue", "A required value was missing, or the value specified was not compatible with the operation or attribute type, or resource schema."},
		{401, specSCIMError401, "unauthorized", "The authorization header is invalid or missing."},
		{403, specSCIMError403, "forbidden", "token is unauthorized."},
		{404, specSCIMError404, "", "Resource 2819c223-7f76-453a-919d-413861904646 not found."},
		{500, specSCIMError500, "", ""},
		// The API's own error body still wins where both could apply.
		{409, `{"code":"conflict","message":"username already exists","scimType":"uniqueness","detail":"x"}`, "conflict", "username already exists"},
	} {
		replySCIM(scimMock(http.MethodGet, scimPath+"/Users/"+scimUserID), tc.status, tc.body)
		_, err := s.Users.Get(context.Background(), scimUserID)
		var ae *APIError
		require.ErrorAs(t, err, &ae, tc.status)
		assert.Equal(t, tc.code, ae.Code, tc.status)
		assert.Equal(t, tc.message, ae.Message, tc.status)
		if tc.message != "" {
			assert.Contains(t, err.Error(), tc.message)
		}
	}
}
