package account_test

import (
	"bytes"
	"encoding/base32"
	"strings"
	"testing"
	"time"

	"ledgerdesk/domain/account"
)

func TestEnrolTwoFactorKeepsOnlyASecretReference(t *testing.T) {
	spec().Given(patient).When(account.EnrolTwoFactor{AccountID: acct, SecretRef: "totp-1", At: at(1)}).
		Then(t, account.TwoFactorEnrolled{AccountID: acct, SecretRef: "totp-1", At: at(1)})
	spec().Given(patient, account.TwoFactorEnrolled{AccountID: acct, SecretRef: "totp-1", At: at(1)}).
		When(account.EnrolTwoFactor{AccountID: acct, SecretRef: "totp-2", At: at(2)}).ThenError(t, account.ErrTwoFactorEnrolled)
	spec().Given(patient).When(account.EnrolTwoFactor{AccountID: acct, At: at(1)}).ThenError(t, account.ErrInvalidInput)
}

func TestResetTwoFactorNamesTheTicketAndAgent(t *testing.T) {
	enrolled := account.TwoFactorEnrolled{AccountID: acct, SecretRef: "totp-1", At: at(1)}
	spec().Given(patient, enrolled).When(account.ResetTwoFactor{AccountID: acct, TicketID: ticketID, AgentID: agent, At: at(2)}).
		Then(t, account.TwoFactorReset{AccountID: acct, TicketID: ticketID, AgentID: agent, At: at(2)})
	spec().Given(patient).When(account.ResetTwoFactor{AccountID: acct, TicketID: ticketID, AgentID: agent, At: at(2)}).ThenError(t, account.ErrTwoFactorNotEnabled)
	spec().Given(patient, enrolled).When(account.ResetTwoFactor{AccountID: acct, AgentID: agent, At: at(2)}).ThenError(t, account.ErrInvalidInput)
	spec().Given(patient, enrolled).When(account.ResetTwoFactor{AccountID: acct, TicketID: ticketID, At: at(2)}).ThenError(t, account.ErrInvalidInput)
	// After a reset the holder can enrol a new device.
	spec().Given(patient, enrolled, account.TwoFactorReset{AccountID: acct, TicketID: ticketID, AgentID: agent, At: at(2)}).
		When(account.EnrolTwoFactor{AccountID: acct, SecretRef: "totp-2", At: at(3)}).
		Then(t, account.TwoFactorEnrolled{AccountID: acct, SecretRef: "totp-2", At: at(3)})
}

// RFC 6238 appendix B: the SHA-1 secret "12345678901234567890" gives 94287082 at T=59;
// the six-digit code is its last six digits.
func TestValidateTOTPMatchesRFC6238(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	at59 := time.Unix(59, 0)
	for _, c := range []struct {
		code string
		at   time.Time
		ok   bool
	}{
		{"287082", at59, true},
		{"287082", at59.Add(30 * time.Second), true}, // one step of drift is allowed
		{"287082", at59.Add(90 * time.Second), false},
		{"287083", at59, false},
		{"28708", at59, false},
		{"", at59, false},
	} {
		ok, err := account.ValidateTOTP(c.code, secret, c.at)
		if ok != c.ok || err != nil {
			t.Errorf("ValidateTOTP(%q, %v) = %v, %v; want %v", c.code, c.at, ok, err, c.ok)
		}
	}
}

func TestNewTOTPKey(t *testing.T) {
	secret, url, err := account.NewTOTPKey("ledgerdesk", "jo@example.com", bytes.NewReader(bytes.Repeat([]byte{1}, 64)))
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) < 32 || !strings.HasPrefix(url, "otpauth://totp/") || !strings.Contains(url, secret) {
		t.Fatalf("secret %q url %q", secret, url)
	}
	if _, _, err := account.NewTOTPKey("", "jo@example.com", bytes.NewReader(make([]byte, 64))); err == nil {
		t.Fatal("no issuer accepted")
	}
}
