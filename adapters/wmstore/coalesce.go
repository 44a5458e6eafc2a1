package wmstore

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Coalescing turns a batch's queued single-row writes into multi-row statements: one
// INSERT ... VALUES (...), (...) for a run of inserts, one UPDATE ... FROM (VALUES ...) for
// a run of updates by key, so that a rebuild pays the server's per-statement cost once per
// table and batch rather than once per event. Projections keep writing one row at a time.
//
// The order of writes changes only where it cannot matter: a statement joins an earlier
// statement of the same text only if nothing queued in between touches any table it
// touches (named after INTO, UPDATE, FROM, JOIN or USING, and the tables related to those
// by a foreign key), and an UPDATE joins only if its key ($1, compared with = in its WHERE
// clause) is not in the run yet, so that no row is updated twice by one statement.
// Anything else (a statement naming no table, such as a SAVEPOINT) is a barrier that
// nothing crosses. Inserts merge only without ON CONFLICT or with ON CONFLICT ... DO
// NOTHING, where several rows of one statement behave as several statements do.

// Coalescer holds what coalescing learns once per schema: the foreign keys between its
// tables and the parameter types of each UPDATE it rewrites. One Coalescer serves one
// schema's transactions, one at a time.
type Coalescer struct {
	related map[string][]string
	types   map[string][]string
}

// CoalescerLimit bounds the rows of one multi-row statement (and so its parameters,
// which PostgreSQL caps at 65,535).
const CoalescerLimit = 1000

// NewCoalescer reads the foreign keys between the tables of the transaction's current
// schema (the first in its search path).
func NewCoalescer(ctx context.Context, tx pgx.Tx) (*Coalescer, error) {
	c := &Coalescer{related: map[string][]string{}, types: map[string][]string{}}
	rows, err := tx.Query(ctx, `SELECT cl.relname, ref.relname FROM pg_constraint con
		JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_class ref ON ref.oid = con.confrelid
		WHERE con.contype = 'f' AND con.connamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			return nil, err
		}
		c.related[from] = append(c.related[from], to)
		c.related[to] = append(c.related[to], from)
	}
	return c, rows.Err()
}

var (
	tableRef    = regexp.MustCompile(`(?i)\b(?:into|update|from|join|using)\s+([a-z_][a-z0-9_.]*)`)
	placeholder = regexp.MustCompile(`\$(\d+)`)
	doNothing   = regexp.MustCompile(`(?is)^\s*ON\s+CONFLICT\b.*\bDO\s+NOTHING\s*$`)
	insertHead  = regexp.MustCompile(`(?is)^\s*INSERT\s+INTO\s+[a-z_][a-z0-9_]*\s*\([^()]*\)\s*VALUES\s*\(`)
	updateForm  = regexp.MustCompile(`(?is)^\s*UPDATE\s+([a-z_][a-z0-9_]*)\s+SET\s+(.*?)\s+WHERE\s+(.*)$`)
	keyedByOne  = regexp.MustCompile(`(?i)\b[a-z_][a-z0-9_]*\s*=\s*\$1\b`)
)

// stmt is a queued statement as coalescing sees it.
type stmt struct {
	q      *pgx.QueuedQuery
	tables map[string]bool
	kind   byte // 'i' mergeable insert, 'u' mergeable update, 0 neither
	// row is an insert's VALUES tuple, tail what follows it.
	row, tail string
}

type run struct {
	sql    string
	kind   byte
	tables map[string]bool
	qs     []*pgx.QueuedQuery
	keys   map[string]bool
	first  *stmt
}

func (c *Coalescer) classify(q *pgx.QueuedQuery) *stmt {
	s := &stmt{q: q, tables: map[string]bool{}}
	for _, m := range tableRef.FindAllStringSubmatch(q.SQL, -1) {
		t := strings.ToLower(m[1])
		s.tables[t] = true
		for _, r := range c.related[t] {
			s.tables[r] = true
		}
	}
	if q.Fn != nil || strings.Contains(strings.ToUpper(q.SQL), "RETURNING") || !numbered(q.SQL, len(q.Arguments)) {
		return s
	}
	if loc := insertHead.FindStringIndex(q.SQL); loc != nil {
		end := closing(q.SQL, loc[1]-1)
		if end < 0 {
			return s
		}
		tail := q.SQL[end+1:]
		if strings.TrimSpace(tail) == "" || doNothing.MatchString(tail) {
			s.kind, s.row, s.tail = 'i', q.SQL[loc[1]-1:end+1], tail
		}
		return s
	}
	if m := updateForm.FindStringSubmatch(q.SQL); m != nil && !strings.Contains(strings.ToUpper(q.SQL), " FROM ") && keyedByOne.MatchString(m[3]) {
		if _, ok := q.Arguments[0].(string); ok {
			s.kind = 'u'
		}
	}
	return s
}

// numbered reports that sql's placeholders are exactly $1..$n.
func numbered(sql string, n int) bool {
	seen := make([]bool, n+1)
	for _, m := range placeholder.FindAllStringSubmatch(sql, -1) {
		k, err := strconv.Atoi(m[1])
		if err != nil || k < 1 || k > n {
			return false
		}
		seen[k] = true
	}
	for k := 1; k <= n; k++ {
		if !seen[k] {
			return false
		}
	}
	return n > 0
}

// closing is the index of the parenthesis closing the one at open, skipping quoted text.
func closing(s string, open int) int {
	depth := 0
	inQuote := false
	for i := open; i < len(s); i++ {
		switch ch := s[i]; {
		case inQuote:
			if ch == '\'' {
				inQuote = false
			}
		case ch == '\'':
			inQuote = true
		case ch == '(':
			depth++
		case ch == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func disjoint(a, b map[string]bool) bool {
	for t := range a {
		if b[t] {
			return false
		}
	}
	return true
}

// coalesce returns qs with runs merged, in an order equivalent to qs.
func (c *Coalescer) coalesce(ctx context.Context, tx pgx.Tx, qs []*pgx.QueuedQuery) ([]*pgx.QueuedQuery, error) {
	var runs []*run
	barrier := 0 // runs before it are closed
	for _, q := range qs {
		s := c.classify(q)
		if len(s.tables) == 0 {
			runs = append(runs, &run{sql: q.SQL, qs: []*pgx.QueuedQuery{q}})
			barrier = len(runs)
			continue
		}
		joined := false
		if s.kind != 0 {
			// The latest run of the same text that s may move back to: every run after it
			// touches none of s's tables.
			for i := len(runs) - 1; i >= barrier; i-- {
				r := runs[i]
				if r.sql == q.SQL && r.kind == s.kind && len(r.qs) < CoalescerLimit {
					if s.kind == 'u' && r.keys[q.Arguments[0].(string)] {
						break
					}
					r.qs = append(r.qs, q)
					if s.kind == 'u' {
						r.keys[q.Arguments[0].(string)] = true
					}
					joined = true
					break
				}
				if !disjoint(r.tables, s.tables) {
					break
				}
			}
		}
		if !joined {
			r := &run{sql: q.SQL, kind: s.kind, tables: s.tables, qs: []*pgx.QueuedQuery{q}, first: s}
			if s.kind == 'u' {
				r.keys = map[string]bool{q.Arguments[0].(string): true}
			}
			runs = append(runs, r)
		}
	}
	out := make([]*pgx.QueuedQuery, 0, len(runs))
	for _, r := range runs {
		if len(r.qs) == 1 {
			out = append(out, r.qs[0])
			continue
		}
		var merged *pgx.QueuedQuery
		var err error
		switch r.kind {
		case 'i':
			merged = mergeInserts(r)
		case 'u':
			merged, err = c.mergeUpdates(ctx, tx, r)
		}
		if err != nil {
			return nil, err
		}
		if merged == nil {
			out = append(out, r.qs...)
			continue
		}
		out = append(out, merged)
	}
	return out, nil
}

// renumber shifts every placeholder of s by by, or replaces it with prefix+number.
func renumber(s string, by int, prefix string) string {
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		k, _ := strconv.Atoi(m[1:])
		if prefix != "" {
			return prefix + strconv.Itoa(k)
		}
		return "$" + strconv.Itoa(k+by)
	})
}

func mergeInserts(r *run) *pgx.QueuedQuery {
	head := r.sql[:len(r.sql)-len(r.first.row)-len(r.first.tail)]
	n := len(r.qs[0].Arguments)
	var b strings.Builder
	b.WriteString(head)
	args := make([]any, 0, n*len(r.qs))
	for i, q := range r.qs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(renumber(r.first.row, i*n, ""))
		args = append(args, q.Arguments...)
	}
	b.WriteString(r.first.tail)
	return &pgx.QueuedQuery{SQL: b.String(), Arguments: args}
}

// paramTypes are the SQL types of sql's parameters, learnt by preparing it once.
func (c *Coalescer) paramTypes(ctx context.Context, tx pgx.Tx, sql string) ([]string, error) {
	if ts, ok := c.types[sql]; ok {
		return ts, nil
	}
	sd, err := tx.Conn().PgConn().Prepare(ctx, "", sql, nil)
	if err != nil {
		return nil, err
	}
	var ts []string
	for _, oid := range sd.ParamOIDs {
		t, ok := tx.Conn().TypeMap().TypeForOID(oid)
		if !ok {
			ts = nil
			break
		}
		name := t.Name
		if strings.HasPrefix(name, "_") {
			name = name[1:] + "[]"
		}
		ts = append(ts, name)
	}
	c.types[sql] = ts
	return ts, nil
}

func (c *Coalescer) mergeUpdates(ctx context.Context, tx pgx.Tx, r *run) (*pgx.QueuedQuery, error) {
	ts, err := c.paramTypes(ctx, tx, r.sql)
	if err != nil || len(ts) != len(r.qs[0].Arguments) {
		return nil, err
	}
	m := updateForm.FindStringSubmatch(r.sql)
	const v = "ledgerdesk_v"
	n := len(ts)
	var b strings.Builder
	b.WriteString("UPDATE " + m[1] + " SET " + renumber(m[2], 0, v+".p") + " FROM (VALUES ")
	args := make([]any, 0, n*len(r.qs))
	for i, q := range r.qs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for k := range n {
			if k > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(i*n+k+1) + "::" + ts[k])
		}
		b.WriteByte(')')
		args = append(args, q.Arguments...)
	}
	b.WriteString(") AS " + v + " (")
	for k := range n {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString("p" + strconv.Itoa(k+1))
	}
	b.WriteString(") WHERE " + renumber(m[3], 0, v+".p"))
	return &pgx.QueuedQuery{SQL: b.String(), Arguments: args}, nil
}
