package web

import "net/http"

// myIP shows the address the server sees, which is what a blocked-IP ticket needs. It is
// personal data, so it is shown to its owner only and never logged or put in a URL.
func (s *Site) myIP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "myip", view{Title: "What is my IP address?", Nav: "myip", Data: requestOf(r.Context()).ip})
}
