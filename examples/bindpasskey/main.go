// Command bindpasskey binds a passkey to a user with the Beyond Identity v1
// API: the "Bind Passkey by API" flow, the server half of passkey
// registration.
//
// It gets an access token, creates the user's identity (or finds it when the
// username is taken), creates a RETURN credential binding job, prints the
// binding link, the link a front end passes to the Embedded SDK's
// bindPasskey(link), then waits for the job to be COMPLETE and prints the new
// passkey.
//
// With no configuration it runs offline against the in-process fake of
// beyondidentitytest, which also plays the device, and says so on its first
// line:
//
//	go run ./examples/bindpasskey
//
// With the BEYOND_IDENTITY_* variables set (see the README's table) it runs
// against your tenant, prints the link and waits, up to -timeout, for you to
// open it with an app that runs the Embedded SDK on a device. If it gives up,
// it revokes the job, so the printed link stops working.
//
// The binding link is the only secret it prints, because handing it over is
// the point; the client secret and API token are never printed.
//
// Usage:
//
//	bindpasskey [-username NAME] [-email ADDRESS] [-display-name NAME] [-timeout 10m] [-v]
//	            [-tenant-id ID -realm-id ID -authenticator-config-id ID ...]
package main

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/examples/internal/setup"
)

func main() { setup.Main("bindpasskey", run) }

// options are the settings of one run besides the API configuration.
type options struct {
	username    string
	email       string
	displayName string
	timeout     time.Duration
}

// run parses the command line and the environment and binds a passkey,
// offline against a fresh in-process fake when nothing is configured.
func run(ctx context.Context, args []string, env func(string) (string, bool), stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bindpasskey", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.username, "username", "ada.lovelace", "username of the identity to bind a passkey to (created if absent)")
	fs.StringVar(&o.email, "email", "", "primary email address of a new identity (optional)")
	fs.StringVar(&o.displayName, "display-name", "", "display name of a new identity (default: the username)")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "how long to wait for the passkey to be bound")
	flags := setup.Register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: bindpasskey [flags]\n\nBinds a passkey to a user. Offline against an in-process fake when no %s* variable is set.\nSecrets come from %sCLIENT_SECRET or %sAPI_TOKEN only, never from flags.\n\n", setup.EnvPrefix, setup.EnvPrefix, setup.EnvPrefix)
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
	var fake *setup.Fake
	if cfg.Offline() {
		fake = setup.StartFake(cfg.Verbose)
		defer fake.Close()
	}
	return bind(ctx, o, cfg, fake, stdout, stderr)
}

// bind runs the flow against the cloud, or against fake when it is not nil
// (then the fake also plays the device).
func bind(ctx context.Context, o options, cfg setup.Config, fake *setup.Fake, stdout, stderr io.Writer) error {
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

	// 1. The first call fetches the access token; reading the authenticator
	// config checks the credentials and the config ID before anything is
	// created.
	ac, err := c.AuthenticatorConfigs.Get(ctx, cfg.AuthenticatorConfigID)
	if err != nil {
		return fmt.Errorf("reading authenticator config %s: %w", cfg.AuthenticatorConfigID, err)
	}
	fmt.Fprintf(stdout, "1. Token: OK. Authenticator config %s (%s)%s.\n", ac.ID, ac.Config.AuthenticatorType(), invokeURL(ac))

	// 2. The identity: created, or found when its username is taken (409).
	id, created, err := findOrCreate(ctx, c, &beyondidentity.CreateIdentityRequest{
		DisplayName: firstNonEmpty(o.displayName, o.username),
		Traits:      beyondidentity.Traits{Username: o.username, PrimaryEmailAddress: o.email},
	})
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(stdout, "2. Identity: created %s (%s).\n", id.Traits.Username, id.ID)
	} else {
		fmt.Fprintf(stdout, "2. Identity: %s already exists (%s); reusing it.\n", id.Traits.Username, id.ID)
	}

	// 3. A RETURN binding job: the API hands the binding link back.
	res, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, cfg.AuthenticatorConfigID, nil)
	if err != nil {
		return fmt.Errorf("creating the binding job: %w", err)
	}
	job := res.Job
	fmt.Fprintf(stdout, "3. Binding job: %s (%s, %s, link valid until %s).\n",
		job.ID, job.DeliveryMethod, job.State, job.ExpireTime.UTC().Format(time.RFC3339))

	// 4. The binding link, the one secret this program prints: whoever holds
	// it can bind a passkey to the identity.
	link, err := beyondidentity.ParseBindingLink(res.Link.Reveal())
	if err != nil {
		return fmt.Errorf("the API returned an unexpected binding link: %w", err)
	}
	fmt.Fprintf(stdout, "4. Binding link (a one-time secret: give it only to %s's own browser or app, which calls the Embedded SDK's bindPasskey(link)):\n   %s\n",
		id.Traits.Username, link.RevealURL())

	// 5. The device binds the passkey.
	wctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	if fake != nil {
		if _, err := fake.CompleteBinding(wctx, link.RevealURL()); err != nil {
			return fmt.Errorf("simulating the device: %w", err)
		}
		fmt.Fprintln(stdout, "5. Device: the fake played the Embedded SDK's bindPasskey(link) and created an EC P-256 passkey.")
	} else {
		fmt.Fprintf(stdout, "5. Device: waiting up to %s for the passkey to be bound with this link on a device...\n", o.timeout)
	}

	// 6. Wait for the job to be COMPLETE.
	last := job.State
	done, err := c.BindingJobs.Wait(wctx, id.ID, job.ID, &beyondidentity.WaitOptions{
		OnUpdate: func(j *beyondidentity.BindingJob) {
			if j.State != last && !j.State.IsTerminal() {
				fmt.Fprintf(stdout, "   job %s: %s\n", j.ID, j.State)
			}
			last = j.State
		},
	})
	if err != nil {
		if ctx.Err() != nil || wctx.Err() != nil {
			return giveUp(ctx, c, id.ID, job.ID, o.timeout, err)
		}
		return fmt.Errorf("waiting for the binding job: %w", err)
	}
	fmt.Fprintf(stdout, "6. Binding job %s: %s.\n", done.ID, done.State)

	// 7. The new passkey.
	cred, err := c.Credentials.Get(ctx, id.ID, done.CredentialID)
	if err != nil {
		return fmt.Errorf("reading the new passkey: %w", err)
	}
	key, err := cred.PublicKey()
	if err != nil {
		return fmt.Errorf("passkey %s: %w", cred.ID, err)
	}
	fmt.Fprintf(stdout, "Passkey %s: state %s, key %s, bound to %s (%s).\n", cred.ID, cred.State, keyType(key), id.Traits.Username, id.ID)
	return nil
}

// findOrCreate creates an identity, or finds the existing one when the
// username is taken: the API answers 409, and a username is unique within
// a realm. created reports which happened.
func findOrCreate(ctx context.Context, c *beyondidentity.Client, req *beyondidentity.CreateIdentityRequest) (id *beyondidentity.Identity, created bool, err error) {
	id, err = c.Identities.Create(ctx, req)
	switch {
	case err == nil:
		return id, true, nil
	case !errors.Is(err, beyondidentity.ErrConflict):
		return nil, false, fmt.Errorf("creating identity %q: %w", req.Traits.Username, err)
	}
	id, err = c.Identities.FindByUsername(ctx, req.Traits.Username)
	if err != nil {
		return nil, false, fmt.Errorf("username %q is taken, but finding its identity failed: %w", req.Traits.Username, err)
	}
	return id, false, nil
}

// giveUp revokes a job nobody completed in time, so that the printed link
// stops working, and explains what happened.
func giveUp(ctx context.Context, c *beyondidentity.Client, identityID, jobID string, timeout time.Duration, waitErr error) error {
	reason := fmt.Sprintf("no passkey was bound within %s", timeout)
	if ctx.Err() != nil {
		reason = "interrupted before a passkey was bound"
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := c.BindingJobs.Revoke(rctx, identityID, jobID); err != nil {
		return fmt.Errorf("%s (%v); revoking binding job %s failed too, its link stays valid until it expires: %v", reason, waitErr, jobID, err)
	}
	return fmt.Errorf("%s (%v); revoked binding job %s, so the printed link no longer works", reason, waitErr, jobID)
}

// invokeURL describes the Invoke URL of an embedded authenticator config.
func invokeURL(ac *beyondidentity.AuthenticatorConfig) string {
	if e, ok := ac.Config.(*beyondidentity.EmbeddedSettings); ok && e.InvokeURL != "" {
		return ", Invoke URL " + e.InvokeURL
	}
	return ""
}

// keyType names a passkey's public key: "EC P-256", "RSA 2048", "Ed25519".
func keyType(k crypto.PublicKey) string {
	switch k := k.(type) {
	case *ecdsa.PublicKey:
		return "EC " + k.Curve.Params().Name
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case ed25519.PublicKey:
		return "Ed25519"
	}
	return fmt.Sprintf("%T", k)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
