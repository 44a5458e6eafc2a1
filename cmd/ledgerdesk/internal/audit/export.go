package audit

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/audit"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
)

func auditExportCommand() *cobra.Command {
	var from, to, file string
	cmd := &cobra.Command{
		Use:   "export --from TIME --to TIME",
		Short: "Write the events recorded in [from, to) as CloudEvents, one JSON object per line",
		Long: "TIME is RFC 3339, London time (2025-02-03 09:30) or a date (--from: the start of that London day; " +
			"--to: the end of it). Without --to the export runs to the newest event.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var start, end time.Time
			var err error
			if from != "" {
				if start, err = audit.ParseTime(from, false); err != nil {
					return fmt.Errorf("--from: %w", err)
				}
			}
			if to != "" {
				if end, err = audit.ParseTime(to, true); err != nil {
					return fmt.Errorf("--to: %w", err)
				}
				end = end.Add(time.Nanosecond) // --to is inclusive for people, exclusive for Export
				if !start.Before(end) {
					return fmt.Errorf("--to %s is not after --from %s", to, from)
				}
			}
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				cmds, err := d.CommandDeps()
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if file != "" {
					f, err := os.Create(file)
					if err != nil {
						return err
					}
					defer f.Close()
					out = f
				}
				w := bufio.NewWriter(out)
				n, err := audit.Export(ctx, cmds, start, end, w)
				if err != nil {
					return err
				}
				if err := w.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "exported %d event(s)\n", n)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "first moment to export (default: the beginning)")
	cmd.Flags().StringVar(&to, "to", "", "last moment to export (default: now)")
	cmd.Flags().StringVarP(&file, "output", "o", "", "write to this file instead of standard output")
	return cmd
}
