package mail

import (
	"context"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"time"

	mailpolicy "ledgerdesk/policies/mail"
)

// Dir "sends" by writing each message to <dir>/<message id>.eml: the default when no mail
// server is configured, so a development run needs none, and a person can open the mail
// in any mail program. Writing a message again replaces its file, so a repeat leaves one.
type Dir struct {
	path string
	from *mail.Address
	now  func() time.Time
}

// NewDir writes into path (created, mode 0700: the files hold reset links) as from.
func NewDir(path, from string, now func() time.Time) (*Dir, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: mail directory: is required", ErrConfig)
	}
	f, err := ParseFrom(from)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("%w: mail directory %s: %w", ErrConfig, path, err)
	}
	if now == nil {
		now = time.Now
	}
	return &Dir{path: path, from: f, now: now}, nil
}

// Path is the directory.
func (d *Dir) Path() string { return d.path }

// Send writes the message through a temporary file renamed into place, so a reader never
// sees half a message.
func (d *Dir) Send(_ context.Context, m mailpolicy.Message) error {
	msg, err := build(d.from, m, d.now(), true)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(d.path, ".sending-*")
	if err != nil {
		return fmt.Errorf("writing mail to %s: %w", d.path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := msg.WriteTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing mail to %s: %w", d.path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing mail to %s: %w", d.path, err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(d.path, m.ID.String()+".eml")); err != nil {
		return fmt.Errorf("writing mail to %s: %w", d.path, err)
	}
	return nil
}
