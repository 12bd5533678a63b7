//! `asset-tracker healthcheck`: one `GET` of the server's `/health` over plain
//! HTTP/1.1, for container health checks (the runtime image has no shell or curl).
//!
//! Invariants: the whole check (connect, send, read the status line) is bounded by one
//! timeout; only a `200` status passes; a wildcard bind address (`0.0.0.0`, `::`) is
//! checked on the loopback address of its family. The TLS proxy is not this check's
//! business: it talks to the process directly.

use crate::settings::ServerSettings;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// How long the check waits, from connecting to the status line, unless told otherwise.
pub const DEFAULT_TIMEOUT_SECS: u64 = 3;

/// Where to send the check: `http://host:port/path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    host: String,
    port: u16,
    path: String,
}

impl Target {
    /// The configured server's `/health`. A wildcard host becomes the loopback
    /// address, since a wildcard is where the server listens, not an address to call.
    ///
    /// # Errors
    /// When the configured port is 0 (the server picks one at start, so there is no
    /// fixed address to check): pass `--url`.
    pub fn from_settings(server: &ServerSettings) -> Result<Self, String> {
        if server.port == 0 {
            return Err("the configured port is 0 (a free port picked at start): pass --url".into());
        }
        let host = server.host.trim().trim_start_matches('[').trim_end_matches(']');
        let host = match host.parse::<IpAddr>() {
            Ok(IpAddr::V4(ip)) if ip.is_unspecified() => Ipv4Addr::LOCALHOST.to_string(),
            Ok(IpAddr::V6(ip)) if ip.is_unspecified() => Ipv6Addr::LOCALHOST.to_string(),
            _ if host.is_empty() => Ipv4Addr::LOCALHOST.to_string(),
            _ => host.to_owned(),
        };
        Ok(Self { host, port: server.port, path: "/health".into() })
    }

    /// Parses `http://host[:port][/path]` (port 80 and path `/` when omitted; IPv6
    /// hosts in brackets).
    ///
    /// # Errors
    /// A message naming what is wrong: another scheme (the check speaks plain HTTP to
    /// the process, never through the TLS proxy), no host, or a bad port.
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        let Some(rest) = url.strip_prefix("http://") else {
            return Err(format!("{url:?} is not an http:// URL (the check calls the server directly, without TLS)"));
        };
        let (authority, path) = rest.find(['/', '?']).map_or((rest, "/"), |i| rest.split_at(i));
        let path = if path.starts_with('?') { format!("/{path}") } else { path.to_owned() };
        if authority.contains('@') {
            return Err(format!("{url:?}: user information is not supported"));
        }
        let (host, port) = split_host_port(authority).ok_or_else(|| format!("{url:?} has an invalid host or port"))?;
        if host.is_empty() {
            return Err(format!("{url:?} names no host"));
        }
        Ok(Self { host: host.to_owned(), port, path })
    }

    /// The URL, for messages.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.authority(), self.path)
    }

    fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// `host[:port]` or `[v6][:port]`; `None` when the port is not a number from 1 to 65535.
fn split_host_port(authority: &str) -> Option<(&str, u16)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':')?)),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => 80,
        Some(p) => p.parse::<u16>().ok().filter(|p| *p > 0)?,
    };
    Some((host, port))
}

/// Calls `target` once; `Ok` with a line to print when it answers 200 within
/// `timeout`, `Err` saying why otherwise (refused, timed out, another status).
///
/// # Errors
/// Any outcome but a `200` status line within `timeout`.
pub async fn check(target: &Target, timeout: Duration) -> Result<String, String> {
    let url = target.url();
    match tokio::time::timeout(timeout, status_line(target)).await {
        Err(_) => Err(format!("unhealthy: {url} did not answer within {} ms", timeout.as_millis())),
        Ok(Err(e)) => Err(format!("unhealthy: {url}: {e}")),
        Ok(Ok(line)) => {
            let status = line.split_whitespace().nth(1).unwrap_or("");
            if status == "200" {
                Ok(format!("healthy: {url} answered {}", line.trim()))
            } else {
                Err(format!("unhealthy: {url} answered {}", shown(&line)))
            }
        }
    }
}

/// Connects, sends the request, and reads the response's first line.
async fn status_line(target: &Target) -> Result<String, String> {
    let stream = TcpStream::connect((target.host.as_str(), target.port))
        .await
        .map_err(|e| format!("cannot connect to {}: {e}", target.authority()))?;
    let mut stream = BufReader::new(stream);
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: asset-tracker-healthcheck\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        target.path,
        target.authority()
    );
    stream.get_mut().write_all(request.as_bytes()).await.map_err(|e| format!("cannot send the request: {e}"))?;
    let mut line = Vec::new();
    // One status line is short; a server sending more than this without a newline is
    // not an HTTP server.
    let read = (&mut stream).take(1024).read_until(b'\n', &mut line).await;
    let read = read.map_err(|e| format!("cannot read the answer: {e}"))?;
    if read == 0 {
        return Err("the connection closed without an answer".into());
    }
    let line = String::from_utf8_lossy(&line).into_owned();
    if !line.starts_with("HTTP/") {
        return Err(format!("not an HTTP answer: {}", shown(&line)));
    }
    Ok(line)
}

/// A status line fit for one line of output: trimmed, control characters replaced,
/// at most 120 characters.
fn shown(line: &str) -> String {
    line.trim().chars().take(120).map(|c| if c.is_control() { '?' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(host: &str, port: u16) -> ServerSettings {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
        let mut s = crate::settings::load_from(&dir, crate::settings::Profile::Development).expect("defaults").server;
        s.host = host.to_owned();
        s.port = port;
        s
    }

    #[test]
    fn a_wildcard_bind_address_is_checked_on_the_loopback_of_its_family() {
        assert_eq!(Target::from_settings(&server("0.0.0.0", 8080)).unwrap().url(), "http://127.0.0.1:8080/health");
        assert_eq!(Target::from_settings(&server("::", 8080)).unwrap().url(), "http://[::1]:8080/health");
        assert_eq!(Target::from_settings(&server("[::]", 81)).unwrap().url(), "http://[::1]:81/health");
        assert_eq!(Target::from_settings(&server("10.1.2.3", 9)).unwrap().url(), "http://10.1.2.3:9/health");
        assert_eq!(Target::from_settings(&server("localhost", 9)).unwrap().url(), "http://localhost:9/health");
    }

    #[test]
    fn a_port_picked_at_start_cannot_be_checked_from_the_settings() {
        let err = Target::from_settings(&server("127.0.0.1", 0)).unwrap_err();
        assert!(err.contains("--url"), "{err}");
    }

    #[test]
    fn urls_are_parsed_with_their_defaults() {
        let t = Target::parse("http://127.0.0.1:8080/ready").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.path.as_str()), ("127.0.0.1", 8080, "/ready"));
        assert_eq!(Target::parse("http://tracker").unwrap().url(), "http://tracker:80/");
        assert_eq!(Target::parse("http://[::1]:9/health").unwrap().url(), "http://[::1]:9/health");
        assert_eq!(Target::parse("http://h:1?x=1").unwrap().url(), "http://h:1/?x=1");
    }

    #[test]
    fn bad_urls_are_refused_with_the_reason() {
        for (url, reason) in [
            ("https://tracker.example.org/health", "not an http:// URL"),
            ("tracker:8080", "not an http:// URL"),
            ("http://:8080/health", "names no host"),
            ("http://h:0/", "invalid host or port"),
            ("http://h:99999/", "invalid host or port"),
            ("http://h:port/", "invalid host or port"),
            ("http://[::1/", "invalid host or port"),
            ("http://u:p@h/", "user information"),
        ] {
            let err = Target::parse(url).unwrap_err();
            assert!(err.contains(reason), "{url}: {err}");
        }
    }

    #[test]
    fn a_status_line_is_shown_on_one_safe_line() {
        assert_eq!(shown("HTTP/1.1 503 Service Unavailable\r\n"), "HTTP/1.1 503 Service Unavailable");
        assert_eq!(shown("a\u{1b}[31mb"), "a?[31mb");
        assert_eq!(shown(&"x".repeat(500)).len(), 120);
    }
}
