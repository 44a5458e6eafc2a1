package attachment

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// MaxPixels bounds a decoded image (about 50 megapixels, more than any phone camera), so a
// small file that claims to be a vast image cannot make the decoder take gigabytes.
const MaxPixels = 50_000_000

// JPEGQuality is the quality photos are re-encoded at: high enough that a document stays
// legible.
const JPEGQuality = 92

// Normalize is what the support service keeps of a file: Sniff's type, and the bytes
// written again. An image is decoded whole and encoded afresh (PNG as PNG, JPEG as JPEG
// at JPEGQuality, WebP as PNG, since there is no WebP encoder), which drops its metadata
// (EXIF, with the location a phone records) and anything a polyglot hid in it or after
// it; a PDF is kept as it was, having passed Sniff's structural check. The result is
// deterministic, so a retried upload keeps the same bytes.
func Normalize(content []byte) (contentType string, out []byte, err error) {
	ct, err := Sniff(content)
	if err != nil {
		return "", nil, err
	}
	var b bytes.Buffer
	switch ct {
	case "image/png", "image/webp":
		img, err := decodeImage(ct, content)
		if err != nil {
			return "", nil, err
		}
		if err := png.Encode(&b, img); err != nil {
			return "", nil, fmt.Errorf("%w: the image cannot be written again: %v", ErrUnsupportedType, err)
		}
		ct = "image/png"
	case "image/jpeg":
		img, err := decodeImage(ct, content)
		if err != nil {
			return "", nil, err
		}
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: JPEGQuality}); err != nil {
			return "", nil, fmt.Errorf("%w: the image cannot be written again: %v", ErrUnsupportedType, err)
		}
	default:
		return ct, content, nil
	}
	if b.Len() > MaxSize {
		return "", nil, fmt.Errorf("%w: %d bytes once written again, at most %d MiB", ErrTooLarge, b.Len(), MaxSize>>20)
	}
	return ct, b.Bytes(), nil
}

// verify checks that content is what its signature says, through and through: an image
// decodes whole with the standard decoders (WebP with golang.org/x/image), a PNG has
// nothing after its end, and a PDF is structurally sound and carries no script.
func verify(ct string, content []byte) error {
	switch ct {
	case "application/pdf":
		return checkPDF(content)
	case "image/png":
		if err := pngEndsAtIEND(content); err != nil {
			return err
		}
	}
	_, err := decodeImage(ct, content)
	return err
}

func decodeImage(ct string, content []byte) (image.Image, error) {
	var (
		config func(io.Reader) (image.Config, error)
		decode func(io.Reader) (image.Image, error)
	)
	switch ct {
	case "image/png":
		config, decode = png.DecodeConfig, png.Decode
	case "image/jpeg":
		config, decode = jpeg.DecodeConfig, jpeg.Decode
	case "image/webp":
		config, decode = webp.DecodeConfig, webp.Decode
	default:
		return nil, fmt.Errorf("%w: %s is not an image", ErrUnsupportedType, ct)
	}
	c, err := config(bytes.NewReader(content))
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable %s: %v", ErrUnsupportedType, ct, err)
	}
	if c.Width <= 0 || c.Height <= 0 || int64(c.Width)*int64(c.Height) > MaxPixels {
		return nil, fmt.Errorf("%w: a %d×%d image; at most %d pixels", ErrUnsupportedType, c.Width, c.Height, MaxPixels)
	}
	img, err := decode(bytes.NewReader(content))
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable %s: %v", ErrUnsupportedType, ct, err)
	}
	return img, nil
}

// pngEndsAtIEND walks a PNG's chunks and refuses one with bytes after its IEND chunk: the
// decoder stops at IEND and would not notice an HTML page or a ZIP appended to the image.
func pngEndsAtIEND(b []byte) error {
	i := 8 // the signature
	for i+12 <= len(b) {
		n := int(binary.BigEndian.Uint32(b[i:]))
		if n < 0 || n > len(b)-i-12 {
			return fmt.Errorf("%w: a PNG chunk runs past the end of the file", ErrUnsupportedType)
		}
		typ := string(b[i+4 : i+8])
		i += 12 + n
		if typ == "IEND" {
			if i != len(b) {
				return fmt.Errorf("%w: %d bytes after the end of the PNG image", ErrUnsupportedType, len(b)-i)
			}
			return nil
		}
	}
	return fmt.Errorf("%w: the PNG image has no end (IEND)", ErrUnsupportedType)
}

// forbiddenPDFNames are the PDF names of what runs or opens something when the file is
// viewed: script, launching programs, embedded files, forms that submit, rich media.
var forbiddenPDFNames = map[string]string{
	"JS": "JavaScript", "JavaScript": "JavaScript", "Launch": "a launch action", "EmbeddedFile": "an embedded file",
	"EmbeddedFiles": "embedded files", "RichMedia": "rich media", "SubmitForm": "a form that submits", "ImportData": "an import action",
	"XFA": "an XFA form",
}

// maxInflated bounds what checkPDF decompresses of a PDF's streams in all, against a
// compression bomb.
const maxInflated = 64 << 20

// checkPDF is a structural check of a PDF, not a parser: it starts with %PDF-, ends (within
// its last KiB) with %%EOF, has a cross-reference table or a trailer, and names nothing in
// forbiddenPDFNames, whether written plainly, with #xx escapes, or inside a Flate-compressed
// stream (where object streams hide dictionaries).
func checkPDF(b []byte) error {
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return fmt.Errorf("%w: a PDF starts with %%PDF-", ErrUnsupportedType)
	}
	if !bytes.Contains(b[max(0, len(b)-1024):], []byte("%%EOF")) {
		return fmt.Errorf("%w: the PDF is truncated (no %%%%EOF at its end)", ErrUnsupportedType)
	}
	if !bytes.Contains(b, []byte("startxref")) && !bytes.Contains(b, []byte("trailer")) {
		return fmt.Errorf("%w: the PDF has no cross-reference table or trailer", ErrUnsupportedType)
	}
	if what := forbiddenIn(b); what != "" {
		return fmt.Errorf("%w: the PDF carries %s", ErrUnsupportedType, what)
	}
	budget := int64(maxInflated)
	rest := b
	for {
		i := bytes.Index(rest, []byte("stream"))
		if i < 0 {
			return nil
		}
		rest = rest[i+len("stream"):]
		if bytes.HasPrefix(rest, []byte("\r\n")) {
			rest = rest[2:]
		} else if bytes.HasPrefix(rest, []byte("\n")) || bytes.HasPrefix(rest, []byte("\r")) {
			rest = rest[1:]
		} else {
			continue // "endstream", or the word inside something else
		}
		end := bytes.Index(rest, []byte("endstream"))
		if end < 0 {
			return fmt.Errorf("%w: the PDF has a stream with no end", ErrUnsupportedType)
		}
		body := rest[:end]
		rest = rest[end+len("endstream"):]
		z, err := zlib.NewReader(bytes.NewReader(body))
		if err != nil {
			continue // not Flate: image data and the like, already scanned as it is
		}
		inflated, err := io.ReadAll(io.LimitReader(z, budget+1))
		budget -= int64(len(inflated))
		if budget < 0 {
			return fmt.Errorf("%w: the PDF's streams decompress to more than %d MiB", ErrUnsupportedType, maxInflated>>20)
		}
		if what := forbiddenIn(inflated); what != "" {
			return fmt.Errorf("%w: the PDF carries %s", ErrUnsupportedType, what)
		}
		_ = err // a damaged stream is the viewer's problem; what could be read was checked
	}
}

// forbiddenIn returns what the first forbidden PDF name in b is, or "".
func forbiddenIn(b []byte) string {
	for i := 0; i < len(b); i++ {
		if b[i] != '/' {
			continue
		}
		var name []byte
		j := i + 1
		for ; j < len(b) && !pdfDelimiter(b[j]); j++ {
			if b[j] == '#' && j+2 < len(b) {
				if v, ok := unhex(b[j+1], b[j+2]); ok {
					name = append(name, v)
					j += 2
					continue
				}
			}
			name = append(name, b[j])
		}
		if what, bad := forbiddenPDFNames[string(name)]; bad {
			return what
		}
		i = j - 1
	}
	return ""
}

func pdfDelimiter(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ', '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func unhex(a, b byte) (byte, bool) {
	h := func(c byte) (byte, bool) {
		switch {
		case '0' <= c && c <= '9':
			return c - '0', true
		case 'a' <= c && c <= 'f':
			return c - 'a' + 10, true
		case 'A' <= c && c <= 'F':
			return c - 'A' + 10, true
		}
		return 0, false
	}
	x, ok1 := h(a)
	y, ok2 := h(b)
	return x<<4 | y, ok1 && ok2
}
