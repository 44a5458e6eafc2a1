package main

import (
	"ledgerdesk/adapters/postgres"

	"ledgerdesk/codec"
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

// allEventTypes is every event the system stores, for the codec's registry.
func allEventTypes() []decider.Event {
	var all []decider.Event
	all = append(all, widen(appointment.EventTypes())...)
	all = append(all, widen(invoice.EventTypes())...)
	all = append(all, widen(earnings.EventTypes())...)
	all = append(all, widen(payout.EventTypes())...)
	all = append(all, widen(account.EventTypes())...)
	all = append(all, widen(ticket.EventTypes())...)
	all = append(all, widen(cutover.EventTypes())...)
	all = append(all, widen(v1item.EventTypes())...)
	all = append(all, commands.EventTypes()...)
	return all
}

func widen[E decider.Event](es []E) []decider.Event {
	out := make([]decider.Event, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// commandDeps builds the command layer on the connected stores. Personal data keys live in
// Postgres, wrapped by LEDGERDESK_MASTER_KEY when it is set.
func (d *deps) commandDeps() (commands.Deps, error) {
	if d.cmds.Codec != nil {
		return d.cmds, nil
	}
	keys, err := postgres.NewKeyStore(d.db, postgres.KeyStoreConfig{MasterKey: d.cfg.MasterKey})
	if err != nil {
		return commands.Deps{}, err
	}
	c, err := codec.New(keys, allEventTypes()...)
	if err != nil {
		return commands.Deps{}, err
	}
	d.cmds = commands.Deps{Store: d.store, Codec: c, Logger: d.log}
	return d.cmds, nil
}
