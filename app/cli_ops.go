package app

import (
	"context"
	"io"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/commands/v1import"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/projections/journal"
	psupport "ledgerdesk/projections/support"
)

// Operations the CLI needs that no other door has asked for yet.

var (
	// The journal is the accounts department's book; auditors and administrators read it.
	readJournal = declare(query("journal.read", authz.Rule{authz.Accounts: authz.Any, authz.Auditor: authz.Any, authz.Admin: authz.Any}))
	// The support-site and portal accounts as the support centre sees them.
	readAccounts = declare(query("account.read", authz.Rule{authz.SupportAgent: authz.Any, authz.ITSupport: authz.Any, authz.Auditor: authz.Any, authz.Admin: authz.Any}))
)

// Cutover is the go-live date and whether the cutover has happened, as the history
// records them.
func (a *App) Cutover(ctx context.Context, call Call) (cutover.State, error) {
	return run(ctx, a, call, readGoLive, func(ctx context.Context, _ *Request) (cutover.State, error) {
		s, _, err := commands.Load(ctx, a.cfg.Commands, cutover.Decider, cutover.StreamID)
		return s, err
	})
}

// ClinicianRegistered says whether clinicianID is a registered account: a payments query
// for an id nobody has earnings under tells a typing mistake from a clinician yet to earn.
func (a *App) ClinicianRegistered(ctx context.Context, call Call, clinicianID string) (bool, error) {
	return run(ctx, a, call, readEarnings, func(ctx context.Context, r *Request) (bool, error) {
		if err := r.Authorize(authz.Resource{ClinicianID: clinicianID}); err != nil {
			return false, err
		}
		s, _, err := commands.Load(ctx, a.cfg.Commands, account.Decider, account.StreamID(clinicianID))
		return s.Registered(), err
	})
}

// TrialBalance is every journal account's balance (all: those at zero too).
func (a *App) TrialBalance(ctx context.Context, call Call, all bool) (journal.TrialBalance, error) {
	return run(ctx, a, call, readJournal, func(ctx context.Context, _ *Request) (journal.TrialBalance, error) {
		return journal.Trial(ctx, a.cfg.DB, all)
	})
}

// JournalEntries are the journal lines f selects, with the events that made them.
func (a *App) JournalEntries(ctx context.Context, call Call, f journal.Filter) ([]journal.Line, error) {
	return run(ctx, a, call, readJournal, func(ctx context.Context, _ *Request) ([]journal.Line, error) {
		return journal.Entries(ctx, a.cfg.DB, f)
	})
}

// TicketTimeline is a ticket's full audit timeline, internal notes included: agents only.
func (a *App) TicketTimeline(ctx context.Context, call Call, ticketID string) ([]psupport.TimelineEntry, error) {
	return run(ctx, a, call, readInternalNotes, func(ctx context.Context, _ *Request) ([]psupport.TimelineEntry, error) {
		return psupport.Timeline(ctx, a.cfg.DB, ticketID)
	})
}

// AccountsWithEmail are the accounts registered with email, on both sites.
func (a *App) AccountsWithEmail(ctx context.Context, call Call, email string) ([]psupport.AccountRow, error) {
	return run(ctx, a, call, readAccounts, func(ctx context.Context, _ *Request) ([]psupport.AccountRow, error) {
		return psupport.AccountsByEmail(ctx, a.cfg.DB, email)
	})
}

// SupportAccountView is an account with its blocked addresses and support grants.
type SupportAccountView struct {
	Account    psupport.AccountRow
	BlockedIPs []psupport.BlockedIP
	Grants     []psupport.GrantRow
}

// SupportAccount is one account as the support centre sees it.
func (a *App) SupportAccount(ctx context.Context, call Call, accountID string) (SupportAccountView, error) {
	return run(ctx, a, call, readAccounts, func(ctx context.Context, _ *Request) (SupportAccountView, error) {
		var v SupportAccountView
		var err error
		if v.Account, err = psupport.AccountByID(ctx, a.cfg.DB, accountID); err != nil {
			return v, err
		}
		if v.BlockedIPs, err = psupport.BlockedIPs(ctx, a.cfg.DB, v.Account.AccountID); err != nil {
			return v, err
		}
		v.Grants, err = psupport.Grants(ctx, a.cfg.DB, v.Account.AccountID)
		return v, err
	})
}

// ImportV1Reporting is ImportV1 that keeps the report when the import fails: the invalid
// rows it refused, or how far it got before it stopped, which a clerk at a terminal is
// shown (ImportV1, like every operation, returns nothing but the error then).
func (a *App) ImportV1Reporting(ctx context.Context, call Call, in io.Reader, opts v1import.Options) (rep v1import.Report, err error) {
	_, err = run(ctx, a, call, importV1, func(ctx context.Context, r *Request) (struct{}, error) {
		opts.By = r.Actor.Subject
		if opts.At.IsZero() {
			opts.At = r.Now
		}
		var err error
		rep, err = v1import.Import(ctx, a.cfg.Commands, in, opts)
		return struct{}{}, err
	})
	return rep, err
}
