// Package attachment is the attachment-store port of the support centre: what the support
// service needs from wherever a ticket's files are kept, in the service's own terms. The
// Postgres adapter (adapters/attachmentstore, encrypted at rest) and the in-memory
// reference (memstore) implement it, and attachmenttest is the conformance suite both
// pass.
//
// The port also owns the one decision about a file's bytes the command side relies on:
// Sniff says, from the bytes alone, whether a file is a type an agent may open and within
// MaxSize. It is pure, so it lives here and not behind the port; a store calls it too,
// so nothing it keeps was refused by the service.
//
// A store does not decide who may read what: the ticket decider does (only the agent
// handling the ticket), and the service asks it before calling Open.
package attachment

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"ledgerdesk/domain/check"
)

// Failures callers tell apart with errors.Is. Sniffing failures are ErrUnsupportedType and
// ErrTooLarge. An adapter may fail in ways of its own too (a missing key, the database).
var (
	ErrNotFound  = errors.New("no such attachment")
	ErrDestroyed = errors.New("attachment has been destroyed")
	ErrExists    = errors.New("attachment id already holds different content")
	ErrInvalid   = errors.New("invalid attachment request")
)

// Class is which of a ticket's attachments a file belongs with: identity documents are
// destroyed after the retention period, and a store may seal them under a key of their own.
type Class string

const (
	// ClassIdentity is for identity documents, destroyed after the retention period.
	ClassIdentity Class = "identity"
	// ClassOther is for every other attachment (screenshots, letters).
	ClassOther Class = "other"
)

// Upload is one file to keep.
type Upload struct {
	TicketID     string
	AttachmentID string
	Class        Class
	Content      []byte
}

// Stored describes what was kept.
type Stored struct {
	ContentType string
	Size        int64
	SHA256      [sha256.Size]byte
}

// Document is an attachment read back.
type Document struct {
	TicketID     string
	AttachmentID string
	ContentType  string
	Content      []byte
}

// Read is one entry of a store's read log.
type Read struct {
	AttachmentID string
	TicketID     string
	Reader       string
	At           time.Time
}

// Store keeps a ticket's files. Implementations are safe for concurrent use.
type Store interface {
	// Put sniffs and keeps content (Sniff's errors, nothing kept, for a file it refuses).
	// Putting the same content under the same ticket and id again succeeds with the same
	// Stored (a retried upload); other content, or another ticket, under a used id is
	// ErrExists, and an id whose attachment was destroyed is ErrDestroyed. Malformed ids
	// and a class other than ClassIdentity or ClassOther are ErrInvalid.
	Put(ctx context.Context, u Upload) (Stored, error)
	// Open reads an attachment back for reader, who must be named (ErrInvalid otherwise),
	// and logs the read: no bytes leave the store without their read on record. An id
	// not kept for that ticket is ErrNotFound, a destroyed one ErrDestroyed.
	Open(ctx context.Context, ticketID, attachmentID, reader string) (Document, error)
	// Destroy deletes an attachment's bytes for good and remembers the id as destroyed.
	// Destroying twice, or an id that never held bytes (an upload that failed half way),
	// succeeds. Other attachments, of the ticket or its class, stay readable.
	Destroy(ctx context.Context, ticketID, attachmentID string) error
}

// ReadLog lists who read an attachment. The service does not need it; audits and the
// conformance suite do.
type ReadLog interface {
	// Reads lists every read of an attachment, oldest first.
	Reads(ctx context.Context, attachmentID string) ([]Read, error)
}

// MaxIDLength is the longest ticket or attachment id a store accepts.
const MaxIDLength = 128

// CheckIDs is ErrInvalid unless both ids pass the one id rule of every aggregate
// (check.IDReason: non-empty, at most MaxIDLength bytes, no spaces, control characters or
// check.IDPunctuation): the rule every store applies.
func CheckIDs(ticketID, attachmentID string) error {
	for _, f := range []struct{ name, v string }{{"ticket_id", ticketID}, {"attachment_id", attachmentID}} {
		if r := check.IDReason(f.v, MaxIDLength); r != "" {
			return fmt.Errorf("%w: field %s: %s", ErrInvalid, f.name, r)
		}
	}
	return nil
}

// CheckReader is ErrInvalid for an anonymous read.
func CheckReader(reader string) error {
	if strings.TrimSpace(reader) == "" {
		return fmt.Errorf("%w: field reader: every read must say who read it", ErrInvalid)
	}
	return nil
}

// Check is what every store checks of an upload before keeping anything: its ids, its
// class, and its bytes (Sniff). It returns what Put returns on success.
func Check(u Upload) (Stored, error) {
	if err := CheckIDs(u.TicketID, u.AttachmentID); err != nil {
		return Stored{}, err
	}
	if u.Class != ClassIdentity && u.Class != ClassOther {
		return Stored{}, fmt.Errorf("%w: field class: must be identity or other", ErrInvalid)
	}
	ct, err := Sniff(u.Content)
	if err != nil {
		return Stored{}, err
	}
	return Stored{ContentType: ct, Size: int64(len(u.Content)), SHA256: sha256.Sum256(u.Content)}, nil
}
