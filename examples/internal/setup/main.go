package setup

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/passkeyhq/beyondidentity"
)

// ErrUsage marks a command-line error the flag package has already reported.
var ErrUsage = errors.New("usage error")

// RunFunc is the body of an example program, written so tests can drive it
// in-process. env looks a variable up like os.LookupEnv, so that a variable
// set to "" can be told from one not set.
type RunFunc func(ctx context.Context, args []string, env func(string) (string, bool), stdout, stderr io.Writer) error

// Main runs an example with a context that Ctrl-C or SIGTERM cancels (a
// second one ends the program at once), then exits: 0 on success or -help,
// 2 on a usage error, 130 when interrupted, 1 with a one-line reason on any
// other error.
func Main(name string, run RunFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() { <-ctx.Done(); stop() }()
	err := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, ErrUsage):
		os.Exit(2)
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(130) // the shell's status for a program stopped by Ctrl-C
	default:
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// Parse parses args with fs, which Register has prepared: it returns
// flag.ErrHelp for -h, ErrUsage for a bad flag (fs has printed why) and an
// error for positional arguments, which no example takes.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return ErrUsage
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return nil
}

// Connect returns the client cfg describes and says on stdout what it uses;
// for an offline cfg, it starts an in-process fake, announces it on the
// first line, and stop stops it (stop is never nil).
func Connect(cfg Config, stdout, stderr io.Writer) (c *beyondidentity.Client, stop func(), err error) {
	if !cfg.Offline() {
		fmt.Fprintf(stdout, "Using %s.\n", cfg.Describe())
		c, err = cfg.NewClient(stderr)
		return c, func() {}, err
	}
	fake := StartFake(cfg.Verbose)
	fmt.Fprintln(stdout, fake.Announce())
	c, err = fake.NewClient(stderr)
	if err != nil {
		fake.Close()
		return nil, func() {}, err
	}
	return c, fake.Close, nil
}
