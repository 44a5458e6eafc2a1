package wmstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/tests"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/adapters/wmstore"
)

// Watermill's universal Pub/Sub suite, against the Postgres event store. Every pub/sub
// made by one run shares one database, as separate processes would.
func TestPubSub(t *testing.T) {
	url := pgtest.NewDatabase(t)
	features := tests.Features{
		ConsumerGroups:                      true,
		ExactlyOnceDelivery:                 false,
		GuaranteedOrder:                     true,
		GuaranteedOrderWithSingleSubscriber: true,
		Persistent:                          true,
		// A consumer resumes from its checkpoint: a new subscriber in the same group does
		// not start again from the beginning.
		NewSubscriberReceivesOldMessages: false,
		// Stream names are "category-id": a topic must not contain the separator.
		GenerateTopicFunc: func(tctx tests.TestContext) string {
			return "topic_" + strings.ReplaceAll(string(tctx.TestID), "-", "_")
		},
	}
	tests.TestPubSub(t, features,
		func(t *testing.T) (message.Publisher, message.Subscriber) {
			return newPubSub(t, url, "")
		},
		func(t *testing.T, group string) (message.Publisher, message.Subscriber) {
			return newPubSub(t, url, group)
		},
	)
}

// Each pub/sub gets its own pool, as each process would.
func newPubSub(t *testing.T, url string, group string) (message.Publisher, message.Subscriber) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 6
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	store := postgres.New(pool, postgres.Config{PollInterval: 20 * time.Millisecond})
	sub, err := wmstore.NewSubscriber(wmstore.SubscriberConfig{
		Store: store, DB: pool, ConsumerGroup: group, OwnershipPoll: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return wmstore.NewPublisher(store), sub
}
