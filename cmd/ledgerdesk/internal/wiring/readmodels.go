package wiring

import (
	"ledgerdesk/app"
	"ledgerdesk/commands/support"
	mailpolicy "ledgerdesk/policies/mail"
	"ledgerdesk/policies/payments"
	policies "ledgerdesk/policies/support"
	"ledgerdesk/projections"
	"ledgerdesk/projections/appointments"
	earningsrm "ledgerdesk/projections/earnings"
	invoicesrm "ledgerdesk/projections/invoices"
	"ledgerdesk/projections/journal"
	payoutsrm "ledgerdesk/projections/payouts"
	readmodel "ledgerdesk/projections/support"
	"ledgerdesk/projections/v1recon"
)

// ReadModels is every projection and policy the projectors run: the appointments, the
// payments read models and policies, the V1 reconciliation, the support read models and
// policies, and the mail outbox.
//
// A wiring error is returned, never logged and skipped: a projector that started without
// some of its projections would look healthy while it left read models behind.
func (r *Runtime) ReadModels() ([]projections.Projection, error) {
	a, err := r.App()
	if err != nil {
		return nil, err
	}
	svc, err := r.SupportService()
	if err != nil {
		return nil, err
	}
	cmds := a.Commands()
	ps := []projections.Projection{appointments.New(cmds.Codec)}
	ps = append(ps, PaymentsProjections(a)...)
	ps = append(ps, v1recon.New(cmds.Codec))
	rms, pols := SupportProjections(svc, r)
	ps = append(append(ps, rms...), pols...)
	ps = append(ps, mailpolicy.NewOutbox())
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name()
	}
	r.projectionNames = names
	return ps, nil
}

// PaymentsProjections are the payments read models and policies.
func PaymentsProjections(a *app.App) []projections.Projection {
	cmds := a.Commands()
	ps := []projections.Projection{
		earningsrm.New(cmds.Codec),
		invoicesrm.New(cmds.Codec),
		payoutsrm.New(cmds.Codec),
		journal.New(cmds.Codec),
	}
	for _, p := range payments.All(a) {
		ps = append(ps, p)
	}
	return ps
}

// SupportProjections are the support read models (tickets, accounts) and policies (the
// two-factor reset, then the destruction of document bytes) on svc.
func SupportProjections(svc *support.Service, r *Runtime) (readModels, policyModels []projections.Projection) {
	return []projections.Projection{readmodel.NewTickets(svc.Codec()), readmodel.NewAccounts(svc.Codec())},
		policies.Policies(svc, r.Log)
}
