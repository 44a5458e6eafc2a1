package wiring

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/app"
	"ledgerdesk/codec"
	"ledgerdesk/commands"
)

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
	return codec.New(keys, app.EventTypes()...)
}
