//! Runs one row as one role through the real router (session, CSRF token and all) and
//! compares what came back, and what the tracker holds afterwards, with the row's
//! expected outcome.

use super::guard;
use super::rows::{Outcome, Row};
use super::world::{Snapshot, World};
use crate::support::{Client, TestApp, TestResponse};
use axum::http::StatusCode;

/// Who sends the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// No session login.
    Anonymous,
    /// The seeded manager.
    Manager,
    /// The seeded admin.
    Admin,
}

impl Role {
    /// Every role, in the order of a row's outcomes.
    pub const ALL: [Role; 3] = [Role::Anonymous, Role::Manager, Role::Admin];

    /// A client of `app` logged in as this role.
    pub async fn client(self, app: &TestApp) -> Client {
        match self {
            Role::Anonymous => app.anonymous(),
            Role::Manager => app.login("manager").await,
            Role::Admin => app.login("admin").await,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Sends `row` as `role` with `client`; `Err` says how the answer differs from the table.
pub async fn check(app: &TestApp, world: &World, client: &Client, row: &Row, role: Role) -> Result<(), String> {
    judge(app, world, client, row, role, Token::Sent, row.expect[role.index()]).await
}

/// Sends POST `row` as `role` without the session's CSRF token: it must answer 403 and
/// change nothing, whoever sends it.
pub async fn check_without_token(
    app: &TestApp,
    world: &World,
    client: &Client,
    row: &Row,
    role: Role,
) -> Result<(), String> {
    judge(app, world, client, row, role, Token::Left, Outcome::Forbidden).await
}

/// Whether a POST carries the session's CSRF token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Sent,
    Left,
}

async fn judge(
    app: &TestApp,
    world: &World,
    client: &Client,
    row: &Row,
    role: Role,
    token: Token,
    expected: Outcome,
) -> Result<(), String> {
    let path = world.fill(row.path);
    let what = format!("{role:?} {} {path} ({}, token {token:?})", row.method, row.pattern);
    if !guard::matches(row.pattern, &path) {
        return Err(format!("{what}: the path is not an instance of the pattern"));
    }
    let fields: Vec<(&str, String)> = row.form.iter().map(|(k, v)| (*k, world.fill(v))).collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let before = world.snapshot(app).await;
    let response = match (row.method, token) {
        ("GET", _) => client.get(&path).await,
        (_, Token::Sent) => client.post_form(&path, &fields).await,
        (_, Token::Left) => client.post_form_without_token(&path, &fields).await,
    };
    let after = world.snapshot(app).await;
    let verdict = Verdict { world, row, path: &path, response: &response, before: &before, after: &after };
    match verdict.problem(expected, client).await {
        None => Ok(()),
        Some(problem) => Err(format!(
            "{what}: expected {expected:?}, got {} {} ({problem}){}",
            response.status.as_u16(),
            response.location().map(|l| format!("to {l}")).unwrap_or_default(),
            excerpt(&response),
        )),
    }
}

struct Verdict<'a> {
    world: &'a World,
    row: &'a Row,
    path: &'a str,
    response: &'a TestResponse,
    before: &'a Snapshot,
    after: &'a Snapshot,
}

impl Verdict<'_> {
    /// What is wrong with the answer, or `None`.
    async fn problem(&self, expected: Outcome, client: &Client) -> Option<String> {
        let status = |code: StatusCode| (self.response.status != code).then(|| "wrong status".to_owned());
        let unchanged = || (self.before != self.after).then(|| "yet the tracker changed".to_owned());
        match expected {
            Outcome::Ok => status(StatusCode::OK).or_else(unchanged),
            Outcome::Shown => status(StatusCode::OK).or_else(|| {
                (self.after.audit_entries <= self.before.audit_entries).then(|| "but nothing was recorded".to_owned())
            }),
            Outcome::Forbidden => status(StatusCode::FORBIDDEN).or_else(unchanged),
            Outcome::NotFound => status(StatusCode::NOT_FOUND).or_else(unchanged),
            Outcome::Conflict => status(StatusCode::CONFLICT).or_else(unchanged),
            Outcome::Invalid => status(StatusCode::UNPROCESSABLE_ENTITY).or_else(unchanged),
            Outcome::ToLogin => {
                let to = if self.row.method == "GET" {
                    format!("/login?{}", serde_urlencoded::to_string([("next", self.path)]).unwrap_or_default())
                } else {
                    "/login".to_owned()
                };
                self.redirect(&to).or_else(unchanged)
            }
            Outcome::Redirect(to) => self.redirect(to),
            Outcome::Done(to) => self.redirect(to).or_else(|| {
                (self.after.audit_entries <= self.before.audit_entries).then(|| "but nothing was recorded".to_owned())
            }),
            Outcome::Refused(to) => match self.redirect(to).or_else(unchanged) {
                Some(problem) => Some(problem),
                None => self.error_flash_at(client).await,
            },
        }
    }

    /// `None` when the answer is 303 to `to` (a trailing `*` matches any rest).
    fn redirect(&self, to: &str) -> Option<String> {
        if self.response.status != StatusCode::SEE_OTHER {
            return Some("wrong status".to_owned());
        }
        let to = self.world.fill(to);
        let location = self.response.location().unwrap_or_default();
        let fits = match to.strip_suffix('*') {
            Some(prefix) => location.starts_with(prefix) && location.len() > prefix.len(),
            None => location == to,
        };
        (!fits).then(|| format!("wrong location, expected {to}"))
    }

    /// `None` when the page redirected to shows an error flash.
    async fn error_flash_at(&self, client: &Client) -> Option<String> {
        let page = client.get(self.response.location().unwrap_or_default()).await;
        (!page.body.contains("flash flash-error")).then(|| "the page redirected to shows no error flash".to_owned())
    }
}

/// The error page's message or the flash, to say why a request was answered as it was.
fn excerpt(response: &TestResponse) -> String {
    let body = &response.body;
    let Some(start) = body.find("<h1>") else { return String::new() };
    let text: String = body[start..].chars().take(300).collect();
    let text = text.split("</main>").next().unwrap_or_default();
    let plain: String = text.split('<').map(|s| s.split_once('>').map_or(s, |(_, t)| t)).collect::<Vec<_>>().join(" ");
    format!(": {}", plain.split_whitespace().collect::<Vec<_>>().join(" "))
}
