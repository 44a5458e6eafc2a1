package eventstore

import (
	"errors"
	"fmt"
	"strings"
)

type expectation uint8

const (
	expectAny expectation = iota
	expectNoStream
	expectExact
)

// ExpectedVersion is the optimistic-concurrency condition of an append.
type ExpectedVersion struct {
	kind    expectation
	version uint64
}

// Any appends whatever the stream's version.
func Any() ExpectedVersion { return ExpectedVersion{kind: expectAny} }

// NoStream appends only if the stream has no events.
func NoStream() ExpectedVersion { return ExpectedVersion{kind: expectNoStream} }

// Exactly appends only if the stream is at version v (v = 0 is the same as NoStream).
func Exactly(v uint64) ExpectedVersion {
	if v == 0 {
		return NoStream()
	}
	return ExpectedVersion{kind: expectExact, version: v}
}

// IsAny reports the unconditional expectation.
func (e ExpectedVersion) IsAny() bool { return e.kind == expectAny }

// Version is the version this expectation requires, and false for Any.
func (e ExpectedVersion) Version() (uint64, bool) {
	switch e.kind {
	case expectNoStream:
		return 0, true
	case expectExact:
		return e.version, true
	}
	return 0, false
}

func (e ExpectedVersion) String() string {
	switch e.kind {
	case expectNoStream:
		return "no stream"
	case expectExact:
		return fmt.Sprintf("version %d", e.version)
	}
	return "any version"
}

// ErrConflict is matched (errors.Is) by every *ConflictError.
var ErrConflict = errors.New("stream version conflict")

// ConflictError says an append's expected version did not match the stream.
type ConflictError struct {
	Stream   string
	Expected ExpectedVersion
	Actual   uint64
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("stream %q: expected %s, but it is at version %d", e.Stream, e.Expected, e.Actual)
}

func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// ErrInvalidAppend is wrapped by appends rejected before they reach storage.
var ErrInvalidAppend = errors.New("invalid append")

// ErrDuplicateEventID says an event id is already used by a different event: not a retry of
// the same append, so it must not be silently accepted.
var ErrDuplicateEventID = errors.New("event id already used by another event")

// ValidateAppend checks what every adapter must refuse before touching storage.
func ValidateAppend(stream string, events []EventData) error {
	if stream == "" {
		return fmt.Errorf("%w: empty stream name", ErrInvalidAppend)
	}
	if strings.HasPrefix(stream, "$") {
		return fmt.Errorf("%w: stream %q: names starting with $ are reserved for the store", ErrInvalidAppend, stream)
	}
	if len(events) == 0 {
		return fmt.Errorf("%w: stream %q: no events", ErrInvalidAppend, stream)
	}
	seen := make(map[[16]byte]bool, len(events))
	for i, e := range events {
		if e.ID == [16]byte{} {
			return fmt.Errorf("%w: stream %q: event %d has no id", ErrInvalidAppend, stream, i)
		}
		if seen[e.ID] {
			return fmt.Errorf("%w: stream %q: event %d repeats id %s", ErrInvalidAppend, stream, i, e.ID)
		}
		seen[e.ID] = true
		if e.Type == "" {
			return fmt.Errorf("%w: stream %q: event %d has no type", ErrInvalidAppend, stream, i)
		}
	}
	return nil
}

// Category is the part of a stream name before the first '-'.
func Category(stream string) string {
	c, _, _ := strings.Cut(stream, "-")
	return c
}
