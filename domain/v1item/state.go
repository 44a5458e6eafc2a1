package v1item

import (
	"slices"
	"time"

	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ledger"
)

// State is one V1 item as its stream tells it.
type State struct {
	imported   bool
	figures    Figures
	ledger     ledger.Ledger
	sourceFile string
	sourceLine int
	tickedOff  bool
	tickedBy   string
	tickedAt   time.Time
	// conflicts are the signatures of the disagreements recorded, so that meeting one
	// again records nothing.
	conflicts []string
}

// Imported reports whether the item exists.
func (s State) Imported() bool { return s.imported }

// Figures are the figures of the first import.
func (s State) Figures() Figures { return s.figures }

// Ledger is the back office the item's work date belongs to, as judged at import.
func (s State) Ledger() ledger.Ledger { return s.ledger }

// ConflictsRecorded is how many import conflicts are on record for the reference.
func (s State) ConflictsRecorded() int { return len(s.conflicts) }

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
		s.imported, s.figures, s.ledger = true, e.Figures(), e.Ledger
		s.sourceFile, s.sourceLine = e.SourceFile, e.SourceLine
	case TickedOff:
		s.tickedOff, s.tickedBy, s.tickedAt = true, e.By, e.At
	case TickOffUndone:
		s.tickedOff, s.tickedBy, s.tickedAt = false, "", time.Time{}
	case ImportConflictRecorded:
		// Clip so that states folded from a shared prefix never write into each other.
		s.conflicts = append(slices.Clip(s.conflicts), conflictSignature(e.Reference, e.Variants))
	}
	return s
}

// Decider bundles a V1 item's functions for the command layer.
var Decider = decider.Decider[State, Command, Event]{
	Initial: func() State { return State{} },
	Decide:  Decide,
	Evolve:  Evolve,
}
