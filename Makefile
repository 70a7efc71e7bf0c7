# Miliê — the two set-up commands are `make dev` and `make test`. Every target installs only
# what is missing, at pinned versions, from the package registries (crates.io, npm, Debian).

SHELL := /bin/bash
.DEFAULT_GOAL := dev

PORT ?= 8787
STATE_DIR ?= .wrangler/state

WORKER_BUILD_VERSION := 0.8.7
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly (pinned =0.2.130 in Cargo.toml).
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/"/,"",$$3); print $$3; exit}' Cargo.lock)

CARGO_BIN := $(HOME)/.cargo/bin
NODE_BIN := $(CURDIR)/node_modules/.bin
WRANGLER := $(NODE_BIN)/wrangler
# Local wrangler commands never prompt and never phone home.
WRANGLER_ENV := CI=true WRANGLER_SEND_METRICS=false

# worker-build would download these from GitHub; point it at the registry-installed ones instead.
export WASM_BINDGEN_BIN := $(CARGO_BIN)/wasm-bindgen
export WASM_OPT_BIN := $(NODE_BIN)/wasm-opt
export ESBUILD_BIN := $(NODE_BIN)/esbuild

# What the module already uses (wasm-bindgen's exception handling among them), all in workerd's V8.
WASM_FEATURES := --enable-exception-handling --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue

SOURCES := Cargo.toml Cargo.lock askama.toml build.rs $(shell find src static -type f)

.PHONY: backup restore install install-rust install-node install-browser install-contract build db dev test test-unit test-integration lint deploy-check deploy admin bench load fuzz clean

## install: toolchain and packages (idempotent; the first run takes ~15 min, then seconds)
install: install-rust install-node

install-rust:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@$(CARGO_BIN)/worker-build --version 2>/dev/null | grep -qx '\(worker-build \)\?$(WORKER_BUILD_VERSION)' \
	  || cargo install worker-build --version $(WORKER_BUILD_VERSION) --locked
	@test -n "$(WASM_BINDGEN_VERSION)" || { echo "no wasm-bindgen in Cargo.lock"; exit 1; }
	@$(WASM_BINDGEN_BIN) --version 2>/dev/null | grep -q ' $(WASM_BINDGEN_VERSION)$$' \
	  || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force

install-node: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

## install-contract: the contract tester (schemathesis from PyPI, pinned) in a local virtual environment
SCHEMATHESIS_VERSION := 4.32.5
install-contract:
	@.venv-contract/bin/schemathesis --version 2>/dev/null | grep -q ' $(SCHEMATHESIS_VERSION)$$' \
	  || { python3 -m venv .venv-contract && .venv-contract/bin/pip install -q --disable-pip-version-check schemathesis==$(SCHEMATHESIS_VERSION); }

## install-browser: Debian's Chromium for the browser tests
install-browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## build: the two workers (release profile, wasm-opt from npm binaryen) — the citizens' portal in
## build/ (wrangler.toml) and the back office in build-office/ (wrangler.office.toml), one crate
## built with feature `citizen` or `office` — and public/ (static/ plus content-hashed copies of
## CSS/JS/images, written by build.rs)
build: install build/index.js build-office/index.js

build/index.js: $(SOURCES)
	$(CARGO_BIN)/worker-build --release --out-dir build --no-default-features --features citizen
	@# Function names and producer notes serve debuggers, not the runtime: ~200 KB raw, ~60 KB
	@# gzipped. worker-build optimises with -O; -Oz on top takes ~3 KB more off the gzipped module.
	$(NODE_BIN)/wasm-opt build/index_bg.wasm -Oz $(WASM_FEATURES) --strip-debug --strip-producers -o build/index_bg.wasm
	@touch $@

build-office/index.js: $(SOURCES) build/index.js
	$(CARGO_BIN)/worker-build --release --out-dir build-office --no-default-features --features office
	$(NODE_BIN)/wasm-opt build-office/index_bg.wasm -Oz $(WASM_FEATURES) --strip-debug --strip-producers -o build-office/index_bg.wasm
	@touch $@

## db: local D1 migrations and seed data in STATE_DIR (safe to run twice)
db: install-node
	$(WRANGLER_ENV) $(WRANGLER) d1 migrations apply DB --local --persist-to $(STATE_DIR)
	@for f in schema/seed/*.sql; do echo "seed $$f"; \
	  $(WRANGLER_ENV) $(WRANGLER) d1 execute DB --local --persist-to $(STATE_DIR) --file $$f >/dev/null || exit 1; done
	@echo "media: institutional video to R2"
	@$(WRANGLER_ENV) $(WRANGLER) r2 object put milie-files/media/video-institutionnelle.webm --local --persist-to $(STATE_DIR) \
	  --file schema/media/video-institutionnelle.webm --content-type video/webm >/dev/null

INBOX_PORT ?= 8025

## bench: the benchmark table (bundle, throughput against a baseline worker at 10 k and 1 M stored
## requests, statistics, daily jobs, page weight, Lighthouse mobile); results in BENCHMARKS.md
bench: build install-browser
	node scripts/bench/run.mjs

## load: 10 000 submissions with the mail API failing 30 %, then with the worker killed mid-burst, then with D1 and R2 failing 10 % each
load: build
	node scripts/load/burst.mjs
	CRASH=1 node scripts/load/burst.mjs
	FAULTS=1 node scripts/load/burst.mjs

## fuzz: every parser of outside input, FUZZ_CASES (100 000) generated cases each, plus the corpus
FUZZ_CASES ?= 100000
fuzz:
	FUZZ_CASES=$(FUZZ_CASES) cargo test --release --locked --test fuzz

## dev: everything above, then the portal on http://localhost:$(PORT) and the dev inbox
## (every mail and SMS the worker sends) on http://localhost:$(INBOX_PORT)
## Both workers run in one `wrangler dev`: the citizens' one on the port, the back office behind it.
dev: build db dev-vars
	@node scripts/dev/office.mjs $(STATE_DIR)/office MAIL_API_URL=http://127.0.0.1:$(INBOX_PORT) SMS_API_URL=http://127.0.0.1:$(INBOX_PORT) COUNT_INVOCATIONS=1 >/dev/null
	@INBOX_PORT=$(INBOX_PORT) WORKER_URL=http://localhost:$(PORT) node scripts/dev-inbox.mjs & inbox=$$!; trap 'kill $$inbox 2>/dev/null' EXIT INT TERM; \
	  WRANGLER_SEND_METRICS=false $(WRANGLER) dev --config wrangler.toml --config $(STATE_DIR)/office/wrangler.toml \
	    --port $(PORT) --persist-to $(STATE_DIR) --test-scheduled \
	    --var MAIL_API_URL:http://127.0.0.1:$(INBOX_PORT) --var SMS_API_URL:http://127.0.0.1:$(INBOX_PORT) --var COUNT_INVOCATIONS:1

# Local secrets: the dev inbox's credentials and a random tracking-link key. Never committed
# (.gitignore); each missing line is added once, existing ones are kept.
.PHONY: dev-vars
dev-vars:
	@touch .dev.vars
	@grep -q '^MAIL_API_KEY=' .dev.vars || echo 'MAIL_API_KEY=dev-mail-key' >> .dev.vars
	@grep -q '^SMS_CLIENT_ID=' .dev.vars || echo 'SMS_CLIENT_ID=dev-sms-client' >> .dev.vars
	@grep -q '^SMS_CLIENT_SECRET=' .dev.vars || echo 'SMS_CLIENT_SECRET=dev-sms-secret' >> .dev.vars
	@grep -q '^TRACKING_SECRET=' .dev.vars || echo "TRACKING_SECRET=$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> .dev.vars
	@# The gateways' callback secrets: the dev inbox's phone reads them here to call the callbacks.
	@grep -q '^USSD_CALLBACK_SECRET=' .dev.vars || echo "USSD_CALLBACK_SECRET=dev-ussd-$$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> .dev.vars
	@grep -q '^SMS_CALLBACK_SECRET=' .dev.vars || echo "SMS_CALLBACK_SECRET=dev-sms-$$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> .dev.vars

## test: lint gates, native unit tests, the offline deploy check, then integration and browser
## tests against the real local runtime
test: build install-browser install-contract lint test-unit deploy-check test-integration

## lint: formatting and clippy, natively and for wasm32 (src/app compiles only there: the whole, then
## each worker of the split build); warnings fail
lint:
	cargo fmt --check
	cargo clippy --all-targets --locked -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --locked -- -D warnings
	@# Each worker of the split build on its own (dead code is judged on the whole, above).
	cargo clippy --lib --target wasm32-unknown-unknown --locked --no-default-features --features citizen -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --locked --no-default-features --features office -- -D warnings

## deploy-check: the staging and production configuration, checked offline (wrangler deploy --dry-run)
deploy-check: build
	node scripts/deploy/check.mjs --env all

# Seeds that are safe everywhere: never 04_staff.sql (development accounts).
SAFE_SEEDS := $(filter-out schema/seed/04_staff.sql,$(sort $(wildcard schema/seed/*.sql)))

## deploy ENV=staging|production: build, check, migrate the remote D1, load the safe seeds and the
## institutional video, deploy (OPERATIONS.md)
deploy: build
	@test "$(ENV)" = staging -o "$(ENV)" = production || { echo "make deploy ENV=staging|production"; exit 2; }
	node scripts/deploy/check.mjs --env $(ENV) --for-deploy
	$(WRANGLER_ENV) $(WRANGLER) d1 migrations apply DB --remote --env $(ENV)
	@for f in $(SAFE_SEEDS); do echo "seed $$f"; \
	  $(WRANGLER_ENV) $(WRANGLER) d1 execute DB --remote --env $(ENV) --file $$f >/dev/null || exit 1; done
	$(WRANGLER_ENV) $(WRANGLER) r2 object put milie-files-$(ENV)/media/video-institutionnelle.webm --remote \
	  --file schema/media/video-institutionnelle.webm --content-type video/webm
	@# The back office first: the citizens' worker's service binding needs it to exist.
	$(WRANGLER_ENV) $(WRANGLER) deploy --env $(ENV) --config wrangler.office.toml
	$(WRANGLER_ENV) $(WRANGLER) deploy --env $(ENV) --config wrangler.toml

## backup ENV=local|staging|production [OUT=dir]: the D1 export, every object it refers to and a
## manifest of checksums (OPERATIONS.md, «Sauvegarde et restauration»)
backup: install-node
	node scripts/ops/backup.mjs backup --env $(ENV) --state $(STATE_DIR) $(if $(OUT),--out $(OUT))

## restore FROM=dir [REPLACE=1]: the local state directory rebuilt from a backup (refuses a database
## that is not empty unless REPLACE=1)
restore: install-node
	@test -n "$(FROM)" || { echo "make restore FROM=backups/<dir> [REPLACE=1]"; exit 2; }
	node scripts/ops/backup.mjs restore --from $(FROM) --state $(STATE_DIR) $(if $(REPLACE),--replace)

## admin EMAIL=… [ENV=local|staging|production]: the first administrator (idempotent)
ENV ?= local
admin: install-node
	node scripts/deploy/admin.mjs --email "$(EMAIL)" --env $(ENV) --persist-to $(STATE_DIR)

test-unit:
	cargo test --locked

# Each worker's output and its dev inbox's calls go to target/test-logs/ (tests/support/worker.mjs);
# a green file removes its own, a failed run shows the end of what is kept and leaves it there.
# What every invocation of the suite cost (D1 statements, subrequests) goes to target/test-costs/;
# a test file fails when one is over its budget, and the largest of each kind is printed at the end.
# A test still running after 15 minutes is hung (no test waits that long on purpose): it fails.
TEST_LOGS := $(CURDIR)/target/test-logs
TEST_COSTS := $(CURDIR)/target/test-costs
# Every distinct SQL statement the suite's workers ran: `make bench` reads their plans at a million rows.
TEST_STATEMENTS := $(CURDIR)/target/test-statements
test-integration:
	@rm -rf $(TEST_LOGS) $(TEST_COSTS) $(TEST_STATEMENTS)
	@TEST_LOG_DIR=$(TEST_LOGS) TEST_COST_DIR=$(TEST_COSTS) TEST_STATEMENT_DIR=$(TEST_STATEMENTS) node --test --test-concurrency=2 --test-timeout=900000 tests/ && node scripts/dev/costs.mjs $(TEST_COSTS) || { \
	  echo "integration tests failed: the logs of the failed files are kept in $(TEST_LOGS)"; \
	  for f in $(TEST_LOGS)/*.log; do [ -e "$$f" ] || continue; echo "=== $$f (last 80 lines)"; tail -n 80 "$$f"; done; exit 1; }

clean:
	rm -rf build build-office target/wasm32-unknown-unknown .wrangler
