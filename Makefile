# The two commands a newcomer needs are `make run` and `make test` (see README.md).
GO ?= go
# staticcheck 2026.2.2 is module version v0.8.2; the proxy serves only the module version.
STATICCHECK_VERSION ?= v0.8.2
export PATH := $(PATH):/usr/local/go/bin:$(shell $(GO) env GOPATH 2>/dev/null)/bin

.PHONY: run test test-short bench lint fuzz

## run: the service with demo data, on the embedded Postgres event store
run:
	$(GO) run ./cmd/ledgerdesk serve --demo

## test: every test, against a real PostgreSQL (DATABASE_URL, a local server, or a throwaway cluster)
test:
	$(GO) run ./cmd/withpg $(GO) test -count=1 -timeout 20m ./...

test-short:
	$(GO) run ./cmd/withpg $(GO) test -short -count=1 ./...

## bench: Go benchmarks, printed next to baselines measured in the same run
## (appends vs plain INSERTs; projection throughput; the V1 import; the HTTP API under load;
## command to read model latency, wake-ups vs polling only; the demo load; each web page's server time;
## four project processes against one)
BENCH_COUNT ?= 3
bench:
	$(GO) run ./cmd/withpg $(GO) run ./cmd/benchreport -count $(BENCH_COUNT) \
		-pkg ./adapters/postgres -pkg ./projector -pkg ./commands/v1import -pkg ./adapters/httpapi -pkg ./adapters/v1csv \
		-pkg ./cmd/ledgerdesk/internal/payments -pkg ./adapters/web -pkg ./cmd/ledgerdesk

## lint: gofmt, go vet and staticcheck
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@command -v staticcheck >/dev/null || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	staticcheck ./...

## fuzz: each fuzz target for FUZZTIME (default 20s)
FUZZTIME ?= 20s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzzing $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done
