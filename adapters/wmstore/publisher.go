package wmstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"

	"ledgerdesk/eventstore"
)

// Publisher appends Watermill messages to the event store, one stream per message in the
// topic's category ("topic-<message uuid>"), so publishing is idempotent by message UUID.
// A JSON payload is stored as the event's data; any other payload is kept base64-encoded.
type Publisher struct {
	store  eventstore.Store
	closed bool
}

// NewPublisher publishes into store.
func NewPublisher(store eventstore.Store) *Publisher { return &Publisher{store: store} }

// Publish implements message.Publisher. Messages are appended in order, each committed
// before the next, so their global order is the order given.
func (p *Publisher) Publish(topic string, msgs ...*message.Message) error {
	if p.closed {
		return errors.New("wmstore: publisher is closed")
	}
	if topic == "" || topic == AllTopic {
		return fmt.Errorf("wmstore: cannot publish to topic %q", topic)
	}
	for _, msg := range msgs {
		e, err := fromMessage(topic, msg)
		if err != nil {
			return err
		}
		ctx := msg.Context()
		if ctx == nil {
			ctx = context.Background()
		}
		if _, err := p.store.Append(ctx, topic+"-"+e.ID.String(), eventstore.NoStream(), e); err != nil {
			return fmt.Errorf("publishing message %s: %w", msg.UUID, err)
		}
	}
	return nil
}

// Close implements message.Publisher.
func (p *Publisher) Close() error { p.closed = true; return nil }

// messageID is a stable event id for a message on a topic, so a retried publish is
// recognised by the store and not stored twice.
func messageID(topic, id string) uuid.UUID {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("watermill message "+topic+" "+id))
}
