// Package decidertest writes an aggregate's rules as given events / when command / then
// events or error, with no database, clock or mock in sight.
package decidertest

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// Spec is one rule under test.
type Spec[S, C, E any] struct {
	decide  func(S, C) ([]E, error)
	evolve  func(S, E) S
	initial S
	given   []E
	when    *C
}

// For starts a spec for the aggregate whose initial state is the zero value of S.
func For[S, C, E any](decide func(S, C) ([]E, error), evolve func(S, E) S) *Spec[S, C, E] {
	return &Spec[S, C, E]{decide: decide, evolve: evolve}
}

// From overrides the initial state, for aggregates whose zero value is not their start.
func (s *Spec[S, C, E]) From(initial S) *Spec[S, C, E] { s.initial = initial; return s }

// Given is the history before the command.
func (s *Spec[S, C, E]) Given(events ...E) *Spec[S, C, E] { s.given = events; return s }

// When is the command under test.
func (s *Spec[S, C, E]) When(c C) *Spec[S, C, E] { s.when = &c; return s }

func (s *Spec[S, C, E]) run() ([]E, error) {
	if s.when == nil {
		panic("decidertest: When was not called")
	}
	state := s.initial
	for _, e := range s.given {
		state = s.evolve(state, e)
	}
	return s.decide(state, *s.when)
}

// Then asserts the command succeeds with exactly these events, in order.
func (s *Spec[S, C, E]) Then(t testing.TB, want ...E) {
	t.Helper()
	got, err := s.run()
	if err != nil {
		t.Fatalf("when %T: unexpected error: %v", *s.when, err)
	}
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("when %T:\n got events:  %s\n want events: %s", *s.when, describe(got), describe(want))
	}
}

// ThenError asserts the command is rejected with an error matching want (errors.Is), and
// that it produced no events alongside the error.
func (s *Spec[S, C, E]) ThenError(t testing.TB, want error) {
	t.Helper()
	got, err := s.run()
	if err == nil {
		t.Fatalf("when %T: want error %v, got events %s", *s.when, want, describe(got))
	}
	if !errors.Is(err, want) {
		t.Fatalf("when %T: want error %v, got %v", *s.when, want, err)
	}
	if len(got) != 0 {
		t.Fatalf("when %T: rejected with %v but also produced %s", *s.when, err, describe(got))
	}
}

// ThenState asserts the command succeeds and checks the state after its events are applied.
func (s *Spec[S, C, E]) ThenState(t testing.TB, check func(t testing.TB, state S)) {
	t.Helper()
	got, err := s.run()
	if err != nil {
		t.Fatalf("when %T: unexpected error: %v", *s.when, err)
	}
	state := s.initial
	for _, e := range append(append([]E{}, s.given...), got...) {
		state = s.evolve(state, e)
	}
	check(t, state)
}

func describe[E any](events []E) string {
	if len(events) == 0 {
		return "(none)"
	}
	out := ""
	for i, e := range events {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%T%+v", e, e)
	}
	return out
}
