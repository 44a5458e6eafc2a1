package devkey_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"ledgerdesk/cmd/ledgerdesk/internal/devkey"
)

func TestLoadCreatesTheKeyFileOwnerOnly(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state", devkey.FileName)
	key, created, err := devkey.Load(path)
	if err != nil || !created || len(key) != 32 {
		t.Fatalf("first load: %d bytes, created=%v, %v", len(key), created, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %04o, want 0600", fi.Mode().Perm())
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Fatalf("key directory mode %04o, want 0700", di.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if got, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b))); !bytes.Equal(got, key) {
		t.Fatalf("the file does not hold the key as base64: %q", b)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Fatalf("a temporary file was left behind: %v", entries)
	}
}

func TestLoadReusesTheKey(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), devkey.FileName)
	first, _, err := devkey.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	again, created, err := devkey.Load(path)
	if err != nil || created || !bytes.Equal(again, first) {
		t.Fatalf("second load: created=%v same=%v %v", created, bytes.Equal(again, first), err)
	}
	// A key written by hand, as LEDGERDESK_MASTER_KEY would be given, is read too.
	mine := bytes.Repeat([]byte{7}, 32)
	hand := filepath.Join(t.TempDir(), "hand")
	if err := os.WriteFile(hand, []byte(base64.StdEncoding.EncodeToString(mine)), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, created, err := devkey.Load(hand); err != nil || created || !bytes.Equal(got, mine) {
		t.Fatalf("a hand-written key: created=%v same=%v %v", created, bytes.Equal(got, mine), err)
	}
}

func TestLoadRefusesAFileOthersMayRead(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), devkey.FileName)
	if _, _, err := devkey.Load(path); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, _, err := devkey.Load(path)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "0600") {
			t.Fatalf("mode %04o: got %v, want a refusal naming the path and 0600", mode, err)
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Fatal("a refused key file was rewritten")
	}
}

func TestLoadRefusesWhatIsNotAKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"garbage": "not a key at all!\n",
		"short":   base64.StdEncoding.EncodeToString(make([]byte, 16)),
		"long":    base64.StdEncoding.EncodeToString(make([]byte, 64)),
		"empty":   "",
		"huge":    strings.Repeat("A", 10_000),
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, _, err := devkey.Load(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: got %v, want a refusal naming the path", name, err)
		}
		if after, _ := os.ReadFile(path); string(after) != content {
			t.Errorf("%s: a refused key file was rewritten", name)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "a-directory"), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, _, err := devkey.Load(filepath.Join(dir, "a-directory")); err == nil {
		t.Error("a directory was taken for a key file")
	}
}

func TestDefaultPathIsBesideTheDataDir(t *testing.T) {
	t.Parallel()
	for dataDir, want := range map[string]string{
		".ledgerdesk/pgdata":   ".ledgerdesk/dev-master-key",
		".ledgerdesk/pgdata/":  ".ledgerdesk/dev-master-key",
		"/var/lib/ld/pgdata":   "/var/lib/ld/dev-master-key",
		"pgdata":               "dev-master-key",
		"/srv/x/../y/clusters": "/srv/y/dev-master-key",
	} {
		if got := devkey.DefaultPath(dataDir); got != want {
			t.Errorf("DefaultPath(%q) = %q, want %q", dataDir, got, want)
		}
	}
}

// childEnv, when set, makes the test binary a child process that loads the key at that
// path and prints it (see TestConcurrentFirstUseAgreesOnOneKey).
const childEnv = "DEVKEY_TEST_CHILD_PATH"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		key, created, err := devkey.Load(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("%s %v\n", base64.StdEncoding.EncodeToString(key), created)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestConcurrentFirstUseAgreesOnOneKey(t *testing.T) {
	t.Parallel()
	for round := range 5 {
		path := filepath.Join(t.TempDir(), "d", devkey.FileName)
		const goroutines, children = 8, 4
		keys := make([]string, 0, goroutines+children)
		var creators int
		var mu sync.Mutex
		record := func(key string, created bool, err error) {
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("round %d: %v", round, err)
				return
			}
			keys = append(keys, key)
			if created {
				creators++
			}
		}
		var wg sync.WaitGroup
		for range children {
			wg.Go(func() {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), childEnv+"="+path)
				out, err := cmd.Output()
				if err != nil {
					record("", false, fmt.Errorf("child: %v: %s", err, out))
					return
				}
				var key string
				var created bool
				if _, err := fmt.Sscan(string(out), &key, &created); err != nil {
					record("", false, fmt.Errorf("child said %q: %v", out, err))
					return
				}
				record(key, created, nil)
			})
		}
		for range goroutines {
			wg.Go(func() {
				key, created, err := devkey.Load(path)
				record(base64.StdEncoding.EncodeToString(key), created, err)
			})
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		for i, k := range keys {
			if k != keys[0] {
				t.Fatalf("round %d: loader %d got another key", round, i)
			}
		}
		if creators != 1 {
			t.Fatalf("round %d: %d loaders say they created the key, want 1", round, creators)
		}
	}
}

func TestReadNeverCreatesAndParseTakesStdin(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "new-key")
	if _, err := devkey.Read(path); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Fatalf("a missing key file: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("Read created the key file")
	}
	want := bytes.Repeat([]byte{9}, 32)
	b64 := base64.StdEncoding.EncodeToString(want)
	if err := os.WriteFile(path, []byte(b64+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := devkey.Read(path); err == nil {
		t.Fatal("a key file others may read was accepted")
	}
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if got, err := devkey.Read(path); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("a 0400 key file: %v", err)
	}
	if got, err := devkey.Parse(strings.NewReader("  " + b64 + "\n")); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("a key on stdin: %v", err)
	}
	for _, bad := range []string{"", "nope", base64.StdEncoding.EncodeToString(make([]byte, 31)), strings.Repeat("A", 1000)} {
		if _, err := devkey.Parse(strings.NewReader(bad)); err == nil {
			t.Fatalf("%.20q accepted as a key", bad)
		}
	}
	if got := devkey.PathFor("", ".ledgerdesk/pgdata"); got != ".ledgerdesk/dev-master-key" {
		t.Fatalf("default path %q", got)
	}
	if got := devkey.PathFor("/etc/ld/key", ".ledgerdesk/pgdata"); got != "/etc/ld/key" {
		t.Fatalf("overridden path %q", got)
	}
}
