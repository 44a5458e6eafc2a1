package app

import (
	"context"
	"fmt"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/projections/appointments"
	"ledgerdesk/projections/invoices"
)

var invoiceAggregate = aggregate[invoice.State, invoice.Command, invoice.Event]{
	decider: invoice.Decider,
	owner:   func(s invoice.State) authz.Resource { return authz.Resource{PatientID: s.PatientID} },
}

// The invoice commands: one row each.
func init() {
	agg := invoiceAggregate
	office := authz.Rule{authz.Accounts: authz.Any, authz.Admin: authz.Any}
	on(agg, "invoice.raise", office, func(c invoice.Raise) string { return invoice.StreamID(c.InvoiceID) },
		func(s invoice.State, c invoice.Raise) authz.Resource {
			if s.ID == "" {
				return authz.Resource{PatientID: c.PatientID}
			}
			return agg.owner(s)
		})
	// The clinician adding an item is the one it pays, and must have (or have had) an
	// appointment with the invoice's patient; accounts staff may raise any. That the invoice
	// is still a draft is the decider's rule, for everyone.
	on(agg, "invoice.add_item", authz.Rule{authz.Clinician: authz.OwnClinician, authz.Accounts: authz.Any, authz.Admin: authz.Any},
		func(c invoice.AddBillableItem) string { return invoice.StreamID(c.InvoiceID) },
		func(s invoice.State, c invoice.AddBillableItem) authz.Resource {
			return authz.Resource{PatientID: s.PatientID, ClinicianID: c.ClinicianID}
		})
	guarded(clinicianHasMetThePatient)
	on(agg, "invoice.issue", office, func(c invoice.Issue) string { return invoice.StreamID(c.InvoiceID) }, nil)
	// A payment is recorded by the accounts department or from the payment provider's
	// verified confirmation (the system, as provider:<name>), never on the payer's word.
	on(agg, "invoice.record_payment", authz.Rule{authz.Accounts: authz.Any, authz.System: authz.Any},
		func(c invoice.RecordPayment) string { return invoice.StreamID(c.InvoiceID) }, nil)
	on(agg, "invoice.void", office, func(c invoice.Void) string { return invoice.StreamID(c.InvoiceID) }, nil)
}

// clinicianHasMetThePatient refuses a clinician's billable item for a patient they have
// no appointment with (booked, completed or written up; a cancelled one does not count),
// as the appointments read model has it. An invoice's patient never changes, so the check
// holds for the decision that follows. Other roles, and an invoice that does not exist
// (the decision says so), pass.
func clinicianHasMetThePatient(ctx context.Context, a *App, r *Request, c invoice.AddBillableItem) error {
	if r.Actor.Role != authz.Clinician {
		return nil
	}
	s, _, err := commands.Load(ctx, a.cfg.Commands, invoice.Decider, invoice.StreamID(c.InvoiceID))
	if err != nil || s.PatientID == "" {
		return err
	}
	met, err := appointments.HaveMet(ctx, a.cfg.DB, r.Actor.Subject, s.PatientID)
	if err != nil {
		return err
	}
	if !met {
		return fmt.Errorf("%w: a clinician may raise a billable item only for a patient they have (or had) an appointment with", authz.ErrForbidden)
	}
	return nil
}

var readInvoice = declare(query("invoice.read",
	authz.Rule{authz.Patient: authz.OwnPatient, authz.Accounts: authz.Any, authz.Auditor: authz.Any, authz.Admin: authz.Any}))

// Invoices lists invoices, newest first; a patient sees only their own whatever the
// filter asks.
func (a *App) Invoices(ctx context.Context, call Call, f invoices.Filter) ([]invoices.Invoice, error) {
	return run(ctx, a, call, readInvoice, func(ctx context.Context, r *Request) ([]invoices.Invoice, error) {
		if r.Scoped() {
			if f.PatientID == "" {
				f.PatientID = r.Actor.Subject
			}
			if err := r.Authorize(authz.Resource{PatientID: f.PatientID}); err != nil {
				return nil, err
			}
		}
		return invoices.List(ctx, a.cfg.DB, f)
	})
}

// Invoice reads one invoice. Someone who may not see it is told so only after it is found,
// so a missing invoice is not found for everyone.
func (a *App) Invoice(ctx context.Context, call Call, invoiceID string) (invoices.Invoice, error) {
	return run(ctx, a, call, readInvoice, func(ctx context.Context, r *Request) (invoices.Invoice, error) {
		inv, err := invoices.Get(ctx, a.cfg.DB, invoiceID)
		if err != nil {
			return invoices.Invoice{}, err
		}
		if err := r.Authorize(authz.Resource{PatientID: inv.PatientID}); err != nil {
			return invoices.Invoice{}, err
		}
		return inv, nil
	})
}
