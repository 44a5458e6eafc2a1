package main

import (
	"bufio"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Metric is one "value unit" pair of a benchmark line: ns/op, B/op, or anything a
// benchmark reported with b.ReportMetric (events/s, peak-MB…).
type Metric struct {
	Value float64
	Unit  string
}

// Result is one line of `go test -bench` output.
type Result struct {
	Pkg     string // from the preceding "pkg:" line; empty if there was none
	Name    string // full name without the -GOMAXPROCS suffix
	Iters   int64
	Metrics []Metric
}

// ParseLine reads one benchmark result line such as
//
//	BenchmarkAppend/single/writers=16/store-2   2178   508438 ns/op   1967 events/s
//
// and reports false for anything else (headers, PASS, logs, a line a benchmark's own
// output broke in two).
func ParseLine(line string) (Result, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || len(f)%2 != 0 || !strings.HasPrefix(f[0], "Benchmark") {
		return Result{}, false
	}
	iters, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || iters <= 0 {
		return Result{}, false
	}
	r := Result{Name: trimProcs(f[0]), Iters: iters}
	for i := 2; i < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return Result{}, false
		}
		r.Metrics = append(r.Metrics, Metric{Value: v, Unit: f[i+1]})
	}
	return r, true
}

// trimProcs drops the "-N" testing appends when GOMAXPROCS > 1, so results from machines
// of different sizes pair up. A name that itself ends in -digits loses them too, which is
// why benchmark names here use "writers=16" rather than "writers-16".
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i <= 0 || i == len(name)-1 {
		return name
	}
	for _, c := range name[i+1:] {
		if c < '0' || c > '9' {
			return name
		}
	}
	return name[:i]
}

// Parse reads a whole `go test -bench` output, possibly of several packages.
func Parse(r io.Reader) ([]Result, error) {
	var out []Result
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		if res, ok := ParseLine(line); ok {
			res.Pkg = pkg
			out = append(out, res)
		}
	}
	return out, sc.Err()
}

// Bench is every run of one benchmark (-count n) folded together.
type Bench struct {
	Pkg, Name string
	Runs      int
	Units     []string // in the order the benchmark first reported them
	Samples   map[string][]float64
}

// Median is the median of unit over the runs, and false if the benchmark never reported it.
// The median rather than the mean, because one run disturbed by a neighbour should not
// move the figure.
func (b Bench) Median(unit string) (float64, bool) {
	s := b.Samples[unit]
	if len(s) == 0 {
		return 0, false
	}
	return median(s), true
}

// median of a non-empty slice, which it leaves as it was.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Spread is half the range of unit over the runs relative to its median: 0.05 means the
// runs were within ±5%. It is 0 for a single run.
func (b Bench) Spread(unit string) float64 {
	s := b.Samples[unit]
	m, ok := b.Median(unit)
	if !ok || m == 0 || len(s) < 2 {
		return 0
	}
	return (slices.Max(s) - slices.Min(s)) / 2 / math.Abs(m)
}

// Aggregate groups results by package and name, keeping the order benchmarks first ran in.
func Aggregate(results []Result) []Bench {
	var out []Bench
	index := map[[2]string]int{}
	for _, r := range results {
		key := [2]string{r.Pkg, r.Name}
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, Bench{Pkg: r.Pkg, Name: r.Name, Samples: map[string][]float64{}})
		}
		b := &out[i]
		b.Runs++
		for _, m := range r.Metrics {
			if _, seen := b.Samples[m.Unit]; !seen {
				b.Units = append(b.Units, m.Unit)
			}
			b.Samples[m.Unit] = append(b.Samples[m.Unit], m.Value)
		}
	}
	return out
}
