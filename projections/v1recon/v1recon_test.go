package v1recon_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"ledgerdesk/projections"

	"ledgerdesk/projector"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/adapters/v1csv"
	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/v1item"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections/v1recon"
)

var (
	goLive = ledger.Date{Year: 2025, Month: time.February, Day: 3}
	feb20  = time.Date(2025, 2, 20, 10, 0, 0, 0, ledger.London)
)

const header = "v1_reference,clinician_id,clinician_name,patient_reference,work_date,description,amount,status\n"

type env struct {
	t     *testing.T
	ctx   context.Context
	pool  *pgxpool.Pool
	store eventstore.Store
	deps  commands.Deps
	p     *v1recon.Projection
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := pgtest.NewPool(t)
	keys, err := codec.NewMemoryKeyStore(), error(nil)
	if err != nil {
		t.Fatal(err)
	}
	var types []decider.Event
	add := func(es ...decider.Event) { types = append(types, es...) }
	for _, e := range v1item.EventTypes() {
		add(e)
	}
	for _, e := range cutover.EventTypes() {
		add(e)
	}
	for _, e := range earnings.EventTypes() {
		add(e)
	}
	for _, e := range appointment.EventTypes() {
		add(e)
	}
	for _, e := range invoice.EventTypes() {
		add(e)
	}
	c, err := codec.New(keys, types...)
	if err != nil {
		t.Fatal(err)
	}
	store := postgres.New(pool, postgres.Config{PollInterval: 10 * time.Millisecond})
	e := &env{t: t, ctx: context.Background(), pool: pool, store: store, deps: commands.Deps{Store: store, Codec: c}, p: v1recon.New(c)}
	if _, err := v1import.EnsureGoLive(e.ctx, e.deps, goLive, feb20, "system"); err != nil {
		t.Fatal(err)
	}
	return e
}

func meta() commands.Metadata {
	return commands.Metadata{CommandID: commands.NewCommandID(), Actor: "test"}
}

func run[S, C any, E decider.Event](e *env, agg decider.Decider[S, C, E], stream string, cmds ...C) {
	e.t.Helper()
	for _, c := range cmds {
		if _, err := commands.Execute(e.ctx, e.deps, agg, stream, c, meta()); err != nil {
			e.t.Fatalf("%T on %s: %v", c, stream, err)
		}
	}
}

func (e *env) importFile(name, text string) v1import.Report {
	e.t.Helper()
	opts := v1import.Options{SourceFile: name, By: "clerk-1", At: feb20, Parse: v1csv.Options{}.Parse}
	rep, err := v1import.Import(e.ctx, e.deps, strings.NewReader(text), opts)
	if err != nil {
		e.t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

func (e *env) tick(ref string) {
	e.t.Helper()
	if _, err := v1import.TickOff(e.ctx, e.deps, ref, "BACS", feb20.Add(time.Hour), meta()); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) report() v1recon.Report {
	e.t.Helper()
	if _, err := projector.CatchUp(e.ctx, e.pool, e.store, []projections.Projection{e.p}, 30*time.Second); err != nil {
		e.t.Fatal(err)
	}
	r, err := v1recon.Query(e.ctx, e.pool)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func rendered(t *testing.T, r v1recon.Report) map[v1recon.Format]string {
	t.Helper()
	out := map[v1recon.Format]string{}
	for _, f := range []v1recon.Format{v1recon.Table, v1recon.JSON, v1recon.CSV} {
		var b bytes.Buffer
		if err := v1recon.Render(&b, r, f); err != nil {
			t.Fatal(err)
		}
		out[f] = b.String()
	}
	return out
}

const (
	rowA  = "V1-A,clin-1,Dr Ada Lovelace,P-1,2025-01-15,Consultation,\"£1,234.50\",pending\n"
	rowB  = "V1-B,clin-1,Dr Ada Lovelace,P-2,15/01/2025,\"Report, 2 pages\",250.00,PAID\n"
	rowC  = "V1-C,clin-2,Dr Alan Turing,P-3,2025-01-20,Letter,75.00,pending\n"
	rowD  = "V1-D,clin-1,Dr Ada Lovelace,P-2,2025-01-10,Follow-up,100.00,pending\n"
	rowL  = "V1-L,clin-1,Dr Ada Lovelace,P-4,05/02/2025,Consultation,300.00,pending\n"
	rowM  = "V1-M,clin-2,Dr Alan Turing,P-5,2025-02-06,=SUM(1+2),40.00,pending\n"
	rowE  = "V1-E,clin-2,Dr Alan Turing,P-6,2025-01-02,Letter,10.00,pending\n"
	rowE2 = "V1-E,clin-2,Dr Alan Turing,P-6,2025-01-02,Letter,12.00,pending\n"
)

// seed builds a history with every rule of the reconciliation in it.
func (e *env) seed() {
	e.importFile("jan.csv", header+rowA+rowB+rowC+rowD+rowL+rowM+rowE+rowE2)
	e.importFile("feb.csv", header+strings.Replace(rowC, "75.00", "80.00", 1))
	e.tick("V1-C")
	e.tick("V1-D")
	if _, err := v1import.UndoTickOff(e.ctx, e.deps, "V1-D", "wrong row", feb20.Add(2*time.Hour), meta()); err != nil {
		e.t.Fatal(err)
	}

	// A late form in V2 for V1-A's consultation: V1 work arrives in V2.
	jan15 := time.Date(2025, 1, 15, 10, 0, 0, 0, ledger.London)
	run(e, appointment.Decider, appointment.StreamID("ap-1"), appointment.Command(appointment.Book{AppointmentID: "ap-1", PatientID: "P-1", ClinicianID: "clin-1",
		StartsAt: jan15, Fee: money.GBP("1234.50"), At: jan15.Add(-72 * time.Hour)}))
	run(e, earnings.Decider, earnings.StreamID("clin-1"),
		earnings.Command(earnings.Accrue{EarningID: "earn-1", ClinicianID: "clin-1", Source: earnings.Consultation("ap-1"), Amount: money.GBP("1234.50"),
			WorkDate: ledger.LondonDate(jan15), GoLive: goLive, At: jan15.Add(time.Hour)}),
		earnings.Command(earnings.Release{EarningID: "earn-1", Reason: earnings.ReleaseFormSubmitted, At: feb20}))

	// V1-L's work was also done and paid in V2.
	feb5 := time.Date(2025, 2, 5, 10, 0, 0, 0, ledger.London)
	run(e, appointment.Decider, appointment.StreamID("ap-2"), appointment.Command(appointment.Book{AppointmentID: "ap-2", PatientID: "P-4", ClinicianID: "clin-1",
		StartsAt: feb5, Fee: money.GBP("300.00"), At: feb5.Add(-72 * time.Hour)}))
	run(e, earnings.Decider, earnings.StreamID("clin-1"),
		earnings.Command(earnings.Accrue{EarningID: "earn-2", ClinicianID: "clin-1", Source: earnings.Consultation("ap-2"), Amount: money.GBP("300.00"),
			WorkDate: ledger.LondonDate(feb5), GoLive: goLive, At: feb5.Add(time.Hour)}),
		earnings.Command(earnings.Release{EarningID: "earn-2", Reason: earnings.ReleaseFormSubmitted, At: feb5.Add(2 * time.Hour)}),
		earnings.Command(earnings.IncludeInPayout{PayoutID: "po-1", EarningIDs: []string{"earn-2"}, At: feb20}),
		earnings.Command(earnings.MarkPaid{PayoutID: "po-1", At: feb20.Add(24 * time.Hour)}))

	// V1-M's work was billed in V2 and released when the invoice was paid.
	feb6 := time.Date(2025, 2, 6, 10, 0, 0, 0, ledger.London)
	run(e, invoice.Decider, invoice.StreamID("inv-1"), invoice.Command(invoice.Raise{InvoiceID: "inv-1", PatientID: "P-5", At: feb6}))
	run(e, earnings.Decider, earnings.StreamID("clin-2"),
		earnings.Command(earnings.Accrue{EarningID: "earn-3", ClinicianID: "clin-2", Source: earnings.BillableItem("inv-1", "it-1"), Amount: money.GBP("40.00"),
			WorkDate: ledger.LondonDate(feb6), GoLive: goLive, At: feb6}),
		earnings.Command(earnings.Release{EarningID: "earn-3", Reason: earnings.ReleaseInvoicePaid, At: feb20}))
}

func TestTheReportShowsTotalsOutstandingItemsConflictsAndExceptions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	r := e.report()

	if r.GoLive != "2025-02-03" || r.CutoverAt == nil {
		t.Fatalf("go-live = %q, cutover %v", r.GoLive, r.CutoverAt)
	}
	// Per clinician: imported, settled (paid in V1 or ticked off) and outstanding.
	want := map[string][3]string{
		"clin-1": {"1884.50", "250.00", "1634.50"}, // A 1234.50 + B 250 (paid) + D 100 (tick undone) + L 300
		"clin-2": {"115.00", "75.00", "40.00"},     // C 75 (ticked) + M 40; E is a conflict, not imported
	}
	if len(r.Clinicians) != 2 {
		t.Fatalf("clinicians = %+v", r.Clinicians)
	}
	for _, c := range r.Clinicians {
		w := want[c.ClinicianID]
		if c.Imported.String() != w[0] || c.Settled.String() != w[1] || c.Outstanding.String() != w[2] {
			t.Errorf("%s: imported £%s settled £%s outstanding £%s, want £%s £%s £%s", c.ClinicianID, c.Imported, c.Settled, c.Outstanding, w[0], w[1], w[2])
		}
	}
	if r.Totals.Imported.String() != "1999.50" || r.Totals.Outstanding.String() != "1674.50" || r.Totals.Items != 6 || r.Totals.OutstandingItems != 4 {
		t.Errorf("totals = %+v", r.Totals)
	}

	// Outstanding items, oldest work first.
	var refs []string
	for _, it := range r.Outstanding {
		refs = append(refs, it.Reference+"@"+it.WorkDate)
	}
	if strings.Join(refs, " ") != "V1-D@2025-01-10 V1-A@2025-01-15 V1-L@2025-02-05 V1-M@2025-02-06" {
		t.Errorf("outstanding = %v", refs)
	}

	// Conflicts: one within a file (nothing imported), one against the item on record.
	if len(r.Conflicts) != 2 {
		t.Fatalf("conflicts = %+v", r.Conflicts)
	}
	c, e2 := r.Conflicts[0], r.Conflicts[1]
	if c.Reference != "V1-C" || !c.WithExisting || !c.Imported || c.ImportedAmount.String() != "75.00" || c.Variants[0].Amount.String() != "80.00" || c.SourceFile != "feb.csv" {
		t.Errorf("conflict with the item on record = %+v", c)
	}
	if e2.Reference != "V1-E" || e2.WithExisting || e2.Imported || len(e2.Variants) != 2 || strings.Join(e2.Fields, ",") != "amount" {
		t.Errorf("conflict within the file = %+v", e2)
	}

	// Exceptions, by kind and then work date.
	var kinds []string
	for _, x := range r.Exceptions {
		kinds = append(kinds, string(x.Kind)+":"+x.Reference+":"+x.EarningID)
	}
	wantKinds := []string{
		"v1_work_paid_in_v2:V1-L:earn-2",
		"v1_work_released_in_v2:V1-M:earn-3",
		"v1_work_arrived_in_v2:V1-A:earn-1",
		"v1_item_dated_on_or_after_go_live:V1-L:",
		"v1_item_dated_on_or_after_go_live:V1-M:",
	}
	if strings.Join(kinds, " ") != strings.Join(wantKinds, " ") {
		t.Errorf("exceptions =\n%s\nwant\n%s", strings.Join(kinds, "\n"), strings.Join(wantKinds, "\n"))
	}

	out := rendered(t, r)
	for _, s := range []string{"V1-D", "TOTALS PER CLINICIAN", "v1_work_paid_in_v2", "not imported", "£1634.50"} {
		if !strings.Contains(out[v1recon.Table], s) {
			t.Errorf("table lacks %q:\n%s", s, out[v1recon.Table])
		}
	}
	var back v1recon.Report
	if err := json.Unmarshal([]byte(out[v1recon.JSON]), &back); err != nil || back.Totals.Outstanding.String() != "1674.50" {
		t.Errorf("json does not read back: %v", err)
	}
	recs, err := csv.NewReader(strings.NewReader(out[v1recon.CSV])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+2+1+4+2+5 {
		t.Errorf("csv has %d records", len(recs))
	}
	if !strings.Contains(out[v1recon.CSV], `'=SUM`) {
		t.Error("a cell that starts like a formula must be defused in the CSV")
	}
}

// The auditors' rule: rebuilding the read model from the first event gives the same
// report, byte for byte, in every format.
func TestRebuildingFromPositionZeroGivesTheSameReportByteForByte(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	before := rendered(t, e.report())
	if err := projector.Rebuild(e.ctx, e.pool, e.store, e.p, nil); err != nil {
		t.Fatal(err)
	}
	r, err := v1recon.Query(e.ctx, e.pool)
	if err != nil {
		t.Fatal(err)
	}
	after := rendered(t, r)
	for f, b := range before {
		if after[f] != b {
			t.Errorf("%s report differs after the rebuild:\nbefore:\n%s\nafter:\n%s", f, b, after[f])
		}
	}
	if len(r.Outstanding) == 0 || len(r.Exceptions) == 0 {
		t.Fatal("the rebuilt report is empty")
	}
}

func TestAnEmptyHistoryGivesAnEmptyReport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.report()
	if r.Totals.Items != 0 || !r.Totals.Imported.IsZero() || len(r.Outstanding) != 0 || r.Outstanding == nil {
		t.Fatalf("report = %+v", r)
	}
	out := rendered(t, r)
	if !strings.Contains(out[v1recon.JSON], `"outstanding": []`) {
		t.Fatalf("empty lists must render as [] in JSON:\n%s", out[v1recon.JSON])
	}
}
