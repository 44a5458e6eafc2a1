package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/commands"
	"ledgerdesk/projections"
)

// supportReadModels are the support projections and policies.
func supportReadModels(d *deps, cmds commands.Deps) ([]projections.Projection, error) {
	svc, err := supportService(d, cmds, nil)
	if err != nil {
		return nil, fmt.Errorf("support read models and policies: %w", err)
	}
	rms, pols := supportProjections(d, svc)
	return append(rms, pols...), nil
}

// supportCommands are the support subcommands.
func supportCommands() []*cobra.Command { return []*cobra.Command{ticketsCommand(), accountsCommand()} }

// seedSupportDemo adds the support part of the demo data.
func seedSupportDemo(ctx context.Context, d *deps, cmds commands.Deps) error {
	return seedSupport(ctx, d, cmds, time.Now())
}
