// Package eventstoretest is the conformance suite of the eventstore port: the one set of
// tests that every adapter (the in-memory reference, Postgres, EventStoreDB/KurrentDB)
// must pass unchanged, so that the command layer and the projections can rely on the
// port's promises and not on one adapter's habits.
//
// An adapter's test file is little more than
//
//	func TestPostgresStore(t *testing.T) {
//		eventstoretest.Run(t, func(t *testing.T) eventstore.Store { return newTestStore(t) })
//	}
//
// newStore is called once by every sub-test and must return a fresh, isolated store,
// registering its own cleanup with t.Cleanup; the suite never calls Close. Sub-tests run
// in parallel. Each uses stream names of its own ("conf<random>-<id>"), and every
// assertion on the global order (ReadAll, Subscribe) looks only at those streams, so the
// suite also tolerates a store shared with other tests. Every wait has a deadline, so a
// broken adapter fails instead of hanging.
//
// What the port requires, beyond its doc comments, and what the suite therefore checks:
//   - Versions start at 1 and are contiguous; Exactly(0) is NoStream; Any creates a stream.
//   - A mismatched expectation is a *eventstore.ConflictError naming the stream, the
//     expectation as given and the stream's actual version (at least 1 when the stream
//     exists), and writes nothing.
//   - A batch is atomic: on any error none of its events is stored.
//   - Idempotency: the same events (same ids, same type and data, in the same order)
//     appended again to the same stream with the same expectation, or with Any, return
//     the first append's result, even after the stream has moved on, and store nothing.
//     An id already stored in a different stream is eventstore.ErrDuplicateEventID. An id
//     reused in the same stream with a different type or data, or a batch that repeats
//     only part of an earlier one, is refused with ErrDuplicateEventID or ErrConflict
//     (either is acceptable) and stores nothing. Metadata is not compared.
//   - Invalid appends (eventstore.ValidateAppend's cases) wrap eventstore.ErrInvalidAppend.
//   - Data and metadata are compared as JSON values (a store may normalise spacing and
//     key order); an empty or null metadata reads back as empty or null.
//   - RecordedAt is stamped by the store, or kept to the microsecond when given.
//   - ReadAll and Subscribe deliver strictly increasing positions, an append's events
//     together and in order, and a tailing reader (ReadAll paging or Subscribe) misses
//     nothing appended concurrently. Subscribe resumes from the last position handled
//     with nothing lost or repeated, stops with the handler's error, and returns ctx's
//     error once ctx ends.
package eventstoretest

import (
	"testing"

	"ledgerdesk/eventstore"
)

// NewStore returns a fresh, isolated store for one sub-test and registers its cleanup.
type NewStore = func(t *testing.T) eventstore.Store

type testCase struct {
	name string
	run  func(t *testing.T, newStore NewStore)
}

// Run runs the whole conformance suite against the adapter that newStore builds.
func Run(t *testing.T, newStore func(t *testing.T) eventstore.Store) {
	t.Helper()
	groups := []struct {
		name  string
		cases []testCase
	}{
		{"Append", appendCases},
		{"Conflict", conflictCases},
		{"Concurrency", concurrencyCases},
		{"Idempotency", idempotencyCases},
		{"Invalid", invalidCases},
		{"ReadStream", readStreamCases},
		{"ReadAll", readAllCases},
		{"Subscribe", subscribeCases},
		{"Volume", volumeCases},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			for _, c := range g.cases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					c.run(t, newStore)
				})
			}
		})
	}
}
