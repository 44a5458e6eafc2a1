package operations

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"ledgerdesk/cmd/ledgerdesk/internal/audit"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/projector"

	"github.com/google/uuid"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"ledgerdesk/projections"
)

func projectCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "project",
		Short: "Run the projectors only (run several, on several machines: each projection is owned by one at a time)",
		Long: `Run the projectors only (run several, on several machines: each projection is owned by one at a time).

SIGINT or SIGTERM stops it: batches in flight commit what was applied, and it exits 0.
If stopping takes longer than 8 s it exits anyway with 130 (SIGINT) or 143 (SIGTERM);
what was not committed is applied again on the next start. A second signal exits at once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				models, err := d.ReadModels()
				if err != nil {
					return err
				}
				r, err := projector.NewRunner(ctx, projector.Config{Store: d.Store, DB: d.DB, Projections: models, Logger: d.Log})
				if err != nil {
					return err
				}
				d.Log.Info("projectors running", "projections", len(models))
				g, gctx := errgroup.WithContext(ctx)
				g.Go(func() error { return untilStopped(gctx, r.Run(gctx)) })
				g.Go(func() error { return audit.RunChainSealer(gctx, d) })
				err = g.Wait()
				if err == nil && ctx.Err() != nil {
					d.Log.Info("projectors stopped")
				}
				return err
			})
		},
	}
}

func projectionsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "projections", Short: "Inspect, retry and rebuild the read models"}
	var asJSON bool
	status := &cobra.Command{
		Use:   "status",
		Short: "Each projection's position, lag and parked events",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				models, err := d.ReadModels()
				if err != nil {
					return err
				}
				var names []string
				for _, p := range models {
					names = append(names, p.Name())
				}
				st, err := projector.StatusOf(ctx, d.DB, d.Store, names)
				if err != nil {
					return err
				}
				if asJSON {
					return json.NewEncoder(cmd.OutOrStdout()).Encode(st)
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "PROJECTION\tPOSITION\tEVENTS\tLAG\tPARKED\tUPDATED")
				for _, s := range st {
					lag := fmt.Sprint(s.Lag)
					if s.Lag < 0 {
						lag = "?"
					}
					updated := "never"
					if !s.UpdatedAt.IsZero() {
						updated = s.UpdatedAt.Format(time.RFC3339)
					}
					fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%d\t%s\n", s.Name, s.Position, s.EventsSeen, lag, s.Parked, updated)
				}
				return w.Flush()
			})
		},
	}
	status.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	rebuild := &cobra.Command{
		Use:   "rebuild NAME",
		Short: "Replay NAME from the first event into fresh tables and swap them in",
		Long: `Replay NAME from the first event into fresh tables and swap them in.

SIGINT or SIGTERM stops the replay between events; the live tables are left as they
were, and it exits 130 (SIGINT) or 143 (SIGTERM). Run it again to start over.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				p, err := findProjection(d, args[0])
				if err != nil {
					return err
				}
				bar := cli.EventBar("rebuilding "+p.Name(), -1)
				err = projector.Rebuild(ctx, d.DB, d.Store, p, func(done, total int64) {
					bar.SetTotal(total)
					bar.Set(done)
				})
				if err != nil {
					// Leave the bar where it stopped: filling it would claim a finished rebuild.
					bar.Exit()
					fmt.Fprintln(os.Stderr)
					return err
				}
				cli.EndBar(bar)
				fmt.Fprintf(cmd.OutOrStdout(), "rebuilt %s and swapped it in\n", p.Name())
				return nil
			})
		},
	}

	parked := &cobra.Command{
		Use:   "parked NAME",
		Short: "List the events NAME could not apply, with their errors",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				list, err := projector.Parked(ctx, d.DB, args[0])
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "EVENT\tSTREAM\tTYPE\tPARKED\tERROR")
				for _, p := range list {
					fmt.Fprintf(w, "%s\t%s@%d\t%s\t%s\t%s\n", p.EventID, p.Stream, p.Version, p.Type, p.ParkedAt.Format(time.RFC3339), p.Error)
				}
				return w.Flush()
			})
		},
	}

	retry := &cobra.Command{
		Use:   "retry NAME [EVENT_ID...]",
		Short: "Apply NAME's parked events again (all, or the ones named)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				p, err := findProjection(d, args[0])
				if err != nil {
					return err
				}
				var ids []uuid.UUID
				for _, a := range args[1:] {
					id, err := uuid.Parse(a)
					if err != nil {
						return fmt.Errorf("event id %q: %w", a, err)
					}
					ids = append(ids, id)
				}
				n, err := projector.RetryParked(ctx, d.DB, d.Store, p, ids...)
				if err != nil {
					return err
				}
				left, err := projector.Parked(ctx, d.DB, p.Name())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "applied %d parked event(s); %d still parked\n", n, len(left))
				return nil
			})
		},
	}
	cmd.AddCommand(status, rebuild, parked, retry)
	return cmd
}

func findProjection(d *wiring.Runtime, name string) (projections.Projection, error) {
	models, err := d.ReadModels()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range models {
		if p.Name() == name {
			return p, nil
		}
		names = append(names, p.Name())
	}
	return nil, fmt.Errorf("no projection named %q; there are: %v", name, names)
}
