package audit

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// tableSum is what is compared of one table: its columns, how many rows it has, and a
// checksum of their content.
//
// The checksum is a sum, over the rows, of the md5 of each row's text, split into two
// 64-bit halves summed separately: a multiset hash. Summing needs no ordering, so it is
// deterministic whatever order rows were written or are scanned in (ordering rows of
// arbitrary column types by their text form is not, under a collation), and it streams in
// constant memory, where a string_agg of a whole table would not.
type tableSum struct {
	Columns string
	Rows    int64
	Sum     string
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// schemaSums checksums every table of schema.
func schemaSums(ctx context.Context, q querier, schema string) (map[string]tableSum, error) {
	rows, err := q.Query(ctx, `
		SELECT c.table_name, string_agg(c.column_name || ' ' || c.data_type, ', ' ORDER BY c.ordinal_position)
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE'
		GROUP BY c.table_name`, schema)
	if err != nil {
		return nil, fmt.Errorf("tables of %s: %w", schema, err)
	}
	sums := map[string]tableSum{}
	for rows.Next() {
		var name, cols string
		if err := rows.Scan(&name, &cols); err != nil {
			rows.Close()
			return nil, err
		}
		sums[name] = tableSum{Columns: cols}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range slices.Sorted(maps.Keys(sums)) {
		s := sums[name]
		table := pgx.Identifier{schema, name}.Sanitize()
		err := q.QueryRow(ctx, `SELECT count(*),
			coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text || '/' ||
			coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text
			FROM (SELECT md5(t::text) AS h FROM `+table+` t) r`).Scan(&s.Rows, &s.Sum)
		if err != nil {
			return nil, fmt.Errorf("checksum of %s: %w", table, err)
		}
		sums[name] = s
	}
	return sums, nil
}

// sampleDiff lists up to limit rows (as text) that are in table a but not in table b.
func sampleDiff(ctx context.Context, q querier, a, b pgx.Identifier, limit int) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT r FROM (SELECT t::text AS r FROM `+a.Sanitize()+` t EXCEPT ALL SELECT t::text FROM `+b.Sanitize()+` t) d ORDER BY r LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	for i, r := range out {
		if rs := []rune(r); len(rs) > 300 {
			out[i] = string(rs[:300]) + "…"
		}
	}
	return out, err
}

func joinOr(xs []string, none string) string {
	if len(xs) == 0 {
		return none
	}
	return strings.Join(xs, "; ")
}
