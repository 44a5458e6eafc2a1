package attachment

import (
	"net/http"
	"slices"
	"strings"
)

// ServeHeaders sets the headers every door that sends a document back to a browser must
// send with it: only the type it was sniffed as on the way in (application/octet-stream
// for anything else), nosniff so the browser does not guess another, a sandboxing CSP so
// that even a file that slipped through cannot run script or load anything, as a download
// rather than a page, and never cached.
func ServeHeaders(h http.Header, d Document) {
	ct := d.ContentType
	if !slices.Contains(AcceptedTypes, ct) {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Content-Disposition", `attachment; filename="`+fileName(d.AttachmentID, ct)+`"`)
	h.Set("Cache-Control", "private, no-store")
	h.Set("Referrer-Policy", "no-referrer")
}

// fileName is the attachment's id with its type's extension, keeping only characters that
// cannot break out of the quoted header value.
func fileName(id, ct string) string {
	var b strings.Builder
	for _, r := range id {
		if r < 0x80 && (r == '-' || r == '_' || r == '.' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		b.WriteString("document")
	}
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}[ct]
	if ext == "" {
		ext = ".bin"
	}
	return b.String() + ext
}
