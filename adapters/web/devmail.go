package web

import (
	"context"
	"net/http"
	"regexp"
	"time"
)

// DevMail is one message the demo has "sent" (written to its mail directory).
type DevMail struct {
	ID      string
	To      string
	Subject string
	Date    time.Time
	Text    string
}

// DevMailbox lists the demo's mail, newest first. Set only in demo mode (`serve --demo`
// without a mail server): the page shows whole messages, reset links included, to anyone
// who reaches the site, which is the point of a demo and unthinkable anywhere else.
type DevMailbox func(ctx context.Context) ([]DevMail, error)

type devMailRow struct {
	DevMail
	Links []string
}

var mailLink = regexp.MustCompile(`https?://[^\s<>"]+`)

func (s *Site) devMail(w http.ResponseWriter, r *http.Request) {
	if s.cfg.DevMailbox == nil {
		s.notFound(w, r)
		return
	}
	ms, err := s.cfg.DevMailbox(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]devMailRow, len(ms))
	for i, m := range ms {
		rows[i] = devMailRow{DevMail: m, Links: mailLink.FindAllString(m.Text, 10)}
	}
	s.render(w, r, http.StatusOK, "devmail", view{Title: "Mail sent by this demo", Data: rows})
}
