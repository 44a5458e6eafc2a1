package pain001_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

var update = flag.Bool("update", false, "rewrite testdata/sample.xml from the current writer")

func TestWriteThenParseGivesBackTheSameFile(t *testing.T) {
	in := sampleFile()
	out, err := pain001.Parse(bytes.NewReader(write(t, in)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if d := sameFile(in, out); d != "" {
		t.Fatal(d)
	}
}

func TestWriteThenParseRoundTripsRandomFiles(t *testing.T) {
	seed := uint64(20250203)
	r := rand.New(rand.NewPCG(seed, seed))
	for i := range 200 {
		in := randomFile(r)
		out, err := pain001.Parse(bytes.NewReader(write(t, in)))
		if err != nil {
			t.Fatalf("seed %d, file %d: Parse: %v", seed, i, err)
		}
		if d := sameFile(in, out); d != "" {
			t.Fatalf("seed %d, file %d: %s", seed, i, d)
		}
	}
}

// controls is the part of the document that carries the bank's control totals, read
// independently of the package's own parser.
type controls struct {
	GrpHdr struct {
		NbOfTxs string
		CtrlSum string
	} `xml:"CstmrCdtTrfInitn>GrpHdr"`
	PmtInf struct {
		PmtMtd      string
		NbOfTxs     string
		CtrlSum     string
		ReqdExctnDt struct{ Dt string }
		Amounts     []struct {
			Ccy   string `xml:"Ccy,attr"`
			Value string `xml:",chardata"`
		} `xml:"CdtTrfTxInf>Amt>InstdAmt"`
	} `xml:"CstmrCdtTrfInitn>PmtInf"`
}

func TestControlSumEqualsTheSumOfTheLines(t *testing.T) {
	seed := uint64(7)
	r := rand.New(rand.NewPCG(seed, seed))
	for i := range 50 {
		f := randomFile(r)
		var c controls
		if err := xml.Unmarshal(write(t, f), &c); err != nil {
			t.Fatal(err)
		}
		sum := money.Zero
		for _, a := range c.PmtInf.Amounts {
			if a.Ccy != "GBP" || !strings.Contains(a.Value, ".") || len(a.Value)-strings.Index(a.Value, ".") != 3 {
				t.Fatalf("seed %d file %d: amount %q %s must be GBP with exactly 2 decimals", seed, i, a.Value, a.Ccy)
			}
			sum = sum.Add(money.GBP(a.Value))
		}
		want := f.Total().String()
		if sum.String() != want || c.GrpHdr.CtrlSum != want || c.PmtInf.CtrlSum != want {
			t.Fatalf("seed %d file %d: lines sum %s, group CtrlSum %s, payment CtrlSum %s, want %s", seed, i, sum, c.GrpHdr.CtrlSum, c.PmtInf.CtrlSum, want)
		}
		n := len(f.Lines)
		if len(c.PmtInf.Amounts) != n || c.GrpHdr.NbOfTxs != strconv.Itoa(n) || c.PmtInf.NbOfTxs != strconv.Itoa(n) {
			t.Fatalf("seed %d file %d: NbOfTxs %s/%s for %d lines", seed, i, c.GrpHdr.NbOfTxs, c.PmtInf.NbOfTxs, n)
		}
		if c.PmtInf.PmtMtd != "TRF" || c.PmtInf.ReqdExctnDt.Dt != f.RequestedExecutionDate.String() {
			t.Fatalf("seed %d file %d: PmtMtd %q, ReqdExctnDt %q", seed, i, c.PmtInf.PmtMtd, c.PmtInf.ReqdExctnDt.Dt)
		}
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	a, b := write(t, sampleFile()), write(t, sampleFile())
	if !bytes.Equal(a, b) {
		t.Fatal("the same file written twice gave different bytes")
	}
	// The same instant in another zone is the same file.
	f := sampleFile()
	f.CreatedAt = f.CreatedAt.In(time.FixedZone("BST", 3600))
	if !bytes.Equal(a, write(t, f)) {
		t.Fatal("the creation time's zone changed the bytes")
	}
}

// The golden file pins the exact layout a bank has been given; regenerate it with -update
// only when the change is meant.
func TestWriteMatchesTheGoldenFile(t *testing.T) {
	got := write(t, sampleFile())
	path := filepath.Join("testdata", "sample.xml")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run Golden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("output differs from %s:\n%s", path, got)
	}
}

func TestNamesAreEscapedNotMangled(t *testing.T) {
	doc := string(write(t, sampleFile()))
	if !strings.Contains(doc, "Dr Tom O&#39;Brien &amp; Partners &lt;Psychiatry&gt;") {
		t.Fatalf("creditor name is not escaped as expected:\n%s", doc)
	}
	if strings.Contains(doc, "& ") || strings.Contains(doc, "<Psychiatry>") {
		t.Fatal("raw markup characters leaked into the document")
	}
}

func TestCreationTimeIsWrittenToTheSecondInUTC(t *testing.T) {
	f := sampleFile()
	f.CreatedAt = time.Date(2025, 7, 1, 10, 0, 0, 999_999_999, time.FixedZone("BST", 3600))
	f.RequestedExecutionDate = ledger.Date{Year: 2025, Month: time.July, Day: 1}
	doc := string(write(t, f))
	if !strings.Contains(doc, "<CreDtTm>2025-07-01T09:00:00Z</CreDtTm>") {
		t.Fatalf("CreDtTm not in UTC to the second:\n%s", doc)
	}
	back, err := pain001.Parse(strings.NewReader(doc))
	if err != nil || !back.CreatedAt.Equal(time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("Parse CreatedAt = %v, %v", back.CreatedAt, err)
	}
}

func TestUKAccountsAreSortCodeAndAccountNumberWithTheSortCodeAsTheBank(t *testing.T) {
	doc := write(t, sampleFile())
	type account struct {
		ID     string `xml:"Id>Othr>Id"`
		Scheme string `xml:"Id>Othr>SchmeNm>Prtry"`
	}
	type bank struct {
		System string `xml:"FinInstnId>ClrSysMmbId>ClrSysId>Cd"`
		Member string `xml:"FinInstnId>ClrSysMmbId>MmbId"`
	}
	var d struct {
		DbtrAcct account `xml:"CstmrCdtTrfInitn>PmtInf>DbtrAcct"`
		DbtrAgt  bank    `xml:"CstmrCdtTrfInitn>PmtInf>DbtrAgt"`
		Lines    []struct {
			CdtrAcct account
			CdtrAgt  bank
		} `xml:"CstmrCdtTrfInitn>PmtInf>CdtTrfTxInf"`
	}
	if err := xml.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		acct account
		bank bank
	}{
		{account{"20000055779911", "SortCodeAccountNumber"}, bank{"GBDSC", "200000"}},
		{account{"40127612345678", "SortCodeAccountNumber"}, bank{"GBDSC", "401276"}},
		{account{"30963487654321", "SortCodeAccountNumber"}, bank{"GBDSC", "309634"}},
	}
	got := []struct {
		acct account
		bank bank
	}{{d.DbtrAcct, d.DbtrAgt}}
	for _, l := range d.Lines {
		got = append(got, struct {
			acct account
			bank bank
		}{l.CdtrAcct, l.CdtrAgt})
	}
	if len(got) != len(want) {
		t.Fatalf("got %d accounts, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("account %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if s := string(doc); !strings.Contains(s, `<InstdAmt Ccy="GBP">1250.00</InstdAmt>`) ||
		!strings.Contains(s, `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">`) {
		t.Fatalf("amount or namespace not as expected:\n%s", s)
	}
}

type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriteReportsAWriterFailure(t *testing.T) {
	if err := pain001.Write(failingWriter{}, sampleFile()); !errors.Is(err, errDiskFull) {
		t.Fatalf("Write error = %v, want the writer's error", err)
	}
}
