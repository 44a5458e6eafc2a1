package main

import (
	"context"
	"fmt"
	"time"

	"ledgerdesk/projections"
	"ledgerdesk/projector"

	"github.com/spf13/cobra"

	"ledgerdesk/projections/v1recon"
)

func v1ReportCommand() *cobra.Command {
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
			return withDeps(cmd, func(ctx context.Context, d *deps) error {
				cmds, err := d.commandDeps()
				if err != nil {
					return err
				}
				sts, err := projector.CatchUp(ctx, d.db, d.store, []projections.Projection{v1recon.New(cmds.Codec)}, wait)
				if err != nil {
					return err
				}
				st := sts[0]
				if st.Parked > 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "warning: %d event(s) could not be applied to the reconciliation and are missing from it; see `ledgerdesk projections parked %s`\n",
						st.Parked, v1recon.Name)
				}
				r, err := v1recon.Query(ctx, d.db)
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
