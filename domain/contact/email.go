package contact

import (
	"net/mail"
	"strings"
)

// Limits from RFC 5321: a path of at most 256 octets including the angle brackets leaves
// 254 for the address, and a local part of at most 64.
const (
	MaxEmailLength      = 254
	MaxEmailLocalLength = 64
	maxDomainLabel      = 63
)

// ParseEmail accepts one bare address such as jo.bloggs@example.co.uk and returns it in
// lower case, the form used to tell whether two accounts share an email.
//
// It is stricter than net/mail: no display name, no quoted local part, no comments, no IP
// literal domain, ASCII only (so that lower-casing is well defined), and a domain with at
// least one dot. Lower-casing the local part is not what RFC 5321 promises, but no mailbox
// provider the practice's patients use distinguishes case, and two accounts differing only
// by case would be a support nightmare.
func ParseEmail(s string) (string, error) {
	const field = "email"
	t := strings.TrimSpace(s)
	if t == "" {
		return "", fail(ErrInvalidEmail, field, "is required")
	}
	if len(t) > MaxEmailLength {
		return "", fail(ErrInvalidEmail, field, "is longer than 254 characters")
	}
	for i := 0; i < len(t); i++ {
		if t[i] <= ' ' || t[i] > '~' {
			return "", fail(ErrInvalidEmail, field, "may contain only plain letters, digits and punctuation, with no spaces")
		}
	}
	if strings.Count(t, "@") != 1 {
		return "", fail(ErrInvalidEmail, field, "must contain exactly one @, as in name@example.co.uk")
	}
	addr, err := mail.ParseAddress(t)
	if err != nil {
		return "", fail(ErrInvalidEmail, field, "is not a valid email address")
	}
	if addr.Name != "" || addr.Address != t {
		return "", fail(ErrInvalidEmail, field, "must be just the address, such as name@example.co.uk, without a name, quotes or comments")
	}
	local, domain, _ := strings.Cut(t, "@")
	if local == "" || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "", fail(ErrInvalidEmail, field, "has a dot at the start or end of the part before the @, or two dots together")
	}
	if len(local) > MaxEmailLocalLength {
		return "", fail(ErrInvalidEmail, field, "has more than 64 characters before the @")
	}
	if reason := checkDomain(domain); reason != "" {
		return "", fail(ErrInvalidEmail, field, reason)
	}
	return strings.ToLower(t), nil
}

// checkDomain returns why domain is not a plausible internet mail domain, or "".
func checkDomain(domain string) string {
	if !strings.Contains(domain, ".") {
		return "must have a domain with a dot, such as example.co.uk"
	}
	labels := strings.Split(domain, ".")
	for _, l := range labels {
		if l == "" {
			return "has an empty part in the domain (two dots together, or a dot at the start or end)"
		}
		if len(l) > maxDomainLabel {
			return "has a domain part longer than 63 characters"
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return "has a domain part that starts or ends with a hyphen"
		}
		for i := 0; i < len(l); i++ {
			c := l[i] | 0x20
			if !(c >= 'a' && c <= 'z') && !(l[i] >= '0' && l[i] <= '9') && l[i] != '-' {
				return "may contain only letters, digits and hyphens in the domain"
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 || allDigits(tld) {
		return "must end in a real top-level domain such as .uk or .com"
	}
	return ""
}
