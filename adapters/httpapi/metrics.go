package httpapi

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"ledgerdesk/projector"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the API's Prometheus series, on a registry of its own (no global state).
type metrics struct {
	reg     *prometheus.Registry
	latency *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry, status func(context.Context) ([]projector.Status, error), log *slog.Logger) *metrics {
	m := &metrics{
		reg: reg,
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "ledgerdesk_http_request_duration_seconds",
			Help:    "HTTP request latency by route template, method and status.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}, []string{"method", "route", "status"}),
	}
	reg.MustRegister(m.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if status != nil {
		reg.MustRegister(&projectionCollector{status: status, log: log})
	}
	return m
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	m.latency.WithLabelValues(method, route, statusClass(status)).Observe(d.Seconds())
}

func statusClass(s int) string { return strconv.Itoa(s) }

var (
	lagDesc    = prometheus.NewDesc("ledgerdesk_projection_lag_events", "Events a projection has still to apply (-1: unknown).", []string{"projection"}, nil)
	parkedDesc = prometheus.NewDesc("ledgerdesk_projection_parked_events", "Events a projection could not apply and set aside.", []string{"projection"}, nil)
)

// projectionCollector reads projection status at scrape time, so the figures are never stale.
type projectionCollector struct {
	status func(context.Context) ([]projector.Status, error)
	log    *slog.Logger
}

func (c *projectionCollector) Describe(ch chan<- *prometheus.Desc) { ch <- lagDesc; ch <- parkedDesc }

func (c *projectionCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.status(ctx)
	if err != nil {
		c.log.Warn("metrics: projection status", "err", err)
		return
	}
	for _, s := range st {
		ch <- prometheus.MustNewConstMetric(lagDesc, prometheus.GaugeValue, float64(s.Lag), s.Name)
		ch <- prometheus.MustNewConstMetric(parkedDesc, prometheus.GaugeValue, float64(s.Parked), s.Name)
	}
}
