package v1import_test

import (
	"bytes"
	"context"
	"testing"

	"ledgerdesk/adapters/v1csv"
	"ledgerdesk/commands/v1import"
)

// Whatever bytes arrive, the import never panics and never imports part of a file: it
// fails with nothing written, or it writes exactly what its plan says (every new
// reference imported with its figures, every disagreeing reference recorded as a conflict
// and not imported, nothing else), and the same file again writes nothing more.
func FuzzImport(f *testing.F) {
	var gen bytes.Buffer
	_ = v1csv.Generate(&gen, 20, 3, goLive)
	for _, s := range []string{
		gen.String(),
		header + rowA + rowB + rowC,
		header + rowA + rowA,
		header + rowA + "V1-A,clin-1,Dr Ada Lovelace,P-1,2025-01-15,Consultation,1.00,pending\n",
		header + rowA + "V1-X,clin-1,Dr X,P-9,2025-02-30,d,12.345,maybe\n",
		header + "V1-L,clin-1,Dr X,P-1,03/02/2025,d,1.00,pending\n",
		"\uFEFF" + header + "V1-1,clin-1,\"Dr, X\",P-1,15/01/2025,\"multi\r\nline\",\"£1,234.50\",PAID\r\n",
		header + "\"V1-1,clin-1\n",
		"",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, skipInvalid bool) {
		deps, store := memDeps(t)
		opts := options("fuzz.csv")
		opts.SkipInvalid = skipInvalid
		rep, err := v1import.Import(context.Background(), deps, bytes.NewReader(data), opts)
		streams := itemStreams(t, store)
		if err != nil {
			if len(streams) != 0 {
				t.Fatalf("failed (%v) yet wrote %d items", err, len(streams))
			}
			return
		}
		if len(rep.Invalid) > 0 && !skipInvalid {
			t.Fatalf("imported a file with invalid rows: %v", rep.Invalid)
		}
		p := rep.Plan
		if rep.Imported != len(p.New) || rep.ConflictsRecorded != len(p.FileConflicts) || len(streams) != len(p.New)+len(p.FileConflicts) {
			t.Fatalf("plan %+v, but imported %d, recorded %d conflicts, %d streams", p.Counts(), rep.Imported, rep.ConflictsRecorded, len(streams))
		}
		for _, row := range p.New {
			s := loadItem(t, deps, row.Reference)
			if !s.Imported() || len(s.Figures().Diff(row.Figures)) != 0 {
				t.Fatalf("line %d: item %+v, want the row's figures", row.Line, s)
			}
		}
		for _, c := range p.FileConflicts {
			if s := loadItem(t, deps, c.Reference); s.Imported() || s.ConflictsRecorded() != 1 {
				t.Fatalf("conflicting reference %q: %+v", c.Reference, s)
			}
		}
		again, err := v1import.Import(context.Background(), deps, bytes.NewReader(data), opts)
		if err != nil || again.Imported != 0 || again.ConflictsRecorded != 0 || len(itemStreams(t, store)) != len(streams) {
			t.Fatalf("the same file again: %+v, %v", again, err)
		}
		for _, c := range p.FileConflicts {
			if s := loadItem(t, deps, c.Reference); s.ConflictsRecorded() != 1 {
				t.Fatalf("conflict for %q recorded %d times", c.Reference, s.ConflictsRecorded())
			}
		}
	})
}
