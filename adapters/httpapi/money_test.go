package httpapi

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/app/authz"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
	"ledgerdesk/projections/appointments"
	"ledgerdesk/projections/invoices"
)

// waitForMeeting waits until the appointments read model has c1 meeting the patient.
func (e *env) waitForMeeting(t *testing.T, patient string) {
	t.Helper()
	waitFor(t, "the appointments read model", func() bool {
		met, err := appointments.HaveMet(context.Background(), e.pool, "c1", patient)
		return err == nil && met
	})
}

// A billable item earns its clinician money, so only a clinician who has (or had) an
// appointment with the invoice's patient raises one, and only on a draft; accounts staff
// may raise any, on a draft too.
func TestAClinicianRaisesItemsOnlyForPatientsTheyHaveSeenAndOnlyOnDrafts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	item := map[string]any{"clinician_id": "c1", "description": "report", "amount": "80.00"}
	items := func(id string) string { return "/api/v1/invoices/" + id + "/items" }

	never := e.draftInvoice(t, false)
	if res, body := e.do(authz.Clinician, "POST", items(never), item); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a clinician who never saw the patient: status %d, want 403: %s", res.StatusCode, body)
	}
	if res, body := e.do(authz.Accounts, "POST", items(never), item); res.StatusCode != http.StatusOK {
		t.Fatalf("accounts staff raising a clinician's item: status %d, want 200: %s", res.StatusCode, body)
	}

	// A cancelled appointment is not a meeting.
	p2 := "p2-" + uuid.NewString()
	appt := uuid.NewString()
	exec(t, e, appointment.Decider, appointment.StreamID(appt), appointment.Command(appointment.Book{
		AppointmentID: appt, PatientID: p2, ClinicianID: "c1", StartsAt: start, Fee: money.GBP("250.00"), At: start.Add(-time.Hour)}))
	exec(t, e, appointment.Decider, appointment.StreamID(appt), appointment.Command(appointment.Cancel{AppointmentID: appt, Reason: "unwell", At: start.Add(-time.Minute)}))
	cancelledFor := uuid.NewString()
	exec(t, e, invoice.Decider, invoice.StreamID(cancelledFor), invoice.Command(invoice.Raise{InvoiceID: cancelledFor, PatientID: p2, At: start}))
	waitFor(t, "the cancellation in the read model", func() bool {
		rows, err := appointments.ForClinician(context.Background(), e.pool, "c1")
		return err == nil && len(rows) == 1 && rows[0].Status == "cancelled"
	})
	if res, body := e.do(authz.Clinician, "POST", items(cancelledFor), item); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a clinician whose only appointment with the patient was cancelled: status %d, want 403: %s", res.StatusCode, body)
	}

	e.bookedAppointment(t) // c1 with p1
	e.waitForMeeting(t, "p1")
	seen := e.draftInvoice(t, false)
	if res, body := e.do(authz.Clinician, "POST", items(seen), item); res.StatusCode != http.StatusOK {
		t.Fatalf("a clinician with an appointment with the patient: status %d, want 200: %s", res.StatusCode, body)
	}
	// Not on someone else's behalf, even for a patient they saw.
	other := map[string]any{"clinician_id": "c2", "description": "report", "amount": "80.00"}
	if res, body := e.do(authz.Clinician, "POST", items(seen), other); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a clinician raising another clinician's item: status %d, want 403: %s", res.StatusCode, body)
	}

	issued := e.issuedInvoice(t)
	for _, role := range []authz.Role{authz.Clinician, authz.Accounts} {
		if res, body := e.do(role, "POST", items(issued), item); res.StatusCode != http.StatusConflict {
			t.Fatalf("%s adding an item to an issued invoice: status %d, want 409: %s", role, res.StatusCode, body)
		}
	}
	waitFor(t, "the invoice read model", func() bool {
		inv, err := invoices.Get(context.Background(), e.pool, issued)
		return err == nil && inv.Status == "issued"
	})
	inv, err := invoices.Get(context.Background(), e.pool, issued)
	if err != nil || len(inv.Items) != 1 || !inv.Total.Equal(money.GBP("100.00")) {
		t.Fatalf("the issued invoice changed: %+v %v", inv, err)
	}
	e.checkContract(t)
}
