package payments_test

import (
	"context"
	"encoding/base64"
	"log/slog"
	"os"
	"testing"
	"time"

	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/cmd/ledgerdesk/internal/config"
	"ledgerdesk/cmd/ledgerdesk/internal/payments"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
)

// BenchmarkPaymentsDemo is how long `serve --demo` spends loading the payments demo (300
// appointments, 40 invoices, a payout) through the ordinary commands, on a fresh database
// each time: the figure the demo test used to assert, measured here instead (make bench).
func BenchmarkPaymentsDemo(b *testing.B) {
	ctx := context.Background()
	key := base64.StdEncoding.EncodeToString(make([]byte, 32))
	for b.Loop() {
		b.StopTimer()
		cfg, err := config.Load(func(k string) string {
			switch k {
			case "DATABASE_URL":
				return pgtest.NewDatabase(b)
			case "LEDGERDESK_MASTER_KEY":
				return key
			}
			return os.Getenv(k)
		})
		if err != nil {
			b.Fatal(err)
		}
		d, err := wiring.Open(ctx, cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		began := time.Now()
		b.StartTimer()
		if err := payments.SeedDemo(ctx, d); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		b.ReportMetric(time.Since(began).Seconds(), "s/demo")
		_ = d.Close()
		b.StartTimer()
	}
}
