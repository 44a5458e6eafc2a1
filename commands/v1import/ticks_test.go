package v1import_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/v1item"
)

func clerk(name string) commands.Metadata {
	return commands.Metadata{CommandID: commands.NewCommandID(), Actor: name}
}

func TestTickingOffRecordsWhoWhenAndTheNoteAndTwiceIsAnError(t *testing.T) {
	t.Parallel()
	deps, _ := memDeps(t)
	ctx := context.Background()
	if _, err := importText(t, deps, header+rowA+rowB, options("jan.csv")); err != nil {
		t.Fatal(err)
	}
	at := feb20.Add(24 * time.Hour)
	e, err := v1import.TickOff(ctx, deps, "V1-A", "BACS 21/02", at, clerk("clerk-3"))
	if err != nil || e.By != "clerk-3" || e.Note != "BACS 21/02" || !e.At.Equal(at) {
		t.Fatalf("tick = %+v, %v", e, err)
	}
	if _, err := v1import.TickOff(ctx, deps, "V1-A", "", at, clerk("clerk-4")); !errors.Is(err, v1item.ErrAlreadyTickedOff) {
		t.Fatalf("second tick: %v", err)
	}
	if _, err := v1import.TickOff(ctx, deps, "V1-B", "", at, clerk("clerk-4")); !errors.Is(err, v1item.ErrSettledInV1) {
		t.Fatalf("ticking an item V1 had paid: %v", err)
	}
	if _, err := v1import.TickOff(ctx, deps, "V1-NOPE", "", at, clerk("clerk-4")); !errors.Is(err, v1item.ErrNotImported) {
		t.Fatalf("ticking an unknown item: %v", err)
	}
	if _, err := v1import.TickOff(ctx, deps, "", "", at, clerk("clerk-4")); !errors.Is(err, v1item.ErrNotImported) {
		t.Fatalf("ticking no item: %v", err)
	}
}

func TestUndoingATickIsRecordedWithItsReason(t *testing.T) {
	t.Parallel()
	deps, _ := memDeps(t)
	ctx := context.Background()
	if _, err := importText(t, deps, header+rowA, options("jan.csv")); err != nil {
		t.Fatal(err)
	}
	at := feb20.Add(24 * time.Hour)
	if _, err := v1import.UndoTickOff(ctx, deps, "V1-A", "oops", at, clerk("clerk-3")); !errors.Is(err, v1item.ErrNotTickedOff) {
		t.Fatalf("undoing no tick: %v", err)
	}
	if _, err := v1import.TickOff(ctx, deps, "V1-A", "", at, clerk("clerk-3")); err != nil {
		t.Fatal(err)
	}
	if _, err := v1import.UndoTickOff(ctx, deps, "V1-A", "", at, clerk("clerk-3")); !errors.Is(err, v1item.ErrInvalidInput) {
		t.Fatalf("an undo needs a reason: %v", err)
	}
	e, err := v1import.UndoTickOff(ctx, deps, "V1-A", "ticked the wrong row", at.Add(time.Hour), clerk("clerk-5"))
	if err != nil || e.By != "clerk-5" || e.Reason != "ticked the wrong row" {
		t.Fatalf("undo = %+v, %v", e, err)
	}
	if s := loadItem(t, deps, "V1-A"); !s.Outstanding() {
		t.Fatalf("after the undo the item is outstanding again: %+v", s)
	}
}
