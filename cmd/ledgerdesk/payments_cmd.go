package main

import (
	"context"

	"github.com/spf13/cobra"

	"ledgerdesk/commands"
	"ledgerdesk/projections"
)

// paymentsReadModels are the payments projections and policies.
func paymentsReadModels(d *deps, cmds commands.Deps) []projections.Projection { return nil }

// paymentsCommands are the payments subcommands.
func paymentsCommands() []*cobra.Command { return nil }

// seedPaymentsDemo adds the payments part of the demo data.
func seedPaymentsDemo(ctx context.Context, d *deps, cmds commands.Deps) error { return nil }
