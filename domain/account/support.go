package account

import (
	"fmt"
	"time"

	"ledgerdesk/domain/check"
)

// MaxGrantDuration is the longest a user's consent to IT support can last: long enough to
// diagnose a problem over a weekend, short enough that forgotten consent lapses by itself.
const MaxGrantDuration = 72 * time.Hour

// MaxActionLength bounds the description of an action recorded under a grant.
const MaxActionLength = 200

func grantSupportAccess(s State, c GrantSupportAccess) ([]Event, error) {
	if err := firstErr(existing(s, c.AccountID, c.At), checkID("grant_id", c.GrantID), checkID("by", c.By), checkAt("expires_at", c.ExpiresAt)); err != nil {
		return nil, err
	}
	if c.TicketID != "" {
		if err := checkID("ticket_id", c.TicketID); err != nil {
			return nil, err
		}
	}
	if c.By != s.ID {
		return nil, fmt.Errorf("%w: support access is given by the account holder's own consent", ErrNotAccountOwner)
	}
	if s.Realm != RealmPortal {
		return nil, fmt.Errorf("%w: support access is granted on a portal account, not a %s account", ErrWrongRealm, s.Realm)
	}
	if _, ok := s.Grants[c.GrantID]; ok {
		return nil, fmt.Errorf("%w: field grant_id: choose a new id", ErrGrantExists)
	}
	if len(c.Scopes) == 0 {
		return nil, check.Failf(ErrInvalidInput, "scopes", "choose change_password, log_in_as or both")
	}
	seen := map[Scope]bool{}
	for _, sc := range c.Scopes {
		if _, err := ParseScope(string(sc)); err != nil {
			return nil, err
		}
		if seen[sc] {
			return nil, check.Failf(ErrInvalidInput, "scopes", "%s is listed twice", sc)
		}
		seen[sc] = true
	}
	if !c.ExpiresAt.After(c.At) {
		return nil, check.Failf(ErrInvalidInput, "expires_at", "must be after the time of granting")
	}
	if c.ExpiresAt.Sub(c.At) > MaxGrantDuration {
		return nil, fmt.Errorf("%w: field expires_at: is too far ahead", ErrGrantTooLong)
	}
	return []Event{SupportAccessGranted{
		AccountID: c.AccountID, GrantID: c.GrantID, TicketID: c.TicketID,
		Scopes: append([]Scope(nil), c.Scopes...), At: c.At, ExpiresAt: c.ExpiresAt,
	}}, nil
}

func revokeSupportAccess(s State, c RevokeSupportAccess) ([]Event, error) {
	if err := firstErr(existing(s, c.AccountID, c.At), checkID("grant_id", c.GrantID), checkID("by", c.By)); err != nil {
		return nil, err
	}
	g, ok := s.Grants[c.GrantID]
	if !ok {
		return nil, fmt.Errorf("%w: field grant_id: this account has no such grant", ErrGrantNotFound)
	}
	if !g.RevokedAt.IsZero() {
		return nil, fmt.Errorf("%w: field grant_id: revoked at %s", ErrGrantRevoked, g.RevokedAt.UTC().Format("2006-01-02 15:04 MST"))
	}
	//lint:ignore S1016 a command and its event change independently; a conversion would tie their fields together
	return []Event{SupportAccessRevoked{AccountID: c.AccountID, GrantID: c.GrantID, By: c.By, At: c.At}}, nil
}

// checkGrant is the gate every support action passes: an existing, unrevoked, unexpired
// grant that includes scope at the command's time.
func checkGrant(s State, accountID, grantID, agentID string, scope Scope, at time.Time) error {
	if err := firstErr(existing(s, accountID, at), checkID("agent_id", agentID)); err != nil {
		return err
	}
	if grantID == "" {
		return fmt.Errorf("%w: field grant_id: IT support can act only with the user's permission", ErrNoActiveGrant)
	}
	g, ok := s.Grants[grantID]
	switch {
	case !ok:
		return fmt.Errorf("%w: field grant_id: the user has given no such permission", ErrNoActiveGrant)
	case !g.RevokedAt.IsZero() && !at.Before(g.RevokedAt):
		return fmt.Errorf("%w: field grant_id: the user withdrew this permission", ErrNoActiveGrant)
	case at.Before(g.GrantedAt):
		return fmt.Errorf("%w: field grant_id: the permission was not yet given at that time", ErrNoActiveGrant)
	case atOrAfter(at, g.ExpiresAt):
		return fmt.Errorf("%w: field grant_id: the permission ended at %s; ask the user for a new one", ErrGrantExpired, g.ExpiresAt.UTC().Format("2006-01-02 15:04 MST"))
	case !g.has(scope):
		return fmt.Errorf("%w: field grant_id: the user did not allow %s", ErrScopeNotGranted, scope)
	}
	return nil
}

func changePasswordAsSupport(s State, c ChangePasswordAsSupport) ([]Event, error) {
	if err := checkGrant(s, c.AccountID, c.GrantID, c.AgentID, ScopeChangePassword, c.At); err != nil {
		return nil, err
	}
	if err := CheckPassword(c.NewPassword, s.Email, s.Name); err != nil {
		return nil, err
	}
	return []Event{
		PasswordChanged{AccountID: c.AccountID, By: ChangedBySupport, GrantID: c.GrantID, AgentID: c.AgentID, At: c.At},
		SupportActionRecorded{AccountID: c.AccountID, GrantID: c.GrantID, AgentID: c.AgentID, Action: ActionChangePassword, At: c.At},
	}, nil
}

func startLogInAs(s State, c StartLogInAs) ([]Event, error) {
	if err := checkGrant(s, c.AccountID, c.GrantID, c.AgentID, ScopeLogInAs, c.At); err != nil {
		return nil, err
	}
	return []Event{SupportActionRecorded{AccountID: c.AccountID, GrantID: c.GrantID, AgentID: c.AgentID, Action: ActionLogInAs, At: c.At}}, nil
}

func recordSupportAction(s State, c RecordSupportAction) ([]Event, error) {
	if err := checkGrant(s, c.AccountID, c.GrantID, c.AgentID, ScopeLogInAs, c.At); err != nil {
		return nil, err
	}
	action, err := checkProse("action", c.Action, MaxActionLength)
	if err != nil {
		return nil, err
	}
	return []Event{SupportActionRecorded{AccountID: c.AccountID, GrantID: c.GrantID, AgentID: c.AgentID, Action: action, At: c.At}}, nil
}
