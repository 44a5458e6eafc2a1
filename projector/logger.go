package projector

import (
	"context"
	"log/slog"

	"github.com/ThreeDotsLabs/watermill"
)

// quietLogger passes Watermill's errors and infos to slog and drops its per-message trace
// and debug lines before they are built: at 100,000 events a second, assembling log
// fields nobody reads was a tenth of the projector's CPU.
type quietLogger struct {
	inner watermill.LoggerAdapter
	debug bool
}

func newQuietLogger(l *slog.Logger) watermill.LoggerAdapter {
	return quietLogger{
		inner: watermill.NewSlogLoggerWithLevelMapping(l, map[slog.Level]slog.Level{slog.LevelInfo: slog.LevelDebug}),
		debug: l.Enabled(context.Background(), slog.LevelDebug),
	}
}

func (q quietLogger) Error(msg string, err error, f watermill.LogFields) { q.inner.Error(msg, err, f) }
func (q quietLogger) Info(msg string, f watermill.LogFields)             { q.inner.Info(msg, f) }
func (q quietLogger) Debug(msg string, f watermill.LogFields) {
	if q.debug {
		q.inner.Debug(msg, f)
	}
}
func (q quietLogger) Trace(string, watermill.LogFields) {}
func (q quietLogger) With(f watermill.LogFields) watermill.LoggerAdapter {
	return quietLogger{inner: q.inner.With(f), debug: q.debug}
}
