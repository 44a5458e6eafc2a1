package eventstoretest

import (
	"errors"
	"testing"

	"ledgerdesk/eventstore"
)

var conflictCases = []testCase{
	{"WrongExpectationIsAConflictAndWritesNothing", testWrongExpectation},
	{"AConflictingBatchLeavesNothing", testConflictingBatchIsAtomic},
	{"ABatchFailingOnItsLastEventLeavesNothing", testBatchFailingLateIsAtomic},
}

func testWrongExpectation(t *testing.T, newStore NewStore) {
	cases := []struct {
		name     string
		existing int
		expected eventstore.ExpectedVersion
	}{
		{"NoStreamOnAnExistingStream", 2, eventstore.NoStream()},
		{"ExactlyBehindTheStream", 2, eventstore.Exactly(1)},
		{"ExactlyAheadOfTheStream", 2, eventstore.Exactly(3)},
		{"ExactlyOnAMissingStream", 0, eventstore.Exactly(1)},
		{"ExactlyFarAheadOfTheStream", 1, eventstore.Exactly(1 << 40)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, newStore)
			stream := f.stream("conflict")
			existing := newEvents(1, c.existing)
			if c.existing > 0 {
				f.mustAppend(stream, eventstore.NoStream(), existing...)
			}
			rejected := newEvents(100, 2)

			_, err := f.store.Append(f.ctx, stream, c.expected, rejected...)

			assertConflict(t, err, stream, c.expected, uint64(c.existing))
			f.assertStream(stream, existing)
			f.assertAbsent(rejected...)
			// A failed append leaves no gap: the next right one continues the versions.
			next := newEvent(200)
			if res := f.mustAppend(stream, eventstore.Exactly(uint64(c.existing)), next); res.Version != uint64(c.existing)+1 {
				t.Errorf("append after a conflict: version %d, want %d", res.Version, c.existing+1)
			}
			f.assertStream(stream, append(existing, next))
		})
	}
}

func testConflictingBatchIsAtomic(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	stream := f.stream("batch")
	existing := newEvents(1, 2)
	f.mustAppend(stream, eventstore.NoStream(), existing...)
	batch := newEvents(10, 10)

	_, err := f.store.Append(f.ctx, stream, eventstore.Exactly(1), batch...)

	assertConflict(t, err, stream, eventstore.Exactly(1), 2)
	f.assertStream(stream, existing)
	f.assertAbsent(batch...)
}

func testBatchFailingLateIsAtomic(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore)
	elsewhere := newEvent(1)
	f.mustAppend(f.stream("elsewhere"), eventstore.NoStream(), elsewhere)
	stream := f.stream("batch")
	// Nine good events and a tenth whose id another stream already holds: a store that
	// writes row by row must undo the nine.
	batch := append(newEvents(10, 9), elsewhere)

	_, err := f.store.Append(f.ctx, stream, eventstore.NoStream(), batch...)

	if !errors.Is(err, eventstore.ErrDuplicateEventID) {
		t.Fatalf("append of a batch whose last id is in another stream: error %v, want eventstore.ErrDuplicateEventID", err)
	}
	f.assertStream(stream, nil)
	f.assertAbsent(batch[:9]...)
}
