package v1recon

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"ledgerdesk/domain/money"
)

// Format is how a report is written.
type Format string

const (
	Table Format = "table"
	JSON  Format = "json"
	CSV   Format = "csv"
)

// Render writes the report. The same report always gives the same bytes.
func Render(w io.Writer, r Report, f Format) error {
	switch f {
	case Table, "":
		return renderTable(w, r)
	case JSON:
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	case CSV:
		return renderCSV(w, r)
	}
	return fmt.Errorf("report format %q: want table, json or csv", string(f))
}

func renderTable(out io.Writer, r Report) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	goLive := r.GoLive
	if goLive == "" {
		goLive = "not yet recorded"
	}
	fmt.Fprintf(w, "V1 reconciliation: go-live %s", goLive)
	if r.CutoverAt != nil {
		fmt.Fprintf(w, ", cutover recorded (from %s)", r.CutoverAt.Format(time.RFC3339))
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "\nTOTALS PER CLINICIAN")
	fmt.Fprintln(w, "CLINICIAN\tNAME\tITEMS\tOUTSTANDING ITEMS\tIMPORTED\tSETTLED\tOUTSTANDING")
	for _, c := range r.Clinicians {
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t£%s\t£%s\t£%s\n", cell(c.ClinicianID, 30), cell(c.ClinicianName, 30), c.Items, c.OutstandingItems, c.Imported, c.Settled, c.Outstanding)
	}
	t := r.Totals
	fmt.Fprintf(w, "ALL\t\t%d\t%d\t£%s\t£%s\t£%s\n", t.Items, t.OutstandingItems, t.Imported, t.Settled, t.Outstanding)

	fmt.Fprintf(w, "\nOUTSTANDING ITEMS, OLDEST FIRST (%d)\n", len(r.Outstanding))
	fmt.Fprintln(w, "WORK DATE\tREFERENCE\tCLINICIAN\tPATIENT\tAMOUNT\tLEDGER\tDESCRIPTION")
	for _, it := range r.Outstanding {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t£%s\t%s\t%s\n", it.WorkDate, cell(it.Reference, 30), cell(it.ClinicianID, 30),
			cell(it.PatientReference, 30), it.Amount, it.Ledger, cell(it.Description, 40))
	}

	fmt.Fprintf(w, "\nCONFLICTS (%d)\n", len(r.Conflicts))
	fmt.Fprintln(w, "REFERENCE\tDIFFERENT\tFILE\tLINES\tAMOUNTS\tNOW")
	for _, c := range r.Conflicts {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", cell(c.Reference, 30), strings.Join(c.Fields, ", "), cell(c.SourceFile, 30),
			conflictLines(c, ", "), conflictAmounts(c, " / "), conflictNow(c))
	}

	fmt.Fprintf(w, "\nEXCEPTIONS (%d)\n", len(r.Exceptions))
	fmt.Fprintln(w, "KIND\tWORK DATE\tREFERENCE\tCLINICIAN\tPATIENT\tDETAIL")
	for _, e := range r.Exceptions {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Kind, e.WorkDate, cell(e.Reference, 30), cell(e.ClinicianID, 30),
			cell(e.PatientReference, 30), e.Detail)
	}
	return w.Flush()
}

func renderCSV(out io.Writer, r Report) error {
	w := csv.NewWriter(out)
	rec := func(fields ...string) {
		for i, f := range fields {
			fields[i] = safeCell(f)
		}
		_ = w.Write(fields)
	}
	rec("section", "reference", "clinician_id", "clinician_name", "patient_reference", "work_date", "amount", "ledger",
		"description", "items", "outstanding_items", "imported", "settled", "outstanding", "kind", "earning_id", "v2_amount",
		"fields", "lines", "detail")
	totals := func(section string, t Totals) {
		rec(section, "", t.ClinicianID, t.ClinicianName, "", "", "", "", "", strconv.Itoa(t.Items), strconv.Itoa(t.OutstandingItems),
			t.Imported.String(), t.Settled.String(), t.Outstanding.String(), "", "", "", "", "", "")
	}
	for _, c := range r.Clinicians {
		totals("clinician", c)
	}
	totals("total", r.Totals)
	for _, it := range r.Outstanding {
		rec("outstanding", it.Reference, it.ClinicianID, it.ClinicianName, it.PatientReference, it.WorkDate, it.Amount.String(),
			it.Ledger, it.Description, "", "", "", "", "", "", "", "", "", "", fmt.Sprintf("%s line %d", it.SourceFile, it.SourceLine))
	}
	for _, c := range r.Conflicts {
		rec("conflict", c.Reference, "", "", "", "", conflictAmounts(c, ";"), "", "", "", "", "", "", "", "", "", "",
			strings.Join(c.Fields, ";"), conflictLines(c, ";"), fmt.Sprintf("%s: %s", c.SourceFile, conflictNow(c)))
	}
	for _, e := range r.Exceptions {
		rec("exception", e.Reference, e.ClinicianID, "", e.PatientReference, e.WorkDate, amountText(e.Amount), "", "", "", "", "", "", "",
			string(e.Kind), e.EarningID, amountText(e.V2Amount), "", "", e.Detail)
	}
	w.Flush()
	return w.Error()
}

func conflictLines(c Conflict, sep string) string {
	var lines []string
	for _, v := range c.Variants {
		for _, l := range v.Lines {
			lines = append(lines, strconv.Itoa(l))
		}
	}
	return strings.Join(lines, sep)
}

func conflictAmounts(c Conflict, sep string) string {
	var amounts []string
	for _, v := range c.Variants {
		amounts = append(amounts, "£"+v.Amount.String())
	}
	return strings.Join(amounts, sep)
}

func conflictNow(c Conflict) string {
	switch {
	case !c.Imported:
		return "not imported"
	case c.WithExisting:
		return fmt.Sprintf("kept the figures on record (£%s)", c.ImportedAmount)
	}
	return fmt.Sprintf("imported later (£%s)", c.ImportedAmount)
}

func amountText(a *money.Amount) string {
	if a == nil {
		return ""
	}
	return a.String()
}

// cell fits free text on one line of a table.
func cell(s string, width int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	r := []rune(s)
	return string(r[:width-1]) + "…"
}

// safeCell stops a spreadsheet from running a cell that starts like a formula: V1's text
// is not ours to trust.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
