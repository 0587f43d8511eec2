package contract

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	bi "github.com/passkeyhq/beyondidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unknownSSOConfigID names no SSO config of the fake.
const unknownSSOConfigID = "00000000-0000-4000-8000-0000000000c0"

// ssoKindPayloads returns one typed payload of each kind of SSO config the
// fake takes, with the members the API requires of it on creation and a
// few optional ones; secrets are sent in the request only.
func ssoKindPayloads() []bi.SSOPayload {
	attrs := []bi.SAMLAttribute{{Name: "email", NameFormat: bi.SAMLNameFormatUnspecified, Value: bi.SAMLAttributeEmail}}
	return []bi.SSOPayload{
		&bi.BookmarkSSOPayload{LoginLink: "https://wiki.example/login", Icon: "https://wiki.example/icon.png",
			IsTileVisible: bi.Ptr(true)},
		&bi.EntraIDSSOPayload{RedirectURIs: []string{"https://login.microsoftonline.com/common/federation/externalauthredirect"},
			DiscoverEndpoint: bi.EntraIDDiscoverGlobalAzure},
		&bi.GenericOIDCSSOPayload{RedirectURIs: []string{"https://app.example/callback"}, Scopes: []string{"openid", "email"},
			TrustedOrigins: []string{"https://app.example"}, Confidentiality: bi.ConfidentialityConfidential, PKCE: bi.PKCES256},
		&bi.GenericOIDCIDPSSOPayload{ClientID: "bi-client", ClientSecret: bi.NewSecret("idp-client-secret"), PKCE: bi.PKCES256,
			IDTokenScopes: []string{"openid", "email"}, IdentifyingClaimName: "email", IdentityAttribute: bi.SubjectFieldEmail,
			AuthorizationEndpoint: "https://idp.example/authorize", TokenEndpoint: "https://idp.example/token",
			JWKSEndpoint: "https://idp.example/.well-known/jwks.json"},
		&bi.SAMLSSOPayload{ACSURL: "https://sp.example/saml/acs", OverrideRecipientAndDestination: bi.Ptr(false),
			AudienceURL: "https://sp.example/saml/metadata", DefaultRelayState: bi.Ptr(""),
			NameFormat: bi.SAMLNameFormatEmailAddress, AuthenticationContext: bi.SAMLAuthnContextPasswordProtectedTransport,
			SubjectUserNameAttribute: bi.SAMLSubjectEmail, SignEnvelope: bi.Ptr(true), SignAssertions: bi.Ptr(true),
			SignatureAlgorithm: bi.SAMLSignatureRSASHA256, DigestAlgorithm: bi.SAMLDigestSHA256,
			EncryptAssertions: bi.Ptr(false), AssertionValidityDurationSeconds: 300,
			SPSignatureCertificates: json.RawMessage(`[]`), EnableSingleLogOut: bi.Ptr(false),
			ValidateSignedRequests: bi.Ptr(false), AdditionalUserAttributes: attrs,
			SingleLogoutSignRequestAndResponse: bi.Ptr(false)},
		&bi.OktaIDPSSOPayload{ClientID: "okta-client", ClientSecret: bi.NewSecret("okta-client-secret"),
			IdentifyingClaimName: "preferred_username", IdentityAttribute: bi.SubjectFieldUsername,
			OktaDomain: "acme.okta.example"},
		&bi.OktaBIIDPSSOPayload{PKCE: bi.PKCES256, OktaRegistration: &bi.OktaRegistration{Domain: "acme.okta.example",
			OktaToken: bi.NewSecret("okta-api-token"), AttributeName: "byndidRegistered", IsEnabled: bi.Ptr(true)}},
		&bi.SCIMSSOPayload{},
		&bi.WSFedSSOPayload{ACSURL: "https://sp.example/wsfed", AudienceURL: "urn:sp.example", ExpirationTimeSeconds: 3600,
			DigestAlgorithm: bi.SAMLDigestSHA256, SignatureAlgorithm: bi.SAMLSignatureRSASHA256,
			NameFormat: bi.SAMLNameFormatUnspecified, SubjectUserNameAttribute: bi.SAMLSubjectUserName,
			AuthenticationContext: bi.SAMLAuthnContextPasswordProtectedTransport, AdditionalUserAttributes: []bi.SAMLAttribute{}},
		&bi.RealityCheckSSOPayload{CompanyIdentifier: "acme"},
	}
}

// newBookmark creates a bookmark SSO config with a fresh name.
func newBookmark(t *testing.T, c *bi.Client) *bi.SSOConfig {
	t.Helper()
	cfg, err := c.SSOConfigs.Create(t.Context(), &bi.CreateSSOConfigRequest{DisplayName: unique("Wiki "),
		Payload: &bi.BookmarkSSOPayload{LoginLink: "https://wiki.example/login"}})
	require.NoError(t, err)
	return cfg
}

func ssoIDs(cs []*bi.SSOConfig) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// checkServerSet checks the members the API sets on a payload of each
// kind, and that the secrets of the request were taken.
func checkServerSet(t *testing.T, p bi.SSOPayload) {
	t.Helper()
	oidc := func(cfg *bi.SSOOIDCConfiguration) {
		t.Helper()
		if assert.NotNil(t, cfg, "oidc_configuration") {
			assert.NotEmpty(t, cfg.Issuer)
			assert.NotEmpty(t, cfg.TokenEndpoint)
			assert.NotEmpty(t, cfg.JWKSURI)
		}
	}
	switch p := p.(type) {
	case *bi.BookmarkSSOPayload:
	case *bi.EntraIDSSOPayload:
		assert.NotEmpty(t, p.ApplicationID)
		assert.NotEmpty(t, p.ClientID)
		assert.NotEmpty(t, p.ResourceServerID)
		oidc(p.OIDCConfiguration)
	case *bi.GenericOIDCSSOPayload:
		assert.NotEmpty(t, p.ApplicationID)
		assert.NotEmpty(t, p.ClientID)
		assert.False(t, p.ClientSecret.IsZero(), "a confidential application has a client secret")
		oidc(p.OIDCConfiguration)
	case *bi.GenericOIDCIDPSSOPayload:
		assert.NotEmpty(t, p.IdentityProviderID)
		assert.NotEmpty(t, p.RedirectURI)
	case *bi.SAMLSSOPayload:
		assert.NotEmpty(t, p.ApplicationID)
		assert.NotEmpty(t, p.IDPInitiatedURL)
		assert.NotEmpty(t, p.SPInitiatedURL)
	case *bi.OktaIDPSSOPayload:
		assert.Equal(t, "https://acme.okta.example/oauth2/v1/authorize", p.AuthorizationEndpoint)
		assert.NotEmpty(t, p.TokenEndpoint)
		assert.NotEmpty(t, p.JWKSEndpoint)
		assert.NotEmpty(t, p.IdentityProviderID)
	case *bi.OktaBIIDPSSOPayload:
		assert.NotEmpty(t, p.ClientID)
		assert.False(t, p.ClientSecret.IsZero())
		oidc(p.OIDCConfiguration)
	case *bi.SCIMSSOPayload:
		assert.NotEmpty(t, p.ApplicationID)
		assert.NotEmpty(t, p.ClientID)
		assert.False(t, p.ClientSecret.IsZero())
		assert.True(t, strings.HasSuffix(p.SCIMURL, "/scim/v2"), p.SCIMURL)
		assert.NotEmpty(t, p.TokenEndpoint)
	case *bi.WSFedSSOPayload:
		assert.NotEmpty(t, p.ApplicationID)
	case *bi.RealityCheckSSOPayload:
		assert.Equal(t, "acme", p.CompanyIdentifier)
	default:
		t.Errorf("payload of type %T", p)
	}
}

// TestProxySSOConfigs creates an SSO config of each kind through the SDK's
// typed payloads, reads each back, lists, updates, tests and deletes them.
func TestProxySSOConfigs(t *testing.T) {
	c, chk := proxyClient(t)
	ctx := t.Context()

	var created []*bi.SSOConfig
	byKind := map[bi.SSOConfigType]*bi.SSOConfig{}
	for _, p := range ssoKindPayloads() {
		kind := p.SSOConfigType()
		name := unique(string(kind) + " ")
		cfg, err := c.SSOConfigs.Create(ctx, &bi.CreateSSOConfigRequest{DisplayName: name, Payload: p})
		require.NoError(t, err, "creating a %s", kind)
		assert.NotEmpty(t, cfg.ID)
		assert.Equal(t, name, cfg.DisplayName)
		require.NotNil(t, cfg.Payload, kind)
		assert.Equal(t, kind, cfg.Payload.SSOConfigType())
		assert.IsType(t, p, cfg.Payload, "the kind decodes to its typed payload")
		checkServerSet(t, cfg.Payload)

		got, err := c.SSOConfigs.Get(ctx, cfg.ID)
		require.NoError(t, err)
		assert.Equal(t, cfg, got, "%s read back as created", kind)
		created = append(created, cfg)
		byKind[kind] = cfg
	}
	// The secrets sent are the ones kept, never the REDACTED of the
	// logging form.
	idp := byKind[bi.SSOConfigTypeGenericOIDCIDP].Payload.(*bi.GenericOIDCIDPSSOPayload)
	assert.Equal(t, "idp-client-secret", idp.ClientSecret.Reveal())
	okta := byKind[bi.SSOConfigTypeOktaSSOBIIDP].Payload.(*bi.OktaBIIDPSSOPayload)
	assert.Equal(t, "okta-api-token", okta.OktaRegistration.OktaToken.Reveal())

	// A migrated config, and lists by kind and by migration, in pages of
	// one.
	migrated, err := c.SSOConfigs.Create(ctx, &bi.CreateSSOConfigRequest{DisplayName: unique("Migrated "), IsMigrated: true,
		Payload: &bi.BookmarkSSOPayload{LoginLink: "https://old.example/login"}})
	require.NoError(t, err)
	assert.True(t, migrated.IsMigrated)
	created = append(created, migrated)

	page, err := c.SSOConfigs.List(ctx, &bi.ListSSOConfigsOptions{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.GreaterOrEqual(t, page.TotalSize, len(created))
	assert.NotEmpty(t, page.NextPageToken)
	var all []*bi.SSOConfig
	for cfg, err := range c.SSOConfigs.All(ctx, &bi.ListSSOConfigsOptions{PageSize: 3}) {
		require.NoError(t, err)
		all = append(all, cfg)
	}
	assert.Len(t, all, page.TotalSize)
	assert.Subset(t, ssoIDs(all), ssoIDs(created))

	kinds := []bi.SSOConfigType{bi.SSOConfigTypeOktaIDP, bi.SSOConfigTypeGenericOIDCIDP}
	var idps []*bi.SSOConfig
	for cfg, err := range c.SSOConfigs.All(ctx, &bi.ListSSOConfigsOptions{PageSize: 1, Types: kinds}) {
		require.NoError(t, err)
		assert.Contains(t, kinds, cfg.Payload.SSOConfigType())
		idps = append(idps, cfg)
	}
	assert.Subset(t, ssoIDs(idps), []string{byKind[kinds[0]].ID, byKind[kinds[1]].ID})

	mig, err := c.SSOConfigs.List(ctx, &bi.ListSSOConfigsOptions{IsMigrated: bi.Ptr(true), PageSize: 200})
	require.NoError(t, err)
	assert.Contains(t, ssoIDs(mig.Items), migrated.ID)
	for _, cfg := range mig.Items {
		assert.True(t, cfg.IsMigrated, cfg.ID)
	}
	notMig, err := c.SSOConfigs.List(ctx, &bi.ListSSOConfigsOptions{IsMigrated: bi.Ptr(false), PageSize: 200})
	require.NoError(t, err)
	assert.NotContains(t, ssoIDs(notMig.Items), migrated.ID)

	ordered, err := c.SSOConfigs.List(ctx, &bi.ListSSOConfigsOptions{OrderBy: "display_name desc", PageSize: 200})
	require.NoError(t, err)
	assert.True(t, slices.IsSortedFunc(ordered.Items, func(a, b *bi.SSOConfig) int {
		return strings.Compare(b.DisplayName, a.DisplayName)
	}), "ordered by display_name desc")

	// A PATCH of some payload members leaves the others as they are.
	bm := byKind[bi.SSOConfigTypeBookmark]
	upd, err := c.SSOConfigs.Update(ctx, bm.ID, &bi.UpdateSSOConfigRequest{
		Payload: &bi.BookmarkSSOPayload{LoginLink: "https://wiki.example/sso", IsTileVisible: bi.Ptr(false)}})
	require.NoError(t, err)
	assert.Equal(t, bm.ID, upd.ID)
	assert.Equal(t, bm.DisplayName, upd.DisplayName, "the update body has no display name")
	assert.Equal(t, &bi.BookmarkSSOPayload{LoginLink: "https://wiki.example/sso", Icon: "https://wiki.example/icon.png",
		IsTileVisible: bi.Ptr(false)}, upd.Payload)
	got, err := c.SSOConfigs.Get(ctx, bm.ID)
	require.NoError(t, err)
	assert.Equal(t, upd, got)

	oidc := byKind[bi.SSOConfigTypeGenericOIDC]
	before := oidc.Payload.(*bi.GenericOIDCSSOPayload)
	upd, err = c.SSOConfigs.Update(ctx, oidc.ID, &bi.UpdateSSOConfigRequest{
		Payload: &bi.GenericOIDCSSOPayload{RedirectURIs: []string{"https://app.example/cb2"}}})
	require.NoError(t, err)
	after := upd.Payload.(*bi.GenericOIDCSSOPayload)
	want := *before
	want.RedirectURIs = []string{"https://app.example/cb2"}
	assert.Equal(t, &want, after, "only redirect_uris changed; the generated members stay")
	assert.Equal(t, before.ClientSecret.Reveal(), after.ClientSecret.Reveal())

	// An update with the payload of the config's kind and no member
	// changes nothing.
	wsfed := byKind[bi.SSOConfigTypeWSFed]
	same, err := c.SSOConfigs.Update(ctx, wsfed.ID, &bi.UpdateSSOConfigRequest{Payload: &bi.WSFedSSOPayload{}})
	require.NoError(t, err)
	assert.Equal(t, wsfed, same)

	// The SSO config of an application: that of a config's own
	// application, none for an application no config names.
	id, err := c.SSOConfigs.GetIDForApplication(ctx, after.ApplicationID)
	require.NoError(t, err)
	assert.Equal(t, oidc.ID, id)
	app, err := c.Applications.Create(ctx, &bi.CreateApplicationRequest{DisplayName: unique("Plain "),
		ProtocolConfig: &bi.OAuth2Config{}})
	require.NoError(t, err)
	id, err = c.SSOConfigs.GetIDForApplication(ctx, app.ID)
	require.NoError(t, err)
	assert.Empty(t, id)
	assert.JSONEq(t, `{}`, string(chk.Last().Body), "no sso_config_id when the application has none")
	require.NoError(t, c.Applications.Delete(ctx, app.ID))

	// Tests: the identity provider of an IdP config, the OIDC application
	// of an OIDC config, nothing for a bookmark.
	res, err := c.SSOConfigs.Test(ctx, byKind[bi.SSOConfigTypeOktaIDP].ID)
	require.NoError(t, err)
	oktaIDP := byKind[bi.SSOConfigTypeOktaIDP].Payload.(*bi.OktaIDPSSOPayload)
	if assert.Len(t, res.IdentityProviders, 1) {
		assert.Equal(t, oktaIDP.IdentityProviderID, res.IdentityProviders[0].IdentityProviderID)
		assert.True(t, res.IdentityProviders[0].IsSuccess)
		assert.Equal(t, "200", res.IdentityProviders[0].StatusCode)
	}
	assert.Empty(t, res.OIDCApplications)
	res, err = c.SSOConfigs.Test(ctx, oidc.ID)
	require.NoError(t, err)
	assert.Empty(t, res.IdentityProviders)
	if assert.Len(t, res.OIDCApplications, 1) {
		assert.Equal(t, after.ApplicationID, res.OIDCApplications[0].ApplicationID)
		assert.True(t, res.OIDCApplications[0].IsSuccess)
	}
	res, err = c.SSOConfigs.Test(ctx, bm.ID)
	require.NoError(t, err)
	assert.Equal(t, &bi.SSOConfigTestResult{IdentityProviders: []bi.SSOConfigTestOutcome{},
		OIDCApplications: []bi.SSOConfigTestOutcome{}}, res)

	for _, cfg := range created {
		require.NoError(t, c.SSOConfigs.Delete(ctx, cfg.ID))
		_, err = c.SSOConfigs.Get(ctx, cfg.ID)
		ae := requireAPIError(t, err, http.StatusNotFound)
		assert.ErrorIs(t, err, bi.ErrNotFound)
		assert.NotEmpty(t, ae.RequestID, "the x-correlation-id of the answer")
	}
}

// TestProxySSOConfigUnknownMember shows that a payload member the SDK does
// not know survives create, get and update byte for byte: in the payload's
// Extra and in the JSON answers, through the proxy.
func TestProxySSOConfigUnknownMember(t *testing.T) {
	c, chk := proxyClient(t)
	ctx := t.Context()
	value := []byte(extension)

	check := func(step string, cfg *bi.SSOConfig, want []byte) {
		t.Helper()
		var answer struct {
			Payload map[string]json.RawMessage `json:"payload"`
		}
		require.NoError(t, json.Unmarshal(chk.Last().Body, &answer), step)
		assert.Equal(t, string(want), string(answer.Payload[extensionKey]), "%s: the answer's bytes", step)
		p, ok := cfg.Payload.(*bi.BookmarkSSOPayload)
		require.True(t, ok, "%s: payload %T", step, cfg.Payload)
		assert.Equal(t, string(want), string(p.Extra[extensionKey]), "%s: Extra", step)
	}

	cfg, err := c.SSOConfigs.Create(ctx, &bi.CreateSSOConfigRequest{DisplayName: unique("Extended "),
		Payload: &bi.BookmarkSSOPayload{LoginLink: "https://ext.example/login",
			Extra: map[string]json.RawMessage{extensionKey: json.RawMessage(extension)}}})
	require.NoError(t, err)
	check("create", cfg, value)
	got, err := c.SSOConfigs.Get(ctx, cfg.ID)
	require.NoError(t, err)
	check("get", got, value)

	// An update that names other members keeps it.
	upd, err := c.SSOConfigs.Update(ctx, cfg.ID, &bi.UpdateSSOConfigRequest{
		Payload: &bi.BookmarkSSOPayload{Icon: "https://ext.example/icon.png"}})
	require.NoError(t, err)
	check("update", upd, value)
	assert.Equal(t, "https://ext.example/icon.png", upd.Payload.(*bi.BookmarkSSOPayload).Icon)

	// What a get decoded goes back as it came.
	upd, err = c.SSOConfigs.Update(ctx, cfg.ID, &bi.UpdateSSOConfigRequest{
		Payload: &bi.BookmarkSSOPayload{Extra: got.Payload.(*bi.BookmarkSSOPayload).Extra}})
	require.NoError(t, err)
	check("update with the Extra a get gave", upd, value)

	// An update that sets it changes it.
	next := []byte(`{"nested":{"list":[]},"on":true}`)
	upd, err = c.SSOConfigs.Update(ctx, cfg.ID, &bi.UpdateSSOConfigRequest{
		Payload: &bi.BookmarkSSOPayload{Extra: map[string]json.RawMessage{extensionKey: next}}})
	require.NoError(t, err)
	check("update of the member", upd, next)
	got, err = c.SSOConfigs.Get(ctx, cfg.ID)
	require.NoError(t, err)
	check("get after the update", got, next)

	require.NoError(t, c.SSOConfigs.Delete(ctx, cfg.ID))
}

// TestProxySSOConfigAssociations associates identities and groups with an
// SSO config and reads the associations from both sides.
func TestProxySSOConfigAssociations(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	cfg := newBookmark(t, c)
	other := newBookmark(t, c)
	a, b, member := newIdentity(t, c, false), newIdentity(t, c, true), newIdentity(t, c, false)
	g := newGroup(t, c)
	_, err := c.Groups.AddMembers(ctx, g.ID, []string{member.ID})
	require.NoError(t, err)

	require.NoError(t, c.SSOConfigs.AddIdentities(ctx, cfg.ID, []string{a.ID, b.ID}))
	require.NoError(t, c.SSOConfigs.AddIdentities(ctx, cfg.ID, []string{a.ID}), "associating one again")
	require.NoError(t, c.SSOConfigs.AddGroups(ctx, cfg.ID, []string{g.ID}))
	require.NoError(t, c.SSOConfigs.AddGroups(ctx, other.ID, []string{g.ID}))

	// The config's identities: directly, and through the group.
	page, err := c.SSOConfigs.ListIdentities(ctx, cfg.ID, &bi.CursorOptions{PageSize: 1})
	require.NoError(t, err)
	assert.Len(t, page.Items, 1)
	assert.Equal(t, 3, page.TotalSize)
	assert.NotEmpty(t, page.NextPageToken)
	via := map[string]string{}
	for id, err := range c.SSOConfigs.AllIdentities(ctx, cfg.ID, &bi.CursorOptions{PageSize: 1}) {
		require.NoError(t, err)
		assert.NotEmpty(t, id.Traits.Username)
		via[id.ID] = id.GroupID
		if id.GroupID != "" {
			assert.Equal(t, g.DisplayName, id.GroupDisplayName)
		}
	}
	assert.Equal(t, map[string]string{a.ID: "", b.ID: "", member.ID: g.ID}, via)

	groups, err := c.SSOConfigs.ListGroups(ctx, cfg.ID, nil)
	require.NoError(t, err)
	if assert.Len(t, groups.Items, 1) {
		assert.Equal(t, g.ID, groups.Items[0].ID)
		assert.Equal(t, g.DisplayName, groups.Items[0].DisplayName)
		assert.Equal(t, 1, groups.Items[0].MemberCount)
	}
	assert.Equal(t, 1, groups.TotalSize)
	var allGroups []string
	for sg, err := range c.SSOConfigs.AllGroups(ctx, other.ID, &bi.CursorOptions{PageSize: 1}) {
		require.NoError(t, err)
		allGroups = append(allGroups, sg.ID)
	}
	assert.Equal(t, []string{g.ID}, allGroups)

	// The configs of an identity (directly or through its groups) and of
	// a group.
	forA, err := c.SSOConfigs.ListForIdentity(ctx, a.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{cfg.ID}, ssoIDs(forA.Items))
	assert.Equal(t, 1, forA.TotalSize)
	var forMember []*bi.SSOConfig
	for s, err := range c.SSOConfigs.AllForIdentity(ctx, member.ID, &bi.CursorOptions{PageSize: 1}) {
		require.NoError(t, err)
		forMember = append(forMember, s)
	}
	assert.ElementsMatch(t, []string{cfg.ID, other.ID}, ssoIDs(forMember))
	forGroup, err := c.SSOConfigs.ListForGroup(ctx, g.ID, &bi.CursorOptions{PageSize: 1})
	require.NoError(t, err)
	assert.Len(t, forGroup.Items, 1)
	assert.Equal(t, 2, forGroup.TotalSize)
	var allForGroup []*bi.SSOConfig
	for s, err := range c.SSOConfigs.AllForGroup(ctx, g.ID, &bi.CursorOptions{PageSize: 1}) {
		require.NoError(t, err)
		if assert.NotNil(t, s.Payload) {
			assert.Equal(t, bi.SSOConfigTypeBookmark, s.Payload.SSOConfigType())
		}
		allForGroup = append(allForGroup, s)
	}
	assert.ElementsMatch(t, []string{cfg.ID, other.ID}, ssoIDs(allForGroup))

	// All or nothing: an unknown identity or group fails the call and
	// associates none of the others.
	d := newIdentity(t, c, false)
	err = c.SSOConfigs.AddIdentities(ctx, cfg.ID, []string{d.ID, unknownID})
	ae := requireAPIError(t, err, http.StatusNotFound)
	assert.ErrorIs(t, err, bi.ErrNotFound)
	if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
		assert.Equal(t, "Identity", ri.ResourceType)
		assert.Equal(t, unknownID, ri.ResourceID)
	}
	forD, err := c.SSOConfigs.ListForIdentity(ctx, d.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, forD.Items, "the known identity was not associated")
	g2 := newGroup(t, c)
	err = c.SSOConfigs.AddGroups(ctx, cfg.ID, []string{g2.ID, unknownID})
	ae = requireAPIError(t, err, http.StatusNotFound)
	if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
		assert.Equal(t, "Group", ri.ResourceType)
		assert.Equal(t, unknownID, ri.ResourceID)
	}
	forG2, err := c.SSOConfigs.ListForGroup(ctx, g2.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, forG2.Items, "the known group was not associated")
	err = c.SSOConfigs.RemoveIdentities(ctx, cfg.ID, []string{a.ID, unknownID})
	requireAPIError(t, err, http.StatusNotFound)
	err = c.SSOConfigs.RemoveGroups(ctx, cfg.ID, []string{g.ID, unknownID})
	requireAPIError(t, err, http.StatusNotFound)
	page, err = c.SSOConfigs.ListIdentities(ctx, cfg.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, page.TotalSize, "nothing was removed")

	// Removing: the direct association goes, the one through the group
	// stays until the group goes; removing one that is not associated
	// changes nothing.
	require.NoError(t, c.SSOConfigs.RemoveIdentities(ctx, cfg.ID, []string{a.ID, b.ID, d.ID}))
	page, err = c.SSOConfigs.ListIdentities(ctx, cfg.ID, nil)
	require.NoError(t, err)
	if assert.Len(t, page.Items, 1) {
		assert.Equal(t, member.ID, page.Items[0].ID)
		assert.Equal(t, g.ID, page.Items[0].GroupID)
	}
	require.NoError(t, c.SSOConfigs.AddIdentities(ctx, cfg.ID, []string{member.ID}))
	page, err = c.SSOConfigs.ListIdentities(ctx, cfg.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, page.TotalSize, "the member once directly, once through the group")
	require.NoError(t, c.SSOConfigs.RemoveGroups(ctx, cfg.ID, []string{g.ID, g2.ID}))
	forMemberPage, err := c.SSOConfigs.ListForIdentity(ctx, member.ID, nil)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{cfg.ID, other.ID}, ssoIDs(forMemberPage.Items), "directly to cfg, through the group to other")
	require.NoError(t, c.SSOConfigs.RemoveIdentities(ctx, cfg.ID, []string{member.ID}))
	groups, err = c.SSOConfigs.ListGroups(ctx, cfg.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, groups.Items)
	assert.Zero(t, groups.TotalSize)
	page, err = c.SSOConfigs.ListIdentities(ctx, cfg.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	forA, err = c.SSOConfigs.ListForIdentity(ctx, a.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, forA.Items)

	require.NoError(t, c.SSOConfigs.RemoveGroups(ctx, other.ID, []string{g.ID}))
	for _, id := range []string{cfg.ID, other.ID} {
		require.NoError(t, c.SSOConfigs.Delete(ctx, id))
	}
	_, err = c.Groups.RemoveMembers(ctx, g.ID, []string{member.ID})
	require.NoError(t, err)
	for _, id := range []string{g.ID, g2.ID} {
		require.NoError(t, c.Groups.Delete(ctx, id))
	}
}

func TestProxySSOConfigErrors(t *testing.T) {
	c, _ := proxyClient(t)
	ctx := t.Context()
	cfg := newBookmark(t, c)
	member := newIdentity(t, c, false)
	g := newGroup(t, c)

	t.Run("400 empty display name", func(t *testing.T) {
		// The SDK refuses this before sending; the spec's SsoConfig
		// requires a display_name but puts no bound on it, the server
		// refuses an empty one.
		_, err := c.SSOConfigs.Create(ctx, &bi.CreateSSOConfigRequest{Payload: &bi.BookmarkSSOPayload{LoginLink: "https://x.example"}})
		require.ErrorIs(t, err, bi.ErrInvalidArgument)
		_, hc := newChecker(t, modeProxy)
		status, ae := rawAPI(t, hc, http.MethodPost, "/sso-configs", map[string]any{
			"sso_config": map[string]any{"display_name": "", "payload": map[string]any{"type": "bookmark", "login_link": "https://x.example"}},
		})
		require.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "sso_config.display_name", fieldOf(ae))
	})
	t.Run("400 endpoint that is not a URL", func(t *testing.T) {
		// The spec types the endpoints of an identity provider as strings;
		// the server takes absolute URLs only.
		_, err := c.SSOConfigs.Create(ctx, &bi.CreateSSOConfigRequest{DisplayName: "Relative",
			Payload: &bi.GenericOIDCIDPSSOPayload{ClientID: "x", IdentifyingClaimName: "email", IdentityAttribute: bi.SubjectFieldEmail,
				AuthorizationEndpoint: "https://idp.example/authorize", TokenEndpoint: "/token", JWKSEndpoint: "https://idp.example/jwks"}})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.ErrorIs(t, err, bi.ErrInvalidArgument)
		assert.Equal(t, "sso_config.payload.token_endpoint", fieldOf(ae))
	})
	t.Run("400 another kind on update", func(t *testing.T) {
		// "The type of an SSO config cannot change."
		_, err := c.SSOConfigs.Update(ctx, cfg.ID, &bi.UpdateSSOConfigRequest{
			Payload: &bi.GenericOIDCSSOPayload{Scopes: []string{"openid"}}})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "sso_config.type", fieldOf(ae))
		got, err := c.SSOConfigs.Get(ctx, cfg.ID)
		require.NoError(t, err)
		assert.Equal(t, cfg, got, "unchanged")
	})
	t.Run("400 unknown member of an association body", func(t *testing.T) {
		_, hc := newChecker(t, modeProxy)
		for custom, key := range map[string]string{":addIdentities": "identity_ids", ":deleteIdentities": "identity_ids",
			":addGroups": "group_ids", ":deleteGroups": "group_ids"} {
			id := member.ID
			if key == "group_ids" {
				id = g.ID
			}
			status, ae := rawAPI(t, hc, http.MethodPost, "/sso-configs/"+cfg.ID+custom, map[string]any{
				key: []string{id}, "nickname": "x",
			})
			require.Equal(t, http.StatusBadRequest, status, custom)
			assert.Equal(t, "nickname", fieldOf(ae), custom)
		}
	})
	t.Run("400 unsupported order", func(t *testing.T) {
		// The spec says nothing of order_by's values.
		_, err := c.SSOConfigs.List(ctx, &bi.ListSSOConfigsOptions{OrderBy: "create_time"})
		ae := requireAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "order_by", fieldOf(ae))
	})
	t.Run("400 invalid page token", func(t *testing.T) {
		bad := &bi.CursorOptions{PageToken: "not-a-page-token"}
		var errs []error
		add := func(_ any, err error) { errs = append(errs, err) }
		add(c.SSOConfigs.List(ctx, &bi.ListSSOConfigsOptions{PageToken: bad.PageToken}))
		add(c.SSOConfigs.ListIdentities(ctx, cfg.ID, bad))
		add(c.SSOConfigs.ListGroups(ctx, cfg.ID, bad))
		add(c.SSOConfigs.ListForIdentity(ctx, member.ID, bad))
		add(c.SSOConfigs.ListForGroup(ctx, g.ID, bad))
		for _, err := range errs {
			ae := requireAPIError(t, err, http.StatusBadRequest)
			assert.Equal(t, "page_token", fieldOf(ae))
		}
	})
	t.Run("404 SSO config", func(t *testing.T) {
		// The operations on one SSO config that document a 404.
		check := func(err error) {
			t.Helper()
			ae := requireAPIError(t, err, http.StatusNotFound)
			assert.ErrorIs(t, err, bi.ErrNotFound)
			if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
				assert.Equal(t, "SsoConfig", ri.ResourceType)
				assert.Equal(t, unknownSSOConfigID, ri.ResourceID)
			}
		}
		_, err := c.SSOConfigs.Get(ctx, unknownSSOConfigID)
		check(err)
		_, err = c.SSOConfigs.Update(ctx, unknownSSOConfigID, &bi.UpdateSSOConfigRequest{Payload: &bi.BookmarkSSOPayload{Icon: "x"}})
		check(err)
		check(c.SSOConfigs.Delete(ctx, unknownSSOConfigID))
		check(c.SSOConfigs.AddIdentities(ctx, unknownSSOConfigID, []string{member.ID}))
		check(c.SSOConfigs.RemoveIdentities(ctx, unknownSSOConfigID, []string{member.ID}))
		check(c.SSOConfigs.AddGroups(ctx, unknownSSOConfigID, []string{g.ID}))
		check(c.SSOConfigs.RemoveGroups(ctx, unknownSSOConfigID, []string{g.ID}))
	})
	t.Run("404 realm", func(t *testing.T) {
		nowhere := c.InRealm(unknownID)
		_, err := nowhere.SSOConfigs.Get(ctx, cfg.ID)
		ae := requireAPIError(t, err, http.StatusNotFound)
		if ri := ae.ResourceInfo(); assert.NotNil(t, ri) {
			assert.Equal(t, "Realm", ri.ResourceType)
		}
	})
	t.Run("401", func(t *testing.T) {
		bad, _ := proxyClientAuth(t, bi.WithAPIToken("not-a-token-of-this-tenant"))
		for _, err := range ssoConfigCalls(t, bad, cfg.ID, member.ID, g.ID) {
			requireAPIError(t, err, http.StatusUnauthorized)
			assert.ErrorIs(t, err, bi.ErrUnauthorized)
		}
	})
	t.Run("403 scope missing", func(t *testing.T) {
		narrow := proxyClientScopes(t, narrowScope)
		for _, err := range ssoConfigCalls(t, narrow, cfg.ID, member.ID, g.ID) {
			requireAPIError(t, err, http.StatusForbidden)
			assert.ErrorIs(t, err, bi.ErrForbidden)
		}
	})

	require.NoError(t, c.SSOConfigs.Delete(ctx, cfg.ID))
	require.NoError(t, c.Groups.Delete(ctx, g.ID))
}

// ssoConfigCalls calls each SSO config operation once and returns their
// errors in that order.
func ssoConfigCalls(t *testing.T, c *bi.Client, cfgID, identityID, groupID string) []error {
	t.Helper()
	ctx := t.Context()
	var errs []error
	add := func(_ any, err error) { errs = append(errs, err) }
	add(c.SSOConfigs.Create(ctx, &bi.CreateSSOConfigRequest{DisplayName: "X", Payload: &bi.BookmarkSSOPayload{LoginLink: "https://x.example"}}))
	add(c.SSOConfigs.List(ctx, nil))
	add(c.SSOConfigs.Get(ctx, cfgID))
	add(c.SSOConfigs.Update(ctx, cfgID, &bi.UpdateSSOConfigRequest{Payload: &bi.BookmarkSSOPayload{Icon: "x"}}))
	errs = append(errs, c.SSOConfigs.Delete(ctx, cfgID))
	errs = append(errs, c.SSOConfigs.AddIdentities(ctx, cfgID, []string{identityID}))
	errs = append(errs, c.SSOConfigs.RemoveIdentities(ctx, cfgID, []string{identityID}))
	add(c.SSOConfigs.ListIdentities(ctx, cfgID, nil))
	errs = append(errs, c.SSOConfigs.AddGroups(ctx, cfgID, []string{groupID}))
	errs = append(errs, c.SSOConfigs.RemoveGroups(ctx, cfgID, []string{groupID}))
	add(c.SSOConfigs.ListGroups(ctx, cfgID, nil))
	add(c.SSOConfigs.ListForIdentity(ctx, identityID, nil))
	add(c.SSOConfigs.ListForGroup(ctx, groupID, nil))
	add(c.SSOConfigs.GetIDForApplication(ctx, env.fake.ApplicationID))
	add(c.SSOConfigs.Test(ctx, cfgID))
	require.Len(t, errs, 15)
	return errs
}
