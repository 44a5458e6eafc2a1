package projector

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
)

func TestRetryRunsAFailingHandlerAgainThenGivesUp(t *testing.T) {
	calls := 0
	failing := func(*message.Message) ([]*message.Message, error) { calls++; return nil, errors.New("still broken") }
	_, err := retry(3, time.Microsecond)(failing)(message.NewMessage("1", nil))
	if err == nil || calls != 4 {
		t.Fatalf("calls = %d, err = %v; want 1 try and 3 retries, then the error", calls, err)
	}

	calls = 0
	flaky := func(*message.Message) ([]*message.Message, error) {
		calls++
		if calls < 3 {
			return nil, errors.New("not yet")
		}
		return nil, nil
	}
	if _, err := retry(5, time.Microsecond)(flaky)(message.NewMessage("2", nil)); err != nil || calls != 3 {
		t.Fatalf("calls = %d, err = %v; want success on the third call", calls, err)
	}
}

func TestRetryStopsWhenTheMessageContextEnds(t *testing.T) {
	msg := message.NewMessage("3", nil)
	ctx, cancel := context.WithCancel(context.Background())
	msg.SetContext(ctx)
	calls := 0
	h := func(*message.Message) ([]*message.Message, error) { calls++; cancel(); return nil, errors.New("x") }
	if _, err := retry(10, time.Hour)(h)(msg); err == nil || calls != 1 {
		t.Fatalf("calls = %d, err = %v; want one call and the error once the context ended", calls, err)
	}
}
