package payout

import (
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Event is one of the events below.
type Event interface {
	decider.Event
	isPayoutEvent()
}

// Started: an accounts clerk opened a payout run.
type Started struct {
	PayoutID    string      `json:"payout_id"`
	Cutoff      ledger.Date `json:"cutoff"`
	RequestedBy string      `json:"requested_by"`
	StartedAt   time.Time   `json:"started_at"`
}

// LineAdded: one clinician's payment joined the run. The bank details identify a person's
// account, so they are encrypted with the clinician's key.
type LineAdded struct {
	PayoutID      string       `json:"payout_id"`
	ClinicianID   string       `json:"clinician_id"`
	EarningIDs    []string     `json:"earning_ids"`
	Amount        money.Amount `json:"amount"`
	PayeeName     string       `json:"payee_name" pii:"true"`
	SortCode      string       `json:"sort_code" pii:"true"`
	AccountNumber string       `json:"account_number" pii:"true"`
	AddedAt       time.Time    `json:"added_at"`
}

// Finalised: the lines are fixed; Total is their sum.
type Finalised struct {
	PayoutID    string       `json:"payout_id"`
	Total       money.Amount `json:"total"`
	LineCount   int          `json:"line_count"`
	FinalisedAt time.Time    `json:"finalised_at"`
}

// Exported: the bank file was written.
type Exported struct {
	PayoutID   string    `json:"payout_id"`
	MessageID  string    `json:"message_id"`
	SHA256     string    `json:"sha256"`
	ExportedAt time.Time `json:"exported_at"`
}

// Submitted: the file went to the bank.
type Submitted struct {
	PayoutID    string    `json:"payout_id"`
	SubmittedAt time.Time `json:"submitted_at"`
}

// LineFailed: the bank refused one line; its earnings go back to released and unpaid.
type LineFailed struct {
	PayoutID    string       `json:"payout_id"`
	ClinicianID string       `json:"clinician_id"`
	EarningIDs  []string     `json:"earning_ids"`
	Amount      money.Amount `json:"amount"`
	Reason      string       `json:"reason"`
	FailedAt    time.Time    `json:"failed_at"`
}

// SettledLine is a line the bank paid.
type SettledLine struct {
	ClinicianID string       `json:"clinician_id"`
	EarningIDs  []string     `json:"earning_ids"`
	Amount      money.Amount `json:"amount"`
}

// Settled: the bank paid every line that had not failed; their earnings are paid out.
type Settled struct {
	PayoutID  string        `json:"payout_id"`
	Lines     []SettledLine `json:"lines"`
	Total     money.Amount  `json:"total"`
	SettledAt time.Time     `json:"settled_at"`
}

// Abandoned: the run was given up before submission; every line's earnings go back to
// released and unpaid.
type Abandoned struct {
	PayoutID     string    `json:"payout_id"`
	ClinicianIDs []string  `json:"clinician_ids"`
	Reason       string    `json:"reason"`
	AbandonedAt  time.Time `json:"abandoned_at"`
}

func (Started) EventType() string    { return "payout.started.v1" }
func (LineAdded) EventType() string  { return "payout.line_added.v1" }
func (Finalised) EventType() string  { return "payout.finalised.v1" }
func (Exported) EventType() string   { return "payout.exported.v1" }
func (Submitted) EventType() string  { return "payout.submitted.v1" }
func (LineFailed) EventType() string { return "payout.line_failed.v1" }
func (Settled) EventType() string    { return "payout.settled.v1" }
func (Abandoned) EventType() string  { return "payout.abandoned.v1" }

// DataSubject says whose key encrypts the bank details.
func (e LineAdded) DataSubject() string { return e.ClinicianID }

func (Started) isPayoutEvent()    {}
func (LineAdded) isPayoutEvent()  {}
func (Finalised) isPayoutEvent()  {}
func (Exported) isPayoutEvent()   {}
func (Submitted) isPayoutEvent()  {}
func (LineFailed) isPayoutEvent() {}
func (Settled) isPayoutEvent()    {}
func (Abandoned) isPayoutEvent()  {}

// EventTypes returns one zero value of every event, for the serialization registry.
func EventTypes() []Event {
	return []Event{Started{}, LineAdded{}, Finalised{}, Exported{}, Submitted{}, LineFailed{}, Settled{}, Abandoned{}}
}
