//go:build !unix

package main

import "testing"

func testSignal(t *testing.T) {
	t.Skip("delivering SIGTERM to a child process needs a Unix system; TestRunServesAndStops covers the shutdown path")
}
