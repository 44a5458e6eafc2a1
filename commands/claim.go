package commands

import (
	"context"
	"errors"
	"fmt"

	"ledgerdesk/codec"

	"ledgerdesk/domain/decider"
	"ledgerdesk/eventstore"
)

// Claimed is the only event of a claim stream: Owner (an account id, say) holds the name the
// stream stands for. The name itself is not in the event; the stream is named after it
// (see account.EmailReservationStream), hashed where it is personal data.
type Claimed struct {
	Stream string `json:"stream"`
	Owner  string `json:"owner"`
}

// EventType implements decider.Event.
func (Claimed) EventType() string { return "claim.claimed.v1" }

// EventTypes lists the events this package writes itself, for the codec registry.
func EventTypes() []decider.Event { return []decider.Event{Claimed{}} }

// ClaimedError says the name is held by someone else.
type ClaimedError struct {
	Stream string
	// Owner is who holds it, when the claim could be read.
	Owner string
}

func (e *ClaimedError) Error() string {
	if e.Owner == "" {
		return fmt.Sprintf("%v: %s", ErrAlreadyClaimed, e.Stream)
	}
	return fmt.Sprintf("%v: %s is held by %s", ErrAlreadyClaimed, e.Stream, e.Owner)
}

// Is makes errors.Is(err, ErrAlreadyClaimed) match.
func (e *ClaimedError) Is(target error) bool { return target == ErrAlreadyClaimed }

// Claim reserves stream for owner by creating it, which only one writer can ever do: the
// store's NoStream expectation makes uniqueness hold across processes, where no decider
// could see it. Claiming again with the same command id succeeds (a retry); anyone else
// gets a *ClaimedError, as does the same owner under a new command id, since the caller
// must know whether this command made the claim.
func Claim(ctx context.Context, deps Deps, stream, owner string, meta Metadata) error {
	deps, err := deps.check()
	if err != nil {
		return err
	}
	if meta, err = meta.validate(); err != nil {
		return err
	}
	if stream == "" || owner == "" {
		return fmt.Errorf("%w: a claim needs a stream and an owner", eventstore.ErrInvalidAppend)
	}
	metadata, err := meta.encode("commands.Claim")
	if err != nil {
		return err
	}
	id := EventID(meta.CommandID, stream, 0)
	typ, data, err := deps.Codec.EncodeWithID(ctx, id, Claimed{Stream: stream, Owner: owner})
	if err != nil {
		return err
	}
	_, err = deps.Store.Append(ctx, stream, eventstore.NoStream(),
		eventstore.EventData{ID: id, Type: typ, Data: data, Metadata: metadata})
	if err == nil {
		return nil
	}
	if !errors.Is(err, eventstore.ErrConflict) && !errors.Is(err, eventstore.ErrDuplicateEventID) {
		return fmt.Errorf("claiming %q: %w", stream, err)
	}
	recs, rerr := deps.Store.ReadStream(ctx, stream, 1, 1)
	if rerr != nil {
		return fmt.Errorf("claiming %q: %w (and reading the claim failed: %v)", stream, err, rerr)
	}
	if len(recs) == 0 {
		return &ClaimedError{Stream: stream}
	}
	if m, merr := codec.ParseMetadata(recs[0].Metadata); merr == nil && m.CommandID == meta.CommandID {
		return nil
	}
	ce := &ClaimedError{Stream: stream}
	if ev, derr := deps.Codec.Decode(ctx, recs[0].Type, recs[0].Data); derr == nil {
		if c, ok := ev.(Claimed); ok {
			ce.Owner = c.Owner
		}
	}
	return ce
}
