package paymentprovider

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"ledgerdesk/app"
	"ledgerdesk/domain/check"
	"ledgerdesk/domain/money"
)

// DefaultTolerance is how far a notification's timestamp may be from now.
const DefaultTolerance = 5 * time.Minute

// MaxHeaderLength bounds the signature header read; a real one is well under 1 KiB.
const MaxHeaderLength = 4096

// PaymentSucceeded is the event type that confirms a payment; others are ignored.
const PaymentSucceeded = "payment_intent.succeeded"

// Config is what a Verifier checks with.
type Config struct {
	// Provider names the provider, for the actor that records its payments ("stripe").
	Provider string
	// Secrets are the signing secrets accepted: the current one, and during a rotation the
	// previous one too. At least one is required.
	Secrets [][]byte
	// Tolerance is how far the signed timestamp may be from now; DefaultTolerance if zero.
	Tolerance time.Duration
}

// Verifier verifies notifications; it implements app.PaymentNotifications.
type Verifier struct {
	cfg Config
}

var _ app.PaymentNotifications = (*Verifier)(nil)

// New makes a Verifier.
func New(cfg Config) (*Verifier, error) {
	if strings.TrimSpace(cfg.Provider) == "" {
		return nil, errors.New("paymentprovider: Config.Provider is required")
	}
	if len(cfg.Secrets) == 0 {
		return nil, errors.New("paymentprovider: at least one secret is required")
	}
	for _, s := range cfg.Secrets {
		if len(s) == 0 {
			return nil, errors.New("paymentprovider: an empty secret")
		}
	}
	if cfg.Tolerance <= 0 {
		cfg.Tolerance = DefaultTolerance
	}
	return &Verifier{cfg: cfg}, nil
}

// Header is a parsed signature header.
type Header struct {
	Timestamp  int64
	Signatures [][]byte
}

// ErrMalformedHeader is wrapped by ParseHeader's errors; it is an unverified notification.
var ErrMalformedHeader = fmt.Errorf("%w: malformed signature header", app.ErrNotificationUnverified)

// ParseHeader reads "t=<unix seconds>,v1=<hex>[,v1=<hex>...]": exactly one t, at least one
// v1 of 32 bytes; other keys (v0, future schemes) are ignored.
func ParseHeader(h string) (Header, error) {
	if len(h) > MaxHeaderLength {
		return Header{}, fmt.Errorf("%w: %d bytes long", ErrMalformedHeader, len(h))
	}
	var out Header
	seenT := false
	for _, part := range strings.Split(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return Header{}, fmt.Errorf("%w: %q is not key=value", ErrMalformedHeader, part)
		}
		switch k {
		case "t":
			if seenT {
				return Header{}, fmt.Errorf("%w: two timestamps", ErrMalformedHeader)
			}
			t, err := strconv.ParseInt(v, 10, 64)
			if err != nil || t <= 0 || v[0] == '+' {
				return Header{}, fmt.Errorf("%w: timestamp %q", ErrMalformedHeader, v)
			}
			out.Timestamp, seenT = t, true
		case "v1":
			sig, err := hex.DecodeString(v)
			if err != nil || len(sig) != sha256.Size {
				return Header{}, fmt.Errorf("%w: v1 signature is not %d hex bytes", ErrMalformedHeader, sha256.Size)
			}
			out.Signatures = append(out.Signatures, sig)
		}
	}
	if !seenT {
		return Header{}, fmt.Errorf("%w: no timestamp (t=)", ErrMalformedHeader)
	}
	if len(out.Signatures) == 0 {
		return Header{}, fmt.Errorf("%w: no v1 signature", ErrMalformedHeader)
	}
	return out, nil
}

// Sign is the header a provider would send for body at t, signed with secret: for tests and
// for clients that simulate the provider.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := t.Unix()
	return fmt.Sprintf("t=%d,v1=%s", ts, hex.EncodeToString(mac(secret, ts, body)))
}

func mac(secret []byte, ts int64, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// VerifySignature checks the header against the raw body at now: some v1 signature made
// with some configured secret, and a timestamp within the tolerance.
func (v *Verifier) VerifySignature(header string, body []byte, now time.Time) error {
	h, err := ParseHeader(header)
	if err != nil {
		return err
	}
	signed := time.Unix(h.Timestamp, 0)
	if d := now.Sub(signed); d > v.cfg.Tolerance || d < -v.cfg.Tolerance {
		return fmt.Errorf("%w: signed at %s, %s from now; the tolerance is %s", app.ErrNotificationUnverified,
			signed.UTC().Format(time.RFC3339), d.Round(time.Second), v.cfg.Tolerance)
	}
	ok := 0
	for _, secret := range v.cfg.Secrets {
		want := mac(secret, h.Timestamp, body)
		for _, sig := range h.Signatures {
			// Every comparison is made, in constant time, so the time taken says nothing.
			ok |= subtleEqual(want, sig)
		}
	}
	if ok == 0 {
		return fmt.Errorf("%w: no signature matches the body", app.ErrNotificationUnverified)
	}
	return nil
}

func subtleEqual(a, b []byte) int {
	if hmac.Equal(a, b) {
		return 1
	}
	return 0
}

// event is the part of the provider's notification read: a payment intent that succeeded,
// its amount in pence and currency, and the invoice it pays (from the metadata the payment
// was created with).
type event struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Created int64  `json:"created"`
	Data    struct {
		Object struct {
			ID       string            `json:"id"`
			Amount   int64             `json:"amount"`
			Currency string            `json:"currency"`
			Metadata map[string]string `json:"metadata"`
		} `json:"object"`
	} `json:"data"`
}

// Verify checks the signature and only then reads the body; see app.PaymentNotifications.
func (v *Verifier) Verify(header string, body []byte, now time.Time) (app.PaymentConfirmation, error) {
	if err := v.VerifySignature(header, body, now); err != nil {
		return app.PaymentConfirmation{}, err
	}
	var e event
	if err := json.Unmarshal(body, &e); err != nil {
		return app.PaymentConfirmation{}, check.Failf(nil, "body", "not a notification: %v", err)
	}
	if e.ID == "" {
		return app.PaymentConfirmation{}, check.Failf(nil, "id", "the notification has no event id")
	}
	if e.Type != PaymentSucceeded {
		return app.PaymentConfirmation{}, fmt.Errorf("%w: event %s is a %q", app.ErrNotificationIgnored, e.ID, e.Type)
	}
	o := e.Data.Object
	switch {
	case !strings.EqualFold(o.Currency, "gbp"):
		return app.PaymentConfirmation{}, check.Failf(nil, "data.object.currency", "%q is not gbp", o.Currency)
	case o.Amount <= 0:
		return app.PaymentConfirmation{}, check.Failf(nil, "data.object.amount", "%d pence is not a payment", o.Amount)
	case e.Created <= 0:
		return app.PaymentConfirmation{}, check.Failf(nil, "created", "no time given")
	}
	return app.PaymentConfirmation{
		Provider:  v.cfg.Provider,
		EventID:   e.ID,
		InvoiceID: o.Metadata["invoice_id"],
		PaymentID: o.ID,
		Amount:    money.FromPence(o.Amount),
		At:        time.Unix(e.Created, 0).UTC(),
	}, nil
}
