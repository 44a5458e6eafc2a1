package v1import_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"ledgerdesk/adapters/v1csv"
	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/v1item"
	"ledgerdesk/eventstore"
)

// failingStore fails appends once ok appends have succeeded, as a database that goes away
// part way through an import.
type failingStore struct {
	eventstore.Store
	mu sync.Mutex
	ok int
}

var errGone = errors.New("connection lost")

func (s *failingStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	s.mu.Lock()
	if s.ok <= 0 {
		s.mu.Unlock()
		return eventstore.AppendResult{}, errGone
	}
	s.ok--
	s.mu.Unlock()
	return s.Store.Append(ctx, stream, expected, events...)
}

func TestAnInterruptedImportIsFinishedByRunningItAgain(t *testing.T) {
	t.Parallel()
	deps, store := memDeps(t)
	var file bytes.Buffer
	if err := v1csv.Generate(&file, 200, 5, goLive); err != nil {
		t.Fatal(err)
	}
	broken := deps
	broken.Store = &failingStore{Store: store, ok: 120}
	opts := options("big.csv")
	opts.Workers = 4
	rep, err := v1import.Import(context.Background(), broken, bytes.NewReader(file.Bytes()), opts)
	if !errors.Is(err, v1import.ErrInterrupted) || !errors.Is(err, errGone) || rep.Imported == 0 || rep.Imported >= 200 {
		t.Fatalf("interrupted import: %d imported, err %v", rep.Imported, err)
	}
	first := rep.Imported
	rep = mustImport(t, deps, file.Bytes(), opts)
	if rep.Imported != 200-first || len(rep.Plan.Unchanged) != first {
		t.Fatalf("second run imported %d, found %d unchanged; the first had imported %d", rep.Imported, len(rep.Plan.Unchanged), first)
	}
	streams := itemStreams(t, store)
	if len(streams) != 200 {
		t.Fatalf("%d items", len(streams))
	}
	for s, evs := range streams {
		if len(evs) != 1 {
			t.Fatalf("%s has %d events", s, len(evs))
		}
	}
}

// racingStore imports other figures for one reference just before the import appends it,
// as a second clerk running another export at the same moment.
type racingStore struct {
	eventstore.Store
	deps   commands.Deps
	stream string
	cmd    v1item.Import
	once   sync.Once
}

func (s *racingStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if stream == s.stream {
		var err error
		s.once.Do(func() {
			_, err = commands.Execute(ctx, s.deps, v1item.Decider, stream, v1item.Command(s.cmd), commands.Metadata{CommandID: commands.NewCommandID(), Actor: "clerk-2"})
		})
		if err != nil {
			return eventstore.AppendResult{}, err
		}
	}
	return s.Store.Append(ctx, stream, expected, events...)
}

func TestFiguresImportedByAnotherClerkMeanwhileMakeAConflictNotAnError(t *testing.T) {
	t.Parallel()
	deps, store := memDeps(t)
	theirs, err := v1csv.Parse(strings.NewReader(header+strings.Replace(rowA, "pending", "paid", 1)), v1csv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	racing := deps
	racing.Store = &racingStore{Store: store, deps: deps, stream: v1item.StreamID("V1-A"),
		cmd: theirs.Rows[0].Command(goLive, "clerk-2", "theirs.csv", feb20)}
	rep, err := importText(t, racing, header+rowA+rowB, options("mine.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 1 || rep.ConflictsRecorded != 1 || len(rep.Raced) != 1 || rep.Raced[0] != "V1-A" {
		t.Fatalf("report = %+v", rep)
	}
	a := loadItem(t, deps, "V1-A")
	if a.Figures().Status != v1item.StatusPaid || a.ConflictsRecorded() != 1 {
		t.Fatalf("V1-A = %+v: the first import's figures stand and the conflict is on record", a)
	}
}
