package audit

import (
	"context"
	"fmt"

	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/projector"

	"github.com/spf13/cobra"

	"ledgerdesk/eventstore"
)

func privacyCommand() *cobra.Command {
	p := &cobra.Command{Use: "privacy", Short: "UK GDPR: erase a person's personal data"}
	var noRebuild bool
	erase := &cobra.Command{
		Use:   "erase PERSON",
		Short: "Destroy PERSON's personal-data key, then rebuild the read models so no copy of their data outlives it",
		Long: "Events keep every amount, date and id; their personal fields (names, addresses, free text) are encrypted " +
			"with the person's key, and once it is destroyed they read as \"[erased]\" in history, replays and exports. " +
			"Read models hold decrypted copies, so each is rebuilt from the events afterwards (blue/green, while serving). " +
			"Erasure is final.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				cmds, err := d.CommandDeps()
				if err != nil {
					return err
				}
				if err := cmds.Codec.Erase(ctx, args[0]); err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "erased the personal data of %s\n", args[0])
				if noRebuild {
					return nil
				}
				n := 0
				models, err := d.ReadModels()
				if err != nil {
					return err
				}
				for _, m := range models {
					if _, isPolicy := m.(interface {
						Handle(context.Context, eventstore.RecordedEvent) error
					}); isPolicy {
						continue
					}
					if err := projector.Rebuild(ctx, d.DB, d.Store, m, nil); err != nil {
						return fmt.Errorf("the key is destroyed, but rebuilding %s failed (run `ledgerdesk projections rebuild %s`): %w", m.Name(), m.Name(), err)
					}
					n++
				}
				fmt.Fprintf(out, "rebuilt %d read model(s) without it\n", n)
				return nil
			})
		},
	}
	erase.Flags().BoolVar(&noRebuild, "no-rebuild", false, "only destroy the key (rebuild the read models later)")
	p.AddCommand(erase)
	return p
}
