package attachmenttest_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"ledgerdesk/commands/support/attachment"
	"ledgerdesk/commands/support/attachment/attachmenttest"
	"ledgerdesk/commands/support/attachment/memstore"
)

// brokenEnv names the broken store TestBrokenStore runs the suite against.
const brokenEnv = "ATTACHMENTTEST_BROKEN"

// mutants are stores each missing one promise of the port, with the sub-test of the suite
// that must notice.
var mutants = map[string]struct {
	wrap     func(attachmenttest.Store) attachmenttest.Store
	caughtBy string
}{
	"ForgetsReads":        {func(s attachmenttest.Store) attachmenttest.Store { return forgetsReads{s} }, "Open/EveryReadIsLoggedInOrder"},
	"IgnoresTicketOnOpen": {func(s attachmenttest.Store) attachmenttest.Store { return &ignoresTicket{Store: s} }, "Open/ThroughAnotherTicketIsErrNotFoundAndNotLogged"},
	"NoSizeLimit":         {func(s attachmenttest.Store) attachmenttest.Store { return noSizeLimit{s} }, "Refusals/TooLargeIsRefusedAndNothingIsKept"},
	"DestroyIsANoOp":      {func(s attachmenttest.Store) attachmenttest.Store { return keepsEverything{s} }, "Destroy/ADestroyedAttachmentIsGoneForGood"},
	"RetryIsErrExists":    {func(s attachmenttest.Store) attachmenttest.Store { return &noRetries{Store: s} }, "Put/ARetriedPutReturnsTheSameStored"},
	"SharesItsBytes":      {func(s attachmenttest.Store) attachmenttest.Store { return &sharesBytes{Store: s} }, "Put/TheStoreKeepsItsOwnCopy"},
}

// TestBrokenStore is the suite against one mutant; TestSuiteCatchesBrokenStores runs it
// in a child process, where its failure is the expected outcome.
func TestBrokenStore(t *testing.T) {
	name := os.Getenv(brokenEnv)
	if name == "" {
		t.Skip("run by TestSuiteCatchesBrokenStores")
	}
	m, ok := mutants[name]
	if !ok {
		t.Fatalf("no mutant %q", name)
	}
	attachmenttest.Run(t, func(t *testing.T) attachmenttest.Store { return m.wrap(memstore.New()) })
}

// TestSuiteCatchesBrokenStores proves the suite can fail: a store missing any one of the
// promises it checks does not pass, and fails in the sub-test about that promise.
func TestSuiteCatchesBrokenStores(t *testing.T) {
	if os.Getenv(brokenEnv) != "" {
		t.Skip("inside a mutant run")
	}
	for name, m := range mutants {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestBrokenStore$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), brokenEnv+"="+name)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("the suite passed a store that %s (err %v)", name, err)
			}
			if want := "--- FAIL: TestBrokenStore/" + m.caughtBy + " "; !strings.Contains(string(out), want) {
				t.Errorf("the suite failed the mutant, but not in %s:\n%s", m.caughtBy, failures(out))
			}
		})
	}
}

// TestTheReferenceStorePasses runs the suite where the mutants are made, so a failure of
// the reference itself is not mistaken for the suite catching a mutant.
func TestTheReferenceStorePasses(t *testing.T) {
	if os.Getenv(brokenEnv) != "" {
		t.Skip("inside a mutant run")
	}
	attachmenttest.Run(t, func(t *testing.T) attachmenttest.Store { return memstore.New() })
}

func failures(out []byte) string {
	var b strings.Builder
	for line := range strings.Lines(string(out)) {
		if strings.Contains(line, "--- FAIL") || strings.Contains(line, "panic") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// forgetsReads opens without logging.
type forgetsReads struct{ attachmenttest.Store }

func (forgetsReads) Reads(context.Context, string) ([]attachment.Read, error) { return nil, nil }

// ignoresTicket opens an attachment through whichever ticket is named.
type ignoresTicket struct {
	attachmenttest.Store
	mu      sync.Mutex
	tickets map[string]string
}

func (s *ignoresTicket) Put(ctx context.Context, u attachment.Upload) (attachment.Stored, error) {
	st, err := s.Store.Put(ctx, u)
	if err == nil {
		s.mu.Lock()
		if s.tickets == nil {
			s.tickets = map[string]string{}
		}
		s.tickets[u.AttachmentID] = u.TicketID
		s.mu.Unlock()
	}
	return st, err
}

func (s *ignoresTicket) Open(ctx context.Context, ticketID, attachmentID, reader string) (attachment.Document, error) {
	s.mu.Lock()
	if t, ok := s.tickets[attachmentID]; ok {
		ticketID = t
	}
	s.mu.Unlock()
	return s.Store.Open(ctx, ticketID, attachmentID, reader)
}

// noSizeLimit keeps the first MaxSize bytes of a file that is too large.
type noSizeLimit struct{ attachmenttest.Store }

func (s noSizeLimit) Put(ctx context.Context, u attachment.Upload) (attachment.Stored, error) {
	if len(u.Content) > attachment.MaxSize {
		u.Content = u.Content[:attachment.MaxSize]
	}
	return s.Store.Put(ctx, u)
}

// keepsEverything says it destroyed what it kept.
type keepsEverything struct{ attachmenttest.Store }

func (keepsEverything) Destroy(context.Context, string, string) error { return nil }

// noRetries refuses any id it has seen, retried uploads included.
type noRetries struct {
	attachmenttest.Store
	mu   sync.Mutex
	seen map[string]bool
}

func (s *noRetries) Put(ctx context.Context, u attachment.Upload) (attachment.Stored, error) {
	s.mu.Lock()
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	seen := s.seen[u.AttachmentID]
	s.seen[u.AttachmentID] = true
	s.mu.Unlock()
	if seen {
		return attachment.Stored{}, attachment.ErrExists
	}
	return s.Store.Put(ctx, u)
}

// sharesBytes hands out the very slice it was given, as a careless map store would.
type sharesBytes struct {
	attachmenttest.Store
	mu    sync.Mutex
	given map[string][]byte
}

func (s *sharesBytes) Put(ctx context.Context, u attachment.Upload) (attachment.Stored, error) {
	st, err := s.Store.Put(ctx, u)
	if err == nil {
		s.mu.Lock()
		if s.given == nil {
			s.given = map[string][]byte{}
		}
		if _, ok := s.given[u.AttachmentID]; !ok {
			s.given[u.AttachmentID] = u.Content
		}
		s.mu.Unlock()
	}
	return st, err
}

func (s *sharesBytes) Open(ctx context.Context, ticketID, attachmentID, reader string) (attachment.Document, error) {
	doc, err := s.Store.Open(ctx, ticketID, attachmentID, reader)
	s.mu.Lock()
	if b, ok := s.given[attachmentID]; ok && err == nil {
		doc.Content = b
	}
	s.mu.Unlock()
	return doc, err
}
