package contract

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// inScope lists the spec's operations the SDK calls, by operationId. The
// suite checks that each exists in the spec with the method the SDK uses,
// drives each one through the proxy, decodes each one's examples from the
// mock, and that exactly one method of the SDK names it in an API: line
// (apilines_test.go). To add an operation: add it here, drive it in a
// proxy_*_test.go and mock_test.go, and give the method its API: line.
var inScope = []string{
	// IdentitiesService
	"CreateIdentity", "ListIdentities", "GetIdentity", "UpdateIdentity", "DeleteIdentity",
	"BatchDeleteIdentities",
	// BindingJobsService (Wait and CreateReturnLink use these too)
	"CreateCredentialBindingJob", "ListCredentialBindingJobs", "GetCredentialBindingJob",
	"SetCredentialBindingJobRevoked", "CreateBatchCredentialBindingJob",
	"GetBatchCredentialBindingJob", "ListBatchCredentialBindingJobResults",
	// CredentialsService
	"ListCredentials", "GetCredential", "RevokeCredential",
	// AuthenticatorConfigsService
	"CreateAuthenticatorConfig", "ListAuthenticatorConfigs", "GetAuthenticatorConfig",
	"UpdateAuthenticatorConfig", "DeleteAuthenticatorConfig",
	// TokensService (Introspect is on the auth host, outside the spec)
	"ListTokens", "RevokeToken",
	// TenantService
	"GetTenant", "UpdateTenant",
	// RealmsService
	"CreateRealm", "ListRealms", "GetRealm", "UpdateRealm", "DeleteRealm",
	// GroupsService
	"CreateGroup", "ListGroups", "GetGroup", "UpdateGroup", "DeleteGroup",
	"AddGroupMembers", "DeleteGroupMembers", "ListGroupMembers", "ListGroupRoles",
	// IdentitiesService.ListGroups and ListRoles
	"ListIdentityGroups", "ListIdentityRoles",
	// SSOConfigsService: the whole tag but IdentityToSSOConfigCheck and
	// SSOIsGroupAssigned (see leftOut)
	"CreateSsoConfig", "listSsoConfigs", "GetSsoConfig", "UpdateSsoConfig", "DeleteSsoConfig",
	"AddIdentitiesToSsoConfig", "DeleteIdentitiesFromSsoConfig", "ListIdentitiesForSsoConfig",
	"AddGroupsToSsoConfig", "DeleteGroupsFromSsoConfig", "ListGroupsForSSOConfig",
	"ListSsoConfigsForIdentity", "ListSsoConfigsForGroup", "ApplicationIdToSSOConfigId",
	"TestSsoConfig",
	// IdentityProvidersService
	"createIdentityProvider", "listIdentityProviders", "getIdentityProvider",
	"updateIdentityProvider", "deleteIdentityProvider",
	// SCIMService (Users, Groups and the discovery resources)
	"SCIMCreateUser", "SCIMListUsers", "SCIMGetUser", "SCIMUpdateUser", "SCIMReplaceUser",
	"SCIMDeleteUser", "SCIMCreateGroup", "SCIMListGroups", "SCIMGetGroup", "SCIMUpdateGroup",
	"SCIMDeleteGroup", "ListResourceTypes", "ListSchemas", "GetServiceProviderConfig",
	// ResourceServersService
	"CreateResourceServer", "ListResourceServers", "GetResourceServer",
	"UpdateResourceServer", "DeleteResourceServer",
	// RolesService
	"CreateRole", "ListRoles", "GetRole", "UpdateRole", "DeleteRole",
	"AddRoleMembers", "DeleteRoleMembers", "ListRoleMembers",
	"AddRoleScopes", "DeleteRoleScopes", "ListRoleScopes",
	// ApplicationsService
	"CreateApplication", "ListApplications", "GetApplication", "UpdateApplication",
	"DeleteApplication",
	// ThemesService
	"CreateTheme", "GetActiveTheme", "GetTheme", "UpdateTheme",
	// FlowTypeConfigService
	"GetFlowTypeConfig", "UpdateFlowTypeConfig",
}

// leftOut lists operations of the spec the SDK leaves out on purpose, with
// the reason. No API: line may name one (see apilines_test.go); the
// API-line check reports them as left out. An operation is in inScope or
// here, never both.
var leftOut = []leftOutOp{
	{"IdentityToSSOConfigCheck", "answers 404 on the live servers"},
	{"SSOIsGroupAssigned", "answers 404 on the live servers"},
}

// leftOutOp is an operation of the spec the SDK does not call, and why.
type leftOutOp struct {
	ID  string // operationId
	Why string
}

// outsideSpec lists the only operations an API: line may name without an
// operationId: the SDK sends them to the auth host and the spec does not
// describe them. The line reads
//
//	API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/introspect (auth host, not in the spec)
var outsideSpec = []outsideOp{
	{"POST", "/v1/tenants/{tenant_id}/realms/{realm_id}/applications/{application_id}/token", "OAuth 2.0 token endpoint (client credentials)"},
	{"POST", "/v1/tenants/{tenant_id}/realms/{realm_id}/introspect", "RFC 7662 token introspection"},
}

// outsideOp is an operation the SDK sends that the spec does not describe.
type outsideOp struct {
	Method string // upper case
	Path   string // template, written like the spec's paths keys
	What   string
}

// specOp is one operation of the spec.
type specOp struct {
	ID     string
	Method string // upper case
	Path   string // template, e.g. /v1/tenants/{tenant_id}/realms/{realm_id}/identities
	re     *regexp.Regexp
	// Query holds the names of the declared query parameters.
	Query map[string]bool
	// Examples lists, per documented status, the names of the JSON examples
	// of the answer ("" for a single unnamed example; none when the answer
	// has no example or no body).
	Examples map[int][]string
}

// spec is the part of the OpenAPI document the suite needs.
type spec struct {
	Path string
	ops  []*specOp
	byID map[string]*specOp
}

// Op returns the operation with the given operationId, or nil.
func (s *spec) Op(id string) *specOp { return s.byID[id] }

// undeclaredQuery returns the names of query parameters of q that op does
// not declare, sorted. Prism lets them pass; the suite does not.
func (op *specOp) undeclaredQuery(q url.Values) []string {
	var out []string
	for name := range q {
		if !op.Query[name] && !strings.HasPrefix(name, "__") { // Prism's own __code, __example
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Match returns the operation serving method and escaped path, or nil. A
// parameter matches one path segment without ':', so that a custom method
// such as identities/{id}:listGroups never passes for identities/{id}.
func (s *spec) Match(method, escapedPath string) *specOp {
	for _, op := range s.ops {
		if op.Method == method && op.re.MatchString(escapedPath) {
			return op
		}
	}
	return nil
}

var paramRE = regexp.MustCompile(`\{[^}]+\}`)

type yamlOperation struct {
	OperationID string                  `yaml:"operationId"`
	Parameters  []yamlParameter         `yaml:"parameters"`
	Responses   map[string]yamlResponse `yaml:"responses"`
}

type yamlParameter struct {
	Ref  string `yaml:"$ref"`
	Name string `yaml:"name"`
	In   string `yaml:"in"`
}

type yamlResponse struct {
	Content map[string]struct {
		Examples map[string]yaml.Node `yaml:"examples"`
		Example  *yaml.Node           `yaml:"example"`
	} `yaml:"content"`
}

// loadSpec reads the operations of the OpenAPI document at path and checks
// that it has every operation in scope.
func loadSpec(path string) (*spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := parseSpec(path, b)
	if err != nil {
		return nil, err
	}
	for _, id := range inScope {
		if s.byID[id] == nil {
			return nil, fmt.Errorf("%s: no operation %s, which the SDK calls", path, id)
		}
	}
	return s, nil
}

// parseSpec reads the operations of the OpenAPI document b, read from path.
func parseSpec(path string, b []byte) (*spec, error) {
	var doc struct {
		OpenAPI    string                          `yaml:"openapi"`
		Paths      map[string]map[string]yaml.Node `yaml:"paths"`
		Components struct {
			Parameters map[string]yamlParameter `yaml:"parameters"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || len(doc.Paths) == 0 {
		return nil, fmt.Errorf("%s: not an OpenAPI 3 document with paths", path)
	}
	s := &spec{Path: path, byID: map[string]*specOp{}}
	const paramRef = "#/components/parameters/"
	resolve := func(ps []yamlParameter) []yamlParameter {
		out := make([]yamlParameter, 0, len(ps))
		for _, p := range ps {
			if name, ok := strings.CutPrefix(p.Ref, paramRef); ok {
				p = doc.Components.Parameters[name]
			}
			out = append(out, p)
		}
		return out
	}
	for p, item := range doc.Paths {
		var shared []yamlParameter
		if n, ok := item["parameters"]; ok {
			if err := n.Decode(&shared); err != nil {
				return nil, fmt.Errorf("parameters of %s: %w", p, err)
			}
		}
		for method, node := range item {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options":
			default:
				continue // parameters, summary, ...
			}
			var yo yamlOperation
			if err := node.Decode(&yo); err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, p, err)
			}
			op := &specOp{ID: yo.OperationID, Method: strings.ToUpper(method), Path: p,
				Query: map[string]bool{}, Examples: map[int][]string{}}
			for _, prm := range resolve(append(append([]yamlParameter{}, shared...), yo.Parameters...)) {
				if prm.In == "query" {
					op.Query[prm.Name] = true
				}
			}
			// Literal parts are quoted; a parameter is one segment without
			// '/' or ':'.
			lits := paramRE.Split(p, -1)
			var re strings.Builder
			re.WriteString("^")
			for i, l := range lits {
				if i > 0 {
					re.WriteString(`[^/:]+`)
				}
				re.WriteString(regexp.QuoteMeta(l))
			}
			re.WriteString("$")
			op.re = regexp.MustCompile(re.String())
			for code, r := range yo.Responses {
				status, err := strconv.Atoi(code)
				if err != nil {
					continue // "default"
				}
				var names []string
				if c, ok := r.Content["application/json"]; ok {
					for name := range c.Examples {
						names = append(names, name)
					}
					sort.Strings(names)
					if len(names) == 0 && c.Example != nil {
						names = []string{""}
					}
				}
				op.Examples[status] = names
			}
			s.ops = append(s.ops, op)
			if op.ID != "" {
				s.byID[op.ID] = op
			}
		}
	}
	// Literal paths first, so that a fixed segment beats a parameter.
	sort.Slice(s.ops, func(i, j int) bool {
		ci, cj := strings.Count(s.ops[i].Path, "{"), strings.Count(s.ops[j].Path, "{")
		if ci != cj {
			return ci < cj
		}
		return s.ops[i].Path+s.ops[i].Method < s.ops[j].Path+s.ops[j].Method
	})
	return s, nil
}

// statuses returns the documented statuses of op with JSON examples, in
// order.
func (op *specOp) statuses() []int {
	var out []int
	for st := range op.Examples {
		out = append(out, st)
	}
	slices.Sort(out)
	return out
}
