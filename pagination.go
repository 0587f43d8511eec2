package beyondidentity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"reflect"
	"strings"
)

// ListOptions pages and filters a list call. Zero fields are not sent.
//
// The API binds a page token to the filter (and the other parameters) of
// the request that produced it: the iterators of this package repeat them
// with every page token.
type ListOptions struct {
	// PageSize is the number of items per page; the server's default is
	// used when zero. The maximum depends on the resource (200 for
	// identities, binding jobs and credentials; 100 for authenticator
	// configs and tokens).
	PageSize int `url:"page_size,omitempty"`
	// PageToken continues a list from a previous page's NextPageToken.
	PageToken string `url:"page_token,omitempty"`
	// Skip is the number of items to skip (a zero-based offset).
	Skip int `url:"skip,omitempty"`
	// Filter is a SCIM filter (RFC 7644 §3.4.2.2), for example
	// `traits.username eq "ada"` for identities.
	Filter string `url:"filter,omitempty"`
}

// FilterEq returns the SCIM filter `attribute eq "value"` with value quoted
// and escaped, for ListOptions.Filter: for example
// FilterEq("traits.username", "ada") for identities, or
// FilterEq("state", string(BindingJobStateLinkSent)) for binding jobs.
// Which attributes a list accepts is up to the API.
func FilterEq(attribute, value string) string {
	return attribute + " eq " + scimString(value)
}

func checkPageSize(field string, size, maxSize int) error {
	if size < 0 || size > maxSize {
		return invalid(field, fmt.Sprintf("%d is outside 0..%d (0 means the server's default)", size, maxSize))
	}
	return nil
}

// Page is one page of a list.
type Page[T any] struct {
	// Items are the page's items, in the server's (undefined) order.
	Items []T
	// TotalSize is the total number of items the list has, as the server
	// counts them.
	TotalSize int
	// NextPageToken continues the list; it is "" on the last page.
	NextPageToken string
}

// pageOptions is implemented by the options of every list call.
type pageOptions interface {
	// paging returns the page size, the offset (0 where the list has none)
	// and the page token field.
	paging() (pageSize, skip int, pageToken *string)
}

func (o *ListOptions) paging() (int, int, *string) { return o.PageSize, o.Skip, &o.PageToken }

// PageOptions pages a list that takes no filter (credentials, realms,
// groups, group members, roles, …). Zero fields are not sent.
type PageOptions struct {
	// PageSize is the number of items per page; the server's default is
	// used when zero. The maximum depends on the list (see each List).
	PageSize int `url:"page_size,omitempty"`
	// PageToken continues a list from a previous page's NextPageToken.
	PageToken string `url:"page_token,omitempty"`
	// Skip is the number of items to skip (a zero-based offset).
	Skip int `url:"skip,omitempty"`
}

func (o *PageOptions) paging() (int, int, *string) { return o.PageSize, o.Skip, &o.PageToken }

// CursorOptions pages a list that takes a page size and a page token only
// (applications, resource servers, batch results). Zero fields are not
// sent.
type CursorOptions struct {
	// PageSize is the number of items per page; the server's default is
	// used when zero. The maximum depends on the list (see each List).
	PageSize int `url:"page_size,omitempty"`
	// PageToken continues a list from a previous page's NextPageToken.
	PageToken string `url:"page_token,omitempty"`
}

func (o *CursorOptions) paging() (int, int, *string) { return o.PageSize, 0, &o.PageToken }

// optionsPtr is a pointer to a list's options type O.
type optionsPtr[O any] interface {
	*O
	pageOptions
}

// prepareList validates the options of a list call (page size, then skip)
// and makes cl a GET of one page with opts as its query. opts may be nil.
func prepareList[O any, PO optionsPtr[O]](cl *call, opts PO, maxPageSize int) error {
	cl.method, cl.idempotent = http.MethodGet, true
	if opts == nil {
		return nil
	}
	size, skip, _ := opts.paging()
	if err := checkPageSize("PageSize", size, maxPageSize); err != nil {
		return err
	}
	if skip < 0 {
		return invalid("Skip", "must not be negative")
	}
	cl.query = opts
	return nil
}

// list fetches one page of a list call whose answer holds its items under
// key, e.g. {"identities": [...], "total_size": n, "next_page_token": "..."}.
// opts (which may be nil) is validated first; no request is sent when it is
// invalid.
//
// The answer is decoded in one pass into a struct type whose items field is
// tagged with key (built with reflect.StructOf, which returns the same type
// for the same key, so encoding/json's per-type cache applies). Decoding into
// a map of json.RawMessage first, then the items, copied every page and
// scanned it twice.
func list[T any, O any, PO optionsPtr[O]](ctx context.Context, c *Client, cl *call, opts PO, maxPageSize int, key string) (*Page[T], error) {
	if err := prepareList(cl, opts, maxPageSize); err != nil {
		return nil, err
	}
	asked := maxPageSize
	if opts != nil {
		if size, _, _ := opts.paging(); size > 0 {
			asked = size
		}
	}
	d := &pageDecoder{key: key, maxItems: max(2*asked, maxPageSize), v: reflect.New(pageWireType[T](key))}
	if err := c.do(ctx, cl, d); err != nil {
		return nil, err
	}
	w := d.v.Elem()
	p := &Page[T]{
		Items:     w.Field(0).Interface().([]T),
		TotalSize: int(w.Field(1).Int()),
	}
	if tok := w.Field(2).Interface().(*string); tok != nil { // null and absent both end the list
		p.NextPageToken = *tok
	}
	return p, nil
}

// pageDecoder decodes a page into v, a pointer to a pageWireType, after
// checking the items without decoding them: a page with more than maxItems
// items (a server answering far more than was asked) is refused before its
// items cost any memory, and a null item is refused, so that no nil item
// reaches the caller.
type pageDecoder struct {
	key      string
	maxItems int
	v        reflect.Value
}

func (d *pageDecoder) decodeBody(b []byte) error {
	if err := checkPageItems(b, d.key, d.maxItems); err != nil {
		return err
	}
	return json.Unmarshal(b, d.v.Interface())
}

// checkPageItems walks the items of a page under key without decoding
// them: more than maxItems items, or a null item, is an error. The member
// is matched without regard to case and escapes, as encoding/json will
// match it (a server cannot slip items past the check under "Identities").
// Malformed JSON stops the walk early, for encoding/json to report.
func checkPageItems(b []byte, key string, maxItems int) error {
	obj := jsonMembers{b: b}
	for name, value := range obj.all {
		if !strings.EqualFold(jsonName(name), key) {
			continue
		}
		n := 0
		arr := jsonElements{b: value}
		for item := range arr.all {
			if n++; n > maxItems {
				return fmt.Errorf("the page holds more than %d items, far more than asked for", maxItems)
			}
			if string(item) == "null" {
				return fmt.Errorf("item %d of the page is null", n-1)
			}
		}
	}
	return nil
}

// pageWireType returns struct { Items []T `json:"<key>"`; TotalSize int
// `json:"total_size"`; NextPageToken *string `json:"next_page_token"` }.
func pageWireType[T any](key string) reflect.Type {
	return reflect.StructOf([]reflect.StructField{
		{Name: "Items", Type: reflect.TypeFor[[]T](), Tag: reflect.StructTag(`json:"` + key + `"`)},
		{Name: "TotalSize", Type: reflect.TypeFor[int](), Tag: `json:"total_size"`},
		{Name: "NextPageToken", Type: reflect.TypeFor[*string](), Tag: `json:"next_page_token"`},
	})
}

// all returns an iterator over every item of a list call: it copies *opts
// (the caller's options are never modified), starts at the copy's page
// token, and calls list with the copy, its page token set to the next one,
// for every page. The other options (filter, skip, page size) are thus sent
// again with every page, as the API requires.
func all[T any, O any, PO optionsPtr[O]](ctx context.Context, opts PO, list func(context.Context, PO) (*Page[T], error)) iter.Seq2[T, error] {
	var o O
	if opts != nil {
		o = *opts
	}
	_, _, first := PO(&o).paging()
	return allPages(ctx, *first, func(ctx context.Context, token string) (*Page[T], error) {
		p := o
		_, _, t := PO(&p).paging()
		*t = token
		return list(ctx, &p)
	})
}

// errPageTokenLoop stops an iteration whose server answers with a page
// token it gave before: the pages would repeat for ever.
var errPageTokenLoop = errors.New("beyondidentity: the server returned a page token it had returned before; stopping to avoid an endless loop")

// maxEmptyPages is how many empty pages in a row, each with a next page
// token, an iteration accepts: a server that keeps answering so would make
// a loop send requests for ever without running its body once. The API
// documents empty pages with a next page token for the SSO association
// lists ("there may be ... an empty array in the response, but as long as
// there is a page_token pagination should continue"), so the bound is
// generous.
const maxEmptyPages = 100

// allPages returns an iterator over every item of a list, starting at
// firstToken ("" for the start). fetch gets one page for a page token. No
// request is made until the loop starts; fetching stops as soon as the loop
// breaks; an error is yielded once and ends the iteration. A page token
// seen before in the same iteration, or a run of maxEmptyPages (100) empty
// pages, ends it with an error.
func allPages[T any](ctx context.Context, firstToken string, fetch func(ctx context.Context, pageToken string) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		token := firstToken
		var seen map[string]struct{}
		empty := 0
		for {
			page, err := fetch(ctx, token)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			next := page.NextPageToken
			if next == "" {
				return
			}
			if len(page.Items) == 0 {
				if empty++; empty >= maxEmptyPages {
					yield(zero, fmt.Errorf("beyondidentity: the server returned %d empty pages in a row, each with a next page token; stopping", empty))
					return
				}
			} else {
				empty = 0
			}
			if seen == nil {
				seen = map[string]struct{}{}
			}
			seen[token] = struct{}{}
			if _, dup := seen[next]; dup {
				yield(zero, errPageTokenLoop)
				return
			}
			token = next
		}
	}
}
