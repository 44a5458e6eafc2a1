// Package clientip says which address a request came from. Behind a reverse proxy the
// peer is the proxy, and the client's address is in X-Forwarded-For; but anyone can send
// that header, so it is believed only as far as it was written by proxies the operator
// named. Rate limits keyed by address and the address written on a blocked-IP ticket both
// depend on getting this right.
package clientip

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Resolver finds a request's client address, trusting X-Forwarded-For from Trusted only.
type Resolver struct{ trusted []netip.Prefix }

// New trusts the proxies at each of cidrs: a network ("10.0.0.0/8") or one address.
func New(cidrs []string) (Resolver, error) {
	var r Resolver
	for _, c := range cidrs {
		p, err := ParseProxy(c)
		if err != nil {
			return Resolver{}, err
		}
		r.trusted = append(r.trusted, p)
	}
	return r, nil
}

// ParseProxy reads one trusted proxy: a network in CIDR form or a single address.
func ParseProxy(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a network (like 10.0.0.0/8) or an address", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a network (like 10.0.0.0/8) or an address", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func (r Resolver) isTrusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// IP is the client's address. With the peer untrusted it is the peer. With the peer a
// trusted proxy, X-Forwarded-For is read from the right (each proxy appends the address it
// saw) past the trusted proxies; the first address that is not one is the client. An entry
// that is not an address ends the walk there: whatever is left of it was written by
// someone we do not trust.
func (r Resolver) IP(req *http.Request) string {
	peer := peerAddr(req.RemoteAddr)
	if !peer.IsValid() {
		return req.RemoteAddr
	}
	if len(r.trusted) == 0 || !r.isTrusted(peer) {
		return peer.String()
	}
	client := peer
	hops := forwardedFor(req.Header.Values("X-Forwarded-For"))
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			break
		}
		client = a.Unmap()
		if !r.isTrusted(client) {
			break
		}
	}
	return client.String()
}

func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

// forwardedFor is every hop of every X-Forwarded-For header, in order.
func forwardedFor(values []string) []string {
	var hops []string
	for _, v := range values {
		for _, h := range strings.Split(v, ",") {
			h = strings.TrimSpace(h)
			// "[2001:db8::1]:443" and "192.0.2.1:80" appear in the wild; keep the address.
			if host, _, err := net.SplitHostPort(h); err == nil {
				h = host
			}
			hops = append(hops, strings.Trim(h, "[]"))
		}
	}
	return hops
}
