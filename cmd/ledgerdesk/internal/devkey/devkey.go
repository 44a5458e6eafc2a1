// Package devkey keeps the development master key: the key a development or demo
// deployment (make run, serve --demo, or LEDGERDESK_INSECURE_DEV_KEYS=1) wraps its data
// keys with when LEDGERDESK_MASTER_KEY is not set. It lives in a file of its own, mode
// 0600, outside the database, so that a copy of the database (a dump, a backup, a shared
// server) does not carry the key that opens it.
//
// It is still a development key: anyone who can read the file reads every person's data.
// A real deployment sets LEDGERDESK_MASTER_KEY from its secret store.
package devkey

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"ledgerdesk/codec"
)

// FileName is the development key's file name, beside the throwaway cluster's data
// directory: with the default LEDGERDESK_DATA_DIR, .ledgerdesk/pgdata, the key is
// .ledgerdesk/dev-master-key.
const FileName = "dev-master-key"

// DefaultPath is where the development key of a deployment whose throwaway cluster (or
// would-be cluster) lives in dataDir is kept: beside dataDir, not inside it, so that
// copying or wiping the cluster's files does not copy or lose the key.
func DefaultPath(dataDir string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(dataDir)), FileName)
}

// PathEnv names the variable that, when set, says where the development key is kept
// instead of DefaultPath: a deployment whose database is a server elsewhere
// (DATABASE_URL) and whose working directory moves wants a fixed place.
const PathEnv = "LEDGERDESK_DEV_KEY_FILE"

// PathFor is the development key's path: override (the value of PathEnv) if set, else
// DefaultPath(dataDir).
func PathFor(override, dataDir string) string {
	if override != "" {
		return override
	}
	return DefaultPath(dataDir)
}

// Read reads a key kept in a file as Load does (base64 of 32 bytes, mode 0600 or
// stricter), but never creates one: for a key given to a command, such as the new key of
// `keys rotate --new-key-file`. A missing file is an error wrapping fs.ErrNotExist.
func Read(path string) ([]byte, error) {
	k, err := read(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, err
}

// Parse reads a key given on standard input (or any reader): base64 of 32 bytes, with
// surrounding white space ignored. A key is never taken from the command line, where
// every user of the machine sees it in ps.
func Parse(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFileSize {
		return nil, fmt.Errorf("%w: more than %d bytes given, want base64 of %d bytes", codec.ErrMasterKey, maxFileSize, codec.KeySize)
	}
	return codec.ParseMasterKey(string(b))
}

// maxFileSize bounds what is read: the key is 44 characters of base64 and a newline.
const maxFileSize = 256

// Load returns the 32-byte key kept at path, creating the file (and its directory, mode
// 0700) with a fresh random key if it does not exist; created says it did not. A file
// that anyone but its owner may read or write, that is not a regular file, or that does
// not hold base64 of 32 bytes (as LEDGERDESK_MASTER_KEY does) is refused, with an error
// naming path: it is never replaced, since data may already be sealed under it.
//
// Creation is atomic and exclusive: the key is written and synced to a temporary file in
// the same directory, then hard-linked to path, which, like O_EXCL, fails if path exists.
// So two processes starting at once agree on one key, and no process ever reads a
// half-written file.
func Load(path string) (key []byte, created bool, err error) {
	for range 3 {
		key, err = read(path)
		if !errors.Is(err, fs.ErrNotExist) {
			return key, false, err
		}
		key, err = create(path)
		if errors.Is(err, fs.ErrExist) {
			continue // another process created it first: use theirs
		}
		return key, err == nil, err
	}
	return nil, false, fmt.Errorf("development master key %s: the file keeps appearing and disappearing", path)
}

func read(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("development master key %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("development master key %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("development master key %s: not a regular file (%s)", path, fi.Mode().Type())
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("development master key %s: mode %04o lets others read or change it; it must be 0600 (chmod 600 %s)", path, perm, path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("development master key %s: %w", path, err)
	}
	if len(b) > maxFileSize {
		return nil, fmt.Errorf("development master key %s: %d bytes or more, not a key (want base64 of %d bytes)", path, len(b), codec.KeySize)
	}
	key, err := codec.ParseMasterKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("development master key %s: %w", path, err)
	}
	return key, nil
}

func create(path string) ([]byte, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("development master key %s: %w", path, err)
	}
	key := make([]byte, codec.KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	// CreateTemp opens with O_EXCL and mode 0600.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("development master key %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("development master key %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		return nil, fmt.Errorf("development master key %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the new name durable; a failure here loses nothing yet
		d.Close()
	}
	return key, nil
}
