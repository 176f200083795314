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
# Modem brown-outs (reboots into text mode mid-read, mid-send) among them.
CRASH_REBOOTS ?= 2
SOAK_REBOOTS ?= 30
# The version every binary and package carries: the nearest tag and the
# commits since it, or 0.0.0-<commit> on a clone without tags, or
# 0.0.0-dev outside git.
VERSION ?= $(shell v=$$(git describe --tags --dirty 2>/dev/null) || v=0.0.0-$$(git rev-parse --short HEAD 2>/dev/null) || v=0.0.0-dev; echo $${v:-0.0.0-dev})
LDFLAGS := -s -w -X github.com/tokrihq/tokri/internal/version.Version=$(VERSION)
DIST := dist
# The boards: Pi Zero/1 (armv6), Pi 2/3 on 32-bit OS (armv7), 64-bit Pis
# (arm64) and the server (amd64). Each is NAME:GOARCH:GOARM.
PLATFORMS := armv6:arm:6 armv7:arm:7 arm64:arm64: amd64:amd64:
# Debian versions must start with a digit and sort: v1.2.0-3-gabc -> 1.2.0+3.gabc.
DEB_VERSION = $(shell echo '$(VERSION)' | sed -e 's/^v//' -e 's/-/+/' -e 's/-/./g')
NFPM_VERSION := v2.45.2
NFPM := $(BIN)/tools/nfpm

.PHONY: all build dist deb test-deb test unit fuzz crash demo bench soak lint tools clean

all: build

tools:
	@scripts/ensure-tools

build: tools
	@mkdir -p $(BIN)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="$(LDFLAGS)" -o $(BIN)/ ./cmd/...

# Static binaries for every board: dist/ARCH/tokri, tokri-console (the
# operator's screen, kept out of tokri: its UI library probes the terminal
# when loaded) and tokri-central.
dist: tools
	@set -e; for p in $(PLATFORMS); do \
	  IFS=: read -r name arch arm <<< "$$p"; \
	  echo "dist/$$name (GOARCH=$$arch GOARM=$$arm) $(VERSION)"; \
	  mkdir -p $(DIST)/$$name; \
	  CGO_ENABLED=0 GOOS=linux GOARCH=$$arch GOARM=$$arm $(GO) build -trimpath -ldflags="$(LDFLAGS)" -o $(DIST)/$$name/ ./cmd/tokri ./cmd/tokri-console ./cmd/tokri-central; \
	done

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
# scripts/ensure-postgres installs and starts (as root). test/arm builds the
# ARMv6 agent and runs it under qemu-arm-static (scripts/ensure-tools
# installs it): quiet for a minute or two while it compiles and runs.
# cmd/tokri's TestBenchIdle builds tokri and tokri-central and runs them
# in a network namespace for about half a minute.
unit: tools
	TOKRI_TEST_POSTGRES="$$(scripts/ensure-postgres)" $(GO) test -race -count=1 -timeout 15m ./...

# Each Fuzz target runs for FUZZTIME on top of its seed corpus. A failure
# prints what go test said. Under load Go's fuzz engine sometimes stops at
# the -fuzztime deadline with an error and no failing input (Go issue
# 51484); only then is the target run once more. A found input (written
# to testdata/fuzz) or a second failure fails the run.
fuzz: tools
	@set -e; log=$$(mktemp); trap 'rm -f $$log' EXIT; \
	for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "fuzz $$pkg $$f"; \
	    for try in 1 2; do \
	      if $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg >$$log 2>&1; then break; fi; \
	      cat $$log; \
	      if [ $$try = 2 ] || grep -q 'Failing input written to' $$log; then exit 1; fi; \
	      echo "fuzz $$f: the engine stopped without a failing input; once more"; \
	    done; \
	  done; \
	done

# The packaging tool, built once from its module at an exact version.
$(NFPM):
	GOBIN=$(abspath $(BIN)/tools) $(GO) install github.com/goreleaser/nfpm/v2/cmd/nfpm@$(NFPM_VERSION)

# .deb packages for every board: dist/deb/tokri_VERSION_NAME.deb and
# tokri-central_VERSION_NAME.deb (NAME as in PLATFORMS). DEB_PLATFORMS
# narrows it (test-deb builds only amd64). Both 32-bit builds are Debian
# "armhf" (Raspberry Pi OS's armhf is ARMv6: its package runs on every Pi).
DEB_PLATFORMS ?= armv6 armv7 arm64 amd64
deb: $(NFPM)
	@$(MAKE) --no-print-directory dist PLATFORMS="$(filter $(addsuffix :%,$(DEB_PLATFORMS)),$(PLATFORMS))"
	@mkdir -p $(DIST)/deb
	@set -e; for name in $(DEB_PLATFORMS); do \
	  for pkg in tokri tokri-central; do \
	    out=$(DIST)/deb/$${pkg}_$(DEB_VERSION)_$$name.deb; \
	    sed "s|\$${BIN_DIR}|$(DIST)/$$name|" packaging/$$pkg.yaml > $(DIST)/deb/$$pkg-$$name.yaml; \
	    DEB_ARCH=$$(case $$name in armv6|armv7) echo armhf;; *) echo $$name;; esac) \
	    DEB_VERSION=$(DEB_VERSION) \
	      $(NFPM) package --config $(DIST)/deb/$$pkg-$$name.yaml --packager deb --target $$out >/dev/null; \
	    rm $(DIST)/deb/$$pkg-$$name.yaml; \
	    echo "$$out"; \
	  done; \
	done

# Installs the amd64 packages into a clean Debian root (debootstrap, cached
# in TOKRI_DEBROOT_CACHE) and checks files, user, units, the udev rule and
# "tokri doctor", then boots the root (systemd-nspawn) with both units.
# Silent for a few minutes the first time while debootstrap downloads
# Debian; about a minute once the root is cached.
test-deb:
	@$(MAKE) --no-print-directory deb DEB_PLATFORMS=amd64
	scripts/test-deb $(DIST)/deb/tokri_$(DEB_VERSION)_amd64.deb $(DIST)/deb/tokri-central_$(DEB_VERSION)_amd64.deb

crash: build
	$(GO) test -count=1 -timeout 10m -run TestCrash ./test/crash -crash.n=$(CRASH_N) -crash.reboots=$(CRASH_REBOOTS) -v

test: lint unit fuzz crash

demo: build
	$(BIN)/tokri demo --data demo-data --config examples/demo.toml --catalog examples/kirana.csv

bench: build dist
	@echo "binary sizes (aim: armv6 agent under 12 MB):"
	@for d in $(DIST)/*/; do for b in tokri tokri-console tokri-central; do \
	  [ -f $$d$$b ] || continue; \
	  printf '  %-8s %-14s %6.2f MB\n' "$$(basename $$d)" $$b "$$(awk "BEGIN{print $$(stat -c %s $$d$$b)/1048576}")"; done; done
	@[ "$$(stat -c %s $(DIST)/armv6/tokri)" -lt 12582912 ] || echo "WARNING: the armv6 agent is over 12 MB"
	@echo "cold start to modem ready, armv6 under qemu-user vs native:"
	@$(GO) test -count=1 -run TestARMv6 -v ./test/arm -arm.bin=$(abspath $(DIST)/armv6/tokri) | grep '^arm:'
	$(GO) test -run='^$$' -bench=. -benchmem ./modem/pdu ./protocol/match ./agent/store ./agent/catalog ./agent/shop
	@$(GO) test -count=1 -run '^TestCorpus$$' -v ./test/corpus | grep -E '^ +corpus_test.go:[0-9]+: corpus '
	$(BIN)/tokri bench
	@echo "idle agent: mobile data and store writes per idle hour (aims: a day under 100 KB and 5 MB)"
	$(GO) test -run='^$$' -bench=IdleRound -benchtime=24x ./agent/uplink
	$(BIN)/tokri bench-idle
	$(BIN)/tokri bench-ussd --sessions 50 --duration 10s
	@echo "console: frame time (1,000 open orders; 5,000 items), start to first frame and RSS of tokri-console"
	$(GO) test -run='^$$' -bench=Frame -benchmem ./console
	TOKRI_CONSOLE_BIN=$(abspath $(BIN)/tokri-console) $(GO) test -run='^$$' -bench=ConsoleProcess -benchtime=5x ./console
	$(GO) test -run='^$$' -bench=Wire -benchtime=1x ./sync/e2e
	$(BIN)/tokri-central bench --agents 1000 --duration 10s
	@dsn="$$(scripts/ensure-postgres)"; if [ -n "$$dsn" ]; then \
	  echo "central server on PostgreSQL:"; $(BIN)/tokri-central bench --agents 1000 --duration 10s --db "$$dsn"; fi

soak: build
	$(GO) test -count=1 -timeout 60m -run TestCrash ./test/crash -crash.n=$(SOAK_N) -crash.reboots=$(SOAK_REBOOTS) -v

clean:
	rm -rf $(BIN) $(DIST) demo-data
