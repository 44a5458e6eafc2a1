package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"ledgerdesk/adapters/paymentprovider"
	"ledgerdesk/app"
)

// NotificationsPath is where the payment provider posts its signed notifications.
const NotificationsPath = "/api/v1/payment-provider/notifications"

// SignatureHeader carries a notification's signature (t=<unix>,v1=<hex HMAC-SHA256>).
const SignatureHeader = "Stripe-Signature"

// MaxNotificationBody bounds a notification's body: a provider's event is a few KiB.
const MaxNotificationBody = 256 << 10

// NotificationResult is what the API did with a verified notification.
type NotificationResult struct {
	EventID string `json:"event_id,omitempty" doc:"The provider's event id"`
	// Recorded says a payment is recorded for the event: now, or (Replayed) by an earlier
	// delivery of the same event.
	Recorded  bool     `json:"recorded"`
	Replayed  bool     `json:"replayed" doc:"The event was delivered before: the payment was recorded then, not again"`
	InvoiceID string   `json:"invoice_id,omitempty"`
	Events    []string `json:"events" doc:"Types of the events the payment recorded"`
	Ignored   string   `json:"ignored,omitempty" doc:"Why a genuine notification recorded nothing (it confirms no payment)"`
}

type notificationInput struct {
	Signature string `header:"Stripe-Signature" maxLength:"4096" doc:"t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\"> (several v1 while a secret is rotated)"`
	RawBody   []byte `contentType:"application/json"`
}

type notificationOutput struct{ Body NotificationResult }

// notifications is the verifier the endpoint uses: the configured port, else one built on
// the configured secret; nil leaves the endpoint out.
func notifications(cfg Config) (app.PaymentNotifications, error) {
	if cfg.PaymentNotifications != nil {
		return cfg.PaymentNotifications, nil
	}
	if len(cfg.PaymentWebhookSecret) == 0 {
		return nil, nil
	}
	return paymentprovider.New(paymentprovider.Config{Provider: "stripe", Secrets: [][]byte{cfg.PaymentWebhookSecret}})
}

// registerPaymentProvider adds the endpoint the payment provider confirms payments
// through. It takes no bearer token: the signature over the raw body, verified before the
// body is read as JSON, is the credential. The payment is recorded through the
// application layer as the provider (the system), with a command id derived from the
// provider's event id, so a redelivered notification is a harmless replay.
func (a *API) registerPaymentProvider(v app.PaymentNotifications) {
	o := op(http.MethodPost, NotificationsPath, "payment-provider-notification",
		"Record a payment the payment provider confirmed (a signed notification)", "payments", http.StatusOK)
	o.Description = "Called by the payment provider, not by people: no bearer token, the " + SignatureHeader +
		" header signs the raw body. Stale (more than 5 minutes either way), tampered or unsigned notifications are refused with 401."
	o.Security = []map[string][]string{}
	o.MaxBodyBytes = MaxNotificationBody
	// The raw body is the signed document: nothing parses it before the signature is verified.
	o.SkipValidateBody = true
	o.Errors = append(o.Errors, http.StatusRequestEntityTooLarge)
	huma.Register(a.huma, o, func(ctx context.Context, in *notificationInput) (*notificationOutput, error) {
		c, err := v.Verify(in.Signature, in.RawBody, a.now())
		if errors.Is(err, app.ErrNotificationIgnored) {
			return &notificationOutput{Body: NotificationResult{Events: []string{}, Ignored: err.Error()}}, nil
		}
		if err != nil {
			a.log.WarnContext(ctx, "payment notification refused", "err", err, "ip", requestOf(ctx).ip)
			return nil, a.queryError(ctx, err)
		}
		res, err := a.cfg.App.RecordConfirmedPayment(ctx, app.HTTP, requestOf(ctx).correlationID, c)
		if err != nil {
			return nil, a.queryError(ctx, err)
		}
		return &notificationOutput{Body: NotificationResult{EventID: c.EventID, Recorded: true, Replayed: res.Replayed,
			InvoiceID: c.InvoiceID, Events: res.EventTypes()}}, nil
	})
}
