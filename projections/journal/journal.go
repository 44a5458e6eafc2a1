package journal

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/codec"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// Name is the projection's name; its tables live in schema proj_journal.
const Name = "journal"

// Projection posts each money-moving event.
type Projection struct{ handlers *projections.Handlers }

// New decodes events with c.
func New(c *codec.Codec) *Projection {
	h := projections.NewHandlers(c)
	projections.On(h, earnings.StreamCategory, post)
	projections.On(h, invoice.StreamCategory, post)
	return &Projection{handlers: h}
}

func (*Projection) Name() string { return Name }

func (*Projection) Setup(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `
		CREATE TABLE IF NOT EXISTS postings (
			posting_id     text PRIMARY KEY,
			event_id       uuid NOT NULL,
			stream_id      text NOT NULL,
			stream_version bigint NOT NULL,
			event_type     text NOT NULL,
			commit_pos     bigint NOT NULL,
			prepare_pos    bigint NOT NULL,
			seq            integer NOT NULL,
			at             timestamptz NOT NULL,
			memo           text NOT NULL
		);
		CREATE INDEX IF NOT EXISTS postings_in_order ON postings (commit_pos, prepare_pos, seq);
		CREATE TABLE IF NOT EXISTS entries (
			posting_id text NOT NULL REFERENCES postings,
			line       integer NOT NULL,
			account    text NOT NULL,
			amount     numeric(14,2) NOT NULL,
			ref        text NOT NULL,
			PRIMARY KEY (posting_id, line)
		);
		CREATE INDEX IF NOT EXISTS entries_by_account ON entries (account);
		CREATE INDEX IF NOT EXISTS entries_by_ref ON entries (ref);
		CREATE TABLE IF NOT EXISTS book_invoices (
			invoice_id   text PRIMARY KEY,
			patient_id   text NOT NULL,
			issued_total numeric(14,2) NOT NULL DEFAULT 0,
			voided       boolean NOT NULL DEFAULT false
		);
		CREATE TABLE IF NOT EXISTS book_open_items (
			earning_id   text PRIMARY KEY,
			invoice_id   text NOT NULL,
			clinician_id text NOT NULL,
			ledger       text NOT NULL,
			amount       numeric(14,2) NOT NULL
		);
		CREATE INDEX IF NOT EXISTS book_open_items_by_invoice ON book_open_items (invoice_id)`)
	return err
}

func (p *Projection) Apply(ctx context.Context, w projections.Writer, e eventstore.RecordedEvent) error {
	return p.handlers.Apply(ctx, w, e)
}

// post writes the postings ev makes, then remembers what later events need of it.
//
// A billable item's accrual is the one event whose postings depend on the book (a voided
// invoice writes the item off at once) and it is common. When the transaction saw the
// invoice raised (see memo) the book answers without reading. Otherwise, rather than read
// the book first, which costs a round trip per item and breaks a replay's merged writes,
// its write-off is written on condition that the invoice is voided by then, as Post would
// have posted it.
func post(ctx context.Context, w projections.Writer, e eventstore.RecordedEvent, ev decider.Event) error {
	b := book{ctx: ctx, w: w, memo: memoOf(w)}
	var ifVoided *Posting
	var invoiceID string
	if a, ok := ev.(earnings.Accrued); ok && a.Source.Kind == earnings.SourceBillableItem && b.memo.invoice(a.Source.InvoiceID) == nil {
		wo := writeOff(OpenItem{a.EarningID, a.ClinicianID, a.Ledger, a.Amount}, a.Source.InvoiceID, a.AccruedAt)
		ifVoided, invoiceID, b.assumeNotVoided = &wo, a.Source.InvoiceID, true
	}
	ps, err := Post(ev, b)
	if err != nil {
		return err
	}
	for i, pst := range ps {
		if !pst.Balanced() {
			return fmt.Errorf("journal: posting %d of %s does not balance", i, e.Type)
		}
		id := fmt.Sprintf("%s/%d", e.ID, i)
		w.Exec(`INSERT INTO postings (posting_id, event_id, stream_id, stream_version, event_type, commit_pos, prepare_pos, seq, at, memo)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (posting_id) DO NOTHING`,
			id, e.ID, e.StreamID, int64(e.Version), e.Type, int64(e.Position.Commit), int64(e.Position.Prepare), i, pst.At, pst.Memo)
		for j, en := range pst.Entries {
			w.Exec(`INSERT INTO entries (posting_id, line, account, amount, ref) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
				id, j, en.Account, en.Amount.String(), en.Ref)
		}
	}
	if ifVoided != nil {
		if !ifVoided.Balanced() {
			return fmt.Errorf("journal: the write-off of %s does not balance", e.Type)
		}
		i := len(ps)
		id := fmt.Sprintf("%s/%d", e.ID, i)
		w.Exec(`INSERT INTO postings (posting_id, event_id, stream_id, stream_version, event_type, commit_pos, prepare_pos, seq, at, memo)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 WHERE EXISTS (SELECT 1 FROM book_invoices WHERE invoice_id = $11 AND voided)
			ON CONFLICT (posting_id) DO NOTHING`,
			id, e.ID, e.StreamID, int64(e.Version), e.Type, int64(e.Position.Commit), int64(e.Position.Prepare), i, ifVoided.At, ifVoided.Memo, invoiceID)
		for j, en := range ifVoided.Entries {
			w.Exec(`INSERT INTO entries (posting_id, line, account, amount, ref)
				SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM book_invoices WHERE invoice_id = $6 AND voided) ON CONFLICT DO NOTHING`,
				id, j, en.Account, en.Amount.String(), en.Ref, invoiceID)
		}
	}
	remember(w, b.memo, ev)
	return nil
}

// remember keeps the book's memory up to date after the event's postings, and the
// transaction's memo of it with it.
func remember(w projections.Writer, m *memo, ev any) {
	switch ev := ev.(type) {
	case invoice.Raised:
		w.Exec(`INSERT INTO book_invoices (invoice_id, patient_id) VALUES ($1, $2) ON CONFLICT (invoice_id) DO NOTHING`, ev.InvoiceID, ev.PatientID)
		m.raised(ev.InvoiceID, ev.PatientID)
	case invoice.Issued:
		w.Exec(`UPDATE book_invoices SET issued_total = $2 WHERE invoice_id = $1`, ev.InvoiceID, ev.Total.String())
		if f := m.invoice(ev.InvoiceID); f != nil {
			// As the numeric(14,2) column holds it.
			t, err := money.Parse(ev.Total.String())
			if err != nil {
				m.forget(ev.InvoiceID)
			}
			f.IssuedTotal = t
		}
	case invoice.Voided:
		w.Exec(`UPDATE book_invoices SET voided = true WHERE invoice_id = $1`, ev.InvoiceID)
		w.Exec(`DELETE FROM book_open_items WHERE invoice_id = $1`, ev.InvoiceID)
		m.log(w, openOp{invoiceID: ev.InvoiceID})
		if f := m.invoice(ev.InvoiceID); f != nil {
			f.Voided = true
		}
	case earnings.Accrued:
		if ev.Source.Kind != earnings.SourceBillableItem {
			break
		}
		f := m.invoice(ev.Source.InvoiceID)
		switch {
		case f == nil:
			// Kept open unless its invoice is already voided (then Post wrote it off).
			w.Exec(`INSERT INTO book_open_items (earning_id, invoice_id, clinician_id, ledger, amount)
				SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM book_invoices WHERE invoice_id = $2 AND voided)
				ON CONFLICT (earning_id) DO NOTHING`, ev.EarningID, ev.Source.InvoiceID, ev.ClinicianID, string(ev.Ledger), ev.Amount.String())
			m.log(w, openOp{uncertain: true})
		case !f.Voided:
			// The same row, the condition known to hold.
			w.Exec(`INSERT INTO book_open_items (earning_id, invoice_id, clinician_id, ledger, amount)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT (earning_id) DO NOTHING`, ev.EarningID, ev.Source.InvoiceID, ev.ClinicianID, string(ev.Ledger), ev.Amount.String())
			m.log(w, openOp{insert: true, invoiceID: ev.Source.InvoiceID, item: OpenItem{ev.EarningID, ev.ClinicianID, ev.Ledger, ev.Amount}})
		}
	case earnings.Released:
		w.Exec(`DELETE FROM book_open_items WHERE earning_id = $1`, ev.EarningID)
		m.log(w, openOp{item: OpenItem{EarningID: ev.EarningID}})
	case earnings.V1WorkArrived:
		w.Exec(`DELETE FROM book_open_items WHERE earning_id = $1`, ev.EarningID)
		m.log(w, openOp{item: OpenItem{EarningID: ev.EarningID}})
	}
}

// memo is what one transaction knows of book_invoices without reading it: the rows of the
// invoices it saw raised, as its queued writes leave them. An invoice's row is written
// only by its own stream's events (Raised inserts it, Issued and Voided update it), which
// come in stream order and each once; so a row the transaction saw inserted did not exist
// before, and every later write to it passes through remember. The transaction drops the
// memo when a message restarts (wmstore.Tx.Memo).
//
// It also logs the writes to book_open_items queued since the transaction last flushed,
// so that a void reads the open items as sent (Tx.QueryFlushed) and applies the log to
// them, rather than flushing every queued write first (see openItemsFlushed).
type memo struct {
	invoices map[string]*InvoiceFacts
	// ops are the writes to book_open_items queued since flush number gen, in order.
	ops []openOp
	gen int
}

// openOp is a write to book_open_items: an insert of item (ON CONFLICT DO NOTHING), the
// delete of item.EarningID's row, the delete of all of invoiceID's rows, or an insert
// whose condition the memo does not know (uncertain).
type openOp struct {
	insert, uncertain bool
	invoiceID         string
	item              OpenItem
}

// flushedReader is a Writer that can read without flushing (wmstore.Tx).
type flushedReader interface {
	Flushes() int
	QueryFlushed(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// log records op, queued just now.
func (m *memo) log(w projections.Writer, op openOp) {
	if m == nil {
		return
	}
	fr, ok := w.(flushedReader)
	if !ok {
		return
	}
	if m.gen != fr.Flushes() {
		m.ops, m.gen = m.ops[:0], fr.Flushes()
	}
	m.ops = append(m.ops, op)
}

// memoKey names the journal's memo among a transaction's.
type memoKey struct{}

// memoer is a Writer that keeps memos for the transaction (wmstore.Tx does).
type memoer interface {
	Memo(key any, create func() any) any
}

// memoOf is w's memo, or nil when w keeps none (then the book reads every answer).
func memoOf(w projections.Writer) *memo {
	mw, ok := w.(memoer)
	if !ok {
		return nil
	}
	return mw.Memo(memoKey{}, func() any { return &memo{invoices: map[string]*InvoiceFacts{}} }).(*memo)
}

// invoice is the row of an invoice raised in this transaction, nil if unknown.
func (m *memo) invoice(id string) *InvoiceFacts {
	if m == nil {
		return nil
	}
	return m.invoices[id]
}

// forget drops what the memo knows of an invoice: the book reads it again.
func (m *memo) forget(id string) { delete(m.invoices, id) }

// raised records the row Raised inserted; a second Raised of one invoice changes nothing,
// as ON CONFLICT DO NOTHING does not.
func (m *memo) raised(id, patientID string) {
	if m == nil || m.invoices[id] != nil {
		return
	}
	m.invoices[id] = &InvoiceFacts{PatientID: patientID, IssuedTotal: money.Zero}
}

// book answers Post's questions from the journal's own tables, seeing its queued writes.
type book struct {
	ctx context.Context
	w   projections.Writer
	// assumeNotVoided answers Invoice without reading: the caller writes what a voided
	// invoice would need on condition (see post).
	assumeNotVoided bool
	// memo, when set, answers Invoice for the invoices raised in this transaction.
	memo *memo
}

func (b book) Invoice(id string) (InvoiceFacts, error) {
	if b.assumeNotVoided {
		return InvoiceFacts{IssuedTotal: money.Zero}, nil
	}
	if f := b.memo.invoice(id); f != nil {
		return *f, nil
	}
	var f InvoiceFacts
	var total string
	err := b.w.QueryRow(b.ctx, `SELECT patient_id, issued_total::text, voided FROM book_invoices WHERE invoice_id = $1`, id).Scan(&f.PatientID, &total, &f.Voided)
	if errors.Is(err, pgx.ErrNoRows) {
		// An item accrued for an invoice this journal never saw raised: nothing to say.
		return InvoiceFacts{IssuedTotal: money.Zero}, nil
	}
	if err != nil {
		return f, err
	}
	f.IssuedTotal, err = money.Parse(total)
	return f, err
}

func (b book) OpenItems(invoiceID string) ([]OpenItem, error) {
	if items, ok, err := b.openItemsFlushed(invoiceID); ok || err != nil {
		return items, err
	}
	rows, err := b.w.Query(b.ctx, `SELECT earning_id, clinician_id, ledger, amount::text FROM book_open_items WHERE invoice_id = $1 ORDER BY earning_id`, invoiceID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (OpenItem, error) {
		var it OpenItem
		var l, amount string
		if err := r.Scan(&it.EarningID, &it.ClinicianID, &l, &amount); err != nil {
			return it, err
		}
		it.Ledger = ledger.Ledger(l)
		var err error
		it.Amount, err = money.Parse(amount)
		return it, err
	})
}

// openItemsFlushed answers OpenItems from the rows as last flushed and the memo's log of
// the writes queued since, without flushing; ok is false when it cannot (no memo, or a
// conditional insert queued whose outcome the memo does not know). The rows read are the
// invoice's and those of every earning inserted since, so that an insert the log replays
// meets the conflict it would meet. The order is the database's, as OpenItems's.
func (b book) openItemsFlushed(invoiceID string) (items []OpenItem, ok bool, err error) {
	fr, isFR := b.w.(flushedReader)
	if b.memo == nil || !isFR {
		return nil, false, nil
	}
	var ops []openOp
	if b.memo.gen == fr.Flushes() {
		ops = b.memo.ops
	}
	var inserted []string
	for _, op := range ops {
		if op.uncertain {
			return nil, false, nil
		}
		if op.insert {
			inserted = append(inserted, op.item.EarningID)
		}
	}
	type row struct {
		invoiceID string
		item      OpenItem
	}
	rows, err := fr.QueryFlushed(b.ctx, `SELECT earning_id, invoice_id, clinician_id, ledger, amount::text FROM book_open_items
		WHERE invoice_id = $1 OR earning_id = ANY($2)`, invoiceID, inserted)
	if err != nil {
		return nil, true, err
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var it row
		var l, amount string
		if err := r.Scan(&it.item.EarningID, &it.invoiceID, &it.item.ClinicianID, &l, &amount); err != nil {
			return it, err
		}
		it.item.Ledger = ledger.Ledger(l)
		var err error
		it.item.Amount, err = money.Parse(amount)
		return it, err
	})
	if err != nil {
		return nil, true, err
	}
	byEarning := make(map[string]row, len(got))
	for _, r := range got {
		byEarning[r.item.EarningID] = r
	}
	for _, op := range ops {
		switch {
		case op.insert:
			if _, dup := byEarning[op.item.EarningID]; !dup {
				byEarning[op.item.EarningID] = row{op.invoiceID, op.item}
			}
		case op.invoiceID != "":
			for e, r := range byEarning {
				if r.invoiceID == op.invoiceID {
					delete(byEarning, e)
				}
			}
		default:
			delete(byEarning, op.item.EarningID)
		}
	}
	var ids []string
	for e, r := range byEarning {
		if r.invoiceID == invoiceID {
			ids = append(ids, e)
		}
	}
	if len(ids) > 1 {
		// The database's collation orders them, as ORDER BY earning_id does.
		rows, err := fr.QueryFlushed(b.ctx, `SELECT e FROM unnest($1::text[]) AS e ORDER BY e`, ids)
		if err != nil {
			return nil, true, err
		}
		if ids, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return nil, true, err
		}
	}
	for _, e := range ids {
		items = append(items, byEarning[e].item)
	}
	return items, true, nil
}
