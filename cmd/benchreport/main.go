// Command benchreport runs the project's benchmarks (`make bench`) and prints each
// measured variant next to the baseline measured beside it in the same run, with the
// ratio and the target.
//
// A benchmark named ".../baseline" is the yardstick for its siblings (".../store" and any
// other leaf under the same parent). Benchmarks without a baseline are listed after, with
// every metric they report (events/s, peak-MB…). Falling short of a target is printed as
// BELOW and never fails the run, because shared machines are noisy; the exit status is
// non-zero only when the benchmarks themselves fail or nothing ran.
//
// Usage:
//
//	benchreport [-pkg ./adapters/postgres]... [-bench .] [-benchtime 1s] [-count 5]
//	benchreport -in saved-output.txt
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// defaultPkgs are the packages `make bench` measures when no -pkg is given.
var defaultPkgs = []string{"./adapters/postgres"}

// pkgList collects a repeatable -pkg flag.
type pkgList []string

func (p *pkgList) String() string     { return strings.Join(*p, ",") }
func (p *pkgList) Set(v string) error { *p = append(*p, v); return nil }

type options struct {
	pkgs      []string
	bench     string
	benchtime string
	count     int
	timeout   string
	goTool    string
	in        string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var pkgs pkgList
	fs := flag.NewFlagSet("benchreport", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Var(&pkgs, "pkg", "package to benchmark; repeat for several (default "+strings.Join(defaultPkgs, ", ")+")")
	fs.StringVar(&o.bench, "bench", ".", "benchmark name pattern, as go test -bench")
	fs.StringVar(&o.benchtime, "benchtime", "1s", "time or NNNx per benchmark, as go test -benchtime")
	fs.IntVar(&o.count, "count", 5, "runs of each benchmark; the report shows medians")
	fs.StringVar(&o.timeout, "timeout", "60m", "go test -timeout")
	fs.StringVar(&o.goTool, "go", "go", "the go command")
	fs.StringVar(&o.in, "in", "", "report on saved `go test -bench` output in this file (- for stdin) instead of running")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q (packages go in -pkg)", fs.Args())
	}
	if o.count < 1 {
		return o, fmt.Errorf("-count must be at least 1, got %d", o.count)
	}
	o.pkgs = pkgs
	if len(o.pkgs) == 0 {
		o.pkgs = defaultPkgs
	}
	return o, nil
}

// goTestArgs is the go test invocation: no tests, only benchmarks.
func (o options) goTestArgs() []string {
	args := []string{"test", "-run", "^$", "-bench", o.bench, "-benchtime", o.benchtime,
		"-count", strconv.Itoa(o.count), "-timeout", o.timeout}
	return append(args, o.pkgs...)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		fmt.Fprintln(stderr, "benchreport:", err)
		return 2
	}
	output, runErr := benchOutput(ctx, o, stderr)
	results, err := Parse(bytes.NewReader(output))
	if err != nil {
		fmt.Fprintln(stderr, "benchreport: reading benchmark output:", err)
		return 1
	}
	benches := Aggregate(results)
	if len(benches) > 0 {
		fmt.Fprintln(stdout)
		if err := WriteReport(stdout, benches, Targets); err != nil {
			fmt.Fprintln(stderr, "benchreport:", err)
			return 1
		}
	}
	switch {
	case runErr != nil:
		fmt.Fprintln(stderr, "benchreport: the benchmarks failed:", runErr)
		return 1
	case len(benches) == 0:
		fmt.Fprintf(stderr, "benchreport: no benchmark results (pattern %q)\n", o.bench)
		return 1
	}
	return 0
}

// benchOutput runs go test, echoing its output to stderr as it comes so a long run shows
// progress, or reads saved output with -in.
func benchOutput(ctx context.Context, o options, stderr io.Writer) ([]byte, error) {
	switch o.in {
	case "":
	case "-":
		return io.ReadAll(os.Stdin)
	default:
		return os.ReadFile(o.in)
	}
	var buf bytes.Buffer
	cmd := exec.CommandContext(ctx, o.goTool, o.goTestArgs()...)
	cmd.Stdout = io.MultiWriter(&buf, stderr)
	cmd.Stderr = stderr
	fmt.Fprintln(stderr, "$", o.goTool, strings.Join(o.goTestArgs(), " "))
	err := cmd.Run()
	return buf.Bytes(), err
}
