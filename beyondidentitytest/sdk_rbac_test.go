package beyondidentitytest_test

// The SDK's application, resource server and role services against the
// fake: state rules (roles through groups, deletion rules, managed
// objects) and unknown protocol config members kept through a round trip.

import (
	"encoding/json"
	"testing"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSDKRolesThroughGroups(t *testing.T) {
	t.Parallel()
	srv := newServer(t, beyondidentitytest.WithInMemory())
	c := newClient(t, srv)
	ctx := t.Context()
	rs, err := c.ResourceServers.Create(ctx, &beyondidentity.CreateResourceServerRequest{
		DisplayName: "Pets API", Identifier: "https://api.pets.example", Scopes: []string{"pets:read", "pets:write"}})
	require.NoError(t, err)
	role, err := c.Roles.Create(ctx, rs.ID, &beyondidentity.CreateRoleRequest{DisplayName: "Editors"})
	require.NoError(t, err)
	_, err = c.Roles.AddScopes(ctx, rs.ID, role.ID, []string{"pets:read", "pets:write"})
	require.NoError(t, err)
	_, err = c.Roles.AddScopes(ctx, rs.ID, role.ID, []string{"pets:fly"})
	assert.Error(t, err, "a scope the resource server does not define")

	ada := createIdentity(t, c, "ada", "")
	group, err := c.Groups.Create(ctx, &beyondidentity.CreateGroupRequest{DisplayName: "editors"})
	require.NoError(t, err)
	_, err = c.Groups.AddMembers(ctx, group.ID, []string{ada.ID})
	require.NoError(t, err)
	_, err = c.Roles.AddMembers(ctx, rs.ID, role.ID, &beyondidentity.RoleMembers{GroupIDs: []string{group.ID}})
	require.NoError(t, err)

	groupRoles, err := c.Groups.ListRoles(ctx, group.ID, rs.ID, nil)
	require.NoError(t, err)
	require.Len(t, groupRoles.Items, 1)
	assert.Equal(t, role.ID, groupRoles.Items[0].ID)
	direct, err := c.Identities.ListRoles(ctx, ada.ID, rs.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, direct.Items, "ListIdentityRoles lists roles given to the identity itself")
	_, err = c.Roles.AddMembers(ctx, rs.ID, role.ID, &beyondidentity.RoleMembers{IdentityIDs: []string{ada.ID}})
	require.NoError(t, err)
	direct, err = c.Identities.ListRoles(ctx, ada.ID, rs.ID, nil)
	require.NoError(t, err)
	require.Len(t, direct.Items, 1)

	var members []beyondidentity.RoleMember
	for m, err := range c.Roles.AllMembers(ctx, rs.ID, role.ID, &beyondidentity.ListRoleMembersOptions{GroupsPageSize: 1, IdentitiesPageSize: 1}) {
		require.NoError(t, err)
		members = append(members, m)
	}
	require.Len(t, members, 2)

	// Deletion rules: a role with scopes or members stays.
	assert.ErrorIs(t, c.Roles.Delete(ctx, rs.ID, role.ID), beyondidentity.ErrConflict)
	_, err = c.Roles.RemoveMembers(ctx, rs.ID, role.ID, &beyondidentity.RoleMembers{GroupIDs: []string{group.ID}, IdentityIDs: []string{ada.ID}})
	require.NoError(t, err)
	_, err = c.Roles.RemoveScopes(ctx, rs.ID, role.ID, []string{"pets:read", "pets:write"})
	require.NoError(t, err)
	require.NoError(t, c.Roles.Delete(ctx, rs.ID, role.ID))
	_, err = c.Roles.Get(ctx, rs.ID, role.ID)
	assert.ErrorIs(t, err, beyondidentity.ErrNotFound)

	_, err = c.Identities.ListRoles(ctx, ada.ID, "7b5a4325-00e0-4379-bd7b-3e5e7e30b09e", nil)
	assert.ErrorIs(t, err, beyondidentity.ErrConflict, "an unknown resource server is a 409, as documented")
}

func TestSDKApplicationsKeepUnknownMembers(t *testing.T) {
	t.Parallel()
	srv := newServer(t, beyondidentitytest.WithInMemory())
	c := newClient(t, srv)
	ctx := t.Context()
	app, err := c.Applications.Create(ctx, &beyondidentity.CreateApplicationRequest{
		DisplayName: "Web app",
		ProtocolConfig: &beyondidentity.OIDCConfig{OAuthSettings: beyondidentity.OAuthSettings{
			Confidentiality: beyondidentity.ConfidentialityPublic,
			PKCE:            beyondidentity.PKCES256,
			GrantTypes:      []beyondidentity.GrantType{beyondidentity.GrantTypeAuthorizationCode},
			RedirectURIs:    []string{"https://app.example/callback"},
			Extra:           map[string]json.RawMessage{"future_setting": json.RawMessage(`{"on":true,"list":[1,2]}`)},
		}},
	})
	require.NoError(t, err)
	oidc := app.ProtocolConfig.(*beyondidentity.OIDCConfig)
	assert.NotEmpty(t, oidc.ClientID)
	assert.JSONEq(t, `{"on":true,"list":[1,2]}`, string(oidc.Extra["future_setting"]))

	// An update of one member leaves the others, unknown ones included.
	app, err = c.Applications.Update(ctx, app.ID, &beyondidentity.UpdateApplicationRequest{
		ProtocolConfig: &beyondidentity.OIDCConfig{OAuthSettings: beyondidentity.OAuthSettings{RedirectURIs: []string{"https://app.example/cb2"}}}})
	require.NoError(t, err)
	got, err := c.Applications.Get(ctx, app.ID)
	require.NoError(t, err)
	oidc = got.ProtocolConfig.(*beyondidentity.OIDCConfig)
	assert.Equal(t, []string{"https://app.example/cb2"}, oidc.RedirectURIs)
	assert.Equal(t, beyondidentity.PKCES256, oidc.PKCE)
	assert.JSONEq(t, `{"on":true,"list":[1,2]}`, string(oidc.Extra["future_setting"]))

	// The managed Management API application cannot be changed.
	admin := c.InRealm(srv.AdminRealmID())
	_, err = admin.Applications.Update(ctx, srv.ApplicationID(), &beyondidentity.UpdateApplicationRequest{DisplayName: beyondidentity.Ptr("x")})
	assert.ErrorIs(t, err, beyondidentity.ErrForbidden)

	require.NoError(t, c.Applications.Delete(ctx, app.ID))
	_, err = c.Applications.Get(ctx, app.ID)
	assert.ErrorIs(t, err, beyondidentity.ErrNotFound)
}
