package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/passkeyhq/beyondidentity"
)

// maxBatch is the most identities a batch binding job takes, and the size of
// a realm's batch queue.
const maxBatch = 1000

// provisioner creates the identities of a list of users and emails each a
// binding link with batch binding jobs.
//
// It keeps no state of its own: what is done is read from the API, so an
// interrupted run is resumed by running it again.
//   - An identity that exists is recognised by its username, unique in the
//     realm: the create answers 409 and the identity is looked up. A rerun
//     creates none twice, including one whose create was in flight when the
//     run was interrupted (whose outcome the client never learned).
//   - A user who already has a passkey (enrollment status ENROLLED) or a link
//     that is still pending (PENDING) gets no second email.
type provisioner struct {
	c           *beyondidentity.Client
	configID    string // authenticator config of the binding jobs
	concurrency int
	batchSize   int
	queueWait   time.Duration // wait after a full batch queue when the API names none
	out         io.Writer
	terminal    bool
	// queueFull, when set, is called when the batch queue is full, before
	// waiting; offline, simulated users bind their passkeys and so empty it.
	queueFull func(ctx context.Context) (string, error)
}

// summary counts what a run did.
type summary struct {
	users, duplicates, invalid int
	created, existing, failed  int
	emailed, notNeeded         int // links sent; identities that needed none
	noEmail, emailFailed       int
	interrupted                bool
	duration                   time.Duration
	problems                   []string // the first few failures, for the summary
}

const maxProblems = 10

func (s *summary) problem(format string, args ...any) {
	if len(s.problems) < maxProblems {
		s.problems = append(s.problems, fmt.Sprintf(format, args...))
	}
}

// outcome is what became of one user.
type outcome struct {
	u       user
	id      *beyondidentity.Identity
	created bool
	err     error
	// needsLink reports an identity with no passkey and no pending link.
	needsLink bool
}

// errFatal marks an error that stops the whole run (bad credentials, missing
// permissions): every further request would fail the same way.
type errFatal struct{ err error }

func (e errFatal) Error() string { return e.err.Error() }
func (e errFatal) Unwrap() error { return e.err }

// run provisions the users: identities first, then binding links.
func (p *provisioner) run(ctx context.Context, in *input) (*summary, error) {
	start := time.Now()
	s := &summary{users: len(in.users), duplicates: len(in.duplicates), invalid: len(in.invalid)}
	defer func() { s.duration = time.Since(start) }()

	ready, err := p.identities(ctx, in.users, s)
	if err != nil {
		return s, err
	}
	return s, p.sendLinks(ctx, ready, s)
}

// identities creates the users' identities (or finds the existing ones) with
// at most p.concurrency requests in flight, and returns the identities that
// need a binding link.
func (p *provisioner) identities(ctx context.Context, users []user, s *summary) ([]*beyondidentity.Identity, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	todo := make(chan user)
	results := make(chan outcome)
	var wg sync.WaitGroup
	for range p.concurrency {
		wg.Go(func() {
			for u := range todo {
				results <- p.ensure(ctx, u)
			}
		})
	}
	go func() {
		defer close(todo)
		for _, u := range users {
			select {
			case todo <- u:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	fmt.Fprintf(p.out, "identities: creating %d (or finding those that exist), %d at a time.\n", len(users), p.concurrency)
	bar := startProgress(p.out, p.terminal, "identities", len(users))
	var ready []*beyondidentity.Identity
	for r := range results {
		switch {
		case r.err != nil && ctx.Err() != nil:
			// Cut short by the interruption: the outcome is unknown (the
			// server may have created the identity), and the rerun's 409
			// will tell.
		case r.err != nil:
			s.failed++
			s.problem("line %d, %s: %v", r.u.line, r.u.username, r.err)
			bar.add(0, 0, 1)
			if f := (errFatal{}); errors.As(r.err, &f) {
				cancel(f)
			}
		case r.created:
			s.created++
			bar.add(1, 0, 0)
		default:
			s.existing++
			bar.add(0, 1, 0)
		}
		if r.err == nil && r.needsLink {
			if r.id.Traits.PrimaryEmailAddress == "" {
				s.noEmail++
			} else {
				ready = append(ready, r.id)
			}
		} else if r.err == nil {
			s.notNeeded++
		}
	}
	bar.finish()

	if cause := context.Cause(ctx); cause != nil {
		if f := (errFatal{}); errors.As(cause, &f) {
			return nil, fmt.Errorf("stopped: %w", f.err)
		}
		s.interrupted = true
		return nil, cause
	}
	return ready, nil
}

// ensure creates one identity, or finds it when its username is taken, and
// tells whether it needs a binding link.
func (p *provisioner) ensure(ctx context.Context, u user) outcome {
	o := outcome{u: u}
	o.id, o.err = p.c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
		DisplayName: u.displayName,
		Traits:      beyondidentity.Traits{Username: u.username, PrimaryEmailAddress: u.email},
	})
	switch {
	case o.err == nil:
		o.created, o.needsLink = true, true
		return o
	case errors.Is(o.err, beyondidentity.ErrConflict):
		o.id, o.err = p.c.Identities.FindByUsername(ctx, u.username)
		if o.err != nil {
			o.err = fmt.Errorf("username taken, but the lookup failed: %w", o.err)
			return fatal(o)
		}
		o.needsLink, o.err = p.needsLink(ctx, o.id)
		return fatal(o)
	default:
		return fatal(o)
	}
}

// fatal marks the errors that would fail every request alike.
func fatal(o outcome) outcome {
	if errors.Is(o.err, beyondidentity.ErrUnauthorized) || errors.Is(o.err, beyondidentity.ErrForbidden) {
		o.err = errFatal{o.err}
	}
	return o
}

// needsLink tells whether an existing identity still needs a binding link:
// not if it has a passkey or a pending link. The identity's enrollment
// status says so; when the API leaves it out, its binding jobs do.
func (p *provisioner) needsLink(ctx context.Context, id *beyondidentity.Identity) (bool, error) {
	switch id.EnrollmentStatus {
	case beyondidentity.EnrollmentStatusEnrolled, beyondidentity.EnrollmentStatusPending:
		return false, nil
	case beyondidentity.EnrollmentStatusUnenrolled, beyondidentity.EnrollmentStatusInviteFailed:
		return true, nil
	}
	for j, err := range p.c.BindingJobs.All(ctx, id.ID, &beyondidentity.ListOptions{PageSize: 200}) {
		if err != nil {
			return false, fmt.Errorf("listing its binding jobs: %w", err)
		}
		if j.State == beyondidentity.BindingJobStateComplete || !j.State.IsTerminal() {
			return false, nil
		}
	}
	return true, nil
}

// sendLinks emails a binding link to each identity with batch binding jobs
// of at most p.batchSize identities, one batch at a time, each followed to
// its end.
func (p *provisioner) sendLinks(ctx context.Context, ids []*beyondidentity.Identity, s *summary) error {
	if len(ids) == 0 {
		fmt.Fprintln(p.out, "binding links: none to send.")
		return nil
	}
	slices.SortFunc(ids, func(a, b *beyondidentity.Identity) int { return strings.Compare(a.Traits.Username, b.Traits.Username) })
	chunks := slices.Collect(slices.Chunk(ids, p.batchSize))
	fmt.Fprintf(p.out, "binding links: %d identities in %d batch job(s) of at most %d.\n", len(ids), len(chunks), p.batchSize)
	for i, chunk := range chunks {
		b, err := p.createBatch(ctx, chunk)
		if err != nil {
			if ctx.Err() != nil {
				s.interrupted = true
				return ctx.Err()
			}
			s.emailFailed += len(chunk)
			s.problem("batch %d of %d (%d identities): %v", i+1, len(chunks), len(chunk), err)
			fmt.Fprintf(p.out, "  batch %d/%d: %d identities: failed: %v\n", i+1, len(chunks), len(chunk), err)
			if errors.Is(err, beyondidentity.ErrUnauthorized) || errors.Is(err, beyondidentity.ErrForbidden) {
				return fmt.Errorf("stopped: %w", err)
			}
			continue
		}
		b, err = p.follow(ctx, b)
		if err != nil {
			if ctx.Err() != nil {
				s.interrupted = true
				return ctx.Err()
			}
			// The batch exists; its jobs are pending or not, which the rerun
			// reads from each identity's enrollment status.
			s.problem("batch %s: following it failed: %v", b.ID, err)
			fmt.Fprintf(p.out, "  batch %d/%d %s: %d identities: could not follow it: %v\n", i+1, len(chunks), b.ID, len(chunk), err)
			continue
		}
		failed := len(b.StateCommentary.Errors)
		s.emailed += len(b.IdentityIDs) - failed
		s.emailFailed += failed
		for idID, e := range b.StateCommentary.Errors {
			s.problem("identity %s: no link sent: %s", idID, e.LastError)
		}
		fmt.Fprintf(p.out, "  batch %d/%d %s: %d identities: %s, %d emails sent, %d failed\n",
			i+1, len(chunks), b.ID, len(b.IdentityIDs), b.State, len(b.IdentityIDs)-failed, failed)
	}
	return nil
}

// createBatch creates one batch binding job. A full batch queue (429) is
// waited out: the wait the API asks for, else p.queueWait, then the same
// batch is sent again, until ctx ends.
func (p *provisioner) createBatch(ctx context.Context, ids []*beyondidentity.Identity) (*beyondidentity.BatchBindingJob, error) {
	req := &beyondidentity.CreateBatchBindingJobRequest{
		IdentityIDs: make([]string, len(ids)),
		JobTemplate: beyondidentity.BatchBindingJobTemplate{AuthenticatorConfigID: p.configID},
	}
	for i, id := range ids {
		req.IdentityIDs[i] = id.ID
	}
	for {
		b, err := p.c.BindingJobs.BatchCreate(ctx, req)
		if !errors.Is(err, beyondidentity.ErrRateLimited) {
			return b, err
		}
		wait := p.queueWait
		var ae *beyondidentity.APIError
		if errors.As(err, &ae) && ae.RetryAfter > 0 {
			wait = ae.RetryAfter
		}
		msg := "the realm's batch queue is full"
		if ae != nil && ae.Message != "" {
			msg += " (" + ae.Message + ")"
		}
		fmt.Fprintf(p.out, "  %s: its links leave it as users bind passkeys or the links expire.\n", msg)
		if p.queueFull != nil {
			note, err := p.queueFull(ctx)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(p.out, "  %s\n", note)
		}
		if wait > 0 {
			fmt.Fprintf(p.out, "  Waiting %s, then sending the batch again (Ctrl-C stops; a rerun resumes).\n", wait)
			if err := sleep(ctx, wait); err != nil {
				return nil, err
			}
		}
	}
}

// follow polls a batch until it reaches a terminal state.
func (p *provisioner) follow(ctx context.Context, b *beyondidentity.BatchBindingJob) (*beyondidentity.BatchBindingJob, error) {
	interval := 500 * time.Millisecond
	for first := true; ; first = false {
		if !first {
			if err := sleep(ctx, interval); err != nil {
				return b, err
			}
			interval = min(2*interval, 10*time.Second)
		}
		nb, err := p.c.BindingJobs.GetBatch(ctx, b.ID)
		if err != nil {
			return b, err
		}
		if b = nb; b.State.IsTerminal() {
			return b, nil
		}
	}
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// print writes the summary of a run.
func (s *summary) print(w io.Writer, title string) {
	fmt.Fprintf(w, "%s\n", title)
	row := func(name string, n int) { fmt.Fprintf(w, "  %-16s %6d\n", name, n) }
	row("users", s.users)
	row("created", s.created)
	row("existing", s.existing)
	row("failed", s.failed)
	row("emails sent", s.emailed)
	if s.notNeeded > 0 {
		fmt.Fprintf(w, "  %-16s %6d  (a passkey, or a link still pending)\n", "no link needed", s.notNeeded)
	}
	if s.noEmail > 0 {
		fmt.Fprintf(w, "  %-16s %6d  (no email address: no link sent)\n", "no email", s.noEmail)
	}
	if s.emailFailed > 0 {
		row("emails failed", s.emailFailed)
	}
	if s.duplicates > 0 {
		row("duplicate rows", s.duplicates)
	}
	if s.invalid > 0 {
		row("invalid rows", s.invalid)
	}
	fmt.Fprintf(w, "  %-16s %6s\n", "duration", s.duration.Round(time.Millisecond))
	for _, p := range s.problems {
		fmt.Fprintf(w, "  ! %s\n", p)
	}
}
