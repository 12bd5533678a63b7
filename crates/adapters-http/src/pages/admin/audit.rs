//! `GET /admin/audit?campaign=&user=&action=&page=`: the audit log, newest first,
//! filtered by campaign, user and action, paged; the paging links keep the filters.

use crate::AppState;
use crate::web::{HttpError, Page, StaffOnly, Ui, iso};
use application::App;
use application::ports::{AuditFilter, AuditPage};
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use domain::{AuditAction, AuditEntry, Campaign, CampaignId, UserId};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Entries per page.
const PER_PAGE: u32 = 25;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().route("/admin/audit", get(audit_log::<A>))
}

/// The query string as typed; blank means "any".
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
struct AuditQuery {
    #[serde(default)]
    campaign: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    page: String,
}

impl AuditQuery {
    /// The filter and the page number.
    /// # Errors
    /// 400 for a value no form of this page sends.
    fn parse(&self) -> Result<(AuditFilter, u32), HttpError> {
        let bad = |what: &str| HttpError::bad_request(format!("The {what} filter is not one this page offers."));
        let campaign = optional::<i64>(&self.campaign).map_err(|()| bad("campaign"))?.map(CampaignId::new);
        let actor = optional::<i64>(&self.user).map_err(|()| bad("user"))?.map(UserId::new);
        let action = match self.action.trim() {
            "" => None,
            raw => Some(AuditAction::parse(raw).map_err(|_| bad("action"))?),
        };
        let page = optional::<u32>(&self.page).map_err(|()| bad("page"))?.unwrap_or(1).max(1);
        Ok((AuditFilter { campaign, actor, action }, page))
    }

    /// `/admin/audit?…` for `page` with the same filters (blank ones left out).
    fn href(&self, page: u64) -> String {
        let page = page.to_string();
        let pairs: Vec<(&str, &str)> = [
            ("campaign", self.campaign.trim()),
            ("user", self.user.trim()),
            ("action", self.action.trim()),
            ("page", &page),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        format!("/admin/audit?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
    }
}

/// `None` for a blank value, else the number.
fn optional<T: FromStr>(raw: &str) -> Result<Option<T>, ()> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw.parse().map(Some).map_err(|_| ()),
    }
}

/// A `<select>` option.
#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    label: String,
}

impl Choice {
    fn new(value: impl ToString, label: impl Into<String>) -> Self {
        Self { value: value.to_string(), label: label.into() }
    }
}

/// One audit entry.
#[derive(Debug, Serialize)]
struct AuditRow {
    at: String,
    who: String,
    action: &'static str,
    campaign: String,
    object: String,
    details: String,
}

/// The audit page's view.
#[derive(Debug, Serialize)]
struct AuditView {
    filter: AuditQuery,
    campaigns: Vec<Choice>,
    users: Vec<Choice>,
    actions: Vec<Choice>,
    entries: Vec<AuditRow>,
    page: u32,
    pages: u64,
    total: u64,
    prev: Option<String>,
    next: Option<String>,
}

fn row(entry: &AuditEntry, campaigns: &[Campaign]) -> AuditRow {
    let e = &entry.entry;
    let campaign = e.campaign_id.map(|id| {
        campaigns.iter().find(|c| c.id() == id).map_or_else(|| format!("campaign #{id}"), |c| c.name().to_string())
    });
    let object = match e.object.id {
        Some(id) => format!("{} #{id}", e.object.kind),
        None => e.object.kind.to_string(),
    };
    AuditRow {
        at: iso(e.at),
        who: e.actor_name.clone(),
        action: e.action.as_str(),
        campaign: campaign.unwrap_or_default(),
        object,
        details: e.details.clone(),
    }
}

/// `GET /admin/audit`.
async fn audit_log<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Query(query): Query<AuditQuery>,
) -> Result<Response, HttpError> {
    let (filter, page) = query.parse()?;
    let AuditPage { entries: found, campaigns, users } =
        state.tracker.audit_page(&staff.actor, filter, page, PER_PAGE).await?;
    let pages = found.page_count();
    let view = AuditView {
        campaigns: choices("All campaigns", campaigns.iter().map(|c| Choice::new(c.id(), c.name().as_str()))),
        users: choices("Everyone", users.iter().map(|u| Choice::new(u.id(), u.username().as_str()))),
        actions: choices("All actions", AuditAction::ALL.iter().map(|a| Choice::new(a, a.as_str()))),
        entries: found.items.iter().map(|e| row(e, &campaigns)).collect(),
        page,
        pages,
        total: found.total,
        prev: (page > 1).then(|| query.href(u64::from(page) - 1)),
        next: (u64::from(page) < pages).then(|| query.href(u64::from(page) + 1)),
        filter: query,
    };
    ui.render(Page::new("admin/audit.html", "Audit log", &view).crumb("Admin", "/admin")).await
}

/// `any` (the blank value) first, then `options`.
fn choices(any: &str, options: impl Iterator<Item = Choice>) -> Vec<Choice> {
    std::iter::once(Choice::new("", any)).chain(options).collect()
}

/// Fixture views for this module's template.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let filter = AuditQuery { campaign: "1".into(), action: "campaign.created".into(), ..AuditQuery::default() };
    let entry = AuditRow {
        at: "2026-03-14T18:30:00Z".into(),
        who: "admin".into(),
        action: "campaign.created",
        campaign: "Operation Arrowhead".into(),
        object: "campaign #1".into(),
        details: "created campaign Operation Arrowhead with 12 assets from NATO".into(),
    };
    let view = AuditView {
        campaigns: choices("All campaigns", [Choice::new(1, "Operation Arrowhead")].into_iter()),
        users: choices("Everyone", [Choice::new(1, "admin")].into_iter()),
        actions: choices("All actions", AuditAction::ALL.iter().map(|a| Choice::new(a, a.as_str()))),
        entries: vec![entry],
        page: 2,
        pages: 3,
        total: 60,
        prev: Some(filter.href(1)),
        next: Some(filter.href(3)),
        filter,
    };
    let empty = AuditView {
        filter: AuditQuery::default(),
        campaigns: choices("All campaigns", std::iter::empty()),
        users: choices("Everyone", std::iter::empty()),
        actions: choices("All actions", std::iter::empty()),
        entries: Vec::new(),
        page: 1,
        pages: 1,
        total: 0,
        prev: None,
        next: None,
    };
    vec![
        ("admin/audit.html", serde_json::to_value(view).unwrap_or_default()),
        ("admin/audit.html", serde_json::to_value(empty).unwrap_or_default()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_links_keep_the_filters_and_leave_blank_ones_out() {
        let query = AuditQuery { user: "2".into(), action: "user.created".into(), ..AuditQuery::default() };
        assert_eq!(query.href(3), "/admin/audit?user=2&action=user.created&page=3");
    }

    #[test]
    fn blank_filters_mean_any_and_forged_ones_are_refused() {
        let (filter, page) = AuditQuery::default().parse().unwrap();
        assert_eq!((filter, page), (AuditFilter::default(), 1));
        for bad in [
            AuditQuery { campaign: "x".into(), ..AuditQuery::default() },
            AuditQuery { action: "user.exploded".into(), ..AuditQuery::default() },
            AuditQuery { page: "-1".into(), ..AuditQuery::default() },
        ] {
            assert!(bad.parse().is_err(), "{bad:?}");
        }
    }
}
