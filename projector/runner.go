package projector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"ledgerdesk/projections"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/wmstore"
	"ledgerdesk/eventstore"
)

// Config assembles a Runner.
type Config struct {
	Store       eventstore.Store
	DB          *pgxpool.Pool
	Projections []projections.Projection
	Logger      *slog.Logger
	// MaxRetries is how often a failing event is retried before it is parked.
	MaxRetries int
	// RetryInterval is the first pause between retries; it doubles each time.
	RetryInterval time.Duration
	// OwnershipPoll is how often a process waiting to own a projection tries again.
	OwnershipPoll time.Duration
}

// ErrNoProjections says a runner was given nothing to run. That is a wiring mistake (the
// read models could not be built), not a quiet idle state: a runner without handlers would
// report itself running while doing nothing.
var ErrNoProjections = errors.New("projector: no projections to run")

// StopTimeout bounds how long Run waits, once its context has ended, for the batches in
// flight to commit what was acked before it returns anyway.
const StopTimeout = 5 * time.Second

// Runner runs projections on one Watermill router.
type Runner struct {
	cfg    Config
	router *message.Router
	owners *wmstore.Ownership
}

// NewRunner sets up each projection's schema and wires its handler. It refuses to build a
// runner with no projections (ErrNoProjections).
func NewRunner(ctx context.Context, cfg Config) (*Runner, error) {
	if len(cfg.Projections) == 0 {
		return nil, ErrNoProjections
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 3
	}
	if cfg.RetryInterval <= 0 {
		cfg.RetryInterval = 20 * time.Millisecond
	}
	wlog := newQuietLogger(cfg.Logger)
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: StopTimeout}, wlog)
	if err != nil {
		return nil, err
	}
	poison, err := middleware.PoisonQueueWithFilter(parker{}, parkTopic, func(error) bool { return true })
	if err != nil {
		return nil, err
	}
	// Outermost first: correlation travels with the message, then parking catches what the
	// retries could not fix. Panics become errors inside handlerFor, where the retries see
	// them (Watermill's Recoverer would add a frame to every message's stack).
	router.AddMiddleware(
		middleware.CorrelationID,
		poison,
		retry(cfg.MaxRetries, cfg.RetryInterval),
	)
	// One connection owns every projection this process runs, and deliveries stay below
	// the pool's size, so the runner fits a small pool (see wmstore.DeliveryLimit).
	owners := wmstore.NewOwnership(cfg.DB.Config().ConnConfig, 0)
	deliveries := wmstore.DeliveriesFor(cfg.DB.Config().MaxConns)
	built := false
	defer func() {
		if !built {
			owners.Close()
		}
	}()
	seen := map[string]bool{}
	for _, p := range cfg.Projections {
		if err := checkName(p); err != nil {
			return nil, err
		}
		if seen[p.Name()] {
			return nil, fmt.Errorf("projection %s registered twice", p.Name())
		}
		seen[p.Name()] = true
		if err := Setup(ctx, cfg.DB, p); err != nil {
			return nil, err
		}
		schema := projections.Schema(p.Name())
		sub, err := wmstore.NewSubscriber(wmstore.SubscriberConfig{
			Store: cfg.Store, DB: cfg.DB, ConsumerGroup: p.Name(), Logger: wlog, OwnershipPoll: cfg.OwnershipPoll,
			Ownership: owners, Deliveries: deliveries,
			// Projections read the event itself (EventFromContext); only the correlation id
			// is needed as Watermill metadata, for the correlation middleware.
			MetadataKeys: []string{middleware.CorrelationIDMetadataKey},
			BeginTx:      func(ctx context.Context, tx pgx.Tx) error { return useSchema(ctx, tx, schema) },
		})
		if err != nil {
			return nil, err
		}
		router.AddConsumerHandler(p.Name(), wmstore.AllTopic, sub, handlerFor(p))
	}
	built = true
	return &Runner{cfg: cfg, router: router, owners: owners}, nil
}

// Setup creates a projection's live schema and tables if they are missing.
func Setup(ctx context.Context, db *pgxpool.Pool, p projections.Projection) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error { return setupSchema(ctx, tx, p, projections.Schema(p.Name())) })
}

// handlerFor adapts a projection to a Watermill handler. Each attempt starts from a clean
// slate, and in careful mode (the subscriber is isolating a failure) its writes are sent
// at once so a failing statement is charged to the event that wrote it.
func handlerFor(p projections.Projection) message.NoPublishHandlerFunc {
	return func(msg *message.Message) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("projection %s panicked: %v", p.Name(), r)
			}
		}()
		ctx := msg.Context()
		tx, ok := wmstore.TxFromContext(ctx)
		if !ok {
			return errors.New("message delivered without a transaction")
		}
		e, ok := wmstore.EventFromContext(ctx)
		if !ok {
			return errors.New("message delivered without its event")
		}
		if err := tx.RestartMessage(ctx); err != nil {
			return err
		}
		if err := p.Apply(ctx, tx, e); err != nil {
			return applyError(p, e, err)
		}
		if tx.Careful() {
			return tx.Flush(ctx)
		}
		return nil
	}
}

// Run runs until ctx ends (or Close is called), and returns within about StopTimeout of
// that: batches in flight commit what was acked, and what was not is delivered again on
// the next start.
//
// Watermill's Router.Run returns only after Router.Close; when ctx ends it relies on every
// handler's subscription ending to call Close itself, which never happens for a router
// without handlers and waits on the slowest subscriber otherwise. So the runner closes the
// router as soon as ctx ends, and Close is bounded by the router's CloseTimeout.
func (r *Runner) Run(ctx context.Context) error {
	defer r.owners.Close()
	done := make(chan error, 1)
	go func() { done <- r.router.Run(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	// Close holds the router's handler lock while it waits for the handlers, so closing
	// before Run has started them would stall both until CloseTimeout.
	select {
	case <-r.router.Running():
	case err := <-done:
		return err
	}
	closed := make(chan error, 1)
	go func() { closed <- r.router.Close() }()
	bound := time.NewTimer(StopTimeout + time.Second)
	defer bound.Stop()
	select {
	case err := <-done:
		if err != nil {
			return err
		}
	case <-bound.C:
		return fmt.Errorf("projector: still stopping %s after the context ended", StopTimeout+time.Second)
	}
	select {
	case err := <-closed:
		if err != nil {
			return fmt.Errorf("projector: stopping: %w", err)
		}
	case <-bound.C:
		return fmt.Errorf("projector: still stopping %s after the context ended", StopTimeout+time.Second)
	}
	return nil
}

// Running is closed once every handler is running.
func (r *Runner) Running() chan struct{} { return r.router.Running() }

// Close stops the router, committing what has been acked, and gives up ownership.
func (r *Runner) Close() error {
	err := r.router.Close()
	r.owners.Close()
	return err
}

// Owned is how many of its projections this runner owns now.
func (r *Runner) Owned() int { return r.owners.Held() }

// applyError is kept out of line so that the per-message handler's frame stays small.
//
//go:noinline
func applyError(p projections.Projection, e eventstore.RecordedEvent, err error) error {
	return fmt.Errorf("projection %s, event %s (%s@%d): %w", p.Name(), e.Type, e.StreamID, e.Version, err)
}
