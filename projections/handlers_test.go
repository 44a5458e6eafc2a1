package projections_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/domain/decider"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

type ping struct{}

func (ping) EventType() string { return "ping" }

type pong struct{}

func (pong) EventType() string { return "pong" }

type decoder struct{ decoded []string }

func (d *decoder) Decode(_ context.Context, t string, _ json.RawMessage) (decider.Event, error) {
	d.decoded = append(d.decoded, t)
	switch t {
	case "ping":
		return ping{}, nil
	case "pong":
		return pong{}, nil
	}
	return nil, errors.New("cannot decode " + t)
}

type nowriter struct{}

func (nowriter) Exec(string, ...any) {}
func (nowriter) Query(context.Context, string, ...any) (pgx.Rows, error) {
	return nil, errors.New("no")
}
func (nowriter) QueryRow(context.Context, string, ...any) pgx.Row { return nil }

func TestHandlersDecodeOnlyTheirCategoriesAndHandOnlyTheirType(t *testing.T) {
	d := &decoder{}
	var got []string
	h := projections.On(projections.NewHandlers(d), "game", func(_ context.Context, _ projections.Writer, rec eventstore.RecordedEvent, _ ping) error {
		got = append(got, rec.StreamID)
		return nil
	})
	ctx := context.Background()
	for _, rec := range []eventstore.RecordedEvent{
		{StreamID: "game-1", Type: "ping"},
		{StreamID: "game-1", Type: "pong"},  // decoded, not a ping: ignored
		{StreamID: "other-1", Type: "ping"}, // not decoded at all
	} {
		if err := h.Apply(ctx, nowriter{}, rec); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 1 || got[0] != "game-1" || len(d.decoded) != 2 {
		t.Fatalf("handled %v, decoded %v", got, d.decoded)
	}
	if err := h.Apply(ctx, nowriter{}, eventstore.RecordedEvent{StreamID: "game-2", Type: "garbage"}); err == nil {
		t.Fatal("an event of a handled category that does not decode must be an error")
	}
	if err := h.Apply(ctx, nowriter{}, eventstore.RecordedEvent{StreamID: "other-2", Type: "garbage"}); err != nil {
		t.Fatalf("an event of another category must not be decoded: %v", err)
	}
}

func TestHandlersRefuseACategoryHandledTwice(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	h := projections.NewHandlers(&decoder{})
	noop := func(context.Context, projections.Writer, eventstore.RecordedEvent, decider.Event) error { return nil }
	projections.On(h, "game", noop)
	projections.On(h, "game", noop)
}
