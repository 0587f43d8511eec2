package fakeapi

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
)

// comparison is one SCIM filter comparison: attribute, operator, value.
type comparison struct {
	attr  string // lowercased
	op    string // lowercased
	value string
}

var errFilter = errors.New("unsupported filter")

// parseComparison parses the one SCIM filter form the fake supports:
// `attrPath SP "eq" SP string`, where the string is a JSON string literal
// (RFC 7644 §3.4.2.2: quotes and backslashes inside are escaped with '\').
// Attribute names and the operator are case-insensitive.
func parseComparison(s string) (comparison, error) {
	return parseComparisonOps(s, "eq")
}

// parseComparisonOps is parseComparison with the operators ops (lower
// case).
func parseComparisonOps(s string, ops ...string) (comparison, error) {
	s = strings.TrimSpace(s)
	attr, rest, ok := strings.Cut(s, " ")
	if !ok {
		return comparison{}, errFilter
	}
	rest = strings.TrimLeft(rest, " ")
	op, rest, ok := strings.Cut(rest, " ")
	if !ok {
		return comparison{}, errFilter
	}
	op = strings.ToLower(op)
	if !slices.Contains(ops, op) {
		return comparison{}, errFilter
	}
	rest = strings.TrimSpace(rest)
	if !strings.HasPrefix(rest, `"`) {
		return comparison{}, errFilter
	}
	dec := json.NewDecoder(strings.NewReader(rest))
	var v string
	if err := dec.Decode(&v); err != nil {
		return comparison{}, errFilter
	}
	if strings.TrimSpace(rest[dec.InputOffset():]) != "" {
		return comparison{}, errFilter
	}
	return comparison{attr: strings.ToLower(attr), op: op, value: v}, nil
}

// foldUsername is the key under which usernames are unique: they compare
// case-insensitively.
func foldUsername(u string) string { return strings.ToLower(u) }
