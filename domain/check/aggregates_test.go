package check_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/account"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/check"
	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/domain/v1item"
)

var (
	at     = time.Date(2025, 2, 10, 9, 0, 0, 0, time.UTC)
	feb10  = ledger.Date{Year: 2025, Month: 2, Day: 10}
	fee    = money.GBP("250.00")
	payee  = payout.Payee{Name: "Dr A", SortCode: "12-34-56", AccountNumber: "12345678"}
	source = earnings.Source{Kind: earnings.SourceConsultation, AppointmentID: "appt-1"}
)

// decideClinician runs the command of each aggregate that names a clinician, with the
// given clinician id and everything else valid.
func decideClinician(clinician string) map[string]struct {
	err      error
	sentinel error
} {
	inv := invoice.Evolve(invoice.State{}, invoice.Raised{InvoiceID: "inv-1", PatientID: "p-1", RaisedAt: at})
	run := payout.Evolve(payout.State{}, payout.Started{PayoutID: "run-1", Cutoff: feb10, RequestedBy: "clerk", StartedAt: at})
	_, apptErr := appointment.Decide(appointment.State{}, appointment.Book{AppointmentID: "appt-1", PatientID: "p-1",
		ClinicianID: clinician, StartsAt: at.Add(time.Hour), Fee: fee, At: at})
	_, invErr := invoice.Decide(inv, invoice.AddBillableItem{InvoiceID: "inv-1", ItemID: "item-1", ClinicianID: clinician,
		Description: "letter", Amount: fee, At: at})
	_, earnErr := earnings.Decide(earnings.State{}, earnings.Accrue{EarningID: "e-1", ClinicianID: clinician, Source: source,
		Amount: fee, WorkDate: feb10, GoLive: ledger.Date{Year: 2025, Month: 1, Day: 1}, At: at})
	_, payErr := payout.Decide(run, payout.AddLine{PayoutID: "run-1", ClinicianID: clinician, EarningIDs: []string{"e-1"},
		Amount: fee, Payee: payee, At: at})
	return map[string]struct {
		err      error
		sentinel error
	}{
		"appointment": {apptErr, appointment.ErrInvalidInput},
		"invoice":     {invErr, invoice.ErrInvalidInput},
		"earnings":    {earnErr, earnings.ErrInvalidInput},
		"payout":      {payErr, payout.ErrInvalidInput},
	}
}

func TestOneIDLimitForAClinicianInEveryAggregate(t *testing.T) {
	for name, r := range decideClinician(strings.Repeat("c", check.MaxIDLength)) {
		if r.err != nil {
			t.Errorf("%s: a clinician id of check.MaxIDLength (%d) was refused: %v", name, check.MaxIDLength, r.err)
		}
	}
	for name, r := range decideClinician(strings.Repeat("c", check.MaxIDLength+1)) {
		switch {
		case r.err == nil:
			t.Errorf("%s: a clinician id of %d characters was accepted", name, check.MaxIDLength+1)
		case !errors.Is(r.err, check.ErrInvalidInput) || !errors.Is(r.err, r.sentinel):
			t.Errorf("%s: %v does not match check.ErrInvalidInput and the aggregate's ErrInvalidInput", name, r.err)
		case !strings.Contains(strings.ToLower(r.err.Error()), "field clinician"):
			t.Errorf("%s: %v does not name the clinician field", name, r.err)
		}
	}
	// A V1 item names the clinician too, and its import must not hold an id the rest refuse.
	f := v1item.Figures{Reference: "V1-1", ClinicianID: strings.Repeat("c", check.MaxIDLength+1), ClinicianName: "Dr A",
		PatientReference: "P-1", WorkDate: feb10, Description: "d", Amount: fee, Status: v1item.StatusPending}
	if ps := f.Check(); len(ps) != 1 || ps[0].Field != v1item.FieldClinicianID {
		t.Errorf("V1 figures with a %d-character clinician id: problems %v", check.MaxIDLength+1, ps)
	}
	f.ClinicianID = strings.Repeat("c", check.MaxIDLength)
	if ps := f.Check(); len(ps) != 0 {
		t.Errorf("V1 figures with a %d-character clinician id: problems %v", check.MaxIDLength, ps)
	}
}

// Every aggregate's invalid-input error is, or wraps, the one shared sentinel.
func TestEveryAggregatesInvalidInputIsTheSharedSentinel(t *testing.T) {
	for name, err := range map[string]error{
		"account": account.ErrInvalidInput, "appointment": appointment.ErrInvalidInput, "cutover": cutover.ErrInvalidInput,
		"earnings": earnings.ErrInvalidInput, "invoice": invoice.ErrInvalidInput, "payout": payout.ErrInvalidInput,
		"ticket": ticket.ErrInvalidInput, "contact": contact.ErrInvalid, "v1item": v1item.ErrInvalidInput, "v1item figures": v1item.ErrInvalidFigures,
	} {
		if !errors.Is(err, check.ErrInvalidInput) {
			t.Errorf("%s: %v does not wrap check.ErrInvalidInput", name, err)
		}
	}
	// and a refusal for a bad field in aggregates that do not name a clinician matches it too.
	_, err := ticket.Decide(ticket.State{}, ticket.Open{TicketID: strings.Repeat("t", check.MaxIDLength+1)})
	if !errors.Is(err, check.ErrInvalidInput) || !errors.Is(err, ticket.ErrInvalidInput) {
		t.Errorf("ticket: %v", err)
	}
	if _, err := contact.ParseEmail("not an address"); !errors.Is(err, check.ErrInvalidInput) {
		t.Errorf("contact: %v", err)
	}
	_, err = cutover.Decide(cutover.State{}, cutover.ScheduleGoLive{At: at})
	if !errors.Is(err, check.ErrInvalidInput) || !errors.Is(err, cutover.ErrInvalidInput) {
		t.Errorf("cutover: %v", err)
	}
}

// The two aggregates that check a payout line's earnings agree on how many it may carry.
func TestPayoutAndEarningsAgreeOnEarningsPerLine(t *testing.T) {
	if payout.MaxEarningsPerLine != earnings.MaxEarningsPerPayout {
		t.Fatalf("payout.MaxEarningsPerLine = %d, earnings.MaxEarningsPerPayout = %d", payout.MaxEarningsPerLine, earnings.MaxEarningsPerPayout)
	}
	ids := make([]string, earnings.MaxEarningsPerPayout+1)
	for i := range ids {
		ids[i] = "e-" + strconv.Itoa(i)
	}
	run := payout.Evolve(payout.State{}, payout.Started{PayoutID: "run-1", Cutoff: feb10, RequestedBy: "clerk", StartedAt: at})
	_, payErr := payout.Decide(run, payout.AddLine{PayoutID: "run-1", ClinicianID: "c-1", EarningIDs: ids, Amount: fee, Payee: payee, At: at})
	if !errors.Is(payErr, payout.ErrInvalidInput) || !strings.Contains(payErr.Error(), "earning ids") {
		t.Errorf("payout: %d earnings on a line: %v", len(ids), payErr)
	}
	if err := earnings.CheckEarningIDs(payout.ErrInvalidInput, ids[:earnings.MaxEarningsPerPayout]); err != nil {
		t.Errorf("%d earnings refused: %v", earnings.MaxEarningsPerPayout, err)
	}
}
