# SyncGuard's build. `make run` and `make test` each install what they need on a fresh
# Debian machine (apt packages for Fyne's cgo build, Go modules), so CI and a newcomer
# need nothing but this file.

SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)
export LANG ?= en_US.UTF-8
GO        ?= go
# go.mod's go line names the exact Go release. A go command of 1.21 or newer that is older
# than that fetches the release itself, the ordinary way: GOTOOLCHAIN=auto, set here only
# then, so that a machine whose Go is recent enough keeps its own setting. A GOTOOLCHAIN in
# the environment wins. (Evaluated when a recipe runs, after go-toolchain installed Go.)
GO_MIN := 1.21
go_local = $(shell cd / && GOTOOLCHAIN=local $(GO) version 2>/dev/null | sed -n 's/^go version go\([0-9][0-9.]*\).*/\1/p')
go_wanted = $(shell sed -n 's/^go //p' go.mod)
ifeq ($(origin GOTOOLCHAIN),undefined)
export GOTOOLCHAIN = $(shell v='$(go_local)'; w='$(go_wanted)'; \
	if [ -n "$$v" ] && [ "$$(printf '%s\n%s\n' "$$w" "$$v" | sort -V | head -1)" != "$$w" ]; then echo auto; else $(GO) env GOTOOLCHAIN 2>/dev/null || echo auto; fi)
endif
STATICCHECK_VERSION := v0.8.2
FYNE_TOOLS_VERSION  := v1.7.4

# Fyne's cgo build (DESIGN.md §3) and the virtual display used by UI tests and screenshots.
APT_BUILD := gcc pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev
APT_UI    := xvfb xauth dbus-x11 xdotool imagemagick haskell-status-notifier-item-utils haskell-gtk-sni-tray-utils locales
APT_BENCH := vdirsyncer khard hyperfine time

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN  := bin/syncguard

.PHONY: go-toolchain all run demo icons build test lint deps apt-deps go-deps bench reliability fuzz screenshots idle package clean help

all: build

# Each larger suite or platform keeps its targets in its own file (mk/e2e.mk, mk/windows.mk…)
# and adds itself to TEST_EXTRA when make test should run it.
TEST_EXTRA :=
-include $(sort $(wildcard mk/*.mk))

help:
	@echo "make run          install what is needed, build, start the tray app"
	@echo "make test         install what is needed, then lint and every test"
	@echo "make demo         the tray app on a sandbox that shows every warning in a minute"
	@echo "make bench        benchmarks against vdirsyncer and khard (writes docs/performance.md)"
	@echo "make reliability  SIGKILL loop, fuzzing, bad-input suite (long)"
	@echo "make screenshots  run the real app under Xvfb and save docs/screenshots/*.png"
	@echo "make idle         idle CPU and memory of every syncguard process under Xvfb, and a window's opening time"
	@echo "make package      build the Linux package with the Fyne packaging tool"
	@echo "make icons        redraw the icons in assets/ (go generate)"

# apt-get only when a package is missing, so repeated runs cost nothing.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

apt-deps:
	$(call apt_install,$(APT_BUILD) $(APT_UI))
	@locale -a 2>/dev/null | grep -qi '^en_US.utf8$$' || { \
		$(SUDO) sed -i 's/^# *en_US.UTF-8/en_US.UTF-8/' /etc/locale.gen && $(SUDO) locale-gen >/dev/null; }

# Go itself: the machine's Go (on PATH or in /usr/local/go), else Debian's golang-go. A go
# older than $(GO_MIN) cannot fetch the release go.mod names (Debian 12's own golang-go is
# 1.19; bookworm-backports has newer ones): the build stops and says what to install.
go-toolchain:
	@if ! command -v $(GO) >/dev/null 2>&1; then \
		echo "no Go found: installing Debian's golang-go"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq golang-go >/dev/null; \
	fi
	@v='$(go_local)'; \
	if [ -z "$$v" ] || [ "$$(printf '%s\n%s\n' "$(GO_MIN)" "$$v" | sort -V | head -1)" != "$(GO_MIN)" ]; then \
		echo "Go $${v:-(none)} is too old: SyncGuard needs Go $(GO_MIN) or newer, which then fetches the release go.mod names by itself."; \
		echo "On Debian 12: apt-get install -t bookworm-backports golang-go (with bookworm-backports in the apt sources), or install Go from its website; then run make again."; \
		exit 1; \
	fi

go-deps: go-toolchain
	@$(GO) mod download
	@command -v staticcheck >/dev/null 2>&1 || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

deps: apt-deps go-deps

build: deps
	$(GO) build -o $(BIN) ./cmd/syncguard

run: build
	./$(BIN) $(ARGS)

# The tray app on a sandbox that shows every warning within a minute (README: Try it).
demo: build
	./$(BIN) demo

# Redraw the tray and app icons (assets/gen-icons) after changing how they are drawn.
icons: go-deps
	$(GO) generate ./assets

lint: go-deps
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$bad" ]; then echo "gofmt would change: $$bad"; exit 1; fi
	$(GO) vet ./...
	CGO_ENABLED=0 GOOS=windows $(GO) vet ./internal/... ./app/...
	staticcheck ./...

# UI tests open real windows, so the whole suite runs inside a virtual display. The
# suites that the fragments in mk/ add (TEST_EXTRA: the end-to-end flows, the Windows
# tests under Wine) run after it, each its own make target.
test: deps lint
	@mkdir -p .cache
	xvfb-run -a -s "-screen 0 1024x768x24" $(GO) test -count=1 ./... 2>&1 | tee .cache/test.log; \
	status=$${PIPESTATUS[0]}; \
	passed=$$(grep -c '^ok ' .cache/test.log); failed=$$(grep -c '^FAIL\s' .cache/test.log); \
	echo "packages: $$passed passed, $$failed failed"; \
	for t in $(TEST_EXTRA); do $(MAKE) --no-print-directory $$t || status=1; done; \
	exit $$status

# Whole-process runs against vdirsyncer and khard on the same generated books, plus the
# Go benchmarks; writes docs/performance.md.
bench: build
	$(call apt_install,$(APT_BENCH))
	$(GO) build -o bin/genbook ./cmd/genbook
	$(GO) run ./scripts/bench -bin $(BIN) -genbook bin/genbook -out docs/performance.md
	CGO_ENABLED=0 $(GO) test -run '^$$' -bench . -benchtime 5x ./internal/exports/ ./internal/history/ ./internal/dupes/ ./app/ | tee docs/go-benchmarks.txt

reliability: deps
	bash scripts/reliability.sh

screenshots: build
	bash scripts/screenshots.sh

# The idle service under Xvfb for a minute, before a window opens and after it closed: CPU
# and resident memory of every syncguard process, and how soon the menu opens a window.
idle: build
	bash scripts/idle.sh

package: deps
	@command -v fyne >/dev/null 2>&1 || $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_TOOLS_VERSION)
	mkdir -p dist && cd cmd/syncguard && fyne package --os linux --release --icon ../../assets/icon-app.png && mv *.tar.xz ../../dist/
	@ls -l dist/

clean:
	rm -rf bin dist .cache/test.log
