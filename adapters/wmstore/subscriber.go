// Package wmstore carries the event store's global order to Watermill.
//
// The Subscriber reads any eventstore.Store (the Postgres table or KurrentDB) and delivers
// each event as a Watermill message inside a Postgres transaction (TxFromContext) that the
// subscriber commits together with the consumer's checkpoint. Handlers that write through
// that transaction therefore apply each event exactly once, across crashes and restarts.
// One consumer (a consumer group: a projection, a policy) is owned by one process at a
// time through an advisory lock (Ownership: one connection per process holds them all);
// the checkpoint row lock makes that safe even if two processes briefly both believe they
// own it.
//
// The Publisher appends Watermill messages as events, which is what Watermill's universal
// Pub/Sub test suite needs to exercise the Subscriber.
package wmstore

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/eventstore"
)

// AllTopic subscribes to every event; any other topic is a stream category.
const AllTopic = "all"

// SubscriberConfig configures a Subscriber.
type SubscriberConfig struct {
	Store eventstore.Store
	// DB holds checkpoints and the consumers' effects.
	DB            *pgxpool.Pool
	ConsumerGroup string
	// BeginTx runs first in every delivery transaction (a projection sets its schema).
	BeginTx func(ctx context.Context, tx pgx.Tx) error
	// ResendInterval is the pause before redelivering a nacked message.
	ResendInterval time.Duration
	// OwnershipPoll is how often a waiting process tries to take over a consumer.
	OwnershipPoll time.Duration
	// Ownership holds this subscriber's consumers' locks; subscribers of one process share
	// one so that owning costs one connection. Nil gives the subscriber one of its own.
	Ownership *Ownership
	// Deliveries, when set, bounds the delivery transactions open at once across the
	// subscribers sharing it (see DeliveryLimit).
	Deliveries DeliveryLimit
	Logger     watermill.LoggerAdapter
	// MetadataKeys, when set, limits which keys of the event's metadata are copied into
	// the message's Watermill metadata (handlers that read the event itself from the
	// context need few or none; decoding all of it per event is costly). Nil copies all.
	MetadataKeys []string
}

// Subscriber is a watermill message.Subscriber over the event store.
type Subscriber struct {
	cfg SubscriberConfig
	// ownOwnership is set when the subscriber made its Ownership and must close it.
	ownOwnership bool
	closing      chan struct{}
	once         sync.Once
	wg           sync.WaitGroup
}

// NewSubscriber checks the configuration.
func NewSubscriber(cfg SubscriberConfig) (*Subscriber, error) {
	if cfg.Store == nil || cfg.DB == nil {
		return nil, errors.New("wmstore: a subscriber needs a Store and a DB")
	}
	if cfg.ResendInterval <= 0 {
		cfg.ResendInterval = 10 * time.Millisecond
	}
	if cfg.OwnershipPoll <= 0 {
		cfg.OwnershipPoll = 200 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = watermill.NopLogger{}
	}
	s := &Subscriber{cfg: cfg, closing: make(chan struct{})}
	if s.cfg.Ownership == nil {
		s.cfg.Ownership = NewOwnership(cfg.DB.Config().ConnConfig, 0)
		s.ownOwnership = true
	}
	return s, nil
}

// ConsumerName is the checkpoint key of a group on a topic.
func ConsumerName(group, topic string) string {
	if topic == AllTopic {
		return group
	}
	return group + "@" + topic
}

// Subscribe implements message.Subscriber.
func (s *Subscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	select {
	case <-s.closing:
		return nil, errors.New("wmstore: subscriber is closed")
	default:
	}
	out := make(chan *message.Message)
	c := &consumer{s: s, name: ConsumerName(s.cfg.ConsumerGroup, topic), topic: topic, out: out,
		log: s.cfg.Logger.With(watermill.LogFields{"consumer": ConsumerName(s.cfg.ConsumerGroup, topic)})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(out)
		c.run(ctx)
	}()
	return out, nil
}

// SubscribeInitialize creates the consumer's checkpoint row ahead of time.
func (s *Subscriber) SubscribeInitialize(topic string) error {
	_, err := s.cfg.DB.Exec(context.Background(), `INSERT INTO consumer_checkpoints (consumer) VALUES ($1) ON CONFLICT DO NOTHING`, ConsumerName(s.cfg.ConsumerGroup, topic))
	return err
}

// Close stops every subscription and waits for them; acked messages are committed first.
func (s *Subscriber) Close() error {
	s.once.Do(func() { close(s.closing) })
	s.wg.Wait()
	if s.ownOwnership {
		s.cfg.Ownership.Close()
	}
	return nil
}

type consumer struct {
	s     *Subscriber
	name  string
	topic string
	out   chan *message.Message
	log   watermill.LoggerAdapter
	// last is the checkpoint this consumer loaded or last committed: a batch commits only
	// if the row still holds it, so nobody's progress is ever overwritten.
	last eventstore.Position
	// carefulUntil: events up to here are delivered one per transaction, flushed after
	// each, because a batch that included them failed to commit.
	carefulUntil eventstore.Position
}

var (
	errClosing          = errors.New("subscriber closing")
	errCheckpointMoved  = errors.New("checkpoint moved by another process")
	errBatchNeedsReplay = errors.New("batch failed to commit; replaying it one event at a time")
	errOwnershipLost    = errors.New("ownership connection lost; waiting to own the consumer again")
)

func (c *consumer) run(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-c.s.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	backoff := 50 * time.Millisecond
	for ctx.Err() == nil {
		err := c.own(ctx, func(ctx context.Context) error {
			from, err := c.checkpoint(ctx)
			if err != nil {
				return err
			}
			c.last = from
			return c.s.cfg.Store.Subscribe(ctx, from, c.deliverBatch)
		})
		if ctx.Err() != nil || errors.Is(err, errClosing) {
			return
		}
		if errors.Is(err, errOwnershipLost) {
			c.log.Info(err.Error(), nil)
		}
		if errors.Is(err, errCheckpointMoved) || errors.Is(err, errBatchNeedsReplay) || errors.Is(err, errOwnershipLost) {
			backoff = 50 * time.Millisecond
			continue
		}
		c.log.Error("subscription failed; restarting from the checkpoint", err, watermill.LogFields{"backoff": backoff})
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		if backoff *= 2; backoff > 5*time.Second {
			backoff = 5 * time.Second
		}
	}
}

// own runs f while this process owns the consumer; f's context ends if the ownership is lost.
func (c *consumer) own(ctx context.Context, f func(context.Context) error) error {
	owned, release, err := c.s.cfg.Ownership.Own(ctx, c.name, c.s.cfg.OwnershipPoll)
	if err != nil {
		if errors.Is(err, errOwnershipClosed) {
			return errClosing
		}
		return err
	}
	defer release()
	err = f(owned)
	if owned.Err() != nil && ctx.Err() == nil {
		return errOwnershipLost
	}
	return err
}

// LockKey is the advisory lock that owns a consumer: `ledgerdesk projections rebuild`
// takes it too.
func LockKey(consumer string) int64 { return lockKey(consumer) }

func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("ledgerdesk consumer " + name))
	return int64(h.Sum64())
}

func (c *consumer) checkpoint(ctx context.Context) (eventstore.Position, error) {
	if _, err := c.s.cfg.DB.Exec(ctx, `INSERT INTO consumer_checkpoints (consumer) VALUES ($1) ON CONFLICT DO NOTHING`, c.name); err != nil {
		return eventstore.Position{}, fmt.Errorf("creating checkpoint of %s: %w", c.name, err)
	}
	var commit, prepare int64
	err := c.s.cfg.DB.QueryRow(ctx, `SELECT commit_pos, prepare_pos FROM consumer_checkpoints WHERE consumer = $1`, c.name).Scan(&commit, &prepare)
	return eventstore.Position{Commit: uint64(commit), Prepare: uint64(prepare)}, err
}

func (c *consumer) matches(e eventstore.RecordedEvent) bool {
	return c.topic == AllTopic || strings.HasPrefix(e.StreamID, c.topic+"-")
}

func (c *consumer) deliverBatch(ctx context.Context, batch []eventstore.RecordedEvent) error {
	if !c.carefulUntil.Before(batch[0].Position) {
		for i := range batch {
			if err := c.deliver(ctx, batch[i:i+1], true); err != nil {
				return err
			}
		}
		return nil
	}
	return c.deliver(ctx, batch, false)
}

// deliver sends events in one transaction and commits the checkpoint with their effects.
func (c *consumer) deliver(ctx context.Context, batch []eventstore.RecordedEvent, careful bool) (err error) {
	if err := c.s.cfg.Deliveries.acquire(ctx); err != nil {
		return err
	}
	defer c.s.cfg.Deliveries.release()
	pgtx, err := c.s.cfg.DB.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			rbCtx, cancel := context.WithTimeout(context.Background(), StopCommitTimeout)
			defer cancel()
			_ = pgtx.Rollback(rbCtx)
		}
	}()
	// Lock our checkpoint row first: whoever else wants to move it (another process, a
	// rebuild swapping tables in) waits for us, or we for them, before any table is touched.
	//
	// The delivery commits without waiting for the disk (synchronous_commit off, for this
	// transaction only). What it writes is derived from events already on disk: a crash
	// that loses its last moments loses the effects and the checkpoint together, and the
	// events are delivered again. A policy's own commands are appended with an ordinary
	// commit, which flushes everything before it. Waiting for the disk on every delivery of
	// every projection cost the commands beside them their throughput.
	var commit, prepare, seen int64
	if err := pgtx.QueryRow(ctx, `SELECT commit_pos, prepare_pos, events_seen FROM consumer_checkpoints, set_config('synchronous_commit', 'off', true) WHERE consumer = $1 FOR UPDATE OF consumer_checkpoints`, c.name).Scan(&commit, &prepare, &seen); err != nil {
		return fmt.Errorf("locking checkpoint of %s: %w", c.name, err)
	}
	if (eventstore.Position{Commit: uint64(commit), Prepare: uint64(prepare)}) != c.last {
		return errCheckpointMoved
	}
	if hook := c.s.cfg.BeginTx; hook != nil {
		if err := hook(ctx, pgtx); err != nil {
			return err
		}
	}
	tx := newTx(pgtx, careful)
	txCtx := context.WithValue(ctx, txKey, tx)
	done := eventstore.Position{}
	delivered := int64(0)
	stop := error(nil)
	for i := range batch {
		e := &batch[i]
		if c.matches(*e) {
			if stop = c.send(ctx, txCtx, tx, e); stop != nil {
				break
			}
			delivered++
		}
		done = e.Position
	}
	if done == (eventstore.Position{}) {
		return stop
	}
	// Whatever was acked is committed, even when we stop early: an acked message is done,
	// and delivering it again would be a duplicate.
	commitCtx, cancel := commitContext(ctx)
	defer cancel()
	tx.Exec(`UPDATE consumer_checkpoints SET commit_pos = $2, prepare_pos = $3, events_seen = events_seen + $4, updated_at = now() WHERE consumer = $1`,
		c.name, int64(done.Commit), int64(done.Prepare), delivered)
	if err := tx.Flush(commitCtx); err != nil {
		if !careful {
			c.carefulUntil = batch[len(batch)-1].Position
			c.log.Info("batch failed to commit; replaying it one event at a time", watermill.LogFields{"err": err.Error()})
			return errBatchNeedsReplay
		}
		return err
	}
	if err := pgtx.Commit(commitCtx); err != nil {
		return fmt.Errorf("committing %s at %s: %w", c.name, done, err)
	}
	c.last = done
	return stop
}

// CommitTimeout bounds a batch's commit while the subscriber runs; StopCommitTimeout bounds
// it once the subscription's context has ended, so that stopping a process commits what
// was acked without waiting long on a slow or stuck database. It bounds the clean-up that
// outlives the context too (a rollback, closing the ownership connection).
const (
	CommitTimeout     = 30 * time.Second
	StopCommitTimeout = 3 * time.Second
)

// commitContext outlives ctx, so that acked work is committed when the subscriber stops,
// but by at most StopCommitTimeout after ctx ends.
func commitContext(ctx context.Context) (context.Context, context.CancelFunc) {
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), CommitTimeout)
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(StopCommitTimeout, cancel) })
	return c, func() { stop(); cancel() }
}

// send delivers one event and waits for its ack, redelivering after a nack.
func (c *consumer) send(ctx, txCtx context.Context, tx *Tx, e *eventstore.RecordedEvent) error {
	evCtx := context.WithValue(txCtx, eventKey, e)
	for {
		tx.beginMessage()
		msg, err := toMessage(*e, c.s.cfg.MetadataKeys)
		if err != nil {
			return err
		}
		// Watermill promises a message's context ends once it is acked or nacked.
		msgCtx, cancel := context.WithCancel(evCtx)
		msg.SetContext(msgCtx)
		select {
		case c.out <- msg:
		case <-ctx.Done():
			cancel()
			return errClosing
		}
		select {
		case <-msg.Acked():
			cancel()
			if tx.aborted {
				return fmt.Errorf("message %s acked but its writes failed", msg.UUID)
			}
			tx.endMessage()
			return nil
		case <-msg.Nacked():
			cancel()
			if err := tx.RestartMessage(ctx); err != nil {
				return err
			}
			select {
			case <-time.After(c.s.cfg.ResendInterval):
			case <-ctx.Done():
				return errClosing
			}
		case <-ctx.Done():
			cancel()
			// Not acked: undo its writes so the commit of the rest stays clean.
			undoCtx, undo := context.WithTimeout(context.Background(), StopCommitTimeout)
			_ = tx.RestartMessage(undoCtx)
			undo()
			return errClosing
		}
	}
}
