package earnings

import (
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Event is one of the events below.
type Event interface {
	decider.Event
	isEarningsEvent()
}

// Accrued: the clinician earned Amount for a piece of work; it is pending until released.
// Ledger says which back office owns it, decided from WorkDate and GoLive at this moment.
type Accrued struct {
	EarningID   string        `json:"earning_id"`
	ClinicianID string        `json:"clinician_id"`
	Source      Source        `json:"source"`
	Amount      money.Amount  `json:"amount"`
	WorkDate    ledger.Date   `json:"work_date"`
	GoLive      ledger.Date   `json:"go_live"`
	Ledger      ledger.Ledger `json:"ledger"`
	AccruedAt   time.Time     `json:"accrued_at"`
}

// Released: a V2 earning became payable because its form was submitted or its invoice paid.
type Released struct {
	EarningID   string        `json:"earning_id"`
	ClinicianID string        `json:"clinician_id"`
	Source      Source        `json:"source"`
	Amount      money.Amount  `json:"amount"`
	Reason      ReleaseReason `json:"reason"`
	ReleasedAt  time.Time     `json:"released_at"`
}

// V1WorkArrived: what would have released a V1 earning happened in V2. V2 does not pay it;
// the old back office does, and reconciliation lists it.
type V1WorkArrived struct {
	EarningID   string        `json:"earning_id"`
	ClinicianID string        `json:"clinician_id"`
	Source      Source        `json:"source"`
	Amount      money.Amount  `json:"amount"`
	WorkDate    ledger.Date   `json:"work_date"`
	Reason      ReleaseReason `json:"reason"`
	ArrivedAt   time.Time     `json:"arrived_at"`
}

// IncludedInPayout: released earnings went on the clinician's line of a payout run.
type IncludedInPayout struct {
	PayoutID    string       `json:"payout_id"`
	ClinicianID string       `json:"clinician_id"`
	EarningIDs  []string     `json:"earning_ids"`
	Total       money.Amount `json:"total"`
	IncludedAt  time.Time    `json:"included_at"`
}

// PaidOut: the bank paid the line; its earnings are paid and can never be paid again.
type PaidOut struct {
	PayoutID    string       `json:"payout_id"`
	ClinicianID string       `json:"clinician_id"`
	EarningIDs  []string     `json:"earning_ids"`
	Total       money.Amount `json:"total"`
	PaidAt      time.Time    `json:"paid_at"`
}

// ReturnedFromPayout: the bank failed the line; its earnings are released and unpaid again.
type ReturnedFromPayout struct {
	PayoutID    string       `json:"payout_id"`
	ClinicianID string       `json:"clinician_id"`
	EarningIDs  []string     `json:"earning_ids"`
	Total       money.Amount `json:"total"`
	Reason      string       `json:"reason"`
	ReturnedAt  time.Time    `json:"returned_at"`
}

func (Accrued) EventType() string            { return "earnings.accrued.v1" }
func (Released) EventType() string           { return "earnings.released.v1" }
func (V1WorkArrived) EventType() string      { return "earnings.v1_work_arrived.v1" }
func (IncludedInPayout) EventType() string   { return "earnings.included_in_payout.v1" }
func (PaidOut) EventType() string            { return "earnings.paid_out.v1" }
func (ReturnedFromPayout) EventType() string { return "earnings.returned_from_payout.v1" }

func (Accrued) isEarningsEvent()            {}
func (Released) isEarningsEvent()           {}
func (V1WorkArrived) isEarningsEvent()      {}
func (IncludedInPayout) isEarningsEvent()   {}
func (PaidOut) isEarningsEvent()            {}
func (ReturnedFromPayout) isEarningsEvent() {}

// EventTypes returns one zero value of every event, for the serialization registry.
func EventTypes() []Event {
	return []Event{Accrued{}, Released{}, V1WorkArrived{}, IncludedInPayout{}, PaidOut{}, ReturnedFromPayout{}}
}
