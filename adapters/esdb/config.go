package esdb

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Config is how the adapter connects and behaves. Only URL is required.
type Config struct {
	// URL is an esdb://, esdb+discover://, kurrentdb://, kurrentdb+discover://, kdb:// or
	// kurrent:// connection string, e.g. "kurrentdb://localhost:2113?tls=false" or
	// "esdb://node1:2113,node2:2113,node3:2113?tls=true".
	URL string

	// SubscribeBatchSize is the largest batch Subscribe hands to its handler (default 256).
	SubscribeBatchSize int
	// ReconnectMin and ReconnectMax bound the exponential pause before a dropped
	// subscription reconnects (defaults 100ms and 10s).
	ReconnectMin, ReconnectMax time.Duration
	// WithoutEventIDGuard turns off the per-event guard streams. Appends then cost one
	// write and one read instead of one write per event more, but an event id reused in
	// another stream is no longer refused, and a retry of an "any version" append is
	// recognised only as far as ESDB's own best-effort idempotency reaches. Only for bulk
	// imports whose ids are known to be fresh.
	WithoutEventIDGuard bool

	// Logger receives the adapter's and the client library's logs (default slog.Default()).
	Logger *slog.Logger
}

// Defaults for Config's zero fields.
const (
	DefaultSubscribeBatchSize = 256
	DefaultReconnectMin       = 100 * time.Millisecond
	DefaultReconnectMax       = 10 * time.Second
)

func (c Config) withDefaults() Config {
	if c.SubscribeBatchSize <= 0 {
		c.SubscribeBatchSize = DefaultSubscribeBatchSize
	}
	if c.ReconnectMin <= 0 {
		c.ReconnectMin = DefaultReconnectMin
	}
	if c.ReconnectMax < c.ReconnectMin {
		c.ReconnectMax = max(DefaultReconnectMax, c.ReconnectMin)
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// ErrConnectionString is wrapped when a connection string cannot be used.
var ErrConnectionString = errors.New("esdb: invalid connection string")

// schemeAliases maps the schemes KurrentDB documents to the ones this client library
// (EventStore-Client-Go v4, which predates the rename) understands.
var schemeAliases = map[string]string{
	"esdb":               "esdb",
	"esdb+discover":      "esdb+discover",
	"kurrentdb":          "esdb",
	"kurrentdb+discover": "esdb+discover",
	"kurrent":            "esdb",
	"kurrent+discover":   "esdb+discover",
	"kdb":                "esdb",
	"kdb+discover":       "esdb+discover",
}

// normalizeURL rewrites a KurrentDB connection string into the esdb:// form the client
// parses, leaving everything after the scheme untouched (hosts, credentials, settings).
func normalizeURL(url string) (string, error) {
	url = strings.TrimSpace(url)
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok || scheme == "" {
		return "", fmt.Errorf("%w: want a URL such as kurrentdb://localhost:2113?tls=false", ErrConnectionString)
	}
	to, known := schemeAliases[strings.ToLower(scheme)]
	if !known {
		return "", fmt.Errorf("%w: scheme %q: want esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover://", ErrConnectionString, scheme)
	}
	if rest == "" {
		return "", fmt.Errorf("%w: no host after %s://", ErrConnectionString, scheme)
	}
	return to + "://" + rest, nil
}

// redact hides a password in a connection string before it is logged or put in an error.
func redact(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	at := strings.IndexByte(rest, '@')
	if at < 0 {
		return url
	}
	if slash := strings.IndexAny(rest, "/?"); slash >= 0 && slash < at {
		return url
	}
	user, _, _ := strings.Cut(rest[:at], ":")
	return scheme + "://" + user + ":***" + rest[at:]
}
