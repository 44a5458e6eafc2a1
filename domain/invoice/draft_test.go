package invoice_test

import (
	"fmt"
	"testing"
	"time"

	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
)

func TestRaiseOpensADraftForThePatient(t *testing.T) {
	spec().When(invoice.Raise{InvoiceID: invID, PatientID: patient, At: t0}).Then(t, raised())
	spec().Given(raised()).When(invoice.Raise{InvoiceID: invID, PatientID: patient, At: t0}).ThenError(t, invoice.ErrAlreadyRaised)
}

func TestRaiseNeedsIDsAndTime(t *testing.T) {
	for _, c := range []invoice.Raise{
		{PatientID: patient, At: t0},
		{InvoiceID: invID, At: t0},
		{InvoiceID: invID, PatientID: patient},
	} {
		spec().When(c).ThenError(t, invoice.ErrInvalidInput)
	}
}

func TestCommandsNeedARaisedInvoiceAddressedByItsID(t *testing.T) {
	add := invoice.AddBillableItem{InvoiceID: invID, ItemID: "i", ClinicianID: drA, Description: "d", Amount: gbp("1.00"), At: t0}
	spec().When(add).ThenError(t, invoice.ErrNotRaised)
	spec().When(invoice.Issue{InvoiceID: invID, At: t0}).ThenError(t, invoice.ErrNotRaised)
	spec().When(invoice.RecordPayment{InvoiceID: invID, PaymentID: "p", Amount: gbp("1.00"), At: t0}).ThenError(t, invoice.ErrNotRaised)
	spec().When(invoice.Void{InvoiceID: invID, Reason: "r", At: t0}).ThenError(t, invoice.ErrNotRaised)
	add.InvoiceID = "another"
	spec().Given(raised()).When(add).ThenError(t, invoice.ErrWrongInvoice)
	spec().Given(raised()).When(nil).ThenError(t, invoice.ErrUnknownCommand)
}

func TestAClinicianAddsABillableItem(t *testing.T) {
	spec().Given(raised()).
		When(invoice.AddBillableItem{InvoiceID: invID, ItemID: "item-1", ClinicianID: drA, Description: "letter to GP", Amount: money.GBP("100"), At: at(1)}).
		Then(t, item("item-1", drA, "100.00"))
}

func TestBillableItemsNeedValidDetails(t *testing.T) {
	valid := invoice.AddBillableItem{InvoiceID: invID, ItemID: "item-1", ClinicianID: drA, Description: "letter", Amount: gbp("10.00"), At: t0}
	for name, mutate := range map[string]func(*invoice.AddBillableItem){
		"no item id":      func(c *invoice.AddBillableItem) { c.ItemID = "" },
		"no clinician":    func(c *invoice.AddBillableItem) { c.ClinicianID = "" },
		"no description":  func(c *invoice.AddBillableItem) { c.Description = "  " },
		"zero amount":     func(c *invoice.AddBillableItem) { c.Amount = money.Zero },
		"negative amount": func(c *invoice.AddBillableItem) { c.Amount = gbp("-1.00") },
		"no time":         func(c *invoice.AddBillableItem) { c.At = time.Time{} },
	} {
		t.Run(name, func(t *testing.T) {
			c := valid
			mutate(&c)
			spec().Given(raised()).When(c).ThenError(t, invoice.ErrInvalidInput)
		})
	}
}

func TestAnItemGoesOnTheInvoiceOnce(t *testing.T) {
	spec().Given(raised(), item("item-1", drA, "100.00")).
		When(invoice.AddBillableItem{InvoiceID: invID, ItemID: "item-1", ClinicianID: drB, Description: "x", Amount: gbp("5.00"), At: t0}).
		ThenError(t, invoice.ErrDuplicateItem)
}

// Items go only on a draft: once issued, the total the patient was sent is fixed, paid
// or not.
func TestItemsGoOnlyOnADraftInvoice(t *testing.T) {
	add := invoice.AddBillableItem{InvoiceID: invID, ItemID: "item-3", ClinicianID: drA, Description: "letter to GP", Amount: gbp("20.00"), At: at(1)}
	spec().Given(raised(), item("item-1", drA, "100.00")).When(add).ThenState(t, func(t testing.TB, s invoice.State) {
		if !s.Total.Equal(gbp("120.00")) || len(s.Items) != 2 {
			t.Fatalf("total %s with %d items", s.Total, len(s.Items))
		}
	})
	spec().Given(issuedInvoice()...).When(add).ThenError(t, invoice.ErrAlreadyIssued)
	spec().Given(append(issuedInvoice(), paid("pay-1", "10.00", "10.00", "140.00", 3))...).When(add).ThenError(t, invoice.ErrAlreadyIssued)
	spec().Given(append(issuedInvoice(), paid("pay-1", "150.00", "150.00", "0.00", 3),
		invoice.PaidInFull{InvoiceID: invID, PatientID: patient, Total: gbp("150.00"), PaidAt: at(3)})...).When(add).ThenError(t, invoice.ErrAlreadyIssued)
	spec().Given(raised(), invoice.Voided{InvoiceID: invID, PatientID: patient, Reason: "r", VoidedAt: t0}).When(add).ThenError(t, invoice.ErrInvoiceVoided)
}

func TestIssueSendsTheTotal(t *testing.T) {
	spec().Given(raised(), item("item-1", drA, "100.00"), item("item-2", drB, "50.00")).
		When(invoice.Issue{InvoiceID: invID, At: at(2)}).
		Then(t, issued("150.00"))
}

func TestIssueRules(t *testing.T) {
	spec().Given(raised()).When(invoice.Issue{InvoiceID: invID, At: t0}).ThenError(t, invoice.ErrNoItems)
	spec().Given(issuedInvoice()...).When(invoice.Issue{InvoiceID: invID, At: t0}).ThenError(t, invoice.ErrAlreadyIssued)
	spec().Given(raised(), item("item-1", drA, "1.00"), invoice.Voided{InvoiceID: invID, PatientID: patient, Reason: "r", VoidedAt: t0}).
		When(invoice.Issue{InvoiceID: invID, At: t0}).ThenError(t, invoice.ErrInvoiceVoided)
	spec().Given(raised(), item("item-1", drA, "1.00")).When(invoice.Issue{InvoiceID: invID}).ThenError(t, invoice.ErrInvalidInput)
}

func TestAnInvoiceHoldsAtMostMaxItems(t *testing.T) {
	given := []invoice.Event{raised()}
	for i := range invoice.MaxItems {
		given = append(given, item(fmt.Sprintf("item-%d", i), drA, "1.00"))
	}
	spec().Given(given...).
		When(invoice.AddBillableItem{InvoiceID: invID, ItemID: "one-too-many", ClinicianID: drA, Description: "x", Amount: gbp("1.00"), At: t0}).
		ThenError(t, invoice.ErrInvalidInput)
}
