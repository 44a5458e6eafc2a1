package commands_test

import (
	"errors"
	"math/rand/v2"
	"sync"
	"testing"

	"ledgerdesk/codec"

	"github.com/google/uuid"

	"ledgerdesk/commands"
)

// Over random bursts of concurrent commands, some of them retries of earlier ones and some
// rejected: every accepted command id is in the stream exactly once, no rejected one is,
// and the counter's total is the sum of the accepted commands.
func TestEveryAcceptedCommandIsInTheStreamExactlyOnce(t *testing.T) {
	seed := uint64(20250203)
	rng := rand.New(rand.NewPCG(seed, seed))
	defer func() {
		if t.Failed() {
			t.Logf("seed %d", seed)
		}
	}()
	deps, store := memDeps(t)

	type sent struct {
		meta commands.Metadata
		cmd  Add
	}
	var history []sent
	accepted := map[uuid.UUID]int{}
	rejected := map[uuid.UUID]bool{}
	var mu sync.Mutex

	for range 60 {
		burst := make([]sent, 1+rng.IntN(4))
		for i := range burst {
			if len(history) > 0 && rng.IntN(3) == 0 {
				burst[i] = history[rng.IntN(len(history))] // a retry
			} else {
				burst[i] = sent{meta: meta(), cmd: Add{CounterID: "1", By: rng.IntN(8) - 2}}
				history = append(history, burst[i])
			}
		}
		var wg sync.WaitGroup
		for _, s := range burst {
			wg.Go(func() {
				_, err := commands.Execute(ctx, deps, counter, "counter-1", counterCommand(s.cmd), s.meta)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					accepted[s.meta.CommandID] = s.cmd.By
				case errors.Is(err, errNotPositive):
					rejected[s.meta.CommandID] = true
				default:
					t.Errorf("command %s: %v", s.meta.CommandID, err)
				}
			})
		}
		wg.Wait()
	}

	inStream := map[uuid.UUID]int{}
	for _, r := range readAll(t, store, "counter-1") {
		m, err := codec.ParseMetadata(r.Metadata)
		if err != nil {
			t.Fatal(err)
		}
		inStream[m.CommandID]++
	}
	want := 0
	for id, by := range accepted {
		want += by
		if inStream[id] != 1 {
			t.Errorf("accepted command %s is in the stream %d times", id, inStream[id])
		}
	}
	for id := range rejected {
		if inStream[id] != 0 {
			t.Errorf("rejected command %s is in the stream", id)
		}
	}
	if len(inStream) != len(accepted) {
		t.Errorf("%d command ids in the stream, %d accepted", len(inStream), len(accepted))
	}
	s, _, err := commands.Load(ctx, deps, counter, "counter-1")
	if err != nil || s.Total != want {
		t.Fatalf("total %d (%v), want %d", s.Total, err, want)
	}
}
