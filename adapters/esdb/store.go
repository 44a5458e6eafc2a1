package esdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	esdbc "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"ledgerdesk/eventstore"
)

// Store is the event store port on EventStoreDB/KurrentDB. It is safe for concurrent use;
// one Store per process is enough (it multiplexes over one gRPC connection).
type Store struct {
	client *esdbc.Client
	cfg    Config
	log    *slog.Logger
}

var _ eventstore.Store = (*Store)(nil)

// Open connects to the server at connString (esdb://, kurrentdb:// and their +discover
// forms) with the default Config.
func Open(ctx context.Context, connString string) (*Store, error) {
	return OpenConfig(ctx, Config{URL: connString})
}

// OpenConfig connects with cfg and checks that the server answers before returning, so a
// wrong address fails at start-up rather than at the first command.
func OpenConfig(ctx context.Context, cfg Config) (*Store, error) {
	cfg = cfg.withDefaults()
	url, err := normalizeURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	conf, err := esdbc.ParseConnectionString(url)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrConnectionString, redact(cfg.URL), err)
	}
	conf.Logger = clientLogger(cfg.Logger)
	client, err := esdbc.NewClient(conf)
	if err != nil {
		return nil, fmt.Errorf("esdb: %s: %w", redact(cfg.URL), err)
	}
	s := &Store{client: client, cfg: cfg, log: cfg.Logger.With("component", "esdb")}
	if err := s.ping(ctx); err != nil {
		client.Close()
		return nil, fmt.Errorf("esdb: %s: server not reachable: %w", redact(cfg.URL), err)
	}
	return s, nil
}

// ping reads a stream that never exists: "not found" proves the server answers and
// accepts our credentials, without needing the rights to read $all.
func (s *Store) ping(ctx context.Context) error {
	rs, err := s.client.ReadStream(ctx, guardStreamPrefix+"ping", esdbc.ReadStreamOptions{From: esdbc.Start{}}, 1)
	if err != nil {
		return err
	}
	defer rs.Close()
	_, err = rs.Recv()
	if err == nil || isCode(err, esdbc.ErrorCodeResourceNotFound) || errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// Close releases the connection. Subscriptions still running end with an error.
func (s *Store) Close() {
	_ = s.client.Close()
}

// clientLogger routes the client library's logs to slog. The library logs its own
// reconnections and every subscription it drops (including the ones we close on purpose)
// as errors; the adapter logs what matters itself, so the library's voice is lowered.
func clientLogger(l *slog.Logger) esdbc.LoggingFunc {
	l = l.With("component", "esdb-client")
	return func(level esdbc.LogLevel, format string, args ...any) {
		lvl := slog.LevelDebug
		if level == esdbc.LogError || level == esdbc.LogWarn {
			lvl = slog.LevelInfo
		}
		if !l.Enabled(context.Background(), lvl) {
			return
		}
		l.Log(context.Background(), lvl, fmt.Sprintf(format, args...))
	}
}
