package fakeapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// The API's error body (schema Error) and its details (schema ErrorDetail),
// written from the spec.

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details []any  `json:"details,omitempty"`
}

type fieldViolation struct {
	Field       string `json:"field"`
	Description string `json:"description"`
}

type fieldViolationsDetail struct {
	Type            string           `json:"type"`
	FieldViolations []fieldViolation `json:"field_violations"`
}

type resourceInfoDetail struct {
	Type         string `json:"type"`
	ResourceType string `json:"resource_type"`
	ID           string `json:"id"`
	Description  string `json:"description"`
}

// batchOperationErrorsDetail spells its inner keys in PascalCase, as the spec's
// example does.
type batchOperationErrorsDetail struct {
	Type        string           `json:"type"`
	Description string           `json:"description"`
	Errors      []batchOperation `json:"errors"`
}

type batchOperation struct {
	Description  string   `json:"Description"`
	IDs          []string `json:"IDs"`
	ResourceType string   `json:"ResourceType"`
}

// errorCode is the snake_case name of an HTTP status, the API's "code".
func errorCode(status int) string {
	switch status {
	case http.StatusRequestEntityTooLarge:
		return "request_entity_too_large"
	case http.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	}
	t := http.StatusText(status)
	if t == "" {
		return "error"
	}
	t = strings.ToLower(t)
	t = strings.NewReplacer(" ", "_", "-", "_", "'", "").Replace(t)
	return t
}

// marshal encodes v as json.Marshal does, but leaves '<', '>' and '&' in
// strings as they are: raw members kept from a request (unknown traits,
// unknown protocol config members) go back exactly as they came.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"code":"internal_server_error","message":"internal server error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeEmpty answers 200 with an empty body, the API's answer to a delete.
func writeEmpty(w http.ResponseWriter) {
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

func writeError(w http.ResponseWriter, status int, message string, details ...any) {
	writeJSON(w, status, errorBody{Code: errorCode(status), Message: message, Details: details})
}

func malformed(w http.ResponseWriter) {
	writeError(w, http.StatusBadRequest, "invalid request")
}

func invalidParams(w http.ResponseWriter, fv []fieldViolation) {
	writeError(w, http.StatusBadRequest, "invalid parameters",
		fieldViolationsDetail{Type: "FieldViolations", FieldViolations: fv})
}

func invalidParam(w http.ResponseWriter, field, description string) {
	invalidParams(w, []fieldViolation{{Field: field, Description: description}})
}

func resourceInfo(resourceType, id, description string) resourceInfoDetail {
	return resourceInfoDetail{Type: "ResourceInfo", ResourceType: resourceType, ID: id, Description: description}
}

// notFound answers 404 "<what> not found" with a ResourceInfo detail.
func notFound(w http.ResponseWriter, resourceType, id, what string) {
	msg := what + " not found"
	writeError(w, http.StatusNotFound, msg, resourceInfo(resourceType, id, msg))
}

func unauthorized(w http.ResponseWriter) {
	writeError(w, http.StatusUnauthorized, "unauthorized")
}

func forbidden(w http.ResponseWriter) {
	writeError(w, http.StatusForbidden, "forbidden")
}

// oauthError answers with the OAuth 2.0 error shape of the auth host.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="beyondidentity"`)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description,omitempty"`
	}{code, description})
}

// scimMediaType is the media type of SCIM answers (RFC 7644 §3.1).
const scimMediaType = "application/scim+json"

// scimErrorSchema is the schema URN of a SCIM error (RFC 7644 §3.12).
const scimErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error"

// scimErrorBody is the spec's SCIMError: the status as a string, an
// optional SCIM detail error keyword and a readable detail.
type scimErrorBody struct {
	Schemas  []string `json:"schemas"`
	Status   string   `json:"status"`
	ScimType string   `json:"scimType,omitempty"`
	Detail   string   `json:"detail,omitempty"`
}

// writeSCIM answers v as application/scim+json.
func writeSCIM(w http.ResponseWriter, status int, v any) {
	b, err := marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"schemas":["` + scimErrorSchema + `"],"status":"500"}`)
	}
	w.Header().Set("Content-Type", scimMediaType)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// scimError answers a SCIM error; scimType may be "".
func scimError(w http.ResponseWriter, status int, scimType, detail string) {
	writeSCIM(w, status, scimErrorBody{
		Schemas: []string{scimErrorSchema}, Status: strconv.Itoa(status), ScimType: scimType, Detail: detail,
	})
}
