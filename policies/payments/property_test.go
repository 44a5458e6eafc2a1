package payments_test

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/commands/payouts"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
	"ledgerdesk/eventstore"
	"ledgerdesk/policies/payments/paymentstest"
	earningsrm "ledgerdesk/projections/earnings"
	"ledgerdesk/projections/journal"
)

// The money invariants, hammered with random sequences of real commands through the real
// command layer, policies and read models on PostgreSQL:
//
//   - no earning is released before its form is submitted or its invoice paid in full;
//   - no earning is released twice, paid twice, or in two payout runs at once;
//   - V1 work is never released or paid by V2;
//   - every payout line pays exactly the sum of the earnings it includes;
//   - the journal's trial balance is zero, and its balances are what the streams say;
//   - a rejected command appends nothing; a redelivered event changes nothing.
func TestPaymentsInvariantsHoldOverRandomCommandSequences(t *testing.T) {
	t.Parallel()
	steps := 400
	if testing.Short() {
		steps = 60
	}
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("reproduce with seed %d (%d steps)", seed, steps)
				}
			})
			w := newWorld(t, seed)
			for i := range steps {
				w.step(i)
			}
			w.h.Settle()
			w.checkHistory()
			w.checkBooks()
			w.checkRedeliveryChangesNothing()
		})
	}
}

var practiceAccount = payouts.Party{Name: "Northbridge Psychiatry Ltd", SortCode: "200000", AccountNumber: "55779911"}

type appt struct {
	clinician string
	status    string
	form      bool
}

type inv struct {
	status string
	items  int
}

type run struct{ status payout.Status }

type world struct {
	t          *testing.T
	h          *paymentstest.Harness
	r          *rand.Rand
	now        time.Time
	clinicians []string
	appts      map[string]*appt
	apptIDs    []string
	invoices   map[string]*inv
	invoiceIDs []string
	runs       []string
	runState   map[string]*run
	n          int
}

func newWorld(t *testing.T, seed uint64) *world {
	h := paymentstest.New(t)
	h.GoLive(goLive)
	h.Clinician("c1", "Dr Aisha Okafor", "40-12-76", "12345678")
	h.Clinician("c2", "Dr Tom O'Brien", "30-96-34", "87654321")
	h.Clinician("c3", "Dr No Bank", "", "")
	return &world{t: t, h: h, r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		now:        time.Date(2025, 1, 27, 9, 0, 0, 0, time.UTC), // a week before go-live
		clinicians: []string{"c1", "c2", "c3"}, appts: map[string]*appt{}, invoices: map[string]*inv{}, runState: map[string]*run{}}
}

func (w *world) pick(ids []string) string { return ids[w.r.IntN(len(ids))] }

// choose mostly picks an id for which fit is true, so sequences reach the interesting
// states, and sometimes any id, so refusals are exercised too.
func (w *world) choose(ids []string, fit func(string) bool) string {
	if w.r.IntN(8) > 0 {
		var good []string
		for _, id := range ids {
			if fit(id) {
				good = append(good, id)
			}
		}
		if len(good) > 0 {
			return w.pick(good)
		}
	}
	return w.pick(ids)
}

func (w *world) amount() money.Amount { return money.FromPence(1 + w.r.Int64N(40000)) }

// expectRejected runs a command that the domain may refuse; a refusal must append nothing
// and must be one of the domain's own errors, never an infrastructure failure.
func (w *world) try(what string, f func() error) bool {
	w.t.Helper()
	before, err := w.h.Store.CountAfter(w.h.Ctx, eventstore.Start)
	w.h.Must(err)
	err = f()
	if err == nil {
		return true
	}
	if !isDomainRefusal(err) {
		w.t.Fatalf("step %d, %s: %v", w.n, what, err)
	}
	after, err2 := w.h.Store.CountAfter(w.h.Ctx, eventstore.Start)
	w.h.Must(err2)
	if after != before {
		w.t.Fatalf("step %d, %s was refused (%v) but appended %d events", w.n, what, err, after-before)
	}
	return false
}

var refusals = []error{
	appointment.ErrInvalidInput, appointment.ErrCancelled, appointment.ErrAlreadyCompleted, appointment.ErrNotCompleted,
	appointment.ErrNotYourAppointment, appointment.ErrFormAlreadySubmitted,
	invoice.ErrInvalidInput, invoice.ErrAlreadyIssued, invoice.ErrNoItems, invoice.ErrNotIssued, invoice.ErrInvoiceVoided,
	invoice.ErrOverpayment, invoice.ErrPaymentsExist,
	payout.ErrNotFinalised, payout.ErrNotExported, payout.ErrNotSubmitted, payout.ErrAlreadySubmitted, payout.ErrAlreadySettled,
	payout.ErrAbandoned, payout.ErrLineAlreadyFailed, payout.ErrNoSuchLine, payout.ErrAlreadyExported, payout.ErrAlreadyFinalised,
	payouts.ErrNothingToPay,
}

func isDomainRefusal(err error) bool {
	return slices.ContainsFunc(refusals, func(r error) bool { return errors.Is(err, r) })
}

func (w *world) step(i int) {
	w.n = i
	w.now = w.now.Add(time.Duration(w.r.IntN(10*60)) * time.Minute)
	h := w.h
	switch op := w.r.IntN(100); {
	case op < 18: // book
		id := fmt.Sprintf("a%d", len(w.apptIDs))
		c := w.pick(w.clinicians)
		if w.try("book", func() error {
			return h.Appointment(id, appointment.Book{AppointmentID: id, PatientID: "p1", ClinicianID: c, StartsAt: w.now, Fee: w.amount(), At: w.now})
		}) {
			w.appts[id], w.apptIDs = &appt{clinician: c, status: "booked"}, append(w.apptIDs, id)
		}
	case op < 32 && len(w.apptIDs) > 0: // complete
		id := w.choose(w.apptIDs, func(id string) bool { return w.appts[id].status == "booked" })
		if w.try("complete", func() error { return h.Appointment(id, appointment.Complete{AppointmentID: id, At: w.now}) }) {
			w.appts[id].status = "completed"
		}
	case op < 44 && len(w.apptIDs) > 0: // form, sometimes by the wrong clinician
		id := w.choose(w.apptIDs, func(id string) bool { return w.appts[id].status == "completed" && !w.appts[id].form })
		by := w.appts[id].clinician
		if w.r.IntN(6) == 0 {
			by = w.pick(w.clinicians)
		}
		if w.try("submit form", func() error { return h.Appointment(id, appointment.SubmitForm{AppointmentID: id, By: by, At: w.now}) }) {
			w.appts[id].form = true
		}
	case op < 48 && len(w.apptIDs) > 0: // cancel
		id := w.pick(w.apptIDs)
		w.try("cancel", func() error {
			return h.Appointment(id, appointment.Cancel{AppointmentID: id, Reason: "unwell", At: w.now})
		})
	case op < 54: // raise an invoice
		id := fmt.Sprintf("i%d", len(w.invoiceIDs))
		if w.try("raise", func() error { return h.Invoice(id, invoice.Raise{InvoiceID: id, PatientID: "p1", At: w.now}) }) {
			w.invoices[id], w.invoiceIDs = &inv{status: "draft"}, append(w.invoiceIDs, id)
		}
	case op < 62 && len(w.invoiceIDs) > 0: // add an item
		id := w.choose(w.invoiceIDs, func(id string) bool { return w.invoices[id].status == "draft" })
		item := fmt.Sprintf("item%d", w.invoices[id].items)
		if w.try("add item", func() error {
			return h.Invoice(id, invoice.AddBillableItem{InvoiceID: id, ItemID: item, ClinicianID: w.pick(w.clinicians), Description: "report",
				Amount: w.amount(), At: w.now})
		}) {
			w.invoices[id].items++
		}
	case op < 66 && len(w.invoiceIDs) > 0: // issue
		id := w.choose(w.invoiceIDs, func(id string) bool { return w.invoices[id].status == "draft" && w.invoices[id].items > 0 })
		if w.try("issue", func() error { return h.Invoice(id, invoice.Issue{InvoiceID: id, At: w.now}) }) {
			w.invoices[id].status = "issued"
		}
	case op < 74 && len(w.invoiceIDs) > 0: // pay: the rest, part of it, or too much
		id := w.choose(w.invoiceIDs, func(id string) bool { return w.invoices[id].status == "issued" })
		st, _, err := loadInvoice(h, id)
		h.Must(err)
		amount := st.Outstanding()
		switch w.r.IntN(3) {
		case 0:
			if amount.Pence() > 1 {
				amount = money.FromPence(1 + w.r.Int64N(amount.Pence()-1))
			}
		case 1:
			amount = amount.Add(money.FromPence(1))
		}
		w.try("pay", func() error {
			return h.Invoice(id, invoice.RecordPayment{InvoiceID: id, PaymentID: fmt.Sprintf("pay%d", i), Amount: amount, At: w.now})
		})
	case op < 76 && len(w.invoiceIDs) > 0: // void
		id := w.pick(w.invoiceIDs)
		if w.try("void", func() error { return h.Invoice(id, invoice.Void{InvoiceID: id, Reason: "in error", At: w.now}) }) {
			w.invoices[id].status = "voided"
		}
	case op < 86: // let the policies catch up
		h.Settle()
	case op < 90: // a payout run up to a random day
		h.Settle()
		id := fmt.Sprintf("run%d", len(w.runs))
		cutoff := ledger.LondonDate(w.now.AddDate(0, 0, -w.r.IntN(10)))
		if w.try("run", func() error {
			_, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: id, Cutoff: cutoff, RequestedBy: "clerk", At: w.now, Clinicians: w.clinicians})
			return err
		}) {
			w.runs = append(w.runs, id)
			w.runState[id] = &run{status: payout.StatusFinalised}
		}
	case op < 99 && len(w.runs) > 0: // the run moves on: export, submit, fail a line, settle or abandon
		id := w.choose(w.runs, func(id string) bool {
			st := w.runState[id].status
			return st != payout.StatusSettled && st != payout.StatusAbandoned
		})
		defer func() { w.runState[id].status = payoutState(w.t, h, id).Status }()
		next := map[payout.Status]int{payout.StatusFinalised: 0, payout.StatusExported: 1, payout.StatusSubmitted: 2 + w.r.IntN(2)}[w.runState[id].status]
		if w.r.IntN(4) == 0 {
			next = w.r.IntN(5)
		}
		switch next {
		case 0:
			w.try("export", func() error {
				_, err := payouts.Export(h.Ctx, h.Deps, pain001.Writer{}, payouts.ExportRequest{PayoutID: id, Debtor: practiceAccount, By: "clerk", At: w.now}, io.Discard)
				return err
			})
		case 1:
			w.try("submit", func() error { return payouts.MarkSubmitted(h.Ctx, h.Deps, id, w.now, paymentstest.Meta()) })
		case 2:
			w.try("fail line", func() error {
				return payouts.FailLine(h.Ctx, h.Deps, id, w.pick(w.clinicians), "account closed", w.now, paymentstest.Meta())
			})
		case 3:
			w.try("settle", func() error { return payouts.MarkSettled(h.Ctx, h.Deps, id, w.now, paymentstest.Meta()) })
		default:
			if w.r.IntN(3) == 0 {
				w.try("abandon", func() error {
					return payouts.Abandon(h.Ctx, h.Deps, nil, id, "changed our mind", w.now, paymentstest.Meta())
				})
			}
		}
	default: // an old event redelivered to a policy
		h.Settle()
		evs := h.Events()
		r := evs[w.r.IntN(len(evs))]
		before := len(evs)
		for _, p := range h.Policies {
			if err := p.Handle(h.Ctx, r.RecordedEvent); err != nil {
				w.t.Fatalf("step %d: redelivering %s to %s: %v", i, r.Type, p.Name(), err)
			}
		}
		if after := len(h.Events()); after != before {
			w.t.Fatalf("step %d: redelivering %s@%d appended %d events", i, r.StreamID, r.Version, after-before)
		}
	}
}

// checkHistory reads the whole history and checks every release, inclusion and payment
// against the facts that must precede it.
func (w *world) checkHistory() {
	t := w.t
	type earning struct {
		accrued        earnings.Accrued
		released, paid int
		inPayout       string
	}
	es := map[string]*earning{}
	forms := map[string]eventstore.Position{}      // appointment -> FormSubmitted
	paidInFull := map[string]eventstore.Position{} // invoice -> PaidInFull
	inclusions := map[[2]string]earnings.IncludedInPayout{}
	var lines []payout.LineAdded
	for _, r := range w.h.Events() {
		switch ev := r.Event.(type) {
		case appointment.FormSubmitted:
			forms[ev.AppointmentID] = r.Position
		case invoice.PaidInFull:
			paidInFull[ev.InvoiceID] = r.Position
		case earnings.Accrued:
			es[ev.EarningID] = &earning{accrued: ev}
		case earnings.Released:
			x := es[ev.EarningID]
			x.released++
			var cause eventstore.Position
			var ok bool
			if ev.Source.Kind == earnings.SourceConsultation {
				cause, ok = forms[ev.Source.AppointmentID]
			} else {
				cause, ok = paidInFull[ev.Source.InvoiceID]
			}
			if !ok || !cause.Before(r.Position) {
				t.Fatalf("earning %s (%s) released at %s before its form or invoice payment (%v, %s)", ev.EarningID, ev.Source, r.Position, ok, cause)
			}
			if x.accrued.Ledger != ledger.V2 {
				t.Fatalf("V1 earning %s was released by V2", ev.EarningID)
			}
			if x.released > 1 {
				t.Fatalf("earning %s released %d times", ev.EarningID, x.released)
			}
		case earnings.IncludedInPayout:
			total := money.Zero
			for _, id := range ev.EarningIDs {
				x := es[id]
				if x.released != 1 || x.inPayout != "" || x.paid != 0 || x.accrued.Ledger != ledger.V2 {
					t.Fatalf("earning %s included in %s while %+v", id, ev.PayoutID, *x)
				}
				x.inPayout = ev.PayoutID
				total = total.Add(x.accrued.Amount)
			}
			if !total.Equal(ev.Total) {
				t.Fatalf("inclusion in %s totals %s, its earnings %s", ev.PayoutID, ev.Total, total)
			}
			inclusions[[2]string{ev.PayoutID, ev.ClinicianID}] = ev
		case earnings.PaidOut:
			for _, id := range ev.EarningIDs {
				x := es[id]
				if x.inPayout != ev.PayoutID {
					t.Fatalf("earning %s paid by %s but it is in %q", id, ev.PayoutID, x.inPayout)
				}
				x.paid++
				x.inPayout = ""
				if x.paid > 1 {
					t.Fatalf("earning %s paid twice", id)
				}
			}
		case earnings.ReturnedFromPayout:
			for _, id := range ev.EarningIDs {
				es[id].inPayout = ""
			}
		case payout.LineAdded:
			lines = append(lines, ev)
		}
	}
	for _, l := range lines {
		inc, ok := inclusions[[2]string{l.PayoutID, l.ClinicianID}]
		sum := money.Zero
		for _, id := range l.EarningIDs {
			sum = sum.Add(es[id].accrued.Amount)
		}
		if !ok || !sum.Equal(l.Amount) || !inc.Total.Equal(l.Amount) || !slices.Equal(inc.EarningIDs, l.EarningIDs) {
			t.Fatalf("line %s/%s pays %s for earnings worth %s (inclusion %+v)", l.PayoutID, l.ClinicianID, l.Amount, sum, inc)
		}
	}
	w.t.Logf("history: %d earnings, %d forms, %d invoices paid, %d payout lines", len(es), len(forms), len(paidInFull), len(lines))
}

// checkBooks rebuilds the journal and the earnings read model and compares them with the
// streams, which are the authority.
func (w *world) checkBooks() {
	h, t := w.h, w.t
	h.Project(journal.New(h.Codec), earningsrm.New(h.Codec))
	tb, err := journal.Trial(h.Ctx, h.Pool, true)
	h.Must(err)
	if !tb.Total.IsZero() || !tb.Debits.Equal(tb.Credits) {
		t.Fatalf("trial balance is not zero: %+v", tb)
	}
	voided := map[string]bool{}
	for id := range w.invoices {
		st, _, err := loadInvoice(h, id)
		h.Must(err)
		voided[id] = st.Status == invoice.StatusVoided
	}
	for _, c := range w.clinicians {
		s := h.Earnings(c)
		// An item on a voided invoice will never be paid: the journal writes it off, and
		// the clinician's view shows it apart, in neither the pending nor the V1 total.
		pending, v1, written := money.Zero, money.Zero, money.Zero
		for _, x := range append(s.Pending(), s.WithStatus(earnings.StatusV1)...) {
			switch {
			case voided[x.Source.InvoiceID]:
				written = written.Add(x.Amount)
			case x.Status == earnings.StatusV1:
				v1 = v1.Add(x.Amount)
			default:
				pending = pending.Add(x.Amount)
			}
		}
		rm, err := earningsrm.ForClinician(h.Ctx, h.Pool, c)
		h.Must(err)
		for account, want := range map[string][2]money.Amount{
			journal.ClinicianPending + c:  {pending, rm.Totals.Pending},
			journal.V1ClinicianOwed + c:   {v1, rm.Totals.V1},
			journal.ClinicianPayable + c:  {s.Total(earnings.StatusReleased), rm.Totals.Released},
			journal.ClinicianInPayout + c: {s.Total(earnings.StatusInPayout), rm.Totals.InPayout},
		} {
			got, err := journal.AccountBalance(h.Ctx, h.Pool, account)
			h.Must(err)
			if !got.Neg().Equal(want[0]) {
				t.Errorf("%s = %s, the stream says %s is owed", account, got, want[0])
			}
			if !got.Neg().Equal(want[1]) {
				t.Errorf("%s = %s, but the clinician's view says %s", account, got, want[1])
			}
		}
		if !rm.Totals.Paid.Equal(s.Total(earnings.StatusPaid)) || !rm.Totals.Voided.Equal(written) {
			t.Errorf("clinician %s: read model totals %+v differ from the stream (paid %s, voided %s)", c, rm.Totals, s.Total(earnings.StatusPaid), written)
		}
	}
}

func (w *world) checkRedeliveryChangesNothing() {
	before := len(w.h.Events())
	for _, r := range w.h.Events() {
		for _, p := range w.h.Policies {
			if err := p.Handle(w.h.Ctx, r.RecordedEvent); err != nil {
				w.t.Fatalf("redelivering %s to %s: %v", r.Type, p.Name(), err)
			}
		}
	}
	if after := len(w.h.Events()); after != before {
		w.t.Fatalf("redelivering the whole history appended %d events", after-before)
	}
}
