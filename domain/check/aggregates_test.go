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

// Every amount a command carries has a stated maximum: at the maximum it is accepted, one
// penny over it is refused as invalid input naming the field and the maximum, before any
// event is decided.
func TestEveryAmountHasAStatedMaximum(t *testing.T) {
	penny := money.FromPence(1)
	inv := invoice.Evolve(invoice.State{}, invoice.Raised{InvoiceID: "inv-1", PatientID: "p-1", RaisedAt: at})
	// An issued invoice owing a penny more than a payment may be: MaxItems items at the
	// maximum, and (folded in, as no command could add it) one more penny.
	owing := invoice.Evolve(inv, invoice.BillableItemAdded{InvoiceID: "inv-1", PatientID: "p-1", ItemID: "penny",
		ClinicianID: "c-1", Description: "letter", Amount: penny, AddedAt: at})
	for i := range invoice.MaxItems {
		owing = invoice.Evolve(owing, invoice.BillableItemAdded{InvoiceID: "inv-1", PatientID: "p-1", ItemID: "item-" + strconv.Itoa(i),
			ClinicianID: "c-1", Description: "letter", Amount: invoice.MaxItemAmount, AddedAt: at})
	}
	owing = invoice.Evolve(owing, invoice.Issued{InvoiceID: "inv-1", PatientID: "p-1", Total: owing.Total, IssuedAt: at})
	run := payout.Evolve(payout.State{}, payout.Started{PayoutID: "run-1", Cutoff: feb10, RequestedBy: "clerk", StartedAt: at})
	cases := []struct {
		name     string
		max      money.Amount
		sentinel error
		decide   func(money.Amount) error
	}{
		{"appointment fee", appointment.MaxFee, appointment.ErrInvalidInput, func(a money.Amount) error {
			_, err := appointment.Decide(appointment.State{}, appointment.Book{AppointmentID: "appt-1", PatientID: "p-1",
				ClinicianID: "c-1", StartsAt: at.Add(time.Hour), Fee: a, At: at})
			return err
		}},
		{"billable item", invoice.MaxItemAmount, invoice.ErrInvalidInput, func(a money.Amount) error {
			_, err := invoice.Decide(inv, invoice.AddBillableItem{InvoiceID: "inv-1", ItemID: "item-1", ClinicianID: "c-1",
				Description: "letter", Amount: a, At: at})
			return err
		}},
		{"payment", invoice.MaxPaymentAmount, invoice.ErrInvalidInput, func(a money.Amount) error {
			_, err := invoice.Decide(owing, invoice.RecordPayment{InvoiceID: "inv-1", PaymentID: "pay-1", Amount: a, At: at})
			return err
		}},
		{"earning", earnings.MaxAmount, earnings.ErrInvalidInput, func(a money.Amount) error {
			_, err := earnings.Decide(earnings.State{}, earnings.Accrue{EarningID: "e-1", ClinicianID: "c-1", Source: source,
				Amount: a, WorkDate: feb10, GoLive: ledger.Date{Year: 2025, Month: 1, Day: 1}, At: at})
			return err
		}},
		{"payout line", payout.MaxLineAmount, payout.ErrInvalidInput, func(a money.Amount) error {
			_, err := payout.Decide(run, payout.AddLine{PayoutID: "run-1", ClinicianID: "c-1", EarningIDs: []string{"e-1"},
				Amount: a, Payee: payee, At: at})
			return err
		}},
		{"V1 item", v1item.MaxAmount, v1item.ErrInvalidFigures, func(a money.Amount) error {
			_, err := v1item.Decide(v1item.State{}, v1item.Import{Figures: v1item.Figures{Reference: "V1-1", ClinicianID: "c-1",
				ClinicianName: "Dr A", PatientReference: "P-1", WorkDate: feb10, Description: "d", Amount: a, Status: v1item.StatusPending},
				GoLive: ledger.Date{Year: 2025, Month: 2, Day: 3}, ImportedBy: "clerk", SourceFile: "v1.csv", SourceLine: 2, At: at})
			return err
		}},
	}
	for _, c := range cases {
		if err := c.decide(c.max); err != nil {
			t.Errorf("%s: the maximum £%s was refused: %v", c.name, c.max, err)
		}
		err := c.decide(c.max.Add(penny))
		switch {
		case err == nil:
			t.Errorf("%s: £%s, a penny over the maximum, was accepted", c.name, c.max.Add(penny))
		case !errors.Is(err, check.ErrInvalidInput) || !errors.Is(err, c.sentinel):
			t.Errorf("%s: %v does not match check.ErrInvalidInput and the aggregate's ErrInvalidInput", c.name, err)
		case !strings.Contains(err.Error(), "amount") && !strings.Contains(err.Error(), "fee"):
			t.Errorf("%s: %v does not name the field", c.name, err)
		case !strings.Contains(err.Error(), "£"+c.max.String()):
			t.Errorf("%s: %v does not state the maximum £%s", c.name, err, c.max)
		}
		// A 20-digit amount (what the read models parked) is refused the same way.
		if err := c.decide(money.GBP("12345678901234567890")); !errors.Is(err, check.ErrInvalidInput) {
			t.Errorf("%s: a 20-digit amount: %v", c.name, err)
		}
	}
}

// The maxima fit the read models' columns: numeric(12,2) holds less than £10,000,000,000,
// numeric(14,2) less than £1,000,000,000,000.
func TestTheMaximaFitTheReadModels(t *testing.T) {
	const numeric12, numeric14 = int64(1e10 * 100), int64(1e12 * 100)
	for name, c := range map[string]struct{ max, column int64 }{
		"appointment fee (appointments.fee numeric(12,2))":      {appointment.MaxFeePence, numeric12},
		"V1 item (v1recon amount numeric(12,2))":                {v1item.MaxAmountPence, numeric12},
		"billable item (invoice_items.amount numeric(14,2))":    {invoice.MaxItemPence, numeric14},
		"invoice total and payment (invoices numeric(14,2))":    {invoice.MaxPaymentPence, numeric14},
		"earning (earnings.amount numeric(14,2))":               {earnings.MaxAmountPence, numeric14},
		"payout line (payout lines amount numeric(14,2))":       {payout.MaxLinePence, numeric14},
		"payout run total (payouts.total numeric(14,2))":        {payout.MaxTotalPence, numeric14},
		"a fee or an item never earns more than an earning may": {max(appointment.MaxFeePence, invoice.MaxItemPence), earnings.MaxAmountPence + 1},
	} {
		if c.max >= c.column {
			t.Errorf("%s: the maximum %d pence does not fit (%d)", name, c.max, c.column)
		}
	}
}
