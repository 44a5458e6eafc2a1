package invoice

import (
	"maps"
	"slices"
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/money"
)

// Status is where the invoice is in its life.
type Status string

const (
	StatusNone   Status = ""
	StatusDraft  Status = "draft"
	StatusIssued Status = "issued"
	StatusPaid   Status = "paid"
	StatusVoided Status = "voided"
)

// Item is a billable item on the invoice.
type Item struct {
	ID          string
	ClinicianID string
	Description string
	Amount      money.Amount
}

// State is the invoice as its events left it. Evolve never changes a slice or map it was
// given, so an earlier state stays valid after a later one is derived from it.
type State struct {
	ID        string
	PatientID string
	Status    Status
	Items     []Item
	Total     money.Amount
	Paid      money.Amount
	Payments  map[string]money.Amount
	PaidAt    time.Time
}

// Outstanding is what the patient still owes.
func (s State) Outstanding() money.Amount { return s.Total.Sub(s.Paid) }

// HasItem says whether the item is on the invoice.
func (s State) HasItem(id string) bool {
	return slices.ContainsFunc(s.Items, func(i Item) bool { return i.ID == id })
}

// Evolve folds one event into the state.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case Raised:
		s = State{ID: e.InvoiceID, PatientID: e.PatientID, Status: StatusDraft, Total: money.FromPence(0), Paid: money.FromPence(0)}
	case BillableItemAdded:
		s.Items = append(slices.Clip(s.Items), Item{ID: e.ItemID, ClinicianID: e.ClinicianID, Description: e.Description, Amount: e.Amount})
		s.Total = canonical(s.Total.Add(e.Amount))
	case Issued:
		s.Status = StatusIssued
	case PaymentRecorded:
		s.Payments = maps.Clone(s.Payments)
		if s.Payments == nil {
			s.Payments = map[string]money.Amount{}
		}
		s.Payments[e.PaymentID] = e.Amount
		s.Paid = canonical(s.Paid.Add(e.Amount))
	case PaidInFull:
		s.Status = StatusPaid
		s.PaidAt = e.PaidAt
	case Voided:
		s.Status = StatusVoided
	}
	return s
}

// Decider runs the invoice in the command layer.
var Decider = decider.Decider[State, Command, Event]{
	Initial: func() State { return State{} },
	Decide:  Decide,
	Evolve:  Evolve,
}
