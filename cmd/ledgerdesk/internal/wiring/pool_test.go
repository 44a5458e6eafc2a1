package wiring_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/cmd/ledgerdesk/internal/config"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
)

func openWith(t *testing.T, url string, maxConns int32) *wiring.Runtime {
	t.Helper()
	r, err := wiring.OpenWithPool(context.Background(), config.Config{DatabaseURL: url}, slog.New(slog.DiscardHandler), maxConns)
	if err != nil {
		t.Fatalf("opening with %s: %v", url, err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

func TestEachSubcommandGetsASmallPool(t *testing.T) {
	url := pgtest.NewDatabase(t)
	for command, want := range map[string]int32{"serve": 10, "project": 4, "invoices": 3, "audit": 3} {
		if got := wiring.PoolFor(command); got != want {
			t.Errorf("PoolFor(%q) = %d, want %d", command, got, want)
		}
	}
	if got := openWith(t, url, wiring.ServePool).DB.Config().MaxConns; got != wiring.ServePool {
		t.Fatalf("serve's pool holds up to %d connections, want %d", got, wiring.ServePool)
	}
}

func TestPoolMaxConnsInTheDatabaseURLIsHonouredAndStartsUp(t *testing.T) {
	url := pgtest.NewDatabase(t)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	r := openWith(t, url+sep+"pool_max_conns=2", wiring.ServePool)
	if got := r.DB.Config().MaxConns; got != 2 {
		t.Fatalf("pool_max_conns=2 gave a pool of %d", got)
	}
	var one int
	if err := r.DB.QueryRow(context.Background(), `SELECT 1`).Scan(&one); err != nil {
		t.Fatalf("a pool opened with pool_max_conns does not answer: %v", err)
	}
}
