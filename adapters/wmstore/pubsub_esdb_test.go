package wmstore_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/tests"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/esdb"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/adapters/wmstore"
)

// The same universal suite with the events in KurrentDB and the checkpoints in Postgres:
// projections then behave exactly as they do on the Postgres store.
func TestPubSubOnKurrentDB(t *testing.T) {
	url := os.Getenv("KURRENTDB_URL")
	if url == "" {
		url = os.Getenv("EVENTSTORE_URL")
	}
	if url == "" {
		t.Skip("set KURRENTDB_URL to run against KurrentDB, e.g. after `docker compose -f adapters/esdb/compose/single-node.yml up -d`: KURRENTDB_URL='kurrentdb://localhost:2113?tls=false'")
	}
	db := pgtest.NewDatabase(t)
	features := tests.Features{
		ConsumerGroups: true, GuaranteedOrder: true, GuaranteedOrderWithSingleSubscriber: true, Persistent: true,
		GenerateTopicFunc: func(tctx tests.TestContext) string {
			return "topic_" + strings.ReplaceAll(string(tctx.TestID), "-", "_")
		},
	}
	constructor := func(t *testing.T, group string) (message.Publisher, message.Subscriber) {
		store, err := esdb.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(store.Close)
		cfg, err := pgxpool.ParseConfig(db)
		if err != nil {
			t.Fatal(err)
		}
		cfg.MaxConns = 6
		pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		sub, err := wmstore.NewSubscriber(wmstore.SubscriberConfig{Store: store, DB: pool, ConsumerGroup: group, OwnershipPoll: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		return wmstore.NewPublisher(store), sub
	}
	tests.TestPubSub(t, features,
		func(t *testing.T) (message.Publisher, message.Subscriber) { return constructor(t, "") },
		constructor)
}
