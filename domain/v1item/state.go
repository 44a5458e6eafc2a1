package v1item

import (
	"time"

	"ledgerdesk/domain/decider"
)

// State is one V1 item as its stream tells it.
type State struct {
	imported   bool
	figures    Figures
	sourceFile string
	sourceLine int
	tickedOff  bool
	tickedBy   string
	tickedAt   time.Time
}

// Imported reports whether the item exists.
func (s State) Imported() bool { return s.imported }

// Figures are the figures of the first import.
func (s State) Figures() Figures { return s.figures }

// SettledInV1 reports an item V1 had already paid when it was exported.
func (s State) SettledInV1() bool { return s.imported && s.figures.Status == StatusPaid }

// TickedOff reports a current tick, with who made it and when.
func (s State) TickedOff() (by string, at time.Time, ok bool) {
	return s.tickedBy, s.tickedAt, s.tickedOff
}

// Outstanding reports an imported item that nobody has settled yet.
func (s State) Outstanding() bool { return s.imported && !s.SettledInV1() && !s.tickedOff }

// Evolve folds one event into the state.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case V1ItemImported:
		s.imported, s.figures = true, e.Figures()
		s.sourceFile, s.sourceLine = e.SourceFile, e.SourceLine
	case TickedOff:
		s.tickedOff, s.tickedBy, s.tickedAt = true, e.By, e.At
	case TickOffUndone:
		s.tickedOff, s.tickedBy, s.tickedAt = false, "", time.Time{}
	}
	return s
}

// Decider bundles a V1 item's functions for the command layer.
var Decider = decider.Decider[State, Command, Event]{
	Initial: func() State { return State{} },
	Decide:  Decide,
	Evolve:  Evolve,
}
