package httpapi

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// refuseNonText answers 400 for a request whose JSON body or Idempotency-Key is not valid
// UTF-8. encoding/json would quietly turn the bad bytes of a body into U+FFFD, so what is
// stored would not be what was sent; and PostgreSQL refuses such a key outright, which
// answered 500. It runs before the idempotency middleware, which stores the key.
func refuseNonText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k := r.Header.Get("Idempotency-Key"); !utf8.ValidString(k) {
			writeProblem(w, newProblem(http.StatusBadRequest, TypeValidation, "invalid input: field header.Idempotency-Key: is not valid UTF-8 text"))
			return
		}
		if r.Body == nil || r.Body == http.NoBody || !strings.Contains(r.Header.Get("Content-Type"), "json") {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
		if err != nil {
			writeProblem(w, newProblem(http.StatusRequestEntityTooLarge, TypeValidation, "request body too large"))
			return
		}
		if !utf8.Valid(body) {
			writeProblem(w, newProblem(http.StatusBadRequest, TypeValidation, "invalid input: field body: is not valid UTF-8 text"))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}
