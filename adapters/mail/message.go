package mail

import (
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	mailpolicy "ledgerdesk/policies/mail"
)

// build is the message as it goes out, from the address from. Over SMTP the body is
// quoted-printable, which every server carries; in a file (raw) it is left as 8-bit text,
// so a developer reading the .eml sees the link whole. No User-Agent: which library and
// version sent it is nobody's business.
func build(from *mail.Address, m mailpolicy.Message, now time.Time, raw bool) (*gomail.Msg, error) {
	enc := gomail.EncodingQP
	if raw {
		enc = gomail.NoEncoding
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithEncoding(enc))
	msg.FromMailAddress(from)
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		// The address was checked when the account was registered: this is the server's
		// data gone wrong, not the person's, and the address is not repeated.
		return nil, fmt.Errorf("%w: the recipient's address is not one mail can be sent to", mailpolicy.ErrPermanent)
	}
	domain := "ledgerdesk.invalid"
	if _, d, ok := strings.Cut(from.Address, "@"); ok && d != "" {
		domain = d
	}
	msg.SetMessageIDWithValue(m.ID.String() + "@" + domain)
	msg.SetDateWithValue(now)
	msg.Subject(m.Subject)
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	return msg, nil
}

// ParseFrom reads the sender address (LEDGERDESK_MAIL_FROM): an address, optionally with
// a name, "Support Centre <support@example.org>".
func ParseFrom(s string) (*mail.Address, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("%w: from: %q is not an email address (support@example.org, or Name <support@example.org>)", ErrConfig, s)
	}
	return a, nil
}
