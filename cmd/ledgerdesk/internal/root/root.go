// Package root builds the ledgerdesk command tree from the areas.
package root

import (
	"github.com/spf13/cobra"

	"ledgerdesk/cmd/ledgerdesk/internal/audit"
	"ledgerdesk/cmd/ledgerdesk/internal/operations"
	"ledgerdesk/cmd/ledgerdesk/internal/payments"
	"ledgerdesk/cmd/ledgerdesk/internal/support"
	v1 "ledgerdesk/cmd/ledgerdesk/internal/v1"
)

// Command is the root command with every area's subcommands.
func Command() *cobra.Command {
	root := &cobra.Command{
		Use:           "ledgerdesk",
		Short:         "Event-sourced payments and support tickets for an online psychiatry practice",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(operations.Commands()...)
	root.AddCommand(payments.Commands()...)
	root.AddCommand(v1.Commands()...)
	root.AddCommand(support.Commands()...)
	root.AddCommand(audit.Commands()...)
	root.AddCommand(operations.APICommands()...)
	return root
}
