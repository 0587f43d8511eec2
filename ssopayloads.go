package beyondidentity

// The payloads of SSO configs, typed per kind (SSOPayload), and the code
// that reads and writes them: members a kind does not type are kept in
// Extra, kinds the library does not know in UnknownSSOPayload, byte for
// byte; secrets are Secrets and never printed.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// SSOConfigType names the kind of an SSO config, the "type" of its payload.
// Values other than the constants may appear when the API adds kinds.
type SSOConfigType string

// Kinds of SSO configs. All but SSOConfigTypeRealityCheck are the values of
// the API's SsoConfigType.
const (
	// SSOConfigTypeBookmark is a link to an application (a tile).
	SSOConfigTypeBookmark SSOConfigType = "bookmark"
	// SSOConfigTypeEntraIDExternalAuthMethods makes Beyond Identity an
	// external authentication method of Microsoft Entra ID.
	SSOConfigTypeEntraIDExternalAuthMethods SSOConfigType = "entra_id_external_auth_methods"
	// SSOConfigTypeGenericOIDC is an OpenID Connect application that
	// signs its users in with Beyond Identity.
	SSOConfigTypeGenericOIDC SSOConfigType = "generic_oidc"
	// SSOConfigTypeGenericOIDCIDP is an OpenID Connect identity provider
	// the realm's users sign in with.
	SSOConfigTypeGenericOIDCIDP SSOConfigType = "generic_oidc_idp"
	// SSOConfigTypeGenericSAML is a SAML 2.0 application for which Beyond
	// Identity is the identity provider.
	SSOConfigTypeGenericSAML SSOConfigType = "generic_saml"
	// SSOConfigTypeOktaIDP is an Okta organization the realm's users sign
	// in with.
	SSOConfigTypeOktaIDP SSOConfigType = "okta_idp"
	// SSOConfigTypeOktaSSOBIIDP is an Okta organization that signs its
	// users in with Beyond Identity as its identity provider.
	SSOConfigTypeOktaSSOBIIDP SSOConfigType = "okta_sso_bi_idp"
	// SSOConfigTypeSCIM is a SCIM provisioning integration.
	SSOConfigTypeSCIM SSOConfigType = "scim"
	// SSOConfigTypeWSFed is a WS-Federation application.
	SSOConfigTypeWSFed SSOConfigType = "ws_fed"
	// SSOConfigTypeRealityCheck is a Reality Check integration. The API
	// describes its payload (SsoConfigRealityCheck) but lists no "type"
	// value for it; this value is the schema's name in the API's
	// snake_case and is unconfirmed.
	SSOConfigTypeRealityCheck SSOConfigType = "reality_check"
)

// ssoTypeSAMLAlias is the "type" the API's SAML payload schema declares
// (enum [saml]), unlike its SsoConfigType, which says generic_saml. Both
// decode as *SAMLSSOPayload.
const ssoTypeSAMLAlias SSOConfigType = "saml"

// SSOPayload is the kind-specific part of an SSO config (its "payload"
// member). The implementations are *BookmarkSSOPayload, *EntraIDSSOPayload,
// *GenericOIDCSSOPayload, *GenericOIDCIDPSSOPayload, *SAMLSSOPayload,
// *OktaIDPSSOPayload, *OktaBIIDPSSOPayload, *SCIMSSOPayload,
// *WSFedSSOPayload, *RealityCheckSSOPayload and *UnknownSSOPayload; the set
// is closed so that a type switch over them is complete, and
// UnknownSSOPayload carries any kind the API adds.
//
// In a create, the typed kinds send the members they set except the
// read-only ones; the members the API requires must be set. In an update
// (a PATCH), they send only the members they set: a nil pointer or slice
// and an empty string are not sent, Ptr(false) and an empty slice are.
// Members marked read-only are set by the API and never sent. Extra
// members are sent as they are.
type SSOPayload interface {
	// SSOConfigType returns the kind, the "type" member on the wire.
	SSOConfigType() SSOConfigType
	isSSOPayload()
}

// SubjectField names the attribute of an identity that identifies it to
// another party, such as the claim of an identity provider's token that
// names the user.
type SubjectField string

// Subject fields documented by the API.
const (
	SubjectFieldID         SubjectField = "id"
	SubjectFieldEmail      SubjectField = "email"
	SubjectFieldUsername   SubjectField = "username"
	SubjectFieldExternalID SubjectField = "external_id"
)

// EntraIDDiscoverEndpoint is the Microsoft cloud whose discovery endpoint an
// Entra ID external authentication method uses.
type EntraIDDiscoverEndpoint string

// Discovery endpoints documented by the API.
const (
	EntraIDDiscoverGlobalAzure          EntraIDDiscoverEndpoint = "global_azure"
	EntraIDDiscoverAzureUSGovernment    EntraIDDiscoverEndpoint = "azure_us_government"
	EntraIDDiscoverMicrosoftAzureVianet EntraIDDiscoverEndpoint = "microsoft_azure_vianet"
)

// SSOOIDCConfiguration is the OpenID Connect provider metadata of the
// Beyond Identity application behind an SSO config. It is read-only.
type SSOOIDCConfiguration struct {
	// Issuer is the provider's issuer identifier, the "iss" of its tokens.
	Issuer string `json:"issuer,omitempty"`
	// AuthorizationEndpoint is the URL of the provider's authorization
	// endpoint.
	AuthorizationEndpoint string `json:"authorization_endpoint,omitempty"`
	// TokenEndpoint is the URL of the provider's token endpoint.
	TokenEndpoint string `json:"token_endpoint,omitempty"`
	// UserinfoEndpoint is the URL of the provider's UserInfo endpoint.
	UserinfoEndpoint string `json:"userinfo_endpoint,omitempty"`
	// JWKSURI is the URL of the provider's JSON Web Key Set.
	JWKSURI string `json:"jwks_uri,omitempty"`
	// IntrospectEndpoint is the URL of the provider's token introspection
	// endpoint (RFC 7662).
	IntrospectEndpoint string `json:"introspect_endpoint,omitempty"`
	// ResponseTypesSupported are the OAuth 2.0 response types the provider
	// supports, such as "code" and "id_token".
	ResponseTypesSupported []string `json:"response_types_supported,omitzero"`
	// TokenEndpointAuthMethodsSupported are the client authentication
	// methods the token endpoint accepts, such as "client_secret_basic".
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported,omitzero"`
}

// SSOInboundSCIM is the inbound SCIM provisioning of an SSO config: the
// SCIM server of the realm and the OAuth client that authenticates to it.
// Every member is set by the API; set the field to &SSOInboundSCIM{} in a
// write to turn inbound SCIM on (it is then sent as {}).
type SSOInboundSCIM struct {
	// ApplicationID is the application of the SCIM client. Read-only.
	ApplicationID string `json:"application_id,omitempty" bi:"ro"`
	// ClientID is the SCIM client's ID. Read-only.
	ClientID string `json:"client_id,omitempty" bi:"ro"`
	// ClientSecret is the SCIM client's secret. Read-only; it prints as
	// REDACTED (see Secret).
	ClientSecret Secret `json:"client_secret,omitzero" bi:"ro"`
	// SCIMURL is the realm's SCIM server endpoint. Read-only.
	SCIMURL string `json:"scim_url,omitempty" bi:"ro"`
	// TokenEndpoint is where the SCIM client gets its tokens. Read-only.
	TokenEndpoint string `json:"token_endpoint,omitempty" bi:"ro"`
}

// BookmarkSSOPayload is a link to an application, shown as a tile
// (SSOConfigTypeBookmark).
type BookmarkSSOPayload struct {
	// LoginLink is the URL the tile opens. Required on creation.
	LoginLink string `json:"login_link,omitempty"`
	// Icon is the URL or data URI of the tile's icon.
	Icon string `json:"icon,omitempty"`
	// IsTileVisible says whether users see the tile.
	IsTileVisible *bool `json:"is_tile_visible,omitempty"`
	// ApplicationTileID identifies the tile. Read-only.
	ApplicationTileID string `json:"application_tile_id,omitempty" bi:"ro"`

	// Extra holds the members this version of the library does not know,
	// by JSON name, as the server sent them; they are written back
	// unchanged. Its keys must not be the JSON name of a field above or
	// "type".
	Extra map[string]json.RawMessage `json:"-"`
}

// EntraIDSSOPayload makes Beyond Identity an external authentication
// method of Microsoft Entra ID (SSOConfigTypeEntraIDExternalAuthMethods).
type EntraIDSSOPayload struct {
	// RedirectURIs are where Entra ID may send users back. Required on
	// creation.
	RedirectURIs []string `json:"redirect_uris,omitzero"`
	// DiscoverEndpoint is the Microsoft cloud of the tenant. Required on
	// creation.
	DiscoverEndpoint EntraIDDiscoverEndpoint `json:"discover_endpoint,omitempty"`
	// InboundSCIM, when set, is the inbound SCIM provisioning.
	InboundSCIM *SSOInboundSCIM `json:"inbound_scim,omitempty"`
	// OIDCConfiguration is the provider metadata Entra ID is given.
	// Read-only.
	OIDCConfiguration *SSOOIDCConfiguration `json:"oidc_configuration,omitempty" bi:"ro"`
	// ClientID is the client ID of the Beyond Identity application.
	// Read-only.
	ClientID string `json:"client_id,omitempty" bi:"ro"`
	// ApplicationID is the Beyond Identity application. Read-only.
	ApplicationID string `json:"application_id,omitempty" bi:"ro"`
	// AuthenticatorConfigID is the application's authenticator config.
	// Read-only.
	AuthenticatorConfigID string `json:"authenticator_config_id,omitempty" bi:"ro"`
	// ResourceServerID is the application's resource server. Read-only.
	ResourceServerID string `json:"resource_server_id,omitempty" bi:"ro"`

	// Extra holds the members this version of the library does not know;
	// see BookmarkSSOPayload.Extra.
	Extra map[string]json.RawMessage `json:"-"`
}

// GenericOIDCSSOPayload is an OpenID Connect application that signs its
// users in with Beyond Identity (SSOConfigTypeGenericOIDC).
type GenericOIDCSSOPayload struct {
	// RedirectURIs are where users may be sent back after signing in.
	// Required on creation.
	RedirectURIs []string `json:"redirect_uris,omitzero"`
	// Scopes are the scopes the application may ask for. Required on
	// creation.
	Scopes []string `json:"scopes,omitzero"`
	// TrustedOrigins are the origins allowed to call the authenticator.
	TrustedOrigins []string `json:"trusted_origins,omitzero"`
	// LoginLink is the URL the application's tile opens.
	LoginLink string `json:"login_link,omitempty"`
	// Icon is the URL or data URI of the tile's icon.
	Icon string `json:"icon,omitempty"`
	// IsTileVisible says whether users see the tile.
	IsTileVisible *bool `json:"is_tile_visible,omitempty"`
	// Confidentiality says whether the application can keep a secret.
	// Required on creation.
	Confidentiality Confidentiality `json:"confidentiality,omitempty"`
	// PKCE is the PKCE method the application uses. Required on creation.
	PKCE PKCEMethod `json:"pkce,omitempty"`
	// InboundSCIM, when set, is the inbound SCIM provisioning.
	InboundSCIM *SSOInboundSCIM `json:"inbound_scim,omitempty"`
	// OIDCConfiguration is the provider metadata to give the application.
	// Read-only.
	OIDCConfiguration *SSOOIDCConfiguration `json:"oidc_configuration,omitempty" bi:"ro"`
	// ClientID is the application's client ID. Read-only.
	ClientID string `json:"client_id,omitempty" bi:"ro"`
	// ClientSecret is the application's client secret. Read-only; it
	// prints as REDACTED (see Secret).
	ClientSecret Secret `json:"client_secret,omitzero" bi:"ro"`
	// ApplicationID is the Beyond Identity application. Read-only.
	ApplicationID string `json:"application_id,omitempty" bi:"ro"`
	// AuthenticatorConfigID is the application's authenticator config.
	// Read-only.
	AuthenticatorConfigID string `json:"authenticator_config_id,omitempty" bi:"ro"`
	// ResourceServerID is the application's resource server. Read-only.
	ResourceServerID string `json:"resource_server_id,omitempty" bi:"ro"`
	// ApplicationTileID identifies the application's tile. Read-only.
	ApplicationTileID string `json:"application_tile_id,omitempty" bi:"ro"`

	// Extra holds the members this version of the library does not know;
	// see BookmarkSSOPayload.Extra.
	Extra map[string]json.RawMessage `json:"-"`
}

// GenericOIDCIDPSSOPayload is an OpenID Connect identity provider the
// realm's users sign in with (SSOConfigTypeGenericOIDCIDP).
type GenericOIDCIDPSSOPayload struct {
	// ClientID is the client ID Beyond Identity has at the identity
	// provider. Required on creation.
	ClientID string `json:"client_id,omitempty"`
	// ClientSecret is the client secret Beyond Identity has at the
	// identity provider. It is sent in the request body only, and prints
	// as REDACTED (see Secret).
	ClientSecret Secret `json:"client_secret,omitzero"`
	// PKCE is the PKCE method used with the identity provider.
	PKCE PKCEMethod `json:"pkce,omitempty"`
	// IDTokenScopes are the scopes asked of the identity provider.
	IDTokenScopes []string `json:"id_token_scopes,omitzero"`
	// IdentifyingClaimName is the claim of the provider's ID token that
	// names the user. Required on creation.
	IdentifyingClaimName string `json:"identifying_claim_name,omitempty"`
	// IdentityAttribute is the attribute of the realm's identities that
	// the claim is matched with. Required on creation.
	IdentityAttribute SubjectField `json:"identity_attribute,omitempty"`
	// AuthorizationEndpoint is the provider's authorization endpoint.
	// Required on creation.
	AuthorizationEndpoint string `json:"authorization_endpoint,omitempty"`
	// TokenEndpoint is the provider's token endpoint. Required on
	// creation.
	TokenEndpoint string `json:"token_endpoint,omitempty"`
	// JWKSEndpoint is the URL of the provider's signing keys. Required on
	// creation.
	JWKSEndpoint string `json:"jwks_endpoint,omitempty"`
	// RedirectURI is Beyond Identity's callback, to register at the
	// provider. Read-only.
	RedirectURI string `json:"redirect_uri,omitempty" bi:"ro"`
	// IdentityProviderID is the identity provider the API made for the
	// SSO config (see IdentityProvidersService). Read-only.
	IdentityProviderID string `json:"identity_provider_id,omitempty" bi:"ro"`

	// Extra holds the members this version of the library does not know;
	// see BookmarkSSOPayload.Extra.
	Extra map[string]json.RawMessage `json:"-"`
}

// OktaIDPSSOPayload is an Okta organization the realm's users sign in
// with (SSOConfigTypeOktaIDP).
type OktaIDPSSOPayload struct {
	// ClientID is the client ID of the application in Okta. Required on
	// creation.
	ClientID string `json:"client_id,omitempty"`
	// ClientSecret is the client secret of the application in Okta. It is
	// sent in the request body only, and prints as REDACTED (see Secret).
	ClientSecret Secret `json:"client_secret,omitzero"`
	// PKCE is the PKCE method used with Okta.
	PKCE PKCEMethod `json:"pkce,omitempty"`
	// IDTokenScopes are the scopes asked of Okta.
	IDTokenScopes []string `json:"id_token_scopes,omitzero"`
	// IdentifyingClaimName is the claim of Okta's ID token that names the
	// user. Required on creation.
	IdentifyingClaimName string `json:"identifying_claim_name,omitempty"`
	// IdentityAttribute is the attribute of the realm's identities that
	// the claim is matched with. Required on creation.
	IdentityAttribute SubjectField `json:"identity_attribute,omitempty"`
	// OktaDomain is the domain of the Okta organization. Required on
	// creation.
	OktaDomain string `json:"okta_domain,omitempty"`
	// InboundSCIM, when set, is the inbound SCIM provisioning.
	InboundSCIM *SSOInboundSCIM `json:"inbound_scim,omitempty"`
	// AuthorizationEndpoint is Okta's authorization endpoint. Read-only.
	AuthorizationEndpoint string `json:"authorization_endpoint,omitempty" bi:"ro"`
	// TokenEndpoint is Okta's token endpoint. Read-only.
	TokenEndpoint string `json:"token_endpoint,omitempty" bi:"ro"`
	// JWKSEndpoint is the URL of Okta's signing keys. Read-only.
	JWKSEndpoint string `json:"jwks_endpoint,omitempty" bi:"ro"`
	// RedirectURI is Beyond Identity's callback, to register in Okta.
	// Read-only.
	RedirectURI string `json:"redirect_uri,omitempty" bi:"ro"`
	// IdentityProviderID is the identity provider the API made for the
	// SSO config. Read-only.
	IdentityProviderID string `json:"identity_provider_id,omitempty" bi:"ro"`

	// Extra holds the members this version of the library does not know;
	// see BookmarkSSOPayload.Extra.
	Extra map[string]json.RawMessage `json:"-"`
}

// OktaRegistration lets Beyond Identity mark, through the Okta API, the
// users of an Okta organization that sign in with it.
type OktaRegistration struct {
	// Domain is the domain of the Okta organization.
	Domain string `json:"domain,omitempty"`
	// OktaToken is a token of the Okta API. It is sent in the request
	// body only, and prints as REDACTED (see Secret).
	OktaToken Secret `json:"okta_token,omitzero"`
	// AttributeName is the Okta user attribute set to true.
	AttributeName string `json:"attribute_name,omitempty"`
	// IsEnabled says whether the integration is on.
	IsEnabled *bool `json:"is_enabled,omitempty"`
}

// OktaBIIDPSSOPayload is an Okta organization that signs its users in
// with Beyond Identity as its identity provider
// (SSOConfigTypeOktaSSOBIIDP).
type OktaBIIDPSSOPayload struct {
	// PKCE is the PKCE method Okta uses. Required on creation.
	PKCE PKCEMethod `json:"pkce,omitempty"`
	// OktaRegistration is the Okta API integration. Required on creation.
	OktaRegistration *OktaRegistration `json:"okta_registration,omitempty"`
	// InboundSCIM, when set, is the inbound SCIM provisioning.
	InboundSCIM *SSOInboundSCIM `json:"inbound_scim,omitempty"`
	// OIDCConfiguration is the provider metadata to give Okta. Read-only.
	OIDCConfiguration *SSOOIDCConfiguration `json:"oidc_configuration,omitempty" bi:"ro"`
	// ClientID is the client ID to give Okta. Read-only.
	ClientID string `json:"client_id,omitempty" bi:"ro"`
	// ClientSecret is the client secret to give Okta. Read-only; it
	// prints as REDACTED (see Secret).
	ClientSecret Secret `json:"client_secret,omitzero" bi:"ro"`
	// ApplicationID is the Beyond Identity application. Read-only.
	ApplicationID string `json:"application_id,omitempty" bi:"ro"`
	// AuthenticatorConfigID is the application's authenticator config.
	// Read-only.
	AuthenticatorConfigID string `json:"authenticator_config_id,omitempty" bi:"ro"`

	// Extra holds the members this version of the library does not know;
	// see BookmarkSSOPayload.Extra.
	Extra map[string]json.RawMessage `json:"-"`
}

// SCIMSSOPayload is a SCIM provisioning integration (SSOConfigTypeSCIM).
// The API describes it in answers only; every member is set by the API.
type SCIMSSOPayload struct {
	// ApplicationID is the application of the SCIM client. Read-only.
	ApplicationID string `json:"application_id,omitempty" bi:"ro"`
	// ClientID is the SCIM client's ID. Read-only.
	ClientID string `json:"client_id,omitempty" bi:"ro"`
	// ClientSecret is the SCIM client's secret. Read-only; it prints as
	// REDACTED (see Secret).
	ClientSecret Secret `json:"client_secret,omitzero" bi:"ro"`
	// SCIMURL is the realm's SCIM server endpoint. Read-only.
	SCIMURL string `json:"scim_url,omitempty" bi:"ro"`
	// TokenEndpoint is where the SCIM client gets its tokens. Read-only.
	TokenEndpoint string `json:"token_endpoint,omitempty" bi:"ro"`

	// Extra holds the members this version of the library does not know;
	// see BookmarkSSOPayload.Extra.
	Extra map[string]json.RawMessage `json:"-"`
}

// RealityCheckSSOPayload is a Reality Check integration
// (SSOConfigTypeRealityCheck, whose value the API does not document).
type RealityCheckSSOPayload struct {
	// CompanyIdentifier identifies the company. Required on creation.
	CompanyIdentifier string `json:"company_identifier,omitempty"`

	// Extra holds the members this version of the library does not know;
	// see BookmarkSSOPayload.Extra.
	Extra map[string]json.RawMessage `json:"-"`
}

// SAMLNameFormat is the format of a SAML NameID or attribute name.
type SAMLNameFormat string

// SAML name formats documented by the API.
const (
	SAMLNameFormatUnspecified                SAMLNameFormat = "unspecified"
	SAMLNameFormatEmailAddress               SAMLNameFormat = "email_address"
	SAMLNameFormatX509SubjectName            SAMLNameFormat = "x509_subject_name"
	SAMLNameFormatPersistent                 SAMLNameFormat = "persistent"
	SAMLNameFormatTransient                  SAMLNameFormat = "transient"
	SAMLNameFormatEntity                     SAMLNameFormat = "entity"
	SAMLNameFormatKerberos                   SAMLNameFormat = "kerberos"
	SAMLNameFormatWindowsDomainQualifiedName SAMLNameFormat = "windows_domain_qualified_name"
)

// SAMLAuthenticationContext is the SAML authentication context class of an
// assertion.
type SAMLAuthenticationContext string

// SAML authentication contexts documented by the API.
const (
	SAMLAuthnContextX509                        SAMLAuthenticationContext = "x509"
	SAMLAuthnContextIntegratedWindowsFederation SAMLAuthenticationContext = "integrated_windows_federation"
	SAMLAuthnContextKerberos                    SAMLAuthenticationContext = "kerberos"
	SAMLAuthnContextPassword                    SAMLAuthenticationContext = "password"
	SAMLAuthnContextPasswordProtectedTransport  SAMLAuthenticationContext = "password_protected_transport"
	SAMLAuthnContextTLSClient                   SAMLAuthenticationContext = "tls_client"
	SAMLAuthnContextUnspecified                 SAMLAuthenticationContext = "unspecified"
	SAMLAuthnContextREFEDSMFA                   SAMLAuthenticationContext = "refeds_mfa"
)

// SAMLSubjectUserNameAttribute is the attribute of an identity that names
// it in the subject of an assertion.
type SAMLSubjectUserNameAttribute string

// Subject user name attributes documented by the API.
const (
	SAMLSubjectUserName    SAMLSubjectUserNameAttribute = "user_name"
	SAMLSubjectEmail       SAMLSubjectUserNameAttribute = "email"
	SAMLSubjectEmailPrefix SAMLSubjectUserNameAttribute = "email_prefix"
	SAMLSubjectExternalID  SAMLSubjectUserNameAttribute = "external_id"
	SAMLSubjectDisplayName SAMLSubjectUserNameAttribute = "display_name"
	SAMLSubjectCustom      SAMLSubjectUserNameAttribute = "custom"
	SAMLSubjectNone        SAMLSubjectUserNameAttribute = "none"
)

// SAMLSignatureAlgorithm signs SAML assertions.
type SAMLSignatureAlgorithm string

// SAML signature algorithms documented by the API.
const (
	SAMLSignatureRSASHA256 SAMLSignatureAlgorithm = "rsa_sha256"
	SAMLSignatureRSASHA1   SAMLSignatureAlgorithm = "rsa_sha1"
	SAMLSignatureRSASHA384 SAMLSignatureAlgorithm = "rsa_sha384"
	SAMLSignatureRSASHA512 SAMLSignatureAlgorithm = "rsa_sha512"
)

// SAMLDigestAlgorithm digests SAML assertions.
type SAMLDigestAlgorithm string

// SAML digest algorithms documented by the API.
const (
	SAMLDigestSHA256 SAMLDigestAlgorithm = "sha256"
	SAMLDigestSHA1   SAMLDigestAlgorithm = "sha1"
	SAMLDigestSHA384 SAMLDigestAlgorithm = "sha384"
	SAMLDigestSHA512 SAMLDigestAlgorithm = "sha512"
)

// SAMLEncryptionAlgorithm encrypts SAML assertions.
type SAMLEncryptionAlgorithm string

// SAML encryption algorithms documented by the API.
const (
	SAMLEncryptionAES256CBC SAMLEncryptionAlgorithm = "aes256_cbc"
	SAMLEncryptionAES256GCM SAMLEncryptionAlgorithm = "aes256_gcm"
	SAMLEncryptionAES128CBC SAMLEncryptionAlgorithm = "aes128_cbc"
	SAMLEncryptionAES128GCM SAMLEncryptionAlgorithm = "aes128_gcm"
)

// SAMLKeyTransportAlgorithm transports the key of encrypted assertions.
type SAMLKeyTransportAlgorithm string

// SAML key transport algorithms documented by the API.
const (
	SAMLKeyTransportRSAOAEP SAMLKeyTransportAlgorithm = "rsa_oaep"
	SAMLKeyTransportRSA1_5  SAMLKeyTransportAlgorithm = "rsa1_5"
)

// SAMLBinding is the SAML binding of single logout messages.
type SAMLBinding string

// SAML bindings documented by the API.
const (
	SAMLBindingPost     SAMLBinding = "post"
	SAMLBindingRedirect SAMLBinding = "redirect"
)

// SAMLAttributeValue is the directory attribute of an identity that fills
// an attribute of an assertion.
type SAMLAttributeValue string

// Attribute values documented by the API.
const (
	SAMLAttributeEmail              SAMLAttributeValue = "email"
	SAMLAttributeUserName           SAMLAttributeValue = "user_name"
	SAMLAttributeExternalID         SAMLAttributeValue = "external_id"
	SAMLAttributeDisplayName        SAMLAttributeValue = "display_name"
	SAMLAttributeCustomStaticString SAMLAttributeValue = "custom_static_string"
)

// SAMLAttribute is an attribute added to the assertions of a SAML or
// WS-Federation application.
type SAMLAttribute struct {
	// Name is the attribute's name.
	Name string `json:"name"`
	// NameFormat is the format of the name.
	NameFormat SAMLNameFormat `json:"name_format"`
	// Value is the attribute of the identity that fills it.
	Value SAMLAttributeValue `json:"value"`
	// CustomValue is the value when Value is
	// SAMLAttributeCustomStaticString (SAML only).
	CustomValue string `json:"custom_value,omitempty"`
	// Namespace is an XML namespace of the attribute (WS-Federation only).
	Namespace string `json:"namespace,omitempty"`
}

// SAMLIdentityProviderCert is a certificate of Beyond Identity as the SAML
// identity provider, from the metadata the application checks assertions
// with.
type SAMLIdentityProviderCert struct {
	// ID identifies the certificate. Read-only.
	ID string `json:"id"`
	// CreatedAt is when the certificate was created. Read-only.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// ExpiresAt is when the certificate expires. Read-only.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// IsActive reports whether the certificate is active. Read-only.
	IsActive bool `json:"is_active"`
	// IDPPublicCertificate is the certificate of Beyond Identity's public
	// signing key, as the server sent it (base64 DER per the spec). Read-only.
	IDPPublicCertificate string `json:"idp_public_certificate"`
}

// SAMLSSOPayload is a SAML 2.0 application for which Beyond Identity is the
// identity provider (SSOConfigTypeGenericSAML). The members marked
// "Required on creation" are the API's; set a required false or empty value
// explicitly (Ptr(false), Ptr("")). A payload tagged "saml", as the API's
// SAML payload schema has it, decodes as this type too; it is sent tagged
// generic_saml, the API's SsoConfigType.
type SAMLSSOPayload struct {
	// ACSURL is the Assertion Consumer Service URL, where SAML responses
	// are posted. Required on creation.
	ACSURL string `json:"acs_url,omitempty"`
	// OverrideRecipientAndDestination, when true, puts RecipientURL and
	// DestinationURL in responses instead of ACSURL. Required on creation.
	OverrideRecipientAndDestination *bool `json:"override_recipient_and_destination,omitempty"`
	// RecipientURL is where the application may present the assertion.
	RecipientURL string `json:"recipient_url,omitempty"`
	// DestinationURL is where the response says it is sent.
	DestinationURL string `json:"destination_url,omitempty"`
	// AudienceURL is the intended audience of assertions, often the
	// service provider's entity ID. Required on creation.
	AudienceURL string `json:"audience_url,omitempty"`
	// DefaultRelayState is the relay state of IdP-initiated sign-ins,
	// usually blank. Required on creation.
	DefaultRelayState *string `json:"default_relay_state,omitempty"`
	// NameFormat is the format of the subject's NameID. Required on
	// creation.
	NameFormat SAMLNameFormat `json:"name_format,omitempty"`
	// AuthenticationContext is the authentication context class. Required
	// on creation.
	AuthenticationContext SAMLAuthenticationContext `json:"authentication_context,omitempty"`
	// SubjectUserNameAttribute names the subject. Required on creation.
	SubjectUserNameAttribute SAMLSubjectUserNameAttribute `json:"subject_user_name_attribute,omitempty"`
	// SignEnvelope says whether responses are signed. Required on
	// creation.
	SignEnvelope *bool `json:"sign_envelope,omitempty"`
	// SignAssertions says whether assertions are signed. Required on
	// creation.
	SignAssertions *bool `json:"sign_assertions,omitempty"`
	// SignatureAlgorithm signs assertions. Required on creation.
	SignatureAlgorithm SAMLSignatureAlgorithm `json:"signature_algorithm,omitempty"`
	// DigestAlgorithm digests assertions. Required on creation.
	DigestAlgorithm SAMLDigestAlgorithm `json:"digest_algorithm,omitempty"`
	// EncryptAssertions says whether assertions are encrypted (then
	// AssertionEncryptionPublicKey is needed). Required on creation.
	EncryptAssertions *bool `json:"encrypt_assertions,omitempty"`
	// AssertionValidityDurationSeconds is how long assertions are valid.
	// Required on creation.
	AssertionValidityDurationSeconds int `json:"assertion_validity_duration_seconds,omitempty"`
	// AssertionEncryptionAlgorithm encrypts assertions.
	AssertionEncryptionAlgorithm SAMLEncryptionAlgorithm `json:"assertion_encryption_algorithm,omitempty"`
	// AssertionKeyTransportAlgorithm transports the encryption key.
	AssertionKeyTransportAlgorithm SAMLKeyTransportAlgorithm `json:"assertion_key_transport_algorithm,omitempty"`
	// AssertionEncryptionPublicKey is the PEM public key assertions are
	// encrypted to.
	AssertionEncryptionPublicKey string `json:"assertion_encryption_public_key,omitempty"`
	// SPSignatureCertificates are the service provider's certificates
	// that signed AuthnRequests are checked with, as JSON. Required on
	// creation. The API describes three shapes for it (an array of
	// {"sp_public_signing_key": PEM} objects, an array of such arrays,
	// and, in an example, an array of PEM strings), so it is kept as the
	// server sends it.
	SPSignatureCertificates json.RawMessage `json:"sp_signature_certificates,omitempty"`
	// EnableSingleLogOut turns single logout on. Required on creation.
	EnableSingleLogOut *bool `json:"enable_single_log_out,omitempty"`
	// SingleLogOutURL is where logout responses are sent.
	SingleLogOutURL string `json:"single_log_out_url,omitempty"`
	// SingleLogOutIssuerURL is the service provider's issuer in single
	// logout.
	SingleLogOutIssuerURL string `json:"single_log_out_issuer_url,omitempty"`
	// SingleLogOutBinding is the binding of single logout messages.
	SingleLogOutBinding SAMLBinding `json:"single_log_out_binding,omitempty"`
	// SingleLogoutSignRequestAndResponse says whether logout requests must
	// be signed and responses are. Required on creation.
	SingleLogoutSignRequestAndResponse *bool `json:"single_logout_sign_request_and_response,omitempty"`
	// ValidateSignedRequests says whether AuthnRequests are checked with
	// the service provider's certificates. Required on creation.
	ValidateSignedRequests *bool `json:"validate_signed_requests,omitempty"`
	// OtherSSOURLs are further ACS URLs with their index, as JSON: the API
	// describes an object {"index", "url"} for a list of them, so it is
	// kept as the server sends it.
	OtherSSOURLs json.RawMessage `json:"other_sso_urls,omitempty"`
	// AdditionalUserAttributes are attributes added to assertions.
	// Required on creation (an empty, non-nil slice for none).
	AdditionalUserAttributes []SAMLAttribute `json:"additional_user_attributes,omitzero"`
	// Icon is the URL or data URI of the application's tile icon.
	Icon string `json:"icon,omitempty"`
	// IsTileVisible says whether users see the tile.
	IsTileVisible *bool `json:"is_tile_visible,omitempty"`
	// InboundSCIM, when set, is the inbound SCIM provisioning.
	InboundSCIM *SSOInboundSCIM `json:"inbound_scim,omitempty"`
	// UseShortURL shortens the entity ID of responses, for applications
	// that limit URL lengths.
	UseShortURL *bool `json:"use_short_url,omitempty"`
	// IdentityProviderCerts are Beyond Identity's certificates. Read-only.
	IdentityProviderCerts []SAMLIdentityProviderCert `json:"identity_provider_certs,omitzero" bi:"ro"`
	// ApplicationID is the Beyond Identity application. Read-only.
	ApplicationID string `json:"application_id,omitempty" bi:"ro"`
	// AuthenticatorConfigID is the application's authenticator config.
	// Read-only.
	AuthenticatorConfigID string `json:"authenticator_config_id,omitempty" bi:"ro"`
	// ApplicationTileID identifies the application's tile. Read-only.
	ApplicationTileID string `json:"application_tile_id,omitempty" bi:"ro"`
	// IDPInitiatedURL starts an IdP-initiated sign-in. Read-only.
	IDPInitiatedURL string `json:"idp_initiated_url,omitempty" bi:"ro"`
	// SPInitiatedURL is where the service provider sends AuthnRequests.
	// Read-only.
	SPInitiatedURL string `json:"sp_initiated_url,omitempty" bi:"ro"`
	// ShortSPInitiatedURL is the short form of SPInitiatedURL, for
	// UseShortURL. Read-only.
	ShortSPInitiatedURL string `json:"short_sp_initiated_url,omitempty" bi:"ro"`
	// ShortEntityIDURL is the short issuer of responses, for UseShortURL.
	// Read-only.
	ShortEntityIDURL string `json:"short_entity_id_url,omitempty" bi:"ro"`

	// Extra holds the members this version of the library does not know;
	// see BookmarkSSOPayload.Extra.
	Extra map[string]json.RawMessage `json:"-"`
}

// WSFedSSOPayload is a WS-Federation application (SSOConfigTypeWSFed).
type WSFedSSOPayload struct {
	// ACSURL is where users are sent with the token (the service
	// provider's sign-in URL). Required on creation.
	ACSURL string `json:"acs_url,omitempty"`
	// AudienceURL is the recipient of the token. Required on creation.
	AudienceURL string `json:"audience_url,omitempty"`
	// ExpirationTimeSeconds is how long the token is valid. Required on
	// creation.
	ExpirationTimeSeconds int `json:"expiration_time_seconds,omitempty"`
	// DigestAlgorithm digests the token. Required on creation.
	DigestAlgorithm SAMLDigestAlgorithm `json:"digest_algorithm,omitempty"`
	// SignatureAlgorithm signs the token. Required on creation.
	SignatureAlgorithm SAMLSignatureAlgorithm `json:"signature_algorithm,omitempty"`
	// NameFormat is the format of the user's name. Required on creation.
	NameFormat SAMLNameFormat `json:"name_format,omitempty"`
	// SubjectUserNameAttribute names the user. Required on creation.
	SubjectUserNameAttribute SAMLSubjectUserNameAttribute `json:"subject_user_name_attribute,omitempty"`
	// AuthenticationContext is the authentication context class. Required
	// on creation.
	AuthenticationContext SAMLAuthenticationContext `json:"authentication_context,omitempty"`
	// AdditionalUserAttributes are attributes added to the token. Required
	// on creation (an empty, non-nil slice for none).
	AdditionalUserAttributes []SAMLAttribute `json:"additional_user_attributes,omitzero"`
	// Icon is the URL or data URI of the application's tile icon.
	Icon string `json:"icon,omitempty"`
	// IsTileVisible says whether users see the tile.
	IsTileVisible *bool `json:"is_tile_visible,omitempty"`
	// InboundSCIM, when set, is the inbound SCIM provisioning.
	InboundSCIM *SSOInboundSCIM `json:"inbound_scim,omitempty"`
	// ApplicationID is the Beyond Identity application. Read-only.
	ApplicationID string `json:"application_id,omitempty" bi:"ro"`
	// AuthenticatorConfigID is the application's authenticator config.
	// Read-only.
	AuthenticatorConfigID string `json:"authenticator_config_id,omitempty" bi:"ro"`
	// ApplicationTileID identifies the application's tile. Read-only.
	ApplicationTileID string `json:"application_tile_id,omitempty" bi:"ro"`
	// IDPSSOURL is Beyond Identity's sign-in URL. Read-only.
	IDPSSOURL string `json:"idp_sso_url,omitempty" bi:"ro"`
	// IDPIssuerURL is Beyond Identity's issuer. Read-only.
	IDPIssuerURL string `json:"idp_issuer_url,omitempty" bi:"ro"`
	// MetadataURL is Beyond Identity's federation metadata. Read-only.
	MetadataURL string `json:"metadata_url,omitempty" bi:"ro"`

	// Extra holds the members this version of the library does not know;
	// see BookmarkSSOPayload.Extra.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnknownSSOPayload is a payload of a kind this version of the library does
// not know. Raw is its JSON as the server sent it, "type" included; it is
// written back byte for byte. Printed with fmt or encoded as JSON, the
// values of its members whose names look secret ("secret", "password", a
// name ending in "token") are REDACTED; Raw itself is never changed.
type UnknownSSOPayload struct {
	// Raw is the payload's JSON object as the server sent it, "type"
	// included.
	Raw json.RawMessage
}

// SSOConfigType returns the "type" member of Raw, or "" when it has none.
func (u *UnknownSSOPayload) SSOConfigType() SSOConfigType { return SSOConfigType(rawType(u.Raw)) }

// The JSON names of each kind's fields.
var (
	bookmarkFields       = newJSONFields(reflect.TypeFor[BookmarkSSOPayload]())
	entraIDFields        = newJSONFields(reflect.TypeFor[EntraIDSSOPayload]())
	genericOIDCFields    = newJSONFields(reflect.TypeFor[GenericOIDCSSOPayload]())
	genericOIDCIDPFields = newJSONFields(reflect.TypeFor[GenericOIDCIDPSSOPayload]())
	samlFields           = newJSONFields(reflect.TypeFor[SAMLSSOPayload]())
	oktaIDPFields        = newJSONFields(reflect.TypeFor[OktaIDPSSOPayload]())
	oktaBIIDPFields      = newJSONFields(reflect.TypeFor[OktaBIIDPSSOPayload]())
	scimFields           = newJSONFields(reflect.TypeFor[SCIMSSOPayload]())
	wsFedFields          = newJSONFields(reflect.TypeFor[WSFedSSOPayload]())
	realityCheckFields   = newJSONFields(reflect.TypeFor[RealityCheckSSOPayload]())
)

// MarshalJSON encodes the payload with "type": "bookmark", every field that
// is set, and every Extra member. Secrets, known and unknown, are encoded
// as "REDACTED": the form is meant for logs, not for requests.
func (p BookmarkSSOPayload) MarshalJSON() ([]byte, error) {
	type plain BookmarkSSOPayload
	return encodeKind(string(SSOConfigTypeBookmark), plain(p), p.Extra, bookmarkFields)
}

// MarshalJSON encodes the payload; see BookmarkSSOPayload.MarshalJSON.
func (p EntraIDSSOPayload) MarshalJSON() ([]byte, error) {
	type plain EntraIDSSOPayload
	return encodeKind(string(SSOConfigTypeEntraIDExternalAuthMethods), plain(p), p.Extra, entraIDFields)
}

// MarshalJSON encodes the payload; see BookmarkSSOPayload.MarshalJSON.
func (p GenericOIDCSSOPayload) MarshalJSON() ([]byte, error) {
	type plain GenericOIDCSSOPayload
	return encodeKind(string(SSOConfigTypeGenericOIDC), plain(p), p.Extra, genericOIDCFields)
}

// MarshalJSON encodes the payload; see BookmarkSSOPayload.MarshalJSON.
func (p GenericOIDCIDPSSOPayload) MarshalJSON() ([]byte, error) {
	type plain GenericOIDCIDPSSOPayload
	return encodeKind(string(SSOConfigTypeGenericOIDCIDP), plain(p), p.Extra, genericOIDCIDPFields)
}

// MarshalJSON encodes the payload; see BookmarkSSOPayload.MarshalJSON.
func (p SAMLSSOPayload) MarshalJSON() ([]byte, error) {
	type plain SAMLSSOPayload
	return encodeKind(string(SSOConfigTypeGenericSAML), plain(p), p.Extra, samlFields)
}

// MarshalJSON encodes the payload; see BookmarkSSOPayload.MarshalJSON.
func (p OktaIDPSSOPayload) MarshalJSON() ([]byte, error) {
	type plain OktaIDPSSOPayload
	return encodeKind(string(SSOConfigTypeOktaIDP), plain(p), p.Extra, oktaIDPFields)
}

// MarshalJSON encodes the payload; see BookmarkSSOPayload.MarshalJSON.
func (p OktaBIIDPSSOPayload) MarshalJSON() ([]byte, error) {
	type plain OktaBIIDPSSOPayload
	return encodeKind(string(SSOConfigTypeOktaSSOBIIDP), plain(p), p.Extra, oktaBIIDPFields)
}

// MarshalJSON encodes the payload; see BookmarkSSOPayload.MarshalJSON.
func (p SCIMSSOPayload) MarshalJSON() ([]byte, error) {
	type plain SCIMSSOPayload
	return encodeKind(string(SSOConfigTypeSCIM), plain(p), p.Extra, scimFields)
}

// MarshalJSON encodes the payload; see BookmarkSSOPayload.MarshalJSON.
func (p WSFedSSOPayload) MarshalJSON() ([]byte, error) {
	type plain WSFedSSOPayload
	return encodeKind(string(SSOConfigTypeWSFed), plain(p), p.Extra, wsFedFields)
}

// MarshalJSON encodes the payload; see BookmarkSSOPayload.MarshalJSON.
func (p RealityCheckSSOPayload) MarshalJSON() ([]byte, error) {
	type plain RealityCheckSSOPayload
	return encodeKind(string(SSOConfigTypeRealityCheck), plain(p), p.Extra, realityCheckFields)
}

// MarshalJSON returns Raw with the values of secret-looking members
// REDACTED (see UnknownSSOPayload). Requests send Raw unchanged.
func (u UnknownSSOPayload) MarshalJSON() ([]byte, error) { return marshalUnknown(u.Raw) }

// Format prints the payload's kind and Raw, the values of secret-looking
// members REDACTED, for every verb.
func (u UnknownSSOPayload) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "beyondidentity.UnknownSSOPayload{Type: %q, Raw: %s}", rawType(u.Raw), redactSecretMembers(u.Raw))
}

// UnmarshalJSON decodes the payload and keeps unknown members in Extra.
func (p *BookmarkSSOPayload) UnmarshalJSON(b []byte) error {
	type plain BookmarkSSOPayload
	var v plain
	extra, err := decodeKind(b, &v, bookmarkFields)
	*p = BookmarkSSOPayload(v)
	p.Extra = extra
	return err
}

// UnmarshalJSON decodes the payload and keeps unknown members in Extra.
func (p *EntraIDSSOPayload) UnmarshalJSON(b []byte) error {
	type plain EntraIDSSOPayload
	var v plain
	extra, err := decodeKind(b, &v, entraIDFields)
	*p = EntraIDSSOPayload(v)
	p.Extra = extra
	return err
}

// UnmarshalJSON decodes the payload and keeps unknown members in Extra.
func (p *GenericOIDCSSOPayload) UnmarshalJSON(b []byte) error {
	type plain GenericOIDCSSOPayload
	var v plain
	extra, err := decodeKind(b, &v, genericOIDCFields)
	*p = GenericOIDCSSOPayload(v)
	p.Extra = extra
	return err
}

// UnmarshalJSON decodes the payload and keeps unknown members in Extra.
func (p *GenericOIDCIDPSSOPayload) UnmarshalJSON(b []byte) error {
	type plain GenericOIDCIDPSSOPayload
	var v plain
	extra, err := decodeKind(b, &v, genericOIDCIDPFields)
	*p = GenericOIDCIDPSSOPayload(v)
	p.Extra = extra
	return err
}

// UnmarshalJSON decodes the payload and keeps unknown members in Extra.
func (p *SAMLSSOPayload) UnmarshalJSON(b []byte) error {
	type plain SAMLSSOPayload
	var v plain
	extra, err := decodeKind(b, &v, samlFields)
	*p = SAMLSSOPayload(v)
	p.Extra = extra
	return err
}

// UnmarshalJSON decodes the payload and keeps unknown members in Extra.
func (p *OktaIDPSSOPayload) UnmarshalJSON(b []byte) error {
	type plain OktaIDPSSOPayload
	var v plain
	extra, err := decodeKind(b, &v, oktaIDPFields)
	*p = OktaIDPSSOPayload(v)
	p.Extra = extra
	return err
}

// UnmarshalJSON decodes the payload and keeps unknown members in Extra.
func (p *OktaBIIDPSSOPayload) UnmarshalJSON(b []byte) error {
	type plain OktaBIIDPSSOPayload
	var v plain
	extra, err := decodeKind(b, &v, oktaBIIDPFields)
	*p = OktaBIIDPSSOPayload(v)
	p.Extra = extra
	return err
}

// UnmarshalJSON decodes the payload and keeps unknown members in Extra.
func (p *SCIMSSOPayload) UnmarshalJSON(b []byte) error {
	type plain SCIMSSOPayload
	var v plain
	extra, err := decodeKind(b, &v, scimFields)
	*p = SCIMSSOPayload(v)
	p.Extra = extra
	return err
}

// UnmarshalJSON decodes the payload and keeps unknown members in Extra.
func (p *WSFedSSOPayload) UnmarshalJSON(b []byte) error {
	type plain WSFedSSOPayload
	var v plain
	extra, err := decodeKind(b, &v, wsFedFields)
	*p = WSFedSSOPayload(v)
	p.Extra = extra
	return err
}

// UnmarshalJSON decodes the payload and keeps unknown members in Extra.
func (p *RealityCheckSSOPayload) UnmarshalJSON(b []byte) error {
	type plain RealityCheckSSOPayload
	var v plain
	extra, err := decodeKind(b, &v, realityCheckFields)
	*p = RealityCheckSSOPayload(v)
	p.Extra = extra
	return err
}

// kindWire is what the write of a typed kind needs: its "type", a pointer
// to it, its Extra, the JSON names of its fields, and the Go names of the
// fields a create must set.
type kindWire struct {
	typ      string
	v        any
	extra    map[string]json.RawMessage
	known    jsonFields
	required []string
}

// ssoKind is implemented by the typed SSO payloads.
type ssoKind interface {
	SSOPayload
	wire() kindWire
}

func (p *BookmarkSSOPayload) wire() kindWire {
	return kindWire{string(SSOConfigTypeBookmark), p, p.Extra, bookmarkFields, []string{"LoginLink"}}
}

func (p *EntraIDSSOPayload) wire() kindWire {
	return kindWire{string(SSOConfigTypeEntraIDExternalAuthMethods), p, p.Extra, entraIDFields,
		[]string{"RedirectURIs", "DiscoverEndpoint"}}
}

func (p *GenericOIDCSSOPayload) wire() kindWire {
	return kindWire{string(SSOConfigTypeGenericOIDC), p, p.Extra, genericOIDCFields,
		[]string{"RedirectURIs", "Scopes", "Confidentiality", "PKCE"}}
}

func (p *GenericOIDCIDPSSOPayload) wire() kindWire {
	return kindWire{string(SSOConfigTypeGenericOIDCIDP), p, p.Extra, genericOIDCIDPFields,
		[]string{"ClientID", "IdentifyingClaimName", "IdentityAttribute", "AuthorizationEndpoint", "TokenEndpoint", "JWKSEndpoint"}}
}

func (p *SAMLSSOPayload) wire() kindWire {
	return kindWire{string(SSOConfigTypeGenericSAML), p, p.Extra, samlFields, []string{
		"ACSURL", "OverrideRecipientAndDestination", "AudienceURL", "DefaultRelayState", "NameFormat",
		"AuthenticationContext", "SubjectUserNameAttribute", "SignEnvelope", "SignAssertions",
		"SignatureAlgorithm", "DigestAlgorithm", "EncryptAssertions", "AssertionValidityDurationSeconds",
		"SPSignatureCertificates", "EnableSingleLogOut", "ValidateSignedRequests", "AdditionalUserAttributes",
		"SingleLogoutSignRequestAndResponse",
	}}
}

func (p *OktaIDPSSOPayload) wire() kindWire {
	return kindWire{string(SSOConfigTypeOktaIDP), p, p.Extra, oktaIDPFields,
		[]string{"ClientID", "IdentifyingClaimName", "IdentityAttribute", "OktaDomain"}}
}

func (p *OktaBIIDPSSOPayload) wire() kindWire {
	return kindWire{string(SSOConfigTypeOktaSSOBIIDP), p, p.Extra, oktaBIIDPFields, []string{"PKCE", "OktaRegistration"}}
}

func (p *SCIMSSOPayload) wire() kindWire {
	return kindWire{string(SSOConfigTypeSCIM), p, p.Extra, scimFields, nil}
}

func (p *WSFedSSOPayload) wire() kindWire {
	return kindWire{string(SSOConfigTypeWSFed), p, p.Extra, wsFedFields, []string{
		"ACSURL", "AudienceURL", "ExpirationTimeSeconds", "DigestAlgorithm", "SignatureAlgorithm",
		"NameFormat", "SubjectUserNameAttribute", "AuthenticationContext", "AdditionalUserAttributes",
	}}
}

func (p *RealityCheckSSOPayload) wire() kindWire {
	return kindWire{string(SSOConfigTypeRealityCheck), p, p.Extra, realityCheckFields, []string{"CompanyIdentifier"}}
}

// newSSOPayload returns a new typed payload of kind t, or nil when the kind
// is not typed.
func newSSOPayload(t SSOConfigType) SSOPayload {
	switch t {
	case SSOConfigTypeBookmark:
		return new(BookmarkSSOPayload)
	case SSOConfigTypeEntraIDExternalAuthMethods:
		return new(EntraIDSSOPayload)
	case SSOConfigTypeGenericOIDC:
		return new(GenericOIDCSSOPayload)
	case SSOConfigTypeGenericOIDCIDP:
		return new(GenericOIDCIDPSSOPayload)
	case SSOConfigTypeGenericSAML, ssoTypeSAMLAlias:
		return new(SAMLSSOPayload)
	case SSOConfigTypeOktaIDP:
		return new(OktaIDPSSOPayload)
	case SSOConfigTypeOktaSSOBIIDP:
		return new(OktaBIIDPSSOPayload)
	case SSOConfigTypeSCIM:
		return new(SCIMSSOPayload)
	case SSOConfigTypeWSFed:
		return new(WSFedSSOPayload)
	case SSOConfigTypeRealityCheck:
		return new(RealityCheckSSOPayload)
	}
	return nil
}

// decodeSSOPayload decodes a payload by its "type"; null or absent gives
// nil.
//
// The API describes payloads tagged by a "type" member. Answers read by
// Beyond Identity's own CLI (bi-cli) had the other form of a tagged union,
// one member named after the kind in CamelCase holding the settings:
// {"Bookmark": {"login_link": …}}, {"GenericOidcIdp":
// {"identity_provider_id": …}}. A payload without "type" whose only member
// names a known kind so is decoded as that kind; anything else is kept as
// an UnknownSSOPayload.
func decodeSSOPayload(raw json.RawMessage) (SSOPayload, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var probe struct {
		Type *SSOConfigType `json:"type"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("decoding the SSO config payload: %w", err)
	}
	settings := raw
	var t SSOConfigType
	if probe.Type != nil {
		t = *probe.Type
	} else if name, value, ok := singleMember(raw); ok && len(value) > 0 && value[0] == '{' {
		if kind, ok := kindFromCamelCase(name); ok {
			t, settings = kind, value
		}
	}
	p := newSSOPayload(t)
	if p == nil {
		return &UnknownSSOPayload{Raw: append(json.RawMessage(nil), raw...)}, nil
	}
	if err := json.Unmarshal(settings, p); err != nil {
		return nil, fmt.Errorf("decoding the %s SSO config payload: %w", t, err)
	}
	return p, nil
}

// singleMember returns the name and value of the only member of the JSON
// object b.
func singleMember(b []byte) (name string, value []byte, ok bool) {
	m := jsonMembers{b: b}
	n := 0
	for k, v := range m.all {
		if n++; n > 1 {
			return "", nil, false
		}
		name, value = string(k), v
	}
	return name, value, n == 1 && m.complete
}

// kindFromCamelCase maps a kind's CamelCase name (GenericOidcIdp) to its
// "type" (generic_oidc_idp), if that is a typed kind.
func kindFromCamelCase(name string) (SSOConfigType, bool) {
	if name == "" || name[0] < 'A' || name[0] > 'Z' {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'A' && c <= 'Z':
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteByte(c + 'a' - 'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteByte(c)
		default:
			return "", false
		}
	}
	t := SSOConfigType(b.String())
	if t == ssoTypeSAMLAlias || newSSOPayload(t) == nil {
		return "", false
	}
	return t, true
}

// ssoPayloadWrite is the wire form of a payload sent to the API, and the
// secrets it holds (to scrub them from error answers). create applies the
// API's required members.
func ssoPayloadWrite(field string, p SSOPayload, create bool) (json.RawMessage, []string, error) {
	switch k := p.(type) {
	case nil:
		return nil, nil, invalid(field, "is required (e.g. &BookmarkSSOPayload{...})")
	case *UnknownSSOPayload:
		if k == nil {
			return nil, nil, invalid(field, "is a nil *UnknownSSOPayload")
		}
		raw, err := checkUnknownRaw(field, k.Raw, "UnknownSSOPayload")
		return raw, nil, err
	case ssoKind:
		if reflect.ValueOf(k).IsNil() {
			return nil, nil, invalid(field, fmt.Sprintf("is a nil %T", p))
		}
		return writeKind(field, k.wire(), create)
	}
	return nil, nil, invalid(field, fmt.Sprintf("unsupported payload type %T", p))
}

// checkUnknownRaw checks the Raw of an unknown kind sent to the API (name
// names its type in errors): a JSON object with a "type".
func checkUnknownRaw(field string, raw json.RawMessage, name string) (json.RawMessage, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) || rawType(trimmed) == "" {
		return nil, invalid(field, "an "+name+" needs Raw, a JSON object with a \"type\"")
	}
	return raw, nil
}

// rawType returns the "type" member of the JSON object raw, "" when it has
// none.
func rawType(raw json.RawMessage) string {
	var w struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &w)
	return w.Type
}

// encodeKind encodes plain (a kind without its JSON methods) as an object
// whose first member is "type", followed by its fields and its Extra
// members, secret-looking ones REDACTED.
func encodeKind(typ string, plain any, extra map[string]json.RawMessage, known jsonFields) ([]byte, error) {
	b, err := json.Marshal(plain)
	if err != nil {
		return nil, err
	}
	tb, err := json.Marshal(typ)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(b)+len(tb)+10)
	out = append(out, `{"type":`...)
	out = append(out, tb...)
	if len(b) > 2 { // more than "{}"
		out = append(out, ',')
	}
	out = append(out, b[1:]...)
	if len(extra) == 0 {
		return out, nil
	}
	shown := make(map[string]json.RawMessage, len(extra))
	for k, v := range extra {
		if secretName(k) {
			shown[k] = json.RawMessage(`"` + redacted + `"`)
		} else {
			shown[k] = redactSecretMembers(v)
		}
	}
	return appendExtra(out, shown, known, "member")
}

// decodeKind decodes b into plain (a pointer to a kind without its JSON
// methods) and returns its unknown members.
func decodeKind(b []byte, plain any, known jsonFields) (map[string]json.RawMessage, error) {
	if err := json.Unmarshal(b, plain); err != nil {
		return nil, err
	}
	return extraMembers(b, known)
}

// marshalUnknown is the MarshalJSON of the unknown kinds.
func marshalUnknown(raw json.RawMessage) ([]byte, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return []byte("null"), nil
	}
	if !json.Valid(raw) {
		return nil, fmt.Errorf("beyondidentity: the Raw of an unknown kind is not valid JSON")
	}
	return redactSecretMembers(raw), nil
}

// secretName reports whether a member name looks like that of a secret:
// it holds "secret" or "password", or ends in "token" (okta_token,
// access_token).
func secretName(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "secret") || strings.Contains(n, "password") || strings.HasSuffix(n, "token")
}

// redactSecretMembers returns the JSON value b with the value of every
// member whose name looks secret (secretName), at any depth, replaced by
// "REDACTED". b is returned unchanged when it holds none; it must be
// valid JSON.
func redactSecretMembers(b []byte) []byte {
	if !hasSecretMember(b) {
		return b
	}
	var out bytes.Buffer
	writeRedacted(&out, bytes.TrimSpace(b))
	return out.Bytes()
}

func hasSecretMember(b []byte) bool {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return false
	}
	switch b[0] {
	case '{':
		m := jsonMembers{b: b}
		for name, value := range m.all {
			if secretName(string(name)) || hasSecretMember(value) {
				return true
			}
		}
	case '[':
		a := jsonElements{b: b}
		for v := range a.all {
			if hasSecretMember(v) {
				return true
			}
		}
	}
	return false
}

func writeRedacted(out *bytes.Buffer, b []byte) {
	switch {
	case len(b) > 0 && b[0] == '{':
		out.WriteByte('{')
		m := jsonMembers{b: b}
		first := true
		for name, value := range m.all {
			if !first {
				out.WriteByte(',')
			}
			first = false
			out.WriteByte('"')
			out.Write(name)
			out.WriteString(`":`)
			if secretName(string(name)) {
				out.WriteString(`"` + redacted + `"`)
			} else {
				writeRedacted(out, value)
			}
		}
		out.WriteByte('}')
	case len(b) > 0 && b[0] == '[':
		out.WriteByte('[')
		a := jsonElements{b: b}
		first := true
		for v := range a.all {
			if !first {
				out.WriteByte(',')
			}
			first = false
			writeRedacted(out, v)
		}
		out.WriteByte(']')
	default:
		out.Write(b)
	}
}

// secretType is the reflect.Type of Secret.
var secretType = reflect.TypeFor[Secret]()

// writeKind encodes a typed kind for a request: "type", the fields that are
// set and not read-only (a field tagged bi:"ro" is never sent), secrets
// revealed, then the Extra members. It returns the secrets it revealed. A
// create first checks w.required.
func writeKind(field string, w kindWire, create bool) (json.RawMessage, []string, error) {
	v := reflect.ValueOf(w.v).Elem()
	if create {
		for _, name := range w.required {
			if fieldIsZero(v.FieldByName(name)) {
				return nil, nil, invalid(field+"."+name, fmt.Sprintf("is required to create a %s", w.typ))
			}
		}
	}
	if err := checkExtra(field+".Extra", w.extra, w.known, "a member"); err != nil {
		return nil, nil, err
	}
	var buf bytes.Buffer
	buf.WriteString(`{"type":`)
	tb, err := json.Marshal(w.typ)
	if err != nil {
		return nil, nil, err
	}
	buf.Write(tb)
	var secrets []string
	if err := writeFields(&buf, field, v, true, &secrets); err != nil {
		return nil, nil, err
	}
	buf.WriteByte('}')
	b, err := appendExtra(buf.Bytes(), w.extra, w.known, field+" member")
	if err != nil {
		return nil, nil, err
	}
	return b, secrets, nil
}

// fieldIsZero reports whether a field is unset: the zero value, or an empty
// Secret.
func fieldIsZero(v reflect.Value) bool {
	if v.Type() == secretType {
		return v.Interface().(Secret).IsZero()
	}
	return v.IsZero()
}

// writeFields writes the members of the struct v that a request sends,
// each preceded by a comma when comma is set (or after the first).
func writeFields(buf *bytes.Buffer, field string, v reflect.Value, comma bool, secrets *[]string) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || f.Tag.Get("bi") == "ro" {
			continue
		}
		fv := v.Field(i)
		if fieldIsZero(fv) {
			continue
		}
		if comma {
			buf.WriteByte(',')
		}
		comma = true
		nb, _ := json.Marshal(name)
		buf.Write(nb)
		buf.WriteByte(':')
		switch {
		case f.Type == secretType:
			s := fv.Interface().(Secret).Reveal()
			sb, _ := json.Marshal(s)
			buf.Write(sb)
			*secrets = append(*secrets, s)
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct:
			buf.WriteByte('{')
			if err := writeFields(buf, field+"."+f.Name, fv.Elem(), false, secrets); err != nil {
				return err
			}
			buf.WriteByte('}')
		default:
			b, err := json.Marshal(fv.Interface())
			if err != nil {
				return invalid(field+"."+f.Name, "cannot be encoded: "+err.Error())
			}
			buf.Write(b)
		}
	}
	return nil
}
