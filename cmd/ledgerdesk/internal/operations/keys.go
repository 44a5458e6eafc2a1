package operations

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"ledgerdesk/cmd/ledgerdesk/internal/devkey"
	"ledgerdesk/cmd/ledgerdesk/internal/keys"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
)

func keysCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "The master key that every personal-data key is wrapped under"}
	var newFile string
	rotate := &cobra.Command{
		Use:   "rotate --new-key-file FILE",
		Short: "Rewrap every data key under a new master key (stop serve first; safe to run again)",
		Long: `Rewraps every personal-data key, attachment key and two-factor secret under the master
key read from FILE (base64 of 32 bytes, mode 0600; "-" reads it from standard input; never
from the command line, which other users can see). The old key is LEDGERDESK_MASTER_KEY,
or the development key file when that is unset. It works in batches and can be run again
after an interruption with the same keys; then start serve with LEDGERDESK_MASTER_KEY set
to the new key.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var fresh []byte
			var err error
			if newFile == "-" {
				fresh, err = devkey.Parse(cmd.InOrStdin())
			} else {
				fresh, err = devkey.Read(newFile)
			}
			if err != nil {
				return fmt.Errorf("--new-key-file: %w", err)
			}
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				old := d.Config.MasterKey
				if old == nil {
					k, err := devkey.Read(devkey.PathFor(d.Config.DevKeyFile, d.Config.DataDir))
					switch {
					case err == nil:
						old = k
					case !errors.Is(err, fs.ErrNotExist):
						return err
					}
				}
				rep, err := keys.Rotate(ctx, d.DB, old, fresh, func(table string, done, total int64) {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s %d/%d\n", table, done, total)
				})
				if err != nil {
					if ctx.Err() != nil {
						return fmt.Errorf("%w: run it again with the same keys to finish", err)
					}
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "rewrapped %d personal-data keys (%d already under the new key), %d attachment keys, %d two-factor secrets\n",
					rep.Personal.Wrapped+rep.Personal.Rewrapped, rep.Personal.Already, rep.Attachments.Rewrapped, rep.Secrets.Resealed)
				fmt.Fprintln(cmd.OutOrStdout(), "now start serve with LEDGERDESK_MASTER_KEY set to the new key")
				return nil
			})
		},
	}
	rotate.Flags().StringVar(&newFile, "new-key-file", "", `the new master key's file (mode 0600), or "-" for standard input`)
	_ = rotate.MarkFlagRequired("new-key-file")
	cmd.AddCommand(rotate)
	return cmd
}
