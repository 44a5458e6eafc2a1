package payout_test

import (
	"strings"
	"time"

	"ledgerdesk/domain/decider/decidertest"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
)

const (
	runID = "0194f3a2-0000-7000-8000-0000000000p1"
	clerk = "accounts-1"
	drA   = "clinician-a"
	drB   = "clinician-b"
	msgID = "LD-20250210-0001"
)

var (
	cutoff = ledger.Date{Year: 2025, Month: time.February, Day: 9}
	t0     = time.Date(2025, 2, 10, 9, 0, 0, 0, time.UTC)
	sha    = strings.Repeat("ab", 32)
)

func at(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

func gbp(s string) money.Amount { return money.FromPence(money.GBP(s).Pence()) }

func spec() *decidertest.Spec[payout.State, payout.Command, payout.Event] {
	return decidertest.For(payout.Decide, payout.Evolve)
}

func started() payout.Started {
	return payout.Started{PayoutID: runID, Cutoff: cutoff, RequestedBy: clerk, StartedAt: t0}
}

func line(clinician, amount string, earnings ...string) payout.LineAdded {
	return payout.LineAdded{PayoutID: runID, ClinicianID: clinician, EarningIDs: earnings, Amount: gbp(amount),
		PayeeName: "Dr " + clinician, SortCode: "112233", AccountNumber: "12345678", AddedAt: at(1)}
}

func addLine(l payout.LineAdded) payout.AddLine {
	return payout.AddLine{PayoutID: runID, ClinicianID: l.ClinicianID, EarningIDs: l.EarningIDs, Amount: l.Amount,
		Payee: payout.Payee{Name: l.PayeeName, SortCode: l.SortCode, AccountNumber: l.AccountNumber}, At: l.AddedAt}
}

var (
	lineA = line(drA, "370.50", "e1", "e2")
	lineB = line(drB, "40.00", "e3")
)

func finalised() payout.Finalised {
	return payout.Finalised{PayoutID: runID, Total: gbp("410.50"), LineCount: 2, FinalisedAt: at(2)}
}

func exported() payout.Exported {
	return payout.Exported{PayoutID: runID, MessageID: msgID, SHA256: sha, ExportedAt: at(3)}
}

func submitted() payout.Submitted { return payout.Submitted{PayoutID: runID, SubmittedAt: at(4)} }

// history returns a run with lines for A and B, taken as far as the given step.
func history(upTo payout.Status) []payout.Event {
	all := []payout.Event{started(), lineA, lineB, finalised(), exported(), submitted()}
	n := map[payout.Status]int{payout.StatusDrafting: 3, payout.StatusFinalised: 4, payout.StatusExported: 5, payout.StatusSubmitted: 6}[upTo]
	return all[:n:n]
}
