#!/usr/bin/env python3
"""The JSON API against its own OpenAPI document, with schemathesis.

Starts the binary on a fresh SQLite file (testing profile, no rate limits), seeds an
active campaign with a pool and a mission through the forms, makes an API token on the
profile page as a browser would, then runs schemathesis over every operation of
/api/v1/openapi.json with the token: no answer may be a server error or break the
document (status codes, content types, headers and bodies must be those documented),
public operations must answer without the token and staff operations must refuse a
request without it. Afterwards the server's log must hold no panic.

Needs the schemathesis command (`pip install schemathesis==4.32.5`, as .ci/run does).
Run: ASSET_TRACKER_BIN=target/debug/asset-tracker python3 deploy/tests/api_schema.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    ADMIN_PASSWORD,
    ADMIN_USER,
    BINARY,
    Client,
    Report,
    Server,
    free_port,
    log,
    panicked,
    prepare_database,
    set_up_mission,
)

# Generated cases per operation: enough to reach every documented answer of each
# operation (the ledger, validation, missing objects, paging) within about a minute.
EXAMPLES = os.environ.get("API_SCHEMA_EXAMPLES", "40")
# Our answers are stricter than the schema (a name must not be blank, a date must be a
# date): a schema-valid body may rightly be refused with a documented 422, which
# positive_data_acceptance would count as a failure.
EXCLUDED_CHECKS = "positive_data_acceptance"
# One worker: with two, schemathesis's generators sometimes crash CPython 3.11 itself
# ("SystemError: AST constructor recursion depth mismatch", compile() raced in threads),
# which fails the run without any finding about the API.


def main() -> int:
    report = Report("API schema (schemathesis)")
    # pip puts the command beside this Python's own scripts, which need not be on PATH.
    scripts = sysconfig.get_path("scripts")
    schemathesis = shutil.which("schemathesis") or shutil.which("schemathesis", path=scripts)
    if not schemathesis:
        report.fail("schemathesis is installed", "pip install schemathesis==4.32.5")
        report.finish()
        return 1
    work = Path(tempfile.mkdtemp(prefix="asset-tracker-api-schema-"))
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "APP_PROFILE": "testing",
        "APP_DATABASE__URL": f"sqlite://{work / 'tracker.db'}",
        "APP_DATABASE__MAX_CONNECTIONS": "4",
        "APP_DATABASE__MIN_CONNECTIONS": "1",
        "APP_SERVER__HOST": "127.0.0.1",
        "APP_SERVER__PORT": str(port),
        "APP_SECURITY__REQUESTS_PER_MINUTE": "0",
        "APP_SECURITY__LOGIN_ATTEMPTS_PER_MINUTE": "0",
        "APP_METRICS__ADDRESS": "",
    }
    prepare_database(env)
    server = Server("api", env, work, port)
    server.start()
    try:
        report.check("the server starts", server.ready())
        admin = Client("127.0.0.1", port)
        report.check("the admin logs in", admin.log_in(ADMIN_USER, ADMIN_PASSWORD).status == 303)
        set_up_mission(admin, "Schema")
        made = admin.submit("/profile", {"name": "schemathesis", "expires_in_days": ""}, action="/profile/tokens")
        token = re.search(r"<code data-token>([^<]+)</code>", made.body)
        if not report.check("a token is made on the profile page", made.status == 200 and token is not None, made.body[:300]):
            return 1
        secret = token.group(1)
        report.check("the token reads a staff route", Client("127.0.0.1", port).get(
            "/api/v1/campaigns", headers={"Authorization": f"Bearer {secret}"}).status == 200)
        schema = f"http://127.0.0.1:{port}/api/v1/openapi.json"
        log(f"schemathesis over {schema}, {EXAMPLES} examples per operation")
        result = subprocess.run(
            [schemathesis, "run", schema, "--header", f"Authorization: Bearer {secret}", "--checks", "all",
             "--exclude-checks", EXCLUDED_CHECKS, "--max-examples", EXAMPLES, "--seed", "20261203",
             "--request-timeout", "10", "--workers", "1", "--suppress-health-check", "all"],
            capture_output=True, text=True, timeout=900,
        )
        output = (result.stdout + result.stderr).replace(secret, "[token]")
        print(output[-12000:])
        report.check("schemathesis finds no server error and no schema violation", result.returncode == 0,
                     f"exit code {result.returncode}")
    finally:
        server.terminate()
    report.check("nothing panicked", not panicked(server.output()), "\n".join(panicked(server.output())))
    report.finish()
    return 0 if all(ok for _, ok, _ in report.results) else 1


if __name__ == "__main__":
    sys.exit(main())
