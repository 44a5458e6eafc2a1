// Package operations is the CLI for running a deployment: serve (the API, the projectors
// and the jobs), project, the read models (projections), the event history (events),
// migrate, and the API's tokens. These are infrastructure: they run the projector, the
// event store and the migrations directly, while the API they serve goes through the
// application layer.
package operations

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
)

// Commands are the operations subcommands.
func Commands() []*cobra.Command {
	return []*cobra.Command{migrateCommand(), serveCommand(), projectCommand(), projectionsCommand(), eventsCommand(), keysCommand()}
}

func migrateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply the embedded database migrations (serve does this on start too)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				fmt.Fprintln(cmd.OutOrStdout(), "database is up to date")
				return nil
			})
		},
	}
}

// untilStopped is err from work that ran until ctx ended, with the context's own
// cancellation taken as the clean stop it is: the projectors, signalled while their router
// is still starting, return context.Canceled rather than nil.
func untilStopped(ctx context.Context, err error) error {
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return nil
	}
	return err
}
