package beyondidentitytest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
)

// post sends a JSON request to the fake and decodes the answer.
func post(srv *beyondidentitytest.Server, token, path string, body any) map[string]any {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return m
}

func ExampleNewServer() {
	srv := beyondidentitytest.NewServer()
	defer srv.Close()

	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	// The Management API application lives in the Admin realm.
	admin := c.InRealm(srv.AdminRealmID())
	page, err := admin.Tokens.List(context.Background(), srv.ApplicationID(), nil)
	if err != nil {
		log.Fatal(err)
	}
	// The client's own token, fetched with the seeded client credentials.
	fmt.Println(len(page.Items), page.Items[0].TokenType)
	// Output: 1 access
}

func ExampleWithSeed() {
	a := beyondidentitytest.NewServer(beyondidentitytest.WithSeed(1), beyondidentitytest.WithInMemory())
	b := beyondidentitytest.NewServer(beyondidentitytest.WithSeed(1), beyondidentitytest.WithInMemory())
	fmt.Println(a.TenantID() == b.TenantID(), a.ClientSecret() == b.ClientSecret())
	fmt.Println(len(a.TenantID()), a.TenantID()[:4])
	// Output:
	// true true
	// 16 0001
}

func ExampleServer_CompleteBinding() {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory())
	defer srv.Close()
	ctx := context.Background()
	token := srv.IssueToken("example")
	realm := "/v1/tenants/" + srv.TenantID() + "/realms/" + srv.RealmID()

	identity := post(srv, token, realm+"/identities", map[string]any{"identity": map[string]any{
		"display_name": "Ada Lovelace",
		"traits":       map[string]any{"type": "traits_v0", "username": "ada"},
	}})
	created := post(srv, token, realm+"/identities/"+identity["id"].(string)+"/credential-binding-jobs", map[string]any{"job": map[string]any{
		"delivery_method":         "RETURN",
		"authenticator_config_id": srv.AuthenticatorConfigID(),
	}})
	fmt.Println(created["credential_binding_job"].(map[string]any)["state"])

	// The front end would hand the link to the Embedded SDK; here the fake
	// device binds the passkey.
	b, err := srv.CompleteBinding(ctx, created["credential_binding_link"].(string))
	if err != nil {
		log.Fatal(err)
	}
	// The job is now COMPLETE, with b.CredentialID as its credential_id.
	fmt.Println(b.IdentityID == identity["id"], b.PrivateKey.Curve.Params().Name)
	// Output:
	// LINK_SENT
	// true P-256
}

func ExampleServer_Outbox() {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory(), beyondidentitytest.WithInvokeURL("https://app.example"))
	token := srv.IssueToken("example")
	realm := "/v1/tenants/" + srv.TenantID() + "/realms/" + srv.RealmID()
	identity := post(srv, token, realm+"/identities", map[string]any{"identity": map[string]any{
		"display_name": "Ada Lovelace",
		"traits":       map[string]any{"type": "traits_v0", "username": "ada", "primary_email_address": "ada@example.com"},
	}})
	post(srv, token, realm+"/identities/"+identity["id"].(string)+"/credential-binding-jobs", map[string]any{"job": map[string]any{
		"delivery_method":         "EMAIL",
		"authenticator_config_id": srv.AuthenticatorConfigID(),
	}})

	mail := srv.Outbox()[0]
	fmt.Println(mail.To)

	// Following the emailed link redirects to the Invoke URL's /bind route.
	hc := *srv.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(mail.Link)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	var params []string
	for k := range loc.Query() {
		params = append(params, k)
	}
	sort.Strings(params)
	fmt.Println(resp.StatusCode, loc.Scheme+"://"+loc.Host+loc.Path)
	fmt.Println(params)
	// Output:
	// ada@example.com
	// 302 https://app.example/bind
	// [api_base_url identity_id job_id realm_id tenant_id token]
}

func ExampleServer_InjectFault() {
	srv := beyondidentitytest.NewServer()
	defer srv.Close()
	c, err := srv.Client(beyondidentity.WithRetryPolicy(beyondidentity.RetryPolicy{MinBackoff: time.Millisecond}))
	if err != nil {
		log.Fatal(err)
	}
	admin := c.InRealm(srv.AdminRealmID())
	path := "/v1/tenants/" + srv.TenantID() + "/realms/" + srv.AdminRealmID() + "/applications/" + srv.ApplicationID() + "/tokens"

	// The next list answers 503; the client retries it.
	srv.InjectFault(beyondidentitytest.Fault{Method: http.MethodGet, Path: path, Status: http.StatusServiceUnavailable})
	if _, err := admin.Tokens.List(context.Background(), srv.ApplicationID(), nil); err != nil {
		log.Fatal(err)
	}
	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Status, r.Path == path)
	}
	// Output:
	// POST 200 false
	// GET 503 true
	// GET 200 true
}

// A test completes a binding while the code under test waits for it: the
// code creates the job and calls Wait (here in a goroutine, as a handler
// would), and the test plays the user's device with the link.
func ExampleServer_CompleteBinding_whileWaiting() {
	srv := beyondidentitytest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	// The code under test: an identity and a RETURN job with the seeded
	// authenticator config, then a wait for the user.
	id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
		DisplayName: "Ada Lovelace",
		Traits:      beyondidentity.Traits{Username: "ada"},
	})
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.BindingJobs.CreateReturnLink(ctx, id.ID, srv.AuthenticatorConfigID(), nil)
	if err != nil {
		log.Fatal(err)
	}
	type waitResult struct {
		job *beyondidentity.BindingJob
		err error
	}
	waited := make(chan waitResult, 1)
	go func() {
		job, err := c.BindingJobs.Wait(ctx, id.ID, res.Job.ID, &beyondidentity.WaitOptions{InitialInterval: 10 * time.Millisecond})
		waited <- waitResult{job, err}
	}()

	// The test: the user's device binds a passkey with the link.
	b, err := srv.CompleteBinding(ctx, res.Link.Reveal())
	if err != nil {
		log.Fatal(err)
	}
	w := <-waited
	if w.err != nil {
		log.Fatal(w.err)
	}
	fmt.Println(w.job.State, w.job.CredentialID == b.CredentialID)
	// Output: COMPLETE true
}
