package invoice

import (
	"time"

	"ledgerdesk/domain/money"
)

// Command is one of the commands below.
type Command interface{ isInvoiceCommand() }

// Raise opens a draft invoice for a patient.
type Raise struct {
	InvoiceID string
	PatientID string
	At        time.Time
}

// AddBillableItem puts an item a clinician raised on the invoice. Description is free text.
type AddBillableItem struct {
	InvoiceID   string
	ItemID      string
	ClinicianID string
	Description string
	Amount      money.Amount
	At          time.Time
}

// Issue sends the invoice to the patient; only an issued invoice can be paid.
type Issue struct {
	InvoiceID string
	At        time.Time
}

// RecordPayment records money received from the patient; PaymentID is the payment
// provider's reference, so the same payment reported twice is recognised.
type RecordPayment struct {
	InvoiceID string
	PaymentID string
	Amount    money.Amount
	At        time.Time
}

// Void cancels an invoice nobody has paid anything towards.
type Void struct {
	InvoiceID string
	Reason    string
	At        time.Time
}

func (Raise) isInvoiceCommand()           {}
func (AddBillableItem) isInvoiceCommand() {}
func (Issue) isInvoiceCommand()           {}
func (RecordPayment) isInvoiceCommand()   {}
func (Void) isInvoiceCommand()            {}
