package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestTheDatabaseOutOfReachIsUnavailableNotInternal(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for name, err := range map[string]error{
		"admin shutdown":      &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"},
		"cannot connect now":  &pgconn.PgError{Code: "57P03", Message: "the database system is starting up"},
		"connection failure":  &pgconn.PgError{Code: "08006"},
		"too many":            &pgconn.PgError{Code: "53300"},
		"refused":             fmt.Errorf("reading %q: %w", "invoice-1", refused),
		"deadline on acquire": fmt.Errorf("acquire: %w", context.DeadlineExceeded),
	} {
		if c := ClassOf(err); c != Unavailable {
			t.Errorf("%s: %s, want %s", name, c, Unavailable)
		}
	}
	if c := ClassOf(fmt.Errorf("x: %w", context.Canceled)); c != Cancelled {
		t.Errorf("the caller's own cancellation: %s, want %s", c, Cancelled)
	}
	if c := ClassOf(&pgconn.PgError{Code: "23505"}); c != Internal {
		t.Errorf("a unique violation nobody named: %s, want %s", c, Internal)
	}
	if c := ClassOf(errors.New("boom")); c != Internal {
		t.Errorf("unknown: %s", c)
	}
}
