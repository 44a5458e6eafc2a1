package earnings_test

import (
	"testing"
	"time"

	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

func TestAccrualRecordsTheLedgerOfItsLondonWorkDate(t *testing.T) {
	for _, tc := range []struct {
		work ledger.Date
		want ledger.Ledger
	}{
		{ledger.Date{Year: 2025, Month: time.January, Day: 31}, ledger.V1},
		{feb2, ledger.V1},
		{goLive, ledger.V2},
		{feb5, ledger.V2},
	} {
		want := consultation("appt-1", "250.00", tc.work)
		want.Ledger = tc.want // spelt out: the test must not recompute what it checks
		spec().When(accrue(want)).Then(t, want)
	}
}

func TestAccrualRefusesIncompleteOrInvalidFigures(t *testing.T) {
	valid := accrue(a1)
	for name, mutate := range map[string]func(*earnings.Accrue){
		"no earning id":           func(c *earnings.Accrue) { c.EarningID = "" },
		"control char in id":      func(c *earnings.Accrue) { c.EarningID = "e\x00" },
		"no clinician":            func(c *earnings.Accrue) { c.ClinicianID = " " },
		"unknown kind of work":    func(c *earnings.Accrue) { c.Source.Kind = "bonus" },
		"consultation w/ invoice": func(c *earnings.Accrue) { c.Source.InvoiceID = "inv-1" },
		"consultation w/o appt":   func(c *earnings.Accrue) { c.Source = earnings.Consultation("") },
		"item without item id":    func(c *earnings.Accrue) { c.Source = earnings.BillableItem("inv-1", "") },
		"item with appointment": func(c *earnings.Accrue) {
			c.Source = earnings.BillableItem("inv-1", "item-1")
			c.Source.AppointmentID = "appt-1"
		},
		"zero amount":      func(c *earnings.Accrue) { c.Amount = money.Zero },
		"negative amount":  func(c *earnings.Accrue) { c.Amount = gbp("-0.01") },
		"no work date":     func(c *earnings.Accrue) { c.WorkDate = ledger.Date{} },
		"30th of February": func(c *earnings.Accrue) { c.WorkDate = ledger.Date{Year: 2025, Month: 2, Day: 30} },
		"month 13":         func(c *earnings.Accrue) { c.WorkDate = ledger.Date{Year: 2025, Month: 13, Day: 1} },
		"year 25":          func(c *earnings.Accrue) { c.WorkDate = ledger.Date{Year: 25, Month: 2, Day: 5} },
		"no go-live":       func(c *earnings.Accrue) { c.GoLive = ledger.Date{} },
		"no accrual time":  func(c *earnings.Accrue) { c.At = time.Time{} },
	} {
		t.Run(name, func(t *testing.T) {
			c := valid
			mutate(&c)
			spec().When(c).ThenError(t, earnings.ErrInvalidInput)
		})
	}
}

func TestARedeliveredIdenticalAccrualDecidesNothing(t *testing.T) {
	spec().Given(a1).When(accrue(a1)).Then(t)
	later := accrue(a1)
	later.At = at(5)
	later.GoLive = ledger.Date{Year: 2025, Month: time.February, Day: 4} // still V2 work
	spec().Given(a1).When(later).Then(t)
}

func TestARepeatedAccrualWithDifferentFiguresIsRefused(t *testing.T) {
	for name, mutate := range map[string]func(*earnings.Accrue){
		"amount":    func(c *earnings.Accrue) { c.Amount = gbp("251.00") },
		"work date": func(c *earnings.Accrue) { c.WorkDate = goLive },
		"work":      func(c *earnings.Accrue) { c.Source = earnings.Consultation("appt-9") },
		"ledger":    func(c *earnings.Accrue) { c.GoLive = ledger.Date{Year: 2025, Month: time.March, Day: 1} },
	} {
		t.Run(name, func(t *testing.T) {
			c := accrue(a1)
			mutate(&c)
			spec().Given(a1).When(c).ThenError(t, earnings.ErrConflictingAccrual)
		})
	}
}

func TestAPieceOfWorkEarnsOnce(t *testing.T) {
	c := accrue(a1)
	c.EarningID = "another-id"
	spec().Given(a1).When(c).ThenError(t, earnings.ErrSourceAlreadyAccrued)
}

func TestAStreamHoldsOneClinician(t *testing.T) {
	c := accrue(a2)
	c.ClinicianID = "clinician-2"
	spec().Given(a1).When(c).ThenError(t, earnings.ErrWrongClinician)
}

func TestAnUnknownCommandIsRefused(t *testing.T) {
	spec().Given(a1).When(nil).ThenError(t, earnings.ErrUnknownCommand)
}
