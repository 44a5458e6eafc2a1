package earnings

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/projections"
)

// Why an earning is not yet payable, as a code a program can branch on.
const (
	WaitingForForm    = "form_not_submitted"
	WaitingForPayment = "invoice_not_paid"
	InvoiceVoided     = "invoice_voided"
	BelongsToV1       = "belongs_to_v1"
)

// Item is one earning as a clinician sees it.
type Item struct {
	EarningID     string       `json:"earning_id"`
	ClinicianID   string       `json:"clinician_id"`
	Kind          string       `json:"kind"`
	AppointmentID string       `json:"appointment_id,omitempty"`
	InvoiceID     string       `json:"invoice_id,omitempty"`
	ItemID        string       `json:"item_id,omitempty"`
	Amount        money.Amount `json:"amount"`
	WorkDate      ledger.Date  `json:"work_date"`
	Ledger        string       `json:"ledger"`
	Status        string       `json:"status"`
	// Waiting is one of the Waiting/Belongs/Voided codes for an item not yet payable.
	Waiting string `json:"waiting,omitempty"`
	// Why says the same in words, for the clinician.
	Why           string     `json:"why,omitempty"`
	AccruedAt     time.Time  `json:"accrued_at"`
	ReleaseReason string     `json:"release_reason,omitempty"`
	ReleasedAt    *time.Time `json:"released_at,omitempty"`
	V1ArrivedAt   *time.Time `json:"v1_arrived_at,omitempty"`
	PayoutID      string     `json:"payout_id,omitempty"`
	PaidAt        *time.Time `json:"paid_at,omitempty"`
	// Returned counts the times a bank failure or an abandoned run sent it back.
	Returned int `json:"returned,omitempty"`
}

// Summary is one clinician's money, grouped the way they ask about it.
type Summary struct {
	ClinicianID string `json:"clinician_id"`
	// Pending: not payable yet, each with the reason (V1 work included, since V2 will
	// never pay it and the clinician still wants to see it).
	Pending []Item `json:"pending"`
	// Released: payable, waiting for the next payout run.
	Released []Item `json:"released"`
	// InPayout: on a payout run the bank has not settled yet.
	InPayout []Item `json:"in_payout"`
	// Paid: paid out, newest first.
	Paid   []Item `json:"paid"`
	Totals Totals `json:"totals"`
}

// Totals adds each group up.
type Totals struct {
	Pending  money.Amount `json:"pending"`
	V1       money.Amount `json:"v1"`
	Released money.Amount `json:"released"`
	InPayout money.Amount `json:"in_payout"`
	Paid     money.Amount `json:"paid"`
}

const itemColumns = `e.earning_id, e.clinician_id, e.source_kind, coalesce(e.appointment_id, ''), coalesce(e.invoice_id, ''), coalesce(e.item_id, ''),
	e.amount::text, e.work_date, e.ledger, e.status, e.accrued_at, coalesce(e.release_reason, ''), e.released_at, e.v1_arrived_at,
	coalesce(e.payout_id, ''), e.paid_at, e.returned, coalesce(i.status, ''), coalesce((i.total - i.paid)::text, '')`

// ForClinician reads a clinician's earnings. A clinician with none gets an empty Summary.
func ForClinician(ctx context.Context, q projections.Querier, clinicianID string) (Summary, error) {
	rows, err := q.Query(ctx, `SELECT `+itemColumns+`
		FROM proj_earnings.earnings e LEFT JOIN proj_earnings.invoices i ON i.invoice_id = e.invoice_id
		WHERE e.clinician_id = $1
		ORDER BY e.work_date, e.accrued_at, e.earning_id`, clinicianID)
	if err != nil {
		return Summary{}, fmt.Errorf("earnings of clinician %s: %w", clinicianID, err)
	}
	items, err := pgx.CollectRows(rows, scanItem)
	if err != nil {
		return Summary{}, fmt.Errorf("earnings of clinician %s: %w", clinicianID, err)
	}
	s := Summary{ClinicianID: clinicianID, Pending: []Item{}, Released: []Item{}, InPayout: []Item{}, Paid: []Item{},
		Totals: Totals{Pending: money.Zero, V1: money.Zero, Released: money.Zero, InPayout: money.Zero, Paid: money.Zero}}
	for _, it := range items {
		switch it.Status {
		case "pending":
			s.Pending = append(s.Pending, it)
			s.Totals.Pending = s.Totals.Pending.Add(it.Amount)
		case "v1":
			s.Pending = append(s.Pending, it)
			s.Totals.V1 = s.Totals.V1.Add(it.Amount)
		case "released":
			s.Released = append(s.Released, it)
			s.Totals.Released = s.Totals.Released.Add(it.Amount)
		case "in_payout":
			s.InPayout = append(s.InPayout, it)
			s.Totals.InPayout = s.Totals.InPayout.Add(it.Amount)
		case "paid":
			s.Paid = append([]Item{it}, s.Paid...)
			s.Totals.Paid = s.Totals.Paid.Add(it.Amount)
		}
	}
	return s, nil
}

func scanItem(r pgx.CollectableRow) (Item, error) {
	var (
		it                  Item
		amount, outstanding string
		workDate            time.Time
		invoiceStatus       string
	)
	if err := r.Scan(&it.EarningID, &it.ClinicianID, &it.Kind, &it.AppointmentID, &it.InvoiceID, &it.ItemID,
		&amount, &workDate, &it.Ledger, &it.Status, &it.AccruedAt, &it.ReleaseReason, &it.ReleasedAt, &it.V1ArrivedAt,
		&it.PayoutID, &it.PaidAt, &it.Returned, &invoiceStatus, &outstanding); err != nil {
		return Item{}, err
	}
	a, err := money.Parse(amount)
	if err != nil {
		return Item{}, err
	}
	it.Amount, it.WorkDate = a, ledger.DateOf(workDate)
	it.Waiting, it.Why = waiting(it, invoiceStatus, outstanding)
	return it, nil
}

// waiting explains an earning that is not payable yet.
func waiting(it Item, invoiceStatus, outstanding string) (string, string) {
	switch {
	case it.Status == "v1" && it.V1ArrivedAt != nil:
		what := "form submitted"
		if it.ReleaseReason == "invoice_paid" {
			what = "invoice paid"
		}
		return BelongsToV1, fmt.Sprintf("belongs to V1 (work of %s, before go-live): %s on %s, but the old back office pays it",
			it.WorkDate, what, it.V1ArrivedAt.In(ledger.London).Format("2006-01-02"))
	case it.Status == "v1":
		return BelongsToV1, fmt.Sprintf("belongs to V1 (work of %s, before go-live): managed in the old back office", it.WorkDate)
	case it.Status != "pending":
		return "", ""
	case it.Kind == "consultation":
		return WaitingForForm, "post-consultation form not submitted"
	case invoiceStatus == "voided":
		return InvoiceVoided, fmt.Sprintf("invoice %s was voided: this item will not be paid", it.InvoiceID)
	case invoiceStatus == "draft" || invoiceStatus == "":
		return WaitingForPayment, fmt.Sprintf("invoice %s not yet issued to the patient", it.InvoiceID)
	default:
		return WaitingForPayment, fmt.Sprintf("invoice %s not paid in full (£%s outstanding)", it.InvoiceID, outstanding)
	}
}

// Clinicians lists every clinician with at least one earning, in id order. The payout run
// uses it only to know whose streams to read.
func Clinicians(ctx context.Context, q projections.Querier) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT clinician_id FROM proj_earnings.earnings ORDER BY clinician_id`)
	if err != nil {
		return nil, fmt.Errorf("clinicians with earnings: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// InPayout lists the clinicians with earnings on the payout run, for undoing a run that was
// abandoned half drafted.
func InPayout(ctx context.Context, q projections.Querier, payoutID string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT clinician_id FROM proj_earnings.earnings WHERE payout_id = $1 AND status = 'in_payout' ORDER BY clinician_id`, payoutID)
	if err != nil {
		return nil, fmt.Errorf("clinicians in payout %s: %w", payoutID, err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// Finder is the read model as the payout run asks it whom to look at
// (commands/payouts.EarningsFinder): Clinicians and InPayout on Q.
type Finder struct{ Q projections.Querier }

// Clinicians is Clinicians(ctx, f.Q).
func (f Finder) Clinicians(ctx context.Context) ([]string, error) { return Clinicians(ctx, f.Q) }

// InPayout is InPayout(ctx, f.Q, payoutID).
func (f Finder) InPayout(ctx context.Context, payoutID string) ([]string, error) {
	return InPayout(ctx, f.Q, payoutID)
}
