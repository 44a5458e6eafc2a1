package payments

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	earningsrm "ledgerdesk/projections/earnings"
)

// ErrUnknownClinician says there is no such clinician: no account and no earnings.
var ErrUnknownClinician = errors.New("unknown clinician")

func paymentsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "payments", Short: "A clinician's payments: pending (and why), released, paid"}
	cli.AddActorFlags(cmd, authz.Accounts)
	var clinician string
	var asJSON bool
	pending := &cobra.Command{
		Use:   "pending --clinician ID",
		Short: "Where are my pending payments? Each pending item with its amount and what it waits for; what was released; what was paid and when",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			id, err := cli.ID("--clinician", clinician)
			if err != nil {
				return err
			}
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				s, err := a.Earnings(ctx, call, id)
				if err != nil {
					return err
				}
				if empty := len(s.Pending)+len(s.Released)+len(s.InPayout)+len(s.Paid) == 0; empty {
					if err := knownClinician(ctx, a, call, id); err != nil {
						return err
					}
				}
				cli.LagNote(ctx, cmd, d, earningsrm.Name)
				if asJSON {
					return cli.JSON(cmd.OutOrStdout(), s)
				}
				return printSummary(cmd.OutOrStdout(), s)
			})
		},
	}
	pending.Flags().StringVar(&clinician, "clinician", "", "the clinician's id")
	pending.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(pending)
	return cmd
}

// knownClinician refuses an id that is neither an account nor anyone with earnings,
// which is almost always a typing mistake.
func knownClinician(ctx context.Context, a *app.App, call app.Call, id string) error {
	known, err := a.ClinicianRegistered(ctx, call, id)
	if err != nil {
		return err
	}
	if !known {
		return fmt.Errorf("%w: no clinician account and no earnings with id %q", ErrUnknownClinician, id)
	}
	return nil
}

func printSummary(out io.Writer, s earningsrm.Summary) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Payments of clinician %s\n\n", s.ClinicianID)
	fmt.Fprintf(w, "PENDING: £%s not yet payable in V2, £%s with the old back office (V1)\n", s.Totals.Pending, s.Totals.V1)
	if len(s.Pending) == 0 {
		fmt.Fprintln(w, "  nothing pending")
	} else {
		fmt.Fprintln(w, "  WORK DATE\tFOR\tAMOUNT\tWAITING FOR")
		for _, it := range s.Pending {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", it.WorkDate, describeWork(it), it.Amount, it.Why)
		}
	}
	fmt.Fprintf(w, "\nRELEASED: £%s, to be paid in the next payout run\n", s.Totals.Released)
	if len(s.Released) > 0 {
		fmt.Fprintln(w, "  WORK DATE\tFOR\tAMOUNT\tRELEASED ON\tBY")
		for _, it := range s.Released {
			by := "the post-consultation form"
			if it.ReleaseReason == "invoice_paid" {
				by = "the invoice paid in full"
			}
			if it.Returned > 0 {
				by += " (returned from an earlier payout)"
			}
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\n", it.WorkDate, describeWork(it), it.Amount, cli.Day(it.ReleasedAt), by)
		}
	}
	if len(s.InPayout) > 0 {
		fmt.Fprintf(w, "\nIN A PAYOUT RUN: £%s, sent to the bank and not yet settled\n", s.Totals.InPayout)
		fmt.Fprintln(w, "  WORK DATE\tFOR\tAMOUNT\tPAYOUT")
		for _, it := range s.InPayout {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", it.WorkDate, describeWork(it), it.Amount, it.PayoutID)
		}
	}
	fmt.Fprintf(w, "\nPAID: £%s\n", s.Totals.Paid)
	if len(s.Paid) > 0 {
		fmt.Fprintln(w, "  WORK DATE\tFOR\tAMOUNT\tPAID ON\tPAYOUT")
		for _, it := range s.Paid {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\n", it.WorkDate, describeWork(it), it.Amount, cli.Day(it.PaidAt), it.PayoutID)
		}
	}
	return w.Flush()
}

func describeWork(it earningsrm.Item) string {
	if it.Kind == "consultation" {
		return "consultation " + it.AppointmentID
	}
	return fmt.Sprintf("item %s on invoice %s", it.ItemID, it.InvoiceID)
}
