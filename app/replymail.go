package app

import (
	"context"

	"ledgerdesk/commands/support"
)

// composeReplyMail is what the mail sender, a named system actor, composes the "support
// replied on your ticket" email with: nobody else reads a requester's address this way.
var composeReplyMail = declare(query("mail.ticket_reply.compose", systemOnly))

// TicketReplyMail is the email telling accountID that support replied on ticketID, their
// own ticket.
func (a *App) TicketReplyMail(ctx context.Context, call Call, accountID, ticketID string) (support.ReplyMail, error) {
	return run(ctx, a, call, composeReplyMail, func(ctx context.Context, r *Request) (support.ReplyMail, error) {
		svc, err := a.support()
		if err != nil {
			return support.ReplyMail{}, err
		}
		return svc.ReplyMailFor(ctx, accountID, ticketID)
	})
}
