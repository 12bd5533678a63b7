//! SQL statements per request, counted from the server's own sqlx logs
//! (`sqlx::query=debug`, JSON): a few requests of each endpoint one after the other,
//! the statement lines each one added.
//!
//! Invariant: counted as crates/bin-server/tests/statements.rs counts in-process: a
//! COMMIT or ROLLBACK counts 2 (sqlx does not always report the BEGIN), a reported BEGIN
//! counts 0, any other statement 1.

use crate::client::{Request, anonymous_session, send};
use crate::load::{Endpoint, Session};
use std::path::Path;
use std::time::Duration;

/// What one log line adds to the count.
pub fn weight(line: &str) -> usize {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else { return 0 };
    if value["target"].as_str() != Some("sqlx::query") {
        return 0;
    }
    let summary = value["fields"]["summary"].as_str().unwrap_or_default();
    match summary.split_whitespace().next().unwrap_or_default().to_ascii_uppercase().as_str() {
        "BEGIN" => 0,
        "COMMIT" | "ROLLBACK" => 2,
        _ => 1,
    }
}

/// Statements logged so far and the log's length, to count from there.
fn count_from(log: &Path, offset: usize) -> (usize, usize) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let new = text.get(offset..).unwrap_or_default();
    // Only whole lines: a line still being written is counted next time.
    let end = new.rfind('\n').map_or(0, |i| i + 1);
    (new[..end].lines().map(weight).sum(), offset + end)
}

/// The first request's count and the median of the `n - 1` after it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counted {
    /// The first request after the server started.
    pub first: usize,
    /// The median of the following requests (steady state).
    pub steady: usize,
}

/// Sends `endpoint` `n` times to the server on `port` whose log is `log`, counting each.
pub fn count(port: u16, log: &Path, endpoint: &Endpoint, session: &Session, n: usize) -> Result<Counted, String> {
    let (_, mut offset) = count_from(log, 0);
    let mut counts = Vec::new();
    for _ in 0..n {
        let (cookie, form, path) = match endpoint {
            Endpoint::Get { path, .. } => (String::new(), None, path.clone()),
            Endpoint::StaffGet { path, .. } => (session.cookie.clone(), None, path.clone()),
            Endpoint::CreateEvent { mission, entries } => {
                let key = format!("{:032x}", rand::random::<u128>());
                let rows: String = entries
                    .iter()
                    .zip(["-1", "2", "-1"])
                    .map(|(e, d)| format!("&change_entry={e}&change_delta={d}&change_note=count"))
                    .collect();
                let form = format!(
                    "csrf_token={}&idempotency_key={key}&kind=Combat&title=Counted+event&description=\
                     &occurred_at=2026-12-01T12%3A00&location=&notes={rows}",
                    session.token
                );
                (session.cookie.clone(), Some(form), format!("/manage/missions/{mission}/events/new"))
            }
            Endpoint::Login => {
                let (cookie, token) = anonymous_session(port)?;
                std::thread::sleep(Duration::from_millis(30));
                offset = count_from(log, offset).1;
                let form = format!(
                    "csrf_token={token}&username={}&password={}&next=",
                    crate::seed::MANAGER,
                    crate::seed::PASSWORD
                );
                (cookie, Some(form), "/login".to_owned())
            }
        };
        let method = if form.is_some() { "POST" } else { "GET" };
        let reply = send(port, &Request { method, path: &path, cookie: &cookie, form: form.as_deref() })
            .map_err(|e| e.to_string())?;
        if !(200..400).contains(&reply.status) {
            return Err(format!("{method} {path} answered {} in the counting pass", reply.status));
        }
        std::thread::sleep(Duration::from_millis(30));
        let (statements, next) = count_from(log, offset);
        offset = next;
        counts.push(statements);
    }
    let first = counts.first().copied().unwrap_or_default();
    let mut rest = counts.get(1..).unwrap_or_default().to_vec();
    rest.sort_unstable();
    let steady = rest.get(rest.len() / 2).copied().unwrap_or(first);
    Ok(Counted { first, steady })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(summary: &str) -> String {
        serde_json::json!({"level": "DEBUG", "target": "sqlx::query", "fields": {"summary": summary}}).to_string()
    }

    #[test]
    fn a_transaction_counts_its_begin_once_whether_or_not_sqlx_logs_it() {
        assert_eq!(weight(&line("BEGIN")), 0);
        assert_eq!(weight(&line("COMMIT")), 2);
        assert_eq!(weight(&line("rollback")), 2);
        assert_eq!(weight(&line("SELECT revision FROM store_revision …")), 1);
    }

    #[test]
    fn lines_of_other_targets_and_non_json_count_nothing() {
        let other = serde_json::json!({"target": "asset_tracker", "fields": {"summary": "SELECT"}}).to_string();
        assert_eq!(weight(&other), 0);
        assert_eq!(weight("not json"), 0);
    }
}
