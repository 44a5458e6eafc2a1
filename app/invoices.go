package app

import (
	"context"

	"ledgerdesk/app/authz"
	"ledgerdesk/domain/invoice"
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
	// The clinician adding an item is the one it pays.
	on(agg, "invoice.add_item", authz.Rule{authz.Clinician: authz.OwnClinician, authz.Accounts: authz.Any, authz.Admin: authz.Any},
		func(c invoice.AddBillableItem) string { return invoice.StreamID(c.InvoiceID) },
		func(s invoice.State, c invoice.AddBillableItem) authz.Resource {
			return authz.Resource{PatientID: s.PatientID, ClinicianID: c.ClinicianID}
		})
	on(agg, "invoice.issue", office, func(c invoice.Issue) string { return invoice.StreamID(c.InvoiceID) }, nil)
	on(agg, "invoice.record_payment", authz.Rule{authz.Patient: authz.OwnPatient, authz.Accounts: authz.Any, authz.Admin: authz.Any},
		func(c invoice.RecordPayment) string { return invoice.StreamID(c.InvoiceID) }, nil)
	on(agg, "invoice.void", office, func(c invoice.Void) string { return invoice.StreamID(c.InvoiceID) }, nil)
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
