#!/usr/bin/env bash
# Backs up the tracker's PostgreSQL database with pg_dump, in the custom format that
# pg_restore reads (deploy/restore.sh), keeping the newest KEEP backups.
#
# Usage:
#   deploy/backup.sh [-d DIR] [-k KEEP]
#
# The database: DATABASE_URL, else APP_DATABASE__URL (postgres://user:password@host/db),
# else libpq's own variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).
# DIR: -d, else BACKUP_DIR, else ./backups (created when missing).
# KEEP: -k, else BACKUP_KEEP, else 14; older backups in DIR are deleted.
#
# Each backup is DIR/asset-tracker-YYYYMMDDTHHMMSSZ.dump (UTC), readable by its owner
# only. It is written under a .partial name, checked with `pg_restore --list`, and only
# then renamed, so a file with the final name is always a complete archive. Login
# sessions are left out (their table's definition is kept, not its rows): a restore
# logs everyone out instead of reviving old session ids.
#
# Exits non-zero, leaving no partial file, on any failure. pg_dump's major version must
# be at least the server's.
set -euo pipefail
umask 077

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

fail() {
    printf 'backup: %s\n' "$*" >&2
    exit 1
}

dir=${BACKUP_DIR:-./backups}
keep=${BACKUP_KEEP:-14}
while getopts ':d:k:h' option; do
    case $option in
        d) dir=$OPTARG ;;
        k) keep=$OPTARG ;;
        h) usage; exit 0 ;;
        :) fail "-$OPTARG needs a value (see -h)" ;;
        *) fail "unknown option -$OPTARG (see -h)" ;;
    esac
done
shift $((OPTIND - 1))
[[ $# -eq 0 ]] || fail "unexpected argument: $1 (see -h)"
[[ $keep =~ ^[1-9][0-9]*$ ]] || fail "KEEP must be a whole number of at least 1, not '$keep'"
for tool in pg_dump pg_restore; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (PostgreSQL client tools)"
done

url=${DATABASE_URL:-${APP_DATABASE__URL:-}}
if [[ -n $url && $url != postgres://* && $url != postgresql://* ]]; then
    fail "the database URL is not a PostgreSQL URL; for SQLite use: asset-tracker backup --to FILE"
fi
connection=()
[[ -n $url ]] && connection=(--dbname="$url")

mkdir -p -- "$dir"
file="$dir/asset-tracker-$(date -u +%Y%m%dT%H%M%SZ).dump"
partial="$file.partial"
[[ ! -e $file ]] || fail "$file already exists (one backup a second at most)"
trap 'rm -f -- "$partial"' EXIT

pg_dump "${connection[@]}" --format=custom --compress=6 \
    --exclude-table-data='tower_sessions.*' --file="$partial" ||
    fail "pg_dump failed; no backup was written"
pg_restore --list "$partial" >/dev/null || fail "the archive pg_dump wrote does not read back; removed it"
mv -- "$partial" "$file"
trap - EXIT
printf 'backup: wrote %s (%s bytes)\n' "$file" "$(wc -c <"$file" | tr -d ' ')"

# Retention: names sort by time, oldest first.
shopt -s nullglob
backups=("$dir"/asset-tracker-*.dump)
excess=$((${#backups[@]} - keep))
for ((i = 0; i < excess; i++)); do
    rm -f -- "${backups[i]}"
    printf 'backup: removed %s (keeping the newest %s)\n' "${backups[i]}" "$keep"
done
