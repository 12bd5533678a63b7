#!/usr/bin/env bash
# Runs deploy/setup.sh on a copy of deploy/ with `docker` replaced by a fake on PATH
# (tests/fake/docker), without a terminal, and checks what it leaves:
#   - a first run creates the Traefik network, writes .env (owner-only) with a generated
#     48-digit password in both places that need it and no example password, the domain
#     and the network's subnet as trusted proxies; starts the stack, waits for /ready
#     and creates the admin with a generated password it prints once;
#   - a second run keeps .env byte for byte, creates no network, and with --skip-admin
#     creates no admin;
#   - it refuses a bad domain, a missing domain, a missing docker, and gives up with a
#     non-zero exit when /ready never answers.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
deploy=$(dirname "$here")
passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
not_ok() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then ok "$what"; else not_ok "$what"; fi
}
fails() { ! "$@"; }
lacks() { ! grep -q -- "$2" "$1"; } # lacks FILE TEXT
matches() { [[ $2 =~ $1 ]]; }      # matches REGEX VALUE

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT

# A fresh copy of deploy/ and a fresh fake engine; prints the copy's directory.
fresh() {
    local dir="$work/$1"
    mkdir -p "$dir/deploy" "$dir/state"
    cp "$deploy/setup.sh" "$deploy/.env.example" "$deploy/docker-compose.prod.yml" "$dir/deploy/"
    : >"$dir/docker.log"
    printf '%s' "$dir"
}

# run DIR ARGS...: setup.sh in DIR's copy, no terminal, the fake docker first on PATH.
run() {
    local dir=$1
    shift
    PATH="$here/fake:$PATH" FAKE_DOCKER_LOG="$dir/docker.log" FAKE_DOCKER_STATE="$dir/state" \
        READY_POLL_SECONDS=0 READY_TIMEOUT="${READY_TIMEOUT:-20}" \
        bash "$dir/deploy/setup.sh" "$@" </dev/null >"$dir/out.log" 2>&1
}

# env_run VAR=VALUE... -- DIR ARGS...: run with extra variables.
env_run() {
    local vars=()
    while [[ $1 != -- ]]; do vars+=("$1"); shift; done
    shift
    (export "${vars[@]}"; run "$@")
}

# --- A first run ---
dir=$(fresh first)
check "a first run succeeds" run "$dir" --domain tracker.example.org
env_file="$dir/deploy/.env"
value() { sed -n "s/^$1=//p" "$env_file"; }
password=$(value POSTGRES_PASSWORD)
check "it writes .env readable by its owner only" test "$(stat -c %a "$env_file")" = 600
check "the database password is 48 generated hex digits" \
    matches '^[0-9a-f]{48}$' "$password"
check "no example password is left anywhere in .env" \
    lacks "$env_file" change-this
check "the API-token key is 64 generated hex digits, not the password" \
    matches '^[0-9a-f]{64}$' "$(value APP_SECURITY__API_TOKEN_KEY)"
check "the database URL carries the same password" \
    test "$(value APP_DATABASE__URL)" = "postgres://asset_tracker:$password@db:5432/asset_tracker"
check "the domain is the router's host" test "$(value TRACKER_HOST)" = tracker.example.org
check "the proxy network's subnet is the trusted proxies" \
    test "$(value APP_SERVER__TRUSTED_PROXIES)" = '["172.30.0.0/16"]'
check "every other line of .env.example is kept" \
    test "$(grep -c '' "$env_file")" -eq "$(grep -c '' "$deploy/.env.example")"
check "it creates the missing Traefik network" grep -qx 'network create traefik' "$dir/docker.log"
check "it starts the production stack" grep -qx 'compose -f docker-compose.prod.yml up -d' "$dir/docker.log"
check "it waits until /ready answers (two checks)" \
    test "$(grep -c 'healthcheck --url http://127.0.0.1:8080/ready' "$dir/docker.log")" -eq 2
check "it creates the admin through the tracker container" \
    grep -q 'exec -T tracker /usr/local/bin/asset-tracker create-admin --username admin --password-stdin' "$dir/docker.log"
admin_password=$(cat "$dir/state/admin-password")
check "the admin's generated password is printed once" \
    test "${#admin_password}" -eq 24 -a "$(grep -c "$admin_password" "$dir/out.log")" -eq 1
check "no temporary file is left next to .env" \
    test -z "$(find "$dir/deploy" -name '.env.new.*')"

# --- A second run on the same directory ---
before=$(sha256sum "$env_file")
: >"$dir/docker.log"
check "a second run succeeds" run "$dir" --domain other.example.org --skip-admin
check "it keeps .env byte for byte" test "$(sha256sum "$env_file")" = "$before"
check "it says it keeps .env" grep -q 'keeping the existing .env' "$dir/out.log"
check "it creates no network that exists" lacks "$dir/docker.log" "network create"
check "with --skip-admin it creates no admin" lacks "$dir/docker.log" create-admin

# --- Refusals ---
dir=$(fresh bad-domain)
check "a domain that is no host name is refused" fails run "$dir" --domain 'evil/example;rm'
check "... saying so" grep -q "is not a host name" "$dir/out.log"
check "... and no .env is written" test ! -e "$dir/deploy/.env"
dir=$(fresh no-domain)
check "without a terminal, a missing domain is refused" fails run "$dir"
check "... naming --domain" grep -q -- "pass --domain" "$dir/out.log"
dir=$(fresh no-docker)
# A PATH with the few tools setup.sh uses before it looks for docker, and no docker.
mkdir -p "$work/bin"
ln -s "$(command -v dirname)" "$work/bin/dirname"
no_docker() { PATH="$work/bin" "$BASH" "$dir/deploy/setup.sh" --domain t.example.org </dev/null 2>"$dir/err"; }
check "without docker it stops" fails no_docker
check "... saying so" grep -q "docker is not installed" "$dir/err"
dir=$(fresh never-ready)
check "when /ready never answers it gives up with a non-zero exit" \
    fails env_run FAKE_READY_AFTER=0 READY_TIMEOUT=3 -- "$dir" --domain t.example.org
check "... naming the time it waited" grep -q "not ready after 3s" "$dir/out.log"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
