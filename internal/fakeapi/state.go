package fakeapi

import (
	"encoding/json"
	"slices"
	"time"
)

// realm holds the resources of one realm, each kind in creation order.
type realm struct {
	id             string
	displayName    string
	classification string
	created        time.Time
	updated        time.Time

	identities []*identity
	identityBy map[string]*identity
	usernames  map[string]*identity // by folded username

	jobs  []*job
	jobBy map[string]*job

	creds  []*credential
	credBy map[string]*credential

	configs  []*authenticatorConfig
	configBy map[string]*authenticatorConfig

	batches map[string]*batch

	groups  []*group
	groupBy map[string]*group

	servers  []*resourceServer
	serverBy map[string]*resourceServer
	roleBy   map[string]*role // the roles of every resource server

	apps []*application // the realm's applications (also in Engine.apps)

	theme    *theme          // the realm's one theme, nil until created
	flowType *flowTypeConfig // nil until first read or written

	idps  []*identityProvider
	idpBy map[string]*identityProvider

	ssos  []*ssoConfig
	ssoBy map[string]*ssoConfig
}

func newRealm(id, name string, now time.Time) *realm {
	return &realm{
		id: id, displayName: name, created: now, updated: now,
		groupBy:    map[string]*group{},
		serverBy:   map[string]*resourceServer{},
		roleBy:     map[string]*role{},
		identityBy: map[string]*identity{},
		usernames:  map[string]*identity{},
		jobBy:      map[string]*job{},
		credBy:     map[string]*credential{},
		configBy:   map[string]*authenticatorConfig{},
		batches:    map[string]*batch{},
		idpBy:      map[string]*identityProvider{},
		ssoBy:      map[string]*ssoConfig{},
	}
}

type identity struct {
	id          string
	displayName string
	status      string
	// traits holds every trait but "type", each as raw JSON (known traits
	// are strings; unknown ones are kept as sent).
	traits  map[string]json.RawMessage
	created time.Time
	updated time.Time
	jobs    []*job
	creds   []*credential
}

func (i *identity) trait(name string) string {
	raw, ok := i.traits[name]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

func (i *identity) username() string { return i.trait("username") }
func (i *identity) email() string    { return i.trait("primary_email_address") }

// Binding job states.
const (
	StateLinkSent         = "LINK_SENT"
	StateLinkOpened       = "LINK_OPENED"
	StateRequestDelivered = "REQUEST_DELIVERED"
	StateComplete         = "COMPLETE"
	StateExpired          = "EXPIRED"
	StateFailedToSend     = "FAILED_TO_SEND"
	StateRevoked          = "REVOKED"
)

// JobStates lists every binding job state.
var JobStates = []string{StateLinkSent, StateLinkOpened, StateRequestDelivered, StateComplete, StateExpired, StateFailedToSend, StateRevoked}

func pendingState(s string) bool {
	return s == StateLinkSent || s == StateLinkOpened || s == StateRequestDelivered
}

type job struct {
	id          string
	identityID  string
	realmID     string
	credID      string
	batchID     string
	delivery    string
	state       string
	redirectURI string
	configID    string
	inline      *configValue // inline authenticator_config.config
	invokeURL   string       // of an embedded config, "" otherwise
	token       string       // the link's one-time token
	created     time.Time
	updated     time.Time
	expires     time.Time
}

// refresh moves a pending job whose link has expired to EXPIRED.
func (j *job) refresh(now time.Time) {
	if pendingState(j.state) && !now.Before(j.expires) {
		j.state = StateExpired
		j.updated = j.expires
	}
}

type credential struct {
	id         string
	identityID string
	realmID    string
	state      string
	csrType    string
	jwkJSON    string
	thumbprint string
	created    time.Time
	updated    time.Time
}

type authenticatorConfig struct {
	id          string
	realmID     string
	displayName string
	config      configValue
	created     time.Time
}

type batch struct {
	id          string
	realmID     string
	identityIDs []string
	configID    string
	inline      *configValue
	redirectURI string
	errors      map[string]string // identity ID → last error
	jobs        []*job
	created     time.Time
	updated     time.Time
	expires     time.Time
}

func (r *realm) addIdentity(i *identity) {
	r.identities = append(r.identities, i)
	r.identityBy[i.id] = i
	r.usernames[foldUsername(i.username())] = i
}

// removeIdentities deletes identities and everything bound to them.
func (r *realm) removeIdentities(ids map[string]bool) {
	for id := range ids {
		i := r.identityBy[id]
		if i == nil {
			continue
		}
		delete(r.identityBy, id)
		delete(r.usernames, foldUsername(i.username()))
		for _, j := range i.jobs {
			delete(r.jobBy, j.id)
		}
		for _, c := range i.creds {
			delete(r.credBy, c.id)
		}
	}
	r.identities = slices.DeleteFunc(r.identities, func(i *identity) bool { return ids[i.id] })
	r.jobs = slices.DeleteFunc(r.jobs, func(j *job) bool { return ids[j.identityID] })
	r.creds = slices.DeleteFunc(r.creds, func(c *credential) bool { return ids[c.identityID] })
	// The spec declares no 409 for DeleteIdentity or BatchDeleteIdentities
	// (unlike DeleteGroup and DeleteRole, which refuse while they have
	// members): a deleted identity leaves its groups, its roles and its
	// SSO configs.
	for _, g := range r.groups {
		g.members.remove(ids)
	}
	for _, s := range r.servers {
		for _, rl := range s.roles {
			rl.identities.remove(ids)
		}
	}
	for _, s := range r.ssos {
		s.identities.remove(ids)
	}
}

func (r *realm) addJob(i *identity, j *job) {
	r.jobs = append(r.jobs, j)
	r.jobBy[j.id] = j
	i.jobs = append(i.jobs, j)
}

func (r *realm) addCredential(i *identity, c *credential) {
	r.creds = append(r.creds, c)
	r.credBy[c.id] = c
	i.creds = append(i.creds, c)
}

func (r *realm) addConfig(c *authenticatorConfig) {
	r.configs = append(r.configs, c)
	r.configBy[c.id] = c
}

func (r *realm) removeConfig(id string) {
	delete(r.configBy, id)
	r.configs = slices.DeleteFunc(r.configs, func(c *authenticatorConfig) bool { return c.id == id })
}

// pendingBatchJobs counts the jobs created by batches that are still pending:
// the realm's batch queue.
func (r *realm) pendingBatchJobs(now time.Time) int {
	n := 0
	for _, j := range r.jobs {
		j.refresh(now)
		if j.batchID != "" && pendingState(j.state) {
			n++
		}
	}
	return n
}

// idSet is a set of IDs (or scopes) that keeps the order of insertion, the
// order the fake lists them in.
type idSet struct {
	ids []string
	has map[string]bool
}

func (s *idSet) len() int { return len(s.ids) }

// add adds id unless present and reports whether it was added.
func (s *idSet) add(id string) bool {
	if s.has[id] {
		return false
	}
	if s.has == nil {
		s.has = map[string]bool{}
	}
	s.has[id] = true
	s.ids = append(s.ids, id)
	return true
}

// remove removes every ID of ids that is present.
func (s *idSet) remove(ids map[string]bool) {
	n := 0
	for id := range ids {
		if s.has[id] {
			delete(s.has, id)
			n++
		}
	}
	if n > 0 {
		s.ids = slices.DeleteFunc(s.ids, func(id string) bool { return ids[id] })
	}
}

type group struct {
	id          string
	displayName string
	description string
	created     time.Time
	updated     time.Time
	members     idSet // identity IDs
}

type resourceServer struct {
	id          string
	displayName string
	identifier  string
	scopes      []string
	managed     bool
	roles       []*role
}

type role struct {
	id          string
	serverID    string
	displayName string
	description string
	created     time.Time
	updated     time.Time
	scopes      idSet
	groups      idSet // group IDs
	identities  idSet // identity IDs
}

func (r *realm) addGroup(g *group) {
	r.groups = append(r.groups, g)
	r.groupBy[g.id] = g
}

// removeGroup deletes a group, its role assignments and its SSO config
// assignments.
func (r *realm) removeGroup(g *group) {
	delete(r.groupBy, g.id)
	r.groups = slices.DeleteFunc(r.groups, func(x *group) bool { return x == g })
	gone := map[string]bool{g.id: true}
	for _, s := range r.servers {
		for _, rl := range s.roles {
			rl.groups.remove(gone)
		}
	}
	for _, s := range r.ssos {
		s.groups.remove(gone)
	}
}

func (r *realm) addServer(s *resourceServer) {
	r.servers = append(r.servers, s)
	r.serverBy[s.id] = s
}

// removeServer deletes a resource server and its roles.
func (r *realm) removeServer(s *resourceServer) {
	delete(r.serverBy, s.id)
	r.servers = slices.DeleteFunc(r.servers, func(x *resourceServer) bool { return x == s })
	for _, rl := range s.roles {
		delete(r.roleBy, rl.id)
	}
}

func (r *realm) addRole(s *resourceServer, rl *role) {
	s.roles = append(s.roles, rl)
	r.roleBy[rl.id] = rl
}

func (r *realm) removeRole(s *resourceServer, rl *role) {
	delete(r.roleBy, rl.id)
	s.roles = slices.DeleteFunc(s.roles, func(x *role) bool { return x == rl })
}

// roleCount counts the roles of every resource server of the realm.
func (r *realm) roleCount() int { return len(r.roleBy) }
