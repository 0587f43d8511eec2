// Package beyondidentitytest provides an in-process fake of the Beyond
// Identity v1 API for tests, examples and local development, in the spirit
// of net/http/httptest.
//
// A Server serves the API host and the auth host (the token,
// introspection and revocation endpoints, binding links) on one origin. It
// keeps its state in memory, answers with the status codes and the
// {code, message, details} error bodies the API documents (SCIM's own
// error shape on SCIM paths), and checks requests the way the API does:
// client credentials, bearer tokens and their scopes and expiry, field
// rules, unique usernames, page tokens bound to their filter, and more. It
// is safe for concurrent use.
//
// Each server seeds a tenant with an Admin realm, which holds the Management
// API application and its client credentials, and a user realm holding an
// embedded authenticator config. Server.Client returns a
// *beyondidentity.Client for the user realm that is ready to use:
//
//	func TestSignup(t *testing.T) {
//		srv := beyondidentitytest.NewServer()
//		defer srv.Close()
//		c, err := srv.Client()
//		if err != nil {
//			t.Fatal(err)
//		}
//		// ... create an identity and a RETURN binding job with c ...
//		b, err := srv.CompleteBinding(ctx, link) // the device binds a passkey
//		// ... the job is now COMPLETE and b.CredentialID is ACTIVE ...
//	}
//
// # The device side
//
// No browser or phone is needed: CompleteBinding plays the Embedded SDK's
// bindPasskey on a binding link of either shape and creates a credential
// with a real P-256 key. The link itself can also be followed over HTTP:
// opening it marks the job LINK_OPENED, and for an EMAIL job it redirects
// (302) to the authenticator config's Invoke URL + "/bind?api_base_url=…&
// tenant_id=…&realm_id=…&identity_id=…&job_id=…&token=…". EMAIL jobs put
// their message in Outbox. SetJobState moves a job to any other state, to
// test code that waits on jobs; jobs also expire by themselves
// BindingLinkLifetime after creation.
//
// # Faults and the request log
//
// InjectFault makes the next requests matching a method and path answer a
// status (with Retry-After if asked), wait, or drop the connection, to test
// retries and timeouts. Requests returns every request received, with
// secrets redacted.
//
// # Fake time
//
// With WithInMemory the server has no listener: Client and HTTPClient reach
// it through an in-memory transport. Such a server works inside a
// testing/synctest bubble, where waits (Retry-After, token and link expiry,
// polling) take no real time. A server on a real socket does not: a bubble
// cannot wait on network I/O.
//
// # Standalone
//
// The command cmd/bifake runs the same fake as a standalone server for
// other processes (a front end, a validating proxy).
//
// # What it serves
//
// Below /v1/tenants/{tenant_id}, with state that the operations share:
//
//   - the tenant and its realms (GetTenant, UpdateTenant, CreateRealm,
//     ListRealms, GetRealm, UpdateRealm, DeleteRealm);
//   - identities (CreateIdentity, ListIdentities, GetIdentity,
//     UpdateIdentity, DeleteIdentity, BatchDeleteIdentities,
//     ListIdentityGroups, ListIdentityRoles);
//   - credential binding jobs, single and batch, and credentials
//     (CreateCredentialBindingJob, ListCredentialBindingJobs,
//     GetCredentialBindingJob, SetCredentialBindingJobRevoked,
//     CreateBatchCredentialBindingJob, GetBatchCredentialBindingJob,
//     ListBatchCredentialBindingJobResults, ListCredentials,
//     GetCredential, RevokeCredential);
//   - authenticator configs (CreateAuthenticatorConfig,
//     ListAuthenticatorConfigs, GetAuthenticatorConfig,
//     UpdateAuthenticatorConfig, DeleteAuthenticatorConfig);
//   - groups and their members (CreateGroup, ListGroups, GetGroup,
//     UpdateGroup, DeleteGroup, AddGroupMembers, DeleteGroupMembers,
//     ListGroupMembers, ListGroupRoles);
//   - resource servers and their roles, with role members and scopes
//     (CreateResourceServer, ListResourceServers, GetResourceServer,
//     UpdateResourceServer, DeleteResourceServer, CreateRole, ListRoles,
//     GetRole, UpdateRole, DeleteRole, AddRoleMembers, DeleteRoleMembers,
//     ListRoleMembers, AddRoleScopes, DeleteRoleScopes, ListRoleScopes);
//   - applications and their tokens (CreateApplication, ListApplications,
//     GetApplication, UpdateApplication, DeleteApplication, ListTokens,
//     RevokeToken);
//   - themes (CreateTheme, GetActiveTheme, GetTheme, UpdateTheme): one
//     theme per realm, which is the active one; a default before;
//   - launch mechanisms (GetFlowTypeConfig, UpdateFlowTypeConfig): one
//     configuration per realm, made with defaults on first use;
//   - identity providers (listIdentityProviders, createIdentityProvider,
//     getIdentityProvider, updateIdentityProvider,
//     deleteIdentityProvider);
//   - SSO configs of every kind (a kind the fake does not know, and any
//     member it does not know, is kept as sent) and their identity and
//     group assignments (CreateSsoConfig, listSsoConfigs, GetSsoConfig,
//     UpdateSsoConfig, DeleteSsoConfig, AddIdentitiesToSsoConfig,
//     DeleteIdentitiesFromSsoConfig, ListIdentitiesForSsoConfig,
//     ListSsoConfigsForIdentity, AddGroupsToSsoConfig,
//     DeleteGroupsFromSsoConfig, ListGroupsForSSOConfig,
//     ListSsoConfigsForGroup, ApplicationIdToSSOConfigId, TestSsoConfig).
//     IdentityToSSOConfigCheck and SSOIsGroupAssigned answer 404, as they
//     do on the API's servers;
//   - SCIM 2.0 (SCIMCreateUser, SCIMListUsers, SCIMGetUser,
//     SCIMUpdateUser, SCIMReplaceUser, SCIMDeleteUser, SCIMCreateGroup,
//     SCIMListGroups, SCIMGetGroup, SCIMUpdateGroup, SCIMDeleteGroup,
//     ListResourceTypes, ListSchemas, GetServiceProviderConfig): flat SCIM
//     resources, PatchOp updates, startIndex/count paging and eq/ne
//     filters. SCIM users are the realm's identities and SCIM groups its
//     groups: a user created through SCIM is an identity, and an identity's
//     groups are its SCIM groups. SCIM calls are not rate limited.
//
// The auth host paths: the token endpoint (client credentials), token
// introspection and revocation, and binding links.
//
// The fake is an independent reading of the API's specification; where it
// had to choose, or where the specification and the API's servers differ,
// its choices are documented in its source.
package beyondidentitytest
