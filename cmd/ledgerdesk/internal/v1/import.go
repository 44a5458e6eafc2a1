package v1

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/adapters/v1csv"
	"ledgerdesk/app"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/progress"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/commands/v1import"
)

// progressThreshold is the file size from which --progress=auto shows bars.
const progressThreshold = 1 << 20

func importCommand() *cobra.Command {
	var opts v1import.Options
	var progress string
	cmd := &cobra.Command{
		Use:   "import FILE.csv",
		Short: "Import V1's export of pending payments (all or nothing; the same file again changes nothing)",
		Long: `Import V1's export of pending payments: a CSV with a header row and the columns
v1_reference, clinician_id, clinician_name, patient_reference, work_date, description,
amount, status. Every invalid row is reported with its line number and nothing is imported
unless --skip-invalid is given. A reference given different figures (in the file, or
against what was imported before) is a conflict: reported, recorded for reconciliation,
and not imported. Importing the same file again, or again after an interruption, imports
nothing twice.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if progress != "auto" && progress != "always" && progress != "never" {
				return fmt.Errorf("--progress=%q: want auto, always or never", progress)
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			info, err := f.Stat()
			if err != nil {
				return err
			}
			return cli.WithApp(cmd, func(ctx context.Context, d *wiring.Runtime, a *app.App, call app.Call) error {
				if _, err := goLive(ctx, d, a, call); err != nil {
					return err
				}
				importer, closeImport, err := d.ImportApp(ctx)
				if err != nil {
					return err
				}
				defer closeImport()
				opts.SourceFile = filepath.Base(args[0])
				opts.At = time.Now()
				opts.Parse = v1csv.Options{}.Parse
				var in io.Reader = f
				var bars *progressBars
				if progress == "always" || (progress == "auto" && info.Size() >= progressThreshold) {
					bars = &progressBars{w: cmd.ErrOrStderr()}
					in = bars.reading(f, info.Size())
					opts.Progress = bars.stage
				}
				rep, err := importer.ImportV1Reporting(ctx, call, in, opts)
				if err == nil && !opts.DryRun {
					// The import's own commits did not wait for the disk; this one does, and
					// waiting for it flushes every commit before it, so what we report as
					// imported survives a crash.
					if _, ferr := d.DB.Exec(ctx, "SELECT pg_current_xact_id()"); ferr != nil {
						err = fmt.Errorf("making the import durable: %w", ferr)
					}
				}
				bars.finish()
				printImport(cmd.OutOrStdout(), rep, err)
				return err
			})
		},
	}
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "show what would happen and change nothing")
	cmd.Flags().BoolVar(&opts.SkipInvalid, "skip-invalid", false, "import the valid rows of a file that has invalid ones, and list the rows skipped")
	cmd.Flags().StringVar(&progress, "progress", "auto", "progress bars on stderr: auto (files of 1 MiB or more), always or never")
	return cmd
}

// printImport tells the clerk what the import found and did.
func printImport(w io.Writer, rep v1import.Report, err error) {
	p := rep.Plan
	c := p.Counts()
	fmt.Fprintf(w, "V1 import of %s (go-live %s)\n", rep.SourceFile, rep.GoLive)
	fmt.Fprintf(w, "  valid rows:          %d\n", rep.ValidRows)
	fmt.Fprintf(w, "  invalid rows:        %d\n", rowsWithErrors(rep))
	fmt.Fprintf(w, "  new items:           %d (£%s)\n", c.New, c.NewTotal)
	fmt.Fprintf(w, "  already imported:    %d\n", c.Unchanged)
	fmt.Fprintf(w, "  repeated lines:      %d\n", c.Repeats)
	fmt.Fprintf(w, "  conflicts:           %d (not imported)\n", c.FileConflicts+c.ExistingConflicts)
	fmt.Fprintf(w, "  dated on or after go-live: %d (imported as V2 work, listed as exceptions)\n", len(rep.AfterGoLive))

	if len(rep.Invalid) > 0 {
		title := "invalid rows:"
		if rep.SkippedInvalid {
			title = "invalid rows, skipped:"
		}
		fmt.Fprintln(w, "\n"+title)
		for _, e := range rep.Invalid {
			fmt.Fprintln(w, "  "+e.Error())
		}
	}
	if len(p.Repeats) > 0 {
		fmt.Fprintln(w, "\nrepeated lines:")
		for _, r := range p.Repeats {
			fmt.Fprintln(w, "  "+r.String())
		}
	}
	if p.HasConflicts() {
		fmt.Fprintln(w, "\nconflicts:")
		for _, s := range p.Conflicts() {
			fmt.Fprintln(w, "  "+s)
		}
	}
	if len(rep.AfterGoLive) > 0 {
		fmt.Fprintln(w, "\ndated on or after go-live:")
		for _, r := range rep.AfterGoLive {
			fmt.Fprintf(w, "  line %d, v1_reference %q: work date %s\n", r.Line, r.Reference, r.WorkDate)
		}
	}
	if len(rep.Raced) > 0 {
		fmt.Fprintf(w, "\nimported meanwhile by someone else with other figures, recorded as conflicts: %s\n", strings.Join(rep.Raced, ", "))
	}

	fmt.Fprintln(w)
	conflicts := c.FileConflicts + c.ExistingConflicts - rep.ConflictsAlreadyRecorded
	switch {
	case errors.Is(err, v1import.ErrInvalidRows):
		fmt.Fprintln(w, "nothing was imported: correct the invalid rows, or import with --skip-invalid")
	case err != nil:
		if rep.Imported+rep.ConflictsRecorded > 0 {
			fmt.Fprintf(w, "stopped after importing %d items and recording %d conflicts: run the same import again to finish\n", rep.Imported, rep.ConflictsRecorded)
		} else {
			fmt.Fprintln(w, "nothing was imported")
		}
	case rep.DryRun:
		fmt.Fprintf(w, "dry run: nothing was changed; this import would add %d items and record %d conflicts\n", c.New, conflicts)
	default:
		fmt.Fprintf(w, "imported %d items and recorded %d conflicts\n", rep.Imported, rep.ConflictsRecorded)
	}
}

func rowsWithErrors(rep v1import.Report) int {
	lines := map[int]bool{}
	for _, e := range rep.Invalid {
		lines[e.Line] = true
	}
	return len(lines)
}

// progressBars shows an import's progress: bytes read, then items checked, then written
// (bars on a terminal, a line per tenth elsewhere).
type progressBars struct {
	w   io.Writer
	bar progress.Bar
	at  v1import.Stage
}

func (b *progressBars) reading(r io.Reader, size int64) io.Reader {
	b.bar = progress.New(b.w, "reading", size, progress.Bytes())
	return progress.NewReader(r, b.bar)
}

func (b *progressBars) stage(s v1import.Stage, done, total int) {
	if s != b.at {
		b.finish()
		b.at = s
		b.bar = progress.New(b.w, string(s), int64(total), progress.Unit("items"))
	}
	b.bar.Set(int64(done))
}

func (b *progressBars) finish() {
	if b == nil || b.bar == nil {
		return
	}
	b.bar.Finish()
	b.bar = nil
}
