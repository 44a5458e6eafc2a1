package payments

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/projections/appointments"
)

func appointmentsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "appointments", Short: "Consultations: book, complete, submit the post-consultation form"}
	cli.AddActorFlags(cmd, authz.Admin)
	cmd.AddCommand(apptListCommand(), apptBookCommand(), apptCompleteCommand(), apptFormCommand(), apptCancelCommand())
	return cmd
}

func apptListCommand() *cobra.Command {
	var clinician string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list --clinician ID",
		Short: "A clinician's appointments and whether each form is in",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			id, err := cli.ID("--clinician", clinician)
			if err != nil {
				return err
			}
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				rows, err := a.AppointmentsForClinician(ctx, call, id)
				if err != nil {
					return err
				}
				cli.LagNote(ctx, cmd, d, appointments.Name)
				if asJSON {
					return cli.JSON(cmd.OutOrStdout(), rows)
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "APPOINTMENT\tPATIENT\tSTARTS\tFEE\tSTATUS")
				for _, r := range rows {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", r.AppointmentID, r.PatientID, cli.Day(&r.StartsAt), r.Fee, r.Status)
				}
				return w.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&clinician, "clinician", "", "the clinician's id")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func apptBookCommand() *cobra.Command {
	var id, patient, clinician, starts, fee string
	cmd := &cobra.Command{
		Use:   "book --patient ID --clinician ID --starts TIME --fee POUNDS",
		Short: "Book a consultation",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := cli.Amount("fee", fee)
			if err != nil {
				return err
			}
			if starts == "" {
				return fmt.Errorf("%w: --starts: when does the consultation start?", cli.ErrBadInput)
			}
			start, err := cli.Time("starts", starts)
			if err != nil {
				return err
			}
			if id == "" {
				id = commands.NewCommandID().String()
			}
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				now, _ := cli.Time("at", "")
				if _, err := execute(ctx, cmd, d, appointment.Book{
					AppointmentID: id, PatientID: patient, ClinicianID: clinician, StartsAt: start, Fee: f, At: now,
				}); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "appointment %s booked\n", id)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&id, "id", "", "the appointment's id (default: a new one)")
	cmd.Flags().StringVar(&patient, "patient", "", "the patient's id")
	cmd.Flags().StringVar(&clinician, "clinician", "", "the clinician's id")
	cmd.Flags().StringVar(&starts, "starts", "", "the start: 2025-02-10T14:30:00Z or \"2025-02-10 14:30\" (London)")
	cmd.Flags().StringVar(&fee, "fee", "", "the clinician's fee in pounds, more than 0, at most 2 decimal places")
	return cmd
}

func apptCompleteCommand() *cobra.Command {
	var at string
	cmd := &cobra.Command{
		Use:   "complete ID",
		Short: "Record that the consultation took place: its fee becomes a pending payment",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			when, err := cli.Time("at", at)
			if err != nil {
				return err
			}
			return cli.WithApp(cmd, func(ctx context.Context, _ *wiring.Runtime, a *app.App, call app.Call) error {
				if _, err := a.Execute(ctx, call, appointment.Complete{AppointmentID: args[0], At: when}); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), completed(ctx, a, call, args[0]))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "when the consultation took place (default now)")
	return cmd
}

func apptFormCommand() *cobra.Command {
	var clinician, at string
	cmd := &cobra.Command{
		Use:   "form ID --clinician ID",
		Short: "Submit the post-consultation form (only the appointment's clinician, once, after completion): releases the fee",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// The form is the clinician's own: they act as themself, unless --as says who
			// is really at the keyboard (and the rule then decides).
			if !cmd.Flags().Changed("role") {
				_ = cmd.Flags().Set("role", string(authz.Clinician))
			}
			if as, _ := cmd.Flags().GetString("as"); as == "" {
				_ = cmd.Flags().Set("as", clinician)
			}
			when, err := cli.Time("at", at)
			if err != nil {
				return err
			}
			return cli.WithApp(cmd, func(ctx context.Context, _ *wiring.Runtime, a *app.App, call app.Call) error {
				if _, err := a.Execute(ctx, call, appointment.SubmitForm{AppointmentID: args[0], By: clinician, At: when}); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), formSubmitted(ctx, a, call, args[0]))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&clinician, "clinician", "", "the clinician submitting it")
	cmd.Flags().StringVar(&at, "at", "", "when (default now)")
	return cmd
}

func apptCancelCommand() *cobra.Command {
	var reason, at string
	cmd := &cobra.Command{
		Use:   "cancel ID --reason TEXT",
		Short: "Call a booked consultation off",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return doStep(cmd, at, func(when time.Time) any {
				return appointment.Cancel{AppointmentID: args[0], Reason: reason, At: when}
			}, fmt.Sprintf("appointment %s cancelled", args[0]))
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why")
	cmd.Flags().StringVar(&at, "at", "", "when (default now)")
	return cmd
}

// formSubmitted says what the form did to the consultation's money: V2 work's fee is
// released for the next payout run; V1 work (before go-live) is V1's to pay, so V2
// releases nothing and records that the form arrived, for the reconciliation. The form is
// recorded by then, so a failure to read this back only makes the message plainer.
func formSubmitted(ctx context.Context, a *app.App, call app.Call, appointmentID string) string {
	work, goLive, v1, err := workLedger(ctx, a, call, appointmentID)
	switch {
	case err != nil:
		return fmt.Sprintf("form for appointment %s submitted (`ledgerdesk payments pending` shows what it released)", appointmentID)
	case v1:
		return fmt.Sprintf("form for the consultation of %s submitted: it is V1 work (before go-live on %s), so V2 releases nothing "+
			"and will not pay it; the old back office (V1) pays it, and the accounts department sees the form in the V1 reconciliation", work, goLive)
	}
	return fmt.Sprintf("form for the consultation of %s submitted: its pending payment is released, to be paid in the next payout run", work)
}

// completed says what completing the consultation did to its fee, as formSubmitted does.
func completed(ctx context.Context, a *app.App, call app.Call, appointmentID string) string {
	work, goLive, v1, err := workLedger(ctx, a, call, appointmentID)
	switch {
	case err != nil:
		return fmt.Sprintf("appointment %s completed", appointmentID)
	case v1:
		return fmt.Sprintf("consultation of %s completed: it is V1 work (before go-live on %s); the old back office (V1) pays it, not V2", work, goLive)
	}
	return fmt.Sprintf("consultation of %s completed: its fee is pending until the post-consultation form is submitted", work)
}

// workLedger reads back when the consultation took place and whether that makes it V1 work.
func workLedger(ctx context.Context, a *app.App, call app.Call, appointmentID string) (work, goLive ledger.Date, v1 bool, err error) {
	appt, _, err := a.Appointment(ctx, call, appointmentID)
	if err != nil {
		return work, goLive, false, err
	}
	work = ledger.LondonDate(appt.WorkedAt)
	goLive, err = a.GoLive(ctx, call)
	if errors.Is(err, v1import.ErrNoGoLive) {
		return work, goLive, false, nil
	}
	return work, goLive, err == nil && ledger.For(work, goLive) == ledger.V1, err
}
