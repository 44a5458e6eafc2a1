package postgres

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/eventstore"
)

// ErrChainBroken is matched by every *ChainBreak.
var ErrChainBroken = errors.New("event chain broken")

// ChainBreak is the first place where the events no longer match their chain.
type ChainBreak struct {
	// Seq is the link that does not match; 0 for an event that has no link at all.
	Seq      int64
	Position eventstore.Position
	EventID  uuid.UUID
	StreamID string
	Version  uint64
	Type     string
	// Reason says what is wrong, in words.
	Reason string
}

func (b *ChainBreak) Error() string {
	where := fmt.Sprintf("event %s", b.EventID)
	if b.StreamID != "" {
		where += fmt.Sprintf(" (%s@%d, %s)", b.StreamID, b.Version, b.Type)
	}
	if b.Seq > 0 {
		where += fmt.Sprintf(" at link %d", b.Seq)
	}
	return fmt.Sprintf("%v: %s, position %s: %s", ErrChainBroken, where, b.Position, b.Reason)
}

// Is makes errors.Is(err, ErrChainBroken) match.
func (b *ChainBreak) Is(target error) bool { return target == ErrChainBroken }

// ChainReport is the outcome of Verify.
type ChainReport struct {
	// Checked is how many links were recomputed.
	Checked int64
	// Head is the last link: an auditor notes its seq and hash.
	Head ChainLink
	// Break is the first mismatch, nil when the chain holds.
	Break *ChainBreak
}

// String is h in hex, as auditors write it down.
func (h ChainHash) String() string { return hex.EncodeToString(h[:]) }

// ParseChainHash reads a hash written by String.
func ParseChainHash(s string) (ChainHash, error) {
	var h ChainHash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != HashSize {
		return h, fmt.Errorf("chain hash %q: want %d hex digits", s, 2*HashSize)
	}
	copy(h[:], b)
	return h, nil
}

// verifyPage is how many links Verify reads at a time.
const verifyPage = 5000

// Verify recomputes the whole chain from the events table and reports the first event
// that does not match. It does not seal: call Seal first to cover the newest events.
// progress, if given, is told how many links of how many have been checked.
func (c *Chain) Verify(ctx context.Context, progress func(done, total int64)) (ChainReport, error) {
	if err := c.ensure(ctx); err != nil {
		return ChainReport{}, err
	}
	var rep ChainReport
	head, err := headOf(ctx, c.pool)
	if err != nil {
		return rep, err
	}
	rep.Head = head
	var prev ChainHash
	var prevPos eventstore.Position
	var lastSeq int64
	for {
		rows, err := c.pool.Query(ctx, `
			SELECT c.seq, c.transaction_id::text::bigint, c.global_position, c.event_id, c.hash,
			       e.event_id, e.stream_id, e.stream_version, e.type, e.data::text, e.metadata::text, e.recorded_at,
			       e.transaction_id::text::bigint
			FROM event_chain c LEFT JOIN events e ON e.global_position = c.global_position
			WHERE c.seq > $1 AND c.seq <= $2
			ORDER BY c.seq
			LIMIT $3`, lastSeq, head.Seq, verifyPage)
		if err != nil {
			return rep, fmt.Errorf("event chain: verifying: %w", err)
		}
		n := 0
		for rows.Next() {
			n++
			var (
				seq, cxid, pos int64
				cid            uuid.UUID
				hash           []byte
				eid            *uuid.UUID
				stream, typ    *string
				version, exid  *int64
				data, meta     *string
				recordedAt     *time.Time
				rec            eventstore.RecordedEvent
			)
			if err := rows.Scan(&seq, &cxid, &pos, &cid, &hash, &eid, &stream, &version, &typ, &data, &meta, &recordedAt, &exid); err != nil {
				rows.Close()
				return rep, fmt.Errorf("event chain: verifying: %w", err)
			}
			linkPos := eventstore.Position{Commit: uint64(cxid), Prepare: uint64(pos)}
			brk := &ChainBreak{Seq: seq, Position: linkPos, EventID: cid}
			switch {
			case seq != lastSeq+1:
				brk.Reason = fmt.Sprintf("links %d to %d are missing: the chain itself was cut", lastSeq+1, seq-1)
			case eid == nil:
				brk.Reason = "the sealed event is gone from the events table: it was deleted after sealing"
			default:
				rec.ID, rec.StreamID, rec.Version, rec.Type = *eid, *stream, uint64(*version), *typ
				rec.Data, rec.Metadata = []byte(*data), []byte(*meta)
				rec.RecordedAt = *recordedAt
				rec.Position = eventstore.Position{Commit: uint64(*exid), Prepare: uint64(pos)}
				brk.EventID, brk.StreamID, brk.Version, brk.Type = rec.ID, rec.StreamID, rec.Version, rec.Type
				switch {
				case rec.ID != cid || rec.Position != linkPos:
					brk.Reason = fmt.Sprintf("the row at this position is not the event that was sealed there (sealed %s at %s)", cid, linkPos)
				case seq > 1 && !prevPos.Before(linkPos):
					brk.Reason = "the link is out of the global order"
				default:
					h := chainHash(prev, rec)
					if ChainHash(hash) != h {
						brk.Reason = "the event's stored data no longer matches the hash sealed for it: it was changed after sealing"
					} else {
						brk = nil
						prev = h
					}
				}
			}
			if brk != nil {
				rows.Close()
				rep.Break = brk
				return rep, c.earlierUnsealed(ctx, &rep)
			}
			lastSeq, prevPos = seq, linkPos
			rep.Checked++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return rep, fmt.Errorf("event chain: verifying: %w", err)
		}
		if progress != nil {
			progress(rep.Checked, head.Seq)
		}
		if n < verifyPage {
			break
		}
	}
	return rep, c.earlierUnsealed(ctx, &rep)
}

// earlierUnsealed looks for an event with no link that sorts before the head (or before
// the break found so far): one inserted among sealed events after they were sealed.
func (c *Chain) earlierUnsealed(ctx context.Context, rep *ChainReport) error {
	bound := rep.Head.Position
	if rep.Break != nil {
		bound = rep.Break.Position
	}
	if bound == (eventstore.Position{}) {
		return nil
	}
	rows, err := c.pool.Query(ctx, `SELECT `+selectColumns+` FROM events e
		WHERE (e.transaction_id, e.global_position) < ($1::text::xid8, $2::bigint)
		  AND NOT EXISTS (SELECT 1 FROM event_chain c WHERE c.global_position = e.global_position)
		ORDER BY e.transaction_id, e.global_position
		LIMIT 1`, strconv.FormatUint(bound.Commit, 10), int64(bound.Prepare))
	if err != nil {
		return fmt.Errorf("event chain: looking for unsealed events: %w", err)
	}
	found, err := scanEvents(rows)
	if err != nil {
		return err
	}
	if len(found) == 0 {
		return nil
	}
	e := found[0]
	rep.Break = &ChainBreak{Position: e.Position, EventID: e.ID, StreamID: e.StreamID, Version: e.Version, Type: e.Type,
		Reason: "the event sits among sealed events but was never sealed: it was inserted into the history after the events around it were sealed"}
	return nil
}
