package app

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unavailable is a failure to reach the database (or another service an operation needs):
// it is restarting, refusing connections or gone. Nothing was decided; the same request
// may succeed in a moment, so the HTTP API answers 503 with Retry-After.
const Unavailable Class = "unavailable"

// unavailable says err is the database being out of reach rather than anything about the
// request: a failed connection attempt, a server shutting down or not yet accepting
// connections (SQLSTATE class 57P), a connection exception (class 08) or too many
// connections (53300), a network error, a connection closed under the query, or a
// deadline passed while waiting for one. A caller's own cancellation is not.
func unavailable(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P") || pe.Code == "53300"
	}
	var ne net.Error
	return errors.As(err, &ne) || pgconn.Timeout(err) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
