package beyondidentity

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pageBody is a list answer holding identities with the given IDs; tokenJSON
// is the raw JSON of next_page_token, or "" to leave the key out.
func pageBody(tokenJSON string, ids ...string) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = identityFixture(id, "user-"+id)
	}
	b := `{"identities": [` + strings.Join(items, ",") + `], "total_size": 5`
	if tokenJSON != "" {
		b += `, "next_page_token": ` + tokenJSON
	}
	return b + "}"
}

func collectIDs(t *testing.T, seq func(func(*Identity, error) bool)) ([]string, []error) {
	t.Helper()
	var ids []string
	var errs []error
	for id, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, id.ID)
	}
	return ids, errs
}

// Three pages then the end, with the filter, page size and skip repeated
// beside each page token, and the caller's options left as they were.
func TestAllThreePagesRepeatsOptionsWithEachToken(t *testing.T) {
	c := newGockClient(t)
	opts := &ListOptions{PageSize: 2, Skip: 1, Filter: `traits.username eq "x"`}
	before := *opts

	seq := c.Identities.All(context.Background(), opts)
	// Mocks are registered only now: a request sent by All itself, before the
	// loop, would be unmatched and fail the test.
	q := func(token string) map[string][]string {
		m := map[string][]string{"page_size": {"2"}, "skip": {"1"}, "filter": {`traits.username eq "x"`}}
		if token != "" {
			m["page_token"] = []string{token}
		}
		return m
	}
	apiMock(http.MethodGet, identitiesPath).AddMatcher(matchQuery(t, q(""))).
		Reply(200).BodyString(pageBody(`"p2"`, "a", "b"))
	apiMock(http.MethodGet, identitiesPath).AddMatcher(matchQuery(t, q("p2"))).
		Reply(200).BodyString(pageBody(`"p3"`, "c", "d"))
	apiMock(http.MethodGet, identitiesPath).AddMatcher(matchQuery(t, q("p3"))).
		Reply(200).BodyString(pageBody("", "e"))

	ids, errs := collectIDs(t, seq)
	assert.Empty(t, errs)
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, ids)
	assert.Equal(t, before, *opts, "the caller's options must not change")
}

func TestAllStartsAtCallersPageToken(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath).
		AddMatcher(matchQuery(t, map[string][]string{"page_token": {"resume-here"}})).
		Reply(200).BodyString(pageBody("", "z"))
	opts := &ListOptions{PageToken: "resume-here"}
	ids, errs := collectIDs(t, c.Identities.All(context.Background(), opts))
	assert.Empty(t, errs)
	assert.Equal(t, []string{"z"}, ids)
	assert.Equal(t, "resume-here", opts.PageToken)
}

func TestAllBreakAfterFirstItemMakesOneRequest(t *testing.T) {
	c := newGockClient(t)
	// One mock only, answering with a next page: a second request would be
	// unmatched and fail the test.
	apiMock(http.MethodGet, identitiesPath).Reply(200).BodyString(pageBody(`"p2"`, "a", "b"))
	n := 0
	for id, err := range c.Identities.All(context.Background(), nil) {
		require.NoError(t, err)
		assert.Equal(t, "a", id.ID)
		n++
		break
	}
	assert.Equal(t, 1, n)
}

func TestAllErrorOnPageTwoIsYieldedOnce(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath).Reply(200).BodyString(pageBody(`"p2"`, "a", "b"))
	apiMock(http.MethodGet, identitiesPath).
		AddMatcher(matchQuery(t, map[string][]string{"page_token": {"p2"}})).
		Reply(503).BodyString(`{"code":"unavailable","message":"try later"}`)

	var ids []string
	var errs []error
	for id, err := range c.Identities.All(context.Background(), nil) {
		if err != nil {
			assert.Nil(t, id)
			errs = append(errs, err)
			continue // the iterator must stop by itself
		}
		ids = append(ids, id.ID)
	}
	assert.Equal(t, []string{"a", "b"}, ids)
	require.Len(t, errs, 1)
	var ae *APIError
	require.ErrorAs(t, errs[0], &ae)
	assert.Equal(t, 503, ae.StatusCode)
}

func TestAllEndsOnAbsentNullOrEmptyNextPageToken(t *testing.T) {
	for _, tok := range []string{"", "null", `""`} {
		t.Run("next_page_token="+tok, func(t *testing.T) {
			c := newGockClient(t)
			apiMock(http.MethodGet, identitiesPath).Reply(200).BodyString(pageBody(tok, "a"))
			apiMock(http.MethodGet, identitiesPath).Reply(200).BodyString(pageBody(tok, "a"))
			ids, errs := collectIDs(t, c.Identities.All(context.Background(), nil))
			assert.Empty(t, errs)
			assert.Equal(t, []string{"a"}, ids)

			page, err := c.Identities.List(context.Background(), nil)
			require.NoError(t, err)
			assert.Equal(t, "", page.NextPageToken)
		})
	}
}

func TestAllContinuesPastAnEmptyPage(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath).Reply(200).BodyString(pageBody(`"p2"`))
	apiMock(http.MethodGet, identitiesPath).Reply(200).BodyString(pageBody("", "a"))
	ids, errs := collectIDs(t, c.Identities.All(context.Background(), nil))
	assert.Empty(t, errs)
	assert.Equal(t, []string{"a"}, ids)
}

func TestAllStopsWhenTheServerRepeatsThePageToken(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath).Reply(200).BodyString(pageBody(`"same"`, "a"))
	apiMock(http.MethodGet, identitiesPath).Reply(200).BodyString(pageBody(`"same"`, "b"))
	ids, errs := collectIDs(t, c.Identities.All(context.Background(), nil))
	assert.Equal(t, []string{"a", "b"}, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], errPageTokenLoop)
}

func TestAllBadPageIsYieldedAsError(t *testing.T) {
	c := newGockClient(t)
	apiMock(http.MethodGet, identitiesPath).Reply(200).BodyString(`{"identities": {"not": "a list"}, "total_size": 1}`)
	ids, errs := collectIDs(t, c.Identities.All(context.Background(), nil))
	assert.Empty(t, ids)
	require.Len(t, errs, 1)
	var re *RequestError
	require.ErrorAs(t, errs[0], &re)
	assert.Contains(t, errs[0].Error(), "identities")
}

// Tests of the generic iterator itself, with a fetch function that counts.

type fakePages struct {
	pages   map[string]*Page[int] // by page token
	errAt   string                // token whose fetch fails, if not ""
	fetched []string
}

func (f *fakePages) fetch(_ context.Context, token string) (*Page[int], error) {
	f.fetched = append(f.fetched, token)
	if f.errAt != "" && token == f.errAt {
		return nil, fmt.Errorf("page %q failed", token)
	}
	return f.pages[token], nil
}

func threePages() *fakePages {
	return &fakePages{pages: map[string]*Page[int]{
		"":   {Items: []int{1, 2}, NextPageToken: "t2"},
		"t2": {Items: []int{3, 4}, NextPageToken: "t3"},
		"t3": {Items: []int{5}},
	}}
}

func TestAllPagesIsLazy(t *testing.T) {
	f := threePages()
	seq := allPages(context.Background(), "", f.fetch)
	assert.Empty(t, f.fetched, "no fetch before the loop starts")

	var got []int
	for v, err := range seq {
		require.NoError(t, err)
		got = append(got, v)
	}
	assert.Equal(t, []int{1, 2, 3, 4, 5}, got)
	assert.Equal(t, []string{"", "t2", "t3"}, f.fetched)

	// Ranging again starts over from the first token.
	f.fetched = nil
	for range seq {
	}
	assert.Equal(t, []string{"", "t2", "t3"}, f.fetched)
}

func TestAllPagesStopsFetchingWhenTheLoopBreaks(t *testing.T) {
	for _, stopAfter := range []int{1, 2, 3} {
		f := threePages()
		n := 0
		for range allPages(context.Background(), "", f.fetch) {
			n++
			if n == stopAfter {
				break
			}
		}
		want := map[int][]string{1: {""}, 2: {""}, 3: {"", "t2"}}[stopAfter]
		assert.Equal(t, want, f.fetched, "stop after %d items", stopAfter)
	}
}

func TestAllPagesYieldsAnErrorOnceAndStops(t *testing.T) {
	f := threePages()
	f.errAt = "t2"
	var got []int
	var errs []error
	for v, err := range allPages(context.Background(), "", f.fetch) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, v)
	}
	assert.Equal(t, []int{1, 2}, got)
	require.Len(t, errs, 1)
	assert.EqualError(t, errs[0], `page "t2" failed`)
	assert.Equal(t, []string{"", "t2"}, f.fetched)

	// A loop that breaks on the error is fine too.
	f.fetched = nil
	for _, err := range allPages(context.Background(), "", f.fetch) {
		if err != nil {
			break
		}
	}
	assert.Equal(t, []string{"", "t2"}, f.fetched)
}

func TestAllPagesStartsAtFirstToken(t *testing.T) {
	f := threePages()
	var got []int
	for v, err := range allPages(context.Background(), "t3", f.fetch) {
		require.NoError(t, err)
		got = append(got, v)
	}
	assert.Equal(t, []int{5}, got)
	assert.Equal(t, []string{"t3"}, f.fetched)
}

func TestAllPagesCancelledContextIsYieldedOnce(t *testing.T) {
	f := threePages()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fetch := func(ctx context.Context, token string) (*Page[int], error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return f.fetch(ctx, token)
	}
	var got []int
	var errs []error
	for v, err := range allPages(ctx, "", fetch) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, v)
		cancel()
	}
	assert.Equal(t, []int{1, 2}, got)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Equal(t, []string{""}, f.fetched)
}

func TestAllPagesTokenLoop(t *testing.T) {
	f := &fakePages{pages: map[string]*Page[int]{
		"":  {Items: []int{1}, NextPageToken: "t"},
		"t": {Items: []int{2}, NextPageToken: "t"},
	}}
	var errs []error
	for _, err := range allPages(context.Background(), "", f.fetch) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	require.Len(t, errs, 1)
	assert.True(t, errors.Is(errs[0], errPageTokenLoop))
	assert.Equal(t, []string{"", "t"}, f.fetched)
}

func TestFilterEq(t *testing.T) {
	assert.Equal(t, `state eq "LINK_SENT"`, FilterEq("state", "LINK_SENT"))
	assert.Equal(t, `traits.username eq "a\"b\\c"`, FilterEq("traits.username", `a"b\c`))
	assert.Equal(t, `x eq "\u000a"`, FilterEq("x", "\n"))
}
