package invoices

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/domain/money"
	"ledgerdesk/projections"
)

// ErrNotFound says the read model has no such invoice (it may not exist, or the projector
// may not have reached it yet).
var ErrNotFound = errors.New("invoices: no such invoice")

// Invoice is one invoice with its balance.
type Invoice struct {
	InvoiceID   string       `json:"invoice_id"`
	PatientID   string       `json:"patient_id"`
	Status      string       `json:"status"`
	Total       money.Amount `json:"total"`
	Paid        money.Amount `json:"paid"`
	Outstanding money.Amount `json:"outstanding"`
	ItemCount   int          `json:"item_count"`
	RaisedAt    time.Time    `json:"raised_at"`
	IssuedAt    *time.Time   `json:"issued_at,omitempty"`
	PaidAt      *time.Time   `json:"paid_at,omitempty"`
	VoidedAt    *time.Time   `json:"voided_at,omitempty"`
	Version     int64        `json:"version"`
	// Items and Payments are filled by Get, not by List.
	Items    []Item    `json:"items,omitempty"`
	Payments []Payment `json:"payments,omitempty"`
}

// Item is one billable item.
type Item struct {
	ItemID      string       `json:"item_id"`
	ClinicianID string       `json:"clinician_id"`
	Amount      money.Amount `json:"amount"`
	AddedAt     time.Time    `json:"added_at"`
}

// Payment is one payment received.
type Payment struct {
	PaymentID string       `json:"payment_id"`
	Amount    money.Amount `json:"amount"`
	PaidAt    time.Time    `json:"paid_at"`
}

// Filter narrows List; empty fields match everything.
type Filter struct {
	Status      string
	PatientID   string
	ClinicianID string // invoices carrying at least one item the clinician raised
	// Limit caps the rows returned; 0 means DefaultLimit.
	Limit int
}

// DefaultLimit and MaxLimit bound a listing.
const (
	DefaultLimit = 500
	MaxLimit     = 10000
)

// List returns invoices, newest first.
func List(ctx context.Context, q projections.Querier, f Filter) ([]Invoice, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	rows, err := q.Query(ctx, `SELECT invoice_id, patient_id, status, total::text, paid::text, items, raised_at, issued_at, paid_at, voided_at, version
		FROM proj_invoices.invoices v
		WHERE ($1 = '' OR status = $1) AND ($2 = '' OR patient_id = $2)
		  AND ($3 = '' OR EXISTS (SELECT 1 FROM proj_invoices.invoice_items i WHERE i.invoice_id = v.invoice_id AND i.clinician_id = $3))
		ORDER BY raised_at DESC, invoice_id LIMIT $4`, f.Status, f.PatientID, f.ClinicianID, limit)
	if err != nil {
		return nil, fmt.Errorf("listing invoices: %w", err)
	}
	return pgx.CollectRows(rows, scanInvoice)
}

// Get returns one invoice with its items and payments.
func Get(ctx context.Context, q projections.Querier, invoiceID string) (Invoice, error) {
	rows, err := q.Query(ctx, `SELECT invoice_id, patient_id, status, total::text, paid::text, items, raised_at, issued_at, paid_at, voided_at, version
		FROM proj_invoices.invoices WHERE invoice_id = $1`, invoiceID)
	if err != nil {
		return Invoice{}, fmt.Errorf("invoice %s: %w", invoiceID, err)
	}
	list, err := pgx.CollectRows(rows, scanInvoice)
	if err != nil {
		return Invoice{}, fmt.Errorf("invoice %s: %w", invoiceID, err)
	}
	if len(list) == 0 {
		return Invoice{}, fmt.Errorf("%w: %s", ErrNotFound, invoiceID)
	}
	inv := list[0]
	rows, err = q.Query(ctx, `SELECT item_id, clinician_id, amount::text, added_at FROM proj_invoices.invoice_items WHERE invoice_id = $1 ORDER BY position, item_id`, invoiceID)
	if err != nil {
		return Invoice{}, err
	}
	if inv.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Item, error) {
		var it Item
		var amount string
		if err := r.Scan(&it.ItemID, &it.ClinicianID, &amount, &it.AddedAt); err != nil {
			return it, err
		}
		it.Amount, err = money.Parse(amount)
		return it, err
	}); err != nil {
		return Invoice{}, err
	}
	rows, err = q.Query(ctx, `SELECT payment_id, amount::text, paid_at FROM proj_invoices.invoice_payments WHERE invoice_id = $1 ORDER BY paid_at, payment_id`, invoiceID)
	if err != nil {
		return Invoice{}, err
	}
	if inv.Payments, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Payment, error) {
		var p Payment
		var amount string
		if err := r.Scan(&p.PaymentID, &amount, &p.PaidAt); err != nil {
			return p, err
		}
		p.Amount, err = money.Parse(amount)
		return p, err
	}); err != nil {
		return Invoice{}, err
	}
	return inv, nil
}

func scanInvoice(r pgx.CollectableRow) (Invoice, error) {
	var inv Invoice
	var total, paid string
	if err := r.Scan(&inv.InvoiceID, &inv.PatientID, &inv.Status, &total, &paid, &inv.ItemCount, &inv.RaisedAt,
		&inv.IssuedAt, &inv.PaidAt, &inv.VoidedAt, &inv.Version); err != nil {
		return inv, err
	}
	var err error
	if inv.Total, err = money.Parse(total); err != nil {
		return inv, err
	}
	if inv.Paid, err = money.Parse(paid); err != nil {
		return inv, err
	}
	inv.Outstanding = inv.Total.Sub(inv.Paid)
	if inv.Status == "voided" {
		inv.Outstanding = money.Zero
	}
	return inv, nil
}
