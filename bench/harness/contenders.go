package harness

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/passkeyhq/beyondidentity"
)

// Calls are the operations of one client, bound to one server.
type Calls struct {
	// Get fetches IdentityJSON and checks the ID and username decoded.
	Get func(ctx context.Context) error
	// Create creates the identity "ada" and checks the answer's ID.
	Create func(ctx context.Context) error
	// Update sets the display name to "Ada L." and checks the answer's ID.
	Update func(ctx context.Context) error
	// Range, when set, fetches every identity of the list, PageSize a page,
	// and calls yield with each one's username.
	Range func(ctx context.Context, yield func(username string)) error
}

// Contender is one way of calling the API.
type Contender struct {
	// ID names the contender in benchmark names: raw, rawsdk,
	// retryablehttp, sdk, oapi.
	ID string
	// Name names it in the table.
	Name string
	// Transport says which *http.Client it sends with.
	Transport string
	// New returns the calls of a new client of the server at baseURL.
	New func(baseURL string) (*Calls, error)

	rank int
}

var contenders []Contender

func register(c Contender) {
	contenders = append(contenders, c)
	slices.SortStableFunc(contenders, func(a, b Contender) int { return a.rank - b.rank })
}

// Contenders returns every contender compiled in, the baseline (raw) first.
// The oapi-codegen contender is compiled in with the build tag oapi only,
// after go run ./gen has generated its client.
func Contenders() []Contender { return slices.Clone(contenders) }

// Contender returns the contender with the given ID.
func ContenderByID(id string) (Contender, bool) {
	for _, c := range contenders {
		if c.ID == id {
			return c, true
		}
	}
	return Contender{}, false
}

// The request every client sends: the same headers, the same bodies.
const (
	// UserAgent is the SDK's default User-Agent, sent by every client.
	UserAgent     = "beyondidentity-go/" + beyondidentity.Version
	authorization = "Bearer " + APIToken

	createDisplayName = "Ada Lovelace"
	createUsername    = "ada"
	createEmail       = "ada@example.com"
	updateDisplayName = "Ada L."
)

// identityURL and identitiesURL return the URLs of one identity and of the
// realm's identities.
func identityURL(base string) string {
	return identitiesURL(base) + "/" + IdentityID
}

func identitiesURL(base string) string {
	return base + "/v1/tenants/" + TenantID + "/realms/" + RealmID + "/identities"
}

// defaultTransportClient returns an *http.Client with a transport of its
// own configured like http.DefaultTransport, and no timeout.
func defaultTransportClient() *http.Client {
	return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
}

// checkIdentity checks what every Get, Create and Update decodes.
func checkIdentity(id, username string) error {
	if id != IdentityID {
		return fmt.Errorf("decoded id %q, want %q", id, IdentityID)
	}
	if username != "test" {
		return fmt.Errorf("decoded username %q, want %q", username, "test")
	}
	return nil
}

func init() {
	register(Contender{ID: "sdk", Name: "SDK", rank: 3,
		Transport: "its default (go-cleanhttp pooled transport, 64 idle connections per host, headers and body each bounded by 30 s)", New: newSDK})
}

// newSDK returns the SDK with a fixed token and its default transport.
func newSDK(base string) (*Calls, error) {
	c, err := beyondidentity.NewClient(
		beyondidentity.WithTenant(TenantID),
		beyondidentity.WithRealm(RealmID),
		beyondidentity.WithBaseURLs(base, base),
		beyondidentity.WithAPIToken(APIToken),
	)
	if err != nil {
		return nil, err
	}
	return sdkCalls(c), nil
}

func sdkCalls(c *beyondidentity.Client) *Calls {
	return &Calls{
		Get: func(ctx context.Context) error {
			id, err := c.Identities.Get(ctx, IdentityID)
			if err != nil {
				return err
			}
			return checkIdentity(id.ID, id.Traits.Username)
		},
		Create: func(ctx context.Context) error {
			id, err := c.Identities.Create(ctx, &beyondidentity.CreateIdentityRequest{
				DisplayName: createDisplayName,
				Traits:      beyondidentity.Traits{Username: createUsername, PrimaryEmailAddress: createEmail},
			})
			if err != nil {
				return err
			}
			return checkIdentity(id.ID, id.Traits.Username)
		},
		Update: func(ctx context.Context) error {
			id, err := c.Identities.Update(ctx, IdentityID, &beyondidentity.UpdateIdentityRequest{
				DisplayName: beyondidentity.Ptr(updateDisplayName),
			})
			if err != nil {
				return err
			}
			return checkIdentity(id.ID, id.Traits.Username)
		},
		Range: func(ctx context.Context, yield func(string)) error {
			for id, err := range c.Identities.All(ctx, &beyondidentity.ListOptions{PageSize: PageSize}) {
				if err != nil {
					return err
				}
				yield(id.Traits.Username)
			}
			return nil
		},
	}
}
