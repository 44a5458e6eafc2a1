package wiring

import (
	"context"
	"fmt"

	"ledgerdesk/adapters/mail"
	"ledgerdesk/adapters/web"
	mailpolicy "ledgerdesk/policies/mail"
)

// MailTransport is where the support centre's email goes: the SMTP server that
// LEDGERDESK_SMTP_HOST names, or, without one, .eml files in the mail directory, so a
// development run (make run) needs no mail server.
func (r *Runtime) MailTransport() (mailpolicy.Transport, string, error) {
	if r.Config.Mail.SMTP.Host != "" {
		s, err := mail.NewSMTP(r.Config.Mail.SMTP)
		if err != nil {
			return nil, "", fmt.Errorf("LEDGERDESK_SMTP_*: %w", err)
		}
		return s, "smtp://" + s.Addr(), nil
	}
	dir := r.Config.MailDir()
	d, err := mail.NewDir(dir, r.Config.Mail.SMTP.From, nil)
	if err != nil {
		return nil, "", fmt.Errorf("LEDGERDESK_MAIL_DIR: %w", err)
	}
	return d, dir, nil
}

// MailSender is the sender policy on the mail transport, acting through the application
// layer as policy:mail_sender.
func (r *Runtime) MailSender() (*mailpolicy.Sender, error) {
	a, err := r.App()
	if err != nil {
		return nil, err
	}
	t, where, err := r.MailTransport()
	if err != nil {
		return nil, err
	}
	r.Log.Info("mail goes to " + where)
	return mailpolicy.NewSender(mailpolicy.SenderConfig{App: a, DB: r.DB, Transport: t, SiteURL: r.Config.Site(), Logger: r.Log})
}

// Demo says whether this is `serve --demo`.
func (r *Runtime) Demo() bool { return r.demo }

// DevMailbox is the demo's /dev/mail page's source: the mail directory, read back, when
// this is `serve --demo` and no mail server is set; nil otherwise, which leaves the page
// out.
func (r *Runtime) DevMailbox() (web.DevMailbox, error) {
	if !r.demo || r.Config.Mail.SMTP.Host != "" {
		return nil, nil
	}
	d, err := mail.NewDir(r.Config.MailDir(), r.Config.Mail.SMTP.From, nil)
	if err != nil {
		return nil, fmt.Errorf("LEDGERDESK_MAIL_DIR: %w", err)
	}
	return func(context.Context) ([]web.DevMail, error) {
		stored, err := d.List()
		out := make([]web.DevMail, len(stored))
		for i, s := range stored {
			out[i] = web.DevMail(s)
		}
		return out, err
	}, nil
}
