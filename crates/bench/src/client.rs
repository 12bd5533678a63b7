//! A minimal HTTP/1.1 client over one blocking TCP connection per request: enough to
//! log in, read a CSRF token and send the counting pass's requests, with the same
//! headers wrk sends.
//!
//! Invariant: every request carries `Connection: close`, so a response ends at EOF and
//! no body framing needs parsing.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The headers a browser sends with every request (no `If-None-Match`: full responses
/// are measured).
pub const ACCEPT_ENCODING: &str = "gzip, br";

/// A response as read off the wire.
#[derive(Debug)]
pub struct Reply {
    /// The status code (0 when none could be read).
    pub status: u16,
    /// The status line and headers.
    pub head: String,
    /// The raw body (possibly chunked or compressed).
    pub body: String,
}

impl Reply {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<String> {
        self.head
            .lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(key, _)| key.trim().eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim().to_owned())
    }

    /// The hidden `csrf_token` field's value, when the page has a form.
    pub fn csrf_token(&self) -> Option<String> {
        let (_, rest) = self.body.split_once(r#"name="csrf_token" value=""#)?;
        rest.split('"').next().map(str::to_owned)
    }

    /// The `name=value` part of the session cookie set by this response.
    pub fn session_cookie(&self) -> Option<String> {
        self.header("set-cookie").and_then(|v| v.split(';').next().map(str::to_owned))
    }
}

/// A request: method, path, extra headers (`Name: value` lines) and an optional form body.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The path and query.
    pub path: &'a str,
    /// The session cookie (`name=value`), or empty.
    pub cookie: &'a str,
    /// An urlencoded form body, for a POST.
    pub form: Option<&'a str>,
}

/// Sends `request` to the server on `port` and reads the whole response.
pub fn send(port: u16, request: &Request<'_>) -> std::io::Result<Reply> {
    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Encoding: {ACCEPT_ENCODING}\r\nConnection: close\r\n",
        request.method, request.path
    );
    if !request.cookie.is_empty() {
        head.push_str(&format!("Cookie: {}\r\n", request.cookie));
    }
    if let Some(form) = request.form {
        head.push_str(&format!(
            "Origin: http://127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            form.len()
        ));
    }
    head.push_str("\r\n");
    head.push_str(request.form.unwrap_or_default());
    exchange(port, &head)
}

/// Writes `request` on a fresh connection and reads the response to EOF.
fn exchange(port: u16, request: &str) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok(Reply { status, head: head.to_owned(), body: body.to_owned() })
}

/// A plain GET without cookie.
pub fn get(port: u16, path: &str) -> std::io::Result<Reply> {
    send(port, &Request { method: "GET", path, cookie: "", form: None })
}

/// An anonymous session with its CSRF token, from the login page: `(cookie, token)`.
/// The page is fetched without `Accept-Encoding` so that the token can be read.
pub fn anonymous_session(port: u16) -> Result<(String, String), String> {
    let request = format!("GET /login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    let reply = exchange(port, &request).map_err(|e| e.to_string())?;
    match (reply.session_cookie(), reply.csrf_token()) {
        (Some(cookie), Some(token)) => Ok((cookie, token)),
        _ => Err(format!("GET /login gave no session cookie or CSRF token:\n{}", reply.head)),
    }
}

/// Logs `username` in and answers the logged-in session `(cookie, token)`; the token is
/// read from `page` (a staff page with a form) after the login.
pub fn log_in(port: u16, username: &str, password: &str, page: &str) -> Result<(String, String), String> {
    let (cookie, token) = anonymous_session(port)?;
    let form = format!("csrf_token={token}&username={username}&password={password}&next=");
    let reply = send(port, &Request { method: "POST", path: "/login", cookie: &cookie, form: Some(&form) })
        .map_err(|e| e.to_string())?;
    let Some(cookie) = reply.session_cookie().filter(|_| reply.status == 303) else {
        return Err(format!("login as {username} failed: {}", reply.head));
    };
    let request =
        format!("GET {page} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n");
    let reply = exchange(port, &request).map_err(|e| e.to_string())?;
    let token = reply.csrf_token().ok_or_else(|| format!("no CSRF token on {page} after login"))?;
    Ok((cookie, token))
}
