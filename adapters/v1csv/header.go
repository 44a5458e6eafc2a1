package v1csv

import (
	"fmt"
	"strings"

	"ledgerdesk/domain/v1item"
)

// columns maps each required column to its index in the file.
type columns map[string]int

// readHeader matches column names case-insensitively and ignoring surrounding spaces; the
// order is free and unknown columns are ignored, so a V1 export with extra columns still
// loads. A missing or repeated required column makes the whole file unreadable.
func readHeader(record []string, line int) (columns, error) {
	cols := columns{}
	required := map[string]bool{}
	for _, f := range v1item.Fields() {
		required[f] = true
	}
	for i, raw := range record {
		name := strings.ToLower(strings.TrimSpace(raw))
		if !required[name] {
			continue
		}
		if first, dup := cols[name]; dup {
			return nil, fmt.Errorf("%w: line %d: %s is both column %d and column %d", ErrDuplicateColumn, line, name, first+1, i+1)
		}
		cols[name] = i
	}
	var missing []string
	for _, f := range v1item.Fields() {
		if _, ok := cols[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		found := make([]string, 0, len(record))
		for _, raw := range record {
			found = append(found, shown(raw))
		}
		return nil, fmt.Errorf("%w: line %d has no column named %s (it has %s); the first row must name the columns %s",
			ErrMissingColumns, line, strings.Join(missing, ", "), strings.Join(found, ", "), strings.Join(v1item.Fields(), ", "))
	}
	return cols, nil
}
