package fakeapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"strconv"
	"strings"
)

// pageReq is a resolved list request: page size, skip, the position reached
// by earlier pages and the effective filter.
type pageReq struct {
	list   string
	filter string
	size   int
	skip   int
	offset int // items returned by earlier pages (after skip)
}

// pageToken is what an opaque page token carries, signed so it cannot be
// forged or edited.
type pageToken struct {
	List   string `json:"l"`
	Filter string `json:"f,omitempty"`
	Skip   int    `json:"s,omitempty"`
	Offset int    `json:"o"`
	Size   int    `json:"n"`
	// The second list of an operation that pages two at once
	// (ListRoleMembers: groups, then identities).
	Skip2   int `json:"s2,omitempty"`
	Offset2 int `json:"o2,omitempty"`
	Size2   int `json:"n2,omitempty"`
}

func (e *Engine) encodePageToken(t pageToken) string {
	b, _ := json.Marshal(t)
	payload := b64.EncodeToString(b)
	return payload + "." + b64.EncodeToString(e.pageMAC(payload))
}

func (e *Engine) pageMAC(payload string) []byte {
	m := hmac.New(sha256.New, e.pageKey)
	m.Write([]byte(payload))
	return m.Sum(nil)[:12]
}

func (e *Engine) decodePageToken(s string) (pageToken, bool) {
	payload, mac, ok := strings.Cut(s, ".")
	if !ok {
		return pageToken{}, false
	}
	got, err := b64.DecodeString(mac)
	if err != nil || !hmac.Equal(got, e.pageMAC(payload)) {
		return pageToken{}, false
	}
	b, err := b64.DecodeString(payload)
	if err != nil {
		return pageToken{}, false
	}
	var t pageToken
	if json.Unmarshal(b, &t) != nil {
		return pageToken{}, false
	}
	return t, true
}

// parsePage reads page_size, skip, page_token and filter for the list named
// list (a key that also binds the token to the path's parameters). A page
// token keeps the page size (a request may override it). As the spec asks
// ("all other parameters ... should match the original request"), the
// filter and skip must be sent again, unchanged, with every page: a request
// whose filter or skip differs from the first request's, or leaves it out, is
// refused, so a client that forgets them is caught.
func (e *Engine) parsePage(c *call, list string, def, max int) (pageReq, bool) {
	var v violations
	pg := pageReq{list: list, filter: c.query.Get("filter")}
	size, ok := queryUint(c, "page_size", &v)
	if ok && size > max {
		v.addf("page_size", "must be at most %d", max)
	}
	pg.skip, _ = queryUint(c, "skip", &v)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return pg, false
	}
	if raw := c.query.Get("page_token"); raw != "" {
		t, ok := e.decodePageToken(raw)
		if !ok || t.List != list {
			invalidParam(c.w, "page_token", "invalid page token")
			return pg, false
		}
		if pg.filter != t.Filter {
			invalidParam(c.w, "filter", "does not match the filter of the page token")
			return pg, false
		}
		if pg.skip != t.Skip {
			invalidParam(c.w, "skip", "does not match the skip of the first request; send it with every page")
			return pg, false
		}
		pg.offset = t.Offset
		if size == 0 {
			size = t.Size
		}
	}
	if size == 0 {
		size = def
	}
	pg.size = size
	return pg, true
}

func queryUint(c *call, name string, v *violations) (int, bool) {
	s := c.query.Get(name)
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		v.add(name, "must be a non-negative integer")
		return 0, false
	}
	return int(n), true
}

// paginate returns the page of items that pg asks for and the token of the
// next page, "" on the last page.
func paginate[T any](e *Engine, pg pageReq, items []T) ([]T, string) {
	start, end := pg.window(len(items))
	next := ""
	if end < len(items) {
		next = e.encodePageToken(pageToken{List: pg.list, Filter: pg.filter, Skip: pg.skip, Offset: pg.offset + end - start, Size: pg.size})
	}
	return items[start:end], next
}

// noFilter refuses a filter on a list operation that declares none (or
// supports none): a filter the fake cannot apply is an error, never
// silently ignored.
func noFilter(c *call, pg pageReq) bool {
	if pg.filter != "" {
		invalidParam(c.w, "filter", "unsupported filter")
		return false
	}
	return true
}

// window returns the bounds of the page pg asks for in a list of n items.
func (pg pageReq) window(n int) (start, end int) {
	start = min(pg.skip+pg.offset, n)
	return start, min(start+pg.size, n)
}

// listJSON is a list answer: the items under key, total_size and, unless
// this is the last page, next_page_token.
func listJSON(key string, items any, total int, next string) map[string]any {
	m := map[string]any{key: items, "total_size": total}
	if next != "" {
		m["next_page_token"] = next
	}
	return m
}
