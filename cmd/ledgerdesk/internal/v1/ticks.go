package v1

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/app"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
)

func tickOffCommand() *cobra.Command {
	var note string
	cmd := &cobra.Command{
		Use:   "tick-off REF",
		Short: "Record that the accounts department settled V1 item REF (who, when and an optional note)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				e, err := a.TickOffV1(ctx, call, args[0], note, time.Now())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "ticked off %s (by %s at %s)\n", e.Reference, e.By, e.At.Format(time.RFC3339))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&note, "note", "", "how it was settled, e.g. a BACS reference")
	return cmd
}

func undoTickOffCommand() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "undo-tick-off REF --reason TEXT",
		Short: "Withdraw a tick made in error; the undo and its reason are recorded too",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				e, err := a.UndoV1TickOff(ctx, call, args[0], reason, time.Now())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "undid the tick on %s (by %s at %s): it is outstanding again\n", e.Reference, e.By, e.At.Format(time.RFC3339))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why the tick was wrong (required)")
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}
