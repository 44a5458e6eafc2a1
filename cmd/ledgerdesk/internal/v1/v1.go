// Package v1 is the accounts department's CLI for the legacy back office (V1): import its
// pending payments, tick them off, reconcile, and the go-live date; and the V1 part of the
// demo data. Every command goes through the application layer, in the accounts role
// unless --role says otherwise.
package v1

import (
	"github.com/spf13/cobra"

	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
)

// Commands are the v1 subcommands.
func Commands() []*cobra.Command {
	v1 := &cobra.Command{
		Use:   "v1",
		Short: "The legacy back office (V1): import its pending payments, tick them off, reconcile",
	}
	cli.AddActorFlags(v1, authz.Accounts)
	v1.AddCommand(importCommand(), tickOffCommand(), undoTickOffCommand(), reportCommand(), goLiveCommand())
	return []*cobra.Command{v1}
}
