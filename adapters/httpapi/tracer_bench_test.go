package httpapi

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// benchTracer, when set, sees every query of the benchmark environment's pool: with
// THROUGHPUT_TRACE=1 the throughput benchmark prints where the command path's database
// time goes, statement by statement.
var benchTracer pgx.QueryTracer

type sqlTimes struct {
	mu sync.Mutex
	by map[string]*sqlTime
}

type sqlTime struct {
	n     int
	total time.Duration
}

type traceStart struct {
	sql string
	at  time.Time
}

type traceKey struct{}

func (s *sqlTimes) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	return context.WithValue(ctx, traceKey{}, traceStart{sql: d.SQL, at: time.Now()})
}

func (s *sqlTimes) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	st, ok := ctx.Value(traceKey{}).(traceStart)
	if !ok {
		return
	}
	key := strings.Join(strings.Fields(st.sql), " ")
	if len(key) > 90 {
		key = key[:90]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.by[key]
	if t == nil {
		t = &sqlTime{}
		s.by[key] = t
	}
	t.n++
	t.total += time.Since(st.at)
}

func (s *sqlTimes) print() {
	s.mu.Lock()
	defer s.mu.Unlock()
	type row struct {
		sql string
		t   sqlTime
	}
	var rows []row
	for k, v := range s.by {
		rows = append(rows, row{k, *v})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].t.total > rows[j].t.total })
	for i, r := range rows {
		if i == 25 {
			break
		}
		fmt.Fprintf(os.Stderr, "%8d %10s %8s  %s\n", r.t.n, r.t.total.Round(time.Millisecond), (r.t.total / time.Duration(r.t.n)).Round(time.Microsecond), r.sql)
	}
}
