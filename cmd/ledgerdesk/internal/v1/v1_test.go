package v1_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ledgerdesk/cmd/ledgerdesk/internal/clitest"
	v1 "ledgerdesk/cmd/ledgerdesk/internal/v1"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/projections"

	"ledgerdesk/projector"

	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/projections/v1recon"
)

// TestMain keeps these tests, which wait for read models, apart from the process tests
// (see clitest.Main).
func TestMain(m *testing.M) { os.Exit(clitest.Main(m, false)) }

// v1Run runs the binary's root command with args and returns what it printed.
func v1Run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return clitest.Exec(t, "", args...)
}

func v1MustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, _, err := v1Run(t, args...)
	if err != nil {
		t.Fatalf("ledgerdesk %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func v1Contains(t *testing.T, what, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("%s: output lacks %q:\n%s", what, w, out)
		}
	}
}

func v1WriteFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const v1TestHeader = "v1_reference,clinician_id,clinician_name,patient_reference,work_date,description,amount,status\r\n"

// The accounts department's whole round: import (refused, dry run, with skipping, again),
// tick off (twice is an error), undo, and the report in every format.
func TestV1CommandsImportTickAndReconcile(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	t.Setenv("LEDGERDESK_GO_LIVE", "2025-02-03")

	v1Contains(t, "go-live before anything", v1MustRun(t, "v1", "go-live"), "no go-live date recorded yet")

	file := v1WriteFile(t, "jan-export.csv", "\uFEFF"+v1TestHeader+
		"V1-A,clin-1,Dr Ada Lovelace,P-1,2025-01-15,Consultation,\"£1,234.50\",pending\r\n"+
		"V1-B,clin-1,Dr Ada Lovelace,P-2,15/01/2025,\"Report, 2 pages\",250.00,PAID\r\n"+
		"V1-X,clin-2,Dr Alan Turing,P-3,2025-01-20,Letter,12.345,pending\r\n"+
		"V1-C,clin-2,Dr Alan Turing,P-3,2025-01-20,Letter,75.00,pending\r\n"+
		"V1-C,clin-2,Dr Alan Turing,P-3,2025-01-20,Letter,76.00,pending\r\n"+
		"V1-L,clin-2,Dr Alan Turing,P-4,2025-02-04,Consultation,90.00,pending\r\n"+
		"V1-A,clin-1,Dr Ada Lovelace,P-1,2025-01-15,Consultation,\"£1,234.50\",pending\r\n")

	out, _, err := v1Run(t, "v1", "import", file)
	if err == nil {
		t.Fatal("a file with an invalid row was imported without --skip-invalid")
	}
	v1Contains(t, "refused import", out+err.Error(), `line 4, amount: "12.345" has more than 2 decimal places`, "nothing was imported", "--skip-invalid",
		// A refused file still says how many of its rows were fine (it said 0).
		"valid rows:          6", "invalid rows:        1")

	out = v1MustRun(t, "v1", "import", file, "--dry-run", "--skip-invalid")
	v1Contains(t, "dry run", out, "dry run: nothing was changed", "would add 3 items and record 1 conflicts",
		"invalid rows, skipped:", `v1_reference "V1-C" appears on lines 5 and 6`, "line 8 repeats line 2", `line 7, v1_reference "V1-L": work date 2025-02-04`)

	out, stderr, err := v1Run(t, "v1", "import", file, "--skip-invalid", "--progress=always", "--as", "clerk-1")
	if err != nil {
		t.Fatal(err)
	}
	v1Contains(t, "import", out, "imported 3 items and recorded 1 conflicts", "new items:           3 (£1574.50)")
	v1Contains(t, "progress bars", stderr, "reading", "importing")

	out = v1MustRun(t, "v1", "import", file, "--skip-invalid")
	v1Contains(t, "the same file again", out, "imported 0 items and recorded 0 conflicts", "already imported:    3")

	v1Contains(t, "tick-off", v1MustRun(t, "v1", "tick-off", "V1-A", "--note", "BACS 21/02", "--as", "clerk-9"), "ticked off V1-A (by clerk-9 at ")
	if _, _, err := v1Run(t, "v1", "tick-off", "V1-A"); err == nil || !strings.Contains(err.Error(), "already ticked off") {
		t.Fatalf("ticking twice: %v", err)
	}
	if _, _, err := v1Run(t, "v1", "tick-off", "V1-B"); err == nil || !strings.Contains(err.Error(), "already paid in V1") {
		t.Fatalf("ticking an item V1 had paid: %v", err)
	}
	if _, _, err := v1Run(t, "v1", "undo-tick-off", "V1-A"); err == nil || !strings.Contains(err.Error(), "reason") {
		t.Fatalf("an undo without a reason: %v", err)
	}
	v1Contains(t, "undo", v1MustRun(t, "v1", "undo-tick-off", "V1-A", "--reason", "wrong row"), "undid the tick on V1-A", "outstanding again")
	v1MustRun(t, "v1", "tick-off", "V1-L")

	table := v1MustRun(t, "v1", "report")
	v1Contains(t, "report", table, "go-live 2025-02-03", "clin-1", "£1484.50", "V1-A", "CONFLICTS (1)", "v1_item_dated_on_or_after_go_live")
	var r v1recon.Report
	if err := json.Unmarshal([]byte(v1MustRun(t, "v1", "report", "--json")), &r); err != nil {
		t.Fatal(err)
	}
	if r.Totals.Items != 3 || r.Totals.Outstanding.String() != "1234.50" || r.Totals.Settled.String() != "340.00" || len(r.Conflicts) != 1 || len(r.Exceptions) != 1 {
		t.Fatalf("report = %+v", r)
	}
	recs, err := csv.NewReader(strings.NewReader(v1MustRun(t, "v1", "report", "--csv"))).ReadAll()
	if err != nil || recs[0][0] != "section" {
		t.Fatalf("csv: %v %v", recs, err)
	}
	if _, _, err := v1Run(t, "v1", "report", "--json", "--csv"); err == nil {
		t.Fatal("--json with --csv accepted")
	}
	v1Contains(t, "go-live after", v1MustRun(t, "v1", "go-live"), "go-live 2025-02-03: cutover recorded")
}

func TestTheGoLiveSettingIsRecordedOnceAndCannotMoveAfterItPasses(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	ctx := context.Background()

	t.Setenv("LEDGERDESK_GO_LIVE", "3rd Feb")
	if _, err := wiring.ConfigOf(ctx); err == nil || !strings.Contains(err.Error(), "LEDGERDESK_GO_LIVE") || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Fatalf("a bad date: %v", err)
	}
	t.Setenv("LEDGERDESK_GO_LIVE", "")
	d := clitest.Open(t)

	if _, err := v1.EnsureGoLive(ctx, d); err != nil {
		t.Fatalf("the default date: %v", err)
	}
	if _, err := v1.EnsureGoLive(ctx, d); err != nil {
		t.Fatalf("starting again: %v", err)
	}
	d.Config.GoLive, _ = ledger.ParseDate("2025-03-03")
	_, err := v1.EnsureGoLive(ctx, d)
	if err == nil || !strings.Contains(err.Error(), "disagrees with the go-live date on record, 2025-02-03") {
		t.Fatalf("moving a passed date: %v", err)
	}
	evs, err := d.Store.ReadStream(ctx, cutover.StreamID, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Type != "cutover.go_live_scheduled.v1" || evs[1].Type != "cutover.cutover_happened.v1" {
		t.Fatalf("cutover stream: %d events", len(evs))
	}
}

func TestTheV1DemoLoadsOnceWithConflictsTicksAndExceptions(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	t.Setenv("LEDGERDESK_GO_LIVE", "")
	ctx := context.Background()
	d := clitest.Open(t)
	cmds, err := d.CommandDeps()
	if err != nil {
		t.Fatal(err)
	}
	if err := v1.SeedDemo(ctx, d); err != nil {
		t.Fatal(err)
	}
	count := func() int64 { return clitest.Events(t, d) }
	first := count()
	if err := v1.SeedDemo(ctx, d); err != nil {
		t.Fatal(err)
	}
	if again := count(); again != first {
		t.Fatalf("loading the demo again added %d events", again-first)
	}
	if _, err := projector.CatchUp(ctx, d.DB, d.Store, []projections.Projection{v1recon.New(cmds.Codec)}, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	r, err := v1recon.Query(ctx, d.DB)
	if err != nil {
		t.Fatal(err)
	}
	if r.Totals.Items != 300 || len(r.Conflicts) != 3 || len(r.Exceptions) != 2 || r.Totals.Settled.IsZero() || len(r.Outstanding) == 0 {
		t.Fatalf("demo report: %d items, %d conflicts, %d exceptions, settled £%s, %d outstanding",
			r.Totals.Items, len(r.Conflicts), len(r.Exceptions), r.Totals.Settled, len(r.Outstanding))
	}
}
