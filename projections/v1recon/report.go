package v1recon

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/domain/money"
	"ledgerdesk/domain/v1item"
	"ledgerdesk/projections"
)

// Report is the reconciliation as the accounts department reads it.
type Report struct {
	// GoLive is the go-live date on record ("" before one is); CutoverAt is when go-live
	// day began, once the cutover is recorded.
	GoLive    string     `json:"go_live"`
	CutoverAt *time.Time `json:"cutover_at,omitempty"`
	// Totals are over every imported item; Clinicians break them down, by clinician id.
	Totals     Totals   `json:"totals"`
	Clinicians []Totals `json:"clinicians"`
	// Outstanding are the items nobody has settled yet, oldest work first.
	Outstanding []Item `json:"outstanding"`
	// Conflicts are the disagreements imports met, by reference.
	Conflicts []Conflict `json:"conflicts"`
	// Exceptions are where V1 and V2 overlap, by kind, then work date.
	Exceptions []Exception `json:"exceptions"`
}

// Totals are one clinician's (or everyone's) V1 items. Settled counts items V1 had paid
// before export and items the accounts department ticked off; the rest are outstanding.
type Totals struct {
	ClinicianID      string       `json:"clinician_id,omitempty"`
	ClinicianName    string       `json:"clinician_name,omitempty"`
	Items            int          `json:"items"`
	OutstandingItems int          `json:"outstanding_items"`
	Imported         money.Amount `json:"imported"`
	Settled          money.Amount `json:"settled"`
	Outstanding      money.Amount `json:"outstanding"`
}

// Item is one outstanding V1 item.
type Item struct {
	Reference        string       `json:"reference"`
	ClinicianID      string       `json:"clinician_id"`
	ClinicianName    string       `json:"clinician_name"`
	PatientReference string       `json:"patient_reference"`
	WorkDate         string       `json:"work_date"`
	Description      string       `json:"description"`
	Amount           money.Amount `json:"amount"`
	Ledger           string       `json:"ledger"`
	SourceFile       string       `json:"source_file"`
	SourceLine       int          `json:"source_line"`
}

// Conflict is one disagreement an import met and did not import.
type Conflict struct {
	Reference    string                  `json:"reference"`
	Fields       []string                `json:"fields"`
	WithExisting bool                    `json:"with_existing"`
	Variants     []v1item.ConflictingRow `json:"variants"`
	SourceFile   string                  `json:"source_file"`
	RecordedBy   string                  `json:"recorded_by"`
	RecordedAt   time.Time               `json:"recorded_at"`
	// Imported says whether the reference is imported now, and with what amount.
	Imported       bool          `json:"imported"`
	ImportedAmount *money.Amount `json:"imported_amount,omitempty"`
}

// ExceptionKind names a way V1 and V2 overlap.
type ExceptionKind string

// The kinds of exception, in the order the report lists them.
const (
	// PaidInV2: V2 paid out an earning for the same clinician, patient and work date as a
	// V1 item: possibly paid twice.
	PaidInV2 ExceptionKind = "v1_work_paid_in_v2"
	// ReleasedInV2: V2 released (but has not yet paid) such an earning.
	ReleasedInV2 ExceptionKind = "v1_work_released_in_v2"
	// V1WorkArrived: what would have released V1 work happened in V2; V2 did not pay it.
	V1WorkArrived ExceptionKind = "v1_work_arrived_in_v2"
	// AfterGoLive: V1 exported an item dated on or after go-live, which is V2's work.
	AfterGoLive ExceptionKind = "v1_item_dated_on_or_after_go_live"
)

var kindOrder = []ExceptionKind{PaidInV2, ReleasedInV2, V1WorkArrived, AfterGoLive}

// Exception is one overlap. Reference is the V1 item (empty for V1 work that reached V2
// with no V1 item to match); EarningID the V2 earning, if any.
type Exception struct {
	Kind             ExceptionKind `json:"kind"`
	Reference        string        `json:"reference,omitempty"`
	ClinicianID      string        `json:"clinician_id"`
	PatientReference string        `json:"patient_reference,omitempty"`
	WorkDate         string        `json:"work_date"`
	Amount           *money.Amount `json:"amount,omitempty"`
	EarningID        string        `json:"earning_id,omitempty"`
	V2Amount         *money.Amount `json:"v2_amount,omitempty"`
	At               *time.Time    `json:"at,omitempty"`
	Detail           string        `json:"detail"`
}

// Querier is a pool, a connection or a transaction (commands/authz names it so).
type Querier = projections.Querier

// Query reads the report from the live read model.
func Query(ctx context.Context, q Querier) (Report, error) {
	r := Report{Clinicians: []Totals{}, Outstanding: []Item{}, Conflicts: []Conflict{}, Exceptions: []Exception{}}
	var goLive *string
	var cutoverAt *time.Time
	err := q.QueryRow(ctx, `SELECT go_live::text, cutover_at FROM proj_v1recon.go_live`).Scan(&goLive, &cutoverAt)
	switch {
	case err == nil:
		r.GoLive, r.CutoverAt = *goLive, utcPtr(cutoverAt)
	case !errors.Is(err, pgx.ErrNoRows):
		return r, fmt.Errorf("v1 reconciliation: go-live: %w", err)
	}
	steps := []func(context.Context, Querier, *Report) error{clinicians, outstanding, conflicts, exceptions}
	for _, step := range steps {
		if err := step(ctx, q, &r); err != nil {
			return r, fmt.Errorf("v1 reconciliation: %w", err)
		}
	}
	r.Totals = Totals{Imported: money.Zero, Settled: money.Zero, Outstanding: money.Zero}
	for _, c := range r.Clinicians {
		r.Totals.Items += c.Items
		r.Totals.OutstandingItems += c.OutstandingItems
		r.Totals.Imported = r.Totals.Imported.Add(c.Imported)
		r.Totals.Settled = r.Totals.Settled.Add(c.Settled)
		r.Totals.Outstanding = r.Totals.Outstanding.Add(c.Outstanding)
	}
	return r, nil
}

const unsettled = `status <> 'paid' AND ticked_at IS NULL`

func clinicians(ctx context.Context, q Querier, r *Report) error {
	rows, err := q.Query(ctx, `
		SELECT clinician_id, min(clinician_name), count(*), count(*) FILTER (WHERE `+unsettled+`),
		       sum(amount)::numeric(14,2)::text,
		       coalesce(sum(amount) FILTER (WHERE NOT (`+unsettled+`)), 0)::numeric(14,2)::text,
		       coalesce(sum(amount) FILTER (WHERE `+unsettled+`), 0)::numeric(14,2)::text
		FROM proj_v1recon.items GROUP BY clinician_id ORDER BY clinician_id`)
	if err != nil {
		return err
	}
	r.Clinicians, err = collect(rows, func(row pgx.CollectableRow) (Totals, error) {
		var t Totals
		var imported, settled, open string
		if err := row.Scan(&t.ClinicianID, &t.ClinicianName, &t.Items, &t.OutstandingItems, &imported, &settled, &open); err != nil {
			return t, err
		}
		return t, parseAmounts(amountInto{imported, &t.Imported}, amountInto{settled, &t.Settled}, amountInto{open, &t.Outstanding})
	})
	return err
}

func outstanding(ctx context.Context, q Querier, r *Report) error {
	rows, err := q.Query(ctx, `
		SELECT reference, clinician_id, clinician_name, patient_reference, work_date::text, description, amount::text,
		       ledger, source_file, source_line
		FROM proj_v1recon.items WHERE `+unsettled+` ORDER BY work_date, reference`)
	if err != nil {
		return err
	}
	r.Outstanding, err = collect(rows, func(row pgx.CollectableRow) (Item, error) {
		var it Item
		var amount string
		if err := row.Scan(&it.Reference, &it.ClinicianID, &it.ClinicianName, &it.PatientReference, &it.WorkDate,
			&it.Description, &amount, &it.Ledger, &it.SourceFile, &it.SourceLine); err != nil {
			return it, err
		}
		return it, parseAmounts(amountInto{amount, &it.Amount})
	})
	return err
}

func conflicts(ctx context.Context, q Querier, r *Report) error {
	rows, err := q.Query(ctx, `
		SELECT c.reference, c.fields, c.with_existing, c.variants::text, c.source_file, c.recorded_by, c.recorded_at,
		       i.amount::text
		FROM proj_v1recon.conflicts c LEFT JOIN proj_v1recon.items i USING (reference)
		ORDER BY c.reference, c.version`)
	if err != nil {
		return err
	}
	r.Conflicts, err = collect(rows, func(row pgx.CollectableRow) (Conflict, error) {
		var c Conflict
		var fields, variants string
		var amount *string
		if err := row.Scan(&c.Reference, &fields, &c.WithExisting, &variants, &c.SourceFile, &c.RecordedBy, &c.RecordedAt, &amount); err != nil {
			return c, err
		}
		c.Fields, c.RecordedAt = strings.Split(fields, ","), c.RecordedAt.UTC()
		if err := json.Unmarshal([]byte(variants), &c.Variants); err != nil {
			return c, fmt.Errorf("conflict %s: %w", c.Reference, err)
		}
		if amount != nil {
			a, err := money.Parse(*amount)
			if err != nil {
				return c, err
			}
			c.Imported, c.ImportedAmount = true, &a
		}
		return c, nil
	})
	return err
}

// v2Work is every V2 earning with the patient its work was for.
const v2Work = `
	SELECT e.*, coalesce(ap.patient_id, ip.patient_id) AS patient_id
	FROM proj_v1recon.earnings e
	LEFT JOIN proj_v1recon.appointment_patients ap ON e.source_kind = 'consultation' AND ap.appointment_id = e.appointment_id
	LEFT JOIN proj_v1recon.invoice_patients ip ON e.source_kind = 'billable_item' AND ip.invoice_id = e.invoice_id`

func exceptions(ctx context.Context, q Querier, r *Report) error {
	var out []Exception
	// V1 items whose clinician, patient and work date match V2 work V2 released or paid.
	rows, err := q.Query(ctx, `
		WITH v2 AS (`+v2Work+`)
		SELECT i.reference, i.clinician_id, i.patient_reference, i.work_date::text, i.amount::text,
		       v2.earning_id, v2.amount::text, v2.released_at, v2.paid_at, coalesce(v2.payout_id, '')
		FROM proj_v1recon.items i
		JOIN v2 ON v2.clinician_id = i.clinician_id AND v2.patient_id = i.patient_reference AND v2.work_date = i.work_date
		WHERE v2.released_at IS NOT NULL OR v2.paid_at IS NOT NULL`)
	if err != nil {
		return err
	}
	matched, err := collect(rows, func(row pgx.CollectableRow) (Exception, error) {
		var e Exception
		var amount, v2amount, payout string
		var released, paid *time.Time
		if err := row.Scan(&e.Reference, &e.ClinicianID, &e.PatientReference, &e.WorkDate, &amount, &e.EarningID,
			&v2amount, &released, &paid, &payout); err != nil {
			return e, err
		}
		a, b, err := twoAmounts(amount, v2amount)
		if err != nil {
			return e, err
		}
		e.Amount, e.V2Amount = &a, &b
		if paid != nil {
			e.Kind, e.At = PaidInV2, utcPtr(paid)
			e.Detail = fmt.Sprintf("V2 paid earning %s (£%s) in payout %s for the same clinician, patient and work date; check it was not paid twice", e.EarningID, b, payout)
		} else {
			e.Kind, e.At = ReleasedInV2, utcPtr(released)
			e.Detail = fmt.Sprintf("V2 released earning %s (£%s) for the same clinician, patient and work date; stop it being paid twice", e.EarningID, b)
		}
		return e, nil
	})
	if err != nil {
		return err
	}
	out = append(out, matched...)

	// V1 work that reached V2, with the V1 items it matches, if any.
	rows, err = q.Query(ctx, `
		WITH v2 AS (`+v2Work+`)
		SELECT coalesce(i.reference, ''), v2.clinician_id, coalesce(v2.patient_id, ''), v2.work_date::text, i.amount::text,
		       v2.earning_id, v2.amount::text, v2.v1_arrived_at, v2.v1_arrived_reason
		FROM v2 LEFT JOIN proj_v1recon.items i
		  ON v2.clinician_id = i.clinician_id AND v2.patient_id = i.patient_reference AND v2.work_date = i.work_date
		WHERE v2.v1_arrived_at IS NOT NULL`)
	if err != nil {
		return err
	}
	arrived, err := collect(rows, func(row pgx.CollectableRow) (Exception, error) {
		e := Exception{Kind: V1WorkArrived}
		var amount *string
		var v2amount, reason string
		var at time.Time
		if err := row.Scan(&e.Reference, &e.ClinicianID, &e.PatientReference, &e.WorkDate, &amount, &e.EarningID, &v2amount, &at, &reason); err != nil {
			return e, err
		}
		b, err := money.Parse(v2amount)
		if err != nil {
			return e, err
		}
		e.V2Amount, e.At = &b, utcPtr(&at)
		if amount != nil {
			a, err := money.Parse(*amount)
			if err != nil {
				return e, err
			}
			e.Amount = &a
		}
		what := "the form was submitted"
		if reason == "invoice_paid" {
			what = "the invoice was paid"
		}
		e.Detail = fmt.Sprintf("%s in V2 for V1 work (earning %s, £%s); V2 did not pay it, V1 must", what, e.EarningID, b)
		if e.Reference == "" {
			e.Detail += "; no imported V1 item matches it"
		}
		return e, nil
	})
	if err != nil {
		return err
	}
	out = append(out, arrived...)

	// V1 items dated on or after go-live.
	rows, err = q.Query(ctx, `
		SELECT reference, clinician_id, patient_reference, work_date::text, amount::text
		FROM proj_v1recon.items WHERE ledger = 'v2'`)
	if err != nil {
		return err
	}
	late, err := collect(rows, func(row pgx.CollectableRow) (Exception, error) {
		e := Exception{Kind: AfterGoLive}
		var amount string
		if err := row.Scan(&e.Reference, &e.ClinicianID, &e.PatientReference, &e.WorkDate, &amount); err != nil {
			return e, err
		}
		a, err := money.Parse(amount)
		if err != nil {
			return e, err
		}
		e.Amount = &a
		e.Detail = fmt.Sprintf("V1 exported work dated %s, on or after go-live %s: the work belongs to V2", e.WorkDate, r.GoLive)
		return e, nil
	})
	if err != nil {
		return err
	}
	out = append(out, late...)

	slices.SortFunc(out, func(a, b Exception) int {
		return cmp.Or(
			cmp.Compare(slices.Index(kindOrder, a.Kind), slices.Index(kindOrder, b.Kind)),
			cmp.Compare(a.WorkDate, b.WorkDate),
			cmp.Compare(a.Reference, b.Reference),
			cmp.Compare(a.EarningID, b.EarningID))
	})
	r.Exceptions = append(r.Exceptions, out...)
	return nil
}

func collect[T any](rows pgx.Rows, fn func(pgx.CollectableRow) (T, error)) ([]T, error) {
	out, err := pgx.CollectRows(rows, fn)
	if out == nil {
		out = []T{}
	}
	return out, err
}

// amountInto is a numeric read as text and where to put it once parsed.
type amountInto struct {
	text string
	dst  *money.Amount
}

func parseAmounts(targets ...amountInto) error {
	for _, t := range targets {
		a, err := money.Parse(t.text)
		if err != nil {
			return err
		}
		*t.dst = a
	}
	return nil
}

func twoAmounts(a, b string) (money.Amount, money.Amount, error) {
	x, err := money.Parse(a)
	if err != nil {
		return x, x, err
	}
	y, err := money.Parse(b)
	return x, y, err
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := utc(*t)
	return &u
}

// ClinicianItem is one imported V1 item of a clinician, settled or not.
type ClinicianItem struct {
	Reference   string       `json:"reference"`
	WorkDate    string       `json:"work_date"`
	Description string       `json:"description"`
	Amount      money.Amount `json:"amount"`
	// Status is V1's own status in the export (pending or paid).
	Status string `json:"status"`
	// TickedAt is when the accounts department ticked it off, if it has.
	TickedAt *time.Time `json:"ticked_at,omitempty"`
}

// Settled says V1 had paid it before the export, or the accounts department ticked it off.
func (it ClinicianItem) Settled() bool { return it.Status == "paid" || it.TickedAt != nil }

// ClinicianItems lists the V1 items imported for one clinician, oldest work first: what
// the old back office says it owes them (or owed, once settled).
func ClinicianItems(ctx context.Context, q Querier, clinicianID string) ([]ClinicianItem, error) {
	rows, err := q.Query(ctx, `
		SELECT reference, work_date::text, description, amount::text, status, ticked_at
		FROM proj_v1recon.items WHERE clinician_id = $1 ORDER BY work_date, reference`, clinicianID)
	if err != nil {
		return nil, fmt.Errorf("v1 items of clinician %s: %w", clinicianID, err)
	}
	return collect(rows, func(row pgx.CollectableRow) (ClinicianItem, error) {
		var it ClinicianItem
		var amount string
		if err := row.Scan(&it.Reference, &it.WorkDate, &it.Description, &amount, &it.Status, &it.TickedAt); err != nil {
			return it, err
		}
		it.TickedAt = utcPtr(it.TickedAt)
		return it, parseAmounts(amountInto{amount, &it.Amount})
	})
}
