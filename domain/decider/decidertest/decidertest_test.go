package decidertest

import (
	"errors"
	"testing"
)

type counterEvent struct{ By int }

var errTooBig = errors.New("too big")

func decide(total int, add int) ([]counterEvent, error) {
	if total+add > 10 {
		return nil, errTooBig
	}
	return []counterEvent{{By: add}}, nil
}

func evolve(total int, e counterEvent) int { return total + e.By }

func TestGivenWhenThen(t *testing.T) {
	For(decide, evolve).Given(counterEvent{5}).When(3).Then(t, counterEvent{3})
	For(decide, evolve).Given(counterEvent{5}, counterEvent{5}).When(1).ThenError(t, errTooBig)
	For(decide, evolve).Given(counterEvent{2}).When(3).ThenState(t, func(t testing.TB, s int) {
		if s != 5 {
			t.Fatalf("state = %d", s)
		}
	})
}

// The helpers must fail when the aggregate misbehaves, or every aggregate test is hollow.
func TestHelpersFailOnMismatch(t *testing.T) {
	for name, run := range map[string]func(tb testing.TB){
		"wrong events":       func(tb testing.TB) { For(decide, evolve).When(3).Then(tb, counterEvent{4}) },
		"error not expected": func(tb testing.TB) { For(decide, evolve).When(11).Then(tb, counterEvent{11}) },
		"error expected":     func(tb testing.TB) { For(decide, evolve).When(1).ThenError(tb, errTooBig) },
	} {
		rec := &recorder{TB: t}
		func() {
			defer func() { _ = recover() }()
			run(rec)
		}()
		if !rec.failed {
			t.Errorf("%s: the helper did not fail", name)
		}
	}
}

type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Fatalf(string, ...any) { r.failed = true; panic("fatal") }
func (r *recorder) Errorf(string, ...any) { r.failed = true }
