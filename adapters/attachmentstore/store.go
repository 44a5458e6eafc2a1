package attachmentstore

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/attachments"
	"ledgerdesk/commands/support/attachment"
)

// Failures of this adapter's own, besides the port's (attachment.ErrNotFound, ErrDestroyed,
// ErrExists, ErrInvalid, and Sniff's ErrUnsupportedType and ErrTooLarge).
var (
	ErrMasterKey  = errors.New("attachment master key")
	ErrKeyMissing = errors.New("attachment key missing: the ticket's documents cannot be decrypted")
)

// Config configures a Store.
type Config struct {
	// MasterKey wraps every ticket's data keys: 32 bytes from the deployment's secret
	// store. Required: the point of the store is that a copy of the database alone does
	// not reveal a document.
	MasterKey []byte
	// Rand is the source of data keys; nil means crypto/rand.
	Rand io.Reader
}

// Store is the Postgres attachment store, an attachment.Store and attachment.ReadLog.
// Safe for concurrent use by many processes.
type Store struct {
	pool   *pgxpool.Pool
	master []byte
	rand   io.Reader
}

var (
	_ attachment.Store   = (*Store)(nil)
	_ attachment.ReadLog = (*Store)(nil)
)

// New uses pool, whose database has been migrated.
func New(pool *pgxpool.Pool, cfg Config) (*Store, error) {
	if len(cfg.MasterKey) != attachments.KeySize {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrMasterKey, len(cfg.MasterKey), attachments.KeySize)
	}
	r := cfg.Rand
	if r == nil {
		r = rand.Reader
	}
	return &Store{pool: pool, master: slices.Clone(cfg.MasterKey), rand: r}, nil
}

// Put sniffs, seals and keeps content. Putting the same content under the same id again
// succeeds (a retried upload); different content under a used id is ErrExists, and an id
// whose attachment was destroyed is ErrDestroyed.
func (s *Store) Put(ctx context.Context, u attachment.Upload) (attachment.Stored, error) {
	st, err := attachment.Check(u)
	if err != nil {
		return attachment.Stored{}, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.checkNotUsed(ctx, tx, u, st); err != nil {
			return err
		}
		key, err := s.dataKey(ctx, tx, u.TicketID, u.Class)
		if err != nil {
			return err
		}
		sealed, err := attachments.Seal(key, u.Content, blobAD(u.TicketID, u.AttachmentID))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO attachment_blobs (attachment_id, ticket_id, class, content_type, size, sha256, sealed)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, u.AttachmentID, u.TicketID, string(u.Class), st.ContentType, st.Size, st.SHA256[:], sealed)
		return err
	})
	if errors.Is(err, errAlreadyStored) {
		return st, nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		// Another upload with this id won the race; whether it is ours decides.
		return s.Put(ctx, u)
	}
	if err != nil {
		return attachment.Stored{}, fmt.Errorf("storing attachment %s: %w", u.AttachmentID, err)
	}
	return st, nil
}

var errAlreadyStored = errors.New("already stored")

func (s *Store) checkNotUsed(ctx context.Context, tx pgx.Tx, u attachment.Upload, st attachment.Stored) error {
	var gone bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM attachment_destructions WHERE attachment_id = $1)`, u.AttachmentID).Scan(&gone); err != nil {
		return err
	}
	if gone {
		return fmt.Errorf("%w: %s", attachment.ErrDestroyed, u.AttachmentID)
	}
	var ticketID string
	var sum []byte
	err := tx.QueryRow(ctx, `SELECT ticket_id, sha256 FROM attachment_blobs WHERE attachment_id = $1`, u.AttachmentID).Scan(&ticketID, &sum)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil
	case err != nil:
		return err
	case ticketID == u.TicketID && string(sum) == string(st.SHA256[:]):
		return errAlreadyStored
	}
	return fmt.Errorf("%w: %s", attachment.ErrExists, u.AttachmentID)
}

// dataKey returns the ticket's key for class, creating it on first use. The key row is
// locked for the rest of the transaction, so a destruction deleting the key cannot slip
// between reading it and sealing under it.
func (s *Store) dataKey(ctx context.Context, tx pgx.Tx, ticketID string, class attachment.Class) ([]byte, error) {
	fresh, err := attachments.NewKey(s.rand)
	if err != nil {
		return nil, err
	}
	wrapped, err := attachments.WrapKey(s.master, fresh, keyAD(ticketID, class))
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO attachment_keys (ticket_id, class, wrapped_key) VALUES ($1, $2, $3)
		ON CONFLICT (ticket_id, class) DO NOTHING`, ticketID, string(class), wrapped); err != nil {
		return nil, err
	}
	var stored []byte
	if err := tx.QueryRow(ctx, `SELECT wrapped_key FROM attachment_keys WHERE ticket_id = $1 AND class = $2 FOR UPDATE`,
		ticketID, string(class)).Scan(&stored); err != nil {
		return nil, err
	}
	return s.unwrap(ticketID, class, stored)
}

func (s *Store) unwrap(ticketID string, class attachment.Class, wrapped []byte) ([]byte, error) {
	k, err := attachments.UnwrapKey(s.master, wrapped, keyAD(ticketID, class))
	if err != nil {
		return nil, fmt.Errorf("%w: ticket %s %s key: %w", ErrMasterKey, ticketID, class, err)
	}
	return k, nil
}

func keyAD(ticketID string, class attachment.Class) []byte {
	return []byte(ticketID + "\x00" + string(class))
}
func blobAD(ticketID, attachmentID string) []byte {
	return []byte(ticketID + "\x00" + attachmentID)
}

// Open decrypts an attachment for reader and logs the read in the same transaction: no
// bytes leave the store without their read on record.
func (s *Store) Open(ctx context.Context, ticketID, attachmentID, reader string) (attachment.Document, error) {
	if err := attachment.CheckIDs(ticketID, attachmentID); err != nil {
		return attachment.Document{}, err
	}
	if err := attachment.CheckReader(reader); err != nil {
		return attachment.Document{}, err
	}
	var doc attachment.Document
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var class string
		var sealed, wrapped []byte
		err := tx.QueryRow(ctx, `SELECT b.class, b.content_type, b.sealed, k.wrapped_key
			FROM attachment_blobs b LEFT JOIN attachment_keys k ON k.ticket_id = b.ticket_id AND k.class = b.class
			WHERE b.attachment_id = $1 AND b.ticket_id = $2`, attachmentID, ticketID).Scan(&class, &doc.ContentType, &sealed, &wrapped)
		if errors.Is(err, pgx.ErrNoRows) {
			return s.missing(ctx, tx, ticketID, attachmentID)
		}
		if err != nil {
			return err
		}
		if wrapped == nil {
			return fmt.Errorf("%w: %s", ErrKeyMissing, attachmentID)
		}
		key, err := s.unwrap(ticketID, attachment.Class(class), wrapped)
		if err != nil {
			return err
		}
		if doc.Content, err = attachments.Open(key, sealed, blobAD(ticketID, attachmentID)); err != nil {
			return fmt.Errorf("attachment %s: %w", attachmentID, err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO attachment_reads (attachment_id, ticket_id, reader) VALUES ($1, $2, $3)`, attachmentID, ticketID, reader)
		return err
	})
	if err != nil {
		return attachment.Document{}, err
	}
	doc.TicketID, doc.AttachmentID = ticketID, attachmentID
	return doc, nil
}

func (s *Store) missing(ctx context.Context, tx pgx.Tx, ticketID, attachmentID string) error {
	var destroyedAt time.Time
	err := tx.QueryRow(ctx, `SELECT destroyed_at FROM attachment_destructions WHERE attachment_id = $1 AND ticket_id = $2`, attachmentID, ticketID).Scan(&destroyedAt)
	if err == nil {
		return fmt.Errorf("%w: %s on %s", attachment.ErrDestroyed, attachmentID, destroyedAt.UTC().Format("2 Jan 2006"))
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %s on ticket %s", attachment.ErrNotFound, attachmentID, ticketID)
	}
	return err
}

// Destroy deletes an attachment's bytes for good and leaves a tombstone; when it was the
// ticket's last attachment of its class, the class's key goes too. Destroying twice, or
// an id that never held bytes (an upload that failed half-way), succeeds.
func (s *Store) Destroy(ctx context.Context, ticketID, attachmentID string) error {
	if err := attachment.CheckIDs(ticketID, attachmentID); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var class string
		err := tx.QueryRow(ctx, `SELECT class FROM attachment_blobs WHERE attachment_id = $1 AND ticket_id = $2`, attachmentID, ticketID).Scan(&class)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if class != "" {
			// Lock the key first, in the same order as Put, so the two serialise.
			if _, err := tx.Exec(ctx, `SELECT 1 FROM attachment_keys WHERE ticket_id = $1 AND class = $2 FOR UPDATE`, ticketID, class); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM attachment_blobs WHERE attachment_id = $1`, attachmentID); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM attachment_keys k WHERE k.ticket_id = $1 AND k.class = $2
				AND NOT EXISTS (SELECT 1 FROM attachment_blobs b WHERE b.ticket_id = $1 AND b.class = $2)`, ticketID, class); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO attachment_destructions (attachment_id, ticket_id) VALUES ($1, $2)
			ON CONFLICT (attachment_id) DO NOTHING`, attachmentID, ticketID)
		return err
	})
	if err != nil {
		return fmt.Errorf("destroying attachment %s: %w", attachmentID, err)
	}
	return nil
}

// Reads lists every read of an attachment, oldest first.
func (s *Store) Reads(ctx context.Context, attachmentID string) ([]attachment.Read, error) {
	rows, err := s.pool.Query(ctx, `SELECT attachment_id, ticket_id, reader, read_at FROM attachment_reads
		WHERE attachment_id = $1 ORDER BY read_id`, attachmentID)
	if err != nil {
		return nil, fmt.Errorf("reads of attachment %s: %w", attachmentID, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[attachment.Read])
}

// Exists reports whether an attachment's bytes are held (false once destroyed).
func (s *Store) Exists(ctx context.Context, attachmentID string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM attachment_blobs WHERE attachment_id = $1)`, attachmentID).Scan(&ok)
	return ok, err
}

// HasKey reports whether the ticket still has a data key for class.
func (s *Store) HasKey(ctx context.Context, ticketID string, class attachment.Class) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM attachment_keys WHERE ticket_id = $1 AND class = $2)`, ticketID, string(class)).Scan(&ok)
	return ok, err
}
