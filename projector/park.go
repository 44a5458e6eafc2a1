package projector

import (
	"context"
	"errors"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"ledgerdesk/adapters/wmstore"
)

// parkTopic is the poison queue's topic; the parking publisher ignores it and writes rows.
const parkTopic = "parked"

// parker is the poison queue: instead of publishing the failed message somewhere else, it
// records it in parked_events inside the delivery transaction, so parking and moving the
// checkpoint past the event commit together.
type parker struct{}

func (parker) Publish(_ string, msgs ...*message.Message) error {
	for _, msg := range msgs {
		ctx := msg.Context()
		tx, ok := wmstore.TxFromContext(ctx)
		if !ok {
			return errors.New("parking a message that was not delivered in a transaction")
		}
		e, ok := wmstore.EventFromContext(ctx)
		if !ok {
			return errors.New("parking a message that carries no event")
		}
		// Undo whatever the failed attempts left behind before recording the failure.
		if err := tx.RestartMessage(context.WithoutCancel(ctx)); err != nil {
			return err
		}
		consumer := msg.Metadata.Get(middleware.PoisonedHandlerKey)
		reason := msg.Metadata.Get(middleware.ReasonForPoisonedKey)
		tx.Exec(`INSERT INTO public.parked_events (consumer, event_id, stream_id, stream_version, type, commit_pos, prepare_pos, error)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (consumer, event_id) DO UPDATE SET error = EXCLUDED.error, parked_at = now()`,
			consumer, e.ID, e.StreamID, int64(e.Version), e.Type, int64(e.Position.Commit), int64(e.Position.Prepare), reason)
	}
	return nil
}

func (parker) Close() error { return nil }
