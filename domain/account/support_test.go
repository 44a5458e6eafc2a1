package account_test

import (
	"testing"
	"time"

	"ledgerdesk/domain/account"
)

func TestTheHolderGrantsScopedTimeLimitedAccess(t *testing.T) {
	spec().Given(patient).When(account.GrantSupportAccess{
		AccountID: acct, GrantID: grant, TicketID: ticketID, By: acct,
		Scopes: []account.Scope{account.ScopeChangePassword, account.ScopeLogInAs},
		At:     at(time.Hour), ExpiresAt: at(25 * time.Hour),
	}).Then(t, account.SupportAccessGranted{
		AccountID: acct, GrantID: grant, TicketID: ticketID,
		Scopes: []account.Scope{account.ScopeChangePassword, account.ScopeLogInAs},
		At:     at(time.Hour), ExpiresAt: at(25 * time.Hour),
	})
}

func TestGrantRejections(t *testing.T) {
	ok := account.GrantSupportAccess{AccountID: acct, GrantID: grant, By: acct, Scopes: []account.Scope{account.ScopeLogInAs}, At: at(time.Hour), ExpiresAt: at(2 * time.Hour)}
	for name, c := range map[string]struct {
		given  []account.Event
		mutate func(*account.GrantSupportAccess)
		want   error
	}{
		"someone else consents": {nil, func(g *account.GrantSupportAccess) { g.By = agent }, account.ErrNotAccountOwner},
		"no scopes":             {nil, func(g *account.GrantSupportAccess) { g.Scopes = nil }, account.ErrInvalidInput},
		"unknown scope":         {nil, func(g *account.GrantSupportAccess) { g.Scopes = []account.Scope{"delete_account"} }, account.ErrInvalidInput},
		"scope twice":           {nil, func(g *account.GrantSupportAccess) { g.Scopes = []account.Scope{"log_in_as", "log_in_as"} }, account.ErrInvalidInput},
		"no expiry":             {nil, func(g *account.GrantSupportAccess) { g.ExpiresAt = time.Time{} }, account.ErrInvalidInput},
		"expires before grant":  {nil, func(g *account.GrantSupportAccess) { g.ExpiresAt = g.At }, account.ErrInvalidInput},
		"too long":              {nil, func(g *account.GrantSupportAccess) { g.ExpiresAt = g.At.Add(account.MaxGrantDuration + 1) }, account.ErrGrantTooLong},
		"no grant id":           {nil, func(g *account.GrantSupportAccess) { g.GrantID = "" }, account.ErrInvalidInput},
		"grant id reused":       {[]account.Event{granted(account.ScopeLogInAs)}, func(*account.GrantSupportAccess) {}, account.ErrGrantExists},
	} {
		t.Run(name, func(t *testing.T) {
			cmd := ok
			c.mutate(&cmd)
			spec().Given(append([]account.Event{patient}, c.given...)...).When(cmd).ThenError(t, c.want)
		})
	}
	spec().Given(registered(account.RoleRequester)).When(ok).ThenError(t, account.ErrWrongRealm)
	maxed := ok
	maxed.ExpiresAt = maxed.At.Add(account.MaxGrantDuration)
	spec().Given(patient).When(maxed).Then(t, account.SupportAccessGranted{AccountID: acct, GrantID: grant, Scopes: maxed.Scopes, At: maxed.At, ExpiresAt: maxed.ExpiresAt})
}

func TestEverythingDoneUnderAGrantIsRecorded(t *testing.T) {
	g := granted(account.ScopeChangePassword, account.ScopeLogInAs)
	spec().Given(patient, g).When(account.ChangePasswordAsSupport{AccountID: acct, GrantID: grant, AgentID: agent, NewPassword: goodPw, At: at(2 * time.Hour)}).
		Then(t,
			account.PasswordChanged{AccountID: acct, By: account.ChangedBySupport, GrantID: grant, AgentID: agent, At: at(2 * time.Hour)},
			account.SupportActionRecorded{AccountID: acct, GrantID: grant, AgentID: agent, Action: account.ActionChangePassword, At: at(2 * time.Hour)},
		)
	spec().Given(patient, g).When(account.StartLogInAs{AccountID: acct, GrantID: grant, AgentID: agent, At: at(2 * time.Hour)}).
		Then(t, account.SupportActionRecorded{AccountID: acct, GrantID: grant, AgentID: agent, Action: account.ActionLogInAs, At: at(2 * time.Hour)})
	spec().Given(patient, g).When(account.RecordSupportAction{AccountID: acct, GrantID: grant, AgentID: agent, Action: " viewed invoices ", At: at(2 * time.Hour)}).
		Then(t, account.SupportActionRecorded{AccountID: acct, GrantID: grant, AgentID: agent, Action: "viewed invoices", At: at(2 * time.Hour)})
}

func TestSupportActionsNeedAnActiveGrantWithTheScope(t *testing.T) {
	logInAsOnly := granted(account.ScopeLogInAs)
	revoked := account.SupportAccessRevoked{AccountID: acct, GrantID: grant, By: acct, At: at(3 * time.Hour)}
	for name, c := range map[string]struct {
		given []account.Event
		cmd   account.Command
		want  error
	}{
		"no grant id":          {nil, account.StartLogInAs{AccountID: acct, AgentID: agent, At: at(2 * time.Hour)}, account.ErrNoActiveGrant},
		"unknown grant":        {nil, account.StartLogInAs{AccountID: acct, GrantID: grant, AgentID: agent, At: at(2 * time.Hour)}, account.ErrNoActiveGrant},
		"before it was given":  {[]account.Event{logInAsOnly}, account.StartLogInAs{AccountID: acct, GrantID: grant, AgentID: agent, At: at(30 * time.Minute)}, account.ErrNoActiveGrant},
		"revoked":              {[]account.Event{logInAsOnly, revoked}, account.StartLogInAs{AccountID: acct, GrantID: grant, AgentID: agent, At: at(4 * time.Hour)}, account.ErrNoActiveGrant},
		"expired exactly":      {[]account.Event{logInAsOnly}, account.StartLogInAs{AccountID: acct, GrantID: grant, AgentID: agent, At: at(25 * time.Hour)}, account.ErrGrantExpired},
		"expired":              {[]account.Event{logInAsOnly}, account.RecordSupportAction{AccountID: acct, GrantID: grant, AgentID: agent, Action: "x", At: at(26 * time.Hour)}, account.ErrGrantExpired},
		"scope not granted":    {[]account.Event{logInAsOnly}, account.ChangePasswordAsSupport{AccountID: acct, GrantID: grant, AgentID: agent, NewPassword: goodPw, At: at(2 * time.Hour)}, account.ErrScopeNotGranted},
		"log in as not given":  {[]account.Event{granted(account.ScopeChangePassword)}, account.StartLogInAs{AccountID: acct, GrantID: grant, AgentID: agent, At: at(2 * time.Hour)}, account.ErrScopeNotGranted},
		"actions need log in":  {[]account.Event{granted(account.ScopeChangePassword)}, account.RecordSupportAction{AccountID: acct, GrantID: grant, AgentID: agent, Action: "x", At: at(2 * time.Hour)}, account.ErrScopeNotGranted},
		"no agent":             {[]account.Event{logInAsOnly}, account.StartLogInAs{AccountID: acct, GrantID: grant, At: at(2 * time.Hour)}, account.ErrInvalidInput},
		"empty action":         {[]account.Event{logInAsOnly}, account.RecordSupportAction{AccountID: acct, GrantID: grant, AgentID: agent, Action: "  ", At: at(2 * time.Hour)}, account.ErrInvalidInput},
		"weak password":        {[]account.Event{granted(account.ScopeChangePassword)}, account.ChangePasswordAsSupport{AccountID: acct, GrantID: grant, AgentID: agent, NewPassword: "x", At: at(2 * time.Hour)}, account.ErrWeakPassword},
		"revoked before reuse": {[]account.Event{granted(account.ScopeChangePassword), revoked}, account.ChangePasswordAsSupport{AccountID: acct, GrantID: grant, AgentID: agent, NewPassword: goodPw, At: at(3 * time.Hour)}, account.ErrNoActiveGrant},
	} {
		t.Run(name, func(t *testing.T) {
			spec().Given(append([]account.Event{patient}, c.given...)...).When(c.cmd).ThenError(t, c.want)
		})
	}
}

func TestRevokeSupportAccess(t *testing.T) {
	g := granted(account.ScopeLogInAs)
	revoked := account.SupportAccessRevoked{AccountID: acct, GrantID: grant, By: acct, At: at(2 * time.Hour)}
	spec().Given(patient, g).When(account.RevokeSupportAccess{AccountID: acct, GrantID: grant, By: acct, At: at(2 * time.Hour)}).Then(t, revoked)
	spec().Given(patient, g, revoked).When(account.RevokeSupportAccess{AccountID: acct, GrantID: grant, By: acct, At: at(3 * time.Hour)}).ThenError(t, account.ErrGrantRevoked)
	spec().Given(patient).When(account.RevokeSupportAccess{AccountID: acct, GrantID: grant, By: acct, At: at(3 * time.Hour)}).ThenError(t, account.ErrGrantNotFound)
}
