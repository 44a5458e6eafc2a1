package invoice

import (
	"errors"

	"ledgerdesk/domain/check"
)

// Every rejection wraps one of these (ErrInvalidInput wraps check.ErrInvalidInput, the
// sentinel shared by every aggregate), so callers can branch with errors.Is and still show the
// wrapped message, which names the field and the reason.
var (
	ErrInvalidInput     = check.Sentinel("invoice")
	ErrUnknownCommand   = errors.New("invoice: unknown command")
	ErrAlreadyRaised    = errors.New("invoice: already raised")
	ErrNotRaised        = errors.New("invoice: no such invoice has been raised")
	ErrWrongInvoice     = errors.New("invoice: command is for a different invoice")
	ErrDuplicateItem    = errors.New("invoice: billable item already on the invoice")
	ErrAlreadyIssued    = errors.New("invoice: already issued")
	ErrNoItems          = errors.New("invoice: invoice has no billable items")
	ErrNotIssued        = errors.New("invoice: invoice has not been issued")
	ErrInvoiceVoided    = errors.New("invoice: invoice is voided")
	ErrDuplicatePayment = errors.New("invoice: payment already recorded")
	ErrOverpayment      = errors.New("invoice: payment exceeds what is outstanding")
	ErrPaymentsExist    = errors.New("invoice: payments have been recorded against the invoice")
)
