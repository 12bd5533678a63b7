#!/usr/bin/env bash
# Restores a backup written by deploy/backup.sh into an EMPTY PostgreSQL database, then
# applies any migrations newer than the backup with `asset-tracker migrate`.
#
# Usage:
#   deploy/restore.sh [--skip-migrate] BACKUP.dump
#
# The database: DATABASE_URL, else APP_DATABASE__URL (postgres://user:password@host/db);
# with --skip-migrate, libpq's own variables (PGHOST, PGUSER, PGPASSWORD, PGDATABASE...)
# will do too, as in the Compose stack's backup service.
# It must exist and hold no table, view or sequence: this script never overwrites data.
# To replace a database, stop the tracker, drop and re-create the database, then
# restore (docs/DEPLOYMENT.md, "Restore a backup").
# The binary: ASSET_TRACKER_BIN, else `asset-tracker` on PATH. With --skip-migrate
# (where the binary is elsewhere, such as another container), run
# `asset-tracker migrate` yourself before starting the tracker.
#
# The restore is one transaction: on any error nothing is restored. Objects are owned
# by the user restoring them (--no-owner), so the backup may come from another server.
set -euo pipefail

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

fail() {
    printf 'restore: %s\n' "$*" >&2
    exit 1
}

migrate=1
while [[ $# -gt 0 ]]; do
    case $1 in
        --skip-migrate) migrate=0; shift ;;
        -h | --help) usage; exit 0 ;;
        --) shift; break ;;
        -*) fail "unknown option $1 (see --help)" ;;
        *) break ;;
    esac
done
[[ $# -eq 1 ]] || fail "name one backup file (see --help)"
backup=$1
[[ -f $backup ]] || fail "$backup is not a file"

url=${DATABASE_URL:-${APP_DATABASE__URL:-}}
connection=()
if [[ -n $url ]]; then
    [[ $url == postgres://* || $url == postgresql://* ]] || fail "the database URL is not a PostgreSQL URL"
    connection=(--dbname="$url")
elif [[ $migrate -eq 1 ]]; then
    fail "set DATABASE_URL (or APP_DATABASE__URL) to the database to restore into (or pass --skip-migrate and use PGHOST, PGDATABASE...)"
elif [[ -z ${PGDATABASE:-} ]]; then
    fail "set DATABASE_URL, or PGDATABASE and the other libpq variables, to the database to restore into"
else
    connection=(--dbname="$PGDATABASE")
fi
for tool in psql pg_restore; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (PostgreSQL client tools)"
done
binary=${ASSET_TRACKER_BIN:-asset-tracker}
if [[ $migrate -eq 1 ]]; then
    command -v "$binary" >/dev/null || fail "$binary not found: set ASSET_TRACKER_BIN, or pass --skip-migrate"
fi

pg_restore --list "$backup" >/dev/null || fail "$backup is not a pg_dump custom-format archive"

existing=$(psql "${connection[@]}" --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 --command="
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'") ||
    fail "cannot reach the database to check that it is empty"
[[ $existing == 0 ]] ||
    fail "the database is not empty ($existing tables, views or sequences); restore only into a new, empty database"

pg_restore "${connection[@]}" --no-owner --no-privileges --single-transaction --exit-on-error "$backup" ||
    fail "pg_restore failed; nothing was restored"
printf 'restore: restored %s\n' "$backup"

if [[ $migrate -eq 1 ]]; then
    APP_DATABASE__URL=$url "$binary" migrate || fail "the data is restored, but asset-tracker migrate failed"
else
    printf 'restore: now run asset-tracker migrate against this database before starting the tracker\n'
fi
