package account_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"ledgerdesk/domain/account"
)

// Over random command sequences: a rejected command emits nothing; a reset link completes
// at most once and only while it is the latest, unexpired one; and every action IT support
// takes happens under a grant that was active, unrevoked and had the scope at that moment.
func TestInvariantResetsSingleUseAndSupportActsOnlyUnderAnActiveGrant(t *testing.T) {
	const seed = 20250203
	rng := rand.New(rand.NewPCG(seed, seed))
	counts := map[string]int{}
	for run := 0; run < 300; run++ {
		var history []account.Event
		state := account.State{}
		apply := func(c account.Command) {
			events, err := account.Decide(state, c)
			if err != nil {
				if len(events) != 0 {
					t.Fatalf("seed %d run %d: %T rejected (%v) yet emitted %v", seed, run, c, err, events)
				}
				return
			}
			for _, e := range events {
				checkAgainstHistory(t, seed, run, history, e)
				counts[e.EventType()]++
				history = append(history, e)
				state = account.Evolve(state, e)
			}
		}
		apply(account.Register{AccountID: acct, Realm: account.RealmPortal, Role: account.RolePatient, Email: "jo@example.com", Name: "Jo", Password: goodPw, At: t0})
		now := t0
		hashes := []string{hashA, hashB, "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"}
		grants := []string{"g1", "g2"}
		scopes := [][]account.Scope{{account.ScopeLogInAs}, {account.ScopeChangePassword}, {account.ScopeLogInAs, account.ScopeChangePassword}}
		for step := 0; step < 40; step++ {
			now = now.Add(time.Duration(rng.IntN(90)) * time.Minute)
			h := hashes[rng.IntN(len(hashes))]
			g := grants[rng.IntN(len(grants))]
			switch rng.IntN(7) {
			case 0:
				apply(account.RequestPasswordReset{AccountID: acct, TokenHash: h, At: now})
			case 1:
				apply(account.CompletePasswordReset{AccountID: acct, TokenHash: h, NewPassword: goodPw, At: now})
			case 2:
				apply(account.GrantSupportAccess{AccountID: acct, GrantID: g, By: acct, Scopes: scopes[rng.IntN(len(scopes))], At: now, ExpiresAt: now.Add(time.Duration(1+rng.IntN(5)) * time.Hour)})
			case 3:
				apply(account.RevokeSupportAccess{AccountID: acct, GrantID: g, By: acct, At: now})
			case 4:
				apply(account.ChangePasswordAsSupport{AccountID: acct, GrantID: g, AgentID: agent, NewPassword: goodPw, At: now})
			case 5:
				apply(account.StartLogInAs{AccountID: acct, GrantID: g, AgentID: agent, At: now})
			case 6:
				apply(account.ChangePassword{AccountID: acct, NewPassword: goodPw, At: now})
			}
		}
	}
	// The invariants are only tested if the sequences reach the interesting events.
	for _, e := range []account.Event{account.PasswordResetCompleted{}, account.SupportActionRecorded{}, account.SupportAccessRevoked{}} {
		if counts[e.EventType()] < 10 {
			t.Errorf("seed %d: only %d %s events generated", seed, counts[e.EventType()], e.EventType())
		}
	}
	t.Logf("seed %d: %v", seed, counts)
}

// checkAgainstHistory recomputes, from the raw history alone, whether e was allowed.
func checkAgainstHistory(t *testing.T, seed, run int, history []account.Event, e account.Event) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("seed %d run %d: "+format, append([]any{seed, run}, args...)...)
	}
	switch e := e.(type) {
	case account.PasswordResetCompleted:
		var latest *account.PasswordResetRequested
		for _, h := range history {
			switch h := h.(type) {
			case account.PasswordResetCompleted:
				if h.TokenHash == e.TokenHash {
					fail("reset token used twice")
				}
			case account.PasswordResetRequested:
				latest = &h
			case account.PasswordChanged:
				latest = nil
			}
		}
		if latest == nil || latest.TokenHash != e.TokenHash || !e.At.Before(latest.ExpiresAt) {
			fail("reset completed with a link that was not the latest live one: %+v", e)
		}
	case account.SupportActionRecorded:
		scope := account.ScopeLogInAs
		if e.Action == account.ActionChangePassword {
			scope = account.ScopeChangePassword
		}
		var g *account.SupportAccessGranted
		revoked := false
		for _, h := range history {
			switch h := h.(type) {
			case account.SupportAccessGranted:
				if h.GrantID == e.GrantID {
					g = &h
				}
			case account.SupportAccessRevoked:
				if h.GrantID == e.GrantID {
					revoked = true
				}
			}
		}
		if g == nil || revoked || !e.At.Before(g.ExpiresAt) || e.At.Before(g.At) {
			fail("support action %+v outside an active grant", e)
		}
		found := false
		for _, s := range g.Scopes {
			found = found || s == scope
		}
		if !found {
			fail("support action %+v without scope %s", e, scope)
		}
	}
}
