package v1import_test

import (
	"bytes"
	"testing"
	"time"

	"ledgerdesk/adapters/v1csv"
	"ledgerdesk/commands/v1import"
)

// BenchmarkImport100k imports a generated export of 100,000 rows into a fresh database
// (real PostgreSQL, personal data encrypted under a key per clinician and patient) and
// reports rows/s and the seconds spent checking existing items and writing new ones. Run
// it with -benchtime=1x: one iteration is the whole file.
func BenchmarkImport100k(b *testing.B) {
	const rows = 100_000
	var file bytes.Buffer
	if err := v1csv.Generate(&file, rows, 42, goLive); err != nil {
		b.Fatal(err)
	}
	var checking, importing time.Duration
	for b.Loop() {
		b.StopTimer()
		deps, _ := pgDeps(b)
		b.StartTimer()
		var started [2]time.Time
		opts := options("bench.csv")
		opts.Progress = func(s v1import.Stage, done, total int) {
			switch {
			case s == v1import.StageChecking && done == 0:
				started[0] = time.Now()
			case s == v1import.StageImporting && done == 0:
				started[1] = time.Now()
				checking += started[1].Sub(started[0])
			}
		}
		rep := mustImport(b, deps, file.Bytes(), opts)
		importing += time.Since(started[1])
		if rep.Imported != rows {
			b.Fatalf("imported %d of %d rows", rep.Imported, rows)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(checking.Seconds()/float64(b.N), "check-s")
	b.ReportMetric(importing.Seconds()/float64(b.N), "write-s")
}
