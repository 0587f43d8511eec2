// Command rbac sets up role-based access for a backend's own API with the
// Beyond Identity v1 API, and computes what a user may do.
//
// It creates (or finds) a resource server that stands for the API, with its
// scopes; a role that grants some of them; gives the role to a group; puts
// a user into the group; then shows the user's roles (those given to the
// user directly and those it has through its groups) and the scopes they
// grant. Running it twice changes nothing the second time.
//
// With no configuration it runs offline against the in-process fake of
// beyondidentitytest and says so on its first line:
//
//	go run ./examples/rbac
//
// With the BEYOND_IDENTITY_* variables set (see the README's table; the
// authenticator config is not needed here) it works on your realm.
//
// Usage:
//
//	rbac [-identifier https://api.pets.example] [-user ada.lovelace] [-v]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/examples/internal/setup"
)

func main() { setup.Main("rbac", run) }

// The access model this example sets up.
var (
	apiScopes  = []string{"pets:read", "pets:write", "pets:delete"}
	roleName   = "Pet editors"
	roleScopes = []string{"pets:read", "pets:write"}
	groupName  = "editors"
)

func run(ctx context.Context, args []string, env func(string) (string, bool), stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rbac", flag.ContinueOnError)
	fs.SetOutput(stderr)
	identifier := fs.String("identifier", "https://api.pets.example", "identifier (token audience) of the resource server that stands for your API")
	user := fs.String("user", "ada.lovelace", "username of the user to put into the group (created if absent)")
	flags := setup.Register(fs)
	flags.NoAuthenticatorConfig = true
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: rbac [flags]\n\nSets up a resource server, a role, a group and a user, and shows the user's roles and scopes. Offline against an in-process fake when no %s* variable is set.\n\n", setup.EnvPrefix)
		fs.PrintDefaults()
	}
	if err := setup.Parse(fs, args); err != nil {
		return err
	}
	cfg, err := flags.Load(env)
	if err != nil {
		return err
	}
	c, stop, err := setup.Connect(cfg, stdout, stderr)
	defer stop()
	if err != nil {
		return err
	}
	return setUp(ctx, c, *identifier, strings.TrimSpace(*user), stdout)
}

func setUp(ctx context.Context, c *beyondidentity.Client, identifier, username string, stdout io.Writer) error {
	// 1. The resource server for the API, with every scope it defines.
	rs, err := ensureResourceServer(ctx, c, identifier)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "1. Resource server %s (%s), scopes %s.\n", rs.Identifier, rs.ID, strings.Join(rs.Scopes, " "))

	// 2. A role that grants some of the scopes.
	role, err := ensureRole(ctx, c, rs.ID)
	if err != nil {
		return err
	}
	if _, err := c.Roles.AddScopes(ctx, rs.ID, role.ID, roleScopes); err != nil {
		return fmt.Errorf("adding scopes to %q: %w", roleName, err)
	}
	fmt.Fprintf(stdout, "2. Role %q grants %s.\n", role.DisplayName, strings.Join(roleScopes, " "))

	// 3. The role goes to a group, and the user into the group.
	group, err := ensureGroup(ctx, c)
	if err != nil {
		return err
	}
	if _, err := c.Roles.AddMembers(ctx, rs.ID, role.ID, &beyondidentity.RoleMembers{GroupIDs: []string{group.ID}}); err != nil {
		return fmt.Errorf("giving %q to %q: %w", roleName, groupName, err)
	}
	id, err := ensureIdentity(ctx, c, username)
	if err != nil {
		return err
	}
	if _, err := c.Groups.AddMembers(ctx, group.ID, []string{id.ID}); err != nil {
		return fmt.Errorf("adding %s to %q: %w", username, groupName, err)
	}
	fmt.Fprintf(stdout, "3. Group %q has role %q; %s is in the group.\n", groupName, roleName, username)

	// 4. What the user may do: the roles given to it directly and those of
	// its groups, and the scopes they grant.
	roles, scopes, err := effectiveAccess(ctx, c, id.ID, rs.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "4. %s has roles [%s] and scopes [%s].\n", username, strings.Join(roles, ", "), strings.Join(scopes, " "))
	return nil
}

func ensureResourceServer(ctx context.Context, c *beyondidentity.Client, identifier string) (*beyondidentity.ResourceServer, error) {
	for rs, err := range c.ResourceServers.All(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("listing resource servers: %w", err)
		}
		if rs.Identifier == identifier {
			return rs, nil
		}
	}
	rs, err := c.ResourceServers.Create(ctx, &beyondidentity.CreateResourceServerRequest{
		DisplayName: "Pets API", Identifier: identifier, Scopes: apiScopes})
	if err != nil {
		return nil, fmt.Errorf("creating resource server %s: %w", identifier, err)
	}
	return rs, nil
}

func ensureRole(ctx context.Context, c *beyondidentity.Client, rsID string) (*beyondidentity.Role, error) {
	for r, err := range c.Roles.All(ctx, rsID, nil) {
		if err != nil {
			return nil, fmt.Errorf("listing roles: %w", err)
		}
		if r.DisplayName == roleName {
			return r, nil
		}
	}
	r, err := c.Roles.Create(ctx, rsID, &beyondidentity.CreateRoleRequest{DisplayName: roleName, Description: "May read and change pets"})
	if err != nil {
		return nil, fmt.Errorf("creating role %q: %w", roleName, err)
	}
	return r, nil
}

func ensureGroup(ctx context.Context, c *beyondidentity.Client) (*beyondidentity.Group, error) {
	for g, err := range c.Groups.All(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("listing groups: %w", err)
		}
		if g.DisplayName == groupName {
			return g, nil
		}
	}
	g, err := c.Groups.Create(ctx, &beyondidentity.CreateGroupRequest{DisplayName: groupName})
	if err != nil {
		return nil, fmt.Errorf("creating group %q: %w", groupName, err)
	}
	return g, nil
}

func ensureIdentity(ctx context.Context, c *beyondidentity.Client, username string) (*beyondidentity.Identity, error) {
	id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
		DisplayName: username, Traits: beyondidentity.Traits{Username: username}})
	if errors.Is(err, beyondidentity.ErrConflict) {
		return c.Identities.FindByUsername(ctx, username)
	}
	if err != nil {
		return nil, fmt.Errorf("creating identity %s: %w", username, err)
	}
	return id, nil
}

// effectiveAccess returns the names of an identity's roles of a resource
// server, given directly or through its groups, and the scopes they grant,
// sorted.
func effectiveAccess(ctx context.Context, c *beyondidentity.Client, identityID, rsID string) (roles, scopes []string, err error) {
	found := map[string]*beyondidentity.Role{}
	for r, err := range c.Identities.AllRoles(ctx, identityID, rsID, nil) {
		if err != nil {
			return nil, nil, err
		}
		found[r.ID] = r
	}
	for g, err := range c.Identities.AllGroups(ctx, identityID, nil) {
		if err != nil {
			return nil, nil, err
		}
		for r, err := range c.Groups.AllRoles(ctx, g.ID, rsID, nil) {
			if err != nil {
				return nil, nil, err
			}
			found[r.ID] = r
		}
	}
	for _, r := range found {
		roles = append(roles, r.DisplayName)
		for s, err := range c.Roles.AllScopes(ctx, rsID, r.ID, nil) {
			if err != nil {
				return nil, nil, err
			}
			if !slices.Contains(scopes, s) {
				scopes = append(scopes, s)
			}
		}
	}
	slices.Sort(roles)
	slices.Sort(scopes)
	return roles, scopes, nil
}
