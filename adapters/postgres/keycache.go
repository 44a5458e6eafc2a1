package postgres

import (
	"sync"
	"time"

	"ledgerdesk/codec"
)

// keyCache saves a database round trip per event when a stream is folded. A cached key can
// outlive an erasure made by another process by at most the TTL; an erasure made through
// this process replaces the entry at once, and an erased entry never expires because
// erasure is final.
type keyCache struct {
	ttl time.Duration
	max int

	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	key     codec.Key
	erased  bool
	expires time.Time
}

func newKeyCache(ttl time.Duration, size int) *keyCache {
	return &keyCache{ttl: ttl, max: size, entries: make(map[string]cacheEntry)}
}

func (c *keyCache) get(subject string, now time.Time) (cacheEntry, bool) {
	if c.ttl <= 0 {
		return cacheEntry{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[subject]
	if !ok || (!e.erased && !now.Before(e.expires)) {
		return cacheEntry{}, false
	}
	return e, true
}

func (c *keyCache) put(subject string, e cacheEntry, now time.Time) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[subject]; !ok && len(c.entries) >= c.max {
		for s, old := range c.entries {
			if !old.erased && !now.Before(old.expires) {
				delete(c.entries, s)
			}
		}
		if len(c.entries) >= c.max {
			// Still full of live entries: start again rather than track recency, since a
			// miss costs one query.
			clear(c.entries)
		}
	}
	e.expires = now.Add(c.ttl)
	c.entries[subject] = e
}
