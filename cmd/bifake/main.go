// Command bifake runs the fake Beyond Identity v1 API of beyondidentitytest
// as a standalone HTTP server, for processes that are not Go tests: a front
// end under development, a validating proxy, a contract test suite.
//
// It serves the API host and the auth host paths on one origin and prints
// one JSON line on standard output with its URL and the seeded tenant:
//
//	{"url":"http://127.0.0.1:41234","tenant_id":"0001…","admin_realm_id":"…",
//	 "realm_id":"…","application_id":"…","client_id":"…","client_secret":"…",
//	 "authenticator_config_id":"…","invoke_url":"http://localhost:3000"}
//
// It stops cleanly on SIGINT or SIGTERM.
//
// Two endpoints outside the API play the parts the in-process fake offers as
// Go methods, for tests in other processes:
//
//	POST /bifake/complete-binding {"link": "…"}  the device binds a passkey
//	     (CompleteBinding): answers the new credential_id, job_id, …
//	POST /bifake/job-state {"job_id": "…", "state": "EXPIRED"}  (SetJobState)
//
// Usage:
//
//	bifake [-addr 127.0.0.1:0] [-seed N] [-invoke-url URL] [-trusted-origins a,b]
//	       [-token-lifetime 2160h] [-client-id ID -client-secret SECRET]
//	       [-batch-queue-limit 1000] [-public-url URL] [-log]
//
// The fake keeps everything in memory and is meant for development and
// tests only: its tokens are signed with a random key and it serves plain
// HTTP.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/passkeyhq/beyondidentity/internal/fakeapi"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "bifake:", err)
		os.Exit(1)
	}
}

// info is the line bifake prints once it is listening.
type info struct {
	URL                   string `json:"url"`
	TenantID              string `json:"tenant_id"`
	AdminRealmID          string `json:"admin_realm_id"`
	RealmID               string `json:"realm_id"`
	ApplicationID         string `json:"application_id"`
	ClientID              string `json:"client_id"`
	ClientSecret          string `json:"client_secret"`
	AuthenticatorConfigID string `json:"authenticator_config_id"`
	InvokeURL             string `json:"invoke_url"`
}

// run serves until ctx is done, then shuts the server down.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bifake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on (port 0 picks a free port)")
	seed := fs.Uint64("seed", 0, "seed for reproducible IDs and client credentials (random when not set)")
	invokeURL := fs.String("invoke-url", fakeapi.DefaultInvokeURL, "Invoke URL of the seeded embedded authenticator config")
	origins := fs.String("trusted-origins", "", "comma-separated trusted origins of the seeded config (default: the Invoke URL's origin)")
	lifetime := fs.Duration("token-lifetime", fakeapi.DefaultTokenLifetime, "lifetime of access tokens")
	clientID := fs.String("client-id", "", "client ID of the Management API application (random when empty)")
	clientSecret := fs.String("client-secret", "", "client secret of the Management API application (random when empty)")
	queue := fs.Int("batch-queue-limit", fakeapi.DefaultBatchQueueLimit, "pending batch binding jobs allowed per realm")
	publicURL := fs.String("public-url", "", "origin to put in binding links and token issuers (default: the listening address)")
	logRequests := fs.Bool("log", false, "log each request (method, path, status; no secrets) on standard error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	seeded := false
	fs.Visit(func(f *flag.Flag) { seeded = seeded || f.Name == "seed" })

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	origin := *publicURL
	if origin == "" {
		origin = "http://" + displayAddr(ln.Addr().(*net.TCPAddr))
	}
	cfg := fakeapi.Config{
		Seed: *seed, Seeded: seeded, TokenLifetime: *lifetime, InvokeURL: *invokeURL,
		ClientID: *clientID, ClientSecret: *clientSecret, BatchQueueLimit: *queue, Origin: origin,
	}
	if *origins != "" {
		cfg.TrustedOrigins = strings.Split(*origins, ",")
	}
	e := fakeapi.New(cfg)
	h := deviceHandler(e, e)
	if *logRequests {
		h = logHandler(h, log.New(stderr, "bifake: ", log.LstdFlags))
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	s := e.Seeded()
	line, _ := json.Marshal(info{
		URL: e.Origin(), TenantID: s.TenantID, AdminRealmID: s.AdminRealmID, RealmID: s.RealmID,
		ApplicationID: s.ApplicationID, ClientID: s.ClientID, ClientSecret: s.ClientSecret,
		AuthenticatorConfigID: s.AuthenticatorConfigID, InvokeURL: *invokeURL,
	})
	if _, err := fmt.Fprintf(stdout, "%s\n", line); err != nil {
		_ = srv.Close()
		return err
	}

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		_ = srv.Close()
		return err
	}
	return nil
}

// displayAddr replaces an unspecified listening IP (0.0.0.0, ::) with the
// loopback address, so the printed URL can be used as is.
func displayAddr(a *net.TCPAddr) string {
	ip := a.IP
	if ip == nil || ip.IsUnspecified() {
		if ip != nil && ip.To4() == nil {
			ip = net.IPv6loopback
		} else {
			ip = net.IPv4(127, 0, 0, 1)
		}
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))
}

// logHandler logs the method, escaped path and status of each request. The
// path holds no secrets; the query, which may (a binding link's token), is
// not logged.
func logHandler(h http.Handler, l *log.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				l.Printf("%s %s dropped", r.Method, r.URL.EscapedPath())
				panic(p)
			}
			l.Printf("%s %s %d", r.Method, r.URL.EscapedPath(), rw.status)
		}()
		h.ServeHTTP(rw, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
