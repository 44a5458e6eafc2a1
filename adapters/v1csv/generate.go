package v1csv

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// GenerateCSV writes a V1 export of n valid pending-payment rows with work dates in the
// 120 days before 3 February 2025, for demos and benchmarks. The same seed gives the same
// bytes. See Generate for another go-live date.
func GenerateCSV(w io.Writer, n int, seed uint64) error {
	return Generate(w, n, seed, ledger.Date{Year: 2025, Month: time.February, Day: 3})
}

var (
	firstNames   = []string{"Ada", "Grace", "Alan", "Mary", "Rosalind", "Edward", "Florence", "Joseph", "Elizabeth", "Aneurin", "Margaret", "Charles"}
	lastNames    = []string{"Lovelace", "Hopper", "Turing", "Seacole", "Franklin", "Jenner", "Nightingale", "Lister", "Garrett Anderson", "Bevan", "O'Brien", "Darwin"}
	itemKinds    = []string{"Consultation", "Follow-up consultation", "Psychiatric report", "Letter to GP", "Prescription", "Medication review"}
	descExtras   = []string{"", "", "", ", 2 pages", " (urgent), see notes", "\nSecond line of notes", ` "as discussed"`}
	roundAmounts = []string{"50.00", "75.00", "120.00", "250.00", "300.00", "450.00", "1250.00", "99.99", "2400.50"}
)

// Generate is GenerateCSV with work dates in the 120 days before goLive. The rows use the
// formats the parser accepts, mixed: £ signs and thousands separators, both date forms,
// status in any case, quoted descriptions holding commas, quotes and line breaks, CRLF.
func Generate(w io.Writer, n int, seed uint64, goLive ledger.Date) error {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write([]string{"v1_reference", "clinician_id", "Clinician_Name", "patient_reference", "work_date", "description", "amount", "status"}); err != nil {
		return err
	}
	start := goLive.StartInLondon()
	for i := range n {
		// Each patient is seen by one clinician and has a few items, as in a real practice.
		patient := rng.IntN(20000)
		c := patient % 40
		name := fmt.Sprintf("Dr %s %s", firstNames[c%len(firstNames)], lastNames[(c/len(firstNames)+c)%len(lastNames)])
		day := ledger.LondonDate(start.AddDate(0, 0, -1-rng.IntN(120)))
		date := day.String()
		if rng.IntN(2) == 0 {
			date = fmt.Sprintf("%02d/%02d/%04d", day.Day, int(day.Month), day.Year)
		}
		amount := money.FromPence(int64(100 + rng.IntN(250000)))
		if rng.IntN(3) == 0 {
			amount = money.GBP(roundAmounts[rng.IntN(len(roundAmounts))])
		}
		status := "pending"
		if rng.IntN(7) == 0 {
			status = "paid"
		}
		if rng.IntN(5) == 0 {
			status = strings.ToUpper(status)
		}
		record := []string{
			fmt.Sprintf("V1-%07d", i+1),
			fmt.Sprintf("clin-%03d", c),
			name,
			fmt.Sprintf("P-%05d", patient),
			date,
			itemKinds[rng.IntN(len(itemKinds))] + descExtras[rng.IntN(len(descExtras))],
			formatAmount(amount, rng.IntN(4)),
			status,
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// formatAmount writes an amount the way V1 and spreadsheets do, in one of four styles.
func formatAmount(a money.Amount, style int) string {
	plain := a.String()
	switch style {
	case 1:
		return "£" + plain
	case 2:
		return "£" + groupThousands(plain)
	case 3:
		return " " + groupThousands(plain) + " "
	}
	return plain
}

func groupThousands(plain string) string {
	whole, frac, _ := strings.Cut(plain, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String() + "." + frac
}
