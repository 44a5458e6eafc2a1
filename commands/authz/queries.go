package authz

import (
	"context"

	"ledgerdesk/projections/appointments"
	"ledgerdesk/projections/earnings"
	"ledgerdesk/projections/invoices"
	"ledgerdesk/projections/payouts"
)

// Querier is a pool, a connection or a transaction.
type Querier = appointments.Querier

// AppointmentsForClinician lists a clinician's appointments, for the clinician themself
// or for a role that reads everyone's.
func AppointmentsForClinician(ctx context.Context, q Querier, actor Actor, clinicianID string) ([]appointments.Row, error) {
	if err := Authorize(actor, ReadAppointment, Resource{ClinicianID: clinicianID}); err != nil {
		return nil, err
	}
	return appointments.ForClinician(ctx, q, clinicianID)
}

// EarningsForClinician is a clinician's pending, released and paid money.
func EarningsForClinician(ctx context.Context, q Querier, actor Actor, clinicianID string) (earnings.Summary, error) {
	if err := Authorize(actor, ReadEarnings, Resource{ClinicianID: clinicianID}); err != nil {
		return earnings.Summary{}, err
	}
	return earnings.ForClinician(ctx, q, clinicianID)
}

// ListInvoices lists invoices; a patient sees only their own whatever the filter asks.
func ListInvoices(ctx context.Context, q Querier, actor Actor, f invoices.Filter) ([]invoices.Invoice, error) {
	if err := actor.Valid(); err != nil {
		return nil, err
	}
	if !Allowed(actor.Role, ReadInvoice) {
		return nil, Authorize(actor, ReadInvoice, Resource{})
	}
	if rules[ReadInvoice][actor.Role] == OwnPatient {
		if f.PatientID != "" && f.PatientID != actor.Subject {
			return nil, Authorize(actor, ReadInvoice, Resource{PatientID: f.PatientID})
		}
		f.PatientID = actor.Subject
	}
	return invoices.List(ctx, q, f)
}

// GetInvoice reads one invoice. Someone who may not see it is told it is forbidden only
// after it is found, so a missing invoice is not-found for everyone.
func GetInvoice(ctx context.Context, q Querier, actor Actor, invoiceID string) (invoices.Invoice, error) {
	if err := actor.Valid(); err != nil {
		return invoices.Invoice{}, err
	}
	if !Allowed(actor.Role, ReadInvoice) {
		return invoices.Invoice{}, Authorize(actor, ReadInvoice, Resource{})
	}
	inv, err := invoices.Get(ctx, q, invoiceID)
	if err != nil {
		return invoices.Invoice{}, err
	}
	if err := Authorize(actor, ReadInvoice, Resource{PatientID: inv.PatientID}); err != nil {
		return invoices.Invoice{}, err
	}
	return inv, nil
}

// ListPayouts lists the payout runs.
func ListPayouts(ctx context.Context, q Querier, actor Actor) ([]payouts.Run, error) {
	if err := Authorize(actor, ReadPayouts, Resource{}); err != nil {
		return nil, err
	}
	return payouts.List(ctx, q)
}

// GetPayout reads one payout run with its lines.
func GetPayout(ctx context.Context, q Querier, actor Actor, payoutID string) (payouts.Run, error) {
	if err := Authorize(actor, ReadPayouts, Resource{}); err != nil {
		return payouts.Run{}, err
	}
	return payouts.Get(ctx, q, payoutID)
}
