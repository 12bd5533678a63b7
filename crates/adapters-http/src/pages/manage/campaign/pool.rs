//! `GET /manage/campaigns/{cid}/pool`: a campaign's pool grouped by library, with the
//! forms that change it (import, sync, add, and per row: initial quantity, visibility,
//! removal) when the viewer may change it.
//!
//! Invariant: whether the forms are shown is decided by the application
//! (`Tracker::pool_page` says whether and why the pool is locked), so a closed campaign's page, or a planned
//! one's for a manager, is read-only and never offers a change the use cases refuse.

use crate::AppState;
use crate::web::{HttpError, Page, StaffOnly, Ui, idempotency_key, signed, trend};
use application::Actor;
use application::App;
use application::pool::{PoolLock, PoolPage};
use application::ports::LibrarySummary;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use domain::{Asset, CampaignId, PoolEntry};
use serde::Serialize;
use std::collections::HashSet;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().route("/manage/campaigns/{cid}/pool", get(show::<A>))
}

/// The pool page's view.
#[derive(Debug, Serialize)]
struct PoolView {
    campaign_id: i64,
    campaign_name: String,
    status: &'static str,
    /// Whether the forms are shown.
    editable: bool,
    /// Why the page is read-only, when it is.
    read_only_reason: Option<&'static str>,
    groups: Vec<EntryGroup>,
    import_options: Vec<Choice>,
    sync_options: Vec<Choice>,
    asset_groups: Vec<AssetGroup>,
    import_key: String,
    add_key: String,
}

/// The entries of one library.
#[derive(Debug, Serialize)]
struct EntryGroup {
    library: String,
    entries: Vec<EntryRow>,
}

/// One pool entry.
#[derive(Debug, Serialize)]
struct EntryRow {
    id: i64,
    name: String,
    kind: &'static str,
    category: String,
    initial: u32,
    current: u32,
    /// The net change, signed: "+2", "-1", "0".
    net: String,
    /// "gain", "loss" or "".
    trend: &'static str,
    /// "low", "depleted" or "".
    level: &'static str,
    public: bool,
}

/// One option of a select.
#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    label: String,
}

/// The assets of one library that the pool does not hold yet.
#[derive(Debug, Serialize)]
struct AssetGroup {
    library: String,
    assets: Vec<Choice>,
}

/// `GET /manage/campaigns/{cid}/pool`.
async fn show<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(cid): Path<i64>,
) -> Result<Response, HttpError> {
    let view = load(&state, &staff.actor, CampaignId::new(cid)).await?;
    let title = format!("Pool of {}", view.campaign_name);
    let page = Page::new("manage/pool.html", title, &view).crumb("Manage", "/manage").campaign(CampaignId::new(cid));
    ui.render(page).await
}

/// Reads what the page shows in one use case and makes its view.
async fn load<A: App>(state: &AppState<A>, actor: &Actor, id: CampaignId) -> Result<PoolView, HttpError> {
    Ok(view(&state.tracker.pool_page(actor, id).await?))
}

/// The view of the page from what was read.
fn view(page: &PoolPage) -> PoolView {
    let (campaign, pool) = (&page.campaign, page.pool.as_slice());
    let read_only_reason = page.lock.map(|lock| match lock {
        PoolLock::Closed => "This campaign is closed: its pool is shown as it ended.",
        PoolLock::NotRunner => "Only an admin can change the pool of a campaign that is not active.",
    });
    let libraries: Vec<&LibrarySummary> = page.libraries.iter().map(|(s, _)| s).collect();
    // The libraries the forms offer: none when the pool cannot change.
    let catalogue: Vec<(&LibrarySummary, &[Asset])> = if read_only_reason.is_none() {
        page.libraries.iter().map(|(s, assets)| (s, assets.as_slice())).collect()
    } else {
        Vec::new()
    };
    let held: HashSet<_> = pool.iter().map(PoolEntry::asset_id).collect();
    let pooled: HashSet<_> = pool.iter().map(PoolEntry::library_id).collect();
    let choice = |s: &LibrarySummary| Choice { value: s.library.id.to_string(), label: s.library.name.to_string() };
    // Each library with the assets the pool does not hold yet: those it can still import.
    let missing: Vec<(&LibrarySummary, Vec<Choice>)> = catalogue
        .iter()
        .map(|(s, assets)| (*s, assets.iter().filter(|a| !held.contains(&a.id)).map(asset_choice).collect()))
        .collect();
    PoolView {
        campaign_id: campaign.id().get(),
        campaign_name: campaign.name().to_string(),
        status: campaign.status().as_str(),
        editable: read_only_reason.is_none(),
        read_only_reason,
        groups: groups(pool, &libraries),
        import_options: missing.iter().filter(|(_, a)| !a.is_empty()).map(|(s, _)| choice(s)).collect(),
        sync_options: catalogue
            .iter()
            .filter(|(s, _)| pooled.contains(&s.library.id))
            .map(|(s, _)| choice(s))
            .collect(),
        asset_groups: missing
            .into_iter()
            .filter(|(_, assets)| !assets.is_empty())
            .map(|(s, assets)| AssetGroup { library: s.library.name.to_string(), assets })
            .collect(),
        import_key: idempotency_key(),
        add_key: idempotency_key(),
    }
}

/// The entries grouped by library, libraries by name; entries of a library that no
/// longer exists come last.
fn groups(pool: &[PoolEntry], libraries: &[&LibrarySummary]) -> Vec<EntryGroup> {
    let mut groups: Vec<EntryGroup> = libraries
        .iter()
        .map(|s| EntryGroup {
            library: s.library.name.to_string(),
            entries: pool.iter().filter(|e| e.library_id() == s.library.id).map(entry_row).collect(),
        })
        .filter(|g| !g.entries.is_empty())
        .collect();
    let known: HashSet<_> = libraries.iter().map(|s| s.library.id).collect();
    let orphans: Vec<EntryRow> = pool.iter().filter(|e| !known.contains(&e.library_id())).map(entry_row).collect();
    if !orphans.is_empty() {
        groups.push(EntryGroup { library: "Other assets".into(), entries: orphans });
    }
    groups
}

fn entry_row(e: &PoolEntry) -> EntryRow {
    let (net, current) = (e.net_change(), e.current().get());
    EntryRow {
        id: e.id().get(),
        name: e.asset_name().to_string(),
        kind: e.kind().as_str(),
        category: e.category().to_string(),
        initial: e.initial().get(),
        current,
        net: signed(net),
        trend: trend(net),
        level: if e.is_depleted() {
            "depleted"
        } else if e.is_low() {
            "low"
        } else {
            ""
        },
        public: e.is_public(),
    }
}

fn asset_choice(a: &Asset) -> Choice {
    let label = format!("{} ({}, default {})", a.spec.name(), a.spec.kind().as_str(), a.spec.default_quantity());
    Choice { value: a.id.to_string(), label }
}

/// Fixture views: an editable pool with every form, a closed campaign's, and an empty one.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let row = |id, name: &str, current, net: &str, trend, level, public| EntryRow {
        id,
        name: name.into(),
        kind: "Vehicle",
        category: "Main battle tank".into(),
        initial: 4,
        current,
        net: net.into(),
        trend,
        level,
        public,
    };
    let groups = || {
        vec![EntryGroup {
            library: "NATO".into(),
            entries: vec![
                row(1, "M2A1 Slammer", 2, "-2", "loss", "low", true),
                row(2, "Hunter", 0, "-4", "loss", "depleted", false),
                row(3, "Marshall", 5, "+1", "gain", "", true),
            ],
        }]
    };
    let choice = |value: &str, label: &str| Choice { value: value.into(), label: label.into() };
    let fixture = |reason: Option<&'static str>, groups: Vec<EntryGroup>| {
        let editable = reason.is_none();
        let options = |list: Vec<Choice>| if editable { list } else { Vec::new() };
        let assets = vec![choice("8", "T-100 Varsuk (Vehicle, default 2)")];
        let view = PoolView {
            campaign_id: 1,
            campaign_name: "Operation Harvest".into(),
            status: if editable { "Active" } else { "Closed" },
            editable,
            read_only_reason: reason,
            groups,
            import_options: options(vec![choice("2", "CSAT")]),
            sync_options: options(vec![choice("1", "NATO")]),
            asset_groups: if editable { vec![AssetGroup { library: "CSAT".into(), assets }] } else { Vec::new() },
            import_key: "0123456789abcdef0123456789abcdef".into(),
            add_key: "fedcba9876543210fedcba9876543210".into(),
        };
        ("manage/pool.html", serde_json::to_value(view).unwrap_or_default())
    };
    let closed = "This campaign is closed: its pool is shown as it ended.";
    vec![fixture(None, groups()), fixture(Some(closed), groups()), fixture(None, Vec::new())]
}
