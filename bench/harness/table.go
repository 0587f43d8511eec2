package harness

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteTable writes the sections as one Markdown table. Allocations and
// bytes are shown with their ratio to raw's in the same section; wall time
// only as a ratio to raw: the median over the rounds, and in parentheses the
// quartiles.
func WriteTable(w io.Writer, sections []Section) error {
	var b strings.Builder
	b.WriteString("| measure | client | allocs | bytes | wall vs raw (quartiles) | notes |\n")
	b.WriteString("|---|---|---:|---:|---:|---|\n")
	for _, s := range sections {
		var base *Result
		if len(s.Results) > 0 && s.Results[0].Contender == "raw" {
			base = &s.Results[0]
		}
		for _, r := range s.Results {
			allocs, bytes, wall := "", "", ""
			if s.Unit != "" {
				digits := 0
				if s.Unit == "identity" {
					digits = 1
				}
				allocs = withRatio(r.Allocs, digits, base, func(x *Result) float64 { return x.Allocs })
				bytes = withRatio(r.Bytes, digits, base, func(x *Result) float64 { return x.Bytes })
				wall = fmt.Sprintf("%.2f", r.Wall)
				if r.Contender != "raw" {
					wall += fmt.Sprintf(" (%.2f–%.2f)", r.WallQ1, r.WallQ3)
				}
			}
			measure := s.Measure
			if s.Unit != "" {
				measure += " (per " + s.Unit + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", measure, r.Contender, allocs, bytes, wall, r.Note)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func withRatio(v float64, digits int, base *Result, get func(*Result) float64) string {
	s := thousands(v, digits)
	if base != nil && get(base) > 0 {
		s += fmt.Sprintf(" (×%.2f)", v/get(base))
	}
	return s
}

// thousands formats v with the given number of decimals and commas between
// thousands.
func thousands(v float64, digits int) string {
	s := strconv.FormatFloat(v, 'f', digits, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var out []byte
	for i, c := range []byte(intPart) {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	r := string(out)
	if neg {
		r = "-" + r
	}
	if frac != "" {
		r += "." + frac
	}
	return r
}
