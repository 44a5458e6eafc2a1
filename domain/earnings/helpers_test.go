package earnings_test

import (
	"time"

	"ledgerdesk/domain/decider/decidertest"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

const dr = "clinician-1"

var (
	goLive = ledger.Date{Year: 2025, Month: time.February, Day: 3}
	feb2   = ledger.Date{Year: 2025, Month: time.February, Day: 2}
	feb5   = ledger.Date{Year: 2025, Month: time.February, Day: 5}
	t0     = time.Date(2025, 2, 5, 12, 0, 0, 0, time.UTC)
)

func at(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

func gbp(s string) money.Amount { return money.FromPence(money.GBP(s).Pence()) }

func spec() *decidertest.Spec[earnings.State, earnings.Command, earnings.Event] {
	return decidertest.For(earnings.Decide, earnings.Evolve)
}

// consultation is the accrual of a £amount consultation fee, earning id "e-<appt>".
func consultation(appt, amount string, work ledger.Date) earnings.Accrued {
	return earnings.Accrued{EarningID: "e-" + appt, ClinicianID: dr, Source: earnings.Consultation(appt), Amount: gbp(amount),
		WorkDate: work, GoLive: goLive, Ledger: ledger.For(work, goLive), AccruedAt: t0}
}

func billable(inv, item, amount string) earnings.Accrued {
	return earnings.Accrued{EarningID: "e-" + item, ClinicianID: dr, Source: earnings.BillableItem(inv, item), Amount: gbp(amount),
		WorkDate: feb5, GoLive: goLive, Ledger: ledger.V2, AccruedAt: t0}
}

func accrue(a earnings.Accrued) earnings.Accrue {
	return earnings.Accrue{EarningID: a.EarningID, ClinicianID: a.ClinicianID, Source: a.Source, Amount: a.Amount,
		WorkDate: a.WorkDate, GoLive: a.GoLive, At: a.AccruedAt}
}

func released(a earnings.Accrued, h int) earnings.Released {
	reason := earnings.ReleaseFormSubmitted
	if a.Source.Kind == earnings.SourceBillableItem {
		reason = earnings.ReleaseInvoicePaid
	}
	return earnings.Released{EarningID: a.EarningID, ClinicianID: dr, Source: a.Source, Amount: a.Amount, Reason: reason, ReleasedAt: at(h)}
}

func included(payout, total string, h int, ids ...string) earnings.IncludedInPayout {
	return earnings.IncludedInPayout{PayoutID: payout, ClinicianID: dr, EarningIDs: ids, Total: gbp(total), IncludedAt: at(h)}
}

var (
	a1 = consultation("appt-1", "250.00", feb5)
	a2 = consultation("appt-2", "120.50", feb5)
	v1 = consultation("appt-0", "300.00", feb2)
	b1 = billable("inv-1", "item-1", "40.00")
)

// twoReleased is a clinician with two released consultations (£370.50) and a pending item.
func twoReleased() []earnings.Event {
	return []earnings.Event{a1, a2, b1, released(a1, 1), released(a2, 1)}
}
