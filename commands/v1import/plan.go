package v1import

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import/v1rows"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/v1item"
	"ledgerdesk/eventstore"
)

// item is a V1 item as the import read it.
type item struct {
	state   v1item.State
	version uint64
}

// job is one command for one item, decided in memory and waiting to be executed.
type job struct {
	reference string
	id        uuid.UUID
	cmd       v1item.Command
	// read and events are the item as read and what the command decided against it:
	// appended as they are unless the item has changed since.
	read   item
	events []v1item.Event
	// row is the row an Import came from, to record a conflict instead if another import
	// takes the reference first.
	row v1rows.Row
}

// load reads every item the rows name: by scanning the whole history when it is small
// next to the file (a first import), otherwise stream by stream, concurrently.
func load(ctx context.Context, deps commands.Deps, rows []v1rows.Row, opts Options) (map[string]item, error) {
	var refs []string
	seen := map[string]bool{}
	for _, r := range rows {
		if !seen[r.Reference] {
			seen[r.Reference] = true
			refs = append(refs, r.Reference)
		}
	}
	if c, ok := deps.Store.(counter); ok && len(refs) > 0 {
		n, err := c.CountAfter(ctx, eventstore.Start)
		if err != nil {
			return nil, fmt.Errorf("counting the events: %w", err)
		}
		if n <= scanFactor*int64(len(refs)) {
			items, err := scan(ctx, deps, refs, n, opts.Progress)
			if !errors.Is(err, errScanShort) {
				return items, err
			}
			// Fall through: a long transaction elsewhere hides recent events from the
			// scan, and reading every stream does not depend on it.
		}
	}
	items := make([]item, len(refs))
	err := parallel(ctx, len(refs), opts.Workers, progressOf(opts.Progress, StageChecking, len(refs)), func(ctx context.Context, i int) error {
		s, v, err := commands.Load(ctx, deps, v1item.Decider, v1item.StreamID(refs[i]))
		if err != nil {
			return fmt.Errorf("reading V1 item %q: %w", refs[i], err)
		}
		items[i] = item{state: s, version: v}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]item, len(refs))
	for i, ref := range refs {
		out[ref] = items[i]
	}
	return out, nil
}

// counter is implemented by stores that count events cheaply (the Postgres store).
type counter interface {
	CountAfter(ctx context.Context, p eventstore.Position) (int64, error)
}

// scanFactor: reading one event of the whole history in a batch costs a small fraction of
// reading one stream, so a history up to this many times the file's references is
// scanned rather than read stream by stream.
const scanFactor = 4

// scanBatch is how many events one read of the history fetches.
const scanBatch = 5000

// scanWait bounds how long a scan waits for events that are committed but not yet safe to
// read in global order.
const scanWait = 3 * time.Second

// errScanShort says the scan could not see every event counted before it began.
var errScanShort = errors.New("the history scan could not reach the newest events")

// scan folds the items named from the whole history: total events, counted before it
// began. The global order is read only up to the oldest transaction still running
// anywhere on the server, so until every counted event is below that horizon the scan
// waits (briefly, then gives up with errScanShort): a plan missing an item that was
// imported a moment ago would report it as new. Events committed after the count may
// still be missed; the append then finds the stream changed and decides again on a fresh
// read (see appendDecided), so the result stays right.
func scan(ctx context.Context, deps commands.Deps, refs []string, total int64, progress Progress) (map[string]item, error) {
	byStream := make(map[string]string, len(refs))
	out := make(map[string]item, len(refs))
	for _, ref := range refs {
		byStream[v1item.StreamID(ref)] = ref
		out[ref] = item{}
	}
	report := progressOf(progress, StageChecking, int(total))
	done := 0
	pos := eventstore.Start
	var deadline time.Time
	for {
		batch, err := deps.Store.ReadAll(ctx, pos, scanBatch)
		if err != nil {
			return nil, fmt.Errorf("reading the history: %w", err)
		}
		if len(batch) == 0 {
			if int64(done) >= total {
				return out, nil
			}
			if deadline.IsZero() {
				deadline = time.Now().Add(scanWait)
			}
			if time.Now().After(deadline) {
				return nil, errScanShort
			}
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
			continue
		}
		for _, rec := range batch {
			ref, ok := byStream[rec.StreamID]
			if !ok {
				continue
			}
			it := out[ref]
			if rec.Version != it.version+1 {
				return nil, fmt.Errorf("reading %q: event %s has version %d after version %d", rec.StreamID, rec.ID, rec.Version, it.version)
			}
			ev, err := deps.Codec.Decode(ctx, rec.Type, rec.Data)
			if err != nil {
				return nil, fmt.Errorf("stream %q version %d: %w", rec.StreamID, rec.Version, err)
			}
			e, ok := ev.(v1item.Event)
			if !ok {
				return nil, fmt.Errorf("%w: stream %q version %d: %s is not a V1 item event", commands.ErrForeignEvent, rec.StreamID, rec.Version, rec.Type)
			}
			out[ref] = item{state: v1item.Evolve(it.state, e), version: rec.Version}
		}
		pos = batch[len(batch)-1].Position
		if done += len(batch); report != nil {
			report(min(done, int(total)))
		}
	}
}

// decideAll turns the plan into commands and decides each against its item, so that an
// item that would refuse one stops the import before anything is written.
func decideAll(items map[string]item, plan v1rows.ImportPlan, goLive ledger.Date, opts Options, rep *Report) ([]job, error) {
	var jobs []job
	for _, row := range plan.New {
		cmd := row.Command(goLive, opts.By, opts.SourceFile, opts.At)
		read := items[row.Reference]
		evs, err := v1item.Decide(read.state, cmd)
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %w", ErrRefused, row.Line, err)
		}
		jobs = append(jobs, job{reference: row.Reference, id: ImportCommandID(row.Figures), cmd: cmd, read: read, events: evs, row: row})
	}
	conflict := func(ref string, rows []v1rows.Row) error {
		cmd := conflictCommand(rows, opts)
		read := items[ref]
		evs, err := v1item.Decide(read.state, cmd)
		switch {
		case err != nil:
			return fmt.Errorf("%w: line %d: %w", ErrRefused, rows[0].Line, err)
		case len(evs) == 0:
			rep.ConflictsAlreadyRecorded++
		default:
			jobs = append(jobs, job{reference: ref, id: ConflictCommandID(cmd.Variants), cmd: cmd, read: read, events: evs})
		}
		return nil
	}
	for _, c := range plan.FileConflicts {
		if err := conflict(c.Reference, c.Rows); err != nil {
			return nil, err
		}
	}
	for _, c := range plan.ExistingConflicts {
		if err := conflict(c.Row.Reference, []v1rows.Row{c.Row}); err != nil {
			return nil, err
		}
	}
	return jobs, nil
}

// conflictCommand records rows that disagree, merging rows with the same figures. Lines
// past v1item.MaxConflictLines for one set of figures are left out of the record: they
// only repeat it.
func conflictCommand(rows []v1rows.Row, opts Options) v1item.RecordConflict {
	cmd := v1item.RecordConflict{SourceFile: opts.SourceFile, By: opts.By, At: opts.At}
	index := map[string]int{}
	for _, r := range rows {
		key := r.Fingerprint()
		i, ok := index[key]
		if !ok {
			i = len(cmd.Variants)
			index[key] = i
			cmd.Variants = append(cmd.Variants, v1item.Variant{Figures: r.Figures})
		}
		if len(cmd.Variants[i].Lines) < v1item.MaxConflictLines {
			cmd.Variants[i].Lines = append(cmd.Variants[i].Lines, r.Line)
		}
	}
	return cmd
}

// parallel runs fn for 0..n-1 on at most workers goroutines, stopping at the first error.
func parallel(ctx context.Context, n, workers int, progress func(done int), fn func(ctx context.Context, i int) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	var mu sync.Mutex
	done := 0
	for i := range n {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if err := fn(gctx, i); err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			if done++; progress != nil {
				progress(done)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

func progressOf(p Progress, stage Stage, total int) func(int) {
	if p == nil {
		return nil
	}
	p(stage, 0, total)
	return func(done int) { p(stage, done, total) }
}
