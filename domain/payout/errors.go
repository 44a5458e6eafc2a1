package payout

import (
	"errors"

	"ledgerdesk/domain/check"
)

// Every rejection wraps one of these (ErrInvalidInput wraps check.ErrInvalidInput, the
// sentinel shared by every aggregate), so callers can branch with errors.Is and still show the
// wrapped message, which names the field and the reason.
var (
	ErrInvalidInput      = check.Sentinel("payout")
	ErrUnknownCommand    = errors.New("payout: unknown command")
	ErrAlreadyStarted    = errors.New("payout: run already started")
	ErrNotStarted        = errors.New("payout: no such payout run")
	ErrWrongPayout       = errors.New("payout: command is for a different payout run")
	ErrAbandoned         = errors.New("payout: run was abandoned")
	ErrAlreadyFinalised  = errors.New("payout: run is already finalised; its lines are fixed")
	ErrNotFinalised      = errors.New("payout: run is not finalised yet")
	ErrAlreadyExported   = errors.New("payout: run was already exported to a bank file")
	ErrNotExported       = errors.New("payout: run has not been exported to a bank file")
	ErrAlreadySubmitted  = errors.New("payout: run was already submitted to the bank")
	ErrNotSubmitted      = errors.New("payout: run has not been submitted to the bank")
	ErrAlreadySettled    = errors.New("payout: run is already settled")
	ErrDuplicateLine     = errors.New("payout: clinician already has a line in this run")
	ErrEarningInTwoLines = errors.New("payout: earning is already on another line")
	ErrNoLines           = errors.New("payout: run has no lines")
	ErrNoSuchLine        = errors.New("payout: clinician has no line in this run")
	ErrLineAlreadyFailed = errors.New("payout: line has already failed")
)
