package payouts_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"ledgerdesk/commands"
	"ledgerdesk/commands/payouts"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
	"ledgerdesk/eventstore"
	"ledgerdesk/policies/payments/paymentstest"
)

var (
	goLive   = ledger.Date{Year: 2025, Month: time.February, Day: 3}
	feb10    = time.Date(2025, time.February, 10, 10, 0, 0, 0, time.UTC)
	feb28    = ledger.Date{Year: 2025, Month: time.February, Day: 28}
	mar3     = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)
	practice = payouts.Party{Name: "Northbridge Psychiatry Ltd", SortCode: "200000", AccountNumber: "55779911"}
)

func newHarness(t *testing.T) *paymentstest.Harness {
	t.Helper()
	h := paymentstest.New(t)
	h.GoLive(goLive)
	h.Clinician("c1", "Dr Aisha Okafor", "40-12-76", "12345678")
	h.Clinician("c2", "Dr Tom O'Brien", "30-96-34", "87654321")
	return h
}

// consultation books, completes (at worked) and, if form, submits the form of appointment id.
func consultation(t *testing.T, h *paymentstest.Harness, id, clinician, fee string, worked time.Time, form bool) {
	t.Helper()
	h.Must(h.Appointment(id, appointment.Book{AppointmentID: id, PatientID: "p-" + id, ClinicianID: clinician, StartsAt: worked,
		Fee: money.GBP(fee), At: worked.Add(-72 * time.Hour)}))
	h.Must(h.Appointment(id, appointment.Complete{AppointmentID: id, At: worked}))
	if form {
		h.Must(h.Appointment(id, appointment.SubmitForm{AppointmentID: id, By: clinician, At: worked.Add(time.Hour)}))
	}
}

func payoutState(t *testing.T, h *paymentstest.Harness, id string) payout.State {
	t.Helper()
	s, _, err := commands.Load(h.Ctx, h.Deps, payout.Decider, payout.StreamID(id))
	h.Must(err)
	return s
}

func meta() commands.Metadata { return paymentstest.Meta() }

// crashingStore fails every append after the first n, as a process dying mid-run would.
type crashingStore struct {
	eventstore.Store
	mu   sync.Mutex
	left int
}

var errCrash = errors.New("the process died")

func (s *crashingStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	s.mu.Lock()
	if s.left == 0 {
		s.mu.Unlock()
		return eventstore.AppendResult{}, errCrash
	}
	s.left--
	s.mu.Unlock()
	return s.Store.Append(ctx, stream, expected, events...)
}

const schemaPath = "shared/schemas/iso20022/pain.001.001.09.xsd"

// xmllint validates doc against the official pain.001.001.09 schema. Under CI=true a
// missing xmllint or schema fails the test; elsewhere it skips.
func xmllint(t *testing.T, doc []byte) (string, bool) {
	t.Helper()
	unavailable := func(msg string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg + " (the test fails instead when CI=true)")
	}
	tool, err := exec.LookPath("xmllint")
	if err != nil {
		unavailable("xmllint not found; install libxml2-utils")
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	xsd := ""
	for xsd == "" {
		if _, err := os.Stat(filepath.Join(dir, schemaPath)); err == nil {
			xsd = filepath.Join(dir, schemaPath)
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			unavailable(fmt.Sprintf("%s not found in any parent directory", schemaPath))
		}
		dir = parent
	}
	p := filepath.Join(t.TempDir(), "payout.xml")
	if err := os.WriteFile(p, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "--noout", "--nonet", "--schema", xsd, p).CombinedOutput()
	if err != nil {
		if _, isExit := err.(*exec.ExitError); !isExit {
			t.Fatalf("running xmllint: %v", err)
		}
	}
	return string(out), err == nil
}
