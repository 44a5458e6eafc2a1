package payments

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/projections/journal"
)

func journalCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "journal", Short: "The double-entry book of the money: trial balance and entries traced to their events"}
	cli.AddActorFlags(cmd, authz.Accounts)
	var all, asJSON bool
	trial := &cobra.Command{
		Use:   "trial-balance",
		Short: "Every account's balance; debits equal credits, so the total is always zero",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				tb, err := a.TrialBalance(ctx, call, all)
				if err != nil {
					return err
				}
				cli.LagNote(ctx, cmd, d, journal.Name)
				if asJSON {
					return cli.JSON(cmd.OutOrStdout(), tb)
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintf(w, "ACCOUNT\t%12s\t%12s\n", "DEBIT", "CREDIT")
				for _, b := range tb.Accounts {
					dr, cr := "", ""
					if b.Balance.IsNegative() {
						cr = b.Balance.Neg().String()
					} else {
						dr = b.Balance.String()
					}
					fmt.Fprintf(w, "%s\t%12s\t%12s\n", b.Account, dr, cr)
				}
				fmt.Fprintf(w, "TOTAL\t%12s\t%12s\n", tb.Debits, tb.Credits)
				if err := w.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "debits - credits = %s\n", tb.Total)
				return nil
			})
		},
	}
	trial.Flags().BoolVar(&all, "all", false, "include accounts whose balance is zero")
	trial.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	var f journal.Filter
	var entriesJSON bool
	entries := &cobra.Command{
		Use:   "entries [--account NAME | --ref ID]",
		Short: "The entries of an account (or a prefix such as clinician_payable:) or about one earning, invoice or payout, with the events that made them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.Account == "" && f.Ref == "" {
				return fmt.Errorf("%w: give --account or --ref", cli.ErrBadInput)
			}
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				lines, err := a.JournalEntries(ctx, call, f)
				if err != nil {
					return err
				}
				if entriesJSON {
					return cli.JSON(cmd.OutOrStdout(), lines)
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "DATE\tACCOUNT\tAMOUNT\tMEMO\tEVENT")
				for _, l := range lines {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s@%d %s\n", cli.Day(&l.At), l.Account, l.Amount, l.Memo, l.Stream, l.Version, l.EventID)
				}
				return w.Flush()
			})
		},
	}
	entries.Flags().StringVar(&f.Account, "account", "", "an account, or a prefix ending in ':'")
	entries.Flags().StringVar(&f.Ref, "ref", "", "an earning, invoice or payout id")
	entries.Flags().IntVar(&f.Limit, "limit", 0, "at most this many (default 1000)")
	entries.Flags().BoolVar(&entriesJSON, "json", false, "print JSON")
	cmd.AddCommand(trial, entries)
	return cmd
}
