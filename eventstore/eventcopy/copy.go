// Package eventcopy copies a whole history from one event store to another (Postgres to
// KurrentDB, or between two Postgres databases), in global order, keeping each event's id,
// stream, version and original timestamp.
//
// It is resumable and idempotent: progress is saved after every batch, and an event that
// was appended just before an interruption is recognised by its id when the copy runs
// again, so running it twice, or after a crash, never duplicates anything.
package eventcopy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"ledgerdesk/eventstore"
)

// Checkpoint remembers how far a copy has got.
type Checkpoint interface {
	Load(ctx context.Context) (eventstore.Position, error)
	Save(ctx context.Context, p eventstore.Position) error
}

// Options tunes a copy.
type Options struct {
	// BatchSize is how many events are read at once.
	BatchSize int
	// Progress is told the number of events copied so far after each batch.
	Progress func(copied int64)
}

// Result says what a copy did.
type Result struct {
	Copied int64
	Last   eventstore.Position
}

// Copy copies every event after the checkpoint from src to dst, up to the newest event the
// source can safely be read to now. Events committed while it runs may arrive after it
// finishes: run it again (it resumes) once writers to the source have stopped.
func Copy(ctx context.Context, src, dst eventstore.Store, cp Checkpoint, opts Options) (Result, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	from, err := cp.Load(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("reading the copy checkpoint: %w", err)
	}
	res := Result{Last: from}
	for {
		batch, err := src.ReadAll(ctx, from, opts.BatchSize)
		if err != nil {
			return res, fmt.Errorf("reading the source after %s: %w", from, err)
		}
		if len(batch) == 0 {
			return res, nil
		}
		for start := 0; start < len(batch); {
			end := start + 1
			for end < len(batch) && batch[end].StreamID == batch[start].StreamID && batch[end].Version == batch[end-1].Version+1 {
				end++
			}
			if err := appendRun(ctx, dst, batch[start:end]); err != nil {
				return res, err
			}
			start = end
		}
		from = batch[len(batch)-1].Position
		if err := cp.Save(ctx, from); err != nil {
			return res, fmt.Errorf("saving the copy checkpoint: %w", err)
		}
		res.Copied += int64(len(batch))
		res.Last = from
		if opts.Progress != nil {
			opts.Progress(res.Copied)
		}
	}
}

// appendRun appends consecutive events of one stream at their original versions.
func appendRun(ctx context.Context, dst eventstore.Store, run []eventstore.RecordedEvent) error {
	data := make([]eventstore.EventData, len(run))
	for i, e := range run {
		data[i] = eventstore.EventData{ID: e.ID, Type: e.Type, Data: e.Data, Metadata: e.Metadata, RecordedAt: e.RecordedAt}
	}
	first := run[0]
	_, err := dst.Append(ctx, first.StreamID, eventstore.Exactly(first.Version-1), data...)
	if err != nil {
		var conflict *eventstore.ConflictError
		if errors.As(err, &conflict) {
			return fmt.Errorf("the target already has different events in %s (at version %d, copying from %d): it is not a copy of this source: %w",
				first.StreamID, conflict.Actual, first.Version, err)
		}
		return fmt.Errorf("copying %s@%d: %w", first.StreamID, first.Version, err)
	}
	return nil
}

// FileCheckpoint keeps the position in a small file, written atomically.
type FileCheckpoint struct{ Path string }

func (f FileCheckpoint) Load(context.Context) (eventstore.Position, error) {
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return eventstore.Start, nil
	}
	if err != nil {
		return eventstore.Start, err
	}
	return eventstore.ParsePosition(strings.TrimSpace(string(b)))
}

func (f FileCheckpoint) Save(_ context.Context, p eventstore.Position) error {
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil {
		return err
	}
	tmp := f.Path + ".tmp"
	if err := os.WriteFile(tmp, []byte(p.String()+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, f.Path)
}
