package main

import (
	"context"

	"github.com/spf13/cobra"

	"ledgerdesk/commands"
	"ledgerdesk/projections"
)

// supportReadModels are the support projections and policies.
func supportReadModels(d *deps, cmds commands.Deps) []projections.Projection { return nil }

// supportCommands are the support subcommands.
func supportCommands() []*cobra.Command { return nil }

// seedSupportDemo adds the support part of the demo data.
func seedSupportDemo(ctx context.Context, d *deps, cmds commands.Deps) error { return nil }
