package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/passkeyhq/beyondidentity/examples/internal/setup"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noEnv(string) (string, bool) { return "", false }

func TestRunOffline(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-users", "ada,grace", "-check", "grace,mallory"}, noEnv, &out, &errOut))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Contains(t, lines[0], "in-process fake")
	assert.Contains(t, out.String(), `1. Created group "admins"`)
	assert.Contains(t, out.String(), "2. Identity ada created")
	assert.Contains(t, out.String(), `3. Group "admins" has 2 members.`)
	assert.Contains(t, out.String(), `4. grace signed in: access granted (member of "admins").`)
	assert.Contains(t, out.String(), `4. mallory signed in: access denied (not in "admins").`)
}

func TestRerunChangesNothing(t *testing.T) {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	defer srv.Close()
	fake := setup.FakeFor(srv, false)
	c, err := fake.NewClient(&bytes.Buffer{})
	require.NoError(t, err)
	o := options{group: "admins", users: []string{"ada", "grace"}, check: []string{"ada"}}
	var first, second bytes.Buffer
	require.NoError(t, provisionAndDecide(context.Background(), c, o, &first))
	require.NoError(t, provisionAndDecide(context.Background(), c, o, &second))
	assert.Contains(t, second.String(), `1. Found group "admins"`)
	assert.Contains(t, second.String(), "2. Identity ada found")
	assert.Contains(t, second.String(), `3. Group "admins" has 2 members.`)
	groups, err := c.Groups.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Len(t, groups.Items, 1, "no second group")
}

func TestOnlineNeedsNoAuthenticatorConfig(t *testing.T) {
	env := map[string]string{"BEYOND_IDENTITY_TENANT_ID": "t", "BEYOND_IDENTITY_REALM_ID": "r", "BEYOND_IDENTITY_API_TOKEN": "tok"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	var out bytes.Buffer
	// Configured but unreachable here: the error must come from the API
	// call, not from a missing authenticator config.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, nil, lookup, &out, &bytes.Buffer{})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "AUTHENTICATOR_CONFIG_ID")
}
