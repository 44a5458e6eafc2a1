package earnings

import (
	"slices"

	"ledgerdesk/domain/money"
)

// Earning returns one earning by id.
func (s State) Earning(id string) (Earning, bool) {
	x, ok := s.earnings[id]
	if !ok {
		return Earning{}, false
	}
	return *x, true
}

// BySource returns the earning for a piece of work, if it has been accrued.
func (s State) BySource(src Source) (Earning, bool) {
	id, ok := s.bySource[src.key()]
	if !ok {
		return Earning{}, false
	}
	return s.Earning(id)
}

// Earnings lists every earning in the order it was accrued.
func (s State) Earnings() []Earning {
	out := make([]Earning, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, *s.earnings[id])
	}
	return out
}

// WithStatus lists the earnings in one status, in accrual order.
func (s State) WithStatus(st Status) []Earning {
	var out []Earning
	for _, id := range s.order {
		if x := s.earnings[id]; x.Status == st {
			out = append(out, *x)
		}
	}
	return out
}

// Pending lists V2 earnings still waiting for a form or an invoice payment.
func (s State) Pending() []Earning { return s.WithStatus(StatusPending) }

// ReleasedUnpaid lists earnings that are payable and in no payout: what the next run pays.
func (s State) ReleasedUnpaid() []Earning { return s.WithStatus(StatusReleased) }

// InPayout lists earnings on a payout run the bank has not yet paid or failed.
func (s State) InPayout() []Earning { return s.WithStatus(StatusInPayout) }

// Paid lists earnings that have been paid out.
func (s State) Paid() []Earning { return s.WithStatus(StatusPaid) }

// V1 lists work that belongs to the old back office.
func (s State) V1() []Earning { return s.WithStatus(StatusV1) }

// Total adds up the earnings in one status.
func (s State) Total(st Status) money.Amount {
	t := money.FromPence(0)
	for _, x := range s.WithStatus(st) {
		t = t.Add(x.Amount)
	}
	return canonical(t)
}

// Payout returns the clinician's line of a payout run.
func (s State) Payout(id string) (Payout, bool) {
	p, ok := s.payouts[id]
	if !ok {
		return Payout{}, false
	}
	c := *p
	c.EarningIDs = slices.Clone(p.EarningIDs)
	return c, true
}

// Payouts lists the clinician's payout lines in the order they were made.
func (s State) Payouts() []Payout {
	out := make([]Payout, 0, len(s.payoutOrder))
	for _, id := range s.payoutOrder {
		p, _ := s.Payout(id)
		out = append(out, p)
	}
	return out
}
