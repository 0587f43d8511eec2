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

func TestRunOffline(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), nil, func(string) (string, bool) { return "", false }, &out, &bytes.Buffer{}))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Contains(t, lines[0], "in-process fake")
	assert.Contains(t, out.String(), "scopes pets:read pets:write pets:delete.")
	assert.Contains(t, out.String(), `2. Role "Pet editors" grants pets:read pets:write.`)
	assert.Contains(t, out.String(), "4. ada.lovelace has roles [Pet editors] and scopes [pets:read pets:write].")
}

func TestRerunChangesNothing(t *testing.T) {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	defer srv.Close()
	c, err := setup.FakeFor(srv, false).NewClient(&bytes.Buffer{})
	require.NoError(t, err)
	ctx := context.Background()
	var first, second bytes.Buffer
	require.NoError(t, setUp(ctx, c, "https://api.pets.example", "ada", &first))
	require.NoError(t, setUp(ctx, c, "https://api.pets.example", "ada", &second))
	assert.Equal(t, lastLine(first.String()), lastLine(second.String()))
	rs, err := c.ResourceServers.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, rs.Items, 1, "one resource server (the Management API's lives in the Admin realm)")
	groups, err := c.Groups.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, groups.Items, 1)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
