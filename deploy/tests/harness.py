"""Shared pieces of the process-level tests in deploy/tests (Python 3.11, stdlib only).

An HTTP client that speaks to the real binary the way a browser does (its own cookie
jar, the forms' CSRF and idempotency fields, an optional source address on 127/8 so
one machine can play several clients), replica processes, psql, a load generator
whose every request is recorded, and a PASS/FAIL report.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import random
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
BINARY = Path(os.environ.get("ASSET_TRACKER_BIN", TARGET / "release" / "asset-tracker")).resolve()
ADMIN_USER = "admin"
ADMIN_PASSWORD = "replica admin password 1"


# ---------------------------------------------------------------- reporting


class Report:
    """Collects named checks; `finish` prints the PASS/FAIL summary and exits."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.results: list[tuple[str, bool, str]] = []
        self.started = time.monotonic()

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.results.append((name, bool(ok), detail))
        mark = "PASS" if ok else "FAIL"
        print(f"[{mark}] {name}" + (f": {detail}" if detail else ""), flush=True)
        return bool(ok)

    def fail(self, name: str, detail: str) -> None:
        self.check(name, False, detail)

    def finish(self) -> None:
        took = time.monotonic() - self.started
        failed = [r for r in self.results if not r[1]]
        print(f"\n==== {self.title}: {len(self.results) - len(failed)} passed, {len(failed)} failed, {took:.1f} s ====")
        for name, _, detail in failed:
            print(f"FAIL {name}: {detail}")
        print("RESULT:", "PASS" if self.results and not failed else "FAIL", flush=True)
        sys.exit(0 if self.results and not failed else 1)


def log(message: str) -> None:
    print(f"  .. {message}", flush=True)


_given_ports: set[int] = set()


def free_port() -> int:
    """A loopback port nothing listens on, below the kernel's ephemeral range (32768 and
    up): a port from that range, free when chosen, can be handed to an outgoing connection
    (to PostgreSQL, say) before the server binds it. Never the same one twice per run."""
    start = random.randrange(20000, 32000)
    for offset in range(12000):
        port = 20000 + (start - 20000 + offset) % 12000
        if port in _given_ports:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _given_ports.add(port)
        return port
    raise RuntimeError("no free loopback port between 20000 and 32000")


def wait_until(predicate, timeout: float, interval: float = 0.05):
    """Polls `predicate` until it returns a truthy value; returns it, or None on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            return None
        time.sleep(interval)


# ---------------------------------------------------------------- HTTP


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: str
    elapsed: float

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def hidden(self, name: str) -> str:
        match = re.search(rf'name="{name}" value="([^"]*)"', self.body)
        if not match:
            raise AssertionError(f"no {name} field in a {self.status} page: {self.body[:300]}")
        return match.group(1)


class Client:
    """One browser: a cookie jar, a base URL and optionally a source address.

    Every request opens its own connection (`Connection: close`), so a request is never
    lost to a kept-alive connection the server closed, and timing is per request.
    """

    def __init__(self, host: str, port: int, tls: bool = False, source: str | None = None, timeout: float = 30, sources: list[str] | None = None):
        self.host, self.port, self.tls, self.source, self.timeout = host, port, tls, source, timeout
        # Several source addresses taken in turn: one browser that many clients share the load of.
        self._sources = itertools.cycle(sources) if sources else None
        self.cookies: dict[str, str] = {}
        self.set_cookies: list[str] = []
        self.authority = f"localhost:{port}"
        self.origin = f"{'https' if tls else 'http'}://{self.authority}"

    def _connection(self, source: str | None) -> http.client.HTTPConnection:
        address = (source, 0) if source else None
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, source_address=address, context=context)
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout, source_address=address)

    def request(self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None, source: str | None = None) -> Response:
        all_headers = {"Host": self.authority, "Connection": "close", "User-Agent": "asset-tracker-deploy-tests"}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            # What a browser sends with a same-origin form.
            all_headers["Origin"] = self.origin
            all_headers["Sec-Fetch-Site"] = "same-origin"
        all_headers.update(headers or {})
        started = time.monotonic()
        if source is None and self._sources is not None:
            source = next(self._sources)
        conn = self._connection(source or self.source)
        try:
            conn.request(method, path, body=body.encode() if body is not None else None, headers=all_headers)
            raw = conn.getresponse()
            data = raw.read().decode("utf-8", "replace")
            response = Response(raw.status, raw.getheaders(), data, time.monotonic() - started)
        finally:
            conn.close()
        for value in response.all("set-cookie"):
            self.set_cookies.append(value)
            pair = value.split(";", 1)[0]
            name, _, cookie = pair.partition("=")
            if "max-age=0" in value.lower() or not cookie:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = cookie
        return response

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, fields: list[tuple[str, str]] | dict[str, str], **kw) -> Response:
        return self.request("POST", path, body=urllib.parse.urlencode(fields), **kw)

    def submit(self, form_path: str, fields: dict[str, str], action: str | None = None, **kw) -> Response:
        """GETs a form page, then POSTs `fields` with its CSRF token (and idempotency key)."""
        page = self.get(form_path, **kw)
        if page.status != 200:
            raise AssertionError(f"GET {form_path} answered {page.status}: {page.body[:300]}")
        data = {"csrf_token": page.hidden("csrf_token"), **fields}
        if 'name="idempotency_key"' in page.body:
            data["idempotency_key"] = page.hidden("idempotency_key")
        if action is None:
            actions = [a for a in re.findall(r'<form method="post" action="([^"]+)"', page.body) if a != "/logout"]
            action = actions[0] if actions else form_path
        return self.post(action, data, **kw)

    def log_in(self, username: str, password: str, **kw) -> Response:
        return self.submit("/login", {"username": username, "password": password, "next": ""}, **kw)


def location_id(response: Response, pattern: str) -> int:
    location = response.header("location") or ""
    match = re.search(pattern, location)
    if response.status != 303 or not match:
        raise AssertionError(f"expected 303 to {pattern}, got {response.status} {location!r}: {response.body[:400]}")
    return int(match.group(1))


@dataclass
class Mission:
    id: int
    entry: int  # the pool entry each recorded event takes one from


def set_up_mission(admin: Client, tag: str) -> Mission:
    """Through the forms: a library with one asset, an active campaign importing it, a mission."""
    response = admin.submit("/manage/libraries/new", {"name": f"Library {tag}", "description": "", "category": "Modern"})
    library = location_id(response, r"/manage/libraries/(\d+)$")
    response = admin.submit(f"/manage/libraries/{library}/assets/new",
                            {"name": "Ration crate", "kind": "Supply", "category": "", "description": "", "default_quantity": "1000000"})
    if response.status != 303:
        raise AssertionError(f"creating the asset answered {response.status}: {response.body[:400]}")
    response = admin.submit("/admin/campaigns/new", {"name": f"Operation {tag}", "start_date": "2026-01-01",
                                                     "library_ids": str(library), "make_active": "true"})
    if response.status != 303:
        raise AssertionError(f"creating the campaign answered {response.status}: {response.body[:400]}")
    page = admin.get("/manage")
    match = re.search(r'href="/manage/campaigns/(\d+)/missions"', page.body)
    if not match:
        raise AssertionError(f"no campaign on /manage: {page.body[:400]}")
    campaign = int(match.group(1))
    response = admin.submit(f"/manage/campaigns/{campaign}/missions/new", {"name": f"Mission {tag}", "location": "Altis"})
    mission = location_id(response, r"/manage/missions/(\d+)$")
    form = admin.get(f"/manage/missions/{mission}/events/new")
    entry = re.search(r'<option value="(\d+)"[^>]*>Ration crate', form.body)
    if not entry:
        raise AssertionError(f"no Ration crate in the event form: {form.body[:400]}")
    return Mission(mission, int(entry.group(1)))


def event_fields(csrf: str, key: str, title: str, entry: int) -> dict[str, str]:
    """The event form as a browser submits it: one change row taking one crate, two blank rows."""
    return {
        "csrf_token": csrf, "idempotency_key": key, "kind": "Logistics", "title": title,
        "description": "", "occurred_at": "2026-01-02T20:30", "location": "", "notes": "",
        "change_entry": str(entry), "change_delta": "-1", "change_note": "issued",
    }


# The ledger rule and the all-or-nothing event, in SQL that both databases run: every pool
# entry's current quantity is its initial one plus its changes, and every event recorded
# by the tests has exactly its one change.
LEDGER_BROKEN_SQL = (
    "SELECT count(*) FROM pool_entries p WHERE p.current_quantity <> p.initial_quantity + "
    "COALESCE((SELECT sum(c.delta) FROM asset_changes c WHERE c.pool_entry_id = p.id), 0)"
)
EVENTS_WITHOUT_ONE_CHANGE_SQL = (
    "SELECT count(*) FROM events e WHERE (SELECT count(*) FROM asset_changes c WHERE c.event_id = e.id) <> 1"
)


# ---------------------------------------------------------------- load


@dataclass
class Outcome:
    kind: str  # "read" or "write"
    path: str
    started: float
    finished: float
    status: int | None  # None: no answer (connection error, timeout)
    error: str = ""
    title: str = ""  # writes: the event's title
    body: str = ""
    fields: dict | None = None  # writes: the form as posted, to replay it
    location: str = ""  # a redirect's target

    def ok(self) -> bool:
        """Answered 2xx/3xx, and not sent to the login page (a session lost)."""
        return self.status is not None and 200 <= self.status < 400 and not self.location.startswith("/login")


@dataclass
class Load:
    """Workers that read pages and record events until stopped, recording everything."""

    client_factory: object
    mission: Mission
    name: str
    workers: int = 3
    outcomes: list[Outcome] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _counter: itertools.count = field(default_factory=itertools.count)

    def start(self) -> "Load":
        for n in range(self.workers):
            thread = threading.Thread(target=self._run, args=(n,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> list[Outcome]:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        return self.outcomes

    def _record(self, outcome: Outcome) -> None:
        with self._lock:
            self.outcomes.append(outcome)

    def _request(self, client: Client, kind: str, method: str, path: str, fields=None, title: str = "") -> Response | None:
        started = time.monotonic()
        try:
            if method == "GET":
                response = client.get(path)
            else:
                response = client.post(path, fields)
        except (OSError, http.client.HTTPException) as e:
            self._record(Outcome(kind, path, started, time.monotonic(), None, f"{type(e).__name__}: {e}", title, "", fields))
            return None
        body = response.body if response.status >= 400 else ""
        location = response.header("location") or ""
        self._record(Outcome(kind, path, started, time.monotonic(), response.status, "", title, body, fields, location))
        return response

    def _run(self, worker: int) -> None:
        client: Client = self.client_factory(worker)
        m = self.mission.id
        reads = ["/", "/timeline", f"/manage/missions/{m}", "/api/v1/pool"]
        while not self._stop.is_set():
            n = next(self._counter)
            self._request(client, "read", "GET", reads[n % len(reads)])
            form = self._request(client, "read", "GET", f"/manage/missions/{m}/events/new")
            if form is None or form.status != 200:
                time.sleep(0.05)
                continue
            title = f"{self.name}-{worker}-{n}"
            fields = event_fields(form.hidden("csrf_token"), form.hidden("idempotency_key"), title, self.mission.entry)
            self._request(client, "write", "POST", f"/manage/missions/{m}/events/new", fields, title)


def summarize(outcomes: list[Outcome]) -> str:
    counts: dict[str, int] = {}
    for o in outcomes:
        key = f"{o.kind} {o.status if o.status is not None else 'no-answer'}"
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))


def acknowledged(outcome: Outcome) -> bool:
    """A write the server confirmed: 303 to the recorded event's page."""
    return outcome.kind == "write" and outcome.status == 303 and re.fullmatch(r"/manage/events/\d+", outcome.location) is not None


# ---------------------------------------------------------------- processes


class Server:
    """One `asset-tracker serve` process, its output in a log file."""

    def __init__(self, name: str, env: dict[str, str], workdir: Path, port: int) -> None:
        self.name, self.env, self.workdir, self.port = name, env, workdir, port
        self.proc: subprocess.Popen | None = None
        self.log = workdir / f"{name}.log"
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        out = open(self.log, "a")  # noqa: SIM115 - closed with the process
        out.write(f"---- start {self.starts}\n")
        out.flush()
        self.proc = subprocess.Popen([str(BINARY), "serve"], env=self.env, cwd=self.workdir, stdout=out, stderr=subprocess.STDOUT)
        out.close()

    def ready(self, timeout: float = 30) -> bool:
        def probe():
            if self.proc and self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.proc.returncode}:\n{self.output()[-3000:]}")
            try:
                return Client("127.0.0.1", self.port, timeout=2).get("/ready").status == 200
            except OSError:
                return False

        return bool(wait_until(probe, timeout))

    def terminate(self, timeout: float = 30) -> tuple[int | None, float]:
        """SIGTERM; returns (exit code, seconds until it exited)."""
        assert self.proc is not None
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = None
        return code, time.monotonic() - started

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def run(args: list[str], env: dict[str, str] | None = None, stdin: str | None = None, check: bool = True, user: str | None = None) -> subprocess.CompletedProcess:
    if user:
        args = ["runuser", "-u", user, "--", *args]
    result = subprocess.run(args, env=env, input=stdin, capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}): {result.stderr}{result.stdout}")
    return result


def base_env(database_url: str, port: int, **extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "APP_PROFILE": "production",
        "APP_DATABASE__URL": database_url,
        "APP_SERVER__HOST": "127.0.0.1",
        "APP_SERVER__PORT": str(port),
        "APP_METRICS__ADDRESS": "",
        "APP_LOGGING__FORMAT": "json",
        "APP_SECURITY__API_TOKEN_KEY": "deploy-test-api-token-key-0123456789abcdef",
    }
    env.update(extra)
    return env


def prepare_database(env: dict[str, str]) -> None:
    """`migrate`, then `create-admin`, as an operator deploys."""
    run([str(BINARY), "migrate"], env=env)
    run([str(BINARY), "create-admin", "--username", ADMIN_USER, "--password-stdin"], env=env, stdin=ADMIN_PASSWORD + "\n")


def psql(url: str, sql: str) -> list[str]:
    result = run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql])
    return [line for line in result.stdout.splitlines() if line]


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def panicked(text: str) -> list[str]:
    return [line for line in text.splitlines() if "panicked" in line]


def parse_json(body: str) -> dict:
    try:
        return json.loads(body)
    except ValueError:
        return {}
