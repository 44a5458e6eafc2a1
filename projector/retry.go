package projector

import (
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
)

// retry runs a handler again after an error, up to maxRetries times, doubling the pause
// from initial. It does what Watermill's middleware.Retry does for us, but costs nothing
// when the handler succeeds: Watermill's builds an exponential back-off and grows the
// handler goroutine's stack for every message, which was a sixth of the projector's CPU.
func retry(maxRetries int, initial time.Duration) message.HandlerMiddleware {
	return func(h message.HandlerFunc) message.HandlerFunc {
		return func(msg *message.Message) ([]*message.Message, error) {
			produced, err := h(msg)
			wait := initial
			for attempt := 0; err != nil && attempt < maxRetries; attempt++ {
				select {
				case <-msg.Context().Done():
					return produced, err
				case <-time.After(wait):
				}
				wait *= 2
				produced, err = h(msg)
			}
			return produced, err
		}
	}
}
