// Package memstore is the in-memory reference implementation of the attachment-store
// port: every promise of attachment.Store and attachment.ReadLog, in a map, for tests and
// demos that need no database. It passes the same conformance suite (attachmenttest) as
// the Postgres store. It seals nothing: bytes are kept in the clear, in this process only.
package memstore

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"ledgerdesk/commands/support/attachment"
)

type blob struct {
	ticketID string
	class    attachment.Class
	stored   attachment.Stored
	content  []byte
}

type tombstone struct {
	ticketID string
	at       time.Time
}

// Store keeps attachments in memory. The zero value is not usable; call New. Safe for
// concurrent use.
type Store struct {
	now       func() time.Time
	mu        sync.Mutex
	blobs     map[string]blob
	destroyed map[string]tombstone // by attachment id
	reads     map[string][]attachment.Read
}

var (
	_ attachment.Store   = (*Store)(nil)
	_ attachment.ReadLog = (*Store)(nil)
)

// Option adjusts a Store.
type Option func(*Store)

// WithClock stamps reads with now instead of time.Now.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// New is an empty store.
func New(opts ...Option) *Store {
	s := &Store{now: time.Now, blobs: map[string]blob{}, destroyed: map[string]tombstone{}, reads: map[string][]attachment.Read{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Put keeps a copy of u's content; see attachment.Store.
func (s *Store) Put(ctx context.Context, u attachment.Upload) (attachment.Stored, error) {
	if err := ctx.Err(); err != nil {
		return attachment.Stored{}, err
	}
	st, err := attachment.Check(u)
	if err != nil {
		return attachment.Stored{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, gone := s.destroyed[u.AttachmentID]; gone {
		return attachment.Stored{}, fmt.Errorf("%w: %s", attachment.ErrDestroyed, u.AttachmentID)
	}
	if b, ok := s.blobs[u.AttachmentID]; ok {
		if b.ticketID == u.TicketID && b.stored.SHA256 == st.SHA256 {
			return b.stored, nil
		}
		return attachment.Stored{}, fmt.Errorf("%w: %s", attachment.ErrExists, u.AttachmentID)
	}
	s.blobs[u.AttachmentID] = blob{ticketID: u.TicketID, class: u.Class, stored: st, content: bytes.Clone(u.Content)}
	return st, nil
}

// Open returns a copy of the attachment and logs the read; see attachment.Store.
func (s *Store) Open(ctx context.Context, ticketID, attachmentID, reader string) (attachment.Document, error) {
	if err := ctx.Err(); err != nil {
		return attachment.Document{}, err
	}
	if err := attachment.CheckIDs(ticketID, attachmentID); err != nil {
		return attachment.Document{}, err
	}
	if err := attachment.CheckReader(reader); err != nil {
		return attachment.Document{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.blobs[attachmentID]
	if !ok || b.ticketID != ticketID {
		if d, gone := s.destroyed[attachmentID]; gone && d.ticketID == ticketID {
			return attachment.Document{}, fmt.Errorf("%w: %s on %s", attachment.ErrDestroyed, attachmentID, d.at.UTC().Format("2 Jan 2006"))
		}
		return attachment.Document{}, fmt.Errorf("%w: %s on ticket %s", attachment.ErrNotFound, attachmentID, ticketID)
	}
	s.reads[attachmentID] = append(s.reads[attachmentID], attachment.Read{AttachmentID: attachmentID, TicketID: ticketID, Reader: reader, At: s.now().UTC()})
	return attachment.Document{TicketID: ticketID, AttachmentID: attachmentID, ContentType: b.stored.ContentType, Content: bytes.Clone(b.content)}, nil
}

// Destroy forgets the attachment's bytes and remembers its id; see attachment.Store.
func (s *Store) Destroy(ctx context.Context, ticketID, attachmentID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := attachment.CheckIDs(ticketID, attachmentID); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.blobs[attachmentID]; ok && b.ticketID == ticketID {
		delete(s.blobs, attachmentID)
	}
	if _, gone := s.destroyed[attachmentID]; !gone {
		s.destroyed[attachmentID] = tombstone{ticketID: ticketID, at: s.now()}
	}
	return nil
}

// Reads lists every read of an attachment, oldest first.
func (s *Store) Reads(ctx context.Context, attachmentID string) ([]attachment.Read, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reads[attachmentID]), nil
}
