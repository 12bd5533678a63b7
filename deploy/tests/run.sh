#!/usr/bin/env bash
# Runs the process-level tests against the release binary: two replicas behind HAProxy
# (replicas.py) and the faults the server must survive (faults.py). Builds the release
# binary once unless ASSET_TRACKER_BIN names one. Runs every script even when one
# fails, then prints one PASS/FAIL line each and exits non-zero if any failed.
#
# Needs root (apt-get for haproxy, runuser for initdb, mount for tmpfs), PostgreSQL at
# TEST_DATABASE_URL and Redis at TEST_REDIS_URL, as in .ci/run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

target="${CARGO_TARGET_DIR:-target}"
if [[ -z "${ASSET_TRACKER_BIN:-}" ]]; then
    cargo build --release -p bin-server --locked
    export ASSET_TRACKER_BIN="$target/release/asset-tracker"
fi

summary=()
failed=0
for script in replicas faults; do
    started=$SECONDS
    if python3 "deploy/tests/$script.py"; then
        summary+=("PASS  $script ($((SECONDS - started)) s)")
    else
        summary+=("FAIL  $script ($((SECONDS - started)) s)")
        failed=1
    fi
done

printf '\n==== Process tests ====\n'
printf '%s\n' "${summary[@]}"
exit "$failed"
