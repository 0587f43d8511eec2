package beyondidentity_test

import (
	"context"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
)

func ExampleParseBindingLink() {
	raw := "http://localhost:3000/bind?api_base_url=https%3A%2F%2Fauth-us.beyondidentity.com" +
		"&identity_id=b83e0f6a2c9d1475&job_id=e1f4a9c07b3d2856&realm_id=5d2f8e1b7a0c9346" +
		"&tenant_id=0001a7c3e95b2d40&token=q7Xz-3kP_v9LmR2sTn8WcY4bHd6JfA0gUe5iKo1Npq_ZrS-tVw3xMy7aBc9DeF2G"
	link, err := beyondidentity.ParseBindingLink(raw)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link.Kind, link.IdentityID, link.JobID, link.APIBaseURL)
	fmt.Println(link) // the token is never printed
	// Output:
	// bind b83e0f6a2c9d1475 e1f4a9c07b3d2856 https://auth-us.beyondidentity.com
	// BindingLink{kind: bind, tenant: 0001a7c3e95b2d40, realm: 5d2f8e1b7a0c9346, identity: b83e0f6a2c9d1475, job: e1f4a9c07b3d2856, api_base_url: https://auth-us.beyondidentity.com, host: localhost:3000, token: REDACTED}
}

// Serve the /bind route of the Invoke URL, where an opened EMAIL binding
// link lands. The handler checks the link (tenant, realm, a Beyond Identity
// api_base_url); the page hands it to the Embedded SDK.
func ExampleClient_BindHandler() {
	srv := beyondidentitytest.NewServer(beyondidentitytest.WithInMemory(),
		beyondidentitytest.WithInvokeURL("https://shop.example"))
	defer srv.Close()
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	// html/template escapes the link for its JavaScript context.
	page := template.Must(template.New("bind").Parse(`<!doctype html>
<script type="module">
  import { Embedded } from "/static/bi-sdk.js";
  const sdk = await Embedded.initialize();
  const result = await sdk.bindPasskey({{.}});
  if (result.postBindingRedirectUri) location.assign(result.postBindingRedirectUri);
</script>`))
	mux := http.NewServeMux()
	mux.Handle("GET /bind", c.BindHandler(func(w http.ResponseWriter, r *http.Request, link *beyondidentity.BindingLink) {
		// If a user is signed in, check the link is for them:
		// if link.IdentityID != session.IdentityID { ... }
		log.Printf("binding a passkey: %v", link) // the token is redacted
		if err := page.Execute(w, link.RevealURL()); err != nil {
			log.Print(err)
		}
	}))

	// The user opens the emailed link; Beyond Identity redirects to the
	// Invoke URL's /bind route.
	user := newUser(c, "ada", "ada@example.com")
	if _, err := c.BindingJobs.Create(context.Background(), user.ID, &beyondidentity.CreateBindingJobRequest{
		DeliveryMethod: beyondidentity.DeliveryMethodEmail, AuthenticatorConfigID: srv.AuthenticatorConfigID(),
	}); err != nil {
		log.Fatal(err)
	}
	landing, err := srv.OpenLink(context.Background(), srv.Outbox()[0].Link)
	if err != nil {
		log.Fatal(err)
	}

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, landing, nil))
	fmt.Println(rec.Code, rec.Header().Get("Cache-Control"))

	forged := strings.Replace(landing, "api_base_url=", "api_base_url=https%3A%2F%2Fevil.example&x=", 1)
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, forged, nil))
	fmt.Println(rec.Code)
	// Output:
	// 200 no-store
	// 400
}
