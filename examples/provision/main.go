// Command provision onboards existing users in bulk: it reads a CSV file of
// users, creates their identities with a bounded number of requests in
// flight, skips the ones that exist, and emails each user a binding link
// with batch binding jobs, which it follows to their end. It shows its
// progress (a bar on a terminal, a line every few seconds elsewhere) and a
// summary.
//
// The CSV file has a header row naming the columns username, email and
// display_name (only username is required):
//
//	username,email,display_name
//	ada.lovelace,ada@example.com,Ada Lovelace
//
// With no configuration it runs offline against the in-process fake of
// beyondidentitytest, with 1,000 generated users unless -csv is given;
// -runs 2 runs it twice against the same fake, to show that a rerun creates
// nothing and sends no second email:
//
//	go run ./examples/provision -runs 2
//
// With the BEYOND_IDENTITY_* variables set it provisions the users of -csv
// in your tenant.
//
// # Interruptions and reruns
//
// Ctrl-C stops it cleanly: it reports how far it got and exits with status
// 130. Run the same command again to resume. It keeps no local state file on
// purpose: the API already knows what is done, and a file could not.
// Usernames are unique in a realm, so an existing identity answers 409 and is
// looked up, never created twice, including one whose create was in flight at
// the interruption, whose outcome a file would not know; a user with a passkey
// or a pending link (enrollment status ENROLLED or PENDING) gets no second
// email. A file would also go stale when identities are deleted in the Admin
// Console or the tool runs elsewhere. What a file would save is two requests
// per already-provisioned user on a rerun.
//
// # The batch queue
//
// A realm holds at most 1,000 pending links sent by batch jobs; a batch
// beyond that is refused with 429 until users bind passkeys or links expire.
// The program then waits (the Retry-After the API names, else -queue-wait)
// and sends the same batch again. Offline, simulated users bind their
// passkeys to free the queue when more than 1,000 users are provisioned.
//
// Usage:
//
//	provision [-csv FILE | -n 1000] [-concurrency 8] [-batch-size 1000] [-queue-wait 1m] [-runs 1] [-v]
//	          [-tenant-id ID -realm-id ID -authenticator-config-id ID ...]
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/passkeyhq/beyondidentity/examples/internal/setup"
)

func main() { setup.Main("provision", run) }

// options are the settings of a run besides the API configuration.
type options struct {
	csvPath     string
	n           int
	concurrency int
	batchSize   int
	queueWait   time.Duration
	runs        int
	terminal    bool
	// clientOpts are applied last when building the client (tests).
	clientOpts []beyondidentity.Option
}

// run parses the command line and the environment and provisions the users,
// offline against a fresh in-process fake when nothing is configured.
func run(ctx context.Context, args []string, env func(string) (string, bool), stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("provision", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.csvPath, "csv", "", "CSV file of users with the header username,email,display_name (offline default: -n generated users)")
	fs.IntVar(&o.n, "n", 1000, "number of users to generate when running offline without -csv")
	fs.IntVar(&o.concurrency, "concurrency", 8, "identity requests in flight at once")
	fs.IntVar(&o.batchSize, "batch-size", maxBatch, fmt.Sprintf("identities per batch binding job (1 to %d)", maxBatch))
	fs.DurationVar(&o.queueWait, "queue-wait", time.Minute, "wait after a full batch queue when the API names no wait (offline default: 0)")
	fs.IntVar(&o.runs, "runs", 1, "run the whole provisioning this many times (a rerun must create nothing)")
	flags := setup.Register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: provision [flags]\n\nCreates identities for the users of a CSV file and emails them binding links.\nOffline against an in-process fake when no %s* variable is set.\n\n", setup.EnvPrefix)
		fs.PrintDefaults()
	}
	if err := setup.Parse(fs, args); err != nil {
		return err
	}
	switch {
	case o.concurrency < 1 || o.concurrency > 64:
		return errors.New("-concurrency must be between 1 and 64")
	case o.batchSize < 1 || o.batchSize > maxBatch:
		return fmt.Errorf("-batch-size must be between 1 and %d", maxBatch)
	case o.n < 1:
		return errors.New("-n must be positive")
	case o.runs < 1:
		return errors.New("-runs must be positive")
	case o.queueWait < 0:
		return errors.New("-queue-wait must not be negative")
	}
	cfg, err := flags.Load(env)
	if err != nil {
		return err
	}
	if !cfg.Offline() && o.csvPath == "" {
		return errors.New("-csv is required against a tenant (generated users are for the offline fake only)")
	}
	queueWaitSet := false
	fs.Visit(func(f *flag.Flag) { queueWaitSet = queueWaitSet || f.Name == "queue-wait" })
	if cfg.Offline() && !queueWaitSet {
		o.queueWait = 0 // the simulated users free the queue at once
	}
	term, _ := env("TERM")
	o.terminal = isTerminal(stdout) && term != "dumb"

	var fake *setup.Fake
	if cfg.Offline() {
		fake = setup.StartFake(cfg.Verbose)
		defer fake.Close()
	}
	return provision(ctx, o, cfg, fake, stdout, stderr)
}

// provision runs the provisioning o.runs times against the cloud, or
// against fake when it is not nil.
func provision(ctx context.Context, o options, cfg setup.Config, fake *setup.Fake, stdout, stderr io.Writer) error {
	opts := append([]beyondidentity.Option{
		// A full batch queue takes minutes to hours to drain: the program
		// waits for it itself, so the client does not retry that 429.
		beyondidentity.WithRetryPolicy(beyondidentity.RetryPolicy{ShouldRetry: func(a beyondidentity.RetryAttempt) bool {
			if a.StatusCode == http.StatusTooManyRequests && strings.HasSuffix(a.URL, "/batch-credential-binding-jobs") {
				return false
			}
			return beyondidentity.DefaultShouldRetry(a)
		}}),
	}, o.clientOpts...)
	var (
		c   *beyondidentity.Client
		err error
	)
	if fake != nil {
		fmt.Fprintln(stdout, fake.Announce())
		cfg = fake.Config
		c, err = fake.NewClient(stderr, opts...)
	} else {
		fmt.Fprintf(stdout, "Using %s.\n", cfg.Describe())
		c, err = cfg.NewClient(stderr, opts...)
	}
	if err != nil {
		return err
	}

	in, source, err := loadUsers(o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Users: %d from %s", len(in.users), source)
	if len(in.duplicates) > 0 || len(in.invalid) > 0 {
		fmt.Fprintf(stdout, " (skipping %d duplicate and %d invalid rows)", len(in.duplicates), len(in.invalid))
	}
	fmt.Fprintln(stdout, ".")

	// The first call fetches the token; reading the authenticator config
	// checks the credentials and the config before anything is created.
	ac, err := c.AuthenticatorConfigs.Get(ctx, cfg.AuthenticatorConfigID)
	if err != nil {
		return fmt.Errorf("reading authenticator config %s: %w", cfg.AuthenticatorConfigID, err)
	}
	fmt.Fprintf(stdout, "Token: OK. Binding links use authenticator config %s (%s).\n", ac.ID, ac.Config.AuthenticatorType())

	p := &provisioner{
		c: c, configID: cfg.AuthenticatorConfigID, concurrency: o.concurrency, batchSize: o.batchSize,
		queueWait: o.queueWait, out: stdout, terminal: o.terminal,
	}
	if fake != nil {
		p.queueFull = func(ctx context.Context) (string, error) { return simulateUsers(ctx, fake.Server) }
	}
	failed := 0
	for i := 1; i <= o.runs; i++ {
		if o.runs > 1 {
			fmt.Fprintf(stdout, "\n== Run %d of %d\n", i, o.runs)
		}
		s, err := p.run(ctx, in)
		for _, r := range in.invalid {
			s.problem("line %d: %s", r.line, r.reason)
		}
		title := fmt.Sprintf("Summary of run %d of %d:", i, o.runs)
		if o.runs == 1 {
			title = "Summary:"
		}
		resume := "run the same command again to resume"
		if fake != nil {
			resume = "offline, the fake's state ends with the program"
		}
		if s.interrupted {
			title = fmt.Sprintf("Interrupted after %d of %d users (run %d of %d); %s:", s.created+s.existing+s.failed, s.users, i, o.runs, resume)
		}
		s.print(stdout, title)
		if s.interrupted && errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted after %d of %d users; %s: %w", s.created+s.existing+s.failed, s.users, resume, err)
		}
		if err != nil {
			return err
		}
		failed += s.failed + s.emailFailed
	}
	if failed += len(in.invalid); failed > 0 {
		return fmt.Errorf("%d users, rows or emails failed (see the summary)", failed)
	}
	return nil
}

// loadUsers reads -csv, or generates -n users.
func loadUsers(o options) (*input, string, error) {
	if o.csvPath != "" {
		f, err := os.Open(o.csvPath)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		in, err := readUsers(f)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", o.csvPath, err)
		}
		return in, o.csvPath, nil
	}
	// The same path as a file: generated CSV, read back.
	var buf bytes.Buffer
	if err := generateCSV(&buf, o.n); err != nil {
		return nil, "", err
	}
	in, err := readUsers(&buf)
	return in, "a generated CSV", err
}

// simulateUsers plays, offline, the users who open the emails of batch
// jobs and bind a passkey: their jobs leave the batch queue.
func simulateUsers(ctx context.Context, srv *beyondidentitytest.Server) (string, error) {
	n := 0
	for _, m := range srv.Outbox() {
		if m.BatchID == "" {
			continue
		}
		switch _, err := srv.CompleteBinding(ctx, m.Link); {
		case err == nil:
			n++
		case errors.Is(err, beyondidentitytest.ErrJobNotPending):
		default:
			return "", fmt.Errorf("simulating a user: %w", err)
		}
	}
	return fmt.Sprintf("Offline: %d simulated users opened their email and bound a passkey, which empties the queue.", n), nil
}
