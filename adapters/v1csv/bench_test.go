package v1csv_test

import (
	"bytes"
	"testing"

	"ledgerdesk/adapters/v1csv"
)

func BenchmarkParse100k(b *testing.B) {
	const rows = 100_000
	var buf bytes.Buffer
	if err := v1csv.GenerateCSV(&buf, rows, 1); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	iterations := 0
	for b.Loop() {
		res, err := v1csv.Parse(bytes.NewReader(data), v1csv.Options{})
		if err != nil || len(res.Rows) != rows {
			b.Fatalf("parsed %d rows: %v", len(res.Rows), err)
		}
		iterations++
	}
	b.ReportMetric(float64(rows*iterations)/b.Elapsed().Seconds(), "rows/s")
}
