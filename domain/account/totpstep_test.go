package account_test

import (
	"encoding/base32"
	"testing"
	"time"

	"ledgerdesk/domain/account"
)

// TOTPStep accepts exactly what ValidateTOTP accepts and names the step the code was made
// for, which is what lets the command layer refuse a replayed code.
func TestTOTPStepNamesTheStepOfAValidCode(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	at59 := time.Unix(59, 0) // step 1; RFC 6238 gives 94287082, six digits 287082
	for _, c := range []struct {
		code string
		at   time.Time
		step int64
		ok   bool
	}{
		{"287082", at59, 1, true},
		{"287082", at59.Add(30 * time.Second), 1, true}, // one step of drift
		{"287082", at59.Add(-30 * time.Second), 1, true},
		{"287082", at59.Add(61 * time.Second), 0, false}, // two steps late
		{"287083", at59, 0, false},
		{"28708", at59, 0, false},
		{"", at59, 0, false},
	} {
		step, ok, err := account.TOTPStep(c.code, secret, c.at)
		if err != nil || ok != c.ok || step != c.step {
			t.Errorf("TOTPStep(%q, %v) = %d, %v, %v; want %d, %v", c.code, c.at.Unix(), step, ok, err, c.step, c.ok)
		}
		valid, _ := account.ValidateTOTP(c.code, secret, c.at)
		if valid != c.ok {
			t.Errorf("ValidateTOTP disagrees on %q at %d", c.code, c.at.Unix())
		}
	}
}
