// Command ledgerdesk is the one binary: `serve` runs the API and the projectors, and the
// other subcommands are the clinicians', accounts department's and auditors' tools.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"ledgerdesk/cmd/ledgerdesk/internal/config"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := rootCommand().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "ledgerdesk:", err)
		var exit exitError
		if errors.As(err, &exit) {
			os.Exit(int(exit))
		}
		os.Exit(1)
	}
}

// exitError asks for a particular exit status (e.g. a replay that found differences).
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "ledgerdesk",
		Short:         "Event-sourced payments and support tickets for an online psychiatry practice",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(migrateCommand(), serveCommand(), projectCommand(), projectionsCommand(), eventsCommand())
	root.AddCommand(paymentsCommands()...)
	root.AddCommand(v1Commands()...)
	root.AddCommand(supportCommands()...)
	root.AddCommand(auditCommands()...)
	root.AddCommand(apiCommands()...)
	return root
}

func newLogger(cfg config.Config) *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
}

// withDeps runs f with connected dependencies, closing them afterwards.
func withDeps(cmd *cobra.Command, f func(ctx context.Context, d *deps) error) error {
	cfg, err := configOf(cmd.Context())
	if err != nil {
		return err
	}
	log := newLogger(cfg)
	d, err := connect(cmd.Context(), cfg, log)
	if err != nil {
		return err
	}
	defer d.close()
	return f(cmd.Context(), d)
}

func migrateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply the embedded database migrations (serve does this on start too)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withDeps(cmd, func(ctx context.Context, d *deps) error {
				fmt.Fprintln(cmd.OutOrStdout(), "database is up to date")
				return nil
			})
		},
	}
}
