//! `just bench`: for PostgreSQL and SQLite, for a standard and a large dataset, seeds a
//! throwaway database, starts the built server as its own process (production profile,
//! rate limits off) once per endpoint, loads the endpoint with wrk from this process,
//! counts its SQL statements from the server's logs, and prints a Markdown report that
//! it also writes into docs/BENCHMARKS.md.
//!
//! `BENCH_SMOKE=1` (CI): the standard dataset only, a second of load per endpoint and
//! statements counted over two requests; it writes no file and judges no target, but fails when any
//! request failed or the server did.
//! `BENCH_BUILD=debug` loads target/debug/asset-tracker instead of the release binary.
//! `BENCH_ONLY=text` loads only the endpoints whose label contains `text` (and
//! `/health`, the ceiling), for a profile of one endpoint.

mod client;
mod load;
mod report;
mod seed;
mod server;
mod statements;

use load::{Endpoint, Session};
use report::{Row, Table};
use seed::{Database, Dataset, Engine, Seeded};
use server::Server;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// How long and how much.
#[derive(Debug)]
struct Plan {
    smoke: bool,
    warmup: Duration,
    measured: Duration,
    datasets: Vec<Dataset>,
    engines: Vec<Engine>,
    binary: PathBuf,
    counted: usize,
}

impl Plan {
    fn from_env() -> Self {
        let smoke = std::env::var("BENCH_SMOKE").is_ok_and(|v| v == "1");
        let profile = if std::env::var("BENCH_BUILD").is_ok_and(|v| v == "debug") { "debug" } else { "release" };
        let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace().join("target"), PathBuf::from);
        let engines = match std::env::var("BENCH_DATABASES").as_deref() {
            Ok("postgres") => vec![Engine::Postgres],
            Ok("sqlite") => vec![Engine::Sqlite],
            _ => vec![Engine::Postgres, Engine::Sqlite],
        };
        let standard = Dataset { name: "standard", missions: 30, events_per_mission: 10 };
        let large = Dataset { name: "large", missions: 1_000, events_per_mission: 100 };
        let secs = |s| Duration::from_secs(s);
        Self {
            smoke,
            warmup: if smoke { secs(1) } else { secs(3) },
            measured: if smoke { secs(1) } else { secs(15) },
            datasets: if smoke { vec![standard] } else { vec![standard, large] },
            engines,
            binary: target.join(profile).join("asset-tracker"),
            counted: if smoke { 2 } else { 6 },
        }
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn endpoints(s: &Seeded) -> Vec<Endpoint> {
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let mut all = every_endpoint(s);
    all.retain(|e| e.label() == report::HEALTH || e.label().contains(&only));
    all
}

fn every_endpoint(s: &Seeded) -> Vec<Endpoint> {
    let get = |label: &str, path: String| Endpoint::Get { label: label.to_owned(), path };
    let last_page = s.events.div_ceil(20).max(1);
    vec![
        get(report::HEALTH, "/health".into()),
        get(report::DASHBOARD, "/".into()),
        get(report::TIMELINE, "/timeline".into()),
        get(&format!("GET /timeline?page={last_page} (last page)"), format!("/timeline?page={last_page}")),
        get(report::API_POOL, "/api/v1/pool".into()),
        Endpoint::StaffGet {
            label: "GET /manage/campaigns/{id}/pool (manager)".into(),
            path: format!("/manage/campaigns/{}/pool", s.campaign),
        },
        Endpoint::CreateEvent { mission: s.mission, entries: s.entries.iter().take(3).copied().collect() },
        Endpoint::CreateEvent { mission: s.mission, entries: s.entries.clone() },
        Endpoint::Login,
    ]
}

/// Loads every endpoint of one seeded database; a fresh server per endpoint (and one
/// more for the manager's login, so that no endpoint's memory counts its Argon2 hash).
fn measure(plan: &Plan, db: &Database, seeded: &Seeded, dir: &Path) -> Result<Vec<Row>, String> {
    let session = {
        let server = Server::start(&plan.binary, &db.url, server::QUIET, dir)?;
        let form = format!("/manage/missions/{}/events/new", seeded.mission);
        let (cookie, token) = client::log_in(server.port, seed::MANAGER, seed::PASSWORD, &form)?;
        server.stop()?;
        Session { cookie, token }
    };
    let mut rows = Vec::new();
    for (n, endpoint) in endpoints(seeded).iter().enumerate() {
        let mut server = Server::start(&plan.binary, &db.url, server::QUIET, dir)?;
        load::run(server.port, endpoint, &session, plan.warmup, dir, &format!("warmup-{n}"))?;
        let figures = load::run(server.port, endpoint, &session, plan.measured, dir, &format!("load-{n}"))?;
        server.check_alive()?;
        let rss_kib = server.peak_rss_kib();
        server.stop()?;
        eprintln!("  {:<48} {:>8.0} req/s  failed {}", endpoint.label(), figures.per_second, figures.failed);
        let read = matches!(endpoint, Endpoint::Get { .. } | Endpoint::StaffGet { .. }) && n > 0;
        rows.push(Row { label: endpoint.label(), read, figures, statements: Default::default(), rss_kib });
    }
    let server = Server::start(&plan.binary, &db.url, server::STATEMENTS, dir)?;
    for (row, endpoint) in rows.iter_mut().zip(endpoints(seeded)) {
        row.statements = statements::count(server.port, &server.log, &endpoint, &session, plan.counted)?;
    }
    server.stop()?;
    Ok(rows)
}

async fn one(plan: &Plan, engine: Engine, dataset: Dataset, dir: &Path) -> Result<Table, String> {
    eprintln!("{} — {} dataset: seeding {} events", engine.label(), dataset.name, dataset.events());
    let db = Database::create(engine).await?;
    let result = match db.seed(dataset).await {
        Ok(seeded) => measure(plan, &db, &seeded, dir),
        Err(e) => Err(e),
    };
    db.remove().await;
    Ok(Table { engine, dataset: dataset.name, events: dataset.events(), rows: result? })
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    let run = |cmd: &str, args: &[&str]| {
        std::process::Command::new(cmd)
            .args(args)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default()
    };
    let commit = run("git", &["rev-parse", "--short", "HEAD"]);
    let dirty = if run("git", &["status", "--porcelain"]).is_empty() { "" } else { " (with uncommitted changes)" };
    format!(
        "Date: {} UTC. Machine: {cores} cores (nproc), `{cpu}`; load average before the run: {load}. \
         Commit `{commit}`{dirty}. Server: {} build, production profile, its own process on the loopback; \
         wrk on the same machine.",
        run("date", &["-u", "+%Y-%m-%d %H:%M"]),
        if std::env::var("BENCH_BUILD").is_ok_and(|v| v == "debug") { "debug" } else { "release" }
    )
}

fn write_docs(results: &str) -> Result<(), String> {
    let path = workspace().join("docs/BENCHMARKS.md");
    let doc = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let head = doc.split("\n## Results").next().unwrap_or(&doc).trim_end();
    std::fs::write(&path, format!("{head}\n\n## Results\n\n{results}")).map_err(|e| e.to_string())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let plan = Plan::from_env();
    if !plan.binary.is_file() {
        eprintln!("bench: {} not found; build it first (just bench does)", plan.binary.display());
        return ExitCode::FAILURE;
    }
    eprintln!("bench: the server runs with these overrides (rate limits raised for the load):");
    for (key, value) in server::OVERRIDES {
        eprintln!("  {key}={value}");
    }
    eprintln!("  RUST_LOG={} (load) / {} (statement counts)", server::QUIET, server::STATEMENTS);
    let dir = std::env::temp_dir().join(format!("asset-tracker-bench-run-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("bench: {e}");
        return ExitCode::FAILURE;
    }
    let machine = machine();
    let mut tables = Vec::new();
    for &engine in &plan.engines {
        for &dataset in &plan.datasets {
            match one(&plan, engine, dataset, &dir).await {
                Ok(table) => tables.push(table),
                Err(e) => {
                    eprintln!("bench: {} {}: {e}", engine.label(), dataset.name);
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let mut results = format!("{machine}\n\n");
    for t in &tables {
        results.push_str(&t.markdown());
        results.push('\n');
    }
    if !plan.smoke {
        results.push_str(&report::targets(&tables));
    }
    println!("{results}");
    let failed: u64 = tables.iter().flat_map(|t| &t.rows).map(|r| r.figures.failed).sum();
    if !plan.smoke
        && let Err(e) = write_docs(&results)
    {
        eprintln!("bench: cannot write docs/BENCHMARKS.md: {e}");
        return ExitCode::FAILURE;
    }
    if failed > 0 {
        eprintln!("bench: {failed} requests failed (non-2xx/3xx, timeouts or socket errors)");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
