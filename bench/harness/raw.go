package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/passkeyhq/beyondidentity"
)

// The baseline: plain net/http and encoding/json into small local structs,
// written the way a careful hand-written client would be: the same headers
// as the SDK, the whole body read so the connection is reused.

type rawTraits struct {
	Type                string `json:"type"`
	Username            string `json:"username,omitempty"`
	PrimaryEmailAddress string `json:"primary_email_address,omitempty"`
	GivenName           string `json:"given_name,omitempty"`
	FamilyName          string `json:"family_name,omitempty"`
	ExternalID          string `json:"external_id,omitempty"`
}

type rawIdentity struct {
	ID               string    `json:"id"`
	RealmID          string    `json:"realm_id"`
	TenantID         string    `json:"tenant_id"`
	DisplayName      string    `json:"display_name"`
	Status           string    `json:"status"`
	EnrollmentStatus string    `json:"enrollment_status"`
	Traits           rawTraits `json:"traits"`
	CreateTime       time.Time `json:"create_time"`
	UpdateTime       time.Time `json:"update_time"`
}

type rawCreateBody struct {
	Identity struct {
		DisplayName string    `json:"display_name"`
		Traits      rawTraits `json:"traits"`
	} `json:"identity"`
}

type rawUpdateBody struct {
	Identity struct {
		DisplayName string `json:"display_name,omitempty"`
	} `json:"identity"`
}

type rawPage[T any] struct {
	Identities    []T    `json:"identities"`
	TotalSize     int    `json:"total_size"`
	NextPageToken string `json:"next_page_token"`
}

func rawCreateJSON() ([]byte, error) {
	var b rawCreateBody
	b.Identity.DisplayName = createDisplayName
	b.Identity.Traits = rawTraits{Type: "traits_v0", Username: createUsername, PrimaryEmailAddress: createEmail}
	return json.Marshal(&b)
}

func rawUpdateJSON() ([]byte, error) {
	var b rawUpdateBody
	b.Identity.DisplayName = updateDisplayName
	return json.Marshal(&b)
}

func setHeaders(h http.Header, hasBody bool) {
	h.Set("Accept", "application/json")
	h.Set("User-Agent", UserAgent)
	h.Set("Authorization", authorization)
	if hasBody {
		h.Set("Content-Type", "application/json")
	}
}

// decodeResponse decodes a 200 answer into out, reads the rest of the body
// and closes it.
func decodeResponse(resp *http.Response, out any) error {
	defer resp.Body.Close()
	err := json.NewDecoder(resp.Body).Decode(out)
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: status %d", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode)
	}
	return err
}

// rawDo sends one request with net/http and decodes the answer into out.
func rawDo(ctx context.Context, hc *http.Client, method, url string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	setHeaders(req.Header, body != nil)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	return decodeResponse(resp, out)
}

// retryableDo is rawDo through go-retryablehttp.
func retryableDo(ctx context.Context, c *retryablehttp.Client, method, url string, body []byte, out any) error {
	var rb any
	if body != nil {
		rb = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, url, rb)
	if err != nil {
		return err
	}
	setHeaders(req.Header, body != nil)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return decodeResponse(resp, out)
}

type doFunc func(ctx context.Context, method, url string, body []byte, out any) error

// localCalls are the calls of a client that builds its requests by hand
// and decodes into the local structs.
func localCalls(base string, do doFunc) *Calls {
	one, all := identityURL(base), identitiesURL(base)
	return &Calls{
		Get: func(ctx context.Context) error {
			var id rawIdentity
			if err := do(ctx, http.MethodGet, one, nil, &id); err != nil {
				return err
			}
			return checkIdentity(id.ID, id.Traits.Username)
		},
		Create: func(ctx context.Context) error {
			body, err := rawCreateJSON()
			if err != nil {
				return err
			}
			var id rawIdentity
			if err := do(ctx, http.MethodPost, all, body, &id); err != nil {
				return err
			}
			return checkIdentity(id.ID, id.Traits.Username)
		},
		Update: func(ctx context.Context) error {
			body, err := rawUpdateJSON()
			if err != nil {
				return err
			}
			var id rawIdentity
			if err := do(ctx, http.MethodPatch, one, body, &id); err != nil {
				return err
			}
			return checkIdentity(id.ID, id.Traits.Username)
		},
		Range: func(ctx context.Context, yield func(string)) error {
			return rangePages(ctx, all, do, func(id *rawIdentity) string { return id.Traits.Username }, yield)
		},
	}
}

// rangePages fetches every page of the list with do, decoding the items as
// T, and yields the username of each.
func rangePages[T any](ctx context.Context, url string, do doFunc, username func(*T) string, yield func(string)) error {
	token := ""
	for {
		u := url + "?page_size=" + strconv.Itoa(PageSize)
		if token != "" {
			u += "&page_token=" + token
		}
		var p rawPage[T]
		if err := do(ctx, http.MethodGet, u, nil, &p); err != nil {
			return err
		}
		for i := range p.Identities {
			yield(username(&p.Identities[i]))
		}
		if p.NextPageToken == "" {
			return nil
		}
		token = p.NextPageToken
	}
}

// sdkTypesCalls are the calls of a hand-written net/http client that
// decodes into (and encodes from) the SDK's types.
func sdkTypesCalls(base string, do doFunc) *Calls {
	one, all := identityURL(base), identitiesURL(base)
	return &Calls{
		Get: func(ctx context.Context) error {
			var id beyondidentity.Identity
			if err := do(ctx, http.MethodGet, one, nil, &id); err != nil {
				return err
			}
			return checkIdentity(id.ID, id.Traits.Username)
		},
		Create: func(ctx context.Context) error {
			body, err := json.Marshal(struct {
				Identity *beyondidentity.CreateIdentityRequest `json:"identity"`
			}{&beyondidentity.CreateIdentityRequest{
				DisplayName: createDisplayName,
				Traits:      beyondidentity.Traits{Username: createUsername, PrimaryEmailAddress: createEmail},
			}})
			if err != nil {
				return err
			}
			var id beyondidentity.Identity
			if err := do(ctx, http.MethodPost, all, body, &id); err != nil {
				return err
			}
			return checkIdentity(id.ID, id.Traits.Username)
		},
		Update: func(ctx context.Context) error {
			body, err := json.Marshal(struct {
				Identity *beyondidentity.UpdateIdentityRequest `json:"identity"`
			}{&beyondidentity.UpdateIdentityRequest{DisplayName: beyondidentity.Ptr(updateDisplayName)}})
			if err != nil {
				return err
			}
			var id beyondidentity.Identity
			if err := do(ctx, http.MethodPatch, one, body, &id); err != nil {
				return err
			}
			return checkIdentity(id.ID, id.Traits.Username)
		},
		Range: func(ctx context.Context, yield func(string)) error {
			return rangePages(ctx, all, do, func(id **beyondidentity.Identity) string { return (*id).Traits.Username }, yield)
		},
	}
}

func init() {
	register(Contender{ID: "raw", Name: "raw", rank: 0,
		Transport: "&http.Client{} with a clone of http.DefaultTransport",
		New: func(base string) (*Calls, error) {
			hc := defaultTransportClient()
			return localCalls(base, func(ctx context.Context, method, url string, body []byte, out any) error {
				return rawDo(ctx, hc, method, url, body, out)
			}), nil
		}})
	register(Contender{ID: "rawsdk", Name: "raw+SDK types", rank: 1,
		Transport: "&http.Client{} with a clone of http.DefaultTransport",
		New: func(base string) (*Calls, error) {
			hc := defaultTransportClient()
			return sdkTypesCalls(base, func(ctx context.Context, method, url string, body []byte, out any) error {
				return rawDo(ctx, hc, method, url, body, out)
			}), nil
		}})
	register(Contender{ID: "retryablehttp", Name: "go-retryablehttp", rank: 2,
		Transport: "retryablehttp.NewClient() (go-cleanhttp pooled client), Logger nil",
		New: func(base string) (*Calls, error) {
			c := retryablehttp.NewClient()
			c.Logger = nil
			return localCalls(base, func(ctx context.Context, method, url string, body []byte, out any) error {
				return retryableDo(ctx, c, method, url, body, out)
			}), nil
		}})
}
