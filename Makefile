# Tokri: `make demo` to try it, `make test` to run every test.
SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(PATH)
export GOTOOLCHAIN ?= auto
GO ?= go
BIN := bin
# Fuzz time per target in `make test`; raise it for a longer hunt.
FUZZTIME ?= 3s
# Crash-test rounds: a few in `make test`, many in `make soak`.
CRASH_N ?= 6
SOAK_N ?= 60

.PHONY: all build test unit fuzz crash demo bench soak lint tools clean

all: build

tools:
	@scripts/ensure-tools

build: tools
	@mkdir -p $(BIN)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w" -o $(BIN)/ ./cmd/...

# gofmt, go.mod that says what the code imports, vet, staticcheck (fetched
# at a fixed version through the module proxy on first use), and import
# groups: standard library, other modules, then this module.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
MODULE := github.com/tokrihq/tokri
lint: tools
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@$(GO) mod tidy -diff >/dev/null || { echo "go.mod/go.sum are not tidy; run: go mod tidy"; $(GO) mod tidy -diff; exit 1; }
	$(GO) vet ./...
	@echo "staticcheck (the first run builds it: about a minute)"
	$(GO) run $(STATICCHECK) ./...
	$(GO) run ./scripts/importgroups $(MODULE) $$(git ls-files '*.go')

# The central server's storage suite also runs against PostgreSQL, which
# scripts/ensure-postgres installs and starts (as root).
unit: tools
	TOKRI_TEST_POSTGRES="$$(scripts/ensure-postgres)" $(GO) test -race -count=1 -timeout 15m ./...

# Each Fuzz target runs for FUZZTIME on top of its seed corpus.
fuzz: tools
	@set -e; for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "fuzz $$pkg $$f"; \
	    $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg >/dev/null || \
	      { $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg; exit 1; }; \
	  done; \
	done

crash: build
	$(GO) test -count=1 -timeout 10m -run TestCrash ./test/crash -crash.n=$(CRASH_N) -v

test: lint unit fuzz crash

demo: build
	$(BIN)/tokri demo --data demo-data --config examples/demo.toml --catalog examples/kirana.csv

bench: build
	$(GO) test -run='^$$' -bench=. -benchmem ./modem/pdu ./protocol/match ./agent/store ./agent/catalog ./agent/shop
	@$(GO) test -count=1 -run '^TestCorpus$$' -v ./test/corpus | grep -E '^ +corpus_test.go:[0-9]+: corpus '
	$(BIN)/tokri bench
	$(BIN)/tokri-central bench-wire
	$(BIN)/tokri-central bench --agents 1000 --duration 10s
	@dsn="$$(scripts/ensure-postgres)"; if [ -n "$$dsn" ]; then \
	  echo "central server on PostgreSQL:"; $(BIN)/tokri-central bench --agents 1000 --duration 10s --db "$$dsn"; fi

soak: build
	$(GO) test -count=1 -timeout 60m -run TestCrash ./test/crash -crash.n=$(SOAK_N) -v

clean:
	rm -rf $(BIN) demo-data
