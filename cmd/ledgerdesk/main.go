// Command ledgerdesk is the one binary: `serve` runs the API and the projectors, and the
// other subcommands are the clinicians', accounts department's and auditors' tools. The
// command tree is built in internal/root from one package per area; the parts are wired
// together in internal/wiring.
package main

import (
	"context"
	"fmt"
	"os"

	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/config"
	"ledgerdesk/cmd/ledgerdesk/internal/root"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
)

func main() {
	// Every setting is read and checked before any subcommand does anything.
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ledgerdesk:", err)
		os.Exit(2)
	}
	ctx, cancel := context.WithCancelCause(wiring.WithConfig(context.Background(), cfg))
	defer cancel(nil)
	cli.StopOnSignal(cancel)
	err = root.Command().ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ledgerdesk:", err)
	}
	os.Exit(cli.ExitStatus(ctx, err))
}
