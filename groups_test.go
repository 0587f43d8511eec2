package beyondidentity

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testTenantPath = "/v1/tenants/" + testTenant
	groupsPath     = testRealmPath + "/groups"
	testGroup      = "81490afab171aef0"
	testRS         = "7b5a4325-00e0-4379-bd7b-3e5e7e30b09e"
)

func groupFixture(id, name string) string {
	return fmt.Sprintf(`{"id":%q,"realm_id":%q,"tenant_id":%q,"display_name":%q,"description":"d",
		"create_time":"2022-04-12T05:53:07.119Z","update_time":"2022-06-16T14:31:03.770Z"}`, id, testRealm, testTenant, name)
}

func TestTenantRequestShapes(t *testing.T) {
	c := newGockClient(t)
	const tenantJSON = `{"id":"` + testTenant + `","display_name":"Acme","create_time":"2022-01-28T12:00:02.423Z","update_time":"2022-04-19T15:17:21.186Z"}`
	apiMock(http.MethodGet, testTenantPath).AddMatcher(matchNoBody).AddMatcher(matchQuery(t, nil)).Reply(200).BodyString(tenantJSON)
	apiMock(http.MethodPatch, testTenantPath).AddMatcher(matchJSONBody(t, `{"tenant":{"display_name":"Acme Inc"}}`)).Reply(200).BodyString(tenantJSON)

	ctx := context.Background()
	tn, err := c.InRealm("").Tenant.Get(ctx) // tenant calls need no realm
	require.NoError(t, err)
	assert.Equal(t, &Tenant{ID: testTenant, DisplayName: "Acme",
		CreateTime: time.Date(2022, 1, 28, 12, 0, 2, 423e6, time.UTC), UpdateTime: time.Date(2022, 4, 19, 15, 17, 21, 186e6, time.UTC)}, tn)
	_, err = c.Tenant.Update(ctx, &UpdateTenantRequest{DisplayName: Ptr("Acme Inc")})
	require.NoError(t, err)
}

func TestRealmsRequestShapes(t *testing.T) {
	c := newGockClient(t)
	const realmJSON = `{"id":"19a95130480dfa79","tenant_id":"` + testTenant + `","display_name":"Test","classification":"SECURE_CUSTOMER"}`
	apiMock(http.MethodPost, testTenantPath+"/realms").
		AddMatcher(matchJSONBody(t, `{"realm":{"display_name":"Test","classification":"SECURE_CUSTOMER"}}`)).Reply(200).BodyString(realmJSON)
	apiMock(http.MethodGet, testTenantPath+"/realms/19a95130480dfa79").AddMatcher(matchNoBody).Reply(200).BodyString(realmJSON)
	apiMock(http.MethodGet, testTenantPath+"/realms").
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"2"}, "skip": {"1"}})).
		Reply(200).BodyString(`{"realms":[` + realmJSON + `],"total_size":3,"next_page_token":"p2"}`)
	apiMock(http.MethodPatch, testTenantPath+"/realms/19a95130480dfa79").
		AddMatcher(matchJSONBody(t, `{"realm":{"display_name":"Prod"}}`)).Reply(200).BodyString(realmJSON)
	apiMock(http.MethodDelete, testTenantPath+"/realms/19a95130480dfa79").AddMatcher(matchNoBody).Reply(200)

	ctx := context.Background()
	r, err := c.Realms.Create(ctx, &CreateRealmRequest{DisplayName: "Test", Classification: RealmClassificationSecureCustomer})
	require.NoError(t, err)
	assert.Equal(t, RealmClassificationSecureCustomer, r.Classification)
	_, err = c.Realms.Get(ctx, r.ID)
	require.NoError(t, err)
	page, err := c.Realms.List(ctx, &PageOptions{PageSize: 2, Skip: 1})
	require.NoError(t, err)
	assert.Equal(t, "p2", page.NextPageToken)
	_, err = c.Realms.Update(ctx, r.ID, &UpdateRealmRequest{DisplayName: Ptr("Prod")})
	require.NoError(t, err)
	require.NoError(t, c.Realms.Delete(ctx, r.ID))
}

func TestGroupsRequestShapes(t *testing.T) {
	c := newGockClient(t)
	g := groupFixture(testGroup, "admins")
	apiMock(http.MethodPost, groupsPath).
		AddMatcher(matchJSONBody(t, `{"group":{"display_name":"admins","description":"Realm administrators"}}`)).Reply(200).BodyString(g)
	apiMock(http.MethodPost, groupsPath).
		AddMatcher(matchJSONBody(t, `{"group":{"display_name":"readers"}}`)).Reply(200).BodyString(g)
	apiMock(http.MethodGet, groupsPath+"/"+testGroup).AddMatcher(matchNoBody).Reply(200).BodyString(g)
	apiMock(http.MethodGet, groupsPath).AddMatcher(matchQuery(t, nil)).Reply(200).BodyString(`{"groups":[` + g + `],"total_size":1}`)
	apiMock(http.MethodPatch, groupsPath+"/"+testGroup).
		AddMatcher(matchJSONBody(t, `{"group":{"description":""}}`)).Reply(200).BodyString(g)
	apiMock(http.MethodDelete, groupsPath+"/"+testGroup).Reply(200)
	apiMock(http.MethodPost, groupsPath+"/"+testGroup+":addMembers").
		AddMatcher(matchJSONBody(t, `{"identity_ids":["i1","i2"]}`)).Reply(200).BodyString(g)
	apiMock(http.MethodPost, groupsPath+"/"+testGroup+":deleteMembers").
		AddMatcher(matchJSONBody(t, `{"identity_ids":["i2"]}`)).Reply(200).BodyString(g)
	apiMock(http.MethodGet, groupsPath+"/"+testGroup+":listMembers").
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"200"}})).
		Reply(200).BodyString(`{"identities":[` + identityFixture("i1", "ada") + `],"total_size":1}`)
	apiMock(http.MethodGet, groupsPath+"/"+testGroup+":listRoles").
		AddMatcher(matchQuery(t, map[string][]string{"resource_server_id": {testRS}, "page_token": {"t 1"}})).
		Reply(200).BodyString(`{"roles":[{"id":"fb785d40cbe4fc0d","resource_server_id":"` + testRS + `","display_name":"Help Desk"}],"total_size":1}`)
	apiMock(http.MethodGet, identitiesPath+"/i1:listGroups").
		AddMatcher(matchQuery(t, nil)).Reply(200).BodyString(`{"groups":[` + g + `],"total_size":1}`)

	ctx := context.Background()
	grp, err := c.Groups.Create(ctx, &CreateGroupRequest{DisplayName: "admins", Description: "Realm administrators"})
	require.NoError(t, err)
	assert.Equal(t, &Group{ID: testGroup, RealmID: testRealm, TenantID: testTenant, DisplayName: "admins", Description: "d",
		CreateTime: time.Date(2022, 4, 12, 5, 53, 7, 119e6, time.UTC), UpdateTime: time.Date(2022, 6, 16, 14, 31, 3, 770e6, time.UTC)}, grp)
	_, err = c.Groups.Create(ctx, &CreateGroupRequest{DisplayName: "readers"})
	require.NoError(t, err)
	_, err = c.Groups.Get(ctx, testGroup)
	require.NoError(t, err)
	_, err = c.Groups.List(ctx, nil)
	require.NoError(t, err)
	_, err = c.Groups.Update(ctx, testGroup, &UpdateGroupRequest{Description: Ptr("")})
	require.NoError(t, err)
	require.NoError(t, c.Groups.Delete(ctx, testGroup))
	_, err = c.Groups.AddMembers(ctx, testGroup, []string{"i1", "i2"})
	require.NoError(t, err)
	_, err = c.Groups.RemoveMembers(ctx, testGroup, []string{"i2"})
	require.NoError(t, err)
	members, err := c.Groups.ListMembers(ctx, testGroup, &PageOptions{PageSize: 200})
	require.NoError(t, err)
	assert.Equal(t, "ada", members.Items[0].Traits.Username)
	roles, err := c.Groups.ListRoles(ctx, testGroup, testRS, &PageOptions{PageToken: "t 1"})
	require.NoError(t, err)
	assert.Equal(t, "Help Desk", roles.Items[0].DisplayName)
	assert.Equal(t, testRS, roles.Items[0].ResourceServerID)
	groups, err := c.Identities.ListGroups(ctx, "i1", nil)
	require.NoError(t, err)
	assert.Equal(t, testGroup, groups.Items[0].ID)
}

func TestGroupMemberChangesAreRetriedLikeUpdates(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503), func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(groupFixture(testGroup, "admins")))
	}}}
	c := newMemClient(t, s)
	_, err := c.Groups.AddMembers(context.Background(), testGroup, []string{"i1"})
	require.NoError(t, err)
	assert.Equal(t, 2, s.count(), "the 503 is retried: adding the same members twice changes nothing")
}

func TestGroupsValidationBeforeIO(t *testing.T) {
	c := newGockClient(t) // no mocks: any request fails the test
	ctx := context.Background()
	many := make([]string, 1001)
	for i := range many {
		many[i] = "i" + strconv.Itoa(i)
	}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"tenant nil update", func() error { _, err := c.Tenant.Update(ctx, nil); return err }, "req"},
		{"tenant bad name", func() error {
			_, err := c.Tenant.Update(ctx, &UpdateTenantRequest{DisplayName: Ptr("a;b")})
			return err
		}, "DisplayName"},
		{"realm create nil", func() error { _, err := c.Realms.Create(ctx, nil); return err }, "req"},
		{"realm create empty name", func() error { _, err := c.Realms.Create(ctx, &CreateRealmRequest{}); return err }, "DisplayName"},
		{"realm get slash", func() error { _, err := c.Realms.Get(ctx, "a/b"); return err }, "realmID"},
		{"realm delete empty", func() error { return c.Realms.Delete(ctx, "") }, "realmID"},
		{"realm update empty name", func() error {
			_, err := c.Realms.Update(ctx, "r1", &UpdateRealmRequest{DisplayName: Ptr("")})
			return err
		}, "DisplayName"},
		{"realms page size", func() error { _, err := c.Realms.List(ctx, &PageOptions{PageSize: 201}); return err }, "PageSize"},
		{"group create nil", func() error { _, err := c.Groups.Create(ctx, nil); return err }, "req"},
		{"group name too long", func() error {
			_, err := c.Groups.Create(ctx, &CreateGroupRequest{DisplayName: fmt.Sprintf("%065d", 0)})
			return err
		}, "DisplayName"},
		{"group description too long", func() error {
			_, err := c.Groups.Create(ctx, &CreateGroupRequest{DisplayName: "ok", Description: fmt.Sprintf("%0301d", 0)})
			return err
		}, "Description"},
		{"group description forbidden character", func() error {
			_, err := c.Groups.Update(ctx, testGroup, &UpdateGroupRequest{Description: Ptr("a#b")})
			return err
		}, "Description"},
		{"group get dotdot", func() error { _, err := c.Groups.Get(ctx, ".."); return err }, "groupID"},
		{"group update nil", func() error { _, err := c.Groups.Update(ctx, testGroup, nil); return err }, "req"},
		{"add no members", func() error { _, err := c.Groups.AddMembers(ctx, testGroup, nil); return err }, "identityIDs"},
		{"add 1001 members", func() error { _, err := c.Groups.AddMembers(ctx, testGroup, many); return err }, "identityIDs"},
		{"add a member twice", func() error {
			_, err := c.Groups.AddMembers(ctx, testGroup, []string{"i1", "i2", "i1"})
			return err
		}, "identityIDs[2]"},
		{"add the wildcard", func() error { _, err := c.Groups.AddMembers(ctx, testGroup, []string{AllIdentities}); return err }, "identityIDs[0]"},
		{"remove empty id", func() error { _, err := c.Groups.RemoveMembers(ctx, testGroup, []string{"i1", ""}); return err }, "identityIDs[1]"},
		{"remove from no group", func() error { _, err := c.Groups.RemoveMembers(ctx, "", []string{"i1"}); return err }, "groupID"},
		{"members page size", func() error { _, err := c.Groups.ListMembers(ctx, testGroup, &PageOptions{PageSize: -1}); return err }, "PageSize"},
		{"roles without resource server", func() error { _, err := c.Groups.ListRoles(ctx, testGroup, "", nil); return err }, "resourceServerID"},
		{"identity groups of the wildcard", func() error { _, err := c.Identities.ListGroups(ctx, AllIdentities, nil); return err }, "identityID"},
		{"all members negative skip", func() error {
			for _, err := range c.Groups.AllMembers(ctx, testGroup, &PageOptions{Skip: -1}) {
				return err
			}
			return nil
		}, "Skip"},
		{"no realm", func() error { _, err := c.InRealm("").Groups.Get(ctx, testGroup); return err }, "realm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}
