package payments

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/commands"
	"ledgerdesk/domain/invoice"
	invoicesrm "ledgerdesk/projections/invoices"
)

// doStep runs one command at --at (default now) and, once it has succeeded, prints done:
// the shape of every single-step payments subcommand.
func doStep(cmd *cobra.Command, at string, build func(when time.Time) any, done string) error {
	when, err := cli.Time("at", at)
	if err != nil {
		return err
	}
	return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
		if _, err := execute(ctx, cmd, d, build(when)); err != nil {
			return err
		}
		fmt.Fprintln(cmd.OutOrStdout(), done)
		return nil
	})
}

// execute runs one command through the application layer as the CLI's caller.
func execute(ctx context.Context, cmd *cobra.Command, d *wiring.Runtime, c any) (app.Outcome, error) {
	a, call, err := cli.Door(cmd, d)
	if err != nil {
		return app.Outcome{}, err
	}
	return a.Execute(ctx, call, c)
}

func invoicesCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "invoices", Short: "Patients' invoices: billable items, payments, balances"}
	cli.AddActorFlags(cmd, authz.Accounts)
	cmd.AddCommand(invoicesListCommand(), invoiceShowCommand(), invoiceRaiseCommand(), invoiceAddItemCommand(),
		invoiceIssueCommand(), invoicePayCommand(), invoiceVoidCommand())
	return cmd
}

func invoicesListCommand() *cobra.Command {
	var f invoicesrm.Filter
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Invoices with their totals, what was paid and what is outstanding, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch f.Status {
			case "", "draft", "issued", "paid", "voided":
			default:
				return fmt.Errorf("%w: --status %q: one of draft, issued, paid, voided", cli.ErrBadInput, f.Status)
			}
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				list, err := a.Invoices(ctx, call, f)
				if err != nil {
					return err
				}
				cli.LagNote(ctx, cmd, d, invoicesrm.Name)
				if asJSON {
					return cli.JSON(cmd.OutOrStdout(), list)
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "INVOICE\tPATIENT\tSTATUS\tITEMS\tTOTAL\tPAID\tOUTSTANDING\tRAISED")
				for _, i := range list {
					fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", i.InvoiceID, i.PatientID, i.Status, i.ItemCount, i.Total, i.Paid, i.Outstanding, cli.Day(&i.RaisedAt))
				}
				return w.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&f.Status, "status", "", "only invoices in this status: draft, issued, paid or voided")
	cmd.Flags().StringVar(&f.PatientID, "patient", "", "only this patient's invoices")
	cmd.Flags().StringVar(&f.ClinicianID, "clinician", "", "only invoices with an item this clinician raised")
	cmd.Flags().IntVar(&f.Limit, "limit", 0, "at most this many (default 500)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func invoiceShowCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "One invoice with its items and payments",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				i, err := a.Invoice(ctx, call, args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return cli.JSON(cmd.OutOrStdout(), i)
				}
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "Invoice %s for patient %s: %s; total £%s, paid £%s, outstanding £%s\n", i.InvoiceID, i.PatientID, i.Status, i.Total, i.Paid, i.Outstanding)
				w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "\nITEM\tCLINICIAN\tAMOUNT\tADDED")
				for _, it := range i.Items {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", it.ItemID, it.ClinicianID, it.Amount, cli.Day(&it.AddedAt))
				}
				if len(i.Payments) > 0 {
					fmt.Fprintln(w, "\nPAYMENT\tAMOUNT\tPAID")
					for _, p := range i.Payments {
						fmt.Fprintf(w, "%s\t%s\t%s\n", p.PaymentID, p.Amount, cli.Day(&p.PaidAt))
					}
				}
				return w.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func invoiceRaiseCommand() *cobra.Command {
	var id, patient, at string
	cmd := &cobra.Command{
		Use:   "raise --patient ID",
		Short: "Open a draft invoice for a patient",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			when, err := cli.Time("at", at)
			if err != nil {
				return err
			}
			if id == "" {
				id = commands.NewCommandID().String()
			}
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				if _, err := execute(ctx, cmd, d, invoice.Raise{InvoiceID: id, PatientID: patient, At: when}); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "invoice %s raised for patient %s\n", id, patient)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&id, "id", "", "the invoice's id (default: a new one)")
	cmd.Flags().StringVar(&patient, "patient", "", "the patient's id")
	cmd.Flags().StringVar(&at, "at", "", "when (default now)")
	return cmd
}

func invoiceAddItemCommand() *cobra.Command {
	var item, clinician, amount, description, at string
	cmd := &cobra.Command{
		Use:   "add-item INVOICE --clinician ID --amount POUNDS --description TEXT",
		Short: "Put a clinician's billable item (a report, a letter, a prescription) on a draft invoice",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := cli.Amount("amount", amount)
			if err != nil {
				return err
			}
			when, err := cli.Time("at", at)
			if err != nil {
				return err
			}
			if item == "" {
				item = commands.NewCommandID().String()
			}
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				if _, err := execute(ctx, cmd, d, invoice.AddBillableItem{
					InvoiceID: args[0], ItemID: item, ClinicianID: clinician, Description: description, Amount: a, At: when,
				}); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "item %s (£%s) added to invoice %s\n", item, a, args[0])
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&item, "item", "", "the item's id (default: a new one)")
	cmd.Flags().StringVar(&clinician, "clinician", "", "the clinician who raised it and is paid for it")
	cmd.Flags().StringVar(&amount, "amount", "", "in pounds, at most 2 decimal places")
	cmd.Flags().StringVar(&description, "description", "", "what it is for")
	cmd.Flags().StringVar(&at, "at", "", "when (default now)")
	return cmd
}

func invoiceIssueCommand() *cobra.Command {
	var at string
	cmd := &cobra.Command{
		Use:   "issue INVOICE",
		Short: "Send the invoice to the patient; only an issued invoice can be paid",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return doStep(cmd, at, func(when time.Time) any {
				return invoice.Issue{InvoiceID: args[0], At: when}
			}, fmt.Sprintf("invoice %s issued", args[0]))
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "when (default now)")
	return cmd
}

func invoicePayCommand() *cobra.Command {
	var payment, amount, at string
	cmd := &cobra.Command{
		Use:   "pay INVOICE --amount POUNDS [--payment-id REF]",
		Short: "Record a payment received from the patient, as the accounts department (part payments allowed, overpayment refused); paying in full releases the items to their clinicians",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := cli.Amount("amount", amount)
			if err != nil {
				return err
			}
			when, err := cli.Time("at", at)
			if err != nil {
				return err
			}
			if payment == "" {
				payment = commands.NewCommandID().String()
			}
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				res, err := execute(ctx, cmd, d, invoice.RecordPayment{
					InvoiceID: args[0], PaymentID: payment, Amount: a, At: when,
				})
				if err != nil {
					return err
				}
				for _, e := range res.Events {
					switch e := e.(type) {
					case invoice.PaymentRecorded:
						fmt.Fprintf(cmd.OutOrStdout(), "payment %s of £%s recorded on invoice %s; £%s outstanding\n", payment, a, args[0], e.Outstanding)
					case invoice.PaidInFull:
						fmt.Fprintf(cmd.OutOrStdout(), "invoice %s is paid in full: its %d item(s) are released to their clinicians\n", args[0], len(e.Items))
					}
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&payment, "payment-id", "", "the payment provider's reference (default: a new one)")
	cmd.Flags().StringVar(&amount, "amount", "", "in pounds, at most 2 decimal places")
	cmd.Flags().StringVar(&at, "at", "", "when (default now)")
	return cmd
}

func invoiceVoidCommand() *cobra.Command {
	var reason, at string
	cmd := &cobra.Command{
		Use:   "void INVOICE --reason TEXT",
		Short: "Cancel an invoice nobody has paid anything towards; it releases nothing",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return doStep(cmd, at, func(when time.Time) any {
				return invoice.Void{InvoiceID: args[0], Reason: reason, At: when}
			}, fmt.Sprintf("invoice %s voided", args[0]))
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why")
	cmd.Flags().StringVar(&at, "at", "", "when (default now)")
	return cmd
}
