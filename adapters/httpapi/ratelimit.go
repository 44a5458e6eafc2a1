package httpapi

import (
	"sync"
	"time"
)

// Limit is a token bucket: Burst requests at once, then one every Every.
type Limit struct {
	Every time.Duration
	Burst int
}

// Limits are the rate limits on the endpoints people could abuse, each a 429 with
// Retry-After when it refuses. What a signed-in caller does is limited per account only,
// so that everyone behind one address (a clinic, a mobile network) does not share one
// limit; what an anonymous caller does is limited per client IP (and sign-in also per
// account, against password guessing spread over addresses). Only what is accepted
// counts: a request refused as invalid or forbidden gives its token back. They are kept in memory, per process: with several API
// processes behind a balancer the effective limit is that many times higher.
type Limits struct {
	Login         Limit
	PasswordReset Limit
	TicketCreate  Limit
}

// DefaultLimits are generous for a person and tight for a script.
func DefaultLimits() Limits {
	return Limits{
		Login:         Limit{Every: 6 * time.Second, Burst: 5},
		PasswordReset: Limit{Every: time.Minute, Burst: 3},
		TicketCreate:  Limit{Every: time.Minute, Burst: 5},
	}
}

// maxBuckets bounds the memory a flood of distinct keys can take; past it the idle
// buckets are dropped (a dropped bucket starts full again, which errs towards allowing).
const maxBuckets = 100_000

type limiter struct {
	limit   Limit
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
}

// bucket holds tokens as they stood at last; one accrues every Every, up to Burst. It is
// kept by hand rather than with golang.org/x/time/rate, whose reservations cannot be
// given back once their moment has passed, and a refused request must give its back.
type bucket struct {
	tokens float64
	last   time.Time
	seen   time.Time
}

func newLimiter(l Limit, now func() time.Time) *limiter {
	return &limiter{limit: l, now: now, buckets: map[string]*bucket{}}
}

// refill brings b's tokens up to now.
func (lm *limiter) refill(b *bucket, now time.Time) {
	if now.After(b.last) {
		b.tokens = min(float64(max(lm.limit.Burst, 1)), b.tokens+float64(now.Sub(b.last))/float64(lm.limit.Every))
		b.last = now
	}
}

// allow takes one token from every key's bucket, or none if any is empty, and then says
// how long until the emptiest would allow.
func (lm *limiter) allow(keys ...string) (bool, time.Duration) {
	_, ok, wait := lm.take(keys...)
	return ok, wait
}

// taken is the tokens one request took; refund gives them back, for a request that was
// refused and so must not count.
type taken struct {
	lm   *limiter
	keys []string
}

func (t *taken) refund() {
	if t == nil || len(t.keys) == 0 {
		return
	}
	now := t.lm.now()
	t.lm.mu.Lock()
	defer t.lm.mu.Unlock()
	for _, k := range t.keys {
		if b := t.lm.buckets[k]; b != nil {
			t.lm.refill(b, now)
			b.tokens = min(float64(max(t.lm.limit.Burst, 1)), b.tokens+1)
		}
	}
	t.keys = nil
}

// take is allow that can be undone: the tokens it took are given back by the result's
// refund. Holding them while the request runs keeps concurrent requests within the limit.
func (lm *limiter) take(keys ...string) (*taken, bool, time.Duration) {
	if lm == nil || lm.limit.Every <= 0 {
		return nil, true, 0
	}
	now := lm.now()
	lm.mu.Lock()
	defer lm.mu.Unlock()
	if len(lm.buckets) > maxBuckets {
		for k, b := range lm.buckets {
			if now.Sub(b.seen) > lm.limit.Every*time.Duration(lm.limit.Burst+1) {
				delete(lm.buckets, k)
			}
		}
	}
	var wait time.Duration
	bs := make([]*bucket, 0, len(keys))
	for _, k := range keys {
		b := lm.buckets[k]
		if b == nil {
			b = &bucket{tokens: float64(max(lm.limit.Burst, 1)), last: now}
			lm.buckets[k] = b
		}
		b.seen = now
		lm.refill(b, now)
		if b.tokens < 1 {
			wait = max(wait, time.Duration((1-b.tokens)*float64(lm.limit.Every)))
		}
		bs = append(bs, b)
	}
	if wait > 0 {
		return nil, false, wait
	}
	for _, b := range bs {
		b.tokens--
	}
	return &taken{lm: lm, keys: keys}, true, 0
}
