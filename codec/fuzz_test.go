package codec_test

import (
	"errors"
	"testing"

	"ledgerdesk/codec"
)

// FuzzDecode feeds arbitrary stored rows to the decoder: whatever a damaged or hostile
// row holds, decoding returns an event or an error and never panics.
func FuzzDecode(f *testing.F) {
	keys := codec.NewMemoryKeyStore()
	c := newCodec(f, keys, allEvents()...)
	for _, zero := range allEvents() {
		e := filled(zero)
		typ, data, err := c.Encode(ctx, e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(typ, []byte(data))
	}
	f.Add("account.registered.v1", []byte(`{"account_id":"value of Registered.AccountID","email":"enc:v1:AAAA"}`))
	f.Add("account.registered.v1", []byte(`{"account_id":"","email":"enc:v1:"}`))
	f.Add("invoice.paid_in_full.v1", []byte(`{"items":[{"amount":1e400}]}`))
	f.Add("nope", []byte(`null`))
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		e, err := c.Decode(ctx, typ, data)
		if err == nil && e == nil {
			t.Fatal("no event and no error")
		}
		if err == nil && e.EventType() != typ {
			t.Fatalf("decoded %q as %T, whose type is %q", typ, e, e.EventType())
		}
		if err != nil && errors.Is(err, codec.ErrUnknownType) {
			for _, known := range c.Types() {
				if known == typ {
					t.Fatalf("registered type %q reported unknown", typ)
				}
			}
		}
	})
}

// FuzzParseMetadata: whatever metadata a stored event carries, reading it does not panic.
func FuzzParseMetadata(f *testing.F) {
	f.Add([]byte(`{"command_id":"01955e5c-8c5e-7f7e-9f3e-0b6d3c1a2b3c","actor":"a","schema":1}`))
	f.Add([]byte(`{"command_id":"nope"}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := codec.ParseMetadata(raw)
		if err != nil && m != (codec.EventMetadata{}) {
			t.Fatalf("an error came with a half-read metadata: %+v", m)
		}
	})
}
