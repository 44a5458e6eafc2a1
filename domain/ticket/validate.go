package ticket

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on what a command may carry.
const (
	MaxIDLength      = 128
	MaxSubjectLength = 200
	MaxBodyLength    = 20000
	MaxReasonLength  = 2000
	MaxMessages      = 500
)

func checkID(field, id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%w: field %s: is required", ErrInvalidInput, field)
	case len(id) > MaxIDLength:
		return fmt.Errorf("%w: field %s: is longer than %d characters", ErrInvalidInput, field, MaxIDLength)
	case !utf8.ValidString(id) || strings.ContainsFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return fmt.Errorf("%w: field %s: must not contain spaces or control characters", ErrInvalidInput, field)
	}
	return nil
}

func checkAt(at time.Time) error {
	if at.IsZero() {
		return fmt.Errorf("%w: field at: the time is required", ErrInvalidInput)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkText validates free text a person wrote and trims its ends. Multi-line text may
// hold newlines and tabs; no text may hold other control characters.
func checkText(field, s string, maxRunes int, multiline bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%w: field %s: contains characters that are not valid text", ErrInvalidInput, field)
	}
	bad := func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
	}
	if strings.ContainsFunc(s, bad) {
		return "", fmt.Errorf("%w: field %s: contains control characters", ErrInvalidInput, field)
	}
	t := strings.TrimSpace(s)
	if t == "" {
		return "", fmt.Errorf("%w: field %s: is required", ErrInvalidInput, field)
	}
	if utf8.RuneCountInString(t) > maxRunes {
		return "", fmt.Errorf("%w: field %s: is longer than %d characters", ErrInvalidInput, field, maxRunes)
	}
	return t, nil
}

// live checks the command is for this, opened ticket.
func live(s State, ticketID string, at time.Time) error {
	if err := firstErr(checkID("ticket_id", ticketID), checkAt(at)); err != nil {
		return err
	}
	if !s.Opened() {
		return fmt.Errorf("%w: field ticket_id: no ticket has been opened with this id", ErrTicketNotFound)
	}
	if s.ID != ticketID {
		return fmt.Errorf("%w: field ticket_id: the command is for a different ticket than the one loaded", ErrInvalidInput)
	}
	return nil
}

// notClosed refuses changes to a closed ticket: closed is final.
func notClosed(s State) error {
	if s.Status == StatusClosed {
		return fmt.Errorf("%w: closed on %s; please open a new ticket", ErrTicketClosed, s.ClosedAt.UTC().Format("2 Jan 2006"))
	}
	return nil
}
