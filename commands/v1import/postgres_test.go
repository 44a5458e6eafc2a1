package v1import_test

import (
	"bytes"
	"context"
	"testing"

	"ledgerdesk/adapters/v1csv"
)

// Against the real store the import reads the history in one scan rather than stream by
// stream; a re-import must still find every item, and personal data must not be stored in
// the clear.
func TestAnImportIntoPostgresIsIdempotentAndKeepsPersonalDataEncrypted(t *testing.T) {
	t.Parallel()
	deps, pool := pgDeps(t)
	ctx := context.Background()
	var file bytes.Buffer
	if err := v1csv.Generate(&file, 300, 11, goLive); err != nil {
		t.Fatal(err)
	}
	rep := mustImport(t, deps, file.Bytes(), options("export.csv"))
	if rep.Imported != 300 {
		t.Fatalf("imported %d", rep.Imported)
	}
	var events, clear int
	if err := pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE data::text LIKE '%Dr %') FROM events WHERE stream_id LIKE 'v1item-%'`).Scan(&events, &clear); err != nil {
		t.Fatal(err)
	}
	if events != 300 || clear != 0 {
		t.Fatalf("%d events, %d with a clinician's name in the clear", events, clear)
	}
	again := mustImport(t, deps, file.Bytes(), options("export.csv"))
	if again.Imported != 0 || len(again.Plan.Unchanged) != 300 {
		t.Fatalf("re-import: %+v", again.Plan.Counts())
	}
	dry := options("export.csv")
	dry.DryRun = true
	if rep := mustImport(t, deps, file.Bytes(), dry); len(rep.Plan.Unchanged) != 300 {
		t.Fatalf("dry run: %+v", rep.Plan.Counts())
	}
}
