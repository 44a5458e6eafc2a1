package payouts_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/commands/payouts"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
	"ledgerdesk/eventstore"
	"ledgerdesk/policies/payments"
	"ledgerdesk/policies/payments/paymentstest"
	earningsrm "ledgerdesk/projections/earnings"
)

func TestARunPaysEachClinicianTheirReleasedV2EarningsUpToTheCutoff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(t, h, "a1", "c1", "250.00", feb10, true)                                        // paid
	consultation(t, h, "a2", "c1", "100.00", feb10.AddDate(0, 0, 1), false)                      // pending: no form
	consultation(t, h, "a3", "c1", "75.50", time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC), true)  // after the cut-off
	consultation(t, h, "a4", "c1", "90.00", time.Date(2025, 1, 20, 10, 0, 0, 0, time.UTC), true) // V1
	consultation(t, h, "b1", "c2", "120.25", feb10, true)
	h.Settle()
	h.Project(earningsrm.New(h.Codec))

	rep, err := payouts.Run(h.Ctx, h.Deps, earningsrm.Finder{Q: h.Pool}, payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3})
	if err != nil {
		t.Fatal(err)
	}
	want := []payouts.Line{
		{ClinicianID: "c1", EarningIDs: []string{payments.ConsultationEarningID("a1")}, Amount: money.GBP("250.00")},
		{ClinicianID: "c2", EarningIDs: []string{payments.ConsultationEarningID("b1")}, Amount: money.GBP("120.25")},
	}
	if rep.Status != payout.StatusFinalised || !sameLines(rep.Lines, want) || !rep.Total.Equal(money.GBP("370.25")) || len(rep.Skipped) != 0 {
		t.Fatalf("report = %+v, want finalised with lines %+v totalling 370.25", rep, want)
	}
	c1 := h.Earnings("c1")
	if x, _ := c1.Earning(payments.ConsultationEarningID("a1")); x.Status != earnings.StatusInPayout || x.PayoutID != "run1" {
		t.Fatalf("a1 = %+v, want in payout run1", x)
	}
	for _, id := range []string{"a2", "a3", "a4"} {
		if x, _ := c1.Earning(payments.ConsultationEarningID(id)); x.Status == earnings.StatusInPayout {
			t.Fatalf("%s was included: %+v", id, x)
		}
	}
}

func sameLines(a, b []payouts.Line) bool {
	return slices.EqualFunc(a, b, func(x, y payouts.Line) bool {
		return x.ClinicianID == y.ClinicianID && slices.Equal(x.EarningIDs, y.EarningIDs) && x.Amount.Equal(y.Amount)
	})
}

func TestAClinicianWithoutBankDetailsIsSkippedAndTheirEarningsWait(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.Clinician("c3", "Dr No Bank", "", "")
	consultation(t, h, "a1", "c1", "250.00", feb10, true)
	consultation(t, h, "x1", "c3", "80.00", feb10, true)
	consultation(t, h, "y1", "c4", "60.00", feb10, true) // no account at all
	h.Settle()

	rep, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3,
		Clinicians: []string{"c1", "c3", "c4"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Lines) != 1 || rep.Lines[0].ClinicianID != "c1" {
		t.Fatalf("lines = %+v, want only c1", rep.Lines)
	}
	if len(rep.Skipped) != 2 || rep.Skipped[0].Reason != payouts.SkipNoBankDetails || !rep.Skipped[0].Amount.Equal(money.GBP("80")) ||
		rep.Skipped[1].Reason != payouts.SkipNoAccount {
		t.Fatalf("skipped = %+v, want c3 without bank details (80.00) and c4 without an account", rep.Skipped)
	}
	if r := h.Earnings("c3").ReleasedUnpaid(); len(r) != 1 {
		t.Fatalf("c3's earning should still be released and unpaid, got %+v", r)
	}
}

func TestWithNothingToPayNoRunIsStarted(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(t, h, "a1", "c1", "250.00", feb10, false) // pending only
	h.Settle()
	_, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1"}})
	if !errors.Is(err, payouts.ErrNothingToPay) {
		t.Fatalf("err = %v, want ErrNothingToPay", err)
	}
	if s := payoutState(t, h, "run1"); s.Status != payout.StatusNone {
		t.Fatalf("a run was started: %+v", s)
	}
}

func TestRunRefusesIncompleteRequests(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for name, req := range map[string]payouts.RunRequest{
		"no id":           {Cutoff: feb28, RequestedBy: "clerk", At: mar3},
		"no cutoff":       {PayoutID: "r", RequestedBy: "clerk", At: mar3},
		"no requester":    {PayoutID: "r", Cutoff: feb28, At: mar3},
		"no time":         {PayoutID: "r", Cutoff: feb28, RequestedBy: "clerk"},
		"no clinician db": {PayoutID: "r", Cutoff: feb28, RequestedBy: "clerk", At: mar3},
		"negative hold":   {PayoutID: "r", Cutoff: feb28, RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1"}, CoolingOff: -time.Hour},
	} {
		if _, err := payouts.Run(h.Ctx, h.Deps, nil, req); !errors.Is(err, payouts.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
}

// A run that dies after any number of appends is finished by running it again with the
// same payout id: every earning ends on exactly one line, every line's amount is the sum
// of its earnings, and nothing is appended twice.
func TestARunInterruptedAtAnyStepResumesWhereItStopped(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(t, h, "a1", "c1", "250.00", feb10, true)
	consultation(t, h, "a2", "c1", "10.01", feb10, true)
	consultation(t, h, "b1", "c2", "120.25", feb10, true)
	h.Settle()
	// start, include c1, line c1, include c2, line c2, finalise: six appends.
	for crashAfter := 0; crashAfter <= 6; crashAfter++ {
		id := fmt.Sprintf("run-crash-%d", crashAfter)
		crashing := h.Deps
		crashing.Store = &crashingStore{Store: h.Store, left: crashAfter}
		req := payouts.RunRequest{PayoutID: id, Cutoff: feb28, RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1", "c2"}}
		_, err := payouts.Run(h.Ctx, crashing, nil, req)
		if crashAfter < 6 && !errors.Is(err, errCrash) {
			t.Fatalf("crash after %d appends: err = %v, want the crash", crashAfter, err)
		}
		rep, err := payouts.Run(h.Ctx, h.Deps, nil, req)
		if err != nil {
			t.Fatalf("resuming after %d appends: %v", crashAfter, err)
		}
		if rep.Status != payout.StatusFinalised || len(rep.Lines) != 2 || !rep.Total.Equal(money.GBP("380.26")) {
			t.Fatalf("resumed after %d appends: %+v, want two lines totalling 380.26", crashAfter, rep)
		}
		checkLinesMatchEarnings(t, h, id)
		// Free the earnings for the next round.
		h.Must(payouts.Abandon(h.Ctx, h.Deps, nil, id, "test round over", mar3, meta()))
		h.Settle()
		if n := len(h.Earnings("c1").ReleasedUnpaid()) + len(h.Earnings("c2").ReleasedUnpaid()); n != 3 {
			t.Fatalf("after abandoning round %d, %d earnings are released, want all 3", crashAfter, n)
		}
	}
}

// checkLinesMatchEarnings: each line's amount is the sum of the earnings it names, and
// those earnings are in this payout in the clinician's stream.
func checkLinesMatchEarnings(t *testing.T, h *paymentstest.Harness, payoutID string) {
	t.Helper()
	run := payoutState(t, h, payoutID)
	for _, l := range run.Lines {
		es := h.Earnings(l.ClinicianID)
		sum := money.Zero
		for _, id := range l.EarningIDs {
			x, ok := es.Earning(id)
			if !ok || x.PayoutID != payoutID {
				t.Fatalf("line of %s names earning %s, which is %+v", l.ClinicianID, id, x)
			}
			sum = sum.Add(x.Amount)
		}
		if !sum.Equal(l.Amount) {
			t.Fatalf("line of %s pays %s but its earnings add up to %s", l.ClinicianID, l.Amount, sum)
		}
	}
}

// Runs racing for the same clinicians never share an earning: the inclusion is appended
// to the clinician's stream at the version it was decided on.
func TestConcurrentRunsNeverIncludeTheSameEarningTwice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for i := range 6 {
		consultation(t, h, fmt.Sprintf("a%d", i), "c1", "10.00", feb10.Add(time.Duration(i)*time.Minute), true)
		consultation(t, h, fmt.Sprintf("b%d", i), "c2", "20.00", feb10.Add(time.Duration(i)*time.Minute), true)
	}
	h.Settle()
	const runs = 4
	var wg sync.WaitGroup
	errs := make([]error, runs)
	for i := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: fmt.Sprintf("race-%d", i), Cutoff: feb28,
				RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1", "c2"}})
		}()
	}
	wg.Wait()
	seen := map[string]string{}
	total := money.Zero
	for i := range runs {
		id := fmt.Sprintf("race-%d", i)
		if errs[i] != nil && !errors.Is(errs[i], payouts.ErrNothingToPay) {
			t.Fatalf("run %s: %v", id, errs[i])
		}
		for _, l := range payoutState(t, h, id).Lines {
			for _, e := range l.EarningIDs {
				if other, dup := seen[e]; dup {
					t.Fatalf("earning %s is on runs %s and %s", e, other, id)
				}
				seen[e] = id
			}
			total = total.Add(l.Amount)
		}
	}
	if len(seen) != 12 || !total.Equal(money.GBP("180.00")) {
		t.Fatalf("the runs together pay %d earnings, %s; want all 12, 180.00", len(seen), total)
	}
}

func TestResumingWithAnotherCutoffIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(t, h, "a1", "c1", "250.00", feb10, true)
	h.Settle()
	req := payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1"}}
	if _, err := payouts.Run(h.Ctx, h.Deps, nil, req); err != nil {
		t.Fatal(err)
	}
	req.Cutoff = ledger.Date{Year: 2025, Month: 3, Day: 31}
	if _, err := payouts.Run(h.Ctx, h.Deps, nil, req); !errors.Is(err, payouts.ErrCutoffMismatch) {
		t.Fatalf("err = %v, want ErrCutoffMismatch", err)
	}
}

func TestTheBanksAnswerPaysOrReturnsTheEarnings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(t, h, "a1", "c1", "250.00", feb10, true)
	consultation(t, h, "b1", "c2", "120.25", feb10, true)
	h.Settle()
	run := func(id string) {
		t.Helper()
		if _, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: id, Cutoff: feb28, RequestedBy: "clerk", At: mar3,
			Clinicians: []string{"c1", "c2"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := payouts.Export(h.Ctx, h.Deps, pain001.Writer{}, payouts.ExportRequest{PayoutID: id, Debtor: practice, By: "clerk", At: mar3}, discard{}); err != nil {
			t.Fatal(err)
		}
		h.Must(payouts.MarkSubmitted(h.Ctx, h.Deps, id, mar3.Add(time.Hour), meta()))
	}
	run("run1")
	h.Must(payouts.FailLine(h.Ctx, h.Deps, "run1", "c2", "account closed", mar3.Add(24*time.Hour), meta()))
	h.Must(payouts.MarkSettled(h.Ctx, h.Deps, "run1", mar3.Add(48*time.Hour), meta()))
	h.Settle()

	if x, _ := h.Earnings("c1").Earning(payments.ConsultationEarningID("a1")); x.Status != earnings.StatusPaid || x.PayoutID != "run1" {
		t.Fatalf("c1's earning = %+v, want paid by run1", x)
	}
	if x, _ := h.Earnings("c2").Earning(payments.ConsultationEarningID("b1")); x.Status != earnings.StatusReleased || x.PayoutID != "" {
		t.Fatalf("c2's earning after the failed line = %+v, want released and unpaid again", x)
	}
	// The next run pays c2 alone; c1's paid earning can never be paid again.
	run("run2")
	lines := payoutState(t, h, "run2").Lines
	if len(lines) != 1 || lines[0].ClinicianID != "c2" {
		t.Fatalf("run2 lines = %+v, want only c2", lines)
	}
}

func TestTheBanksAnswersNeedAKnownRunInTheRightState(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	before, err := h.Store.CountAfter(h.Ctx, eventstore.Start)
	h.Must(err)
	for name, c := range map[string]struct {
		err  error
		want error
	}{
		"submit an unknown run":  {payouts.MarkSubmitted(h.Ctx, h.Deps, "nope", mar3, meta()), payout.ErrNotStarted},
		"settle an unknown run":  {payouts.MarkSettled(h.Ctx, h.Deps, "nope", mar3, meta()), payout.ErrNotStarted},
		"fail on an unknown run": {payouts.FailLine(h.Ctx, h.Deps, "nope", "c1", "closed", mar3, meta()), payout.ErrNotStarted},
		"abandon an unknown run": {payouts.Abandon(h.Ctx, h.Deps, nil, "nope", "why", mar3, meta()), payout.ErrNotStarted},
		"export an unknown run": {func() error {
			_, err := payouts.Export(h.Ctx, h.Deps, pain001.Writer{}, payouts.ExportRequest{PayoutID: "nope", Debtor: practice, By: "clerk", At: mar3}, discard{})
			return err
		}(), payout.ErrNotStarted},
	} {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, c.err, c.want)
		}
	}
	if after, _ := h.Store.CountAfter(h.Ctx, eventstore.Start); after != before {
		t.Fatalf("refused commands appended %d events", after-before)
	}

	consultation(t, h, "a1", "c1", "250.00", feb10, true)
	h.Settle()
	if _, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1"}}); err != nil {
		t.Fatal(err)
	}
	if err := payouts.MarkSettled(h.Ctx, h.Deps, "run1", mar3, meta()); !errors.Is(err, payout.ErrNotSubmitted) {
		t.Fatalf("settling an unexported run: err = %v, want ErrNotSubmitted", err)
	}
	if err := payouts.MarkSubmitted(h.Ctx, h.Deps, "run1", mar3, meta()); !errors.Is(err, payout.ErrNotExported) {
		t.Fatalf("submitting an unexported run: err = %v, want ErrNotExported", err)
	}
}

// An abandoned run gives back every earning it held, including those of a clinician
// whose line was never added because the run died in between.
func TestAbandoningAHalfDraftedRunReturnsEveryEarningItHeld(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(t, h, "a1", "c1", "250.00", feb10, true)
	consultation(t, h, "b1", "c2", "120.25", feb10, true)
	h.Settle()
	h.Project(earningsrm.New(h.Codec))
	// start, include c1, line c1, include c2: then the process dies before c2's line.
	crashing := h.Deps
	crashing.Store = &crashingStore{Store: h.Store, left: 4}
	if _, err := payouts.Run(h.Ctx, crashing, earningsrm.Finder{Q: h.Pool}, payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3}); !errors.Is(err, errCrash) {
		t.Fatalf("err = %v, want the crash", err)
	}
	if x, _ := h.Earnings("c2").Earning(payments.ConsultationEarningID("b1")); x.Status != earnings.StatusInPayout {
		t.Fatalf("test setup: c2's earning = %+v, want in payout with no line", x)
	}
	h.Project(earningsrm.New(h.Codec))
	h.Must(payouts.Abandon(h.Ctx, h.Deps, earningsrm.Finder{Q: h.Pool}, "run1", "started by mistake", mar3, meta()))
	h.Settle()
	for c, id := range map[string]string{"c1": "a1", "c2": "b1"} {
		if x, _ := h.Earnings(c).Earning(payments.ConsultationEarningID(id)); x.Status != earnings.StatusReleased {
			t.Fatalf("%s's earning after abandoning = %+v, want released", c, x)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// fakeEarnings is an earnings finder of the test's own.
type fakeEarnings struct {
	clinicians []string
	err        error
}

func (f fakeEarnings) Clinicians(context.Context) ([]string, error)       { return f.clinicians, f.err }
func (f fakeEarnings) InPayout(context.Context, string) ([]string, error) { return nil, f.err }

// A run looks at whom the finder it is given names, and fails if it cannot ask.
func TestARunLooksAtTheCliniciansItsFinderNames(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(t, h, "a1", "c1", "250.00", feb10, true)
	consultation(t, h, "b1", "c2", "80.00", feb10, true)
	h.Settle()
	errDown := errors.New("read model down")
	if _, err := payouts.Run(h.Ctx, h.Deps, fakeEarnings{err: errDown}, payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3}); !errors.Is(err, errDown) {
		t.Fatalf("finder failing: %v", err)
	}
	rep, err := payouts.Run(h.Ctx, h.Deps, fakeEarnings{clinicians: []string{"c2"}}, payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Lines) != 1 || rep.Lines[0].ClinicianID != "c2" {
		t.Fatalf("lines %+v, want only c2's", rep.Lines)
	}
}
