package paymentprovider_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ledgerdesk/adapters/paymentprovider"
	"ledgerdesk/app"
	"ledgerdesk/domain/check"
	"ledgerdesk/domain/money"
)

var (
	now    = time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	secret = []byte("whsec_current")
	old    = []byte("whsec_previous")
)

func body(eventType string) []byte {
	return []byte(fmt.Sprintf(`{"id":"evt_1","type":%q,"created":%d,"data":{"object":{"id":"pi_1","amount":12345,"currency":"gbp","metadata":{"invoice_id":"inv-1"}}}}`,
		eventType, now.Add(-time.Minute).Unix()))
}

func verifier(t *testing.T, secrets ...[]byte) *paymentprovider.Verifier {
	t.Helper()
	v, err := paymentprovider.New(paymentprovider.Config{Provider: "stripe", Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestAGenuineNotificationConfirmsThePayment(t *testing.T) {
	b := body(paymentprovider.PaymentSucceeded)
	c, err := verifier(t, secret).Verify(paymentprovider.Sign(secret, now, b), b, now)
	if err != nil {
		t.Fatal(err)
	}
	want := app.PaymentConfirmation{Provider: "stripe", EventID: "evt_1", InvoiceID: "inv-1", PaymentID: "pi_1",
		Amount: money.FromPence(12345), At: now.Add(-time.Minute)}
	if c.Provider != want.Provider || c.EventID != want.EventID || c.InvoiceID != want.InvoiceID || c.PaymentID != want.PaymentID ||
		!c.Amount.Equal(want.Amount) || !c.At.Equal(want.At) {
		t.Fatalf("confirmation %+v, want %+v", c, want)
	}
}

func TestRefusedNotifications(t *testing.T) {
	b := body(paymentprovider.PaymentSucceeded)
	good := paymentprovider.Sign(secret, now, b)
	sig := good[strings.Index(good, "v1=")+3:]
	flipped := []byte(sig)
	if flipped[0] == '0' {
		flipped[0] = '1'
	} else {
		flipped[0] = '0'
	}
	tampered := strings.Replace(string(b), "12345", "99999", 1)
	cases := []struct {
		name   string
		header string
		body   []byte
	}{
		{"stale: signed six minutes ago", paymentprovider.Sign(secret, now.Add(-6*time.Minute), b), b},
		{"from the future: signed six minutes ahead", paymentprovider.Sign(secret, now.Add(6*time.Minute), b), b},
		{"tampered body", good, []byte(tampered)},
		{"tampered signature", fmt.Sprintf("t=%d,v1=%s", now.Unix(), flipped), b},
		{"another timestamp than the one signed", fmt.Sprintf("t=%d,v1=%s", now.Unix()-1, sig), b},
		{"wrong secret", paymentprovider.Sign([]byte("whsec_someone_else"), now, b), b},
		{"no header", "", b},
		{"no signature", fmt.Sprintf("t=%d", now.Unix()), b},
		{"only a v0 signature", fmt.Sprintf("t=%d,v0=%s", now.Unix(), sig), b},
		{"no timestamp", "v1=" + sig, b},
		{"two timestamps", fmt.Sprintf("t=%d,t=%d,v1=%s", now.Unix(), now.Unix(), sig), b},
		{"garbage", "Bearer abc", b},
		{"short signature", fmt.Sprintf("t=%d,v1=abcd", now.Unix()), b},
		{"non-hex signature", fmt.Sprintf("t=%d,v1=%s", now.Unix(), strings.Repeat("zz", 32)), b},
		{"negative timestamp", fmt.Sprintf("t=-%d,v1=%s", now.Unix(), sig), b},
	}
	v := verifier(t, secret)
	for _, c := range cases {
		if _, err := v.Verify(c.header, c.body, now); !errors.Is(err, app.ErrNotificationUnverified) {
			t.Errorf("%s: %v, want ErrNotificationUnverified", c.name, err)
		}
	}
	// Just inside the tolerance either way is accepted.
	for _, at := range []time.Time{now.Add(-5 * time.Minute), now.Add(5 * time.Minute)} {
		if _, err := v.Verify(paymentprovider.Sign(secret, at, b), b, now); err != nil {
			t.Errorf("signed at %s, within the tolerance: %v", at, err)
		}
	}
}

// While a secret is rotated the provider signs with both (two v1 signatures), and the
// practice may accept both secrets.
func TestSecretRotation(t *testing.T) {
	b := body(paymentprovider.PaymentSucceeded)
	signedOld, signedNew := paymentprovider.Sign(old, now, b), paymentprovider.Sign(secret, now, b)
	both := signedOld + "," + signedNew[strings.Index(signedNew, "v1="):]
	if _, err := verifier(t, secret).Verify(both, b, now); err != nil {
		t.Errorf("two v1 signatures, one with the current secret: %v", err)
	}
	if _, err := verifier(t, old).Verify(both, b, now); err != nil {
		t.Errorf("two v1 signatures, one with the previous secret: %v", err)
	}
	if _, err := verifier(t, secret, old).Verify(signedOld, b, now); err != nil {
		t.Errorf("signed with the previous secret while both are accepted: %v", err)
	}
	if _, err := verifier(t, secret).Verify(signedOld, b, now); !errors.Is(err, app.ErrNotificationUnverified) {
		t.Errorf("signed with a retired secret: %v", err)
	}
}

func TestAGenuineNotificationThatConfirmsNoPayment(t *testing.T) {
	v := verifier(t, secret)
	b := body("customer.created")
	if _, err := v.Verify(paymentprovider.Sign(secret, now, b), b, now); !errors.Is(err, app.ErrNotificationIgnored) {
		t.Errorf("another event type: %v, want ErrNotificationIgnored", err)
	}
	for name, b := range map[string][]byte{
		"not JSON":      []byte(`not json`),
		"no event id":   []byte(`{"type":"payment_intent.succeeded"}`),
		"in dollars":    []byte(strings.Replace(string(body(paymentprovider.PaymentSucceeded)), `"gbp"`, `"usd"`, 1)),
		"nothing paid":  []byte(strings.Replace(string(body(paymentprovider.PaymentSucceeded)), `12345`, `0`, 1)),
		"refund amount": []byte(strings.Replace(string(body(paymentprovider.PaymentSucceeded)), `12345`, `-5`, 1)),
	} {
		if _, err := v.Verify(paymentprovider.Sign(secret, now, b), b, now); !errors.Is(err, check.ErrInvalidInput) {
			t.Errorf("%s: %v, want check.ErrInvalidInput", name, err)
		}
	}
}

func TestNewNeedsAProviderAndASecret(t *testing.T) {
	for _, cfg := range []paymentprovider.Config{{Secrets: [][]byte{secret}}, {Provider: "stripe"}, {Provider: "stripe", Secrets: [][]byte{{}}}} {
		if _, err := paymentprovider.New(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}
