package wmstore

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"
)

// Coalescing turns a batch's queued single-row writes into multi-row statements: one
// INSERT ... SELECT ... FROM unnest($1::type[], ...) for a run of inserts, one UPDATE ...
// FROM unnest(...) for a run of updates by key (DELETE ... USING for deletes), so that a rebuild pays the server's
// per-statement cost once per table and batch rather than once per event. Projections
// keep writing one row at a time.
//
// The order of writes changes only where it cannot matter. A statement joins the earliest
// earlier run of the same text it can, only if it commutes with everything queued after that run:
// statements on other tables (named after INTO, UPDATE, FROM, JOIN or USING), or on other
// rows of the same single table keyed by the same column ($1 in WHERE col = $1, or the
// column of ON CONFLICT (col) DO NOTHING) and not both inserts into a table with an
// identity or serial column, which sees their order. It never moves past a write to a table related to its own by a foreign key
// (a child row before its parent). An UPDATE joins only if its key is not in the run yet,
// so that no row is updated twice by one statement. A statement naming no table (a
// SAVEPOINT) is a barrier that nothing crosses. Inserts merge only without ON CONFLICT or
// with ON CONFLICT ... DO NOTHING, where several rows of one statement behave as several
// statements do. A merged statement that fails makes the replay apply the batch again one
// event at a time, unmerged, so an error is reported as it would have been.

// Coalescer holds what coalescing learns once per schema: the foreign keys between its
// tables and the parameter types of each UPDATE it rewrites. One Coalescer serves one
// schema's transactions, one at a time.
type Coalescer struct {
	related map[string][]string // each table's parents by foreign key
	// foreign are each table's one-column foreign keys.
	foreign map[string][]foreignKey
	// ordered are the tables whose rows number themselves (identity or serial columns):
	// inserts into them keep their order.
	ordered map[string]bool
	types   map[string][]string
	shapes  map[shapeID]*shape
}

// CoalescerLimit bounds the rows of one multi-row statement (and so its parameters,
// which PostgreSQL caps at 65,535).
const CoalescerLimit = 1000

// NewCoalescer reads the foreign keys between the tables of the transaction's current
// schema (the first in its search path).
func NewCoalescer(ctx context.Context, tx pgx.Tx) (*Coalescer, error) {
	c := &Coalescer{related: map[string][]string{}, foreign: map[string][]foreignKey{}, ordered: map[string]bool{}, types: map[string][]string{}, shapes: map[shapeID]*shape{}}
	rows, err := tx.Query(ctx, `SELECT cl.relname, ref.relname,
			CASE WHEN cardinality(con.conkey) = 1 THEN (SELECT attname FROM pg_attribute WHERE attrelid = con.conrelid AND attnum = con.conkey[1]) END,
			CASE WHEN cardinality(con.confkey) = 1 THEN (SELECT attname FROM pg_attribute WHERE attrelid = con.confrelid AND attnum = con.confkey[1]) END
		FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_class ref ON ref.oid = con.confrelid
		WHERE con.contype = 'f' AND con.connamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var from, to string
		var col, refCol *string
		if err := rows.Scan(&from, &to, &col, &refCol); err != nil {
			return nil, err
		}
		if col != nil && refCol != nil {
			c.foreign[from] = append(c.foreign[from], foreignKey{col: *col, parent: to, parentCol: *refCol})
		}
		// Only the child's statements wait for the parent's: a parent's write passing a
		// child's either does not meet it or fails whichever comes first (a replay then
		// applies the batch again unmerged, in the order it was written).
		c.related[from] = append(c.related[from], to)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT DISTINCT table_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`)
	if err != nil {
		return nil, err
	}
	ordered, err := pgx.CollectRows(rows, pgx.RowTo[string])
	for _, t := range ordered {
		c.ordered[t] = true
	}
	return c, err
}

var (
	tableRef     = regexp.MustCompile(`(?i)\b(?:into|update|from|join|using)\s+([a-z_][a-z0-9_.]*)`)
	placeholder  = regexp.MustCompile(`\$(\d+)`)
	doNothing    = regexp.MustCompile(`(?is)^\s*ON\s+CONFLICT\b.*\bDO\s+NOTHING\s*$`)
	insertHead   = regexp.MustCompile(`(?is)^\s*INSERT\s+INTO\s+[a-z_][a-z0-9_]*\s*\([^()]*\)\s*VALUES\s*\(`)
	deleteForm   = regexp.MustCompile(`(?is)^\s*DELETE\s+FROM\s+([a-z_][a-z0-9_]*)\s+WHERE\s+(.*)$`)
	updateForm   = regexp.MustCompile(`(?is)^\s*UPDATE\s+([a-z_][a-z0-9_]*)\s+SET\s+(.*?)\s+WHERE\s+(.*)$`)
	keyedByOne   = regexp.MustCompile(`(?i)\b[a-z_][a-z0-9_]*\s*=\s*\$1\b`)
	whereKey     = regexp.MustCompile(`(?is)^\s*([a-z_][a-z0-9_]*)\s*=\s*\$1\b(\s+AND\s+[^;]*)?$`)
	conflictOn   = regexp.MustCompile(`(?is)^\s*ON\s+CONFLICT\s*\(\s*([a-z_][a-z0-9_]*)\s*\)\s*DO\s+NOTHING\s*$`)
	writeTarget  = regexp.MustCompile(`(?is)^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_][a-z0-9_]*)`)
	insertSelect = regexp.MustCompile(`(?is)^\s*INSERT\s+INTO\s+[a-z_][a-z0-9_]*\s*\([^()]*\)\s*SELECT\s+(.*?)\s+WHERE\s`)
	conflictAt   = regexp.MustCompile(`(?is)\bON\s+CONFLICT\s*\(\s*[a-z_][a-z0-9_]*\s*\)\s*DO\s+NOTHING\s*$`)
	insertCols   = regexp.MustCompile(`(?is)^\s*INSERT\s+INTO\s+[a-z_][a-z0-9_]*\s*\(([^()]*)\)`)
)

// stmt is a queued statement as coalescing sees it.
type stmt struct {
	q      *pgx.QueuedQuery
	tables map[string]bool
	near   []string
	write  string
	// inserts says the statement inserts into an ordered table (see Coalescer.ordered).
	inserts bool
	// parentKeys are the keys of the parent rows an inserted row refers to, by table.
	parentKeys map[string][2]string
	kind       byte // 'i' mergeable insert, 'u' update, 'd' delete, 0 neither
	// row is an insert's VALUES tuple, tail what follows it.
	row, tail string
	// keyCol and key, when set, say that the statement reads and writes only the rows of
	// its one table whose keyCol is key (see keyOf).
	keyCol, key string
}

type run struct {
	sql  string
	kind byte
	qs   []*pgx.QueuedQuery
	// keys are the keys of an update run's rows: no row is updated twice by one statement.
	keys  map[string]bool
	first *stmt
}

// foreignKey is a child column referring to its parent's column.
type foreignKey struct{ col, parent, parentCol string }

// parentRef is the parent row an inserted row refers to: parent, parentCol and the
// argument holding its key.
type parentRef struct {
	parent, parentCol string
	arg               int
}

// shape is what classify learns of a statement's text, once.
type shape struct {
	tables map[string]bool
	// near are the tables those refer to by a foreign key: a statement may not move past
	// a write to them (a child row before its parent), though writes to them may move
	// past it.
	near      []string
	kind      byte
	row, tail string
	keyCol    string
	keyArg    int // the argument holding the key, -1 if none
	// write is the table written (INSERT INTO, UPDATE, DELETE FROM); the others are read.
	write   string
	inserts bool
	// parents are the parent rows an insert refers to by argument.
	parents []parentRef
}

func (c *Coalescer) shapeOf(q *pgx.QueuedQuery) *shape {
	id := shapeID{q.SQL, len(q.Arguments)}
	if sh, ok := c.shapes[id]; ok {
		return sh
	}
	sh := &shape{tables: map[string]bool{}, keyArg: -1}
	c.shapes[id] = sh
	for _, m := range tableRef.FindAllStringSubmatch(q.SQL, -1) {
		sh.tables[strings.ToLower(m[1])] = true
	}
	if m := writeTarget.FindStringSubmatch(q.SQL); m != nil {
		sh.write = strings.ToLower(m[1])
		sh.inserts = c.ordered[sh.write] && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(q.SQL)), "INSERT")
	}
	for t := range sh.tables {
		for _, r := range c.related[t] {
			if !sh.tables[r] {
				sh.near = append(sh.near, r)
			}
		}
	}
	if strings.Contains(strings.ToUpper(q.SQL), "RETURNING") || !numbered(q.SQL, len(q.Arguments)) {
		return sh
	}
	if loc := insertHead.FindStringIndex(q.SQL); loc != nil {
		end := closing(q.SQL, loc[1]-1)
		if end < 0 {
			return sh
		}
		tail := q.SQL[end+1:]
		if strings.TrimSpace(tail) == "" || doNothing.MatchString(tail) {
			sh.kind, sh.row, sh.tail = 'i', q.SQL[loc[1]-1:end+1], tail
			sh.keyCol, sh.keyArg = insertKey(q.SQL, sh.row, tail, len(q.Arguments))
		}
		sh.parents = c.parentsOf(q.SQL, sh.write, q.SQL[loc[1]-1:end+1], len(q.Arguments))
		return sh
	}
	if m := insertSelect.FindStringSubmatch(q.SQL); m != nil && !strings.Contains(m[1], "(") {
		// Not merged, but keyed: INSERT ... SELECT $1, ... WHERE <a condition on other
		// tables> ON CONFLICT (col) DO NOTHING writes at most the row of its key.
		if at := conflictAt.FindStringIndex(q.SQL); at != nil {
			sh.keyCol, sh.keyArg = insertKey(q.SQL, "("+m[1]+")", q.SQL[at[0]:], len(q.Arguments))
		}
		sh.parents = c.parentsOf(q.SQL, sh.write, "("+m[1]+")", len(q.Arguments))
		return sh
	}
	if m := updateForm.FindStringSubmatch(q.SQL); m != nil && !strings.Contains(strings.ToUpper(q.SQL), " FROM ") && keyedByOne.MatchString(m[3]) {
		sh.kind = 'u'
		if w := whereKey.FindStringSubmatch(m[3]); w != nil && writtenOnce(q.SQL, sh.write) {
			sh.keyCol, sh.keyArg = strings.ToLower(w[1]), 0
		}
	}
	if m := deleteForm.FindStringSubmatch(q.SQL); m != nil && !strings.Contains(strings.ToUpper(q.SQL), " USING ") && keyedByOne.MatchString(m[2]) {
		sh.kind = 'd'
		if w := whereKey.FindStringSubmatch(m[2]); w != nil && writtenOnce(q.SQL, sh.write) {
			sh.keyCol, sh.keyArg = strings.ToLower(w[1]), 0
		}
	}
	return sh
}

type shapeID struct {
	sql  string
	args int
}

func (c *Coalescer) classify(q *pgx.QueuedQuery) *stmt {
	sh := c.shapeOf(q)
	s := &stmt{q: q, tables: sh.tables, near: sh.near, write: sh.write, inserts: sh.inserts}
	if q.Fn != nil {
		return s
	}
	for _, p := range sh.parents {
		if k, ok := q.Arguments[p.arg].(string); ok {
			if s.parentKeys == nil {
				s.parentKeys = map[string][2]string{}
			}
			s.parentKeys[p.parent] = [2]string{p.parentCol, k}
		}
	}
	if sh.kind == 0 {
		if sh.keyArg >= 0 {
			if k, ok := q.Arguments[sh.keyArg].(string); ok {
				s.keyCol, s.key = sh.keyCol, k
			}
		}
		return s
	}
	if sh.kind == 'u' || sh.kind == 'd' {
		if _, ok := q.Arguments[0].(string); !ok {
			return s
		}
	}
	s.kind, s.row, s.tail = sh.kind, sh.row, sh.tail
	if sh.keyArg >= 0 {
		if k, ok := q.Arguments[sh.keyArg].(string); ok {
			s.keyCol, s.key = sh.keyCol, k
		}
	}
	return s
}

// writtenOnce reports SQL that names the table it writes only once: no subquery reads
// that table's other rows.
func writtenOnce(sql, table string) bool {
	if table == "" {
		return false
	}
	n := 0
	for _, m := range tableRef.FindAllStringSubmatch(sql, -1) {
		if strings.ToLower(m[1]) == table {
			n++
		}
	}
	return n == 1
}

// parentsOf finds, for an insert into table whose row is row, the argument that gives
// each one-column foreign key its value.
func (c *Coalescer) parentsOf(sql, table, row string, args int) []parentRef {
	cols := insertCols.FindStringSubmatch(sql)
	if cols == nil {
		return nil
	}
	values := strings.Split(row[1:len(row)-1], ",")
	var out []parentRef
	for i, col := range strings.Split(cols[1], ",") {
		for _, fk := range c.foreign[table] {
			if strings.ToLower(strings.TrimSpace(col)) != fk.col || i >= len(values) {
				continue
			}
			v := strings.TrimSpace(values[i])
			if k, err := strconv.Atoi(strings.TrimPrefix(v, "$")); strings.HasPrefix(v, "$") && err == nil && k >= 1 && k <= args {
				out = append(out, parentRef{fk.parent, fk.parentCol, k - 1})
			}
		}
	}
	return out
}

// insertKey is the conflict column of an INSERT ... ON CONFLICT (col) DO NOTHING and the
// argument the row gives it, when that value is a plain parameter: the insert then
// touches only the row with that key.
func insertKey(sql, row, tail string, args int) (string, int) {
	m := conflictOn.FindStringSubmatch(tail)
	cols := insertCols.FindStringSubmatch(sql)
	w := writeTarget.FindStringSubmatch(sql)
	if m == nil || cols == nil || w == nil || !writtenOnce(sql, strings.ToLower(w[1])) {
		return "", -1
	}
	col := strings.ToLower(m[1])
	values := strings.Split(row[1:len(row)-1], ",")
	for i, c := range strings.Split(cols[1], ",") {
		if strings.ToLower(strings.TrimSpace(c)) != col || i >= len(values) {
			continue
		}
		v := strings.TrimSpace(values[i])
		k, err := strconv.Atoi(strings.TrimPrefix(v, "$"))
		if !strings.HasPrefix(v, "$") || err != nil || k < 1 || k > args {
			return "", -1
		}
		return col, k - 1
	}
	return "", -1
}

// marks index, per table, the latest run that touches it in each way, so that whether a
// statement may move back past every later run is a few look-ups.
type marks struct {
	any, unkeyed, inserts map[string]int
	cols                  map[[2]string]int // table, key column
	keys                  map[[3]string]int // table, key column, key
}

func newMarks() *marks {
	return &marks{any: map[string]int{}, unkeyed: map[string]int{}, inserts: map[string]int{}, cols: map[[2]string]int{}, keys: map[[3]string]int{}}
}

func later(m map[string]int, k string, i int) bool { v, ok := m[k]; return ok && v > i }

// keyed is the table a statement writes when it writes only the rows of one key there.
func (s *stmt) keyed() (string, bool) {
	return s.write, s.keyCol != "" && s.write != ""
}

func (m *marks) record(i int, s *stmt) {
	bump := func(mm map[string]int, k string) { mm[k] = max(mm[k], i) }
	for t := range s.tables {
		bump(m.any, t)
		if t != s.write {
			// What a statement reads, any write to it must not pass.
			bump(m.unkeyed, t)
		}
	}
	t, ok := s.keyed()
	if !ok {
		if s.write != "" {
			bump(m.unkeyed, s.write)
		}
		return
	}
	if s.inserts {
		bump(m.inserts, t)
	}
	m.cols[[2]string{t, s.keyCol}] = max(m.cols[[2]string{t, s.keyCol}], i)
	m.keys[[3]string{t, s.keyCol, s.key}] = max(m.keys[[3]string{t, s.keyCol, s.key}], i)
}

// mayMoveBefore reports that s commutes with every statement in the runs after run i:
// none writes what s reads or reads what s writes, and writes to the table s writes are
// to other rows by the same key column (and are not both inserts, whose order an
// identity or serial column could see).
func (m *marks) mayMoveBefore(i int, s *stmt) bool {
	for _, t := range s.near {
		if p, ok := s.parentKeys[t]; ok {
			// A child row may pass writes to other parents' rows by the same key.
			if !m.keyedPast(i, t, p[0], p[1], false) {
				return false
			}
			continue
		}
		if later(m.any, t, i) {
			return false
		}
	}
	t, ok := s.keyed()
	for u := range s.tables {
		if (!ok || u != t) && later(m.any, u, i) {
			return false
		}
	}
	if !ok {
		return true
	}
	return m.keyedPast(i, t, s.keyCol, s.key, s.inserts)
}

// keyedPast reports that nothing after run i touches the row of table whose col is key,
// nor touches table otherwise than by col (nor, for an ordered insert, inserts into it).
func (m *marks) keyedPast(i int, table, col, key string, inserts bool) bool {
	if later(m.unkeyed, table, i) || (inserts && later(m.inserts, table, i)) {
		return false
	}
	if v, ok := m.keys[[3]string{table, col, key}]; ok && v > i {
		return false
	}
	for tc, v := range m.cols {
		if tc[0] == table && tc[1] != col && v > i {
			return false
		}
	}
	return true
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

// coalesce returns qs with runs merged, in an order equivalent to qs.
func (c *Coalescer) coalesce(ctx context.Context, tx pgx.Tx, qs []*pgx.QueuedQuery) ([]*pgx.QueuedQuery, error) {
	var runs []*run
	byText := map[string][]int{} // the runs of each text, in order
	m := newMarks()
	barrier := 0 // runs before it are closed
	for _, q := range qs {
		s := c.classify(q)
		if len(s.tables) == 0 {
			runs = append(runs, &run{sql: q.SQL, qs: []*pgx.QueuedQuery{q}})
			barrier = len(runs)
			continue
		}
		at := -1
		if s.kind != 0 {
			// The earliest run of the same text it may join: whether s commutes with
			// everything after a run only gets less likely the earlier the run, so the
			// search stops at the first it may not move before. Joining an earlier run
			// than the latest keeps a row's successive writes of one text (an invoice's
			// two items) from starting a new run for every row after it.
			texts := byText[q.SQL]
			for k := len(texts) - 1; k >= 0 && texts[k] >= barrier; k-- {
				i := texts[k]
				r := runs[i]
				if (s.kind == 'u' || s.kind == 'd') && r.keys[q.Arguments[0].(string)] || !m.mayMoveBefore(i, s) {
					break
				}
				if r.kind == s.kind && len(r.qs) < CoalescerLimit {
					at = i
				}
			}
			if at >= 0 {
				runs[at].qs = append(runs[at].qs, q)
			}
		}
		if at < 0 {
			at = len(runs)
			runs = append(runs, &run{sql: q.SQL, kind: s.kind, qs: []*pgx.QueuedQuery{q}, first: s, keys: map[string]bool{}})
			byText[q.SQL] = append(byText[q.SQL], at)
		}
		if s.kind == 'u' || s.kind == 'd' {
			runs[at].keys[q.Arguments[0].(string)] = true
		}
		m.record(at, s)
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
			merged, err = c.mergeInserts(ctx, tx, r)
		case 'u':
			merged, err = c.mergeUpdates(ctx, tx, r)
		case 'd':
			merged, err = c.mergeDeletes(ctx, tx, r)
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

// columns gathers the runs' arguments by parameter, one array per parameter, and the
// unnest(...) over them that gives one row per statement, in their order.
func columns(r *run, ts []string) (string, []any) {
	const v = "ledgerdesk_v"
	n := len(ts)
	args := make([]any, n)
	var src, names strings.Builder
	src.WriteString("unnest(")
	for k := range n {
		col := make([]any, len(r.qs))
		for i, q := range r.qs {
			col[i] = q.Arguments[k]
		}
		args[k] = col
		if k > 0 {
			src.WriteString(", ")
			names.WriteString(", ")
		}
		src.WriteString("$" + strconv.Itoa(k+1) + "::" + ts[k] + "[]")
		names.WriteString("p" + strconv.Itoa(k+1))
	}
	src.WriteString(") WITH ORDINALITY AS " + v + " (" + names.String() + ", ord)")
	return src.String(), args
}

// mergeInserts is INSERT INTO t (...) SELECT <the row> FROM unnest(...) ORDER BY ord:
// the same text however many rows, so that it is prepared once.
func (c *Coalescer) mergeInserts(ctx context.Context, tx pgx.Tx, r *run) (*pgx.QueuedQuery, error) {
	ts, err := c.paramTypes(ctx, tx, r.sql)
	if err != nil || len(ts) != len(r.qs[0].Arguments) {
		return nil, err
	}
	head := r.sql[:len(r.sql)-len(r.first.row)-len(r.first.tail)]
	head = strings.TrimSuffix(strings.TrimRightFunc(head, unicode.IsSpace), "VALUES")
	head = strings.TrimSuffix(head, "values")
	src, args := columns(r, ts)
	row := r.first.row[1 : len(r.first.row)-1]
	return &pgx.QueuedQuery{SQL: head + " SELECT " + renumber(row, 0, "ledgerdesk_v.p") + " FROM " + src + " ORDER BY ledgerdesk_v.ord" + r.first.tail, Arguments: args}, nil
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
		if strings.HasPrefix(t.Name, "_") {
			// An array parameter cannot be unnested into one row's value.
			ts = nil
			break
		}
		ts = append(ts, t.Name)
	}
	c.types[sql] = ts
	return ts, nil
}

// mergeUpdates is UPDATE t SET ... FROM unnest(...) WHERE ..., the parameters read from
// the unnested row.
func (c *Coalescer) mergeUpdates(ctx context.Context, tx pgx.Tx, r *run) (*pgx.QueuedQuery, error) {
	ts, err := c.paramTypes(ctx, tx, r.sql)
	if err != nil || len(ts) != len(r.qs[0].Arguments) {
		return nil, err
	}
	m := updateForm.FindStringSubmatch(r.sql)
	src, args := columns(r, ts)
	return &pgx.QueuedQuery{SQL: "UPDATE " + m[1] + " SET " + renumber(m[2], 0, "ledgerdesk_v.p") + " FROM " + src +
		" WHERE " + renumber(m[3], 0, "ledgerdesk_v.p"), Arguments: args}, nil
}

// mergeDeletes is DELETE FROM t USING unnest(...) WHERE ..., the parameters read from the
// unnested row.
func (c *Coalescer) mergeDeletes(ctx context.Context, tx pgx.Tx, r *run) (*pgx.QueuedQuery, error) {
	ts, err := c.paramTypes(ctx, tx, r.sql)
	if err != nil || len(ts) != len(r.qs[0].Arguments) {
		return nil, err
	}
	m := deleteForm.FindStringSubmatch(r.sql)
	src, args := columns(r, ts)
	return &pgx.QueuedQuery{SQL: "DELETE FROM " + m[1] + " USING " + src + " WHERE " + renumber(m[2], 0, "ledgerdesk_v.p"), Arguments: args}, nil
}
