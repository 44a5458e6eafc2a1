package v1rows

import (
	"fmt"
	"strconv"
	"strings"

	"ledgerdesk/domain/money"
	"ledgerdesk/domain/v1item"
)

// ImportPlan classifies every row of a file against what was already imported. Every row
// lands in exactly one place: New, Unchanged, Repeats, FileConflicts or ExistingConflicts.
type ImportPlan struct {
	// New rows are references not imported before: import these, in file order.
	New []Row
	// Unchanged rows repeat an item already imported with identical figures: skip them.
	Unchanged []Row
	// Repeats are later lines identical to an earlier line of the same file: counted once.
	Repeats []Repeat
	// FileConflicts are references given different figures on different lines of this
	// file: none of those lines is imported, because the file cannot say which is right.
	FileConflicts []FileConflict
	// ExistingConflicts are rows whose figures differ from the item already imported.
	ExistingConflicts []ExistingConflict
}

// Repeat is a line that repeats an earlier line exactly.
type Repeat struct {
	Line      int
	FirstLine int
	Reference string
}

func (r Repeat) String() string {
	return fmt.Sprintf("line %d repeats line %d exactly (v1_reference %q); it is counted once", r.Line, r.FirstLine, r.Reference)
}

// FileConflict is a reference that this file gives different figures.
type FileConflict struct {
	Reference string
	// Lines are every line with this reference, in file order.
	Lines []int
	// Fields are the columns that are not the same on all those lines.
	Fields []string
	// Rows are those lines' rows, for recording the disagreement.
	Rows []Row
}

func (c FileConflict) String() string {
	return fmt.Sprintf("v1_reference %q appears on lines %s with a different %s; none of these lines was imported",
		c.Reference, joinLines(c.Lines), strings.Join(c.Fields, ", "))
}

// ExistingConflict is a row that disagrees with the item already imported.
type ExistingConflict struct {
	Row      Row
	Existing v1item.Figures
	Fields   []string
}

func (c ExistingConflict) String() string {
	return fmt.Sprintf("line %d, v1_reference %q: already imported with a different %s; this line was not imported",
		c.Row.Line, c.Row.Reference, strings.Join(c.Fields, ", "))
}

// Counts summarise a plan; Rows is the sum of the others except FileConflicts (a count of
// references, whose rows are FileConflictRows) and NewTotal (the money in the New rows).
type Counts struct {
	Rows              int
	New               int
	Unchanged         int
	Repeats           int
	FileConflicts     int
	FileConflictRows  int
	ExistingConflicts int
	NewTotal          money.Amount
}

// Counts summarises the plan.
func (p ImportPlan) Counts() Counts {
	c := Counts{New: len(p.New), Unchanged: len(p.Unchanged), Repeats: len(p.Repeats),
		FileConflicts: len(p.FileConflicts), ExistingConflicts: len(p.ExistingConflicts)}
	for _, fc := range p.FileConflicts {
		c.FileConflictRows += len(fc.Lines)
	}
	for _, r := range p.New {
		c.NewTotal = c.NewTotal.Add(r.Amount)
	}
	c.Rows = c.New + c.Unchanged + c.Repeats + c.FileConflictRows + c.ExistingConflicts
	return c
}

// HasConflicts reports whether any row disagrees with another or with what exists.
func (p ImportPlan) HasConflicts() bool {
	return len(p.FileConflicts) > 0 || len(p.ExistingConflicts) > 0
}

// Conflicts lists every conflict as a sentence, file conflicts first, each in line order.
func (p ImportPlan) Conflicts() []string {
	var out []string
	for _, c := range p.FileConflicts {
		out = append(out, c.String())
	}
	for _, c := range p.ExistingConflicts {
		out = append(out, c.String())
	}
	return out
}

// Plan classifies rows (valid rows of a parsed file, in file order) against existing, the
// figures already imported keyed by V1 reference. It is pure: loading existing and acting
// on the plan, all or nothing or row by row, is the caller's choice.
func Plan(rows []Row, existing map[string]v1item.Figures) ImportPlan {
	groups := map[string][]Row{}
	var order []string
	for _, r := range rows {
		if _, seen := groups[r.Reference]; !seen {
			order = append(order, r.Reference)
		}
		groups[r.Reference] = append(groups[r.Reference], r)
	}
	var p ImportPlan
	for _, ref := range order {
		g := groups[ref]
		first := g[0]
		var fields []string
		for _, r := range g[1:] {
			fields = union(fields, first.Diff(r.Figures))
		}
		if len(fields) > 0 {
			lines := make([]int, len(g))
			for i, r := range g {
				lines[i] = r.Line
			}
			p.FileConflicts = append(p.FileConflicts, FileConflict{Reference: ref, Lines: lines, Fields: fields, Rows: g})
			continue
		}
		for _, r := range g[1:] {
			p.Repeats = append(p.Repeats, Repeat{Line: r.Line, FirstLine: first.Line, Reference: ref})
		}
		old, ok := existing[ref]
		switch diff := old.Diff(first.Figures); {
		case !ok:
			p.New = append(p.New, first)
		case len(diff) == 0:
			p.Unchanged = append(p.Unchanged, first)
		default:
			p.ExistingConflicts = append(p.ExistingConflicts, ExistingConflict{Row: first, Existing: old, Fields: diff})
		}
	}
	return p
}

// union merges two field lists, keeping column order.
func union(a, b []string) []string {
	in := map[string]bool{}
	for _, f := range a {
		in[f] = true
	}
	for _, f := range b {
		in[f] = true
	}
	var out []string
	for _, f := range v1item.Fields() {
		if in[f] {
			out = append(out, f)
		}
	}
	return out
}

func joinLines(lines []int) string {
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = strconv.Itoa(l)
	}
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
