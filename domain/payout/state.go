package payout

import (
	"slices"
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Status is where the run is. The order of the constants is the order of the run's life.
type Status string

const (
	StatusNone      Status = ""
	StatusDrafting  Status = "drafting"
	StatusFinalised Status = "finalised"
	StatusExported  Status = "exported"
	StatusSubmitted Status = "submitted"
	StatusSettled   Status = "settled"
	StatusAbandoned Status = "abandoned"
)

func (s Status) rank() int {
	return slices.Index([]Status{StatusNone, StatusDrafting, StatusFinalised, StatusExported, StatusSubmitted, StatusSettled}, s)
}

// Line is one clinician's payment in the run.
type Line struct {
	ClinicianID string
	EarningIDs  []string
	Amount      money.Amount
	Payee       Payee
	Failed      bool
	FailReason  string
}

// State is the run as its events left it. Evolve never changes a slice it was given, so an
// earlier state stays valid after a later one is derived from it.
type State struct {
	ID          string
	Cutoff      ledger.Date
	RequestedBy string
	Status      Status
	Lines       []Line
	Total       money.Amount
	MessageID   string
	SHA256      string
	SettledAt   time.Time
}

// Line returns the clinician's line, if the run has one.
func (s State) Line(clinicianID string) (Line, bool) {
	i := s.lineIndex(clinicianID)
	if i < 0 {
		return Line{}, false
	}
	return s.Lines[i], true
}

func (s State) lineIndex(clinicianID string) int {
	return slices.IndexFunc(s.Lines, func(l Line) bool { return l.ClinicianID == clinicianID })
}

// Evolve folds one event into the state.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case Started:
		s = State{ID: e.PayoutID, Cutoff: e.Cutoff, RequestedBy: e.RequestedBy, Status: StatusDrafting, Total: money.FromPence(0)}
	case LineAdded:
		s.Lines = append(slices.Clip(s.Lines), Line{ClinicianID: e.ClinicianID, EarningIDs: slices.Clone(e.EarningIDs), Amount: e.Amount,
			Payee: Payee{Name: e.PayeeName, SortCode: e.SortCode, AccountNumber: e.AccountNumber}})
		s.Total = canonical(s.Total.Add(e.Amount))
	case Finalised:
		s.Status = StatusFinalised
	case Exported:
		s.Status, s.MessageID, s.SHA256 = StatusExported, e.MessageID, e.SHA256
	case Submitted:
		s.Status = StatusSubmitted
	case LineFailed:
		if i := s.lineIndex(e.ClinicianID); i >= 0 {
			s.Lines = slices.Clone(s.Lines)
			s.Lines[i].Failed, s.Lines[i].FailReason = true, e.Reason
		}
	case Settled:
		s.Status, s.SettledAt = StatusSettled, e.SettledAt
	case Abandoned:
		s.Status = StatusAbandoned
	}
	return s
}

// Decider runs a payout run in the command layer.
var Decider = decider.Decider[State, Command, Event]{
	Initial: func() State { return State{} },
	Decide:  Decide,
	Evolve:  Evolve,
}
