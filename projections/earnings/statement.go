package earnings

import (
	"encoding/csv"
	"io"
	"strings"
	"time"

	"ledgerdesk/domain/ledger"
)

// NoPatientName stands in for a patient whose name is not on record.
const NoPatientName = "a patient (no name on record)"

// What says what an earning is for, and for whom, in words that name no id.
func (it Item) What() string {
	patient := it.PatientName
	if patient == "" && it.PatientID != "" {
		patient = NoPatientName
	}
	if it.Kind == "consultation" {
		what := "consultation of " + it.WorkDate.String()
		if it.StartsAt != nil {
			what = "consultation of " + it.StartsAt.In(ledger.London).Format("2006-01-02 15:04")
		}
		if patient != "" {
			what += " with " + patient
		}
		return what
	}
	what := "billable item of " + it.WorkDate.String()
	if patient != "" {
		what += ", invoiced to " + patient
	}
	return what
}

// StatementHeader is the first row of a statement.
var StatementHeader = []string{"section", "work_date", "what", "amount_gbp", "status", "why_or_when", "payout_run", "payout_state"}

// WriteStatementCSV writes s as a statement: the clinician and month, every line with its
// group, what it is, its amount and why it waits (or when it was released or paid, by
// which run), the imported V1 items, then the totals. The same summary always gives the
// same bytes.
func WriteStatementCSV(out io.Writer, s Summary) error {
	w := csv.NewWriter(out)
	rows := [][]string{
		{"statement", s.DisplayName(), s.Month, "", "", "go-live " + orNone(s.GoLive), "", ""},
		StatementHeader,
	}
	line := func(section string, it Item, whyOrWhen string) {
		run, state := "", ""
		if it.Payout != nil {
			run, state = it.Payout.PayoutID, it.Payout.Words
		} else if it.PayoutID != "" {
			run = it.PayoutID
		}
		rows = append(rows, []string{section, it.WorkDate.String(), it.What(), it.Amount.String(), it.Status, whyOrWhen, run, state})
	}
	for _, it := range s.Pending {
		line("pending", it, it.Why)
	}
	for _, it := range s.Voided {
		line("voided", it, it.Why)
	}
	for _, it := range s.Released {
		line("released", it, "released on "+onDay(it.ReleasedAt))
	}
	for _, it := range s.InPayout {
		line("in_payout", it, "released on "+onDay(it.ReleasedAt))
	}
	for _, it := range s.Paid {
		line("paid", it, "paid on "+onDay(it.PaidAt))
	}
	for _, v := range s.V1Imported.Items {
		status := "outstanding"
		if v.Settled {
			status = "settled"
		}
		rows = append(rows, []string{"v1_imported", v.WorkDate, v.Description, v.Amount.String(), status, v.Why, "", ""})
	}
	t := s.Totals
	for _, total := range [][2]string{
		{"total_pending", t.Pending.String()}, {"total_v1_in_v2", t.V1.String()}, {"total_voided", t.Voided.String()},
		{"total_released", t.Released.String()}, {"total_in_payout", t.InPayout.String()}, {"total_paid", t.Paid.String()},
		{"total_v1_imported_outstanding", t.V1ImportedOutstanding.String()},
	} {
		rows = append(rows, []string{total[0], "", "", total[1], "", "", "", ""})
	}
	for _, r := range rows {
		for i := range r {
			r[i] = safeCell(r[i])
		}
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// safeCell keeps a spreadsheet from reading a cell as a formula (V1 descriptions come from
// another system's export).
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "not recorded"
	}
	return s
}

func onDay(t *time.Time) string {
	if t == nil {
		return "an unrecorded date"
	}
	return t.In(ledger.London).Format("2006-01-02")
}
