package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"
)

func bench(name string, metrics ...Metric) Bench {
	b := Bench{Name: name, Runs: 1, Samples: map[string][]float64{}}
	for _, m := range metrics {
		b.Units = append(b.Units, m.Unit)
		b.Samples[m.Unit] = append(b.Samples[m.Unit], m.Value)
	}
	return b
}

func evs(v float64) Metric { return Metric{v, "events/s"} }
func ns(v float64) Metric  { return Metric{v, "ns/op"} }

func TestEachVariantIsComparedWithItsBaselineSibling(t *testing.T) {
	benches := []Bench{
		bench("BenchmarkAppend/single/writers=16/store", evs(800)),
		bench("BenchmarkAppend/single/writers=16/baseline", evs(1000)),
		bench("BenchmarkAppend/single/writers=16/pipelined", evs(1200)),
		bench("BenchmarkAppend/single/writers=1/store", evs(500)), // its baseline is elsewhere
		bench("BenchmarkOther/writers=1/baseline", evs(1)),
	}
	pairs, others := PairUp(benches, nil)
	if len(pairs) != 2 {
		t.Fatalf("got %d pairs, want store and pipelined against writers=16's baseline", len(pairs))
	}
	for i, want := range []struct {
		ours  string
		ratio float64
	}{{"BenchmarkAppend/single/writers=16/store", 0.8}, {"BenchmarkAppend/single/writers=16/pipelined", 1.2}} {
		p := pairs[i]
		if p.Ours.Name != want.ours || p.Baseline.Name != "BenchmarkAppend/single/writers=16/baseline" || p.Unit != "events/s" || math.Abs(p.Ratio-want.ratio) > 1e-9 {
			t.Errorf("pair %d = %s vs %s: %v %s, want %s at %v", i, p.Ours.Name, p.Baseline.Name, p.Ratio, p.Unit, want.ours, want.ratio)
		}
	}
	if len(others) != 2 || others[0].Name != "BenchmarkAppend/single/writers=1/store" || others[1].Name != "BenchmarkOther/writers=1/baseline" {
		t.Fatalf("others = %v, want the unpaired store and the lonely baseline", names(others))
	}
}

func TestBaselinesPairOnlyWithinTheirPackage(t *testing.T) {
	ours := bench("BenchmarkA/store", evs(1))
	base := bench("BenchmarkA/baseline", evs(1))
	ours.Pkg, base.Pkg = "p1", "p2"
	pairs, others := PairUp([]Bench{ours, base}, nil)
	if len(pairs) != 0 || len(others) != 2 {
		t.Fatalf("paired across packages: %d pairs, %d others", len(pairs), len(others))
	}
}

func TestWithoutEventsPerSecondTheRatioComesFromNsPerOp(t *testing.T) {
	pairs, _ := PairUp([]Bench{bench("BenchmarkX/fast", ns(50)), bench("BenchmarkX/baseline", ns(100))}, nil)
	if len(pairs) != 1 || pairs[0].Unit != "ns/op" || pairs[0].Ratio != 2 {
		t.Fatalf("got %+v, want twice as fast as the baseline", pairs)
	}
}

// Run i of ours ran next to run i of the baseline: one run disturbed by a neighbour
// should not move the ratio, as it would comparing medians taken from different runs.
func TestTheRatioIsTheMedianOfRunByRunRatios(t *testing.T) {
	ours := bench("BenchmarkA/store", evs(100))
	base := bench("BenchmarkA/baseline", evs(110))
	ours.Samples["events/s"] = []float64{100, 400, 90}
	base.Samples["events/s"] = []float64{110, 440, 300} // ours' third run was disturbed
	pairs, _ := PairUp([]Bench{ours, base}, nil)
	if r := pairs[0].Ratio; math.Abs(r-100.0/110) > 1e-9 {
		t.Fatalf("ratio %v, want %v", r, 100.0/110)
	}
	// Uneven runs cannot be matched up: ratio of the medians.
	base.Samples["events/s"] = []float64{200, 400}
	pairs, _ = PairUp([]Bench{ours, base}, nil)
	if r := pairs[0].Ratio; math.Abs(r-100.0/300) > 1e-9 {
		t.Fatalf("uneven runs: ratio %v, want %v", r, 100.0/300)
	}
}

func TestTargetsApplyToTheirGroupAndEverythingUnderIt(t *testing.T) {
	targets := []Target{{Prefix: "BenchmarkAppend/single/writers=16", Min: 0.8}, {Prefix: "BenchmarkAppend/batch100", Min: 0.7},
		{Prefix: "BenchmarkAppend/single", Unit: "p50-ms", Max: 10}} // a latency limit is no ratio target
	tests := []struct {
		group string
		want  float64
	}{
		{"BenchmarkAppend/single/writers=16", 0.8},
		{"BenchmarkAppend/single/writers=1", 0},
		{"BenchmarkAppend/single/writers=160", 0},
		{"BenchmarkAppend/batch100/writers=1", 0.7},
		{"BenchmarkAppend/batch100/writers=16", 0.7},
		{"BenchmarkAppend/batch1000/writers=1", 0},
	}
	for _, tt := range tests {
		if got, _ := targetFor(targets, tt.group); got != tt.want {
			t.Errorf("target for %s = %v, want %v", tt.group, got, tt.want)
		}
	}
}

func TestBelowTargetIsMarkedButAtTargetPasses(t *testing.T) {
	for _, tt := range []struct {
		ratio, target float64
		want          string
	}{{0.79, 0.8, "BELOW"}, {0.8, 0.8, "PASS"}, {1.5, 0.7, "PASS"}, {0.1, 0, "-"}} {
		if got := (Pair{Ratio: tt.ratio, Target: tt.target}).Status(); got != tt.want {
			t.Errorf("ratio %v against %v: %s, want %s", tt.ratio, tt.target, got, tt.want)
		}
	}
}

func ms(v float64, unit string) Metric { return Metric{v, unit} }

// A latency benchmark is compared with its baseline on each latency (lower is better, so
// the ratio is baseline/ours) and judged against its limits in milliseconds.
func TestLatenciesArePairedOneRowEachAndJudgedAgainstTheirLimits(t *testing.T) {
	targets := []Target{
		{Prefix: "BenchmarkVisible/rate=100", Unit: "p50-ms", Max: 10},
		{Prefix: "BenchmarkVisible/rate=100", Unit: "p99-ms", Max: 50},
	}
	benches := []Bench{
		bench("BenchmarkVisible/rate=100/wakeups", ms(5, "p50-ms"), ms(60, "p99-ms"), ns(0), evs(100)),
		bench("BenchmarkVisible/rate=100/baseline", ms(50, "p50-ms"), ms(120, "p99-ms"), ns(0), evs(100)),
	}
	// events/s is how fast commands arrived, the same for both: latencies decide.
	benches[0].Samples["events/s"], benches[1].Samples["events/s"] = nil, nil
	pairs, _ := PairUp(benches, targets)
	if len(pairs) != 2 {
		t.Fatalf("got %d pairs, want one per latency", len(pairs))
	}
	for i, want := range []struct {
		unit         string
		ratio, limit float64
		status       string
	}{{"p50-ms", 10, 10, "PASS"}, {"p99-ms", 2, 50, "BELOW"}} {
		p := pairs[i]
		if p.Unit != want.unit || math.Abs(p.Ratio-want.ratio) > 1e-9 || p.Limit != want.limit || p.Status() != want.status {
			t.Errorf("pair %d: %s %vx limit %v %s, want %s %vx limit %v %s", i, p.Unit, p.Ratio, p.Limit, p.Status(), want.unit, want.ratio, want.limit, want.status)
		}
	}
	var out bytes.Buffer
	if err := WriteReport(&out, benches, targets); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`BenchmarkVisible/rate=100/wakeups\s+5 p50-ms\s+50 p50-ms\s+10.00x\s+< 10 p50-ms\s+PASS`,
		`BenchmarkVisible/rate=100/wakeups: p50-ms 5 \(baseline 50, 10.00x\), target < 10: met`,
		`BenchmarkVisible/rate=100/wakeups: p99-ms 60 \(baseline 120, 2.00x\), target < 50: not met`,
	} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("report lacks /%s/:\n%s", want, out.String())
		}
	}
}

// Every target gets its line, met or not, even when this run did not measure it.
func TestEveryTargetHasASummaryLine(t *testing.T) {
	targets := []Target{{Prefix: "BenchmarkA", Min: 0.8}, {Prefix: "BenchmarkB", Unit: "p99-ms", Max: 50}}
	benches := []Bench{bench("BenchmarkA/store", evs(90)), bench("BenchmarkA/baseline", evs(100))}
	pairs, _ := PairUp(benches, targets)
	got := Summary(pairs, benches, targets)
	want := []string{
		"BenchmarkA/store: 0.90x its baseline (events/s), target >= 0.80x: met",
		"BenchmarkB: p99-ms < 50: not measured in this run",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("summary:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The report on canned output: medians over the runs, the ratio, the target and its
// verdict for each pair; the projection package's custom metrics passed through.
func TestReportOnSavedOutput(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"-in", "testdata/bench.txt"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs.String())
	}
	report := out.String()
	for _, want := range []string{
		// medians: store (1967+2500)/2, baseline (3083+3333)/2; ratio: 1967/3083 and 2500/3333 → 0.694
		`BenchmarkAppend/single/writers=16/store\s+2234 events/s ±12%\s+3208 events/s ±4%\s+0.69x\s+>= 0.80x\s+BELOW\s+2/2`,
		`BenchmarkAppend/batch100/writers=1/store\s+24214 events/s ±3%\s+22731 events/s ±5%\s+1.07x\s+>= 0.70x\s+PASS`,
		`BenchmarkAppend/single/writers=1/store\s+810 events/s ±3%\s+1208 events/s ±3%\s+0.67x\s+-\s+-`,
		`BenchmarkRebuild/earnings\s+2\s+2500000000 ns/op\s+40000 events/s\s+62 peak-MB ±1%`,
		`BenchmarkDecode\s+2\s+1042 ns/op ±1%\s+512 B/op\s+7 allocs/op`,
	} {
		if !regexp.MustCompile(want).MatchString(report) {
			t.Errorf("report lacks /%s/:\n%s", want, report)
		}
	}
	if strings.Contains(report, "writers=16/baseline  ") {
		t.Errorf("a paired baseline is listed on its own line:\n%s", report)
	}
}

func TestOnlyAFailedRunFailsTheReport(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"targets missed", []string{"-in", "testdata/bench.txt"}, 0},
		{"go test fails", []string{"-go", "false"}, 1},
		{"nothing ran", []string{"-in", os.DevNull}, 1},
		{"bad flag", []string{"-count", "0"}, 2},
		{"stray argument", []string{"./adapters/postgres"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if got := run(context.Background(), tt.args, &out, &errs); got != tt.want {
				t.Errorf("exit %d, want %d; stderr %s", got, tt.want, errs.String())
			}
		})
	}
}

func TestGoTestRunsOnlyBenchmarksOfEveryPackage(t *testing.T) {
	o, err := parseFlags([]string{"-pkg", "./a", "-pkg", "./b", "-bench", "Append", "-benchtime", "2s", "-count", "5"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(o.goTestArgs(), " ")
	want := "test -run ^$ -bench Append -benchtime 2s -count 5 -timeout 60m ./a ./b"
	if got != want {
		t.Fatalf("go %s\nwant go %s", got, want)
	}
	o, _ = parseFlags(nil, &bytes.Buffer{})
	if !strings.HasSuffix(strings.Join(o.goTestArgs(), " "), " ./adapters/postgres") {
		t.Fatalf("default packages: %v", o.goTestArgs())
	}
}

func names(bs []Bench) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Name)
	}
	return out
}
