// Package clitest runs the ledgerdesk command tree in a test, and opens the runtime its
// commands run on, for the areas' tests to set up and inspect what the commands did.
package clitest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"ledgerdesk/cmd/ledgerdesk/internal/config"
	"ledgerdesk/cmd/ledgerdesk/internal/root"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/eventstore"
	"ledgerdesk/projector"
)

// Exec runs the root command with args and stdin, returning what it printed on stdout and
// on stderr.
func Exec(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := root.Command()
	var out, errb bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SetIn(strings.NewReader(stdin))
	err = cmd.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

// Run runs the root command with args, returning what it printed on stdout.
func Run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := root.Command()
	var out bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(io.Discard)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

// Config is the configuration the environment gives now; a malformed one fails the test.
func Config(t *testing.T) config.Config {
	t.Helper()
	c, err := config.Load(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Open opens the runtime on the configuration the environment gives now, closing it when
// the test ends.
func Open(t *testing.T) *wiring.Runtime {
	t.Helper()
	d, err := wiring.Open(context.Background(), Config(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Error(err)
		}
	})
	return d
}

// Events counts the events in d's store.
func Events(t *testing.T, d *wiring.Runtime) int64 {
	t.Helper()
	n, err := d.Store.(projector.Counter).CountAfter(context.Background(), eventstore.Start)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
