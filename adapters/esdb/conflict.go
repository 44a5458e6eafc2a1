package esdb

import (
	"context"
	"errors"
	"strconv"
	"strings"

	esdbc "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"ledgerdesk/eventstore"
)

// wrongExpectedVersion returns the detail of ESDB's optimistic-concurrency failure, the
// only place where the client library tells the stream's actual revision.
func wrongExpectedVersion(err error) (detail string, ok bool) {
	var e *esdbc.Error
	if !errors.As(err, &e) || e.Code() != esdbc.ErrorCodeWrongExpectedVersion {
		return "", false
	}
	if e.Err() != nil {
		detail = e.Err().Error()
	}
	return detail, true
}

// isCode reports whether err is the client library's error with that code.
func isCode(err error, code esdbc.ErrorCode) bool {
	var e *esdbc.Error
	return errors.As(err, &e) && e.Code() == code
}

// actualFromDetail reads the stream's actual version out of the client's message
// "wrong expected version: expecting 'X' but got 'Y'", where Y is a 0-based revision or
// "no_stream". The client library exposes the number only in that text; when the text
// changes, ok is false and the caller asks the server instead.
func actualFromDetail(detail string) (version uint64, ok bool) {
	const marker = "but got '"
	i := strings.LastIndex(detail, marker)
	if i < 0 {
		return 0, false
	}
	rest := detail[i+len(marker):]
	end := strings.IndexByte(rest, '\'')
	if end < 0 {
		return 0, false
	}
	got := rest[:end]
	if got == "no_stream" {
		return 0, true
	}
	rev, err := strconv.ParseUint(got, 10, 64)
	if err != nil || rev == ^uint64(0) || strconv.FormatUint(rev, 10) != got {
		return 0, false
	}
	return rev + 1, true
}

// conflictError is the port's conflict for ESDB's wrong-expected-version answer. Actual
// comes from the answer itself, or else from lookup (the stream's current version read
// from the server); if even that fails the conflict is still reported, with Actual 0,
// because the append certainly did not happen.
func conflictError(ctx context.Context, stream string, expected eventstore.ExpectedVersion, detail string,
	lookup func(ctx context.Context, stream string) (uint64, error)) *eventstore.ConflictError {
	actual, ok := actualFromDetail(detail)
	if !ok && lookup != nil {
		if v, err := lookup(ctx, stream); err == nil {
			actual = v
		}
	}
	return &eventstore.ConflictError{Stream: stream, Expected: expected, Actual: actual}
}
