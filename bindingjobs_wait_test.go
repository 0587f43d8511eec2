package beyondidentity

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jobPoller serves GETs of one binding job from a script: each GET takes
// the next step (the last one repeats). It records when each poll arrived.
type jobPoller struct {
	mu    sync.Mutex
	t     *testing.T
	steps []func(w http.ResponseWriter)
	polls []time.Time
}

func (p *jobPoller) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	want := "/v1/tenants/" + testTenant + "/realms/" + testRealm + "/identities/" + bjIdentity + "/credential-binding-jobs/" + bjJob
	if r.Method != http.MethodGet || r.URL.EscapedPath() != want {
		p.t.Errorf("unexpected request %s %s", r.Method, r.URL.EscapedPath())
		w.WriteHeader(400)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.polls = append(p.polls, time.Now())
	i := min(len(p.polls)-1, len(p.steps)-1)
	p.steps[i](w)
}

func stateStep(s BindingJobState) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(bjJobJSON(s, DeliveryMethodReturn)))
	}
}

func statusStep(code int, header ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = fmt.Fprintf(w, `{"code":"x","message":"status %d"}`, code)
	}
}

func dropStep(w http.ResponseWriter) { panic(http.ErrAbortHandler) }

// gaps returns the time between consecutive polls.
func (p *jobPoller) gaps() []time.Duration {
	var out []time.Duration
	for i := 1; i < len(p.polls); i++ {
		out = append(out, p.polls[i].Sub(p.polls[i-1]))
	}
	return out
}

func noJitter(time.Duration) time.Duration { return 0 }

func TestWaitCompletes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &jobPoller{t: t, steps: []func(http.ResponseWriter){
			stateStep(BindingJobStateLinkSent), stateStep(BindingJobStateLinkSent),
			stateStep(BindingJobStateLinkOpened), stateStep(BindingJobStateRequestDelivered),
			stateStep(BindingJobStateComplete),
		}}
		c := newMemClient(t, p)
		var seen []BindingJobState
		start := time.Now()
		job, err := c.BindingJobs.Wait(context.Background(), bjIdentity, bjJob, &WaitOptions{
			InitialInterval: time.Second, MaxInterval: 4 * time.Second,
			OnUpdate: func(j *BindingJob) { seen = append(seen, j.State) },
			jitter:   noJitter,
		})
		require.NoError(t, err)
		assert.Equal(t, BindingJobStateComplete, job.State)
		assert.Equal(t, bjCredential, job.CredentialID)
		assert.Len(t, p.polls, 5)
		assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second}, p.gaps(), "exponential, capped at MaxInterval")
		assert.Equal(t, 11*time.Second, time.Since(start))
		assert.Equal(t, []BindingJobState{BindingJobStateLinkSent, BindingJobStateLinkOpened, BindingJobStateRequestDelivered, BindingJobStateComplete}, seen,
			"OnUpdate sees each state change once")
	})
}

func TestWaitCompleteOnFirstPoll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &jobPoller{t: t, steps: []func(http.ResponseWriter){stateStep(BindingJobStateComplete)}}
		c := newMemClient(t, p)
		start := time.Now()
		job, err := c.BindingJobs.Wait(context.Background(), bjIdentity, bjJob, nil)
		require.NoError(t, err)
		assert.Equal(t, bjCredential, job.CredentialID)
		assert.Len(t, p.polls, 1)
		assert.Zero(t, time.Since(start))
	})
}

func TestWaitTerminalFailures(t *testing.T) {
	for _, state := range []BindingJobState{BindingJobStateExpired, BindingJobStateFailedToSend, BindingJobStateRevoked} {
		t.Run(string(state), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := &jobPoller{t: t, steps: []func(http.ResponseWriter){
					stateStep(BindingJobStateLinkSent), stateStep(BindingJobStateLinkOpened), stateStep(state),
				}}
				c := newMemClient(t, p)
				job, err := c.BindingJobs.Wait(context.Background(), bjIdentity, bjJob, &WaitOptions{jitter: noJitter})
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrBindingJobFailed)
				assert.NotErrorIs(t, err, context.DeadlineExceeded)
				var be *BindingJobError
				require.ErrorAs(t, err, &be)
				assert.Equal(t, state, be.State)
				require.NotNil(t, be.Job)
				assert.Equal(t, bjJob, be.Job.ID)
				assert.Equal(t, state, be.Job.State)
				assert.Contains(t, err.Error(), string(state))
				assert.Contains(t, err.Error(), bjJob)
				assert.Same(t, be.Job, job, "the job is also returned")
				assert.Len(t, p.polls, 3)
				// Default intervals: 1 s, then 2 s.
				assert.Equal(t, []time.Duration{time.Second, 2 * time.Second}, p.gaps())
			})
		})
	}
}

func TestWaitStopsAtContextDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &jobPoller{t: t, steps: []func(http.ResponseWriter){stateStep(BindingJobStateLinkSent), stateStep(BindingJobStateLinkOpened)}}
		c := newMemClient(t, p)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		job, err := c.BindingJobs.Wait(ctx, bjIdentity, bjJob, &WaitOptions{InitialInterval: time.Second, MaxInterval: 4 * time.Second, jitter: noJitter})
		require.Error(t, err)
		assert.Equal(t, 10*time.Second, time.Since(start), "stops at the deadline, not at the next poll")
		// Polls at 0, 1, 3 and 7 s; the next would be at 11 s.
		assert.Len(t, p.polls, 4)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.NotErrorIs(t, err, ErrBindingJobFailed)
		assert.Contains(t, err.Error(), "LINK_OPENED", "names the last state seen")
		require.NotNil(t, job)
		assert.Equal(t, BindingJobStateLinkOpened, job.State)
	})
}

func TestWaitCancelledBeforeFirstPoll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &jobPoller{t: t, steps: []func(http.ResponseWriter){stateStep(BindingJobStateLinkSent)}}
		c := newMemClient(t, p)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		job, err := c.BindingJobs.Wait(ctx, bjIdentity, bjJob, nil)
		assert.Nil(t, job)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "none seen")
		assert.Empty(t, p.polls)
	})
}

func TestWaitJitterShortensWaitsByAtMostAFifth(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &jobPoller{t: t, steps: []func(http.ResponseWriter){stateStep(BindingJobStateLinkSent)}}
		c := newMemClient(t, p)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second+time.Second/2)
		defer cancel()
		_, err := c.BindingJobs.Wait(ctx, bjIdentity, bjJob, &WaitOptions{InitialInterval: time.Second, MaxInterval: time.Second})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		// Waits in [0.8 s, 1 s]: 31 to 39 polls in 30.5 s.
		assert.GreaterOrEqual(t, len(p.polls), 31)
		assert.LessOrEqual(t, len(p.polls), 39)
		distinct := map[time.Duration]bool{}
		for _, g := range p.gaps() {
			assert.GreaterOrEqual(t, g, 800*time.Millisecond)
			assert.LessOrEqual(t, g, time.Second)
			distinct[g] = true
		}
		assert.Greater(t, len(distinct), 1, "waits are jittered")
	})
}

func TestWaitPollsThroughTransientErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &jobPoller{t: t, steps: []func(http.ResponseWriter){
			stateStep(BindingJobStateLinkSent), statusStep(503), dropStep, statusStep(500), statusStep(429),
			stateStep(BindingJobStateComplete),
		}}
		// The client's own retries are off, so every failure reaches Wait.
		c := newMemClient(t, p, WithRetryPolicy(RetryPolicy{MaxRetries: -1}))
		var updates int
		job, err := c.BindingJobs.Wait(context.Background(), bjIdentity, bjJob, &WaitOptions{
			MaxConsecutiveErrors: 0, // the default, 5: four failures in a row are tolerated
			OnUpdate:             func(*BindingJob) { updates++ }, jitter: noJitter,
		})
		require.NoError(t, err)
		assert.Equal(t, bjCredential, job.CredentialID)
		assert.Len(t, p.polls, 6)
		assert.Equal(t, 2, updates)
	})
}

func TestWaitGivesUpAfterMaxConsecutiveErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &jobPoller{t: t, steps: []func(http.ResponseWriter){stateStep(BindingJobStateLinkOpened), statusStep(503)}}
		c := newMemClient(t, p, WithRetryPolicy(RetryPolicy{MaxRetries: -1}))
		job, err := c.BindingJobs.Wait(context.Background(), bjIdentity, bjJob, &WaitOptions{MaxConsecutiveErrors: 3, jitter: noJitter})
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 503, ae.StatusCode)
		assert.Len(t, p.polls, 4, "one good poll, then three failures")
		require.NotNil(t, job)
		assert.Equal(t, BindingJobStateLinkOpened, job.State, "the last job seen is returned")
	})
}

func TestWaitStopsAtPermanentErrors(t *testing.T) {
	for _, code := range []int{400, 403, 404} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := &jobPoller{t: t, steps: []func(http.ResponseWriter){stateStep(BindingJobStateLinkSent), statusStep(code)}}
				c := newMemClient(t, p)
				start := time.Now()
				_, err := c.BindingJobs.Wait(context.Background(), bjIdentity, bjJob, &WaitOptions{MaxConsecutiveErrors: -1, jitter: noJitter})
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, code, ae.StatusCode)
				assert.Len(t, p.polls, 2)
				assert.Equal(t, time.Second, time.Since(start))
			})
		})
	}
	t.Run("undecodable answer", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := &jobPoller{t: t, steps: []func(http.ResponseWriter){func(w http.ResponseWriter) { _, _ = w.Write([]byte(`{"state":42}`)) }}}
			c := newMemClient(t, p)
			_, err := c.BindingJobs.Wait(context.Background(), bjIdentity, bjJob, &WaitOptions{MaxConsecutiveErrors: -1})
			var re *RequestError
			require.ErrorAs(t, err, &re)
			assert.Len(t, p.polls, 1)
		})
	})
}

func TestWaitHonoursRetryAfterUnderTheCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &jobPoller{t: t, steps: []func(http.ResponseWriter){
			statusStep(429, "Retry-After", "45"), stateStep(BindingJobStateComplete),
		}}
		// The client does not retry here, so Wait itself waits the 45 s the
		// server asked for, longer than its own 1 s interval and under the
		// policy's 60 s cap.
		c := newMemClient(t, p, WithRetryPolicy(RetryPolicy{MaxRetries: -1}))
		start := time.Now()
		job, err := c.BindingJobs.Wait(context.Background(), bjIdentity, bjJob, &WaitOptions{jitter: noJitter})
		require.NoError(t, err)
		assert.Equal(t, BindingJobStateComplete, job.State)
		assert.Len(t, p.polls, 2)
		assert.Equal(t, 45*time.Second, time.Since(start))
	})
}

func TestWaitFailsFastOnRetryAfterOverTheCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &jobPoller{t: t, steps: []func(http.ResponseWriter){
			stateStep(BindingJobStateLinkSent), statusStep(429, "Retry-After", "3600"), stateStep(BindingJobStateComplete),
		}}
		c := newMemClient(t, p)
		start := time.Now()
		job, err := c.BindingJobs.Wait(context.Background(), bjIdentity, bjJob, &WaitOptions{jitter: noJitter})
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.ErrorIs(t, err, ErrRateLimited)
		assert.Equal(t, time.Hour, ae.RetryAfter, "the wait asked for is in the error")
		require.NotNil(t, job, "the last job seen comes back with the error")
		assert.Equal(t, BindingJobStateLinkSent, job.State)
		assert.Len(t, p.polls, 2, "no poll after the 429")
		assert.Equal(t, time.Second, time.Since(start), "one interval, then no hour-long wait")
	})
}

func TestWaitUnknownStateKeepsPolling(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &jobPoller{t: t, steps: []func(http.ResponseWriter){stateStep("QUEUED_FOR_REVIEW"), stateStep(BindingJobStateComplete)}}
		c := newMemClient(t, p)
		job, err := c.BindingJobs.Wait(context.Background(), bjIdentity, bjJob, &WaitOptions{jitter: noJitter})
		require.NoError(t, err)
		assert.Equal(t, BindingJobStateComplete, job.State)
		assert.Len(t, p.polls, 2)
	})
}

func TestNextPollInterval(t *testing.T) {
	const maxD = time.Duration(1<<63 - 1)
	for _, tt := range []struct{ cur, max, want time.Duration }{
		{time.Second, 10 * time.Second, 2 * time.Second},
		{8 * time.Second, 10 * time.Second, 10 * time.Second},
		{10 * time.Second, 10 * time.Second, 10 * time.Second},
		{maxD / 2, maxD, maxD - 1},
		{maxD, maxD, maxD},          // doubling would overflow
		{1 << 62, 1 << 62, 1 << 62}, // so would this
	} {
		assert.Equal(t, tt.want, nextPollInterval(tt.cur, tt.max), "%v %v", tt.cur, tt.max)
	}
}

func TestWaitOptionsDefaults(t *testing.T) {
	o, err := (*WaitOptions)(nil).withDefaults()
	require.NoError(t, err)
	assert.Equal(t, DefaultWaitInitialInterval, o.InitialInterval)
	assert.Equal(t, DefaultWaitMaxInterval, o.MaxInterval)
	assert.Equal(t, DefaultWaitMaxErrors, o.MaxConsecutiveErrors)

	o, err = (&WaitOptions{InitialInterval: time.Minute}).withDefaults()
	require.NoError(t, err)
	assert.Equal(t, time.Minute, o.MaxInterval, "max follows a larger initial interval")

	o, err = (&WaitOptions{MaxInterval: 100 * time.Millisecond}).withDefaults()
	require.NoError(t, err)
	assert.Equal(t, 100*time.Millisecond, o.InitialInterval, "initial is capped by a smaller max")
}

func TestBindingJobErrorMessages(t *testing.T) {
	for state, want := range map[BindingJobState]string{
		BindingJobStateExpired:      "expired",
		BindingJobStateFailedToSend: "email could not be sent",
		BindingJobStateRevoked:      "revoked",
	} {
		err := error(&BindingJobError{Job: &BindingJob{ID: "j9"}, State: state})
		assert.Contains(t, err.Error(), want)
		assert.Contains(t, err.Error(), string(state))
		assert.True(t, errors.Is(err, ErrBindingJobFailed))
		assert.False(t, errors.Is(err, ErrNotFound))
	}
	assert.NotPanics(t, func() { _ = (&BindingJobError{State: "X"}).Error() })
}
