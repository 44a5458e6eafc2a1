package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/eventstore"
)

// The baseline users compare Postgres event stores with: a bare table whose only
// constraint is UNIQUE(stream, position), the shape a raw PostgreSQL append would have.
// Each writer's stream takes appendsPerStream appends before the writer moves to a new one,
// as in the figures published for other Postgres event stores, so the ratio reads the same
// way. BenchmarkAppendBare/{single,batch100}/writers={1,16}/{store,baseline}.
const appendsPerStream = 10

func BenchmarkAppendBare(b *testing.B) {
	for _, shape := range []struct {
		name  string
		batch int
	}{{"single", 1}, {"batch100", 100}} {
		b.Run(shape.name, func(b *testing.B) {
			for _, writers := range []int{1, 16} {
				b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
					b.Run("store", func(b *testing.B) {
						runAppend(b, writers, shape.batch, variant{"store", "events", storeRoundsWriter})
					})
					b.Run("baseline", func(b *testing.B) {
						runAppend(b, writers, shape.batch, variant{"baseline", "bare_events", bareWriter})
					})
				})
			}
		})
	}
}

// storeRoundsWriter appends batch events at a time through the store, appendsPerStream
// times per stream.
func storeRoundsWriter(_ *pgxpool.Pool, store *postgres.Store, batch int) op {
	stream, version, done := newStream(), uint64(0), 0
	return func(ctx context.Context) error {
		if done == appendsPerStream {
			stream, version, done = newStream(), 0, 0
		}
		expected := eventstore.Exactly(version)
		if version == 0 {
			expected = eventstore.NoStream()
		}
		res, err := store.Append(ctx, stream, expected, benchEvents(batch)...)
		version = res.Version
		done++
		return err
	}
}

// bareWriter inserts the same rows into the bare table: one autocommit INSERT per append.
func bareWriter(pool *pgxpool.Pool, _ *postgres.Store, batch int) op {
	ensureBare(pool)
	sql := bareInsertSQL(batch)
	stream, position, done := newStream(), 0, 0
	return func(ctx context.Context) error {
		if done == appendsPerStream {
			stream, position, done = newStream(), 0, 0
		}
		args := make([]any, 0, 1+4*batch)
		args = append(args, stream)
		for range batch {
			position++
			args = append(args, position, benchType, string(benchData), string(benchMeta))
		}
		_, err := pool.Exec(ctx, sql, args...)
		done++
		return err
	}
}

// ensureBare creates the bare table; writers are made one after another, so IF NOT EXISTS
// is enough. A failure here is a broken benchmark, not a figure.
func ensureBare(pool *pgxpool.Pool) {
	if _, err := pool.Exec(context.Background(), `CREATE TABLE IF NOT EXISTS bare_events (
		stream text NOT NULL, position bigint NOT NULL, type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
		UNIQUE (stream, position))`); err != nil {
		panic(fmt.Sprintf("creating the bare baseline table: %v", err))
	}
}

func bareInsertSQL(n int) string {
	var sb strings.Builder
	sb.WriteString(`INSERT INTO bare_events (stream, position, type, data, metadata) VALUES `)
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		p := 2 + 4*i
		fmt.Fprintf(&sb, "($1, $%d, $%d, $%d, $%d)", p, p+1, p+2, p+3)
	}
	return sb.String()
}
