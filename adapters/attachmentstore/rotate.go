package attachmentstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/attachments"
	"ledgerdesk/commands/support/attachment"
)

// RotateBatchSize is how many data keys RotateMasterKey rewraps per transaction.
const RotateBatchSize = 1000

// ErrKeysUnreadable says some tickets' data keys open with neither the old nor the new
// master key: RotateMasterKey left them as they were.
var ErrKeysUnreadable = errors.New("attachment keys wrapped under an unknown master key")

// Rotated counts what RotateMasterKey did with the rows of attachment_keys.
type Rotated struct {
	// Rewrapped were under the old master key and now are under the new one.
	Rewrapped int64
	// Already were under the new master key (a re-run) and were left as they were.
	Already int64
	// Unreadable open with neither key and were left as they were; Keys names the first
	// few, as "ticket/class".
	Unreadable int64
	Keys       []string
}

// RotateMasterKey rewraps every ticket's data keys from the store master key oldKey to
// newKey (both 32 bytes: the attachment store's own master keys, as passed in
// Config.MasterKey, not the deployment's master key they may be derived from), batch rows
// per transaction (0: RotateBatchSize). Only the wrapped keys change: the sealed
// documents are sealed under the data keys, which stay as they are. Keys already under
// newKey are left, so an interrupted rotation finishes when run again; keys that open
// with neither are left untouched and counted, and the rotation then fails with
// ErrKeysUnreadable. The rows of a batch are locked as Put and Destroy lock them, so
// neither is lost to a rotation running beside it; a store still configured with the
// old key keeps creating keys under it, so stop the server first (or run again).
// progress, if not nil, is called after each batch with the rows seen and the table's
// size when the rotation began.
func RotateMasterKey(ctx context.Context, pool *pgxpool.Pool, oldKey, newKey []byte, batch int, progress func(done, total int64)) (Rotated, error) {
	var r Rotated
	if len(newKey) != attachments.KeySize || len(oldKey) != attachments.KeySize {
		return r, fmt.Errorf("%w: rotating from %d to %d bytes, want %d each", ErrMasterKey, len(oldKey), len(newKey), attachments.KeySize)
	}
	if batch <= 0 {
		batch = RotateBatchSize
	}
	var total, done int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM attachment_keys`).Scan(&total); err != nil {
		return r, fmt.Errorf("counting attachment keys: %w", err)
	}
	afterTicket, afterClass := "", ""
	for {
		var n int
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			var err error
			n, afterTicket, afterClass, err = rotateBatch(ctx, tx, oldKey, newKey, afterTicket, afterClass, batch, &r)
			return err
		})
		if err != nil {
			return r, fmt.Errorf("rotating attachment keys after ticket %q: %w", afterTicket, err)
		}
		done += int64(n)
		if n > 0 && progress != nil {
			progress(done, total)
		}
		if n < batch {
			break
		}
	}
	if r.Unreadable > 0 {
		more := ""
		if r.Unreadable > int64(len(r.Keys)) {
			more = ", ..."
		}
		return r, fmt.Errorf("%w: %d keys open with neither the old nor the new master key and were left as they were (%s%s); the other %d were rotated",
			ErrKeysUnreadable, r.Unreadable, strings.Join(r.Keys, ", "), more, r.Rewrapped+r.Already)
	}
	return r, nil
}

func rotateBatch(ctx context.Context, tx pgx.Tx, oldKey, newKey []byte, afterTicket, afterClass string, batch int, r *Rotated) (int, string, string, error) {
	rows, err := tx.Query(ctx, `SELECT ticket_id, class, wrapped_key FROM attachment_keys
		WHERE (ticket_id, class) > ($1, $2) ORDER BY ticket_id, class LIMIT $3 FOR UPDATE`, afterTicket, afterClass, batch)
	if err != nil {
		return 0, afterTicket, afterClass, err
	}
	type row struct {
		TicketID, Class string
		Wrapped         []byte
	}
	read, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil || len(read) == 0 {
		return 0, afterTicket, afterClass, err
	}
	var tickets, classes []string
	var keys [][]byte
	for _, x := range read {
		ad := keyAD(x.TicketID, attachment.Class(x.Class))
		if _, err := attachments.UnwrapKey(newKey, x.Wrapped, ad); err == nil {
			r.Already++
			continue
		}
		k, err := attachments.UnwrapKey(oldKey, x.Wrapped, ad)
		if err != nil {
			r.Unreadable++
			if len(r.Keys) < maxNamed {
				r.Keys = append(r.Keys, x.TicketID+"/"+x.Class)
			}
			continue
		}
		wrapped, err := attachments.WrapKey(newKey, k, ad)
		if err != nil {
			return 0, afterTicket, afterClass, err
		}
		r.Rewrapped++
		tickets, classes, keys = append(tickets, x.TicketID), append(classes, x.Class), append(keys, wrapped)
	}
	if len(keys) > 0 {
		if _, err := tx.Exec(ctx, `UPDATE attachment_keys AS k SET wrapped_key = v.wrapped_key
			FROM unnest($1::text[], $2::text[], $3::bytea[]) AS v(ticket_id, class, wrapped_key)
			WHERE k.ticket_id = v.ticket_id AND k.class = v.class`, tickets, classes, keys); err != nil {
			return 0, afterTicket, afterClass, err
		}
	}
	last := read[len(read)-1]
	return len(read), last.TicketID, last.Class, nil
}

// maxNamed bounds Rotated.Keys.
const maxNamed = 20
