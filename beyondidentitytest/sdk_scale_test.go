package beyondidentitytest_test

// Tests of the SDK against the fake at some scale: pagination over many
// identities and concurrent use of one client.

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/passkeyhq/beyondidentity"
	"github.com/passkeyhq/beyondidentity/beyondidentitytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSDKPaginationOverThousandIdentities(t *testing.T) {
	t.Parallel()
	srv := newServer(t, beyondidentitytest.WithInMemory())
	c := newClient(t, srv)
	ctx := t.Context()
	const total = 1000
	for i := range total {
		createIdentity(t, c, fmt.Sprintf("user-%04d", i), "")
	}

	// all lists every identity with opts and checks what was sent: one
	// list request per page, each repeating the options.
	all := func(t *testing.T, opts *beyondidentity.ListOptions, wantPages int) []string {
		t.Helper()
		srv.ClearRequests()
		var ids []string
		seen := map[string]bool{}
		for id, err := range c.Identities.All(ctx, opts) {
			require.NoError(t, err)
			require.False(t, seen[id.ID], "duplicate %s", id.ID)
			seen[id.ID] = true
			ids = append(ids, id.ID)
		}
		lists := requestsTo(srv, http.MethodGet, identitiesPath(srv))
		require.Len(t, lists, wantPages, "list requests")
		for i, r := range lists {
			assert.Equal(t, 200, r.Status)
			assert.Equal(t, i > 0, r.Query.Has("page_token"), "page %d has a token", i)
			for name, want := range map[string]string{"page_size": strconv.Itoa(opts.PageSize), "skip": strconv.Itoa(opts.Skip), "filter": opts.Filter} {
				if want == "0" || want == "" {
					assert.False(t, r.Query.Has(name), "page %d sends no %s", i, name)
				} else {
					assert.Equal(t, []string{want}, r.Query[name], "page %d repeats %s", i, name)
				}
			}
		}
		return ids
	}

	var everyone []string
	for _, tc := range []struct {
		pageSize, pages int
	}{
		{7, 143}, // 142 full pages and one of 6
		{200, 5}, // the maximum; the fifth page is the last, with no next token
		{0, 50},  // the server's default of 20
	} {
		t.Run(fmt.Sprintf("page size %d", tc.pageSize), func(t *testing.T) {
			ids := all(t, &beyondidentity.ListOptions{PageSize: tc.pageSize}, tc.pages)
			require.Len(t, ids, total)
			if everyone == nil {
				everyone = ids
			}
			assert.Equal(t, everyone, ids, "the same identities in the same order")
		})
	}

	t.Run("skip", func(t *testing.T) {
		ids := all(t, &beyondidentity.ListOptions{PageSize: 7, Skip: 10}, 142) // 990 = 141×7 + 3
		assert.Equal(t, everyone[10:], ids)
		ids = all(t, &beyondidentity.ListOptions{Skip: 995}, 1)
		assert.Equal(t, everyone[995:], ids)
	})

	t.Run("filter", func(t *testing.T) {
		ids := all(t, &beyondidentity.ListOptions{PageSize: 7, Skip: 0, Filter: `traits.username eq "USER-0500"`}, 1)
		assert.Equal(t, everyone[500:501], ids)
	})

	t.Run("page one total", func(t *testing.T) {
		page, err := c.Identities.List(ctx, &beyondidentity.ListOptions{PageSize: 7})
		require.NoError(t, err)
		assert.Len(t, page.Items, 7)
		assert.Equal(t, total, page.TotalSize)
		assert.NotEmpty(t, page.NextPageToken)

		// The server binds the token to the skip and filter of the first
		// request: a page token without them is refused.
		first, err := c.Identities.List(ctx, &beyondidentity.ListOptions{PageSize: 7, Skip: 3})
		require.NoError(t, err)
		_, err = c.Identities.List(ctx, &beyondidentity.ListOptions{PageToken: first.NextPageToken})
		ae := requireAPIError(t, err, http.StatusBadRequest, "bad_request")
		require.Len(t, ae.FieldViolations(), 1)
		assert.Equal(t, "skip", ae.FieldViolations()[0].Field)
		_, err = c.Identities.List(ctx, &beyondidentity.ListOptions{PageToken: first.NextPageToken, Skip: 3, Filter: `traits.username eq "x"`})
		ae = requireAPIError(t, err, http.StatusBadRequest, "bad_request")
		require.Len(t, ae.FieldViolations(), 1)
		assert.Equal(t, "filter", ae.FieldViolations()[0].Field)
	})

	t.Run("filtered binding jobs over several pages", func(t *testing.T) {
		// 40 jobs: 20 EMAIL, 20 RETURN; every page must repeat filter and skip.
		for i, who := range everyone[:40] {
			req := &beyondidentity.CreateBindingJobRequest{DeliveryMethod: beyondidentity.DeliveryMethodReturn, AuthenticatorConfigID: srv.AuthenticatorConfigID()}
			if i%2 == 0 {
				_, err := c.Identities.Update(ctx, who, &beyondidentity.UpdateIdentityRequest{Traits: &beyondidentity.TraitsUpdate{PrimaryEmailAddress: beyondidentity.Ptr(fmt.Sprintf("u%d@example.com", i))}})
				require.NoError(t, err)
				req.DeliveryMethod = beyondidentity.DeliveryMethodEmail
			}
			_, err := c.BindingJobs.Create(ctx, who, req)
			require.NoError(t, err)
		}
		srv.ClearRequests()
		opts := &beyondidentity.ListOptions{PageSize: 7, Skip: 2, Filter: `delivery_method eq "EMAIL"`}
		seen := map[string]bool{}
		for job, err := range c.BindingJobs.All(ctx, beyondidentity.AllIdentities, opts) {
			require.NoError(t, err)
			assert.Equal(t, beyondidentity.DeliveryMethodEmail, job.DeliveryMethod)
			assert.False(t, seen[job.ID])
			seen[job.ID] = true
		}
		assert.Len(t, seen, 18)
		lists := requestsTo(srv, http.MethodGet, identitiesPath(srv)+"/-/credential-binding-jobs")
		require.Len(t, lists, 3) // 18 = 7 + 7 + 4
		for _, r := range lists {
			assert.Equal(t, `delivery_method eq "EMAIL"`, r.Query.Get("filter"))
			assert.Equal(t, "2", r.Query.Get("skip"))
			assert.Equal(t, "7", r.Query.Get("page_size"))
		}
		assert.Equal(t, beyondidentity.ListOptions{PageSize: 7, Skip: 2, Filter: `delivery_method eq "EMAIL"`}, *opts, "opts not modified")
	})
}

func TestSDKConcurrentCreates(t *testing.T) {
	t.Parallel()
	// A real loopback server: concurrency over real connections.
	srv := newServer(t)
	c := newClient(t, srv)
	ctx := t.Context()
	const n = 50

	type result struct {
		identity *beyondidentity.Identity
		job      *beyondidentity.CreateBindingJobResult
		err      error
	}
	results := make([]result, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			r := &results[i]
			r.identity, r.err = c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
				DisplayName: fmt.Sprintf("User %d", i),
				Traits:      beyondidentity.Traits{Username: fmt.Sprintf("user-%02d", i)},
			})
			if r.err != nil {
				return
			}
			r.job, r.err = c.BindingJobs.CreateReturnLink(ctx, r.identity.ID, srv.AuthenticatorConfigID(), nil)
		})
	}
	close(start)
	wg.Wait()

	identities, jobs, links := map[string]bool{}, map[string]string{}, map[string]bool{}
	for i, r := range results {
		require.NoError(t, r.err, "goroutine %d", i)
		assert.Equal(t, fmt.Sprintf("user-%02d", i), r.identity.Traits.Username)
		assert.Equal(t, r.identity.ID, r.job.Job.IdentityID)
		identities[r.identity.ID] = true
		jobs[r.job.Job.ID] = r.identity.ID
		links[r.job.Link.Reveal()] = true
	}
	assert.Len(t, identities, n, "distinct identities")
	assert.Len(t, jobs, n, "distinct jobs")
	assert.Len(t, links, n, "distinct links")

	// The fake holds exactly these.
	idPage, err := c.Identities.List(ctx, &beyondidentity.ListOptions{PageSize: 200})
	require.NoError(t, err)
	assert.Equal(t, n, idPage.TotalSize)
	for _, id := range idPage.Items {
		assert.True(t, identities[id.ID], "unexpected identity %s", id.ID)
	}
	jobPage, err := c.BindingJobs.List(ctx, beyondidentity.AllIdentities, &beyondidentity.ListOptions{PageSize: 200})
	require.NoError(t, err)
	assert.Equal(t, n, jobPage.TotalSize)
	for _, j := range jobPage.Items {
		assert.Equal(t, jobs[j.ID], j.IdentityID, "job %s", j.ID)
	}

	// Each create was sent once, and the goroutines shared one token.
	assert.Len(t, requestsTo(srv, http.MethodPost, identitiesPath(srv)), n)
	assert.Equal(t, 1, tokenRequests(srv))
}
