package earnings

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/domain/check"
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
	// Returned counts the times a bank failure or an abandoned run sent it back;
	// LastReturn says why the last time.
	Returned   int    `json:"returned,omitempty"`
	LastReturn string `json:"last_return,omitempty"`
	// PatientID, PatientName and StartsAt say whose consultation or invoice it was and
	// when the consultation began, for telling lines apart; the application layer fills
	// them from the appointments, invoices and accounts read models. PatientName is ""
	// when no name is on record.
	PatientID   string     `json:"patient_id,omitempty"`
	PatientName string     `json:"patient_name,omitempty"`
	StartsAt    *time.Time `json:"starts_at,omitempty"`
	// Payout is where the item's payout run stands (filled by the application layer for
	// items in a payout run or paid).
	Payout *PayoutState `json:"payout,omitempty"`
}

// Summary is one clinician's money, grouped the way they ask about it.
type Summary struct {
	ClinicianID string `json:"clinician_id"`
	// ClinicianName is the name on the clinician's account ("" when none is on record:
	// DisplayName then says so). The read model does not hold it; the application layer
	// fills it in.
	ClinicianName string `json:"clinician_name"`
	// Month is the month the summary is restricted to ("" for every month), by work date.
	Month string `json:"month,omitempty"`
	// GoLive is the V2 go-live date ("" before one is recorded): work before it is V1's.
	GoLive string `json:"go_live,omitempty"`
	// Pending: not payable yet, each with the reason (V1 work included, since V2 will
	// never pay it and the clinician still wants to see it).
	Pending []Item `json:"pending"`
	// Voided: billable items on invoices that were voided. They will never be paid, so
	// they are shown apart and counted in no pending total (the journal writes them off).
	Voided []Item `json:"voided"`
	// Released: payable, waiting for the next payout run.
	Released []Item `json:"released"`
	// InPayout: on a payout run the bank has not settled yet; each item's Payout says
	// where that run truly stands.
	InPayout []Item `json:"in_payout"`
	// Paid: paid out, newest first.
	Paid []Item `json:"paid"`
	// V1Imported is what the old back office's own export says it owes this clinician:
	// the V1 items the accounts department imported (filled by the application layer).
	V1Imported V1Imported `json:"v1_imported"`
	Totals     Totals     `json:"totals"`
}

// NoNameOnRecord stands in for a clinician whose account has no name on record.
const NoNameOnRecord = "(no name on record)"

// DisplayName is the clinician's name, or NoNameOnRecord: never an id.
func (s Summary) DisplayName() string {
	if s.ClinicianName == "" {
		return NoNameOnRecord
	}
	return s.ClinicianName
}

// Totals adds each group up. Pending, V1, Released and InPayout are what the journal
// carries on the clinician's clinician_pending, v1_clinician_owed, clinician_payable and
// clinician_in_payout accounts; Voided is what it wrote off.
type Totals struct {
	Pending money.Amount `json:"pending"`
	// V1 is V1 work that reached V2 (a late form, say): the old back office pays it.
	V1       money.Amount `json:"v1"`
	Voided   money.Amount `json:"voided"`
	Released money.Amount `json:"released"`
	InPayout money.Amount `json:"in_payout"`
	Paid     money.Amount `json:"paid"`
	// V1ImportedOutstanding is the imported V1 items nobody has settled yet.
	V1ImportedOutstanding money.Amount `json:"v1_imported_outstanding"`
}

// V1Imported is the clinician's items in the old back office's export, as imported.
type V1Imported struct {
	Items       []V1Item     `json:"items"`
	Outstanding money.Amount `json:"outstanding"`
	Settled     money.Amount `json:"settled"`
}

// V1Item is one imported V1 item.
type V1Item struct {
	Reference   string       `json:"reference"`
	WorkDate    string       `json:"work_date"`
	Description string       `json:"description"`
	Amount      money.Amount `json:"amount"`
	// Settled: paid in V1 before the export, or ticked off by the accounts department.
	Settled bool   `json:"settled"`
	Why     string `json:"why"`
}

// PayoutState is where an item's payout run stands, as the payouts read model has it.
type PayoutState struct {
	PayoutID string `json:"payout_id"`
	// Status is the run's: drafting, finalised, exported, submitted, settled, abandoned;
	// or failed, when the bank failed this clinician's line.
	Status string     `json:"status"`
	Since  *time.Time `json:"since,omitempty"`
	Words  string     `json:"words"`
}

// Query says whose earnings to read, and which.
type Query struct {
	ClinicianID string
	// Month restricts the items to work done in one month (zero: every month).
	Month Month
	// GoLive, when known, is named in the words of V1 items.
	GoLive ledger.Date
}

// Month is a calendar month.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads "2025-02".
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Month{}, fmt.Errorf("%w: month %q: give it as YYYY-MM, such as 2025-02", check.ErrInvalidInput, s)
	}
	return Month{t.Year(), t.Month()}, nil
}

// IsZero says no month was chosen.
func (m Month) IsZero() bool { return m == Month{} }

func (m Month) String() string {
	if m.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", m.Year, m.Month)
}

func (m Month) bounds() (from, to time.Time) {
	from = time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC)
	return from, from.AddDate(0, 1, 0)
}

const itemColumns = `e.earning_id, e.clinician_id, e.source_kind, coalesce(e.appointment_id, ''), coalesce(e.invoice_id, ''), coalesce(e.item_id, ''),
	e.amount::text, e.work_date, e.ledger, e.status, e.accrued_at, coalesce(e.release_reason, ''), e.released_at, e.v1_arrived_at,
	coalesce(e.payout_id, ''), e.paid_at, e.returned, coalesce(e.last_return, ''), coalesce(i.status, ''), coalesce((i.total - i.paid)::text, '')`

// ForClinician reads all of a clinician's earnings. A clinician with none gets an empty Summary.
func ForClinician(ctx context.Context, q projections.Querier, clinicianID string) (Summary, error) {
	return Read(ctx, q, Query{ClinicianID: clinicianID})
}

// Read reads a clinician's earnings as qry says.
func Read(ctx context.Context, q projections.Querier, qry Query) (Summary, error) {
	clinicianID := qry.ClinicianID
	// The bounds go as dates, not instants, so the server's time zone cannot shift them.
	var from, to *string
	if !qry.Month.IsZero() {
		f, t := qry.Month.bounds()
		fs, ts := f.Format(time.DateOnly), t.Format(time.DateOnly)
		from, to = &fs, &ts
	}
	rows, err := q.Query(ctx, `SELECT `+itemColumns+`
		FROM proj_earnings.earnings e LEFT JOIN proj_earnings.invoices i ON i.invoice_id = e.invoice_id
		WHERE e.clinician_id = $1 AND ($2::date IS NULL OR e.work_date >= $2::date) AND ($3::date IS NULL OR e.work_date < $3::date)
		ORDER BY e.work_date, e.accrued_at, e.earning_id`, clinicianID, from, to)
	if err != nil {
		return Summary{}, fmt.Errorf("earnings of clinician %s: %w", clinicianID, err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Item, error) { return scanItem(r, qry.GoLive) })
	if err != nil {
		return Summary{}, fmt.Errorf("earnings of clinician %s: %w", clinicianID, err)
	}
	s := Summary{ClinicianID: clinicianID, Month: qry.Month.String(), Pending: []Item{}, Voided: []Item{}, Released: []Item{}, InPayout: []Item{}, Paid: []Item{},
		V1Imported: V1Imported{Items: []V1Item{}, Outstanding: money.Zero, Settled: money.Zero},
		Totals:     Totals{Pending: money.Zero, V1: money.Zero, Voided: money.Zero, Released: money.Zero, InPayout: money.Zero, Paid: money.Zero, V1ImportedOutstanding: money.Zero}}
	if !qry.GoLive.IsZero() {
		s.GoLive = qry.GoLive.String()
	}
	for _, it := range items {
		switch {
		case it.Waiting == InvoiceVoided:
			s.Voided = append(s.Voided, it)
			s.Totals.Voided = s.Totals.Voided.Add(it.Amount)
		case it.Status == "pending":
			s.Pending = append(s.Pending, it)
			s.Totals.Pending = s.Totals.Pending.Add(it.Amount)
		case it.Status == "v1":
			s.Pending = append(s.Pending, it)
			s.Totals.V1 = s.Totals.V1.Add(it.Amount)
		case it.Status == "released":
			s.Released = append(s.Released, it)
			s.Totals.Released = s.Totals.Released.Add(it.Amount)
		case it.Status == "in_payout":
			s.InPayout = append(s.InPayout, it)
			s.Totals.InPayout = s.Totals.InPayout.Add(it.Amount)
		case it.Status == "paid":
			s.Paid = append([]Item{it}, s.Paid...)
			s.Totals.Paid = s.Totals.Paid.Add(it.Amount)
		}
	}
	return s, nil
}

func scanItem(r pgx.CollectableRow, goLive ledger.Date) (Item, error) {
	var (
		it                  Item
		amount, outstanding string
		workDate            time.Time
		invoiceStatus       string
	)
	if err := r.Scan(&it.EarningID, &it.ClinicianID, &it.Kind, &it.AppointmentID, &it.InvoiceID, &it.ItemID,
		&amount, &workDate, &it.Ledger, &it.Status, &it.AccruedAt, &it.ReleaseReason, &it.ReleasedAt, &it.V1ArrivedAt,
		&it.PayoutID, &it.PaidAt, &it.Returned, &it.LastReturn, &invoiceStatus, &outstanding); err != nil {
		return Item{}, err
	}
	a, err := money.Parse(amount)
	if err != nil {
		return Item{}, err
	}
	it.Amount, it.WorkDate = a, ledger.DateOf(workDate)
	it.Waiting, it.Why = waiting(it, invoiceStatus, outstanding, goLive)
	return it, nil
}

// waiting explains an earning that is not payable yet, in words that name no id.
func waiting(it Item, invoiceStatus, outstanding string, goLive ledger.Date) (string, string) {
	beforeGoLive := "before go-live"
	if !goLive.IsZero() {
		beforeGoLive = "before go-live on " + goLive.String()
	}
	switch {
	case (it.Status == "v1" || it.Status == "pending") && it.Kind != "consultation" && invoiceStatus == "voided":
		if it.Status == "v1" {
			return InvoiceVoided, fmt.Sprintf("the patient's invoice was voided: this item will not be paid (V1 work of %s, %s)", it.WorkDate, beforeGoLive)
		}
		return InvoiceVoided, "the patient's invoice was voided: this item will not be paid"
	case it.Status == "v1" && it.V1ArrivedAt != nil:
		what := "form submitted"
		if it.ReleaseReason == "invoice_paid" {
			what = "invoice paid"
		}
		return BelongsToV1, fmt.Sprintf("belongs to V1 (work of %s, %s): %s on %s, but V2 does not pay it: the old back office (V1) pays it",
			it.WorkDate, beforeGoLive, what, it.V1ArrivedAt.In(ledger.London).Format("2006-01-02"))
	case it.Status == "v1":
		return BelongsToV1, fmt.Sprintf("belongs to V1 (work of %s, %s): managed in the old back office (V1), which pays it", it.WorkDate, beforeGoLive)
	case it.Status != "pending":
		return "", ""
	case it.Kind == "consultation":
		return WaitingForForm, "post-consultation form not submitted"
	case invoiceStatus == "draft" || invoiceStatus == "":
		return WaitingForPayment, "the patient's invoice is not yet issued"
	default:
		return WaitingForPayment, fmt.Sprintf("the patient's invoice is not paid in full (£%s outstanding)", outstanding)
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
