package fakeapi

import (
	"net/http"
	"regexp"
	"time"
)

// theme is a realm's theme, the styling of its credential binding emails.
//
// Which theme is active: the spec lets a realm hold one theme ("Currently,
// each realm only supports a single theme. If a theme already exists for
// the realm, you will receive a 409 error."), so the active theme is that
// one once it is created. Before, GetActiveTheme answers a default theme
// ("If the realm has not specified the active theme, a default theme will
// be returned"), which is not a stored resource: it has no ID or
// timestamps, and GetTheme and UpdateTheme do not know it.
type theme struct {
	id      string
	created time.Time
	updated time.Time
	fields  themeFields
}

// themeFields are the writable members of a theme.
type themeFields struct {
	EmailRealmName  string `json:"email_realm_name"`
	LogoURLLight    string `json:"logo_url_light,omitempty"`
	LogoURLDark     string `json:"logo_url_dark,omitempty"`
	SupportURL      string `json:"support_url,omitempty"`
	ButtonColor     string `json:"button_color"`
	ButtonTextColor string `json:"button_text_color"`
}

// Defaults of a theme's members. "All non-read-only fields are optional
// and will be populated with defaults if unspecified": the spec gives no
// values, so the fake takes the colors of its examples and the realm's
// display name for the name in emails; the URLs have no default and stay
// absent.
const (
	defaultButtonColor     = "#4673D3"
	defaultButtonTextColor = "#FFFFFF"
)

func defaultTheme(r *realm) themeFields {
	return themeFields{EmailRealmName: r.displayName, ButtonColor: defaultButtonColor, ButtonTextColor: defaultButtonTextColor}
}

type themeJSON struct {
	ID         string `json:"id,omitempty"`
	TenantID   string `json:"tenant_id"`
	RealmID    string `json:"realm_id"`
	CreateTime string `json:"create_time,omitempty"`
	UpdateTime string `json:"update_time,omitempty"`
	themeFields
}

func (e *Engine) themeJSON(c *call, t *theme) themeJSON {
	if t == nil {
		return themeJSON{TenantID: e.tenantID, RealmID: c.realm.id, themeFields: defaultTheme(c.realm)}
	}
	return themeJSON{
		ID: t.id, TenantID: e.tenantID, RealmID: c.realm.id, CreateTime: ts(t.created), UpdateTime: ts(t.updated),
		themeFields: t.fields,
	}
}

// themeMembers are the members of the Theme schema; the read-only ones are
// accepted and ignored.
var themeMembers = []string{
	"id", "tenant_id", "realm_id", "create_time", "update_time",
	"email_realm_name", "logo_url_light", "logo_url_dark", "support_url", "button_color", "button_text_color",
}

// hexColor is a CSS hexadecimal color: #rgb, #rgba, #rrggbb or #rrggbbaa.
// The spec says only "Hexadecimal color code".
var hexColor = regexp.MustCompile(`^#(?:[0-9A-Fa-f]{3,4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$`)

// readTheme applies the members of the "theme" object of a create or
// update body to f. The URLs may be set to "" to clear them; when set they
// must be absolute URLs (support_url is format url; the logos are "URL for
// resolving the logo image").
func readTheme(v *violations, body object, f *themeFields) {
	o, ok := v.envelope(body, "theme")
	if !ok {
		return
	}
	v.known(o, "theme", themeMembers...)
	if s, ok := v.str(o, "email_realm_name", "theme"); ok {
		if s == "" {
			// The wording of the spec's example.
			v.add("theme.email_realm_name", "provided email_realm_name must not be empty")
		} else {
			checkName(v, "theme.email_realm_name", s) // 1 to 64, the pattern of names
		}
		f.EmailRealmName = s
	}
	for _, m := range []struct {
		key string
		dst *string
	}{{"logo_url_light", &f.LogoURLLight}, {"logo_url_dark", &f.LogoURLDark}, {"support_url", &f.SupportURL}} {
		if s, ok := v.str(o, m.key, "theme"); ok {
			if s != "" && !checkAbsoluteURL(s) {
				v.add("theme."+m.key, "must be an absolute URL")
			}
			*m.dst = s
		}
	}
	for _, m := range []struct {
		key string
		dst *string
	}{{"button_color", &f.ButtonColor}, {"button_text_color", &f.ButtonTextColor}} {
		if s, ok := v.str(o, m.key, "theme"); ok {
			if !hexColor.MatchString(s) {
				v.add("theme."+m.key, "must be a hexadecimal color code such as #4673D3")
			}
			*m.dst = s
		}
	}
}

// createTheme creates the realm's theme: 409 when it has one.
func (e *Engine) createTheme(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	f := defaultTheme(c.realm)
	readTheme(&v, body, &f)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	if c.realm.theme != nil {
		writeError(c.w, http.StatusConflict, "theme already exists for this realm")
		return
	}
	t := &theme{id: e.uuid(), created: c.now, updated: c.now, fields: f}
	c.realm.theme = t
	writeJSON(c.w, http.StatusOK, e.themeJSON(c, t))
}

func (e *Engine) getActiveTheme(c *call) {
	writeJSON(c.w, http.StatusOK, e.themeJSON(c, c.realm.theme))
}

func (e *Engine) findTheme(c *call) *theme {
	if t := c.realm.theme; t != nil && t.id == c.params[0] {
		return t
	}
	notFound(c.w, "Theme", c.params[0], "theme")
	return nil
}

func (e *Engine) getTheme(c *call) {
	if t := e.findTheme(c); t != nil {
		writeJSON(c.w, http.StatusOK, e.themeJSON(c, t))
	}
}

// updateTheme changes the members sent and leaves the others.
func (e *Engine) updateTheme(c *call) {
	body, ok := readObject(c.w, c.r, c.body, false)
	if !ok {
		return
	}
	var v violations
	var probe themeFields
	readTheme(&v, body, &probe)
	if len(v) > 0 {
		invalidParams(c.w, v)
		return
	}
	t := e.findTheme(c)
	if t == nil {
		return
	}
	readTheme(&v, body, &t.fields)
	t.updated = c.now
	writeJSON(c.w, http.StatusOK, e.themeJSON(c, t))
}
