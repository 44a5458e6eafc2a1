// Package progress reports how far a long command has got: a progress bar on a terminal,
// and plain lines anywhere else (a pipe, a file, a CI log), where a bar's carriage returns
// and escape codes would only be noise.
//
// Off a terminal a bar prints one line when it starts, one each time it passes another
// tenth of its total, and one when it ends: "rebuilding appointments: 1200/12000 (10%)".
// With no known total it prints at most one line per LineInterval.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Bar is told how far the work has got. Its methods are safe for concurrent use.
type Bar interface {
	// Set records that done units of the work are done.
	Set(done int64)
	// Add records n more.
	Add(n int64)
	// SetTotal changes the total; -1 means not known.
	SetTotal(total int64)
	// Finish reports the work complete and ends the bar's line.
	Finish()
	// Exit leaves the bar where it stopped (the work failed or was interrupted) and ends
	// its line: it does not claim the work is complete.
	Exit()
}

// Option changes how a bar counts.
type Option func(*options)

type options struct {
	unit  string
	bytes bool
}

// Unit names what is counted on a terminal ("events").
func Unit(s string) Option { return func(o *options) { o.unit = s } }

// Bytes counts bytes, shown in kB, MB...
func Bytes() Option { return func(o *options) { o.bytes = true } }

// LineInterval bounds how often a bar with no known total prints a line off a terminal.
var LineInterval = 5 * time.Second

// isTerminal says whether w is a terminal that can draw a bar; a variable so the tests
// can pretend.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

// New returns a bar writing to w: drawn when w is a terminal, lines otherwise. A nil w
// discards everything.
func New(w io.Writer, label string, total int64, opts ...Option) Bar {
	var o options
	for _, f := range opts {
		f(&o)
	}
	if w == nil {
		return &lines{w: io.Discard, label: label, total: total, opts: o, quiet: true}
	}
	if isTerminal(w) {
		popts := []progressbar.Option{progressbar.OptionSetDescription(label), progressbar.OptionSetWriter(w),
			progressbar.OptionThrottle(100 * time.Millisecond)}
		if o.bytes {
			popts = append(popts, progressbar.OptionShowBytes(true))
		} else {
			popts = append(popts, progressbar.OptionShowCount(), progressbar.OptionShowIts())
			if o.unit != "" {
				popts = append(popts, progressbar.OptionSetItsString(o.unit))
			}
		}
		return &drawn{w: w, bar: progressbar.NewOptions64(total, popts...)}
	}
	l := &lines{w: w, label: label, total: total, opts: o, now: time.Now}
	l.print("")
	return l
}

// NewReader counts what is read from r on bar (with Bytes, for a file being read).
func NewReader(r io.Reader, bar Bar) io.Reader { return &reader{r: r, bar: bar} }

type reader struct {
	r   io.Reader
	bar Bar
}

func (r *reader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.bar.Add(int64(n))
	return n, err
}

// drawn is a progressbar on a terminal.
type drawn struct {
	mu   sync.Mutex
	w    io.Writer
	bar  *progressbar.ProgressBar
	done bool
}

func (d *drawn) Set(n int64)      { _ = d.bar.Set64(n) }
func (d *drawn) Add(n int64)      { _ = d.bar.Add64(n) }
func (d *drawn) SetTotal(t int64) { d.bar.ChangeMax64(t) }

func (d *drawn) Finish() { d.end(func() { _ = d.bar.Finish() }) }
func (d *drawn) Exit()   { d.end(func() { _ = d.bar.Exit() }) }

func (d *drawn) end(f func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return
	}
	d.done = true
	f()
	fmt.Fprintln(d.w)
}

// lines prints a line per step.
type lines struct {
	mu          sync.Mutex
	w           io.Writer
	label       string
	total, done int64
	opts        options
	quiet       bool
	now         func() time.Time
	// tenth is the last tenth of the total a line was printed for; last is when the last
	// line was printed.
	tenth int64
	last  time.Time
	ended bool
}

func (l *lines) Set(n int64) { l.update(func() { l.done = n }) }
func (l *lines) Add(n int64) { l.update(func() { l.done += n }) }
func (l *lines) SetTotal(t int64) {
	l.update(func() {
		if t != l.total {
			l.total = t
			l.tenth = l.tenths()
		}
	})
}

func (l *lines) update(f func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return
	}
	f()
	if l.total > 0 {
		if t := l.tenths(); t > l.tenth && l.done < l.total {
			l.tenth = t
			l.print("")
		}
		return
	}
	if l.now().Sub(l.last) >= LineInterval {
		l.print("")
	}
}

func (l *lines) tenths() int64 {
	if l.total <= 0 {
		return 0
	}
	return min(l.done, l.total) * 10 / l.total
}

func (l *lines) Finish() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return
	}
	l.ended = true
	if l.total > 0 && l.done < l.total {
		l.done = l.total
	}
	l.print(", done")
}

func (l *lines) Exit() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return
	}
	l.ended = true
	l.print(", stopped")
}

// print writes the current line; the caller holds mu.
func (l *lines) print(suffix string) {
	if l.quiet {
		return
	}
	if l.now != nil {
		l.last = l.now()
	}
	count := l.count(l.done)
	if l.total >= 0 {
		pct := int64(0)
		if l.total > 0 {
			pct = min(l.done, l.total) * 100 / l.total
		} else if l.ended {
			pct = 100
		}
		fmt.Fprintf(l.w, "%s: %s/%s (%d%%)%s\n", l.label, count, l.count(l.total), pct, suffix)
		return
	}
	fmt.Fprintf(l.w, "%s: %s%s\n", l.label, count, suffix)
}

func (l *lines) count(n int64) string {
	if !l.opts.bytes {
		return fmt.Sprint(n)
	}
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
