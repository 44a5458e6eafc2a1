package invoice_test

import (
	"time"

	"ledgerdesk/domain/decider/decidertest"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
)

const (
	invID   = "0194f3a2-0000-7000-8000-00000000000a"
	patient = "patient-1"
	drA     = "clinician-a"
	drB     = "clinician-b"
)

var t0 = time.Date(2025, 2, 10, 9, 0, 0, 0, time.UTC)

func at(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

func gbp(s string) money.Amount { return money.FromPence(money.GBP(s).Pence()) }

func spec() *decidertest.Spec[invoice.State, invoice.Command, invoice.Event] {
	return decidertest.For(invoice.Decide, invoice.Evolve)
}

func raised() invoice.Raised {
	return invoice.Raised{InvoiceID: invID, PatientID: patient, RaisedAt: t0}
}

func item(id, clinician, amount string) invoice.BillableItemAdded {
	return invoice.BillableItemAdded{InvoiceID: invID, PatientID: patient, ItemID: id, ClinicianID: clinician,
		Description: "letter to GP", Amount: gbp(amount), AddedAt: at(1)}
}

func issued(total string) invoice.Issued {
	return invoice.Issued{InvoiceID: invID, PatientID: patient, Total: gbp(total), IssuedAt: at(2)}
}

func paid(id, amount, paidTotal, outstanding string, h int) invoice.PaymentRecorded {
	return invoice.PaymentRecorded{InvoiceID: invID, PatientID: patient, PaymentID: id, Amount: gbp(amount),
		PaidTotal: gbp(paidTotal), Outstanding: gbp(outstanding), PaidAt: at(h)}
}

// issuedInvoice is a £150 invoice: £100 for a report by A, £50 for a letter by B.
func issuedInvoice() []invoice.Event {
	return []invoice.Event{raised(), item("item-1", drA, "100.00"), item("item-2", drB, "50.00"), issued("150.00")}
}
