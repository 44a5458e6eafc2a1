package projector_test

import (
	"context"
	"testing"

	"ledgerdesk/projector"
)

func TestEveryEventIsAppliedExactlyOnceWithItsCheckpoint(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := &counting{name: "counting"}
	before := appendEvents(t, e.store, 20, 50, "test.ok")
	startRunner(t, e, p)
	after := appendEvents(t, e.store, 20, 50, "test.ok") // while it runs
	all := append(before, after...)
	waitFor(t, "every event applied", func() (bool, error) {
		rows, _, err := countApplied(ctx, e.pool, "proj_counting")
		return rows == int64(len(all)), err
	})
	assertAppliedExactlyOnce(t, e.pool, "proj_counting", all)
	st, err := projector.StatusOf(ctx, e.pool, e.store, []string{"counting"})
	if err != nil {
		t.Fatal(err)
	}
	if st[0].EventsSeen != int64(len(all)) || st[0].Lag != 0 {
		t.Fatalf("status = %+v, want %d events seen and no lag", st[0], len(all))
	}
}

func TestAFailingEventIsParkedWithoutHoldingUpOthers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sick := &counting{name: "sick"}
	sick.failing.Store(true)
	healthy := &counting{name: "healthy"}
	startRunner(t, e, sick, healthy)
	good1 := appendEvents(t, e.store, 1, 10, "test.ok")
	poison := appendEvents(t, e.store, 1, 1, "test.poison")
	badSQL := appendEvents(t, e.store, 1, 1, "test.badsql")
	good2 := appendEvents(t, e.store, 1, 10, "test.ok")
	everything := append(append(append(good1, poison...), badSQL...), good2...)

	waitFor(t, "the healthy projection to apply everything", func() (bool, error) {
		rows, _, err := countApplied(ctx, e.pool, "proj_healthy")
		return rows == int64(len(everything)), err
	})
	assertAppliedExactlyOnce(t, e.pool, "proj_healthy", everything)
	waitFor(t, "the sick projection to get past its failures", func() (bool, error) {
		rows, _, err := countApplied(ctx, e.pool, "proj_sick")
		return rows == int64(len(good1)+len(good2)), err
	})
	assertAppliedExactlyOnce(t, e.pool, "proj_sick", append(good1, good2...))

	parked, err := projector.Parked(ctx, e.pool, "sick")
	if err != nil {
		t.Fatal(err)
	}
	if len(parked) != 2 || parked[0].EventID != poison[0] || parked[1].EventID != badSQL[0] || parked[0].Error == "" || parked[1].Error == "" {
		t.Fatalf("parked = %+v, want the poison and the bad-SQL event, each with its error", parked)
	}

	// Once the cause is fixed, a retry applies them and empties the parked list.
	sick.failing.Store(false)
	n, err := projector.RetryParked(ctx, e.pool, e.store, sick)
	if err != nil || n != 2 {
		t.Fatalf("retry applied %d, err %v; want 2", n, err)
	}
	assertAppliedExactlyOnce(t, e.pool, "proj_sick", everything)
	if parked, _ := projector.Parked(ctx, e.pool, "sick"); len(parked) != 0 {
		t.Fatalf("still parked after a successful retry: %+v", parked)
	}
}

func TestRebuildSwapsInFreshTablesAndTheLiveProjectorCarriesOn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := &counting{name: "rebuilt"}
	first := appendEvents(t, e.store, 5, 40, "test.ok")
	startRunner(t, e, p)
	waitFor(t, "catch-up", func() (bool, error) {
		rows, _, err := countApplied(ctx, e.pool, "proj_rebuilt")
		return rows == int64(len(first)), err
	})
	// Damage the live read model, as a bug would.
	if _, err := e.pool.Exec(ctx, `DELETE FROM proj_rebuilt.applied WHERE stream IN (SELECT stream FROM proj_rebuilt.applied LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	var progressCalls int
	if err := projector.Rebuild(ctx, e.pool, e.store, p, func(done, total int64) { progressCalls++ }); err != nil {
		t.Fatal(err)
	}
	if progressCalls == 0 {
		t.Fatal("rebuild reported no progress")
	}
	assertAppliedExactlyOnce(t, e.pool, "proj_rebuilt", first)
	more := appendEvents(t, e.store, 5, 20, "test.ok")
	all := append(first, more...)
	waitFor(t, "the live projector to continue on the rebuilt tables", func() (bool, error) {
		rows, _, err := countApplied(ctx, e.pool, "proj_rebuilt")
		return rows == int64(len(all)), err
	})
	assertAppliedExactlyOnce(t, e.pool, "proj_rebuilt", all)
}

func TestTwoProcessesShareAProjectionWithoutDoubleApplying(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	// A second "process": its own pool and store on the same database.
	other := env{url: e.url, pool: newPool(t, e.url)}.withStore()
	startRunner(t, e, &counting{name: "shared"})
	startRunner(t, other, &counting{name: "shared"})
	ids := appendEvents(t, e.store, 10, 30, "test.ok")
	waitFor(t, "every event applied", func() (bool, error) {
		rows, _, err := countApplied(ctx, e.pool, "proj_shared")
		return rows == int64(len(ids)), err
	})
	assertAppliedExactlyOnce(t, e.pool, "proj_shared", ids)
}
