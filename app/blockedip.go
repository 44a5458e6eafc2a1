package app

import (
	"context"
	"fmt"

	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/ticket"
	psupport "ledgerdesk/projections/support"
)

// BlockedIPCase is a blocked-IP ticket's address and the accounts that refuse it.
type BlockedIPCase struct {
	TicketID string
	IP       string
	Accounts []psupport.AccountRow
}

// BlockedIPForTicket is the address a blocked-IP ticket carries and the portal accounts
// that block it, for the agent who unblocks it. A ticket of another kind has no address.
func (a *App) BlockedIPForTicket(ctx context.Context, call Call, ticketID string) (BlockedIPCase, error) {
	t, err := a.TicketForAgent(ctx, call, ticketID)
	if err != nil {
		return BlockedIPCase{}, err
	}
	c := BlockedIPCase{TicketID: ticketID, IP: t.IP}
	if t.Category != ticket.CategoryBlockedIP || t.IP == "" {
		return c, nil
	}
	return run(ctx, a, call, readAccounts, func(ctx context.Context, _ *Request) (BlockedIPCase, error) {
		var err error
		c.Accounts, err = psupport.AccountsBlockingIP(ctx, a.cfg.DB, t.IP)
		return c, err
	})
}

// UnblockIPForTicket lifts the block of the ticket's address on one account, in one action,
// recorded against the ticket.
func (a *App) UnblockIPForTicket(ctx context.Context, call Call, ticketID, accountID string) error {
	c, err := a.BlockedIPForTicket(ctx, call, ticketID)
	if err != nil {
		return err
	}
	if c.IP == "" {
		return ErrNoBlockedIP
	}
	blocking := false
	for _, acc := range c.Accounts {
		blocking = blocking || acc.AccountID == accountID
	}
	if !blocking {
		return fmt.Errorf("%w: that account does not block %s", ErrNotBlocking, c.IP)
	}
	return a.AccountStep(ctx, call, "account.unblock_ip", accountID, func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
		return svc.UnblockIP(ctx, accountID, c.IP, ticketID, meta)
	})
}
