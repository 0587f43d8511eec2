package beyondidentity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

const identitiesPath = testRealmPath + "/identities"

// identityFixture is an identity answer of the documented shape, written for
// these tests.
func identityFixture(id, username string) string {
	return fmt.Sprintf(`{
		"id": %q, "realm_id": %q, "tenant_id": %q,
		"display_name": "User %s",
		"create_time": "2024-03-01T10:20:30.123Z",
		"update_time": "2024-03-02T11:21:31.456789Z",
		"status": "active",
		"enrollment_status": "PENDING",
		"traits": {"type": "traits_v0", "username": %q, "primary_email_address": "%s@example.org"}
	}`, id, testRealm, testTenant, username, username, username)
}

func TestIdentitiesCreateRequestShape(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, identitiesPath).
		AddMatcher(matchQuery(t, nil)).
		AddMatcher(matchJSONBody(t, `{"identity": {
			"display_name": "Ada Lovelace",
			"traits": {"type": "traits_v0", "username": "ada", "primary_email_address": "ada@example.org"}
		}}`)).
		Reply(200).BodyString(identityFixture("a1b2c3d4e5f60718", "ada"))

	id, err := c.Identities.Create(context.Background(), &CreateIdentityRequest{
		DisplayName: "Ada Lovelace",
		Traits:      Traits{Username: "ada", PrimaryEmailAddress: "ada@example.org"},
	})
	require.NoError(t, err)
	assert.Equal(t, "a1b2c3d4e5f60718", id.ID)
	assert.Equal(t, "ada", id.Traits.Username)
	assert.Equal(t, IdentityStatusActive, id.Status)
}

func TestIdentitiesCreateSendsStatusOptionalTraitsAndExtra(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, identitiesPath).
		AddMatcher(matchJSONBody(t, `{"identity": {
			"display_name": "Grace",
			"status": "suspended",
			"traits": {"type": "traits_v0", "username": "grace", "given_name": "Grace",
			           "family_name": "Hopper", "external_id": "emp-42",
			           "x_custom": {"level": 3}}
		}}`)).
		Reply(200).BodyString(identityFixture("0000000000000001", "grace"))

	_, err := c.Identities.Create(context.Background(), &CreateIdentityRequest{
		DisplayName: "Grace",
		Status:      IdentityStatusSuspended,
		Traits: Traits{Username: "grace", GivenName: "Grace", FamilyName: "Hopper", ExternalID: "emp-42",
			Extra: map[string]json.RawMessage{"x_custom": json.RawMessage(`{"level": 3}`)}},
	})
	require.NoError(t, err)
}

func TestIdentitiesCreateConflict(t *testing.T) {
	// Retries on: a 409 must come back at once, and a create is sent once.
	c := newGockClient(t, WithRetryPolicy(RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	apiMock(http.MethodPost, identitiesPath).
		Reply(409).JSON(map[string]any{"code": "conflict", "message": "username already exists"})

	_, err := c.Identities.Create(context.Background(), &CreateIdentityRequest{
		DisplayName: "Ada", Traits: Traits{Username: "ADA"}})
	require.ErrorIs(t, err, ErrConflict)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "conflict", ae.Code)
	assert.Equal(t, 1, ae.Attempts)
}

func TestIdentitiesGetRequestShapeAndDecoding(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath+"/e0e1e2e3e4e5e6e7").
		AddMatcher(matchNoBody).
		AddMatcher(matchQuery(t, nil)).
		Reply(200).BodyString(identityFixture("e0e1e2e3e4e5e6e7", "ada"))

	id, err := c.Identities.Get(context.Background(), "e0e1e2e3e4e5e6e7")
	require.NoError(t, err)
	assert.Equal(t, &Identity{
		ID: "e0e1e2e3e4e5e6e7", RealmID: testRealm, TenantID: testTenant,
		DisplayName:      "User ada",
		Status:           IdentityStatusActive,
		EnrollmentStatus: EnrollmentStatusPending,
		Traits:           Traits{Username: "ada", PrimaryEmailAddress: "ada@example.org"},
		CreateTime:       time.Date(2024, 3, 1, 10, 20, 30, 123_000_000, time.UTC),
		UpdateTime:       time.Date(2024, 3, 2, 11, 21, 31, 456_789_000, time.UTC),
	}, id)
}

func TestIdentitiesGetEscapesID(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath+"/a%3AbatchDelete%3F").Reply(200).BodyString(`{"id":"x"}`)
	_, err := c.Identities.Get(context.Background(), "a:batchDelete?")
	require.NoError(t, err)
}

func TestIdentitiesGetNotFoundCarriesResourceInfo(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath+"/0123456789abcdef").
		Reply(404).BodyString(`{"code": "not_found", "message": "identity not found",
			"details": [{"type": "ResourceInfo", "resource_type": "Identity", "id": "0123456789abcdef",
			             "description": "no such identity"}]}`)

	id, err := c.Identities.Get(context.Background(), "0123456789abcdef")
	assert.Nil(t, id)
	require.ErrorIs(t, err, ErrNotFound)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	ri := ae.ResourceInfo()
	require.NotNil(t, ri)
	assert.Equal(t, "Identity", ri.ResourceType)
	assert.Equal(t, "0123456789abcdef", ri.ResourceID)
	assert.Equal(t, "no such identity", ri.Description)
}

func TestIdentityDecoding(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Identity
	}{{
		name: "three fractional digits",
		body: `{"id": "i1", "create_time": "2022-04-12T05:53:07.119Z", "update_time": "2022-04-12T05:53:07.000Z"}`,
		want: Identity{ID: "i1",
			CreateTime: time.Date(2022, 4, 12, 5, 53, 7, 119_000_000, time.UTC),
			UpdateTime: time.Date(2022, 4, 12, 5, 53, 7, 0, time.UTC)},
	}, {
		name: "six fractional digits and an offset",
		body: `{"id": "i1", "create_time": "2023-11-05T23:59:59.999999Z", "update_time": "2023-11-06T01:00:00.000001+01:00"}`,
		want: Identity{ID: "i1",
			CreateTime: time.Date(2023, 11, 5, 23, 59, 59, 999_999_000, time.UTC),
			UpdateTime: time.Date(2023, 11, 6, 0, 0, 0, 1_000, time.UTC)},
	}, {
		name: "optional fields absent",
		body: `{"id": "i2", "traits": {"type": "traits_v0", "username": "bob"}}`,
		want: Identity{ID: "i2", Traits: Traits{Username: "bob"}},
	}, {
		name: "traits null",
		body: `{"id": "i2", "traits": null, "enrollment_status": null}`,
		want: Identity{ID: "i2"},
	}, {
		name: "unknown status values",
		body: `{"id": "i3", "status": "deactivated", "enrollment_status": "LOCKED_OUT"}`,
		want: Identity{ID: "i3", Status: "deactivated", EnrollmentStatus: "LOCKED_OUT"},
	}, {
		name: "unknown fields and traits",
		body: `{"id": "i4", "future_field": {"a": [1, 2]}, "labels": ["x"],
		        "traits": {"type": "traits_v0", "username": "cy", "given_name": "Cy",
		                   "shoe_size": 44, "nested": {"k": "v"}, "note": "hello"}}`,
		want: Identity{ID: "i4", Traits: Traits{Username: "cy", GivenName: "Cy", Extra: map[string]json.RawMessage{
			"shoe_size": json.RawMessage(`44`),
			"nested":    json.RawMessage(`{"k": "v"}`),
			"note":      json.RawMessage(`"hello"`),
		}}},
	}, {
		name: "every known trait",
		body: `{"id": "i5", "traits": ` + everyTraitJSON + `}`,
		want: Identity{ID: "i5", Traits: everyTrait()},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Identity
			require.NoError(t, json.Unmarshal([]byte(tt.body), &got))
			assert.True(t, tt.want.CreateTime.Equal(got.CreateTime), "create_time %v", got.CreateTime)
			assert.True(t, tt.want.UpdateTime.Equal(got.UpdateTime), "update_time %v", got.UpdateTime)
			got.CreateTime, got.UpdateTime = tt.want.CreateTime, tt.want.UpdateTime
			assert.Equal(t, tt.want, got)
		})
	}
}

// everyTraitJSON sets every known trait to a value derived from its name.
var everyTraitJSON = func() string {
	m := map[string]string{"type": "traits_v0"}
	for _, k := range traitFields.names {
		m[k] = "v-" + k
	}
	b, _ := json.Marshal(m)
	return string(b)
}()

func TestIdentitiesUpdateSendsOnlySetFields(t *testing.T) {
	tests := []struct {
		name string
		req  *UpdateIdentityRequest
		body string
	}{
		{"display name only", &UpdateIdentityRequest{DisplayName: Ptr("Ada L.")},
			`{"identity": {"display_name": "Ada L."}}`},
		{"status only", &UpdateIdentityRequest{Status: Ptr(IdentityStatusSuspended)},
			`{"identity": {"status": "suspended"}}`},
		{"one trait keeps type", &UpdateIdentityRequest{Traits: &TraitsUpdate{GivenName: Ptr("Ada")}},
			`{"identity": {"traits": {"type": "traits_v0", "given_name": "Ada"}}}`},
		{"clearing a trait sends empty string", &UpdateIdentityRequest{Traits: &TraitsUpdate{MiddleName: Ptr("")}},
			`{"identity": {"traits": {"type": "traits_v0", "middle_name": ""}}}`},
		{"display name and email", &UpdateIdentityRequest{DisplayName: Ptr("Ada"),
			Traits: &TraitsUpdate{PrimaryEmailAddress: Ptr("ada@example.net")}},
			`{"identity": {"display_name": "Ada", "traits": {"type": "traits_v0", "primary_email_address": "ada@example.net"}}}`},
		{"unknown trait", &UpdateIdentityRequest{Traits: &TraitsUpdate{
			Extra: map[string]json.RawMessage{"team": json.RawMessage(`"blue"`)}}},
			`{"identity": {"traits": {"type": "traits_v0", "team": "blue"}}}`},
		{"nothing", &UpdateIdentityRequest{}, `{"identity": {}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newGockClient(t)
			apiMock(http.MethodPatch, identitiesPath+"/e0e1e2e3e4e5e6e7").
				AddMatcher(matchQuery(t, nil)).
				AddMatcher(matchJSONBody(t, tt.body)).
				Reply(200).BodyString(identityFixture("e0e1e2e3e4e5e6e7", "ada"))
			id, err := c.Identities.Update(context.Background(), "e0e1e2e3e4e5e6e7", tt.req)
			require.NoError(t, err)
			assert.Equal(t, "e0e1e2e3e4e5e6e7", id.ID)
		})
	}
}

// The unknown traits of a fetched identity survive a Get → edit → Update:
// an edit of known traits sends only those (the server keeps the rest), an
// edit of an unknown trait sends its JSON as is, and writing the whole
// traits again (a copy to another realm) carries every unknown trait.
func TestIdentitiesUnknownTraitsSurviveGetUpdate(t *testing.T) {
	const id = "f0f1f2f3f4f5f6f7"
	fetched := `{"id": "` + id + `", "display_name": "Dee",
		"traits": {"type": "traits_v0", "username": "dee", "given_name": "Dee",
		           "loyalty": {"tier": "gold", "since": 2019}, "badge": 12345678901234567890}}`
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath+"/"+id).Reply(200).BodyString(fetched)
	apiMock(http.MethodPatch, identitiesPath+"/"+id).
		AddMatcher(matchJSONBody(t, `{"identity": {"traits": {"type": "traits_v0", "given_name": "Deborah", "middle_name": ""}}}`)).
		Reply(200).BodyString(fetched)
	apiMock(http.MethodPatch, identitiesPath+"/"+id).
		AddMatcher(exactTraitJSON(t, "loyalty", `{"tier":"platinum","since":2019}`)).
		AddMatcher(matchJSONBody(t, `{"identity": {"traits": {"type": "traits_v0", "loyalty": {"tier": "platinum", "since": 2019}}}}`)).
		Reply(200).BodyString(fetched)
	other := c.InRealm("otherrealm000001")
	gock.New(testAPIBase).
		AddMatcher(matchMethodAndEscapedPath(http.MethodPost, "/v1/tenants/"+testTenant+"/realms/otherrealm000001/identities")).
		AddMatcher(exactTraitJSON(t, "badge", `12345678901234567890`)).
		AddMatcher(matchJSONBody(t, `{"identity": {"display_name": "Dee", "traits": {"type": "traits_v0",
			"username": "dee", "given_name": "Dee", "loyalty": {"tier": "gold", "since": 2019}, "badge": 12345678901234567890}}}`)).
		Reply(200).BodyString(fetched)

	ctx := context.Background()
	got, err := c.Identities.Get(ctx, id)
	require.NoError(t, err)
	require.Len(t, got.Traits.Extra, 2)

	edited := got.Traits
	edited.GivenName = "Deborah"
	edited.MiddleName = "" // unchanged: it was empty
	assert.Nil(t, got.Traits.ChangesFrom(got.Traits), "no change, no update")
	upd := edited.ChangesFrom(got.Traits)
	upd.MiddleName = Ptr("") // an explicit clear is sent
	_, err = c.Identities.Update(ctx, id, &UpdateIdentityRequest{Traits: upd})
	require.NoError(t, err)

	edited = got.Traits
	edited.Extra = map[string]json.RawMessage{
		"loyalty": json.RawMessage(`{"tier":"platinum","since":2019}`),
		"badge":   got.Traits.Extra["badge"],
	}
	_, err = c.Identities.Update(ctx, id, &UpdateIdentityRequest{Traits: edited.ChangesFrom(got.Traits)})
	require.NoError(t, err)

	_, err = other.Identities.Create(ctx, &CreateIdentityRequest{DisplayName: got.DisplayName, Traits: got.Traits})
	require.NoError(t, err)
}

// exactTraitJSON matches a request whose identity.traits[key] is exactly raw
// on the wire (decoded-value comparison would hide precision loss).
func exactTraitJSON(t *testing.T, key, raw string) gock.MatchFunc {
	return func(r *http.Request, _ *gock.Request) (bool, error) {
		var body struct {
			Identity struct {
				Traits map[string]json.RawMessage `json:"traits"`
			} `json:"identity"`
		}
		if err := json.Unmarshal(readAndRestore(r), &body); err != nil {
			return false, nil
		}
		if got := string(body.Identity.Traits[key]); got != raw {
			t.Logf("exactTraitJSON: %s is %s, want %s", key, got, raw)
			return false, nil
		}
		return true, nil
	}
}

func TestIdentitiesDelete(t *testing.T) {
	for _, reply := range []struct {
		status int
		body   string
	}{{200, ""}, {200, "{}"}, {204, ""}} {
		t.Run(fmt.Sprintf("%d %q", reply.status, reply.body), func(t *testing.T) {
			c := newGockClient(t)
			apiMock(http.MethodDelete, identitiesPath+"/e0e1e2e3e4e5e6e7").
				AddMatcher(matchNoBody).
				AddMatcher(matchQuery(t, nil)).
				Reply(reply.status).BodyString(reply.body)
			require.NoError(t, c.Identities.Delete(context.Background(), "e0e1e2e3e4e5e6e7"))
		})
	}
}

func TestIdentitiesBatchDelete(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, identitiesPath+":batchDelete").
		AddMatcher(matchQuery(t, nil)).
		AddMatcher(matchJSONBody(t, `{"ids": ["e0e1e2e3e4e5e6e7", "0123456789abcdef"]}`)).
		Reply(200)
	require.NoError(t, c.Identities.BatchDelete(context.Background(), []string{"e0e1e2e3e4e5e6e7", "0123456789abcdef"}))
}

func TestIdentitiesBatchDeleteThousandIDs(t *testing.T) {
	ids := make([]string, maxBatchDeleteIdentity)
	for i := range ids {
		ids[i] = fmt.Sprintf("%016x", i)
	}
	want, _ := json.Marshal(map[string]any{"ids": ids})
	c := newGockClient(t)
	apiMock(http.MethodPost, identitiesPath+":batchDelete").
		AddMatcher(matchJSONBody(t, string(want))).
		Reply(200)
	require.NoError(t, c.Identities.BatchDelete(context.Background(), ids))
}

func TestIdentitiesBatchDeleteNotFound(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodPost, identitiesPath+":batchDelete").
		Reply(404).BodyString(`{"code": "not_found", "message": "identities not found", "details": [
			{"type": "BatchOperationErrors", "errors": [
				{"Description": "identities not found", "IDs": ["aaaaaaaaaaaaaaaa"], "ResourceType": "Identity"}]}]}`)
	err := c.Identities.BatchDelete(context.Background(), []string{"aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"})
	require.ErrorIs(t, err, ErrNotFound)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	require.Len(t, ae.Details, 1)
	require.Len(t, ae.Details[0].BatchErrors, 1)
	assert.Equal(t, []string{"aaaaaaaaaaaaaaaa"}, ae.Details[0].BatchErrors[0].IDs)
}

func TestIdentitiesListRequestShape(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath).
		AddMatcher(matchNoBody).
		AddMatcher(matchQuery(t, map[string][]string{
			"page_size": {"200"}, "skip": {"5"}, "page_token": {"tok-a"}, "filter": {`traits.username eq "ada"`},
		})).
		Reply(200).BodyString(`{"identities": [` + identityFixture("i1", "ada") + `], "total_size": 1234, "next_page_token": "tok-b"}`)

	page, err := c.Identities.List(context.Background(), &ListOptions{PageSize: 200, Skip: 5, PageToken: "tok-a", Filter: `traits.username eq "ada"`})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, "i1", page.Items[0].ID)
	assert.Equal(t, 1234, page.TotalSize)
	assert.Equal(t, "tok-b", page.NextPageToken)
}

func TestIdentitiesListWithoutOptionsSendsNoQuery(t *testing.T) {
	for _, opts := range []*ListOptions{nil, {}} {
		c := newGockClient(t)
		apiMock(http.MethodGet, identitiesPath).
			AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) { return r.URL.RawQuery == "", nil }).
			Reply(200).BodyString(`{"identities": [], "total_size": 0}`)
		page, err := c.Identities.List(context.Background(), opts)
		require.NoError(t, err)
		assert.Empty(t, page.Items)
		assert.Empty(t, page.NextPageToken)
		gock.OffAll()
	}
}

func TestIdentitiesFindByUsername(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath).
		AddMatcher(matchQuery(t, map[string][]string{"filter": {`traits.username eq "ada"`}})).
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			// Spaces as %20 and quotes escaped, the form the API documents.
			return r.URL.RawQuery == "filter=traits.username%20eq%20%22ada%22", nil
		}).
		Reply(200).BodyString(`{"identities": [` + identityFixture("i1", "ada") + `], "total_size": 1}`)

	id, err := c.Identities.FindByUsername(context.Background(), "ada")
	require.NoError(t, err)
	assert.Equal(t, "i1", id.ID)
}

func TestIdentitiesFindByUsernameQuotesAndEscapes(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath).
		AddMatcher(matchQuery(t, map[string][]string{"filter": {`traits.username eq "o\"neil or x eq \"y"`}})).
		Reply(200).BodyString(`{"identities": [{"id": "i9", "traits": {"type": "traits_v0", "username": "o\"neil or x eq \"y"}}], "total_size": 1}`)

	id, err := c.Identities.FindByUsername(context.Background(), `o"neil or x eq "y`)
	require.NoError(t, err)
	assert.Equal(t, "i9", id.ID)
}

func TestSCIMStringEscaping(t *testing.T) {
	for in, want := range map[string]string{
		`ada`:       `"ada"`,
		`a"b`:       `"a\"b"`,
		`a\b`:       `"a\\b"`,
		`\"`:        `"\\\""`,
		"tab\there": `"tab\u0009here"`,
		"é ü":       `"é ü"`,
		``:          `""`,
	} {
		assert.Equal(t, want, scimString(in), in)
		// A SCIM filter string is a JSON string: it must decode back.
		var back string
		require.NoError(t, json.Unmarshal([]byte(scimString(in)), &back))
		assert.Equal(t, in, back)
	}
	assert.Equal(t, `traits.username eq "x\"y"`, usernameFilter(`x"y`))
}

func TestIdentitiesFindByUsernameNotFound(t *testing.T) {
	tests := []struct{ name, body string }{
		{"empty list", `{"identities": [], "total_size": 0}`},
		{"no identities key", `{"total_size": 0}`},
		// A server that ignored the filter must not make us return someone else.
		{"other identities", `{"identities": [` + identityFixture("i1", "bob") + `,` + identityFixture("i2", "adam") + `], "total_size": 2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newGockClient(t)
			apiMock(http.MethodGet, identitiesPath).Reply(200).BodyString(tt.body)
			id, err := c.Identities.FindByUsername(context.Background(), "ada")
			assert.Nil(t, id)
			require.ErrorIs(t, err, ErrNotFound)
			assert.Contains(t, err.Error(), `"ada"`)
			var ae *APIError
			assert.False(t, errors.As(err, &ae), "not an API error: the server answered 200")
		})
	}
}

func TestIdentitiesFindByUsernameIsCaseInsensitiveAndPrefersExact(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath).
		Reply(200).BodyString(`{"identities": [` + identityFixture("i1", "ADA") + `], "total_size": 1}`)
	id, err := c.Identities.FindByUsername(context.Background(), "ada")
	require.NoError(t, err)
	assert.Equal(t, "i1", id.ID)

	apiMock(http.MethodGet, identitiesPath).
		Reply(200).BodyString(`{"identities": [` + identityFixture("i1", "Ada") + `,` + identityFixture("i2", "ada") + `], "total_size": 2}`)
	id, err = c.Identities.FindByUsername(context.Background(), "ada")
	require.NoError(t, err)
	assert.Equal(t, "i2", id.ID)

	// A null item is a broken answer, not an identity to skip.
	apiMock(http.MethodGet, identitiesPath).
		Reply(200).BodyString(`{"identities": [null, ` + identityFixture("i2", "ada") + `], "total_size": 2}`)
	_, err = c.Identities.FindByUsername(context.Background(), "ada")
	require.ErrorContains(t, err, "item 0 of the page is null")
}

func TestIdentitiesFindByUsernameAPIErrorPassesThrough(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath).Reply(403).BodyString(`{"code":"forbidden","message":"missing scope"}`)
	_, err := c.Identities.FindByUsername(context.Background(), "ada")
	require.ErrorIs(t, err, ErrForbidden)
	assert.NotErrorIs(t, err, ErrNotFound)
}

func TestIdentitiesValidationBeforeIO(t *testing.T) {
	// newGockClient fails the test on any request: nothing below may send one.
	c := newGockClient(t)
	ctx := context.Background()
	long := strings.Repeat("é", 65)
	ok := &CreateIdentityRequest{DisplayName: "Ada", Traits: Traits{Username: "ada"}}
	withCreate := func(f func(r *CreateIdentityRequest)) func() error {
		return func() error {
			r := *ok
			f(&r)
			_, err := c.Identities.Create(ctx, &r)
			return err
		}
	}
	update := func(r *UpdateIdentityRequest) func() error {
		return func() error { _, err := c.Identities.Update(ctx, "i1", r); return err }
	}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"create nil", func() error { _, err := c.Identities.Create(ctx, nil); return err }, "req"},
		{"create no display name", withCreate(func(r *CreateIdentityRequest) { r.DisplayName = "" }), "DisplayName"},
		{"create long display name", withCreate(func(r *CreateIdentityRequest) { r.DisplayName = long }), "DisplayName"},
		{"create display name with ';'", withCreate(func(r *CreateIdentityRequest) { r.DisplayName = "a;b" }), "DisplayName"},
		{"create bad utf-8", withCreate(func(r *CreateIdentityRequest) { r.DisplayName = "a\xffb" }), "DisplayName"},
		{"create no username", withCreate(func(r *CreateIdentityRequest) { r.Traits.Username = "" }), "Traits.Username"},
		{"create long username", withCreate(func(r *CreateIdentityRequest) { r.Traits.Username = long }), "Traits.Username"},
		{"create username with '/'", withCreate(func(r *CreateIdentityRequest) { r.Traits.Username = "a/b" }), "Traits.Username"},
		{"create blank status", withCreate(func(r *CreateIdentityRequest) { r.Status = " " }), "Status"},
		{"create extra shadows known trait", withCreate(func(r *CreateIdentityRequest) {
			r.Traits.Extra = map[string]json.RawMessage{"username": json.RawMessage(`"evil/name"`)}
		}), `Traits.Extra["username"]`},
		{"create extra sets type", withCreate(func(r *CreateIdentityRequest) {
			r.Traits.Extra = map[string]json.RawMessage{"type": json.RawMessage(`"traits_v1"`)}
		}), `Traits.Extra["type"]`},
		{"create extra not JSON", withCreate(func(r *CreateIdentityRequest) {
			r.Traits.Extra = map[string]json.RawMessage{"x": json.RawMessage(`{`)}
		}), `Traits.Extra["x"]`},
		{"get empty id", func() error { _, err := c.Identities.Get(ctx, ""); return err }, "identityID"},
		{"get blank id", func() error { _, err := c.Identities.Get(ctx, "  "); return err }, "identityID"},
		{"get dot-dot id", func() error { _, err := c.Identities.Get(ctx, ".."); return err }, "identityID"},
		{"get id with slash", func() error { _, err := c.Identities.Get(ctx, "a/b"); return err }, "identityID"},
		{"update empty id", func() error { _, err := c.Identities.Update(ctx, "", &UpdateIdentityRequest{}); return err }, "identityID"},
		{"update nil", update(nil), "req"},
		{"update empty display name", update(&UpdateIdentityRequest{DisplayName: Ptr("")}), "DisplayName"},
		{"update display name with '!'", update(&UpdateIdentityRequest{DisplayName: Ptr("hi!")}), "DisplayName"},
		{"update empty status", update(&UpdateIdentityRequest{Status: Ptr(IdentityStatus(""))}), "Status"},
		{"update empty username", update(&UpdateIdentityRequest{Traits: &TraitsUpdate{Username: Ptr("")}}), "Traits.Username"},
		{"update extra shadows known trait", update(&UpdateIdentityRequest{Traits: &TraitsUpdate{
			Extra: map[string]json.RawMessage{"given_name": json.RawMessage(`"x"`)}}}), `Traits.Extra["given_name"]`},
		{"delete empty id", func() error { return c.Identities.Delete(ctx, "") }, "identityID"},
		{"delete dot id", func() error { return c.Identities.Delete(ctx, ".") }, "identityID"},
		{"list negative page size", func() error { _, err := c.Identities.List(ctx, &ListOptions{PageSize: -1}); return err }, "PageSize"},
		{"list page size 201", func() error { _, err := c.Identities.List(ctx, &ListOptions{PageSize: 201}); return err }, "PageSize"},
		{"list negative skip", func() error { _, err := c.Identities.List(ctx, &ListOptions{Skip: -1}); return err }, "Skip"},
		{"find empty username", func() error { _, err := c.Identities.FindByUsername(ctx, ""); return err }, "username"},
		{"find long username", func() error { _, err := c.Identities.FindByUsername(ctx, long); return err }, "username"},
		{"find username with backslash", func() error { _, err := c.Identities.FindByUsername(ctx, `a\b`); return err }, "username"},
		{"batch none", func() error { return c.Identities.BatchDelete(ctx, nil) }, "identityIDs"},
		{"batch 1001", func() error { return c.Identities.BatchDelete(ctx, make([]string, 1001)) }, "identityIDs"},
		{"batch empty id", func() error { return c.Identities.BatchDelete(ctx, []string{"a", ""}) }, "identityIDs[1]"},
		{"batch duplicate", func() error { return c.Identities.BatchDelete(ctx, []string{"a", "b", "a"}) }, "identityIDs[2]"},
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
}

func TestIdentitiesAllValidationIsYieldedWithoutIO(t *testing.T) {
	c := newGockClient(t)
	n := 0
	for id, err := range c.Identities.All(context.Background(), &ListOptions{PageSize: 500}) {
		n++
		assert.Nil(t, id)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "PageSize", ve.Field)
	}
	assert.Equal(t, 1, n)
}

func TestCheckIdentityName(t *testing.T) {
	assert.NoError(t, checkDisplayName("f", strings.Repeat("é", 64)), "64 characters (128 bytes) are allowed")
	assert.NoError(t, checkDisplayName("f", `Ada "the Countess" Lovelace (1815) & co., +@'.-_`))
	for _, r := range nameForbidden {
		err := checkDisplayName("f", "a"+string(r)+"b")
		require.Error(t, err, "%q", r)
		assert.Contains(t, err.Error(), fmt.Sprintf("%q", r))
	}
}

func TestIdentitiesNoRealmFailsBeforeIO(t *testing.T) {
	c := newGockClient(t)
	c = c.InRealm("")
	_, err := c.Identities.Get(context.Background(), "i1")
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "realm", ve.Field)
}

// A create is sent once even when the answer is a retryable 503 (the server
// may have made the identity); reads, updates and deletes are retried.
func TestIdentitiesRetryOnlyWhereSafe(t *testing.T) {
	type result struct {
		calls int
		err   error
	}
	run := func(t *testing.T, call func(c *Client) error) result {
		var r result
		synctest.Test(t, func(t *testing.T) {
			var calls atomic.Int32
			c := newMemClient(t, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				if calls.Add(1) == 1 {
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				body := identityFixture("e0e1e2e3e4e5e6e7", "ada")
				if req.Method == http.MethodGet && strings.HasSuffix(req.URL.Path, "/identities") {
					body = `{"identities": [` + body + `], "total_size": 1}`
				}
				_, _ = io.WriteString(w, body)
			}))
			r.err = call(c)
			r.calls = int(calls.Load())
		})
		return r
	}
	ctx := context.Background()
	r := run(t, func(c *Client) error {
		_, err := c.Identities.Create(ctx, &CreateIdentityRequest{DisplayName: "Ada", Traits: Traits{Username: "ada"}})
		return err
	})
	assert.Equal(t, 1, r.calls, "create")
	var ae *APIError
	require.ErrorAs(t, r.err, &ae)
	assert.Equal(t, http.StatusServiceUnavailable, ae.StatusCode)

	for name, call := range map[string]func(c *Client) error{
		"get": func(c *Client) error { _, err := c.Identities.Get(ctx, "e0e1e2e3e4e5e6e7"); return err },
		"update": func(c *Client) error {
			_, err := c.Identities.Update(ctx, "e0e1e2e3e4e5e6e7", &UpdateIdentityRequest{DisplayName: Ptr("A")})
			return err
		},
		"delete":       func(c *Client) error { return c.Identities.Delete(ctx, "e0e1e2e3e4e5e6e7") },
		"batch delete": func(c *Client) error { return c.Identities.BatchDelete(ctx, []string{"e0e1e2e3e4e5e6e7"}) },
		"find":         func(c *Client) error { _, err := c.Identities.FindByUsername(ctx, "ada"); return err },
	} {
		r := run(t, call)
		assert.Equal(t, 2, r.calls, name)
		assert.NoError(t, r.err, name)
	}
}

// The username is personal data: FindByUsername's filter is in the query
// string, which the logs leave out.
func TestIdentitiesFindByUsernameDoesNotLogTheUsername(t *testing.T) {
	logger, buf := newDebugLogger()
	c := newGockClient(t, WithLogger(logger))
	apiMock(http.MethodGet, identitiesPath).Reply(200).BodyString(`{"identities": [], "total_size": 0}`)
	_, err := c.Identities.FindByUsername(context.Background(), "ada.secret-name")
	require.ErrorIs(t, err, ErrNotFound)
	require.Contains(t, buf.String(), "/identities", "the call is logged")
	assert.NotContains(t, buf.String(), "secret-name")
}
