package payouts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/check"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
)

// EarningsFinder is what a run reads from the earnings read model (projections/earnings.Finder):
// only whom to look at. What anyone is paid always comes from their earnings stream.
type EarningsFinder interface {
	// Clinicians lists every clinician with earnings, by id.
	Clinicians(ctx context.Context) ([]string, error)
	// InPayout lists the clinicians with earnings held on the payout run.
	InPayout(ctx context.Context, payoutID string) ([]string, error)
}

// RunRequest asks for a payout run.
type RunRequest struct {
	// PayoutID names the run; running again with the same id resumes it.
	PayoutID string
	// Cutoff: earnings for work done and released on or before this date (Europe/London).
	Cutoff ledger.Date
	// RequestedBy is the accounts clerk: the actor of every command of the run.
	RequestedBy string
	At          time.Time
	// Clinicians, when given, are the only clinicians looked at; otherwise everyone the
	// earnings read model knows of. Without a read model, a resumed run must be given the
	// same clinicians as the first attempt.
	Clinicians []string
	// CorrelationID ties the run's commands to the request that caused it; optional.
	CorrelationID uuid.UUID
	// CoolingOff is how long after bank details are set a clinician's payouts are held;
	// zero is account.DefaultPayeeCoolingOff.
	CoolingOff time.Duration
}

// Line is one clinician's payment in the run.
type Line struct {
	ClinicianID string       `json:"clinician_id"`
	EarningIDs  []string     `json:"earning_ids"`
	Amount      money.Amount `json:"amount"`
}

// Skip reasons.
const (
	SkipNoBankDetails = "no_bank_details"
	SkipNoAccount     = "no_account"
	// SkipBankDetailsCoolingOff: the bank details were set too recently to pay into.
	SkipBankDetailsCoolingOff = "bank_details_cooling_off"
)

// Skipped is a clinician who had something to be paid but was left out of the run.
type Skipped struct {
	ClinicianID string       `json:"clinician_id"`
	Reason      string       `json:"reason"`
	Why         string       `json:"why"`
	Earnings    int          `json:"earnings"`
	Amount      money.Amount `json:"amount"`
}

// RunReport is what a run did.
type RunReport struct {
	PayoutID string        `json:"payout_id"`
	Cutoff   ledger.Date   `json:"cutoff"`
	Status   payout.Status `json:"status"`
	Lines    []Line        `json:"lines"`
	Skipped  []Skipped     `json:"skipped"`
	Total    money.Amount  `json:"total"`
	// Resumed says the run already existed: this call completed or re-read it.
	Resumed bool `json:"resumed"`
}

// Run drafts and finalises a payout run; see the package comment. When nobody can be paid
// it returns ErrNothingToPay together with the report, whose Skipped says who was left out
// and why, and no run is started.
func Run(ctx context.Context, deps commands.Deps, db EarningsFinder, req RunRequest) (RunReport, error) {
	if err := req.validate(); err != nil {
		return RunReport{}, err
	}
	rep := RunReport{PayoutID: req.PayoutID, Cutoff: req.Cutoff, Lines: []Line{}, Skipped: []Skipped{}, Total: money.Zero}
	run, _, err := commands.Load(ctx, deps, payout.Decider, payout.StreamID(req.PayoutID))
	if err != nil {
		return rep, err
	}
	if run.Status != payout.StatusNone {
		rep.Resumed = true
		switch {
		case run.Cutoff != req.Cutoff:
			return rep, fmt.Errorf("%w: payout %s has cut-off %s, not %s", ErrCutoffMismatch, req.PayoutID, run.Cutoff, req.Cutoff)
		case run.Status == payout.StatusAbandoned:
			return rep, fmt.Errorf("%w: payout %s", payout.ErrAbandoned, req.PayoutID)
		case run.Status != payout.StatusDrafting:
			return fromState(rep, run), nil
		}
	}

	clinicians, err := req.clinicians(ctx, db, run)
	if err != nil {
		return rep, err
	}
	plans, skipped, err := plan(ctx, deps, req, run, clinicians)
	if err != nil {
		return rep, err
	}
	rep.Skipped = skipped
	if len(plans) == 0 && len(run.Lines) == 0 {
		if run.Status == payout.StatusNone {
			return rep, fmt.Errorf("%w: no released, unpaid V2 earnings up to %s%s", ErrNothingToPay, req.Cutoff, skippedNote(skipped))
		}
		// A resumed run that has nothing left: give it up rather than leave it open.
		return rep, abandonEmpty(ctx, deps, req)
	}
	if run.Status == payout.StatusNone {
		if _, err := commands.Execute(ctx, deps, payout.Decider, payout.StreamID(req.PayoutID), payout.Command(payout.Start{
			PayoutID: req.PayoutID, Cutoff: req.Cutoff, RequestedBy: req.RequestedBy, At: req.At,
		}), req.meta("start")); err != nil {
			return rep, err
		}
	}
	for _, p := range plans {
		if err := addLine(ctx, deps, req, p); err != nil {
			return rep, fmt.Errorf("clinician %s: %w", p.clinicianID, err)
		}
	}
	run, _, err = commands.Load(ctx, deps, payout.Decider, payout.StreamID(req.PayoutID))
	if err != nil {
		return rep, err
	}
	if len(run.Lines) == 0 {
		// Every planned earning was taken by another run meanwhile.
		return rep, abandonEmpty(ctx, deps, req)
	}
	if _, err := commands.Execute(ctx, deps, payout.Decider, payout.StreamID(req.PayoutID), payout.Command(payout.Finalise{
		PayoutID: req.PayoutID, At: req.At,
	}), req.meta("finalise")); err != nil {
		return rep, err
	}
	run, _, err = commands.Load(ctx, deps, payout.Decider, payout.StreamID(req.PayoutID))
	if err != nil {
		return rep, err
	}
	return fromState(rep, run), nil
}

// validate applies the domain's field checks (domain/check) before any command is tried,
// so a bad request is refused whole rather than half-way through a run.
func (r RunRequest) validate() error {
	errs := []error{
		check.ID(ErrInvalidInput, "payout id", r.PayoutID, check.MaxIDLength),
		check.Date(ErrInvalidInput, "cutoff", r.Cutoff),
		check.ID(ErrInvalidInput, "requested by", r.RequestedBy, check.MaxIDLength),
		check.Time(ErrInvalidInput, "at", r.At),
	}
	if r.CoolingOff < 0 {
		errs = append(errs, check.Failf(ErrInvalidInput, "cooling off", "cannot be negative"))
	}
	for i, c := range r.Clinicians {
		errs = append(errs, check.ID(ErrInvalidInput, fmt.Sprintf("clinicians[%d]", i), c, check.MaxIDLength))
	}
	return check.First(errs...)
}

func (r RunRequest) meta(purpose string) commands.Metadata {
	return commands.Metadata{CommandID: commandID(r.PayoutID, purpose), CorrelationID: r.CorrelationID, Actor: r.RequestedBy}
}

// clinicians is whom the run looks at, by id, so a resumed run adds lines in the same
// order. With a read model, it always includes whoever already has earnings on this run
// (a run that died between a clinician's inclusion and their line), so that resuming
// finishes their line even when the caller named other clinicians.
func (r RunRequest) clinicians(ctx context.Context, db EarningsFinder, run payout.State) ([]string, error) {
	list := slices.Clone(r.Clinicians)
	if db == nil && len(list) == 0 {
		return nil, fmt.Errorf("%w: no clinicians given and no read model to find them in", ErrInvalidInput)
	}
	if db != nil {
		if len(list) == 0 {
			all, err := db.Clinicians(ctx)
			if err != nil {
				return nil, err
			}
			list = all
		}
		if run.Status != payout.StatusNone {
			held, err := db.InPayout(ctx, r.PayoutID)
			if err != nil {
				return nil, err
			}
			list = append(list, held...)
		}
	}
	slices.Sort(list)
	return slices.Compact(list), nil
}

// linePlan is a clinician to add a line for, with the bank details to pay into. What the
// line pays is decided when it is added, from the clinician's stream.
type linePlan struct {
	clinicianID string
	payee       payout.Payee
}

// plan reads each clinician's stream and account and decides who can be paid. It writes
// nothing.
func plan(ctx context.Context, deps commands.Deps, req RunRequest, run payout.State, clinicians []string) ([]linePlan, []Skipped, error) {
	var plans []linePlan
	skipped := []Skipped{}
	for _, c := range clinicians {
		if _, done := run.Line(c); done {
			continue
		}
		es, _, err := commands.Load(ctx, deps, earnings.Decider, earnings.StreamID(c))
		if err != nil {
			return nil, nil, err
		}
		n, total := 0, money.Zero
		if p, ok := es.Payout(req.PayoutID); ok {
			if p.Status != earnings.PayoutIncluded {
				continue
			}
			n, total = len(p.EarningIDs), p.Total
		} else {
			for _, x := range payable(es, req.Cutoff) {
				n++
				total = total.Add(x.Amount)
			}
		}
		if n == 0 {
			continue
		}
		acct, _, err := commands.Load(ctx, deps, account.Decider, account.StreamID(c))
		if err != nil {
			return nil, nil, err
		}
		switch {
		case !acct.Registered():
			skipped = append(skipped, Skipped{ClinicianID: c, Reason: SkipNoAccount, Earnings: n, Amount: total,
				Why: "no portal account with this id, so no bank details to pay into"})
			continue
		case acct.Payee == nil:
			skipped = append(skipped, Skipped{ClinicianID: c, Reason: SkipNoBankDetails, Earnings: n, Amount: total,
				Why: "no payee bank details on the clinician's account; the earnings wait for the next run"})
			continue
		}
		if until, held := acct.PayeeHeld(req.At, req.CoolingOff); held {
			skipped = append(skipped, Skipped{ClinicianID: c, Reason: SkipBankDetailsCoolingOff, Earnings: n, Amount: total,
				Why: fmt.Sprintf("the clinician's bank details were set on %s; payouts to them are held until %s (a cooling-off period against payment fraud), so the earnings wait for a later run",
					londonMinute(acct.PayeeSetAt), londonMinute(until))})
			continue
		}
		plans = append(plans, linePlan{clinicianID: c, payee: payout.Payee{
			Name: acct.Payee.AccountName, SortCode: acct.Payee.SortCode, AccountNumber: acct.Payee.AccountNumber,
		}})
	}
	return plans, skipped, nil
}

// payable lists a clinician's released, unpaid V2 earnings for work done and released on
// or before the cut-off, oldest first, as many as one line may carry.
func payable(es earnings.State, cutoff ledger.Date) []earnings.Earning {
	var out []earnings.Earning
	for _, x := range es.ReleasedUnpaid() {
		if x.Ledger != ledger.V2 || cutoff.Before(x.WorkDate) || cutoff.Before(ledger.LondonDate(x.ReleasedAt)) {
			continue
		}
		out = append(out, x)
		if len(out) == earnings.MaxEarningsPerPayout {
			break
		}
	}
	return out
}

// maxIncludeAttempts bounds how often a clinician's inclusion is re-planned when another
// run takes some of the earnings between reading the stream and appending to it.
const maxIncludeAttempts = 5

// addLine includes the clinician's earnings in the run (in their stream, first) and then
// adds the line with the total the inclusion recorded.
func addLine(ctx context.Context, deps commands.Deps, req RunRequest, p linePlan) error {
	stream := earnings.StreamID(p.clinicianID)
	var line earnings.Payout
	for attempt := 1; ; attempt++ {
		es, _, err := commands.Load(ctx, deps, earnings.Decider, stream)
		if err != nil {
			return err
		}
		if got, ok := es.Payout(req.PayoutID); ok {
			if got.Status != earnings.PayoutIncluded {
				return nil
			}
			line = got
			break
		}
		ids := []string{}
		for _, x := range payable(es, req.Cutoff) {
			ids = append(ids, x.ID)
		}
		if len(ids) == 0 {
			return nil // another run took everything
		}
		_, err = commands.Execute(ctx, deps, earnings.Decider, stream, earnings.Command(earnings.IncludeInPayout{
			PayoutID: req.PayoutID, EarningIDs: ids, At: req.At,
		}), req.meta("include:"+p.clinicianID))
		switch {
		case err == nil:
			continue // read back what was recorded
		case attempt < maxIncludeAttempts && (errors.Is(err, earnings.ErrAlreadyInPayout) || errors.Is(err, earnings.ErrNotReleased) ||
			errors.Is(err, earnings.ErrAlreadyPaidOut)):
			continue
		default:
			return err
		}
	}
	_, err := commands.Execute(ctx, deps, payout.Decider, payout.StreamID(req.PayoutID), payout.Command(payout.AddLine{
		PayoutID: req.PayoutID, ClinicianID: p.clinicianID, EarningIDs: line.EarningIDs, Amount: line.Total, Payee: p.payee, At: req.At,
	}), req.meta("line:"+p.clinicianID))
	return err
}

func abandonEmpty(ctx context.Context, deps commands.Deps, req RunRequest) error {
	_, err := commands.Execute(ctx, deps, payout.Decider, payout.StreamID(req.PayoutID), payout.Command(payout.Abandon{
		PayoutID: req.PayoutID, Reason: "nothing left to pay when the run was drafted", At: req.At,
	}), req.meta("abandon-empty"))
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: every earning up to %s was taken by another run; payout %s was abandoned", ErrNothingToPay, req.Cutoff, req.PayoutID)
}

func fromState(rep RunReport, run payout.State) RunReport {
	rep.Status = run.Status
	rep.Lines = []Line{}
	for _, l := range run.Lines {
		rep.Lines = append(rep.Lines, Line{ClinicianID: l.ClinicianID, EarningIDs: slices.Clone(l.EarningIDs), Amount: l.Amount})
	}
	rep.Total = run.Total
	return rep
}

// londonMinute prints an instant as a clerk in London reads it.
func londonMinute(t time.Time) string {
	return t.In(ledger.London).Format("2 Jan 2006 15:04 MST")
}

func skippedNote(s []Skipped) string {
	if len(s) == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d clinician(s) with earnings were skipped: see the report)", len(s))
}
