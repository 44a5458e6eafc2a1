package pgserver

import (
	"context"
	"os"
	"testing"
)

// The last resort of the README's promise: no server anywhere, so ledgerdesk makes and
// runs its own cluster from the PostgreSQL binaries.
func TestStartsAThrowawayClusterWhenNoServerIsReachable(t *testing.T) {
	if testing.Short() {
		t.Skip("runs initdb")
	}
	if _, err := binDir(); err != nil {
		t.Skipf("no PostgreSQL binaries here: %v", err)
	}
	dir, err := os.MkdirTemp("", "ledgerdesk-pgserver-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ctx := context.Background()
	srv, err := startCluster(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !srv.Started {
		t.Fatal("the server should be marked as started by us")
	}
	if err := ping(ctx, srv.URL); err != nil {
		t.Fatalf("the cluster does not answer: %v", err)
	}
	// A second start reuses the data directory.
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	again, err := startCluster(ctx, dir, nil)
	if err != nil {
		t.Fatalf("restarting on the same data directory: %v", err)
	}
	defer again.Stop()
	if err := ping(ctx, again.URL); err != nil {
		t.Fatal(err)
	}
	if err := again.Stop(); err != nil {
		t.Fatal(err)
	}
	if ping(ctx, again.URL) == nil {
		t.Fatal("the cluster still answers after Stop")
	}
}

func TestDatabaseURLThatDoesNotAnswerIsAClearError(t *testing.T) {
	if _, err := Resolve(context.Background(), Options{URL: "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"}); err == nil {
		t.Fatal("a DATABASE_URL that does not answer was accepted")
	}
}
