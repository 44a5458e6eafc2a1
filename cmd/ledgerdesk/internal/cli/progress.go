package cli

import (
	"os"

	"ledgerdesk/cmd/ledgerdesk/internal/progress"
)

// EventBar counts events towards total (-1: unknown) on stderr: a bar on a terminal, a
// line per tenth elsewhere (a log, a pipe), so no bar is drawn into a file.
func EventBar(description string, total int64) progress.Bar {
	return progress.New(os.Stderr, description, total, progress.Unit("events"))
}

// EndBar reports the work complete and ends the bar's line.
func EndBar(bar progress.Bar) { bar.Finish() }
