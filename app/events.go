package app

import (
	"ledgerdesk/commands"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/payout"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/domain/v1item"
)

// EventTypes is every event the system stores (each aggregate's and the command layer's
// own claims), for the codec's registry.
func EventTypes() []decider.Event {
	var all []decider.Event
	all = widen(all, appointment.EventTypes())
	all = widen(all, invoice.EventTypes())
	all = widen(all, earnings.EventTypes())
	all = widen(all, payout.EventTypes())
	all = widen(all, account.EventTypes())
	all = widen(all, ticket.EventTypes())
	all = widen(all, cutover.EventTypes())
	all = widen(all, v1item.EventTypes())
	return append(all, commands.EventTypes()...)
}

func widen[E decider.Event](to []decider.Event, es []E) []decider.Event {
	for _, e := range es {
		to = append(to, e)
	}
	return to
}
