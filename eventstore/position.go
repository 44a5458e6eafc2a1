package eventstore

import (
	"fmt"
	"strconv"
	"strings"
)

// Position is a place in the global order. Positions compare by Commit, then Prepare.
//
// The two numbers mean what each adapter needs to make a tail safe:
//   - Postgres: Commit is the appending transaction's id (xid8) and Prepare the row's
//     sequence number. Readers read only below the oldest running transaction that may
//     append, so a transaction that commits late still sorts after everything a reader
//     has seen.
//   - EventStoreDB/KurrentDB: its own commit and prepare positions in the transaction log.
//
// The zero Position is the start, before every event.
type Position struct {
	Commit  uint64
	Prepare uint64
}

// Start is the position before the first event.
var Start = Position{}

// Compare is -1, 0 or +1.
func (p Position) Compare(q Position) int {
	switch {
	case p.Commit < q.Commit:
		return -1
	case p.Commit > q.Commit:
		return 1
	case p.Prepare < q.Prepare:
		return -1
	case p.Prepare > q.Prepare:
		return 1
	}
	return 0
}

// Before reports whether p sorts strictly before q.
func (p Position) Before(q Position) bool { return p.Compare(q) < 0 }

// String is "commit/prepare", the form ParsePosition reads.
func (p Position) String() string { return fmt.Sprintf("%d/%d", p.Commit, p.Prepare) }

// ParsePosition reads "commit/prepare".
func ParsePosition(s string) (Position, error) {
	c, pr, ok := strings.Cut(s, "/")
	if !ok {
		return Position{}, fmt.Errorf("position %q: want COMMIT/PREPARE", s)
	}
	commit, err := strconv.ParseUint(c, 10, 64)
	if err != nil {
		return Position{}, fmt.Errorf("position %q: commit part: %w", s, err)
	}
	prepare, err := strconv.ParseUint(pr, 10, 64)
	if err != nil {
		return Position{}, fmt.Errorf("position %q: prepare part: %w", s, err)
	}
	return Position{Commit: commit, Prepare: prepare}, nil
}
