package contact

import (
	"net/netip"
	"strings"
)

// maxIPInput is longer than any IPv6 text form (45 characters for an IPv4-mapped one).
const maxIPInput = 64

// ParseIP accepts the IPv4 or IPv6 address a person copied from a "what is my IP" page and
// returns its canonical text (IPv6 compressed and lower case; an IPv4-mapped IPv6 address
// as plain IPv4, because that is the address the firewall sees and blocks).
//
// It refuses an IPv6 zone ("fe80::1%eth0"): a zone names an interface on the sender's own
// machine, means nothing to our firewall and can never be the address a blocked patient
// reaches us from. It also refuses the unspecified addresses (0.0.0.0, ::) and multicast
// addresses, which are never a computer's own address.
func ParseIP(s string) (string, error) {
	const field = "ip"
	t := strings.TrimSpace(s)
	if t == "" {
		return "", fail(ErrInvalidIP, field, "is required")
	}
	if len(t) > maxIPInput {
		return "", fail(ErrInvalidIP, field, "is too long to be an IP address")
	}
	addr, err := netip.ParseAddr(t)
	if err != nil {
		return "", fail(ErrInvalidIP, field, "is not an IPv4 address (such as 203.0.113.7) or an IPv6 address")
	}
	if addr.Zone() != "" {
		return "", fail(ErrInvalidIP, field, "must not carry an interface zone (the part after %)")
	}
	addr = addr.Unmap()
	if addr.IsUnspecified() || addr.IsMulticast() {
		return "", fail(ErrInvalidIP, field, "is not the address of a computer")
	}
	return addr.String(), nil
}
