// Package payments is the payments CLI: what a clinician asks about their money, and what
// the accounts department needs to run payouts and follow invoices and appointments; and
// the payments part of the demo data.
package payments

import (
	"context"

	"github.com/spf13/cobra"

	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
)

// Commands are the payments subcommands.
func Commands() []*cobra.Command {
	return []*cobra.Command{
		paymentsCommand(),
		payoutsCommand(),
		invoicesCommand(),
		appointmentsCommand(),
		journalCommand(),
		bankDetailsCommand(),
	}
}

// SeedDemo adds the payments part of the demo data.
func SeedDemo(ctx context.Context, d *wiring.Runtime) error {
	return Seed(ctx, d, DemoStandard)
}

// DemoStandard is the demo behind `make run`.
var DemoStandard = DemoSize{Clinicians: 6, Appointments: 300, Invoices: 40}
