package payments_test

import (
	"errors"
	"testing"
	"time"

	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/policies/payments"
	"ledgerdesk/policies/payments/paymentstest"
)

func bookAndComplete(t *testing.T, h *paymentstest.Harness, id, clinician string, fee string, worked time.Time) {
	t.Helper()
	h.Must(h.Appointment(id, appointment.Book{AppointmentID: id, PatientID: "p-" + id, ClinicianID: clinician, StartsAt: worked,
		Fee: money.GBP(fee), At: worked.Add(-72 * time.Hour)}))
	h.Must(h.Appointment(id, appointment.Complete{AppointmentID: id, At: worked}))
}

func TestACompletedConsultationIsAPendingEarningUntilItsFormIsSubmitted(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	bookAndComplete(t, h, "a1", "c1", "250.00", feb10)
	h.Settle()

	x, ok := h.Earnings("c1").Earning(payments.ConsultationEarningID("a1"))
	if !ok || x.Status != earnings.StatusPending || !x.Amount.Equal(money.GBP("250")) || x.Ledger != ledger.V2 ||
		x.WorkDate != ledger.LondonDate(feb10) || x.Source != earnings.Consultation("a1") {
		t.Fatalf("after completion: %+v (found %v), want a pending V2 earning of 250.00 for consultation a1", x, ok)
	}

	h.Must(h.Appointment("a1", appointment.SubmitForm{AppointmentID: "a1", By: "c1", At: feb10.Add(time.Hour)}))
	h.Settle()
	x, _ = h.Earnings("c1").Earning(payments.ConsultationEarningID("a1"))
	if x.Status != earnings.StatusReleased || x.ReleaseReason != earnings.ReleaseFormSubmitted || !x.ReleasedAt.Equal(feb10.Add(time.Hour)) {
		t.Fatalf("after the form: %+v, want released by the form at its submission time", x)
	}
}

func TestWorkBeforeGoLiveIsV1AndAFormSubmittedInV2DoesNotReleaseIt(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	bookAndComplete(t, h, "a1", "c1", "180.00", jan20)
	h.Must(h.Appointment("a1", appointment.SubmitForm{AppointmentID: "a1", By: "c1", At: feb10}))
	h.Settle()

	s := h.Earnings("c1")
	x, _ := s.Earning(payments.ConsultationEarningID("a1"))
	if x.Status != earnings.StatusV1 || x.Ledger != ledger.V1 || x.V1ArrivedAt.IsZero() {
		t.Fatalf("V1 earning = %+v, want status v1 with its late form recorded as V1 work arriving", x)
	}
	if len(s.ReleasedUnpaid()) != 0 {
		t.Fatalf("V1 work became payable in V2: %+v", s.ReleasedUnpaid())
	}
}

// A consultation at 00:30 London time on go-live day is V2 even though it is still the
// previous day in UTC during summer time; in February London is on UTC, so the boundary is
// plain midnight: 23:59 on 2 Feb is V1, 00:00 on 3 Feb is V2.
func TestTheGoLiveBoundaryIsMidnightInLondon(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	bookAndComplete(t, h, "before", "c1", "100.00", time.Date(2025, 2, 2, 23, 59, 0, 0, ledger.London))
	bookAndComplete(t, h, "after", "c1", "100.00", time.Date(2025, 2, 3, 0, 0, 0, 0, ledger.London))
	h.Settle()
	s := h.Earnings("c1")
	for id, want := range map[string]ledger.Ledger{"before": ledger.V1, "after": ledger.V2} {
		if x, _ := s.Earning(payments.ConsultationEarningID(id)); x.Ledger != want {
			t.Errorf("consultation %s: ledger %s, want %s", id, x.Ledger, want)
		}
	}
}

func TestARedeliveredEventChangesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	bookAndComplete(t, h, "a1", "c1", "250.00", feb10)
	h.Must(h.Appointment("a1", appointment.SubmitForm{AppointmentID: "a1", By: "c1", At: feb10.Add(time.Hour)}))
	h.Settle()
	before := countEvents(t, h)

	// Every event delivered again, to every policy, twice.
	for range 2 {
		for _, r := range h.Events() {
			for _, p := range h.Policies {
				if err := p.Handle(h.Ctx, r.RecordedEvent); err != nil {
					t.Fatalf("%s redelivered to %s: %v", r.Type, p.Name(), err)
				}
			}
		}
	}
	if after := countEvents(t, h); after != before {
		t.Fatalf("redelivery appended %d events", after-before)
	}
}

// Policies run on separate checkpoints, so a form may reach the policy before the
// completion it follows has been accrued (after a parked event, say). The release is then
// refused and retried, never lost and never invented.
func TestAReleaseThatOvertakesItsAccrualFailsUntilTheAccrualHappens(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	bookAndComplete(t, h, "a1", "c1", "250.00", feb10)
	h.Must(h.Appointment("a1", appointment.SubmitForm{AppointmentID: "a1", By: "c1", At: feb10.Add(time.Hour)}))
	policy := h.Policies[0]
	completed, submitted := recorded(t, h, appointment.StreamID("a1"), 2), recorded(t, h, appointment.StreamID("a1"), 3)

	if err := policy.Handle(h.Ctx, submitted); !errors.Is(err, earnings.ErrNotAccrued) {
		t.Fatalf("release before accrual: err = %v, want ErrNotAccrued", err)
	}
	if len(h.Earnings("c1").Earnings()) != 0 {
		t.Fatal("the refused release appended something")
	}
	h.Must(policy.Handle(h.Ctx, completed))
	h.Must(policy.Handle(h.Ctx, submitted))
	if x, _ := h.Earnings("c1").Earning(payments.ConsultationEarningID("a1")); x.Status != earnings.StatusReleased {
		t.Fatalf("after the retry: %+v, want released", x)
	}
}

func TestWithoutAGoLiveDateNothingIsAccrued(t *testing.T) {
	t.Parallel()
	h := paymentstest.New(t) // no go-live recorded
	bookAndComplete(t, h, "a1", "c1", "250.00", feb10)
	before := countEvents(t, h)
	err := h.Policies[0].Handle(h.Ctx, recorded(t, h, appointment.StreamID("a1"), 2))
	if !errors.Is(err, payments.ErrGoLiveUnknown) {
		t.Fatalf("err = %v, want ErrGoLiveUnknown", err)
	}
	if after := countEvents(t, h); after != before {
		t.Fatal("an earning was accrued without knowing its ledger")
	}
	// Once go-live is recorded the retried event accrues.
	h.GoLive(goLive)
	h.Must(h.Policies[0].Handle(h.Ctx, recorded(t, h, appointment.StreamID("a1"), 2)))
	if _, ok := h.Earnings("c1").Earning(payments.ConsultationEarningID("a1")); !ok {
		t.Fatal("the retried completion accrued nothing")
	}
}

func TestACancelledOrMerelyBookedAppointmentEarnsNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.Must(h.Appointment("a1", appointment.Book{AppointmentID: "a1", PatientID: "p1", ClinicianID: "c1", StartsAt: feb10, Fee: money.GBP("100"), At: jan20}))
	h.Must(h.Appointment("a2", appointment.Book{AppointmentID: "a2", PatientID: "p1", ClinicianID: "c1", StartsAt: feb10, Fee: money.GBP("100"), At: jan20}))
	h.Must(h.Appointment("a2", appointment.Cancel{AppointmentID: "a2", Reason: "patient unwell", At: feb10.Add(-time.Hour)}))
	h.Settle()
	if n := len(h.Earnings("c1").Earnings()); n != 0 {
		t.Fatalf("%d earnings for appointments that never took place", n)
	}
}
