package v1item

import (
	"errors"
	"fmt"
	"strings"
	"time"
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
		return nil, fmt.Errorf("%w: field SourceLine: %d is not a line number", ErrInvalidCommand, c.SourceLine)
	}
	if !c.WorkDate.Before(c.GoLive) {
		return nil, fmt.Errorf("%w: field work_date: %s is on or after the go-live date %s, so it belongs to V2",
			ErrNotV1Work, c.WorkDate, c.GoLive)
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
		Amount: c.Amount, Status: c.Status, GoLive: c.GoLive,
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

func checkField(field, reason string) error {
	if reason == "" {
		return nil
	}
	return fmt.Errorf("%w: field %s: %s", ErrInvalidCommand, field, reason)
}

func checkActor(field, id string) error {
	return checkField(field, checkText(id, true, MaxIDLen, false))
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
