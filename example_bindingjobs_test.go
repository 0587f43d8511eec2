package beyondidentity_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/passkeyhq/beyondidentity"
)

// exampleBindingClient builds a client the way an application would; the
// examples are compiled but not run.
func exampleBindingClient() *beyondidentity.Client {
	c, err := beyondidentity.NewClient(
		beyondidentity.WithTenant("0001f1f460b1ace6"),
		beyondidentity.WithRealm("8f5bec58229e6f29"),
		beyondidentity.WithClientCredentials(beyondidentity.ClientCredentials{
			RealmID:       "a1d2f3e4b5c6d7e8",
			ApplicationID: "4c1f0e55-2b7d-4a8e-9d3c-6f5e4d3c2b1a",
			ClientID:      "client-id",
			ClientSecret:  "client-secret",
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// The main flow: create a RETURN binding job for a user and hand the link
// to the front end, which passes it to the Embedded SDK's bindPasskey.
func ExampleBindingJobsService_CreateReturnLink() {
	c := exampleBindingClient()
	const authenticatorConfigID = "5b0c6c1e-7d1a-4c57-9a58-0f6f3d2e8a11"

	mux := http.NewServeMux()
	mux.HandleFunc("POST /passkeys/bind-link", func(w http.ResponseWriter, r *http.Request) {
		identityID := currentIdentityID(r) // the signed-in user's identity
		res, err := c.BindingJobs.CreateReturnLink(r.Context(), identityID, authenticatorConfigID,
			&beyondidentity.ReturnLinkOptions{PostBindingRedirectURI: "https://shop.example/passkey/done"})
		if err != nil {
			http.Error(w, "cannot create a binding link", http.StatusBadGateway)
			return
		}
		log.Printf("binding job %s created: %v", res.Job.ID, res) // the link's token is redacted
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"link": res.Link, "job_id": res.Job.ID})
	})
	log.Fatal(http.ListenAndServe("localhost:8080", mux))
}

// currentIdentityID stands for the application's session lookup.
func currentIdentityID(r *http.Request) string { return r.Header.Get("X-Identity-ID") }

// Create with EMAIL delivery: Beyond Identity emails the link, which
// redirects to the authenticator config's Invoke URL with a /bind path.
func ExampleBindingJobsService_Create() {
	c := exampleBindingClient()
	res, err := c.BindingJobs.Create(context.Background(), "c0ffee00d15ea5e1", &beyondidentity.CreateBindingJobRequest{
		DeliveryMethod:        beyondidentity.DeliveryMethodEmail,
		AuthenticatorConfigID: "5b0c6c1e-7d1a-4c57-9a58-0f6f3d2e8a11",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Job.ID, res.Job.State) // res.Link is empty for EMAIL
}

// Wait until the user has bound the passkey, the link has expired or the
// job was revoked, for at most ten minutes.
func ExampleBindingJobsService_Wait() {
	c := exampleBindingClient()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	job, err := c.BindingJobs.Wait(ctx, "c0ffee00d15ea5e1", "b1d0b1d0b1d0b1d0", &beyondidentity.WaitOptions{
		OnUpdate: func(j *beyondidentity.BindingJob) { log.Printf("binding job %s: %s", j.ID, j.State) },
	})
	var failed *beyondidentity.BindingJobError
	switch {
	case err == nil:
		fmt.Println("passkey bound:", job.CredentialID)
	case errors.As(err, &failed):
		fmt.Println("binding did not happen:", failed.State) // EXPIRED, FAILED_TO_SEND or REVOKED
	case errors.Is(err, context.DeadlineExceeded):
		if job != nil {
			fmt.Println("still waiting after ten minutes; last state:", job.State)
		}
	default:
		log.Fatal(err)
	}
}

// Send binding emails to many users at once and read the outcome.
func ExampleBindingJobsService_CreateBatch() {
	c := exampleBindingClient()
	ctx := context.Background()
	batch, err := c.BindingJobs.CreateBatch(ctx, &beyondidentity.CreateBatchBindingJobRequest{
		IdentityIDs: []string{"c0ffee00d15ea5e1", "d0d0cafe00112233"},
		JobTemplate: beyondidentity.BatchBindingJobTemplate{AuthenticatorConfigID: "5b0c6c1e-7d1a-4c57-9a58-0f6f3d2e8a11"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for job, err := range c.BindingJobs.AllBatchResults(ctx, batch.ID, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(job.IdentityID, job.State)
	}
	for identityID, e := range batch.StateCommentary.Errors {
		fmt.Println(identityID, "failed:", e.LastError)
	}
}

// List the pending binding jobs of the whole realm.
func ExampleBindingJobsService_All() {
	c := exampleBindingClient()
	opts := &beyondidentity.ListOptions{PageSize: 200, Filter: `state eq "LINK_SENT"`}
	for job, err := range c.BindingJobs.All(context.Background(), beyondidentity.AllIdentities, opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(job.IdentityID, job.ID, job.ExpireTime)
	}
}
