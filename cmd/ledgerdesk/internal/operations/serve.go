package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"ledgerdesk/projector"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"ledgerdesk/commands"
)

func serveCommand() *cobra.Command {
	var demo bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the API and the projectors (migrates first; --demo loads demo data)",
		Long: `Run the API and the projectors (migrates first; --demo loads demo data).

SIGINT or SIGTERM stops it: requests in flight finish, projector batches commit what was
applied, and it exits 0. If stopping takes longer than 8 s it exits anyway with 130
(SIGINT) or 143 (SIGTERM), as it does when the signal interrupts the start (migrations,
--demo). A second signal exits at once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withDeps(cmd, func(ctx context.Context, d *deps) error {
				cmds, err := d.commandDeps()
				if err != nil {
					return err
				}
				if err := ensureGoLive(ctx, d, cmds); err != nil {
					return err
				}
				if demo {
					if err := seedDemo(ctx, d, cmds); err != nil {
						return err
					}
				}
				models, err := readModels(d)
				if err != nil {
					return err
				}
				runner, err := projector.NewRunner(ctx, projector.Config{Store: d.store, DB: d.db, Projections: models, Logger: d.log})
				if err != nil {
					return err
				}
				handler, err := httpHandler(d, models)
				if err != nil {
					return err
				}
				srv := &http.Server{Addr: d.cfg.HTTPAddr, Handler: handler, ReadHeaderTimeout: 10 * time.Second}
				g, ctx := errgroup.WithContext(ctx)
				g.Go(func() error { return runner.Run(ctx) })
				g.Go(func() error { return runChainSealer(ctx, d) })
				for _, job := range supportJobs(d, cmds) {
					g.Go(func() error { return job(ctx) })
				}
				g.Go(func() error {
					d.log.Info("listening", "addr", "http://"+d.cfg.HTTPAddr)
					if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
						return err
					}
					return nil
				})
				g.Go(func() error {
					<-ctx.Done()
					// Well inside the 8 s the process allows itself to stop (main.go).
					shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					defer cancel()
					return srv.Shutdown(shutdown)
				})
				return g.Wait()
			})
		},
	}
	cmd.Flags().BoolVar(&demo, "demo", false, "load demo data first (idempotent: running it again adds nothing)")
	return cmd
}

// seedDemo loads every area's demo data through the ordinary commands, so the demo is the
// same history a real practice would produce.
func seedDemo(ctx context.Context, d *deps, cmds commands.Deps) error {
	for _, seed := range []func(context.Context, *deps, commands.Deps) error{seedPaymentsDemo, seedV1Demo, seedSupportDemo} {
		if err := seed(ctx, d, cmds); err != nil {
			return err
		}
	}
	return nil
}
