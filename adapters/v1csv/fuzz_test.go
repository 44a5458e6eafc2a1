package v1csv_test

import (
	"bytes"
	"testing"
	"time"

	"ledgerdesk/adapters/v1csv"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/v1item"
)

// Whatever bytes arrive, Parse returns a file error or rows that the V1 item decider would
// accept (whatever their date against go-live), each with a line number after the header
// and in file order.
func FuzzParse(f *testing.F) {
	var gen bytes.Buffer
	_ = v1csv.GenerateCSV(&gen, 5, 7)
	for _, s := range []string{
		gen.String(),
		header + "V1-1,clin-1,Dr X,P-1,2025-01-15,d,1.00,pending\n",
		"\uFEFF" + header + "V1-1,clin-1,\"Dr, X\",P-1,15/01/2025,\"multi\r\nline\",\"£1,234.50\",PAID\r\n",
		header + "V1-1,clin-1,Dr X,P-1,2025-02-30,d,12.345,maybe\n",
		header + "\"V1-1,clin-1\n",
		"",
		"\uFEFF",
	} {
		f.Add([]byte(s))
	}
	goLive := ledger.Date{Year: 2025, Month: time.February, Day: 3}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := v1csv.Parse(bytes.NewReader(data), v1csv.Options{})
		if err != nil {
			if len(res.Rows) != 0 {
				t.Fatalf("file error %v with rows", err)
			}
			return
		}
		last := 1
		for _, r := range res.Rows {
			if r.Line <= last {
				t.Fatalf("row line %d after %d", r.Line, last)
			}
			last = r.Line
			if r.Reference == "" || !r.Amount.IsPositive() || v1item.CheckDate(r.WorkDate) != "" {
				t.Fatalf("row breaks an invariant: %+v", r)
			}
			if ps := r.Check(); len(ps) > 0 {
				t.Fatalf("row %+v has problems %v", r, ps)
			}
			if _, err := v1item.Decide(v1item.State{}, r.Command(goLive, "clerk", "f.csv", time20Feb)); err != nil {
				t.Fatalf("decider refuses parsed row %+v: %v", r, err)
			}
		}
		for _, e := range res.Invalid {
			if e.Line < 2 || e.Reason == "" {
				t.Fatalf("row error without a line or reason: %+v", e)
			}
		}
	})
}
