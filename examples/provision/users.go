package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// user is one row of the input.
type user struct {
	line        int // line of the CSV file, for messages
	username    string
	email       string
	displayName string
}

// rowIssue is a row that is not provisioned: invalid, or a duplicate.
type rowIssue struct {
	line   int
	reason string
}

// input is the list of users to provision, read from a CSV file.
type input struct {
	users      []user
	duplicates []rowIssue // rows repeating an earlier username
	invalid    []rowIssue // rows that cannot be provisioned
}

// readUsers reads a CSV file of users with a header row naming the columns
// username (required), email and display_name (optional), in any order;
// other columns are ignored. Usernames are unique regardless of case, as in
// a realm, so a row repeating an earlier username (in any case) is skipped
// as a duplicate.
func readUsers(r io.Reader) (*input, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked below, with a clearer message
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the CSV file is empty (want a header row: username,email,display_name)")
	}
	if err != nil {
		return nil, fmt.Errorf("reading the CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) // a BOM, from spreadsheet exports
		if _, dup := col[h]; dup && h != "" {
			return nil, fmt.Errorf("the CSV header names column %q twice", h)
		}
		col[h] = i
	}
	if _, ok := col["username"]; !ok {
		return nil, fmt.Errorf("the CSV header %q has no username column (want username,email,display_name)", strings.Join(header, ","))
	}
	field := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}

	in := &input{}
	seen := map[string]int{} // lower-cased username → line
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return in, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the CSV file: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		u := user{line: line, username: field(rec, "username"), email: field(rec, "email"), displayName: field(rec, "display_name")}
		switch key := strings.ToLower(u.username); {
		case len(rec) != len(header):
			in.invalid = append(in.invalid, rowIssue{line, fmt.Sprintf("has %d fields, the header %d", len(rec), len(header))})
		case u.username == "":
			in.invalid = append(in.invalid, rowIssue{line, "has no username"})
		case seen[key] != 0:
			in.duplicates = append(in.duplicates, rowIssue{line, fmt.Sprintf("repeats username %q of line %d", u.username, seen[key])})
		default:
			seen[key] = line
			if u.displayName == "" {
				u.displayName = u.username
			}
			in.users = append(in.users, u)
		}
	}
}

// generateCSV writes a CSV file of n made-up users, user-0001 to user-n,
// with addresses at example.com (a domain reserved for examples).
func generateCSV(w io.Writer, n int) error {
	width := max(4, len(fmt.Sprint(n)))
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"username", "email", "display_name"})
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("user-%0*d", width, i)
		_ = cw.Write([]string{name, name + "@example.com", fmt.Sprintf("User %0*d", width, i)})
	}
	cw.Flush()
	return cw.Error()
}
