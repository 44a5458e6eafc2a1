package pain001_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

func TestAValidFileValidates(t *testing.T) {
	if err := pain001.Validate(sampleFile()); err != nil {
		t.Fatalf("Validate(sample) = %v", err)
	}
}

// Each case breaks one thing; the error must match the sentinel and name the place (the line
// and field) in words an accounts clerk can act on.
func TestBadInputIsRejectedWithAnErrorNamingTheLineAndField(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(f *pain001.File)
		want   error
		says   []string
	}{
		{"no lines", func(f *pain001.File) { f.Lines = nil }, pain001.ErrNoLines, []string{"at least one"}},
		{"too many lines", func(f *pain001.File) {
			l := f.Lines[0]
			f.Lines = nil
			for i := range pain001.MaxLines + 1 {
				l.EndToEndID = fmt.Sprintf("E%d", i)
				l.InstructionID = ""
				f.Lines = append(f.Lines, l)
			}
		}, pain001.ErrTooManyLines, []string{"10001 lines", "at most 10000"}},
		{"zero amount", func(f *pain001.File) { f.Lines[1].Amount = money.Zero }, pain001.ErrInvalidAmount, []string{"line 2", `"E2E-0002"`, "amount £0.00", "more than zero"}},
		{"negative amount", func(f *pain001.File) { f.Lines[0].Amount = money.GBP("-5.00") }, pain001.ErrInvalidAmount, []string{"line 1", "amount £-5.00"}},
		{"total too large", func(f *pain001.File) {
			f.Lines[0].Amount = money.GBP("9999999999999999.99")
		}, pain001.ErrInvalidAmount, []string{"total"}},
		{"sort code with dashes", func(f *pain001.File) { f.Lines[1].Creditor.SortCode = "30-96-34" }, pain001.ErrInvalidSortCode, []string{"line 2", "creditor sort code", "6 digits"}},
		{"short sort code", func(f *pain001.File) { f.Lines[0].Creditor.SortCode = "40127" }, pain001.ErrInvalidSortCode, []string{"line 1", "creditor sort code"}},
		{"letters in sort code", func(f *pain001.File) { f.Debtor.SortCode = "20000O" }, pain001.ErrInvalidSortCode, []string{"debtor sort code"}},
		{"missing sort code", func(f *pain001.File) { f.Lines[0].Creditor.SortCode = "" }, pain001.ErrMissingField, []string{"line 1", "creditor sort code is empty"}},
		{"seven-digit account", func(f *pain001.File) { f.Lines[0].Creditor.AccountNumber = "1234567" }, pain001.ErrInvalidAccountNumber, []string{"line 1", "creditor account number", "8 digits"}},
		{"missing account", func(f *pain001.File) { f.Debtor.AccountNumber = "" }, pain001.ErrMissingField, []string{"debtor account number is empty"}},
		{"overlong creditor name", func(f *pain001.File) { f.Lines[1].Creditor.Name = strings.Repeat("é", 141) }, pain001.ErrTextTooLong, []string{"line 2", "creditor name", "141 characters", "at most 140"}},
		{"overlong debtor name", func(f *pain001.File) { f.Debtor.Name = strings.Repeat("a", 141) }, pain001.ErrTextTooLong, []string{"debtor name", "141"}},
		{"overlong remittance", func(f *pain001.File) { f.Lines[0].RemittanceInfo = strings.Repeat("r", 141) }, pain001.ErrTextTooLong, []string{"line 1", "remittance information"}},
		{"overlong end-to-end id", func(f *pain001.File) { f.Lines[1].EndToEndID = strings.Repeat("9", 36) }, pain001.ErrTextTooLong, []string{"line 2", "end-to-end id", "36 characters", "at most 35"}},
		{"overlong instruction id", func(f *pain001.File) { f.Lines[0].InstructionID = strings.Repeat("9", 36) }, pain001.ErrTextTooLong, []string{"line 1", "instruction id"}},
		{"overlong message id", func(f *pain001.File) { f.MessageID = strings.Repeat("m", 36) }, pain001.ErrTextTooLong, []string{"message id"}},
		{"overlong payment information id", func(f *pain001.File) { f.PaymentInfoID = strings.Repeat("p", 36) }, pain001.ErrTextTooLong, []string{"payment information id"}},
		{"empty message id", func(f *pain001.File) { f.MessageID = "" }, pain001.ErrMissingField, []string{"message id is empty"}},
		{"blank creditor name", func(f *pain001.File) { f.Lines[0].Creditor.Name = "   " }, pain001.ErrMissingField, []string{"line 1", "creditor name is blank"}},
		{"empty end-to-end id", func(f *pain001.File) { f.Lines[1].EndToEndID = "" }, pain001.ErrMissingField, []string{"line 2: end-to-end id is empty"}},
		{"control character in name", func(f *pain001.File) { f.Lines[0].Creditor.Name = "Dr A\x00kafor" }, pain001.ErrInvalidText, []string{"line 1", "creditor name", "U+0000"}},
		{"newline in remittance", func(f *pain001.File) { f.Lines[0].RemittanceInfo = "two\nlines" }, pain001.ErrInvalidText, []string{"U+000A"}},
		{"invalid UTF-8", func(f *pain001.File) { f.Lines[0].Creditor.Name = "Dr \xff" }, pain001.ErrInvalidText, []string{"UTF-8"}},
		{"space around id", func(f *pain001.File) { f.MessageID = " M1" }, pain001.ErrInvalidText, []string{"message id starts or ends with a space"}},
		{"duplicate end-to-end id", func(f *pain001.File) { f.Lines[1].EndToEndID = f.Lines[0].EndToEndID }, pain001.ErrDuplicateID, []string{"line 2", "already used by line 1"}},
		{"duplicate instruction id", func(f *pain001.File) { f.Lines[1].InstructionID = f.Lines[0].InstructionID }, pain001.ErrDuplicateID, []string{"line 2", "instruction id", "already used by line 1"}},
		{"no creation time", func(f *pain001.File) { f.CreatedAt = time.Time{} }, pain001.ErrMissingField, []string{"creation time"}},
		{"no execution date", func(f *pain001.File) { f.RequestedExecutionDate = ledger.Date{} }, pain001.ErrMissingField, []string{"requested execution date"}},
		{"impossible execution date", func(f *pain001.File) { f.RequestedExecutionDate = ledger.Date{Year: 2025, Month: 2, Day: 30} }, pain001.ErrInvalidDate, []string{"2025-02-30", "not a real calendar date"}},
		{"execution before creation", func(f *pain001.File) { f.RequestedExecutionDate = ledger.Date{Year: 2025, Month: 2, Day: 9} }, pain001.ErrInvalidDate, []string{"2025-02-09", "before the file was created"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := sampleFile()
			tc.mutate(&f)
			err := pain001.Validate(f)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Validate error = %v, want %v", err, tc.want)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
			var buf bytes.Buffer
			if werr := pain001.Write(&buf, f); !errors.Is(werr, tc.want) || buf.Len() != 0 {
				t.Errorf("Write of an invalid file: error %v, wrote %d bytes; want the same rejection and nothing written", werr, buf.Len())
			}
		})
	}
}

func TestAccountDetailsAreNeverEchoedInErrors(t *testing.T) {
	f := sampleFile()
	f.Lines[0].Creditor.AccountNumber = "9876543"
	err := pain001.Validate(f)
	if err == nil || strings.Contains(err.Error(), "9876543") {
		t.Fatalf("error %v must reject the account number without repeating it", err)
	}
}

func TestValidateReportsEveryProblemAtOnceUpToACap(t *testing.T) {
	f := sampleFile()
	f.MessageID = ""
	f.Lines[0].Amount = money.Zero
	f.Lines[1].Creditor.SortCode = "1"
	err := pain001.Validate(f)
	for _, want := range []error{pain001.ErrMissingField, pain001.ErrInvalidAmount, pain001.ErrInvalidSortCode} {
		if !errors.Is(err, want) {
			t.Errorf("error %v lacks %v", err, want)
		}
	}

	many := sampleFile()
	for i := range many.Lines {
		many.Lines[i].Amount = money.Zero
	}
	for range 100 {
		l := many.Lines[0]
		l.EndToEndID, l.InstructionID = "", ""
		many.Lines = append(many.Lines, l)
	}
	err = pain001.Validate(many)
	if got := strings.Count(err.Error(), "\n") + 1; got > 21 {
		t.Errorf("error has %d lines; a long list should be capped", got)
	}
	if !strings.Contains(err.Error(), "more problems") {
		t.Errorf("a capped error should say more problems were found: %v", err)
	}
}

func TestLengthLimitsCountCharactersNotBytes(t *testing.T) {
	f := sampleFile()
	f.Lines[0].Creditor.Name = strings.Repeat("ł", pain001.MaxTextLength) // 280 bytes, 140 characters
	f.Lines[0].EndToEndID = strings.Repeat("é", pain001.MaxIDLength)
	if err := pain001.Validate(f); err != nil {
		t.Fatalf("names at exactly the limit in characters must pass: %v", err)
	}
}

func FuzzValidateAcceptsOnlyWhatRoundTripsExactly(f *testing.F) {
	for _, n := range awkwardNames {
		f.Add(n, "E2E-1", "note")
	}
	f.Add("", "", "")
	f.Add("a\x00b", "id\n", "\xff")
	f.Add(strings.Repeat("x", 141), strings.Repeat("y", 36), " lead")
	f.Fuzz(func(t *testing.T, name, id, remit string) {
		in := sampleFile()
		in.Lines[0].Creditor.Name = name
		in.Lines[0].EndToEndID = id
		in.Lines[0].RemittanceInfo = remit
		if pain001.Validate(in) != nil {
			return
		}
		var buf bytes.Buffer
		if err := pain001.Write(&buf, in); err != nil {
			t.Fatalf("Validate accepted but Write failed: %v", err)
		}
		out, err := pain001.Parse(&buf)
		if err != nil {
			t.Fatalf("Parse of our own output: %v\n%s", err, buf.String())
		}
		if d := sameFile(in, out); d != "" {
			t.Fatalf("accepted text changed on the way through the file: %s", d)
		}
	})
}
