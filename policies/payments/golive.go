package payments

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"ledgerdesk/commands"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/ledger"
)

// ErrGoLiveUnknown says no go-live date is in the history yet, so no earning can be told
// V1 from V2. The event that needed it is retried (and parked if it stays unknown): guessing
// would put the earning in the wrong ledger for ever.
var ErrGoLiveUnknown = errors.New("payments: no go-live date has been recorded in the cutover stream")

// goLive reads the go-live date from the cutover stream. Once the cutover has happened the
// date can never move, so it is kept; before that it is read every time, because it may
// still be rescheduled.
type goLive struct {
	mu    sync.Mutex
	fixed ledger.Date
}

func (g *goLive) get(ctx context.Context, deps commands.Deps) (ledger.Date, error) {
	g.mu.Lock()
	fixed := g.fixed
	g.mu.Unlock()
	if !fixed.IsZero() {
		return fixed, nil
	}
	s, _, err := commands.Load(ctx, deps, cutover.Decider, cutover.StreamID)
	if err != nil {
		return ledger.Date{}, fmt.Errorf("reading the go-live date: %w", err)
	}
	d, ok := s.GoLive()
	if !ok {
		return ledger.Date{}, ErrGoLiveUnknown
	}
	if s.CutoverHappened() {
		g.mu.Lock()
		g.fixed = d
		g.mu.Unlock()
	}
	return d, nil
}
