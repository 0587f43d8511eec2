package contract

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mockCall drives one operation with the SDK against the mock. It returns
// the SDK's result put back in the API's shape (re-encoded with the SDK's
// own JSON encoding, page structs as their list objects), and the ID of
// the resource (or of the first listed one), "" when the answer has none.
type mockCall func(ctx context.Context, c *bi.Client) (shape any, id string, err error)

// IDs the mock's requests use; the mock answers with its examples whatever
// they are.
const (
	mID    = "e372db224c06e850"
	mCfgID = "73731b7f-eb76-4143-9b4b-81a720385f5a"
	mApp   = "4dc5c8a5-f3a4-4d2b-b7b1-6a4e0f9a3b21"
	mRealm = "19a95130480dfa79"
	mGroup = "81490afab171aef0"
	mRS    = "7b5a4325-00e0-4379-bd7b-3e5e7e30b09e"
	mRole  = "fb785d40cbe4fc0d"
	mTheme = "88ef08fb-c3f9-44e2-b174-fbb239e1dc47"
)

// appShape puts an application back in the API's shape. The client secret
// is a Secret, which encodes as REDACTED: the shape holds what it reveals.
func appShape(a *bi.Application) (map[string]any, error) {
	b, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	var secret bi.Secret
	switch pc := a.ProtocolConfig.(type) {
	case *bi.OAuth2Config:
		secret = pc.ClientSecret
	case *bi.OIDCConfig:
		secret = pc.ClientSecret
	}
	if pc, ok := m["protocol_config"].(map[string]any); ok && !secret.IsZero() {
		pc["client_secret"] = secret.Reveal()
	}
	return m, nil
}

// appCall turns an application result into a mockCall result.
func appCall(a *bi.Application, err error) (any, string, error) {
	if err != nil {
		return nil, "", err
	}
	shape, err := appShape(a)
	return shape, a.ID, err
}

// roleCall turns a role result into a mockCall result.
func roleCall(r *bi.Role, err error) (any, string, error) {
	if err != nil {
		return nil, "", err
	}
	return r, r.ID, nil
}

// themeCall turns a theme result into a mockCall result.
func themeCall(v *bi.Theme, err error) (any, string, error) {
	if err != nil {
		return nil, "", err
	}
	return v, v.ID, nil
}

// flowTypeConfigCall turns a flow type configuration result into a
// mockCall result.
func flowTypeConfigCall(v *bi.FlowTypeConfig, err error) (any, string, error) {
	if err != nil {
		return nil, "", err
	}
	return v, v.ID, nil
}

// serverCall turns a resource server result into a mockCall result.
func serverCall(s *bi.ResourceServer, err error) (any, string, error) {
	if err != nil {
		return nil, "", err
	}
	return s, s.ID, nil
}

func listShape[T any](key string, p *bi.Page[T]) map[string]any {
	return map[string]any{key: p.Items, "total_size": p.TotalSize, "next_page_token": p.NextPageToken}
}

func firstID[T any](items []T, id func(T) string) string {
	if len(items) == 0 {
		return ""
	}
	return id(items[0])
}

// IDs of the SSO config, identity provider and SCIM mock calls.
const (
	mSSO       = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
	mIdP       = "a1b2c3d4e5f60718"
	mSCIMUser  = "2819c223-7f76-453a-919d-413861904646"
	mSCIMGroup = "22e7c78c-39ff-4501-8ed4-32d0479e54c1"
)

// revealedShape puts v back in the API's shape: its JSON encoding by the
// SDK, with the value of every Secret (which encodes as REDACTED) put
// back, at any depth of structs, pointers, interfaces and slices.
func revealedShape(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	revealSecrets(reflect.ValueOf(v), doc)
	return doc, nil
}

// interfaceMembers are the JSON names of the interface fields the SDK's
// types encode themselves (tagged json:"-").
var interfaceMembers = map[string]string{"Payload": "payload", "ProtocolConfig": "protocol_config"}

func revealSecrets(rv reflect.Value, doc any) {
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Struct:
		m, ok := doc.(map[string]any)
		if !ok {
			return
		}
		t := rv.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fv := rv.Field(i)
			if f.Anonymous {
				revealSecrets(fv, doc)
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case name == "-":
				name = interfaceMembers[f.Name]
			case name == "":
				name = f.Name
			}
			if name == "" {
				continue
			}
			if s, ok := fv.Interface().(bi.Secret); ok {
				if !s.IsZero() {
					m[name] = s.Reveal()
				}
				continue
			}
			revealSecrets(fv, m[name])
		}
	case reflect.Slice, reflect.Array:
		a, ok := doc.([]any)
		if !ok {
			return
		}
		for i := range min(len(a), rv.Len()) {
			revealSecrets(rv.Index(i), a[i])
		}
	}
}

// noResourceID is the ID mockCall gives for a result that has no ID field
// (a test result, a configuration), so that the check that a result
// carries its ID passes.
const noResourceID = "-"

// idOf returns the ID field of the struct v points to, noResourceID when
// the struct has none.
func idOf(v any) string {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if f := rv.FieldByName("ID"); f.IsValid() && f.Kind() == reflect.String {
		return f.String()
	}
	return noResourceID
}

// shapeCall turns a result into a mockCall result: its shape with secrets
// revealed, and its ID.
func shapeCall[T any](v *T, err error) (any, string, error) {
	if err != nil {
		return nil, "", err
	}
	shape, err := revealedShape(v)
	return shape, idOf(v), err
}

// pageShape is listShape with secrets revealed.
func pageShape[T any](key string, p *bi.Page[T]) (any, string, error) {
	items, err := revealedShape(p.Items)
	if err != nil {
		return nil, "", err
	}
	id := ""
	if len(p.Items) > 0 {
		id = idOf(p.Items[0])
	}
	return map[string]any{key: items, "total_size": p.TotalSize, "next_page_token": p.NextPageToken}, id, nil
}

// scimPageCall turns a SCIM ListResponse into a mockCall result.
func scimPageCall[T any](p *bi.SCIMPage[T], err error) (any, string, error) {
	if err != nil {
		return nil, "", err
	}
	id := ""
	if len(p.Resources) > 0 {
		id = idOf(p.Resources[0])
	}
	return p, id, nil
}

// mockDefect is a defect of the spec that keeps an answer of the mock from
// coming back through the SDK as the spec gives it. The decoders are not
// bent to it: the test checks that the defect is still there, and fails
// once it is not.
type mockDefect struct {
	Op      string
	Status  int    // the answer asked for; 0 for every one
	Example string // its example; "" for any
	// Refused: the mock refuses every request of the operation that the
	// SDK can send, and answers its 400 whatever it is asked for. The
	// other answers cannot be fetched; the 400 is checked instead.
	Refused bool
	// Paths are the places where the SDK's result differs from the
	// example, as diffJSON names them ("$.code"): each must differ,
	// nothing else may.
	Paths []string
	Why   string

	mu   sync.Mutex
	hits int
}

// mockDefects are the known defects of the spec's answers to the
// operations of the SSO config, identity provider and SCIM services.
var mockDefects = []*mockDefect{
	{
		Op: "UpdateSsoConfig", Refused: true,
		Why: "every variant of SsoConfigPartialUpdatePayload requires only type, and none pins it, so every body " +
			"matches all nine and fails the oneOf; the answer is CreateSsoConfig's, decoded there",
	},
	{
		Op: "ListSsoConfigsForIdentity", Refused: true,
		Why: "the operation declares a required path parameter sso_config_id that its path does not have",
	},
	{
		Op: "ListSsoConfigsForGroup", Refused: true,
		Why: "the operation declares a required path parameter sso_config_id that its path does not have",
	},
	{
		Op: "listIdentityProviders", Refused: true,
		Why: "the operation declares a required path parameter sso_config_id that its path does not have",
	},
	{
		Op: "ListGroupsForSSOConfig", Status: 200, Example: "Success",
		Paths: []string{"$.code", "$.message", "$.details"},
		Why:   "the Success example is an Error body (bad_request, identity_ids exceeds 1000 elements), not a list of groups",
	},
	{
		Op: "TestSsoConfig", Status: 200,
		Paths: []string{"$.identity_providers[0].is_successful", "$.identity_providers[0].status_code",
			"$.identity_providers[1].status_code"},
		Why: "the example names the outcome is_successful with a numeric status_code; the schema says is_success " +
			"and a string, which the SDK reads either way and gives back as the schema has it",
	},
	scimUserExample("SCIMCreateUser", 201, "$."),
	scimUserExample("SCIMUpdateUser", 200, "$."),
	scimUserExample("SCIMReplaceUser", 200, "$."),
	scimUserExample("SCIMListUsers", 200, "$.Resources[0]."),
}

// scimUserExample is the defect of the spec's SCIM user example: name is
// an array of objects that each hold one part of the name, and the
// enterprise extension's manager an array of one manager, where SCIMUser
// (and RFC 7643) have an object each. The SDK reads both forms into its
// objects (SCIMName and SCIMManager), and gives them back as objects.
func scimUserExample(op string, status int, at string) *mockDefect {
	return &mockDefect{
		Op: op, Status: status, Example: "Success",
		Paths: []string{at + "name", at + bi.SCIMSchemaEnterpriseUser + ".manager"},
		Why:   "the example's name and manager are arrays, where SCIMUser has objects",
	}
}

// findMockDefect returns the known defect of an answer, nil when it has
// none. A refusal does not concern the 400, which the mock does answer.
func findMockDefect(op string, status int, example string) *mockDefect {
	for _, d := range mockDefects {
		if d.Op != op || (d.Status != 0 && d.Status != status) || (d.Example != "" && d.Example != example) {
			continue
		}
		if d.Refused && status == http.StatusBadRequest {
			continue
		}
		return d
	}
	return nil
}

func (d *mockDefect) hit() {
	d.mu.Lock()
	d.hits++
	d.mu.Unlock()
}

func (d *mockDefect) used() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.hits
}

// sort returns the differences the defect does not explain, and fails t
// for each of its places that no longer differs.
func (d *mockDefect) sort(t *testing.T, diffs []string) []string {
	t.Helper()
	if d == nil {
		return diffs
	}
	seen := map[string]bool{}
	var rest []string
	for _, diff := range diffs {
		path, _, _ := strings.Cut(diff, ": ")
		if slices.Contains(d.Paths, path) {
			seen[path] = true
		} else {
			rest = append(rest, diff)
		}
	}
	for _, p := range d.Paths {
		if !seen[p] {
			t.Errorf("known defect at %s no longer seen: remove it (%s)", p, d.Why)
		}
	}
	if len(seen) == len(d.Paths) {
		d.hit()
	}
	return rest
}

// mockBookmark is the SSO config payload of the mock calls: a bookmark, the
// one kind whose request the spec's oneOf takes (see allowlist_test.go).
func mockBookmark() bi.SSOPayload {
	return &bi.BookmarkSSOPayload{LoginLink: "https://wiki.example/login", IsTileVisible: bi.Ptr(true)}
}

var mockCalls = map[string]mockCall{
	"CreateIdentity": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Identities.Create(ctx, &bi.CreateIdentityRequest{DisplayName: "Test Identity",
			Traits: bi.Traits{Username: "test", PrimaryEmailAddress: "test@example.com"}})
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"ListIdentities": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.Identities.List(ctx, &bi.ListOptions{PageSize: 20})
		if err != nil {
			return nil, "", err
		}
		return listShape("identities", p), firstID(p.Items, func(v *bi.Identity) string { return v.ID }), nil
	},
	"GetIdentity": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Identities.Get(ctx, mID)
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"UpdateIdentity": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Identities.Update(ctx, mID, &bi.UpdateIdentityRequest{DisplayName: bi.Ptr("Test Identity"),
			Traits: &bi.TraitsUpdate{PrimaryEmailAddress: bi.Ptr("test@example.com")}})
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"DeleteIdentity": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.Identities.Delete(ctx, mID)
	},
	"BatchDeleteIdentities": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.Identities.BatchDelete(ctx, []string{mID, "a3f28b7c9e6d1234"})
	},
	"CreateCredentialBindingJob": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.BindingJobs.Create(ctx, mID, &bi.CreateBindingJobRequest{
			DeliveryMethod: bi.DeliveryMethodReturn, AuthenticatorConfigID: mCfgID,
			PostBindingRedirectURI: "http://example.com/callback"})
		if err != nil {
			return nil, "", err
		}
		// The link is a Secret, which encodes as REDACTED: compare what it holds.
		return map[string]any{"credential_binding_job": v.Job, "credential_binding_link": v.Link.Reveal()}, v.Job.ID, nil
	},
	"ListCredentialBindingJobs": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.BindingJobs.List(ctx, bi.AllIdentities, nil)
		if err != nil {
			return nil, "", err
		}
		return listShape("credential_binding_jobs", p), firstID(p.Items, func(v *bi.BindingJob) string { return v.ID }), nil
	},
	"GetCredentialBindingJob": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.BindingJobs.Get(ctx, mID, "c4fc2d753ca22b14")
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"SetCredentialBindingJobRevoked": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.BindingJobs.Revoke(ctx, mID, "c4fc2d753ca22b14")
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"CreateBatchCredentialBindingJob": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.BindingJobs.BatchCreate(ctx, &bi.CreateBatchBindingJobRequest{
			IdentityIDs: []string{mID, "a3f28b7c9e6d1234"},
			JobTemplate: bi.BatchBindingJobTemplate{AuthenticatorConfigID: mCfgID}})
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"GetBatchCredentialBindingJob": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.BindingJobs.GetBatch(ctx, "81490afab171aef0")
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"ListBatchCredentialBindingJobResults": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.BindingJobs.ListBatchResults(ctx, "81490afab171aef0", nil)
		if err != nil {
			return nil, "", err
		}
		shape := listShape("job_results", &p.Page)
		shape["total_success_count"] = p.TotalSuccessCount
		shape["total_failure_count"] = p.TotalFailureCount
		shape["total_pending_count"] = p.TotalPendingCount
		return shape, firstID(p.Items, func(v *bi.BindingJob) string { return v.ID }), nil
	},
	"ListCredentials": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.Credentials.List(ctx, mID, nil)
		if err != nil {
			return nil, "", err
		}
		for _, cr := range p.Items {
			if _, err := cr.PublicKey(); err != nil {
				return nil, "", fmt.Errorf("credential %s: %w", cr.ID, err)
			}
		}
		return listShape("credentials", p), firstID(p.Items, func(v *bi.Credential) string { return v.ID }), nil
	},
	"GetCredential": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Credentials.Get(ctx, mID, "81490afab171aef0")
		if err != nil {
			return nil, "", err
		}
		// jwk_json is a string holding a JWK: the key must parse.
		if _, err := v.PublicKey(); err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"RevokeCredential": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Credentials.Revoke(ctx, mID, "81490afab171aef0")
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"CreateAuthenticatorConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.AuthenticatorConfigs.Create(ctx, &bi.CreateAuthenticatorConfigRequest{DisplayName: "Pet Authenticator Configuration",
			Config: &bi.EmbeddedSettings{InvokeURL: "http://localhost:8092", TrustedOrigins: []string{"http://localhost:8092"}}})
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"ListAuthenticatorConfigs": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.AuthenticatorConfigs.List(ctx, nil)
		if err != nil {
			return nil, "", err
		}
		return listShape("authenticator_configs", p), firstID(p.Items, func(v *bi.AuthenticatorConfig) string { return v.ID }), nil
	},
	"GetAuthenticatorConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.AuthenticatorConfigs.Get(ctx, mCfgID)
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"UpdateAuthenticatorConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		// A complete config, so that the request is valid under the spec's
		// PATCH schema as it stands.
		v, err := c.AuthenticatorConfigs.Update(ctx, mCfgID, &bi.UpdateAuthenticatorConfigRequest{
			Config: &bi.EmbeddedSettings{InvokeURL: "http://localhost:8092", TrustedOrigins: []string{"http://localhost:8092"}}})
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"DeleteAuthenticatorConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.AuthenticatorConfigs.Delete(ctx, mCfgID)
	},
	"ListTokens": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.Tokens.List(ctx, mApp, nil)
		if err != nil {
			return nil, "", err
		}
		return listShape("tokens", p), firstID(p.Items, func(v *bi.Token) string { return v.ID }), nil
	},
	"RevokeToken": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.Tokens.Revoke(ctx, mApp, "cTXMRjNrTz7w3p7wO5HJ5cUTpFt5Z3yL")
	},
	"GetTenant": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Tenant.Get(ctx)
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"UpdateTenant": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Tenant.Update(ctx, &bi.UpdateTenantRequest{DisplayName: bi.Ptr("Test Tenant")})
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"CreateRealm": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Realms.Create(ctx, &bi.CreateRealmRequest{DisplayName: "Test Realm",
			Classification: bi.RealmClassificationSecureWorkforce})
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"ListRealms": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.Realms.List(ctx, &bi.PageOptions{PageSize: 20})
		if err != nil {
			return nil, "", err
		}
		return listShape("realms", p), firstID(p.Items, func(v *bi.Realm) string { return v.ID }), nil
	},
	"GetRealm": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Realms.Get(ctx, mRealm)
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"UpdateRealm": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Realms.Update(ctx, mRealm, &bi.UpdateRealmRequest{DisplayName: bi.Ptr("Test Realm")})
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"DeleteRealm": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.Realms.Delete(ctx, mRealm)
	},
	"CreateGroup": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Groups.Create(ctx, &bi.CreateGroupRequest{DisplayName: "Realm Administrators",
			Description: "A group of realm administrators."})
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"ListGroups": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.Groups.List(ctx, nil)
		if err != nil {
			return nil, "", err
		}
		return listShape("groups", p), firstID(p.Items, func(v *bi.Group) string { return v.ID }), nil
	},
	"GetGroup": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Groups.Get(ctx, mGroup)
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"UpdateGroup": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Groups.Update(ctx, mGroup, &bi.UpdateGroupRequest{DisplayName: bi.Ptr("Realm Administrators")})
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"DeleteGroup": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.Groups.Delete(ctx, mGroup)
	},
	"AddGroupMembers": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Groups.AddMembers(ctx, mGroup, []string{mID, "3a28d4f28b57cc93"})
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"DeleteGroupMembers": func(ctx context.Context, c *bi.Client) (any, string, error) {
		v, err := c.Groups.RemoveMembers(ctx, mGroup, []string{mID, "3a28d4f28b57cc93"})
		if err != nil {
			return nil, "", err
		}
		return v, v.ID, nil
	},
	"ListGroupMembers": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.Groups.ListMembers(ctx, mGroup, nil)
		if err != nil {
			return nil, "", err
		}
		return listShape("identities", p), firstID(p.Items, func(v *bi.Identity) string { return v.ID }), nil
	},
	"ListGroupRoles": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.Groups.ListRoles(ctx, mGroup, mRS, nil)
		if err != nil {
			return nil, "", err
		}
		return listShape("roles", p), firstID(p.Items, func(v *bi.Role) string { return v.ID }), nil
	},
	"ListIdentityGroups": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.Identities.ListGroups(ctx, mID, nil)
		if err != nil {
			return nil, "", err
		}
		return listShape("groups", p), firstID(p.Items, func(v *bi.Group) string { return v.ID }), nil
	},
	"ListIdentityRoles": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.Identities.ListRoles(ctx, mID, mRS, nil)
		if err != nil {
			return nil, "", err
		}
		return listShape("roles", p), firstID(p.Items, func(v *bi.Role) string { return v.ID }), nil
	},

	// SSOConfigsService
	"CreateSsoConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.SSOConfigs.Create(ctx, &bi.CreateSSOConfigRequest{DisplayName: "Wiki", Payload: mockBookmark()}))
	},
	"listSsoConfigs": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.SSOConfigs.List(ctx, &bi.ListSSOConfigsOptions{PageSize: 20})
		if err != nil {
			return nil, "", err
		}
		return pageShape("sso_configs", p)
	},
	"GetSsoConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.SSOConfigs.Get(ctx, mSSO))
	},
	"UpdateSsoConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.SSOConfigs.Update(ctx, mSSO, &bi.UpdateSSOConfigRequest{Payload: mockBookmark()}))
	},
	"DeleteSsoConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.SSOConfigs.Delete(ctx, mSSO)
	},
	"AddIdentitiesToSsoConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.SSOConfigs.AddIdentities(ctx, mSSO, []string{mID, "3a28d4f28b57cc93"})
	},
	"DeleteIdentitiesFromSsoConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.SSOConfigs.RemoveIdentities(ctx, mSSO, []string{mID, "3a28d4f28b57cc93"})
	},
	"ListIdentitiesForSsoConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.SSOConfigs.ListIdentities(ctx, mSSO, &bi.CursorOptions{PageSize: 20})
		if err != nil {
			return nil, "", err
		}
		return pageShape("identities", p)
	},
	"AddGroupsToSsoConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.SSOConfigs.AddGroups(ctx, mSSO, []string{mGroup})
	},
	"DeleteGroupsFromSsoConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.SSOConfigs.RemoveGroups(ctx, mSSO, []string{mGroup})
	},
	"ListGroupsForSSOConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.SSOConfigs.ListGroups(ctx, mSSO, nil)
		if err != nil {
			return nil, "", err
		}
		return pageShape("groups", p)
	},
	"ListSsoConfigsForIdentity": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.SSOConfigs.ListForIdentity(ctx, mID, nil)
		if err != nil {
			return nil, "", err
		}
		return pageShape("sso_configs", p)
	},
	"ListSsoConfigsForGroup": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.SSOConfigs.ListForGroup(ctx, mGroup, nil)
		if err != nil {
			return nil, "", err
		}
		return pageShape("sso_configs", p)
	},
	"ApplicationIdToSSOConfigId": func(ctx context.Context, c *bi.Client) (any, string, error) {
		id, err := c.SSOConfigs.GetIDForApplication(ctx, mApp)
		if err != nil {
			return nil, "", err
		}
		return map[string]any{"sso_config_id": id}, id, nil
	},
	"TestSsoConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.SSOConfigs.Test(ctx, mSSO))
	},

	// IdentityProvidersService
	"createIdentityProvider": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.IdentityProviders.Create(ctx, &bi.CreateIdentityProviderRequest{DisplayName: "Corporate IdP",
			ProtocolConfig: &bi.OIDCIdentityProviderConfig{
				ClientID: "beyond-identity", ClientSecret: bi.NewSecret("client-secret-from-the-idp"),
				TokenScopes: []string{"openid"}, IdentityAttribute: bi.SubjectFieldEmail, PKCE: bi.PKCES256,
				JWKSURL: "https://idp.example/jwks", TokenURL: "https://idp.example/token",
				AuthorizeURL: "https://idp.example/authorize", IdentifyingClaimName: "email",
			}})
		if err != nil {
			return nil, "", err
		}
		if p.ID == "" {
			// The answer the spec documents is the protocol config alone,
			// without an ID (see S11 in allowlist_test.go): the SDK gives
			// an IdentityProvider with only ProtocolConfig.
			shape, err := revealedShape(p.ProtocolConfig)
			return shape, noResourceID, err
		}
		return shapeCall(p, nil)
	},
	"listIdentityProviders": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.IdentityProviders.List(ctx, &bi.CursorOptions{PageSize: 20})
		if err != nil {
			return nil, "", err
		}
		return pageShape("identity_providers", p)
	},
	"getIdentityProvider": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.IdentityProviders.Get(ctx, mIdP))
	},
	"updateIdentityProvider": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.IdentityProviders.Update(ctx, mIdP, &bi.UpdateIdentityProviderRequest{DisplayName: bi.Ptr("Corporate IdP")}))
	},
	"deleteIdentityProvider": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.IdentityProviders.Delete(ctx, mIdP)
	},

	// SCIMService
	"SCIMCreateUser": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.SCIM.Users.Create(ctx, &bi.SCIMUser{UserName: "bjensen", ExternalID: "bjensen",
			DisplayName: "Ms. Barbara Jensen", Name: bi.SCIMName{FamilyName: "Jensen", GivenName: "Barbara"},
			Emails: []bi.SCIMEmail{{Value: "bjensen@example.com", Primary: true}}, Active: bi.Ptr(true)}))
	},
	"SCIMListUsers": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return scimPageCall(c.SCIM.Users.List(ctx, &bi.SCIMListOptions{Filter: bi.FilterEq("userName", "bjensen")}))
	},
	"SCIMGetUser": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.SCIM.Users.Get(ctx, mSCIMUser))
	},
	"SCIMUpdateUser": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.SCIM.Users.Update(ctx, mSCIMUser, bi.SCIMPatch().Replace("displayName", "Ms. Barbara J Jensen III")))
	},
	"SCIMReplaceUser": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.SCIM.Users.Replace(ctx, mSCIMUser, &bi.SCIMUser{UserName: "bjensen", ExternalID: "bjensen",
			DisplayName: "Ms. Barbara J Jensen III", Name: bi.SCIMName{FamilyName: "Jensen", GivenName: "Barbara"},
			Emails: []bi.SCIMEmail{{Value: "bjensen@example.com", Primary: true}}, Active: bi.Ptr(true)}))
	},
	"SCIMDeleteUser": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.SCIM.Users.Delete(ctx, mSCIMUser)
	},
	"SCIMCreateGroup": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.SCIM.Groups.Create(ctx, &bi.SCIMGroup{DisplayName: "Test Group"}))
	},
	"SCIMListGroups": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return scimPageCall(c.SCIM.Groups.List(ctx, &bi.SCIMListOptions{Filter: bi.FilterEq("displayName", "Test Group")}))
	},
	"SCIMGetGroup": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.SCIM.Groups.Get(ctx, mSCIMGroup))
	},
	"SCIMUpdateGroup": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.SCIM.Groups.Update(ctx, mSCIMGroup, bi.SCIMPatch().Replace("displayName", "Test Group")))
	},
	"SCIMDeleteGroup": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.SCIM.Groups.Delete(ctx, mSCIMGroup)
	},
	"ListResourceTypes": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return scimPageCall(c.SCIM.ListResourceTypes(ctx))
	},
	"ListSchemas": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return scimPageCall(c.SCIM.ListSchemas(ctx))
	},
	"GetServiceProviderConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return shapeCall(c.SCIM.GetServiceProviderConfig(ctx))
	},

	"CreateResourceServer": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return serverCall(c.ResourceServers.Create(ctx, &bi.CreateResourceServerRequest{DisplayName: "Pet API",
			Identifier: "https://api.mypetapp.com", Scopes: []string{"pets:read", "pets:write"}}))
	},
	"ListResourceServers": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.ResourceServers.List(ctx, &bi.CursorOptions{PageSize: 20})
		if err != nil {
			return nil, "", err
		}
		return listShape("resource_servers", p), firstID(p.Items, func(v *bi.ResourceServer) string { return v.ID }), nil
	},
	"GetResourceServer": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return serverCall(c.ResourceServers.Get(ctx, mRS))
	},
	"UpdateResourceServer": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return serverCall(c.ResourceServers.Update(ctx, mRS, &bi.UpdateResourceServerRequest{DisplayName: bi.Ptr("Pet API")}))
	},
	"DeleteResourceServer": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.ResourceServers.Delete(ctx, mRS)
	},
	"CreateRole": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return roleCall(c.Roles.Create(ctx, mRS, &bi.CreateRoleRequest{DisplayName: "Help Desk",
			Description: "Customer support personnel."}))
	},
	"ListRoles": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.Roles.List(ctx, mRS, &bi.PageOptions{PageSize: 20})
		if err != nil {
			return nil, "", err
		}
		return listShape("roles", p), firstID(p.Items, func(v *bi.Role) string { return v.ID }), nil
	},
	"GetRole": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return roleCall(c.Roles.Get(ctx, mRS, mRole))
	},
	"UpdateRole": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return roleCall(c.Roles.Update(ctx, mRS, mRole, &bi.UpdateRoleRequest{DisplayName: bi.Ptr("Help Desk")}))
	},
	"DeleteRole": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.Roles.Delete(ctx, mRS, mRole)
	},
	"AddRoleMembers": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return roleCall(c.Roles.AddMembers(ctx, mRS, mRole, &bi.RoleMembers{GroupIDs: []string{mID}, IdentityIDs: []string{"3a28d4f28b57cc93"}}))
	},
	"DeleteRoleMembers": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return roleCall(c.Roles.RemoveMembers(ctx, mRS, mRole, &bi.RoleMembers{GroupIDs: []string{mID}, IdentityIDs: []string{"3a28d4f28b57cc93"}}))
	},
	"ListRoleMembers": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.Roles.ListMembers(ctx, mRS, mRole, &bi.ListRoleMembersOptions{GroupsPageSize: 20, IdentitiesPageSize: 20})
		if err != nil {
			return nil, "", err
		}
		shape := map[string]any{
			"groups": p.Groups, "total_groups_size": p.TotalGroups,
			"identities": p.Identities, "total_identities_size": p.TotalIdentities,
			"next_page_token": p.NextPageToken,
		}
		id := firstID(p.Groups, func(v *bi.Group) string { return v.ID })
		if id == "" {
			id = firstID(p.Identities, func(v *bi.Identity) string { return v.ID })
		}
		return shape, id, nil
	},
	"AddRoleScopes": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return roleCall(c.Roles.AddScopes(ctx, mRS, mRole, []string{"identities:read"}))
	},
	"DeleteRoleScopes": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return roleCall(c.Roles.RemoveScopes(ctx, mRS, mRole, []string{"identities:read"}))
	},
	"ListRoleScopes": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.Roles.ListScopes(ctx, mRS, mRole, nil)
		if err != nil {
			return nil, "", err
		}
		// A scope is its own ID.
		return listShape("scopes", p), firstID(p.Items, func(v string) string { return v }), nil
	},
	"CreateApplication": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return appCall(c.Applications.Create(ctx, &bi.CreateApplicationRequest{
			DisplayName: "Pet Application", ResourceServerID: "84db69f5-48a8-4c11-8cda-1bae3a73f07e",
			ProtocolConfig: &bi.OIDCConfig{OAuthSettings: bi.OAuthSettings{
				AllowedScopes:   []string{"pets:read", "pets:write"},
				Confidentiality: bi.ConfidentialityConfidential,
				GrantTypes:      []bi.GrantType{bi.GrantTypeAuthorizationCode},
				RedirectURIs:    []string{"https://auth.mypetapp.com/callback"},
				TokenConfiguration: &bi.TokenConfiguration{ExpiresAfter: 86400,
					TokenSigningAlgorithm: "RS256", SubjectField: "id"},
				PKCE:        bi.PKCEDisabled,
				TokenFormat: bi.TokenFormatSelfContained,
			}},
		}))
	},
	"ListApplications": func(ctx context.Context, c *bi.Client) (any, string, error) {
		p, err := c.Applications.List(ctx, &bi.CursorOptions{PageSize: 20})
		if err != nil {
			return nil, "", err
		}
		items := make([]map[string]any, 0, len(p.Items))
		for _, a := range p.Items {
			shape, err := appShape(a)
			if err != nil {
				return nil, "", err
			}
			items = append(items, shape)
		}
		shape := map[string]any{"applications": items, "total_size": p.TotalSize, "next_page_token": p.NextPageToken}
		return shape, firstID(p.Items, func(v *bi.Application) string { return v.ID }), nil
	},
	"GetApplication": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return appCall(c.Applications.Get(ctx, mApp))
	},
	"UpdateApplication": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return appCall(c.Applications.Update(ctx, mApp, &bi.UpdateApplicationRequest{DisplayName: bi.Ptr("Pet Application")}))
	},
	"DeleteApplication": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return nil, "", c.Applications.Delete(ctx, mApp)
	},
	"CreateTheme": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return themeCall(c.Themes.Create(ctx, &bi.CreateThemeRequest{EmailRealmName: "Realm Administrators",
			LogoURLLight: "https://example.com/logo_url_light.png", LogoURLDark: "https://example.com/logo_url_dark.png",
			SupportURL: "https://example.com/support", ButtonColor: "#4673D3", ButtonTextColor: "#FFFFFF"}))
	},
	"GetActiveTheme": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return themeCall(c.Themes.GetActive(ctx))
	},
	"GetTheme": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return themeCall(c.Themes.Get(ctx, mTheme))
	},
	"UpdateTheme": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return themeCall(c.Themes.Update(ctx, mTheme, &bi.UpdateThemeRequest{EmailRealmName: bi.Ptr("Realm Administrators")}))
	},
	"GetFlowTypeConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return flowTypeConfigCall(c.FlowTypeConfig.Get(ctx))
	},
	"UpdateFlowTypeConfig": func(ctx context.Context, c *bi.Client) (any, string, error) {
		return flowTypeConfigCall(c.FlowTypeConfig.Update(ctx, &bi.UpdateFlowTypeConfigRequest{
			Platforms: map[bi.Platform]map[bi.FlowType]bi.FlowTypeUpdate{
				bi.PlatformIOS: {bi.FlowTypeUniversalLink: {Enabled: bi.Ptr(true)}},
			},
		}))
	},
}

// TestMockExamples asks the mock for every documented answer of every
// operation in scope (each named example of each status, or the answer
// Prism builds from the schema where there is none) and checks that the
// SDK decodes it: a 2xx into its result with every member of the example
// kept, an error into an *APIError with its code, message and details.
func TestMockExamples(t *testing.T) {
	requireEnv(t)
	for _, opID := range inScope {
		call := mockCalls[opID]
		require.NotNil(t, call, "no mock call for %s", opID)
		op := env.spec.Op(opID)
		for _, status := range op.statuses() {
			names := op.Examples[status]
			if len(names) == 0 {
				names = []string{""}
			}
			for _, name := range names {
				label := name
				if label == "" {
					label = "no example"
				}
				t.Run(fmt.Sprintf("%s/%d/%s", opID, status, label), func(t *testing.T) {
					defect := findMockDefect(opID, status, name)
					c, chk := mockClient(t)
					prefer := fmt.Sprintf("code=%d", status)
					if name != "" {
						prefer += fmt.Sprintf(", example=%q", name)
					}
					shape, id, err := call(withPrefer(t.Context(), prefer), c)
					ex := chk.Last()
					require.Equal(t, opID, ex.Op, "the SDK called %s %s", ex.Method, ex.Path)
					if defect != nil && defect.Refused {
						// The mock answers its 400 whatever it is asked for.
						require.Equal(t, http.StatusBadRequest, ex.Status,
							"the mock no longer refuses %s: remove its known defect (%s)", opID, defect.Why)
						requireAPIError(t, err, http.StatusBadRequest)
						defect.hit()
						return
					}
					require.Equal(t, status, ex.Status, "the mock's answer")
					var diffs []string
					switch {
					case status < 300:
						require.NoError(t, err, "decoding %s", ex.Body)
						if len(strings.TrimSpace(string(ex.Body))) == 0 {
							return
						}
						if shape != nil && defect == nil {
							assert.NotEmpty(t, id, "the resource's ID, from %s", ex.Body)
						}
						diffs = diffJSON(t, ex.Body, shape)
					case len(strings.TrimSpace(string(ex.Body))) == 0:
						// An answer the spec gives no body (the SCIM 429).
						var ae *bi.APIError
						require.ErrorAs(t, err, &ae)
						require.Equal(t, status, ae.StatusCode)
						if status == http.StatusTooManyRequests {
							assert.ErrorIs(t, err, bi.ErrRateLimited)
						}
					case strings.Contains(op.Path, "/scim/v2/"):
						var ae *bi.APIError
						require.ErrorAs(t, err, &ae)
						require.Equal(t, status, ae.StatusCode)
						diffs = diffJSON(t, ex.Body, scimErrorShape(ae))
					default:
						ae := requireAPIError(t, err, status)
						diffs = diffJSON(t, ex.Body, errorShape(ae))
					}
					for _, d := range defect.sort(t, diffs) {
						t.Errorf("%s", d)
					}
				})
			}
		}
	}
	// Every known defect of an operation that ran was seen.
	for _, d := range mockDefects {
		if d.used() == 0 && !t.Skipped() && ran(t, d.Op) {
			t.Errorf("known defect of %s never seen: remove it or find why (%s)", d.Op, d.Why)
		}
	}
}

// ran reports whether the subtests of op were selected by -run.
func ran(t *testing.T, op string) bool {
	pattern := flag.Lookup("test.run").Value.String()
	if pattern == "" {
		return true
	}
	// -run splits its pattern at slashes, one part per level of subtest.
	parts := strings.Split(pattern, "/")
	if len(parts) < 2 {
		return true
	}
	re, err := regexp.Compile(parts[1])
	if err != nil {
		t.Logf("-run %q: %v", pattern, err)
		return false
	}
	return re.MatchString(op)
}

// scimErrorShape puts an *APIError of a SCIM operation back in the shape
// of a SCIM error (RFC 7644 §3.12): the SDK keeps its scimType (as Code)
// and detail (as Message); its schemas and status are those of every SCIM
// error with the answer's status.
func scimErrorShape(ae *bi.APIError) map[string]any {
	return map[string]any{
		"schemas":  []string{"urn:ietf:params:scim:api:messages:2.0:Error"},
		"status":   strconv.Itoa(ae.StatusCode),
		"scimType": ae.Code,
		"detail":   ae.Message,
	}
}

// errorShape puts an *APIError back in the API's error shape.
func errorShape(ae *bi.APIError) map[string]any {
	details := make([]map[string]any, 0, len(ae.Details))
	for _, d := range ae.Details {
		details = append(details, map[string]any{
			"type": d.Type, "field_violations": d.FieldViolations,
			"resource_type": d.ResourceType, "id": d.ResourceID, "description": d.Description,
			"errors": d.BatchErrors,
		})
	}
	return map[string]any{"code": ae.Code, "message": ae.Message, "details": details}
}

// diffJSON lists what the SDK lost or changed: every member of the answer
// that is set (not null, "", 0, false or empty) must be in the SDK's
// result, re-encoded, with the same value. Timestamps compare as instants.
func diffJSON(t *testing.T, answer []byte, shape any) []string {
	t.Helper()
	var want any
	require.NoError(t, json.Unmarshal(answer, &want))
	b, err := json.Marshal(shape)
	require.NoError(t, err)
	var got any
	require.NoError(t, json.Unmarshal(b, &got))
	var out []string
	diffValue(want, got, "$", &out)
	return out
}

func diffValue(want, got any, path string, out *[]string) {
	if isZero(want) {
		return
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: the SDK lost the object %v (got %v)", path, w, got))
			return
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			diffValue(w[k], g[k], path+"."+k, out)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			*out = append(*out, fmt.Sprintf("%s: the SDK has %v for the array %v", path, got, w))
			return
		}
		for i := range w {
			diffValue(w[i], g[i], fmt.Sprintf("%s[%d]", path, i), out)
		}
	case string:
		g, _ := got.(string)
		if g == w {
			return
		}
		if tw, err := time.Parse(time.RFC3339Nano, w); err == nil {
			if tg, err := time.Parse(time.RFC3339Nano, g); err == nil && tw.Equal(tg) {
				return
			}
		}
		*out = append(*out, fmt.Sprintf("%s: the SDK has %#v for %q", path, got, w))
	case float64:
		g, ok := got.(float64)
		if !ok || math.Abs(g-w) > 0 {
			*out = append(*out, fmt.Sprintf("%s: the SDK has %#v for %v", path, got, w))
		}
	default:
		if fmt.Sprint(want) != fmt.Sprint(got) {
			*out = append(*out, fmt.Sprintf("%s: the SDK has %#v for %#v", path, got, want))
		}
	}
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case float64:
		return x == 0
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}
