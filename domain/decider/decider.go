// Package decider holds what every aggregate shares: the shape of an event and of a decider.
//
// An aggregate is two pure functions. Decide turns the current state and a command into new
// events or a rejection; Evolve folds one event into the state. Neither does I/O or reads a
// clock: time arrives inside the command, so the same history and command always give the
// same answer, which is what lets auditors replay and tests read as given/when/then.
package decider

// Event is a domain fact. EventType names it in the event store, with a schema version
// suffix ("appointment.completed.v1") so that an old event is never read as a new shape.
type Event interface {
	EventType() string
}

// Decider bundles an aggregate's functions so the command layer can run any of them.
type Decider[S any, C any, E Event] struct {
	// Initial is the state of an aggregate with no events.
	Initial func() S
	Decide  func(S, C) ([]E, error)
	Evolve  func(S, E) S
}

// Fold applies events to the initial state.
func (d Decider[S, C, E]) Fold(events []E) S {
	s := d.Initial()
	for _, e := range events {
		s = d.Evolve(s, e)
	}
	return s
}
