package account

import (
	"fmt"
	"time"

	"ledgerdesk/domain/check"
	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/modulus"
)

// Decide turns a command into events, or a rejection with no events.
func Decide(s State, c Command) ([]Event, error) {
	switch c := c.(type) {
	case Register:
		return register(s, c)
	case UpdateProfile:
		return updateProfile(s, c)
	case SetPostalAddress:
		return setPostalAddress(s, c)
	case ChangePassword:
		return changePassword(s, c)
	case RequestPasswordReset:
		return requestPasswordReset(s, c)
	case CompletePasswordReset:
		return completePasswordReset(s, c)
	case EnrolTwoFactor:
		return enrolTwoFactor(s, c)
	case ResetTwoFactor:
		return resetTwoFactor(s, c)
	case BlockIP:
		return blockIP(s, c)
	case UnblockIP:
		return unblockIP(s, c)
	case GrantSupportAccess:
		return grantSupportAccess(s, c)
	case RevokeSupportAccess:
		return revokeSupportAccess(s, c)
	case ChangePasswordAsSupport:
		return changePasswordAsSupport(s, c)
	case StartLogInAs:
		return startLogInAs(s, c)
	case RecordSupportAction:
		return recordSupportAction(s, c)
	case SetPayeeBankDetails:
		return setPayeeBankDetails(s, c)
	case IssueRecoveryCodes:
		return issueRecoveryCodes(s, c)
	case UseRecoveryCode:
		return useRecoveryCode(s, c)
	}
	return nil, fmt.Errorf("%w: %T", ErrUnknownCommand, c)
}

func register(s State, c Register) ([]Event, error) {
	if err := firstErr(checkID("account_id", c.AccountID), checkAt("at", c.At)); err != nil {
		return nil, err
	}
	if s.Registered() {
		return nil, fmt.Errorf("%w: field account_id: this account already exists", ErrAlreadyRegistered)
	}
	realm, err := ParseRealm(string(c.Realm))
	if err != nil {
		return nil, err
	}
	role, err := ParseRole(realm, string(c.Role))
	if err != nil {
		return nil, err
	}
	email, err := contact.ParseEmail(c.Email)
	if err != nil {
		return nil, invalid(err)
	}
	name, err := contact.ParseName(c.Name)
	if err != nil {
		return nil, invalid(err)
	}
	events := []Event{Registered{AccountID: c.AccountID, Realm: realm, Role: role, Email: email, Name: name, At: c.At}}
	if c.Password != "" {
		if err := CheckPassword(c.Password, email, name); err != nil {
			return nil, err
		}
		events = append(events, PasswordSet{AccountID: c.AccountID, At: c.At})
	}
	return events, nil
}

// updateProfile emits nothing when nothing changed, so saving an untouched form is harmless.
func updateProfile(s State, c UpdateProfile) ([]Event, error) {
	if err := existing(s, c.AccountID, c.At); err != nil {
		return nil, err
	}
	name, err := contact.ParseName(c.Name)
	if err != nil {
		return nil, invalid(err)
	}
	email, err := contact.ParseEmail(c.Email)
	if err != nil {
		return nil, invalid(err)
	}
	phone := ""
	if c.Phone != "" {
		if phone, err = contact.ParsePhone(c.Phone); err != nil {
			return nil, invalid(err)
		}
	}
	if name == s.Name && email == s.Email && phone == s.Phone {
		return nil, nil
	}
	return []Event{ProfileUpdated{AccountID: c.AccountID, Name: name, Email: email, Phone: phone, At: c.At}}, nil
}

func setPostalAddress(s State, c SetPostalAddress) ([]Event, error) {
	if err := existing(s, c.AccountID, c.At); err != nil {
		return nil, err
	}
	a, err := contact.ParseAddress(c.Address)
	if err != nil {
		return nil, invalid(err)
	}
	if a == s.Address {
		return nil, nil
	}
	return []Event{PostalAddressSet{AccountID: c.AccountID, Line1: a.Line1, Line2: a.Line2, Line3: a.Line3, Town: a.Town, Postcode: a.Postcode, At: c.At}}, nil
}

func enrolTwoFactor(s State, c EnrolTwoFactor) ([]Event, error) {
	if err := firstErr(existing(s, c.AccountID, c.At), checkID("secret_ref", c.SecretRef)); err != nil {
		return nil, err
	}
	if s.TwoFactorEnabled() {
		return nil, fmt.Errorf("%w: reset it through a support ticket before enrolling a new device", ErrTwoFactorEnrolled)
	}
	//lint:ignore S1016 a command and its event change independently; a conversion would tie their fields together
	return []Event{TwoFactorEnrolled{AccountID: c.AccountID, SecretRef: c.SecretRef, At: c.At}}, nil
}

func resetTwoFactor(s State, c ResetTwoFactor) ([]Event, error) {
	if err := firstErr(existing(s, c.AccountID, c.At), checkID("ticket_id", c.TicketID), checkID("agent_id", c.AgentID)); err != nil {
		return nil, err
	}
	if !s.TwoFactorEnabled() {
		return nil, fmt.Errorf("%w: there is nothing to reset", ErrTwoFactorNotEnabled)
	}
	//lint:ignore S1016 a command and its event change independently; a conversion would tie their fields together
	return []Event{TwoFactorReset{AccountID: c.AccountID, TicketID: c.TicketID, AgentID: c.AgentID, At: c.At}}, nil
}

func blockIP(s State, c BlockIP) ([]Event, error) {
	if err := firstErr(existing(s, c.AccountID, c.At), checkID("by", c.By)); err != nil {
		return nil, err
	}
	ip, err := contact.ParseIP(c.IP)
	if err != nil {
		return nil, invalid(err)
	}
	if _, ok := s.BlockedIPs[ip]; ok {
		return nil, fmt.Errorf("%w: field ip: this address is already blocked for this account", ErrIPAlreadyBlocked)
	}
	return []Event{IPBlocked{AccountID: c.AccountID, IP: ip, By: c.By, At: c.At}}, nil
}

func unblockIP(s State, c UnblockIP) ([]Event, error) {
	if err := firstErr(existing(s, c.AccountID, c.At), checkID("by", c.By)); err != nil {
		return nil, err
	}
	if c.TicketID != "" {
		if err := checkID("ticket_id", c.TicketID); err != nil {
			return nil, err
		}
	}
	ip, err := contact.ParseIP(c.IP)
	if err != nil {
		return nil, invalid(err)
	}
	if _, ok := s.BlockedIPs[ip]; !ok {
		return nil, fmt.Errorf("%w: field ip: this address is not blocked for this account", ErrIPNotBlocked)
	}
	return []Event{IPUnblocked{AccountID: c.AccountID, IP: ip, By: c.By, TicketID: c.TicketID, At: c.At}}, nil
}

func setPayeeBankDetails(s State, c SetPayeeBankDetails) ([]Event, error) {
	if err := firstErr(existing(s, c.AccountID, c.At), checkID("by", c.By)); err != nil {
		return nil, err
	}
	if s.Role != RoleClinician {
		return nil, fmt.Errorf("%w: this account is a %s account", ErrNotAClinician, s.Role)
	}
	b, err := contact.ParseBankDetails(BankDetails{AccountName: c.AccountName, SortCode: c.SortCode, AccountNumber: c.AccountNumber})
	if err != nil {
		return nil, invalid(err)
	}
	mod := c.Modulus
	switch mod.Outcome {
	case modulus.Failed:
		return nil, check.Failf(ErrInvalidInput, "account_number", "%s; check both against a bank statement", mod.Reason)
	case modulus.Passed, modulus.NotChecked:
	default:
		mod = modulus.Result{Outcome: modulus.NotChecked, Reason: "could not be checked: no modulus check was run"}
	}
	if s.Payee != nil && *s.Payee == b {
		return nil, nil
	}
	if s.Payee != nil && (c.By != s.ID || !c.Reauthenticated) {
		return nil, fmt.Errorf("%w: changing bank details already set needs the clinician themselves, with their password and authenticator code again", ErrReauthenticationRequired)
	}
	return []Event{PayeeBankDetailsSet{
		AccountID: c.AccountID, AccountName: b.AccountName, SortCode: b.SortCode, AccountNumber: b.AccountNumber,
		By: c.By, Reauthenticated: c.Reauthenticated, Replaced: s.Payee != nil,
		Modulus: mod.Outcome, ModulusReason: mod.Reason, At: c.At,
	}}, nil
}

// atOrAfter is a readability helper for expiry checks: a link that expires at 10:00 no
// longer works at 10:00.
func atOrAfter(t, limit time.Time) bool { return !t.Before(limit) }
