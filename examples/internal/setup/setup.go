// Package setup holds what the example programs share: their configuration
// (command-line flags and BEYOND_IDENTITY_* environment variables), the
// client they build from it, and the in-process fake they fall back to when
// nothing is configured.
//
// The rule every example follows: with no setting at all, it runs offline
// against beyondidentitytest and says so on its first line; with some
// settings but not all that are needed, it fails and names the missing ones.
// A variable that is set but empty is an error naming it, not "nothing
// set": it never falls back to the fake silently.
package setup

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
)

// EnvPrefix starts the name of every environment variable the examples read.
const EnvPrefix = "BEYOND_IDENTITY_"

// Config is the configuration of an example, from flags and the environment.
type Config struct {
	TenantID              string
	RealmID               string
	Region                string
	AdminRealmID          string
	ApplicationID         string
	ClientID              string
	ClientSecret          string // secret: never printed
	APIToken              string // secret: never printed
	AuthenticatorConfigID string
	// APIURL and AuthURL replace the hosts of Region, for a proxy or a
	// standalone fake (cmd/bifake), which serves both on one origin.
	APIURL  string
	AuthURL string

	// Verbose logs every API request (method, URL, status; never a secret
	// or a body) on the program's standard error.
	Verbose bool
}

// A setting is one configuration value: its environment variable (without
// the prefix) and, unless it is a secret, its flag.
type setting struct {
	env   string
	flag  string // "" for secrets: a command line shows in ps and shell history
	usage string
	field func(*Config) *string
}

var settings = []setting{
	{"TENANT_ID", "tenant-id", "tenant ID", func(c *Config) *string { return &c.TenantID }},
	{"REALM_ID", "realm-id", "ID of the realm that holds the identities", func(c *Config) *string { return &c.RealmID }},
	{"REGION", "region", "region: " + strings.Join(Regions, ", ") + " (default " + Regions[0] + ")", func(c *Config) *string { return &c.Region }},
	{"ADMIN_REALM_ID", "admin-realm-id", "ID of the Admin realm, which holds the Management API application", func(c *Config) *string { return &c.AdminRealmID }},
	{"APPLICATION_ID", "application-id", "ID of the Management API application", func(c *Config) *string { return &c.ApplicationID }},
	{"CLIENT_ID", "client-id", "client ID of the Management API application", func(c *Config) *string { return &c.ClientID }},
	{"CLIENT_SECRET", "", "", func(c *Config) *string { return &c.ClientSecret }},
	{"API_TOKEN", "", "", func(c *Config) *string { return &c.APIToken }},
	{"AUTHENTICATOR_CONFIG_ID", "authenticator-config-id", "ID of the embedded authenticator config that binding jobs use", func(c *Config) *string { return &c.AuthenticatorConfigID }},
	{"API_URL", "api-url", "base URL of the API host, instead of the region's (a proxy, cmd/bifake)", func(c *Config) *string { return &c.APIURL }},
	{"AUTH_URL", "auth-url", "base URL of the auth host, instead of the region's (a proxy, cmd/bifake)", func(c *Config) *string { return &c.AuthURL }},
}

// Regions are the values BEYOND_IDENTITY_REGION and -region accept (in any
// case), the default first.
var Regions = []string{
	string(beyondidentity.RegionUS), string(beyondidentity.RegionEU), string(beyondidentity.RegionUSGov),
}

// EnvNames returns the names of every environment variable the examples
// read, for tests and scripts that need a clean environment.
func EnvNames() []string {
	names := make([]string, len(settings))
	for i, s := range settings {
		names[i] = EnvPrefix + s.env
	}
	return names
}

// Flags holds the configuration flags registered on a flag.FlagSet.
type Flags struct {
	fs      *flag.FlagSet
	values  map[string]*string
	verbose *bool
	// NoAuthenticatorConfig makes BEYOND_IDENTITY_AUTHENTICATOR_CONFIG_ID
	// optional, for examples that bind no passkey.
	NoAuthenticatorConfig bool
}

// Register registers the configuration flags on fs. Call Load after
// fs.Parse.
func Register(fs *flag.FlagSet) *Flags {
	f := &Flags{fs: fs, values: map[string]*string{}}
	for _, s := range settings {
		if s.flag != "" {
			f.values[s.flag] = fs.String(s.flag, "", s.usage+" (env "+EnvPrefix+s.env+")")
		}
	}
	f.verbose = fs.Bool("v", false, "log every API request (method, URL, status; no secrets) on standard error")
	return f
}

// Load reads the configuration; lookupEnv is os.LookupEnv or a stand-in.
// A flag that was set wins over its environment variable. With nothing
// set, the configuration is Offline. A variable or flag that is set but
// empty (or blank) is an error naming it. Otherwise the configuration must
// be complete and valid: Load fails with a one-line error naming what is
// missing or wrong.
func (f *Flags) Load(lookupEnv func(string) (string, bool)) (Config, error) {
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	var c Config
	var empty []string
	for _, s := range settings {
		v, ok := lookupEnv(EnvPrefix + s.env)
		what := EnvPrefix + s.env
		if s.flag != "" && set[s.flag] {
			v, ok, what = *f.values[s.flag], true, "-"+s.flag
		}
		v = strings.TrimSpace(v)
		if ok && v == "" {
			empty = append(empty, what)
		}
		*s.field(&c) = v
	}
	c.Verbose = *f.verbose
	if len(empty) > 0 {
		return c, fmt.Errorf("configuration: %s set but empty: give a value, or unset it (unset every %s* variable to run offline against the in-process fake)",
			strings.Join(empty, ", "), EnvPrefix)
	}
	return c, c.check(!f.NoAuthenticatorConfig)
}

// Offline reports whether nothing is configured: the examples then run
// against the in-process fake.
func (c Config) Offline() bool {
	for _, s := range settings {
		if *s.field(&c) != "" {
			return false
		}
	}
	return true
}

// name names a setting in messages: its variable, and its flag if any.
func name(env string) string {
	for _, s := range settings {
		if s.env == env && s.flag != "" {
			return EnvPrefix + env + " (-" + s.flag + ")"
		}
	}
	return EnvPrefix + env
}

// check reports a partial configuration, naming every missing setting.
func (c Config) check(needConfig bool) error {
	if c.Offline() {
		return nil
	}
	var missing []string
	need := func(v, env string) {
		if v == "" {
			missing = append(missing, name(env))
		}
	}
	need(c.TenantID, "TENANT_ID")
	need(c.RealmID, "REALM_ID")
	if needConfig {
		need(c.AuthenticatorConfigID, "AUTHENTICATOR_CONFIG_ID")
	}
	switch {
	case c.APIToken != "" && (c.ClientID != "" || c.ClientSecret != ""):
		return errors.New("configuration: set either " + EnvPrefix + "API_TOKEN or the client credentials (" +
			EnvPrefix + "CLIENT_ID, " + EnvPrefix + "CLIENT_SECRET), not both")
	case c.APIToken == "" && c.AdminRealmID == "" && c.ApplicationID == "" && c.ClientID == "" && c.ClientSecret == "":
		missing = append(missing, "credentials: "+EnvPrefix+"API_TOKEN, or "+EnvPrefix+"ADMIN_REALM_ID, "+
			EnvPrefix+"APPLICATION_ID, "+EnvPrefix+"CLIENT_ID and "+EnvPrefix+"CLIENT_SECRET")
	case c.APIToken == "":
		need(c.AdminRealmID, "ADMIN_REALM_ID")
		need(c.ApplicationID, "APPLICATION_ID")
		need(c.ClientID, "CLIENT_ID")
		need(c.ClientSecret, "CLIENT_SECRET")
	}
	if (c.APIURL == "") != (c.AuthURL == "") {
		if c.APIURL == "" {
			need("", "API_URL")
		} else {
			need("", "AUTH_URL")
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("incomplete configuration, missing %s (or unset every %s* variable to run offline against the in-process fake)",
			strings.Join(missing, ", "), EnvPrefix)
	}
	if c.Region != "" && !slices.Contains(Regions, strings.ToLower(c.Region)) {
		return fmt.Errorf("configuration: unknown region %q in %s: use %s", c.Region, name("REGION"), regionChoice())
	}
	if c.Region != "" && c.APIURL != "" {
		return errors.New("configuration: " + name("REGION") + " and " + name("API_URL") + " exclude each other: set " +
			regionChoice() + ", or the two base URLs")
	}
	return nil
}

// regionChoice says which values the region takes: BEYOND_IDENTITY_REGION=us|eu|us-gov.
func regionChoice() string {
	return EnvPrefix + "REGION=" + strings.Join(Regions, "|")
}

// NewClient builds the client the configuration describes. NewClient does no
// I/O; the first call fetches the first token. When Verbose is set, requests
// are logged on logTo. extra options are applied last.
func (c Config) NewClient(logTo io.Writer, extra ...beyondidentity.Option) (*beyondidentity.Client, error) {
	opts := []beyondidentity.Option{
		beyondidentity.WithTenant(c.TenantID),
		beyondidentity.WithRealm(c.RealmID),
		beyondidentity.WithUserAgent("beyondidentity-go-examples"),
	}
	if c.Region != "" {
		opts = append(opts, beyondidentity.WithRegion(beyondidentity.Region(strings.ToLower(c.Region))))
	}
	if c.APIURL != "" {
		opts = append(opts, beyondidentity.WithBaseURLs(c.APIURL, c.AuthURL))
	}
	if c.APIToken != "" {
		opts = append(opts, beyondidentity.WithAPIToken(c.APIToken))
	} else {
		opts = append(opts, beyondidentity.WithClientCredentials(beyondidentity.ClientCredentials{
			RealmID: c.AdminRealmID, ApplicationID: c.ApplicationID, ClientID: c.ClientID, ClientSecret: beyondidentity.NewSecret(c.ClientSecret),
		}))
	}
	if c.Verbose && logTo != nil {
		opts = append(opts, beyondidentity.WithLogger(slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	return beyondidentity.NewClient(append(opts, extra...)...)
}

// Describe says in one line where the configuration points and how it
// authenticates, without any secret.
func (c Config) Describe() string {
	where := "region " + c.Region
	switch {
	case c.APIURL != "":
		where = "API " + c.APIURL + ", auth " + c.AuthURL
	case c.Region == "":
		where = "region us"
	}
	auth := "an API token"
	if c.APIToken == "" {
		auth = "the client credentials of application " + c.ApplicationID
	}
	return fmt.Sprintf("Beyond Identity tenant %s, realm %s (%s), authenticating with %s", c.TenantID, c.RealmID, where, auth)
}

// Fake is the in-process fake an example runs against when nothing is
// configured, with the configuration that reaches it.
type Fake struct {
	*beyondidentitytest.Server
	Config Config
}

// StartFake starts an in-process fake (on a loopback port, or in memory with
// beyondidentitytest.WithInMemory) and returns it with the configuration of
// its seeded tenant: the same settings a real tenant needs, so the examples
// build their client the same way in both cases. Close it when done.
func StartFake(verbose bool, opts ...beyondidentitytest.Option) *Fake {
	return FakeFor(beyondidentitytest.NewServer(opts...), verbose)
}

// FakeFor wraps a running fake, for tests that share one across runs.
func FakeFor(srv *beyondidentitytest.Server, verbose bool) *Fake {
	cc := srv.ClientCredentials()
	return &Fake{Server: srv, Config: Config{
		TenantID:              srv.TenantID(),
		RealmID:               srv.RealmID(),
		AdminRealmID:          cc.RealmID,
		ApplicationID:         cc.ApplicationID,
		ClientID:              cc.ClientID,
		ClientSecret:          cc.ClientSecret.Reveal(),
		AuthenticatorConfigID: srv.AuthenticatorConfigID(),
		APIURL:                srv.URL(),
		AuthURL:               srv.URL(),
		Verbose:               verbose,
	}}
}

// NewClient returns a client for the fake's user realm, built from its
// configuration like a client for the cloud, sending through the fake's
// HTTP client (which reaches an in-memory fake too).
func (f *Fake) NewClient(logTo io.Writer, extra ...beyondidentity.Option) (*beyondidentity.Client, error) {
	return f.Config.NewClient(logTo, append([]beyondidentity.Option{beyondidentity.WithHTTPClient(f.HTTPClient())}, extra...)...)
}

// Announce is the first line an example prints when it runs offline.
func (f *Fake) Announce() string {
	where := f.URL()
	if where == beyondidentitytest.PlaceholderURL {
		where = "in memory"
	} else {
		where = "at " + where
	}
	return fmt.Sprintf("Offline: no %s* variable is set, so this runs against the in-process fake Beyond Identity API (beyondidentitytest) %s.", EnvPrefix, where)
}
