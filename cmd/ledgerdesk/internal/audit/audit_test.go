package audit_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/clitest"
	"ledgerdesk/cmd/ledgerdesk/internal/operations"
	v1 "ledgerdesk/cmd/ledgerdesk/internal/v1"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/projector"

	"github.com/cloudevents/sdk-go/v2/event"

	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/commands"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// TestMain keeps these tests, which wait for read models, apart from the process tests
// (see clitest.Main).
func TestMain(m *testing.M) { os.Exit(clitest.Main(m, false)) }

// auditFixture is a database with the demo data, a patient's appointment and a paid
// invoice whose item description is personal data, and every read model caught up.
type auditFixture struct {
	d             *wiring.Runtime
	cmds          commands.Deps
	beforeItem    time.Time
	itemDesc      string
	patient       string
	invoiceStream string
}

func newAuditFixture(t *testing.T) *auditFixture {
	t.Helper()
	ctx := context.Background()
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	d := clitest.Open(t)
	cmds, err := d.CommandDeps()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v1.EnsureGoLive(ctx, d); err != nil {
		t.Fatal(err)
	}
	if s, _, err := commands.Load(ctx, cmds, cutover.Decider, cutover.StreamID); err != nil {
		t.Fatal(err)
	} else if _, ok := s.GoLive(); !ok {
		golive, _ := ledger.ParseDate("2025-02-03")
		auditExec(t, cmds, cutover.Decider, cutover.StreamID, cutover.Command(cutover.ScheduleGoLive{Date: golive, At: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)}))
	}
	if err := operations.SeedDemo(ctx, d); err != nil {
		t.Fatal(err)
	}
	f := &auditFixture{d: d, cmds: cmds, patient: "patient-audit-1", itemDesc: "Letter to GP about Ms Example", invoiceStream: invoice.StreamID("inv-audit-1")}
	at := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	auditExec(t, cmds, appointment.Decider, appointment.StreamID("appt-audit-1"), appointment.Command(appointment.Book{AppointmentID: "appt-audit-1", PatientID: f.patient, ClinicianID: "clin-audit-1", StartsAt: at, Fee: money.GBP("250.00"), At: at.Add(-48 * time.Hour)}))
	auditExec(t, cmds, appointment.Decider, appointment.StreamID("appt-audit-1"), appointment.Command(appointment.Complete{AppointmentID: "appt-audit-1", At: at.Add(time.Hour)}))
	auditExec(t, cmds, invoice.Decider, f.invoiceStream, invoice.Command(invoice.Raise{InvoiceID: "inv-audit-1", PatientID: f.patient, At: at}))
	f.beforeItem = time.Now()
	time.Sleep(10 * time.Millisecond)
	auditExec(t, cmds, invoice.Decider, f.invoiceStream, invoice.Command(invoice.AddBillableItem{InvoiceID: "inv-audit-1", ItemID: "item-1", ClinicianID: "clin-audit-1", Description: f.itemDesc, Amount: money.GBP("80.00"), At: at}))
	auditExec(t, cmds, invoice.Decider, f.invoiceStream, invoice.Command(invoice.Issue{InvoiceID: "inv-audit-1", At: at}))
	auditExec(t, cmds, invoice.Decider, f.invoiceStream, invoice.Command(invoice.RecordPayment{InvoiceID: "inv-audit-1", PaymentID: "pay-1", Amount: money.GBP("80.00"), At: at}))
	f.catchUp(t)
	return f
}

func auditExec[S, C any, E decider.Event](t *testing.T, cmds commands.Deps, agg decider.Decider[S, C, E], stream string, cmd C) {
	t.Helper()
	meta := commands.Metadata{CommandID: commands.NewCommandID(), Actor: "auditor-test"}
	if _, err := commands.Execute(context.Background(), cmds, agg, stream, cmd, meta); err != nil {
		t.Fatalf("%T: %v", cmd, err)
	}
}

// catchUp runs every read model until none lags.
func (f *auditFixture) catchUp(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	models, err := f.d.ReadModels()
	if err != nil {
		t.Fatal(err)
	}
	runner, err := projector.NewRunner(ctx, projector.Config{Store: f.d.Store, DB: f.d.DB, Projections: models})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = runner.Run(ctx) }()
	defer func() { cancel(); <-done }()
	var names []string
	for _, m := range models {
		names = append(names, m.Name())
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		st, err := projector.StatusOf(context.Background(), f.d.DB, f.d.Store, names)
		if err != nil {
			t.Fatal(err)
		}
		behind := 0
		for _, s := range st {
			if s.Lag != 0 {
				behind++
			}
		}
		if behind == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("read models did not catch up: %+v", st)
		}
	}
}

func exitStatus(err error) int {
	var e cli.ExitError
	if errors.As(err, &e) {
		return int(e)
	}
	if err != nil {
		return 1
	}
	return 0
}

func TestAuditCommands(t *testing.T) {
	f := newAuditFixture(t)

	t.Run("history lists every event with its actor, correlation and decoded data", func(t *testing.T) {
		out, err := clitest.Run(t, "audit", "history", f.invoiceStream, "--json")
		if err != nil {
			t.Fatal(err)
		}
		var entries []struct {
			Version       uint64
			Type          string
			Actor         string
			CorrelationID string `json:"correlation_id"`
			Data          json.RawMessage
		}
		if err := json.Unmarshal([]byte(out), &entries); err != nil {
			t.Fatalf("%v in %s", err, out)
		}
		if len(entries) != 5 || entries[1].Type != "invoice.billable_item_added.v1" || entries[1].Actor != "auditor-test" || entries[1].CorrelationID == "" {
			t.Fatalf("history = %+v, want the invoice's 5 events with actor and correlation", entries)
		}
		if !strings.Contains(string(entries[1].Data), f.itemDesc) {
			t.Fatalf("item data = %s, want the decrypted description", entries[1].Data)
		}
		table, err := clitest.Run(t, "audit", "history", f.invoiceStream)
		if err != nil || !strings.Contains(table, "CORRELATION") || !strings.Contains(table, "invoice.paid_in_full.v1") {
			t.Fatalf("table = %q, %v", table, err)
		}
	})

	t.Run("as-of folds only what was recorded by then", func(t *testing.T) {
		out, err := clitest.Run(t, "audit", "as-of", f.beforeItem.Format(time.RFC3339Nano), "invoice", "inv-audit-1", "--json")
		if err != nil {
			t.Fatal(err)
		}
		var snap struct {
			Version uint64
			State   invoice.State
		}
		if err := json.Unmarshal([]byte(out), &snap); err != nil {
			t.Fatalf("%v in %s", err, out)
		}
		if snap.Version != 1 || snap.State.Status != invoice.StatusDraft || len(snap.State.Items) != 0 {
			t.Fatalf("as of before the item: %+v, want the draft at version 1 with no items", snap)
		}
		now, err := clitest.Run(t, "audit", "as-of", time.Now().Add(time.Minute).Format(time.RFC3339), "invoice", "inv-audit-1")
		if err != nil || !strings.Contains(now, `"Status": "paid"`) {
			t.Fatalf("as of now = %q, %v; want the paid invoice", now, err)
		}
		if _, err := clitest.Run(t, "audit", "as-of", "2025-02-03", "spaceship", "x"); err == nil {
			t.Fatal("an unknown kind was accepted")
		}
	})

	t.Run("export writes CloudEvents the SDK reads back", func(t *testing.T) {
		out, err := clitest.Run(t, "audit", "export", "--from", "2000-01-01", "--to", time.Now().Add(time.Hour).Format(time.RFC3339))
		if err != nil {
			t.Fatal(err)
		}
		var n int
		found := false
		sc := bufio.NewScanner(strings.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var ce event.Event
			if err := ce.UnmarshalJSON(sc.Bytes()); err != nil {
				t.Fatalf("line %d: %v: %s", n+1, err, sc.Text())
			}
			if err := ce.Validate(); err != nil {
				t.Fatalf("line %d: %v", n+1, err)
			}
			if ce.ID() == "" || ce.Source() == "" || ce.Type() == "" || ce.Time().IsZero() || len(ce.Data()) == 0 {
				t.Fatalf("line %d lacks id, source, type, time or data: %s", n+1, sc.Text())
			}
			if ce.Type() == "invoice.billable_item_added.v1" && strings.Contains(string(ce.Data()), f.itemDesc) {
				found = true
			}
			n++
		}
		if n == 0 || !found {
			t.Fatalf("exported %d events, billable item found: %v", n, found)
		}
		none, err := clitest.Run(t, "audit", "export", "--from", "2000-01-01", "--to", "2000-01-02")
		if err != nil || none != "" {
			t.Fatalf("export of an empty window = %q, %v", none, err)
		}
	})

	t.Run("replay finds the live read models identical, twice", func(t *testing.T) {
		for i := range 2 {
			out, err := clitest.Run(t, "audit", "replay")
			if err != nil {
				t.Fatalf("replay %d: %v\n%s", i+1, err, out)
			}
			if !strings.Contains(out, "identical to the live one") {
				t.Fatalf("replay %d: %s", i+1, out)
			}
		}
		var shadows int
		if err := f.d.DB.QueryRow(context.Background(), `SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'audit\_%'`).Scan(&shadows); err != nil || shadows != 0 {
			t.Fatalf("%d shadow schemas left behind (%v)", shadows, err)
		}
	})

	t.Run("replay names a difference and exits 2", func(t *testing.T) {
		if _, err := f.d.DB.Exec(context.Background(), `UPDATE proj_appointments.appointments SET fee = fee + 1 WHERE appointment_id = 'appt-audit-1'`); err != nil {
			t.Fatal(err)
		}
		defer func() {
			_, _ = f.d.DB.Exec(context.Background(), `UPDATE proj_appointments.appointments SET fee = fee - 1 WHERE appointment_id = 'appt-audit-1'`)
		}()
		out, err := clitest.Run(t, "audit", "replay")
		if exitStatus(err) != 2 || !strings.Contains(out, "appointments: table appointments differs") || !strings.Contains(out, "251.00") {
			t.Fatalf("replay of a doctored read model = %v\n%s", err, out)
		}
	})

	t.Run("privacy erase makes the person's data read as erased while the money stays", func(t *testing.T) {
		out, err := clitest.Run(t, "privacy", "erase", f.patient)
		if err != nil || !strings.Contains(out, "erased") {
			t.Fatalf("erase = %q, %v", out, err)
		}
		hist, err := clitest.Run(t, "audit", "history", f.invoiceStream, "--json")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(hist, f.itemDesc) || !strings.Contains(hist, "[erased]") || !strings.Contains(hist, `"80.00"`) {
			t.Fatalf("history after erasure still shows the description, or lost the amount:\n%s", hist)
		}
		exp, err := clitest.Run(t, "audit", "export")
		if err != nil || strings.Contains(exp, f.itemDesc) {
			t.Fatalf("export after erasure: %v, description present: %v", err, strings.Contains(exp, f.itemDesc))
		}
		if out, err := clitest.Run(t, "audit", "replay"); err != nil {
			t.Fatalf("replay after erasure: %v\n%s", err, out)
		}
		snap, err := clitest.Run(t, "audit", "as-of", time.Now().Add(time.Minute).Format(time.RFC3339), "invoice", "inv-audit-1")
		if err != nil || !strings.Contains(snap, `"Total": "80.00"`) || !strings.Contains(snap, `"Paid": "80.00"`) {
			t.Fatalf("invoice after erasure = %s, %v; want its figures unchanged", snap, err)
		}
	})

	t.Run("verify passes on an untouched history and names an edited event", func(t *testing.T) {
		out, err := clitest.Run(t, "audit", "verify")
		if err != nil || !strings.Contains(out, "chain intact") {
			t.Fatalf("verify = %q, %v", out, err)
		}
		entries, err := clitest.Run(t, "audit", "history", f.invoiceStream, "--json")
		if err != nil {
			t.Fatal(err)
		}
		var list []struct {
			EventID string `json:"event_id"`
		}
		if err := json.Unmarshal([]byte(entries), &list); err != nil || len(list) < 4 {
			t.Fatal(err, list)
		}
		victim := list[3].EventID // the payment
		ctx := context.Background()
		if _, err := f.d.DB.Exec(ctx, `ALTER TABLE events DISABLE TRIGGER events_append_only`); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.DB.Exec(ctx, `UPDATE events SET data = jsonb_set(data, '{amount}', '"8.00"') WHERE event_id = $1`, victim); err != nil {
			t.Fatal(err)
		}
		out, err = clitest.Run(t, "audit", "verify")
		if exitStatus(err) != 2 || !strings.Contains(out, victim) || !strings.Contains(out, "changed after sealing") {
			t.Fatalf("verify after tampering = %v\n%s", err, out)
		}
	})
}
