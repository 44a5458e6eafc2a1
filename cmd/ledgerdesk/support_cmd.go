package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/commands"
	"ledgerdesk/projections"
)

// supportReadModels are the support projections and policies.
func supportReadModels(d *deps, cmds commands.Deps) []projections.Projection {
	svc, err := supportService(d, cmds, nil)
	if err != nil {
		d.log.Error("support read models and policies not started", "err", err)
		return nil
	}
	rms, pols := supportProjections(d, svc)
	return append(rms, pols...)
}

// supportCommands are the support subcommands.
func supportCommands() []*cobra.Command { return []*cobra.Command{ticketsCommand(), accountsCommand()} }

// seedSupportDemo adds the support part of the demo data.
func seedSupportDemo(ctx context.Context, d *deps, cmds commands.Deps) error {
	return seedSupport(ctx, d, cmds, time.Now())
}
