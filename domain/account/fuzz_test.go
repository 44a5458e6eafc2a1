package account_test

import (
	"errors"
	"testing"
	"time"

	"ledgerdesk/domain/account"
)

func FuzzCheckPassword(f *testing.F) {
	for _, s := range []string{goodPw, "short", "aaaaaaaaaaaaa", "jo@example.com", "\x00\x01", "żółć gęślą jaźń"} {
		f.Add(s, "jo@example.com", "Jo")
	}
	f.Fuzz(func(t *testing.T, pw, email, name string) {
		if err := account.CheckPassword(pw, email, name); err != nil && !errors.Is(err, account.ErrWeakPassword) {
			t.Fatalf("error %v is not ErrWeakPassword", err)
		}
	})
}

func FuzzParseRealmRoleScope(f *testing.F) {
	for _, s := range []string{"portal", "support", "patient", "agent", "log_in_as", "", "PORTAL"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r, err := account.ParseRealm(s); err == nil {
			if string(r) != s {
				t.Fatalf("realm %q read as %q", s, r)
			}
			if role, err := account.ParseRole(r, s); err == nil && string(role) != s {
				t.Fatalf("role %q read as %q", s, role)
			}
		}
		if sc, err := account.ParseScope(s); err == nil && string(sc) != s {
			t.Fatalf("scope %q read as %q", s, sc)
		}
		if _, err := account.ParseRole(account.RealmSupport, s); err != nil && !errors.Is(err, account.ErrInvalidInput) {
			t.Fatal(err)
		}
	})
}

// Decide never panics on any input, and a rejection never comes with events.
func FuzzDecide(f *testing.F) {
	f.Add(uint8(0), acct, "jo@example.com", "Jo", goodPw, "203.0.113.7", int64(0))
	f.Add(uint8(3), acct, hashA, "", "", "", int64(3600))
	f.Fuzz(func(t *testing.T, kind uint8, id, a, b, c, d string, secs int64) {
		when := t0.Add(time.Duration(secs) * time.Second)
		state := account.Decider.Fold([]account.Event{patient, granted(account.ScopeLogInAs), requested(hashA, 0)})
		cmds := []account.Command{
			account.Register{AccountID: id, Realm: account.Realm(a), Role: account.Role(b), Email: c, Name: d, Password: b, At: when},
			account.UpdateProfile{AccountID: id, Name: a, Email: b, Phone: c, At: when},
			account.BlockIP{AccountID: id, IP: a, By: b, At: when},
			account.CompletePasswordReset{AccountID: id, TokenHash: a, NewPassword: b, At: when},
			account.GrantSupportAccess{AccountID: id, GrantID: a, By: b, Scopes: []account.Scope{account.Scope(c)}, At: when, ExpiresAt: when.Add(time.Hour)},
			account.RecordSupportAction{AccountID: id, GrantID: a, AgentID: b, Action: c, At: when},
			account.SetPayeeBankDetails{AccountID: id, AccountName: a, SortCode: b, AccountNumber: c, By: d, At: when},
		}
		cmd := cmds[int(kind)%len(cmds)]
		for _, s := range []account.State{{}, state} {
			events, err := account.Decide(s, cmd)
			if err != nil && len(events) != 0 {
				t.Fatalf("rejected with events: %v %v", err, events)
			}
		}
	})
}
