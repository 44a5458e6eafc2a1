package postgres

import (
	"fmt"
	"testing"
	"time"

	"ledgerdesk/codec"
)

func TestKeyCacheStaysWithinItsLimit(t *testing.T) {
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	c := newKeyCache(time.Minute, 4)
	for i := range 100 {
		c.put(fmt.Sprint("s", i), cacheEntry{key: codec.Key{byte(i)}}, now)
		if len(c.entries) > 4 {
			t.Fatalf("after %d puts the cache holds %d entries, limit 4", i+1, len(c.entries))
		}
	}
	if e, ok := c.get("s99", now); !ok || e.key != (codec.Key{99}) {
		t.Fatal("the latest entry is not cached")
	}
}

func TestKeyCacheExpiresKeysButNotErasures(t *testing.T) {
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	c := newKeyCache(time.Minute, 10)
	c.put("k", cacheEntry{key: codec.Key{1}}, now)
	c.put("e", cacheEntry{erased: true}, now)
	later := now.Add(time.Hour)
	if _, ok := c.get("k", later); ok {
		t.Fatal("a key outlived its TTL")
	}
	if e, ok := c.get("e", later); !ok || !e.erased {
		t.Fatal("an erasure was forgotten")
	}
}

func TestKeyCacheOffCachesNothing(t *testing.T) {
	c := newKeyCache(-1, 10)
	now := time.Now()
	c.put("k", cacheEntry{key: codec.Key{1}}, now)
	if _, ok := c.get("k", now); ok {
		t.Fatal("a disabled cache returned an entry")
	}
}
