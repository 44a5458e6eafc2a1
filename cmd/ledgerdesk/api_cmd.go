package main

import (
	"encoding/json"
	"net/http"

	"ledgerdesk/commands"
	"ledgerdesk/projections"
)

// httpHandler serves the operational endpoints; the API lives under /api/v1.
func httpHandler(d *deps, cmds commands.Deps, models []projections.Projection) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		var names []string
		for _, p := range models {
			names = append(names, p.Name())
		}
		st, err := projections.StatusOf(r.Context(), d.db, d.store, names)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_ = json.NewEncoder(w).Encode(map[string]string{"status": "unavailable", "error": err.Error()})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"status": "ready", "projections": st})
	})
	return mux
}
