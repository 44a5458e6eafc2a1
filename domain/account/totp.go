package account

import (
	"crypto/subtle"
	"fmt"
	"io"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpOptions are what every authenticator app understands: RFC 6238 with SHA-1, six
// digits, 30-second steps, and one step of clock drift either way.
var totpOptions = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPKey makes a TOTP secret from rand. The command layer keeps secret under a
// reference (EnrolTwoFactor.SecretRef) and shows url to the user as a QR code; neither
// goes in an event.
func NewTOTPKey(issuer, accountName string, rand io.Reader) (secret, url string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer: issuer, AccountName: accountName, Period: totpOptions.Period,
		Digits: totpOptions.Digits, Algorithm: totpOptions.Algorithm, Rand: rand,
	})
	if err != nil {
		return "", "", fmt.Errorf("making a TOTP key: %w", err)
	}
	return key.Secret(), key.URL(), nil
}

// ValidateTOTP reports whether code is right for secret at instant at. It does not stop
// the same code being replayed within its window: the command layer remembers the last
// accepted time step per account for that.
func ValidateTOTP(code, secret string, at time.Time) (bool, error) {
	if len(code) != totpOptions.Digits.Length() {
		return false, nil
	}
	return totp.ValidateCustom(code, secret, at, totpOptions)
}

// TOTPStep is ValidateTOTP that also says which 30-second step the code belongs to (the
// Unix time divided by 30), so the command layer can refuse a code used before: a code is
// accepted at most once, and never one older than the last accepted. ok is false for a
// wrong code.
func TOTPStep(code, secret string, at time.Time) (step int64, ok bool, err error) {
	if len(code) != totpOptions.Digits.Length() || at.Unix() < 0 {
		// No code belongs before the Unix epoch.
		return 0, false, nil
	}
	period := int64(totpOptions.Period)
	now := at.Unix() / period
	for _, d := range []int64{0, -1, 1} {
		s := now + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*period, 0), totpOptions)
		if err != nil {
			return 0, false, fmt.Errorf("checking a TOTP code: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true, nil
		}
	}
	return 0, false, nil
}
