//! The server under load: the built `asset-tracker serve` binary as its own process on a
//! free loopback port, with the production profile, rate limits off and warn-level JSON
//! logs (or sqlx's statement logs, for the counting pass) written to a file.
//!
//! Invariant: a server that exits before it is stopped, or does not stop cleanly on
//! SIGTERM, is an error, never ignored.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The environment every server gets beyond the database: the production profile (with
/// the API-token key production requires), on the loopback, with the per-address
/// request and login limits off (the load comes from one address and would be refused
/// otherwise).
pub const OVERRIDES: &[(&str, &str)] = &[
    ("APP_PROFILE", "production"),
    ("APP_SECURITY__API_TOKEN_KEY", "bench-api-token-key-not-a-secret-0123456789"),
    ("APP_SERVER__HOST", "127.0.0.1"),
    ("APP_SECURITY__REQUESTS_PER_MINUTE", "0"),
    ("APP_SECURITY__LOGIN_ATTEMPTS_PER_MINUTE", "0"),
    ("APP_LOGGING__FORMAT", "json"),
];

/// Quiet logs during load.
pub const QUIET: &str = "warn";
/// Every statement sqlx runs, for the counting pass.
pub const STATEMENTS: &str = "warn,sqlx::query=debug";

/// A running server.
#[derive(Debug)]
pub struct Server {
    child: Child,
    /// The port it listens on.
    pub port: u16,
    /// Its standard output (the JSON logs).
    pub log: PathBuf,
}

/// A loopback port nothing listens on, below the kernel's ephemeral range (32768 and up
/// on Linux): a port from that range, free when chosen, can be handed to an outgoing
/// connection (to PostgreSQL, say) before the server binds it, which then fails with
/// "Address already in use".
fn free_port() -> Result<u16, String> {
    const LOW: u32 = 20_000;
    const SPAN: u32 = 12_000;
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let start = (seed ^ std::process::id().wrapping_mul(2_654_435_761)) % SPAN;
    for offset in 0..SPAN {
        let port = u16::try_from(LOW + (start + offset) % SPAN).map_err(|e| e.to_string())?;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    Err(format!("no free loopback port between {LOW} and {}", LOW + SPAN))
}

/// How many times a server that could not bind its port is started again on others.
const BIND_ATTEMPTS: usize = 5;

impl Server {
    /// Starts `binary` on `database_url` with log filter `logs`, writing its output into
    /// `dir`, and waits until `/health` answers.
    pub fn start(binary: &Path, database_url: &str, logs: &str, dir: &Path) -> Result<Self, String> {
        let mut attempt = 1;
        loop {
            match Self::start_once(binary, database_url, logs, dir) {
                Err(e) if attempt < BIND_ATTEMPTS && e.contains("Address already in use") => attempt += 1,
                started => return started,
            }
        }
    }

    fn start_once(binary: &Path, database_url: &str, logs: &str, dir: &Path) -> Result<Self, String> {
        let port = free_port()?;
        let metrics = loop {
            let metrics = free_port()?;
            if metrics != port {
                break metrics;
            }
        };
        let log = dir.join(format!("server-{port}.log"));
        let stdout = File::create(&log).map_err(|e| e.to_string())?;
        let stderr = File::create(dir.join(format!("server-{port}.err"))).map_err(|e| e.to_string())?;
        let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
        let child = Command::new(binary)
            .arg("serve")
            .env_remove("APP_DATABASE__URL")
            .env_remove("APP_SERVER__PORT")
            .envs(OVERRIDES.iter().copied())
            .env("APP_CONFIG_DIR", config)
            .env("DATABASE_URL", database_url)
            .env("PORT", port.to_string())
            .env("APP_METRICS__ADDRESS", format!("127.0.0.1:{metrics}"))
            .env("RUST_LOG", logs)
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let mut server = Self { child, port, log };
        server.wait_ready()?;
        Ok(server)
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("the server exited at start ({status}):\n{}", self.output()));
            }
            if crate::client::get(self.port, "/health").is_ok_and(|r| r.status == 200) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(format!("the server did not answer /health within 60 s:\n{}", self.output()))
    }

    /// The last lines of the server's output and error output.
    pub fn output(&self) -> String {
        let err = self.log.with_extension("err");
        let text = [&self.log, &err].iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect::<String>();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// Whether the process is still running.
    pub fn check_alive(&mut self) -> Result<(), String> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(format!("the server died under load ({status}):\n{}", self.output())),
            Err(e) => Err(e.to_string()),
        }
    }

    /// The process's peak resident set size in KiB (`VmHWM`).
    pub fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line["VmHWM:".len()..].trim().trim_end_matches("kB").trim().parse().ok()
    }

    /// Stops the server with SIGTERM and waits for a clean exit.
    pub fn stop(mut self) -> Result<(), String> {
        self.check_alive()?;
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().map_err(|e| e.to_string())?;
        if !sent.success() {
            return Err(format!("kill -TERM {pid} failed"));
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().map_err(|e| e.to_string())? {
                return if status.success() {
                    Ok(())
                } else {
                    Err(format!("the server exited with {status}:\n{}", self.output()))
                };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        Err("the server did not stop within 30 s of SIGTERM".to_owned())
    }
}
