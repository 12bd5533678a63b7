//! What the server tests share: settings for a profile, a running server on port 0, and
//! a browser's worth of HTTP over raw TCP (a session cookie and the CSRF token).

#![allow(dead_code)] // each test binary uses its own part

use adapters_http::MetricsRenderer;
use bin_server::Application;
use bin_server::settings::{Profile, Settings, load_from};
use secrecy::SecretString;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

/// The settings of `profile` from the repository's config files, on `database_url`.
pub fn settings_for(profile: Profile, database_url: &str) -> Settings {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
    let mut s = load_from(&dir, profile).expect("the profile loads");
    s.database.url = Some(SecretString::from(database_url.to_owned()));
    if profile == Profile::Production {
        // As an operator must: the shipped key is public.
        s.security.api_token_key = SecretString::from("a-test-api-token-key-of-32-chars-or-more".to_owned());
    }
    s
}

/// A SQLite URL for a fresh file of this test process.
pub fn temp_sqlite(name: &str) -> String {
    let dir: PathBuf = std::env::temp_dir().join(format!("asset-tracker-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    format!("sqlite://{}", dir.join("tracker.db").display())
}

/// A server started from settings, stopped by `stop`.
pub struct Running {
    pub port: u16,
    stop: oneshot::Sender<()>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Builds and starts the application of `settings` on its configured port.
    pub async fn start(settings: &Settings) -> Self {
        Self::start_with(settings, None).await.0
    }

    /// As `start`, rendering metrics with `metrics`; also answers the metrics listener's
    /// port.
    pub async fn start_with(settings: &Settings, metrics: Option<MetricsRenderer>) -> (Self, Option<u16>) {
        let app = Application::build(settings, metrics).await.expect("server starts");
        let (port, metrics_port) = (app.port(), app.metrics_port());
        let (stop, stopped) = oneshot::channel::<()>();
        let done = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        (Self { port, stop, done }, metrics_port)
    }

    /// Stops the server and waits for it.
    pub async fn stop(self) {
        self.stop.send(()).expect("the server runs");
        tokio::time::timeout(Duration::from_secs(10), self.done).await.expect("stops in time").unwrap().unwrap();
    }
}

/// A response as read off the wire.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    /// Every value of header `name` (case-insensitive).
    pub fn headers(&self, name: &str) -> Vec<String> {
        self.head
            .lines()
            .filter_map(|line| line.split_once(':'))
            .filter(|(key, _)| key.trim().eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim().to_owned())
            .collect()
    }

    /// The first value of header `name`.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers(name).into_iter().next()
    }
}

/// One raw HTTP/1.1 exchange on a fresh connection.
pub async fn exchange(port: u16, request: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Reply { status, head: head.to_owned(), body: body.to_owned() }
}

/// A browser's worth of state: the session cookie and the last CSRF token seen, plus
/// headers sent with every request (such as a proxy's `X-Forwarded-For`).
#[derive(Debug, Clone)]
pub struct Client {
    pub port: u16,
    pub cookie: String,
    pub csrf: String,
    pub extra: String,
}

impl Client {
    pub fn new(port: u16) -> Self {
        Self { port, cookie: String::new(), csrf: String::new(), extra: String::new() }
    }

    /// Sends `header: value` with every request from now on.
    pub fn with_header(mut self, header: &str, value: &str) -> Self {
        self.extra.push_str(&format!("{header}: {value}\r\n"));
        self
    }

    fn remember(&mut self, reply: &Reply) {
        for value in reply.headers("set-cookie") {
            self.cookie = value.split(';').next().unwrap_or_default().to_owned();
        }
        if let Some((_, rest)) = reply.body.split_once(r#"name="csrf_token" value=""#) {
            self.csrf = rest.split('"').next().unwrap_or_default().to_owned();
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nCookie: {}\r\n{}Connection: close\r\n\r\n",
            self.cookie, self.extra
        );
        let reply = exchange(self.port, &request).await;
        self.remember(&reply);
        reply
    }

    /// Posts `form` with the CSRF token (when `with_token`), as the page's form would.
    pub async fn post_form(&mut self, path: &str, form: &str, with_token: bool) -> Reply {
        let body = if with_token { format!("{form}&csrf_token={}", self.csrf) } else { form.to_owned() };
        self.send("POST", path, "application/x-www-form-urlencoded", &body, &[]).await
    }

    /// Sends a JSON `body` with this client's cookies and the `extra` headers, as a
    /// script would call the API.
    pub async fn send_json(&mut self, method: &str, path: &str, body: &str, extra: &[(&str, &str)]) -> Reply {
        self.send(method, path, "application/json", body, extra).await
    }

    /// Sends `body` of `content_type` with this client's cookies, its own extra headers
    /// and `extra`, and remembers the cookies of the reply.
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        content_type: &str,
        body: &str,
        extra: &[(&str, &str)],
    ) -> Reply {
        let headers: String = extra.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\nCookie: {}\r\n{}{headers}\
             Content-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.cookie,
            self.extra,
            body.len()
        );
        let reply = exchange(self.port, &request).await;
        self.remember(&reply);
        reply
    }

    pub async fn post(&mut self, path: &str, form: &str) -> u16 {
        self.post_form(path, form, true).await.status
    }

    /// Opens the login page and logs in; answers the reply to the login.
    pub async fn log_in(&mut self, username: &str, password: &str) -> Reply {
        self.get("/login").await;
        self.post_form("/login", &format!("username={username}&password={password}"), true).await
    }
}
