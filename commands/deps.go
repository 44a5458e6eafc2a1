package commands

import (
	"errors"
	"log/slog"

	"ledgerdesk/codec"
	"ledgerdesk/eventstore"
)

// DefaultMaxAttempts bounds how often a command is decided when its stream keeps changing.
// An attempt fails only because another command on the same stream succeeded in between,
// so up to this many writers racing on one stream all get through.
const DefaultMaxAttempts = 10

// readPage is how many events one read of a stream fetches.
const readPage = 512

// Deps is what the command layer runs on.
type Deps struct {
	Store eventstore.Store
	Codec *codec.Codec
	// Logger receives retries and give-ups; nil discards them.
	Logger *slog.Logger
	// MaxAttempts overrides DefaultMaxAttempts when positive.
	MaxAttempts int
}

func (d Deps) check() (Deps, error) {
	if d.Store == nil || d.Codec == nil {
		return d, errors.New("commands: Deps needs a Store and a Codec")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = DefaultMaxAttempts
	}
	return d, nil
}
