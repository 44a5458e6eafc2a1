package payments

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/config"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/commands/payouts"
	"ledgerdesk/domain/ledger"
	earningsrm "ledgerdesk/projections/earnings"
	payoutsrm "ledgerdesk/projections/payouts"
)

func payoutsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "payouts", Short: "Payout runs: gather released earnings, write the bank file, record what the bank did"}
	cli.AddActorFlags(cmd, authz.Accounts)
	cmd.AddCommand(payoutRunCommand(), payoutExportCommand(), payoutListCommand(), payoutShowCommand(), payoutMarkCommand(), payoutFailLineCommand(), payoutAbandonCommand())
	return cmd
}

// debtorFlags is the practice's own bank account, from flags or LEDGERDESK_DEBTOR_*.
type debtorFlags struct{ name, sortCode, account string }

func (p *debtorFlags) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&p.name, "debtor-name", "", "the practice's account name (default $LEDGERDESK_DEBTOR_NAME)")
	cmd.Flags().StringVar(&p.sortCode, "debtor-sort-code", "", "the practice's sort code, 6 digits (default $LEDGERDESK_DEBTOR_SORT_CODE)")
	cmd.Flags().StringVar(&p.account, "debtor-account", "", "the practice's account number, 8 digits (default $LEDGERDESK_DEBTOR_ACCOUNT)")
}

// or fills what the flags left out from the configuration.
func (p debtorFlags) or(c config.Debtor) debtorFlags {
	p.name = cmp.Or(p.name, c.Name)
	p.sortCode = cmp.Or(p.sortCode, c.SortCode)
	p.account = cmp.Or(p.account, c.AccountNumber)
	return p
}

// bankFileOptions checks what writing a bank file needs: where to write it, the
// practice's own account and, optionally, the day the bank should pay.
func bankFileOptions(out string, debtor debtorFlags, execDate string) (payouts.Party, ledger.Date, error) {
	if out == "" {
		return payouts.Party{}, ledger.Date{}, fmt.Errorf("%w: --out: name the file to write the bank file to", cli.ErrBadInput)
	}
	party, err := debtor.party()
	if err != nil {
		return payouts.Party{}, ledger.Date{}, err
	}
	var exec ledger.Date
	if execDate != "" {
		if exec, err = cli.Date("execution-date", execDate); err != nil {
			return payouts.Party{}, ledger.Date{}, err
		}
	}
	return party, exec, nil
}

func (p debtorFlags) party() (payouts.Party, error) {
	if p.name == "" || p.sortCode == "" || p.account == "" {
		return payouts.Party{}, fmt.Errorf("%w: the bank file needs the practice's own account: set --debtor-name, --debtor-sort-code and --debtor-account (or LEDGERDESK_DEBTOR_NAME, LEDGERDESK_DEBTOR_SORT_CODE and LEDGERDESK_DEBTOR_ACCOUNT)", cli.ErrBadInput)
	}
	party := payouts.Party{Name: p.name, SortCode: p.sortCode, AccountNumber: p.account}
	if err := payouts.CheckDebtor(pain001.Writer{}, party); err != nil {
		return payouts.Party{}, fmt.Errorf("%w: %w", cli.ErrBadInput, err)
	}
	return party, nil
}

func payoutRunCommand() *cobra.Command {
	var cutoff, out, id, execDate string
	var clinicians []string
	var debtor debtorFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "run --cutoff DATE --out FILE.xml",
		Short: "Pay every clinician their released, unpaid V2 earnings up to DATE, and write the pain.001 bank file",
		Long: `Drafts and finalises a payout run, one line per clinician, from the clinicians' earnings
streams, then writes its ISO 20022 pain.001.001.09 file. Running it again with the same --id
resumes an interrupted run (and writes the same file again).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cut, err := cli.Date("cutoff", cutoff)
			if err != nil {
				return err
			}
			party, exec, err := bankFileOptions(out, debtor.or(wiring.Settings(cmd).Debtor), execDate)
			if err != nil {
				return err
			}
			// Every option is checked before anything is recorded: the bank file's date
			// would otherwise be refused only after the run was drafted and finalised.
			at, _ := cli.Time("at", "")
			if err := payouts.CheckExecutionDate(exec, at); err != nil {
				if id != "" {
					return fmt.Errorf("%w: payout run %s: --execution-date: %w (nothing was recorded)", cli.ErrBadInput, id, err)
				}
				return fmt.Errorf("%w: --execution-date: %w (no run was started)", cli.ErrBadInput, err)
			}
			if id == "" {
				id = payouts.NewPayoutID()
			}
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				if len(clinicians) == 0 {
					cli.LagNote(ctx, cmd, d, earningsrm.Name)
				}
				rep, err := a.RunPayout(ctx, call, payouts.RunRequest{PayoutID: id, Cutoff: cut, At: at, Clinicians: clinicians})
				if errors.Is(err, payouts.ErrNothingToPay) {
					printSkipped(cmd.ErrOrStderr(), rep.Skipped)
				}
				if err != nil {
					return err
				}
				exp, err := writeBankFile(ctx, a, call, out, payouts.ExportRequest{PayoutID: id, Debtor: party, ExecutionDate: exec, At: at})
				if err != nil {
					return err
				}
				if asJSON {
					return cli.JSON(cmd.OutOrStdout(), map[string]any{"run": rep, "file": exp, "path": out})
				}
				return printRun(cmd.OutOrStdout(), rep, exp, out)
			})
		},
	}
	cmd.Flags().StringVar(&cutoff, "cutoff", "", "pay work done and released on or before this date (YYYY-MM-DD, London)")
	cmd.Flags().StringVar(&out, "out", "", "where to write the pain.001 XML file")
	cmd.Flags().StringVar(&id, "id", "", "the run's id; give an existing one to resume it (default: a new id)")
	cmd.Flags().StringVar(&execDate, "execution-date", "", "the day the bank should pay (default: today)")
	cmd.Flags().StringSliceVar(&clinicians, "clinician", nil, "pay only these clinicians (repeatable; default: everyone with earnings)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	debtor.flags(cmd)
	_ = cmd.MarkFlagRequired("cutoff")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

// writeBankFile exports the run into a temporary file beside path and renames it into
// place, so a failure never leaves half a bank file where the clerk expects a whole one.
func writeBankFile(ctx context.Context, a *app.App, call app.Call, path string, req payouts.ExportRequest) (payouts.ExportReport, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".payout-*.xml")
	if err != nil {
		return payouts.ExportReport{}, err
	}
	defer os.Remove(tmp.Name())
	rep, err := a.ExportPayout(ctx, call, req, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return rep, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return rep, err
	}
	return rep, nil
}

func printRun(out io.Writer, rep payouts.RunReport, exp payouts.ExportReport, path string) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	verb := "Payout run"
	if rep.Resumed {
		verb = "Payout run (resumed)"
	}
	fmt.Fprintf(w, "%s %s, for work up to %s: %d line(s), £%s\n\n", verb, rep.PayoutID, rep.Cutoff, len(rep.Lines), rep.Total)
	fmt.Fprintln(w, "CLINICIAN\tEARNINGS\tAMOUNT")
	for _, l := range rep.Lines {
		fmt.Fprintf(w, "%s\t%d\t%s\n", l.ClinicianID, len(l.EarningIDs), l.Amount)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	printSkipped(out, rep.Skipped)
	again := ""
	if exp.Again {
		again = " (the same file as recorded before)"
	}
	fmt.Fprintf(out, "\nBank file: %s%s\n  message id %s, %d bytes, sha256 %s\n", path, again, exp.MessageID, exp.Bytes, exp.SHA256)
	fmt.Fprintf(out, "Once it is sent to the bank: ledgerdesk payouts mark submitted %s\n", rep.PayoutID)
	return nil
}

func printSkipped(out io.Writer, skipped []payouts.Skipped) {
	if len(skipped) == 0 {
		return
	}
	fmt.Fprintf(out, "\nNot paid in this run:\n")
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "CLINICIAN\tEARNINGS\tAMOUNT\tWHY")
	for _, s := range skipped {
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\n", s.ClinicianID, s.Earnings, s.Amount, s.Why)
	}
	_ = w.Flush()
}

func payoutExportCommand() *cobra.Command {
	var out, execDate string
	var debtor debtorFlags
	cmd := &cobra.Command{
		Use:   "export ID --out FILE.xml",
		Short: "Write a finalised run's pain.001 bank file (again: the same bytes as recorded)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := cli.ID("the payout id", args[0])
			if err != nil {
				return err
			}
			party, exec, err := bankFileOptions(out, debtor.or(wiring.Settings(cmd).Debtor), execDate)
			if err != nil {
				return err
			}
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				at, _ := cli.Time("at", "")
				rep, err := writeBankFile(ctx, a, call, out, payouts.ExportRequest{PayoutID: id, Debtor: party, ExecutionDate: exec, At: at})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: message id %s, %d line(s), £%s, sha256 %s\n", out, rep.MessageID, rep.Lines, rep.Total, rep.SHA256)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "where to write the pain.001 XML file")
	cmd.Flags().StringVar(&execDate, "execution-date", "", "the day the bank should pay (default: the day of the first export)")
	debtor.flags(cmd)
	return cmd
}

func payoutListCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Every payout run, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				runs, err := a.Payouts(ctx, call)
				if err != nil {
					return err
				}
				cli.LagNote(ctx, cmd, d, payoutsrm.Name)
				if asJSON {
					return cli.JSON(cmd.OutOrStdout(), runs)
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "PAYOUT\tCUT-OFF\tSTATUS\tLINES\tFAILED\tTOTAL\tSTARTED\tSETTLED")
				for _, r := range runs {
					fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\n", r.PayoutID, r.Cutoff, r.Status, r.LineCount, r.FailedLines, r.Total,
						cli.Day(&r.StartedAt), cli.Day(r.SettledAt))
				}
				return w.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func payoutShowCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "One payout run with its lines",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				r, err := a.Payout(ctx, call, args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return cli.JSON(cmd.OutOrStdout(), r)
				}
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "Payout %s: %s, for work up to %s, £%s in %d line(s)\n", r.PayoutID, r.Status, r.Cutoff, r.Total, r.LineCount)
				if r.MessageID != "" {
					fmt.Fprintf(out, "Bank file: message id %s, sha256 %s\n", r.MessageID, r.SHA256)
				}
				if r.Reason != "" {
					fmt.Fprintf(out, "Abandoned: %s\n", r.Reason)
				}
				w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "\nCLINICIAN\tEARNINGS\tAMOUNT\tSTATUS\tREASON")
				for _, l := range r.Lines {
					fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\n", l.ClinicianID, len(l.EarningIDs), l.Amount, l.Status, l.FailReason)
				}
				return w.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func payoutMarkCommand() *cobra.Command {
	var at string
	cmd := &cobra.Command{
		Use:       "mark (submitted|settled) ID",
		Short:     "Record that the bank file was sent to the bank, or that the bank paid every line not failed",
		Args:      cobra.ExactArgs(2),
		ValidArgs: []string{"submitted", "settled"},
		RunE: func(cmd *cobra.Command, args []string) error {
			step := args[0]
			if step != "submitted" && step != "settled" {
				return fmt.Errorf("%w: %q: mark a run submitted or settled", cli.ErrBadInput, step)
			}
			id, err := cli.ID("the payout id", args[1])
			if err != nil {
				return err
			}
			when, err := cli.Time("at", at)
			if err != nil {
				return err
			}
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				outcome := app.Submitted
				if step == "settled" {
					outcome = app.Settled
				}
				if err := a.RecordBankOutcome(ctx, call, id, outcome, when); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "payout %s marked %s\n", id, step)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "when it happened (default now)")
	return cmd
}

func payoutFailLineCommand() *cobra.Command {
	var reason, at string
	cmd := &cobra.Command{
		Use:   "fail-line ID CLINICIAN --reason TEXT",
		Short: "Record that the bank refused one clinician's payment; its earnings return to released, for a later run",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := cli.ID("the payout id", args[0])
			if err != nil {
				return err
			}
			clinician, err := cli.ID("the clinician id", args[1])
			if err != nil {
				return err
			}
			when, err := cli.Time("at", at)
			if err != nil {
				return err
			}
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				if err := a.FailPayoutLine(ctx, call, id, clinician, reason, when); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "line of clinician %s on payout %s failed: its earnings go back to released\n", clinician, id)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "what the bank said")
	cmd.Flags().StringVar(&at, "at", "", "when the bank said it (default now)")
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}

func payoutAbandonCommand() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "abandon ID --reason TEXT",
		Short: "Give up a run before it is submitted to the bank; its earnings return to released",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := cli.ID("the payout id", args[0])
			if err != nil {
				return err
			}
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				at, _ := cli.Time("at", "")
				if err := a.AbandonPayout(ctx, call, id, reason, at); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "payout %s abandoned\n", id)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why")
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}
