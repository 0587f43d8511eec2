package beyondidentity

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Theme is the branding of a realm's end-user screens, in particular of
// the emails that EMAIL binding jobs send.
type Theme struct {
	// ID identifies the theme (a UUID). Read-only.
	ID string `json:"id,omitempty"`
	// TenantID is the theme's tenant. Read-only.
	TenantID string `json:"tenant_id,omitempty"`
	// RealmID is the theme's realm. Read-only.
	RealmID string `json:"realm_id,omitempty"`
	// CreateTime is when the theme was created. Read-only.
	CreateTime time.Time `json:"create_time,omitzero"`
	// UpdateTime is when the theme was last updated. Read-only.
	UpdateTime time.Time `json:"update_time,omitzero"`
	// EmailRealmName is the realm name the email templates show, 1 to 64
	// characters.
	EmailRealmName string `json:"email_realm_name,omitempty"`
	// LogoURLLight is the URL of the logo for light mode.
	LogoURLLight string `json:"logo_url_light,omitempty"`
	// LogoURLDark is the URL of the logo for dark mode.
	LogoURLDark string `json:"logo_url_dark,omitempty"`
	// SupportURL is the URL of the customer support portal.
	SupportURL string `json:"support_url,omitempty"`
	// ButtonColor is the hexadecimal color of buttons, such as "#4673D3".
	ButtonColor string `json:"button_color,omitempty"`
	// ButtonTextColor is the hexadecimal color of button text.
	ButtonTextColor string `json:"button_text_color,omitempty"`
}

// CreateThemeRequest is the body of [ThemesService.Create]. Every field is
// optional; the API fills the ones left empty with its defaults.
type CreateThemeRequest struct {
	// EmailRealmName is the realm name the email templates show (1 to 64
	// characters, none of {}[]<>;:?\/|*^%$#=~`!).
	EmailRealmName string `json:"email_realm_name,omitempty"`
	// LogoURLLight is an absolute URL of the logo for light mode.
	LogoURLLight string `json:"logo_url_light,omitempty"`
	// LogoURLDark is an absolute URL of the logo for dark mode.
	LogoURLDark string `json:"logo_url_dark,omitempty"`
	// SupportURL is an absolute URL of the support portal.
	SupportURL string `json:"support_url,omitempty"`
	// ButtonColor is a hexadecimal color: '#' and 3, 4, 6 or 8 hex digits.
	ButtonColor string `json:"button_color,omitempty"`
	// ButtonTextColor is a hexadecimal color like ButtonColor.
	ButtonTextColor string `json:"button_text_color,omitempty"`
}

// UpdateThemeRequest is the body of [ThemesService.Update] (a PATCH): only
// the fields that are set are sent. Each has the rules of the field of
// the same name in CreateThemeRequest; a URL set to "" is cleared, while
// the realm name and the colors cannot be empty.
type UpdateThemeRequest struct {
	EmailRealmName  *string `json:"email_realm_name,omitempty"`
	LogoURLLight    *string `json:"logo_url_light,omitempty"`
	LogoURLDark     *string `json:"logo_url_dark,omitempty"`
	SupportURL      *string `json:"support_url,omitempty"`
	ButtonColor     *string `json:"button_color,omitempty"`
	ButtonTextColor *string `json:"button_text_color,omitempty"`
}

// ThemesService handles the realm's theme. Get it from Client.Themes.
type ThemesService service

// Create creates the realm's theme. A realm has one theme: when it
// already has one, the API answers 409 (errors.Is(err, ErrConflict)); use
// [ThemesService.GetActive] and [ThemesService.Update] then.
//
// API: POST /v1/tenants/{tenant_id}/realms/{realm_id}/themes (CreateTheme)
func (s *ThemesService) Create(ctx context.Context, req *CreateThemeRequest) (*Theme, error) {
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	if err := checkTheme(req.EmailRealmName, req.LogoURLLight, req.LogoURLDark, req.SupportURL, req.ButtonColor, req.ButtonTextColor); err != nil {
		return nil, err
	}
	body := struct {
		Theme *CreateThemeRequest `json:"theme"`
	}{req}
	return fetch[Theme](ctx, s.client, &call{method: http.MethodPost, path: segs("themes"), body: body})
}

// Get fetches a theme.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/themes/{theme_id} (GetTheme)
func (s *ThemesService) Get(ctx context.Context, themeID string) (*Theme, error) {
	if err := checkThemeID(themeID); err != nil {
		return nil, err
	}
	return fetch[Theme](ctx, s.client, &call{method: http.MethodGet, path: segs("themes", themeID), idempotent: true})
}

// GetActive fetches the theme the realm uses: its own, or the API's
// default theme when it has none.
//
// API: GET /v1/tenants/{tenant_id}/realms/{realm_id}/themes/active (GetActiveTheme)
func (s *ThemesService) GetActive(ctx context.Context) (*Theme, error) {
	return fetch[Theme](ctx, s.client, &call{method: http.MethodGet, path: segs("themes", "active"), idempotent: true})
}

// Update changes a theme (PATCH) and returns it.
//
// API: PATCH /v1/tenants/{tenant_id}/realms/{realm_id}/themes/{theme_id} (UpdateTheme)
func (s *ThemesService) Update(ctx context.Context, themeID string, req *UpdateThemeRequest) (*Theme, error) {
	if err := checkThemeID(themeID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid("req", "is nil")
	}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"EmailRealmName", req.EmailRealmName}, {"ButtonColor", req.ButtonColor}, {"ButtonTextColor", req.ButtonTextColor}} {
		if f.v != nil && *f.v == "" {
			return nil, invalid(f.name, "is empty; the API takes no empty value here (URLs can be cleared with \"\")")
		}
	}
	if err := checkTheme(deref(req.EmailRealmName), deref(req.LogoURLLight), deref(req.LogoURLDark), deref(req.SupportURL),
		deref(req.ButtonColor), deref(req.ButtonTextColor)); err != nil {
		return nil, err
	}
	body := struct {
		Theme *UpdateThemeRequest `json:"theme"`
	}{req}
	return fetch[Theme](ctx, s.client, &call{method: http.MethodPatch, path: segs("themes", themeID), body: body, idempotent: true})
}

// checkThemeID refuses invalid IDs and "active", which names the active
// theme's own operation (GetActive), not a theme.
func checkThemeID(id string) error {
	if err := checkID("themeID", id); err != nil {
		return err
	}
	if id == "active" {
		return invalid("themeID", `"active" is not a theme ID; use GetActive`)
	}
	return nil
}

// checkTheme checks the values a theme write sets ("" is not set).
func checkTheme(realmName, logoLight, logoDark, support, button, buttonText string) error {
	if realmName != "" {
		if err := checkDisplayName("EmailRealmName", realmName); err != nil {
			return err
		}
	}
	for _, u := range []struct{ field, v string }{{"LogoURLLight", logoLight}, {"LogoURLDark", logoDark}, {"SupportURL", support}} {
		if u.v != "" {
			if err := checkAbsoluteURL(u.field, u.v); err != nil {
				return err
			}
		}
	}
	for _, c := range []struct{ field, v string }{{"ButtonColor", button}, {"ButtonTextColor", buttonText}} {
		if c.v != "" && !isHexColor(c.v) {
			return invalid(c.field, fmt.Sprintf("%q is not a hexadecimal color such as #4673D3", c.v))
		}
	}
	return nil
}

func isHexColor(s string) bool {
	if len(s) < 2 || s[0] != '#' {
		return false
	}
	switch len(s) - 1 {
	case 3, 4, 6, 8:
	default:
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
