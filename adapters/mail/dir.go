package mail

import (
	"context"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
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

// Stored is one message in the directory, read back.
type Stored struct {
	ID      string
	To      string
	Subject string
	Date    time.Time
	Text    string
}

// MaxListed is how many messages List reads back, newest first.
const MaxListed = 50

// List reads back the newest messages in the directory (at most MaxListed), newest first:
// what the demo's /dev/mail page shows. A file that does not parse is skipped.
func (d *Dir) List() ([]Stored, error) {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return nil, fmt.Errorf("reading the mail directory %s: %w", d.path, err)
	}
	type file struct {
		name string
		mod  time.Time
	}
	var files []file
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".eml" {
			continue
		}
		if info, err := e.Info(); err == nil {
			files = append(files, file{e.Name(), info.ModTime()})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod.After(files[j].mod) })
	var out []Stored
	for _, f := range files {
		if len(out) == MaxListed {
			break
		}
		s, err := readStored(filepath.Join(d.path, f.name))
		if err != nil {
			continue
		}
		out = append(out, s)
	}
	return out, nil
}

func readStored(path string) (Stored, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stored{}, err
	}
	defer f.Close()
	m, err := mail.ReadMessage(io.LimitReader(f, 1<<20))
	if err != nil {
		return Stored{}, err
	}
	var body io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(m.Body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return Stored{}, err
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		subject = m.Header.Get("Subject")
	}
	to := m.Header.Get("To")
	if addrs, err := m.Header.AddressList("To"); err == nil && len(addrs) > 0 {
		to = addrs[0].Address
	}
	date, _ := m.Header.Date()
	return Stored{ID: strings.TrimSuffix(filepath.Base(path), ".eml"), To: to, Subject: subject, Date: date, Text: string(text)}, nil
}
