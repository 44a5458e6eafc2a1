package account_test

import (
	"bytes"
	"strings"
	"testing"

	"ledgerdesk/domain/account"
)

func recoveryHashes(t *testing.T, n int) ([]string, []string) {
	t.Helper()
	var codes, hashes []string
	for i := range n {
		c, err := account.FormatRecoveryCode(bytes.Repeat([]byte{byte(i*7 + 1)}, account.RecoveryCodeLength))
		if err != nil {
			t.Fatal(err)
		}
		c = c[:len(c)-1] + string("0123456789abcdefghjkmnpqrstvwxyz"[i])
		h, err := account.HashRecoveryCode(c)
		if err != nil {
			t.Fatal(err)
		}
		codes, hashes = append(codes, c), append(hashes, h)
	}
	return codes, hashes
}

var enrolled = account.TwoFactorEnrolled{AccountID: acct, SecretRef: "totp-1", At: at(1)}

func TestRecoveryCodesAreIssuedAsHashesOnlyAndOnlyWithTwoFactorOn(t *testing.T) {
	codes, hashes := recoveryHashes(t, account.RecoveryCodeCount)
	spec().Given(patient, enrolled).When(account.IssueRecoveryCodes{AccountID: acct, Hashes: hashes, At: at(2)}).
		Then(t, account.RecoveryCodesIssued{AccountID: acct, Hashes: hashes, At: at(2)})
	for _, h := range hashes {
		for _, c := range codes {
			if strings.Contains(h, strings.ReplaceAll(c, "-", "")) {
				t.Fatalf("a hash holds its code")
			}
		}
	}
	spec().Given(patient).When(account.IssueRecoveryCodes{AccountID: acct, Hashes: hashes, At: at(2)}).ThenError(t, account.ErrTwoFactorNotEnabled)
	spec().Given(patient, enrolled).When(account.IssueRecoveryCodes{AccountID: acct, Hashes: hashes[:3], At: at(2)}).ThenError(t, account.ErrInvalidInput)
	twice := append(append([]string{}, hashes[:account.RecoveryCodeCount-1]...), hashes[0])
	spec().Given(patient, enrolled).When(account.IssueRecoveryCodes{AccountID: acct, Hashes: twice, At: at(2)}).ThenError(t, account.ErrInvalidInput)
	notHashes := append(append([]string{}, hashes[:account.RecoveryCodeCount-1]...), codes[0])
	spec().Given(patient, enrolled).When(account.IssueRecoveryCodes{AccountID: acct, Hashes: notHashes, At: at(2)}).ThenError(t, account.ErrInvalidInput)
}

func TestARecoveryCodeWorksOnceAndANewSetOrAResetRetiresTheOld(t *testing.T) {
	_, hashes := recoveryHashes(t, account.RecoveryCodeCount)
	issued := account.RecoveryCodesIssued{AccountID: acct, Hashes: hashes, At: at(2)}
	spec().Given(patient, enrolled, issued).When(account.UseRecoveryCode{AccountID: acct, Hash: hashes[3], At: at(3)}).
		Then(t, account.RecoveryCodeUsed{AccountID: acct, Hash: hashes[3], At: at(3)})
	used := account.RecoveryCodeUsed{AccountID: acct, Hash: hashes[3], At: at(3)}
	spec().Given(patient, enrolled, issued, used).When(account.UseRecoveryCode{AccountID: acct, Hash: hashes[3], At: at(4)}).ThenError(t, account.ErrRecoveryCodeUsed)
	other, _ := account.HashRecoveryCode("zzzz-zzzz-zzzz")
	spec().Given(patient, enrolled, issued).When(account.UseRecoveryCode{AccountID: acct, Hash: other, At: at(4)}).ThenError(t, account.ErrRecoveryCodeInvalid)
	reset := account.TwoFactorReset{AccountID: acct, TicketID: ticketID, AgentID: agent, At: at(4)}
	spec().Given(patient, enrolled, issued, reset).When(account.UseRecoveryCode{AccountID: acct, Hash: hashes[0], At: at(5)}).ThenError(t, account.ErrRecoveryCodeInvalid)
	_, fresh := recoveryHashes(t, account.RecoveryCodeCount)
	// The new set differs from the old in its first code: the old first code no longer works.
	fresh[0], _ = account.HashRecoveryCode("aaaa-bbbb-cccc")
	renewed := account.RecoveryCodesIssued{AccountID: acct, Hashes: fresh, At: at(5)}
	spec().Given(patient, enrolled, issued, renewed).When(account.UseRecoveryCode{AccountID: acct, Hash: hashes[0], At: at(6)}).ThenError(t, account.ErrRecoveryCodeInvalid)

	s := account.State{}
	for _, e := range []account.Event{patient, enrolled, issued, used} {
		s = account.Evolve(s, e)
	}
	if n := s.RecoveryCodesLeft(); n != account.RecoveryCodeCount-1 {
		t.Errorf("%d codes left after one was used, want %d", n, account.RecoveryCodeCount-1)
	}
}

func TestARecoveryCodeReadsBackHoweverItIsTyped(t *testing.T) {
	code, err := account.FormatRecoveryCode([]byte("abcdefghijkl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != account.RecoveryCodeLength+2 || strings.Count(code, "-") != 2 {
		t.Fatalf("code %q is not three groups of four", code)
	}
	want, _ := account.HashRecoveryCode(code)
	for _, typed := range []string{strings.ToUpper(code), strings.ReplaceAll(code, "-", ""), strings.ReplaceAll(code, "-", " "), " " + code + " "} {
		if h, err := account.HashRecoveryCode(typed); err != nil || h != want {
			t.Errorf("%q reads as a different code (%v)", typed, err)
		}
	}
	if a, _ := account.ParseRecoveryCode("0000-1111-2222"); a != "000011112222" {
		t.Errorf("canonical form %q", a)
	}
	if o, _ := account.ParseRecoveryCode("oooo-iiii-llll"); o != "000011111111" {
		t.Errorf("look-alike letters read as %q", o)
	}
	for _, bad := range []string{"", "abcd", "abcd-efgh-jkmn-p", "abcd-efgh-jku!", "ab\u00e9d-efgh-jkmn", strings.Repeat("a", 100)} {
		if _, err := account.ParseRecoveryCode(bad); err == nil {
			t.Errorf("%q read as a recovery code", bad)
		}
	}
	if _, err := account.FormatRecoveryCode([]byte("short")); err == nil {
		t.Error("a code made from too little randomness")
	}
}

func FuzzParseRecoveryCode(f *testing.F) {
	for _, s := range []string{"7kq2-mx9c-4tdr", "7KQ2MX9C4TDR", "", "oooo iiii llll", "\u00e9\u00e9\u00e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := account.ParseRecoveryCode(s)
		if err != nil {
			return
		}
		if len(c) != account.RecoveryCodeLength {
			t.Fatalf("%q parsed to %q", s, c)
		}
		// The canonical form reads back as itself, and its formatting as the same code.
		if again, err := account.ParseRecoveryCode(c); err != nil || again != c {
			t.Fatalf("%q: canonical %q reads back as %q, %v", s, c, again, err)
		}
	})
}
