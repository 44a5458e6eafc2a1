// Package pgtest gives every test its own real PostgreSQL database, migrated, and drops it
// when the test ends, so tests run in parallel and leave nothing behind.
//
// Databases are copied from a template that is migrated once per migration set (its name
// carries a hash of the migration files), which is much faster than migrating per test.
// The server comes from pgserver: DATABASE_URL, a local server, or a throwaway cluster.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/postgres/pgserver"
	"ledgerdesk/migrations"
)

var (
	serverOnce sync.Once
	server     *pgserver.Server
	serverErr  error
	templates  sync.Map // template name -> *templateState
)

type templateState struct {
	once sync.Once
	err  error
}

// TemplatePrefix starts the name of every template database this package creates.
const TemplatePrefix = "ledgerdesk_tmpl_"

// ServerURL is the maintenance URL of the server tests use.
func ServerURL(t testing.TB) string {
	t.Helper()
	serverOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ledgerdesk-pg-")
		if err != nil {
			serverErr = err
			return
		}
		// Under withpg DATABASE_URL names its server, throwaway or not: only a test run
		// without it starts its own.
		force := os.Getenv(pgserver.ForceThrowawayEnv) == "1" && os.Getenv("DATABASE_URL") == ""
		server, serverErr = pgserver.Resolve(context.Background(), pgserver.Options{URL: os.Getenv("DATABASE_URL"), DataDir: dir, ForceThrowaway: force})
		// A cluster started here lives until the test binary exits; the withpg wrapper used
		// by `make test` provisions one server for all packages so this is the rare path.
	})
	if serverErr != nil {
		t.Fatalf("pgtest: %v", serverErr)
	}
	return server.URL
}

// NewDatabase creates a fresh, migrated database for this test and returns its URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	return newDatabase(t, true)
}

// NewEmptyDatabase creates a fresh database with no migrations applied.
func NewEmptyDatabase(t testing.TB) string {
	t.Helper()
	return newDatabase(t, false)
}

func newDatabase(t testing.TB, migrated bool) string {
	t.Helper()
	ctx := context.Background()
	admin := ServerURL(t)
	template := "template0"
	if migrated {
		template = ensureTemplate(t, admin)
	}
	name := "ledgerdesk_test_" + randomSuffix()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("pgtest: connecting to %s: %v", admin, err)
	}
	defer conn.Close(ctx)
	err = nil
	create := func() error {
		return retryBusy(ctx, func() error {
			_, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", pgx.Identifier{name}.Sanitize(), pgx.Identifier{template}.Sanitize()))
			return err
		})
	}
	err = create()
	if err != nil && migrated && strings.Contains(err.Error(), "does not exist") {
		// Another run sharing this server dropped the cached template: build it again.
		templates.Delete(template)
		template = ensureTemplate(t, admin)
		err = create()
	}
	if err != nil {
		t.Fatalf("pgtest: creating database: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			t.Errorf("pgtest: dropping %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", pgx.Identifier{name}.Sanitize())); err != nil {
			t.Errorf("pgtest: dropping %s: %v", name, err)
		}
	})
	return withDatabase(admin, name)
}

// NewPool opens a pool on a fresh migrated database, closed when the test ends.
func NewPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), NewDatabase(t))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func ensureTemplate(t testing.TB, admin string) string {
	t.Helper()
	name := TemplatePrefix + migrationsHash()
	st, _ := templates.LoadOrStore(name, &templateState{})
	state := st.(*templateState)
	state.once.Do(func() { state.err = createTemplate(admin, name) })
	if state.err != nil {
		t.Fatalf("pgtest: template %s: %v", name, state.err)
	}
	return name
}

// createTemplate builds the template once across all test processes: packages run as
// separate processes, so the guard is an advisory lock on the server, not a mutex.
func createTemplate(admin, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext('ledgerdesk pgtest template'))"); err != nil {
		return err
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock(hashtext('ledgerdesk pgtest template'))")
	var ready bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)", name).Scan(&ready); err != nil {
		return err
	}
	if ready {
		return nil
	}
	building := name + "_building"
	if _, err := conn.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", pgx.Identifier{building}.Sanitize())); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE template0", pgx.Identifier{building}.Sanitize())); err != nil {
		return err
	}
	if _, err := migrations.ApplyURL(ctx, withDatabase(admin, building)); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", pgx.Identifier{building}.Sanitize(), pgx.Identifier{name}.Sanitize())); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", pgx.Identifier{name}.Sanitize()))
	return err
}

// retryBusy retries CREATE DATABASE while another session briefly holds the template.
func retryBusy(ctx context.Context, f func() error) error {
	var err error
	for i := 0; i < 50; i++ {
		if err = f(); err == nil || !strings.Contains(err.Error(), "being accessed by other users") {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

func migrationsHash() string {
	h := sha256.New()
	var names []string
	_ = fs.WalkDir(migrations.Files(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	sort.Strings(names)
	for _, n := range names {
		b, _ := fs.ReadFile(migrations.Files(), n)
		h.Write([]byte(n))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func randomSuffix() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// withDatabase returns admin's URL pointed at database name. It understands both URL and
// keyword/value connection strings.
func withDatabase(admin, name string) string {
	if u, err := url.Parse(admin); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String()
	}
	var kept []string
	for _, f := range strings.Fields(admin) {
		if !strings.HasPrefix(f, "dbname=") {
			kept = append(kept, f)
		}
	}
	return strings.Join(append(kept, "dbname="+name), " ")
}

// DropTemplates removes the cached template databases; the withpg wrapper calls it last.
func DropTemplates(ctx context.Context, admin string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, "SELECT datname FROM pg_database WHERE datname LIKE $1", TemplatePrefix+"%")
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, n := range names {
		id := pgx.Identifier{n}.Sanitize()
		if _, err := conn.Exec(ctx, "ALTER DATABASE "+id+" WITH IS_TEMPLATE false"); err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+id+" WITH (FORCE)"); err != nil {
			return err
		}
	}
	return nil
}
