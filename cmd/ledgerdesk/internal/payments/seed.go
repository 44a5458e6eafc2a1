package payments

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/commands"
	"ledgerdesk/commands/payouts"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
	"ledgerdesk/eventstore"
	"ledgerdesk/policies/payments"
)

// DemoSize is how much demo data to make.
type DemoSize struct {
	Clinicians, Appointments, Invoices int
	// Again re-issues every command even when the demo is already complete (each then
	// finds itself already executed); without it a complete demo is left alone at once.
	Again bool
}

// The demo's ids and command ids are derived from fixed names, so seeding again finds every
// command already executed and adds nothing.
var (
	demoNamespace = uuid.MustParse("5c1b2a4e-8f3d-4b6a-9e21-7d0c3f5a8b92")
	demoCause     = uuid.MustParse("01941f29-7c00-7000-8000-00000000d3e0") // 2025-01-01
	// demoDebtor is a made-up practice account, for the demo's bank file only.
	demoDebtor = payouts.Party{Name: "Northbridge Psychiatry Ltd (demo)", SortCode: "200000", AccountNumber: "55779911"}
)

func DemoID(kind string, n int) string {
	return uuid.NewSHA1(demoNamespace, fmt.Appendf(nil, "%s:%d", kind, n)).String()
}

func demoMeta(purpose string) commands.Metadata {
	return commands.Metadata{CommandID: commands.DerivedCommandID(demoCause, "payments demo:"+purpose), Actor: "demo:payments"}
}

// demoCall is the demo's caller for one step: the practice's administrator (or, where
// only they may, the clinician or the accounts department), with the step's derived id,
// so loading the demo again finds every step done.
func demoCall(purpose string, actor authz.Actor) app.Call {
	return app.Call{Actor: actor, Door: app.CLI, CommandID: demoMeta(purpose).CommandID}
}

var (
	demoAdmin    = authz.Actor{Subject: "demo:payments", Role: authz.Admin}
	demoAccounts = authz.Actor{Subject: "demo:accounts", Role: authz.Accounts}
)

var demoClinicians = []string{
	"Dr Aisha Okafor", "Dr Tom O'Brien", "Dr Siân Evans", "Dr Rajesh Patel", "Dr Mei Chen", "Dr Kwame Mensah",
	"Dr Laura Fernández", "Dr Oliver Hughes",
}

// Seed records, through the ordinary commands: clinicians with portal accounts and
// (all but one) payee bank details; appointments before and after go-live in every state;
// invoices draft, issued, part-paid, paid and voided; the earnings the policies make of
// them; and one payout run, exported, with one line failed by the bank and the rest settled.
func Seed(ctx context.Context, d *wiring.Runtime, size DemoSize) error {
	began := time.Now()
	cmds, err := d.CommandDeps()
	if err != nil {
		return err
	}
	if !size.Again {
		run, _, err := commands.Load(ctx, cmds, payout.Decider, payout.StreamID(DemoID("payout", 1)))
		if err != nil {
			return err
		}
		if run.Status == payout.StatusSettled {
			d.Log.Info("payments demo data already loaded")
			return nil
		}
	}
	// The demo goes through the application layer like any other caller; it names the
	// clinicians its payout pays, so it needs no earnings read model.
	a, err := app.New(app.Config{Commands: cmds, DB: d.DB, Bank: pain001.Writer{}, Logger: d.Log})
	if err != nil {
		return err
	}
	goLive, err := demoGoLive(ctx, d, a)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(20250203, 3))
	clinicians, err := demoRegister(ctx, a, goLive, min(size.Clinicians, len(demoClinicians)))
	if err != nil {
		return err
	}
	jobs := demoAppointments(r, goLive, clinicians, size.Appointments)
	jobs = append(jobs, demoInvoices(r, goLive, clinicians, size.Invoices)...)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, job := range jobs {
		g.Go(func() error { return job(gctx, a) })
	}
	if err := g.Wait(); err != nil {
		return fmt.Errorf("payments demo: %w", err)
	}
	policies := payments.All(a)
	if _, err := payments.CatchUp(ctx, d.Store, eventstore.Start, policies...); err != nil {
		return fmt.Errorf("payments demo: policies: %w", err)
	}
	if err := demoPayout(ctx, a, goLive, clinicians); err != nil {
		return fmt.Errorf("payments demo: payout: %w", err)
	}
	if _, err := payments.CatchUp(ctx, d.Store, eventstore.Start, policies...); err != nil {
		return fmt.Errorf("payments demo: policies: %w", err)
	}
	d.Log.Info("payments demo data ready", "clinicians", len(clinicians), "appointments", size.Appointments, "invoices", size.Invoices,
		"go_live", goLive.String(), "took", time.Since(began).Round(time.Millisecond))
	return nil
}

// demoGoLive reads the go-live date from the history, recording the configured one
// (LEDGERDESK_GO_LIVE, default 2025-02-03) if start-up has not done so yet.
func demoGoLive(ctx context.Context, d *wiring.Runtime, a *app.App) (ledger.Date, error) {
	admin := app.Call{Actor: demoAdmin, Door: app.CLI}
	s, err := a.Cutover(ctx, admin)
	if err != nil {
		return ledger.Date{}, err
	}
	if g, ok := s.GoLive(); ok {
		return g, nil
	}
	g := d.Config.GoLive
	now := time.Now().UTC()
	if _, err := a.Execute(ctx, admin, cutover.ScheduleGoLive{Date: g, At: now}); err != nil {
		return ledger.Date{}, err
	}
	return g, nil
}

// demoAccounts registers the clinicians' portal accounts; all but the last get payee
// bank details, so the payout run has someone to skip and say why. The email claim and the
// registration are one command, with one id, writing to two streams.
func demoRegister(ctx context.Context, a *app.App, goLive ledger.Date, n int) ([]string, error) {
	at := goLive.StartInLondon().AddDate(0, -2, 0).Add(9 * time.Hour)
	var ids []string
	for i := range n {
		id, name := DemoID("clinician", i), demoClinicians[i]
		email := strings.NewReplacer(" ", ".", "'", "", "â", "a", "á", "a", "é", "e").Replace(strings.ToLower(strings.TrimPrefix(name, "Dr "))) + "@clinicians.northbridge.example"
		if _, err := a.RegisterAccount(ctx, demoCall(fmt.Sprintf("clinician %d registration", i), demoAdmin), account.Register{
			AccountID: id, Realm: account.RealmPortal, Role: account.RoleClinician, Email: email, Name: name, At: at,
		}); err != nil {
			return nil, fmt.Errorf("registering %s: %w", name, err)
		}
		if i < n-1 {
			if _, err := a.Execute(ctx, demoCall(fmt.Sprintf("clinician %d bank", i), demoAdmin), account.SetPayeeBankDetails{
				AccountID: id, AccountName: name, SortCode: fmt.Sprintf("%02d-%02d-%02d", 10+i*7, 20+i*3, 30+i), AccountNumber: fmt.Sprintf("%08d", 31415926+i*271828), By: demoAdmin.Subject,
				At: at,
			}); err != nil {
				return nil, fmt.Errorf("bank details of %s: %w", name, err)
			}
		}
		ids = append(ids, id)
	}
	return ids, nil
}

type demoJob func(context.Context, *app.App) error

var demoFees = []string{"120.00", "150.00", "180.00", "200.00", "250.00", "275.50"}

// demoAppointments plans the appointments: five weeks before go-live to seven after,
// booked (the last weeks), cancelled, completed with no form yet, and completed with the form
// (a few of the V1 ones only weeks later, in V2).
func demoAppointments(r *rand.Rand, goLive ledger.Date, clinicians []string, n int) []demoJob {
	today := goLive.StartInLondon().AddDate(0, 0, 42)
	var jobs []demoJob
	for i := range n {
		id := DemoID("appointment", i)
		clinician := clinicians[r.IntN(len(clinicians))]
		patient := DemoID("patient", r.IntN(30))
		start := goLive.StartInLondon().AddDate(0, 0, r.IntN(84)-35).Add(time.Duration(9+r.IntN(9)) * time.Hour)
		fee := money.GBP(demoFees[r.IntN(len(demoFees))])
		roll := r.IntN(100)
		formDelay := time.Duration(1+r.IntN(48)) * time.Hour
		if r.IntN(12) == 0 {
			formDelay = time.Duration(10+r.IntN(20)) * 24 * time.Hour // a late form
		}
		cmds := []appointment.Command{appointment.Book{AppointmentID: id, PatientID: patient, ClinicianID: clinician, StartsAt: start, Fee: fee, At: start.AddDate(0, 0, -7)}}
		switch {
		case start.After(today):
		case roll < 8:
			cmds = append(cmds, appointment.Cancel{AppointmentID: id, Reason: "The patient asked to cancel.", At: start.Add(-24 * time.Hour)})
		case roll < 28:
			cmds = append(cmds, appointment.Complete{AppointmentID: id, At: start.Add(50 * time.Minute)})
		default:
			cmds = append(cmds, appointment.Complete{AppointmentID: id, At: start.Add(50 * time.Minute)},
				appointment.SubmitForm{AppointmentID: id, By: clinician, At: start.Add(50*time.Minute + formDelay)})
		}
		jobs = append(jobs, func(ctx context.Context, a *app.App) error {
			for k, c := range cmds {
				// The form is the clinician's to submit; the rest is the administrator's.
				actor := demoAdmin
				if _, isForm := c.(appointment.SubmitForm); isForm {
					actor = authz.Actor{Subject: clinician, Role: authz.Clinician}
				}
				if _, err := a.Execute(ctx, demoCall(fmt.Sprintf("appointment %d step %d", i, k), actor), c); err != nil {
					return fmt.Errorf("appointment %s: %w", id, err)
				}
			}
			return nil
		})
	}
	return jobs
}

var (
	demoItemAmounts = []string{"35.00", "45.25", "60.00", "85.00", "120.50"}
	demoItemTexts   = []string{"Report for the patient's GP", "Letter to the patient's employer", "Private prescription", "Medication review summary"}
)

// demoInvoices plans the invoices: draft, issued and unpaid, part-paid, paid in full (in
// one or two payments) and voided.
func demoInvoices(r *rand.Rand, goLive ledger.Date, clinicians []string, n int) []demoJob {
	var jobs []demoJob
	for i := range n {
		id := DemoID("invoice", i)
		raised := goLive.StartInLondon().AddDate(0, 0, r.IntN(60)-20).Add(10 * time.Hour)
		cmds := []invoice.Command{invoice.Raise{InvoiceID: id, PatientID: DemoID("patient", r.IntN(30)), At: raised}}
		total := money.Zero
		for k := range 1 + r.IntN(3) {
			a := money.GBP(demoItemAmounts[r.IntN(len(demoItemAmounts))])
			total = total.Add(a)
			cmds = append(cmds, invoice.AddBillableItem{InvoiceID: id, ItemID: fmt.Sprintf("item-%d", k+1), ClinicianID: clinicians[r.IntN(len(clinicians))],
				Description: demoItemTexts[r.IntN(len(demoItemTexts))], Amount: a, At: raised.Add(time.Duration(k) * time.Minute)})
		}
		issued := raised.Add(2 * time.Hour)
		paid := raised.AddDate(0, 0, 2+r.IntN(10))
		switch roll := r.IntN(100); {
		case roll < 10: // draft
		case roll < 20:
			cmds = append(cmds, invoice.Issue{InvoiceID: id, At: issued}, invoice.Void{InvoiceID: id, Reason: "Raised against the wrong patient.", At: issued.Add(3 * time.Hour)})
		case roll < 35:
			cmds = append(cmds, invoice.Issue{InvoiceID: id, At: issued})
		case roll < 50:
			part := money.FromPence(total.Pence() / 2)
			cmds = append(cmds, invoice.Issue{InvoiceID: id, At: issued}, invoice.RecordPayment{InvoiceID: id, PaymentID: "pay-1", Amount: part, At: paid})
		case roll < 70:
			part := money.FromPence(total.Pence() / 3)
			cmds = append(cmds, invoice.Issue{InvoiceID: id, At: issued},
				invoice.RecordPayment{InvoiceID: id, PaymentID: "pay-1", Amount: part, At: paid},
				invoice.RecordPayment{InvoiceID: id, PaymentID: "pay-2", Amount: total.Sub(part), At: paid.AddDate(0, 0, 5)})
		default:
			cmds = append(cmds, invoice.Issue{InvoiceID: id, At: issued}, invoice.RecordPayment{InvoiceID: id, PaymentID: "pay-1", Amount: total, At: paid})
		}
		jobs = append(jobs, func(ctx context.Context, a *app.App) error {
			for k, c := range cmds {
				if _, err := a.Execute(ctx, demoCall(fmt.Sprintf("invoice %d step %d", i, k), demoAccounts), c); err != nil {
					return fmt.Errorf("invoice %s: %w", id, err)
				}
			}
			return nil
		})
	}
	return jobs
}

// demoPayout runs one payout four weeks after go-live, exports it, submits it, has the
// bank fail one line and settles the rest.
func demoPayout(ctx context.Context, a *app.App, goLive ledger.Date, clinicians []string) error {
	id := DemoID("payout", 1)
	cutoffAt := goLive.StartInLondon().AddDate(0, 0, 28)
	at := cutoffAt.AddDate(0, 0, 3).Add(9 * time.Hour)
	call := func(purpose string) app.Call { return demoCall(purpose, demoAccounts) }
	rep, err := a.RunPayout(ctx, call("payout run"), payouts.RunRequest{PayoutID: id, Cutoff: ledger.LondonDate(cutoffAt), At: at, Clinicians: clinicians})
	if errors.Is(err, payouts.ErrNothingToPay) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := a.ExportPayout(ctx, call("payout export"), payouts.ExportRequest{PayoutID: id, Debtor: demoDebtor, At: at.Add(10 * time.Minute)}, io.Discard); err != nil {
		return err
	}
	if err := a.RecordBankOutcome(ctx, call("payout submitted"), id, app.Submitted, at.Add(time.Hour)); err != nil {
		return err
	}
	if len(rep.Lines) > 1 {
		if err := a.FailPayoutLine(ctx, call("payout line failed"), id, rep.Lines[1].ClinicianID, "Account closed: the bank returned the payment.", at.AddDate(0, 0, 1)); err != nil {
			return err
		}
	}
	return a.RecordBankOutcome(ctx, call("payout settled"), id, app.Settled, at.AddDate(0, 0, 2))
}
