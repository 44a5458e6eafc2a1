package support

import (
	"context"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
)

// Grant is a holder's consent to IT support: what it may do, for which ticket, until when.
type Grant struct {
	AccountID string
	TicketID  string
	Scopes    []account.Scope
	ExpiresAt time.Time
}

// GrantSupportAccess records the holder's consent and returns the grant's id. Only the
// holder can give it (the decider checks the actor is the account).
func (s *Service) GrantSupportAccess(ctx context.Context, g Grant, meta commands.Metadata) (string, error) {
	if err := checkMeta(meta); err != nil {
		return "", err
	}
	id := derivedID(meta, "grant")
	_, err := s.execAccount(ctx, account.GrantSupportAccess{
		AccountID: g.AccountID, GrantID: id, TicketID: g.TicketID, Scopes: g.Scopes, By: meta.Actor, ExpiresAt: g.ExpiresAt, At: s.Now(),
	}, meta)
	if err != nil {
		return "", err
	}
	return id, nil
}

// RevokeSupportAccess withdraws a grant; the holder or an agent may.
func (s *Service) RevokeSupportAccess(ctx context.Context, accountID, grantID string, meta commands.Metadata) error {
	a, err := s.actor(ctx, meta)
	if err != nil {
		return err
	}
	if a.ID != accountID && !IsAgent(a) {
		return account.ErrNotAccountOwner
	}
	_, err = s.execAccount(ctx, account.RevokeSupportAccess{AccountID: accountID, GrantID: grantID, By: meta.Actor, At: s.Now()}, meta)
	return err
}

// ChangePasswordAsSupport is IT support setting the holder's password under an active
// change_password grant; the change and the action are both recorded.
func (s *Service) ChangePasswordAsSupport(ctx context.Context, accountID, grantID, next string, meta commands.Metadata) error {
	if _, err := s.agent(ctx, meta); err != nil {
		return err
	}
	if _, err := s.execAccount(ctx, account.ChangePasswordAsSupport{AccountID: accountID, GrantID: grantID, AgentID: meta.Actor, NewPassword: next, At: s.Now()}, meta); err != nil {
		return err
	}
	return s.setPassword(ctx, accountID, next, meta.CommandID)
}

// StartLogInAs records IT support opening a "log in as" session under an active grant. The
// caller opens the session only when this succeeds, and reports what is done in it with
// RecordSupportAction.
func (s *Service) StartLogInAs(ctx context.Context, accountID, grantID string, meta commands.Metadata) error {
	if _, err := s.agent(ctx, meta); err != nil {
		return err
	}
	_, err := s.execAccount(ctx, account.StartLogInAs{AccountID: accountID, GrantID: grantID, AgentID: meta.Actor, At: s.Now()}, meta)
	return err
}

// RecordSupportAction records one thing done in a "log in as" session.
func (s *Service) RecordSupportAction(ctx context.Context, accountID, grantID, action string, meta commands.Metadata) error {
	if _, err := s.agent(ctx, meta); err != nil {
		return err
	}
	_, err := s.execAccount(ctx, account.RecordSupportAction{AccountID: accountID, GrantID: grantID, AgentID: meta.Actor, Action: action, At: s.Now()}, meta)
	return err
}
