package earnings_test

import (
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	rm "ledgerdesk/projections/earnings"
	"ledgerdesk/projections/projectiontest"
)

var feb11 = feb10.Add(24 * time.Hour)

func accrued(id, clinician string, src earnings.Source, amount string, l ledger.Ledger) earnings.Accrued {
	work := ledger.LondonDate(feb10)
	if l == ledger.V1 {
		work = ledger.LondonDate(jan20)
	}
	return earnings.Accrued{EarningID: id, ClinicianID: clinician, Source: src, Amount: money.GBP(amount), WorkDate: work, GoLive: goLive, Ledger: l, AccruedAt: feb10}
}

func released(id, clinician string, src earnings.Source, amount string) earnings.Released {
	reason := earnings.ReleaseFormSubmitted
	if src.Kind == earnings.SourceBillableItem {
		reason = earnings.ReleaseInvoicePaid
	}
	return earnings.Released{EarningID: id, ClinicianID: clinician, Source: src, Amount: money.GBP(amount), Reason: reason, ReleasedAt: feb11}
}

func summary(t *testing.T, s *projectiontest.Spec, clinician string) rm.Summary {
	t.Helper()
	sum, err := rm.ForClinician(s.Ctx, s.DB, clinician)
	s.Must(err)
	return sum
}

var a1 = earnings.Consultation("a1")

func TestAnAccruedConsultationIsPendingUntilItsFormIsSubmitted(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", a1, "250.00", ledger.V2))
	sum := summary(t, s, "c1")
	if len(sum.Pending) != 1 || sum.Pending[0].Waiting != rm.WaitingForForm || sum.Pending[0].Status != "pending" ||
		sum.Pending[0].Kind != "consultation" || sum.Pending[0].AppointmentID != "a1" || sum.Totals.Pending.String() != "250.00" {
		t.Fatalf("summary = %+v", sum)
	}
}

func TestV1WorkIsShownPendingAsBelongingToV1(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", a1, "90.00", ledger.V1))
	sum := summary(t, s, "c1")
	if len(sum.Pending) != 1 || sum.Pending[0].Status != "v1" || sum.Pending[0].Waiting != rm.BelongsToV1 ||
		!strings.Contains(sum.Pending[0].Why, "managed in the old back office") || sum.Totals.V1.String() != "90.00" || !sum.Totals.Pending.IsZero() {
		t.Fatalf("summary = %+v", sum)
	}
}

func TestV1WorkThatArrivesInV2SaysWhatArrivedButStaysV1s(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", a1, "90.00", ledger.V1),
		earnings.V1WorkArrived{EarningID: "e1", ClinicianID: "c1", Source: a1, Amount: money.GBP("90.00"), WorkDate: ledger.LondonDate(jan20), Reason: earnings.ReleaseFormSubmitted, ArrivedAt: feb11})
	it := summary(t, s, "c1").Pending[0]
	if it.Status != "v1" || it.V1ArrivedAt == nil || it.ReleaseReason != "form_submitted" || !strings.Contains(it.Why, "form submitted on 2025-02-11") {
		t.Fatalf("item = %+v", it)
	}
}

func TestEarningsReleasedWhenFormSubmitted(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", a1, "250.00", ledger.V2), released("e1", "c1", a1, "250.00"))
	sum := summary(t, s, "c1")
	if len(sum.Pending) != 0 || len(sum.Released) != 1 || sum.Released[0].ReleaseReason != "form_submitted" || sum.Released[0].ReleasedAt == nil ||
		sum.Released[0].Waiting != "" || sum.Totals.Released.String() != "250.00" {
		t.Fatalf("summary = %+v", sum)
	}
}

func TestABillableItemWaitsForItsInvoiceToBeIssued(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	s.Given(invoice.StreamID("inv1"), invoice.Raised{InvoiceID: "inv1", PatientID: "p1", RaisedAt: feb10})
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", earnings.BillableItem("inv1", "i1"), "60.00", ledger.V2))
	it := summary(t, s, "c1").Pending[0]
	if it.Waiting != rm.WaitingForPayment || it.Why != "the patient's invoice is not yet issued" || it.InvoiceID != "inv1" || it.ItemID != "i1" {
		t.Fatalf("item = %+v", it)
	}
}

func TestABillableItemOnAnIssuedInvoiceSaysWhatIsOutstanding(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	s.Given(invoice.StreamID("inv1"),
		invoice.Raised{InvoiceID: "inv1", PatientID: "p1", RaisedAt: feb10},
		invoice.BillableItemAdded{InvoiceID: "inv1", PatientID: "p1", ItemID: "i1", ClinicianID: "c1", Description: "letter", Amount: money.GBP("60.00"), AddedAt: feb10},
		invoice.Issued{InvoiceID: "inv1", PatientID: "p1", Total: money.GBP("60.00"), IssuedAt: feb10},
		invoice.PaymentRecorded{InvoiceID: "inv1", PatientID: "p1", PaymentID: "x", Amount: money.GBP("15.00"), PaidTotal: money.GBP("15.00"), Outstanding: money.GBP("45.00"), PaidAt: feb11})
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", earnings.BillableItem("inv1", "i1"), "60.00", ledger.V2))
	it := summary(t, s, "c1").Pending[0]
	if it.Waiting != rm.WaitingForPayment || it.Why != "the patient's invoice is not paid in full (£45.00 outstanding)" {
		t.Fatalf("item = %+v", it)
	}
}

func TestABillableItemOnAVoidedInvoiceIsShownApartAndNotInThePendingTotal(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", earnings.BillableItem("inv1", "i1"), "60.00", ledger.V2),
		accrued("e2", "c1", a1, "100.00", ledger.V2))
	s.Given(invoice.StreamID("inv1"), invoice.Raised{InvoiceID: "inv1", PatientID: "p1", RaisedAt: feb10}, invoice.Voided{InvoiceID: "inv1", PatientID: "p1", Reason: "mistake", VoidedAt: feb11})
	sum := summary(t, s, "c1")
	if len(sum.Voided) != 1 || sum.Totals.Voided.String() != "60.00" || sum.Totals.Pending.String() != "100.00" || len(sum.Pending) != 1 {
		t.Fatalf("summary = %+v", sum)
	}
	if it := sum.Voided[0]; it.Waiting != rm.InvoiceVoided || it.Why != "the patient's invoice was voided: this item will not be paid" {
		t.Fatalf("item = %+v", it)
	}
}

func TestAV1BillableItemOnAVoidedInvoiceIsNotInTheV1Total(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	s.Given(invoice.StreamID("inv1"), invoice.Raised{InvoiceID: "inv1", PatientID: "p1", RaisedAt: jan20}, invoice.Voided{InvoiceID: "inv1", PatientID: "p1", Reason: "mistake", VoidedAt: feb11})
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", earnings.BillableItem("inv1", "i1"), "60.00", ledger.V1))
	sum := summary(t, s, "c1")
	if len(sum.Voided) != 1 || len(sum.Pending) != 0 || !sum.Totals.V1.IsZero() || sum.Totals.Voided.String() != "60.00" ||
		!strings.Contains(sum.Voided[0].Why, "will not be paid") {
		t.Fatalf("summary = %+v", sum)
	}
}

func TestV1WorkNamesTheGoLiveDateAndThatTheOldBackOfficePaysIt(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", a1, "90.00", ledger.V1))
	sum, err := rm.Read(s.Ctx, s.DB, rm.Query{ClinicianID: "c1", GoLive: goLive})
	s.Must(err)
	if sum.GoLive != goLive.String() || !strings.Contains(sum.Pending[0].Why, "before go-live on "+goLive.String()) ||
		!strings.Contains(sum.Pending[0].Why, "the old back office (V1), which pays it") {
		t.Fatalf("summary = %+v", sum)
	}
}

func TestAMonthShowsOnlyTheWorkDoneInIt(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", a1, "90.00", ledger.V1), accrued("e2", "c1", earnings.Consultation("a2"), "100.00", ledger.V2))
	m, err := rm.ParseMonth(ledger.LondonDate(jan20).String()[:7])
	s.Must(err)
	sum, err := rm.Read(s.Ctx, s.DB, rm.Query{ClinicianID: "c1", Month: m})
	s.Must(err)
	if len(sum.Pending) != 1 || sum.Pending[0].EarningID != "e1" || !sum.Totals.Pending.IsZero() || sum.Totals.V1.String() != "90.00" || sum.Month != m.String() {
		t.Fatalf("summary = %+v", sum)
	}
	if _, err := rm.ParseMonth("2025-13"); err == nil {
		t.Fatal("month 2025-13 accepted")
	}
}

func TestEarningsIncludedInAPayoutAreInPayout(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", a1, "250.00", ledger.V2), released("e1", "c1", a1, "250.00"),
		earnings.IncludedInPayout{PayoutID: "run1", ClinicianID: "c1", EarningIDs: []string{"e1"}, Total: money.GBP("250.00"), IncludedAt: feb11})
	sum := summary(t, s, "c1")
	if len(sum.InPayout) != 1 || sum.InPayout[0].PayoutID != "run1" || len(sum.Released) != 0 || sum.Totals.InPayout.String() != "250.00" {
		t.Fatalf("summary = %+v", sum)
	}
	who, err := rm.InPayout(s.Ctx, s.DB, "run1")
	s.Must(err)
	if len(who) != 1 || who[0] != "c1" {
		t.Fatalf("clinicians in run1 = %v", who)
	}
}

func TestPaidEarningsArePaidNewestFirst(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	a2 := earnings.Consultation("a2")
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", a1, "250.00", ledger.V2), accrued("e2", "c1", a2, "100.00", ledger.V2),
		released("e1", "c1", a1, "250.00"), released("e2", "c1", a2, "100.00"),
		earnings.IncludedInPayout{PayoutID: "run1", ClinicianID: "c1", EarningIDs: []string{"e1", "e2"}, Total: money.GBP("350.00"), IncludedAt: feb11},
		earnings.PaidOut{PayoutID: "run1", ClinicianID: "c1", EarningIDs: []string{"e1", "e2"}, Total: money.GBP("350.00"), PaidAt: feb11})
	sum := summary(t, s, "c1")
	if len(sum.Paid) != 2 || sum.Paid[0].EarningID != "e2" || sum.Paid[1].EarningID != "e1" || sum.Paid[0].PaidAt == nil ||
		len(sum.InPayout) != 0 || sum.Totals.Paid.String() != "350.00" {
		t.Fatalf("summary = %+v", sum)
	}
	if who, _ := rm.InPayout(s.Ctx, s.DB, "run1"); len(who) != 0 {
		t.Fatalf("paid earnings still in payout: %v", who)
	}
}

func TestEarningsReturnedFromAPayoutAreReleasedAgainAndCounted(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", a1, "250.00", ledger.V2), released("e1", "c1", a1, "250.00"),
		earnings.IncludedInPayout{PayoutID: "run1", ClinicianID: "c1", EarningIDs: []string{"e1"}, Total: money.GBP("250.00"), IncludedAt: feb11},
		earnings.ReturnedFromPayout{PayoutID: "run1", ClinicianID: "c1", EarningIDs: []string{"e1"}, Total: money.GBP("250.00"), Reason: "account closed", ReturnedAt: feb11})
	sum := summary(t, s, "c1")
	if len(sum.Released) != 1 || sum.Released[0].Returned != 1 || sum.Released[0].LastReturn != "account closed" || sum.Released[0].PayoutID != "" || len(sum.InPayout) != 0 {
		t.Fatalf("summary = %+v", sum)
	}
}

func TestCliniciansAreThoseWithEarningsInIDOrder(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, rm.New)
	s.Given(earnings.StreamID("c2"), accrued("e2", "c2", earnings.Consultation("a2"), "10.00", ledger.V2))
	s.Given(earnings.StreamID("c1"), accrued("e1", "c1", a1, "10.00", ledger.V2))
	who, err := rm.Clinicians(s.Ctx, s.DB)
	s.Must(err)
	if strings.Join(who, ",") != "c1,c2" {
		t.Fatalf("clinicians = %v", who)
	}
	if sum := summary(t, s, "nobody"); len(sum.Pending)+len(sum.Released)+len(sum.InPayout)+len(sum.Paid) != 0 || !sum.Totals.Paid.IsZero() {
		t.Fatalf("a clinician with no earnings: %+v", sum)
	}
}

func TestALineSaysWhoseWorkItWasByNameOrSaysNoNameIsOnRecord(t *testing.T) {
	t.Parallel()
	starts := time.Date(2025, 2, 10, 14, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		it   rm.Item
		want string
	}{
		{rm.Item{Kind: "consultation", WorkDate: ledger.LondonDate(feb10), StartsAt: &starts, PatientID: "p1", PatientName: "Jane Doe"}, "consultation of 2025-02-10 14:30 with Jane Doe"},
		{rm.Item{Kind: "consultation", WorkDate: ledger.LondonDate(feb10), PatientID: "p1"}, "consultation of 2025-02-10 with " + rm.NoPatientName},
		{rm.Item{Kind: "billable_item", WorkDate: ledger.LondonDate(feb10), PatientID: "p1", PatientName: "Jane Doe"}, "billable item of 2025-02-10, invoiced to Jane Doe"},
		{rm.Item{Kind: "billable_item", WorkDate: ledger.LondonDate(feb10)}, "billable item of 2025-02-10"},
	} {
		if got := c.it.What(); got != c.want {
			t.Errorf("What() = %q, want %q", got, c.want)
		}
	}
	if got := (rm.Summary{ClinicianID: "c1"}).DisplayName(); got != rm.NoNameOnRecord {
		t.Errorf("a clinician with no name on record is shown as %q", got)
	}
}
