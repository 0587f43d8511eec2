package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// isTerminal reports whether w is a terminal (a character device), where a
// progress bar can redraw itself in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progress shows how far a phase got, with counts and rate: on a terminal, a
// bar redrawn in place ten times a second; elsewhere (a file, a pipe, CI
// logs), a plain line every few seconds, when something moved. Both end with
// a final line.
type progress struct {
	w        io.Writer
	terminal bool
	every    time.Duration // how often a line is drawn
	label    string
	total    int
	start    time.Time

	mu                        sync.Mutex
	created, existing, failed int
	lastDrawn                 [3]int // the counts of the last plain line

	stop chan struct{}
	done chan struct{}
}

// plainEvery is how often progress prints a line when not on a terminal.
const plainEvery = 5 * time.Second

func startProgress(w io.Writer, terminal bool, label string, total int) *progress {
	p := &progress{
		w: w, terminal: terminal, every: plainEvery, label: label, total: total, start: time.Now(),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	if terminal {
		p.every = 100 * time.Millisecond
	}
	go p.loop()
	return p
}

func (p *progress) loop() {
	defer close(p.done)
	t := time.NewTicker(p.every)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.draw(false)
		}
	}
}

// add counts a finished user.
func (p *progress) add(created, existing, failed int) {
	p.mu.Lock()
	p.created += created
	p.existing += existing
	p.failed += failed
	p.mu.Unlock()
}

// finish stops the updates and draws the final state.
func (p *progress) finish() {
	close(p.stop)
	<-p.done
	p.draw(true)
}

// draw shows the current state: the bar (on a terminal) or a line.
func (p *progress) draw(final bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := p.created + p.existing + p.failed
	elapsed := time.Since(p.start)
	// Short enough for an 80-column terminal: a wrapped line cannot be
	// redrawn in place.
	line := fmt.Sprintf("%d/%d created %d existing %d failed %d", n, p.total, p.created, p.existing, p.failed)
	if elapsed > 0 && n > 0 {
		rate := float64(n) / elapsed.Seconds()
		line += fmt.Sprintf(" %.0f/s", rate)
		if !final && n < p.total {
			eta := time.Duration(float64(p.total-n) / rate * float64(time.Second))
			line += " ETA " + eta.Round(time.Second).String()
		}
	}
	if p.terminal {
		// \r returns to the line's start, \x1b[K clears what a longer line left.
		fmt.Fprintf(p.w, "\r\x1b[K%s %s", bar(n, p.total, 12), line)
		if final {
			fmt.Fprintln(p.w)
		}
		return
	}
	now := [3]int{p.created, p.existing, p.failed}
	if now == p.lastDrawn && !final {
		return // nothing moved: say nothing
	}
	p.lastDrawn = now
	fmt.Fprintf(p.w, "%s: %s\n", p.label, line)
}

// bar draws n of total as [#####-----] in width characters.
func bar(n, total, width int) string {
	full := width
	if total > 0 {
		full = min(width, n*width/total)
	}
	return "[" + strings.Repeat("#", full) + strings.Repeat("-", width-full) + "]"
}
