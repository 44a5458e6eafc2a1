package wmstore

import "context"

// DeliveryLimit bounds how many delivery transactions the consumers sharing it hold open at
// once. A delivery holds one pooled connection for its transaction, and what it delivers to
// may need another for a moment (a policy's command loads and appends through the pool, a
// read model's codec fetches a key). With as many consumers as connections, each could hold
// one and wait for a second that never frees up; keeping deliveries below the pool's size
// leaves room for those inner queries, so a small pool is slower, never stuck.
type DeliveryLimit chan struct{}

// NewDeliveryLimit allows n deliveries at once (at least one).
func NewDeliveryLimit(n int) DeliveryLimit {
	if n < 1 {
		n = 1
	}
	return make(DeliveryLimit, n)
}

// DeliveriesFor is the limit that suits a pool of maxConns connections: half of them, so
// that the other half serves the deliveries' inner queries and everything else the process
// does (requests, the tail's reads).
func DeliveriesFor(maxConns int32) DeliveryLimit { return NewDeliveryLimit(int(maxConns) / 2) }

func (l DeliveryLimit) acquire(ctx context.Context) error {
	if l == nil {
		return nil
	}
	select {
	case l <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l DeliveryLimit) release() {
	if l != nil {
		<-l
	}
}
