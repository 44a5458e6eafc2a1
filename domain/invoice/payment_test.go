package invoice_test

import (
	"testing"

	"ledgerdesk/domain/invoice"
)

func TestAPartPaymentLeavesTheRestOutstanding(t *testing.T) {
	spec().Given(issuedInvoice()...).
		When(invoice.RecordPayment{InvoiceID: invID, PaymentID: "pay-1", Amount: gbp("60.00"), At: at(3)}).
		Then(t, paid("pay-1", "60.00", "60.00", "90.00", 3))
}

func TestThePaymentThatCompletesTheTotalAlsoPaysTheInvoiceInFull(t *testing.T) {
	spec().Given(append(issuedInvoice(), paid("pay-1", "60.00", "60.00", "90.00", 3))...).
		When(invoice.RecordPayment{InvoiceID: invID, PaymentID: "pay-2", Amount: gbp("90.00"), At: at(4)}).
		Then(t,
			paid("pay-2", "90.00", "150.00", "0.00", 4),
			invoice.PaidInFull{InvoiceID: invID, PatientID: patient, Total: gbp("150.00"), PaidAt: at(4), Items: []invoice.PaidItem{
				{ItemID: "item-1", ClinicianID: drA, Amount: gbp("100.00")},
				{ItemID: "item-2", ClinicianID: drB, Amount: gbp("50.00")},
			}})
}

func TestOverpaymentIsRefused(t *testing.T) {
	spec().Given(issuedInvoice()...).
		When(invoice.RecordPayment{InvoiceID: invID, PaymentID: "pay-1", Amount: gbp("150.01"), At: at(3)}).
		ThenError(t, invoice.ErrOverpayment)
	fullyPaid := append(issuedInvoice(), paid("pay-1", "150.00", "150.00", "0.00", 3))
	spec().Given(fullyPaid...).
		When(invoice.RecordPayment{InvoiceID: invID, PaymentID: "pay-2", Amount: gbp("0.01"), At: at(4)}).
		ThenError(t, invoice.ErrOverpayment)
}

func TestAPaymentIsRecordedOnce(t *testing.T) {
	spec().Given(append(issuedInvoice(), paid("pay-1", "10.00", "10.00", "140.00", 3))...).
		When(invoice.RecordPayment{InvoiceID: invID, PaymentID: "pay-1", Amount: gbp("10.00"), At: at(4)}).
		ThenError(t, invoice.ErrDuplicatePayment)
}

func TestPaymentsNeedAnIssuedLiveInvoice(t *testing.T) {
	pay := invoice.RecordPayment{InvoiceID: invID, PaymentID: "pay-1", Amount: gbp("10.00"), At: at(3)}
	spec().Given(raised(), item("item-1", drA, "100.00")).When(pay).ThenError(t, invoice.ErrNotIssued)
	spec().Given(append(issuedInvoice(), invoice.Voided{InvoiceID: invID, PatientID: patient, Reason: "r", VoidedAt: at(2)})...).
		When(pay).ThenError(t, invoice.ErrInvoiceVoided)
}

func TestPaymentsNeedAnIDAPositiveAmountAndATime(t *testing.T) {
	for _, c := range []invoice.RecordPayment{
		{InvoiceID: invID, Amount: gbp("1.00"), At: at(3)},
		{InvoiceID: invID, PaymentID: "p", Amount: gbp("0.00"), At: at(3)},
		{InvoiceID: invID, PaymentID: "p", Amount: gbp("-1.00"), At: at(3)},
		{InvoiceID: invID, PaymentID: "p", Amount: gbp("1.00")},
	} {
		spec().Given(issuedInvoice()...).When(c).ThenError(t, invoice.ErrInvalidInput)
	}
}

func TestVoidOnlyWhileNothingIsPaid(t *testing.T) {
	v := invoice.Void{InvoiceID: invID, Reason: "raised in error", At: at(3)}
	spec().Given(issuedInvoice()...).When(v).
		Then(t, invoice.Voided{InvoiceID: invID, PatientID: patient, Reason: "raised in error", VoidedAt: at(3)})
	spec().Given(append(issuedInvoice(), paid("pay-1", "10.00", "10.00", "140.00", 3))...).When(v).ThenError(t, invoice.ErrPaymentsExist)
	spec().Given(raised(), invoice.Voided{InvoiceID: invID, PatientID: patient, Reason: "r", VoidedAt: t0}).When(v).ThenError(t, invoice.ErrInvoiceVoided)
	spec().Given(raised()).When(invoice.Void{InvoiceID: invID, At: t0}).ThenError(t, invoice.ErrInvalidInput)
}

func TestAVoidedInvoiceIsNeverPaidInFull(t *testing.T) {
	spec().Given(append(issuedInvoice(), invoice.Voided{InvoiceID: invID, PatientID: patient, Reason: "r", VoidedAt: at(2)})...).
		When(invoice.RecordPayment{InvoiceID: invID, PaymentID: "pay-1", Amount: gbp("150.00"), At: at(3)}).
		ThenError(t, invoice.ErrInvoiceVoided)
}

func TestEarlierStatesAreUnchangedByLaterEvents(t *testing.T) {
	s1 := invoice.Decider.Fold(append(issuedInvoice(), paid("pay-1", "10.00", "10.00", "140.00", 3)))
	_ = invoice.Evolve(s1, paid("pay-2", "20.00", "30.00", "120.00", 4))
	if len(s1.Payments) != 1 || !s1.Paid.Equal(gbp("10.00")) {
		t.Fatalf("evolving mutated the earlier state: %+v", s1)
	}
}
