package payments_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	paymentscli "ledgerdesk/cmd/ledgerdesk/internal/payments"

	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/clitest"
	"ledgerdesk/projector"

	"ledgerdesk/adapters/v1csv"
	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/money"
	"ledgerdesk/projections"
	"ledgerdesk/projections/appointments"
	earningsrm "ledgerdesk/projections/earnings"
	"ledgerdesk/projections/journal"
	readmodel "ledgerdesk/projections/support"
	"ledgerdesk/projections/v1recon"
)

var accountsCall = app.Call{Actor: authz.Actor{Subject: "test:accounts", Role: authz.Accounts}, Door: app.CLI}

// The clinician's view and the journal are two readings of one history: every total the
// clinician is shown equals the balance the journal carries for them, on the demo's
// month of practice (voided invoices, V1 work, a settled run with a failed line).
func TestTheDemosPaymentsTotalsEqualTheJournals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := paymentscli.SeedDemo(ctx, f.d); err != nil {
		t.Fatal(err)
	}
	f.catchUp(t)
	a, err := f.d.App()
	if err != nil {
		t.Fatal(err)
	}
	voided := money.Zero
	for i := range paymentscli.DemoStandard.Clinicians {
		id := paymentscli.DemoID("clinician", i)
		s, err := a.Payments(ctx, accountsCall, app.PaymentsQuery{ClinicianID: id})
		if err != nil {
			t.Fatal(err)
		}
		for account, shown := range map[string]money.Amount{
			journal.ClinicianPending + id:  s.Totals.Pending,
			journal.V1ClinicianOwed + id:   s.Totals.V1,
			journal.ClinicianPayable + id:  s.Totals.Released,
			journal.ClinicianInPayout + id: s.Totals.InPayout,
		} {
			owed, err := journal.AccountBalance(ctx, f.d.DB, account)
			if err != nil {
				t.Fatal(err)
			}
			if !owed.Neg().Equal(shown) {
				t.Errorf("%s (%s): the journal owes %s, the clinician is shown %s", account, s.DisplayName(), owed.Neg(), shown)
			}
		}
		// What the view used to call pending: every V2 item not yet payable, voided or not.
		before := s.Totals.Pending
		for _, it := range s.Voided {
			if it.Status == "pending" {
				before = before.Add(it.Amount)
			}
		}
		owed, _ := journal.AccountBalance(ctx, f.d.DB, journal.ClinicianPending+id)
		t.Logf("%s: pending shown £%s (before the fix £%s), journal £%s; voided £%s; V1 in V2 £%s", s.DisplayName(), s.Totals.Pending, before, owed.Neg(), s.Totals.Voided, s.Totals.V1)
		voided = voided.Add(s.Totals.Voided)
	}
	if !voided.IsPositive() {
		t.Fatal("the demo has no item on a voided invoice: the comparison proves nothing")
	}
}

var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

func TestMyPaymentsTellTheTruth(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := paymentscli.SeedDemo(ctx, f.d); err != nil {
		t.Fatal(err)
	}
	clinician := paymentscli.DemoID("clinician", 0)
	a, err := f.d.App()
	if err != nil {
		t.Fatal(err)
	}
	// Two V1 items the old back office exported for this clinician: one outstanding, one paid.
	export := "v1_reference,clinician_id,Clinician_Name,patient_reference,work_date,description,amount,status\r\n" +
		"V1-T0001," + clinician + ",Dr Aisha Okafor,P-1,2025-01-14,Consultation,120.00,pending\r\n" +
		"V1-T0002," + clinician + ",Dr Aisha Okafor,P-2,2025-01-15,Letter to GP,35.00,paid\r\n"
	if _, err := a.ImportV1(ctx, cli.As("test:admin", authz.Admin), strings.NewReader(export),
		v1import.Options{SourceFile: "t.csv", Parse: v1csv.Options{}.Parse}); err != nil {
		t.Fatal(err)
	}
	// A patient with a portal account, whose name the clinician's lines show.
	if _, err := a.RegisterAccount(ctx, cli.As("test:admin", authz.Admin), account.Register{AccountID: "p-named", Realm: account.RealmPortal,
		Role: account.RolePatient, Email: "jane.doe@example.com", Name: "Jane Doe", At: time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"appointments", "book", "--id", "appt-named", "--patient", "p-named", "--clinician", clinician, "--starts", "2025-03-05 14:30", "--fee", "175.00"},
		{"appointments", "complete", "appt-named", "--at", "2025-03-05 15:20"},
	} {
		if _, err := clitest.Run(t, args...); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	catchUp := func(t *testing.T) {
		t.Helper()
		f.catchUp(t)
		c := a.Commands().Codec
		for _, p := range []projections.Projection{v1recon.New(c), appointments.New(c), readmodel.NewAccounts(c)} {
			if err := projector.Setup(ctx, f.d.DB, p); err != nil {
				t.Fatal(err)
			}
			if err := projector.Rebuild(ctx, f.d.DB, f.d.Store, p, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	catchUp(t)
	pending := func(t *testing.T, args ...string) string {
		t.Helper()
		out, err := clitest.Run(t, append([]string{"payments", "pending", "--clinician", clinician}, args...)...)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	t.Run("names, not ids, and paid lines with their date and run", func(t *testing.T) {
		out := pending(t)
		if !strings.HasPrefix(out, "Payments of Dr Aisha Okafor") {
			t.Errorf("output does not name the clinician:\n%s", out)
		}
		if ids := uuidPattern.FindAllString(out, 3); len(ids) > 0 {
			t.Errorf("output shows ids %v where a person reads:\n%s", ids, out)
		}
		if !strings.Contains(out, "consultation of 2025-03-05 14:30 with Jane Doe") || !strings.Contains(out, "with "+earningsrm.NoPatientName) {
			t.Errorf("lines do not say whose consultation they were:\n%s", out)
		}
		if !strings.Contains(out, "PAID ON") || !strings.Contains(out, "settled by the bank on") {
			t.Errorf("paid lines lack their run's state:\n%s", out)
		}
	})

	t.Run("the V1 figure includes the imported V1 items, with the go-live date and who pays", func(t *testing.T) {
		out := pending(t)
		for _, want := range []string{"V1 (work before go-live on 2025-02-03): the old back office (V1) pays it",
			"£120.00 outstanding of 2 V1 item(s) imported from the old back office (£35.00 settled)", "V1 V1-T0001: Consultation"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		var s earningsrm.Summary
		if err := json.Unmarshal([]byte(pending(t, "--json")), &s); err != nil {
			t.Fatal(err)
		}
		if s.Totals.V1ImportedOutstanding.String() != "120.00" || len(s.V1Imported.Items) != 2 || s.GoLive != "2025-02-03" || s.ClinicianName != "Dr Aisha Okafor" {
			t.Fatalf("summary: %+v", s)
		}
	})

	t.Run("voided items are shown apart and said never to be paid", func(t *testing.T) {
		for i := range paymentscli.DemoStandard.Clinicians {
			id := paymentscli.DemoID("clinician", i)
			s, err := a.Payments(ctx, accountsCall, app.PaymentsQuery{ClinicianID: id})
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Voided) == 0 {
				continue
			}
			out, err := clitest.Run(t, "payments", "pending", "--clinician", id)
			if err != nil || !strings.Contains(out, "WILL NOT BE PAID: £"+s.Totals.Voided.String()) || !strings.Contains(out, "will not be paid") {
				t.Fatalf("%v\n%s", err, out)
			}
			for _, it := range s.Pending {
				if it.Waiting == earningsrm.InvoiceVoided {
					t.Fatalf("a voided item is pending: %+v", it)
				}
			}
			return
		}
		t.Fatal("no demo clinician has an item on a voided invoice")
	})

	t.Run("the form for V1 work says V1 pays it, not that it is released", func(t *testing.T) {
		appt := paymentscli.DemoID("appointment", 8888)
		if _, err := clitest.Run(t, "appointments", "book", "--id", appt, "--patient", "p-v1", "--clinician", clinician, "--starts", "2025-01-27 10:00", "--fee", "150.00"); err != nil {
			t.Fatal(err)
		}
		out, err := clitest.Run(t, "appointments", "complete", appt, "--at", "2025-01-27 11:00")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "pending until") || !strings.Contains(out, "the old back office (V1) pays it, not V2") {
			t.Fatalf("completing V1 work: %s", out)
		}
		out, err = clitest.Run(t, "appointments", "form", appt, "--clinician", clinician, "--at", "2025-03-10 12:00")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "released") || !strings.Contains(out, "V1 work (before go-live on 2025-02-03)") || !strings.Contains(out, "the old back office (V1) pays it") {
			t.Fatalf("form for V1 work: %s", out)
		}
	})

	t.Run("each payout run shows its true state", func(t *testing.T) {
		appt := paymentscli.DemoID("appointment", 9998)
		for _, args := range [][]string{
			{"appointments", "book", "--id", appt, "--patient", "p-cli", "--clinician", clinician, "--starts", "2025-03-04 10:00", "--fee", "210.00"},
			{"appointments", "complete", appt, "--at", "2025-03-04 11:00"},
			{"appointments", "form", appt, "--clinician", clinician, "--at", "2025-03-04 12:00"},
		} {
			out, err := clitest.Run(t, args...)
			if err != nil {
				t.Fatalf("%v: %v", args, err)
			}
			if args[1] == "complete" && !strings.Contains(out, "pending until the post-consultation form is submitted") {
				t.Fatalf("completing V2 work: %s", out)
			}
			if args[1] == "form" && !strings.Contains(out, "its pending payment is released") {
				t.Fatalf("form for V2 work: %s", out)
			}
		}
		catchUp(t)
		out, err := clitest.Run(t, "payouts", "run", "--cutoff", "2025-03-31", "--out", filepath.Join(t.TempDir(), "p.xml"), "--json")
		if err != nil {
			t.Fatal(err)
		}
		var res struct {
			Run struct {
				PayoutID string `json:"payout_id"`
			} `json:"run"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		catchUp(t)
		out = pending(t)
		if strings.Contains(out, "sent to the bank") || strings.Contains(out, "submitted to the bank on") || !strings.Contains(out, "bank file exported on") {
			t.Fatalf("an exported run:\n%s", out)
		}
		if _, err := clitest.Run(t, "payouts", "mark", "submitted", res.Run.PayoutID); err != nil {
			t.Fatal(err)
		}
		catchUp(t)
		if out = pending(t); !strings.Contains(out, "submitted to the bank on") || !strings.Contains(out, "not yet settled") {
			t.Fatalf("a submitted run:\n%s", out)
		}
		if _, err := clitest.Run(t, "payouts", "fail-line", res.Run.PayoutID, clinician, "--reason", "account closed"); err != nil {
			t.Fatal(err)
		}
		catchUp(t)
		if out = pending(t); !strings.Contains(out, "returned from an earlier payout: ") || !strings.Contains(out, "account closed") {
			t.Fatalf("a failed line:\n%s", out)
		}
		// A run the payouts read model has that failed this clinician's line, read before
		// the earnings caught up, says so.
		run, err := a.Payout(ctx, accountsCall, res.Run.PayoutID)
		if err != nil {
			t.Fatal(err)
		}
		if st := app.PayoutStateOf(run.PayoutID, &run, clinician); st.Status != "failed" || !strings.Contains(st.Words, "account closed") {
			t.Fatalf("failed line state = %+v", st)
		}
	})

	t.Run("a month's statement as CSV, with the totals of that month", func(t *testing.T) {
		out, err := clitest.Run(t, "payments", "statement", "--clinician", clinician, "--month", "2025-02")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		var s earningsrm.Summary
		if err := json.Unmarshal([]byte(pending(t, "--month", "2025-02", "--json")), &s); err != nil {
			t.Fatal(err)
		}
		totals := map[string]string{}
		lines := 0
		for _, r := range rows[2:] {
			if strings.HasPrefix(r[0], "total_") {
				totals[r[0]] = r[3]
				continue
			}
			lines++
			if !strings.HasPrefix(r[1], "2025-02-") && r[0] != "v1_imported" {
				t.Errorf("a line of another month: %v", r)
			}
		}
		if rows[0][1] != "Dr Aisha Okafor" || rows[0][2] != "2025-02" || totals["total_pending"] != s.Totals.Pending.String() ||
			totals["total_paid"] != s.Totals.Paid.String() || totals["total_voided"] != s.Totals.Voided.String() ||
			lines != len(s.Pending)+len(s.Voided)+len(s.Released)+len(s.InPayout)+len(s.Paid)+len(s.V1Imported.Items) || lines == 0 {
			t.Fatalf("statement totals %v, %d lines; summary %+v\n%s", totals, lines, s.Totals, out)
		}
		if uuidPattern.MatchString(rows[0][1]) {
			t.Fatalf("statement names the clinician by id: %v", rows[0])
		}
		for _, args := range [][]string{
			{"payments", "statement", "--clinician", clinician},
			{"payments", "statement", "--clinician", clinician, "--month", "2025-13"},
			{"payments", "pending", "--clinician", clinician, "--month", "Feb"},
		} {
			if _, err := clitest.Run(t, args...); !errors.Is(err, cli.ErrBadInput) {
				t.Errorf("%v: err = %v, want cli.ErrBadInput", args, err)
			}
		}
	})

	t.Run("a clinician reads only their own statement", func(t *testing.T) {
		other := paymentscli.DemoID("clinician", 1)
		if _, err := clitest.Run(t, "payments", "statement", "--clinician", other, "--month", "2025-02", "--as", clinician, "--role", "clinician"); !errors.Is(err, authz.ErrForbidden) {
			t.Fatalf("another clinician's statement: err = %v, want authz.ErrForbidden", err)
		}
		if _, err := clitest.Run(t, "payments", "statement", "--clinician", clinician, "--month", "2025-02", "--as", clinician, "--role", "clinician"); err != nil {
			t.Fatalf("their own statement: %v", err)
		}
	})
}
