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

# Benchmarks (release build, a few minutes on 2 cores): ledger writes, the dashboard
# read path and the HTTP server; PostgreSQL parts use TEST_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/postgres) and are skipped when it is unreachable.
# Results and how to read them: docs/BENCHMARKS.md.
bench:
    cargo bench -p bin-server --bench ledger_writes --bench dashboard_read --bench http_server
