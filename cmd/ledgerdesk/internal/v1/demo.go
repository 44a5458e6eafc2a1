package v1

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/adapters/v1csv"
	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/v1item"
)

// demoRows is the size of the demo's V1 export; demoSeed makes it the same every time.
const (
	demoRows = 300
	demoSeed = 20250203
)

// demoNamespace is the cause the demo's tick command ids derive from, so that loading
// the demo again replays its ticks instead of ticking twice.
var demoNamespace = uuid.MustParse("01948e2a-0000-7000-8000-00000000de70")

// demoImporter is who imports the demo's files: an administrator, as the demo.
var demoImporter = cli.As("system:demo", authz.Admin)

// demoClerk is the demo's accounts clerk for one tick, with the tick's derived command id.
func demoClerk(purpose string) app.Call {
	call := cli.As("system:demo", authz.Accounts)
	call.CommandID = commands.DerivedCommandID(demoNamespace, purpose)
	return call
}

// SeedDemo imports a generated V1 export through the ordinary import: a few hundred
// rows, one line repeated, two references given different figures in the file, two items
// dated after go-live, then a correction file that disagrees with an item on record; it
// ticks some items off and undoes one tick. Loading it again changes nothing.
func SeedDemo(ctx context.Context, d *wiring.Runtime) error {
	a, err := d.App()
	if err != nil {
		return err
	}
	goLive, err := goLive(ctx, d, a, demoImporter)
	if err != nil {
		return err
	}
	var export bytes.Buffer
	if err := v1csv.Generate(&export, demoRows, demoSeed, goLive); err != nil {
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
	opts := v1import.Options{SourceFile: "v1-demo-export.csv", At: at, Parse: v1csv.Options{}.Parse}
	rep, err := a.ImportV1(ctx, demoImporter, bytes.NewReader(export.Bytes()), opts)
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
	if _, err := a.ImportV1(ctx, demoImporter, bytes.NewReader(correction.Bytes()), opts); err != nil {
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
		if _, err := a.TickOffV1(ctx, demoClerk("tick "+r.Reference), r.Reference, "settled in V1 by BACS", at); err != nil {
			return fmt.Errorf("v1 demo: %w", err)
		}
		if ticked++; ticked == 1 {
			if _, err := a.UndoV1TickOff(ctx, demoClerk("undo "+r.Reference), r.Reference, "ticked before the BACS run cleared", at); err != nil {
				return fmt.Errorf("v1 demo: %w", err)
			}
		}
	}
	d.Log.Info("v1 demo loaded", "items", len(rep.Plan.New)+len(rep.Plan.Unchanged), "ticked_off", ticked-1)
	return nil
}
