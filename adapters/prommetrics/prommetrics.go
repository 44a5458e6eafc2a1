// Package prommetrics counts the application layer's operations in Prometheus: one series
// per action, door and outcome, so a command run from the CLI or by a policy is counted
// beside the same command over HTTP.
package prommetrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"ledgerdesk/app"
)

// Operations is app.Metrics on a Prometheus registry.
type Operations struct {
	total   *prometheus.CounterVec
	latency *prometheus.HistogramVec
}

// New registers the series on reg.
func New(reg prometheus.Registerer) (*Operations, error) {
	o := &Operations{
		total: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ledgerdesk_operations_total",
			Help: "Commands and queries run through the application layer, by action, kind, door (http, cli, web, policy) and outcome (ok, replayed, or the error's class).",
		}, []string{"action", "kind", "door", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "ledgerdesk_operation_duration_seconds",
			Help:    "How long operations take, by action and door.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"action", "door"}),
	}
	for _, c := range []prometheus.Collector{o.total, o.latency} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// Observe implements app.Metrics.
func (o *Operations) Observe(ob app.Observation) {
	o.total.WithLabelValues(ob.Action, string(ob.Kind), string(ob.Door), ob.Outcome).Inc()
	o.latency.WithLabelValues(ob.Action, string(ob.Door)).Observe(ob.Duration.Seconds())
}

// Total is the counter of one action's runs through one door with one outcome.
func (o *Operations) Total(action string, kind app.Kind, door app.Door, outcome string) prometheus.Counter {
	return o.total.WithLabelValues(action, string(kind), string(door), outcome)
}
