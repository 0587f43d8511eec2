package beyondidentity

import (
	"context"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

const (
	credIdentity = "4c1e6a0f9b2d7e35"
	credID       = "9e0b7d3a5c21f486"
)

// credentialJSON is a credential as the API sends it, with jwk_json as a
// JSON string.
func credentialJSON(id, identityID, state, jwkJSON, thumb, createTime, updateTime string) string {
	j, _ := json.Marshal(jwkJSON)
	return fmt.Sprintf(`{"id":%q,"identity_id":%q,"realm_id":%q,"tenant_id":%q,"state":%q,"csr_type":"WEBAUTHN","jwk_json":%s,"jwk_thumbprint":%q,"create_time":%q,"update_time":%q}`,
		id, identityID, testRealm, testTenant, state, j, thumb, createTime, updateTime)
}

// ---- requests ----

func TestCredentialsGetRequest(t *testing.T) {
	c := newGockClient(t)
	k := mustECKey(t, elliptic.P256())
	apiMock(http.MethodGet, testRealmPath+"/identities/"+credIdentity+"/credentials/"+credID).
		AddMatcher(matchNoBody).
		Reply(200).JSON(credentialJSON(credID, credIdentity, "ACTIVE", ecJWK(t, k), "", "2024-03-05T10:11:12.345Z", "2024-03-05T10:11:12.345678Z"))

	cred, err := c.Credentials.Get(context.Background(), credIdentity, credID)
	require.NoError(t, err)
	assert.Equal(t, credID, cred.ID)
	assert.Equal(t, credIdentity, cred.IdentityID)
	assert.Equal(t, CredentialStateActive, cred.State)
	assert.Equal(t, CSRTypeWebAuthn, cred.CSRType)
	pub, err := cred.PublicKey()
	require.NoError(t, err)
	assert.True(t, k.Equal(pub))
}

func TestCredentialsEscapesIDs(t *testing.T) {
	c := newGockClient(t)
	// ':' in an ID is escaped so it cannot turn into a custom method; the
	// ':' of ":revoke" is not.
	apiMock(http.MethodGet, "/v1/tenants/"+testTenant+"/realms/"+testRealm+"/identities/a%3Arevoke/credentials/b%3Fc%23d%25").
		Reply(200).JSON(`{"id":"x"}`)
	apiMock(http.MethodPost, testRealmPath+"/identities/a%3Arevoke/credentials/b%3Fc%23d%25:revoke").
		AddMatcher(matchNoBody).
		Reply(200).JSON(`{"id":"x","state":"REVOKED"}`)
	apiMock(http.MethodGet, testRealmPath+"/identities/id%3A1/credentials").
		Reply(200).JSON(`{"credentials":[],"total_size":0}`)

	ctx := context.Background()
	_, err := c.Credentials.Get(ctx, "a:revoke", "b?c#d%")
	require.NoError(t, err)
	_, err = c.Credentials.Revoke(ctx, "a:revoke", "b?c#d%")
	require.NoError(t, err)
	_, err = c.Credentials.List(ctx, "id:1", nil)
	require.NoError(t, err)
}

func TestCredentialsRevokeRequest(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, testRealmPath+"/identities/"+credIdentity+"/credentials/"+credID+":revoke").
		AddMatcher(matchNoBody).
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			// No body, so no Content-Type and no length: a validating proxy
			// of the spec answers a body on this call with 415.
			return r.Header.Get("Content-Type") == "" && r.ContentLength <= 0, nil
		}).
		AddMatcher(matchQuery(t, nil)).
		Reply(200).JSON(credentialJSON(credID, credIdentity, "REVOKED", edJWK(make(ed25519.PublicKey, 32)), "", "2024-03-05T10:11:12Z", "2024-06-01T00:00:00.5Z"))

	cred, err := c.Credentials.Revoke(context.Background(), credIdentity, credID)
	require.NoError(t, err)
	assert.Equal(t, CredentialStateRevoked, cred.State)
	assert.Equal(t, time.Date(2024, 6, 1, 0, 0, 0, 5e8, time.UTC), cred.UpdateTime.UTC())
}

func TestCredentialsRevokeIsRetried(t *testing.T) {
	// Revoking twice has the effect of revoking once, so a 503 is retried
	// like a read (creates are not).
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var seen []string
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			seen = append(seen, fmt.Sprintf("%s %s body=%q", r.Method, r.URL.EscapedPath(), body))
			n := len(seen)
			mu.Unlock()
			if n == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"id":"`+credID+`","state":"REVOKED"}`)
		})
		c := newMemClient(t, h)
		cred, err := c.Credentials.Revoke(t.Context(), credIdentity, credID)
		require.NoError(t, err)
		assert.Equal(t, CredentialStateRevoked, cred.State)
		want := "POST " + testRealmPath + "/identities/" + credIdentity + "/credentials/" + credID + `:revoke body=""`
		mu.Lock()
		defer mu.Unlock()
		assert.Equal(t, []string{want, want}, seen)
	})
}

func TestCredentialsRevokeConflictAndNotFound(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, testRealmPath+"/identities/"+credIdentity+"/credentials/"+credID+":revoke").
		Reply(404).JSON(`{"code":"not_found","message":"credential not found","details":[{"type":"ResourceInfo","resource_type":"Credential","id":"9e0b7d3a5c21f486"}]}`)
	_, err := c.Credentials.Revoke(context.Background(), credIdentity, credID)
	require.ErrorIs(t, err, ErrNotFound)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	require.NotNil(t, ae.ResourceInfo())
	assert.Equal(t, "Credential", ae.ResourceInfo().ResourceType)
}

func TestCredentialsListRequest(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, testRealmPath+"/identities/-/credentials").
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"200"}, "skip": {"3"}, "page_token": {"tok 1"}})).
		AddMatcher(matchNoBody).
		Reply(200).JSON(`{"credentials":[{"id":"a1","state":"ACTIVE"},{"id":"a2","state":"SUSPENDED_BY_ADMIN"}],"total_size":7,"next_page_token":"next+/="}`)

	opts := &PageOptions{PageSize: 200, Skip: 3, PageToken: "tok 1"}
	page, err := c.Credentials.List(context.Background(), AllIdentities, opts)
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	assert.Equal(t, "a1", page.Items[0].ID)
	// An unknown state decodes as is.
	assert.Equal(t, CredentialState("SUSPENDED_BY_ADMIN"), page.Items[1].State)
	assert.Equal(t, 7, page.TotalSize)
	assert.Equal(t, "next+/=", page.NextPageToken)
	assert.Equal(t, &PageOptions{PageSize: 200, Skip: 3, PageToken: "tok 1"}, opts, "opts not modified")
}

func TestCredentialsListNoOptionsSendsNoQuery(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, testRealmPath+"/identities/"+credIdentity+"/credentials").
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) { return r.URL.RawQuery == "", nil }).
		Reply(200).JSON(`{"credentials":[],"total_size":0}`)
	page, err := c.Credentials.List(context.Background(), credIdentity, &PageOptions{})
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	assert.Empty(t, page.NextPageToken)
}

func TestCredentialsAll(t *testing.T) {
	c := newGockClient(t)
	base := testRealmPath + "/identities/" + credIdentity + "/credentials"
	apiMock(http.MethodGet, base).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"2"}, "skip": {"1"}})).
		Reply(200).JSON(`{"credentials":[{"id":"c1"},{"id":"c2"}],"total_size":4,"next_page_token":"p2"}`)
	apiMock(http.MethodGet, base).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"2"}, "skip": {"1"}, "page_token": {"p2"}})).
		Reply(200).JSON(`{"credentials":[{"id":"c3"}],"total_size":4,"next_page_token":null}`)

	opts := &PageOptions{PageSize: 2, Skip: 1}
	var ids []string
	for cred, err := range c.Credentials.All(context.Background(), credIdentity, opts) {
		require.NoError(t, err)
		ids = append(ids, cred.ID)
	}
	assert.Equal(t, []string{"c1", "c2", "c3"}, ids)
	assert.Equal(t, &PageOptions{PageSize: 2, Skip: 1}, opts)
}

func TestCredentialsAllStopsOnBreak(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, testRealmPath+"/identities/-/credentials").
		Reply(200).JSON(`{"credentials":[{"id":"c1"},{"id":"c2"}],"total_size":4,"next_page_token":"p2"}`)
	for cred, err := range c.Credentials.All(context.Background(), AllIdentities, nil) {
		require.NoError(t, err)
		assert.Equal(t, "c1", cred.ID)
		break // no second page may be fetched (gock would report it unmatched)
	}
}

func TestCredentialsValidation(t *testing.T) {
	c := newGockClient(t) // no mocks: any request fails the test
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"get empty identity", func() error { _, err := c.Credentials.Get(ctx, "", credID); return err }, "identityID"},
		{"get dotdot credential", func() error { _, err := c.Credentials.Get(ctx, credIdentity, ".."); return err }, "credentialID"},
		{"get slash credential", func() error { _, err := c.Credentials.Get(ctx, credIdentity, "a/b"); return err }, "credentialID"},
		{"revoke blank identity", func() error { _, err := c.Credentials.Revoke(ctx, "  ", credID); return err }, "identityID"},
		{"revoke empty credential", func() error { _, err := c.Credentials.Revoke(ctx, credIdentity, ""); return err }, "credentialID"},
		{"get with the wildcard identity", func() error { _, err := c.Credentials.Get(ctx, AllIdentities, credID); return err }, "identityID"},
		{"revoke with the wildcard identity", func() error { _, err := c.Credentials.Revoke(ctx, AllIdentities, credID); return err }, "identityID"},
		{"list empty identity", func() error { _, err := c.Credentials.List(ctx, "", nil); return err }, "identityID"},
		{"list page size 201", func() error {
			_, err := c.Credentials.List(ctx, AllIdentities, &PageOptions{PageSize: 201})
			return err
		}, "PageSize"},
		{"list negative page size", func() error {
			_, err := c.Credentials.List(ctx, AllIdentities, &PageOptions{PageSize: -1})
			return err
		}, "PageSize"},
		{"list negative skip", func() error {
			_, err := c.Credentials.List(ctx, AllIdentities, &PageOptions{Skip: -1})
			return err
		}, "Skip"},
		{"all page size", func() error {
			for _, err := range c.Credentials.All(ctx, AllIdentities, &PageOptions{PageSize: 500}) {
				return err
			}
			return nil
		}, "PageSize"},
		{"no realm", func() error { _, err := c.InRealm("").Credentials.Get(ctx, credIdentity, credID); return err }, "realm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.ErrorIs(t, err, ErrInvalidArgument)
		})
	}
	// Page sizes 0 and 200 are valid (checked without I/O).
	for _, size := range []int{0, 200} {
		assert.NoError(t, prepareList(&call{}, &PageOptions{PageSize: size}, maxCredentialsPageSize))
	}
}

// ---- decoding ----

func TestCredentialDecoding(t *testing.T) {
	k := mustECKey(t, elliptic.P384())
	jwkText := ecJWK(t, k)
	thumb, err := JWKThumbprint(k)
	require.NoError(t, err)
	body := credentialJSON(credID, credIdentity, "ACTIVE", jwkText, thumb+"=", "2023-11-02T08:09:10.123Z", "2023-11-02T08:09:10.123456Z")

	var cred Credential
	require.NoError(t, json.Unmarshal([]byte(body), &cred))
	assert.Equal(t, Credential{
		ID: credID, IdentityID: credIdentity, RealmID: testRealm, TenantID: testTenant,
		State: CredentialStateActive, CSRType: CSRTypeWebAuthn,
		JWKJSON: jwkText, JWKThumbprint: thumb + "=",
		CreateTime: time.Date(2023, 11, 2, 8, 9, 10, 123000000, time.UTC),
		UpdateTime: time.Date(2023, 11, 2, 8, 9, 10, 123456000, time.UTC),
	}, cred)
	assert.NoError(t, cred.VerifyThumbprint(), "padded thumbprint, as the API sends it")

	// Encoding keeps jwk_json a string and leaves out zero times.
	out, err := json.Marshal(Credential{ID: "c", JWKJSON: `{"kty":"OKP"}`})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"c","jwk_json":"{\"kty\":\"OKP\"}"}`, string(out))

	// Unknown enum values and a missing key decode fine.
	require.NoError(t, json.Unmarshal([]byte(`{"id":"c2","state":"FROZEN","csr_type":"X509"}`), &cred))
	assert.Equal(t, CredentialState("FROZEN"), cred.State)
	assert.Equal(t, CSRType("X509"), cred.CSRType)

	// jwk_json as an object is not what the API sends: it is an error, not
	// a silently empty key.
	assert.Error(t, json.Unmarshal([]byte(`{"id":"c3","jwk_json":{"kty":"EC"}}`), &Credential{}))
}
