package app

import (
	"context"
	"errors"
	"fmt"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	cpayouts "ledgerdesk/commands/payouts"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/check"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/domain/v1item"
	"ledgerdesk/projections/invoices"
	ppayouts "ledgerdesk/projections/payouts"
	psupport "ledgerdesk/projections/support"
)

// Class is what kind of failure an error is, for every door alike: the HTTP API turns it
// into a status and problem type, the CLI into its message and exit status, the metrics
// into an outcome label.
type Class string

const (
	Invalid         Class = "validation"
	Rejected        Class = "rejected"
	NotFound        Class = "not-found"
	Conflict        Class = "conflict"
	VersionMismatch Class = "version-mismatch"
	Forbidden       Class = "forbidden"
	Unauthenticated Class = "unauthenticated"
	CommandIDReused Class = "idempotency-key-reused"
	Cancelled       Class = "cancelled"
	Internal        Class = "internal"
)

// ErrVersionMismatch is matched by every *VersionMismatchError.
var ErrVersionMismatch = errors.New("the record has changed since it was read")

// ErrUnchecked says an operation whose rule depends on whose record it is returned without
// checking: a defect, refused rather than let through.
var ErrUnchecked = errors.New("operation did not check whose record it acted on")

// VersionMismatchError says a command was sent against a version of its stream that is no
// longer current (HTTP If-Match), and what the current version is.
type VersionMismatchError struct {
	Stream   string
	Expected uint64
	Current  uint64
}

func (e *VersionMismatchError) Error() string {
	return fmt.Sprintf("%s: %s was read at version %d, it is now at version %d", ErrVersionMismatch, e.Stream, e.Expected, e.Current)
}

func (e *VersionMismatchError) Unwrap() error { return ErrVersionMismatch }

// classes maps the sentinel errors of the layers below; errors.Is finds them however
// wrapped. The first match wins.
var classes = []struct {
	err   error
	class Class
}{
	{authz.ErrUnauthenticated, Unauthenticated},
	{authz.ErrForbidden, Forbidden},
	{ErrNotificationUnverified, Unauthenticated},
	{ErrNotificationIgnored, Rejected},
	{ErrVersionMismatch, VersionMismatch},
	// Every field rule of every aggregate, and bad metadata, wraps the one sentinel.
	{check.ErrInvalidInput, Invalid},
	{money.ErrInvalidAmount, Invalid},
	{commands.ErrContended, Conflict},
	{commands.ErrCommandIDReused, CommandIDReused},
	{commands.ErrAlreadyClaimed, Conflict},

	{appointment.ErrUnknownCommand, Invalid},
	{appointment.ErrWrongAppointment, Invalid},
	{appointment.ErrAlreadyBooked, Conflict},
	{appointment.ErrNotBooked, NotFound},
	{appointment.ErrCancelled, Conflict},
	{appointment.ErrAlreadyCompleted, Conflict},
	{appointment.ErrNotCompleted, Conflict},
	{appointment.ErrFormAlreadySubmitted, Conflict},
	{appointment.ErrNotYourAppointment, Forbidden},

	{invoice.ErrUnknownCommand, Invalid},
	{invoice.ErrWrongInvoice, Invalid},
	{invoice.ErrAlreadyRaised, Conflict},
	{invoice.ErrNotRaised, NotFound},
	{invoice.ErrDuplicateItem, Conflict},
	{invoice.ErrAlreadyIssued, Conflict},
	{invoice.ErrNoItems, Rejected},
	{invoice.ErrNotIssued, Conflict},
	{invoice.ErrInvoiceVoided, Conflict},
	{invoice.ErrDuplicatePayment, Conflict},
	{invoice.ErrOverpayment, Rejected},
	{invoice.ErrPaymentsExist, Conflict},
	{invoices.ErrNotFound, NotFound},

	{ppayouts.ErrNotFound, NotFound},
	{cpayouts.ErrNothingToPay, Rejected},
	{cpayouts.ErrCutoffMismatch, Conflict},
	{cpayouts.ErrPayeeErased, Rejected},

	{v1item.ErrUnknownCommand, Invalid},
	{v1item.ErrNotImported, NotFound},
	{v1item.ErrAlreadyTickedOff, Conflict},
	{v1item.ErrNotTickedOff, Conflict},
	{v1item.ErrSettledInV1, Conflict},

	{support.ErrUnknownActor, Rejected},
	{support.ErrEmailTaken, Conflict},
	{support.ErrResetLinkGone, Rejected},
	{account.ErrAccountNotFound, NotFound},
	{account.ErrWeakPassword, Invalid},
	{account.ErrResetTokenInvalid, Rejected},
	{account.ErrResetTokenUsed, Rejected},
	{account.ErrResetTokenExpired, Rejected},
	{account.ErrResetTokenReplaced, Rejected},
	{support.ErrNotSupportAccount, Rejected},
	// A bank details change whose re-authentication failed is refused, not a sign-out:
	// the caller's session is fine, the secrets they typed again were not.
	{support.ErrWrongPassword, Rejected},
	{support.ErrWrongCode, Rejected},
	{support.ErrTwoFactorRequired, Rejected},
	{support.ErrTwoFactorNeeded, Rejected},
	{support.ErrStaffTwoFactor, Forbidden},
	{account.ErrReauthenticationRequired, Rejected},
	{account.ErrNotAClinician, Rejected},
	{account.ErrNotAccountOwner, Forbidden},
	{account.ErrAccountNotFound, NotFound},
	{psupport.ErrNotFound, NotFound},
	{ErrNoHelpArticle, NotFound},
	{ErrNoBlockedIP, Rejected},
	{ErrNotBlocking, Rejected},
	{ticket.ErrTicketNotFound, NotFound},
	{ticket.ErrUnknownCommand, Invalid},
	{ticket.ErrNotYourTicket, Forbidden},
	{ticket.ErrAgentsOnly, Forbidden},
	{ticket.ErrNotAssignedAgent, Forbidden},
	{ticket.ErrTicketClosed, Conflict},
	{ticket.ErrInvalidTransition, Conflict},
	{ticket.ErrReopenWindowPassed, Conflict},
	{ticket.ErrTooManyMessages, Rejected},

	{context.Canceled, Cancelled},
	{context.DeadlineExceeded, Cancelled},
}

// ClassOf says what kind of failure err is; an error nobody below named is Internal, and
// its text is for the logs, not for the person who asked.
func ClassOf(err error) Class {
	if err == nil {
		return ""
	}
	if unavailable(err) { // first: a failed connection wraps its deadline (unavailable.go)
		return Unavailable
	}
	for _, c := range classes {
		if errors.Is(err, c.err) {
			return c.class
		}
	}
	return Internal
}

// ErrNoBlockedIP: the ticket is not about a blocked address, or carries none.
var ErrNoBlockedIP = errors.New("this ticket carries no blocked IP address")

// ErrNotBlocking: the account named does not block the ticket's address (now).
var ErrNotBlocking = errors.New("the account does not block the ticket's address")
