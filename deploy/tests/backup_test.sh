#!/usr/bin/env bash
# Backs up and restores real databases with the scripts and commands that
# docs/DEPLOYMENT.md names, and compares every table:
#
# PostgreSQL (server at TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres):
#   a fresh database is migrated by `asset-tracker migrate`, filled by the binary
#   (create-admin, the server's first run: built-in libraries, session schema) and by SQL
#   (a campaign with its pool, missions, events, asset changes, a report, audit rows, an
#   idempotency key, a login session); deploy/backup.sh writes a dump and applies its
#   retention; deploy/restore.sh restores it into another new database and migrates;
#   every table must hold the same rows (psql \copy, sorted), the id sequence the same
#   value, and the session table no rows. Refusals: restoring into a database that is
#   not empty, a file that is no archive, a backup of an unreachable server, a bad KEEP.
# SQLite: `asset-tracker backup --to` of a database file, compared row by row.
#
# Both databases are dropped at the end, whatever happens. Needs psql, pg_dump,
# pg_restore and python3; the binary is ASSET_TRACKER_BIN, else target/debug/asset-tracker
# (built when missing).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
server=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
binary=${ASSET_TRACKER_BIN:-$root/target/debug/asset-tracker}
if [[ ! -x $binary ]]; then
    (cd "$root" && cargo build -p bin-server --locked --quiet)
fi
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
not_ok() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
check() { # check DESCRIPTION COMMAND...: passes when COMMAND succeeds
    local what=$1
    shift
    if "$@" >/dev/null; then ok "$what"; else not_ok "$what"; fi
}

work=$(mktemp -d)
suffix="$$_$(date +%s)"
source_db="asset_tracker_backup_src_$suffix"
target_db="asset_tracker_backup_dst_$suffix"
third_db="asset_tracker_backup_pg_$suffix"
server_pid=
cleanup() {
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    for db in "$source_db" "$target_db" "$third_db"; do
        psql "$server" --no-psqlrc -q -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf -- "$work"
}
trap cleanup EXIT

# The URL of database $1 on the test server (its query string kept).
url_of() {
    local base=${server%%\?*} query=
    [[ $server == *\?* ]] && query="?${server#*\?}"
    printf '%s/%s%s' "${base%/*}" "$1" "$query"
}
sql() { psql "$1" --no-psqlrc -q -v ON_ERROR_STOP=1 -At -c "$2"; }

if ! psql "$server" --no-psqlrc -q -c 'SELECT 1' >/dev/null 2>&1; then
    if [[ ${REQUIRE_POSTGRES:-} == 1 ]]; then
        echo "PostgreSQL is not reachable at the test server and REQUIRE_POSTGRES=1" >&2
        exit 1
    fi
    echo "*** SKIPPED the PostgreSQL backup test: no server at TEST_DATABASE_URL ***" >&2
    skip_postgres=1
else
    skip_postgres=0
fi

if [[ $skip_postgres -eq 0 ]]; then
    source_url=$(url_of "$source_db")
    target_url=$(url_of "$target_db")
    sql "$server" "CREATE DATABASE \"$source_db\""
    sql "$server" "CREATE DATABASE \"$target_db\""

    # --- Fill the source through the binary ---
    export APP_PROFILE=testing
    APP_DATABASE__URL=$source_url "$binary" migrate >/dev/null
    echo 'a long enough password' |
        APP_DATABASE__URL=$source_url "$binary" create-admin --username ops-admin --password-stdin >/dev/null
    # The server's first run installs the built-in libraries and the session schema.
    APP_DATABASE__URL=$source_url "$binary" serve >"$work/server.log" 2>&1 &
    server_pid=$!
    port=
    for _ in $(seq 1 100); do
        port=$(sed -n 's|^asset-tracker listening on http://[^ ]*:\([0-9][0-9]*\)$|\1|p' "$work/server.log")
        [[ -n $port ]] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    [[ -n $port ]] || { cat "$work/server.log" >&2; echo "the server did not start" >&2; exit 1; }
    check "the server's first run on the source answers /ready (healthcheck --url)" \
        "$binary" healthcheck --url "http://127.0.0.1:$port/ready" --timeout-secs 5
    kill "$server_pid"
    wait "$server_pid" || true
    server_pid=

    # --- and by SQL: what the use cases would write ---
    sql "$source_url" "
        WITH c AS (INSERT INTO campaigns (name, description, start_date, status, created_at)
                   VALUES ('Operation Backup', 'restored intact', DATE '2026-01-10', 'Active', now()) RETURNING id),
             p AS (INSERT INTO pool_entries (campaign_id, asset_id, library_id, asset_name, kind, category,
                                             is_unique, initial_quantity, current_quantity, is_public)
                   SELECT c.id, a.id, a.library_id, a.name, a.kind, a.category, false, 10, 8, a.is_public
                   FROM c, (SELECT * FROM assets WHERE NOT is_unique ORDER BY id LIMIT 3) AS a RETURNING id),
             m AS (INSERT INTO missions (campaign_id, name, description, mission_date, location, status, order_index)
                   SELECT id, 'Night raid', '', DATE '2026-01-11', 'Altis', 'Completed', 0 FROM c RETURNING id),
             e AS (INSERT INTO events (mission_id, kind, title, description, occurred_at, location, notes)
                   SELECT id, 'Combat', 'Ambush', 'two lost', now(), 'Kavala', '' FROM m RETURNING id)
        INSERT INTO asset_changes (event_id, pool_entry_id, delta, note)
        SELECT e.id, p.id, -2, 'lost' FROM e, p;
        INSERT INTO campaigns (name, description, start_date, end_date, status, created_at, closed_at)
            VALUES ('Old war', '', DATE '2025-01-01', DATE '2025-02-01', 'Closed', now(), now());
        INSERT INTO campaign_reports (campaign_id, report)
            SELECT id, '{\"pool\": [], \"closed\": true}'::jsonb FROM campaigns WHERE name = 'Old war';
        INSERT INTO audit_log (at, actor_id, actor_name, action, campaign_id, object_kind, object_id, details)
            SELECT now(), NULL, 'ops-admin', 'event.created', m.campaign_id, 'event', e.id, 'by the backup test'
            FROM events AS e JOIN missions AS m ON m.id = e.mission_id;
        INSERT INTO idempotency_keys (key, actor_id, action, object_ids)
            SELECT 'key-1', NULL, 'event.created', id::text FROM events;
        INSERT INTO tower_sessions.session (id, data, expiry_date) VALUES ('a-live-session', '\\x00', now() + interval '1 hour');
    "
    count() { sql "$1" "SELECT count(*) FROM $2"; }
    check "the source holds users, built-in assets, pool entries, changes and a session" \
        test "$(count "$source_url" users)" -ge 1 -a "$(count "$source_url" assets)" -ge 100 \
        -a "$(count "$source_url" pool_entries)" -eq 3 -a "$(count "$source_url" asset_changes)" -eq 3 \
        -a "$(count "$source_url" tower_sessions.session)" -eq 1

    # --- Back up, with retention ---
    backups="$work/backups"
    mkdir -p "$backups"
    for old in 20000101T000000Z 20000102T000000Z 20000103T000000Z; do
        echo "an old backup" >"$backups/asset-tracker-$old.dump"
    done
    DATABASE_URL=$source_url "$root/deploy/backup.sh" -d "$backups" -k 2 | sed 's/^/     /'
    kept=("$backups"/asset-tracker-*)
    dump=${kept[${#kept[@]} - 1]}
    check "backup.sh keeps the newest 2 backups and removes the older ones" \
        test "${#kept[@]}" -eq 2 -a "${kept[0]}" = "$backups/asset-tracker-20000103T000000Z.dump"
    check "the backup is readable by its owner only" test "$(stat -c %a "$dump")" = 600
    check "the backup is a custom-format archive" pg_restore --list "$dump"

    # --- Refusals of backup.sh ---
    check "backup.sh fails on an unreachable server and leaves no partial file" \
        bash -c "! DATABASE_URL='postgres://nobody@127.0.0.1:1/none' '$root/deploy/backup.sh' -d '$work/unreachable' 2>/dev/null \
                 && [ -z \"\$(ls -A '$work/unreachable')\" ]"
    check "backup.sh refuses a KEEP that is not a positive number" \
        bash -c "! DATABASE_URL='$source_url' BACKUP_KEEP=0 '$root/deploy/backup.sh' -d '$work/keep0' 2>/dev/null"

    # --- Restore into a new, empty database ---
    DATABASE_URL=$target_url ASSET_TRACKER_BIN=$binary "$root/deploy/restore.sh" "$dump" | sed 's/^/     /'

    tables=$(sql "$source_url" "SELECT table_schema || '.' || table_name FROM information_schema.tables
                                WHERE table_type = 'BASE TABLE' AND table_schema IN ('public', 'tower_sessions')
                                ORDER BY 1")
    same=1
    compared=0
    for table in $tables; do
        [[ $table == tower_sessions.* ]] && continue
        compared=$((compared + 1))
        psql "$source_url" --no-psqlrc -q -c "\\copy $table TO '$work/a.tsv'"
        psql "$target_url" --no-psqlrc -q -c "\\copy $table TO '$work/b.tsv'"
        if ! cmp -s <(sort "$work/a.tsv") <(sort "$work/b.tsv"); then
            same=0
            echo "     $table differs after the restore" >&2
        fi
    done
    check "every table of the restored database holds the same rows ($compared tables)" test "$same" -eq 1 -a "$compared" -ge 12
    check "the id sequence continues where it was" \
        test "$(sql "$source_url" 'SELECT last_value FROM object_ids')" = "$(sql "$target_url" 'SELECT last_value FROM object_ids')"
    check "login sessions are not restored, their table is" test "$(count "$target_url" tower_sessions.session)" -eq 0
    check "asset-tracker migrate finds the restored database up to date" \
        env APP_DATABASE__URL="$target_url" "$binary" migrate

    # --- Refusals of restore.sh ---
    check "restore.sh refuses a database that is not empty" \
        bash -c "DATABASE_URL='$target_url' ASSET_TRACKER_BIN='$binary' '$root/deploy/restore.sh' '$dump' 2>&1 >/dev/null |
                 grep -q 'is not empty'; [ \"\${PIPESTATUS[0]}\" -ne 0 ]"
    check "the migration history of the restored database can be listed (docs/MIGRATIONS.md)" \
        test "$(psql "$target_url" --no-psqlrc -At -c 'SELECT version, description, installed_on, success FROM _sqlx_migrations ORDER BY version' | grep -c '|t$')" \
        -eq "$(find "$root/migrations/postgres" -name '*.sql' | wc -l)"

    # --- Restore with libpq's variables and --skip-migrate, as the backup service does ---
    sql "$server" "CREATE DATABASE \"$third_db\""
    restore_with_libpq() {
        env -u DATABASE_URL -u APP_DATABASE__URL PGDATABASE="$third_db" \
            PGHOST="$(sed -E 's|^[a-z]+://([^@/]*@)?([^:/?]+).*|\2|' <<<"$server")" \
            PGUSER="$(sed -E 's|^[a-z]+://([^:@/]+).*|\1|' <<<"$server")" \
            "$root/deploy/restore.sh" --skip-migrate "$dump"
    }
    check "restore.sh --skip-migrate restores with PGHOST/PGUSER/PGDATABASE alone" restore_with_libpq
    check "... the same users" test "$(count "$(url_of "$third_db")" users)" -eq "$(count "$source_url" users)"

    echo "not an archive" >"$work/bogus.dump"
    check "restore.sh refuses a file that is not an archive" \
        bash -c "! DATABASE_URL='$target_url' ASSET_TRACKER_BIN='$binary' '$root/deploy/restore.sh' '$work/bogus.dump' 2>/dev/null"
    unset APP_PROFILE
fi

# --- SQLite: asset-tracker backup --to ---
sqlite_db="$work/sqlite/tracker.db"
APP_DATABASE__URL="sqlite://$sqlite_db" "$binary" migrate >/dev/null
echo 'a long enough password' |
    APP_DATABASE__URL="sqlite://$sqlite_db" "$binary" create-admin --username ops-admin --password-stdin >/dev/null
(cd "$work" && APP_DATABASE__URL="sqlite://$sqlite_db" "$binary" backup --to sqlite-copy.db) | sed 's/^/     /'
check "asset-tracker backup --to copies every row of the SQLite database" python3 - "$sqlite_db" "$work/sqlite-copy.db" <<'EOF'
import sqlite3, sys
def rows(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    tables = [t for (t,) in db.execute("SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}
a, b = rows(sys.argv[1]), rows(sys.argv[2])
sys.exit(0 if a == b and len(a.get("users", [])) == 1 else 1)
EOF
check "asset-tracker backup --to refuses to overwrite its own earlier copy" \
    bash -c "cd '$work' && ! APP_DATABASE__URL='sqlite://$sqlite_db' '$binary' backup --to sqlite-copy.db 2>/dev/null"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
