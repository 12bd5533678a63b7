//! The table's vocabulary (a row: method, route pattern, concrete path and form built
//! from the world's `{markers}`, and one expected outcome per role) and its public,
//! probe, account and admin rows. The staff rows live in `manage_rows` and
//! `library_rows`.

use super::library_rows::LIBRARY_ROWS;
use super::manage_rows::MANAGE_ROWS;
use super::mission_rows::MISSION_ROWS;
use Outcome::{Done, Forbidden, Invalid, NotFound, Ok, Redirect, Refused, Shown, ToLogin};

/// What one role gets from one row's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 200, a page; nothing changes.
    Ok,
    /// 303 to `/login?next=<the path>` (GET) or `/login` (POST); nothing changes.
    ToLogin,
    /// 303 to this location (a trailing `*` matches any rest) after writing at least
    /// one audit entry: the request did what it asked.
    Done(&'static str),
    /// 200, a page showing what was just done (a secret shown once), after writing at
    /// least one audit entry.
    Shown,
    /// 303 to this location; the tracker may or may not change (logging in and out).
    Redirect(&'static str),
    /// 303 back to this location with an error flash; nothing changes.
    Refused(&'static str),
    /// 403; nothing changes.
    Forbidden,
    /// 404; nothing changes.
    NotFound,
    /// 409, the conflict page (a closed campaign); nothing changes.
    Conflict,
    /// 422, the form again with the refusal at its top; nothing changes.
    Invalid,
}

/// One request and what each role gets from it.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The route as the router declares it.
    pub pattern: &'static str,
    /// The concrete path (and query), with `{markers}` of the world.
    pub path: &'static str,
    /// The form fields (POST), values with `{markers}`; the CSRF token is added.
    pub form: &'static [(&'static str, &'static str)],
    /// For the public, a manager and an admin.
    pub expect: [Outcome; 3],
}

/// Anyone may read it.
pub const PUBLIC: [Outcome; 3] = [Ok, Ok, Ok];
/// A staff page: the public is sent to log in.
pub const STAFF: [Outcome; 3] = [ToLogin, Ok, Ok];
/// An admin page (or a form a manager may not submit).
pub const ADMIN: [Outcome; 3] = [ToLogin, Forbidden, Ok];
/// A page about a closed campaign that only offers changes: a conflict for all staff.
pub const CLOSED: [Outcome; 3] = [ToLogin, Outcome::Conflict, Outcome::Conflict];

/// A staff write any staff member may make, answered with a redirect to `to`.
pub const fn staff(to: &'static str) -> [Outcome; 3] {
    [ToLogin, Done(to), Done(to)]
}

/// A write only an admin may make (on a campaign that is not active, only admins run it).
pub const fn admin(to: &'static str) -> [Outcome; 3] {
    [ToLogin, Forbidden, Done(to)]
}

/// A write to a closed campaign: refused for everyone, with an error flash back to `to`.
pub const fn closed(to: &'static str) -> [Outcome; 3] {
    [ToLogin, Refused(to), Refused(to)]
}

/// A GET row.
pub const fn get(pattern: &'static str, path: &'static str, expect: [Outcome; 3]) -> Row {
    Row { method: "GET", pattern, path, form: &[], expect }
}

/// A POST row.
pub const fn post(
    pattern: &'static str,
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    expect: [Outcome; 3],
) -> Row {
    Row { method: "POST", pattern, path, form, expect }
}

/// A well-formed idempotency key for create forms.
pub const KEY: &str = "route-table-key-0001";

const PASSWORD: &str = crate::support::PASSWORD;

/// The public pages, probes, login and profile, and the admin pages.
const ROWS: &[Row] = &[
    // Public pages and the JSON pool.
    get("/", "/", PUBLIC),
    get("/timeline", "/timeline", PUBLIC),
    get("/timeline", "/timeline?page=2", PUBLIC),
    get("/missions", "/missions", PUBLIC),
    get("/missions", "/missions?page=2", PUBLIC),
    get("/missions/{id}", "/missions/{mission}", PUBLIC),
    get("/missions/{id}", "/missions/{mission}?page=3", PUBLIC),
    get("/missions/{id}", "/missions/{c_mission}", [NotFound, NotFound, NotFound]),
    get("/missions/{id}", "/missions/{p_mission}", [NotFound, NotFound, NotFound]),
    get("/missions/{id}", "/missions/{missing}", [NotFound, NotFound, NotFound]),
    get("/campaigns", "/campaigns", PUBLIC),
    get("/campaigns/{id}", "/campaigns/{closed}", PUBLIC),
    get("/campaigns/{id}", "/campaigns/{active}", [NotFound, NotFound, NotFound]),
    get("/campaigns/{id}/report.csv", "/campaigns/{closed}/report.csv", PUBLIC),
    get("/campaigns/{id}/report.csv", "/campaigns/{active}/report.csv", [NotFound, NotFound, NotFound]),
    get("/campaigns/{id}/report.json", "/campaigns/{closed}/report.json", PUBLIC),
    get("/campaigns/{id}/report.json", "/campaigns/{active}/report.json", [NotFound, NotFound, NotFound]),
    // The API reference page; the API itself (no session, tokens only) has its own
    // table in `api`, checked against the OpenAPI document.
    get("/api", "/api", PUBLIC),
    // Probes and static files; /metrics lives on the metrics listener, never here.
    get("/health", "/health", PUBLIC),
    get("/ready", "/ready", PUBLIC),
    get("/metrics", "/metrics", [NotFound, NotFound, NotFound]),
    get("/static/{*file}", "{css}", PUBLIC),
    // Login, logout and the profile.
    get("/login", "/login", [Ok, Redirect("/manage"), Redirect("/manage")]),
    post("/login", "/login", &[("username", "manager"), ("password", PASSWORD)], [Redirect("/manage"); 3]),
    post("/logout", "/logout", &[], [Redirect("/"); 3]),
    get("/profile", "/profile", STAFF),
    post("/profile/username", "/profile/username", &[("username", "renamed.staff")], staff("/profile")),
    post(
        "/profile/password",
        "/profile/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", "a new long password"),
            ("confirm_password", "a new long password"),
        ],
        staff("/profile"),
    ),
    post(
        "/profile/tokens",
        "/profile/tokens",
        &[("name", "Discord bot"), ("expires_in_days", "30")],
        [ToLogin, Shown, Shown],
    ),
    post("/profile/tokens", "/profile/tokens", &[("name", ""), ("expires_in_days", "0")], [ToLogin, Invalid, Invalid]),
    post(
        "/profile/tokens/{id}/revoke",
        "/profile/tokens/{admin_token}/revoke",
        &[],
        [ToLogin, NotFound, Done("/profile")],
    ),
    // Admin: campaigns.
    get("/admin", "/admin", ADMIN),
    get("/admin/campaigns/new", "/admin/campaigns/new", ADMIN),
    post(
        "/admin/campaigns/new",
        "/admin/campaigns/new",
        &[
            ("name", "Operation Later"),
            ("start_date", "2026-03-01"),
            ("library_ids", "{lib}"),
            ("idempotency_key", KEY),
        ],
        admin("/admin"),
    ),
    get("/admin/campaigns/{id}/edit", "/admin/campaigns/{planned}/edit", ADMIN),
    post(
        "/admin/campaigns/{id}/edit",
        "/admin/campaigns/{planned}/edit",
        &[("name", "Operation Renamed"), ("start_date", "2026-02-01")],
        admin("/admin"),
    ),
    // A closed campaign's edit page explains it is read-only; saving is refused on the form.
    get("/admin/campaigns/{id}/edit", "/admin/campaigns/{closed}/edit", ADMIN),
    post(
        "/admin/campaigns/{id}/edit",
        "/admin/campaigns/{closed}/edit",
        &[("name", "Operation Rewritten"), ("start_date", "2026-02-01")],
        [ToLogin, Forbidden, Outcome::Invalid],
    ),
    post("/admin/campaigns/{id}/activate", "/admin/campaigns/{planned}/activate", &[], admin("/admin")),
    post(
        "/admin/campaigns/{id}/activate",
        "/admin/campaigns/{closed}/activate",
        &[],
        [ToLogin, Forbidden, Refused("/admin")],
    ),
    get("/admin/campaigns/{id}/close", "/admin/campaigns/{active}/close", ADMIN),
    post(
        "/admin/campaigns/{id}/close",
        "/admin/campaigns/{active}/close",
        &[],
        admin("/manage/campaigns/{active}/report"),
    ),
    get("/admin/campaigns/{id}/close", "/admin/campaigns/{closed}/close", [ToLogin, Forbidden, Outcome::Conflict]),
    post(
        "/admin/campaigns/{id}/close",
        "/admin/campaigns/{closed}/close",
        &[],
        [ToLogin, Forbidden, Refused("/admin")],
    ),
    // Admin: users and the audit log.
    get("/admin/users", "/admin/users", ADMIN),
    get("/admin/users/new", "/admin/users/new", ADMIN),
    post(
        "/admin/users/new",
        "/admin/users/new",
        &[
            ("username", "newcomer"),
            ("role", "manager"),
            ("password", "a long enough password"),
            ("idempotency_key", KEY),
        ],
        admin("/admin/users"),
    ),
    post("/admin/users/{id}/role", "/admin/users/{manager2}/role", &[("role", "admin")], admin("/admin/users")),
    post(
        "/admin/users/{id}/username",
        "/admin/users/{manager2}/username",
        &[("username", "renamed.manager")],
        admin("/admin/users"),
    ),
    post("/admin/users/{id}/disable", "/admin/users/{manager2}/disable", &[], admin("/admin/users")),
    post("/admin/users/{id}/enable", "/admin/users/{disabled}/enable", &[], admin("/admin/users")),
    post(
        "/admin/users/{id}/password",
        "/admin/users/{manager2}/password",
        &[("password", "a brand new password")],
        admin("/admin/users"),
    ),
    post("/admin/users/{id}/tokens/revoke", "/admin/users/{manager_id}/tokens/revoke", &[], admin("/admin/users")),
    get("/admin/users/{id}/delete", "/admin/users/{manager2}/delete", ADMIN),
    post("/admin/users/{id}/delete", "/admin/users/{manager2}/delete", &[], admin("/admin/users")),
    // A manager cannot learn whether an account exists; an admin gets 404.
    get("/admin/users/{id}/delete", "/admin/users/{missing}/delete", [ToLogin, Forbidden, NotFound]),
    post("/admin/users/{id}/disable", "/admin/users/{missing}/disable", &[], [ToLogin, Forbidden, NotFound]),
    get("/admin/audit", "/admin/audit", ADMIN),
    get("/admin/audit", "/admin/audit?campaign={active}&user={manager_id}&action=&page=1", ADMIN),
];

/// Every row of the table.
pub fn all() -> Vec<Row> {
    [ROWS, MANAGE_ROWS, MISSION_ROWS, LIBRARY_ROWS].concat()
}
