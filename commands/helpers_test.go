package commands_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/money"
	"ledgerdesk/eventstore"
	"ledgerdesk/eventstore/memstore"
)

// A counter is the smallest aggregate whose events depend on its state: every Added says
// the total it brought the counter to, so an event decided against a stale state would
// show as a repeated or missing total.

type counterState struct {
	ID    string
	Total int
}

type counterCommand interface{ isCounterCommand() }

// Add adds By (which must be positive); Note is a person's words, hence personal data.
type Add struct {
	CounterID string
	By        int
	Note      string
	OwnerID   string
}

// AddTwice adds 1 in two events.
type AddTwice struct{ CounterID string }

// Look changes nothing.
type Look struct{}

func (Add) isCounterCommand()      {}
func (AddTwice) isCounterCommand() {}
func (Look) isCounterCommand()     {}

type counterEvent interface {
	decider.Event
	isCounterEvent()
}

type Added struct {
	CounterID string       `json:"counter_id"`
	OwnerID   string       `json:"owner_id"`
	By        int          `json:"by"`
	Total     int          `json:"total"`
	Note      string       `json:"note,omitempty" pii:"true"`
	Fee       money.Amount `json:"fee"`
}

func (Added) EventType() string     { return "counter.added.v1" }
func (Added) isCounterEvent()       {}
func (e Added) DataSubject() string { return e.OwnerID }

var errNotPositive = errors.New("the amount to add must be positive")

func decideCounter(s counterState, c counterCommand) ([]counterEvent, error) {
	switch c := c.(type) {
	case Add:
		if c.By <= 0 {
			return nil, fmt.Errorf("%w: field by: got %d", errNotPositive, c.By)
		}
		return []counterEvent{Added{CounterID: c.CounterID, OwnerID: c.OwnerID, By: c.By, Total: s.Total + c.By, Note: c.Note, Fee: money.FromPence(int64(c.By) * 100)}}, nil
	case AddTwice:
		return []counterEvent{
			Added{CounterID: c.CounterID, By: 1, Total: s.Total + 1},
			Added{CounterID: c.CounterID, By: 1, Total: s.Total + 2},
		}, nil
	case Look:
		return nil, nil
	}
	return nil, fmt.Errorf("unknown command %T", c)
}

func evolveCounter(s counterState, e counterEvent) counterState {
	if a, ok := e.(Added); ok {
		s.ID, s.Total = a.CounterID, a.Total
	}
	return s
}

var counter = decider.Decider[counterState, counterCommand, counterEvent]{
	Initial: func() counterState { return counterState{} },
	Decide:  decideCounter,
	Evolve:  evolveCounter,
}

var ctx = context.Background()

func newCodec(t testing.TB, keys codec.KeyStore) *codec.Codec {
	t.Helper()
	events := append([]decider.Event{Added{}}, commands.EventTypes()...)
	c, err := codec.New(keys, events...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func memDeps(t testing.TB, opts ...memstore.Option) (commands.Deps, *memstore.Store) {
	t.Helper()
	store := memstore.New(opts...)
	t.Cleanup(store.Close)
	return commands.Deps{Store: store, Codec: newCodec(t, codec.NewMemoryKeyStore())}, store
}

func meta() commands.Metadata {
	return commands.Metadata{CommandID: commands.NewCommandID(), Actor: "acc-clerk"}
}

func readAll(t testing.TB, store eventstore.Store, stream string) []eventstore.RecordedEvent {
	t.Helper()
	recs, err := store.ReadStream(ctx, stream, 1, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

var t0 = time.Date(2025, 2, 3, 9, 0, 0, 0, time.UTC)
