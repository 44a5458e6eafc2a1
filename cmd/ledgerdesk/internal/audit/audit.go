// Package audit is the auditors' CLI: trace, replay, verify and export the event history,
// and erase a person's personal data. These are infrastructure over the whole history (its
// streams, hash chain, read models and keys), so they work on the event store and the
// projector directly rather than through the application layer's per-record operations.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/audit"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/progress"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
)

// Commands are the auditors' tools (audit ..., privacy ...).
func Commands() []*cobra.Command {
	a := &cobra.Command{Use: "audit", Short: "Trace, replay, verify and export the event history"}
	a.AddCommand(auditHistoryCommand(), auditAsOfCommand(), auditReplayCommand(), auditVerifyCommand(), auditSealCommand(), auditExportCommand())
	return []*cobra.Command{a, privacyCommand()}
}

func auditHistoryCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "history STREAM",
		Short: "Every event of a stream with its time, type, actor, correlation and causation",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				cmds, err := d.CommandDeps()
				if err != nil {
					return err
				}
				entries, err := audit.History(ctx, cmds, args[0])
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if asJSON {
					enc := json.NewEncoder(out)
					enc.SetIndent("", "  ")
					if entries == nil {
						entries = []audit.Entry{}
					}
					return enc.Encode(entries)
				}
				if len(entries) == 0 {
					fmt.Fprintf(out, "stream %s has no events\n", args[0])
					return nil
				}
				w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "VERSION\tRECORDED AT\tTYPE\tACTOR\tCORRELATION\tCAUSATION\tDATA")
				for _, e := range entries {
					data := string(e.Data)
					if e.Problem != "" {
						data += "  (" + e.Problem + ")"
					}
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Version, e.RecordedAt.UTC().Format(time.RFC3339Nano), e.Type,
						orDash(e.Actor), e.CorrelationID, e.CausationID, data)
				}
				return w.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func auditAsOfCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "as-of TIME (" + strings.Join(audit.Kinds(), "|") + ") ID",
		Short: "The state of a clinician's earnings, an invoice, an appointment, a payout or a ticket as it was at TIME",
		Long: "TIME is RFC 3339 (2025-02-03T09:30:00Z), London time (2025-02-03 09:30) or a date, " +
			"which means the end of that London day. The state is folded from the events recorded up to then.",
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			at, err := audit.ParseTime(args[0], true)
			if err != nil {
				return err
			}
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				cmds, err := d.CommandDeps()
				if err != nil {
					return err
				}
				snap, err := audit.AsOf(ctx, cmds, args[1], args[2], at)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if !asJSON {
					fmt.Fprintf(out, "%s %s as of %s: %d event(s) of stream %s\n", snap.Kind, snap.ID, snap.AsOf.Format(time.RFC3339), snap.Version, snap.Stream)
					if snap.Version == 0 {
						fmt.Fprintln(out, "nothing had been recorded yet")
						return nil
					}
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if asJSON {
					return enc.Encode(snap)
				}
				return enc.Encode(snap.State)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the whole snapshot as JSON")
	return cmd
}

func auditReplayCommand() *cobra.Command {
	var asJSON, keep bool
	cmd := &cobra.Command{
		Use:   "replay",
		Short: "Rebuild every read model into a shadow schema and compare it with the live one; exit status 2 on a difference",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				models, err := d.ReadModels()
				if err != nil {
					return err
				}
				var bar progress.Bar
				current := ""
				rep, err := audit.Replay(ctx, audit.ReplayConfig{
					DB: d.DB, Store: d.Store, Projections: models, Keep: keep,
					Progress: func(name string, done, total int64) {
						if name != current {
							if bar != nil {
								cli.EndBar(bar)
							}
							current = name
							bar = cli.EventBar("replaying "+name, total)
						}
						bar.SetTotal(total)
						bar.Set(done)
					},
				})
				if bar != nil {
					cli.EndBar(bar)
				}
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if asJSON {
					if err := json.NewEncoder(out).Encode(rep); err != nil {
						return err
					}
				} else {
					printReplay(out, rep)
				}
				if len(rep.Differences()) > 0 {
					return cli.ExitError(2)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&keep, "keep", false, "keep the shadow schemas (audit_<name>) for inspection")
	return cmd
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
