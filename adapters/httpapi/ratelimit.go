package httpapi

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limit is a token bucket: Burst requests at once, then one every Every.
type Limit struct {
	Every time.Duration
	Burst int
}

// Limits are the rate limits on the endpoints people could abuse. Each applies twice,
// per account (the email or the signed-in subject) and per client IP; either refusing is
// a 429 with Retry-After. They are kept in memory, per process: with several API
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

type bucket struct {
	l    *rate.Limiter
	seen time.Time
}

func newLimiter(l Limit, now func() time.Time) *limiter {
	return &limiter{limit: l, now: now, buckets: map[string]*bucket{}}
}

// allow takes one token from every key's bucket, or none if any is empty, and then says
// how long until the emptiest would allow.
func (lm *limiter) allow(keys ...string) (bool, time.Duration) {
	if lm == nil || lm.limit.Every <= 0 {
		return true, 0
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
	var rs []*rate.Reservation
	var wait time.Duration
	for _, k := range keys {
		b := lm.buckets[k]
		if b == nil {
			b = &bucket{l: rate.NewLimiter(rate.Every(lm.limit.Every), max(lm.limit.Burst, 1))}
			lm.buckets[k] = b
		}
		b.seen = now
		r := b.l.ReserveN(now, 1)
		rs = append(rs, r)
		wait = max(wait, r.DelayFrom(now))
	}
	if wait > 0 {
		for _, r := range rs {
			r.CancelAt(now)
		}
		return false, wait
	}
	return true, 0
}
