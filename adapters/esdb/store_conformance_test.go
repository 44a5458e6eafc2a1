package esdb

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	esdbc "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"ledgerdesk/eventstore"
	"ledgerdesk/eventstore/eventstoretest"
)

// serverEnv are the variables that point the conformance suite at a server, first wins.
var serverEnv = []string{"KURRENTDB_URL", "EVENTSTORE_URL"}

const startServer = `no KurrentDB/EventStoreDB server: set KURRENTDB_URL (or EVENTSTORE_URL) to run the conformance suite, e.g.
  docker compose -f adapters/esdb/compose/single-node.yml up -d
  KURRENTDB_URL='kurrentdb://localhost:2113?tls=false' go test ./adapters/esdb/
or a bare container (the 1 MiB event test needs the larger append size):
  docker run --rm -p 2113:2113 -e KURRENTDB_MAX_APPEND_SIZE=8388608 docker.kurrent.io/kurrent-latest/kurrentdb:latest --insecure --run-projections=All
  docker run --rm -p 2113:2113 -e EVENTSTORE_MAX_APPEND_SIZE=8388608 eventstore/eventstore:24.10 --insecure --run-projections=All`

// TestKurrentDBStore runs the port's conformance suite against a real server.
//
// The server's database is shared by every sub-test and every earlier run, so each store
// handed to the suite starts its global reads at the end of $all as it was when the store
// was made: "from the start" means "from the start of this sub-test", which keeps the
// suite's full scans short. The suite's stream names are unique per sub-test and its
// assertions look only at its own streams, so nothing else needs isolating.
func TestKurrentDBStore(t *testing.T) {
	url := ""
	for _, env := range serverEnv {
		if url = os.Getenv(env); url != "" {
			break
		}
	}
	if url == "" {
		t.Skip(startServer)
	}
	eventstoretest.Run(t, func(t *testing.T) eventstore.Store { return newTestStore(t, url) })
}

func newTestStore(t *testing.T, url string) eventstore.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := OpenConfig(ctx, Config{
		URL:    url,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatalf("open %s: %v", redact(url), err)
	}
	t.Cleanup(s.Close)
	floor, err := s.headPosition(ctx)
	if err != nil {
		t.Fatalf("find the end of $all: %v", err)
	}
	return flooredStore{Store: s, floor: floor}
}

// headPosition is the position of the last event in $all, whoever wrote it.
func (s *Store) headPosition(ctx context.Context) (eventstore.Position, error) {
	rs, err := s.client.ReadAll(ctx, esdbc.ReadAllOptions{Direction: esdbc.Backwards, From: esdbc.End{}}, 1)
	if err != nil {
		return eventstore.Position{}, err
	}
	defer rs.Close()
	ev, err := rs.Recv()
	if errors.Is(err, io.EOF) {
		return eventstore.Start, nil
	}
	if err != nil || ev.Event == nil {
		return eventstore.Position{}, err
	}
	return position(ev.Event.Position), nil
}

// flooredStore reads the global order only after floor.
type flooredStore struct {
	*Store
	floor eventstore.Position
}

func (s flooredStore) after(p eventstore.Position) eventstore.Position {
	if p.Before(s.floor) {
		return s.floor
	}
	return p
}

func (s flooredStore) ReadAll(ctx context.Context, from eventstore.Position, limit int) ([]eventstore.RecordedEvent, error) {
	return s.Store.ReadAll(ctx, s.after(from), limit)
}

func (s flooredStore) Subscribe(ctx context.Context, from eventstore.Position, handle func(context.Context, []eventstore.RecordedEvent) error) error {
	return s.Store.Subscribe(ctx, s.after(from), handle)
}
