package audit

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"ledgerdesk/projector"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// ShadowPrefix starts the name of every schema a replay builds: "audit_<projection>".
const ShadowPrefix = "audit_"

// replayLockKey keeps two replays from building the same shadow schemas at once.
const replayLockKey int64 = 0x6c64617564697472

// ErrReplayRunning says another audit replay holds the shadow schemas.
var ErrReplayRunning = errors.New("another audit replay is running")

// ReplayConfig says what to replay and where.
type ReplayConfig struct {
	DB          *pgxpool.Pool
	Store       eventstore.Store
	Projections []projections.Projection
	// Progress, if set, is told how far the replay of each projection has got.
	Progress func(projection string, done, total int64)
	// Keep leaves the shadow schemas in place for inspection.
	Keep bool
	// Samples is how many differing rows to quote per table (default 3).
	Samples int
}

// TableResult compares one table.
type TableResult struct {
	Table      string `json:"table"`
	LiveRows   int64  `json:"live_rows"`
	ReplayRows int64  `json:"replay_rows"`
	Same       bool   `json:"same"`
}

// ProjectionResult is the comparison of one projection.
type ProjectionResult struct {
	Name   string `json:"name"`
	Live   string `json:"live_schema"`
	Shadow string `json:"shadow_schema"`
	// Position is where the live projection stood, and the replay stopped.
	Position eventstore.Position `json:"position"`
	// Skipped says why the projection was not replayed (a policy: replaying it would issue
	// its commands again); empty when it was.
	Skipped     string        `json:"skipped,omitempty"`
	Tables      []TableResult `json:"tables,omitempty"`
	Differences []string      `json:"differences,omitempty"`
	// ReplayFailed are events the replay could not apply; LiveParked is how many the live
	// projection parked. Either is a difference: a parked event is history the read model
	// does not show (an amount its columns could not hold, say), even where the live and
	// replayed tables agree because both left it out.
	ReplayFailed []projector.ParkedEvent `json:"replay_failed,omitempty"`
	LiveParked   int64                   `json:"live_parked"`
}

// ReplayReport is the outcome of Replay.
type ReplayReport struct {
	Projections []ProjectionResult `json:"projections"`
}

// Differences lists every difference found, each naming its projection.
func (r ReplayReport) Differences() []string {
	var out []string
	for _, p := range r.Projections {
		for _, d := range p.Differences {
			out = append(out, p.Name+": "+d)
		}
	}
	return out
}

// policy is how a policy shows itself: a projection whose effect is a command.
type policy interface {
	Handle(ctx context.Context, e eventstore.RecordedEvent) error
}

// Replay rebuilds every projection from the first event into its shadow schema and
// compares it table by table (columns, row counts, content checksums) with the live
// schema, quoting sample rows where they differ. Each replay stops exactly at the live
// projection's checkpoint; if the live projection moves on meanwhile, the replay is
// repeated, the last time holding the checkpoint (which pauses that one projection, as a
// rebuild does), so the comparison is always of the same history. Policies are skipped.
func Replay(ctx context.Context, cfg ReplayConfig) (ReplayReport, error) {
	if cfg.Samples <= 0 {
		cfg.Samples = 3
	}
	conn, err := cfg.DB.Acquire(ctx)
	if err != nil {
		return ReplayReport{}, err
	}
	defer conn.Release()
	var locked bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, replayLockKey).Scan(&locked); err != nil {
		return ReplayReport{}, err
	}
	if !locked {
		return ReplayReport{}, ErrReplayRunning
	}
	defer func() { _, _ = conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, replayLockKey) }()

	var rep ReplayReport
	for _, p := range cfg.Projections {
		res := ProjectionResult{Name: p.Name(), Live: projections.Schema(p.Name()), Shadow: ShadowPrefix + p.Name()}
		if _, ok := p.(policy); ok {
			res.Skipped = "a policy: its effects are commands, which a replay must not issue again"
			rep.Projections = append(rep.Projections, res)
			continue
		}
		err := replayOne(ctx, cfg, p, &res)
		if !cfg.Keep {
			if _, derr := cfg.DB.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+pgx.Identifier{res.Shadow}.Sanitize()+" CASCADE"); derr != nil && err == nil {
				err = derr
			}
		}
		if err != nil {
			return rep, fmt.Errorf("replaying %s: %w", p.Name(), err)
		}
		rep.Projections = append(rep.Projections, res)
	}
	return rep, nil
}

// attemptsUnlocked is how often a replay chases a moving live projection before it holds
// the projection still.
const attemptsUnlocked = 2

func replayOne(ctx context.Context, cfg ReplayConfig, p projections.Projection, res *ProjectionResult) error {
	progress := func(done, total int64) {
		if cfg.Progress != nil {
			cfg.Progress(p.Name(), done, total)
		}
	}
	for attempt := 1; ; attempt++ {
		upTo, err := checkpoint(ctx, cfg.DB, p.Name(), false)
		if err != nil {
			return err
		}
		_, failed, err := projector.Replay(ctx, cfg.DB, boundedStore{cfg.Store, upTo}, p, res.Shadow, progress)
		if err != nil {
			return err
		}
		tx, err := cfg.DB.Begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(context.Background()) }()
		now, err := checkpoint(ctx, tx, p.Name(), true)
		if err != nil {
			return err
		}
		if now != upTo {
			if attempt < attemptsUnlocked {
				_ = tx.Rollback(ctx)
				continue
			}
			// Hold the checkpoint (the live projection waits) and replay to where it is.
			if _, failed, err = projector.Replay(ctx, cfg.DB, boundedStore{cfg.Store, now}, p, res.Shadow, progress); err != nil {
				return err
			}
		}
		res.Position, res.ReplayFailed = now, failed
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM parked_events WHERE consumer = $1`, p.Name()).Scan(&res.LiveParked); err != nil {
			return err
		}
		if err := compare(ctx, tx, cfg.Samples, res); err != nil {
			return err
		}
		parkedDifferences(res)
		return nil
	}
}

// parkedDifferences reports the events the live projection parked, and those the replay
// could not apply, as differences: either way the read model is missing part of history.
func parkedDifferences(res *ProjectionResult) {
	if res.LiveParked > 0 {
		res.Differences = append(res.Differences, fmt.Sprintf("the live projection has %d parked events: the read model does not show them (see `ledgerdesk projections parked %s`)", res.LiveParked, res.Name))
	}
	for _, pe := range res.ReplayFailed {
		res.Differences = append(res.Differences, fmt.Sprintf("the replay parked event %s (%s, %s version %d): %s", pe.EventID, pe.Type, pe.Stream, pe.Version, pe.Error))
	}
}

// checkpoint is where the live projection stands (Start if it never ran); lock holds it
// there until the transaction ends.
func checkpoint(ctx context.Context, q querier, name string, lock bool) (eventstore.Position, error) {
	sql := `SELECT commit_pos, prepare_pos FROM consumer_checkpoints WHERE consumer = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	var c, pr int64
	err := q.QueryRow(ctx, sql, name).Scan(&c, &pr)
	if errors.Is(err, pgx.ErrNoRows) {
		return eventstore.Start, nil
	}
	if err != nil {
		return eventstore.Position{}, fmt.Errorf("checkpoint of %s: %w", name, err)
	}
	return eventstore.Position{Commit: uint64(c), Prepare: uint64(pr)}, nil
}

func compare(ctx context.Context, q querier, samples int, res *ProjectionResult) error {
	live, err := schemaSums(ctx, q, res.Live)
	if err != nil {
		return err
	}
	shadow, err := schemaSums(ctx, q, res.Shadow)
	if err != nil {
		return err
	}
	if len(live) == 0 && len(shadow) > 0 {
		res.Differences = append(res.Differences, fmt.Sprintf("the live schema %s has no tables: the projection was never set up here", res.Live))
	}
	names := slices.Sorted(maps.Keys(live))
	for n := range shadow {
		if _, ok := live[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		l, inLive := live[name]
		s, inShadow := shadow[name]
		tr := TableResult{Table: name, LiveRows: l.Rows, ReplayRows: s.Rows}
		switch {
		case !inShadow:
			res.Differences = append(res.Differences, fmt.Sprintf("table %s is in the live read model but the replay did not create it", name))
		case !inLive:
			res.Differences = append(res.Differences, fmt.Sprintf("table %s is created by the replay but missing from the live read model", name))
		case l.Columns != s.Columns:
			res.Differences = append(res.Differences, fmt.Sprintf("table %s has different columns: live (%s), replay (%s)", name, l.Columns, s.Columns))
		case l.Rows != s.Rows || l.Sum != s.Sum:
			liveTbl, shadowTbl := pgx.Identifier{res.Live, name}, pgx.Identifier{res.Shadow, name}
			onlyLive, err := sampleDiff(ctx, q, liveTbl, shadowTbl, samples)
			if err != nil {
				return err
			}
			onlyReplay, err := sampleDiff(ctx, q, shadowTbl, liveTbl, samples)
			if err != nil {
				return err
			}
			res.Differences = append(res.Differences, fmt.Sprintf("table %s differs: live has %d rows, the replay %d; only in live: %s; only in the replay: %s",
				name, l.Rows, s.Rows, joinOr(onlyLive, "none"), joinOr(onlyReplay, "none")))
		default:
			tr.Same = true
		}
		res.Tables = append(res.Tables, tr)
	}
	return nil
}
