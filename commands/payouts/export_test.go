package payouts_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/commands/payouts"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
)

// The file a real run produces, from real earnings streams and real account bank details,
// is valid against the official ISO 20022 schema, and reads back as what was paid.
func TestAPayoutRunsBankFileValidatesAgainstTheOfficialSchema(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.Clinician("c3", "Dr Siân Ní Bhriain & Partners <Ltd>", "11-22-33", "00000001")
	consultation(t, h, "a1", "c1", "250.00", feb10, true)
	consultation(t, h, "a2", "c1", "0.01", feb10.Add(time.Hour), true)
	consultation(t, h, "b1", "c2", "120.25", feb10, true)
	consultation(t, h, "d1", "c3", "10000.00", feb10, true) // the largest fee there is
	h.Settle()
	if _, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", Cutoff: feb28,
		RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1", "c2", "c3"}}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	rep, err := payouts.Export(h.Ctx, h.Deps, pain001.Writer{}, payouts.ExportRequest{PayoutID: "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", Debtor: practice, By: "clerk", At: mar3}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if out, ok := xmllint(t, buf.Bytes()); !ok {
		t.Fatalf("xmllint rejected the payout file:\n%s\n%s", out, buf.String())
	}

	f, err := pain001.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if f.MessageID != "PO0199a1b2c3d47e5f8a9b0c1d2e3f4a5b" || len(f.Lines) != 3 || !f.Total().Equal(money.GBP("10370.26")) {
		t.Fatalf("file = %s with %d lines totalling %s; want message PO<payout digits>, 3 lines, 10370.26", f.MessageID, len(f.Lines), f.Total())
	}
	if f.Lines[0].Creditor != (pain001.Party{Name: "Dr Aisha Okafor", SortCode: "401276", AccountNumber: "12345678"}) || !f.Lines[0].Amount.Equal(money.GBP("250.01")) {
		t.Fatalf("first line = %+v, want Dr Okafor's account paid 250.01", f.Lines[0])
	}
	sum := sha256.Sum256(buf.Bytes())
	run := payoutState(t, h, rep.PayoutID)
	if run.Status != payout.StatusExported || run.MessageID != f.MessageID || run.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("run after export = %+v, want exported with the file's message id and SHA-256", run)
	}
}

// Exporting again gives the very bytes recorded (a writer that crashed can just retry); a
// different file for the same run is refused, since the bank must only ever see one.
func TestExportingAgainGivesTheSameFileAndADifferentOneIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(t, h, "a1", "c1", "250.00", feb10, true)
	h.Settle()
	if _, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1"}}); err != nil {
		t.Fatal(err)
	}
	export := func(debtor payouts.Party, at time.Time) ([]byte, payouts.ExportReport, error) {
		var buf bytes.Buffer
		rep, err := payouts.Export(h.Ctx, h.Deps, pain001.Writer{}, payouts.ExportRequest{PayoutID: "run1", Debtor: debtor, By: "clerk", At: at}, &buf)
		return buf.Bytes(), rep, err
	}
	first, rep1, err := export(practice, mar3)
	if err != nil {
		t.Fatal(err)
	}
	again, rep2, err := export(practice, mar3.Add(6*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) || !rep2.Again || rep1.Again || rep1.SHA256 != rep2.SHA256 {
		t.Fatalf("re-export differs or is not flagged as a repeat:\n%s\n---\n%s", first, again)
	}
	if v := payoutState(t, h, "run1"); v.Status != payout.StatusExported {
		t.Fatalf("status = %s", v.Status)
	}
	other := practice
	other.AccountNumber = "11111111"
	out, _, err := export(other, mar3)
	if !errors.Is(err, payout.ErrAlreadyExported) || len(out) != 0 {
		t.Fatalf("a different file: err = %v, %d bytes written; want ErrAlreadyExported and nothing written", err, len(out))
	}
}

func TestExportRefusesABadDebtorOrAnUnfinishedRun(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(t, h, "a1", "c1", "250.00", feb10, true)
	h.Settle()
	if _, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1"}}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	bad := practice
	bad.SortCode = "20-00-00"
	_, err := payouts.Export(h.Ctx, h.Deps, pain001.Writer{}, payouts.ExportRequest{PayoutID: "run1", Debtor: bad, By: "clerk", At: mar3}, &buf)
	if !errors.Is(err, pain001.ErrInvalidSortCode) || buf.Len() != 0 || !strings.Contains(err.Error(), "debtor") {
		t.Fatalf("bad debtor sort code: err = %v, %d bytes; want ErrInvalidSortCode naming the debtor and nothing written", err, buf.Len())
	}
	if v := payoutState(t, h, "run1"); v.Status != payout.StatusFinalised {
		t.Fatalf("a refused export changed the run: %s", v.Status)
	}
}

// fakeBank is a bank-file format of the test's own: one line of text per file.
type fakeBank struct {
	refuse error
	got    []payouts.BankFile
}

func (b *fakeBank) Validate(payouts.BankFile) error { return b.refuse }

func (b *fakeBank) Write(w io.Writer, f payouts.BankFile) error {
	if b.refuse != nil {
		return b.refuse
	}
	b.got = append(b.got, f)
	_, err := fmt.Fprintf(w, "%s %s %d %s\n", f.MessageID, f.Debtor.AccountNumber, len(f.Lines), f.Total())
	return err
}

// Export writes through the writer it is given, and records what that writer produced:
// the file format is the writer's business.
func TestExportWritesThroughTheBankFileWriterItIsGiven(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	consultation(t, h, "a1", "c1", "250.00", feb10, true)
	h.Settle()
	if _, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1"}}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := payouts.Export(h.Ctx, h.Deps, nil, payouts.ExportRequest{PayoutID: "run1", Debtor: practice, By: "clerk", At: mar3}, &buf); !errors.Is(err, payouts.ErrInvalidInput) {
		t.Fatalf("no writer: %v, want ErrInvalidInput", err)
	}
	errRefused := errors.New("the bank says no")
	if _, err := payouts.Export(h.Ctx, h.Deps, &fakeBank{refuse: errRefused}, payouts.ExportRequest{PayoutID: "run1", Debtor: practice, By: "clerk", At: mar3}, &buf); !errors.Is(err, errRefused) || buf.Len() != 0 {
		t.Fatalf("refusing writer: %v, %d bytes", err, buf.Len())
	}
	if v := payoutState(t, h, "run1"); v.Status != payout.StatusFinalised {
		t.Fatalf("a refused file changed the run: %s", v.Status)
	}
	bank := &fakeBank{}
	rep, err := payouts.Export(h.Ctx, h.Deps, bank, payouts.ExportRequest{PayoutID: "run1", Debtor: practice, By: "clerk", At: mar3}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(bank.got) != 1 || bank.got[0].Debtor != practice || len(bank.got[0].Lines) != 1 || !bank.got[0].Lines[0].Amount.Equal(money.GBP("250.00")) ||
		bank.got[0].Lines[0].Creditor != (payouts.Party{Name: "Dr Aisha Okafor", SortCode: "401276", AccountNumber: "12345678"}) {
		t.Fatalf("writer was given %+v", bank.got)
	}
	sum := sha256.Sum256(buf.Bytes())
	if rep.SHA256 != hex.EncodeToString(sum[:]) || rep.Bytes != buf.Len() || payoutState(t, h, "run1").SHA256 != rep.SHA256 {
		t.Fatalf("report %+v does not describe the %d bytes written", rep, buf.Len())
	}
	if err := payouts.CheckDebtor(&fakeBank{refuse: errRefused}, practice); !errors.Is(err, errRefused) {
		t.Fatalf("check debtor: %v", err)
	}
}

func TestAnExecutionDateBeforeTheFilesCreationIsRefusedNamingTheRun(t *testing.T) {
	t.Parallel()
	if err := payouts.CheckExecutionDate(ledger.Date{}, mar3); err != nil {
		t.Fatalf("no date (the day of the export): %v", err)
	}
	if err := payouts.CheckExecutionDate(ledger.LondonDate(mar3), mar3); err != nil {
		t.Fatalf("the same day: %v", err)
	}
	err := payouts.CheckExecutionDate(feb28, mar3)
	if !errors.Is(err, payouts.ErrInvalidInput) || !strings.Contains(err.Error(), "execution date") || !strings.Contains(err.Error(), "2025-03-03") {
		t.Fatalf("a date already past: %v", err)
	}
	h := newHarness(t)
	consultation(t, h, "a1", "c1", "250.00", feb10, true)
	h.Settle()
	if _, err := payouts.Run(h.Ctx, h.Deps, nil, payouts.RunRequest{PayoutID: "run1", Cutoff: feb28, RequestedBy: "clerk", At: mar3, Clinicians: []string{"c1"}}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	_, err = payouts.Export(h.Ctx, h.Deps, pain001.Writer{}, payouts.ExportRequest{PayoutID: "run1", Debtor: practice, ExecutionDate: feb28, By: "clerk", At: mar3}, &buf)
	if !errors.Is(err, payouts.ErrInvalidInput) || !strings.Contains(err.Error(), "payout run1") || buf.Len() != 0 {
		t.Fatalf("export with a past execution date: %v, %d bytes", err, buf.Len())
	}
	if v := payoutState(t, h, "run1"); v.Status != payout.StatusFinalised || v.MessageID != "" {
		t.Fatalf("a refused export changed the run: %+v", v)
	}
}
