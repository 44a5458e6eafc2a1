package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/adapters/v1csv"
	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/v1item"
)

// v1DemoRows is the size of the demo's V1 export; v1DemoSeed makes it the same every time.
const (
	v1DemoRows = 300
	v1DemoSeed = 20250203
)

// v1DemoNamespace is the cause the demo's tick command ids derive from, so that loading
// the demo again replays its ticks instead of ticking twice.
var v1DemoNamespace = uuid.MustParse("01948e2a-0000-7000-8000-00000000de70")

// v1SeedDemo imports a generated V1 export through the ordinary import: a few hundred
// rows, one line repeated, two references given different figures in the file, two items
// dated after go-live, then a correction file that disagrees with an item on record; it
// ticks some items off and undoes one tick. Loading it again changes nothing.
func v1SeedDemo(ctx context.Context, d *deps, cmds commands.Deps) error {
	goLive, err := v1GoLive(ctx, d, cmds)
	if err != nil {
		return err
	}
	var export bytes.Buffer
	if err := v1csv.Generate(&export, v1DemoRows, v1DemoSeed, goLive); err != nil {
		return err
	}
	lines := strings.SplitAfter(export.String(), "\r\n")
	after := goLive.StartInLondon().AddDate(0, 0, 2).Format("02/01/2006")
	export.WriteString(lines[5]) // line 6 again, exactly: counted once
	export.WriteString("V1-0000007,clin-007,Dr Joseph Lister,P-00007,2025-01-06,Consultation,\"£12,345.67\",pending\r\n")
	export.WriteString("V1-0000042,clin-002,Dr Mary Turing,P-00042,2025-01-07,Letter to GP,0.01,pending\r\n")
	export.WriteString("V1-9000001,clin-001,Dr Grace Hopper,P-00001," + after + ",Consultation after go-live,250.00,pending\r\n")
	export.WriteString("V1-9000002,clin-003,Dr Alan Darwin,P-00003," + after + ",Psychiatric report,\"£1,100.00\",pending\r\n")
	at := time.Now()
	opts := v1import.Options{SourceFile: "v1-demo-export.csv", By: "system:demo", At: at, Parse: v1csv.Options{}.Parse}
	rep, err := v1import.Import(ctx, cmds, bytes.NewReader(export.Bytes()), opts)
	if err != nil {
		return fmt.Errorf("v1 demo: %w", err)
	}

	parsed, err := v1csv.Parse(strings.NewReader(export.String()), v1csv.Options{})
	if err != nil {
		return err
	}
	var correction bytes.Buffer
	correction.WriteString(lines[0])
	row := parsed.Rows[10]
	correction.WriteString(fmt.Sprintf("%s,%s,%s,%s,%s,%s,%s,%s\r\n", row.Reference, row.ClinicianID, row.ClinicianName, row.PatientReference,
		row.WorkDate, "Corrected in V1", row.Amount.Add(row.Amount), row.Status))
	opts.SourceFile = "v1-demo-correction.csv"
	if _, err := v1import.Import(ctx, cmds, bytes.NewReader(correction.Bytes()), opts); err != nil {
		return fmt.Errorf("v1 demo: %w", err)
	}

	conflicted := map[string]bool{}
	for _, c := range rep.Plan.FileConflicts {
		conflicted[c.Reference] = true
	}
	ticked := 0
	for i, r := range parsed.Rows {
		if i%5 != 0 || r.Status != v1item.StatusPending || conflicted[r.Reference] || ticked == 40 {
			continue
		}
		meta := commands.Metadata{CommandID: commands.DerivedCommandID(v1DemoNamespace, "tick "+r.Reference), Actor: "system:demo"}
		if _, err := v1import.TickOff(ctx, cmds, r.Reference, "settled in V1 by BACS", at, meta); err != nil {
			return fmt.Errorf("v1 demo: %w", err)
		}
		if ticked++; ticked == 1 {
			meta := commands.Metadata{CommandID: commands.DerivedCommandID(v1DemoNamespace, "undo "+r.Reference), Actor: "system:demo"}
			if _, err := v1import.UndoTickOff(ctx, cmds, r.Reference, "ticked before the BACS run cleared", at, meta); err != nil {
				return fmt.Errorf("v1 demo: %w", err)
			}
		}
	}
	d.log.Info("v1 demo loaded", "items", len(rep.Plan.New)+len(rep.Plan.Unchanged), "ticked_off", ticked-1)
	return nil
}
