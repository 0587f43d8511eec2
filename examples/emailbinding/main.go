// Command emailbinding binds a passkey through an emailed link: it creates an
// EMAIL credential binding job, so that Beyond Identity emails the binding
// link to the user, and serves the /bind route of the authenticator
// config's Invoke URL, where an opened link lands, with Client.BindHandler.
//
// The page it serves at /bind shows what the front end does next: call the
// Embedded SDK's bindPasskey(window.location.href). It only shows that code;
// it loads no script.
//
// With no configuration it runs offline against the in-process fake of
// beyondidentitytest, whose Invoke URL points at this program's server: it
// reads the email from the fake's outbox, opens the link itself (the fake
// redirects to /bind here), lets the fake play the device with the link the
// handler received, and waits for the job to be COMPLETE:
//
//	go run ./examples/emailbinding
//
// With the BEYOND_IDENTITY_* variables set, it creates the EMAIL job for
// -email, serves /bind on -addr and waits, up to -timeout, for the user to
// open the emailed link. The Invoke URL of the authenticator config must
// reach -addr (for local development, http://localhost:8080 or a tunnel).
//
// Usage:
//
//	emailbinding [-username NAME] [-email ADDRESS] [-addr HOST:PORT] [-timeout 10m] [-v]
//	             [-tenant-id ID -realm-id ID -authenticator-config-id ID ...]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/passkeyhq/beyondidentity/examples/internal/setup"
)

func main() { setup.Main("emailbinding", run) }

// options are the settings of one run besides the API configuration.
type options struct {
	username string
	email    string
	addr     string
	timeout  time.Duration
}

// run parses the command line and the environment, listens on -addr and
// binds a passkey by email, offline against a fresh in-process fake when
// nothing is configured.
func run(ctx context.Context, args []string, env func(string) (string, bool), stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("emailbinding", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.username, "username", "ada.lovelace", "username of the identity to bind a passkey to (created if absent)")
	fs.StringVar(&o.email, "email", "", "email address of a new identity, where the link is sent (offline default: USERNAME@example.com)")
	fs.StringVar(&o.addr, "addr", "", "address to serve /bind on (default: a free loopback port offline, localhost:8080 otherwise)")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "how long to wait for the link to be opened")
	flags := setup.Register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: emailbinding [flags]\n\nBinds a passkey through an emailed link and serves the Invoke URL's /bind route.\nOffline against an in-process fake when no %s* variable is set.\n\n", setup.EnvPrefix)
		fs.PrintDefaults()
	}
	if err := setup.Parse(fs, args); err != nil {
		return err
	}
	if o.timeout <= 0 {
		return errors.New("-timeout must be positive")
	}
	cfg, err := flags.Load(env)
	if err != nil {
		return err
	}
	if o.addr == "" {
		o.addr = "localhost:8080"
		if cfg.Offline() {
			o.addr = "127.0.0.1:0"
		}
	}
	if o.email == "" && cfg.Offline() {
		o.email = o.username + "@example.com"
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	var fake *setup.Fake
	if cfg.Offline() {
		// The fake redirects opened links to {Invoke URL}/bind: here.
		fake = setup.StartFake(cfg.Verbose, beyondidentitytest.WithInvokeURL(baseURL(ln)))
		defer fake.Close()
	}
	return bindByEmail(ctx, o, cfg, fake, ln, stdout, stderr)
}

// baseURL is the origin of the server listening on ln.
func baseURL(ln net.Listener) string {
	return "http://" + ln.Addr().String()
}

// bindByEmail serves /bind on ln and runs the EMAIL flow against the cloud,
// or against fake when it is not nil (then this program also opens the link
// and the fake plays the device).
func bindByEmail(ctx context.Context, o options, cfg setup.Config, fake *setup.Fake, ln net.Listener, stdout, stderr io.Writer) error {
	var (
		c   *beyondidentity.Client
		err error
	)
	if fake != nil {
		fmt.Fprintln(stdout, fake.Announce())
		cfg = fake.Config
		c, err = fake.NewClient(stderr)
	} else {
		fmt.Fprintf(stdout, "Using %s.\n", cfg.Describe())
		c, err = cfg.NewClient(stderr)
	}
	if err != nil {
		return err
	}

	// The Invoke URL's /bind route, served from now on.
	opened := make(chan *beyondidentity.BindingLink, 1)
	srv := &http.Server{Handler: newMux(c, opened), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	base := baseURL(ln)
	fmt.Fprintf(stdout, "Serving the Invoke URL's route at %s/bind.\n", base)

	// 1. Token and authenticator config: its Invoke URL is where opened links
	// land.
	ac, err := c.AuthenticatorConfigs.Get(ctx, cfg.AuthenticatorConfigID)
	if err != nil {
		return fmt.Errorf("reading authenticator config %s: %w", cfg.AuthenticatorConfigID, err)
	}
	invoke := ""
	if e, ok := ac.Config.(*beyondidentity.EmbeddedSettings); ok {
		invoke = e.InvokeURL
	}
	fmt.Fprintf(stdout, "1. Token: OK. Authenticator config %s (%s), Invoke URL %q.\n", ac.ID, ac.Config.AuthenticatorType(), invoke)
	if fake == nil && strings.TrimSuffix(invoke, "/") != base {
		fmt.Fprintf(stdout, "   Opened links go to %s/bind: make sure it reaches %s/bind (a tunnel or a proxy).\n", strings.TrimSuffix(invoke, "/"), base)
	}

	// 2. The identity, with the address the link is sent to.
	id, created, err := findOrCreate(ctx, c, o)
	if err != nil {
		return err
	}
	verb := "created"
	if !created {
		verb = "reusing existing identity"
	}
	fmt.Fprintf(stdout, "2. Identity: %s %s (%s), email %s.\n", verb, id.Traits.Username, id.ID, id.Traits.PrimaryEmailAddress)
	if id.Traits.PrimaryEmailAddress == "" {
		return fmt.Errorf("identity %s has no primary email address to send the link to", id.ID)
	}

	// 3. An EMAIL binding job: Beyond Identity sends the link.
	res, err := c.BindingJobs.Create(ctx, id.ID, &beyondidentity.CreateBindingJobRequest{
		DeliveryMethod:        beyondidentity.DeliveryMethodEmail,
		AuthenticatorConfigID: cfg.AuthenticatorConfigID,
	})
	if err != nil {
		return fmt.Errorf("creating the EMAIL binding job: %w", err)
	}
	job := res.Job
	fmt.Fprintf(stdout, "3. Binding job %s (%s, %s): the link is emailed to %s.\n", job.ID, job.DeliveryMethod, job.State, id.Traits.PrimaryEmailAddress)

	wctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()

	// 4. The user opens the link; Beyond Identity redirects to /bind.
	if fake != nil {
		if err := openEmailedLink(wctx, fake, job.ID, base, stdout); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(stdout, "4. Waiting up to %s for the user to open the emailed link...\n", o.timeout)
	}

	// 5. The handler received the link.
	var link *beyondidentity.BindingLink
	if fake != nil {
		// The page was served: the handler has passed the link on.
		select {
		case link = <-opened:
		case <-time.After(5 * time.Second):
			return errors.New("the /bind page was served, but its handler passed no link on")
		}
	} else {
		select {
		case link = <-opened:
		case <-wctx.Done():
			return giveUp(ctx, c, id.ID, job.ID, o.timeout)
		}
	}
	if link.JobID != job.ID {
		return fmt.Errorf("/bind received a link for job %s, want %s", link.JobID, job.ID)
	}
	fmt.Fprintf(stdout, "5. /bind received the link of identity %s, job %s (BindHandler checked its tenant, realm and api_base_url %s).\n",
		link.IdentityID, link.JobID, link.APIBaseURL)

	if fake == nil {
		// This page only shows the front end's code; your app's page at
		// /bind runs it and the job then turns COMPLETE.
		j, err := c.BindingJobs.Get(ctx, id.ID, job.ID)
		if err != nil {
			return fmt.Errorf("reading the binding job: %w", err)
		}
		fmt.Fprintf(stdout, "Binding job %s is %s. The page at /bind showed the next step: the Embedded SDK's bindPasskey(window.location.href).\n", j.ID, j.State)
		return nil
	}

	// 6. Offline, the fake plays the page's bindPasskey(window.location.href)
	// on the link the handler received.
	if _, err := fake.CompleteBinding(wctx, link.RevealURL()); err != nil {
		return fmt.Errorf("simulating the device: %w", err)
	}
	fmt.Fprintln(stdout, "6. Device: the fake played bindPasskey(window.location.href) on the /bind page's link.")
	done, err := c.BindingJobs.Wait(wctx, id.ID, job.ID, nil)
	if err != nil {
		return fmt.Errorf("waiting for the binding job: %w", err)
	}
	cred, err := c.Credentials.Get(ctx, id.ID, done.CredentialID)
	if err != nil {
		return fmt.Errorf("reading the new passkey: %w", err)
	}
	fmt.Fprintf(stdout, "7. Binding job %s: %s. Passkey %s: state %s.\n", done.ID, done.State, cred.ID, cred.State)
	return nil
}

// openEmailedLink plays the user offline: it reads the job's email in the
// fake's outbox and opens its link, which the fake redirects to this
// program's /bind.
func openEmailedLink(ctx context.Context, fake *setup.Fake, jobID, base string, stdout io.Writer) error {
	var mail *beyondidentitytest.Email
	for _, m := range fake.Outbox() {
		if m.JobID == jobID {
			mail = &m
		}
	}
	if mail == nil {
		return fmt.Errorf("no email for job %s in the fake's outbox", jobID)
	}
	link, err := beyondidentity.ParseBindingLink(mail.Link)
	if err != nil {
		return fmt.Errorf("the emailed link: %w", err)
	}
	fmt.Fprintf(stdout, "4. Outbox: %q to %s, with the binding link of job %s (its token is not shown).\n", mail.Subject, mail.To, link.JobID)

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link.RevealURL(), nil)
	if err != nil {
		return err
	}
	var hops []string
	browser := &http.Client{CheckRedirect: func(r *http.Request, via []*http.Request) error {
		hops = append(hops, r.URL.Scheme+"://"+r.URL.Host+r.URL.Path)
		if len(via) > 5 {
			return errors.New("too many redirects")
		}
		return nil
	}}
	resp, err := browser.Do(req)
	if err != nil {
		return fmt.Errorf("opening the emailed link: %w", redact(err))
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "bindPasskey(window.location.href)") {
		return fmt.Errorf("opening the emailed link: %s after redirects to %q", resp.Status, hops)
	}
	if len(hops) != 1 || hops[0] != base+"/bind" {
		return fmt.Errorf("the emailed link redirected to %q, want %s/bind", hops, base)
	}
	fmt.Fprintf(stdout, "   Opened it: redirected to %s, which served the page (%s).\n", hops[0], resp.Status)
	return nil
}

// redact drops the URL (whose query holds the link's token) from an error
// of net/http's client.
func redact(err error) error {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}

// findOrCreate creates the identity, or finds the existing one when the
// username is taken (409).
func findOrCreate(ctx context.Context, c *beyondidentity.Client, o options) (*beyondidentity.Identity, bool, error) {
	id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
		DisplayName: o.username,
		Traits:      beyondidentity.Traits{Username: o.username, PrimaryEmailAddress: o.email},
	})
	switch {
	case err == nil:
		return id, true, nil
	case !errors.Is(err, beyondidentity.ErrConflict):
		return nil, false, fmt.Errorf("creating identity %q: %w", o.username, err)
	}
	id, err = c.Identities.FindByUsername(ctx, o.username)
	if err != nil {
		return nil, false, fmt.Errorf("username %q is taken, but finding its identity failed: %w", o.username, err)
	}
	return id, false, nil
}

// giveUp revokes a job whose link nobody opened in time, since this server,
// where the link lands, is about to stop.
func giveUp(ctx context.Context, c *beyondidentity.Client, identityID, jobID string, timeout time.Duration) error {
	reason := fmt.Sprintf("the emailed link was not opened within %s", timeout)
	if ctx.Err() != nil {
		reason = "interrupted before the emailed link was opened"
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := c.BindingJobs.Revoke(rctx, identityID, jobID); err != nil {
		return fmt.Errorf("%s; revoking binding job %s failed too: %v", reason, jobID, err)
	}
	return fmt.Errorf("%s; revoked binding job %s", reason, jobID)
}

// newMux serves the /bind route: BindHandler checks the link and hands it to
// the page, which is also sent (once) to opened.
func newMux(c *beyondidentity.Client, opened chan<- *beyondidentity.BindingLink) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/bind", c.BindHandler(func(w http.ResponseWriter, r *http.Request, link *beyondidentity.BindingLink) {
		// No script, style or frame from anywhere: the page only shows code.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := bindPage.Execute(w, link); err != nil {
			return
		}
		select {
		case opened <- link:
		default: // already received one
		}
	}))
	return mux
}

// bindPage is the /bind page. It gets the parsed link, whose printing never
// shows the token: the page's script reads the link from its own URL.
var bindPage = template.Must(template.New("bind").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Bind a passkey</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:1rem;overflow:auto}</style>
</head>
<body>
<h1>Bind a passkey</h1>
<p>This page is the <code>/bind</code> route of the authenticator config's Invoke URL,
where Beyond Identity sends you after you open the emailed link. Its address holds the
binding link for identity <code>{{.IdentityID}}</code> (job <code>{{.JobID}}</code>).</p>
<p>Your front end's page would now run this with the Embedded SDK
(<code>npm install @beyondidentity/bi-sdk-js</code>); this example only shows it:</p>
<pre><code>import { Embedded } from "@beyondidentity/bi-sdk-js";

const embedded = await Embedded.initialize();
if (await embedded.isBindPasskeyUrl(window.location.href)) {
  const { passkey } = await embedded.bindPasskey(window.location.href);
  history.replaceState(null, "", "/bind"); // drop the used token from the address bar and history
  // passkey.id is the new passkey on this device: continue to sign-in,
  // or to the job's post-binding redirect URI.
}</code></pre>
</body>
</html>
`))
