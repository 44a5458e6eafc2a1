package memstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/eventstore"
	"ledgerdesk/eventstore/memstore"
)

func event(data string) eventstore.EventData {
	return eventstore.EventData{ID: uuid.Must(uuid.NewV7()), Type: "test.happened.v1", Data: json.RawMessage(data)}
}

func TestRecordedAtComesFromTheInjectedClockToTheMicrosecond(t *testing.T) {
	now := time.Date(2025, time.February, 3, 10, 0, 0, 123456789, time.UTC)
	s := memstore.New(memstore.WithClock(func() time.Time { return now }))
	if _, err := s.Append(t.Context(), "clock-1", eventstore.NoStream(), event(`{}`)); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReadStream(t.Context(), "clock-1", 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Truncate(time.Microsecond); !got[0].RecordedAt.Equal(want) {
		t.Errorf("recorded at %v, want %v", got[0].RecordedAt, want)
	}
}

func TestPositionsAreTheAppendSequence(t *testing.T) {
	s := memstore.New()
	if _, err := s.Append(t.Context(), "seq-1", eventstore.NoStream(), event(`1`), event(`2`)); err != nil {
		t.Fatal(err)
	}
	res, err := s.Append(t.Context(), "seq-2", eventstore.NoStream(), event(`3`))
	if err != nil {
		t.Fatal(err)
	}
	if want := (eventstore.Position{Commit: 3, Prepare: 3}); res.Position != want {
		t.Errorf("third event at %s, want %s", res.Position, want)
	}
}

func TestPayloadsThatAreNotJSONAreInvalid(t *testing.T) {
	cases := map[string]eventstore.EventData{
		"data":     event(`{"n": `),
		"metadata": {ID: uuid.New(), Type: "t.v1", Data: json.RawMessage(`{}`), Metadata: json.RawMessage(`nope`)},
	}
	for name, ev := range cases {
		t.Run(name, func(t *testing.T) {
			s := memstore.New()
			_, err := s.Append(t.Context(), "json-1", eventstore.Any(), ev)
			if !errors.Is(err, eventstore.ErrInvalidAppend) {
				t.Errorf("error %v, want ErrInvalidAppend", err)
			}
			if got, _ := s.ReadAll(t.Context(), eventstore.Start, 10); len(got) != 0 {
				t.Errorf("%d events stored", len(got))
			}
		})
	}
}

func TestAReadWithoutAPositiveLimitIsRefused(t *testing.T) {
	s := memstore.New()
	for _, limit := range []int{0, -1} {
		if _, err := s.ReadStream(t.Context(), "x-1", 1, limit); err == nil {
			t.Errorf("read stream with limit %d: no error", limit)
		}
		if _, err := s.ReadAll(t.Context(), eventstore.Start, limit); err == nil {
			t.Errorf("read all with limit %d: no error", limit)
		}
	}
}

func TestACancelledContextIsReturnedBeforeAnyWork(t *testing.T) {
	s := memstore.New()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Append(ctx, "ctx-1", eventstore.Any(), event(`{}`)); !errors.Is(err, context.Canceled) {
		t.Errorf("append: %v, want context.Canceled", err)
	}
	if _, err := s.ReadStream(ctx, "ctx-1", 1, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("read stream: %v, want context.Canceled", err)
	}
	if _, err := s.ReadAll(ctx, eventstore.Start, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("read all: %v, want context.Canceled", err)
	}
	if got, _ := s.ReadAll(t.Context(), eventstore.Start, 10); len(got) != 0 {
		t.Errorf("%d events stored by a cancelled append", len(got))
	}
}

func TestCloseWakesSubscribersAndRefusesFurtherCalls(t *testing.T) {
	s := memstore.New()
	done := make(chan error, 1)
	go func() {
		done <- s.Subscribe(t.Context(), eventstore.Start, func(context.Context, []eventstore.RecordedEvent) error { return nil })
	}()
	time.Sleep(20 * time.Millisecond)
	s.Close()
	s.Close() // closing twice is harmless

	select {
	case err := <-done:
		if !errors.Is(err, memstore.ErrClosed) {
			t.Errorf("subscribe returned %v, want ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not wake the subscriber")
	}
	if _, err := s.Append(t.Context(), "closed-1", eventstore.Any(), event(`{}`)); !errors.Is(err, memstore.ErrClosed) {
		t.Errorf("append after close: %v, want ErrClosed", err)
	}
	if _, err := s.ReadStream(t.Context(), "closed-1", 1, 1); !errors.Is(err, memstore.ErrClosed) {
		t.Errorf("read stream after close: %v, want ErrClosed", err)
	}
	if _, err := s.ReadAll(t.Context(), eventstore.Start, 1); !errors.Is(err, memstore.ErrClosed) {
		t.Errorf("read all after close: %v, want ErrClosed", err)
	}
}

func TestAHandlerMayAppendWithoutDeadlock(t *testing.T) {
	s := memstore.New()
	if _, err := s.Append(t.Context(), "policy-1", eventstore.NoStream(), event(`{}`)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	errDone := errors.New("done")
	err := s.Subscribe(ctx, eventstore.Start, func(ctx context.Context, batch []eventstore.RecordedEvent) error {
		if batch[0].StreamID == "reaction-1" {
			return errDone
		}
		_, err := s.Append(ctx, "reaction-1", eventstore.NoStream(), event(`{}`))
		return err
	})
	if !errors.Is(err, errDone) {
		t.Errorf("subscribe returned %v, want the handler to see its own append", err)
	}
}

// FuzzAppendNeverPanicsAndKeepsItsWord appends arbitrary input: the store either refuses it
// as invalid or stores it, and what it stores reads back as appended.
func FuzzAppendNeverPanicsAndKeepsItsWord(f *testing.F) {
	f.Add("order-1", "order.placed.v1", []byte(`{"n":1}`), []byte(`{"actor":"x"}`), true)
	f.Add("", "t.v1", []byte(`{}`), []byte(nil), false)
	f.Add("$all", "t.v1", []byte(`{}`), []byte(nil), false)
	f.Add("a-1", "", []byte(`{}`), []byte(nil), false)
	f.Add("a-1", "t.v1", []byte(`{`), []byte(nil), false)
	f.Add("a-1", "t.v1", []byte(``), []byte(`null`), true)
	f.Fuzz(func(t *testing.T, stream, typ string, data, meta []byte, twice bool) {
		s := memstore.New()
		ev := eventstore.EventData{ID: uuid.New(), Type: typ, Data: data, Metadata: meta}
		res, err := s.Append(t.Context(), stream, eventstore.NoStream(), ev)
		if err != nil {
			if !errors.Is(err, eventstore.ErrInvalidAppend) {
				t.Fatalf("append refused with %v, want ErrInvalidAppend or success", err)
			}
			if got, _ := s.ReadAll(t.Context(), eventstore.Start, 10); len(got) != 0 {
				t.Fatalf("refused append stored %d events", len(got))
			}
			return
		}
		if twice {
			again, err := s.Append(t.Context(), stream, eventstore.NoStream(), ev)
			if err != nil || again != res {
				t.Fatalf("retry: %v, %+v; want %+v", err, again, res)
			}
		}
		got, err := s.ReadStream(t.Context(), stream, 1, 10)
		if err != nil || len(got) != 1 {
			t.Fatalf("read back: %d events, %v", len(got), err)
		}
		if got[0].ID != ev.ID || got[0].Type != typ || string(got[0].Data) != string(data) || string(got[0].Metadata) != string(meta) {
			t.Fatalf("read back %+v, appended %+v", got[0], ev)
		}
	})
}
