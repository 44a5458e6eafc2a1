package app

import "time"

// Observation is one operation run, as the metrics see it.
type Observation struct {
	Action string
	Kind   Kind
	Door   Door
	// Outcome is "ok", "replayed" (a retried command answered from its record), or the
	// error's Class.
	Outcome  string
	Duration time.Duration
}

// Metrics receives every operation run, from every door.
type Metrics interface {
	Observe(Observation)
}

type noMetrics struct{}

func (noMetrics) Observe(Observation) {}
