package payments

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/projections"
	psupport "ledgerdesk/projections/support"
	"ledgerdesk/projector"
)

func bankDetailsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "bank-details", Short: "A clinician's payee bank details: set them (password and authenticator code again), list every change"}
	cmd.AddCommand(setBankDetailsCommand(), bankDetailsChangesCommand())
	return cmd
}

func setBankDetailsCommand() *cobra.Command {
	var clinician, name, sortCode, number string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "set --as CLINICIAN --account-name NAME --sort-code 12-34-56 --account-number 12345678 < password-and-code",
		Short: "Set your bank details: your password on the first line of stdin, a fresh authenticator code on the second; your next payout waits out the cooling-off period",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			password, code, err := readSecrets(cmd.InOrStdin())
			if err != nil {
				return err
			}
			return cli.WithApp(cmd, func(ctx context.Context, _ *wiring.Runtime, a *app.App, call app.Call) error {
				id := clinician
				if id == "" {
					id = call.Actor.Subject
				}
				rep, err := a.ChangePayeeBankDetails(ctx, call, support.PayeeChange{AccountID: id, AccountName: name, SortCode: sortCode,
					AccountNumber: number, Password: password, Code: code})
				if err != nil {
					return err
				}
				if asJSON {
					return cli.JSON(cmd.OutOrStdout(), rep)
				}
				w := cmd.OutOrStdout()
				fmt.Fprintf(w, "%s\n\nACCOUNT\t%s, %s, %s\nMODULUS CHECK\t%s\nPAYOUTS HELD UNTIL\t%s\n", rep.Message,
					rep.AccountName, rep.SortCode, rep.AccountNumber, rep.Modulus.Reason, londonMinute(rep.PayoutsHeldUntil))
				return nil
			})
		},
	}
	cli.AddActorFlags(cmd, authz.Clinician)
	cmd.Flags().StringVar(&clinician, "clinician", "", "the clinician's account id (default: --as)")
	cmd.Flags().StringVar(&name, "account-name", "", "the name on the bank account")
	cmd.Flags().StringVar(&sortCode, "sort-code", "", "six digits, 12-34-56 or 123456")
	cmd.Flags().StringVar(&number, "account-number", "", "eight digits")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// maxSecretLine bounds each line of stdin read for a password or code.
const maxSecretLine = 4096

// readSecrets reads the password (first line) and the authenticator code (second line)
// from stdin: never from flags, which other users of the machine can see in the process list.
func readSecrets(r io.Reader) (password, code string, err error) {
	br := bufio.NewReaderSize(io.LimitReader(r, 2*maxSecretLine+2), maxSecretLine+1)
	line := func(what string) (string, error) {
		s, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("%w: reading %s from stdin: %w", cli.ErrBadInput, what, err)
		}
		if len(s) > maxSecretLine {
			return "", fmt.Errorf("%w: the %s on stdin is too long", cli.ErrBadInput, what)
		}
		return strings.TrimRight(s, "\r\n"), nil
	}
	if password, err = line("password"); err != nil {
		return "", "", err
	}
	if code, err = line("authenticator code"); err != nil {
		return "", "", err
	}
	return password, strings.TrimSpace(code), nil
}

func bankDetailsChangesCommand() *cobra.Command {
	var clinician string
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "changes [--clinician ID]",
		Short: "Every change to clinicians' bank details, newest first, with who made it and when",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				if err := settleAccounts(ctx, d); err != nil {
					return err
				}
				list, err := a.PayeeChanges(ctx, call, clinician, limit)
				if err != nil {
					return err
				}
				if asJSON {
					return cli.JSON(cmd.OutOrStdout(), list)
				}
				return printPayeeChanges(cmd.OutOrStdout(), list)
			})
		},
	}
	cli.AddActorFlags(cmd, authz.Accounts)
	cmd.Flags().StringVar(&clinician, "clinician", "", "only this clinician's changes")
	cmd.Flags().IntVar(&limit, "limit", 100, fmt.Sprintf("at most this many (1 to %d)", psupport.MaxPayeeChanges))
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// settleAccounts brings the accounts read model up to date, so the list includes a change
// just made (with a projector running elsewhere, it waits for that one instead).
func settleAccounts(ctx context.Context, d *wiring.Runtime) error {
	deps, err := d.CommandDeps()
	if err != nil {
		return err
	}
	_, err = projector.CatchUp(ctx, d.DB, d.Store, []projections.Projection{psupport.NewAccounts(deps.Codec)}, 30*time.Second)
	return err
}

func printPayeeChanges(w io.Writer, list []psupport.PayeeChange) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(w, "no bank details have been set")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN (LONDON)\tCLINICIAN\tBY\tRE-AUTHENTICATED\tCHANGE\tACCOUNT\tMODULUS CHECK")
	for _, c := range list {
		change := "first set"
		if c.Replaced {
			change = "replaced"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s %s %s\t%s\n", londonMinute(c.At), c.AccountID, c.By, yesNo(c.Reauthenticated), change,
			c.AccountName, c.SortCode, c.AccountNumber, c.Modulus)
	}
	return tw.Flush()
}

func londonMinute(t time.Time) string { return t.In(ledger.London).Format("2006-01-02 15:04") }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
