package payouts_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
	"ledgerdesk/projections/payouts"
	"ledgerdesk/projections/projectiontest"
)

var cutoff = ledger.Date{Year: 2025, Month: time.February, Day: 28}

func started(id string, at time.Time) payout.Started {
	return payout.Started{PayoutID: id, Cutoff: cutoff, RequestedBy: "clerk", StartedAt: at}
}

func line(id, clinician, amount string, earnings ...string) payout.LineAdded {
	return payout.LineAdded{PayoutID: id, ClinicianID: clinician, EarningIDs: earnings, Amount: money.GBP(amount),
		PayeeName: "Dr Aisha Okafor", SortCode: "401276", AccountNumber: "12345678", AddedAt: mar3}
}

// drafted is a run with two lines, finalised, exported and submitted.
func drafted(s *projectiontest.Spec, id string) {
	s.Given(payout.StreamID(id), started(id, mar3), line(id, "c2", "100.00", "e2"), line(id, "c1", "250.00", "e1", "e3"),
		payout.Finalised{PayoutID: id, Total: money.GBP("350.00"), LineCount: 2, FinalisedAt: mar3},
		payout.Exported{PayoutID: id, MessageID: "MSG-1", SHA256: "abc", ExportedAt: mar3},
		payout.Submitted{PayoutID: id, SubmittedAt: mar3})
}

func get(t *testing.T, s *projectiontest.Spec, id string) payouts.Run {
	t.Helper()
	run, err := payouts.Get(s.Ctx, s.DB, id)
	s.Must(err)
	return run
}

func TestAStartedRunIsDrafting(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, payouts.New)
	s.Given(payout.StreamID("run1"), started("run1", mar3))
	run := get(t, s, "run1")
	if run.Status != "drafting" || run.Cutoff != cutoff || run.RequestedBy != "clerk" || !run.Total.IsZero() || run.LineCount != 0 || run.Version != 1 {
		t.Fatalf("run = %+v", run)
	}
}

func TestLinesAddUpInTheOrderTheyWereAddedWithoutBankDetails(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, payouts.New)
	s.Given(payout.StreamID("run1"), started("run1", mar3), line("run1", "c2", "100.00", "e2"), line("run1", "c1", "250.00", "e1", "e3"))
	run := get(t, s, "run1")
	if run.LineCount != 2 || run.Total.String() != "350.00" || len(run.Lines) != 2 || run.Lines[0].ClinicianID != "c2" ||
		run.Lines[1].Status != "included" || strings.Join(run.Lines[1].EarningIDs, ",") != "e1,e3" {
		t.Fatalf("run = %+v", run)
	}
	b, _ := json.Marshal(run)
	for _, secret := range []string{"Okafor", "401276", "12345678"} {
		if strings.Contains(string(b), secret) {
			t.Fatalf("the read model shows the payee's %q: %s", secret, b)
		}
	}
}

func TestARunMovesThroughFinalisedExportedAndSubmitted(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, payouts.New)
	s.Given(payout.StreamID("run1"), started("run1", mar3), line("run1", "c1", "250.00", "e1"),
		payout.Finalised{PayoutID: "run1", Total: money.GBP("250.00"), LineCount: 1, FinalisedAt: mar3})
	if run := get(t, s, "run1"); run.Status != "finalised" || run.FinalisedAt == nil || run.Total.String() != "250.00" {
		t.Fatalf("finalised run = %+v", run)
	}
	s.Given(payout.StreamID("run1"), payout.Exported{PayoutID: "run1", MessageID: "MSG-1", SHA256: "abc", ExportedAt: mar3})
	if run := get(t, s, "run1"); run.Status != "exported" || run.MessageID != "MSG-1" || run.SHA256 != "abc" || run.ExportedAt == nil {
		t.Fatalf("exported run = %+v", run)
	}
	s.Given(payout.StreamID("run1"), payout.Submitted{PayoutID: "run1", SubmittedAt: mar3})
	if run := get(t, s, "run1"); run.Status != "submitted" || run.SubmittedAt == nil || run.Version != 5 {
		t.Fatalf("submitted run = %+v", run)
	}
}

func TestAFailedLineIsMarkedWithItsReasonAndCounted(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, payouts.New)
	drafted(s, "run1")
	s.Given(payout.StreamID("run1"), payout.LineFailed{PayoutID: "run1", ClinicianID: "c2", EarningIDs: []string{"e2"}, Amount: money.GBP("100.00"), Reason: "account closed", FailedAt: mar3})
	run := get(t, s, "run1")
	if run.FailedLines != 1 || run.Lines[0].Status != "failed" || run.Lines[0].FailReason != "account closed" || run.Lines[1].Status != "included" {
		t.Fatalf("run = %+v", run)
	}
}

func TestASettledRunPaysItsRemainingLines(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, payouts.New)
	drafted(s, "run1")
	s.Given(payout.StreamID("run1"),
		payout.LineFailed{PayoutID: "run1", ClinicianID: "c2", EarningIDs: []string{"e2"}, Amount: money.GBP("100.00"), Reason: "account closed", FailedAt: mar3},
		payout.Settled{PayoutID: "run1", Total: money.GBP("250.00"), SettledAt: mar3.Add(time.Hour),
			Lines: []payout.SettledLine{{ClinicianID: "c1", EarningIDs: []string{"e1", "e3"}, Amount: money.GBP("250.00")}}})
	run := get(t, s, "run1")
	if run.Status != "settled" || run.PaidTotal == nil || run.PaidTotal.String() != "250.00" || run.SettledAt == nil ||
		run.Lines[0].Status != "failed" || run.Lines[1].Status != "paid" {
		t.Fatalf("run = %+v", run)
	}
}

func TestAnAbandonedRunReturnsItsLines(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, payouts.New)
	s.Given(payout.StreamID("run1"), started("run1", mar3), line("run1", "c1", "250.00", "e1"),
		payout.Abandoned{PayoutID: "run1", ClinicianIDs: []string{"c1"}, Reason: "changed our mind", AbandonedAt: mar3})
	run := get(t, s, "run1")
	if run.Status != "abandoned" || run.Reason != "changed our mind" || run.AbandonedAt == nil || run.Lines[0].Status != "returned" {
		t.Fatalf("run = %+v", run)
	}
}

func TestRunsAreListedNewestFirstAndAnUnknownOneIsNotFound(t *testing.T) {
	t.Parallel()
	s := projectiontest.New(t, payouts.New)
	s.Given(payout.StreamID("old"), started("old", mar3))
	s.Given(payout.StreamID("new"), started("new", mar3.Add(24*time.Hour)), line("new", "c1", "10.00", "e1"))
	runs, err := payouts.List(s.Ctx, s.DB)
	s.Must(err)
	if len(runs) != 2 || runs[0].PayoutID != "new" || runs[1].PayoutID != "old" || runs[0].Lines != nil {
		t.Fatalf("runs = %+v", runs)
	}
	if _, err := payouts.Get(s.Ctx, s.DB, "nope"); !errors.Is(err, payouts.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}
