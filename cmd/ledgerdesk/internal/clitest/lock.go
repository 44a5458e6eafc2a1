package clitest

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Main runs a test binary's tests under a lock that test binaries of this command share:
// exclusive for the process tests of cmd/ledgerdesk, shared for the areas' tests.
//
// The event store reads only the events below the oldest transaction open anywhere on the
// PostgreSQL cluster, and the process tests hold transactions open for up to 90 s (a
// checkpoint locked, as another process would), so while they run every other test's
// projectors and rebuilds see nothing new. `go test ./cmd/...` runs packages at once; the
// lock keeps the process tests apart from the tests that wait for read models.
func Main(m *testing.M, exclusive bool) int {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	// One lock file per user: the temporary directory is shared, and a file another user's
	// run created there (mode 0600) cannot be opened by this one.
	f, err := os.OpenFile(filepath.Join(os.TempDir(), fmt.Sprintf("ledgerdesk-cmd-tests-%d.lock", os.Getuid())), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "clitest:", err)
		return 1
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		fmt.Fprintln(os.Stderr, "clitest: locking:", err)
		return 1
	}
	defer func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }()
	// Commands without LEDGERDESK_MASTER_KEY keep a development key file; the tests keep
	// theirs out of the source tree.
	if os.Getenv("LEDGERDESK_DEV_KEY_FILE") == "" {
		dir, err := os.MkdirTemp("", "ledgerdesk-dev-key-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "clitest:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		os.Setenv("LEDGERDESK_DEV_KEY_FILE", filepath.Join(dir, "dev-master-key"))
	}
	// serve writes mail to a directory when no mail server is set: keep it out of the tree.
	if os.Getenv("LEDGERDESK_MAIL_DIR") == "" {
		dir, err := os.MkdirTemp("", "ledgerdesk-mail-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "clitest:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		os.Setenv("LEDGERDESK_MAIL_DIR", dir)
	}
	return m.Run()
}
