package esdb

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	esdbc "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"ledgerdesk/eventstore"
)

func TestActualVersionIsTheReportedRevisionPlusOne(t *testing.T) {
	cases := []struct {
		detail string
		want   uint64
		ok     bool
	}{
		{"wrong expected version: expecting '3' but got '5'", 6, true},
		{"wrong expected version: expecting '0' but got '0'", 1, true},
		{"wrong expected version: expecting 'no_stream' but got '0'", 1, true},
		{"wrong expected version: expecting '2' but got 'no_stream'", 0, true},
		{"wrong expected version: expecting 'any' but got '41'", 42, true},
		{"wrong expected version: expecting '2' but got '-1'", 0, false},
		{"wrong expected version: expecting '2' but got '18446744073709551615'", 0, false},
		{"wrong expected version: expecting '2' but got 'x'", 0, false},
		{"wrong expected version: expecting '2' but got '7", 0, false},
		{"", 0, false},
	}
	for _, c := range cases {
		got, ok := actualFromDetail(c.detail)
		if got != c.want || ok != c.ok {
			t.Errorf("actualFromDetail(%q) = %d, %v; want %d, %v", c.detail, got, ok, c.want, c.ok)
		}
	}
}

func TestConflictErrorCarriesStreamExpectedAndActual(t *testing.T) {
	lookupCalled := false
	lookup := func(context.Context, string) (uint64, error) { lookupCalled = true; return 99, nil }
	err := error(conflictError(context.Background(), "invoice-7", eventstore.Exactly(3),
		"wrong expected version: expecting '2' but got '4'", lookup))

	if !errors.Is(err, eventstore.ErrConflict) {
		t.Fatalf("errors.Is(%v, ErrConflict) = false", err)
	}
	var ce *eventstore.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("errors.As(%v, *ConflictError) = false", err)
	}
	if ce.Stream != "invoice-7" || ce.Expected != eventstore.Exactly(3) || ce.Actual != 5 {
		t.Errorf("conflict = %+v, want stream invoice-7, expected version 3, actual 5", ce)
	}
	if lookupCalled {
		t.Error("the server was asked although the answer said the actual revision")
	}
}

func TestConflictAsksTheServerWhenTheAnswerHasNoRevision(t *testing.T) {
	lookup := func(_ context.Context, stream string) (uint64, error) {
		if stream != "ticket-1" {
			t.Errorf("lookup(%q)", stream)
		}
		return 12, nil
	}
	ce := conflictError(context.Background(), "ticket-1", eventstore.NoStream(), "something new", lookup)
	if ce.Actual != 12 || ce.Expected != eventstore.NoStream() {
		t.Errorf("conflict = %+v, want actual 12 from the server", ce)
	}

	failing := func(context.Context, string) (uint64, error) { return 0, fmt.Errorf("unreachable") }
	ce = conflictError(context.Background(), "ticket-1", eventstore.Exactly(2), "", failing)
	if !errors.Is(ce, eventstore.ErrConflict) || ce.Actual != 0 {
		t.Errorf("conflict = %+v, want a conflict even when the lookup fails", ce)
	}
}

func TestOnlyTheClientsWrongExpectedVersionIsAConflict(t *testing.T) {
	// The client library builds its errors with unexported fields; FromError is the only
	// public constructor, and it makes ErrorCodeUnknown.
	unknown, _ := esdbc.FromError(errors.New("boom"))
	for _, err := range []error{nil, errors.New("wrong expected version: expecting '1' but got '2'"), unknown,
		fmt.Errorf("wrapped: %w", unknown)} {
		if _, ok := wrongExpectedVersion(err); ok {
			t.Errorf("wrongExpectedVersion(%v) = true", err)
		}
	}
}

// FuzzActualFromDetail: any message from the server is either read as a version or
// refused, never a panic; a version read is one more than the revision in the text, and
// version 0 only comes from "no_stream".
func FuzzActualFromDetail(f *testing.F) {
	f.Add("wrong expected version: expecting '3' but got '5'")
	f.Add("but got 'no_stream'")
	f.Add("but got '")
	f.Add("but got ''")
	f.Fuzz(func(t *testing.T, detail string) {
		v, ok := actualFromDetail(detail)
		switch {
		case !ok:
		case v == 0:
			if !strings.Contains(detail, "but got 'no_stream'") {
				t.Fatalf("version 0 from %q", detail)
			}
		default:
			if !strings.Contains(detail, "but got '"+strconv.FormatUint(v-1, 10)+"'") {
				t.Fatalf("version %d from %q", v, detail)
			}
		}
	})
}
