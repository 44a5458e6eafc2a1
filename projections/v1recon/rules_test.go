package v1recon_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/v1item"
	"ledgerdesk/projections/projectiontest"
	"ledgerdesk/projections/v1recon"
)

var (
	jan20    = ledger.Date{Year: 2025, Month: time.January, Day: 20}
	feb10    = ledger.Date{Year: 2025, Month: time.February, Day: 10}
	importAt = time.Date(2025, 2, 1, 9, 0, 0, 0, time.UTC)
)

func imported(ref, clinician, patient string, work ledger.Date, amount string, status v1item.Status) v1item.V1ItemImported {
	return v1item.V1ItemImported{Reference: ref, ClinicianID: clinician, ClinicianName: "Dr " + clinician, PatientReference: patient,
		WorkDate: work, Description: "consultation", Amount: money.GBP(amount), Status: status, GoLive: goLive,
		Ledger: ledger.For(work, goLive), ImportedBy: "accounts", At: importAt, SourceFile: "export.csv", SourceLine: 2}
}

func report(t *testing.T, s *projectiontest.Spec) v1recon.Report {
	t.Helper()
	r, err := v1recon.Query(s.Ctx, s.DB)
	s.Must(err)
	return r
}

func kinds(r v1recon.Report) string {
	var out []string
	for _, e := range r.Exceptions {
		out = append(out, string(e.Kind)+" "+e.Reference+" "+e.EarningID)
	}
	return strings.Join(out, "; ")
}

// v2Consultation is V2 work for patient on work: booked, accrued, and, if released, released.
func v2Consultation(s *projectiontest.Spec, id, clinician, patient string, work ledger.Date, l ledger.Ledger, released bool) earnings.Source {
	at := time.Date(work.Year, work.Month, work.Day, 10, 0, 0, 0, time.UTC)
	s.Given(appointment.StreamID(id), appointment.Booked{AppointmentID: id, PatientID: patient, ClinicianID: clinician, StartsAt: at, Fee: money.GBP("90.00"), BookedAt: at})
	src := earnings.Consultation(id)
	s.Given(earnings.StreamID(clinician), earnings.Accrued{EarningID: "e-" + id, ClinicianID: clinician, Source: src, Amount: money.GBP("90.00"), WorkDate: work, GoLive: goLive, Ledger: l, AccruedAt: at})
	if released {
		s.Given(earnings.StreamID(clinician), earnings.Released{EarningID: "e-" + id, ClinicianID: clinician, Source: src, Amount: money.GBP("90.00"), Reason: earnings.ReleaseFormSubmitted, ReleasedAt: at})
	}
	return src
}

func TestTheReportIsEmptyButWhollyShapedBeforeAnything(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, v1recon.New)
	r := report(t, s)
	if r.GoLive != "" || r.CutoverAt != nil || r.Clinicians == nil || r.Outstanding == nil || r.Conflicts == nil || r.Exceptions == nil || !r.Totals.Imported.IsZero() {
		t.Fatalf("report = %+v", r)
	}
}

func TestTheGoLiveDateIsTheLatestScheduledAndTheCutoverWhenItHappened(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, v1recon.New)
	s.Given(cutover.StreamID, cutover.GoLiveScheduled{Date: jan20, At: importAt})
	if r := report(t, s); r.GoLive != "2025-01-20" || r.CutoverAt != nil {
		t.Fatalf("scheduled: %+v", r)
	}
	s.Given(cutover.StreamID, cutover.GoLiveRescheduled{From: jan20, To: goLive, At: importAt})
	if r := report(t, s); r.GoLive != "2025-02-03" {
		t.Fatalf("rescheduled: %+v", r)
	}
	startedAt := time.Date(2025, 2, 3, 0, 0, 0, 0, ledger.London)
	s.Given(cutover.StreamID, cutover.CutoverHappened{GoLive: goLive, StartedAt: startedAt, At: startedAt})
	if r := report(t, s); r.GoLive != "2025-02-03" || r.CutoverAt == nil || !r.CutoverAt.Equal(startedAt) || r.CutoverAt.Location() != time.UTC {
		t.Fatalf("cut over: %+v", r)
	}
}

func TestAnImportedPendingItemIsOutstandingAndAPaidOneSettled(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, v1recon.New)
	s.Given(v1item.StreamID("R1"), imported("R1", "c1", "P1", jan20, "90.00", v1item.StatusPending))
	s.Given(v1item.StreamID("R2"), imported("R2", "c1", "P2", jan20, "40.00", v1item.StatusPaid))
	s.Given(v1item.StreamID("R3"), imported("R3", "c2", "P1", jan20, "10.00", v1item.StatusPending))
	r := report(t, s)
	if len(r.Outstanding) != 2 || r.Outstanding[0].Reference != "R1" || r.Outstanding[0].ClinicianName != "Dr c1" || r.Outstanding[0].SourceLine != 2 {
		t.Fatalf("outstanding = %+v", r.Outstanding)
	}
	c1 := r.Clinicians[0]
	if len(r.Clinicians) != 2 || c1.ClinicianID != "c1" || c1.Items != 2 || c1.OutstandingItems != 1 || c1.Imported.String() != "130.00" ||
		c1.Settled.String() != "40.00" || c1.Outstanding.String() != "90.00" {
		t.Fatalf("clinicians = %+v", r.Clinicians)
	}
	if r.Totals.Items != 3 || r.Totals.Outstanding.String() != "100.00" || r.Totals.Settled.String() != "40.00" {
		t.Fatalf("totals = %+v", r.Totals)
	}
}

func TestATickedOffItemIsSettledUntilTheTickIsUndone(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, v1recon.New)
	s.Given(v1item.StreamID("R1"), imported("R1", "c1", "P1", jan20, "90.00", v1item.StatusPending),
		v1item.TickedOff{Reference: "R1", By: "accounts", At: importAt, Note: "paid by cheque"})
	if r := report(t, s); len(r.Outstanding) != 0 || r.Totals.Settled.String() != "90.00" {
		t.Fatalf("ticked off: %+v", r)
	}
	s.Given(v1item.StreamID("R1"), v1item.TickOffUndone{Reference: "R1", By: "accounts", At: importAt, Reason: "cheque bounced"})
	if r := report(t, s); len(r.Outstanding) != 1 || r.Totals.Outstanding.String() != "90.00" {
		t.Fatalf("undone: %+v", r)
	}
}

func TestImportConflictsAreListedWithWhatIsImportedNow(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, v1recon.New)
	s.Given(v1item.StreamID("R1"), imported("R1", "c1", "P1", jan20, "90.00", v1item.StatusPending),
		v1item.ImportConflictRecorded{Reference: "R1", Fields: []string{"amount", "status"}, WithExisting: true, SourceFile: "second.csv", RecordedBy: "accounts", At: importAt,
			Variants: []v1item.ConflictingRow{{Lines: []int{7}, ClinicianID: "c1", ClinicianName: "Dr c1", PatientReference: "P1", WorkDate: jan20, Description: "consultation", Amount: money.GBP("95.00"), Status: v1item.StatusPaid}}})
	s.Given(v1item.StreamID("R9"), v1item.ImportConflictRecorded{Reference: "R9", Fields: []string{"amount"}, SourceFile: "second.csv", RecordedBy: "accounts", At: importAt,
		Variants: []v1item.ConflictingRow{{Lines: []int{3}, Amount: money.GBP("1.00")}, {Lines: []int{4}, Amount: money.GBP("2.00")}}})
	r := report(t, s)
	if len(r.Conflicts) != 2 {
		t.Fatalf("conflicts = %+v", r.Conflicts)
	}
	c, d := r.Conflicts[0], r.Conflicts[1]
	if c.Reference != "R1" || strings.Join(c.Fields, ",") != "amount,status" || !c.WithExisting || !c.Imported || c.ImportedAmount.String() != "90.00" ||
		len(c.Variants) != 1 || c.Variants[0].Amount.String() != "95.00" || c.Variants[0].Lines[0] != 7 {
		t.Fatalf("R1's conflict = %+v", c)
	}
	if d.Reference != "R9" || d.Imported || d.ImportedAmount != nil || len(d.Variants) != 2 {
		t.Fatalf("R9's conflict = %+v", d)
	}
}

func TestAV1ItemMatchingReleasedV2WorkIsAnException(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, v1recon.New)
	s.Given(v1item.StreamID("R1"), imported("R1", "c1", "P1", feb10, "90.00", v1item.StatusPending))
	v2Consultation(s, "a1", "c1", "P1", feb10, ledger.V2, true)
	r := report(t, s)
	if got := kinds(r); got != "v1_work_released_in_v2 R1 e-a1; v1_item_dated_on_or_after_go_live R1 " {
		t.Fatalf("exceptions = %s", got)
	}
	if e := r.Exceptions[0]; e.V2Amount.String() != "90.00" || e.At == nil || !strings.Contains(e.Detail, "stop it being paid twice") {
		t.Fatalf("exception = %+v", e)
	}
}

func TestAV1ItemMatchingPaidV2WorkMayHaveBeenPaidTwice(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, v1recon.New)
	s.Given(v1item.StreamID("R1"), imported("R1", "c1", "P1", feb10, "90.00", v1item.StatusPending))
	v2Consultation(s, "a1", "c1", "P1", feb10, ledger.V2, true)
	s.Given(earnings.StreamID("c1"), earnings.PaidOut{PayoutID: "run1", ClinicianID: "c1", EarningIDs: []string{"e-a1"}, Total: money.GBP("90.00"), PaidAt: importAt})
	r := report(t, s)
	if r.Exceptions[0].Kind != v1recon.PaidInV2 || !strings.Contains(r.Exceptions[0].Detail, "in payout run1") {
		t.Fatalf("exceptions = %+v", r.Exceptions)
	}
}

func TestABillableItemIsMatchedThroughItsInvoicesPatient(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, v1recon.New)
	s.Given(v1item.StreamID("R1"), imported("R1", "c1", "P1", jan20, "60.00", v1item.StatusPending))
	s.Given(invoice.StreamID("inv1"), invoice.Raised{InvoiceID: "inv1", PatientID: "P1", RaisedAt: importAt})
	src := earnings.BillableItem("inv1", "i1")
	s.Given(earnings.StreamID("c1"),
		earnings.Accrued{EarningID: "e1", ClinicianID: "c1", Source: src, Amount: money.GBP("60.00"), WorkDate: jan20, GoLive: goLive, Ledger: ledger.V1, AccruedAt: importAt},
		earnings.Released{EarningID: "e1", ClinicianID: "c1", Source: src, Amount: money.GBP("60.00"), Reason: earnings.ReleaseInvoicePaid, ReleasedAt: importAt})
	if got := kinds(report(t, s)); got != "v1_work_released_in_v2 R1 e1" {
		t.Fatalf("exceptions = %s", got)
	}
}

func TestV2WorkForAnotherPatientOrDayIsNoException(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, v1recon.New)
	s.Given(v1item.StreamID("R1"), imported("R1", "c1", "P1", jan20, "90.00", v1item.StatusPending))
	v2Consultation(s, "other-patient", "c1", "P2", jan20, ledger.V1, true)
	v2Consultation(s, "other-day", "c1", "P1", ledger.Date{Year: 2025, Month: time.January, Day: 21}, ledger.V1, true)
	v2Consultation(s, "other-clinician", "c2", "P1", jan20, ledger.V1, true)
	if got := kinds(report(t, s)); got != "" {
		t.Fatalf("exceptions = %s", got)
	}
}

func TestV1WorkArrivingInV2IsAnExceptionMatchedOrNot(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, v1recon.New)
	s.Given(v1item.StreamID("R1"), imported("R1", "c1", "P1", jan20, "90.00", v1item.StatusPending))
	for _, id := range []string{"a1", "a2"} {
		patient := map[string]string{"a1": "P1", "a2": "P9"}[id]
		src := v2Consultation(s, id, "c1", patient, jan20, ledger.V1, false)
		s.Given(earnings.StreamID("c1"), earnings.V1WorkArrived{EarningID: "e-" + id, ClinicianID: "c1", Source: src, Amount: money.GBP("90.00"), WorkDate: jan20, Reason: earnings.ReleaseFormSubmitted, ArrivedAt: importAt})
	}
	r := report(t, s)
	if got := kinds(r); got != "v1_work_arrived_in_v2  e-a2; v1_work_arrived_in_v2 R1 e-a1" {
		t.Fatalf("exceptions = %s", got)
	}
	if !strings.HasSuffix(r.Exceptions[0].Detail, "no imported V1 item matches it") || r.Exceptions[0].Amount != nil ||
		r.Exceptions[1].Amount.String() != "90.00" || !strings.HasPrefix(r.Exceptions[1].Detail, "the form was submitted in V2") {
		t.Fatalf("exceptions = %+v", r.Exceptions)
	}
}

func TestAV1ItemDatedOnOrAfterGoLiveBelongsToV2(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, v1recon.New)
	s.Given(cutover.StreamID, cutover.GoLiveScheduled{Date: goLive, At: importAt})
	s.Given(v1item.StreamID("late"), imported("late", "c1", "P1", goLive, "90.00", v1item.StatusPending))
	s.Given(v1item.StreamID("early"), imported("early", "c1", "P1", jan20, "90.00", v1item.StatusPending))
	r := report(t, s)
	if got := kinds(r); got != "v1_item_dated_on_or_after_go_live late " || r.Exceptions[0].Detail != "V1 exported work dated 2025-02-03, on or after go-live 2025-02-03: the work belongs to V2" {
		t.Fatalf("exceptions = %+v", r.Exceptions)
	}
}

func TestExceptionsAreOrderedByKindThenWorkDate(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, v1recon.New)
	feb11 := ledger.Date{Year: 2025, Month: time.February, Day: 11}
	s.Given(v1item.StreamID("B"), imported("B", "c1", "P1", feb11, "90.00", v1item.StatusPending))
	s.Given(v1item.StreamID("A"), imported("A", "c1", "P1", feb10, "90.00", v1item.StatusPending))
	v2Consultation(s, "a1", "c1", "P1", feb11, ledger.V2, true)
	v2Consultation(s, "a2", "c1", "P1", feb10, ledger.V2, true)
	if got := kinds(report(t, s)); got != "v1_work_released_in_v2 A e-a2; v1_work_released_in_v2 B e-a1; v1_item_dated_on_or_after_go_live A ; v1_item_dated_on_or_after_go_live B " {
		t.Fatalf("exceptions = %s", got)
	}
}

func TestAClinicianSeesTheirOwnImportedV1ItemsSettledOrNot(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, v1recon.New)
	s.Given(v1item.StreamID("R1"), imported("R1", "c1", "P1", jan20, "90.00", v1item.StatusPending))
	s.Given(v1item.StreamID("R2"), imported("R2", "c1", "P2", jan20, "40.00", v1item.StatusPaid))
	s.Given(v1item.StreamID("R3"), imported("R3", "c2", "P1", jan20, "10.00", v1item.StatusPending))
	s.Given(v1item.StreamID("R4"), imported("R4", "c1", "P3", jan20, "25.00", v1item.StatusPending),
		v1item.TickedOff{Reference: "R4", By: "accounts", At: importAt})
	items, err := v1recon.ClinicianItems(s.Ctx, s.DB, "c1")
	s.Must(err)
	var got []string
	for _, it := range items {
		got = append(got, fmt.Sprintf("%s %s settled=%v", it.Reference, it.Amount, it.Settled()))
	}
	if want := "R1 90.00 settled=false; R2 40.00 settled=true; R4 25.00 settled=true"; strings.Join(got, "; ") != want {
		t.Fatalf("items of c1 = %q, want %q", strings.Join(got, "; "), want)
	}
}
