package clientip

import (
	"net/http"
	"net/netip"
	"testing"
)

func request(remote string, xff ...string) *http.Request {
	r, _ := http.NewRequest("GET", "http://example.test/", nil)
	r.RemoteAddr = remote
	for _, v := range xff {
		r.Header.Add("X-Forwarded-For", v)
	}
	return r
}

func TestXForwardedForIsBelievedOnlyFromTrustedProxies(t *testing.T) {
	r, err := New([]string{"10.0.0.0/8", "192.0.2.10", "2001:db8:1::/48"})
	if err != nil {
		t.Fatal(err)
	}
	none, _ := New(nil)
	cases := []struct {
		name   string
		res    Resolver
		remote string
		xff    []string
		want   string
	}{
		{"no proxies configured: the header is ignored", none, "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"an untrusted peer's header is ignored", r, "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"a trusted proxy's header names the client", r, "10.1.2.3:4000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"a spoofed left part is skipped", r, "10.1.2.3:4000", []string{"6.6.6.6, 198.51.100.1"}, "198.51.100.1"},
		{"a chain of trusted proxies", r, "10.1.2.3:4000", []string{"198.51.100.1, 192.0.2.10, 10.9.9.9"}, "198.51.100.1"},
		{"several headers are one list", r, "10.1.2.3:4000", []string{"6.6.6.6", "198.51.100.1"}, "198.51.100.1"},
		{"garbage stops the walk at the last good hop", r, "10.1.2.3:4000", []string{"198.51.100.1, not-an-ip"}, "10.1.2.3"},
		{"only proxies: the leftmost", r, "10.1.2.3:4000", []string{"10.0.0.1"}, "10.0.0.1"},
		{"no header from a trusted proxy: the proxy", r, "10.1.2.3:4000", nil, "10.1.2.3"},
		{"IPv6 peer and client with ports", r, "[2001:db8:1::5]:443", []string{"[2001:db8:2::9]:5000"}, "2001:db8:2::9"},
		{"IPv4-mapped IPv6 is the IPv4 address", r, "[::ffff:10.1.2.3]:80", []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
	}
	for _, c := range cases {
		if got := c.res.IP(request(c.remote, c.xff...)); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestATrustedProxyIsANetworkOrAnAddress(t *testing.T) {
	for _, bad := range []string{"", "10.0.0.0/33", "ten", "10.0.0.1/8/2", "example.org"} {
		if _, err := New([]string{bad}); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
	p, err := ParseProxy("10.1.2.3/8")
	if err != nil || p != netip.MustParsePrefix("10.0.0.0/8") {
		t.Errorf("10.1.2.3/8: %v %v", p, err)
	}
}

func FuzzIP(f *testing.F) {
	f.Add("10.1.2.3:4000", "198.51.100.1, 6.6.6.6")
	f.Add("[::1]:1", "[::1]:2, ,,")
	f.Add("garbage", "")
	r, _ := New([]string{"10.0.0.0/8", "::1"})
	f.Fuzz(func(t *testing.T, remote, xff string) {
		got := r.IP(request(remote, xff))
		if peerAddr(remote).IsValid() {
			if _, err := netip.ParseAddr(got); err != nil {
				t.Fatalf("IP(%q, %q) = %q, not an address", remote, xff, got)
			}
		}
		if !peerAddr(remote).IsValid() || !r.isTrusted(peerAddr(remote)) {
			if want := peerAddr(remote); want.IsValid() && got != want.String() {
				t.Fatalf("an untrusted peer %q was overridden by its header: %q", remote, got)
			}
		}
	})
}
