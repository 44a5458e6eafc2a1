package invoice

import (
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/money"
)

// Event is one of the events below.
type Event interface {
	decider.Event
	isInvoiceEvent()
}

// Raised: a draft invoice was opened for a patient.
type Raised struct {
	InvoiceID string    `json:"invoice_id"`
	PatientID string    `json:"patient_id"`
	RaisedAt  time.Time `json:"raised_at"`
}

// BillableItemAdded: a clinician's billable item went on the invoice. The description is a
// person's words about the patient's care, so it is encrypted with the patient's key.
type BillableItemAdded struct {
	InvoiceID   string       `json:"invoice_id"`
	PatientID   string       `json:"patient_id"`
	ItemID      string       `json:"item_id"`
	ClinicianID string       `json:"clinician_id"`
	Description string       `json:"description" pii:"true"`
	Amount      money.Amount `json:"amount"`
	AddedAt     time.Time    `json:"added_at"`
}

// Issued: the invoice went to the patient for the total.
type Issued struct {
	InvoiceID string       `json:"invoice_id"`
	PatientID string       `json:"patient_id"`
	Total     money.Amount `json:"total"`
	IssuedAt  time.Time    `json:"issued_at"`
}

// PaymentRecorded: the patient paid some or all of what was outstanding.
type PaymentRecorded struct {
	InvoiceID   string       `json:"invoice_id"`
	PatientID   string       `json:"patient_id"`
	PaymentID   string       `json:"payment_id"`
	Amount      money.Amount `json:"amount"`
	PaidTotal   money.Amount `json:"paid_total"`
	Outstanding money.Amount `json:"outstanding"`
	PaidAt      time.Time    `json:"paid_at"`
}

// PaidItem is one billable item as PaidInFull reports it: what the clinician is now owed.
type PaidItem struct {
	ItemID      string       `json:"item_id"`
	ClinicianID string       `json:"clinician_id"`
	Amount      money.Amount `json:"amount"`
}

// PaidInFull: payments reached the total. Each item releases its clinician's earning.
type PaidInFull struct {
	InvoiceID string       `json:"invoice_id"`
	PatientID string       `json:"patient_id"`
	Total     money.Amount `json:"total"`
	Items     []PaidItem   `json:"items"`
	PaidAt    time.Time    `json:"paid_at"`
}

// Voided: the invoice was cancelled before any payment; it releases nothing. The reason is a
// person's words, encrypted with the patient's key.
type Voided struct {
	InvoiceID string    `json:"invoice_id"`
	PatientID string    `json:"patient_id"`
	Reason    string    `json:"reason" pii:"true"`
	VoidedAt  time.Time `json:"voided_at"`
}

func (Raised) EventType() string            { return "invoice.raised.v1" }
func (BillableItemAdded) EventType() string { return "invoice.billable_item_added.v1" }
func (Issued) EventType() string            { return "invoice.issued.v1" }
func (PaymentRecorded) EventType() string   { return "invoice.payment_recorded.v1" }
func (PaidInFull) EventType() string        { return "invoice.paid_in_full.v1" }
func (Voided) EventType() string            { return "invoice.voided.v1" }

// DataSubject says whose key encrypts the description.
func (e BillableItemAdded) DataSubject() string { return e.PatientID }

// DataSubject says whose key encrypts the reason.
func (e Voided) DataSubject() string { return e.PatientID }

func (Raised) isInvoiceEvent()            {}
func (BillableItemAdded) isInvoiceEvent() {}
func (Issued) isInvoiceEvent()            {}
func (PaymentRecorded) isInvoiceEvent()   {}
func (PaidInFull) isInvoiceEvent()        {}
func (Voided) isInvoiceEvent()            {}

// EventTypes returns one zero value of every event, for the serialization registry.
func EventTypes() []Event {
	return []Event{Raised{}, BillableItemAdded{}, Issued{}, PaymentRecorded{}, PaidInFull{}, Voided{}}
}
