package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/check"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/projections/appointments"
	pearnings "ledgerdesk/projections/earnings"
	"ledgerdesk/projections/invoices"
	ppayouts "ledgerdesk/projections/payouts"
	psupport "ledgerdesk/projections/support"
	"ledgerdesk/projections/v1recon"
)

// A clinician's monthly statement is theirs; the accounts department, auditors and
// administrators may read anyone's, as with the earnings themselves.
var readStatement = declare(query("earnings.statement",
	authz.Rule{authz.Clinician: authz.OwnClinician, authz.Accounts: authz.Any, authz.Auditor: authz.Any, authz.Admin: authz.Any}))

// PaymentsQuery says whose payments to read, and for which month (zero: every month).
type PaymentsQuery struct {
	ClinicianID string
	Month       pearnings.Month
}

// Payments is a clinician's "where are my payments?": the earnings read model, with what
// it cannot know by itself filled in from the other read models and the history — the
// clinician's name, where each payout run truly stands, the V1 items the accounts
// department imported for them, and the go-live date.
func (a *App) Payments(ctx context.Context, call Call, q PaymentsQuery) (pearnings.Summary, error) {
	return run(ctx, a, call, readEarnings, func(ctx context.Context, r *Request) (pearnings.Summary, error) {
		if err := r.Authorize(authz.Resource{ClinicianID: q.ClinicianID}); err != nil {
			return pearnings.Summary{}, err
		}
		return a.payments(ctx, q)
	})
}

// Statement writes a clinician's statement for a month as CSV: every line of Payments
// for that month, then its totals.
func (a *App) Statement(ctx context.Context, call Call, q PaymentsQuery, w io.Writer) (pearnings.Summary, error) {
	return run(ctx, a, call, readStatement, func(ctx context.Context, r *Request) (pearnings.Summary, error) {
		if err := r.Authorize(authz.Resource{ClinicianID: q.ClinicianID}); err != nil {
			return pearnings.Summary{}, err
		}
		if q.Month.IsZero() {
			return pearnings.Summary{}, fmt.Errorf("%w: a statement is for one month: give the month", check.ErrInvalidInput)
		}
		s, err := a.payments(ctx, q)
		if err != nil {
			return s, err
		}
		return s, pearnings.WriteStatementCSV(w, s)
	})
}

func (a *App) payments(ctx context.Context, q PaymentsQuery) (pearnings.Summary, error) {
	goLive, err := v1import.GoLive(ctx, a.cfg.Commands)
	if err != nil && !errors.Is(err, v1import.ErrNoGoLive) {
		return pearnings.Summary{}, err
	}
	s, err := pearnings.Read(ctx, a.cfg.DB, pearnings.Query{ClinicianID: q.ClinicianID, Month: q.Month, GoLive: goLive})
	if err != nil {
		return s, err
	}
	// The name is sealed in the account's events; loading the stream opens it (an erased
	// person's comes back empty, and the summary says no name is on record).
	acc, _, err := commands.Load(ctx, a.cfg.Commands, account.Decider, account.StreamID(q.ClinicianID))
	if err != nil {
		return s, fmt.Errorf("the name of clinician %s: %w", q.ClinicianID, err)
	}
	s.ClinicianName = acc.Name
	if err := a.patients(ctx, &s); err != nil {
		return s, err
	}
	if err := a.payoutStates(ctx, &s); err != nil {
		return s, err
	}
	if err := a.v1Imported(ctx, &s, q.Month, goLive); err != nil {
		return s, err
	}
	return s, nil
}

// patients says whose consultation or invoice each line was, by name, and when each
// consultation began. A read model not (yet) there leaves the lines as they are.
func (a *App) patients(ctx context.Context, s *pearnings.Summary) error {
	type appt struct {
		patient string
		starts  time.Time
	}
	appts := map[string]appt{}
	rows, err := appointments.ForClinician(ctx, a.cfg.DB, s.ClinicianID)
	if err != nil && !missingTable(err) {
		return err
	}
	for _, r := range rows {
		appts[r.AppointmentID] = appt{r.PatientID, r.StartsAt}
	}
	invs, err := invoices.List(ctx, a.cfg.DB, invoices.Filter{ClinicianID: s.ClinicianID, Limit: invoices.MaxLimit})
	if err != nil && !missingTable(err) {
		return err
	}
	invoicePatient := map[string]string{}
	for _, inv := range invs {
		invoicePatient[inv.InvoiceID] = inv.PatientID
	}
	var ids []string
	groups := []*[]pearnings.Item{&s.Pending, &s.Voided, &s.Released, &s.InPayout, &s.Paid}
	for _, g := range groups {
		for i := range *g {
			it := &(*g)[i]
			if ap, ok := appts[it.AppointmentID]; ok && it.AppointmentID != "" {
				it.PatientID = ap.patient
				starts := ap.starts.UTC()
				it.StartsAt = &starts
			} else if p, ok := invoicePatient[it.InvoiceID]; ok && it.InvoiceID != "" {
				it.PatientID = p
			}
			if it.PatientID != "" {
				ids = append(ids, it.PatientID)
			}
		}
	}
	names, err := psupport.Names(ctx, a.cfg.DB, ids)
	if err != nil && !missingTable(err) {
		return err
	}
	for _, g := range groups {
		for i := range *g {
			(*g)[i].PatientName = names[(*g)[i].PatientID]
		}
	}
	return nil
}

// payoutStates says, for each earning in a run or paid, where its run stands.
func (a *App) payoutStates(ctx context.Context, s *pearnings.Summary) error {
	runs := map[string]*ppayouts.Run{}
	for _, group := range [][]pearnings.Item{s.InPayout, s.Paid} {
		for i := range group {
			it := &group[i]
			if it.PayoutID == "" {
				continue
			}
			run, seen := runs[it.PayoutID]
			if !seen {
				r, err := ppayouts.Get(ctx, a.cfg.DB, it.PayoutID)
				switch {
				case err == nil:
					run = &r
				case errors.Is(err, ppayouts.ErrNotFound) || missingTable(err):
					// The payouts projector has not reached the run yet.
				default:
					return err
				}
				runs[it.PayoutID] = run
			}
			it.Payout = PayoutStateOf(it.PayoutID, run, s.ClinicianID)
		}
	}
	return nil
}

// PayoutStateOf is where run (nil: not yet in the payouts read model) stands for the
// clinician's earnings on it, in words: the run's own status, or failed when the bank
// failed the clinician's line.
func PayoutStateOf(payoutID string, run *ppayouts.Run, clinicianID string) *pearnings.PayoutState {
	if run == nil {
		return &pearnings.PayoutState{PayoutID: payoutID, Status: "unknown", Words: "on a payout run the payouts read model has not reached yet"}
	}
	name := fmt.Sprintf("payout run of %s", day(&run.StartedAt))
	st := &pearnings.PayoutState{PayoutID: payoutID, Status: run.Status}
	for _, l := range run.Lines {
		if l.ClinicianID == clinicianID && l.Status == "failed" {
			st.Status, st.Words = "failed", fmt.Sprintf("%s: the bank failed this payment (%s); it goes back to released, for a later run", name, l.FailReason)
			return st
		}
	}
	switch run.Status {
	case "drafting":
		st.Since, st.Words = &run.StartedAt, name+": being drawn up, not yet finalised"
	case "finalised":
		st.Since, st.Words = run.FinalisedAt, fmt.Sprintf("%s: finalised on %s; the bank file is not yet exported", name, day(run.FinalisedAt))
	case "exported":
		st.Since, st.Words = run.ExportedAt, fmt.Sprintf("%s: bank file exported on %s; not yet submitted to the bank", name, day(run.ExportedAt))
	case "submitted":
		st.Since, st.Words = run.SubmittedAt, fmt.Sprintf("%s: submitted to the bank on %s; not yet settled", name, day(run.SubmittedAt))
	case "settled":
		st.Since, st.Words = run.SettledAt, fmt.Sprintf("%s: settled by the bank on %s", name, day(run.SettledAt))
	case "abandoned":
		st.Since, st.Words = run.AbandonedAt, fmt.Sprintf("%s: abandoned on %s (%s)", name, day(run.AbandonedAt), run.Reason)
	default:
		st.Words = name + ": " + run.Status
	}
	return st
}

// v1Imported adds the V1 items the accounts department imported for the clinician.
func (a *App) v1Imported(ctx context.Context, s *pearnings.Summary, month pearnings.Month, goLive ledger.Date) error {
	items, err := v1recon.ClinicianItems(ctx, a.cfg.DB, s.ClinicianID)
	if err != nil && !missingTable(err) {
		return err
	}
	before := "before go-live"
	if !goLive.IsZero() {
		before = "before go-live on " + goLive.String()
	}
	out := pearnings.V1Imported{Items: []pearnings.V1Item{}, Outstanding: money.Zero, Settled: money.Zero}
	for _, it := range items {
		if !month.IsZero() && !strings.HasPrefix(it.WorkDate, month.String()+"-") {
			continue
		}
		v := pearnings.V1Item{Reference: it.Reference, WorkDate: it.WorkDate, Description: it.Description, Amount: it.Amount, Settled: it.Settled()}
		switch {
		case it.Status == "paid":
			v.Why = "V1 work, " + before + ": already paid by the old back office (V1)"
			out.Settled = out.Settled.Add(it.Amount)
		case it.TickedAt != nil:
			v.Why = fmt.Sprintf("V1 work, %s: paid by the old back office (V1), ticked off by the accounts department on %s", before, day(it.TickedAt))
			out.Settled = out.Settled.Add(it.Amount)
		default:
			v.Why = "V1 work, " + before + ": the old back office (V1) pays it; the accounts department ticks it off when it does"
			out.Outstanding = out.Outstanding.Add(it.Amount)
		}
		out.Items = append(out.Items, v)
	}
	s.V1Imported = out
	s.Totals.V1ImportedOutstanding = out.Outstanding
	return nil
}

// missingTable says a read model's tables are not there: a deployment that does not run
// that projection (yet), whose figures are then simply absent.
func missingTable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "42P01" || pg.Code == "3F000")
}

func day(t *time.Time) string {
	if t == nil {
		return "an unrecorded date"
	}
	return t.In(ledger.London).Format("2006-01-02")
}
