// Package support is the support centre's CLI: the agents' ticket queue and the work on
// each ticket, and the portal and support-site accounts; the periodic jobs serve runs; and
// the support part of the demo data.
//
// Every command goes through the application layer. --as names the support-site (or, for a
// consent, the portal) account acting, by id or email; the role it acts in follows from the
// account, as it does for a signed-in user of the API: an agent's account acts as a
// support agent (--role it_support for IT support), a requester's as a patient (--role
// clinician for a clinician). Commands that need no account (the queue, registering an
// account, a reset link, the retention sweep) act as the operator (cli:$USER) in --role.
package support

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
)

// Commands are the support subcommands.
func Commands() []*cobra.Command { return []*cobra.Command{ticketsCommand(), accountsCommand()} }

// SeedDemo adds the support part of the demo data.
func SeedDemo(ctx context.Context, d *wiring.Runtime) error {
	return Seed(ctx, d, time.Now())
}
