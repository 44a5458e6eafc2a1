package appointment_test

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/money"
)

// Over random command sequences: the form is submitted at most once and only after the
// consultation was completed, completion happens at most once and never after a cancellation,
// and a refused command produces no events.
func TestFormOnlyAfterCompletionAndEverythingAtMostOnce(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewPCG(seed, 0x5eed))
		s := appointment.Decider.Initial()
		var completedN, formN, cancelledN int
		for step := range 40 {
			c := randomCommand(rng)
			evs, err := appointment.Decide(s, c)
			if err != nil && len(evs) > 0 {
				t.Fatalf("seed %d step %d: %T refused with %v but produced events", seed, step, c, err)
			}
			for _, e := range evs {
				switch e.(type) {
				case appointment.Completed:
					if cancelledN > 0 {
						t.Fatalf("seed %d step %d: completed after cancellation", seed, step)
					}
					completedN++
				case appointment.FormSubmitted:
					if completedN == 0 {
						t.Fatalf("seed %d step %d: form submitted before completion", seed, step)
					}
					formN++
				case appointment.Cancelled:
					if completedN > 0 {
						t.Fatalf("seed %d step %d: cancelled after completion", seed, step)
					}
					cancelledN++
				}
				s = appointment.Evolve(s, e)
			}
			if completedN > 1 || formN > 1 || cancelledN > 1 {
				t.Fatalf("seed %d step %d: completed %d, forms %d, cancelled %d", seed, step, completedN, formN, cancelledN)
			}
			if err != nil && errors.Is(err, appointment.ErrUnknownCommand) {
				t.Fatalf("seed %d: generator produced an unknown command", seed)
			}
		}
	}
}

func randomCommand(rng *rand.Rand) appointment.Command {
	at := feb5.Add(time.Duration(rng.IntN(72)) * time.Hour)
	ids := []string{apptID, apptID, apptID, "other"}
	id := ids[rng.IntN(len(ids))]
	who := []string{clinician, clinician, someone}[rng.IntN(3)]
	switch rng.IntN(6) {
	case 0:
		return appointment.Book{AppointmentID: id, PatientID: patient, ClinicianID: clinician, StartsAt: at,
			Fee: money.FromPence(int64(rng.IntN(50000)) - 100), At: at}
	case 1:
		return appointment.Reschedule{AppointmentID: id, StartsAt: at, At: at}
	case 2:
		if rng.IntN(3) > 0 {
			return appointment.Complete{AppointmentID: id, At: at}
		}
		return appointment.Cancel{AppointmentID: id, Reason: "r", At: at}
	default:
		return appointment.SubmitForm{AppointmentID: id, By: who, At: at}
	}
}
