package paymentprovider_test

import (
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"ledgerdesk/adapters/paymentprovider"
	"ledgerdesk/app"
)

// FuzzParseHeader: any header either parses to one positive timestamp and 32-byte v1
// signatures, or is refused as unverified; nothing panics, and a header the parser
// accepts verifies only if it is really signed.
func FuzzParseHeader(f *testing.F) {
	b := []byte(`{"id":"evt_1"}`)
	for _, s := range []string{
		paymentprovider.Sign([]byte("k"), time.Unix(1700000000, 0), b),
		paymentprovider.Sign([]byte("k"), time.Unix(1700000000, 0), b) + ",v1=" + "00",
		"t=1700000000,v0=abc,v1=" + "0000000000000000000000000000000000000000000000000000000000000000",
		"", "t=", "v1=", "t=1,t=2", "t=+5,v1=", "t=-5", "t=99999999999999999999", ",,,", "t=1 , v1=zz", "=",
	} {
		f.Add(s)
	}
	v, err := paymentprovider.New(paymentprovider.Config{Provider: "stripe", Secrets: [][]byte{[]byte("k")}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, header string) {
		h, err := paymentprovider.ParseHeader(header)
		if err != nil {
			if !errors.Is(err, app.ErrNotificationUnverified) {
				t.Fatalf("%q: %v does not wrap ErrNotificationUnverified", header, err)
			}
			return
		}
		if h.Timestamp <= 0 || len(h.Signatures) == 0 {
			t.Fatalf("%q parsed to %+v", header, h)
		}
		for _, s := range h.Signatures {
			if len(s) != sha256.Size {
				t.Fatalf("%q: a %d-byte signature", header, len(s))
			}
		}
		at := time.Unix(h.Timestamp, 0)
		if err := v.VerifySignature(header, []byte("another body"), at); err == nil {
			t.Fatalf("%q verified a body nobody signed", header)
		}
	})
}
