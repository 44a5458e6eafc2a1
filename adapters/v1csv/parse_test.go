package v1csv_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"ledgerdesk/adapters/v1csv"
	"ledgerdesk/commands/v1import/v1rows"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/v1item"
)

const header = "v1_reference,clinician_id,clinician_name,patient_reference,work_date,description,amount,status\n"

func parse(t *testing.T, text string) v1rows.Result {
	t.Helper()
	res, err := v1csv.Parse(strings.NewReader(text), v1csv.Options{})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return res
}

// oneRow parses a file holding the header and one row built from a good row with one
// column replaced.
func oneRow(t *testing.T, column, value string) v1rows.Result {
	t.Helper()
	cells := map[string]string{
		"v1_reference": "V1-1", "clinician_id": "clin-1", "clinician_name": "Dr Ada Lovelace",
		"patient_reference": "P-1", "work_date": "2025-01-15", "description": "Report",
		"amount": "250.00", "status": "pending",
	}
	cells[column] = value
	var b strings.Builder
	b.WriteString(header)
	for i, f := range v1item.Fields() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + strings.ReplaceAll(cells[f], `"`, `""`) + `"`)
	}
	b.WriteString("\n")
	return parse(t, b.String())
}

func TestAWellFormedExportIsRead(t *testing.T) {
	text := "\uFEFF" + strings.ReplaceAll(header, "\n", "\r\n") +
		"V1-1,clin-1,Dr Ada Lovelace,P-1,2025-01-15,Report,250.00,pending\r\n" +
		"V1-2,clin-2,\"Hopper, Grace\",P-2,03/01/2025,\"Letter, \"\"urgent\"\"\r\nsecond line\",\"£1,234.50\",PAID\r\n" +
		"V1-3,clin-1,Dr Ada Lovelace,P-3,2/1/2025,,  £ 75  , Pending \r\n"
	res := parse(t, text)
	if len(res.Invalid) != 0 {
		t.Fatalf("invalid: %v", res.Invalid)
	}
	want := []v1rows.Row{
		{Line: 2, Figures: v1item.Figures{Reference: "V1-1", ClinicianID: "clin-1", ClinicianName: "Dr Ada Lovelace", PatientReference: "P-1",
			WorkDate: ledger.Date{Year: 2025, Month: 1, Day: 15}, Description: "Report", Amount: money.GBP("250.00"), Status: v1item.StatusPending}},
		{Line: 3, Figures: v1item.Figures{Reference: "V1-2", ClinicianID: "clin-2", ClinicianName: "Hopper, Grace", PatientReference: "P-2",
			WorkDate: ledger.Date{Year: 2025, Month: 1, Day: 3}, Description: "Letter, \"urgent\"\nsecond line", Amount: money.GBP("1234.50"), Status: v1item.StatusPaid}},
		{Line: 5, Figures: v1item.Figures{Reference: "V1-3", ClinicianID: "clin-1", ClinicianName: "Dr Ada Lovelace", PatientReference: "P-3",
			WorkDate: ledger.Date{Year: 2025, Month: 1, Day: 2}, Amount: money.GBP("75"), Status: v1item.StatusPending}},
	}
	if len(res.Rows) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(res.Rows), len(want), res.Rows)
	}
	for i := range want {
		if res.Rows[i].Line != want[i].Line || len(res.Rows[i].Diff(want[i].Figures)) != 0 {
			t.Errorf("row %d:\n got  %+v\n want %+v", i, res.Rows[i], want[i])
		}
	}
}

func TestColumnsMayComeInAnyOrderAnyCaseWithExtraColumns(t *testing.T) {
	text := " STATUS ,Amount,notes,Work_Date,description,Patient_Reference,Clinician_Name,CLINICIAN_ID,V1_Reference\n" +
		"paid,10.00,ignored,2025-01-15,d,P-1,Dr X,clin-1,V1-9\n"
	res := parse(t, text)
	if len(res.Invalid) != 0 || len(res.Rows) != 1 {
		t.Fatalf("result = %+v", res)
	}
	r := res.Rows[0]
	if r.Reference != "V1-9" || r.ClinicianID != "clin-1" || r.Status != v1item.StatusPaid || !r.Amount.Equal(money.GBP("10")) || r.Description != "d" {
		t.Fatalf("row = %+v", r)
	}
}

func TestAMissingRequiredColumnIsAFileError(t *testing.T) {
	for _, missing := range v1item.Fields() {
		t.Run(missing, func(t *testing.T) {
			var cols []string
			for _, f := range v1item.Fields() {
				if f != missing {
					cols = append(cols, f)
				}
			}
			_, err := v1csv.Parse(strings.NewReader(strings.Join(cols, ",")+"\n"), v1csv.Options{})
			if !errors.Is(err, v1csv.ErrMissingColumns) || !strings.Contains(err.Error(), "no column named "+missing) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	// A file without a header row: the data row is not mistaken for one.
	_, err := v1csv.Parse(strings.NewReader("V1-1,clin-1,Dr X,P-1,2025-01-15,d,1.00,pending\n"), v1csv.Options{})
	if !errors.Is(err, v1csv.ErrMissingColumns) {
		t.Fatalf("err = %v", err)
	}
}

func TestAColumnNamedTwiceIsAFileError(t *testing.T) {
	_, err := v1csv.Parse(strings.NewReader(strings.TrimSuffix(header, "\n")+",Amount\n"), v1csv.Options{})
	if !errors.Is(err, v1csv.ErrDuplicateColumn) || !strings.Contains(err.Error(), "amount is both column 7 and column 9") {
		t.Fatalf("err = %v", err)
	}
}

func TestAFileWithNoHeaderRowIsAFileError(t *testing.T) {
	for _, text := range []string{"", "\uFEFF", "\n\n\r\n"} {
		if _, err := v1csv.Parse(strings.NewReader(text), v1csv.Options{}); !errors.Is(err, v1csv.ErrEmptyFile) {
			t.Errorf("Parse(%q) err = %v", text, err)
		}
	}
	if _, err := v1csv.Parse(strings.NewReader("\"v1_reference,amount\n"), v1csv.Options{}); !errors.Is(err, v1csv.ErrBadHeader) {
		t.Errorf("unbalanced quote in header: err = %v", err)
	}
}

func TestAHeaderOnlyFileHasNoRows(t *testing.T) {
	res := parse(t, header)
	if len(res.Rows) != 0 || len(res.Invalid) != 0 {
		t.Fatalf("result = %+v", res)
	}
}

func TestAmountsAreReadTheWayPeopleWriteThem(t *testing.T) {
	for in, want := range map[string]string{
		"250": "250.00", "250.5": "250.50", "0.01": "0.01", "£12.00": "12.00", "£ 12": "12.00",
		"1,234.50": "1234.50", "£123,456.78": "123456.78", "  99.99  ": "99.99", "12.500": "12.50",
		"12.000": "12.00", ".50": "0.50", "007.10": "7.10", "1,000,000.00": "1000000.00",
	} {
		res := oneRow(t, "amount", in)
		if len(res.Invalid) != 0 || len(res.Rows) != 1 || res.Rows[0].Amount.String() != want {
			t.Errorf("amount %q: rows %+v invalid %v, want %s", in, res.Rows, res.Invalid, want)
		}
	}
}

func TestAmountsThatCouldPayTheWrongSumAreRejected(t *testing.T) {
	for _, tc := range []struct{ in, reason string }{
		{"12.345", "has more than 2 decimal places"},
		{"12.3451", "has more than 2 decimal places"},
		{"12,34.50", "has misplaced thousands separators"},
		{"1,2345.00", "has misplaced thousands separators"},
		{"1234,567", "has misplaced thousands separators"},
		{",123", "has misplaced thousands separators"},
		{"0", "must be more than £0.00"},
		{"£0.00", "must be more than £0.00"},
		{"-12.00", "is negative"},
		{"£-12.00", "is negative"},
		{"-£12.00", "is negative"},
		{"1,000,000.01", "limit for one item"},
		{"12.", "is not an amount of money"},
		{"1.2.3", "is not an amount of money"},
		{"£", "is not an amount of money"},
		{"12 50", "is not an amount of money"},
		{"1e3", "is not an amount of money"},
		{"$12.00", "is not an amount of money"},
		{"12.00 GBP", "is not an amount of money"},
		{"ten", "is not an amount of money"},
		{"--12", "is not an amount of money"},
		{strings.Repeat("1", 40), "is too long"},
		{"", "is empty"},
	} {
		res := oneRow(t, "amount", tc.in)
		if len(res.Rows) != 0 || len(res.Invalid) != 1 {
			t.Errorf("amount %q: rows %+v invalid %v", tc.in, res.Rows, res.Invalid)
			continue
		}
		e := res.Invalid[0]
		if e.Line != 2 || e.Column != "amount" || !strings.Contains(e.Reason, tc.reason) {
			t.Errorf("amount %q: got %v, want reason containing %q", tc.in, e, tc.reason)
		}
	}
	if got := oneRow(t, "amount", "12.345").Invalid[0].Error(); got != `line 2, amount: "12.345" has more than 2 decimal places` {
		t.Errorf("message = %s", got)
	}
}

func TestWorkDatesAreISOOrDayFirst(t *testing.T) {
	for in, want := range map[string]string{
		"2025-01-15": "2025-01-15", "15/01/2025": "2025-01-15", "5/1/2025": "2025-01-05",
		" 03/02/2024 ": "2024-02-03", "29/02/2024": "2024-02-29",
	} {
		res := oneRow(t, "work_date", in)
		if len(res.Invalid) != 0 || res.Rows[0].WorkDate.String() != want {
			t.Errorf("work_date %q: rows %+v invalid %v, want %s", in, res.Rows, res.Invalid, want)
		}
	}
}

func TestImpossibleOrAmbiguousWorkDatesAreRejected(t *testing.T) {
	for _, tc := range []struct{ in, reason string }{
		{"2025-02-30", "February 2025 has no day 30"},
		{"29/02/2025", "February 2025 has no day 29"},
		{"01/13/2025", "there is no month 13"},
		{"2025-00-10", "there is no month 0"},
		{"00/01/2025", "January 2025 has no day 0"},
		{"2025-1-5", "expected YYYY-MM-DD or DD/MM/YYYY"},
		{"15/01/25", "expected YYYY-MM-DD or DD/MM/YYYY"},
		{"15.01.2025", "expected YYYY-MM-DD or DD/MM/YYYY"},
		{"2025-01-15T10:00", "expected YYYY-MM-DD or DD/MM/YYYY"},
		{"2025-01-15 00:00:00", "expected YYYY-MM-DD or DD/MM/YYYY"},
		{"+025-01-15", "expected YYYY-MM-DD or DD/MM/YYYY"},
		{"1925-01-15", "not a plausible work date"},
		{"", "is empty"},
	} {
		res := oneRow(t, "work_date", tc.in)
		if len(res.Rows) != 0 || len(res.Invalid) != 1 || res.Invalid[0].Column != "work_date" || !strings.Contains(res.Invalid[0].Reason, tc.reason) {
			t.Errorf("work_date %q: rows %+v invalid %v, want %q", tc.in, res.Rows, res.Invalid, tc.reason)
		}
	}
}

func TestStatusIsPendingOrPaidInAnyCase(t *testing.T) {
	for in, want := range map[string]v1item.Status{"pending": "pending", "PAID": "paid", " Paid ": "paid"} {
		if res := oneRow(t, "status", in); len(res.Rows) != 1 || res.Rows[0].Status != want {
			t.Errorf("status %q: %+v", in, res)
		}
	}
	for _, in := range []string{"", "settled", "unpaid", "p"} {
		res := oneRow(t, "status", in)
		if len(res.Rows) != 0 || res.Invalid[0].Column != "status" {
			t.Errorf("status %q accepted: %+v", in, res)
		}
	}
}

func TestTextColumnsAreTrimmedAndChecked(t *testing.T) {
	if r := oneRow(t, "clinician_name", "  Dr X \t"); r.Rows[0].ClinicianName != "Dr X" {
		t.Fatalf("name not trimmed: %q", r.Rows[0].ClinicianName)
	}
	for _, tc := range []struct{ column, value, reason string }{
		{"v1_reference", "", "is empty"},
		{"v1_reference", strings.Repeat("R", 65), "the limit is 64"},
		{"v1_reference", "V1\n2", "control character"},
		{"clinician_id", " ", "is empty"},
		{"clinician_name", "", "is empty"},
		{"patient_reference", "", "is empty"},
		{"description", "bell\a", "control character"},
	} {
		res := oneRow(t, tc.column, tc.value)
		if len(res.Rows) != 0 || len(res.Invalid) != 1 || res.Invalid[0].Column != tc.column || !strings.Contains(res.Invalid[0].Reason, tc.reason) {
			t.Errorf("%s %q: rows %+v invalid %v", tc.column, tc.value, res.Rows, res.Invalid)
		}
	}
	if res := oneRow(t, "description", ""); len(res.Rows) != 1 {
		t.Errorf("an empty description is allowed: %+v", res)
	}
}

func TestTextThatIsNotUTF8IsRejectedWithAHint(t *testing.T) {
	// A spreadsheet saving as Windows-1252 writes £ as the single byte A3.
	res := parse(t, header+"V1-1,clin-1,Dr X,P-1,2025-01-15,d,\xa312.00,pending\n")
	if len(res.Rows) != 0 || len(res.Invalid) != 1 || res.Invalid[0].Column != "amount" || !strings.Contains(res.Invalid[0].Reason, "CSV UTF-8") {
		t.Fatalf("result = %+v", res)
	}
}

func TestEveryProblemInARowIsReportedInColumnOrder(t *testing.T) {
	res := parse(t, "amount,status,v1_reference,clinician_id,clinician_name,patient_reference,work_date,description\n"+
		"12.345,maybe,,clin-1,Dr X,P-1,31/02/2025,d\n")
	var got []string
	for _, e := range res.Invalid {
		if e.Line != 2 {
			t.Errorf("line = %d", e.Line)
		}
		got = append(got, e.Column)
	}
	if strings.Join(got, " ") != "amount status v1_reference work_date" {
		t.Fatalf("columns = %v (%v)", got, res.Invalid)
	}
}

func TestARowWithTheWrongNumberOfFieldsIsReported(t *testing.T) {
	res := parse(t, header+
		"V1-1,clin-1,Dr X,P-1,2025-01-15,d,1.00\n"+
		"V1-2,clin-1,Dr X,P-1,2025-01-15,d,1.00,pending,surprise\n"+
		"V1-3,clin-1,Dr X,P-1,2025-01-15,d,1.00,pending,,\n")
	if len(res.Invalid) != 2 || res.Invalid[0].Line != 2 || res.Invalid[1].Line != 3 ||
		res.Invalid[0].Error() != "line 2: has 7 fields but the header row has 8; check for a missing or extra comma" {
		t.Fatalf("invalid = %v", res.Invalid)
	}
	if len(res.Rows) != 1 || res.Rows[0].Reference != "V1-3" {
		t.Fatalf("trailing empty cells are harmless: %+v", res.Rows)
	}
}

func TestBlankRowsAreSkipped(t *testing.T) {
	res := parse(t, header+"\n,,,,,,,\n  , ,\nV1-1,clin-1,Dr X,P-1,2025-01-15,d,1.00,pending\n\n,,,,,,,\n")
	if len(res.Invalid) != 0 || len(res.Rows) != 1 || res.Rows[0].Line != 5 {
		t.Fatalf("result = %+v", res)
	}
}

func TestLineNumbersArePhysicalLinesWhereTheRowStarts(t *testing.T) {
	res := parse(t, header+
		"V1-1,clin-1,Dr X,P-1,2025-01-15,\"three\nline\ndescription\",1.00,pending\n"+
		"V1-2,clin-1,Dr X,P-1,2025-01-15,d,12.345,pending\n"+
		"\"V1-3\n\",clin-1,Dr X,P-1,2025-01-15,d,1.00,pending\n"+
		"V1-4,clin-1,Dr X,P-1,2025-01-15,d,1.00,pending\n")
	if len(res.Rows) != 3 || res.Rows[0].Line != 2 || res.Rows[1].Line != 6 || res.Rows[2].Line != 8 {
		t.Fatalf("rows = %+v", res.Rows)
	}
	if len(res.Invalid) != 1 || res.Invalid[0].Line != 5 {
		t.Fatalf("invalid = %v", res.Invalid)
	}
	if res.Rows[1].Reference != "V1-3" {
		t.Fatalf("a quoted reference is trimmed of its line break: %q", res.Rows[1].Reference)
	}
}

func TestUnbalancedQuotesAreReportedAndTheRestIsStillRead(t *testing.T) {
	res := parse(t, header+
		"V1-1,clin-1,Dr \"X\",P-1,2025-01-15,d,1.00,pending\n"+
		"V1-2,clin-1,\"Dr X\"y,P-1,2025-01-15,d,1.00,pending\n"+
		"V1-3,clin-1,Dr X,P-1,2025-01-15,d,1.00,pending\n")
	if len(res.Invalid) != 2 || res.Invalid[0].Line != 2 || res.Invalid[1].Line != 3 || !strings.Contains(res.Invalid[0].Reason, "quotes") {
		t.Fatalf("invalid = %v", res.Invalid)
	}
	if len(res.Rows) != 1 || res.Rows[0].Reference != "V1-3" || res.Rows[0].Line != 4 {
		t.Fatalf("rows = %+v", res.Rows)
	}
}

// Whether work belongs to V1 or V2 is the import's judgement, recorded in the event: the
// parser reads a row dated on or after go-live like any other.
func TestWorkOnOrAfterGoLiveIsAnOrdinaryRow(t *testing.T) {
	res := parse(t, header+
		"V1-1,clin-1,Dr X,P-1,02/02/2025,d,1.00,pending\n"+
		"V1-2,clin-1,Dr X,P-1,03/02/2025,d,1.00,pending\n")
	if len(res.Rows) != 2 || len(res.Invalid) != 0 || res.Rows[1].WorkDate != (ledger.Date{Year: 2025, Month: time.February, Day: 3}) {
		t.Fatalf("result = %+v", res)
	}
}

func TestFileLimitsAreFileErrors(t *testing.T) {
	text := header + "V1-1,clin-1,Dr X,P-1,2025-01-15,d,1.00,pending\n"
	if _, err := v1csv.Parse(strings.NewReader(text), v1csv.Options{MaxBytes: int64(len(text))}); err != nil {
		t.Fatalf("a file of exactly the limit is fine: %v", err)
	}
	if _, err := v1csv.Parse(strings.NewReader(text), v1csv.Options{MaxBytes: int64(len(text) - 1)}); !errors.Is(err, v1csv.ErrFileTooLarge) {
		t.Fatalf("one byte over: %v", err)
	}
	if _, err := v1csv.Parse(strings.NewReader(text), v1csv.Options{MaxBytes: 10}); !errors.Is(err, v1csv.ErrFileTooLarge) {
		t.Fatalf("header over the limit: %v", err)
	}
	two := text + "V1-2,clin-1,Dr X,P-1,2025-01-15,d,1.00,pending\n"
	if _, err := v1csv.Parse(strings.NewReader(two), v1csv.Options{MaxRows: 1}); !errors.Is(err, v1csv.ErrTooManyRows) {
		t.Fatalf("rows over the limit: %v", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestAReadFailureIsAFileError(t *testing.T) {
	if _, err := v1csv.Parse(io.MultiReader(strings.NewReader(header+"V1-1"), failingReader{}), v1csv.Options{}); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("err = %v", err)
	}
}

func TestScanHandsOverRowsInOrderAndStopsWhenAsked(t *testing.T) {
	var buf bytes.Buffer
	if err := v1csv.GenerateCSV(&buf, 50, 1); err != nil {
		t.Fatal(err)
	}
	counter := v1csv.NewCountingReader(bytes.NewReader(buf.Bytes()))
	var lines []int
	invalid, err := v1csv.Scan(counter, func(r v1rows.Row) error { lines = append(lines, r.Line); return nil })
	if err != nil || len(invalid) != 0 || len(lines) != 50 {
		t.Fatalf("scan: %d rows, %v, %v", len(lines), invalid, err)
	}
	for i := 1; i < len(lines); i++ {
		if lines[i] <= lines[i-1] {
			t.Fatalf("rows out of order: %v", lines)
		}
	}
	if counter.BytesRead() != int64(buf.Len()) {
		t.Fatalf("counted %d bytes of %d", counter.BytesRead(), buf.Len())
	}
	stop := errors.New("stop")
	seen := 0
	_, err = v1csv.Scan(bytes.NewReader(buf.Bytes()), func(v1rows.Row) error {
		if seen++; seen == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || seen != 3 {
		t.Fatalf("scan did not stop: %d rows, %v", seen, err)
	}
}

func TestARowBecomesTheImportCommandForItsItem(t *testing.T) {
	row := oneRow(t, "amount", "£1,000.00").Rows[0]
	at := time.Date(2025, 2, 20, 9, 0, 0, 0, ledger.London)
	goLive := ledger.Date{Year: 2025, Month: time.February, Day: 3}
	c := row.Command(goLive, "clerk-1", "export.csv", at)
	evs, err := v1item.Decide(v1item.State{}, c)
	if err != nil || len(evs) != 1 {
		t.Fatalf("decide: %v, %v", evs, err)
	}
	imp := evs[0].(v1item.V1ItemImported)
	if imp.SourceLine != 2 || imp.SourceFile != "export.csv" || !imp.Amount.Equal(money.GBP("1000")) || imp.Reference != "V1-1" {
		t.Fatalf("event = %+v", imp)
	}
}
