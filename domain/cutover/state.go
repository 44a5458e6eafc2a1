package cutover

import (
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ledger"
)

// State is the go-live date as the stream currently holds it.
type State struct {
	goLive    ledger.Date
	scheduled bool
	cutover   bool
}

// GoLive is the scheduled go-live date; false when none has been scheduled.
func (s State) GoLive() (ledger.Date, bool) { return s.goLive, s.scheduled }

// CutoverHappened reports whether the cutover has been recorded.
func (s State) CutoverHappened() bool { return s.cutover }

// PassedAt reports whether go-live day has begun in Europe/London at instant t.
func (s State) PassedAt(t time.Time) bool { return s.scheduled && hasBegun(s.goLive, t) }

// LedgerFor says which back office owns work done on workDate; false when no go-live date
// has been scheduled, because guessing would put the answer in the wrong ledger forever.
func (s State) LedgerFor(workDate ledger.Date) (ledger.Ledger, bool) {
	if !s.scheduled {
		return "", false
	}
	return ledger.For(workDate, s.goLive), true
}

// Evolve folds one event into the state.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case GoLiveScheduled:
		s.goLive, s.scheduled = e.Date, true
	case GoLiveRescheduled:
		s.goLive, s.scheduled = e.To, true
	case CutoverHappened:
		s.goLive, s.scheduled, s.cutover = e.GoLive, true, true
	}
	return s
}

// Decider bundles the cutover stream's functions for the command layer.
var Decider = decider.Decider[State, Command, Event]{
	Initial: func() State { return State{} },
	Decide:  Decide,
	Evolve:  Evolve,
}

// hasBegun is true from midnight at the start of d in London: the first minute of
// go-live day already belongs to V2.
func hasBegun(d ledger.Date, t time.Time) bool { return !t.Before(d.StartInLondon()) }
