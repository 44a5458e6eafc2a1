// Package attachmenttest is the conformance suite of the attachment-store port: the one
// set of tests every adapter (the in-memory reference, Postgres) must pass unchanged, so
// that the support service relies on the port's promises and not on one adapter's habits.
//
// An adapter's test file is little more than
//
//	func TestConformance(t *testing.T) {
//		attachmenttest.Run(t, func(t *testing.T) attachmenttest.Store { return newTestStore(t) })
//	}
//
// newStore is called once by every sub-test. It may return a fresh store or one shared by
// every sub-test: each sub-test uses ticket and attachment ids of its own
// ("conf<random>-<id>"). Sub-tests run in parallel.
//
// What the port promises, and the suite therefore checks:
//   - Put keeps what Sniff accepts and returns its type, size and SHA-256; Open gives back
//     the same bytes and type. The store keeps its own copy: changing the bytes given to
//     Put, or those Open returned, changes nothing stored.
//   - A retried Put (same ticket, id and content) succeeds with the same Stored, also when
//     retries race; other content or another ticket under a used id is ErrExists, and of
//     racing Puts of different content under one id exactly one wins.
//   - Sniff's refusals (ErrUnsupportedType, ErrTooLarge) and malformed requests
//     (ErrInvalid: ids, class, anonymous reader) keep nothing and log nothing.
//   - Open through another ticket, or of an id never kept, is ErrNotFound; every Open
//     that returns bytes is on the read log, in order, with ticket, reader and time, and
//     no refused Open is.
//   - Destroy makes an id ErrDestroyed for Open and for Put, for good; it is idempotent,
//     accepts an id that never held bytes, and leaves every other attachment readable:
//     the ticket's other identity documents and its other class.
//   - A store that implements AtRest keeps no document's bytes in the clear.
package attachmenttest

import (
	"testing"

	"ledgerdesk/commands/support/attachment"
)

// Store is what the suite tests: the port and its read log.
type Store interface {
	attachment.Store
	attachment.ReadLog
}

// AtRest is implemented by a store under test (usually a test wrapper around the adapter)
// that can show what it holds at rest for an attachment: the suite then checks no
// document is kept in the clear. A store without it skips that check.
type AtRest interface {
	AtRest(t *testing.T, attachmentID string) []byte
}

// NewStore returns the store one sub-test runs against.
type NewStore = func(t *testing.T) Store

type testCase struct {
	name string
	run  func(t *testing.T, f *fixture)
}

// Run runs the whole conformance suite against the adapter that newStore builds.
func Run(t *testing.T, newStore NewStore) {
	t.Helper()
	groups := []struct {
		name  string
		cases []testCase
	}{
		{"Put", putCases},
		{"Refusals", refusalCases},
		{"Open", openCases},
		{"Destroy", destroyCases},
		{"AtRest", atRestCases},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			for _, c := range g.cases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					c.run(t, newFixture(t, newStore))
				})
			}
		})
	}
}
