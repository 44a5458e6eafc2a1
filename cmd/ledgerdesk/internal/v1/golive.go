package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/ledger"
)

// v1EnsureGoLive makes the history agree with LEDGERDESK_GO_LIVE (see
// v1import.EnsureGoLive): recorded once, moved only while in the future, and the cutover
// recorded once go-live day has begun. A setting that contradicts a go-live that has
// passed stops the program: every earning since then was judged against the date on
// record.
func v1EnsureGoLive(ctx context.Context, d *deps, cmds commands.Deps) (v1import.GoLiveStatus, error) {
	date := d.cfg.GoLive
	st, err := v1import.EnsureGoLive(ctx, cmds, date, time.Now(), "system:ledgerdesk")
	if err != nil {
		if errors.Is(err, cutover.ErrGoLivePassed) {
			s, _, lerr := commands.Load(ctx, cmds, cutover.Decider, cutover.StreamID)
			if on, ok := s.GoLive(); lerr == nil && ok {
				return st, fmt.Errorf("LEDGERDESK_GO_LIVE=%s disagrees with the go-live date on record, %s, which can no longer move; set LEDGERDESK_GO_LIVE=%s: %w",
					date, on, on, err)
			}
		}
		return st, fmt.Errorf("LEDGERDESK_GO_LIVE=%s: %w", date, err)
	}
	switch {
	case st.Scheduled:
		d.log.Info("go-live date recorded", "go_live", st.GoLive.String())
	case st.Rescheduled:
		d.log.Info("go-live date moved", "go_live", st.GoLive.String())
	}
	if st.CutoverRecorded {
		d.log.Info("cutover recorded: work from go-live day on belongs to V2", "go_live", st.GoLive.String())
	}
	return st, nil
}

// v1GoLive is the go-live date from the history; when none is on record yet (nothing has
// started serve), the configured one is recorded first.
func v1GoLive(ctx context.Context, d *deps, cmds commands.Deps) (ledger.Date, error) {
	g, err := v1import.GoLive(ctx, cmds)
	if errors.Is(err, v1import.ErrNoGoLive) {
		st, err := v1EnsureGoLive(ctx, d, cmds)
		return st.GoLive, err
	}
	return g, err
}

func v1GoLiveCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "go-live",
		Short: "Show the go-live date and cutover as the history records them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withDeps(cmd, func(ctx context.Context, d *deps) error {
				cmds, err := d.commandDeps()
				if err != nil {
					return err
				}
				s, _, err := commands.Load(ctx, cmds, cutover.Decider, cutover.StreamID)
				if err != nil {
					return err
				}
				g, ok := s.GoLive()
				switch {
				case !ok:
					fmt.Fprintln(cmd.OutOrStdout(), "no go-live date recorded yet (serve records LEDGERDESK_GO_LIVE on start)")
				case s.CutoverHappened():
					fmt.Fprintf(cmd.OutOrStdout(), "go-live %s: cutover recorded; work dated before it is V1's, from it on V2's\n", g)
				default:
					fmt.Fprintf(cmd.OutOrStdout(), "go-live %s: scheduled, not yet reached (it can still be moved to a later day)\n", g)
				}
				return nil
			})
		},
	}
}
