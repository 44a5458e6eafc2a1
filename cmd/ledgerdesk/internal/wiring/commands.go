package wiring

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

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

// CommandDeps is the command layer on the connected stores, built once. Personal data keys
// live in Postgres, wrapped by LEDGERDESK_MASTER_KEY when it is set.
func (r *Runtime) CommandDeps() (commands.Deps, error) {
	if r.cmds.Codec != nil {
		return r.cmds, nil
	}
	c, err := r.codecOn(r.DB)
	if err != nil {
		return commands.Deps{}, err
	}
	r.cmds = commands.Deps{Store: r.Store, Codec: c, Logger: r.Log}
	return r.cmds, nil
}

// codecOn is the codec with its key store on pool.
func (r *Runtime) codecOn(pool *pgxpool.Pool) (*codec.Codec, error) {
	master, err := r.MasterKey(context.Background())
	if err != nil {
		return nil, err
	}
	keys, err := postgres.NewKeyStore(pool, postgres.KeyStoreConfig{MasterKey: master})
	if err != nil {
		return nil, err
	}
	return codec.New(keys, allEventTypes()...)
}
