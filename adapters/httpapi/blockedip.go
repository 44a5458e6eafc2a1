package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"ledgerdesk/app"
)

// BlockedIPCase is a blocked-IP ticket's address and the accounts that refuse logins from it.
type BlockedIPCase struct {
	TicketID string            `json:"ticket_id"`
	IP       string            `json:"ip,omitempty" doc:"The address on the ticket; empty for a ticket that is not about a blocked address"`
	Accounts []BlockingAccount `json:"accounts"`
}

// BlockingAccount is an account that blocks the ticket's address.
type BlockingAccount struct {
	AccountID string `json:"account_id"`
	Realm     string `json:"realm"`
	Name      string `json:"name"`
	Email     string `json:"email"`
}

// registerBlockedIP is the staff workspace's blocked-IP panel: see who blocks a ticket's
// address, and unblock it in one action (agents only).
func (a *API) registerBlockedIP() {
	if !a.cfg.App.HasSupport() {
		return
	}
	const tag = "support"
	type getInput struct {
		ID string `path:"id" maxLength:"128"`
	}
	type caseOutput struct{ Body BlockedIPCase }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/support/tickets/{id}/blocked-ip", "ticket-blocked-ip",
		"The address a blocked-IP ticket carries and the accounts that block it (agents only)", tag, http.StatusOK),
		func(ctx context.Context, in *getInput) (*caseOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			c, err := a.cfg.App.BlockedIPForTicket(ctx, call, in.ID)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			out := &caseOutput{Body: BlockedIPCase{TicketID: c.TicketID, IP: c.IP, Accounts: []BlockingAccount{}}}
			for _, acc := range c.Accounts {
				out.Body.Accounts = append(out.Body.Accounts, BlockingAccount{AccountID: acc.AccountID, Realm: string(acc.Realm), Name: acc.Name, Email: acc.Email})
			}
			return out, nil
		})
	type unblockInput struct {
		IdempotencyHeader
		ID   string `path:"id" maxLength:"128"`
		Body struct {
			AccountID string `json:"account_id" minLength:"1" maxLength:"128" doc:"The account that blocks the ticket's address"`
		}
	}
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/support/tickets/{id}/unblock-ip", "unblock-ticket-ip",
		"Lift an account's block of the ticket's address, recorded against the ticket (agents only)", tag, http.StatusOK),
		func(ctx context.Context, in *unblockInput) (*ticketOutput, error) {
			return a.ticketCommand(ctx, in.ID, func(call app.Call) error {
				return a.cfg.App.UnblockIPForTicket(ctx, call, in.ID, in.Body.AccountID)
			})
		})
}
