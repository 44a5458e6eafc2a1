package support

import "errors"

// Rejections this layer adds to the deciders' own. Domain rejections (account.Err…,
// ticket.Err…, contact.Err…) are returned as the deciders wrap them.
var (
	ErrUnknownActor       = errors.New("the person acting has no account")
	ErrEmailTaken         = errors.New("an account with this email already exists on this site")
	ErrInvalidCredentials = errors.New("the email address or password is not right")
	ErrTwoFactorRequired  = errors.New("enter the six-digit code from your authenticator app")
	ErrWrongCode          = errors.New("the code from the authenticator app is not right")
	ErrIPBlocked          = errors.New("logins from this IP address are blocked for this account")
	ErrWrongPassword      = errors.New("the current password is not right")
	ErrNotSupportAccount  = errors.New("tickets are raised and answered from a support-site account")
	ErrNoSuchEnrolment    = errors.New("no such two-factor set-up for this account")
	ErrConfig             = errors.New("support service misconfigured")
)
