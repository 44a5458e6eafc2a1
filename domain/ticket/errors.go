package ticket

import (
	"errors"

	"ledgerdesk/domain/check"
)

// Rejections (ErrInvalidInput wraps check.ErrInvalidInput, shared by every aggregate). Each is wrapped with the field or the situation; test with errors.Is.
var (
	ErrInvalidInput            = check.Sentinel("ticket")
	ErrUnknownCommand          = errors.New("unknown ticket command")
	ErrTicketNotFound          = errors.New("no such ticket")
	ErrAlreadyOpened           = errors.New("ticket already opened")
	ErrTicketClosed            = errors.New("ticket is closed")
	ErrNotYourTicket           = errors.New("not your ticket")
	ErrAgentsOnly              = errors.New("only a support agent can do this")
	ErrInvalidTransition       = errors.New("status change not allowed")
	ErrReopenWindowPassed      = errors.New("ticket was solved too long ago to reopen")
	ErrTooManyMessages         = errors.New("ticket has too many messages")
	ErrTooManyAttachments      = errors.New("ticket has too many attachments")
	ErrDuplicateAttachment     = errors.New("attachment already on this ticket")
	ErrUnsupportedContentType  = errors.New("file type not accepted")
	ErrAttachmentTooLarge      = errors.New("file too large")
	ErrAttachmentNotFound      = errors.New("no such attachment on this ticket")
	ErrDocumentDestroyed       = errors.New("document has been destroyed")
	ErrDocumentExpired         = errors.New("document has expired")
	ErrNotAssignedAgent        = errors.New("only the agent handling the ticket can do this")
	ErrNotTwoFactorReset       = errors.New("identity is verified only on two-factor reset tickets")
	ErrNoIdentityDocument      = errors.New("no accepted identity document attached")
	ErrDocumentNotViewed       = errors.New("identity document not yet viewed")
	ErrReasonRequired          = errors.New("a rejection must say why")
	ErrIdentityAlreadyVerified = errors.New("identity already verified")
)
