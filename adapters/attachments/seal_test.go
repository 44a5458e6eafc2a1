package attachments_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"

	"ledgerdesk/adapters/attachments"
)

func key(t testing.TB) []byte {
	t.Helper()
	k, err := attachments.NewKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var ad = []byte("ticket-1/att-1")

// Small stand-ins for a photo and a scan: only their bytes matter here.
var (
	jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0}, make([]byte, 64)...)
	pdf  = []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")
)

func TestSealOpenRoundTrip(t *testing.T) {
	k := key(t)
	for _, plain := range [][]byte{nil, {}, []byte("x"), jpeg, bytes.Repeat([]byte{0xAB}, 1<<16)} {
		sealed, err := attachments.Seal(k, plain, ad)
		if err != nil {
			t.Fatal(err)
		}
		if len(plain) > 8 && bytes.Contains(sealed, plain) {
			t.Fatal("plaintext visible in the sealed blob")
		}
		got, err := attachments.Open(k, sealed, ad)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("Open = %x, %v", got, err)
		}
	}
}

func TestSealUsesAFreshNonceEachTime(t *testing.T) {
	k := key(t)
	a, _ := attachments.Seal(k, jpeg, ad)
	b, _ := attachments.Seal(k, jpeg, ad)
	if bytes.Equal(a, b) {
		t.Fatal("sealing twice gave the same bytes")
	}
}

func TestOpenRefusesTheWrongKeyDataOrAnyTampering(t *testing.T) {
	k := key(t)
	sealed, _ := attachments.Seal(k, pdf, ad)
	if _, err := attachments.Open(key(t), sealed, ad); !errors.Is(err, attachments.ErrDecrypt) {
		t.Errorf("wrong key: %v", err)
	}
	if _, err := attachments.Open(k, sealed, []byte("ticket-1/att-2")); !errors.Is(err, attachments.ErrDecrypt) {
		t.Errorf("wrong associated data: %v", err)
	}
	for i := range sealed {
		for _, bit := range []byte{1, 0x80} {
			tampered := bytes.Clone(sealed)
			tampered[i] ^= bit
			if _, err := attachments.Open(k, tampered, ad); !errors.Is(err, attachments.ErrDecrypt) {
				t.Fatalf("flipping bit %x of byte %d went unnoticed: %v", bit, i, err)
			}
		}
	}
	for _, cut := range []int{0, 1, 13, len(sealed) - 1} {
		if _, err := attachments.Open(k, sealed[:cut], ad); !errors.Is(err, attachments.ErrDecrypt) {
			t.Errorf("truncated to %d: %v", cut, err)
		}
	}
	if _, err := attachments.Open(k, append(bytes.Clone(sealed), 0), ad); !errors.Is(err, attachments.ErrDecrypt) {
		t.Errorf("extended: %v", err)
	}
}

func TestKeysMustBe32Bytes(t *testing.T) {
	for _, k := range [][]byte{nil, make([]byte, 16), make([]byte, 24), make([]byte, 33)} {
		if _, err := attachments.Seal(k, jpeg, ad); !errors.Is(err, attachments.ErrInvalidKey) {
			t.Errorf("Seal with %d-byte key: %v", len(k), err)
		}
		if _, err := attachments.Open(k, jpeg, ad); !errors.Is(err, attachments.ErrInvalidKey) {
			t.Errorf("Open with %d-byte key: %v", len(k), err)
		}
		if _, err := attachments.WrapKey(key(t), k, ad); !errors.Is(err, attachments.ErrInvalidKey) {
			t.Errorf("WrapKey of %d-byte key: %v", len(k), err)
		}
	}
	if _, err := attachments.NewKey(bytes.NewReader(make([]byte, 10))); err == nil {
		t.Error("NewKey accepted short randomness")
	}
}

func TestEnvelopeWrapsPerTicketKeysUnderTheMasterKey(t *testing.T) {
	master, dataKey := key(t), key(t)
	ticketAD := []byte("ticket-1")
	wrapped, err := attachments.WrapKey(master, dataKey, ticketAD)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(wrapped, dataKey) {
		t.Fatal("data key visible in the wrapped key")
	}
	got, err := attachments.UnwrapKey(master, wrapped, ticketAD)
	if err != nil || !bytes.Equal(got, dataKey) {
		t.Fatalf("UnwrapKey = %x, %v", got, err)
	}
	if _, err := attachments.UnwrapKey(key(t), wrapped, ticketAD); !errors.Is(err, attachments.ErrDecrypt) {
		t.Errorf("other master key: %v", err)
	}
	if _, err := attachments.UnwrapKey(master, wrapped, []byte("ticket-2")); !errors.Is(err, attachments.ErrDecrypt) {
		t.Errorf("moved to another ticket: %v", err)
	}
	// A wrapped key is not an attachment, and a 32-byte attachment sealed under the master
	// key is not a wrapped key: the contexts differ.
	if _, err := attachments.Open(master, wrapped, ticketAD); !errors.Is(err, attachments.ErrDecrypt) {
		t.Errorf("wrapped key opened as an attachment: %v", err)
	}
	fake, _ := attachments.Seal(master, dataKey, ticketAD)
	if _, err := attachments.UnwrapKey(master, fake, ticketAD); !errors.Is(err, attachments.ErrDecrypt) {
		t.Errorf("attachment unwrapped as a key: %v", err)
	}
	// End to end: a document sealed under the unwrapped key opens.
	sealed, _ := attachments.Seal(dataKey, jpeg, ad)
	if plain, err := attachments.Open(got, sealed, ad); err != nil || !bytes.Equal(plain, jpeg) {
		t.Fatalf("document under unwrapped key: %v", err)
	}
}

// genuine is Seal(0x42 × 32, "identity document", ad).
const genuine = "01138617717a213a79e88085f3844a5b3cced3281614d3f607fd3e9e6e0e2dc40906ae5ef995b2e758d9e28de904"

// Open never panics and never accepts bytes that Seal did not produce for this key and
// associated data; a single flipped bit anywhere in a real blob is always caught.
func FuzzOpen(f *testing.F) {
	k := bytes.Repeat([]byte{0x42}, attachments.KeySize)
	// A fixed genuine blob (Seal's nonce is random, and every fuzz worker must agree).
	sealed, err := hex.DecodeString(genuine)
	if err != nil {
		f.Fatal(err)
	}
	if plain, err := attachments.Open(k, sealed, ad); err != nil || string(plain) != "identity document" {
		f.Fatalf("the genuine blob does not open: %v", err)
	}
	f.Add(sealed, uint16(0), byte(1))
	f.Add([]byte{1}, uint16(5), byte(0))
	f.Add([]byte{}, uint16(0), byte(0))
	f.Fuzz(func(t *testing.T, data []byte, at uint16, flip byte) {
		if plain, err := attachments.Open(k, data, ad); err == nil && !bytes.Equal(data, sealed) {
			// Only a genuine Seal output could open; the fuzzer cannot forge one.
			t.Fatalf("forged blob opened to %q", plain)
		}
		if flip != 0 {
			tampered := bytes.Clone(sealed)
			tampered[int(at)%len(tampered)] ^= flip
			if _, err := attachments.Open(k, tampered, ad); !errors.Is(err, attachments.ErrDecrypt) {
				t.Fatalf("tampered byte %d went unnoticed: %v", int(at)%len(tampered), err)
			}
		}
		if _, err := attachments.UnwrapKey(k, data, ad); err == nil {
			t.Fatal("forged wrapped key unwrapped")
		}
	})
}
