package web

import (
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The pre-call equipment test: the browser, the connection to this server, and the
// microphone and camera. The page needs JavaScript (it measures the browser itself); the
// server's part is two endpoints to time a download and an upload against.

// speedTestMax bounds one transfer, so the endpoints cannot be used to load the server.
const speedTestMax = 4 << 20

// MinimumMbps is the connection the help page asks for, both ways.
const MinimumMbps = 2

func (s *Site) equipmentTest(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "equipment", view{Title: "Test your equipment", Nav: "help", Data: MinimumMbps})
}

// speedDownload sends ?bytes= random bytes (random, so no compression on the way shortens
// the measurement).
func (s *Site) speedDownload(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("bytes"))
	if err != nil || n < 1 || n > speedTestMax {
		http.Error(w, fmt.Sprintf("bytes: a whole number from 1 to %d", speedTestMax), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(n))
	_, _ = io.CopyN(w, rand.Reader, int64(n))
}

// speedUpload reads what it is sent, up to the limit, and says how much: it keeps nothing.
func (s *Site) speedUpload(w http.ResponseWriter, r *http.Request) {
	n, err := io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, speedTestMax))
	if err != nil {
		http.Error(w, fmt.Sprintf("at most %d bytes", speedTestMax), http.StatusRequestEntityTooLarge)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "%d\n", n)
}

// equipmentResult is the equipment test's summary as the ticket form takes it: text only,
// no longer than a summary needs to be.
func equipmentResult(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if !strings.HasPrefix(s, "Equipment test ") || utf8.RuneCountInString(s) > 1000 {
		return ""
	}
	return s
}
