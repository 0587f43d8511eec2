package beyondidentitytest_test

import (
	"testing"

	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServesTheRestOfTheAPI: a Server serves the themes, the flow type
// configuration, identity providers, SSO configs and SCIM, over loopback
// and in memory, with the token IssueToken gives (every scope).
func TestServesTheRestOfTheAPI(t *testing.T) {
	for _, mode := range []string{"loopback", "memory"} {
		t.Run(mode, func(t *testing.T) {
			var opts []beyondidentitytest.Option
			if mode == "memory" {
				opts = append(opts, beyondidentitytest.WithInMemory())
			}
			srv := newServer(t, opts...)
			tok := srv.IssueToken("")
			call := func(want int, method, rest string, body any) map[string]any {
				t.Helper()
				st, m := api(t, srv, tok, method, realmPath(srv, rest), body)
				require.Equal(t, want, st, "%s %s: %v", method, rest, m)
				return m
			}

			theme := call(200, "POST", "themes", map[string]any{"theme": map[string]any{"button_color": "#000000"}})
			assert.Equal(t, theme, call(200, "GET", "themes/active", nil))
			assert.Equal(t, srv.RealmID(), call(200, "GET", "flow-type-config", nil)["realm_id"])
			call(200, "POST", "identity-providers", map[string]any{"display_name": "IdP", "protocol_config": map[string]any{
				"type": "oidc_idp", "client_id": "c", "client_secret": "s", "token_scopes": []string{"openid"},
				"identity_attribute": "email", "pkce": "s256", "jwks_url": "https://idp.example/jwks",
				"token_url": "https://idp.example/token", "authorize_url": "https://idp.example/authorize", "identifying_claim_name": "email",
			}})

			// A SCIM user is an identity, which an SSO config can be
			// assigned to.
			user := call(201, "POST", "scim/v2/Users", map[string]any{
				"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": "ada", "displayName": "Ada",
			})
			id := user["id"].(string)
			assert.Equal(t, "ada", call(200, "GET", "identities/"+id, nil)["traits"].(map[string]any)["username"])
			sso := call(200, "POST", "sso-configs", map[string]any{"sso_config": map[string]any{
				"display_name": "Wiki", "payload": map[string]any{"type": "bookmark", "login_link": "https://wiki.example"},
			}})["id"].(string)
			call(200, "POST", "sso-configs/"+sso+":addIdentities", map[string]any{"identity_ids": []string{id}})
			m := call(200, "GET", "identities/"+id+"/sso-configs", nil)
			assert.EqualValues(t, 1, m["total_size"])
			call(404, "GET", "identities/"+id+"/sso-configs/"+sso+"/is-identity-assigned", nil)
		})
	}
}
