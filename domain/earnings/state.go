package earnings

import (
	"slices"
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Status is where an earning stands, as a clinician would ask about it.
type Status string

const (
	// StatusPending: V2 work not yet released (form not submitted, invoice not paid).
	StatusPending Status = "pending"
	// StatusReleased: payable, and not in any payout at the moment.
	StatusReleased Status = "released"
	// StatusInPayout: on a payout run that the bank has not yet paid or failed.
	StatusInPayout Status = "in_payout"
	// StatusPaid: paid out; final.
	StatusPaid Status = "paid"
	// StatusV1: work before go-live, paid by the old back office, never by V2.
	StatusV1 Status = "v1"
)

// Earning is one earning as its events left it.
type Earning struct {
	ID            string
	ClinicianID   string
	Source        Source
	Amount        money.Amount
	WorkDate      ledger.Date
	Ledger        ledger.Ledger
	Status        Status
	AccruedAt     time.Time
	ReleaseReason ReleaseReason
	ReleasedAt    time.Time
	// V1ArrivedAt is set when V1 work reached V2 (V1WorkArrived); zero otherwise.
	V1ArrivedAt time.Time
	// PayoutID is the payout the earning is in or was paid by; empty when released and unpaid.
	PayoutID string
	PaidAt   time.Time
}

// WaitingFor says, for a pending or V1 earning, what the clinician is waiting for.
func (e Earning) WaitingFor() string {
	switch {
	case e.Status == StatusV1:
		return "managed in the old back office (V1)"
	case e.Status != StatusPending:
		return ""
	case e.Source.Kind == SourceConsultation:
		return "the post-consultation form"
	default:
		return "the patient to pay the invoice in full"
	}
}

// PayoutStatus is where the clinician's line of a payout run stands.
type PayoutStatus string

const (
	PayoutIncluded PayoutStatus = "included"
	PayoutPaid     PayoutStatus = "paid"
	PayoutReturned PayoutStatus = "returned"
)

// Payout is the clinician's line of one payout run.
type Payout struct {
	ID           string
	EarningIDs   []string
	Total        money.Amount
	Status       PayoutStatus
	IncludedAt   time.Time
	SettledAt    time.Time
	ReturnReason string
}

// State is one clinician's earnings.
//
// Evolve updates the maps inside a State in place, because a clinician's stream grows for
// years and copying it per event would make a fold quadratic. So a State belongs to whoever
// folds it: after Evolve(s, e) use the result, never s. Decide only reads its state.
type State struct {
	ClinicianID string
	earnings    map[string]*Earning
	order       []string
	bySource    map[string]string
	payouts     map[string]*Payout
	payoutOrder []string
}

// Evolve folds one event into the state.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case Accrued:
		if s.earnings == nil {
			s.earnings, s.bySource = map[string]*Earning{}, map[string]string{}
		}
		if _, seen := s.earnings[e.EarningID]; !seen {
			s.order = append(s.order, e.EarningID)
		}
		if s.ClinicianID == "" {
			s.ClinicianID = e.ClinicianID
		}
		status := StatusPending
		if e.Ledger == ledger.V1 {
			status = StatusV1
		}
		s.earnings[e.EarningID] = &Earning{ID: e.EarningID, ClinicianID: e.ClinicianID, Source: e.Source, Amount: e.Amount,
			WorkDate: e.WorkDate, Ledger: e.Ledger, Status: status, AccruedAt: e.AccruedAt}
		s.bySource[e.Source.key()] = e.EarningID
	case Released:
		if x := s.earnings[e.EarningID]; x != nil {
			x.Status, x.ReleaseReason, x.ReleasedAt = StatusReleased, e.Reason, e.ReleasedAt
		}
	case V1WorkArrived:
		if x := s.earnings[e.EarningID]; x != nil {
			x.V1ArrivedAt, x.ReleaseReason = e.ArrivedAt, e.Reason
		}
	case IncludedInPayout:
		if s.payouts == nil {
			s.payouts = map[string]*Payout{}
		}
		if _, seen := s.payouts[e.PayoutID]; !seen {
			s.payoutOrder = append(s.payoutOrder, e.PayoutID)
		}
		s.payouts[e.PayoutID] = &Payout{ID: e.PayoutID, EarningIDs: slices.Clone(e.EarningIDs), Total: e.Total,
			Status: PayoutIncluded, IncludedAt: e.IncludedAt}
		s.each(e.EarningIDs, func(x *Earning) { x.Status, x.PayoutID = StatusInPayout, e.PayoutID })
	case PaidOut:
		if p := s.payouts[e.PayoutID]; p != nil {
			p.Status, p.SettledAt = PayoutPaid, e.PaidAt
		}
		s.each(e.EarningIDs, func(x *Earning) { x.Status, x.PaidAt = StatusPaid, e.PaidAt })
	case ReturnedFromPayout:
		if p := s.payouts[e.PayoutID]; p != nil {
			p.Status, p.SettledAt, p.ReturnReason = PayoutReturned, e.ReturnedAt, e.Reason
		}
		s.each(e.EarningIDs, func(x *Earning) { x.Status, x.PayoutID = StatusReleased, "" })
	}
	return s
}

func (s State) each(ids []string, f func(*Earning)) {
	for _, id := range ids {
		if x := s.earnings[id]; x != nil {
			f(x)
		}
	}
}

// Decider runs a clinician's earnings in the command layer.
var Decider = decider.Decider[State, Command, Event]{
	Initial: func() State { return State{} },
	Decide:  Decide,
	Evolve:  Evolve,
}
