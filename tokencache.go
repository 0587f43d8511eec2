package beyondidentity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// TokenCache keeps access tokens of client credentials beyond one client
// (see WithTokenCache), under a key that names the token endpoint, the
// application, the client ID and the scopes asked for, never the secret.
// Implementations must be safe for concurrent use; a cache shared by
// several processes must also never hand out a partly written token.
type TokenCache interface {
	// Load returns the token stored under key; ok is false when there is
	// none. A token past its Expiry may be returned: the client checks.
	Load(ctx context.Context, key string) (tok CachedToken, ok bool, err error)
	// Store stores tok under key, replacing any token there.
	Store(ctx context.Context, key string, tok CachedToken) error
	// Delete removes the token under key if it is still token: the API
	// refused it. A token stored meanwhile by someone else stays.
	Delete(ctx context.Context, key string, token string) error
}

// CachedToken is an access token and when it expires.
type CachedToken struct {
	// Token is the access token.
	Token Secret
	// Expiry is when the token expires.
	Expiry time.Time
}

// tokenCacheTimeout bounds a cache operation that has no caller's context.
const tokenCacheTimeout = 5 * time.Second

// tokenCacheKey returns the cache key of the tokens a client-credentials
// source fetches: a hash of everything that decides what token the
// endpoint mints, except the secret.
func tokenCacheKey(tokenURL string, cc ClientCredentials) string {
	h := sha256.New()
	for _, part := range []string{tokenURL, cc.ClientID, strings.Join(cc.Scopes, " "), strconv.FormatInt(int64(cc.TokenLifetime), 10)} {
		_, _ = io.WriteString(h, strconv.Itoa(len(part))+":"+part+";")
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// NewFileTokenCache returns a TokenCache that keeps each token in a file of
// dir, readable and writable by the current user only (0600, in a
// directory created 0700 if it does not exist). Several processes of the
// same user can share it: a token is written to a temporary file and then
// renamed over the old one, so a reader sees a whole token or none. Two
// processes that start at the same moment may both mint a token; the last
// one written is the one kept.
//
// The files hold bearer tokens: put dir where only the program's user can
// read it, such as a directory under os.UserCacheDir().
func NewFileTokenCache(dir string) (TokenCache, error) {
	if strings.TrimSpace(dir) == "" {
		return nil, invalid("NewFileTokenCache", "dir is empty")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("beyondidentity: token cache: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("beyondidentity: token cache: %w", err)
	}
	if !fi.IsDir() {
		return nil, invalid("NewFileTokenCache", fmt.Sprintf("%q is not a directory", dir))
	}
	return &fileTokenCache{dir: dir}, nil
}

type fileTokenCache struct{ dir string }

// maxTokenFile bounds what Load reads of a cache file.
const maxTokenFile = 64 << 10

// fileToken is the content of a cache file.
type fileToken struct {
	Token  string    `json:"access_token"`
	Expiry time.Time `json:"expiry"`
}

func (c *fileTokenCache) path(key string) (string, error) {
	for i := 0; i < len(key); i++ {
		if b := key[i]; !('0' <= b && b <= '9' || 'a' <= b && b <= 'z') {
			return "", errors.New("token cache key is not lower-case hex")
		}
	}
	if key == "" {
		return "", errors.New("token cache key is empty")
	}
	return filepath.Join(c.dir, "token-"+key+".json"), nil
}

func (c *fileTokenCache) Load(_ context.Context, key string) (CachedToken, bool, error) {
	p, err := c.path(key)
	if err != nil {
		return CachedToken{}, false, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return CachedToken{}, false, nil
	}
	if err != nil {
		return CachedToken{}, false, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxTokenFile))
	if err != nil {
		return CachedToken{}, false, err
	}
	var ft fileToken
	if json.Unmarshal(b, &ft) != nil || ft.Token == "" {
		// A damaged file is no token; the next Store replaces it.
		return CachedToken{}, false, nil
	}
	return CachedToken{Token: NewSecret(ft.Token), Expiry: ft.Expiry}, true, nil
}

func (c *fileTokenCache) Store(_ context.Context, key string, tok CachedToken) error {
	p, err := c.path(key)
	if err != nil {
		return err
	}
	b, err := json.Marshal(fileToken{Token: tok.Token.Reveal(), Expiry: tok.Expiry.UTC()})
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(c.dir, ".token-*.tmp") // created 0600
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, p)
	}
	if werr != nil {
		_ = os.Remove(tmp)
	}
	return werr
}

func (c *fileTokenCache) Delete(ctx context.Context, key, token string) error {
	cur, ok, err := c.Load(ctx, key)
	if err != nil || !ok || cur.Token.Reveal() != token {
		return err
	}
	p, _ := c.path(key)
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
