package app

import (
	"testing"
	"time"

	"ledgerdesk/domain/money"
)

// Every delivery of one provider event is one command; two events are two.
func TestAConfirmationsCommandIDIsItsEvents(t *testing.T) {
	c := PaymentConfirmation{Provider: "stripe", EventID: "evt_1", InvoiceID: "inv-1", PaymentID: "pi_1",
		Amount: money.GBP("10.00"), At: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)}
	id := ConfirmationCommandID(c)
	if id.Version() != 7 {
		t.Fatalf("command id %s is not a UUIDv7", id)
	}
	if again := ConfirmationCommandID(c); again != id {
		t.Fatalf("the same event gave %s, then %s", id, again)
	}
	other := c
	other.EventID = "evt_2"
	if ConfirmationCommandID(other) == id {
		t.Fatal("two events share a command id")
	}
	other = c
	other.Provider = "another"
	if ConfirmationCommandID(other) == id {
		t.Fatal("two providers' events share a command id")
	}
}
