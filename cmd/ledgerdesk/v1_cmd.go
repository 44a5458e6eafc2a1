package main

import (
	"context"

	"github.com/spf13/cobra"

	"ledgerdesk/commands"
	"ledgerdesk/projections"
)

// v1ReadModels are the v1 projections and policies.
func v1ReadModels(d *deps, cmds commands.Deps) []projections.Projection { return nil }

// v1Commands are the v1 subcommands.
func v1Commands() []*cobra.Command { return nil }

// seedV1Demo adds the v1 part of the demo data.
func seedV1Demo(ctx context.Context, d *deps, cmds commands.Deps) error { return nil }

// ensureGoLive records LEDGERDESK_GO_LIVE in the cutover stream on start.
func ensureGoLive(ctx context.Context, d *deps, cmds commands.Deps) error { return nil }
