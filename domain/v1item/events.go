package v1item

import (
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Event is any fact in a V1 item's stream.
type Event interface {
	decider.Event
	isV1ItemEvent()
}

// V1ItemImported records V1's figures for the item, where they came from and the go-live
// date they were judged against. Status "paid" means V1 had settled it before export.
type V1ItemImported struct {
	Reference        string       `json:"reference"`
	ClinicianID      string       `json:"clinician_id"`
	ClinicianName    string       `json:"clinician_name" pii:"true"`
	PatientReference string       `json:"patient_reference" pii:"true"`
	WorkDate         ledger.Date  `json:"work_date"`
	Description      string       `json:"description" pii:"true"`
	Amount           money.Amount `json:"amount"`
	Status           Status       `json:"status"`
	GoLive           ledger.Date  `json:"go_live"`
	ImportedBy       string       `json:"imported_by"`
	At               time.Time    `json:"at"`
	SourceFile       string       `json:"source_file"`
	SourceLine       int          `json:"source_line"`
}

// TickedOff records that the accounts department settled the item.
type TickedOff struct {
	Reference string    `json:"reference"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
	Note      string    `json:"note,omitempty" pii:"true"`
}

// TickOffUndone withdraws a tick made in error; the item is outstanding again.
type TickOffUndone struct {
	Reference string    `json:"reference"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
	Reason    string    `json:"reason" pii:"true"`
}

func (V1ItemImported) EventType() string { return "v1item.imported.v1" }
func (TickedOff) EventType() string      { return "v1item.ticked_off.v1" }
func (TickOffUndone) EventType() string  { return "v1item.tick_off_undone.v1" }

func (V1ItemImported) isV1ItemEvent() {}
func (TickedOff) isV1ItemEvent()      {}
func (TickOffUndone) isV1ItemEvent()  {}

// DataSubject keys the event's personal data to the item (see the package comment).
func (e V1ItemImported) DataSubject() string { return StreamID(e.Reference) }

// DataSubject keys the note to the item.
func (e TickedOff) DataSubject() string { return StreamID(e.Reference) }

// DataSubject keys the reason to the item.
func (e TickOffUndone) DataSubject() string { return StreamID(e.Reference) }

// Figures are the V1 figures the event carries.
func (e V1ItemImported) Figures() Figures {
	return Figures{e.Reference, e.ClinicianID, e.ClinicianName, e.PatientReference, e.WorkDate, e.Description, e.Amount, e.Status}
}

// EventTypes lists one zero value of every event type, for the serialization registry.
func EventTypes() []Event { return []Event{V1ItemImported{}, TickedOff{}, TickOffUndone{}} }
