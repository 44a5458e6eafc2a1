package v1csv_test

import (
	"bytes"
	"testing"

	"ledgerdesk/adapters/v1csv"
	"ledgerdesk/commands/v1import/v1rows"
	"ledgerdesk/domain/ledger"
)

func TestGeneratedExportsParseCleanlyAndAreRepeatable(t *testing.T) {
	var a, b, c bytes.Buffer
	for _, w := range []struct {
		buf  *bytes.Buffer
		seed uint64
	}{{&a, 1}, {&b, 1}, {&c, 2}} {
		if err := v1csv.GenerateCSV(w.buf, 3000, w.seed); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) || bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Fatal("the same seed must give the same file and another seed another file")
	}
	goLive := ledger.Date{Year: 2025, Month: 2, Day: 3}
	res, err := v1csv.Parse(bytes.NewReader(a.Bytes()), v1csv.Options{})
	if err != nil || len(res.Invalid) != 0 || len(res.Rows) != 3000 {
		t.Fatalf("parse: %d rows, invalid %v, %v", len(res.Rows), res.Invalid, err)
	}
	for _, r := range res.Rows {
		if !r.WorkDate.Before(goLive) {
			t.Fatalf("generated V1 work dated %s, on or after go-live %s", r.WorkDate, goLive)
		}
	}
	p := v1rows.Plan(res.Rows, nil)
	if len(p.New) != 3000 || p.HasConflicts() {
		t.Fatalf("generated references must be unique: %+v", p.Counts())
	}
	names := map[string]string{}
	for _, r := range res.Rows {
		if n, ok := names[r.ClinicianID]; ok && n != r.ClinicianName {
			t.Fatalf("clinician %s is both %q and %q", r.ClinicianID, n, r.ClinicianName)
		}
		names[r.ClinicianID] = r.ClinicianName
	}
}
