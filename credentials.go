package beyondidentity

import (
	"context"
	"crypto"
	"crypto/sha256"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// CredentialState is the state of a credential. It is an open set: a value
// this version does not know decodes as is.
type CredentialState string

// Credential states documented by the API.
const (
	// CredentialStateActive means the credential can be used to authenticate.
	CredentialStateActive CredentialState = "ACTIVE"
	// CredentialStateRevoked means the credential was revoked and can no
	// longer be used.
	CredentialStateRevoked CredentialState = "REVOKED"
)

// CSRType is the kind of certificate signing request that created a
// credential. It is an open set.
type CSRType string

// CSR types documented by the API.
const (
	// CSRTypeJWT means the CSR was delivered as a JWT.
	CSRTypeJWT CSRType = "JWT"
	// CSRTypeWebAuthn means the CSR was a WebAuthn attestation response.
	CSRTypeWebAuthn CSRType = "WEBAUTHN"
	// CSRTypeFIDO2 means the CSR was a FIDO2 WebAuthn attestation response
	// object.
	CSRTypeFIDO2 CSRType = "FIDO2"
)

// Credential is a passkey: the public half of a key pair bound to an
// identity. Credentials are created by credential binding jobs; the API has
// no call to create or delete one, only to revoke it.
type Credential struct {
	// ID is the credential's ID, unique within the realm.
	ID string `json:"id"`
	// IdentityID is the ID of the identity the credential belongs to.
	IdentityID string `json:"identity_id,omitempty"`
	// RealmID is the ID of the credential's realm.
	RealmID string `json:"realm_id,omitempty"`
	// TenantID is the ID of the credential's tenant.
	TenantID string `json:"tenant_id,omitempty"`
	// State is whether the credential is active or revoked.
	State CredentialState `json:"state,omitempty"`
	// CSRType is the kind of signing request that created the credential.
	CSRType CSRType `json:"csr_type,omitempty"`
	// JWKJSON is the credential's public key as the API sends it: a JSON
	// string whose content is an RFC 7517 JWK, such as
	// {"crv":"P-256","kty":"EC","x":"…","y":"…"}. PublicKey parses it.
	JWKJSON string `json:"jwk_json,omitempty"`
	// JWKThumbprint is the base64url RFC 7638 SHA-256 thumbprint of the
	// public key. The API sends it with '=' padding; VerifyThumbprint
	// accepts it with or without.
	JWKThumbprint string `json:"jwk_thumbprint,omitempty"`
	// CreateTime is when the credential was created.
	CreateTime time.Time `json:"create_time,omitzero"`
	// UpdateTime is when the credential was last updated.
	UpdateTime time.Time `json:"update_time,omitzero"`
}

// PublicKey parses JWKJSON into a public key: *ecdsa.PublicKey (kty EC, crv
// P-256, P-384 or P-521), *rsa.PublicKey (kty RSA) or ed25519.PublicKey (kty
// OKP, crv Ed25519). See ParseJWK for the checks made. Errors match
// ErrInvalidJWK.
func (c *Credential) PublicKey() (crypto.PublicKey, error) {
	if c.JWKJSON == "" {
		return nil, jwkError("credential %q has no jwk_json", c.ID)
	}
	return ParseJWK([]byte(c.JWKJSON))
}

// VerifyThumbprint checks that JWKThumbprint is the RFC 7638 SHA-256
// thumbprint of the key in JWKJSON. The thumbprint may be given with or
// without base64 '=' padding. It returns nil when it matches, an error
// matching ErrJWKThumbprintMismatch when it does not, and an error matching
// ErrInvalidJWK when the key or the thumbprint cannot be parsed.
func (c *Credential) VerifyThumbprint() error {
	if c.JWKThumbprint == "" {
		return jwkError("credential %q has no jwk_thumbprint", c.ID)
	}
	want, err := decodeBase64URL(c.JWKThumbprint, false)
	if err != nil {
		// The API pads the thumbprint with '=' (RFC 7638 uses none).
		want, err = decodeBase64URL(c.JWKThumbprint, true)
	}
	if err != nil || len(want) != sha256.Size {
		return jwkError("jwk_thumbprint is not a base64url SHA-256 digest")
	}
	pub, err := c.PublicKey()
	if err != nil {
		return err
	}
	input, err := thumbprintInput(pub)
	if err != nil {
		return err
	}
	got := sha256.Sum256(input)
	if string(got[:]) != string(want) {
		return fmt.Errorf("%w (credential %q)", ErrJWKThumbprintMismatch, c.ID)
	}
	return nil
}

// Maximum page size of the credentials list.
const maxCredentialsPageSize = 200

// CredentialsService handles credentials (passkeys). Get it from
// Client.Credentials.
type CredentialsService service

// List fetches one page of the credentials of an identity, or of every
// identity of the realm when identityID is AllIdentities. opts may be nil.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}/credentials (ListCredentials)
func (s *CredentialsService) List(ctx context.Context, identityID string, opts *PageOptions) (*Page[*Credential], error) {
	if err := checkID("identityID", identityID); err != nil {
		return nil, err
	}
	return list[*Credential](ctx, s.client, &call{path: segs("identities", identityID, "credentials")},
		opts, maxCredentialsPageSize, "credentials")
}

// All iterates over every credential of an identity (or of the realm, with
// AllIdentities) with [CredentialsService.List], fetching pages as the loop
// needs them. opts is not modified; its PageSize and Skip are sent with
// every page.
func (s *CredentialsService) All(ctx context.Context, identityID string, opts *PageOptions) iter.Seq2[*Credential, error] {
	return all(ctx, opts, func(ctx context.Context, o *PageOptions) (*Page[*Credential], error) {
		return s.List(ctx, identityID, o)
	})
}

// Get fetches a credential of an identity.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}/credentials/{credential_id} (GetCredential)
func (s *CredentialsService) Get(ctx context.Context, identityID, credentialID string) (*Credential, error) {
	path, err := credentialPath(identityID, credentialID)
	if err != nil {
		return nil, err
	}
	return fetch[Credential](ctx, s.client, &call{method: http.MethodGet, path: path, idempotent: true})
}

// Revoke revokes a credential of an identity, so it can no longer be used to
// authenticate, and returns the revoked credential. Revoking is final: the
// API has no call to reactivate a credential. Revoking an already revoked
// credential is safe to repeat, so the call is retried like a read. No
// request body is sent, as the operation declares none.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}/credentials/{credential_id}:revoke (RevokeCredential)
func (s *CredentialsService) Revoke(ctx context.Context, identityID, credentialID string) (*Credential, error) {
	path, err := credentialPath(identityID, credentialID)
	if err != nil {
		return nil, err
	}
	return fetch[Credential](ctx, s.client, &call{method: http.MethodPost, path: path, custom: "revoke", idempotent: true})
}

// credentialPath validates the IDs of a credential and returns its path.
func credentialPath(identityID, credentialID string) (pathSegs, error) {
	// The API documents "-" (AllIdentities) for lists only, as for jobs.
	if err := checkIdentityID(identityID); err != nil {
		return pathSegs{}, err
	}
	if err := checkID("credentialID", credentialID); err != nil {
		return pathSegs{}, err
	}
	return segs("identities", identityID, "credentials", credentialID), nil
}
