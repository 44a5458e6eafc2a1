package cli

import (
	"fmt"
	"os"

	"github.com/schollz/progressbar/v3"
)

// EventBar is a progress bar on stderr counting events towards total (-1: unknown), with
// opts added (OptionShowIts for a rate).
func EventBar(description string, total int64, opts ...progressbar.Option) *progressbar.ProgressBar {
	return progressbar.NewOptions64(total, append([]progressbar.Option{progressbar.OptionSetDescription(description),
		progressbar.OptionSetWriter(os.Stderr), progressbar.OptionShowCount(), progressbar.OptionSetItsString("events")}, opts...)...)
}

// EndBar fills bar and ends its line.
func EndBar(bar *progressbar.ProgressBar) {
	_ = bar.Finish()
	fmt.Fprintln(os.Stderr)
}
