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
	"time"

	"ledgerdesk/cmd/ledgerdesk/internal/config"

	"github.com/spf13/cobra"
)

func main() {
	// Every setting is read and checked before any subcommand does anything.
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ledgerdesk:", err)
		os.Exit(2)
	}
	ctx, cancel := context.WithCancelCause(withConfig(context.Background(), cfg))
	defer cancel(nil)
	stopOnSignal(cancel)
	err = rootCommand().ExecuteContext(ctx)
	var sig stopSignal
	if errors.As(context.Cause(ctx), &sig) {
		if err != nil {
			fmt.Fprintln(os.Stderr, "ledgerdesk:", err)
			os.Exit(sig.status())
		}
		os.Exit(0) // serve and project stop cleanly when asked to
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ledgerdesk:", err)
		var exit exitError
		if errors.As(err, &exit) {
			os.Exit(int(exit))
		}
		os.Exit(1)
	}
}

// shutdownGrace is how long the process may take to stop after SIGINT or SIGTERM before it
// exits anyway: the projectors, the HTTP server and the jobs each stop within less, and
// whatever has not committed by then is delivered again on the next start.
const shutdownGrace = 8 * time.Second

// stopSignal is the context's cause once SIGINT or SIGTERM arrives.
type stopSignal struct{ sig syscall.Signal }

func (s stopSignal) Error() string { return "received " + signalName(s.sig) }

// status is the shell's convention for a process ended by a signal: 128 + its number, so
// 130 after SIGINT and 143 after SIGTERM.
func (s stopSignal) status() int { return 128 + int(s.sig) }

func signalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// stopOnSignal cancels the command's context on the first SIGINT or SIGTERM, and exits if
// the command has not returned shutdownGrace later, or at once on a second signal.
//
// Exit status: 0 when the command finished, or (serve, project) stopped cleanly on the
// signal; 128 + the signal (130, 143) when the signal cut the work short (an interrupted
// rebuild, import or export) or the shutdown did not finish within shutdownGrace.
func stopOnSignal(cancel context.CancelCauseFunc) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		first := stopSignal{(<-sigs).(syscall.Signal)}
		fmt.Fprintf(os.Stderr, "ledgerdesk: %s: stopping (send it again to exit at once)\n", signalName(first.sig))
		cancel(first)
		select {
		case again := <-sigs:
			fmt.Fprintf(os.Stderr, "ledgerdesk: %s again: exiting now\n", signalName(again.(syscall.Signal)))
			os.Exit(stopSignal{again.(syscall.Signal)}.status())
		case <-time.After(shutdownGrace):
			fmt.Fprintf(os.Stderr, "ledgerdesk: still stopping %s after %s: exiting anyway\n", shutdownGrace, signalName(first.sig))
			os.Exit(first.status())
		}
	}()
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
