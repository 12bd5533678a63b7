#!/usr/bin/env python3
"""Two replicas of the release binary behind HAProxy terminating TLS, on one PostgreSQL.

Proves, through the proxy as a browser sees it: a login made on one replica is valid on
the other; the session cookie is `__Host-` and `Secure`; HSTS is sent; the per-address
rate limit counts the client's address (the proxy appends X-Forwarded-For; a client's own
X-Forwarded-For buys it nothing), so one client limited leaves another untouched; the
per-account login throttle holds across replicas and addresses; and a rolling restart
under a steady stream of page reads and event writes loses no request and no
acknowledged write.

Needs: the release binary (cargo build --release -p bin-server --locked), PostgreSQL at
TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), Redis at
TEST_REDIS_URL (default redis://127.0.0.1:6379), haproxy and openssl (installed from
Debian's packages when missing, as root). Run: python3 deploy/tests/replicas.py
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    ADMIN_PASSWORD,
    EVENTS_WITHOUT_ONE_CHANGE_SQL,
    LEDGER_BROKEN_SQL,
    ADMIN_USER,
    BINARY,
    Client,
    Load,
    Report,
    Server,
    acknowledged,
    base_env,
    free_port,
    log,
    panicked,
    prepare_database,
    psql,
    run,
    set_up_mission,
    summarize,
    wait_until,
    with_database,
)

SERVER_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
REQUESTS_PER_MINUTE = 60
SHUTDOWN_TIMEOUT_SECS = 10
# Load workers spread over these source addresses, so the steady stream never meets the
# per-address limit that the rate-limit check proves on 127.0.0.2.
LOAD_SOURCES = [f"127.1.{a}.{b}" for a in range(1, 9) for b in range(1, 255)]

HAPROXY_CONFIG = """
global
    log stdout format raw local0 info
    stats socket {socket} level admin
    tune.ssl.default-dh-param 2048

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 30s
    timeout server 35s
    timeout http-request 10s
    # A request that meets a replica going away (refused, reset, closed before any
    # answer) is sent again, to the other replica; the forms carry idempotency keys,
    # so a retried write cannot be recorded twice.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response junk-response response-timeout

frontend https
    bind 127.0.0.1:{https_port} ssl crt {pem}
    option forwardfor
    http-request set-header X-Forwarded-Proto https
    http-response set-header X-Replica %s
    default_backend tracker

backend tracker
    balance roundrobin
    option httpchk GET /ready
    http-check expect status 200
    default-server inter 250ms fastinter 250ms downinter 250ms fall 1 rise 2
    server r1 127.0.0.1:{port1} check
    server r2 127.0.0.1:{port2} check
"""


def ensure_tools() -> None:
    missing = [tool for tool in ("haproxy", "openssl", "psql") if shutil.which(tool) is None]
    if missing:
        log(f"installing {' '.join(missing)} from Debian's packages")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        packages = ["haproxy" if m == "haproxy" else "openssl" if m == "openssl" else "postgresql-client" for m in missing]
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=True, env=env)


def haproxy_status(sock: Path) -> dict[str, str]:
    """Each replica's status as HAProxy sees it (UP, DOWN, ...)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(sock))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    lines = data.decode().splitlines()
    header = lines[0].lstrip("# ").split(",")
    status: dict[str, str] = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(",")))
        if row.get("pxname") == "tracker" and row.get("svname") in ("r1", "r2"):
            status[row["svname"]] = row["status"]
    return status


def main() -> None:
    report = Report("Replicas behind HAProxy")
    ensure_tools()
    if not BINARY.exists():
        report.fail("release binary", f"{BINARY} is missing: cargo build --release -p bin-server --locked")
        report.finish()
    work = Path(tempfile.mkdtemp(prefix="asset-tracker-replicas-"))
    database = f"asset_tracker_replicas_{os.getpid()}_{int(time.time())}"
    psql(SERVER_URL, f'CREATE DATABASE "{database}"')
    url = with_database(SERVER_URL, database)
    servers: list[Server] = []
    proxy = None
    try:
        pem = work / "proxy.pem"
        run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
             "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")])
        pem.write_text((work / "cert.pem").read_text() + (work / "key.pem").read_text())

        ports = [free_port(), free_port()]
        https_port = free_port()
        common = {
            "APP_SERVER__TRUSTED_PROXIES": '["127.0.0.1/32"]',
            "APP_SECURITY__REQUESTS_PER_MINUTE": str(REQUESTS_PER_MINUTE),
            "APP_SERVER__SHUTDOWN_TIMEOUT_SECS": str(SHUTDOWN_TIMEOUT_SECS),
            "APP_REDIS__URL": REDIS_URL,
            "APP_REDIS__KEY_PREFIX": f"replicas-test-{os.getpid()}-{int(time.time())}",
        }
        prepare_database(base_env(url, ports[0], **common))
        for n, port in enumerate(ports, 1):
            server = Server(f"r{n}", base_env(url, port, **common), work, port)
            server.start()
            servers.append(server)
        for server in servers:
            if not server.ready():
                raise AssertionError(f"{server.name} never became ready:\n{server.output()[-3000:]}")

        sock = work / "haproxy.sock"
        config = work / "haproxy.cfg"
        config.write_text(HAPROXY_CONFIG.format(socket=sock, https_port=https_port, pem=pem, port1=ports[0], port2=ports[1]))
        run(["haproxy", "-c", "-q", "-f", str(config)])
        proxy = subprocess.Popen(["haproxy", "-db", "-f", str(config)], stdout=open(work / "haproxy.log", "w"), stderr=subprocess.STDOUT)
        both_up = lambda: sock.exists() and haproxy_status(sock) == {"r1": "UP", "r2": "UP"}  # noqa: E731
        if not wait_until(both_up, 15):
            raise AssertionError(f"HAProxy never saw both replicas up: {(work / 'haproxy.log').read_text()[-2000:]}")

        def browser(source: str | None = None, sources: list[str] | None = None) -> Client:
            return Client("127.0.0.1", https_port, tls=True, source=source, sources=sources)

        check_session_and_headers(report, browser)
        check_rate_limit(report, browser)
        check_login_throttle(report, browser)
        check_rolling_restart(report, browser, servers, sock, url, work / "haproxy.log")
        for server in servers:
            report.check(f"{server.name} never panicked", not panicked(server.output()), "; ".join(panicked(server.output()))[:500])
    except Exception as e:  # noqa: BLE001 - any failure is reported, then cleaned up
        report.fail("the run completed", f"{type(e).__name__}: {e}")
        for server in servers:
            print(f"---- {server.name} log tail\n{server.output()[-2000:]}")
    finally:
        if proxy:
            proxy.terminate()
            proxy.wait()
        for server in servers:
            server.kill()
        psql(SERVER_URL, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)
    report.finish()


def check_session_and_headers(report: Report, browser) -> None:
    admin = browser(source="127.0.0.20")
    login = admin.log_in(ADMIN_USER, ADMIN_PASSWORD)
    report.check("logging in through the proxy answers 303", login.status == 303, f"{login.status} {login.body[:200]}")
    logged_on = login.header("x-replica")
    cookies = [c for c in admin.set_cookies if c.startswith("__Host-")]
    cookie = cookies[-1] if cookies else ""
    attributes = [a.strip().lower() for a in cookie.split(";")[1:]]
    report.check(
        "the session cookie is __Host-, Secure, HttpOnly, Path=/ and has no Domain",
        bool(cookie) and "secure" in attributes and "httponly" in attributes and "path=/" in attributes
        and not any(a.startswith("domain") for a in attributes),
        cookie or f"no __Host- cookie among {admin.set_cookies}",
    )
    hsts = login.header("strict-transport-security") or ""
    report.check("HSTS is sent through the proxy", "max-age=" in hsts, hsts or "missing")
    seen: dict[str, int] = {}
    for _ in range(6):
        page = admin.get("/manage")
        replica = page.header("x-replica") or "?"
        if page.status == 200 and "Log out" in page.body:
            seen[replica] = seen.get(replica, 0) + 1
        else:
            seen[f"{replica} refused {page.status}"] = 1
    report.check(
        f"a login made on {logged_on} is valid on both replicas (session in the database)",
        set(seen) == {"r1", "r2"},
        f"staff page answered by {seen}",
    )


def check_rate_limit(report: Report, browser) -> None:
    noisy, quiet = browser(source="127.0.0.2"), browser(source="127.0.0.3")
    limited_after = None
    began = time.monotonic()
    for n in range(1, 3 * REQUESTS_PER_MINUTE):
        # The client's own X-Forwarded-For changes each time: were it believed, every
        # request would have a budget of its own.
        response = noisy.get("/login", headers={"X-Forwarded-For": f"10.9.{n // 250}.{n % 250}"})
        if response.status == 429:
            limited_after = n
            break
    report.check(
        f"a client over {REQUESTS_PER_MINUTE} requests a minute is limited, whatever X-Forwarded-For it sends",
        limited_after is not None,
        f"first 429 at request {limited_after}",
    )
    # One shared budget allows the burst plus what refills meanwhile (one a second at 60
    # a minute); a budget per replica would allow twice as much.
    took = time.monotonic() - began
    shared_bound = REQUESTS_PER_MINUTE + took * REQUESTS_PER_MINUTE / 60 + 5
    report.check(
        "the limit is shared by the replicas (Redis), not one budget per replica",
        limited_after is not None and limited_after <= shared_bound,
        f"first 429 at request {limited_after} after {took:.1f} s with round-robin over two replicas (bound {shared_bound:.0f})",
    )
    statuses = [quiet.get("/login").status for _ in range(4)]
    report.check("another client address behind the same proxy is not limited", statuses == [200] * 4, f"{statuses}")


def check_login_throttle(report: Report, browser) -> None:
    admin = browser(source="127.0.0.21")
    admin.log_in(ADMIN_USER, ADMIN_PASSWORD)
    created = admin.submit("/admin/users/new", {"username": "sgt.throttle", "role": "manager", "password": "manager password 1"})
    report.check("an admin creates a manager through the form", created.status == 303, f"{created.status} {created.body[:200]}")
    attempts = []
    for n in range(7):
        # Each attempt from its own address, so only the per-account throttle can count
        # them, and on the replicas in turn: the round robin sends the POST to the
        # replica after the one that served the form, so when the form came from the
        # replica wanted, one GET /health moves the turn on.
        client = browser(source=f"127.0.0.{30 + n}")
        wanted = ("r1", "r2")[n % 2]
        form = client.get("/login")
        if form.header("x-replica") == wanted:
            client.get("/health")
        password = f"wrong password {n}" if n < 5 else "manager password 1"
        response = client.post("/login", {"csrf_token": form.hidden("csrf_token"), "username": "sgt.throttle", "password": password, "next": ""})
        attempts.append((response.header("x-replica"), response.status, response.header("retry-after")))
    failures, after = attempts[:5], attempts[5:]
    report.check(
        "the first failed logins, spread over both replicas and five addresses, are refused as invalid (422)",
        all(status == 422 for _, status, _ in failures[:4]) and {r for r, _, _ in failures} == {"r1", "r2"},
        f"{failures}",
    )
    report.check(
        "the fifth failure locks the username (422 or 429)", failures[4][1] in (422, 429), f"{failures[4]}"
    )
    report.check(
        "the next logins, even with the right password, are 429 with Retry-After on both replicas",
        all(status == 429 and retry for _, status, retry in after) and {r for r, _, _ in after} == {"r1", "r2"},
        f"{after}",
    )


def check_rolling_restart(report: Report, browser, servers: list[Server], sock: Path, url: str, haproxy_log: Path) -> None:
    admin = browser(source="127.0.0.22")
    admin.log_in(ADMIN_USER, ADMIN_PASSWORD)
    mission = set_up_mission(admin, "Rolling")

    def worker_client(n: int) -> Client:
        client = browser(sources=LOAD_SOURCES[n::4])
        client.cookies = dict(admin.cookies)
        return client

    load = Load(worker_client, mission, "rolling", workers=4).start()
    time.sleep(2.5)
    for server in servers:
        code, took = server.terminate(timeout=SHUTDOWN_TIMEOUT_SECS + 5)
        report.check(f"{server.name} stops on SIGTERM within its {SHUTDOWN_TIMEOUT_SECS} s shutdown timeout",
                     code == 0 and took <= SHUTDOWN_TIMEOUT_SECS + 1, f"exit {code} after {took:.2f} s")
        server.start()
        report.check(f"{server.name} restarts and answers /ready", server.ready(), "")
        up = wait_until(lambda: haproxy_status(sock) == {"r1": "UP", "r2": "UP"}, 15)
        report.check(f"HAProxy sees {server.name} up again", bool(up), f"{haproxy_status(sock)}")
        time.sleep(2.5)
    outcomes = load.stop()
    log(f"rolling restart load: {summarize(outcomes)}")
    # HAProxy's log line shows retries as the last of its five connection counts, with
    # a "+" when the request was redispatched to the other replica.
    retried = re.findall(r" [-A-Za-z]{4} \d+/\d+/\d+/\d+/\+?([1-9]\d*) ", haproxy_log.read_text())
    log(f"requests HAProxy sent again during the restarts: {len(retried)}")
    bad = [o for o in outcomes if not o.ok()]
    report.check(
        f"every one of {len(outcomes)} requests during the rolling restart was answered 2xx/3xx, none sent to log in",
        len(outcomes) > 100 and not bad,
        "; ".join(f"{o.kind} {o.path} -> {o.status} {o.location} {o.error} {o.body[:120]}" for o in bad[:5]) or f"{summarize(outcomes)}",
    )
    acked = {o.title for o in outcomes if acknowledged(o)}
    stored = psql(url, f"SELECT title FROM events WHERE mission_id = {mission.id}")
    missing = acked - set(stored)
    duplicates = {t for t in stored if stored.count(t) > 1}
    report.check(
        f"every acknowledged event ({len(acked)}) is in the database, once",
        acked and not missing and not duplicates,
        f"missing {sorted(missing)[:5]}, duplicated {sorted(duplicates)[:5]}",
    )
    broken = psql(url, LEDGER_BROKEN_SQL) + psql(url, EVENTS_WITHOUT_ONE_CHANGE_SQL)
    report.check("the ledger holds: every quantity is its initial one plus its changes, every event has its change",
                 broken == ["0", "0"], f"entries off, events without their change: {broken}")
    writes = [o for o in outcomes if o.kind == "write"]
    report.check("events were written throughout", len(writes) >= 20, f"{len(writes)} writes")
    restarts = [re.findall(r"^---- start", s.output(), re.M) for s in servers]
    report.check("each replica was started twice", all(len(r) == 2 for r in restarts), f"{[len(r) for r in restarts]}")


if __name__ == "__main__":
    main()
