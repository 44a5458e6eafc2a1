package support

import (
	"context"
	"errors"
	"fmt"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
)

// Registration is a new account. AccountID may be empty: the account then gets an id
// derived from the command id, the same on a retry.
type Registration struct {
	AccountID string
	Realm     account.Realm
	Role      account.Role
	Email     string
	Name      string
	// Password may be empty for an account staff create; its holder sets one through a
	// reset link.
	Password string
}

// Register opens an account, its email unique within its realm. An empty meta.Actor is
// the new account itself (someone signing up). The email is claimed before the account is
// written, so two registrations racing for one address cannot both succeed, even in two
// processes; the loser gets ErrEmailTaken.
func (s *Service) Register(ctx context.Context, r Registration, meta commands.Metadata) (string, error) {
	if err := checkMeta(meta); err != nil {
		return "", err
	}
	id := r.AccountID
	if id == "" {
		id = derivedID(meta, "account")
	}
	if meta.Actor == "" {
		meta.Actor = id
	}
	cmd := account.Register{AccountID: id, Realm: r.Realm, Role: r.Role, Email: r.Email, Name: r.Name, Password: r.Password, At: s.Now()}
	// Decide once on an empty account first: a malformed email or weak password is refused
	// before the address is claimed.
	if _, err := account.Decide(account.State{}, cmd); err != nil {
		return "", err
	}
	if r.AccountID != "" {
		// An id the caller chose may be taken: that is the decider's to say (or, for a
		// retry of this very command, the replay's), before any email is claimed for it.
		if existing, err := s.loadAccount(ctx, id); err != nil {
			return "", err
		} else if existing.Registered() {
			if _, err := s.execAccount(ctx, cmd, meta); err != nil {
				return "", err
			}
			return id, nil
		}
	}
	email, _ := contact.ParseEmail(r.Email)
	owner, err := s.claimEmail(ctx, r.Realm, email, id, meta)
	if err != nil {
		return "", err
	}
	if owner != id {
		// An earlier registration claimed the address under owner and failed before writing
		// the account: finish it under that id rather than lock the address out forever.
		cmd.AccountID, id = owner, owner
	}
	if _, err := s.execAccount(ctx, cmd, meta); err != nil {
		return "", err
	}
	if r.Password != "" {
		if err := s.setPassword(ctx, id, r.Password, meta.CommandID); err != nil {
			return "", err
		}
	}
	return id, nil
}

// claimEmail claims a normalised email in realm for accountID and returns who holds it:
// accountID, or the id of an account whose registration never completed. An address held
// by a registered account (other than accountID) is ErrEmailTaken.
func (s *Service) claimEmail(ctx context.Context, realm account.Realm, email, accountID string, meta commands.Metadata) (string, error) {
	stream := account.EmailReservationStream(realm, email)
	err := commands.Claim(ctx, s.cfg.Deps, stream, accountID, meta)
	if err == nil {
		return accountID, nil
	}
	var held *commands.ClaimedError
	if !errors.As(err, &held) {
		return "", err
	}
	if held.Owner == accountID {
		return accountID, nil
	}
	if held.Owner != "" {
		other, err := s.loadAccount(ctx, held.Owner)
		if err != nil {
			return "", err
		}
		if !other.Registered() {
			// Either a registration in flight right now, which must win, or one that failed
			// between claiming and registering and was never retried: only the latter, old
			// enough that it cannot be in flight, is taken over.
			recs, err := s.cfg.Deps.Store.ReadStream(ctx, stream, 1, 1)
			if err != nil {
				return "", err
			}
			if len(recs) == 1 && time.Since(recs[0].RecordedAt) > abandonedClaim {
				return held.Owner, nil
			}
		}
	}
	return "", fmt.Errorf("%w: field email: sign in, or reset your password if you have forgotten it", ErrEmailTaken)
}

// abandonedClaim is how old an email claim without its account must be before a new
// registration takes it over. It is measured on the event store's clock, not the
// service's, since it is about a request in flight, not a business rule.
const abandonedClaim = 10 * time.Minute

// LookupEmail finds the account registered with an email in realm: consistent, since it
// reads the email's claim rather than a read model. found is false when there is none.
func (s *Service) LookupEmail(ctx context.Context, realm account.Realm, email string) (accountID string, found bool, err error) {
	if _, err := account.ParseRealm(string(realm)); err != nil {
		return "", false, err
	}
	normalised, err := contact.ParseEmail(email)
	if err != nil {
		return "", false, fmt.Errorf("%w: %w", account.ErrInvalidInput, err)
	}
	recs, err := s.cfg.Deps.Store.ReadStream(ctx, account.EmailReservationStream(realm, normalised), 1, 1)
	if err != nil || len(recs) == 0 {
		return "", false, err
	}
	ev, err := s.cfg.Deps.Codec.Decode(ctx, recs[0].Type, recs[0].Data)
	if err != nil {
		return "", false, err
	}
	c, ok := ev.(commands.Claimed)
	if !ok || c.Owner == "" {
		return "", false, nil
	}
	a, err := s.loadAccount(ctx, c.Owner)
	if err != nil || !a.Registered() || a.Email != normalised {
		// A claim whose registration never completed, or an address the account has since
		// changed away from.
		return "", false, err
	}
	return c.Owner, true, nil
}

// Account is an account's current state, from its stream.
func (s *Service) Account(ctx context.Context, accountID string) (account.State, error) {
	a, err := s.loadAccount(ctx, accountID)
	if err != nil {
		return a, err
	}
	if !a.Registered() {
		return a, fmt.Errorf("%w: %s", account.ErrAccountNotFound, accountID)
	}
	return a, nil
}

// Profile is what the holder edits on "My Profile".
type Profile struct {
	AccountID string
	Name      string
	Email     string
	Phone     string
}

// UpdateProfile changes the holder's name, email and phone. A new email is claimed first.
func (s *Service) UpdateProfile(ctx context.Context, p Profile, meta commands.Metadata) error {
	a, err := s.holder(ctx, p.AccountID, meta)
	if err != nil {
		return err
	}
	cmd := account.UpdateProfile{AccountID: p.AccountID, Name: p.Name, Email: p.Email, Phone: p.Phone, At: s.Now()}
	events, err := account.Decide(a, cmd)
	if err != nil || len(events) == 0 {
		return err
	}
	if email, _ := contact.ParseEmail(p.Email); email != a.Email {
		owner, err := s.claimEmail(ctx, a.Realm, email, a.ID, meta)
		if err != nil {
			return err
		}
		if owner != a.ID {
			return fmt.Errorf("%w: field email: the address is being registered by someone else", ErrEmailTaken)
		}
	}
	_, err = s.execAccount(ctx, cmd, meta)
	return err
}

// SetPostalAddress records the holder's address, the one an identity document must show.
func (s *Service) SetPostalAddress(ctx context.Context, accountID string, addr contact.Address, meta commands.Metadata) error {
	if _, err := s.holder(ctx, accountID, meta); err != nil {
		return err
	}
	_, err := s.execAccount(ctx, account.SetPostalAddress{AccountID: accountID, Address: addr, At: s.Now()}, meta)
	return err
}

// ChangePassword is the logged-in holder choosing a new password, with their current one.
func (s *Service) ChangePassword(ctx context.Context, accountID, current, next string, meta commands.Metadata) error {
	a, err := s.holder(ctx, accountID, meta)
	if err != nil {
		return err
	}
	// A retry after the new hash was stored finds the current password changed: the
	// command id on the credential shows the change was this command's own.
	_, setBy, _, err := s.credential(ctx, accountID)
	if err != nil {
		return err
	}
	if setBy != meta.CommandID {
		ok, err := s.checkPassword(ctx, accountID, current)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: field current_password", ErrWrongPassword)
		}
	}
	if _, err := s.execAccount(ctx, account.ChangePassword{AccountID: a.ID, NewPassword: next, At: s.Now()}, meta); err != nil {
		return err
	}
	return s.setPassword(ctx, accountID, next, meta.CommandID)
}

// BlockIP refuses logins to an account from an address; agents (or a system actor such
// as a rate limiter, "system:…") do this.
func (s *Service) BlockIP(ctx context.Context, accountID, ip string, meta commands.Metadata) error {
	if !isSystem(meta.Actor) {
		if _, err := s.agent(ctx, meta); err != nil {
			return err
		}
	} else if err := checkMeta(meta); err != nil {
		return err
	}
	_, err := s.execAccount(ctx, account.BlockIP{AccountID: accountID, IP: ip, By: meta.Actor, At: s.Now()}, meta)
	return err
}

// UnblockIP lifts a block, usually from a blocked_ip ticket (ticketID, optional).
func (s *Service) UnblockIP(ctx context.Context, accountID, ip, ticketID string, meta commands.Metadata) error {
	if _, err := s.agent(ctx, meta); err != nil {
		return err
	}
	if ticketID != "" {
		if _, err := s.openedTicket(ctx, ticketID); err != nil {
			return err
		}
	}
	_, err := s.execAccount(ctx, account.UnblockIP{AccountID: accountID, IP: ip, By: meta.Actor, TicketID: ticketID, At: s.Now()}, meta)
	return err
}

// isSystem tells a system actor ("system:…" or "policy:…") from a person's account id.
func isSystem(actor string) bool {
	for _, p := range []string{"system:", "policy:"} {
		if len(actor) > len(p) && actor[:len(p)] == p {
			return true
		}
	}
	return false
}
