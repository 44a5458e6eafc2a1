package attachment

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
)

// MaxSize is the largest attachment accepted: a phone photo of a document or a scanned
// bill fits comfortably, and the limit bounds memory, since a file is sniffed and sealed
// whole.
const MaxSize = 10 << 20

// AcceptedTypes are the only types Sniff returns. JPEG and PNG are what phones and
// scanners produce, WebP what some Android galleries export, PDF what a scanned bill is.
// HEIC is deliberately refused: agents' browsers (other than Safari) cannot display it,
// and iOS already converts HEIC photos to JPEG when a web page uploads them. SVG and
// HTML are refused because they can carry script.
var AcceptedTypes = []string{"image/jpeg", "image/png", "image/webp", "application/pdf"}

// Sniffing failures.
var (
	ErrUnsupportedType = errors.New("file type not accepted: send a JPEG, PNG or WebP photo or a PDF scan")
	ErrTooLarge        = errors.New("file too large")
)

type signature struct {
	contentType string
	matches     func([]byte) bool
}

var signatures = []signature{
	{"image/jpeg", func(b []byte) bool { return bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}) }},
	{"image/png", func(b []byte) bool { return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) }},
	{"application/pdf", func(b []byte) bool { return bytes.HasPrefix(b, []byte("%PDF-")) }},
	{"image/webp", func(b []byte) bool {
		return len(b) >= 16 && bytes.Equal(b[0:4], []byte("RIFF")) && bytes.Equal(b[8:15], []byte("WEBPVP8"))
	}},
}

// Sniff returns the content type of an attachment, or ErrUnsupportedType or ErrTooLarge.
// The type must be recognised both by our own magic-number table and by
// net/http.DetectContentType (the WHATWG sniffing algorithm browsers use), so a file is
// accepted only if a browser would also treat it as that type and nothing more dangerous;
// and the file must be that type through and through (verify.go): an image decodes whole,
// a PNG ends at its end, a PDF is structurally sound and carries no script or launch
// action. A signature followed by an HTML page is refused.
func Sniff(content []byte) (string, error) {
	if len(content) == 0 {
		return "", fmt.Errorf("%w: the file is empty", ErrUnsupportedType)
	}
	if len(content) > MaxSize {
		return "", fmt.Errorf("%w: %d bytes, at most %d MiB", ErrTooLarge, len(content), MaxSize>>20)
	}
	detected := http.DetectContentType(content)
	for _, s := range signatures {
		if s.matches(content) {
			if detected != s.contentType {
				return "", fmt.Errorf("%w: looks like %s but a browser would read it as %s", ErrUnsupportedType, s.contentType, detected)
			}
			if err := verify(s.contentType, content); err != nil {
				return "", err
			}
			return s.contentType, nil
		}
	}
	return "", fmt.Errorf("%w: this file is %s", ErrUnsupportedType, detected)
}
