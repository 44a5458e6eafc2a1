package eventcopy_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/eventstore"
	"ledgerdesk/eventstore/eventcopy"
)

func newStore(t *testing.T) *postgres.Store {
	return postgres.New(pgtest.NewPool(t), postgres.Config{})
}

// seed writes interleaved streams so the global order differs from any stream's order, and
// waits until a reader can see all of it: readers see only what is older than every open
// transaction on the server, and other tests' transactions come and go.
func seed(t *testing.T, s eventstore.Store, streams, rounds int) {
	t.Helper()
	want := 0
	for r := 0; r < rounds; r++ {
		for i := 0; i < streams; i++ {
			want += 1 + (r+i)%3
		}
	}
	write(t, s, streams, rounds)
	deadline := time.Now().Add(30 * time.Second)
	for len(readOnce(t, s)) < want {
		if time.Now().After(deadline) {
			t.Fatalf("seeded events never all became readable")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func write(t *testing.T, s eventstore.Store, streams, rounds int) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	for r := 0; r < rounds; r++ {
		for i := 0; i < streams; i++ {
			n := 1 + (r+i)%3 // batches of 1 to 3 events
			evs := make([]eventstore.EventData, n)
			for j := range evs {
				at = at.Add(time.Minute)
				evs[j] = eventstore.EventData{ID: uuid.Must(uuid.NewV7()), Type: "test.happened.v1",
					Data: json.RawMessage(fmt.Sprintf(`{"round":%d,"i":%d}`, r, j)), Metadata: json.RawMessage(`{"actor":"seed"}`), RecordedAt: at}
			}
			if _, err := s.Append(ctx, fmt.Sprintf("thing-%d", i), eventstore.Any(), evs...); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// readAtLeast reads the whole global order once it holds at least n events. A reader sees
// only what is older than every transaction still running on the server (other tests'
// included), so what it sees can lag for a moment; it never goes backwards.
func readAtLeast(t *testing.T, s eventstore.Store, n int) []eventstore.RecordedEvent {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		all := readOnce(t, s)
		if len(all) >= n || time.Now().After(deadline) {
			return all
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func readOnce(t *testing.T, s eventstore.Store) []eventstore.RecordedEvent {
	t.Helper()
	var all []eventstore.RecordedEvent
	from := eventstore.Start
	for {
		b, err := s.ReadAll(context.Background(), from, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 {
			return all
		}
		all = append(all, b...)
		from = b[len(b)-1].Position
	}
}

func assertSameHistory(t *testing.T, src, dst []eventstore.RecordedEvent) {
	t.Helper()
	if len(src) != len(dst) {
		t.Fatalf("target has %d events, source %d", len(dst), len(src))
	}
	for i := range src {
		a, b := src[i], dst[i]
		if a.ID != b.ID || a.StreamID != b.StreamID || a.Version != b.Version || a.Type != b.Type ||
			string(a.Data) != string(b.Data) || string(a.Metadata) != string(b.Metadata) || !a.RecordedAt.Equal(b.RecordedAt) {
			t.Fatalf("event %d differs:\n source %+v\n target %+v", i, a, b)
		}
	}
}

func TestCopyKeepsOrderIdsVersionsAndTimestamps(t *testing.T) {
	t.Parallel()
	src, dst := newStore(t), newStore(t)
	seed(t, src, 7, 20)
	cp := eventcopy.FileCheckpoint{Path: filepath.Join(t.TempDir(), "copy.pos")}
	res, err := eventcopy.Copy(context.Background(), src, dst, cp, eventcopy.Options{BatchSize: 13})
	if err != nil {
		t.Fatal(err)
	}
	want := readOnce(t, src) // seed waited until all of it was readable
	if res.Copied != int64(len(want)) {
		t.Fatalf("copied %d, want %d", res.Copied, len(want))
	}
	assertSameHistory(t, want, readAtLeast(t, dst, len(want)))
}

func TestCopyingAgainFromScratchAddsNothing(t *testing.T) {
	t.Parallel()
	src, dst := newStore(t), newStore(t)
	seed(t, src, 5, 10)
	dir := t.TempDir()
	if _, err := eventcopy.Copy(context.Background(), src, dst, eventcopy.FileCheckpoint{Path: filepath.Join(dir, "a")}, eventcopy.Options{}); err != nil {
		t.Fatal(err)
	}
	// A fresh checkpoint: every event is sent again and must be recognised, not duplicated.
	if _, err := eventcopy.Copy(context.Background(), src, dst, eventcopy.FileCheckpoint{Path: filepath.Join(dir, "b")}, eventcopy.Options{}); err != nil {
		t.Fatal(err)
	}
	want := readOnce(t, src)
	assertSameHistory(t, want, readAtLeast(t, dst, len(want)+1)) // +1: wait out any duplicate too
}

// failingCheckpoint interrupts the copy after a number of saved batches, as a crash would
// between appending a batch and recording it (the worst moment).
type failingCheckpoint struct {
	eventcopy.FileCheckpoint
	saves, failAt int
}

var errCrash = errors.New("simulated crash")

func (f *failingCheckpoint) Save(ctx context.Context, p eventstore.Position) error {
	f.saves++
	if f.saves == f.failAt {
		return errCrash
	}
	return f.FileCheckpoint.Save(ctx, p)
}

func TestAnInterruptedCopyResumesWithoutLossOrDuplicates(t *testing.T) {
	t.Parallel()
	src, dst := newStore(t), newStore(t)
	seed(t, src, 6, 15)
	path := filepath.Join(t.TempDir(), "copy.pos")
	crashing := &failingCheckpoint{FileCheckpoint: eventcopy.FileCheckpoint{Path: path}, failAt: 3}
	if _, err := eventcopy.Copy(context.Background(), src, dst, crashing, eventcopy.Options{BatchSize: 10}); !errors.Is(err, errCrash) {
		t.Fatalf("want the simulated crash, got %v", err)
	}
	partial := readAtLeast(t, dst, 1)
	if len(partial) == 0 || len(partial) >= len(readOnce(t, src)) {
		t.Fatalf("the interruption should leave a partial copy, target has %d", len(partial))
	}
	if _, err := eventcopy.Copy(context.Background(), src, dst, eventcopy.FileCheckpoint{Path: path}, eventcopy.Options{BatchSize: 10}); err != nil {
		t.Fatal(err)
	}
	want := readOnce(t, src)
	assertSameHistory(t, want, readAtLeast(t, dst, len(want)))
}

func TestCopyIntoAStoreWithOtherHistoryIsRefused(t *testing.T) {
	t.Parallel()
	src, dst := newStore(t), newStore(t)
	seed(t, src, 2, 2)
	seed(t, dst, 2, 1) // same stream names, different events
	_, err := eventcopy.Copy(context.Background(), src, dst, eventcopy.FileCheckpoint{Path: filepath.Join(t.TempDir(), "p")}, eventcopy.Options{})
	if err == nil {
		t.Fatal("copying over a different history succeeded")
	}
}
