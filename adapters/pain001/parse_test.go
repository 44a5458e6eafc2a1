package pain001_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"ledgerdesk/adapters/pain001"
)

// Each case edits a file we wrote the way a corrupted or tampered file might differ.
func TestParseRejectsFilesThatAreNotOursOrDoNotAddUp(t *testing.T) {
	good := string(write(t, sampleFile()))
	for _, tc := range []struct {
		name      string
		old, with string
		want      error
		says      string
		fixTotals bool // also rewrite both control sums to match, so only the line is wrong
	}{
		{"group control sum off by a penny", "<CtrlSum>1250.01</CtrlSum>\n      <InitgPty>", "<CtrlSum>1250.02</CtrlSum>\n      <InitgPty>", pain001.ErrControlMismatch, "group header control sum is £1250.02 but the lines add up to £1250.01", false},
		{"payment control sum off", "<CtrlSum>1250.01</CtrlSum>\n      <ReqdExctnDt>", "<CtrlSum>1250.00</CtrlSum>\n      <ReqdExctnDt>", pain001.ErrControlMismatch, "payment information control sum", false},
		{"missing control sum", "<CtrlSum>1250.01</CtrlSum>\n      <InitgPty>", "<InitgPty>", pain001.ErrMalformed, "no control sum", false},
		{"count off", "<NbOfTxs>2</NbOfTxs>\n      <CtrlSum>1250.01</CtrlSum>\n      <InitgPty>", "<NbOfTxs>3</NbOfTxs>\n      <CtrlSum>1250.01</CtrlSum>\n      <InitgPty>", pain001.ErrControlMismatch, "says 3 transactions but the file has 2", false},
		{"missing amount", `<InstdAmt Ccy="GBP">0.01</InstdAmt>`, "", pain001.ErrMalformed, "line 2: no instructed amount", false},
		{"euro amount", `<InstdAmt Ccy="GBP">0.01</InstdAmt>`, `<InstdAmt Ccy="EUR">0.01</InstdAmt>`, pain001.ErrInvalidAmount, `line 2: currency "EUR"`, false},
		{"three decimals", `<InstdAmt Ccy="GBP">0.01</InstdAmt>`, `<InstdAmt Ccy="GBP">0.011</InstdAmt>`, pain001.ErrInvalidAmount, "line 2: amount", false},
		{"zero amount", `<InstdAmt Ccy="GBP">0.01</InstdAmt>`, `<InstdAmt Ccy="GBP">0.00</InstdAmt>`, pain001.ErrInvalidAmount, "line 2 (end-to-end id \"E2E-0002\"): amount £0.00 must be more than zero", true},
		{"another namespace", "pain.001.001.09\">", "pain.001.001.03\">", pain001.ErrMalformed, "not a pain.001.001.09 document", false},
		{"cheque instead of transfer", "<PmtMtd>TRF</PmtMtd>", "<PmtMtd>CHK</PmtMtd>", pain001.ErrMalformed, "payment method", false},
		{"bank sort code disagrees with account", "<MmbId>401276</MmbId>", "<MmbId>401277</MmbId>", pain001.ErrMalformed, "line 1: creditor bank sort code differs", false},
		{"IBAN instead of sort code", "<Othr>\n              <Id>40127612345678</Id>\n              <SchmeNm>\n                <Prtry>SortCodeAccountNumber</Prtry>\n              </SchmeNm>\n            </Othr>", "<IBAN>GB33BUKB20201555555555</IBAN>", pain001.ErrMalformed, "line 1: no creditor account", false},
		{"letters in account", "<Id>40127612345678</Id>", "<Id>4012761234567X</Id>", pain001.ErrInvalidAccountNumber, "line 1", false},
		{"execution date as date-time", "<Dt>2025-02-11</Dt>", "<DtTm>2025-02-11T09:00:00Z</DtTm>", pain001.ErrMalformed, "no requested execution date", false},
		{"creation time without zone", "<CreDtTm>2025-02-10T09:30:15Z</CreDtTm>", "<CreDtTm>2025-02-10T09:30:15</CreDtTm>", pain001.ErrInvalidDate, "time zone", false},
		{"a second document after the first", "</Document>", "</Document><Document/>", pain001.ErrMalformed, "after the end", false},
		{"text after the document", "</Document>", "</Document>junk", pain001.ErrMalformed, "after the end", false},
		{"not XML", good, "{}", pain001.ErrMalformed, "not a pain.001.001.09 document", false},
		{"duplicate end-to-end id", "<EndToEndId>E2E-0002</EndToEndId>", "<EndToEndId>E2E-0001</EndToEndId>", pain001.ErrDuplicateID, "already used by line 1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(good, tc.old) {
				t.Fatalf("test is stale: %q is not in the written file", tc.old)
			}
			doc := strings.Replace(good, tc.old, tc.with, 1)
			if tc.fixTotals {
				doc = strings.ReplaceAll(doc, "<CtrlSum>1250.01</CtrlSum>", "<CtrlSum>1250.00</CtrlSum>")
			}
			_, err := pain001.Parse(strings.NewReader(doc))
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("Parse error = %v, want %v saying %q", err, tc.want, tc.says)
			}
		})
	}
}

func TestParseRefusesAnOversizedFile(t *testing.T) {
	r := io.MultiReader(strings.NewReader("<Document>"), bytes.NewReader(make([]byte, pain001.MaxFileBytes)))
	if _, err := pain001.Parse(r); !errors.Is(err, pain001.ErrMalformed) {
		t.Fatalf("Parse of %d bytes = %v, want ErrMalformed", pain001.MaxFileBytes+10, err)
	}
}

func TestParseIgnoresACommentAndTrailingWhitespace(t *testing.T) {
	doc := string(write(t, sampleFile())) + "\n<!-- sent 10 Feb -->\n\n"
	if _, err := pain001.Parse(strings.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
}

// FuzzParse: no input makes Parse panic, and whatever Parse accepts writes back and parses
// again to the same File (so reconciliation never works from a misread file).
func FuzzParse(f *testing.F) {
	good := write(f, sampleFile())
	f.Add(good)
	f.Add([]byte(""))
	f.Add([]byte("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"/>"))
	f.Add(bytes.Replace(good, []byte("1250.00"), []byte("-1"), 1))
	f.Add(bytes.Replace(good, []byte("<PmtInf>"), []byte("<PmtInf><PmtInf>"), 1))
	f.Add(bytes.Replace(good, []byte("E2E-0002"), []byte("&#0;"), 1))
	f.Add(bytes.Replace(good, []byte("Dr Aisha Okafor"), []byte("<![CDATA[x]]>"), 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := pain001.Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := pain001.Write(&buf, got); err != nil {
			t.Fatalf("Parse accepted a file that Write rejects: %v", err)
		}
		again, err := pain001.Parse(&buf)
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if d := sameFile(got, again); d != "" {
			t.Fatalf("parse/write/parse is not stable: %s", d)
		}
	})
}
