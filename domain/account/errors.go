package account

import (
	"errors"

	"ledgerdesk/domain/check"
)

// Rejections (ErrInvalidInput wraps check.ErrInvalidInput, shared by every aggregate). Each is wrapped with the field and the reason; test with errors.Is.
var (
	ErrInvalidInput        = check.Sentinel("account")
	ErrUnknownCommand      = errors.New("unknown account command")
	ErrAccountNotFound     = errors.New("no such account")
	ErrAlreadyRegistered   = errors.New("account already registered")
	ErrWeakPassword        = errors.New("password does not meet the policy")
	ErrResetTokenInvalid   = errors.New("password reset link is not valid")
	ErrResetTokenUsed      = errors.New("password reset link has already been used")
	ErrResetTokenExpired   = errors.New("password reset link has expired")
	ErrResetTokenReplaced  = errors.New("password reset link has been replaced by a newer one")
	ErrTwoFactorEnrolled   = errors.New("two-factor authentication is already set up")
	ErrRecoveryCodeInvalid = errors.New("not a recovery code of this account")
	ErrRecoveryCodeUsed    = errors.New("recovery code already used")
	ErrTwoFactorNotEnabled = errors.New("two-factor authentication is not set up")
	ErrIPAlreadyBlocked    = errors.New("IP address is already blocked")
	ErrIPNotBlocked        = errors.New("IP address is not blocked")
	ErrNotAccountOwner     = errors.New("only the account holder can do this")
	ErrWrongRealm          = errors.New("not possible for an account in this realm")
	ErrGrantExists         = errors.New("support access grant already exists")
	ErrGrantTooLong        = errors.New("support access may be granted for at most 72 hours")
	ErrGrantNotFound       = errors.New("no such support access grant")
	ErrGrantRevoked        = errors.New("support access grant already revoked")
	ErrNoActiveGrant       = errors.New("no active support access grant")
	ErrGrantExpired        = errors.New("support access grant has expired")
	ErrScopeNotGranted     = errors.New("support access grant does not allow this")
	ErrNotAClinician       = errors.New("only clinicians have payee bank details")
	// ErrReauthenticationRequired says a change to bank details needs the holder's
	// password and authenticator code again.
	ErrReauthenticationRequired = errors.New("enter your password and authenticator code again to change your bank details")
)
