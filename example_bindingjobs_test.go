package beyondidentity_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/passkeyhq/beyondidentity"
)

// newUser creates an identity in the fake for the examples.
func newUser(c *beyondidentity.Client, username, email string) *beyondidentity.Identity {
	id, err := c.Identities.Create(context.Background(), &beyondidentity.CreateIdentityRequest{
		DisplayName: username, Traits: beyondidentity.Traits{Username: username, PrimaryEmailAddress: email}})
	if err != nil {
		log.Fatal(err)
	}
	return id
}

// The main flow in a web backend: an endpoint creates a RETURN binding job
// for the signed-in user and answers the link, which the front end passes to
// the Embedded SDK's bindPasskey(link).
func ExampleBindingJobsService_CreateReturnLink() {
	srv, c := fakeClient()
	defer srv.Close()
	authenticatorConfigID := srv.AuthenticatorConfigID()
	user := newUser(c, "ada", "ada@example.com")
	currentIdentityID := func(r *http.Request) string { return user.ID } // your session lookup

	mux := http.NewServeMux()
	mux.HandleFunc("POST /passkeys/bind-link", func(w http.ResponseWriter, r *http.Request) {
		res, err := c.BindingJobs.CreateReturnLink(r.Context(), currentIdentityID(r), authenticatorConfigID,
			&beyondidentity.ReturnLinkOptions{PostBindingRedirectURI: "https://shop.example/passkey/done"})
		if err != nil {
			http.Error(w, "cannot create a binding link", http.StatusBadGateway)
			return
		}
		log.Printf("binding job created: %v", res) // printing redacts the link's token
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"link": res.Link.Reveal(), "job_id": res.Job.ID})
	})

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/passkeys/bind-link", nil))
	var answer map[string]string
	_ = json.Unmarshal(rec.Body.Bytes(), &answer)
	fmt.Println(rec.Code, strings.Contains(answer["link"], ":invokeAuthenticator?token="))
	// Output: 200 true
}

// Create with EMAIL delivery: Beyond Identity emails the link, which
// redirects to the authenticator config's Invoke URL with a /bind path
// (see ExampleClient_BindHandler).
func ExampleBindingJobsService_Create() {
	srv, c := fakeClient()
	defer srv.Close()
	user := newUser(c, "ada", "ada@example.com")

	res, err := c.BindingJobs.Create(context.Background(), user.ID, &beyondidentity.CreateBindingJobRequest{
		DeliveryMethod:        beyondidentity.DeliveryMethodEmail,
		AuthenticatorConfigID: srv.AuthenticatorConfigID(),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Job.DeliveryMethod, res.Job.State, res.Link.IsZero()) // no link for EMAIL
	fmt.Println("emailed to", srv.Outbox()[0].To)
	// Output:
	// EMAIL LINK_SENT true
	// emailed to ada@example.com
}

// Wait until the user has bound the passkey, the link has expired or the
// job was revoked, for at most ten minutes.
func ExampleBindingJobsService_Wait() {
	srv, c := fakeClient()
	defer srv.Close()
	user := newUser(c, "ada", "ada@example.com")
	res, err := c.BindingJobs.CreateReturnLink(context.Background(), user.ID, srv.AuthenticatorConfigID(), nil)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := srv.CompleteBinding(context.Background(), res.Link.Reveal()); err != nil { // the user's device
		log.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	job, err := c.BindingJobs.Wait(ctx, user.ID, res.Job.ID, &beyondidentity.WaitOptions{
		OnUpdate: func(j *beyondidentity.BindingJob) { log.Printf("binding job %s: %s", j.ID, j.State) },
	})
	var failed *beyondidentity.BindingJobError
	switch {
	case err == nil:
		fmt.Println("passkey bound:", job.CredentialID != "")
	case errors.As(err, &failed):
		fmt.Println("binding did not happen:", failed.State) // EXPIRED, FAILED_TO_SEND or REVOKED
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Println("still waiting after ten minutes; last state:", job.State)
	default:
		log.Fatal(err)
	}
	// Output: passkey bound: true
}

// Revoke a job whose link must no longer work.
func ExampleBindingJobsService_Revoke() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	user := newUser(c, "ada", "ada@example.com")
	res, err := c.BindingJobs.CreateReturnLink(ctx, user.ID, srv.AuthenticatorConfigID(), nil)
	if err != nil {
		log.Fatal(err)
	}
	job, err := c.BindingJobs.Revoke(ctx, user.ID, res.Job.ID)
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.BindingJobs.Wait(ctx, user.ID, job.ID, nil)
	fmt.Println(job.State, errors.Is(err, beyondidentity.ErrBindingJobFailed))
	// Output: REVOKED true
}

// Send binding emails to many users at once and read the outcome.
func ExampleBindingJobsService_BatchCreate() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	ada := newUser(c, "ada", "ada@example.com")
	grace := newUser(c, "grace", "") // no email address: cannot be sent a link

	batch, err := c.BindingJobs.BatchCreate(ctx, &beyondidentity.CreateBatchBindingJobRequest{
		IdentityIDs: []string{ada.ID, grace.ID},
		JobTemplate: beyondidentity.BatchBindingJobTemplate{AuthenticatorConfigID: srv.AuthenticatorConfigID()},
	})
	if err != nil {
		log.Fatal(err)
	}
	batch, err = c.BindingJobs.GetBatch(ctx, batch.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(batch.State)
	for job, err := range c.BindingJobs.AllBatchResults(ctx, batch.ID, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(job.IdentityID == ada.ID, job.DeliveryMethod, job.State)
	}
	_, graceFailed := batch.StateCommentary.Errors[grace.ID]
	fmt.Println("grace failed:", graceFailed)
	// Output:
	// PARTIAL_SUCCESS
	// true EMAIL LINK_SENT
	// grace failed: true
}

// List the pending binding jobs of the whole realm.
func ExampleBindingJobsService_All() {
	srv, c := fakeClient()
	defer srv.Close()
	ctx := context.Background()
	for _, name := range []string{"ada", "grace"} {
		user := newUser(c, name, name+"@example.com")
		if _, err := c.BindingJobs.CreateReturnLink(ctx, user.ID, srv.AuthenticatorConfigID(), nil); err != nil {
			log.Fatal(err)
		}
	}

	opts := &beyondidentity.ListOptions{Filter: beyondidentity.FilterEq("state", string(beyondidentity.BindingJobStateLinkSent))}
	n := 0
	for job, err := range c.BindingJobs.All(ctx, beyondidentity.AllIdentities, opts) {
		if err != nil {
			log.Fatal(err)
		}
		n++
		_ = job.ExpireTime // when the link stops working
	}
	fmt.Println(n, "pending jobs")
	// Output: 2 pending jobs
}
