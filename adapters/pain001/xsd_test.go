package pain001_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ledgerdesk/adapters/pain001"
	"ledgerdesk/domain/money"
)

const schemaPath = "shared/schemas/iso20022/pain.001.001.09.xsd"

// xmllintSchema finds xmllint and the official XSD. The XSD sits in shared/, beside the
// repository, so it is looked for under every directory from here up. In CI (CI=true) a
// missing tool or schema fails the test: a schema check that silently never runs proves
// nothing. Elsewhere it skips with a message.
func xmllintSchema(t *testing.T) (xmllint, xsd string) {
	t.Helper()
	unavailable := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg + " (the test fails instead when CI=true)")
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		unavailable("xmllint not found; install libxml2-utils")
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		candidate := filepath.Join(dir, schemaPath)
		if _, err := os.Stat(candidate); err == nil {
			return xmllint, candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			unavailable("%s not found in any parent directory", schemaPath)
		}
		dir = parent
	}
}

// lint runs xmllint on each document and returns its output and whether it accepted all.
func lint(t *testing.T, docs map[string][]byte) (string, bool) {
	t.Helper()
	xmllint, xsd := xmllintSchema(t)
	args := []string{"--noout", "--nonet", "--schema", xsd}
	dir := t.TempDir()
	for name, doc := range docs {
		p := filepath.Join(dir, name+".xml")
		if err := os.WriteFile(p, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	out, err := exec.Command(xmllint, args...).CombinedOutput()
	if err != nil {
		if _, isExit := err.(*exec.ExitError); !isExit {
			t.Fatalf("running xmllint: %v", err)
		}
	}
	return string(out), err == nil
}

func TestWrittenFilesValidateAgainstTheOfficialSchema(t *testing.T) {
	docs := map[string][]byte{"sample": write(t, sampleFile())}

	longest := sampleFile()
	longest.MessageID = strings.Repeat("M", pain001.MaxIDLength)
	longest.PaymentInfoID = strings.Repeat("P", pain001.MaxIDLength)
	longest.Debtor.Name = strings.Repeat("Ł", pain001.MaxTextLength)
	longest.Lines[0].EndToEndID = strings.Repeat("é", pain001.MaxIDLength)
	longest.Lines[0].InstructionID = strings.Repeat("I", pain001.MaxIDLength)
	longest.Lines[0].Creditor.Name = strings.Repeat("&", pain001.MaxTextLength)
	longest.Lines[0].RemittanceInfo = strings.Repeat("<", pain001.MaxTextLength)
	docs["longest"] = write(t, longest)

	largest := sampleFile()
	largest.Lines = largest.Lines[:1]
	largest.Lines[0].Amount = money.GBP("9999999999999999.99")
	docs["largest"] = write(t, largest)

	awkward := sampleFile()
	for i, n := range awkwardNames {
		l := awkward.Lines[0]
		l.EndToEndID, l.InstructionID = fmt.Sprintf("AWK-%d", i), ""
		l.Creditor.Name, l.RemittanceInfo = n, n
		awkward.Lines = append(awkward.Lines, l)
	}
	docs["awkward"] = write(t, awkward)

	seed := uint64(31)
	r := rand.New(rand.NewPCG(seed, seed))
	for i := range 20 {
		docs[fmt.Sprintf("random-seed%d-%02d", seed, i)] = write(t, randomFile(r))
	}

	if out, ok := lint(t, docs); !ok {
		t.Fatalf("xmllint rejected a file we wrote:\n%s", out)
	}
}

// The schema check must be able to fail: hand-broken documents are rejected by xmllint. The
// overlong name also shows our Max140Text limit is the schema's, not a guess.
func TestXmllintRejectsBrokenDocuments(t *testing.T) {
	good := string(write(t, sampleFile()))
	for _, tc := range []struct{ name, old, with string }{
		{"line without an amount", `<Amt>
          <InstdAmt Ccy="GBP">0.01</InstdAmt>
        </Amt>`, ""},
		{"negative amount", `<InstdAmt Ccy="GBP">0.01</InstdAmt>`, `<InstdAmt Ccy="GBP">-0.01</InstdAmt>`},
		{"creditor name of 141 characters", "<Nm>Dr Aisha Okafor</Nm>", "<Nm>" + strings.Repeat("a", 141) + "</Nm>"},
		{"end-to-end id of 36 characters", "<EndToEndId>E2E-0001</EndToEndId>", "<EndToEndId>" + strings.Repeat("e", 36) + "</EndToEndId>"},
		{"unknown payment method", "<PmtMtd>TRF</PmtMtd>", "<PmtMtd>BACS</PmtMtd>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(good, tc.old) {
				t.Fatalf("test is stale: %q is not in the written file", tc.old)
			}
			out, ok := lint(t, map[string][]byte{"broken": []byte(strings.Replace(good, tc.old, tc.with, 1))})
			if ok {
				t.Fatalf("xmllint accepted a broken document:\n%s", out)
			}
			if !strings.Contains(out, "fails to validate") {
				t.Fatalf("xmllint failed for another reason:\n%s", out)
			}
		})
	}
}
