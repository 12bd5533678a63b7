#!/usr/bin/env bash
# First-time production setup of the Compose stack in this directory
# (docker-compose.prod.yml, behind an existing Traefik).
#
# Usage:
#   ./setup.sh [--domain HOST] [--admin NAME] [--skip-admin]
#
# 1. Checks the prerequisites: docker with a reachable engine, Docker Compose (the
#    `docker compose` plugin, or docker-compose), and a random source.
# 2. Creates the Traefik network (TRAEFIK_NETWORK, default "traefik") when missing.
# 3. Writes .env from .env.example, readable by its owner only, with a generated
#    database password, the domain (--domain, or asked) and the network's subnet as the
#    trusted proxies. An existing .env is kept unless you answer yes on a terminal
#    (a new password does not change the one an existing database volume was made with).
# 4. Starts the stack (building the image when it is missing): the database, the
#    one-shot migration, two tracker replicas, the backup service.
# 5. Waits until the tracker answers /ready (READY_TIMEOUT seconds, default 180).
# 6. Creates the first admin (--admin NAME, default "admin"; --skip-admin to skip):
#    the password is ADMIN_PASSWORD when set, else asked twice on a terminal, else
#    generated and printed once.
set -euo pipefail
umask 077

cd "$(dirname "${BASH_SOURCE[0]}")"

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

say() { printf 'setup: %s\n' "$*"; }
fail() {
    printf 'setup: %s\n' "$*" >&2
    exit 1
}

domain=
admin="admin"
create_admin=1
while [[ $# -gt 0 ]]; do
    case $1 in
        --domain) [[ $# -ge 2 ]] || fail "--domain needs a host name"; domain=$2; shift 2 ;;
        --domain=*) domain=${1#--domain=}; shift ;;
        --admin) [[ $# -ge 2 ]] || fail "--admin needs a username"; admin=$2; shift 2 ;;
        --admin=*) admin=${1#--admin=}; shift ;;
        --skip-admin) create_admin=0; shift ;;
        -h | --help) usage; exit 0 ;;
        *) fail "unknown argument $1 (see --help)" ;;
    esac
done
ready_timeout=${READY_TIMEOUT:-180}
poll=${READY_POLL_SECONDS:-2}
compose_file=docker-compose.prod.yml

# --- 1. Prerequisites ----------------------------------------------------------------
command -v docker >/dev/null || fail "docker is not installed (https://docs.docker.com/engine/install/)"
docker info >/dev/null 2>&1 || fail "the Docker engine does not answer (is it running, and may this user use it?)"
if docker compose version >/dev/null 2>&1; then
    compose=(docker compose -f "$compose_file")
elif command -v docker-compose >/dev/null; then
    compose=(docker-compose -f "$compose_file")
else
    fail "Docker Compose is not installed (the docker compose plugin, or docker-compose)"
fi
[[ -f .env.example && -f $compose_file ]] || fail "run this script from a copy of the deploy/ directory"

random_hex() { # random_hex BYTES
    if command -v openssl >/dev/null; then
        openssl rand -hex "$1"
    else
        od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
    fi
}

# The value of KEY in .env, if any.
env_value() { sed -n "s/^$1=//p" .env | tail -n 1; }

# --- 2. The Traefik network ----------------------------------------------------------
network=${TRAEFIK_NETWORK:-traefik}
if [[ -f .env && -n $(env_value TRAEFIK_NETWORK) ]]; then
    network=$(env_value TRAEFIK_NETWORK)
fi
if docker network inspect "$network" >/dev/null 2>&1; then
    say "the Docker network $network exists"
else
    docker network create "$network" >/dev/null || fail "cannot create the Docker network $network"
    say "created the Docker network $network (attach Traefik to it)"
fi

# --- 3. .env -------------------------------------------------------------------------
write_env=1
if [[ -e .env ]]; then
    write_env=0
    if [[ -t 0 ]]; then
        read -r -p "setup: .env exists. Replace it with a new one and a new database password? An existing database keeps its old password. [y/N] " answer
        [[ $answer == [yY] || $answer == [yY][eE][sS] ]] && write_env=1
    fi
    [[ $write_env -eq 1 ]] || say "keeping the existing .env"
fi
if [[ $write_env -eq 1 ]]; then
    if [[ -z $domain ]]; then
        [[ -t 0 ]] || fail "pass --domain HOST (the public host name of the tracker)"
        read -r -p "setup: the tracker's public host name (such as tracker.example.org): " domain
    fi
    [[ $domain =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]] || fail "'$domain' is not a host name"
    subnets=$(docker network inspect "$network" --format '{{range .IPAM.Config}}{{.Subnet}} {{end}}' 2>/dev/null || true)
    proxies=
    for subnet in $subnets; do
        [[ $subnet =~ ^[0-9A-Fa-f.:]+/[0-9]+$ ]] && proxies+="${proxies:+,}\"$subnet\""
    done
    password=$(random_hex 24)
    [[ ${#password} -eq 48 ]] || fail "cannot generate a password"
    token_key=$(random_hex 32)
    [[ ${#token_key} -eq 64 ]] || fail "cannot generate the API-token key"
    new=$(mktemp .env.new.XXXXXX)
    trap 'rm -f -- "$new"' EXIT
    sed -e "s/change-this-database-password/$password/g" \
        -e "s/change-this-api-token-key/$token_key/g" \
        -e "s/^TRACKER_HOST=.*/TRACKER_HOST=$domain/" \
        -e "s/^TRAEFIK_NETWORK=.*/TRAEFIK_NETWORK=$network/" \
        .env.example >"$new"
    if [[ -n $proxies ]]; then
        sed -i "s|^APP_SERVER__TRUSTED_PROXIES=.*|APP_SERVER__TRUSTED_PROXIES=[$proxies]|" "$new"
    else
        say "could not read the subnet of $network: check APP_SERVER__TRUSTED_PROXIES in .env"
    fi
    if [[ -e .env ]]; then
        backup_name=".env.replaced-$(date -u +%Y%m%dT%H%M%SZ)"
        mv -- .env "$backup_name"
        say "moved the old .env to $backup_name"
    fi
    mv -- "$new" .env
    trap - EXIT
    say "wrote .env with a generated database password (readable by you only)"
fi

# --- 4. Start ------------------------------------------------------------------------
"${compose[@]}" up -d || fail "the stack did not start; see: ${compose[*]} logs"
say "started the stack"

# --- 5. Wait for /ready ---------------------------------------------------------------
ready() {
    "${compose[@]}" exec -T tracker /usr/local/bin/asset-tracker healthcheck \
        --url http://127.0.0.1:8080/ready --timeout-secs 3 >/dev/null 2>&1
}
waited=0
until ready; do
    if ((waited >= ready_timeout)); then
        fail "the tracker is not ready after ${ready_timeout}s; see: ${compose[*]} logs tracker migrate"
    fi
    sleep "$poll"
    waited=$((waited + (poll > 0 ? poll : 1)))
done
say "the tracker answers /ready"

# --- 6. The first admin ---------------------------------------------------------------
if [[ $create_admin -eq 1 ]]; then
    create=("${compose[@]}" exec -T tracker /usr/local/bin/asset-tracker create-admin --username "$admin")
    if [[ -n ${ADMIN_PASSWORD:-} ]]; then
        printf '%s\n' "$ADMIN_PASSWORD" | "${create[@]}" --password-stdin || fail "create-admin failed"
    elif [[ -t 0 ]]; then
        "${compose[@]}" exec tracker /usr/local/bin/asset-tracker create-admin --username "$admin" ||
            fail "create-admin failed"
    else
        generated=$(random_hex 12)
        printf '%s\n' "$generated" | "${create[@]}" --password-stdin || fail "create-admin failed"
        say "the password of $admin is $generated (shown once: change it after logging in)"
    fi
fi
say "done: https://$(env_value TRACKER_HOST)/ (checks: docs/DEPLOYMENT.md, Verify)"
