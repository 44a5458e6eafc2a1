package earnings

import (
	"fmt"

	"ledgerdesk/domain/check"
)

// SourceKind is the kind of work an earning pays for.
type SourceKind string

const (
	SourceConsultation SourceKind = "consultation"
	SourceBillableItem SourceKind = "billable_item"
)

// Source is the piece of work an earning pays for: an appointment, or one billable item on
// an invoice. Each source earns at most once.
type Source struct {
	Kind          SourceKind `json:"kind"`
	AppointmentID string     `json:"appointment_id,omitempty"`
	InvoiceID     string     `json:"invoice_id,omitempty"`
	ItemID        string     `json:"item_id,omitempty"`
}

// Consultation is the source for an appointment's fee.
func Consultation(appointmentID string) Source {
	return Source{Kind: SourceConsultation, AppointmentID: appointmentID}
}

// BillableItem is the source for one item on an invoice.
func BillableItem(invoiceID, itemID string) Source {
	return Source{Kind: SourceBillableItem, InvoiceID: invoiceID, ItemID: itemID}
}

// String names the work as a clerk would.
func (s Source) String() string {
	switch s.Kind {
	case SourceConsultation:
		return "consultation " + s.AppointmentID
	case SourceBillableItem:
		return fmt.Sprintf("billable item %s on invoice %s", s.ItemID, s.InvoiceID)
	}
	return fmt.Sprintf("unknown work %q", string(s.Kind))
}

// key is unique per piece of work; the separator cannot occur in a valid id.
func (s Source) key() string {
	return string(s.Kind) + "\x00" + s.AppointmentID + "\x00" + s.InvoiceID + "\x00" + s.ItemID
}

func (s Source) validate() error {
	switch s.Kind {
	case SourceConsultation:
		if s.InvoiceID != "" || s.ItemID != "" {
			return check.Failf(ErrInvalidInput, "source", "a consultation has no invoice or item")
		}
		return checkID("source appointment id", s.AppointmentID)
	case SourceBillableItem:
		if s.AppointmentID != "" {
			return check.Failf(ErrInvalidInput, "source", "a billable item has no appointment")
		}
		return firstError(checkID("source invoice id", s.InvoiceID), checkID("source item id", s.ItemID))
	}
	return check.Failf(ErrInvalidInput, "source kind", "%q is neither %q nor %q", string(s.Kind), SourceConsultation, SourceBillableItem)
}

// ReleaseReason is the fact that released an earning.
type ReleaseReason string

const (
	// ReleaseFormSubmitted: the post-consultation form was submitted.
	ReleaseFormSubmitted ReleaseReason = "form_submitted"
	// ReleaseInvoicePaid: the patient paid the invoice in full.
	ReleaseInvoicePaid ReleaseReason = "invoice_paid"
)

// ReleasedBy is the one reason that may release each kind of work: a consultation is never
// released by an invoice payment, nor a billable item by a form.
func (k SourceKind) ReleasedBy() ReleaseReason {
	if k == SourceConsultation {
		return ReleaseFormSubmitted
	}
	return ReleaseInvoicePaid
}
