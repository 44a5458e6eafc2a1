package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
)

// PaymentConfirmation is a payment a payment provider has confirmed, read from a
// notification whose signature has been verified.
type PaymentConfirmation struct {
	// Provider names the provider ("stripe"); the payment is recorded as provider:<name>.
	Provider string
	// EventID is the provider's id for the notification: a notification delivered again
	// carries the same id, and is recorded once.
	EventID string
	// InvoiceID is the invoice the payment is for, PaymentID the provider's reference for
	// the payment itself.
	InvoiceID string
	PaymentID string
	Amount    money.Amount
	// At is when the provider says the payment was made.
	At time.Time
}

// PaymentNotifications verifies a payment provider's notification: its signature header
// and its raw body, as received, at now. A notification that is not the provider's, has
// been changed, or is stale is refused with an error wrapping ErrNotificationUnverified; a
// genuine one that confirms no payment (another kind of event) with ErrNotificationIgnored;
// a genuine one that does not make sense with check.ErrInvalidInput.
type PaymentNotifications interface {
	Verify(header string, body []byte, now time.Time) (PaymentConfirmation, error)
}

var (
	// ErrNotificationUnverified says a notification's signature did not verify: missing,
	// made with another secret, over another body, or outside the tolerance.
	ErrNotificationUnverified = errors.New("payment notification not verified")
	// ErrNotificationIgnored says a verified notification confirms no payment.
	ErrNotificationIgnored = errors.New("payment notification confirms no payment")
)

// ConfirmationCommandID is the command id a confirmation is recorded under: derived from
// the provider's name and event id (with the payment's time as its UUIDv7 timestamp), the
// same for every delivery of the event, so a replayed notification replays the command
// instead of recording the payment twice.
func ConfirmationCommandID(c PaymentConfirmation) uuid.UUID {
	var cause uuid.UUID
	ms := uint64(max(c.At.UnixMilli(), 0))
	for i := range 6 {
		cause[i] = byte(ms >> (8 * (5 - i)))
	}
	return commands.DerivedCommandID(cause, "payment provider "+c.Provider+" event "+c.EventID)
}

// RecordConfirmedPayment records the payment a provider confirmed, through the same
// invoice.record_payment row as the accounts department, acting as the provider
// (authz.ProviderActor). correlationID ties it to the request that brought it; zero for a
// fresh one.
func (a *App) RecordConfirmedPayment(ctx context.Context, door Door, correlationID uuid.UUID, c PaymentConfirmation) (Outcome, error) {
	if c.Provider == "" || c.EventID == "" {
		return Outcome{}, fmt.Errorf("%w: a payment confirmation needs its provider and event id", ErrNotificationUnverified)
	}
	call := Call{Actor: authz.ProviderActor(c.Provider), Door: door, CommandID: ConfirmationCommandID(c), CorrelationID: correlationID}
	return a.Execute(ctx, call, invoice.RecordPayment{InvoiceID: c.InvoiceID, PaymentID: c.PaymentID, Amount: c.Amount, At: c.At})
}
