//! The real server over real TCP: `Application::build` with the testing profile on a
//! SQLite temp file (seeded with the built-in libraries, an active campaign and 200
//! events), port 0, the rate limit off; then `GET /` (the rendered dashboard page) and
//! `GET /api/v1/pool` (JSON) from 8 concurrent keep-alive connections for ~3 s each.
//!
//! Each connection sends back the session cookie it is given, as a browser would, so
//! that a session is created once per client rather than once per request.

mod support;

use bin_server::Application;
use bin_server::settings::{Profile, load_from};
use secrecy::SecretString;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

const CONNECTIONS: usize = 8;
const RUN_FOR: Duration = Duration::from_secs(3);
const WARM_UP: usize = 20;

fn main() {
    support::run("http_server", async {
        let (store, dir) = support::sqlite_store("http").await;
        let t = support::tracker(store.clone());
        let admin = support::admin(&t).await;
        let entries = support::seed_builtin(&t, &admin, 200).await;
        store.close().await;

        let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
        let mut settings = load_from(&config, Profile::Testing).expect("testing profile");
        let url = format!("sqlite://{}", dir.join("tracker.db").display());
        settings.database.url = Some(SecretString::from(url));
        settings.database.max_connections = 10; // the shipped default; testing's 1 is for `sqlite::memory:`
        settings.security.requests_per_minute = 0; // off: one client address sends everything
        let app = Application::build(&settings, None).await.expect("server starts");
        let port = app.port();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));

        support::header(&format!(
            "HTTP on SQLite: {CONNECTIONS} keep-alive connections, ~{} s per path ({entries} pool entries, 200 events)",
            RUN_FOR.as_secs()
        ));
        let mut notes = Vec::new();
        for path in ["/", "/api/v1/pool"] {
            notes.push(load(port, path).await);
        }
        println!();
        for note in notes {
            println!("- {note}");
        }

        let _ = stop.send(());
        server.await.expect("server task").expect("server stops cleanly");
        let _ = std::fs::remove_dir_all(dir);
    });
}

/// Requests `path` from every connection until the time is up; prints the row and
/// returns a note on the responses.
async fn load(port: u16, path: &'static str) -> String {
    let mut warm = Client::connect(port).await;
    for _ in 0..WARM_UP {
        warm.get(path).await;
    }
    let started = Instant::now();
    let deadline = started + RUN_FOR;
    let tasks: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            tokio::spawn(async move {
                let mut client = Client::connect(port).await;
                let mut latencies = Vec::new();
                let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
                let mut bytes = 0;
                while Instant::now() < deadline {
                    let one = Instant::now();
                    let (status, body) = client.get(path).await;
                    latencies.push(one.elapsed());
                    *statuses.entry(status).or_default() += 1;
                    bytes = body;
                }
                (latencies, statuses, bytes, client.cookie.is_some())
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let (mut bytes, mut cookies) = (0, 0);
    for task in tasks {
        let (l, s, b, c) = task.await.expect("client task");
        latencies.extend(l);
        for (status, count) in s {
            *statuses.entry(status).or_default() += count;
        }
        bytes = b;
        cookies += usize::from(c);
    }
    support::row(&format!("GET {path}"), "SQLite (file, WAL)", started.elapsed(), &mut latencies);
    format!(
        "GET {path}: {bytes} body bytes per response; statuses {statuses:?}; \
         {cookies} of {CONNECTIONS} connections were given a session cookie"
    )
}

/// One keep-alive HTTP/1.1 connection that keeps the session cookie it is given.
struct Client {
    conn: BufReader<TcpStream>,
    cookie: Option<String>,
}

impl Client {
    async fn connect(port: u16) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Self { conn: BufReader::new(stream), cookie: None }
    }

    /// Sends a GET and reads the whole response; returns the status and body length.
    async fn get(&mut self, path: &str) -> (u16, usize) {
        let cookie = self.cookie.as_ref().map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
        let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n{cookie}\r\n");
        self.conn.get_mut().write_all(request.as_bytes()).await.expect("send");
        let status_line = self.line().await;
        let status = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let (mut length, mut chunked) = (None, false);
        loop {
            let line = self.line().await;
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap_or((&line, ""));
            let (name, value) = (name.to_ascii_lowercase(), value.trim());
            match name.as_str() {
                "content-length" => length = value.parse::<usize>().ok(),
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "set-cookie" if self.cookie.is_none() => {
                    self.cookie = value.split(';').next().map(str::to_owned);
                }
                _ => {}
            }
        }
        let body = if chunked { self.chunked_body().await } else { self.body(length.unwrap_or(0)).await };
        (status, body)
    }

    /// One header line without its CRLF; panics when the server closes the connection.
    async fn line(&mut self) -> String {
        let mut line = String::new();
        let read = self.conn.read_line(&mut line).await.expect("read");
        assert!(read > 0, "the server closed a keep-alive connection");
        line.trim_end_matches(['\r', '\n']).to_owned()
    }

    async fn body(&mut self, length: usize) -> usize {
        let mut body = vec![0; length];
        self.conn.read_exact(&mut body).await.expect("body");
        length
    }

    async fn chunked_body(&mut self) -> usize {
        let mut total = 0;
        loop {
            let size = usize::from_str_radix(self.line().await.split(';').next().unwrap_or("").trim(), 16)
                .expect("chunk size");
            if size == 0 {
                while !self.line().await.is_empty() {}
                return total;
            }
            total += self.body(size).await;
            self.line().await;
        }
    }
}
