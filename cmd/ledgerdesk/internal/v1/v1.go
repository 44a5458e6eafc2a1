package main

import (
	"context"

	"github.com/spf13/cobra"

	"ledgerdesk/commands"
	"ledgerdesk/projections"
	"ledgerdesk/projections/v1recon"
)

// v1ReadModels are the v1 projections and policies.
func v1ReadModels(d *deps, cmds commands.Deps) []projections.Projection {
	return []projections.Projection{v1recon.New(cmds.Codec)}
}

// v1Commands are the v1 subcommands: the accounts department's tools for the legacy back
// office.
func v1Commands() []*cobra.Command {
	v1 := &cobra.Command{
		Use:   "v1",
		Short: "The legacy back office (V1): import its pending payments, tick them off, reconcile",
	}
	v1.PersistentFlags().String("as", "", "who is acting (an account id); default cli:$USER")
	v1.AddCommand(v1ImportCommand(), v1TickOffCommand(), v1UndoTickOffCommand(), v1ReportCommand(), v1GoLiveCommand())
	return []*cobra.Command{v1}
}

// v1Actor is who runs a v1 command, for the history.
func v1Actor(cmd *cobra.Command) string {
	as, _ := cmd.Flags().GetString("as")
	return cliActor(cmd, as)
}

func v1Meta(cmd *cobra.Command) commands.Metadata {
	return commands.Metadata{CommandID: commands.NewCommandID(), Actor: v1Actor(cmd)}
}

// seedV1Demo adds the v1 part of the demo data.
func seedV1Demo(ctx context.Context, d *deps, cmds commands.Deps) error {
	return v1SeedDemo(ctx, d, cmds)
}

// ensureGoLive records LEDGERDESK_GO_LIVE in the cutover stream on start.
func ensureGoLive(ctx context.Context, d *deps, cmds commands.Deps) error {
	_, err := v1EnsureGoLive(ctx, d, cmds)
	return err
}
