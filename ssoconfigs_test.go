package beyondidentity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// ssoOf returns the SSO config service of c.
func ssoOf(c *Client) *SSOConfigsService { return &SSOConfigsService{client: c} }

const (
	ssoPath = testRealmPath + "/sso-configs"
	testSSO = "5f1e0a9c-3f0a-4a37-9a5e-2c1b8f0d7e61"
	// Secrets of the fixtures; none may ever be printed.
	ssoIDPSecret     = "idp-client-secret-7Hq2LwX9pZ"
	ssoOIDCSecret    = "oidc-app-secret-Vb81KmQz3R"
	ssoSCIMSecret    = "scim-client-secret-Ue5cT0yN4a"
	ssoOktaToken     = "00okta-api-token-Qe4Rt5Yu6I"
	ssoOktaBISecret  = "okta-bi-client-secret-Lp0Ok9Ij8"
	ssoUnknownSecret = "unknown-kind-secret-Mn7Bv6Cx5Z"
	ssoNestedToken   = "nested-api-token-Hg3Fd2Sa1Q"
)

// ssoConfigJSON wraps a payload into an SSO config as the API answers it.
func ssoConfigJSON(id, name, payload string) string {
	return `{"id":"` + id + `","display_name":"` + name + `","is_migrated":false,"payload":` + payload + `}`
}

// Payloads of every kind. The API's only examples for them are the SAML
// member examples (the SAML payload below is made of them); the others
// follow their schemas, with the spec's example IDs.
const (
	inboundSCIMJSON = `{"application_id":"9a1f2e3d-4c5b-4a69-8877-665544332211","client_id":"scimClientID42",
		"client_secret":"` + ssoSCIMSecret + `","scim_url":"https://api-us.beyondidentity.com/v1/tenants/0001f1f460b1ace6/realms/8f5bec58229e6f29/scim/v2",
		"token_endpoint":"https://auth-us.beyondidentity.com/v1/tenants/0001f1f460b1ace6/realms/8f5bec58229e6f29/applications/9a1f2e3d-4c5b-4a69-8877-665544332211/token"}`
	oidcConfigurationJSON = `{"issuer":"https://auth-us.beyondidentity.com/v1/tenants/0001f1f460b1ace6/realms/8f5bec58229e6f29/applications/38833c36-6f47-4992-9329-ea0a00915137",
		"authorization_endpoint":null,"token_endpoint":"https://auth-us.beyondidentity.com/token","userinfo_endpoint":null,
		"jwks_uri":"https://auth-us.beyondidentity.com/.well-known/jwks.json","introspect_endpoint":"https://auth-us.beyondidentity.com/introspect",
		"response_types_supported":["code","id_token"],"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post"]}`

	bookmarkPayloadJSON = `{"type":"bookmark","login_link":"https://apps.example.com/login","icon":"https://apps.example.com/icon.png",
		"is_tile_visible":true,"application_tile_id":"tile-81490afab171aef0"}`
	entraPayloadJSON = `{"type":"entra_id_external_auth_methods","redirect_uris":["https://login.microsoftonline.com/common/federation/externalauthprovider"],
		"discover_endpoint":"azure_us_government","oidc_configuration":` + oidcConfigurationJSON + `,"client_id":"AYYNcuOSpfqIf33JeegCzDIT",
		"inbound_scim":` + inboundSCIMJSON + `,"application_id":"38833c36-6f47-4992-9329-ea0a00915137",
		"authenticator_config_id":"0d3c2b1a-0f9e-4d8c-b7a6-958473625140","resource_server_id":"84db69f5-48a8-4c11-8cda-1bae3a73f07e"}`
	genericOIDCPayloadJSON = `{"type":"generic_oidc","redirect_uris":["https://app.example.com/callback"],"scopes":["openid","email"],
		"trusted_origins":["https://app.example.com"],"login_link":"https://app.example.com/login","icon":"","is_tile_visible":false,
		"confidentiality":"confidential","pkce":"s256","oidc_configuration":` + oidcConfigurationJSON + `,"client_id":"AYYNcuOSpfqIf33JeegCzDIT",
		"client_secret":"` + ssoOIDCSecret + `","application_id":"38833c36-6f47-4992-9329-ea0a00915137",
		"authenticator_config_id":"0d3c2b1a-0f9e-4d8c-b7a6-958473625140","resource_server_id":"84db69f5-48a8-4c11-8cda-1bae3a73f07e",
		"application_tile_id":"tile-2"}`
	genericOIDCIDPPayloadJSON = `{"type":"generic_oidc_idp","client_id":"bi-at-idp","client_secret":"` + ssoIDPSecret + `","pkce":"s256",
		"id_token_scopes":["openid","email"],"identifying_claim_name":"email","identity_attribute":"email",
		"authorization_endpoint":"https://idp.example.com/authorize","token_endpoint":"https://idp.example.com/token",
		"jwks_endpoint":"https://idp.example.com/jwks","redirect_uri":"https://auth-us.beyondidentity.com/v1/idp/callback",
		"identity_provider_id":"e372db224c06e850"}`
	samlPayloadJSON = `{"type":"generic_saml","acs_url":"https://example.com/saml/acs","override_recipient_and_destination":true,
		"recipient_url":"https://example.com/saml/recipient","destination_url":"https://example.com/saml/destination",
		"audience_url":"https://example.com/saml/audience","default_relay_state":"defaultRelayState","name_format":"unspecified",
		"authentication_context":"x509","subject_user_name_attribute":"user_name","sign_envelope":true,"sign_assertions":true,
		"signature_algorithm":"rsa_sha256","digest_algorithm":"sha256","encrypt_assertions":false,"assertion_validity_duration_seconds":300,
		"assertion_encryption_algorithm":"aes256_cbc","assertion_key_transport_algorithm":"rsa_oaep",
		"assertion_encryption_public_key":"-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr3Q4ebLzciJlVf4QDQ2u\n-----END PUBLIC KEY-----\n",
		"sp_signature_certificates":["-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEbF2LTTANBgkqhkiG9w0BAQsFADBoMQswCQYDVQQGEwJV\n-----END CERTIFICATE-----\n"],
		"enable_single_log_out":false,"single_log_out_url":"https://example.com/saml/logout","single_log_out_issuer_url":"https://example.com/saml/issuer",
		"single_log_out_binding":"post","single_logout_sign_request_and_response":false,"validate_signed_requests":true,
		"other_sso_urls":{"index":1,"url":"https://example.com/saml/acs1"},
		"additional_user_attributes":[{"name":"firstName","name_format":"unspecified","value":"email","custom_value":"customString"}],
		"identity_provider_certs":[{"id":"3cb717d1-88ff-440a-b5ee-86c00ce63dbf","created_at":"2022-05-12T20:29:47.636Z",
		"expires_at":"2022-05-12T20:29:47.636Z","is_active":true,"idp_public_certificate":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}],
		"use_short_url":false,"application_id":"38833c36-6f47-4992-9329-ea0a00915137","idp_initiated_url":"https://auth-us.beyondidentity.com/saml/idp",
		"sp_initiated_url":"https://auth-us.beyondidentity.com/saml/sp"}`
	oktaIDPPayloadJSON = `{"type":"okta_idp","client_id":"0oa24fkg4hed8IxFK0h8","client_secret":"` + ssoIDPSecret + `","pkce":"disabled",
		"id_token_scopes":["openid"],"identifying_claim_name":"preferred_username","identity_attribute":"username",
		"okta_domain":"zeropw-rolling.oktapreview.com","authorization_endpoint":"https://zeropw-rolling.oktapreview.com/oauth2/v1/authorize",
		"token_endpoint":"https://zeropw-rolling.oktapreview.com/oauth2/v1/token","jwks_endpoint":"https://zeropw-rolling.oktapreview.com/oauth2/v1/keys",
		"redirect_uri":"https://auth-us.beyondidentity.com/v1/idp/callback","identity_provider_id":"e372db224c06e850"}`
	oktaBIIDPPayloadJSON = `{"type":"okta_sso_bi_idp","pkce":"s256","oidc_configuration":` + oidcConfigurationJSON + `,
		"client_id":"AYYNcuOSpfqIf33JeegCzDIT","client_secret":"` + ssoOktaBISecret + `",
		"okta_registration":{"domain":"https://zeropw-rolling.okta.com","okta_token":"` + ssoOktaToken + `","attribute_name":"byndidRegistered","is_enabled":true},
		"application_id":"38833c36-6f47-4992-9329-ea0a00915137","authenticator_config_id":"0d3c2b1a-0f9e-4d8c-b7a6-958473625140"}`
	scimPayloadJSON = `{"type":"scim","application_id":"9a1f2e3d-4c5b-4a69-8877-665544332211","client_id":"scimClientID42",
		"client_secret":"` + ssoSCIMSecret + `","scim_url":"https://api-us.beyondidentity.com/scim/v2","token_endpoint":"https://auth-us.beyondidentity.com/token"}`
	wsFedPayloadJSON = `{"type":"ws_fed","acs_url":"https://sp.example.com/wsfed","audience_url":"urn:federation:MicrosoftOnline",
		"expiration_time_seconds":3600,"digest_algorithm":"sha256","signature_algorithm":"rsa_sha256","name_format":"persistent",
		"subject_user_name_attribute":"external_id","authentication_context":"password_protected_transport",
		"additional_user_attributes":[{"name":"IDPEmail","name_format":"unspecified","value":"email","namespace":"http://schemas.microsoft.com/LiveID/Federation/2008/05"}],
		"icon":"https://sp.example.com/icon.png","is_tile_visible":true,"application_id":"38833c36-6f47-4992-9329-ea0a00915137",
		"idp_sso_url":"https://auth-us.beyondidentity.com/wsfed","idp_issuer_url":"https://auth-us.beyondidentity.com/issuer",
		"metadata_url":"https://auth-us.beyondidentity.com/wsfed/metadata"}`
	realityCheckPayloadJSON = `{"type":"reality_check","company_identifier":"acme"}`
)

func TestSSOPayloadKindsDecode(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		check   func(t *testing.T, p SSOPayload)
	}{
		{"bookmark", bookmarkPayloadJSON, func(t *testing.T, p SSOPayload) {
			assert.Equal(t, &BookmarkSSOPayload{LoginLink: "https://apps.example.com/login", Icon: "https://apps.example.com/icon.png",
				IsTileVisible: Ptr(true), ApplicationTileID: "tile-81490afab171aef0"}, p)
		}},
		{"entra", entraPayloadJSON, func(t *testing.T, p SSOPayload) {
			e := p.(*EntraIDSSOPayload)
			assert.Equal(t, EntraIDDiscoverAzureUSGovernment, e.DiscoverEndpoint)
			assert.Equal(t, []string{"code", "id_token"}, e.OIDCConfiguration.ResponseTypesSupported)
			assert.Empty(t, e.OIDCConfiguration.AuthorizationEndpoint, "null reads as empty")
			assert.Equal(t, ssoSCIMSecret, e.InboundSCIM.ClientSecret.Reveal())
			assert.Equal(t, "84db69f5-48a8-4c11-8cda-1bae3a73f07e", e.ResourceServerID)
		}},
		{"generic oidc", genericOIDCPayloadJSON, func(t *testing.T, p SSOPayload) {
			o := p.(*GenericOIDCSSOPayload)
			assert.Equal(t, []string{"openid", "email"}, o.Scopes)
			assert.Equal(t, Ptr(false), o.IsTileVisible)
			assert.Equal(t, ConfidentialityConfidential, o.Confidentiality)
			assert.Equal(t, PKCES256, o.PKCE)
			assert.Equal(t, ssoOIDCSecret, o.ClientSecret.Reveal())
			assert.Equal(t, "https://auth-us.beyondidentity.com/introspect", o.OIDCConfiguration.IntrospectEndpoint)
		}},
		{"generic oidc idp", genericOIDCIDPPayloadJSON, func(t *testing.T, p SSOPayload) {
			o := p.(*GenericOIDCIDPSSOPayload)
			assert.Equal(t, SubjectFieldEmail, o.IdentityAttribute)
			assert.Equal(t, ssoIDPSecret, o.ClientSecret.Reveal())
			assert.Equal(t, "https://idp.example.com/jwks", o.JWKSEndpoint)
			assert.Equal(t, "e372db224c06e850", o.IdentityProviderID)
		}},
		{"saml", samlPayloadJSON, func(t *testing.T, p SSOPayload) {
			s := p.(*SAMLSSOPayload)
			assert.Equal(t, "https://example.com/saml/acs", s.ACSURL)
			assert.Equal(t, Ptr("defaultRelayState"), s.DefaultRelayState)
			assert.Equal(t, SAMLNameFormatUnspecified, s.NameFormat)
			assert.Equal(t, SAMLAuthnContextX509, s.AuthenticationContext)
			assert.Equal(t, SAMLSubjectUserName, s.SubjectUserNameAttribute)
			assert.Equal(t, SAMLSignatureRSASHA256, s.SignatureAlgorithm)
			assert.Equal(t, SAMLDigestSHA256, s.DigestAlgorithm)
			assert.Equal(t, SAMLEncryptionAES256CBC, s.AssertionEncryptionAlgorithm)
			assert.Equal(t, SAMLKeyTransportRSAOAEP, s.AssertionKeyTransportAlgorithm)
			assert.Equal(t, SAMLBindingPost, s.SingleLogOutBinding)
			assert.Equal(t, 300, s.AssertionValidityDurationSeconds)
			assert.Equal(t, Ptr(false), s.EncryptAssertions)
			assert.Equal(t, Ptr(true), s.ValidateSignedRequests)
			assert.Equal(t, []SAMLAttribute{{Name: "firstName", NameFormat: SAMLNameFormatUnspecified, Value: SAMLAttributeEmail, CustomValue: "customString"}},
				s.AdditionalUserAttributes)
			assert.JSONEq(t, `{"index":1,"url":"https://example.com/saml/acs1"}`, string(s.OtherSSOURLs))
			assert.Contains(t, string(s.SPSignatureCertificates), "BEGIN CERTIFICATE")
			require.Len(t, s.IdentityProviderCerts, 1)
			assert.Equal(t, time.Date(2022, 5, 12, 20, 29, 47, 636e6, time.UTC), s.IdentityProviderCerts[0].CreatedAt)
			assert.True(t, s.IdentityProviderCerts[0].IsActive)
		}},
		{"okta idp", oktaIDPPayloadJSON, func(t *testing.T, p SSOPayload) {
			o := p.(*OktaIDPSSOPayload)
			assert.Equal(t, "zeropw-rolling.oktapreview.com", o.OktaDomain)
			assert.Equal(t, SubjectFieldUsername, o.IdentityAttribute)
			assert.Equal(t, PKCEDisabled, o.PKCE)
			assert.Equal(t, ssoIDPSecret, o.ClientSecret.Reveal())
		}},
		{"okta bi idp", oktaBIIDPPayloadJSON, func(t *testing.T, p SSOPayload) {
			o := p.(*OktaBIIDPSSOPayload)
			assert.Equal(t, ssoOktaToken, o.OktaRegistration.OktaToken.Reveal())
			assert.Equal(t, Ptr(true), o.OktaRegistration.IsEnabled)
			assert.Equal(t, ssoOktaBISecret, o.ClientSecret.Reveal())
		}},
		{"scim", scimPayloadJSON, func(t *testing.T, p SSOPayload) {
			s := p.(*SCIMSSOPayload)
			assert.Equal(t, ssoSCIMSecret, s.ClientSecret.Reveal())
			assert.Equal(t, "https://api-us.beyondidentity.com/scim/v2", s.SCIMURL)
		}},
		{"ws-fed", wsFedPayloadJSON, func(t *testing.T, p SSOPayload) {
			w := p.(*WSFedSSOPayload)
			assert.Equal(t, 3600, w.ExpirationTimeSeconds)
			assert.Equal(t, SAMLAuthnContextPasswordProtectedTransport, w.AuthenticationContext)
			assert.Equal(t, "http://schemas.microsoft.com/LiveID/Federation/2008/05", w.AdditionalUserAttributes[0].Namespace)
			assert.Equal(t, "https://auth-us.beyondidentity.com/wsfed/metadata", w.MetadataURL)
		}},
		{"reality check", realityCheckPayloadJSON, func(t *testing.T, p SSOPayload) {
			assert.Equal(t, &RealityCheckSSOPayload{CompanyIdentifier: "acme"}, p)
		}},
		{"saml tagged saml, as the payload schema says", strings.Replace(samlPayloadJSON, `"generic_saml"`, `"saml"`, 1), func(t *testing.T, p SSOPayload) {
			assert.Equal(t, "https://example.com/saml/acs", p.(*SAMLSSOPayload).ACSURL)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c SSOConfig
			require.NoError(t, json.Unmarshal([]byte(ssoConfigJSON(testSSO, "App", tt.payload)), &c))
			assert.Equal(t, testSSO, c.ID)
			assert.Equal(t, "App", c.DisplayName)
			require.NotNil(t, c.Payload)
			assert.Nil(t, extraOf(c.Payload), "every member of the kind is typed")
			tt.check(t, c.Payload)

			// The JSON form is tagged with the kind and keeps every member.
			b, err := json.Marshal(c)
			require.NoError(t, err)
			var again SSOConfig
			require.NoError(t, json.Unmarshal(b, &again))
			assert.Equal(t, c.Payload.SSOConfigType(), again.Payload.SSOConfigType())
		})
	}
}

// extraOf returns the Extra of a typed payload.
func extraOf(p SSOPayload) map[string]json.RawMessage {
	if k, ok := p.(ssoKind); ok {
		return k.wire().extra
	}
	return nil
}

func TestSSOPayloadCamelCaseTaggedForm(t *testing.T) {
	// The form in which bi-cli reads answers: one member named after the
	// kind.
	var c SSOConfig
	require.NoError(t, json.Unmarshal([]byte(`{"id":"`+testSSO+`","display_name":"Bookmark","is_migrated":true,
		"payload":{"Bookmark":{"login_link":"https://apps.example.com","icon":"","is_tile_visible":true,"application_tile_id":"t1"}}}`), &c))
	assert.Equal(t, &BookmarkSSOPayload{LoginLink: "https://apps.example.com", IsTileVisible: Ptr(true), ApplicationTileID: "t1"}, c.Payload)
	assert.True(t, c.IsMigrated)

	require.NoError(t, json.Unmarshal([]byte(`{"id":"x","display_name":"Okta","payload":{"GenericOidcIdp":{"identity_provider_id":"e372db224c06e850"}}}`), &c))
	assert.Equal(t, &GenericOIDCIDPSSOPayload{IdentityProviderID: "e372db224c06e850"}, c.Payload)

	// An unknown name, several members or a non-object stay unknown, byte
	// for byte.
	for _, raw := range []string{`{"FutureKind":{"a":1}}`, `{"Bookmark":{},"Other":{}}`, `{"Bookmark":"x"}`, `{"Saml":{}}`, `{}`} {
		require.NoError(t, json.Unmarshal([]byte(`{"id":"x","payload":`+raw+`}`), &c))
		u, ok := c.Payload.(*UnknownSSOPayload)
		require.True(t, ok, "%s: %T", raw, c.Payload)
		assert.Equal(t, raw, string(u.Raw))
		assert.Equal(t, SSOConfigType(""), u.SSOConfigType())
	}

	require.NoError(t, json.Unmarshal([]byte(`{"id":"x","payload":null}`), &c))
	assert.Nil(t, c.Payload)
	assert.Error(t, json.Unmarshal([]byte(`{"id":"x","payload":{"type":"bookmark","is_tile_visible":"yes"}}`), &c))
}

func TestSSOConfigsRequestShapes(t *testing.T) {
	c := newGockClient(t)
	s := ssoOf(c)
	bookmark := ssoConfigJSON(testSSO, "Wiki", bookmarkPayloadJSON)
	idp := ssoConfigJSON(testSSO, "Corporate IdP", genericOIDCIDPPayloadJSON)
	const (
		identity1 = "e372db224c06e850"
		identity2 = "3a28d4f28b57cc93"
	)

	apiMock(http.MethodPost, ssoPath).
		AddMatcher(matchJSONBody(t, `{"sso_config":{"display_name":"Corporate IdP","payload":{"type":"generic_oidc_idp",
			"client_id":"bi-at-idp","client_secret":"`+ssoIDPSecret+`","pkce":"s256","id_token_scopes":["openid","email"],
			"identifying_claim_name":"email","identity_attribute":"email","authorization_endpoint":"https://idp.example.com/authorize",
			"token_endpoint":"https://idp.example.com/token","jwks_endpoint":"https://idp.example.com/jwks"}}}`)).
		Reply(200).BodyString(idp)
	apiMock(http.MethodPost, ssoPath).
		AddMatcher(matchJSONBody(t, `{"sso_config":{"display_name":"Wiki","is_migrated":true,"payload":{"type":"bookmark",
			"login_link":"https://apps.example.com/login","is_tile_visible":false}}}`)).
		Reply(200).BodyString(bookmark)
	apiMock(http.MethodGet, ssoPath+"/"+testSSO).AddMatcher(matchNoBody).AddMatcher(matchQuery(t, nil)).Reply(200).BodyString(bookmark)
	apiMock(http.MethodGet, ssoPath).
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"50"}, "page_token": {"p 2"}, "type": {"bookmark", "generic_saml"},
			"is_migrated": {"false"}, "order_by": {"display_name"}})).
		Reply(200).BodyString(`{"sso_configs":[` + bookmark + `],"total_size":3,"next_page_token":"p3"}`)
	apiMock(http.MethodPatch, ssoPath+"/"+testSSO).
		AddMatcher(matchJSONBody(t, `{"sso_config":{"type":"bookmark","is_tile_visible":false}}`)).Reply(200).BodyString(bookmark)
	apiMock(http.MethodDelete, ssoPath+"/cfg%3A1").AddMatcher(matchNoBody).Reply(200)
	apiMock(http.MethodPost, ssoPath+"/"+testSSO+":addIdentities").
		AddMatcher(matchJSONBody(t, `{"identity_ids":["`+identity1+`","`+identity2+`"]}`)).Reply(200)
	apiMock(http.MethodPost, ssoPath+"/"+testSSO+":deleteIdentities").
		AddMatcher(matchJSONBody(t, `{"identity_ids":["`+identity2+`"]}`)).Reply(200)
	apiMock(http.MethodGet, ssoPath+"/"+testSSO+":listIdentityAssociations").
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"1"}})).
		Reply(200).BodyString(`{"identities":[{"id":"e372db224c06e850","realm_id":"8f5bec58229e6f29","tenant_id":"0001f1f460b1ace6",
			"group_id":"923935b2912304","group_display_name":"Test Group","display_name":"Test Identity",
			"create_time":"2022-04-12T05:53:07.119Z","update_time":"2022-06-16T14:31:03.770Z",
			"traits":{"type":"traits_v0","username":"test","primary_email_address":"test@example.com"}}],"next_page_token":"n1"}`)
	apiMock(http.MethodGet, ssoPath+"/"+testSSO+":listIdentityAssociations").
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"1"}, "page_token": {"n1"}})).
		Reply(200).BodyString(`{"identities":[],"next_page_token":"n2"}`)
	apiMock(http.MethodGet, ssoPath+"/"+testSSO+":listIdentityAssociations").
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"1"}, "page_token": {"n2"}})).
		Reply(200).BodyString(`{"identities":[` + identityFixture(identity2, "bob") + `]}`)
	apiMock(http.MethodPost, ssoPath+"/"+testSSO+":addGroups").
		AddMatcher(matchJSONBody(t, `{"group_ids":["e372db224c06e850","3a28d4f28b57cc93"]}`)).Reply(200)
	apiMock(http.MethodPost, ssoPath+"/"+testSSO+":deleteGroups").
		AddMatcher(matchJSONBody(t, `{"group_ids":["3a28d4f28b57cc93"]}`)).Reply(200)
	apiMock(http.MethodGet, ssoPath+"/"+testSSO+":listGroupAssociations").AddMatcher(matchQuery(t, nil)).AddMatcher(matchNoBody).
		Reply(200).BodyString(`{"groups":[{"id":"81490afab171aef0","realm_id":"7df92e4a38ba0993","tenant_id":"0001b42d80372976",
			"display_name":"Realm Administrators","description":"A group of realm administrators.",
			"create_time":"2022-03-14T03:42:52.905Z","update_time":"2022-06-14T05:55:23.823Z","member_count":1000}]}`)
	apiMock(http.MethodGet, identitiesPath+"/"+identity1+"/sso-configs").
		AddMatcher(matchQuery(t, map[string][]string{"page_size": {"200"}})).
		Reply(200).BodyString(`{"sso_configs":[` + bookmark + `,` + bookmark + `],"total_size":2}`)
	apiMock(http.MethodGet, groupsPath+"/81490afab171aef0/sso-configs").
		AddMatcher(matchQuery(t, map[string][]string{"page_token": {"g1"}})).
		Reply(200).BodyString(`{"sso_configs":[` + idp + `],"total_size":1000}`)
	apiMock(http.MethodGet, testRealmPath+"/applications/38833c36-6f47-4992-9329-ea0a00915137/sso-configs-id").
		AddMatcher(matchNoBody).Reply(200).BodyString(`{"sso_config_id":"` + testSSO + `"}`)
	apiMock(http.MethodGet, testRealmPath+"/applications/app2/sso-configs-id").Reply(200).BodyString(`{}`)
	apiMock(http.MethodPost, ssoPath+"/"+testSSO+"/test").AddMatcher(matchNoBody).
		Reply(200).BodyString(`{"identity_providers":[],"oidc_applications":[{"application_id":"38833c36-6f47-4992-9329-ea0a00915137",
			"display_name":"Pets","is_success":true,"status_code":"200"}]}`)

	ctx := context.Background()
	cfg, err := s.Create(ctx, &CreateSSOConfigRequest{DisplayName: "Corporate IdP", Payload: &GenericOIDCIDPSSOPayload{
		ClientID: "bi-at-idp", ClientSecret: NewSecret(ssoIDPSecret), PKCE: PKCES256, IDTokenScopes: []string{"openid", "email"},
		IdentifyingClaimName: "email", IdentityAttribute: SubjectFieldEmail, AuthorizationEndpoint: "https://idp.example.com/authorize",
		TokenEndpoint: "https://idp.example.com/token", JWKSEndpoint: "https://idp.example.com/jwks",
		// Read-only: never sent.
		RedirectURI: "https://mine.example/cb", IdentityProviderID: "not-sent",
	}})
	require.NoError(t, err)
	assert.Equal(t, "e372db224c06e850", cfg.Payload.(*GenericOIDCIDPSSOPayload).IdentityProviderID)
	_, err = s.Create(ctx, &CreateSSOConfigRequest{DisplayName: "Wiki", IsMigrated: true, Payload: &BookmarkSSOPayload{
		LoginLink: "https://apps.example.com/login", IsTileVisible: Ptr(false), ApplicationTileID: "read-only"}})
	require.NoError(t, err)
	cfg, err = s.Get(ctx, testSSO)
	require.NoError(t, err)
	assert.Equal(t, "Wiki", cfg.DisplayName)
	page, err := s.List(ctx, &ListSSOConfigsOptions{PageSize: 50, PageToken: "p 2", Types: []SSOConfigType{SSOConfigTypeBookmark, SSOConfigTypeGenericSAML},
		IsMigrated: Ptr(false), OrderBy: "display_name"})
	require.NoError(t, err)
	assert.Equal(t, 3, page.TotalSize)
	assert.Equal(t, "p3", page.NextPageToken)
	_, err = s.Update(ctx, testSSO, &UpdateSSOConfigRequest{Payload: &BookmarkSSOPayload{IsTileVisible: Ptr(false)}})
	require.NoError(t, err)
	require.NoError(t, s.Delete(ctx, "cfg:1"))
	require.NoError(t, s.AddIdentities(ctx, testSSO, []string{identity1, identity2}))
	require.NoError(t, s.RemoveIdentities(ctx, testSSO, []string{identity2}))
	var ids []string
	for id, err := range s.AllIdentities(ctx, testSSO, &CursorOptions{PageSize: 1}) {
		require.NoError(t, err)
		ids = append(ids, id.ID+"/"+id.GroupDisplayName)
		if id.ID == identity1 {
			assert.Equal(t, "923935b2912304", id.GroupID)
			assert.Equal(t, "test@example.com", id.Traits.PrimaryEmailAddress)
		}
	}
	assert.Equal(t, []string{identity1 + "/Test Group", identity2 + "/"}, ids)
	require.NoError(t, s.AddGroups(ctx, testSSO, []string{"e372db224c06e850", "3a28d4f28b57cc93"}))
	require.NoError(t, s.RemoveGroups(ctx, testSSO, []string{"3a28d4f28b57cc93"}))
	var groups []*SSOConfigGroup
	for g, err := range s.AllGroups(ctx, testSSO, nil) {
		require.NoError(t, err)
		groups = append(groups, g)
	}
	require.Len(t, groups, 1)
	assert.Equal(t, "Realm Administrators", groups[0].DisplayName)
	assert.Equal(t, 1000, groups[0].MemberCount)
	forID, err := s.ListForIdentity(ctx, identity1, &CursorOptions{PageSize: 200})
	require.NoError(t, err)
	assert.Len(t, forID.Items, 2, "the API may repeat SSO configs; they are kept")
	forGroup, err := s.ListForGroup(ctx, "81490afab171aef0", &CursorOptions{PageToken: "g1"})
	require.NoError(t, err)
	assert.Equal(t, 1000, forGroup.TotalSize)
	id, err := s.GetIDForApplication(ctx, "38833c36-6f47-4992-9329-ea0a00915137")
	require.NoError(t, err)
	assert.Equal(t, testSSO, id)
	id, err = s.GetIDForApplication(ctx, "app2")
	require.NoError(t, err)
	assert.Empty(t, id, "no sso_config_id: the application has no SSO config")
	res, err := s.Test(ctx, testSSO)
	require.NoError(t, err)
	assert.Equal(t, []SSOConfigTestOutcome{{ApplicationID: "38833c36-6f47-4992-9329-ea0a00915137", DisplayName: "Pets", IsSuccess: true, StatusCode: "200"}},
		res.OIDCApplications)
}

// TestSSOConfigTestResultDecodesSpecExample decodes the example of
// TestSsoConfig (its HTML error page shortened), whose members differ from
// the schema's: is_successful, and a numeric status_code.
func TestSSOConfigTestResultDecodesSpecExample(t *testing.T) {
	const example = `{"identity_providers":[
		{"identity_provider_id":"123","display_name":"Okta IDP","is_successful":true,"status_code":200},
		{"identity_provider_id":"456","display_name":"Ping IDP","is_successful":false,"status_code":500,
		 "error_context":"<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n<html>\n<head>\n    <title>zeropw-rolling - Bad Request</title>\n</head>\n</html>"}]}`
	var r SSOConfigTestResult
	require.NoError(t, json.Unmarshal([]byte(example), &r))
	require.Len(t, r.IdentityProviders, 2)
	assert.Equal(t, SSOConfigTestOutcome{IdentityProviderID: "123", DisplayName: "Okta IDP", IsSuccess: true, StatusCode: "200"}, r.IdentityProviders[0])
	assert.False(t, r.IdentityProviders[1].IsSuccess)
	assert.Equal(t, "500", r.IdentityProviders[1].StatusCode)
	assert.Contains(t, r.IdentityProviders[1].ErrorContext, "zeropw-rolling - Bad Request")
	assert.Empty(t, r.OIDCApplications)

	var o SSOConfigTestOutcome
	assert.Error(t, json.Unmarshal([]byte(`{"status_code":true}`), &o))
}

func TestSSOConfigUnknownKindSurvivesGetAndUpdate(t *testing.T) {
	const future = `{"type":"future_kind","nested":{"a":[1,{"b":null}],"c":"x"},"flag":true,"client_secret":"` + ssoUnknownSecret + `"}`
	c := newGockClient(t)
	s := ssoOf(c)
	apiMock(http.MethodGet, ssoPath+"/"+testSSO).Reply(200).BodyString(ssoConfigJSON(testSSO, "Future", future))
	apiMock(http.MethodPatch, ssoPath+"/"+testSSO).
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			var w struct {
				SSOConfig json.RawMessage `json:"sso_config"`
			}
			err := json.Unmarshal(readAndRestore(r), &w)
			return err == nil && string(w.SSOConfig) == future, err
		}).
		Reply(200).BodyString(ssoConfigJSON(testSSO, "Future", future))
	ctx := context.Background()
	cfg, err := s.Get(ctx, testSSO)
	require.NoError(t, err)
	u, ok := cfg.Payload.(*UnknownSSOPayload)
	require.True(t, ok, "%T", cfg.Payload)
	assert.Equal(t, SSOConfigType("future_kind"), u.SSOConfigType())
	assert.Equal(t, future, string(u.Raw), "byte for byte")
	cfg, err = s.Update(ctx, testSSO, &UpdateSSOConfigRequest{Payload: cfg.Payload})
	require.NoError(t, err)
	assert.Equal(t, future, string(cfg.Payload.(*UnknownSSOPayload).Raw))
}

func TestSSOConfigUnknownMembersSurviveGetAndUpdate(t *testing.T) {
	const member = `{"x":[1,2,{"y":"z"}],"n":null}`
	payload := strings.Replace(bookmarkPayloadJSON, `"type":"bookmark",`, `"type":"bookmark","future_member":`+member+`,`, 1)
	c := newGockClient(t)
	s := ssoOf(c)
	apiMock(http.MethodGet, ssoPath+"/"+testSSO).Reply(200).BodyString(ssoConfigJSON(testSSO, "Wiki", payload))
	apiMock(http.MethodPatch, ssoPath+"/"+testSSO).
		AddMatcher(matchJSONBody(t, `{"sso_config":{"type":"bookmark","login_link":"https://apps.example.com/login",
			"icon":"https://apps.example.com/icon.png","is_tile_visible":true,"future_member":`+member+`}}`)).
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			var w struct {
				SSOConfig struct {
					Future json.RawMessage `json:"future_member"`
				} `json:"sso_config"`
			}
			err := json.Unmarshal(readAndRestore(r), &w)
			return err == nil && string(w.SSOConfig.Future) == member, err
		}).
		Reply(200).BodyString(ssoConfigJSON(testSSO, "Wiki", payload))
	ctx := context.Background()
	cfg, err := s.Get(ctx, testSSO)
	require.NoError(t, err)
	b := cfg.Payload.(*BookmarkSSOPayload)
	assert.Equal(t, member, string(b.Extra["future_member"]), "byte for byte")
	// The read-only application_tile_id is not sent back.
	cfg, err = s.Update(ctx, testSSO, &UpdateSSOConfigRequest{Payload: b})
	require.NoError(t, err)
	assert.Equal(t, member, string(cfg.Payload.(*BookmarkSSOPayload).Extra["future_member"]))
}

func TestSSOConfigSecretsNeverPrinted(t *testing.T) {
	secrets := []string{ssoIDPSecret, ssoOIDCSecret, ssoSCIMSecret, ssoOktaToken, ssoOktaBISecret, ssoUnknownSecret, ssoNestedToken}
	unknown := `{"type":"future_kind","client_secret":"` + ssoUnknownSecret + `","creds":[{"api_token":"` + ssoNestedToken + `"}],"name":"visible"}`
	for _, payload := range []string{genericOIDCIDPPayloadJSON, genericOIDCPayloadJSON, entraPayloadJSON, oktaIDPPayloadJSON,
		oktaBIIDPPayloadJSON, scimPayloadJSON, unknown} {
		var c SSOConfig
		require.NoError(t, json.Unmarshal([]byte(ssoConfigJSON(testSSO, "S", payload)), &c))
		kind := c.Payload.SSOConfigType()
		for _, v := range []any{c, &c, c.Payload} {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
				out := fmt.Sprintf(verb, v)
				for _, s := range secrets {
					assert.NotContains(t, out, s, "%s %s", kind, verb)
				}
			}
			b, err := json.Marshal(v)
			require.NoError(t, err)
			for _, s := range secrets {
				assert.NotContains(t, string(b), s, "%s JSON", kind)
			}
		}
	}
	// Printing an unknown kind shows the members, secrets REDACTED.
	u := &UnknownSSOPayload{Raw: json.RawMessage(unknown)}
	assert.Equal(t, `beyondidentity.UnknownSSOPayload{Type: "future_kind", Raw: {"type":"future_kind","client_secret":"REDACTED","creds":[{"api_token":"REDACTED"}],"name":"visible"}}`,
		fmt.Sprint(u))
	assert.Equal(t, unknown, string(u.Raw), "Raw itself is never changed")

	// Extra members with a secret-looking name are REDACTED in JSON.
	b := &BookmarkSSOPayload{LoginLink: "https://x.example", Extra: map[string]json.RawMessage{
		"signing_secret": json.RawMessage(`"` + ssoUnknownSecret + `"`), "deep": json.RawMessage(`{"refresh_token":"` + ssoNestedToken + `"}`)}}
	out, err := json.Marshal(b)
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"bookmark","login_link":"https://x.example","signing_secret":"REDACTED","deep":{"refresh_token":"REDACTED"}}`, string(out))
}

func TestSSOConfigSecretsSentOnlyInTheBodyField(t *testing.T) {
	c := newGockClient(t)
	s := ssoOf(c)
	apiMock(http.MethodPost, ssoPath).
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			if strings.Contains(r.URL.String(), ssoOktaToken) || strings.Contains(r.URL.String(), ssoIDPSecret) {
				return false, nil
			}
			for _, vs := range r.Header {
				for _, v := range vs {
					if strings.Contains(v, ssoOktaToken) || strings.Contains(v, ssoIDPSecret) {
						return false, nil
					}
				}
			}
			body := readAndRestore(r)
			var w struct {
				SSOConfig struct {
					Payload map[string]json.RawMessage `json:"payload"`
				} `json:"sso_config"`
			}
			if err := json.Unmarshal(body, &w); err != nil {
				return false, err
			}
			p := w.SSOConfig.Payload
			// The Okta API token is sent where the API takes it; the
			// read-only client secret and inbound SCIM secret are not.
			return string(p["okta_registration"]) == `{"domain":"https://acme.okta.com","okta_token":"`+ssoOktaToken+`","attribute_name":"byndid","is_enabled":true}` &&
				string(p["inbound_scim"]) == `{}` && p["client_secret"] == nil && strings.Count(string(body), ssoOktaToken) == 1 &&
				!strings.Contains(string(body), ssoOktaBISecret) && !strings.Contains(string(body), ssoSCIMSecret), nil
		}).
		Reply(200).BodyString(ssoConfigJSON(testSSO, "Okta", oktaBIIDPPayloadJSON))
	// The server quotes the secret in an error: the error does not.
	quoting := map[string]any{"code": "bad_request", "message": "invalid client_secret " + ssoIDPSecret,
		"details": []any{map[string]any{"type": "FieldViolations", "field_violations": []any{
			map[string]any{"field": "client_secret", "description": "rejected value " + ssoIDPSecret}}}}}
	apiMock(http.MethodPatch, ssoPath+"/"+testSSO).Reply(400).JSON(quoting)
	ctx := context.Background()
	_, err := s.Create(ctx, &CreateSSOConfigRequest{DisplayName: "Okta", Payload: &OktaBIIDPSSOPayload{
		PKCE: PKCES256,
		OktaRegistration: &OktaRegistration{Domain: "https://acme.okta.com", OktaToken: NewSecret(ssoOktaToken),
			AttributeName: "byndid", IsEnabled: Ptr(true)},
		InboundSCIM:  &SSOInboundSCIM{ClientSecret: NewSecret(ssoSCIMSecret), ClientID: "read-only"},
		ClientSecret: NewSecret(ssoOktaBISecret),
	}})
	require.NoError(t, err)
	_, err = s.Update(ctx, testSSO, &UpdateSSOConfigRequest{Payload: &GenericOIDCIDPSSOPayload{ClientSecret: NewSecret(ssoIDPSecret)}})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	for _, out := range []string{err.Error(), fmt.Sprintf("%+v", ae), fmt.Sprintf("%#v", ae), ae.Message} {
		assert.NotContains(t, out, ssoIDPSecret)
	}
	assert.Contains(t, ae.Message, "invalid client_secret REDACTED")
}

func TestSSOConfigAssociationChangesAreRetriedLikeUpdates(t *testing.T) {
	ok := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }
	tests := []struct {
		name  string
		call  func(s *SSOConfigsService) error
		tries int
	}{
		{"add identities", func(s *SSOConfigsService) error {
			return s.AddIdentities(context.Background(), testSSO, []string{"i1"})
		}, 2},
		{"remove identities", func(s *SSOConfigsService) error {
			return s.RemoveIdentities(context.Background(), testSSO, []string{"i1"})
		}, 2},
		{"add groups", func(s *SSOConfigsService) error { return s.AddGroups(context.Background(), testSSO, []string{"g1"}) }, 2},
		{"remove groups", func(s *SSOConfigsService) error {
			return s.RemoveGroups(context.Background(), testSSO, []string{"g1"})
		}, 2},
		{"test", func(s *SSOConfigsService) error {
			_, err := s.Test(context.Background(), testSSO)
			return err
		}, 2},
		// A create is not retried where the server may have acted.
		{"create", func(s *SSOConfigsService) error {
			_, err := s.Create(context.Background(), &CreateSSOConfigRequest{DisplayName: "Wiki",
				Payload: &BookmarkSSOPayload{LoginLink: "https://wiki.example"}})
			return err
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := &script{steps: []func(http.ResponseWriter, *http.Request){status(503), func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/test") {
					_, _ = w.Write([]byte(`{"identity_providers":[],"oidc_applications":[]}`))
					return
				}
				ok(w, r)
			}}}
			err := tt.call(ssoOf(newMemClient(t, sc)))
			assert.Equal(t, tt.tries, sc.count())
			if tt.tries == 1 {
				assert.Error(t, err)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestSSOConfigsValidationBeforeIO(t *testing.T) {
	c := newGockClient(t) // no mocks: any request fails the test
	s := ssoOf(c)
	ctx := context.Background()
	many := make([]string, MaxSSOConfigAssociationsPerCall+1)
	for i := range many {
		many[i] = "i" + strconv.Itoa(i)
	}
	bookmark := &BookmarkSSOPayload{LoginLink: "https://wiki.example"}
	create := func(name string, p SSOPayload) func() error {
		return func() error {
			_, err := s.Create(ctx, &CreateSSOConfigRequest{DisplayName: name, Payload: p})
			return err
		}
	}
	update := func(p SSOPayload) func() error {
		return func() error { _, err := s.Update(ctx, testSSO, &UpdateSSOConfigRequest{Payload: p}); return err }
	}
	saml := &SAMLSSOPayload{ACSURL: "https://sp/acs", OverrideRecipientAndDestination: Ptr(false), AudienceURL: "https://sp",
		NameFormat: SAMLNameFormatUnspecified, AuthenticationContext: SAMLAuthnContextX509, SubjectUserNameAttribute: SAMLSubjectEmail,
		SignEnvelope: Ptr(true), SignAssertions: Ptr(true), SignatureAlgorithm: SAMLSignatureRSASHA256, DigestAlgorithm: SAMLDigestSHA256,
		EncryptAssertions: Ptr(false), AssertionValidityDurationSeconds: 300, SPSignatureCertificates: json.RawMessage(`[]`),
		EnableSingleLogOut: Ptr(false), ValidateSignedRequests: Ptr(false), AdditionalUserAttributes: []SAMLAttribute{},
		SingleLogoutSignRequestAndResponse: Ptr(false)} // DefaultRelayState missing
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"create nil", func() error { _, err := s.Create(ctx, nil); return err }, "req"},
		{"create no name", create("", bookmark), "DisplayName"},
		{"create blank name", create("  ", bookmark), "DisplayName"},
		{"create name with control character", create("a\nb", bookmark), "DisplayName"},
		{"create no payload", create("Wiki", nil), "Payload"},
		{"create nil typed payload", create("Wiki", (*BookmarkSSOPayload)(nil)), "Payload"},
		{"create nil unknown payload", create("Wiki", (*UnknownSSOPayload)(nil)), "Payload"},
		{"create bookmark without link", create("Wiki", &BookmarkSSOPayload{Icon: "i"}), "Payload.LoginLink"},
		{"create oidc idp without jwks endpoint", create("IdP", &GenericOIDCIDPSSOPayload{ClientID: "c", IdentifyingClaimName: "sub",
			IdentityAttribute: SubjectFieldID, AuthorizationEndpoint: "https://a", TokenEndpoint: "https://t"}), "Payload.JWKSEndpoint"},
		{"create generic oidc without scopes", create("App", &GenericOIDCSSOPayload{RedirectURIs: []string{"https://a/cb"},
			Confidentiality: ConfidentialityPublic, PKCE: PKCES256}), "Payload.Scopes"},
		{"create saml without relay state", create("SAML", saml), "Payload.DefaultRelayState"},
		{"create okta bi without registration", create("Okta", &OktaBIIDPSSOPayload{PKCE: PKCES256}), "Payload.OktaRegistration"},
		{"create ws-fed without attributes", create("WS", &WSFedSSOPayload{ACSURL: "a", AudienceURL: "b", ExpirationTimeSeconds: 1,
			DigestAlgorithm: SAMLDigestSHA1, SignatureAlgorithm: SAMLSignatureRSASHA1, NameFormat: SAMLNameFormatEntity,
			SubjectUserNameAttribute: SAMLSubjectNone, AuthenticationContext: SAMLAuthnContextKerberos}), "Payload.AdditionalUserAttributes"},
		{"create entra without endpoint", create("Entra", &EntraIDSSOPayload{RedirectURIs: []string{"https://e"}}), "Payload.DiscoverEndpoint"},
		{"create okta idp without domain", create("Okta", &OktaIDPSSOPayload{ClientID: "c", IdentifyingClaimName: "sub",
			IdentityAttribute: SubjectFieldEmail}), "Payload.OktaDomain"},
		{"create reality check without company", create("RC", &RealityCheckSSOPayload{}), "Payload.CompanyIdentifier"},
		{"create extra shadows a field", create("Wiki", &BookmarkSSOPayload{LoginLink: "https://w",
			Extra: map[string]json.RawMessage{"icon": json.RawMessage(`"x"`)}}), `Payload.Extra["icon"]`},
		{"create extra sets the type", create("Wiki", &BookmarkSSOPayload{LoginLink: "https://w",
			Extra: map[string]json.RawMessage{"type": json.RawMessage(`"saml"`)}}), `Payload.Extra["type"]`},
		{"create extra not JSON", create("Wiki", &BookmarkSSOPayload{LoginLink: "https://w",
			Extra: map[string]json.RawMessage{"x": json.RawMessage(`{`)}}), `Payload.Extra["x"]`},
		{"update raw member not JSON", update(&SAMLSSOPayload{OtherSSOURLs: json.RawMessage(`{`)}), "Payload.OtherSSOURLs"},
		{"create unknown without type", create("X", &UnknownSSOPayload{Raw: json.RawMessage(`{"a":1}`)}), "Payload"},
		{"create unknown not an object", create("X", &UnknownSSOPayload{Raw: json.RawMessage(`["type"]`)}), "Payload"},
		{"get empty", func() error { _, err := s.Get(ctx, ""); return err }, "ssoConfigID"},
		{"get slash", func() error { _, err := s.Get(ctx, "a/b"); return err }, "ssoConfigID"},
		{"list page size", func() error { _, err := s.List(ctx, &ListSSOConfigsOptions{PageSize: 201}); return err }, "PageSize"},
		{"list blank type", func() error {
			_, err := s.List(ctx, &ListSSOConfigsOptions{Types: []SSOConfigType{SSOConfigTypeBookmark, " "}})
			return err
		}, "Types[1]"},
		{"list order with control character", func() error { _, err := s.List(ctx, &ListSSOConfigsOptions{OrderBy: "a\x00"}); return err }, "OrderBy"},
		{"all negative page size", func() error {
			for _, err := range s.All(ctx, &ListSSOConfigsOptions{PageSize: -1}) {
				return err
			}
			return nil
		}, "PageSize"},
		{"update dotdot", func() error { _, err := s.Update(ctx, "..", &UpdateSSOConfigRequest{Payload: bookmark}); return err }, "ssoConfigID"},
		{"update nil", func() error { _, err := s.Update(ctx, testSSO, nil); return err }, "req"},
		{"update no payload", update(nil), "Payload"},
		{"update extra shadows a field", update(&GenericOIDCIDPSSOPayload{Extra: map[string]json.RawMessage{"client_secret": json.RawMessage(`"x"`)}}),
			`Payload.Extra["client_secret"]`},
		{"delete empty", func() error { return s.Delete(ctx, "") }, "ssoConfigID"},
		{"add no identities", func() error { return s.AddIdentities(ctx, testSSO, nil) }, "identityIDs"},
		{"add 1001 identities", func() error { return s.AddIdentities(ctx, testSSO, many) }, "identityIDs"},
		{"add an identity twice", func() error { return s.AddIdentities(ctx, testSSO, []string{"i1", "i2", "i1"}) }, "identityIDs[2]"},
		{"add the wildcard", func() error { return s.AddIdentities(ctx, testSSO, []string{"i1", AllIdentities}) }, "identityIDs[1]"},
		{"remove blank identity", func() error { return s.RemoveIdentities(ctx, testSSO, []string{" "}) }, "identityIDs[0]"},
		{"add identities to no config", func() error { return s.AddIdentities(ctx, "", []string{"i1"}) }, "ssoConfigID"},
		{"add no groups", func() error { return s.AddGroups(ctx, testSSO, []string{}) }, "groupIDs"},
		{"add 1001 groups", func() error { return s.AddGroups(ctx, testSSO, many) }, "groupIDs"},
		{"remove a group twice", func() error { return s.RemoveGroups(ctx, testSSO, []string{"g", "g"}) }, "groupIDs[1]"},
		{"remove group dotdot", func() error { return s.RemoveGroups(ctx, testSSO, []string{".."}) }, "groupIDs[0]"},
		{"list identities page size", func() error {
			_, err := s.ListIdentities(ctx, testSSO, &CursorOptions{PageSize: 201})
			return err
		}, "PageSize"},
		{"list identities no config", func() error { _, err := s.ListIdentities(ctx, "", nil); return err }, "ssoConfigID"},
		{"list groups no config", func() error { _, err := s.ListGroups(ctx, ".", nil); return err }, "ssoConfigID"},
		{"for identity wildcard", func() error { _, err := s.ListForIdentity(ctx, AllIdentities, nil); return err }, "identityID"},
		{"for identity empty", func() error {
			for _, err := range s.AllForIdentity(ctx, "", nil) {
				return err
			}
			return nil
		}, "identityID"},
		{"for group empty", func() error { _, err := s.ListForGroup(ctx, "", nil); return err }, "groupID"},
		{"for group page size", func() error {
			for _, err := range s.AllForGroup(ctx, "g1", &CursorOptions{PageSize: 500}) {
				return err
			}
			return nil
		}, "PageSize"},
		{"application empty", func() error { _, err := s.GetIDForApplication(ctx, ""); return err }, "applicationID"},
		{"test with space", func() error { _, err := s.Test(ctx, "a b"); return err }, "ssoConfigID"},
		{"no realm", func() error { _, err := ssoOf(c.InRealm("")).Get(ctx, testSSO); return err }, "realm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.True(t, errors.Is(err, ErrInvalidArgument))
		})
	}
}

func TestSSOConfigWritesLeaveReadOnlyMembersOut(t *testing.T) {
	// A payload as Get returns it, sent back whole: every writable member
	// set, no read-only one.
	tests := []struct {
		payload string
		want    string
	}{
		{genericOIDCPayloadJSON, `{"type":"generic_oidc","redirect_uris":["https://app.example.com/callback"],"scopes":["openid","email"],
			"trusted_origins":["https://app.example.com"],"login_link":"https://app.example.com/login","is_tile_visible":false,
			"confidentiality":"confidential","pkce":"s256"}`},
		{entraPayloadJSON, `{"type":"entra_id_external_auth_methods","redirect_uris":["https://login.microsoftonline.com/common/federation/externalauthprovider"],
			"discover_endpoint":"azure_us_government","inbound_scim":{}}`},
		{scimPayloadJSON, `{"type":"scim"}`},
		{oktaIDPPayloadJSON, `{"type":"okta_idp","client_id":"0oa24fkg4hed8IxFK0h8","client_secret":"` + ssoIDPSecret + `","pkce":"disabled",
			"id_token_scopes":["openid"],"identifying_claim_name":"preferred_username","identity_attribute":"username",
			"okta_domain":"zeropw-rolling.oktapreview.com"}`},
		{wsFedPayloadJSON, `{"type":"ws_fed","acs_url":"https://sp.example.com/wsfed","audience_url":"urn:federation:MicrosoftOnline",
			"expiration_time_seconds":3600,"digest_algorithm":"sha256","signature_algorithm":"rsa_sha256","name_format":"persistent",
			"subject_user_name_attribute":"external_id","authentication_context":"password_protected_transport",
			"additional_user_attributes":[{"name":"IDPEmail","name_format":"unspecified","value":"email","namespace":"http://schemas.microsoft.com/LiveID/Federation/2008/05"}],
			"icon":"https://sp.example.com/icon.png","is_tile_visible":true}`},
	}
	for _, tt := range tests {
		var c SSOConfig
		require.NoError(t, json.Unmarshal([]byte(ssoConfigJSON(testSSO, "S", tt.payload)), &c))
		got, _, err := ssoPayloadWrite("Payload", c.Payload, true)
		require.NoError(t, err)
		assert.JSONEq(t, tt.want, string(got), "%s", c.Payload.SSOConfigType())
	}
	// The SAML payload decoded from the spec's examples is complete enough
	// to create, and leaves Beyond Identity's certificates and URLs out.
	var c SSOConfig
	require.NoError(t, json.Unmarshal([]byte(ssoConfigJSON(testSSO, "S", samlPayloadJSON)), &c))
	got, _, err := ssoPayloadWrite("Payload", c.Payload, true)
	require.NoError(t, err)
	for _, ro := range []string{"identity_provider_certs", "application_id", "idp_initiated_url", "sp_initiated_url"} {
		assert.NotContains(t, string(got), `"`+ro+`"`)
	}
	assert.Contains(t, string(got), `"default_relay_state":"defaultRelayState"`)
	assert.Contains(t, string(got), `"use_short_url":false`)
}
