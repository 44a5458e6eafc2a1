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
//
// Ledger is which back office the work date says owns the work, decided once at import:
// V1 normally; V2 when V1's export holds work dated on or after go-live. Such an item is
// still imported, since it is in V1's books, and reconciliation lists it as an exception.
type V1ItemImported struct {
	Reference        string        `json:"reference"`
	ClinicianID      string        `json:"clinician_id"`
	ClinicianName    string        `json:"clinician_name" pii:"true"`
	PatientReference string        `json:"patient_reference"`
	WorkDate         ledger.Date   `json:"work_date"`
	Description      string        `json:"description" pii:"true"`
	Amount           money.Amount  `json:"amount"`
	Status           Status        `json:"status"`
	GoLive           ledger.Date   `json:"go_live"`
	Ledger           ledger.Ledger `json:"ledger"`
	ImportedBy       string        `json:"imported_by"`
	At               time.Time     `json:"at"`
	SourceFile       string        `json:"source_file"`
	SourceLine       int           `json:"source_line"`
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

// ImportConflictRecorded records that an import met figures for this reference that
// disagree, with each other in one file or with the item on record. None of the incoming
// figures was imported: the clerk must find out which is right. Fields are the columns
// that disagree; Variants are the incoming figures, each with the lines that gave it.
type ImportConflictRecorded struct {
	Reference string   `json:"reference"`
	Fields    []string `json:"fields"`
	// WithExisting is true when the item was already imported with other figures.
	WithExisting bool             `json:"with_existing"`
	Variants     []ConflictingRow `json:"variants"`
	SourceFile   string           `json:"source_file"`
	RecordedBy   string           `json:"recorded_by"`
	At           time.Time        `json:"at"`
}

// ConflictingRow is one version of the figures an import met, and where.
type ConflictingRow struct {
	Lines            []int        `json:"lines"`
	ClinicianID      string       `json:"clinician_id"`
	ClinicianName    string       `json:"clinician_name" pii:"true"`
	PatientReference string       `json:"patient_reference"`
	WorkDate         ledger.Date  `json:"work_date"`
	Description      string       `json:"description" pii:"true"`
	Amount           money.Amount `json:"amount"`
	Status           Status       `json:"status"`
}

// Figures are the row's figures under reference ref.
func (r ConflictingRow) Figures(ref string) Figures {
	return Figures{ref, r.ClinicianID, r.ClinicianName, r.PatientReference, r.WorkDate, r.Description, r.Amount, r.Status}
}

func (V1ItemImported) EventType() string         { return "v1item.imported.v1" }
func (TickedOff) EventType() string              { return "v1item.ticked_off.v1" }
func (TickOffUndone) EventType() string          { return "v1item.tick_off_undone.v1" }
func (ImportConflictRecorded) EventType() string { return "v1item.import_conflict_recorded.v1" }

func (V1ItemImported) isV1ItemEvent()         {}
func (TickedOff) isV1ItemEvent()              {}
func (TickOffUndone) isV1ItemEvent()          {}
func (ImportConflictRecorded) isV1ItemEvent() {}

// DataSubject keys the event's personal data to the clinician and patient the work joins
// (see the package comment).
func (e V1ItemImported) DataSubject() string { return WorkSubject(e.ClinicianID, e.PatientReference) }

// DataSubject keys the note to the item.
func (e TickedOff) DataSubject() string { return StreamID(e.Reference) }

// DataSubject keys the reason to the item.
func (e TickOffUndone) DataSubject() string { return StreamID(e.Reference) }

// DataSubject keys the conflicting figures to the item.
func (e ImportConflictRecorded) DataSubject() string { return StreamID(e.Reference) }

// Figures are the V1 figures the event carries.
func (e V1ItemImported) Figures() Figures {
	return Figures{e.Reference, e.ClinicianID, e.ClinicianName, e.PatientReference, e.WorkDate, e.Description, e.Amount, e.Status}
}

// EventTypes lists one zero value of every event type, for the serialization registry.
func EventTypes() []Event {
	return []Event{V1ItemImported{}, TickedOff{}, TickOffUndone{}, ImportConflictRecorded{}}
}
