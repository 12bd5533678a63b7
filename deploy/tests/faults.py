#!/usr/bin/env python3
"""Faults the release binary must survive, each under a steady stream of reads and writes.

1. PostgreSQL goes down (a throwaway cluster, `pg_ctl stop -m fast`) and comes back:
   `/ready` says 503 with a reason within 2 s; every request is answered (503 or an error
   page) within the request timeout, none hangs, nothing panics; once the database is
   back the server recovers within 5 s without a restart; every acknowledged write is
   stored and no write answered with an error is.
2. SIGTERM under load: a request already started (its body still arriving) completes
   and its write is stored; answered requests are all 2xx/3xx; the process exits within
   its shutdown timeout even though one client never finishes its request.
3. The disk under a SQLite database fills up (a size-limited tmpfs): writes are refused
   with a clear error page, nothing is half-written (every event has its audit entry,
   the file passes `integrity_check`), reads keep working, and writes work again once
   space is freed, without a restart.

Needs root (initdb runs as the `postgres` user through runuser; tmpfs is mounted), the
PostgreSQL 15 server binaries and the release binary. Run: python3 deploy/tests/faults.py
"""

from __future__ import annotations

import errno
import os
import pwd
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
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
    Mission,
    Outcome,
    Report,
    Server,
    acknowledged,
    base_env,
    event_fields,
    free_port,
    log,
    panicked,
    parse_json,
    prepare_database,
    psql,
    run,
    set_up_mission,
    summarize,
    wait_until,
)

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
REQUEST_TIMEOUT_SECS = 10
SHUTDOWN_TIMEOUT_SECS = 5
OUTAGE_SECS = 8


def server_env(database_url: str, port: int) -> dict[str, str]:
    return base_env(
        database_url,
        port,
        APP_SERVER__DIRECT="true",
        APP_SECURITY__REQUESTS_PER_MINUTE="0",
        APP_SERVER__REQUEST_TIMEOUT_SECS=str(REQUEST_TIMEOUT_SECS),
        APP_SERVER__SHUTDOWN_TIMEOUT_SECS=str(SHUTDOWN_TIMEOUT_SECS),
    )


class Cluster:
    """A throwaway PostgreSQL cluster owned by the `postgres` user, on a free port."""

    def __init__(self, root: Path) -> None:
        self.root, self.port = root, free_port()
        root.mkdir()
        self.data = root / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        entry = pwd.getpwnam("postgres")
        os.chown(root, entry.pw_uid, entry.pw_gid)
        run([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"], user="postgres")

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "postgres.log"), "-o", options, "-w", *args], user="postgres")

    def start(self) -> None:
        self.pg_ctl("start")

    def stop(self) -> None:
        self.pg_ctl("stop", "-m", "fast")


class ReadyPoller:
    """Asks /ready every 100 ms and keeps (time answered, status, body)."""

    def __init__(self, port: int) -> None:
        self.port, self.samples = port, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        client = Client("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_SECS + 5)
        while not self._stop.is_set():
            try:
                response = client.get("/ready")
                self.samples.append((time.monotonic(), response.status, response.body))
            except OSError as e:
                self.samples.append((time.monotonic(), None, str(e)))
            time.sleep(0.1)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def first(self, after: float, status: int):
        return next((s for s in self.samples if s[0] >= after and s[1] == status), None)


def error_page(body: str) -> bool:
    """The layout's error page (with the request id), or the JSON error under /api/."""
    return "Request id: <code>" in body or body.startswith('{"error"')


def stored_titles(url: str, mission) -> list[str]:
    return psql(url, f"SELECT title FROM events WHERE mission_id = {mission.id}")


def check_ledger_pg(report: Report, name: str, url: str) -> None:
    broken = psql(url, LEDGER_BROKEN_SQL) + psql(url, EVENTS_WITHOUT_ONE_CHANGE_SQL)
    report.check(f"{name}: the ledger holds (quantities match their changes, every event has its change)",
                 broken == ["0", "0"], f"entries off, events without their change: {broken}")


def check_writes(report: Report, name: str, outcomes: list[Outcome], stored: list[str], replay=None) -> None:
    """Acknowledged writes are stored once; refused ones are not, unless the refusal came
    after the commit (the session's save failing), in which case `replay` must show that
    submitting the same form again records nothing new and answers with the stored event."""
    acked = {o.title for o in outcomes if acknowledged(o)}
    refused = [o for o in outcomes if o.kind == "write" and o.status is not None and not acknowledged(o)]
    unanswered = {o.title for o in outcomes if o.kind == "write" and o.status is None}
    missing = acked - set(stored)
    duplicates = {t for t in stored if stored.count(t) > 1}
    report.check(f"{name}: every acknowledged write ({len(acked)}) is stored, once",
                 bool(acked) and not missing and not duplicates, f"missing {sorted(missing)[:5]}, duplicated {sorted(duplicates)[:5]}")
    stored_anyway = [o for o in refused if o.title in stored]
    if stored_anyway:
        log(f"refused but stored (committed, then the response failed): {[o.title for o in stored_anyway]}")
    settled = replay is not None and all(replay(o) for o in stored_anyway)
    report.check(f"{name}: no write answered with an error ({len(refused)}) is stored, or its replay records nothing new",
                 not stored_anyway or settled, f"stored anyway: {[o.title for o in stored_anyway][:5]}")
    report.check(f"{name}: every write was answered", not unanswered, f"{len(unanswered)} without an answer")


# ---------------------------------------------------------------- 1. database down


def serve_with_mission(name: str, url: str, work: Path, tag: str) -> tuple[Server, int, Client, Mission]:
    """A migrated server on `url`, ready, with the admin logged in and a mission set up."""
    port = free_port()
    env = server_env(url, port)
    prepare_database(env)
    server = Server(name, env, work, port)
    server.start()
    if not server.ready():
        raise AssertionError(f"the server never became ready:\n{server.output()[-3000:]}")
    admin = Client("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECS + 5)
    admin.log_in(ADMIN_USER, ADMIN_PASSWORD)
    return server, port, admin, set_up_mission(admin, tag)


def database_down(report: Report, cluster: Cluster, work: Path) -> Server:
    server, port, admin, mission = serve_with_mission("pg", cluster.url, work, "Outage")

    def worker_client(_n: int) -> Client:
        client = Client("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECS + 5)
        client.cookies = dict(admin.cookies)
        return client

    ready = ReadyPoller(port)
    load = Load(worker_client, mission, "outage", workers=3).start()
    time.sleep(2)
    stopping = time.monotonic()
    cluster.stop()
    stopped = time.monotonic()
    log(f"PostgreSQL stopped in {stopped - stopping:.2f} s")
    # Longer than the pool's acquire timeout (5 s), so requests waiting for a connection
    # give up while the database is still down.
    time.sleep(OUTAGE_SECS)
    starting = time.monotonic()
    cluster.start()
    started = time.monotonic()
    log(f"PostgreSQL started in {started - starting:.2f} s")
    recovered = wait_until(lambda: ready.first(started, 200), 10)
    time.sleep(max(0.0, started + 7 - time.monotonic()))
    outcomes = load.stop()
    ready.stop()
    log(f"outage load: {summarize(outcomes)}")

    down = ready.first(stopping, 503)
    reason = parse_json(down[2]).get("reason", "") if down else ""
    report.check("database down: /ready answers 503 with a reason within 2 s",
                 down is not None and down[0] - stopping <= 2 and bool(reason),
                 f"after {down[0] - stopping:.2f} s: {down[2]}" if down else "never 503")
    report.check("database back: /ready answers 200 within 5 s, without a restart",
                 recovered is not None and recovered[0] - started <= 5 and server.proc.poll() is None,
                 f"after {recovered[0] - started:.2f} s" if recovered else "never ready again")
    during = [o for o in outcomes if stopping <= o.started and o.finished <= started]
    unanswered = [o for o in outcomes if o.status is None]
    slow = [o for o in outcomes if o.finished - o.started > REQUEST_TIMEOUT_SECS + 1]
    report.check("database down: every request is answered, none hangs past the request timeout",
                 not unanswered and not slow,
                 f"{len(unanswered)} unanswered ({unanswered[0].error if unanswered else ''}), {len(slow)} slower than {REQUEST_TIMEOUT_SECS} s; longest {max(o.finished - o.started for o in outcomes):.2f} s")
    errors = [o for o in during if o.status is not None and o.status >= 400]
    unclear = [o for o in errors if o.status not in (500, 503) or not error_page(o.body)]
    report.check(f"database down: failures ({len(errors)}) are 500/503 error pages with a request id (JSON under /api)",
                 bool(errors) and not unclear,
                 "; ".join(f"{o.kind} {o.path} -> {o.status} {o.body[:200]!r}" for o in unclear[:3]))
    # The store, the session store and the login layer all say "unavailable" (503,
    # Retry-After) when the database cannot be reached; none is a 500.
    unavailable = [o for o in errors if o.status == 503]
    report.check("database down: every failure is a 503 (storage unavailable)",
                 len(unavailable) == len(errors),
                 f"{len(unavailable)} of {len(errors)} failures are 503")
    first_success = next((o for o in outcomes if o.started >= started and o.ok()), None)
    report.check("database back: requests succeed again within 5 s",
                 first_success is not None and first_success.finished - started <= 5,
                 f"first success {first_success.finished - started:.2f} s after the restart" if first_success else "none")
    after = [o for o in outcomes if o.started >= started + 5]
    failing_after = [o for o in after if not o.ok()]
    report.check("database back: every request started 5 s or more after the restart succeeds",
                 bool(after) and not failing_after,
                 f"{len(failing_after)} of {len(after)} failed: " + "; ".join(f"{o.path} {o.status} {o.body[:100]!r}" for o in failing_after[:3]))

    def replay(outcome: Outcome) -> bool:
        response = admin.post(outcome.path, outcome.fields)
        return response.status == 303 and "/manage/events/" in (response.header("location") or "") and stored_titles(cluster.url, mission).count(outcome.title) == 1

    check_writes(report, "database down", outcomes, stored_titles(cluster.url, mission), replay)
    check_ledger_pg(report, "database down", cluster.url)
    report.check("database down: the server never panicked", not panicked(server.output()), "; ".join(panicked(server.output()))[:500])
    server.mission = mission  # reused by the SIGTERM scenario
    server.admin = admin
    return server


# ---------------------------------------------------------------- 2. SIGTERM under load


def sigterm_under_load(report: Report, server: Server, cluster: Cluster) -> None:
    port, mission, admin = server.port, server.mission, server.admin

    def worker_client(_n: int) -> Client:
        client = Client("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECS + 5)
        client.cookies = dict(admin.cookies)
        return client

    form = admin.get(f"/manage/missions/{mission.id}/events/new")
    fields = event_fields(form.hidden("csrf_token"), form.hidden("idempotency_key"), "slow-upload", mission.entry)
    body = urllib.parse.urlencode(fields).encode()
    cookie = "; ".join(f"{k}={v}" for k, v in admin.cookies.items())
    head = (
        f"POST /manage/missions/{mission.id}/events/new HTTP/1.1\r\nHost: localhost:{port}\r\nCookie: {cookie}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    load = Load(worker_client, mission, "sigterm", workers=3).start()
    time.sleep(1.5)
    slow = socket.create_connection(("127.0.0.1", port))
    slow.sendall(head + body[:20])
    stuck = socket.create_connection(("127.0.0.1", port))
    stuck.sendall(head + body[:10])  # never finished
    time.sleep(0.5)
    signalled = time.monotonic()
    server.proc.send_signal(15)
    time.sleep(1)
    slow.sendall(body[20:])
    slow.settimeout(REQUEST_TIMEOUT_SECS)
    answer = b""
    try:
        while chunk := slow.recv(65536):
            answer += chunk
    except OSError as e:
        answer += f"[{e}]".encode()
    slow.close()
    try:
        code = server.proc.wait(timeout=SHUTDOWN_TIMEOUT_SECS + 10)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        code = server.proc.wait()
    exited = time.monotonic() - signalled
    stuck.close()
    outcomes = load.stop()
    log(f"SIGTERM load: {summarize(outcomes)}; exited after {exited:.2f} s with {code}")
    status_line = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    report.check("SIGTERM: a request whose body was still arriving completes (303)", " 303 " in status_line + " ", status_line or "no answer")
    report.check("SIGTERM: its write is stored", "slow-upload" in stored_titles(cluster.url, mission), "")
    report.check(f"SIGTERM: the process exits within its {SHUTDOWN_TIMEOUT_SECS} s shutdown timeout although a client never finishes",
                 code == 0 and exited <= SHUTDOWN_TIMEOUT_SECS + 1.5, f"exit {code} after {exited:.2f} s")
    answered_badly = [o for o in outcomes if o.status is not None and not o.ok()]
    report.check("SIGTERM: every request answered was answered 2xx/3xx", bool(outcomes) and not answered_badly,
                 "; ".join(f"{o.path} {o.status} {o.body[:100]!r}" for o in answered_badly[:3]))
    # A connection still in the listen queue when the listener closes is reset without
    # the server ever having read it; 250 ms is ample for the accept loop to take it.
    refused_early = [o for o in outcomes if o.status is None and o.started < signalled - 0.25]
    report.check("SIGTERM: no request sent 250 ms or more before the signal went unanswered", not refused_early,
                 "; ".join(f"{o.path} {o.error} at {o.started - signalled:.3f} s" for o in refused_early[:3]))
    stored = stored_titles(cluster.url, mission)
    acked = {o.title for o in outcomes if acknowledged(o)}
    report.check(f"SIGTERM: every acknowledged write ({len(acked)}) is stored", bool(acked) and acked <= set(stored), f"missing {sorted(acked - set(stored))[:5]}")
    report.check("SIGTERM: the server never panicked", not panicked(server.output()), "")
    check_ledger_pg(report, "SIGTERM", cluster.url)


# ---------------------------------------------------------------- 3. disk full under SQLite


def fill(directory: Path) -> Path:
    """Writes a file until the filesystem has no byte left."""
    filler = directory / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for size in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
    finally:
        os.close(fd)
    return filler


def disk_full(report: Report, work: Path) -> None:
    mount = work / "small-disk"
    mount.mkdir()
    run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)])
    server = None
    try:
        db = mount / "tracker.db"
        server, port, admin, mission = serve_with_mission("sqlite", f"sqlite://{db}", work, "Full disk")

        # Logged-in pages save the session (its idle expiry moves on), which a full disk
        # refuses too, so the form's CSRF token is read before the disk fills and each
        # write carries an idempotency key of its own, as a form page would give it.
        csrf = admin.get(f"/manage/missions/{mission.id}/events/new").hidden("csrf_token")

        def write(title: str) -> Outcome:
            fields = {**event_fields(csrf, str(uuid.uuid4()), title, mission.entry), "description": "x" * 2000}
            started = time.monotonic()
            response = admin.post(f"/manage/missions/{mission.id}/events/new", fields)
            return Outcome("write", "event", started, time.monotonic(), response.status, "", title, response.body,
                           fields, response.header("location") or "")

        outcomes = [write(f"before-full-{n}") for n in range(3)]
        filler = fill(mount)
        log(f"filled the disk: {filler.stat().st_size} bytes of filler")
        full = []
        for n in range(200):
            full.append(write(f"while-full-{n}"))
            if len(full) >= 3 and not any(acknowledged(o) for o in full[-3:]):
                break
        outcomes += full
        refused = [o for o in full if not acknowledged(o)]
        log(f"while full: {summarize(full)}")
        first = refused[0] if refused else None
        report.check("disk full: writes are refused", bool(refused), f"{len(full)} writes all acknowledged")
        request_id = re.search(r"Request id: <code>([^<]+)</code>", first.body) if first else None
        report.check("disk full: the refusal is the 503 error page with a request id", bool(first and first.status == 503 and request_id),
                     f"{first.status}: {first.body[:600]!r}" if first else "")
        cause = [line for line in server.output().splitlines() if request_id and request_id.group(1) in line and "full" in line]
        report.check("disk full: the log line for that request id names the cause (disk full)", bool(cause),
                     cause[0][:300] if cause else "no log line with the request id and the cause")
        visitor = Client("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECS + 5)
        reads = [visitor.get(p).status for p in ("/", "/timeline", "/api/v1/pool")]
        report.check("disk full: public pages still read", reads == [200, 200, 200], f"{reads}")
        filler.unlink()
        again = wait_until(lambda: acknowledged(o := write(f"after-full-{time.monotonic_ns()}")) and o, 5, 0.2)
        report.check("disk freed: writes work again within 5 s, without a restart",
                     bool(again) and server.proc.poll() is None, "")
        if again:
            outcomes.append(again)
        server.terminate()
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
            titles = [r[0] for r in connection.execute("SELECT title FROM events WHERE mission_id = ?", (mission.id,))]
            broken = [connection.execute(LEDGER_BROKEN_SQL).fetchone()[0], connection.execute(EVENTS_WITHOUT_ONE_CHANGE_SQL).fetchone()[0]]
            orphans = connection.execute(
                "SELECT count(*) FROM events e WHERE NOT EXISTS "
                "(SELECT 1 FROM audit_log a WHERE a.object_kind = 'event' AND a.object_id = e.id)").fetchone()[0]
            keys = connection.execute("SELECT count(*) FROM idempotency_keys WHERE action LIKE '%event%'").fetchone()[0]
        finally:
            connection.close()
        report.check("disk full: the database file passes integrity_check", integrity == "ok", integrity)
        report.check("disk full: every stored event has its audit entry and its idempotency key (nothing half-written)",
                     orphans == 0 and keys == len(titles), f"{orphans} events without audit, {keys} keys for {len(titles)} events")
        report.check("disk full: the ledger holds (quantities match their changes, every event has its change)",
                     broken == [0, 0], f"entries off, events without their change: {broken}")
        check_writes(report, "disk full", outcomes, titles)
        report.check("disk full: the server never panicked", not panicked(server.output()), "; ".join(panicked(server.output()))[:500])
    finally:
        if server:
            server.kill()
        subprocess.run(["umount", str(mount)], check=False)


class SkipPart(Exception):
    """FAULTS_ONLY chose the other part."""


def main() -> None:
    report = Report("Faults survived")
    if not BINARY.exists():
        report.fail("release binary", f"{BINARY} is missing: cargo build --release -p bin-server --locked")
        report.finish()
    work = Path(tempfile.mkdtemp(prefix="asset-tracker-faults-"))
    os.chmod(work, 0o755)
    cluster = None
    only = os.environ.get("FAULTS_ONLY", "")  # "postgres" or "disk" runs one part
    try:
        if only == "disk":
            raise SkipPart
        cluster = Cluster(work / "pg")
        cluster.start()
        server = database_down(report, cluster, work)
        sigterm_under_load(report, server, cluster)
    except SkipPart:
        pass
    except Exception as e:  # noqa: BLE001 - reported, then cleaned up
        report.fail("the PostgreSQL scenarios completed", f"{type(e).__name__}: {e}")
    finally:
        if cluster:
            subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(cluster.data), "stop", "-m", "immediate"],
                           capture_output=True, check=False)
    try:
        if only != "postgres":
            disk_full(report, work)
    except Exception as e:  # noqa: BLE001
        report.fail("the disk-full scenario completed", f"{type(e).__name__}: {e}")
    for log_file in sorted(work.glob("*.log")):
        if os.environ.get("FAULTS_KEEP_LOGS"):
            shutil.copy(log_file, Path(os.environ["FAULTS_KEEP_LOGS"]) / log_file.name)
    if os.environ.get("FAULTS_KEEP"):
        log(f"kept {work} (its server logs) because FAULTS_KEEP is set")
    else:
        shutil.rmtree(work, ignore_errors=True)
    report.finish()


if __name__ == "__main__":
    main()
