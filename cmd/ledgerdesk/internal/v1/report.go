package v1

import (
	"context"
	"fmt"
	"time"

	"ledgerdesk/app"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/projections"
	"ledgerdesk/projector"

	"github.com/spf13/cobra"

	"ledgerdesk/projections/v1recon"
)

func reportCommand() *cobra.Command {
	var asJSON, asCSV bool
	var wait time.Duration
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Reconcile V1: totals per clinician, outstanding items oldest first, conflicts and exceptions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format := v1recon.Table
			switch {
			case asJSON && asCSV:
				return fmt.Errorf("--json and --csv: choose one")
			case asJSON:
				format = v1recon.JSON
			case asCSV:
				format = v1recon.CSV
			}
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				sts, err := projector.CatchUp(ctx, d.DB, d.Store, []projections.Projection{v1recon.New(a.Commands().Codec)}, wait)
				if err != nil {
					return err
				}
				st := sts[0]
				if st.Parked > 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "warning: %d event(s) could not be applied to the reconciliation and are missing from it; see `ledgerdesk projections parked %s`\n",
						st.Parked, v1recon.Name)
				}
				r, err := a.V1Reconciliation(ctx, call)
				if err != nil {
					return err
				}
				return v1recon.Render(cmd.OutOrStdout(), r, format)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&asCSV, "csv", false, "print CSV (one row per line of the report, with a section column)")
	cmd.Flags().DurationVar(&wait, "wait", time.Minute, "how long to let the read model catch up with the history first")
	return cmd
}
