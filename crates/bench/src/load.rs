//! The endpoints and how wrk loads each: one thread, a warm-up run, then the measured
//! run, every figure read from the line the Lua `done()` prints.
//!
//! Invariant: reads send `Accept-Encoding: gzip, br` like a browser and never
//! `If-None-Match`, so every response is a full one, never a 304.

use crate::client::{ACCEPT_ENCODING, anonymous_session};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const REPORT: &str = include_str!("../lua/report.lua");
const CREATE_EVENT: &str = include_str!("../lua/create_event.lua");
const LOGIN: &str = include_str!("../lua/login.lua");

/// What one endpoint's load sends.
#[derive(Debug, Clone)]
pub enum Endpoint {
    /// An anonymous GET.
    Get { label: String, path: String },
    /// A GET with the manager's session.
    StaffGet { label: String, path: String },
    /// The event form's POST with three changes (-1, +2, -1): request n moves entries
    /// 3n, 3n+1 and 3n+2 of `entries` (modulo their number), so three entries means
    /// every request moves the same ones.
    CreateEvent { mission: i64, entries: Vec<i64> },
    /// `POST /login` with the right password.
    Login,
}

impl Endpoint {
    /// The row's name in the report.
    pub fn label(&self) -> String {
        match self {
            Endpoint::Get { label, .. } | Endpoint::StaffGet { label, .. } => label.clone(),
            Endpoint::CreateEvent { entries, .. } if entries.len() <= 3 => crate::report::CREATE_EVENT.to_owned(),
            Endpoint::CreateEvent { .. } => crate::report::CREATE_EVENT_SPREAD.to_owned(),
            Endpoint::Login => "POST /login (Argon2id)".to_owned(),
        }
    }

    /// Connections: 16 concurrent clients for the write, 32 for everything else.
    pub fn connections(&self) -> u32 {
        if matches!(self, Endpoint::CreateEvent { .. }) { 16 } else { 32 }
    }
}

/// The manager's logged-in session.
#[derive(Debug, Clone)]
pub struct Session {
    /// `name=value`.
    pub cookie: String,
    /// The session's CSRF token.
    pub token: String,
}

/// wrk's figures for one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Completed requests.
    pub requests: u64,
    /// Requests per second.
    pub per_second: f64,
    /// Median latency in microseconds.
    pub p50_us: u64,
    /// 99th percentile latency in microseconds.
    pub p99_us: u64,
    /// Responses of status 400 and above, plus timeouts and socket errors.
    pub failed: u64,
}

/// Parses the `BENCH key=value ...` line of wrk's output.
pub fn parse(output: &str) -> Option<Figures> {
    let line = output.lines().find_map(|l| l.strip_prefix("BENCH "))?;
    let value = |key: &str| -> Option<u64> {
        line.split_whitespace().find_map(|kv| kv.strip_prefix(key)?.strip_prefix('=')?.parse().ok())
    };
    let (requests, duration) = (value("requests")?, value("duration_us")?);
    let failed = ["status", "connect", "read", "write", "timeout"].iter().map(|k| value(k).unwrap_or(0)).sum();
    Some(Figures {
        requests,
        per_second: requests as f64 / (duration.max(1) as f64 / 1e6),
        p50_us: value("p50_us")?,
        p99_us: value("p99_us")?,
        failed,
    })
}

/// Runs wrk against `endpoint` on `port` for `duration`; `tag` makes idempotency keys
/// and file names unique per run.
pub fn run(
    port: u16,
    endpoint: &Endpoint,
    session: &Session,
    duration: Duration,
    dir: &Path,
    tag: &str,
) -> Result<Figures, String> {
    let origin = format!("http://127.0.0.1:{port}");
    let script = dir.join(format!("{tag}.lua"));
    let mut args: Vec<String> = Vec::new();
    let body = match endpoint {
        Endpoint::Get { .. } | Endpoint::StaffGet { .. } => {
            args.extend(["-H".into(), format!("Accept-Encoding: {ACCEPT_ENCODING}")]);
            if matches!(endpoint, Endpoint::StaffGet { .. }) {
                args.extend(["-H".into(), format!("Cookie: {}", session.cookie)]);
            }
            String::new()
        }
        Endpoint::CreateEvent { .. } | Endpoint::Login => CREATE_EVENT.to_owned(),
    };
    let body = if matches!(endpoint, Endpoint::Login) { LOGIN.to_owned() } else { body };
    std::fs::write(&script, format!("{body}\n{REPORT}")).map_err(|e| e.to_string())?;
    let path = match endpoint {
        Endpoint::Get { path, .. } | Endpoint::StaffGet { path, .. } => path.clone(),
        _ => "/".to_owned(),
    };
    let secs = duration.as_secs().max(1);
    let mut command = Command::new("wrk");
    command
        .args(["-t1", &format!("-c{}", endpoint.connections()), &format!("-d{secs}s"), "--timeout", "60s"])
        .arg("--latency")
        .args(&args)
        .arg("-s")
        .arg(&script)
        .arg(format!("{origin}{path}"));
    match endpoint {
        Endpoint::CreateEvent { mission, entries } => {
            command.arg("--").args([&session.cookie, &session.token, &mission.to_string()]);
            command.args([tag_key(tag), origin.clone()]).args(entries.iter().map(i64::to_string));
        }
        Endpoint::Login => {
            // Enough one-use sessions for twice the rate measured here (about 90
            // logins/s, in debug builds too: the profile optimizes dependencies, so
            // Argon2 runs at full speed); beyond that they wrap round and fail with
            // 403, counted.
            let per_second = 200;
            let file = dir.join(format!("{tag}.sessions"));
            let mut lines = String::new();
            for _ in 0..(secs * per_second + 20) {
                let (cookie, token) = anonymous_session(port)?;
                let _ = writeln!(lines, "{cookie} {token}");
            }
            std::fs::write(&file, lines).map_err(|e| e.to_string())?;
            command.arg("--").arg(&file).args([crate::seed::MANAGER, crate::seed::PASSWORD, &origin]);
        }
        _ => {}
    }
    let output = command.output().map_err(|e| format!("cannot run wrk: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("wrk failed: {}\n{stdout}", String::from_utf8_lossy(&output.stderr)));
    }
    parse(&stdout).ok_or_else(|| format!("no BENCH line in wrk's output:\n{stdout}"))
}

/// A 16-digit hexadecimal prefix for idempotency keys, unique per run.
fn tag_key(tag: &str) -> String {
    let seed: u64 = rand::random();
    let sum = tag.bytes().fold(seed, |acc, b| acc.rotate_left(5) ^ u64::from(b));
    format!("{sum:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_done_line_gives_rate_percentiles_and_every_kind_of_failure() {
        let out = "Running 15s test\nBENCH requests=3000 duration_us=15000000 p50_us=900 p99_us=4000 status=2 connect=0 read=1 write=0 timeout=3\n";
        let f = parse(out).unwrap();
        assert_eq!((f.requests, f.p50_us, f.p99_us, f.failed), (3000, 900, 4000, 6));
        assert!((f.per_second - 200.0).abs() < 1e-9);
    }

    #[test]
    fn output_without_the_done_line_is_no_figures() {
        assert_eq!(parse("Running 15s test\n"), None);
    }
}
