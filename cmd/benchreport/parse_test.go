package main

import (
	"fmt"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestParseLineReadsNameIterationsAndEveryMetric(t *testing.T) {
	tests := []struct {
		line string
		want Result
	}{
		{"BenchmarkAppend/single/writers=16/store-2   \t  2178\t   508438 ns/op\t  1967 events/s",
			Result{Name: "BenchmarkAppend/single/writers=16/store", Iters: 2178, Metrics: []Metric{{508438, "ns/op"}, {1967, "events/s"}}}},
		{"BenchmarkDecode \t 1000000\t 1034 ns/op\t 512 B/op\t 7 allocs/op",
			Result{Name: "BenchmarkDecode", Iters: 1000000, Metrics: []Metric{{1034, "ns/op"}, {512, "B/op"}, {7, "allocs/op"}}}},
		{"BenchmarkRebuild/earnings-16 1 2.503e+09 ns/op 61.50 peak-MB",
			Result{Name: "BenchmarkRebuild/earnings", Iters: 1, Metrics: []Metric{{2.503e9, "ns/op"}, {61.5, "peak-MB"}}}},
	}
	for _, tt := range tests {
		got, ok := ParseLine(tt.line)
		if !ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseLine(%q) = %+v, %v; want %+v", tt.line, got, ok, tt.want)
		}
	}
}

func TestParseLineRejectsEverythingButResultLines(t *testing.T) {
	for _, line := range []string{
		"", "PASS", "goos: linux", "pkg: ledgerdesk/adapters/postgres",
		"ok  \tledgerdesk/adapters/postgres\t39.139s",
		"--- BENCH: BenchmarkAppend/batch100/writers=1/store-2",
		"    bench_test.go:99: a log line 12 ns/op",
		"BenchmarkAppend/single/writers=1/store-2   \t", // name printed, then the benchmark's own output broke the line
		"BenchmarkX-2 0 10 ns/op",                       // no iterations
		"BenchmarkX-2 ten 10 ns/op",
		"BenchmarkX-2 10 10 ns/op 5", // dangling value
		"BenchmarkX-2 10 NaN ns/op",
		"BenchmarkX-2 10 fast ns/op",
	} {
		if r, ok := ParseLine(line); ok {
			t.Errorf("ParseLine(%q) accepted it as %+v", line, r)
		}
	}
}

func TestTrimProcsDropsOnlyTheGOMAXPROCSSuffix(t *testing.T) {
	for in, want := range map[string]string{
		"BenchmarkA-2":                "BenchmarkA",
		"BenchmarkA/writers=16-32":    "BenchmarkA/writers=16",
		"BenchmarkA/writers=16":       "BenchmarkA/writers=16",
		"BenchmarkA/x-y":              "BenchmarkA/x-y",
		"BenchmarkA-":                 "BenchmarkA-",
		"BenchmarkA/batch100/store-8": "BenchmarkA/batch100/store",
	} {
		if got := trimProcs(in); got != want {
			t.Errorf("trimProcs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseAttributesResultsToTheirPackage(t *testing.T) {
	f, err := os.Open("testdata/bench.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 16 {
		t.Fatalf("parsed %d results, want 16", len(got))
	}
	if got[0].Pkg != "ledgerdesk/adapters/postgres" || got[15].Pkg != "ledgerdesk/projections" || got[15].Name != "BenchmarkDecode" {
		t.Fatalf("first %+v, last %+v", got[0], got[15])
	}
}

func TestAggregateTakesTheMedianOfTheRuns(t *testing.T) {
	rs := []Result{
		{Name: "BenchmarkA", Iters: 1, Metrics: []Metric{{100, "events/s"}, {10, "ns/op"}}},
		{Name: "BenchmarkB", Iters: 1, Metrics: []Metric{{1, "ns/op"}}},
		{Name: "BenchmarkA", Iters: 1, Metrics: []Metric{{900, "events/s"}, {30, "ns/op"}}},
		{Name: "BenchmarkA", Iters: 1, Metrics: []Metric{{200, "events/s"}, {20, "ns/op"}}},
		{Pkg: "other", Name: "BenchmarkA", Iters: 1, Metrics: []Metric{{5, "ns/op"}}},
	}
	bs := Aggregate(rs)
	if len(bs) != 3 || bs[0].Name != "BenchmarkA" || bs[1].Name != "BenchmarkB" || bs[2].Pkg != "other" {
		t.Fatalf("got %+v, want A, B, other/A in first-run order", bs)
	}
	a := bs[0]
	if a.Runs != 3 || !reflect.DeepEqual(a.Units, []string{"events/s", "ns/op"}) {
		t.Fatalf("A: %d runs, units %v", a.Runs, a.Units)
	}
	// The outlier (900) moves a mean but not the median.
	if m, _ := a.Median("events/s"); m != 200 {
		t.Errorf("median events/s = %v, want 200", m)
	}
	if sp := a.Spread("ns/op"); math.Abs(sp-0.5) > 1e-9 {
		t.Errorf("spread ns/op = %v, want 0.5 (10..30 around 20)", sp)
	}
	even := Bench{Samples: map[string][]float64{"x": {4, 1, 3, 2}}}
	if m, _ := even.Median("x"); m != 2.5 {
		t.Errorf("median of 1..4 = %v, want 2.5", m)
	}
	if _, ok := even.Median("missing"); ok {
		t.Error("a metric never reported has a median")
	}
}

// FuzzParseLine: no input panics the parser, and whatever it accepts prints back into a
// line it reads the same way.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{
		"BenchmarkAppend/single/writers=16/store-2   \t  2178\t   508438 ns/op\t  1967 events/s",
		"BenchmarkDecode-2 \t 1000000\t 1034 ns/op\t 512 B/op\t 7 allocs/op",
		"BenchmarkX 1 1e308 ns/op", "BenchmarkX 1 -0 ns/op", "Benchmark 1 2 3", "BenchmarkX-2 10 10 ns/op 5",
		"BenchmarkX-2 1 +Inf ns/op", "BenchmarkX-2 1 0x10 ns/op", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r, ok := ParseLine(line)
		if !ok {
			return
		}
		if !strings.HasPrefix(r.Name, "Benchmark") || r.Iters <= 0 || len(r.Metrics) == 0 {
			t.Fatalf("accepted %q as %+v", line, r)
		}
		printed := fmt.Sprintf("%s\t%d", r.Name, r.Iters)
		for _, m := range r.Metrics {
			printed += "\t" + strconv.FormatFloat(m.Value, 'g', -1, 64) + " " + m.Unit
		}
		again, ok := ParseLine(printed)
		if !ok || again.Iters != r.Iters || !reflect.DeepEqual(again.Metrics, r.Metrics) || trimProcs(r.Name) != again.Name {
			t.Fatalf("%q parsed as %+v, printed as %q, reparsed as %+v (%v)", line, r, printed, again, ok)
		}
	})
}
