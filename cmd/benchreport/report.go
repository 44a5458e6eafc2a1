package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// baselineLeaf names the sub-benchmark every sibling is compared against.
const baselineLeaf = "baseline"

// Target is a speed goal for the benchmarks matching Prefix (itself or anything under it).
// Without a Unit it is a ratio: at least Min times the baseline. With one it is a limit on
// a latency the benchmark reports (p50-ms…): its median under Max, for every benchmark
// under Prefix but the baselines; a target a person feels is stated in milliseconds, and
// its baseline is printed beside it all the same.
type Target struct {
	Prefix string
	Min    float64
	Unit   string
	Max    float64
}

// Targets are the issues' goals: the event store's appends (against a copy of the events
// table and against a bare table), command → read model, every web page's server time,
// and rebuilding the read models.
var Targets = []Target{
	{Prefix: "BenchmarkAppend/single/writers=16", Min: 0.8},
	{Prefix: "BenchmarkAppend/batch100", Min: 0.7},
	{Prefix: "BenchmarkAppendBare/single/writers=16", Min: 0.8},
	{Prefix: "BenchmarkAppendBare/batch100/writers=16", Min: 0.7},
	{Prefix: "BenchmarkPages", Unit: "p99-ms", Max: 50},
	{Prefix: "BenchmarkProjectProcesses", Min: 1.0},
	{Prefix: "BenchmarkCommandThroughput", Min: 0.5},
	{Prefix: "BenchmarkPolicyChain/wakeups", Unit: "p99-ms", Max: 100},
	// Every real read model rebuilt (and the audit replay) at a quarter of the trivial
	// pipeline's rate over the same generated history.
	{Prefix: "BenchmarkRebuild", Min: 0.25},
	{Prefix: "BenchmarkCommandToReadModel/rate=100", Unit: "p50-ms", Max: 10},
	{Prefix: "BenchmarkCommandToReadModel/rate=100", Unit: "p99-ms", Max: 50},
}

func (t Target) covers(name string) bool {
	return name == t.Prefix || strings.HasPrefix(name, t.Prefix+"/")
}

// targetFor is the ratio goal for a benchmark group, and false if it has none.
func targetFor(targets []Target, group string) (float64, bool) {
	for _, t := range targets {
		if t.Unit == "" && t.covers(group) {
			return t.Min, true
		}
	}
	return 0, false
}

// limitFor is the latency limit on unit for a benchmark, and false if it has none.
func limitFor(targets []Target, name, unit string) (float64, bool) {
	for _, t := range targets {
		if t.Unit != "" && t.Unit == unit && t.covers(name) {
			return t.Max, true
		}
	}
	return 0, false
}

// isLatency says a unit is a latency in milliseconds (p50-ms, cmd-p99-ms…): lower is better.
func isLatency(unit string) bool { return strings.HasSuffix(unit, "-ms") }

// Pair is one variant measured next to its baseline.
type Pair struct {
	Ours, Baseline Bench
	// Unit is what the ratio compares: events/s when both report it (higher is better),
	// else each latency both report (one pair per latency unit), else ns/op; latencies and
	// ns/op are inverted, so a ratio above 1 still means ours is faster. Empty when the
	// two have nothing in common to compare.
	Unit   string
	Ratio  float64
	Target float64 // 0 when there is none
	// Limit is the most Unit may be (a latency target), 0 when there is none.
	Limit float64
}

// Status is PASS or BELOW against the target or limit, "-" without one.
func (p Pair) Status() string {
	switch {
	case p.Limit != 0:
		if m, ok := p.Ours.Median(p.Unit); ok && m < p.Limit {
			return "PASS"
		}
		return "BELOW"
	case p.Target == 0:
		return "-"
	case p.Ratio >= p.Target:
		return "PASS"
	}
	return "BELOW"
}

func has(b Bench, unit string) bool { return len(b.Samples[unit]) > 0 }

// pairedRatio is num/den. With -count n every benchmark's runs interleave (run i of
// ours sits next to run i of its baseline), so on a busy machine the median of the
// per-run ratios cancels load that drifts between runs, where the ratio of the medians
// would compare a quiet run with a disturbed one. Uneven run counts fall back to the
// ratio of the medians.
func pairedRatio(num, den []float64) float64 {
	if len(num) == len(den) {
		rs := make([]float64, 0, len(num))
		for i := range num {
			if den[i] != 0 {
				rs = append(rs, num[i]/den[i])
			}
		}
		if len(rs) > 0 {
			return median(rs)
		}
	}
	n, d := median(num), median(den)
	if d == 0 {
		return 0
	}
	return n / d
}

// group and leaf split "A/b/c" into "A/b" and "c".
func group(name string) (string, string) {
	i := strings.LastIndexByte(name, '/')
	if i < 0 {
		return "", name
	}
	return name[:i], name[i+1:]
}

// PairUp matches every benchmark with a .../baseline sibling (same package, same parent)
// against it. Benchmarks with no baseline sibling, and baselines with no other sibling,
// come back as others, in their order.
func PairUp(benches []Bench, targets []Target) (pairs []Pair, others []Bench) {
	baselines := map[[2]string]Bench{}
	paired := map[[2]string]bool{}
	for _, b := range benches {
		if g, leaf := group(b.Name); leaf == baselineLeaf && g != "" {
			baselines[[2]string{b.Pkg, g}] = b
		}
	}
	for _, b := range benches {
		if g, leaf := group(b.Name); leaf != baselineLeaf {
			paired[[2]string{b.Pkg, g}] = true
		}
	}
	for _, b := range benches {
		g, leaf := group(b.Name)
		key := [2]string{b.Pkg, g}
		base, ok := baselines[key]
		if !ok || (leaf == baselineLeaf && !paired[key]) {
			others = append(others, b)
			continue
		}
		if leaf == baselineLeaf {
			continue
		}
		p := Pair{Ours: b, Baseline: base}
		p.Target, _ = targetFor(targets, g)
		var latencies []Pair
		for _, u := range b.Units {
			if isLatency(u) && has(base, u) {
				l := Pair{Ours: b, Baseline: base, Unit: u, Ratio: pairedRatio(base.Samples[u], b.Samples[u])}
				l.Limit, _ = limitFor(targets, b.Name, u)
				latencies = append(latencies, l)
			}
		}
		switch {
		case has(b, "events/s") && has(base, "events/s"):
			p.Unit, p.Ratio = "events/s", pairedRatio(b.Samples["events/s"], base.Samples["events/s"])
		case len(latencies) > 0:
			pairs = append(pairs, latencies...)
			continue
		case has(b, "ns/op") && has(base, "ns/op"):
			p.Unit, p.Ratio = "ns/op", pairedRatio(base.Samples["ns/op"], b.Samples["ns/op"])
		}
		pairs = append(pairs, p)
	}
	return pairs, others
}

// WriteReport prints the paired table, then every other benchmark with all its metrics.
func WriteReport(w io.Writer, benches []Bench, targets []Target) error {
	pairs, others := PairUp(benches, targets)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(pairs) > 0 {
		fmt.Fprintln(tw, "benchmark\tours\tbaseline\tratio\ttarget\tresult\truns")
		for _, p := range pairs {
			ratio, target := "n/a", "-"
			if p.Unit != "" {
				ratio = fmt.Sprintf("%.2fx", p.Ratio)
			}
			if p.Target != 0 {
				target = fmt.Sprintf(">= %.2fx", p.Target)
			}
			if p.Limit != 0 {
				target = "< " + formatValue(p.Limit) + " " + p.Unit
			}
			status := p.Status()
			if p.Unit == "" && p.Target != 0 {
				status = "NO DATA"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d/%d\n", p.Ours.Name, figure(p.Ours, p.Unit), figure(p.Baseline, p.Unit),
				ratio, target, status, p.Ours.Runs, p.Baseline.Runs)
		}
		if len(others) > 0 {
			fmt.Fprintln(tw)
		}
	}
	if len(others) > 0 {
		fmt.Fprintln(tw, "benchmark\truns\tmetrics (median)")
		for _, b := range others {
			var ms []string
			for _, u := range b.Units {
				ms = append(ms, figure(b, u))
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\n", b.Name, b.Runs, strings.Join(ms, "  "))
		}
	}
	if len(pairs) > 0 {
		fmt.Fprintln(tw, "\nratio: median over the runs of ours/baseline (for ns/op and latencies in ms, baseline/ours); figures are medians, ± is half the range over the runs. A BELOW does not fail the run.")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if lines := Summary(pairs, benches, targets); len(lines) > 0 {
		fmt.Fprintln(w, "\ntargets:")
		for _, l := range lines {
			fmt.Fprintln(w, "  "+l)
		}
	}
	return nil
}

// Summary is one line per target and benchmark it covers, met or not met, so a reader
// need not find the target's rows in the table; a target nothing measured says so.
func Summary(pairs []Pair, benches []Bench, targets []Target) []string {
	var lines []string
	for _, t := range targets {
		n := len(lines)
		for _, p := range pairs {
			switch {
			case t.Unit == "" && p.Target != 0 && p.Unit != "" && !isLatency(p.Unit) && t.covers(p.Ours.Name):
				lines = append(lines, fmt.Sprintf("%s: %.2fx its baseline (%s), target >= %.2fx: %s",
					p.Ours.Name, p.Ratio, p.Unit, t.Min, metOrNot(p.Ratio >= t.Min)))
			case t.Unit != "" && p.Unit == t.Unit && t.covers(p.Ours.Name):
				m, _ := p.Ours.Median(t.Unit)
				base, _ := p.Baseline.Median(t.Unit)
				lines = append(lines, fmt.Sprintf("%s: %s %s (baseline %s, %.2fx), target < %s: %s",
					p.Ours.Name, t.Unit, formatValue(m), formatValue(base), p.Ratio, formatValue(t.Max), metOrNot(m < t.Max)))
			}
		}
		if t.Unit != "" && len(lines) == n {
			// A latency measured without a baseline is still judged.
			for _, b := range benches {
				if _, leaf := group(b.Name); leaf == baselineLeaf || !t.covers(b.Name) {
					continue
				}
				if m, ok := b.Median(t.Unit); ok {
					lines = append(lines, fmt.Sprintf("%s: %s %s (no baseline), target < %s: %s",
						b.Name, t.Unit, formatValue(m), formatValue(t.Max), metOrNot(m < t.Max)))
				}
			}
		}
		if len(lines) == n {
			what := fmt.Sprintf(">= %.2fx its baseline", t.Min)
			if t.Unit != "" {
				what = fmt.Sprintf("%s < %s", t.Unit, formatValue(t.Max))
			}
			lines = append(lines, fmt.Sprintf("%s: %s: not measured in this run", t.Prefix, what))
		}
	}
	return lines
}

func metOrNot(ok bool) string {
	if ok {
		return "met"
	}
	return "not met"
}

// figure is a benchmark's median of unit, with its unit and spread: "23427 events/s ±4%".
func figure(b Bench, unit string) string {
	if unit == "" {
		unit = "ns/op"
	}
	m, ok := b.Median(unit)
	if !ok {
		return "-"
	}
	s := formatValue(m) + " " + unit
	if pct := math.Round(b.Spread(unit) * 100); pct >= 1 {
		s += fmt.Sprintf(" ±%.0f%%", pct)
	}
	return s
}

// formatValue keeps figures readable: whole numbers when large, a few significant
// digits when small.
func formatValue(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100 || v == math.Trunc(v):
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
