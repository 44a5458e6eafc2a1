package main

import (
	"context"

	"github.com/spf13/cobra"

	"ledgerdesk/app"
	"ledgerdesk/commands"
	"ledgerdesk/policies/payments"
	"ledgerdesk/projections"
	earningsrm "ledgerdesk/projections/earnings"
	invoicesrm "ledgerdesk/projections/invoices"
	"ledgerdesk/projections/journal"
	payoutsrm "ledgerdesk/projections/payouts"
)

// paymentsReadModels are the payments projections and policies.
func paymentsReadModels(a *app.App) []projections.Projection {
	cmds := a.Commands()
	ps := []projections.Projection{
		earningsrm.New(cmds.Codec),
		invoicesrm.New(cmds.Codec),
		payoutsrm.New(cmds.Codec),
		journal.New(cmds.Codec),
	}
	for _, p := range payments.All(a) {
		ps = append(ps, p)
	}
	return ps
}

// paymentsCommands are the payments subcommands: what a clinician asks about their money,
// and what the accounts department needs to run payouts and follow invoices.
func paymentsCommands() []*cobra.Command {
	return []*cobra.Command{
		payPaymentsCommand(),
		payPayoutsCommand(),
		payInvoicesCommand(),
		payAppointmentsCommand(),
		payJournalCommand(),
	}
}

// seedPaymentsDemo adds the payments part of the demo data.
func seedPaymentsDemo(ctx context.Context, d *deps, cmds commands.Deps) error {
	return paySeedDemo(ctx, d, cmds, payDemoStandard)
}

// payDemoStandard is the demo behind `make run`.
var payDemoStandard = payDemoSize{Clinicians: 6, Appointments: 300, Invoices: 40}
