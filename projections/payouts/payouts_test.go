package payouts_test

import (
	"errors"
	"io"
	"testing"
	"time"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/commands/payouts"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/policies/payments/paymentstest"
	payoutsrm "ledgerdesk/projections/payouts"
)

var (
	goLive   = ledger.Date{Year: 2025, Month: time.February, Day: 3}
	feb10    = time.Date(2025, time.February, 10, 10, 0, 0, 0, time.UTC)
	mar3     = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)
	practice = payouts.Party{Name: "Northbridge Psychiatry Ltd", SortCode: "200000", AccountNumber: "55779911"}
)

func TestPayoutRunsShowEachStepAndEachLine(t *testing.T) {
	t.Parallel()
	h := paymentstest.New(t)
	h.GoLive(goLive)
	for i, c := range []string{"c1", "c2"} {
		h.Clinician(c, "Dr "+c, "40-12-7"+string(rune('0'+i)), "1234567"+string(rune('0'+i)))
		id := "a-" + c
		h.Must(h.Appointment(id, appointment.Book{AppointmentID: id, PatientID: "p1", ClinicianID: c, StartsAt: feb10, Fee: money.GBP("100.10"), At: feb10}))
		h.Must(h.Appointment(id, appointment.Complete{AppointmentID: id, At: feb10}))
		h.Must(h.Appointment(id, appointment.SubmitForm{AppointmentID: id, By: c, At: feb10}))
	}
	h.Settle()
	run := func(id string) {
		_, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: id, Cutoff: ledger.LondonDate(mar3), RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1", "c2"}})
		h.Must(err)
	}
	run("run1")
	rep, err := payouts.Export(h.Ctx, h.Deps, pain001.Writer{}, payouts.ExportRequest{PayoutID: "run1", Debtor: practice, By: "clerk", At: mar3}, io.Discard)
	h.Must(err)
	h.Must(payouts.MarkSubmitted(h.Ctx, h.Deps, "run1", mar3, paymentstest.Meta()))
	h.Must(payouts.FailLine(h.Ctx, h.Deps, "run1", "c2", "account closed", mar3.Add(time.Hour), paymentstest.Meta()))
	h.Must(payouts.MarkSettled(h.Ctx, h.Deps, "run1", mar3.Add(2*time.Hour), paymentstest.Meta()))
	h.Settle()
	run("run2")
	h.Must(payouts.Abandon(h.Ctx, h.Deps, nil, "run2", "wrong cut-off", mar3.Add(3*time.Hour), paymentstest.Meta()))
	h.Project(payoutsrm.New(h.Codec))

	list, err := payoutsrm.List(h.Ctx, h.Pool)
	h.Must(err)
	if len(list) != 2 {
		t.Fatalf("runs = %+v", list)
	}
	r1, err := payoutsrm.Get(h.Ctx, h.Pool, "run1")
	h.Must(err)
	if r1.Status != "settled" || r1.LineCount != 2 || r1.FailedLines != 1 || !r1.Total.Equal(money.GBP("200.20")) || r1.PaidTotal == nil ||
		!r1.PaidTotal.Equal(money.GBP("100.10")) || r1.MessageID != rep.MessageID || r1.SHA256 != rep.SHA256 || r1.SettledAt == nil {
		t.Fatalf("run1 = %+v", r1)
	}
	if len(r1.Lines) != 2 || r1.Lines[0].Status != "paid" || r1.Lines[1].Status != "failed" || r1.Lines[1].FailReason != "account closed" || len(r1.Lines[0].EarningIDs) != 1 {
		t.Fatalf("run1 lines = %+v", r1.Lines)
	}
	r2, err := payoutsrm.Get(h.Ctx, h.Pool, "run2")
	h.Must(err)
	if r2.Status != "abandoned" || r2.Reason != "wrong cut-off" || len(r2.Lines) != 1 || r2.Lines[0].ClinicianID != "c2" || r2.Lines[0].Status != "returned" {
		t.Fatalf("run2 = %+v", r2)
	}
	if _, err := payoutsrm.Get(h.Ctx, h.Pool, "nope"); !errors.Is(err, payoutsrm.ErrNotFound) {
		t.Fatalf("unknown run: err = %v", err)
	}
}
