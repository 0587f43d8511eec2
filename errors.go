package beyondidentity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors for use with errors.Is. An *APIError matches the sentinel of
// its HTTP status; a *ValidationError matches ErrInvalidArgument.
var (
	// ErrNotFound matches an *APIError with status 404.
	ErrNotFound = errors.New("beyondidentity: not found")
	// ErrConflict matches an *APIError with status 409, for example a
	// username that is already taken or a binding job that is already complete.
	ErrConflict = errors.New("beyondidentity: conflict")
	// ErrUnauthorized matches an *APIError with status 401: the access token
	// was rejected (and, for refreshable token sources, a fresh token was
	// rejected too) or the client credentials are wrong.
	ErrUnauthorized = errors.New("beyondidentity: unauthorized")
	// ErrForbidden matches an *APIError with status 403: the token lacks a
	// scope or the resource belongs to another tenant.
	ErrForbidden = errors.New("beyondidentity: forbidden")
	// ErrRateLimited matches an *APIError with status 429. When the server
	// asked for a wait longer than RetryPolicy.MaxRetryAfter, the call fails
	// at once and APIError.RetryAfter holds the requested wait.
	ErrRateLimited = errors.New("beyondidentity: rate limited")
	// ErrInvalidArgument matches a *ValidationError (input rejected by the
	// library before any request was sent) and an *APIError with status 400
	// (input rejected by the server).
	ErrInvalidArgument = errors.New("beyondidentity: invalid argument")
)

// APIError is returned for every response with a non-2xx status. It carries
// the decoded error body of the API ({code, message, details}), of the
// token endpoint ({error, error_description}) or of the SCIM endpoints
// ({scimType, detail}).
//
// Error() is a single readable line that never includes a secret or a query
// string.
type APIError struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Code is the API's error code, such as "not_found" or "conflict"; for
	// the token endpoint it is the OAuth error, such as "invalid_client".
	Code string
	// Message is the human readable message of the API.
	Message string
	// Details holds the typed error details the API returned, if any.
	Details []ErrorDetail
	// RequestID is the request or correlation ID the server returned in a
	// response header, if any. Quote it when contacting support.
	RequestID string
	// RetryAfter is the wait the server asked for in a Retry-After or
	// RateLimit-Reset header, zero if none.
	RetryAfter time.Duration
	// Method is the HTTP method of the request.
	Method string
	// URL is the request URL without its query string.
	URL string
	// Attempts is how many times the request was sent.
	Attempts int
}

// Error returns a one-line description of the failure.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("beyondidentity: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.URL)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != "" {
		b.WriteByte(' ')
		b.WriteString(e.Code)
	} else if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(oneLine(e.Message))
	}
	for _, d := range e.Details {
		for _, fv := range d.FieldViolations {
			fmt.Fprintf(&b, "; %s: %s", oneLine(fv.Field), oneLine(fv.Description))
		}
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(oneLine(e.RequestID))
		b.WriteByte(')')
	}
	return b.String()
}

// Is reports whether the error matches one of the package's sentinel errors
// by HTTP status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrInvalidArgument:
		return e.StatusCode == http.StatusBadRequest
	}
	return false
}

// FieldViolations returns the field violations of all FieldViolations
// details, or nil.
func (e *APIError) FieldViolations() []FieldViolation {
	var out []FieldViolation
	for _, d := range e.Details {
		out = append(out, d.FieldViolations...)
	}
	return out
}

// ResourceInfo returns the first ResourceInfo detail, or nil when there is none.
func (e *APIError) ResourceInfo() *ErrorDetail {
	for i := range e.Details {
		if e.Details[i].Type == DetailTypeResourceInfo {
			return &e.Details[i]
		}
	}
	return nil
}

// DetailType is the kind of an ErrorDetail. It is an open set: kinds this
// version does not know decode as they are.
type DetailType string

// Detail types documented by the API.
const (
	DetailTypeFieldViolations      DetailType = "FieldViolations"
	DetailTypeResourceInfo         DetailType = "ResourceInfo"
	DetailTypeBatchOperationErrors DetailType = "BatchOperationErrors"
)

// ErrorDetail is one element of an API error's details. The API's details are
// polymorphic on Type; the fields of each documented kind are decoded into the
// matching fields here, and Raw always holds the detail's original JSON so
// unknown kinds are not lost.
type ErrorDetail struct {
	// Type is the kind of detail, one of the DetailType constants or a kind
	// this version of the library does not know.
	Type DetailType
	// FieldViolations lists the invalid fields (Type FieldViolations).
	FieldViolations []FieldViolation
	// ResourceType names the kind of resource, such as "Identity" (Type ResourceInfo).
	ResourceType string
	// ResourceID is the ID of the resource (Type ResourceInfo).
	ResourceID string
	// Description describes the problem (Types ResourceInfo and BatchOperationErrors).
	Description string
	// BatchErrors lists the failures of a batch operation (Type BatchOperationErrors).
	BatchErrors []BatchOperationError
	// Raw is the detail's JSON as the server sent it.
	Raw json.RawMessage
}

// FieldViolation names an invalid field of a request and why it is invalid.
type FieldViolation struct {
	// Field is the path of the field in the request body, e.g. "identity.display_name".
	Field string `json:"field"`
	// Description says what is wrong with it.
	Description string `json:"description"`
}

// BatchOperationError describes a failure of a batch operation for some IDs.
// The API spells these keys in PascalCase.
type BatchOperationError struct {
	// Description says what failed.
	Description string `json:"Description"`
	// IDs are the IDs the failure applies to.
	IDs []string `json:"IDs"`
	// ResourceType names the kind of resource, such as "Identity".
	ResourceType string `json:"ResourceType"`
}

// UnmarshalJSON decodes a detail of any kind and keeps its raw JSON.
func (d *ErrorDetail) UnmarshalJSON(b []byte) error {
	var w struct {
		Type            DetailType            `json:"type"`
		FieldViolations []FieldViolation      `json:"field_violations"`
		ResourceType    string                `json:"resource_type"`
		ID              string                `json:"id"`
		Description     string                `json:"description"`
		Errors          []BatchOperationError `json:"errors"`
	}
	// A detail of an unknown shape must not fail the whole error decoding.
	_ = json.Unmarshal(b, &w)
	*d = ErrorDetail{
		Type:            w.Type,
		FieldViolations: w.FieldViolations,
		ResourceType:    w.ResourceType,
		ResourceID:      w.ID,
		Description:     w.Description,
		BatchErrors:     w.Errors,
		Raw:             append(json.RawMessage(nil), b...),
	}
	return nil
}

// ValidationError reports input that the library rejected before sending any
// request. errors.Is(err, ErrInvalidArgument) is true for it.
type ValidationError struct {
	// Field names the argument, request field or option that is invalid,
	// e.g. "identityID", "Traits.Username" or "WithTenant".
	Field string
	// Problem says what is wrong with it.
	Problem string
}

// Error returns a one-line description of the problem.
func (e *ValidationError) Error() string {
	return "beyondidentity: invalid " + e.Field + ": " + e.Problem
}

// Is makes errors.Is(err, ErrInvalidArgument) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidArgument }

func invalid(field, problem string) *ValidationError {
	return &ValidationError{Field: field, Problem: problem}
}

// RequestError is returned when a request could not be completed at the
// transport level: the connection failed, the context was cancelled or its
// deadline passed, or the response could not be read. It names the request
// (without its query string) and unwraps to the cause, so
// errors.Is(err, context.Canceled) and errors.As with *url.Error or
// *net.OpError keep working.
type RequestError struct {
	// Method is the HTTP method of the request.
	Method string
	// URL is the request URL without its query string.
	URL string
	// Err is the cause.
	Err error
}

// Error returns a one-line description naming the request and the cause.
func (e *RequestError) Error() string {
	return "beyondidentity: " + e.Method + " " + e.URL + ": " + causeText(e.Err)
}

// Unwrap returns the cause.
func (e *RequestError) Unwrap() error { return e.Err }

// causeText returns the message of err without the full URL that *url.Error
// puts in front of it.
func causeText(err error) string {
	for {
		ue, ok := err.(*url.Error)
		if !ok {
			break
		}
		err = ue.Err
	}
	return oneLine(err.Error())
}

// oneLine makes text from a server fit one log line: control characters
// (newlines, terminal escape sequences) become spaces and runs of spaces
// shrink to one.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) }) {
		return s
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// errorBody is the union of the API's and the token endpoint's error bodies.
type errorBody struct {
	Code             string        `json:"code"`
	Message          string        `json:"message"`
	Details          []ErrorDetail `json:"details"`
	Error            string        `json:"error"`
	ErrorDescription string        `json:"error_description"`
	// SCIM endpoints answer RFC 7644 §3.12 errors.
	SCIMType string `json:"scimType"`
	Detail   string `json:"detail"`
}

// newAPIError builds an *APIError from a response status, headers and a
// (size-limited) body.
func newAPIError(method, u string, status int, h http.Header, body []byte) *APIError {
	e := &APIError{StatusCode: status, Method: method, URL: u}
	var eb errorBody
	if len(body) > 0 && json.Unmarshal(body, &eb) == nil {
		e.Code, e.Message, e.Details = eb.Code, eb.Message, eb.Details
		if e.Code == "" {
			e.Code = eb.Error
		}
		if e.Message == "" {
			e.Message = eb.ErrorDescription
		}
		if e.Code == "" {
			e.Code = eb.SCIMType
		}
		if e.Message == "" {
			e.Message = eb.Detail
		}
	} else if len(body) > 0 {
		// Not JSON (a proxy's HTML page, say): keep a short, single-line excerpt.
		msg := oneLine(string(body))
		if len(msg) > 200 {
			// Cut at a character boundary, not inside a UTF-8 sequence.
			n := 200
			for n > 0 && !utf8.RuneStart(msg[n]) {
				n--
			}
			msg = msg[:n] + "…"
		}
		e.Message = msg
	}
	e.RequestID = requestID(h)
	e.RetryAfter = retryAfter(h, time.Now())
	return e
}

func requestID(h http.Header) string {
	for _, k := range []string{"X-Request-Id", "X-Correlation-Id", "Request-Id"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// scrub replaces every secret in the texts the error took from the answer
// (a gateway may echo the Authorization header into its error body).
func (e *APIError) scrub(secrets []string) {
	if len(secrets) == 0 {
		return
	}
	e.Code = scrub(e.Code, secrets)
	e.Message = scrub(e.Message, secrets)
	e.RequestID = scrub(e.RequestID, secrets)
	for i := range e.Details {
		d := &e.Details[i]
		d.Type = DetailType(scrub(string(d.Type), secrets))
		d.ResourceType = scrub(d.ResourceType, secrets)
		d.ResourceID = scrub(d.ResourceID, secrets)
		d.Description = scrub(d.Description, secrets)
		for j := range d.FieldViolations {
			fv := &d.FieldViolations[j]
			fv.Field, fv.Description = scrub(fv.Field, secrets), scrub(fv.Description, secrets)
		}
		for j := range d.BatchErrors {
			be := &d.BatchErrors[j]
			be.Description, be.ResourceType = scrub(be.Description, secrets), scrub(be.ResourceType, secrets)
			for k := range be.IDs {
				be.IDs[k] = scrub(be.IDs[k], secrets)
			}
		}
		for _, s := range secrets {
			d.Raw = bytes.ReplaceAll(d.Raw, []byte(s), []byte(redacted))
		}
	}
}
