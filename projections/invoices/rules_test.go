package invoices_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
	"ledgerdesk/projections/invoices"
	"ledgerdesk/projections/projectiontest"
)

var (
	raisedAt = time.Date(2025, 2, 10, 10, 0, 0, 0, time.UTC)
	later    = raisedAt.Add(24 * time.Hour)
)

func raised(id, patient string, at time.Time) invoice.Raised {
	return invoice.Raised{InvoiceID: id, PatientID: patient, RaisedAt: at}
}

func itemAdded(inv, item, clinician, amount string) invoice.BillableItemAdded {
	return invoice.BillableItemAdded{InvoiceID: inv, PatientID: "p1", ItemID: item, ClinicianID: clinician, Description: "report for the GP", Amount: money.GBP(amount), AddedAt: raisedAt}
}

func get(t *testing.T, s *projectiontest.Spec, id string) invoices.Invoice {
	t.Helper()
	inv, err := invoices.Get(s.Ctx, s.DB, id)
	s.Must(err)
	return inv
}

func TestARaisedInvoiceIsAnEmptyDraft(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, invoices.New)
	s.Given(invoice.StreamID("inv1"), raised("inv1", "p1", raisedAt))
	inv := get(t, s, "inv1")
	if inv.Status != "draft" || inv.PatientID != "p1" || !inv.Total.IsZero() || inv.ItemCount != 0 || inv.Version != 1 || !inv.RaisedAt.Equal(raisedAt) || inv.IssuedAt != nil {
		t.Fatalf("invoice = %+v", inv)
	}
}

func TestBillableItemsAddUpInTheOrderTheyWereAdded(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, invoices.New)
	s.Given(invoice.StreamID("inv1"), raised("inv1", "p1", raisedAt), itemAdded("inv1", "z", "c1", "40.00"), itemAdded("inv1", "a", "c2", "20.50"))
	inv := get(t, s, "inv1")
	if inv.ItemCount != 2 || inv.Total.String() != "60.50" || inv.Outstanding.String() != "60.50" || len(inv.Items) != 2 ||
		inv.Items[0].ItemID != "z" || inv.Items[1].ItemID != "a" || inv.Items[1].ClinicianID != "c2" || inv.Version != 3 {
		t.Fatalf("invoice = %+v", inv)
	}
}

func TestAnIssuedInvoiceHasItsIssuedTotal(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, invoices.New)
	s.Given(invoice.StreamID("inv1"), raised("inv1", "p1", raisedAt), itemAdded("inv1", "i", "c1", "40.00"),
		invoice.Issued{InvoiceID: "inv1", PatientID: "p1", Total: money.GBP("40.00"), IssuedAt: later})
	if inv := get(t, s, "inv1"); inv.Status != "issued" || inv.Total.String() != "40.00" || inv.IssuedAt == nil || !inv.IssuedAt.Equal(later) {
		t.Fatalf("invoice = %+v", inv)
	}
}

func TestAPaymentIsListedAndReducesWhatIsOutstanding(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, invoices.New)
	s.Given(invoice.StreamID("inv1"), raised("inv1", "p1", raisedAt), itemAdded("inv1", "i", "c1", "40.00"),
		invoice.Issued{InvoiceID: "inv1", PatientID: "p1", Total: money.GBP("40.00"), IssuedAt: later},
		invoice.PaymentRecorded{InvoiceID: "inv1", PatientID: "p1", PaymentID: "pay1", Amount: money.GBP("15.00"), PaidTotal: money.GBP("15.00"), Outstanding: money.GBP("25.00"), PaidAt: later})
	inv := get(t, s, "inv1")
	if inv.Status != "issued" || inv.Paid.String() != "15.00" || inv.Outstanding.String() != "25.00" ||
		len(inv.Payments) != 1 || inv.Payments[0].PaymentID != "pay1" || inv.Payments[0].Amount.String() != "15.00" {
		t.Fatalf("invoice = %+v", inv)
	}
}

func TestAnInvoicePaidInFullIsPaidWithNothingOutstanding(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, invoices.New)
	s.Given(invoice.StreamID("inv1"), raised("inv1", "p1", raisedAt), itemAdded("inv1", "i", "c1", "40.00"),
		invoice.Issued{InvoiceID: "inv1", PatientID: "p1", Total: money.GBP("40.00"), IssuedAt: later},
		invoice.PaymentRecorded{InvoiceID: "inv1", PatientID: "p1", PaymentID: "pay1", Amount: money.GBP("40.00"), PaidTotal: money.GBP("40.00"), Outstanding: money.Zero, PaidAt: later},
		invoice.PaidInFull{InvoiceID: "inv1", PatientID: "p1", Total: money.GBP("40.00"), PaidAt: later})
	if inv := get(t, s, "inv1"); inv.Status != "paid" || !inv.Outstanding.IsZero() || inv.PaidAt == nil || inv.Version != 5 {
		t.Fatalf("invoice = %+v", inv)
	}
}

func TestAVoidedInvoiceOwesNothing(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, invoices.New)
	s.Given(invoice.StreamID("inv1"), raised("inv1", "p1", raisedAt), itemAdded("inv1", "i", "c1", "40.00"),
		invoice.Issued{InvoiceID: "inv1", PatientID: "p1", Total: money.GBP("40.00"), IssuedAt: later},
		invoice.Voided{InvoiceID: "inv1", PatientID: "p1", Reason: "raised in error", VoidedAt: later})
	if inv := get(t, s, "inv1"); inv.Status != "voided" || !inv.Outstanding.IsZero() || inv.Total.String() != "40.00" || inv.VoidedAt == nil {
		t.Fatalf("invoice = %+v", inv)
	}
}

func TestItemDescriptionsAreNotKeptInTheReadModel(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, invoices.New)
	s.Given(invoice.StreamID("inv1"), raised("inv1", "p1", raisedAt), itemAdded("inv1", "i", "c1", "40.00"))
	b, err := json.Marshal(get(t, s, "inv1"))
	s.Must(err)
	if strings.Contains(string(b), "report for the GP") {
		t.Fatalf("the read model shows an item's description: %s", b)
	}
}

func TestListingFiltersByStatusPatientAndClinicianNewestFirst(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, invoices.New)
	s.Given(invoice.StreamID("old"), raised("old", "p1", raisedAt), itemAdded("old", "i", "c1", "10.00"))
	s.Given(invoice.StreamID("new"), raised("new", "p1", later), itemAdded("new", "i", "c2", "10.00"),
		invoice.Issued{InvoiceID: "new", PatientID: "p1", Total: money.GBP("10.00"), IssuedAt: later})
	s.Given(invoice.StreamID("other"), raised("other", "p2", raisedAt))
	ids := func(f invoices.Filter) string {
		t.Helper()
		list, err := invoices.List(s.Ctx, s.DB, f)
		s.Must(err)
		var out []string
		for _, inv := range list {
			out = append(out, inv.InvoiceID)
		}
		return strings.Join(out, ",")
	}
	for f, want := range map[invoices.Filter]string{
		{}:                  "new,old,other",
		{Status: "draft"}:   "old,other",
		{PatientID: "p1"}:   "new,old",
		{ClinicianID: "c1"}: "old",
		{ClinicianID: "c3"}: "",
		{Limit: 1}:          "new",
		{Status: "issued"}:  "new",
	} {
		if got := ids(f); got != want {
			t.Errorf("%+v: %q, want %q", f, got, want)
		}
	}
}

func TestAnInvoiceTheReadModelHasNotSeenIsNotFound(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, invoices.New)
	if _, err := invoices.Get(s.Ctx, s.DB, "nope"); !errors.Is(err, invoices.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}
