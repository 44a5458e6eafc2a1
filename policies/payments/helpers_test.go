package payments_test

import (
	"testing"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/payout"
	"ledgerdesk/eventstore"
	"ledgerdesk/policies/payments/paymentstest"
)

var (
	goLive = ledger.Date{Year: 2025, Month: time.February, Day: 3}
	feb10  = time.Date(2025, time.February, 10, 10, 0, 0, 0, time.UTC)
	jan20  = time.Date(2025, time.January, 20, 10, 0, 0, 0, time.UTC)
)

// newHarness is a payments system with go-live recorded and two clinicians.
func newHarness(t *testing.T) *paymentstest.Harness {
	t.Helper()
	h := paymentstest.New(t)
	h.GoLive(goLive)
	return h
}

// recorded reads one stored event.
func recorded(t *testing.T, h *paymentstest.Harness, stream string, version uint64) eventstore.RecordedEvent {
	t.Helper()
	recs, err := h.Store.ReadStream(h.Ctx, stream, version, 1)
	if err != nil || len(recs) != 1 {
		t.Fatalf("reading %s@%d: %v (%d events)", stream, version, err, len(recs))
	}
	return recs[0]
}

// countEvents is the number of events in the store.
func countEvents(t *testing.T, h *paymentstest.Harness) int64 {
	t.Helper()
	n, err := h.Store.CountAfter(h.Ctx, eventstore.Start)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func loadInvoice(h *paymentstest.Harness, id string) (invoice.State, uint64, error) {
	return commands.Load(h.Ctx, h.Deps, invoice.Decider, invoice.StreamID(id))
}

func payoutState(t *testing.T, h *paymentstest.Harness, id string) payout.State {
	t.Helper()
	s, _, err := commands.Load(h.Ctx, h.Deps, payout.Decider, payout.StreamID(id))
	h.Must(err)
	return s
}
