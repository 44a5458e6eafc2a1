package v1item

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"ledgerdesk/domain/check"
	"ledgerdesk/domain/ledger"
)

// Decide turns a command into events, or rejects it with no events.
func Decide(s State, c Command) ([]Event, error) {
	switch c := c.(type) {
	case Import:
		return importItem(s, c)
	case TickOff:
		return tickOff(s, c)
	case UndoTickOff:
		return undoTickOff(s, c)
	case RecordConflict:
		return recordConflict(s, c)
	default:
		return nil, fmt.Errorf("%w: %T", ErrUnknownCommand, c)
	}
}

func importItem(s State, c Import) ([]Event, error) {
	if ps := c.Check(); len(ps) > 0 {
		parts := make([]string, len(ps))
		for i, p := range ps {
			parts[i] = "field " + p.String()
		}
		return nil, fmt.Errorf("%w: %s", ErrInvalidFigures, strings.Join(parts, "; "))
	}
	if err := errors.Join(
		checkField("GoLive", CheckDate(c.GoLive)),
		checkActor("ImportedBy", c.ImportedBy),
		checkAt(c.At),
		checkField("SourceFile", checkText(c.SourceFile, true, MaxNameLen, false)),
	); err != nil {
		return nil, err
	}
	if c.SourceLine < 1 {
		return nil, check.Failf(ErrInvalidInput, "SourceLine", "%d is not a line number", c.SourceLine)
	}
	if s.imported {
		if diff := s.figures.Diff(c.Figures); len(diff) > 0 {
			return nil, &ConflictError{Reference: s.figures.Reference, Fields: diff, Existing: s.figures, Incoming: c.Figures,
				ExistingFile: s.sourceFile, ExistingLine: s.sourceLine}
		}
		return nil, nil
	}
	return []Event{V1ItemImported{
		Reference: c.Reference, ClinicianID: c.ClinicianID, ClinicianName: c.ClinicianName,
		PatientReference: c.PatientReference, WorkDate: c.WorkDate, Description: c.Description,
		Amount: c.Amount, Status: c.Status, GoLive: c.GoLive, Ledger: ledger.For(c.WorkDate, c.GoLive),
		ImportedBy: c.ImportedBy, At: c.At, SourceFile: c.SourceFile, SourceLine: c.SourceLine,
	}}, nil
}

func tickOff(s State, c TickOff) ([]Event, error) {
	if err := errors.Join(checkActor("By", c.By), checkAt(c.At),
		checkField("Note", checkText(c.Note, false, MaxTextLen, true))); err != nil {
		return nil, err
	}
	switch {
	case !s.imported:
		return nil, fmt.Errorf("%w: import it from V1's export before ticking it off", ErrNotImported)
	case s.SettledInV1():
		return nil, fmt.Errorf("%w: v1_reference %q was exported with status \"paid\", so there is nothing to tick off",
			ErrSettledInV1, s.figures.Reference)
	case s.tickedOff:
		return nil, fmt.Errorf("%w: v1_reference %q was ticked off by %s at %s",
			ErrAlreadyTickedOff, s.figures.Reference, s.tickedBy, s.tickedAt.Format(time.RFC3339))
	}
	return []Event{TickedOff{Reference: s.figures.Reference, By: c.By, At: c.At, Note: c.Note}}, nil
}

func undoTickOff(s State, c UndoTickOff) ([]Event, error) {
	if err := errors.Join(checkActor("By", c.By), checkAt(c.At),
		checkField("Reason", checkText(c.Reason, true, MaxTextLen, true))); err != nil {
		return nil, err
	}
	switch {
	case !s.imported:
		return nil, fmt.Errorf("%w: there is no tick to undo", ErrNotImported)
	case !s.tickedOff:
		return nil, fmt.Errorf("%w: v1_reference %q has no tick to undo", ErrNotTickedOff, s.figures.Reference)
	}
	return []Event{TickOffUndone{Reference: s.figures.Reference, By: c.By, At: c.At, Reason: c.Reason}}, nil
}

func recordConflict(s State, c RecordConflict) ([]Event, error) {
	if err := errors.Join(checkActor("By", c.By), checkAt(c.At),
		checkField("SourceFile", checkText(c.SourceFile, true, MaxNameLen, false))); err != nil {
		return nil, err
	}
	if len(c.Variants) == 0 || len(c.Variants) > MaxVariants {
		return nil, fmt.Errorf("%w: field Variants: %d sets of figures given; a conflict has 1 to %d",
			ErrInvalidInput, len(c.Variants), MaxVariants)
	}
	ref := c.Variants[0].Reference
	// Merge identical figures so that a line repeated exactly is one variant, not two.
	var rows []ConflictingRow
	index := map[string]int{}
	for i, v := range c.Variants {
		if ps := v.Check(); len(ps) > 0 {
			return nil, fmt.Errorf("%w: variant %d: field %s", ErrInvalidFigures, i+1, ps[0])
		}
		if v.Reference != ref {
			return nil, check.Failf(ErrInvalidInput, "v1_reference", "variant %d is for %q, not %q", i+1, v.Reference, ref)
		}
		if len(v.Lines) == 0 || len(v.Lines) > MaxConflictLines {
			return nil, check.Failf(ErrInvalidInput, "Lines", "variant %d names %d lines; it needs 1 to %d", i+1, len(v.Lines), MaxConflictLines)
		}
		for _, l := range v.Lines {
			if l < 1 {
				return nil, check.Failf(ErrInvalidInput, "Lines", "%d is not a line number", l)
			}
		}
		key := v.Fingerprint()
		if j, ok := index[key]; ok {
			rows[j].Lines = append(rows[j].Lines, v.Lines...)
			continue
		}
		index[key] = len(rows)
		rows = append(rows, rowOf(v.Figures, v.Lines))
	}
	for i := range rows {
		rows[i].Lines = sortedUnique(rows[i].Lines)
		if len(rows[i].Lines) > MaxConflictLines {
			return nil, check.Failf(ErrInvalidInput, "Lines", "more than %d lines give one set of figures", MaxConflictLines)
		}
	}
	slices.SortFunc(rows, func(a, b ConflictingRow) int { return cmp.Compare(a.Lines[0], b.Lines[0]) })

	all := make([]Figures, 0, len(rows)+1)
	if s.imported {
		all = append(all, s.figures)
	}
	for _, r := range rows {
		all = append(all, r.Figures(ref))
	}
	var fields []string
	for _, f := range all[1:] {
		fields = union(fields, all[0].Diff(f))
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("%w: v1_reference %q: the figures agree with each other and with the item on record",
			ErrNoConflict, ref)
	}
	sig := conflictSignature(ref, rows)
	if slices.Contains(s.conflicts, sig) {
		return nil, nil // the same disagreement, met again (a re-import): already on record
	}
	return []Event{ImportConflictRecorded{Reference: ref, Fields: fields, WithExisting: s.imported, Variants: rows,
		SourceFile: c.SourceFile, RecordedBy: c.By, At: c.At}}, nil
}

func rowOf(f Figures, lines []int) ConflictingRow {
	return ConflictingRow{Lines: slices.Clone(lines), ClinicianID: f.ClinicianID, ClinicianName: f.ClinicianName,
		PatientReference: f.PatientReference, WorkDate: f.WorkDate, Description: f.Description, Amount: f.Amount, Status: f.Status}
}

// conflictSignature identifies a disagreement by the figures involved, not by the file or
// lines they came from, so the same export imported twice records it once.
func conflictSignature(ref string, rows []ConflictingRow) string {
	prints := make([]string, len(rows))
	for i, r := range rows {
		prints[i] = r.Figures(ref).Fingerprint()
	}
	slices.Sort(prints)
	return strings.Join(slices.Compact(prints), ",")
}

func sortedUnique(lines []int) []int {
	out := slices.Clone(lines)
	slices.Sort(out)
	return slices.Compact(out)
}

// union merges two field lists, keeping column order.
func union(a, b []string) []string {
	var out []string
	for _, f := range Fields() {
		if slices.Contains(a, f) || slices.Contains(b, f) {
			out = append(out, f)
		}
	}
	return out
}

func checkField(field, reason string) error {
	if reason == "" {
		return nil
	}
	return check.Failf(ErrInvalidInput, field, "%s", reason)
}

func checkActor(field, id string) error {
	return check.ID(ErrInvalidInput, field, id, check.MaxIDLength)
}

func checkAt(t time.Time) error {
	if t.IsZero() {
		return checkField("At", "no time given")
	}
	if y := t.UTC().Year(); y < MinYear || y > MaxYear {
		return checkField("At", fmt.Sprintf("year %d is outside %d–%d", y, MinYear, MaxYear))
	}
	return nil
}
