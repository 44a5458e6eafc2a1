package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/app/authz"
	"ledgerdesk/commands"
	cpayouts "ledgerdesk/commands/payouts"
	"ledgerdesk/commands/support"
)

// Querier reads the read models: a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Config is what the application layer runs on. Commands and DB are required; the rest
// is optional, and an operation that needs a missing part says so.
type Config struct {
	Commands commands.Deps
	DB       Querier
	// Support runs the support centre's workflows (accounts, tickets, documents).
	Support *support.Service
	// Help is the help articles; nil where the help is not served.
	Help HelpLibrary
	// Payouts is the earnings read model a payout run finds its clinicians in; without
	// one, a run must name them.
	Payouts cpayouts.EarningsFinder
	// Bank writes the bank files payout runs are exported as.
	Bank cpayouts.BankFileWriter
	// Projections reports on and manages the read models.
	Projections Projections
	Metrics     Metrics
	Logger      *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// App is the application layer. It is safe for concurrent use.
type App struct {
	cfg Config
	log *slog.Logger
}

// ErrNotConfigured says an operation needs a part the application was built without.
var ErrNotConfigured = errors.New("not available in this deployment")

// New builds the application layer on cfg.
func New(cfg Config) (*App, error) {
	if cfg.Commands.Store == nil || cfg.Commands.Codec == nil {
		return nil, errors.New("app: Config.Commands needs a Store and a Codec")
	}
	if cfg.DB == nil {
		return nil, errors.New("app: Config.DB is required")
	}
	if cfg.Metrics == nil {
		cfg.Metrics = noMetrics{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &App{cfg: cfg, log: cfg.Logger}, nil
}

// Now is the application's clock.
func (a *App) Now() time.Time { return a.cfg.Now() }

// Commands is what the command layer runs on, for the parts of a deployment (the demo
// seed, the policies' catch-up) that decode and read streams themselves.
func (a *App) Commands() commands.Deps { return a.cfg.Commands }

// run applies the decorators around one operation: ids, logging, metrics, authorization.
// The handler's error is returned as it was (errors.Is and errors.As see through it).
func run[Out any](ctx context.Context, a *App, call Call, spec Spec, h func(context.Context, *Request) (Out, error)) (out Out, err error) {
	r := &Request{Call: call, Spec: spec, Meta: call.meta(), Now: a.cfg.Now()}
	r.CommandID, r.CorrelationID, r.CausationID = r.Meta.CommandID, r.Meta.CorrelationID, r.Meta.CausationID
	start := time.Now()
	replayed := false
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: internal error: %v", spec.Action, p)
		}
		d := time.Since(start)
		outcome := "ok"
		if err != nil {
			outcome = string(ClassOf(err))
		} else if replayed {
			outcome = "replayed"
		}
		a.cfg.Metrics.Observe(Observation{Action: spec.Action, Kind: spec.Kind, Door: call.Door, Outcome: outcome, Duration: d})
		a.logRun(ctx, r, outcome, d, err)
	}()

	if err := call.Actor.Valid(); err != nil {
		return out, err
	}
	if !spec.Rule.Allows(call.Actor.Role) {
		return out, spec.Rule.Check(call.Actor, spec.Action, authz.Resource{})
	}
	out, err = h(ctx, r)
	if err != nil {
		var zero Out
		return zero, err
	}
	if r.Scoped() && !r.checked {
		var zero Out
		return zero, fmt.Errorf("%w: %s for a %s", ErrUnchecked, spec.Action, call.Actor.Role)
	}
	if o, ok := any(out).(Outcome); ok {
		replayed = o.Replayed
	}
	return out, nil
}

func (a *App) logRun(ctx context.Context, r *Request, outcome string, d time.Duration, err error) {
	// Successes are routine (a demo seed runs thousands): debug. A refusal is worth a line;
	// a failure of ours is an error.
	level := slog.LevelDebug
	attrs := []slog.Attr{
		slog.String("action", r.Spec.Action), slog.String("door", string(r.Door)),
		slog.String("actor", r.Actor.Subject), slog.String("role", string(r.Actor.Role)),
		slog.String("outcome", outcome), slog.Duration("took", d),
		slog.String("correlation_id", r.CorrelationID.String()),
	}
	if r.Spec.Kind == Command {
		attrs = append(attrs, slog.String("command_id", r.CommandID.String()))
	}
	if err != nil {
		// A refusal is worth a line in a server's log; at the terminal the person who asked
		// is told it already, so there it is debug.
		if r.Door != CLI {
			level = slog.LevelInfo
		}
		if ClassOf(err) == Internal {
			level = slog.LevelError
		}
		attrs = append(attrs, slog.String("err", err.Error()))
	}
	a.log.LogAttrs(ctx, level, r.Spec.Kind.String(), attrs...)
}

func (k Kind) String() string { return string(k) }
