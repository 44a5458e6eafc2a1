package attachment_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	stdjpeg "image/jpeg"
	stdpng "image/png"
	"os"
	"slices"
	"testing"

	"ledgerdesk/commands/support/attachment"
	"ledgerdesk/domain/ticket"
)

// Real files, since Sniff decodes what it accepts: a 2×2 JPEG and PNG, the smallest WebP
// of golang.org/x/image's test data, and a one-page PDF.
var (
	jpeg = encodeImage("jpeg")
	png  = encodeImage("png")
	pdf  = []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" +
		"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
	webp = mustRead("testdata/tiny.webp")
)

func encodeImage(format string) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	var err error
	if format == "jpeg" {
		err = stdjpeg.Encode(&b, img, nil)
	} else {
		err = stdpng.Encode(&b, img)
	}
	if err != nil {
		panic(err)
	}
	return b.Bytes()
}

func mustRead(name string) []byte {
	b, err := os.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

func TestSniffAcceptsPhotosAndScans(t *testing.T) {
	for want, content := range map[string][]byte{"image/jpeg": jpeg, "image/png": png, "application/pdf": pdf, "image/webp": webp} {
		got, err := attachment.Sniff(content)
		if err != nil || got != want {
			t.Errorf("Sniff(%s) = %q, %v", want, got, err)
		}
	}
}

func TestSniffRefusesEverythingElse(t *testing.T) {
	heic := append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 32)...)
	for name, content := range map[string][]byte{
		"empty":              nil,
		"plain text":         []byte("hello, this is my passport"),
		"html":               []byte("<html><script>alert(1)</script></html>"),
		"svg":                []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>`),
		"html posing as pdf": []byte("  <html>%PDF-1.7"),
		"gif":                []byte("GIF89a\x01\x00\x01\x00"),
		"zip":                []byte("PK\x03\x04\x14\x00\x00\x00"),
		"windows executable": append([]byte("MZ\x90\x00"), make([]byte, 64)...),
		"heic":               heic,
		"wav posing as webp": append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 32)...),
		"truncated jpeg":     {0xFF, 0xD8},
		"webp without vp8":   append([]byte("RIFF\x24\x00\x00\x00WEBPXXXX"), make([]byte, 8)...),
	} {
		if got, err := attachment.Sniff(content); !errors.Is(err, attachment.ErrUnsupportedType) {
			t.Errorf("%s: Sniff = %q, %v; want ErrUnsupportedType", name, got, err)
		}
	}
}

func TestSniffEnforcesTheSizeLimit(t *testing.T) {
	// A PDF grown to the limit by a comment after its header.
	header := []byte("%PDF-1.7\n%")
	atLimit := append(append(bytes.Clone(header), bytes.Repeat([]byte("x"), attachment.MaxSize-len(pdf)-2)...), '\n')
	atLimit = append(atLimit, pdf[len("%PDF-1.7\n"):]...)
	if _, err := attachment.Sniff(atLimit); err != nil {
		t.Fatalf("file of exactly MaxSize refused: %v", err)
	}
	if _, err := attachment.Sniff(append(atLimit, 0)); !errors.Is(err, attachment.ErrTooLarge) {
		t.Fatalf("file over MaxSize: %v", err)
	}
}

// The ticket decider checks the declared type and size against its own copy of these
// limits; the two must agree or a sniffed file could be refused, or worse, the reverse.
func TestLimitsAgreeWithTheTicketDomain(t *testing.T) {
	if attachment.MaxSize != ticket.MaxAttachmentBytes {
		t.Errorf("MaxSize %d, ticket.MaxAttachmentBytes %d", attachment.MaxSize, ticket.MaxAttachmentBytes)
	}
	a, b := slices.Sorted(slices.Values(attachment.AcceptedTypes)), slices.Sorted(slices.Values(ticket.AcceptedContentTypes))
	if !slices.Equal(a, b) {
		t.Errorf("accepted types %v, ticket accepts %v", a, b)
	}
}

func FuzzSniff(f *testing.F) {
	for _, s := range [][]byte{jpeg, png, pdf, webp, []byte("<html>"), nil, []byte("RIFF\x00\x00\x00\x00WEBPVP8")} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		ct, err := attachment.Sniff(content)
		if err != nil {
			if !errors.Is(err, attachment.ErrUnsupportedType) && !errors.Is(err, attachment.ErrTooLarge) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if !slices.Contains(attachment.AcceptedTypes, ct) {
			t.Fatalf("returned %q, not an accepted type", ct)
		}
		// What Sniff accepts can be written again, and what is written again is accepted.
		nct, out, err := attachment.Normalize(content)
		if errors.Is(err, attachment.ErrTooLarge) {
			return
		}
		if err != nil {
			t.Fatalf("Sniff accepted %s but Normalize refused it: %v", ct, err)
		}
		if again, err := attachment.Sniff(out); err != nil || again != nct {
			t.Fatalf("Normalize gave %s that sniffs as %q, %v", nct, again, err)
		}
	})
}
