package operations

import (
	"context"
	"errors"
	"net/http"
	"time"

	"ledgerdesk/cmd/ledgerdesk/internal/audit"
	"ledgerdesk/cmd/ledgerdesk/internal/payments"
	"ledgerdesk/cmd/ledgerdesk/internal/support"
	v1 "ledgerdesk/cmd/ledgerdesk/internal/v1"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/projector"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"
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
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				if _, err := v1.EnsureGoLive(ctx, d); err != nil {
					return err
				}
				if demo {
					if err := SeedDemo(ctx, d); err != nil {
						return err
					}
				}
				models, err := d.ReadModels()
				if err != nil {
					return err
				}
				runner, err := projector.NewRunner(ctx, projector.Config{Store: d.Store, DB: d.DB, Projections: models, Logger: d.Log})
				if err != nil {
					return err
				}
				handlers, err := HTTPHandlers(ctx, d, models)
				if err != nil {
					return err
				}
				handler := handlers.Site
				jobs, err := support.Jobs(d)
				if err != nil {
					return err
				}
				srv := &http.Server{Addr: d.Config.HTTPAddr, Handler: handler, ReadHeaderTimeout: 10 * time.Second}
				g, ctx := errgroup.WithContext(ctx)
				g.Go(func() error { return untilStopped(ctx, runner.Run(ctx)) })
				g.Go(func() error { return audit.RunChainSealer(ctx, d) })
				for _, job := range jobs {
					g.Go(func() error { return job(ctx) })
				}
				g.Go(func() error {
					d.Log.Info("listening", "addr", "http://"+d.Config.HTTPAddr)
					if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
						return err
					}
					return nil
				})
				servers := []*http.Server{srv}
				if handlers.Ops != nil {
					ops := &http.Server{Addr: d.Config.OpsAddr, Handler: handlers.Ops, ReadHeaderTimeout: 10 * time.Second}
					servers = append(servers, ops)
					g.Go(func() error {
						d.Log.Info("operations listening", "addr", "http://"+d.Config.OpsAddr)
						if err := ops.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
							return err
						}
						return nil
					})
				}
				g.Go(func() error {
					<-ctx.Done()
					// Well inside the 8 s the process allows itself to stop (cli.ShutdownGrace).
					shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					defer cancel()
					var errs []error
					for _, s := range servers {
						errs = append(errs, s.Shutdown(shutdown))
					}
					return errors.Join(errs...)
				})
				return g.Wait()
			})
		},
	}
	cmd.Flags().BoolVar(&demo, "demo", false, "load demo data first (idempotent: running it again adds nothing)")
	return cmd
}

// SeedDemo loads every area's demo data through the ordinary commands, so the demo is the
// same history a real practice would produce. The areas share nothing but the go-live date
// (recorded once, whoever gets there first), so they load side by side.
func SeedDemo(ctx context.Context, d *wiring.Runtime) error {
	// The runtime builds its parts once, on first use, and not for two callers at once.
	if _, err := d.App(); err != nil {
		return err
	}
	if _, err := d.SupportService(); err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, seed := range []func(context.Context, *wiring.Runtime) error{payments.SeedDemo, v1.SeedDemo, support.SeedDemo} {
		g.Go(func() error { return seed(gctx, d) })
	}
	return g.Wait()
}
