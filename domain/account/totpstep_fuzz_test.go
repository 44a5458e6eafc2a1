package account_test

import (
	"encoding/base32"
	"testing"
	"time"

	"ledgerdesk/domain/account"
)

// TOTPStep never panics on what a person types, accepts only six digits, and agrees with
// ValidateTOTP (from the epoch on); an accepted code's step is within one of the current one.
func FuzzTOTPStep(f *testing.F) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	for _, c := range []string{"287082", "000000", "", "28708", "2870822", "abcdef", "٢٨٧٠٨٢", "28 082"} {
		f.Add(c, int64(59))
	}
	f.Fuzz(func(t *testing.T, code string, unix int64) {
		if unix < 0 {
			unix = -(unix + 1)
		}
		at := time.Unix(unix%(1<<40), 0)
		step, ok, err := account.TOTPStep(code, secret, at)
		if err != nil {
			return
		}
		valid, _ := account.ValidateTOTP(code, secret, at)
		if ok != valid {
			t.Fatalf("TOTPStep says %v, ValidateTOTP %v for %q at %d", ok, valid, code, at.Unix())
		}
		if ok && (len(code) != 6 || step < at.Unix()/30-1 || step > at.Unix()/30+1) {
			t.Fatalf("accepted %q at %d for step %d", code, at.Unix(), step)
		}
	})
}
