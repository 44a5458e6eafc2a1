package payments

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
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
	var clinician, month string
	var asJSON bool
	pending := &cobra.Command{
		Use:   "pending --clinician ID [--month YYYY-MM]",
		Short: "Where are my pending payments? Each pending item with its amount and what it waits for; what will not be paid; what was released, where each payout run stands, what was paid and when; the V1 items the old back office pays",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := paymentsQuery(clinician, month, false)
			if err != nil {
				return err
			}
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				s, err := a.Payments(ctx, call, q)
				if err != nil {
					return err
				}
				if err := known(ctx, a, call, s); err != nil {
					return err
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
	pending.Flags().StringVar(&month, "month", "", "only work done in this month (YYYY-MM)")
	pending.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	var sClinician, sMonth, out string
	statement := &cobra.Command{
		Use:   "statement --clinician ID --month YYYY-MM [--out FILE]",
		Short: "A clinician's statement for one month as CSV: every line with why it waits or when it was paid and by which run, then the totals",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := paymentsQuery(sClinician, sMonth, true)
			if err != nil {
				return err
			}
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				var buf bytes.Buffer
				s, err := a.Statement(ctx, call, q, &buf)
				if err != nil {
					return err
				}
				if err := known(ctx, a, call, s); err != nil {
					return err
				}
				cli.LagNote(ctx, cmd, d, earningsrm.Name)
				if out == "" || out == "-" {
					_, err := cmd.OutOrStdout().Write(buf.Bytes())
					return err
				}
				if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "statement of %s for %s written to %s\n", s.DisplayName(), s.Month, out)
				return nil
			})
		},
	}
	statement.Flags().StringVar(&sClinician, "clinician", "", "the clinician's id")
	statement.Flags().StringVar(&sMonth, "month", "", "the month (YYYY-MM)")
	statement.Flags().StringVar(&out, "out", "", "write the CSV to this file (default: standard output)")
	cmd.AddCommand(pending, statement)
	return cmd
}

func paymentsQuery(clinician, month string, needMonth bool) (app.PaymentsQuery, error) {
	id, err := cli.ID("--clinician", clinician)
	if err != nil {
		return app.PaymentsQuery{}, err
	}
	q := app.PaymentsQuery{ClinicianID: id}
	if month == "" && needMonth {
		return q, fmt.Errorf("%w: --month: which month (YYYY-MM)?", cli.ErrBadInput)
	}
	if month != "" {
		if q.Month, err = earningsrm.ParseMonth(month); err != nil {
			return q, fmt.Errorf("%w: --month: %w", cli.ErrBadInput, err)
		}
	}
	return q, nil
}

// known refuses an id with nothing to show that is not a clinician's account either.
func known(ctx context.Context, a *app.App, call app.Call, s earningsrm.Summary) error {
	if len(s.Pending)+len(s.Voided)+len(s.Released)+len(s.InPayout)+len(s.Paid)+len(s.V1Imported.Items) > 0 || s.ClinicianName != "" {
		return nil
	}
	return knownClinician(ctx, a, call, s.ClinicianID)
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
	fmt.Fprintf(w, "Payments of %s", s.DisplayName())
	if s.Month != "" {
		fmt.Fprintf(w, ", work done in %s", s.Month)
	}
	fmt.Fprint(w, "\n\n")
	var v2, v1 []earningsrm.Item
	for _, it := range s.Pending {
		if it.Status == "v1" {
			v1 = append(v1, it)
		} else {
			v2 = append(v2, it)
		}
	}
	fmt.Fprintf(w, "PENDING: £%s not yet payable\n", s.Totals.Pending)
	if len(v2) == 0 {
		fmt.Fprintln(w, "  nothing pending")
	} else {
		fmt.Fprintln(w, "  WORK DATE\tFOR\tAMOUNT\tWAITING FOR")
		for _, it := range v2 {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", it.WorkDate, it.What(), it.Amount, it.Why)
		}
	}
	goLive := "go-live"
	if s.GoLive != "" {
		goLive = "go-live on " + s.GoLive
	}
	fmt.Fprintf(w, "\nV1 (work before %s): the old back office (V1) pays it, not V2\n", goLive)
	fmt.Fprintf(w, "  £%s outstanding of %d V1 item(s) imported from the old back office (£%s settled)\n",
		s.V1Imported.Outstanding, len(s.V1Imported.Items), s.V1Imported.Settled)
	fmt.Fprintf(w, "  £%s of V1 work recorded in V2\n", s.Totals.V1)
	if len(v1)+len(s.V1Imported.Items) > 0 {
		fmt.Fprintln(w, "  WORK DATE\tFOR\tAMOUNT\tSTATE")
		for _, it := range v1 {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", it.WorkDate, it.What(), it.Amount, it.Why)
		}
		for _, v := range s.V1Imported.Items {
			fmt.Fprintf(w, "  %s\tV1 %s: %s\t%s\t%s\n", v.WorkDate, v.Reference, v.Description, v.Amount, v.Why)
		}
	}
	if len(s.Voided) > 0 {
		fmt.Fprintf(w, "\nWILL NOT BE PAID: £%s on voided invoices (not counted as pending)\n", s.Totals.Voided)
		fmt.Fprintln(w, "  WORK DATE\tFOR\tAMOUNT\tWHY")
		for _, it := range s.Voided {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", it.WorkDate, it.What(), it.Amount, it.Why)
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
				by += fmt.Sprintf(" (returned from an earlier payout: %s)", it.LastReturn)
			}
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\n", it.WorkDate, it.What(), it.Amount, cli.Day(it.ReleasedAt), by)
		}
	}
	if len(s.InPayout) > 0 {
		fmt.Fprintf(w, "\nIN A PAYOUT RUN: £%s, not yet paid\n", s.Totals.InPayout)
		fmt.Fprintln(w, "  WORK DATE\tFOR\tAMOUNT\tWHERE THE RUN STANDS")
		for _, it := range s.InPayout {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", it.WorkDate, it.What(), it.Amount, runWords(it))
		}
	}
	fmt.Fprintf(w, "\nPAID: £%s\n", s.Totals.Paid)
	if len(s.Paid) > 0 {
		fmt.Fprintln(w, "  WORK DATE\tFOR\tAMOUNT\tPAID ON\tRUN")
		for _, it := range s.Paid {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\n", it.WorkDate, it.What(), it.Amount, cli.Day(it.PaidAt), runWords(it))
		}
	}
	return w.Flush()
}

func runWords(it earningsrm.Item) string {
	if it.Payout != nil {
		return it.Payout.Words
	}
	return "payout run " + it.PayoutID
}
