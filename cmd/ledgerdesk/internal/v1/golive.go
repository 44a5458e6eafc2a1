package v1

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/ledger"
)

// deployment is the caller that records the deployment's own settings in the history.
var deployment = cli.As("system:ledgerdesk", authz.Admin)

// EnsureGoLive makes the history agree with LEDGERDESK_GO_LIVE (see
// v1import.EnsureGoLive): recorded once, moved only while in the future, and the cutover
// recorded once go-live day has begun. A setting that contradicts a go-live that has
// passed stops the program: every earning since then was judged against the date on
// record.
func EnsureGoLive(ctx context.Context, d *wiring.Runtime) (v1import.GoLiveStatus, error) {
	a, err := d.App()
	if err != nil {
		return v1import.GoLiveStatus{}, err
	}
	date := d.Config.GoLive
	st, err := a.EnsureGoLive(ctx, deployment, date)
	if err != nil {
		if errors.Is(err, cutover.ErrGoLivePassed) {
			if on, lerr := a.GoLive(ctx, deployment); lerr == nil {
				return st, fmt.Errorf("LEDGERDESK_GO_LIVE=%s disagrees with the go-live date on record, %s, which can no longer move; set LEDGERDESK_GO_LIVE=%s: %w",
					date, on, on, err)
			}
		}
		return st, fmt.Errorf("LEDGERDESK_GO_LIVE=%s: %w", date, err)
	}
	switch {
	case st.Scheduled:
		d.Log.Info("go-live date recorded", "go_live", st.GoLive.String())
	case st.Rescheduled:
		d.Log.Info("go-live date moved", "go_live", st.GoLive.String())
	}
	if st.CutoverRecorded {
		d.Log.Info("cutover recorded: work from go-live day on belongs to V2", "go_live", st.GoLive.String())
	}
	return st, nil
}

// goLive is the go-live date from the history; when none is on record yet (nothing has
// started serve), the configured one is recorded first.
func goLive(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) (ledger.Date, error) {
	g, err := a.GoLive(ctx, call)
	if errors.Is(err, v1import.ErrNoGoLive) {
		st, err := EnsureGoLive(ctx, d)
		return st.GoLive, err
	}
	return g, err
}

func goLiveCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "go-live",
		Short: "Show the go-live date and cutover as the history records them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				s, err := a.Cutover(ctx, call)
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
