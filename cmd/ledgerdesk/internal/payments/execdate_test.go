package payments_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/clitest"
	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/payout"
)

// A clinician with bank details long past their cooling-off period and one released fee.
func (f *fixture) oneReleasedFee(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	a, err := f.d.App()
	if err != nil {
		t.Fatal(err)
	}
	admin := app.Call{Actor: authz.Actor{Subject: "admin-1", Role: authz.Admin}, Door: app.CLI}
	at := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	if _, err := a.RegisterAccount(ctx, admin, account.Register{AccountID: "dr-1", Realm: account.RealmPortal, Role: account.RoleClinician,
		Email: "dr.one@clinicians.example", Name: "Dr One", At: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Execute(ctx, admin, account.SetPayeeBankDetails{AccountID: "dr-1", AccountName: "Dr One", SortCode: "40-12-76",
		AccountNumber: "12345678", By: "admin-1", At: at}); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"appointments", "book", "--id", "appt-1", "--patient", "p-1", "--clinician", "dr-1", "--starts", "2025-03-03 10:00", "--fee", "150.00"},
		{"appointments", "complete", "appt-1", "--at", "2025-03-03 11:00"},
		{"appointments", "form", "appt-1", "--clinician", "dr-1", "--at", "2025-03-03 12:00"},
	} {
		if _, err := clitest.Run(t, args...); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	f.catchUp(t)
}

func TestAPayoutRunWithAnExecutionDateAlreadyPastRecordsNothing(t *testing.T) {
	f := newFixture(t)
	f.oneReleasedFee(t)
	path := filepath.Join(t.TempDir(), "payout.xml")
	before := f.events(t)
	_, err := clitest.Run(t, "payouts", "run", "--cutoff", "2025-03-31", "--out", path, "--id", "run-past", "--execution-date", "2025-03-04")
	if !errors.Is(err, cli.ErrBadInput) || !strings.Contains(err.Error(), "run-past") || !strings.Contains(err.Error(), "--execution-date") {
		t.Fatalf("err = %v, want bad input naming the run and the option", err)
	}
	if _, err := clitest.Run(t, "payouts", "run", "--cutoff", "2025-03-31", "--out", path, "--execution-date", "2025-03-04"); !errors.Is(err, cli.ErrBadInput) {
		t.Fatalf("without --id: %v", err)
	}
	if after := f.events(t); after != before {
		t.Fatalf("a refused run appended %d events", after-before)
	}
	if fileExists(path) {
		t.Fatal("a refused run wrote a bank file")
	}
	deps, err := f.d.CommandDeps()
	if err != nil {
		t.Fatal(err)
	}
	if s, _, err := commands.Load(context.Background(), deps, payout.Decider, payout.StreamID("run-past")); err != nil || s.Status != payout.StatusNone {
		t.Fatalf("the run was recorded: %s, %v", s.Status, err)
	}
	// The same run with no execution date goes through: there was something to pay.
	if _, err := clitest.Run(t, "payouts", "run", "--cutoff", "2025-03-31", "--out", path, "--id", "run-past"); err != nil || !fileExists(path) {
		t.Fatalf("the run without the bad date: %v", err)
	}
}
