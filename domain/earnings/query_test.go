package earnings_test

import (
	"testing"

	"ledgerdesk/domain/earnings"
)

// The clinician's question "where are my pending payments?" is answered from the state:
// what is pending and why, what is released, in a payout, paid, and what belongs to V1.
func TestStateAnswersWhereAreMyPendingPayments(t *testing.T) {
	a3 := consultation("appt-3", "99.99", feb5)
	s := earnings.Decider.Fold([]earnings.Event{
		a1, a2, a3, b1, v1,
		released(a1, 1), released(a2, 1), released(a3, 1),
		included("p1", "250.00", 2, a1.EarningID), paidOut("p1", "250.00", 3, a1.EarningID),
		included("p2", "120.50", 4, a2.EarningID),
	})
	ids := func(es []earnings.Earning) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	for _, tc := range []struct {
		status earnings.Status
		got    []earnings.Earning
		want   []string
		total  string
	}{
		{earnings.StatusPending, s.Pending(), []string{b1.EarningID}, "40.00"},
		{earnings.StatusReleased, s.ReleasedUnpaid(), []string{a3.EarningID}, "99.99"},
		{earnings.StatusInPayout, s.InPayout(), []string{a2.EarningID}, "120.50"},
		{earnings.StatusPaid, s.Paid(), []string{a1.EarningID}, "250.00"},
		{earnings.StatusV1, s.V1(), []string{v1.EarningID}, "300.00"},
	} {
		if got := ids(tc.got); len(got) != len(tc.want) || got[0] != tc.want[0] {
			t.Errorf("%s: got %v, want %v", tc.status, got, tc.want)
		}
		if got := s.Total(tc.status); !got.Equal(gbp(tc.total)) {
			t.Errorf("%s total: got %s, want %s", tc.status, got, tc.total)
		}
	}
	if got := len(s.Earnings()); got != 5 {
		t.Errorf("Earnings() has %d, want 5", got)
	}
	if e, ok := s.BySource(earnings.BillableItem("inv-1", "item-1")); !ok || e.WaitingFor() != "the patient to pay the invoice in full" {
		t.Errorf("billable item waiting for %q", e.WaitingFor())
	}
	if e, _ := s.Earning(v1.EarningID); e.WaitingFor() != "managed in the old back office (V1)" {
		t.Errorf("V1 earning waiting for %q", e.WaitingFor())
	}
	if e, _ := s.Earning(a1.EarningID); e.PayoutID != "p1" || e.PaidAt != at(3) || e.WaitingFor() != "" {
		t.Errorf("paid earning %+v", e)
	}
	if ps := s.Payouts(); len(ps) != 2 || ps[0].Status != earnings.PayoutPaid || ps[1].Status != earnings.PayoutIncluded {
		t.Errorf("payouts %+v", ps)
	}
	if _, ok := s.Earning("nope"); ok {
		t.Error("found an earning that was never accrued")
	}
}

func TestPendingConsultationWaitsForTheForm(t *testing.T) {
	s := earnings.Decider.Fold([]earnings.Event{a1})
	if e, _ := s.Earning(a1.EarningID); e.Status != earnings.StatusPending || e.WaitingFor() != "the post-consultation form" {
		t.Fatalf("%+v waiting for %q", e, e.WaitingFor())
	}
}

func TestQueryResultsCannotChangeTheState(t *testing.T) {
	s := earnings.Decider.Fold(append(twoReleased(), included("p1", "250.00", 2, a1.EarningID)))
	p, _ := s.Payout("p1")
	p.EarningIDs[0] = "tampered"
	if again, _ := s.Payout("p1"); again.EarningIDs[0] != a1.EarningID {
		t.Fatal("a caller changed the state through a query result")
	}
}
