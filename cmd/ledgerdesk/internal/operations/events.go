package operations

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"

	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/projector"

	"github.com/spf13/cobra"

	"ledgerdesk/adapters/esdb"
	"ledgerdesk/adapters/postgres"
	"ledgerdesk/eventstore"
	"ledgerdesk/eventstore/eventcopy"
	"ledgerdesk/migrations"
)

func eventsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "events", Short: "Work on the event history itself"}
	var from, to, checkpoint string
	var batch int
	cp := &cobra.Command{
		Use:   "copy --from URL --to URL",
		Short: "Copy a whole history, in order, between two stores (postgres:// or kurrentdb://), keeping ids, versions and timestamps; resumable",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			src, err := openStore(ctx, from, false)
			if err != nil {
				return fmt.Errorf("--from: %w", err)
			}
			defer src.Close()
			dst, err := openStore(ctx, to, true)
			if err != nil {
				return fmt.Errorf("--to: %w", err)
			}
			defer dst.Close()
			if checkpoint == "" {
				sum := sha256.Sum256([]byte(from + "\x00" + to))
				checkpoint = filepath.Join(".ledgerdesk", "copy-"+hex.EncodeToString(sum[:6])+".pos")
			}
			total := int64(-1)
			if c, ok := src.(projector.Counter); ok {
				if total, err = c.CountAfter(ctx, eventstore.Start); err != nil {
					return err
				}
			}
			start, err := eventcopy.FileCheckpoint{Path: checkpoint}.Load(ctx)
			if err != nil {
				return err
			}
			done := int64(0)
			if c, ok := src.(projector.Counter); ok && start != eventstore.Start {
				after, err := c.CountAfter(ctx, start)
				if err != nil {
					return err
				}
				done = total - after
			}
			bar := cli.EventBar("copying events", total)
			bar.Set(done)
			res, err := eventcopy.Copy(ctx, src, dst, eventcopy.FileCheckpoint{Path: checkpoint}, eventcopy.Options{
				BatchSize: batch, Progress: func(n int64) { bar.Set(done + n) },
			})
			cli.EndBar(bar)
			if err != nil {
				return fmt.Errorf("%w (progress is saved in %s: run the same command again to resume)", err, checkpoint)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "copied %d events; the target is at %s (checkpoint %s)\n", res.Copied, res.Last, checkpoint)
			return nil
		},
	}
	cp.Flags().StringVar(&from, "from", "", "source store URL (postgres://… or kurrentdb://…)")
	cp.Flags().StringVar(&to, "to", "", "target store URL")
	cp.Flags().StringVar(&checkpoint, "checkpoint", "", "file that records progress (default .ledgerdesk/copy-<hash of the URLs>.pos)")
	cp.Flags().IntVar(&batch, "batch", 1000, "events per read")
	_ = cp.MarkFlagRequired("from")
	_ = cp.MarkFlagRequired("to")
	cmd.AddCommand(cp)
	return cmd
}

// openStore opens a store from a URL; a Postgres target is migrated first.
func openStore(ctx context.Context, url string, migrate bool) (eventstore.Store, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		if migrate {
			if _, err := migrations.ApplyURL(ctx, url); err != nil {
				return nil, err
			}
		}
		return postgres.Open(ctx, url, postgres.Config{})
	case strings.Contains(url, "://"):
		return esdb.Open(ctx, url)
	}
	return nil, fmt.Errorf("%q: want a postgres:// or kurrentdb:// (esdb://) URL", url)
}
