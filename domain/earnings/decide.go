package earnings

import (
	"fmt"
	"slices"
	"strings"

	"ledgerdesk/domain/check"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Decide turns a command into events, or refuses it with no events.
func Decide(s State, c Command) ([]Event, error) {
	switch c := c.(type) {
	case Accrue:
		return accrue(s, c)
	case Release:
		return release(s, c)
	case IncludeInPayout:
		return includeInPayout(s, c)
	case MarkPaid:
		return markPaid(s, c)
	case ReturnFromPayout:
		return returnFromPayout(s, c)
	default:
		return nil, fmt.Errorf("%w: %T", ErrUnknownCommand, c)
	}
}

// accrue decides the ledger here, once, so the history says which back office owns the work
// even if the go-live setting is later changed.
func accrue(s State, c Accrue) ([]Event, error) {
	if err := firstError(
		checkID("earning id", c.EarningID),
		checkID("clinician id", c.ClinicianID),
		c.Source.validate(),
		checkAmount("amount", c.Amount),
		checkDate("work date", c.WorkDate),
		checkDate("go-live date", c.GoLive),
		checkTime("accrued at", c.At),
	); err != nil {
		return nil, err
	}
	if s.ClinicianID != "" && c.ClinicianID != s.ClinicianID {
		return nil, fmt.Errorf("%w: field clinician id: %s, but these are the earnings of %s", ErrWrongClinician, c.ClinicianID, s.ClinicianID)
	}
	want := Accrued{
		EarningID:   c.EarningID,
		ClinicianID: c.ClinicianID,
		Source:      c.Source,
		Amount:      canonical(c.Amount),
		WorkDate:    c.WorkDate,
		GoLive:      c.GoLive,
		Ledger:      ledger.For(c.WorkDate, c.GoLive),
		AccruedAt:   c.At.UTC(),
	}
	if x, ok := s.earnings[c.EarningID]; ok {
		if diff := accrualDiff(*x, want); diff != "" {
			return nil, fmt.Errorf("%w: earning %s: %s", ErrConflictingAccrual, c.EarningID, diff)
		}
		return nil, nil // a redelivered accrual
	}
	if other, ok := s.bySource[c.Source.key()]; ok {
		return nil, fmt.Errorf("%w: %s is already earning %s", ErrSourceAlreadyAccrued, c.Source, other)
	}
	return []Event{want}, nil
}

// accrualDiff names what differs between an accrued earning and a repeated accrual.
func accrualDiff(x Earning, a Accrued) string {
	var d []string
	if x.Source != a.Source {
		d = append(d, fmt.Sprintf("work %s, not %s", x.Source, a.Source))
	}
	if !x.Amount.Equal(a.Amount) {
		d = append(d, fmt.Sprintf("amount £%s, not £%s", x.Amount, a.Amount))
	}
	if x.WorkDate != a.WorkDate {
		d = append(d, fmt.Sprintf("work date %s, not %s", x.WorkDate, a.WorkDate))
	}
	if x.Ledger != a.Ledger {
		d = append(d, fmt.Sprintf("ledger %s, not %s", x.Ledger, a.Ledger))
	}
	if len(d) == 0 {
		return ""
	}
	return "recorded with " + strings.Join(d, ", ")
}

// release is a no-op when the earning was already released (or V1 arrival recorded),
// because the policies that send it are redelivered.
func release(s State, c Release) ([]Event, error) {
	if err := firstError(
		checkReason(c.Reason),
		checkTime("released at", c.At),
	); err != nil {
		return nil, err
	}
	x, err := s.find(c.EarningID, c.Source)
	if err != nil {
		return nil, err
	}
	if want := x.Source.Kind.ReleasedBy(); c.Reason != want {
		return nil, fmt.Errorf("%w: %s is released by %s, not %s", ErrWrongReleaseReason, x.Source, want, c.Reason)
	}
	if x.Ledger == ledger.V1 {
		if !x.V1ArrivedAt.IsZero() {
			return nil, nil
		}
		return []Event{V1WorkArrived{EarningID: x.ID, ClinicianID: x.ClinicianID, Source: x.Source, Amount: x.Amount,
			WorkDate: x.WorkDate, Reason: c.Reason, ArrivedAt: c.At.UTC()}}, nil
	}
	if x.Status != StatusPending {
		return nil, nil
	}
	return []Event{Released{EarningID: x.ID, ClinicianID: x.ClinicianID, Source: x.Source, Amount: x.Amount,
		Reason: c.Reason, ReleasedAt: c.At.UTC()}}, nil
}

func checkReason(r ReleaseReason) error {
	if r != ReleaseFormSubmitted && r != ReleaseInvoicePaid {
		return check.Failf(ErrInvalidInput, "reason", "%q is neither %q nor %q", string(r), ReleaseFormSubmitted, ReleaseInvoicePaid)
	}
	return nil
}

// find looks an earning up by id or, failing that, by the work it pays for.
func (s State) find(id string, src Source) (*Earning, error) {
	if id == "" {
		if err := src.validate(); err != nil {
			return nil, fmt.Errorf("%w (name the earning by id or by its work)", err)
		}
		eid, ok := s.bySource[src.key()]
		if !ok {
			return nil, fmt.Errorf("%w: nothing accrued for %s", ErrNotAccrued, src)
		}
		return s.earnings[eid], nil
	}
	if err := checkID("earning id", id); err != nil {
		return nil, err
	}
	x, ok := s.earnings[id]
	if !ok {
		return nil, fmt.Errorf("%w: earning %s", ErrNotAccrued, id)
	}
	if src != (Source{}) && src != x.Source {
		return nil, check.Failf(ErrInvalidInput, "source", "earning %s pays for %s, not %s", id, x.Source, src)
	}
	return x, nil
}

// includeInPayout refuses the whole line if any earning cannot be paid, naming the first.
// The same payout including the same earnings again is a redelivery and decides nothing.
func includeInPayout(s State, c IncludeInPayout) ([]Event, error) {
	if err := firstError(
		checkID("payout id", c.PayoutID),
		CheckEarningIDs(ErrInvalidInput, c.EarningIDs),
		checkTime("included at", c.At),
	); err != nil {
		return nil, err
	}
	if p, ok := s.payouts[c.PayoutID]; ok {
		if p.Status == PayoutIncluded && sameSet(p.EarningIDs, c.EarningIDs) {
			return nil, nil
		}
		return nil, fmt.Errorf("%w: payout %s already has this clinician's line (%s)", ErrPayoutAlreadyUsed, c.PayoutID, p.Status)
	}
	total := money.FromPence(0)
	for _, id := range c.EarningIDs {
		x, ok := s.earnings[id]
		if !ok {
			return nil, fmt.Errorf("%w: earning %s", ErrNotAccrued, id)
		}
		switch x.Status {
		case StatusV1:
			return nil, fmt.Errorf("%w: earning %s is for work on %s", ErrV1EarningNotPayable, id, x.WorkDate)
		case StatusPending:
			return nil, fmt.Errorf("%w: earning %s is still waiting for %s", ErrNotReleased, id, x.WaitingFor())
		case StatusInPayout:
			return nil, fmt.Errorf("%w: earning %s is in payout %s", ErrAlreadyInPayout, id, x.PayoutID)
		case StatusPaid:
			return nil, fmt.Errorf("%w: earning %s was paid by payout %s", ErrAlreadyPaidOut, id, x.PayoutID)
		}
		total = total.Add(x.Amount)
	}
	return []Event{IncludedInPayout{PayoutID: c.PayoutID, ClinicianID: s.ClinicianID, EarningIDs: slices.Clone(c.EarningIDs),
		Total: canonical(total), IncludedAt: c.At.UTC()}}, nil
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// openPayout finds the payout a settlement command is about.
func (s State) openPayout(id string) (*Payout, error) {
	if err := checkID("payout id", id); err != nil {
		return nil, err
	}
	p, ok := s.payouts[id]
	if !ok {
		return nil, fmt.Errorf("%w: payout %s", ErrUnknownPayout, id)
	}
	return p, nil
}

func markPaid(s State, c MarkPaid) ([]Event, error) {
	if err := checkTime("paid at", c.At); err != nil {
		return nil, err
	}
	p, err := s.openPayout(c.PayoutID)
	if err != nil {
		return nil, err
	}
	switch p.Status {
	case PayoutPaid:
		return nil, nil
	case PayoutReturned:
		return nil, fmt.Errorf("%w: payout %s (%s); its earnings wait for a later payout", ErrPayoutReturned, p.ID, p.ReturnReason)
	}
	return []Event{PaidOut{PayoutID: p.ID, ClinicianID: s.ClinicianID, EarningIDs: slices.Clone(p.EarningIDs), Total: p.Total, PaidAt: c.At.UTC()}}, nil
}

func returnFromPayout(s State, c ReturnFromPayout) ([]Event, error) {
	if err := firstError(checkText("reason", c.Reason, MaxReasonLength), checkTime("returned at", c.At)); err != nil {
		return nil, err
	}
	p, err := s.openPayout(c.PayoutID)
	if err != nil {
		return nil, err
	}
	switch p.Status {
	case PayoutReturned:
		return nil, nil
	case PayoutPaid:
		return nil, fmt.Errorf("%w: payout %s was paid on %s", ErrAlreadyPaidOut, p.ID, p.SettledAt.Format("2006-01-02"))
	}
	return []Event{ReturnedFromPayout{PayoutID: p.ID, ClinicianID: s.ClinicianID, EarningIDs: slices.Clone(p.EarningIDs), Total: p.Total,
		Reason: c.Reason, ReturnedAt: c.At.UTC()}}, nil
}
