package audit

import (
	"fmt"
	"io"
	"text/tabwriter"

	"ledgerdesk/audit"
)

// printReplay writes a replay's outcome for a person: one line per table, then every
// difference in words.
func printReplay(out io.Writer, rep audit.ReplayReport) {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "PROJECTION\tTABLE\tLIVE ROWS\tREPLAY ROWS\tRESULT")
	for _, p := range rep.Projections {
		if p.Skipped != "" {
			fmt.Fprintf(w, "%s\t-\t-\t-\tskipped: %s\n", p.Name, p.Skipped)
			continue
		}
		if len(p.Tables) == 0 {
			fmt.Fprintf(w, "%s\t-\t-\t-\tno tables\n", p.Name)
		}
		for _, t := range p.Tables {
			result := "identical"
			if !t.Same {
				result = "DIFFERENT"
			}
			fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%s\n", p.Name, t.Table, t.LiveRows, t.ReplayRows, result)
		}
		if len(p.ReplayFailed) > 0 || p.LiveParked > 0 {
			fmt.Fprintf(w, "%s\t-\t-\t-\tthe replay could not apply %d event(s); the live projection has %d parked\n", p.Name, len(p.ReplayFailed), p.LiveParked)
		}
	}
	_ = w.Flush()
	diffs := rep.Differences()
	if len(diffs) == 0 {
		fmt.Fprintln(out, "every replayed read model is identical to the live one")
		return
	}
	fmt.Fprintf(out, "%d difference(s):\n", len(diffs))
	for _, d := range diffs {
		fmt.Fprintln(out, "  "+d)
	}
}
