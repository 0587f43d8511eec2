package beyondidentity

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"time"
)

// ErrBindingJobFailed matches the error Wait returns when a job ends in a
// terminal failure state (EXPIRED, FAILED_TO_SEND or REVOKED); the error is
// a *BindingJobError.
var ErrBindingJobFailed = errors.New("beyondidentity: binding job failed")

// BindingJobError reports a credential binding job that ended without
// binding a credential. errors.Is(err, ErrBindingJobFailed) is true for it.
type BindingJobError struct {
	// Job is the job as last fetched.
	Job *BindingJob
	// State is the job's terminal state.
	State BindingJobState
}

// Error names the job and the state it ended in.
func (e *BindingJobError) Error() string {
	id := ""
	if e.Job != nil {
		id = e.Job.ID
	}
	why := ""
	switch e.State {
	case BindingJobStateExpired:
		why = ": the binding link expired before it was used"
	case BindingJobStateFailedToSend:
		why = ": the binding email could not be sent"
	case BindingJobStateRevoked:
		why = ": the job was revoked"
	}
	return "beyondidentity: binding job " + strconv.Quote(id) + " ended in state " + string(e.State) + why
}

// Is makes errors.Is(err, ErrBindingJobFailed) true.
func (e *BindingJobError) Is(target error) bool { return target == ErrBindingJobFailed }

// Defaults of WaitOptions.
const (
	DefaultWaitInitialInterval = 1 * time.Second
	DefaultWaitMaxInterval     = 10 * time.Second
	DefaultWaitMaxErrors       = 5
)

// WaitOptions tunes BindingJobsService.Wait. The zero value (or nil) uses
// the defaults.
type WaitOptions struct {
	// InitialInterval is the wait after the first poll; it doubles after
	// every poll up to MaxInterval. Each wait is shortened by a random
	// jitter of up to 20% so that many waiters do not poll in step.
	// Default DefaultWaitInitialInterval.
	InitialInterval time.Duration
	// MaxInterval caps the wait between polls. Default
	// DefaultWaitMaxInterval (or InitialInterval, if that is larger).
	MaxInterval time.Duration
	// MaxConsecutiveErrors is how many polls in a row may fail with a
	// transient error (see Wait) before Wait gives up and returns the last
	// error. Default DefaultWaitMaxErrors; negative means never give up
	// (only the context ends the wait).
	MaxConsecutiveErrors int
	// OnUpdate, when set, is called with the job after the first
	// successful poll and after every poll that sees a different state, in
	// Wait's goroutine (so a slow callback delays the next poll). It must
	// not modify the job, which Wait may return.
	OnUpdate func(*BindingJob)

	// jitter returns a random duration in [0, d]; tests replace it.
	jitter func(d time.Duration) time.Duration
}

func (o *WaitOptions) withDefaults() (WaitOptions, error) {
	var w WaitOptions
	if o != nil {
		w = *o
	}
	if w.InitialInterval < 0 {
		return w, invalid("WaitOptions.InitialInterval", "must not be negative")
	}
	if w.MaxInterval < 0 {
		return w, invalid("WaitOptions.MaxInterval", "must not be negative")
	}
	if w.InitialInterval > 0 && w.MaxInterval > 0 && w.MaxInterval < w.InitialInterval {
		return w, invalid("WaitOptions.MaxInterval", "must not be smaller than InitialInterval")
	}
	if w.InitialInterval == 0 {
		w.InitialInterval = DefaultWaitInitialInterval
	}
	if w.MaxInterval == 0 {
		w.MaxInterval = max(DefaultWaitMaxInterval, w.InitialInterval)
	}
	if w.MaxInterval < w.InitialInterval {
		w.InitialInterval = w.MaxInterval
	}
	if w.MaxConsecutiveErrors == 0 {
		w.MaxConsecutiveErrors = DefaultWaitMaxErrors
	}
	if w.jitter == nil {
		w.jitter = func(d time.Duration) time.Duration { return rand.N(d + 1) }
	}
	return w, nil
}

// Wait polls a credential binding job until it reaches a terminal state,
// with a capped exponential backoff between polls (see WaitOptions).
//
//   - COMPLETE: Wait returns the job, whose CredentialID names the new
//     passkey, and a nil error.
//   - EXPIRED, FAILED_TO_SEND or REVOKED: Wait returns the job and a
//     *BindingJobError (errors.Is(err, ErrBindingJobFailed)) naming the state.
//   - ctx ends first: Wait returns the last job it saw (nil if none) and an
//     error that names the last state and wraps ctx.Err(), so
//     errors.Is(err, context.DeadlineExceeded) works. Give ctx a deadline:
//     a job nobody acts on stays LINK_SENT until its link expires (days).
//
// Each poll is a Get, which the client already retries per its
// RetryPolicy. When a poll still fails, Wait keeps polling at the next
// interval if the failure is transient: a 408, 429, 500, 502, 503 or 504
// answer, or a transport error such as a dropped connection. A wait the
// server asks for (Retry-After) longer than the interval is honoured up to
// the client's RetryPolicy.MaxRetryAfter; a longer one makes Wait return at
// once, the wait in the *APIError's RetryAfter, so the caller decides.
// After MaxConsecutiveErrors transient failures in a row, or at once for
// any other error (404 when the job or identity is gone, 401, 403, invalid
// arguments, an undecodable answer), Wait returns the last job it saw and
// the error. Unknown states are
// polled through like non-terminal ones.
func (s *BindingJobsService) Wait(ctx context.Context, identityID, jobID string, opts *WaitOptions) (*BindingJob, error) {
	if _, err := jobPath(identityID, jobID); err != nil {
		return nil, err
	}
	if ctx == nil {
		return nil, invalid("ctx", "is nil")
	}
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	var (
		last      *BindingJob
		lastState BindingJobState
		errCount  int
		interval  = o.InitialInterval
	)
	stopped := func(cause error) (*BindingJob, error) {
		state := "none seen"
		if last != nil {
			state = string(last.State)
		}
		return last, fmt.Errorf("beyondidentity: waiting for binding job %q stopped (last state: %s): %w", jobID, state, cause)
	}
	for {
		if err := ctx.Err(); err != nil {
			return stopped(err)
		}
		var serverWait time.Duration
		job, err := s.Get(ctx, identityID, jobID)
		switch {
		case err != nil:
			if ctxErr := ctx.Err(); ctxErr != nil {
				return stopped(ctxErr)
			}
			errCount++
			if !transientPollError(err) || (o.MaxConsecutiveErrors > 0 && errCount >= o.MaxConsecutiveErrors) {
				return last, err
			}
			var ae *APIError
			if errors.As(err, &ae) {
				if ae.RetryAfter > s.client.core.policy.MaxRetryAfter {
					// As for any call: a wait over the cap fails fast, with
					// the wait in the error, and the caller decides.
					return last, err
				}
				serverWait = ae.RetryAfter
			}
		default:
			errCount = 0
			first := last == nil
			last = job
			if o.OnUpdate != nil && (first || job.State != lastState) {
				o.OnUpdate(job)
			}
			lastState = job.State
			switch {
			case job.State == BindingJobStateComplete:
				return job, nil
			case job.State.IsFailed():
				return job, &BindingJobError{Job: job, State: job.State}
			}
		}

		wait := max(interval-o.jitter(interval/5), serverWait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return stopped(ctx.Err())
		case <-t.C:
		}
		interval = nextPollInterval(interval, o.MaxInterval)
	}
}

// nextPollInterval doubles the interval up to maxInterval, without
// overflowing for huge values.
func nextPollInterval(cur, maxInterval time.Duration) time.Duration {
	if cur <= maxInterval/2 {
		return cur * 2
	}
	return maxInterval
}

// transientPollError reports whether a failed poll is worth repeating.
func transientPollError(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return transientStatus(ae.StatusCode)
	}
	// Transport failures reach us as *url.Error inside *RequestError; a
	// response that cannot be decoded or a validation error does not.
	var ue *url.Error
	return errors.As(err, &ue)
}
