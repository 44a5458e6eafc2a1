package projector_test

import (
	"context"
	"sync"
	"testing"

	"ledgerdesk/projector"
)

// Projectors started together (four `ledgerdesk project` processes, say) all set up the
// same schemas at once; none of them may fail on it.
func TestProcessesStartingTogetherSetUpAProjectionsSchemaWithoutFailing(t *testing.T) {
	e := newEnv(t)
	const processes = 8
	for round := range 5 {
		p := &counting{name: "started_together_" + string(rune('a'+round))}
		var wg sync.WaitGroup
		errs := make(chan error, processes)
		for range processes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- projector.Setup(context.Background(), newPool(t, e.url), p)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}
