package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"ledgerdesk/adapters/paymentprovider"
	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/domain/invoice"
)

var webhookSecret = []byte("whsec_test_secret")

// notify posts a notification as the payment provider would: no token, a signature header.
func (e *env) notify(header string, body []byte) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest("POST", e.srv.URL+NotificationsPath, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if header != "" {
		req.Header.Set(SignatureHeader, header)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	e.mu.Lock()
	e.seen = append(e.seen, exchange{method: "POST", path: NotificationsPath, status: res.StatusCode, contentType: res.Header.Get("Content-Type"), body: b})
	e.mu.Unlock()
	return res, b
}

func succeeded(eventID, invoiceID string, pence int64) []byte {
	return []byte(fmt.Sprintf(`{"id":%q,"type":"payment_intent.succeeded","created":%d,"data":{"object":{"id":"pi_%s","amount":%d,"currency":"gbp","metadata":{"invoice_id":%q}}}}`,
		eventID, start.Unix(), eventID, pence, invoiceID))
}

// version is the invoice stream's version: what was appended to it.
func (e *env) version(t *testing.T, invoiceID string) uint64 {
	t.Helper()
	_, v, err := commands.Load(context.Background(), e.deps, invoice.Decider, invoice.StreamID(invoiceID))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A payment is recorded by the accounts department or from the provider's signed
// confirmation, never on the payer's own word.
func TestAPatientCannotRecordTheirOwnPayment(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	id := e.issuedInvoice(t)
	before := e.version(t, id)
	res, body := e.do(authz.Patient, "POST", "/api/v1/invoices/"+id+"/payments", map[string]any{"payment_id": "pay-1", "amount": "100.00"})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("a patient recording a payment on their own invoice: status %d, want 403: %s", res.StatusCode, body)
	}
	if v := e.version(t, id); v != before {
		t.Fatalf("the refused payment appended %d events", v-before)
	}
	// Without a secret there is no provider endpoint at all.
	if res, body := e.notify(paymentprovider.Sign(webhookSecret, time.Now(), succeeded("evt_1", id, 10000)), succeeded("evt_1", id, 10000)); res.StatusCode != http.StatusNotFound {
		t.Fatalf("the provider endpoint without a secret: status %d, want 404: %s", res.StatusCode, body)
	}
}

func TestTheProvidersSignedConfirmationRecordsThePaymentOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *Config) { c.PaymentWebhookSecret = webhookSecret })
	id := e.issuedInvoice(t)
	issued := e.version(t, id)
	b := succeeded("evt_paid_1", id, 10000)

	refused := []struct {
		name   string
		header string
		body   []byte
		status int
	}{
		{"unsigned", "", b, http.StatusUnauthorized},
		{"stale", paymentprovider.Sign(webhookSecret, time.Now().Add(-10*time.Minute), b), b, http.StatusUnauthorized},
		{"from the future", paymentprovider.Sign(webhookSecret, time.Now().Add(10*time.Minute), b), b, http.StatusUnauthorized},
		{"tampered body", paymentprovider.Sign(webhookSecret, time.Now(), b), succeeded("evt_paid_1", id, 1), http.StatusUnauthorized},
		{"wrong secret", paymentprovider.Sign([]byte("whsec_attacker"), time.Now(), b), b, http.StatusUnauthorized},
		{"malformed header", "t=now,v1=beef", b, http.StatusUnauthorized},
		{"too large", paymentprovider.Sign(webhookSecret, time.Now(), b), bytes.Repeat([]byte(" "), MaxNotificationBody+1), http.StatusRequestEntityTooLarge},
	}
	for _, c := range refused {
		res, body := e.notify(c.header, c.body)
		if res.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, res.StatusCode, c.status, body)
		}
	}
	if v := e.version(t, id); v != issued {
		t.Fatalf("refused notifications appended %d events", v-issued)
	}

	res, body := e.notify(paymentprovider.Sign(webhookSecret, time.Now(), b), b)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("a signed confirmation: status %d: %s", res.StatusCode, body)
	}
	got := decode[NotificationResult](t, body)
	if !got.Recorded || got.Replayed || strings.Join(got.Events, " ") != "invoice.payment_recorded.v1 invoice.paid_in_full.v1" {
		t.Fatalf("a signed confirmation: %+v", got)
	}
	paid := e.version(t, id)
	if paid != issued+2 {
		t.Fatalf("the confirmation appended %d events, want 2", paid-issued)
	}
	// The provider delivers the same event again, freshly signed: a replay, nothing new.
	res, body = e.notify(paymentprovider.Sign(webhookSecret, time.Now(), b), b)
	if res.StatusCode != http.StatusOK || !decode[NotificationResult](t, body).Replayed {
		t.Fatalf("a redelivered confirmation: status %d: %s", res.StatusCode, body)
	}
	if v := e.version(t, id); v != paid {
		t.Fatalf("the redelivery appended %d events", v-paid)
	}
	s, _, err := commands.Load(context.Background(), e.deps, invoice.Decider, invoice.StreamID(id))
	if err != nil || s.Status != invoice.StatusPaid || len(s.Payments) != 1 {
		t.Fatalf("invoice after the confirmation: %+v %v", s, err)
	}
	// A genuine notification of another kind records nothing.
	other := []byte(`{"id":"evt_other","type":"customer.created","created":1}`)
	res, body = e.notify(paymentprovider.Sign(webhookSecret, time.Now(), other), other)
	if res.StatusCode != http.StatusOK || decode[NotificationResult](t, body).Recorded {
		t.Fatalf("another kind of event: status %d: %s", res.StatusCode, body)
	}
	e.checkContract(t)
}
