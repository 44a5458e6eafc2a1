package account_test

import (
	"time"

	"ledgerdesk/domain/account"
	"ledgerdesk/domain/decider/decidertest"
)

const (
	acct     = "0190a8f2-0000-7000-8000-000000000001"
	agent    = "0190a8f2-0000-7000-8000-0000000000a1"
	ticketID = "0190a8f2-0000-7000-8000-0000000000t1"
	grant    = "grant-1"
	goodPw   = "correct horse battery"
	hashA    = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	hashB    = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

var t0 = time.Date(2025, 2, 10, 9, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

func spec() *decidertest.Spec[account.State, account.Command, account.Event] {
	return decidertest.For(account.Decide, account.Evolve)
}

func registered(role account.Role) account.Event {
	realm := account.RealmPortal
	if role == account.RoleRequester || role == account.RoleAgent {
		realm = account.RealmSupport
	}
	return account.Registered{AccountID: acct, Realm: realm, Role: role, Email: "jo.bloggs@example.co.uk", Name: "Jo Bloggs", At: t0}
}

var patient = registered(account.RolePatient)

func granted(scopes ...account.Scope) account.Event {
	return account.SupportAccessGranted{AccountID: acct, GrantID: grant, Scopes: scopes, At: at(time.Hour), ExpiresAt: at(25 * time.Hour)}
}
