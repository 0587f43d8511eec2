package beyondidentity

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// scimOf returns the SCIM service of c.
func scimOf(c *Client) *SCIMService { return newSCIMService(c) }

const (
	scimPath      = testRealmPath + "/scim/v2"
	scimUserID    = "2819c223-7f76-453a-919d-413861904646"
	scimGroupID   = "22e7c78c-39ff-4501-8ed4-32d0479e54c1"
	scimAcceptHdr = `^application/scim\+json, application/json$`
)

// The spec's own examples, as JSON.
const (
	// SCIMCreateUser, response 201 "Success" (also the answer of
	// SCIMUpdateUser and SCIMReplaceUser). Its defects are kept: two URNs
	// in one string of "schemas", "name" and "manager" as arrays.
	specSCIMUser = `{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"], "id": "2819c223-7f76-453a-919d-413861904646", "externalId": "bjensen", "userName": "bjensen", "displayName": "Ms. Barbara J Jensen III", "name": [{"familyName": "Jensen"}, {"givenName": "Barbara"}], "active": true, "emails": [{"primary": true, "value": "bjensen@example.com"}], "meta": {"resourceType": "User", "created": "2022-10-12T05:11:47Z", "lastModified": "2023-03-30T06:00:03Z", "location": "Users/2819c223-7f76-453a-919d-413861904646", "version": "W/0"}, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "12345", "costCenter": "Finance", "department": "Accounting", "manager": [{"value": "54321", "displayName": "Jane Doe"}]}}`
	// SCIMCreateUser, request "Create User".
	specSCIMCreateUserRequest = `{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "active": true, "userName": "bjensen", "displayName": "Ms. Barbara Jensen", "externalId": "bjensen", "name": {"familyName": "Jensen", "givenName": "Barbara"}, "emails": [{"value": "bjensen@example.com", "primary": true}]}`
	// SCIMReplaceUser, request "Replace User".
	specSCIMReplaceUserRequest = `{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "active": true, "userName": "bjensen", "externalId": "bjensen", "displayName": "Ms. Barbara J Jensen III", "name": {"familyName": "Jensen", "givenName": "Barbara"}, "emails": [{"value": "bjensen@example.com", "primary": true}]}`
	// SCIMListUsers, response 200 "Success".
	specSCIMListUsers = `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": [` + specSCIMUser + `], "itemsPerPage": 1000, "startIndex": 1, "totalResults": 1}`
	// SCIMCreateGroup, response 201 "Success" (also SCIMUpdateGroup's).
	specSCIMGroup = `{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "22e7c78c-39ff-4501-8ed4-32d0479e54c1", "displayName": "Test Group", "meta": {"created": "2023-04-10T06:08:28Z", "lastModified": "2023-04-10T06:08:28Z", "location": "Groups/22e7c78c-39ff-4501-8ed4-32d0479e54c1", "resourceType": "Group", "version": "W/0"}}`
	// SCIMListGroups, response 200 "Success".
	specSCIMListGroups = `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": [` + specSCIMGroup + `], "itemsPerPage": 1000, "startIndex": 1, "totalResults": 1}`
	// ListResourceTypes, response 200 "Success".
	specSCIMResourceTypes = `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": [{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "User", "name": "User", "description": "User Account", "endpoint": "/Users", "schema": "urn:ietf:params:scim:schemas:core:2.0:User", "schemaExtensions": []}, {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "Group", "name": "Group", "description": "User Groups", "endpoint": "/Groups", "schema": "urn:ietf:params:scim:schemas:core:2.0:Group", "schemaExtensions": [{"required": false, "schema": "urn:scim:schemas:extension:byndid:1.0:Group"}]}], "itemsPerPage": 1000, "startIndex": 1, "totalResults": 2}`
	// ListSchemas, response 200 "Success" (the Group schema shortened to
	// its members attribute, whose "$ref" sub-attribute the spec names "").
	specSCIMSchemas = `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": [{"id": "urn:ietf:params:scim:schemas:core:2.0:User", "name": "User", "description": "User resource", "attributes": [{"name": "externalId", "type": "string", "description": "A String that is an identifier for the resource as defined by the provisioning client.\n", "caseExact": true, "multiValued": false, "mutability": "readWrite", "required": true, "returned": "always", "uniqueness": "server"}, {"name": "name", "type": "complex", "description": "The components of the user's real name.", "multiValued": false, "mutability": "readWrite", "required": false, "returned": "request", "subAttributes": [{"name": "familyName", "type": "string", "description": "The family name of the User.\n", "caseExact": true, "multiValued": false, "mutability": "readWrite", "required": true, "returned": "request", "uniqueness": "none"}]}]}, {"id": "urn:ietf:params:scim:schemas:core:2.0:Group", "name": "Group", "description": "Group resource", "attributes": [{"name": "members", "type": "complex", "description": "A list of members of the group.", "multiValued": true, "mutability": "readWrite", "required": false, "returned": "default", "subAttributes": [{"name": "", "type": "reference", "description": "The URI corresponding to a SCIM resource that is a member of this Group.\n", "caseExact": true, "multiValued": false, "mutability": "immutable", "referenceTypes": ["User"], "required": false, "returned": "default", "uniqueness": "none"}, {"name": "type", "type": "string", "description": "A label indicating the type of resource", "canonicalValues": ["User", "Group"], "caseExact": false, "multiValued": false, "mutability": "immutable", "required": false, "returned": "default", "uniqueness": "none"}]}]}], "itemsPerPage": 1000, "startIndex": 1, "totalResults": 2}`
	// GetServiceProviderConfig, response 200 (the spec names it "Internal
	// Error").
	specSCIMServiceProviderConfig = `{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"], "authenticationSchemes": [{"name": "", "description": "", "documentationUri": "", "primary": false, "specUri": "", "type": "oauthbearertoken"}], "bulk": {"maxOperations": 1000, "maxPayloadSize": 1048576, "supported": false}, "changePassword": {"supported": false}, "documentationUri": "", "etag": {"supported": false}, "filter": {"maxResults": 1000, "supported": true}, "patch": {"supported": true}, "sort": {"supported": false}}`
	// The SCIM error examples.
	specSCIMError400 = `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "400", "scimType": "invalidValue", "detail": "A required value was missing, or the value specified was not compatible with the operation or attribute type, or resource schema."}`
	specSCIMError401 = `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "401", "detail": "The authorization header is invalid or missing.", "scimType": "unauthorized"}`
	specSCIMError403 = `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "403", "detail": "token is unauthorized.", "scimType": "forbidden"}`
	specSCIMError404 = `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "404", "detail": "Resource 2819c223-7f76-453a-919d-413861904646 not found."}`
	specSCIMError500 = `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "500"}`
)

// scimMock is apiMock for a SCIM call: it also requires the SCIM Accept
// header.
func scimMock(method, escapedPath string) *gock.Request {
	return apiMock(method, escapedPath).MatchHeader("Accept", scimAcceptHdr)
}

// matchRawQuery matches the query exactly as sent on the wire.
func matchRawQuery(t *testing.T, want string) gock.MatchFunc {
	return func(r *http.Request, _ *gock.Request) (bool, error) {
		if r.URL.RawQuery != want {
			t.Logf("matchRawQuery: got %q want %q", r.URL.RawQuery, want)
			return false, nil
		}
		return true, nil
	}
}

func replySCIM(r *gock.Request, status int, body string) {
	r.Reply(status).SetHeader("Content-Type", "application/scim+json").BodyString(body)
}

func TestSCIMUsersRequestShapes(t *testing.T) {
	c := newGockClient(t)
	s := scimOf(c)
	replySCIM(scimMock(http.MethodPost, scimPath+"/Users").AddMatcher(matchQuery(t, nil)).
		AddMatcher(matchJSONBody(t, specSCIMCreateUserRequest)), 201, specSCIMUser)
	replySCIM(scimMock(http.MethodGet, scimPath+"/Users/"+scimUserID).AddMatcher(matchNoBody).AddMatcher(matchQuery(t, nil)), 200, specSCIMUser)
	replySCIM(scimMock(http.MethodGet, scimPath+"/Users").AddMatcher(matchNoBody).
		AddMatcher(matchRawQuery(t, "count=100")), 200, specSCIMListUsers)
	replySCIM(scimMock(http.MethodGet, scimPath+"/Users").AddMatcher(matchNoBody).
		AddMatcher(matchRawQuery(t, "count=2&filter=userName%20eq%20%22b%20%5C%22j%5C%22%22&startIndex=3")), 200, specSCIMListUsers)
	replySCIM(scimMock(http.MethodPatch, scimPath+"/Users/"+scimUserID).
		AddMatcher(matchJSONBody(t, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Ms. Barbara J Jensen III"}]}`)), 200, specSCIMUser)
	replySCIM(scimMock(http.MethodPut, scimPath+"/Users/"+scimUserID).
		AddMatcher(matchJSONBody(t, specSCIMReplaceUserRequest)), 200, specSCIMUser)
	scimMock(http.MethodDelete, scimPath+"/Users/"+scimUserID).AddMatcher(matchNoBody).Reply(204)
	// IDs are escaped, ':' included, so an ID never reads as a custom method.
	scimMock(http.MethodGet, scimPath+"/Users/a%3Ab%3Fc%25").Reply(200).BodyString(specSCIMUser)

	ctx := context.Background()
	u, err := s.Users.Create(ctx, &SCIMUser{
		Schemas: []string{SCIMSchemaUser}, Active: Ptr(true), UserName: "bjensen", DisplayName: "Ms. Barbara Jensen",
		ExternalID: "bjensen", Name: SCIMName{FamilyName: "Jensen", GivenName: "Barbara"},
		Emails: []SCIMEmail{{Value: "bjensen@example.com", Primary: true}},
	})
	require.NoError(t, err)
	assert.Equal(t, scimUserID, u.ID)
	u, err = s.Users.Get(ctx, scimUserID)
	require.NoError(t, err)
	page, err := s.Users.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Resources, 1)
	_, err = s.Users.List(ctx, &SCIMListOptions{Filter: FilterEq("userName", `b "j"`), StartIndex: 3, Count: 2})
	require.NoError(t, err)
	_, err = s.Users.Update(ctx, scimUserID, SCIMPatch().Replace("displayName", "Ms. Barbara J Jensen III"))
	require.NoError(t, err)
	// Replace sends what the spec's example sends: the user as got, without
	// meta, with the name as an object (the answer gave it as an array).
	// The example has no id, which RFC 7644 §3.5.1 lets a client send.
	u.Schemas, u.ID, u.Enterprise = nil, "", nil
	_, err = s.Users.Replace(ctx, scimUserID, u)
	require.NoError(t, err)
	require.NoError(t, s.Users.Delete(ctx, scimUserID))
	_, err = s.Users.Get(ctx, "a:b?c%")
	require.NoError(t, err)
}

func TestSCIMGroupsRequestShapes(t *testing.T) {
	c := newGockClient(t)
	s := scimOf(c)
	// The collection path ends in a slash, as the spec's paths key does.
	replySCIM(scimMock(http.MethodPost, scimPath+"/Groups/").AddMatcher(matchQuery(t, nil)).
		AddMatcher(matchJSONBody(t, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Test Group","members":[{"value":"6c9f819d6a0f1b57"}]}`)), 201, specSCIMGroup)
	replySCIM(scimMock(http.MethodGet, scimPath+"/Groups/").AddMatcher(matchNoBody).
		AddMatcher(matchRawQuery(t, "count=1000&filter=displayName%20ne%20%22Help%20Desk%22")), 200, specSCIMListGroups)
	replySCIM(scimMock(http.MethodGet, scimPath+"/Groups/"+scimGroupID).AddMatcher(matchNoBody).AddMatcher(matchQuery(t, nil)), 200, specSCIMGroup)
	replySCIM(scimMock(http.MethodPatch, scimPath+"/Groups/"+scimGroupID).
		AddMatcher(matchJSONBody(t, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
			{"op":"add","path":"members","value":[{"value":"6c9f819d6a0f1b57"},{"value":"a46bd3fb5c62d80d"}]},
			{"op":"remove","path":"members[value eq \"6c9f819d6a0f1b57\"]"}]}`)), 200, specSCIMGroup)
	scimMock(http.MethodDelete, scimPath+"/Groups/"+scimGroupID).AddMatcher(matchNoBody).Reply(204)

	ctx := context.Background()
	g, err := s.Groups.Create(ctx, &SCIMGroup{DisplayName: "Test Group", Members: []SCIMMember{{Value: "6c9f819d6a0f1b57"}}})
	require.NoError(t, err)
	assert.Equal(t, scimGroupID, g.ID)
	page, err := s.Groups.List(ctx, &SCIMListOptions{Filter: FilterNe("displayName", "Help Desk"), Count: MaxSCIMCount})
	require.NoError(t, err)
	assert.Equal(t, "Test Group", page.Resources[0].DisplayName)
	_, err = s.Groups.Get(ctx, scimGroupID)
	require.NoError(t, err)
	_, err = s.Groups.Update(ctx, scimGroupID, SCIMPatch().AddMembers("6c9f819d6a0f1b57", "a46bd3fb5c62d80d").RemoveMember("6c9f819d6a0f1b57"))
	require.NoError(t, err)
	require.NoError(t, s.Groups.Delete(ctx, scimGroupID))
}

func TestSCIMGroupCollectionURLEndsInSlash(t *testing.T) {
	c := newGockClient(t)
	u, err := c.url(&call{path: segs("scim", "v2", "Groups", scimCollection)})
	require.NoError(t, err)
	assert.Equal(t, testAPIBase+scimPath+"/Groups/", u)
	u, err = c.url(&call{path: segs("scim", "v2", "Groups", "g 1")})
	require.NoError(t, err)
	assert.Equal(t, testAPIBase+scimPath+"/Groups/g%201", u, "an item path has no trailing slash")
}

func TestSCIMDiscoveryRequestShapes(t *testing.T) {
	c := newGockClient(t)
	s := scimOf(c)
	replySCIM(scimMock(http.MethodGet, scimPath+"/ResourceTypes").AddMatcher(matchNoBody).AddMatcher(matchQuery(t, nil)), 200, specSCIMResourceTypes)
	replySCIM(scimMock(http.MethodGet, scimPath+"/Schemas").AddMatcher(matchNoBody).AddMatcher(matchQuery(t, nil)), 200, specSCIMSchemas)
	replySCIM(scimMock(http.MethodGet, scimPath+"/ServiceProviderConfig").AddMatcher(matchNoBody).AddMatcher(matchQuery(t, nil)), 200, specSCIMServiceProviderConfig)

	ctx := context.Background()
	rts, err := s.ListResourceTypes(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, rts.TotalResults)
	require.Len(t, rts.Resources, 2)
	assert.Equal(t, SCIMResourceType{
		Schemas: []string{"urn:ietf:params:scim:schemas:core:2.0:ResourceType"},
		ID:      "Group", Name: "Group", Description: "User Groups", Endpoint: "/Groups", Schema: SCIMSchemaGroup,
		SchemaExtensions: []SCIMSchemaExtension{{Schema: "urn:scim:schemas:extension:byndid:1.0:Group"}},
	}, *rts.Resources[1])

	schemas, err := s.ListSchemas(ctx)
	require.NoError(t, err)
	require.Len(t, schemas.Resources, 2)
	assert.Equal(t, SCIMSchemaUser, schemas.Resources[0].ID)
	name := schemas.Resources[0].Attributes[1]
	assert.Equal(t, "complex", name.Type)
	assert.Equal(t, "familyName", name.SubAttributes[0].Name)
	assert.True(t, name.SubAttributes[0].Required)
	members := schemas.Resources[1].Attributes[0]
	assert.Equal(t, []string{"User"}, members.SubAttributes[0].ReferenceTypes)
	assert.Equal(t, []string{"User", "Group"}, members.SubAttributes[1].CanonicalValues)

	spc, err := s.GetServiceProviderConfig(ctx)
	require.NoError(t, err)
	assert.Equal(t, &SCIMServiceProviderConfig{
		Schemas:               []string{"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"},
		Patch:                 SCIMSupport{Supported: true},
		Bulk:                  SCIMBulkSupport{MaxOperations: 1000, MaxPayloadSize: 1048576},
		Filter:                SCIMFilterSupport{Supported: true, MaxResults: 1000},
		AuthenticationSchemes: []SCIMAuthenticationScheme{{Type: "oauthbearertoken"}},
	}, spc)
}

func TestSCIMDecodesTheSpecExamples(t *testing.T) {
	var u SCIMUser
	require.NoError(t, json.Unmarshal([]byte(specSCIMUser), &u))
	assert.Equal(t, SCIMUser{
		Schemas:     []string{SCIMSchemaUser + " " + SCIMSchemaEnterpriseUser},
		ID:          scimUserID,
		ExternalID:  "bjensen",
		UserName:    "bjensen",
		DisplayName: "Ms. Barbara J Jensen III",
		Name:        SCIMName{FamilyName: "Jensen", GivenName: "Barbara"},
		Active:      Ptr(true),
		Emails:      []SCIMEmail{{Value: "bjensen@example.com", Primary: true}},
		Enterprise: &SCIMEnterpriseUser{EmployeeNumber: "12345", CostCenter: "Finance", Department: "Accounting",
			Manager: &SCIMManager{Value: "54321", DisplayName: "Jane Doe"}},
		Meta: SCIMMeta{ResourceType: "User", Created: time.Date(2022, 10, 12, 5, 11, 47, 0, time.UTC),
			LastModified: time.Date(2023, 3, 30, 6, 0, 3, 0, time.UTC),
			Location:     "Users/" + scimUserID, Version: "W/0"},
	}, u)

	var g SCIMGroup
	require.NoError(t, json.Unmarshal([]byte(specSCIMGroup), &g))
	assert.Equal(t, SCIMGroup{
		Schemas: []string{SCIMSchemaGroup}, ID: scimGroupID, DisplayName: "Test Group",
		Meta: SCIMMeta{ResourceType: "Group", Created: time.Date(2023, 4, 10, 6, 8, 28, 0, time.UTC),
			LastModified: time.Date(2023, 4, 10, 6, 8, 28, 0, time.UTC), Location: "Groups/" + scimGroupID, Version: "W/0"},
	}, g)

	var gp SCIMPage[*SCIMGroup]
	require.NoError(t, json.Unmarshal([]byte(specSCIMListGroups), &gp))
	assert.Equal(t, 1, gp.TotalResults)
	assert.Equal(t, 1, gp.StartIndex)
	assert.Equal(t, 1000, gp.ItemsPerPage)
	assert.Equal(t, []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"}, gp.Schemas)
	assert.Equal(t, &g, gp.Resources[0])
	assert.Zero(t, gp.NextStartIndex())

	// The RFC shapes decode too, and a user encodes them.
	require.NoError(t, json.Unmarshal([]byte(`{"userName":"a","name":{"givenName":"A","formatted":"A B"},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m1","$ref":"../Users/m1"}}}`), &u))
	assert.Equal(t, SCIMName{GivenName: "A", Formatted: "A B"}, u.Name)
	assert.Equal(t, &SCIMManager{Value: "m1", Ref: "../Users/m1"}, u.Enterprise.Manager)
	b, err := json.Marshal(SCIMUser{UserName: "a", Name: SCIMName{GivenName: "A"}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"userName":"a","name":{"givenName":"A"}}`, string(b))

	// Two managers cannot be written back as one: refused.
	err = json.Unmarshal([]byte(`{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":[{"value":"1"},{"value":"2"}]}}`), &u)
	assert.ErrorContains(t, err, "manager holds 2 entries")
}

func TestSCIMExtraMembersRoundTripOnReplace(t *testing.T) {
	c := newGockClient(t)
	s := scimOf(c)
	const got = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","urn:example:params:scim:schemas:extension:acme:1.0:User"],
		"id":"u1","userName":"ada","displayName":"Ada","active":false,"nickName":"Countess","title":null,
		"phoneNumbers":[{"value":"+44 20 7946 0000","type":"work"}],
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Maths","building":{"floor":3}},
		"urn:example:params:scim:schemas:extension:acme:1.0:User":{"badge":42,"tags":["a","b"]},
		"meta":{"resourceType":"User","created":"2022-10-12T05:11:47Z","location":"Users/u1","version":"W/0"}}`
	// What Replace sends: every member as got (title's null included),
	// Department changed, meta left out.
	const sent = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","urn:example:params:scim:schemas:extension:acme:1.0:User"],
		"id":"u1","userName":"ada","displayName":"Ada","active":false,"nickName":"Countess","title":null,
		"phoneNumbers":[{"value":"+44 20 7946 0000","type":"work"}],
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Applied Maths","building":{"floor":3}},
		"urn:example:params:scim:schemas:extension:acme:1.0:User":{"badge":42,"tags":["a","b"]}}`
	replySCIM(scimMock(http.MethodGet, scimPath+"/Users/u1"), 200, got)
	replySCIM(scimMock(http.MethodPut, scimPath+"/Users/u1").AddMatcher(matchJSONBody(t, sent)), 200, got)

	ctx := context.Background()
	u, err := s.Users.Get(ctx, "u1")
	require.NoError(t, err)
	assert.Equal(t, Ptr(false), u.Active)
	assert.JSONEq(t, `"Countess"`, string(u.Extra["nickName"]))
	assert.JSONEq(t, `{"floor":3}`, string(u.Enterprise.Extra["building"]))
	assert.Len(t, u.Extra, 4)
	u.Enterprise.Department = "Applied Maths"
	_, err = s.Users.Replace(ctx, u.ID, u)
	require.NoError(t, err)
	assert.Equal(t, "User", u.Meta.ResourceType, "the caller's user is not changed")
}

func TestSCIMExtraMembersIgnoreCase(t *testing.T) {
	// encoding/json puts "UserName" into UserName; it is not kept twice.
	var u SCIMUser
	require.NoError(t, json.Unmarshal([]byte(`{"UserName":"ada","DISPLAYNAME":"Ada","nickName":"x"}`), &u))
	assert.Equal(t, "ada", u.UserName)
	assert.Equal(t, "Ada", u.DisplayName)
	assert.Equal(t, map[string]json.RawMessage{"nickName": json.RawMessage(`"x"`)}, u.Extra)
	b, err := json.Marshal(u)
	require.NoError(t, err)
	assert.JSONEq(t, `{"userName":"ada","displayName":"Ada","nickName":"x"}`, string(b))
}

func TestSCIMWritesFillSchemas(t *testing.T) {
	w, err := writeUser(&SCIMUser{UserName: "a", Enterprise: &SCIMEnterpriseUser{Department: "d"}}, "")
	require.NoError(t, err)
	assert.Equal(t, []string{SCIMSchemaUser, SCIMSchemaEnterpriseUser}, w.Schemas)
	have := []string{SCIMSchemaUser}
	w, err = writeUser(&SCIMUser{Schemas: have, UserName: "a", Enterprise: &SCIMEnterpriseUser{}}, "")
	require.NoError(t, err)
	assert.Equal(t, []string{SCIMSchemaUser, SCIMSchemaEnterpriseUser}, w.Schemas, "the extension's URN is added")
	assert.Equal(t, []string{SCIMSchemaUser}, have, "the caller's slice is not changed")
	w, err = writeUser(&SCIMUser{Schemas: []string{SCIMSchemaUser + " " + SCIMSchemaEnterpriseUser}, UserName: "a", Enterprise: &SCIMEnterpriseUser{}}, "")
	require.NoError(t, err)
	assert.Len(t, w.Schemas, 1, "the spec's two-URN string already names the extension")
	g, err := writeGroup(&SCIMGroup{DisplayName: "g", Meta: SCIMMeta{Version: "W/0"}})
	require.NoError(t, err)
	assert.Equal(t, []string{SCIMSchemaGroup}, g.Schemas)
	assert.Zero(t, g.Meta)
}

func TestSCIMValidationBeforeIO(t *testing.T) {
	c := newGockClient(t) // no mocks: any request fails the test
	s := scimOf(c)
	ctx := context.Background()
	okPatch := SCIMPatch().Replace("displayName", "x")
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"create nil user", func() error { _, err := s.Users.Create(ctx, nil); return err }, "user"},
		{"create without userName", func() error { _, err := s.Users.Create(ctx, &SCIMUser{DisplayName: "x"}); return err }, "UserName"},
		{"create blank userName", func() error { _, err := s.Users.Create(ctx, &SCIMUser{UserName: "  "}); return err }, "UserName"},
		{"create userName with newline", func() error { _, err := s.Users.Create(ctx, &SCIMUser{UserName: "a\nb"}); return err }, "UserName"},
		{"create userName not UTF-8", func() error { _, err := s.Users.Create(ctx, &SCIMUser{UserName: "a\xffb"}); return err }, "UserName"},
		{"create blank displayName", func() error { _, err := s.Users.Create(ctx, &SCIMUser{UserName: "a", DisplayName: " "}); return err }, "DisplayName"},
		{"create externalId with control", func() error {
			_, err := s.Users.Create(ctx, &SCIMUser{UserName: "a", ExternalID: "x\x00"})
			return err
		}, "ExternalID"},
		{"create empty email", func() error {
			_, err := s.Users.Create(ctx, &SCIMUser{UserName: "a", Emails: []SCIMEmail{{Value: "a@b"}, {Primary: true}}})
			return err
		}, "Emails[1].Value"},
		{"create two primary emails", func() error {
			_, err := s.Users.Create(ctx, &SCIMUser{UserName: "a", Emails: []SCIMEmail{{Value: "a@b", Primary: true}, {Value: "c@d", Primary: true}}})
			return err
		}, "Emails[1].Primary"},
		{"create extra shadows a field", func() error {
			_, err := s.Users.Create(ctx, &SCIMUser{UserName: "a", Extra: map[string]json.RawMessage{"userName": json.RawMessage(`"b"`)}})
			return err
		}, `Extra["userName"]`},
		{"create extra shadows a field in another case", func() error {
			_, err := s.Users.Create(ctx, &SCIMUser{UserName: "a", Extra: map[string]json.RawMessage{"EMAILS": json.RawMessage(`[]`)}})
			return err
		}, `Extra["EMAILS"]`},
		{"create extra type", func() error {
			_, err := s.Users.Create(ctx, &SCIMUser{UserName: "a", Extra: map[string]json.RawMessage{"type": json.RawMessage(`"x"`)}})
			return err
		}, `Extra["type"]`},
		{"create extra not JSON", func() error {
			_, err := s.Users.Create(ctx, &SCIMUser{UserName: "a", Extra: map[string]json.RawMessage{"nickName": json.RawMessage(`{`)}})
			return err
		}, `Extra["nickName"]`},
		{"create enterprise extra shadows a field", func() error {
			_, err := s.Users.Create(ctx, &SCIMUser{UserName: "a", Enterprise: &SCIMEnterpriseUser{Extra: map[string]json.RawMessage{"manager": json.RawMessage(`{}`)}}})
			return err
		}, `Enterprise.Extra["manager"]`},
		{"get empty id", func() error { _, err := s.Users.Get(ctx, ""); return err }, "userID"},
		{"get dotdot", func() error { _, err := s.Users.Get(ctx, ".."); return err }, "userID"},
		{"get slash", func() error { _, err := s.Users.Get(ctx, "a/b"); return err }, "userID"},
		{"update no id", func() error { _, err := s.Users.Update(ctx, "", okPatch); return err }, "userID"},
		{"update nil patch", func() error { _, err := s.Users.Update(ctx, "u1", nil); return err }, "patch"},
		{"update empty patch", func() error { _, err := s.Users.Update(ctx, "u1", SCIMPatch()); return err }, "patch"},
		{"update bad path", func() error {
			_, err := s.Users.Update(ctx, "u1", SCIMPatch().Replace("display name", "x"))
			return err
		}, "Operations[0].path"},
		{"replace id mismatch", func() error { _, err := s.Users.Replace(ctx, "u1", &SCIMUser{ID: "u2", UserName: "a"}); return err }, "ID"},
		{"replace nil", func() error { _, err := s.Users.Replace(ctx, "u1", nil); return err }, "user"},
		{"replace no id", func() error { _, err := s.Users.Replace(ctx, " ", &SCIMUser{UserName: "a"}); return err }, "userID"},
		{"delete bad id", func() error { return s.Users.Delete(ctx, "a b") }, "userID"},
		{"list negative count", func() error { _, err := s.Users.List(ctx, &SCIMListOptions{Count: -1}); return err }, "Count"},
		{"list count too large", func() error { _, err := s.Users.List(ctx, &SCIMListOptions{Count: 1001}); return err }, "Count"},
		{"list negative startIndex", func() error { _, err := s.Users.List(ctx, &SCIMListOptions{StartIndex: -1}); return err }, "StartIndex"},
		{"list filter with newline", func() error { _, err := s.Users.List(ctx, &SCIMListOptions{Filter: "userName eq \"a\"\n"}); return err }, "Filter"},
		{"list blank filter", func() error { _, err := s.Users.List(ctx, &SCIMListOptions{Filter: "  "}); return err }, "Filter"},
		{"all count too large", func() error {
			for _, err := range s.Users.All(ctx, &SCIMListOptions{Count: 5000}) {
				return err
			}
			return nil
		}, "Count"},
		{"group create nil", func() error { _, err := s.Groups.Create(ctx, nil); return err }, "group"},
		{"group create no displayName", func() error { _, err := s.Groups.Create(ctx, &SCIMGroup{}); return err }, "DisplayName"},
		{"group create bad member", func() error {
			_, err := s.Groups.Create(ctx, &SCIMGroup{DisplayName: "g", Members: []SCIMMember{{Value: "i1"}, {Value: ""}}})
			return err
		}, "Members[1].Value"},
		{"group create extra shadows", func() error {
			_, err := s.Groups.Create(ctx, &SCIMGroup{DisplayName: "g", Extra: map[string]json.RawMessage{"Members": json.RawMessage(`[]`)}})
			return err
		}, `Extra["Members"]`},
		{"group get empty", func() error { _, err := s.Groups.Get(ctx, ""); return err }, "groupID"},
		{"group update bad id", func() error { _, err := s.Groups.Update(ctx, ".", okPatch); return err }, "groupID"},
		{"group update bad member", func() error { _, err := s.Groups.Update(ctx, "g1", SCIMPatch().AddMembers("i1", "i1")); return err }, "AddMembers[1]"},
		{"group delete empty", func() error { return s.Groups.Delete(ctx, "") }, "groupID"},
		{"group list count", func() error { _, err := s.Groups.List(ctx, &SCIMListOptions{Count: -5}); return err }, "Count"},
		{"no realm", func() error { _, err := scimOf(c.InRealm("")).Users.Get(ctx, "u1"); return err }, "realm"},
		{"no realm discovery", func() error { _, err := scimOf(c.InRealm("")).ListSchemas(ctx); return err }, "realm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, ve.Error())
			assert.ErrorIs(t, err, ErrInvalidArgument)
		})
	}
}

// scimUsersServer serves a realm of n users, user i with ID "u<i>", in
// pages of at most pageMax (and at most count) users, and records the
// queries it gets. answer, when set, may change a page before it is sent.
type scimUsersServer struct {
	n, pageMax int
	answer     func(start int, page map[string]any)

	mu      sync.Mutex
	queries []string
}

func (s *scimUsersServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.queries = append(s.queries, r.URL.RawQuery)
	s.mu.Unlock()
	q := r.URL.Query()
	start, _ := strconv.Atoi(q.Get("startIndex"))
	start = max(start, 1)
	count, _ := strconv.Atoi(q.Get("count"))
	var res []any
	for i := start; i <= s.n && len(res) < min(count, s.pageMax); i++ {
		res = append(res, map[string]any{"id": "u" + strconv.Itoa(i), "userName": "user" + strconv.Itoa(i)})
	}
	page := map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
		"Resources": res, "totalResults": s.n, "startIndex": start, "itemsPerPage": len(res)}
	if s.answer != nil {
		s.answer(start, page)
	}
	w.Header().Set("Content-Type", "application/scim+json")
	_ = json.NewEncoder(w).Encode(page)
}

func (s *scimUsersServer) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queries...)
}

// collectSCIMIDs runs an iteration to its end or its first error and returns
// the IDs it yielded.
func collectSCIMIDs[T any](seq iter.Seq2[T, error], id func(T) string) (ids []string, err error) {
	for v, e := range seq {
		if e != nil {
			return ids, e
		}
		ids = append(ids, id(v))
	}
	return ids, nil
}

func scimUserIDOf(u *SCIMUser) string   { return u.ID }
func scimGroupIDOf(g *SCIMGroup) string { return g.ID }

func TestSCIMAllWalksEveryPage(t *testing.T) {
	srv := &scimUsersServer{n: 5, pageMax: 1000}
	s := scimOf(newMemClient(t, srv))
	opts := &SCIMListOptions{Filter: FilterNe("userName", "x"), Count: 2}
	ids, err := collectSCIMIDs(s.Users.All(context.Background(), opts), scimUserIDOf)
	require.NoError(t, err)
	assert.Equal(t, []string{"u1", "u2", "u3", "u4", "u5"}, ids)
	f := "filter=userName%20ne%20%22x%22"
	assert.Equal(t, []string{"count=2&" + f + "&startIndex=1", "count=2&" + f + "&startIndex=3", "count=2&" + f + "&startIndex=5"}, srv.seen(),
		"the filter and count are sent with every page; no page after the last")
	assert.Equal(t, &SCIMListOptions{Filter: FilterNe("userName", "x"), Count: 2}, opts, "opts is not modified")
}

func TestSCIMAllAdvancesByWhatThePageHeld(t *testing.T) {
	// The server returns fewer than asked (RFC 7644 §3.4.2.4 allows it):
	// the next page starts after the last resource received.
	srv := &scimUsersServer{n: 7, pageMax: 3}
	s := scimOf(newMemClient(t, srv))
	ids, err := collectSCIMIDs(s.Groups.All(context.Background(), &SCIMListOptions{StartIndex: 2, Count: 10}), scimGroupIDOf)
	require.NoError(t, err)
	assert.Equal(t, []string{"u2", "u3", "u4", "u5", "u6", "u7"}, ids)
	assert.Equal(t, []string{"count=10&startIndex=2", "count=10&startIndex=5"}, srv.seen())
}

func TestSCIMAllStopsAtTotalResults(t *testing.T) {
	// Empty realm: one request, nothing yielded, no error.
	srv := &scimUsersServer{n: 0, pageMax: 10}
	s := scimOf(newMemClient(t, srv))
	ids, err := collectSCIMIDs(s.Users.All(context.Background(), nil), scimUserIDOf)
	require.NoError(t, err)
	assert.Empty(t, ids)
	assert.Equal(t, []string{"count=100&startIndex=1"}, srv.seen())

	// Breaking out of the loop sends nothing more.
	srv = &scimUsersServer{n: 50, pageMax: 10}
	s = scimOf(newMemClient(t, srv))
	for range s.Users.All(context.Background(), nil) {
		break
	}
	assert.Len(t, srv.seen(), 1)
}

func TestSCIMAllRefusesNonsense(t *testing.T) {
	for _, tc := range []struct {
		name     string
		answer   func(start int, page map[string]any)
		count    int
		want     string
		yielded  int
		requests int
	}{
		{"a page that repeats a startIndex", func(start int, page map[string]any) {
			page["startIndex"] = 1 // a server that ignores startIndex
			page["Resources"] = []any{map[string]any{"id": "u1"}, map[string]any{"id": "u2"}}
		}, 2, "repeats resources already returned", 2, 2},
		{"a page that skips", func(start int, page map[string]any) {
			if start > 1 {
				page["startIndex"] = start + 1
			}
		}, 2, "skips resources", 2, 2},
		{"an empty page before the end", func(start int, page map[string]any) {
			if start > 1 {
				page["Resources"] = []any{}
			}
		}, 2, "no resources at startIndex 3, before the end of the 5", 2, 2},
		{"a null resource", func(start int, page map[string]any) {
			page["Resources"] = []any{map[string]any{"id": "u1"}, nil}
		}, 2, "item 1 of the page is null", 0, 1},
		{"far more resources than count", func(start int, page map[string]any) {
			var res []any
			for i := range 21 {
				res = append(res, map[string]any{"id": "u" + strconv.Itoa(i)})
			}
			page["resources"] = res // the name's case does not matter
			delete(page, "Resources")
		}, 10, "more than 20 items, far more than asked for", 0, 1},
		{"a negative total", func(start int, page map[string]any) { page["totalResults"] = -1 }, 2, "negative count", 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := &scimUsersServer{n: 5, pageMax: 1000, answer: tc.answer}
			s := scimOf(newMemClient(t, srv))
			ids, err := collectSCIMIDs(s.Users.All(context.Background(), &SCIMListOptions{Count: tc.count}), scimUserIDOf)
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.want)
			assert.Len(t, ids, tc.yielded)
			assert.Len(t, srv.seen(), tc.requests)
		})
	}
}

func TestSCIMListRefusesFarMoreThanCount(t *testing.T) {
	srv := &scimUsersServer{n: 300, pageMax: 1000, answer: func(start int, page map[string]any) {
		var res []any
		for i := range 7 {
			res = append(res, map[string]any{"id": "u" + strconv.Itoa(i)})
		}
		page["Resources"] = res
	}}
	s := scimOf(newMemClient(t, srv))
	_, err := s.Users.List(context.Background(), &SCIMListOptions{Count: 3})
	assert.ErrorContains(t, err, "more than 6 items")
	page, err := s.Users.List(context.Background(), &SCIMListOptions{Count: 4})
	require.NoError(t, err, "twice the count is tolerated")
	assert.Len(t, page.Resources, 7)
	assert.Equal(t, 8, page.NextStartIndex())
}

func TestSCIMRateLimitResetIsWaitedOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		limited := status(429, "RateLimit-Limit", "30", "RateLimit-Remaining", "0", "RateLimit-Reset", "7")
		ok := func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/scim+json")
			_, _ = io.WriteString(w, specSCIMUser)
		}
		s := &script{steps: []func(http.ResponseWriter, *http.Request){limited, ok}}
		c := newMemClient(t, s)
		start := time.Now()
		u, err := scimOf(c).Users.Get(t.Context(), scimUserID)
		require.NoError(t, err)
		assert.Equal(t, "bjensen", u.UserName)
		assert.Equal(t, 7*time.Second, time.Since(start), "RateLimit-Reset: 7 is waited exactly")
		assert.Equal(t, 2, s.count())

		// A create is retried after a 429 too: the server did not act.
		s2 := &script{steps: []func(http.ResponseWriter, *http.Request){limited, ok}}
		c2 := newMemClient(t, s2)
		start = time.Now()
		_, err = scimOf(c2).Users.Create(t.Context(), &SCIMUser{UserName: "bjensen"})
		require.NoError(t, err)
		assert.Equal(t, 7*time.Second, time.Since(start))
		assert.Equal(t, s2.bodies[0], s2.bodies[1], "the same body is sent again")
	})
}

func TestSCIMErrorsMatchTheirStatus(t *testing.T) {
	c := newGockClient(t)
	s := scimOf(c)
	for _, tc := range []struct {
		status   int
		body     string
		sentinel error
	}{
		{400, specSCIMError400, ErrInvalidArgument},
		{401, specSCIMError401, ErrUnauthorized},
		{403, specSCIMError403, ErrForbidden},
		{404, specSCIMError404, ErrNotFound},
		{500, specSCIMError500, nil},
	} {
		replySCIM(scimMock(http.MethodGet, scimPath+"/Users/"+scimUserID), tc.status, tc.body)
		_, err := s.Users.Get(context.Background(), scimUserID)
		var ae *APIError
		require.ErrorAs(t, err, &ae, tc.status)
		assert.Equal(t, tc.status, ae.StatusCode)
		if tc.sentinel != nil {
			assert.ErrorIs(t, err, tc.sentinel)
		}
		msg := err.Error()
		assert.NotContains(t, msg, "{", "Error() is one line, never JSON")
		assert.NotContains(t, msg, "\n")
		assert.Contains(t, msg, ": "+strconv.Itoa(tc.status)+" ")
		var ve *ValidationError
		assert.False(t, errors.As(err, &ve), "the server's refusal is no ValidationError")
	}
}
