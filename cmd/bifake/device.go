package main

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/passkeyhq/beyondidentity/internal/fakeapi"
)

// devicePrefix is where bifake serves what the in-process fake offers as Go
// methods: playing the device that binds a passkey, and moving a binding job
// to another state. It lies outside /v1/, so it never shadows an API path.
const devicePrefix = "/bifake/"

// deviceHandler serves
//
//	POST /bifake/complete-binding  {"link": "<binding link of either shape>"}
//	     → 200 {"tenant_id","realm_id","identity_id","job_id","credential_id",
//	            "post_binding_redirect_uri"}
//	POST /bifake/job-state         {"job_id": "…", "state": "EXPIRED"}
//	     → 204
//
// and passes every other request to next. Errors are {"error": "…"} with 400
// (bad request, unknown link or job), 409 (the job is not pending, the
// identity is suspended) or 405.
func deviceHandler(e *fakeapi.Engine, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, devicePrefix) {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			deviceError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		switch strings.TrimPrefix(r.URL.Path, devicePrefix) {
		case "complete-binding":
			var in struct {
				Link string `json:"link"`
			}
			if !readDeviceBody(w, r, &in) {
				return
			}
			b, err := e.CompleteBinding(r.Context(), in.Link)
			switch {
			case errors.Is(err, fakeapi.ErrJobNotPending), errors.Is(err, fakeapi.ErrIdentitySuspended):
				deviceError(w, http.StatusConflict, err.Error())
			case err != nil:
				deviceError(w, http.StatusBadRequest, err.Error())
			default:
				writeDeviceJSON(w, http.StatusOK, map[string]string{
					"tenant_id": b.TenantID, "realm_id": b.RealmID, "identity_id": b.IdentityID,
					"job_id": b.JobID, "credential_id": b.CredentialID,
					"post_binding_redirect_uri": b.PostBindingRedirectURI,
				})
			}
		case "job-state":
			var in struct {
				JobID string `json:"job_id"`
				State string `json:"state"`
			}
			if !readDeviceBody(w, r, &in) {
				return
			}
			if err := e.SetJobState(in.JobID, in.State); err != nil {
				deviceError(w, http.StatusBadRequest, err.Error())
				return
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			deviceError(w, http.StatusNotFound, "not found")
		}
	})
}

func readDeviceBody(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		deviceError(w, http.StatusBadRequest, "the body must be a JSON object")
		return false
	}
	return true
}

func deviceError(w http.ResponseWriter, status int, msg string) {
	writeDeviceJSON(w, status, map[string]string{"error": msg})
}

func writeDeviceJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
