package account_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/account"
)

func TestChangePasswordEmitsOnlyAMarker(t *testing.T) {
	spec().Given(patient).When(account.ChangePassword{AccountID: acct, NewPassword: goodPw, At: at(1)}).
		Then(t, account.PasswordChanged{AccountID: acct, By: account.ChangedBySelf, At: at(1)})
}

func TestPasswordPolicy(t *testing.T) {
	for name, c := range map[string]struct {
		pw string
		ok bool
	}{
		"twelve characters":   {"abcdefghijk1", true},
		"a passphrase":        {goodPw, true},
		"unicode letters":     {"żółć gęślą jaźń", true},
		"eleven characters":   {"abcdefghij1", false},
		"too long":            {strings.Repeat("ab", 65), false},
		"the email":           {"Jo.Bloggs@example.co.uk", false},
		"the email local bit": {"JO.BLOGGS", false},
		"contains the email":  {"xx jo.bloggs@example.co.uk xx", false},
		"the name":            {"jo   bloggs", false},
		"one char repeated":   {"aaaaaaaaaaaaaaaa", false},
		"common":              {"Password1234", false},
		"control character":   {"abcdefghijkl\x00", false},
		"invalid utf-8":       {"abcdefghijkl\xff", false},
	} {
		err := account.CheckPassword(c.pw, "jo.bloggs@example.co.uk", "Jo Bloggs")
		if c.ok && err != nil {
			t.Errorf("%s: rejected: %v", name, err)
		}
		if !c.ok && !errors.Is(err, account.ErrWeakPassword) {
			t.Errorf("%s: got %v, want ErrWeakPassword", name, err)
		}
		if err != nil && c.pw != "" && strings.Contains(err.Error(), c.pw) {
			t.Errorf("%s: the error repeats the password", name)
		}
	}
	// The local part of the email is 9 characters, so the "email local bit" case above is
	// refused by length too; this one is long enough to be refused only for being the email.
	if err := account.CheckPassword("jonathan.bloggs", "jonathan.bloggs@example.com", ""); !errors.Is(err, account.ErrWeakPassword) {
		t.Errorf("long local part accepted: %v", err)
	}
}

func TestChangePasswordRefusesAWeakPassword(t *testing.T) {
	spec().Given(patient).When(account.ChangePassword{AccountID: acct, NewPassword: "jo.bloggs@example.co.uk", At: at(1)}).ThenError(t, account.ErrWeakPassword)
}

func TestHashAndVerifyPassword(t *testing.T) {
	h, err := account.HashPassword(goodPw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, goodPw) {
		t.Fatalf("hash %q", h)
	}
	if ok, err := account.VerifyPassword(goodPw, h); !ok || err != nil {
		t.Fatalf("right password: %v %v", ok, err)
	}
	if ok, err := account.VerifyPassword(goodPw+"!", h); ok || err != nil {
		t.Fatalf("wrong password: %v %v", ok, err)
	}
	if _, err := account.VerifyPassword(goodPw, "not a hash"); err == nil {
		t.Fatal("a garbage hash verified without error")
	}
	h2, _ := account.HashPassword(goodPw)
	if h2 == h {
		t.Fatal("two hashes of one password are equal: no salt")
	}
}

func TestNewResetTokenHashesTheToken(t *testing.T) {
	token, hash, err := account.NewResetToken(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(token))
	if hash != hex.EncodeToString(sum[:]) || hash != account.HashResetToken(token) || len(token) < 43 {
		t.Fatalf("token %q hash %q", token, hash)
	}
	if _, _, err := account.NewResetToken(bytes.NewReader(make([]byte, 5))); err == nil {
		t.Fatal("short randomness accepted")
	}
}

func requested(hash string, d time.Duration) account.Event {
	return account.PasswordResetRequested{AccountID: acct, TokenHash: hash, At: at(d), ExpiresAt: at(d + time.Hour)}
}

func TestRequestPasswordResetExpiresInAnHour(t *testing.T) {
	spec().Given(patient).When(account.RequestPasswordReset{AccountID: acct, TokenHash: hashA, At: at(time.Minute)}).
		Then(t, requested(hashA, time.Minute))
}

func TestRequestPasswordResetRejections(t *testing.T) {
	spec().Given(patient).When(account.RequestPasswordReset{AccountID: acct, TokenHash: "abc", At: at(1)}).ThenError(t, account.ErrInvalidInput)
	spec().Given(patient).When(account.RequestPasswordReset{AccountID: acct, TokenHash: strings.ToUpper(hashA), At: at(1)}).ThenError(t, account.ErrInvalidInput)
	spec().Given(patient, requested(hashA, 0)).When(account.RequestPasswordReset{AccountID: acct, TokenHash: hashA, At: at(1)}).ThenError(t, account.ErrInvalidInput)
}

func TestCompletePasswordResetWithTheLatestLink(t *testing.T) {
	spec().Given(patient, requested(hashA, 0)).
		When(account.CompletePasswordReset{AccountID: acct, TokenHash: hashA, NewPassword: goodPw, At: at(59 * time.Minute)}).
		Then(t,
			account.PasswordResetCompleted{AccountID: acct, TokenHash: hashA, At: at(59 * time.Minute)},
			account.PasswordChanged{AccountID: acct, By: account.ChangedByReset, At: at(59 * time.Minute)},
		)
}

func TestCompletePasswordResetRejections(t *testing.T) {
	used := []account.Event{patient, requested(hashA, 0), account.PasswordResetCompleted{AccountID: acct, TokenHash: hashA, At: at(time.Minute)},
		account.PasswordChanged{AccountID: acct, By: account.ChangedByReset, At: at(time.Minute)}}
	for name, c := range map[string]struct {
		given []account.Event
		hash  string
		when  time.Duration
		pw    string
		want  error
	}{
		"never issued":           {[]account.Event{patient, requested(hashA, 0)}, hashB, time.Minute, goodPw, account.ErrResetTokenInvalid},
		"no request at all":      {[]account.Event{patient}, hashA, time.Minute, goodPw, account.ErrResetTokenInvalid},
		"used":                   {used, hashA, 2 * time.Minute, goodPw, account.ErrResetTokenUsed},
		"used and expired":       {used, hashA, 3 * time.Hour, goodPw, account.ErrResetTokenUsed},
		"expired exactly":        {[]account.Event{patient, requested(hashA, 0)}, hashA, time.Hour, goodPw, account.ErrResetTokenExpired},
		"expired":                {[]account.Event{patient, requested(hashA, 0)}, hashA, 2 * time.Hour, goodPw, account.ErrResetTokenExpired},
		"replaced by a newer":    {[]account.Event{patient, requested(hashA, 0), requested(hashB, time.Minute)}, hashA, 2 * time.Minute, goodPw, account.ErrResetTokenReplaced},
		"password changed since": {[]account.Event{patient, requested(hashA, 0), account.PasswordChanged{AccountID: acct, By: account.ChangedBySelf, At: at(time.Minute)}}, hashA, 2 * time.Minute, goodPw, account.ErrResetTokenReplaced},
		"weak new password":      {[]account.Event{patient, requested(hashA, 0)}, hashA, time.Minute, "123", account.ErrWeakPassword},
		"malformed hash":         {[]account.Event{patient, requested(hashA, 0)}, "zz", time.Minute, goodPw, account.ErrInvalidInput},
	} {
		t.Run(name, func(t *testing.T) {
			spec().Given(c.given...).When(account.CompletePasswordReset{AccountID: acct, TokenHash: c.hash, NewPassword: c.pw, At: at(c.when)}).ThenError(t, c.want)
			// The check a page makes before asking for the new password says the same.
			if c.want == account.ErrWeakPassword || c.want == account.ErrInvalidInput {
				return
			}
			var s account.State
			for _, e := range c.given {
				s = account.Evolve(s, e)
			}
			if err := s.CheckResetLink(c.hash, at(c.when)); !errors.Is(err, c.want) {
				t.Errorf("CheckResetLink: %v, want %v", err, c.want)
			}
		})
	}
}

func TestTheLatestUnusedUnexpiredLinkChecksOut(t *testing.T) {
	var s account.State
	for _, e := range []account.Event{patient, requested(hashA, 0)} {
		s = account.Evolve(s, e)
	}
	if err := s.CheckResetLink(hashA, at(59*time.Minute)); err != nil {
		t.Fatalf("a fresh link: %v", err)
	}
	if err := (account.State{}).CheckResetLink(hashA, at(0)); !errors.Is(err, account.ErrResetTokenInvalid) {
		t.Fatalf("no account: %v", err)
	}
}

func TestANewerLinkStillWorksAfterAnOlderOneWasRefused(t *testing.T) {
	spec().Given(patient, requested(hashA, 0), requested(hashB, time.Minute)).
		When(account.CompletePasswordReset{AccountID: acct, TokenHash: hashB, NewPassword: goodPw, At: at(2 * time.Minute)}).
		ThenState(t, func(t testing.TB, s account.State) {
			if !s.Resets[hashB].Used || s.Resets[hashA].Used {
				t.Fatalf("resets %+v", s.Resets)
			}
		})
}
