// Command groups provisions users into a group and decides access from
// group membership: what a backend does once its users sign in with
// passkeys and some of them may see more than others.
//
// It finds the group by name (or creates it), creates the users' identities
// (or finds those that exist), adds them to the group in one call, then,
// for each user of -check (users that "signed in"), decides access from the
// groups the user belongs to. Running it twice changes nothing the second
// time.
//
// With no configuration it runs offline against the in-process fake of
// beyondidentitytest and says so on its first line:
//
//	go run ./examples/groups
//
// With the BEYOND_IDENTITY_* variables set (see the README's table; the
// authenticator config is not needed here) it works on your realm: it
// creates the group and the identities it does not find.
//
// Usage:
//
//	groups [-group NAME] [-users ada,grace] [-check ada,mallory] [-v]
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

func main() { setup.Main("groups", run) }

type options struct {
	group string
	users []string // provisioned into the group
	check []string // users who sign in; access is decided for each
}

func run(ctx context.Context, args []string, env func(string) (string, bool), stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("groups", flag.ContinueOnError)
	fs.SetOutput(stderr)
	group := fs.String("group", "admins", "display name of the group (created if absent)")
	users := fs.String("users", "ada.lovelace,grace.hopper", "comma-separated usernames to put into the group (identities created if absent)")
	check := fs.String("check", "ada.lovelace,mallory", "comma-separated usernames that sign in: access is decided for each")
	flags := setup.Register(fs)
	flags.NoAuthenticatorConfig = true
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: groups [flags]\n\nProvisions users into a group and decides access from membership. Offline against an in-process fake when no %s* variable is set.\n\n", setup.EnvPrefix)
		fs.PrintDefaults()
	}
	if err := setup.Parse(fs, args); err != nil {
		return err
	}
	o := options{group: strings.TrimSpace(*group), users: splitList(*users), check: splitList(*check)}
	if o.group == "" || len(o.users) == 0 {
		return errors.New("-group and -users must not be empty")
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
	return provisionAndDecide(ctx, c, o, stdout)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func provisionAndDecide(ctx context.Context, c *beyondidentity.Client, o options, stdout io.Writer) error {
	// 1. The group, found by name or created. Display names need not be
	// unique in the API: take the first one with the name.
	g, err := findGroup(ctx, c, o.group)
	if err != nil {
		return err
	}
	if g == nil {
		if g, err = c.Groups.Create(ctx, &beyondidentity.CreateGroupRequest{DisplayName: o.group, Description: "Created by the groups example"}); err != nil {
			return fmt.Errorf("creating group %q: %w", o.group, err)
		}
		fmt.Fprintf(stdout, "1. Created group %q (%s).\n", g.DisplayName, g.ID)
	} else {
		fmt.Fprintf(stdout, "1. Found group %q (%s).\n", g.DisplayName, g.ID)
	}

	// 2. The identities, created or found.
	ids := make([]string, 0, len(o.users))
	for _, u := range o.users {
		id, created, err := ensureIdentity(ctx, c, u)
		if err != nil {
			return err
		}
		verb := "found"
		if created {
			verb = "created"
		}
		fmt.Fprintf(stdout, "2. Identity %s %s (%s).\n", u, verb, id.ID)
		ids = append(ids, id.ID)
	}

	// 3. One call puts them all in the group (up to 1,000 a call); members
	// already in it stay, so a rerun changes nothing.
	if _, err := c.Groups.AddMembers(ctx, g.ID, ids); err != nil {
		return fmt.Errorf("adding members to %q: %w", o.group, err)
	}
	n := 0
	for _, err := range c.Groups.AllMembers(ctx, g.ID, nil) {
		if err != nil {
			return err
		}
		n++
	}
	fmt.Fprintf(stdout, "3. Group %q has %d members.\n", o.group, n)

	// 4. Users sign in (with their passkeys); the backend decides access
	// from their groups.
	for _, u := range o.check {
		allowed, err := memberOf(ctx, c, u, g.ID)
		if err != nil {
			return err
		}
		if allowed {
			fmt.Fprintf(stdout, "4. %s signed in: access granted (member of %q).\n", u, o.group)
		} else {
			fmt.Fprintf(stdout, "4. %s signed in: access denied (not in %q).\n", u, o.group)
		}
	}
	return nil
}

func findGroup(ctx context.Context, c *beyondidentity.Client, name string) (*beyondidentity.Group, error) {
	for g, err := range c.Groups.All(ctx, &beyondidentity.PageOptions{PageSize: 200}) {
		if err != nil {
			return nil, fmt.Errorf("listing groups: %w", err)
		}
		if g.DisplayName == name {
			return g, nil
		}
	}
	return nil, nil
}

func ensureIdentity(ctx context.Context, c *beyondidentity.Client, username string) (*beyondidentity.Identity, bool, error) {
	id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
		DisplayName: username, Traits: beyondidentity.Traits{Username: username}})
	if errors.Is(err, beyondidentity.ErrConflict) {
		id, err = c.Identities.FindByUsername(ctx, username)
		return id, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("creating identity %s: %w", username, err)
	}
	return id, true, nil
}

// memberOf decides access: the user exists and belongs to the group. Any
// error denies access and is returned.
func memberOf(ctx context.Context, c *beyondidentity.Client, username, groupID string) (bool, error) {
	id, err := c.Identities.FindByUsername(ctx, username)
	if errors.Is(err, beyondidentity.ErrNotFound) {
		return false, nil // an unknown user is no member
	}
	if err != nil {
		return false, err
	}
	for g, err := range c.Identities.AllGroups(ctx, id.ID, nil) {
		if err != nil {
			return false, err
		}
		if g.ID == groupID {
			return true, nil
		}
	}
	return false, nil
}
