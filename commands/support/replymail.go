package support

import (
	"context"
	"fmt"

	"ledgerdesk/domain/ticket"
)

// ReplyMail is what the email telling a requester that support replied says: to whom, and
// which ticket's page to open. It carries no word of the reply (the page has that, behind
// sign-in), so nothing written on a ticket travels by email.
type ReplyMail struct {
	AccountID string
	TicketID  string
	To        string
	Name      string
}

// ReplyMailFor is the email to accountID about a reply on ticketID. The ticket must be
// that account's: a message is never sent about someone else's ticket.
func (s *Service) ReplyMailFor(ctx context.Context, accountID, ticketID string) (ReplyMail, error) {
	t, err := s.openedTicket(ctx, ticketID)
	if err != nil {
		return ReplyMail{}, err
	}
	if t.RequesterAccountID != accountID {
		return ReplyMail{}, fmt.Errorf("%w: ticket %s is not account %s's", ticket.ErrNotYourTicket, ticketID, accountID)
	}
	a, err := s.Account(ctx, accountID)
	if err != nil {
		return ReplyMail{}, err
	}
	return ReplyMail{AccountID: accountID, TicketID: ticketID, To: a.Email, Name: a.Name}, nil
}
