package commands_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/commands"
	"ledgerdesk/eventstore"
	"ledgerdesk/eventstore/memstore"
)

func TestLoadFoldsStreamsLongerThanOnePage(t *testing.T) {
	deps, store := memDeps(t)
	const n = 1300 // more than two pages of reads
	batch := make([]eventstore.EventData, 0, 100)
	for i := 1; i <= n; i++ {
		batch = append(batch, eventstore.EventData{
			ID: uuid.Must(uuid.NewV7()), Type: "counter.added.v1",
			Data: fmt.Appendf(nil, `{"counter_id":"1","by":1,"total":%d,"fee":"1.00"}`, i),
		})
		if len(batch) == cap(batch) {
			if _, err := store.Append(ctx, "counter-1", eventstore.Any(), batch...); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	s, v, err := commands.Load(ctx, deps, counter, "counter-1")
	if err != nil || s.Total != n || v != n {
		t.Fatalf("state %+v at version %d (%v), want total and version %d", s, v, err, n)
	}
	res, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: 1}), meta())
	if err != nil || res.Version != n+1 || res.Events[0].(Added).Total != n+1 {
		t.Fatalf("command on a long stream: %+v, %v", res, err)
	}
}

func TestLoadOfAnEmptyStreamIsTheInitialState(t *testing.T) {
	deps, _ := memDeps(t)
	s, v, err := commands.Load(ctx, deps, counter, "counter-none")
	if err != nil || s != (counterState{}) || v != 0 {
		t.Fatalf("got %+v at %d, %v", s, v, err)
	}
}

func TestLoadAsOfSeesOnlyWhatWasRecordedByThen(t *testing.T) {
	now := t0
	deps, _ := memDeps(t, memstore.WithClock(func() time.Time { return now }))
	for _, by := range []int{1, 10, 100} {
		if _, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(Add{CounterID: "1", By: by}), meta()); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
	}
	cases := []struct {
		at      time.Time
		total   int
		version uint64
	}{
		{t0.Add(-time.Second), 0, 0},
		{t0, 1, 1},
		{t0.Add(90 * time.Minute), 11, 2},
		{t0.Add(2 * time.Hour), 111, 3},
		{t0.Add(48 * time.Hour), 111, 3},
	}
	for _, tc := range cases {
		s, v, err := commands.LoadAsOf(ctx, deps, counter, "counter-1", tc.at)
		if err != nil || s.Total != tc.total || v != tc.version {
			t.Errorf("as of %s: total %d at version %d (%v), want %d at %d", tc.at, s.Total, v, err, tc.total, tc.version)
		}
	}
}
