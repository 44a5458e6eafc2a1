package earnings_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// universe is the work one random run draws on: a few earnings around go-live.
type universe struct {
	accruals []earnings.Accrued
}

func newUniverse(rng *rand.Rand) universe {
	var u universe
	for i := range 8 {
		src := earnings.Consultation(fmt.Sprintf("appt-%d", i))
		if i%2 == 1 {
			src = earnings.BillableItem("inv-1", fmt.Sprintf("item-%d", i))
		}
		work := ledger.DateOf(goLive.StartInLondon().AddDate(0, 0, rng.IntN(6)-2))
		u.accruals = append(u.accruals, earnings.Accrued{EarningID: fmt.Sprintf("e%d", i), ClinicianID: dr, Source: src,
			Amount: money.FromPence(int64(1 + rng.IntN(50000))), WorkDate: work, GoLive: goLive, Ledger: ledger.For(work, goLive), AccruedAt: t0})
	}
	return u
}

func (u universe) randomCommand(rng *rand.Rand, step int) earnings.Command {
	a := u.accruals[rng.IntN(len(u.accruals))]
	when := t0.Add(time.Duration(step) * time.Minute)
	payout := fmt.Sprintf("p%d", rng.IntN(6))
	switch rng.IntN(12) {
	case 0, 1:
		c := accrue(a)
		switch rng.IntN(10) {
		case 0:
			c.Amount = c.Amount.Add(money.FromPence(1))
		case 1:
			c.EarningID = "dup-" + c.EarningID
		}
		return c
	case 2, 3, 4:
		c := earnings.Release{EarningID: a.EarningID, Reason: a.Source.Kind.ReleasedBy(), At: when}
		if rng.IntN(3) == 0 {
			c.EarningID, c.Source = "", a.Source
		}
		if rng.IntN(10) == 0 {
			c.Reason = earnings.ReleaseInvoicePaid
		}
		return c
	case 5, 6, 7:
		var ids []string
		for range 1 + rng.IntN(3) {
			id := u.accruals[rng.IntN(len(u.accruals))].EarningID
			if !slices.Contains(ids, id) || rng.IntN(10) == 0 {
				ids = append(ids, id)
			}
		}
		return earnings.IncludeInPayout{PayoutID: payout, EarningIDs: ids, At: when}
	case 8, 9:
		return earnings.MarkPaid{PayoutID: payout, At: when}
	default:
		return earnings.ReturnFromPayout{PayoutID: payout, Reason: "AC04", At: when}
	}
}

// model is what the events alone say, kept independently of State.
type model struct {
	accrued  map[string]earnings.Accrued
	released map[string]int
	arrived  map[string]int
	paid     map[string]int
	inPayout map[string]string // earning → open payout
	payouts  map[string]earnings.IncludedInPayout
	settled  map[string]bool
	seen     map[string]int
}

func newModel() *model {
	return &model{accrued: map[string]earnings.Accrued{}, released: map[string]int{}, arrived: map[string]int{}, paid: map[string]int{},
		inPayout: map[string]string{}, payouts: map[string]earnings.IncludedInPayout{}, settled: map[string]bool{}, seen: map[string]int{}}
}

// check applies one event to the model and returns the broken invariant, if any.
func (m *model) check(e earnings.Event) string {
	m.seen[e.EventType()]++
	switch e := e.(type) {
	case earnings.Accrued:
		if _, ok := m.accrued[e.EarningID]; ok {
			return "an earning was accrued twice"
		}
		m.accrued[e.EarningID] = e
	case earnings.Released:
		a, ok := m.accrued[e.EarningID]
		switch {
		case !ok:
			return "released before it was accrued"
		case a.Ledger != ledger.V2:
			return "a V1 earning was released"
		case m.released[e.EarningID] > 0:
			return "released twice"
		case !e.Amount.Equal(a.Amount):
			return "released a different amount from the one accrued"
		}
		m.released[e.EarningID]++
	case earnings.V1WorkArrived:
		if a, ok := m.accrued[e.EarningID]; !ok || a.Ledger != ledger.V1 || m.arrived[e.EarningID] > 0 {
			return "V1 arrival recorded for non-V1 or unaccrued work, or twice"
		}
		m.arrived[e.EarningID]++
	case earnings.IncludedInPayout:
		if _, used := m.payouts[e.PayoutID]; used {
			return "a payout id took a second line"
		}
		total := money.Zero
		for _, id := range e.EarningIDs {
			a := m.accrued[id]
			switch {
			case a.Ledger != ledger.V2:
				return "a V1 (or unaccrued) earning went into a payout"
			case m.released[id] == 0:
				return "an unreleased earning went into a payout"
			case m.inPayout[id] != "":
				return "an earning is in two payouts at once"
			case m.paid[id] > 0:
				return "a paid earning went into another payout"
			}
			m.inPayout[id] = e.PayoutID
			total = total.Add(a.Amount)
		}
		if !total.Equal(e.Total) {
			return fmt.Sprintf("payout total %s is not the sum of its earnings %s", e.Total, total)
		}
		m.payouts[e.PayoutID] = e
	case earnings.PaidOut:
		inc, ok := m.payouts[e.PayoutID]
		if !ok || m.settled[e.PayoutID] || !slices.Equal(inc.EarningIDs, e.EarningIDs) || !inc.Total.Equal(e.Total) {
			return "paid a payout that was not open, or paid different earnings from those included"
		}
		for _, id := range e.EarningIDs {
			if m.paid[id]++; m.paid[id] > 1 || m.accrued[id].Ledger != ledger.V2 {
				return "an earning was paid twice, or V1 work was paid"
			}
			delete(m.inPayout, id)
		}
		m.settled[e.PayoutID] = true
	case earnings.ReturnedFromPayout:
		if _, ok := m.payouts[e.PayoutID]; !ok || m.settled[e.PayoutID] {
			return "returned a payout that was not open"
		}
		for _, id := range e.EarningIDs {
			delete(m.inPayout, id)
		}
		m.settled[e.PayoutID] = true
	}
	return ""
}

// agrees checks the State's answers against the model, and that money is conserved: every
// accrued penny is in exactly one status.
func (m *model) agrees(s earnings.State) string {
	sum := money.Zero
	for _, st := range []earnings.Status{earnings.StatusPending, earnings.StatusReleased, earnings.StatusInPayout, earnings.StatusPaid, earnings.StatusV1} {
		sum = sum.Add(s.Total(st))
	}
	want := money.Zero
	for id, a := range m.accrued {
		want = want.Add(a.Amount)
		e, _ := s.Earning(id)
		var st earnings.Status
		switch {
		case a.Ledger == ledger.V1:
			st = earnings.StatusV1
		case m.paid[id] > 0:
			st = earnings.StatusPaid
		case m.inPayout[id] != "":
			st = earnings.StatusInPayout
		case m.released[id] > 0:
			st = earnings.StatusReleased
		default:
			st = earnings.StatusPending
		}
		if e.Status != st {
			return fmt.Sprintf("earning %s is %s in state, %s by the events", id, e.Status, st)
		}
	}
	if !sum.Equal(want) {
		return fmt.Sprintf("statuses add up to %s, accrued %s", sum, want)
	}
	return ""
}

// Over random command sequences: never Released without Accrue first, never released twice,
// never in two payouts at once, never paid twice, V1 work never released, included or paid,
// payout totals equal the sum of the included earnings, every accrued penny is in exactly one
// status, a refused command emits nothing, and replaying the events gives the same state.
func TestEarningsReleasedAndPaidAtMostOnceAndV1NeverPaid(t *testing.T) {
	const seeds, steps = 400, 80
	total := newModel()
	for seed := uint64(1); seed <= seeds; seed++ {
		rng := rand.New(rand.NewPCG(seed, 0xea51))
		u := newUniverse(rng)
		m := newModel()
		s := earnings.Decider.Initial()
		var history []earnings.Event
		for step := range steps {
			c := u.randomCommand(rng, step)
			evs, err := earnings.Decide(s, c)
			if err != nil && len(evs) > 0 {
				t.Fatalf("seed %d step %d: %T%+v refused with %v but emitted %v", seed, step, c, c, err, evs)
			}
			for _, e := range evs {
				if broken := m.check(e); broken != "" {
					t.Fatalf("seed %d step %d: %s\n command %T%+v\n event %T%+v", seed, step, broken, c, c, e, e)
				}
				s = earnings.Evolve(s, e)
				history = append(history, e)
			}
			if broken := m.agrees(s); broken != "" {
				t.Fatalf("seed %d step %d: %s", seed, step, broken)
			}
		}
		if replayed := earnings.Decider.Fold(history); !reflect.DeepEqual(replayed, s) {
			t.Fatalf("seed %d: replaying the history gives a different state", seed)
		}
		for k, n := range m.seen {
			total.seen[k] += n
		}
	}
	// The generator must actually reach every event, or the invariants above prove nothing.
	for _, e := range earnings.EventTypes() {
		if total.seen[e.EventType()] < 50 {
			t.Errorf("only %d %s events over all seeds; the generator does not exercise it", total.seen[e.EventType()], e.EventType())
		}
	}
}
