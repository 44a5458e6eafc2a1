package appointment_test

import (
	"testing"
	"time"

	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/money"
)

// Decide validates everything it is given: whatever the fields, it never panics, and either
// refuses with no events or books with a positive fee and non-empty ids.
func FuzzBookAndSubmit(f *testing.F) {
	f.Add(apptID, patient, clinician, clinician, int64(25000), int64(1738749600), "reason")
	f.Add("", "", "", "", int64(0), int64(0), "")
	f.Add(" ", "p", "c", "x", int64(-1), int64(-62135596800), "\xff")
	f.Fuzz(func(t *testing.T, id, patientID, clinicianID, by string, pence, unix int64, reason string) {
		at := time.Unix(unix, 0)
		if unix == 0 {
			at = time.Time{}
		}
		evs, err := appointment.Decide(appointment.State{}, appointment.Book{AppointmentID: id, PatientID: patientID,
			ClinicianID: clinicianID, StartsAt: at, Fee: money.FromPence(pence), At: at})
		if err != nil {
			if len(evs) != 0 {
				t.Fatalf("refused with %v but produced %v", err, evs)
			}
			return
		}
		b := evs[0].(appointment.Booked)
		if !b.Fee.IsPositive() || b.AppointmentID == "" || b.PatientID == "" || b.ClinicianID == "" {
			t.Fatalf("booked invalid appointment %+v", b)
		}
		s := appointment.Evolve(appointment.State{}, b)
		for _, c := range []appointment.Command{
			appointment.Cancel{AppointmentID: id, Reason: reason, At: at},
			appointment.SubmitForm{AppointmentID: id, By: by, At: at},
			appointment.Complete{AppointmentID: id, At: at},
		} {
			if evs, err := appointment.Decide(s, c); err != nil && len(evs) != 0 {
				t.Fatalf("%T refused with %v but produced %v", c, err, evs)
			}
		}
	})
}
