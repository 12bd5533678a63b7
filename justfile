# Shortcuts for everyday commands. The README's commands never need just:
# each recipe is a plain cargo (or bash) command you can type yourself.

# All tests (CI runs the same with --locked).
test:
    cargo nextest run --workspace

# Formatting check and clippy with warnings as errors.
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

# Format the whole workspace.
fmt:
    cargo fmt --all

# Type-check every crate, tests included.
check:
    cargo check --workspace --all-targets

# The full CI run: formatting, lints and every test.
ci:
    bash .ci/run

# Serve on embedded SQLite (./data/).
run:
    cargo run

# Serve on PostgreSQL: DATABASE_URL=postgres://user:password@host/db just run-pg
run-pg:
    test -n "${DATABASE_URL:-}" || { echo "set DATABASE_URL=postgres://..." >&2; exit 1; }
    cargo run

# Apply database migrations.
migrate:
    cargo run -- migrate

# Create an admin account; asks for the password twice.
create-admin username:
    cargo run -- create-admin --username {{username}}

# Load benchmark (about 15 minutes on 2 cores): builds the release server, seeds PostgreSQL
# (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
# and SQLite with a standard and a large dataset, loads every endpoint with wrk and writes
# the report into docs/BENCHMARKS.md. BENCH_SMOKE=1 BENCH_BUILD=debug: a quick smoke, which CI runs.
bench:
    #!/usr/bin/env bash
    set -euo pipefail
    if ! command -v wrk >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            apt-get install -y -qq --no-install-recommends wrk >/dev/null \
                || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
        else
            echo "just bench needs wrk: sudo apt-get install wrk" >&2
            exit 1
        fi
    fi
    if [ "${BENCH_BUILD:-release}" = debug ]; then cargo build -p bin-server; else cargo build --release -p bin-server; fi
    cargo run -q -p bench

# Store micro-benchmarks (release build, a few minutes): ledger writes and the dashboard
# read path through the use cases, on memory, SQLite and PostgreSQL (TEST_DATABASE_URL;
# skipped when unreachable).
bench-store:
    cargo bench -p bin-server --bench ledger_writes --bench dashboard_read
