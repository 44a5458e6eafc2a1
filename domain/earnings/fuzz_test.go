package earnings_test

import (
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Whatever an accrual carries, Decide never panics, refuses with no events, and an accepted
// accrual has a positive amount and the ledger its London work date gives against go-live;
// a release that follows is either refused or emits exactly one event.
func FuzzAccrueAndRelease(f *testing.F) {
	f.Add("e1", "consultation", "appt-1", "", "", int64(25000), 2025, 2, 5, 2025, 2, 3, "form_submitted", "")
	f.Add("e1", "billable_item", "", "inv-1", "item-1", int64(1), 2025, 2, 2, 2025, 2, 3, "invoice_paid", "e1")
	f.Add("", "", "", "", "", int64(-1), 0, 0, 0, 0, 0, 0, "", "")
	f.Add("e\x00", "consultation", "a\x00", "", "", int64(1), 2025, 2, 30, 2025, 13, 1, "x", "e\x00")
	f.Fuzz(func(t *testing.T, id, kind, appt, inv, item string, pence int64, wy, wm, wd, gy, gm, gd int, reason, releaseID string) {
		c := earnings.Accrue{EarningID: id, ClinicianID: dr,
			Source: earnings.Source{Kind: earnings.SourceKind(kind), AppointmentID: appt, InvoiceID: inv, ItemID: item},
			Amount: money.FromPence(pence), WorkDate: ledger.Date{Year: wy, Month: time.Month(wm), Day: wd},
			GoLive: ledger.Date{Year: gy, Month: time.Month(gm), Day: gd}, At: t0}
		evs, err := earnings.Decide(earnings.State{}, c)
		if err != nil {
			if len(evs) != 0 {
				t.Fatalf("refused with %v but emitted %v", err, evs)
			}
			return
		}
		a := evs[0].(earnings.Accrued)
		if !a.Amount.IsPositive() || a.Ledger != ledger.For(c.WorkDate, c.GoLive) || strings.TrimSpace(a.EarningID) == "" {
			t.Fatalf("accepted a bad accrual %+v", a)
		}
		s := earnings.Evolve(earnings.State{}, a)
		evs, err = earnings.Decide(s, earnings.Release{EarningID: releaseID, Source: c.Source, Reason: earnings.ReleaseReason(reason), At: t0})
		if (err == nil) != (len(evs) == 1) {
			t.Fatalf("release gave %v and %v", evs, err)
		}
		if len(evs) == 1 {
			if _, isRelease := evs[0].(earnings.Released); isRelease == (a.Ledger == ledger.V1) {
				t.Fatalf("%s earning released as %T", a.Ledger, evs[0])
			}
		}
	})
}
