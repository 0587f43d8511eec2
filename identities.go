package beyondidentity

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// IdentityStatus is the administrative status of an identity. It is an open
// set: a value this version of the library does not know decodes as is.
type IdentityStatus string

// Identity statuses documented by the API.
const (
	// IdentityStatusActive identities can create passkeys and sign in.
	IdentityStatusActive IdentityStatus = "active"
	// IdentityStatusSuspended identities can neither create passkeys nor
	// sign in.
	IdentityStatusSuspended IdentityStatus = "suspended"
)

// EnrollmentStatus says whether an identity has passkeys. It is set by the
// server only and is an open set: a value this version of the library does
// not know decodes as is.
type EnrollmentStatus string

// Enrollment statuses documented by the API.
const (
	// EnrollmentStatusEnrolled means the identity has one or more active
	// passkeys.
	EnrollmentStatusEnrolled EnrollmentStatus = "ENROLLED"
	// EnrollmentStatusPending means the identity has no active passkey and
	// one or more pending enrollments (binding jobs).
	EnrollmentStatusPending EnrollmentStatus = "PENDING"
	// EnrollmentStatusInviteFailed means the identity has no active passkey,
	// no pending enrollment and one or more failed enrollments.
	EnrollmentStatusInviteFailed EnrollmentStatus = "INVITE_FAILED"
	// EnrollmentStatusUnenrolled means the identity is not enrolled.
	EnrollmentStatusUnenrolled EnrollmentStatus = "UNENROLLED"
)

// Identity is a user of a realm, to which passkeys are bound.
type Identity struct {
	// ID identifies the identity within its realm. Read-only.
	ID string `json:"id"`
	// RealmID is the realm that holds the identity. Read-only.
	RealmID string `json:"realm_id,omitempty"`
	// TenantID is the tenant of the realm. Read-only.
	TenantID string `json:"tenant_id,omitempty"`
	// DisplayName is a human-readable name, 1 to 64 characters.
	DisplayName string `json:"display_name,omitempty"`
	// Status is the administrative status; suspended identities cannot
	// create passkeys or sign in.
	Status IdentityStatus `json:"status,omitempty"`
	// EnrollmentStatus says whether the identity has passkeys. Read-only;
	// the server may leave it out, and then it is "".
	EnrollmentStatus EnrollmentStatus `json:"enrollment_status,omitempty"`
	// Traits describe the user: username, email addresses, names and more.
	Traits Traits `json:"traits,omitzero"`
	// CreateTime is when the identity was created. Read-only.
	CreateTime time.Time `json:"create_time,omitzero"`
	// UpdateTime is when the identity was last updated. Read-only.
	UpdateTime time.Time `json:"update_time,omitzero"`
}

// CreateIdentityRequest is the body of IdentitiesService.Create.
type CreateIdentityRequest struct {
	// DisplayName is a human-readable name, 1 to 64 characters, none of
	// {}[]<>;:?\/|*^%$#=~`!. Required.
	DisplayName string `json:"display_name"`
	// Status is the initial administrative status; the server's default
	// (active) when empty.
	Status IdentityStatus `json:"status,omitempty"`
	// Traits describe the user. Traits.Username is required.
	Traits Traits `json:"traits"`
}

// UpdateIdentityRequest is the body of IdentitiesService.Update (a PATCH):
// only the fields that are set (non-nil) are sent, and the server leaves the
// others as they are.
type UpdateIdentityRequest struct {
	// DisplayName, when set, is the new display name (1 to 64 characters,
	// none of {}[]<>;:?\/|*^%$#=~`!).
	DisplayName *string `json:"display_name,omitempty"`
	// Status, when set, is the new administrative status, for example
	// IdentityStatusSuspended.
	Status *IdentityStatus `json:"status,omitempty"`
	// Traits, when set, changes the traits it sets and leaves the others as
	// they are. "type": "traits_v0" is added by the library.
	Traits *TraitsUpdate `json:"traits,omitempty"`
}

// Validation limits of the API.
const (
	maxIdentitiesPageSize  = 200
	maxBatchDeleteIdentity = 1000
)

// checkIdentityID validates an identity ID that names one identity: the
// wildcard AllIdentities is only for the lists that document it.
func checkIdentityID(id string) error {
	if err := checkID("identityID", id); err != nil {
		return err
	}
	if id == AllIdentities {
		return invalid("identityID", `"-" (AllIdentities) is only valid for the List and All of binding jobs and credentials`)
	}
	return nil
}

// checkIdentityList checks a list of 1 to maxLen distinct identity IDs,
// none of them the wildcard AllIdentities.
func checkIdentityList(field string, ids []string, maxLen int) error {
	if err := checkIDList(field, ids, maxLen); err != nil {
		return err
	}
	if i := slices.Index(ids, AllIdentities); i >= 0 {
		return invalid(field+"["+strconv.Itoa(i)+"]", `"-" (AllIdentities) is not an identity ID`)
	}
	return nil
}

func checkIdentityStatus(field string, st IdentityStatus) error {
	if strings.TrimSpace(string(st)) == "" {
		return invalid(field, "is empty")
	}
	return nil
}

func (r *CreateIdentityRequest) validate() error {
	if r == nil {
		return invalid("req", "is nil")
	}
	if err := checkDisplayName("DisplayName", r.DisplayName); err != nil {
		return err
	}
	if err := checkDisplayName("Traits.Username", r.Traits.Username); err != nil {
		return err
	}
	if r.Status != "" {
		if err := checkIdentityStatus("Status", r.Status); err != nil {
			return err
		}
	}
	return checkExtra("Traits.Extra", r.Traits.Extra, traitFields, "a known trait")
}

func (r *UpdateIdentityRequest) validate() error {
	if r == nil {
		return invalid("req", "is nil")
	}
	if r.DisplayName != nil {
		if err := checkDisplayName("DisplayName", *r.DisplayName); err != nil {
			return err
		}
	}
	if r.Status != nil {
		if err := checkIdentityStatus("Status", *r.Status); err != nil {
			return err
		}
	}
	if r.Traits != nil {
		if r.Traits.Username != nil {
			if err := checkDisplayName("Traits.Username", *r.Traits.Username); err != nil {
				return err
			}
		}
		return checkExtra("Traits.Extra", r.Traits.Extra, traitFields, "a known trait")
	}
	return nil
}

// identityBody is the envelope of create and update requests.
type identityBody[T any] struct {
	Identity T `json:"identity"`
}

// IdentitiesService handles identities (users). Get it from Client.Identities.
type IdentitiesService service

// Create creates an identity. The API answers 409 when the username is
// taken (usernames are compared case-insensitively): errors.Is(err,
// ErrConflict) is then true, and [IdentitiesService.FindByUsername] fetches
// the existing identity.
//
// Create is not retried after a failure where the server may have acted
// (only after a 429 or a refused connection), so it never creates two
// identities; after a timeout, look the identity up with FindByUsername.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/identities (CreateIdentity)
func (s *IdentitiesService) Create(ctx context.Context, req *CreateIdentityRequest) (*Identity, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	return fetch[Identity](ctx, s.client, &call{method: http.MethodPost, path: segs("identities"),
		body: identityBody[*CreateIdentityRequest]{req}})
}

// Get fetches an identity. A missing identity is an *APIError for which
// errors.Is(err, ErrNotFound) is true.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id} (GetIdentity)
func (s *IdentitiesService) Get(ctx context.Context, identityID string) (*Identity, error) {
	if err := checkID("identityID", identityID); err != nil {
		return nil, err
	}
	return fetch[Identity](ctx, s.client, &call{method: http.MethodGet, path: segs("identities", identityID), idempotent: true})
}

// List fetches one page of the realm's identities, in no defined order.
// PageSize is 0 (the server's default, 20) to 200. The only filter the API
// documents is `traits.username eq "name"` (see
// [IdentitiesService.FindByUsername]).
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/identities (ListIdentities)
func (s *IdentitiesService) List(ctx context.Context, opts *ListOptions) (*Page[*Identity], error) {
	return list[*Identity](ctx, s.client, &call{path: segs("identities")}, opts, maxIdentitiesPageSize, "identities")
}

// All iterates over the realm's identities with [IdentitiesService.List],
// fetching pages as the loop needs them: no request is sent before the loop
// starts, and none after it breaks. The filter, page size and skip of opts
// are sent with every page; iteration starts at opts.PageToken. opts is not
// modified. An error is yielded once and ends the iteration.
func (s *IdentitiesService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Identity, error] {
	return all(ctx, opts, s.List)
}

// Update changes an identity (PATCH): only the fields of req that are set
// are sent, and the server leaves the others, and the traits not sent, as
// they are. It returns the updated identity. A username taken by another
// identity is an *APIError for which errors.Is(err, ErrConflict) is true.
//
// API: PATCH /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id} (UpdateIdentity)
func (s *IdentitiesService) Update(ctx context.Context, identityID string, req *UpdateIdentityRequest) (*Identity, error) {
	if err := checkID("identityID", identityID); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	return fetch[Identity](ctx, s.client, &call{method: http.MethodPatch, path: segs("identities", identityID),
		body: identityBody[*UpdateIdentityRequest]{req}, idempotent: true})
}

// Delete deletes an identity. A missing identity is an *APIError for which
// errors.Is(err, ErrNotFound) is true; like every idempotent call, Delete is
// retried after a transient failure, so a first attempt that did succeed can
// surface as ErrNotFound.
//
// API: DELETE /v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id} (DeleteIdentity)
func (s *IdentitiesService) Delete(ctx context.Context, identityID string) error {
	if err := checkID("identityID", identityID); err != nil {
		return err
	}
	return s.client.do(ctx, &call{method: http.MethodDelete, path: segs("identities", identityID), idempotent: true}, nil)
}

// BatchDelete deletes 1 to 1000 identities at once, all or nothing: if any
// of them does not exist, none is deleted and the *APIError (ErrNotFound)
// lists the missing IDs in its BatchOperationErrors detail. The IDs must be
// distinct. Like Delete, it is retried after a transient failure, so a first
// attempt that did succeed can surface as ErrNotFound.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/identities:batchDelete (BatchDeleteIdentities)
func (s *IdentitiesService) BatchDelete(ctx context.Context, identityIDs []string) error {
	if err := checkIdentityList("identityIDs", identityIDs, maxBatchDeleteIdentity); err != nil {
		return err
	}
	body := struct {
		IDs []string `json:"ids"`
	}{identityIDs}
	return s.client.do(ctx, &call{method: http.MethodPost, path: segs("identities"), custom: "batchDelete", body: body, idempotent: true}, nil)
}

// FindByUsername fetches the identity with a username, compared
// case-insensitively as the server does. When there is none, the error
// names the username and errors.Is(err, ErrNotFound) is true.
//
// It sends one list request with the filter `traits.username eq "…"` (the
// value quoted and escaped) and only returns an identity whose username
// matches, even if the server were to ignore the filter.
func (s *IdentitiesService) FindByUsername(ctx context.Context, username string) (*Identity, error) {
	if err := checkDisplayName("username", username); err != nil {
		return nil, err
	}
	page, err := s.List(ctx, &ListOptions{Filter: usernameFilter(username)})
	if err != nil {
		return nil, err
	}
	var folded *Identity
	for _, id := range page.Items {
		switch {
		case id.Traits.Username == username:
			return id, nil
		case folded == nil && strings.EqualFold(id.Traits.Username, username):
			folded = id
		}
	}
	if folded != nil {
		return folded, nil
	}
	return nil, &usernameNotFoundError{username: username}
}

// usernameFilter returns the SCIM filter that selects the identity with a
// username, `traits.username eq "…"`, with the value quoted and its
// backslashes and double quotes escaped.
func usernameFilter(username string) string {
	return FilterEq("traits.username", username)
}

// scimString quotes s as a SCIM filter string value (RFC 7644 §3.4.2.2,
// which uses JSON strings): backslash and double quote are escaped, and so
// are control characters.
func scimString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\\' || r == '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// usernameNotFoundError is returned by FindByUsername when no identity has
// the username.
type usernameNotFoundError struct{ username string }

func (e *usernameNotFoundError) Error() string {
	return fmt.Sprintf("beyondidentity: no identity with username %q", e.username)
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *usernameNotFoundError) Is(target error) bool { return target == ErrNotFound }
