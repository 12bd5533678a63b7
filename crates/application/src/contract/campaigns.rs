//! Contract of `CampaignRepo`: creation with a pool copied from the assets, the
//! newest-first list, at most one active campaign, edits, and closing with an archived
//! final report.

use super::check::{audit_count, conflict, not_found, ok, one_audit, snapshot, unchanged};
use super::scene::{AMMO, HQ, TANK, scene};
use super::seed::{self, MISSING, T0, about, at};
use crate::error::Conflict;
use crate::ports::Store;
use domain::{
    AssetKind, AuditAction, Campaign, CampaignDates, CampaignId, CampaignName, CampaignReport, CampaignStatus,
    Description, ObjectKind,
};
use time::macros::date;

fn on_campaign(action: AuditAction, id: CampaignId) -> domain::NewAuditEntry {
    about(action, Some(id), ObjectKind::Campaign, id.get())
}

/// A campaign that must exist.
pub(super) async fn read<S: Store>(store: &S, id: CampaignId) -> Campaign {
    ok(store.campaign(id).await, "campaign").unwrap_or_else(|| panic!("campaign {id} should exist"))
}

/// The campaigns that are active.
async fn active_ids<S: Store>(store: &S) -> Vec<CampaignId> {
    let all = ok(store.campaigns().await, "campaigns");
    let active: Vec<CampaignId> = all.iter().filter(|c| c.is_active()).map(Campaign::id).collect();
    let reported = ok(store.active_campaign().await, "active_campaign").map(|c| c.id());
    assert!(active.len() <= 1, "at most one campaign may be active, found {active:?}");
    assert_eq!(reported, active.first().copied(), "active_campaign() agrees with campaigns()");
    active
}

/// The pool copies name, kind, category and uniqueness, and starts at `initial`.
pub async fn a_campaign_is_created_with_its_pool_copied_from_its_assets<S: Store>(store: S) {
    let library = seed::library(&store, "NATO").await;
    let tank = seed::asset(&store, library, TANK, AssetKind::Vehicle, 10, false).await;
    let hq = seed::asset(&store, library, HQ, AssetKind::Vehicle, 1, true).await;
    let ammo = seed::asset(&store, library, AMMO, AssetKind::Supply, 100, false).await;
    let mut hidden = seed::pooled(&tank, 7);
    hidden.public = false;
    let pool = vec![hidden.clone(), seed::pooled(&hq, 0), seed::pooled(&ammo, 250)];
    let new = seed::new_campaign("Operation Arrowhead", CampaignStatus::Planned, pool.clone());
    let count = audit_count(&store).await;
    let entry = seed::created(AuditAction::CampaignCreated, None, ObjectKind::Campaign);
    let id = ok(store.insert_campaign(&new, &entry, None).await, "insert_campaign");
    let audit = one_audit(&store, count, AuditAction::CampaignCreated, "insert_campaign").await;
    assert_eq!(audit.entry.object.id, Some(id.get()), "a create fills in the new id");
    assert_eq!(audit.entry.campaign_id, Some(id), "and, for a campaign, the campaign id");

    let expected = Campaign::new(id, new.details.clone(), CampaignStatus::Planned, T0, None);
    assert_eq!(read(&store, id).await, expected, "campaign(id) reads back every field");
    assert_eq!(ok(store.campaign(CampaignId::new(MISSING)).await, "campaign(missing)"), None);
    assert_eq!(ok(store.final_report(id).await, "final_report"), None, "no report while open");

    let entries = ok(store.pool(id).await, "pool");
    assert_eq!(entries.len(), 3, "every asset was imported");
    for new_entry in &pool {
        let e = entries
            .iter()
            .find(|e| e.asset_id() == new_entry.asset.asset_id)
            .unwrap_or_else(|| panic!("{} should be in the pool", new_entry.asset.asset_name));
        let got = (e.campaign_id(), e.library_id(), e.asset_name(), e.kind(), e.category());
        let want = &new_entry.asset;
        assert_eq!(got, (id, want.library_id, &want.asset_name, want.kind, &want.category));
        assert_eq!(e.is_unique(), want.unique, "uniqueness is copied");
        assert_eq!((e.initial(), e.current()), (new_entry.initial, new_entry.initial));
        assert_eq!(e.is_public(), new_entry.public, "the public flag is copied");
        let one = ok(store.pool_entry(e.id()).await, "pool_entry");
        assert_eq!(one.as_ref(), Some(e), "pool_entry(id) agrees with pool()");
    }
}

/// `campaigns()` lists the newest first.
pub async fn campaigns_are_listed_newest_first<S: Store>(store: S) {
    let mut ids = Vec::new();
    for name in ["Alpha", "Charlie", "Bravo"] {
        ids.push(seed::campaign(&store, name, CampaignStatus::Planned, vec![]).await);
    }
    ids.reverse();
    let listed: Vec<CampaignId> = ok(store.campaigns().await, "campaigns").iter().map(Campaign::id).collect();
    assert_eq!(listed, ids, "campaigns() lists the newest first");
}

/// Creating an active campaign steps the active one back to planned in the same write.
pub async fn creating_an_active_campaign_makes_the_previous_one_planned<S: Store>(store: S) {
    assert_eq!(active_ids(&store).await, vec![], "a new store has no active campaign");
    let first = seed::campaign(&store, "First", CampaignStatus::Active, vec![]).await;
    assert_eq!(active_ids(&store).await, vec![first]);
    let planned = seed::campaign(&store, "Planned", CampaignStatus::Planned, vec![]).await;
    assert_eq!(active_ids(&store).await, vec![first], "a planned campaign changes nothing");
    let count = audit_count(&store).await;
    let second = seed::campaign(&store, "Second", CampaignStatus::Active, vec![]).await;
    assert_eq!(active_ids(&store).await, vec![second], "the new active campaign took over");
    assert_eq!(read(&store, first).await.status(), CampaignStatus::Planned);
    assert_eq!(read(&store, planned).await.status(), CampaignStatus::Planned);
    assert_eq!(audit_count(&store).await, count + 1, "one write, one audit entry");
}

/// `activate_campaign` makes one campaign active and the previous one planned.
pub async fn activating_a_campaign_switches_the_active_one<S: Store>(store: S) {
    let a = seed::campaign(&store, "A", CampaignStatus::Active, vec![]).await;
    let b = seed::campaign(&store, "B", CampaignStatus::Planned, vec![]).await;
    let c = seed::campaign(&store, "C", CampaignStatus::Planned, vec![]).await;
    for (id, step) in [(b, "activate B"), (c, "activate C"), (c, "activate C again"), (a, "A")] {
        let count = audit_count(&store).await;
        ok(store.activate_campaign(id, &on_campaign(AuditAction::CampaignActivated, id)).await, step);
        one_audit(&store, count, AuditAction::CampaignActivated, step).await;
        assert_eq!(active_ids(&store).await, vec![id], "{step}: exactly this one is active");
    }
    let before = snapshot(&store).await;
    let missing = CampaignId::new(MISSING);
    let entry = on_campaign(AuditAction::CampaignActivated, missing);
    not_found(store.activate_campaign(missing, &entry).await, "activate_campaign(missing)");
    unchanged(&store, &before, "activating a missing campaign").await;
}

/// `update_campaign` saves the details; status and creation time are not its business.
pub async fn updating_a_campaign_saves_its_details_but_not_its_status<S: Store>(store: S) {
    let id = seed::campaign(&store, "Old name", CampaignStatus::Planned, vec![]).await;
    let mut edited = read(&store, id).await;
    let mut details = edited.details().clone();
    details.name = CampaignName::parse("New name").expect("name");
    details.description = Description::parse("").expect("text");
    details.dates = CampaignDates::new(date!(2026 - 02 - 01), None).expect("dates");
    details.map_edit_url = None;
    edited.edit(details.clone()).expect("an open campaign can be edited");
    edited.activate().expect("an open campaign can be activated");
    let count = audit_count(&store).await;
    let entry = on_campaign(AuditAction::CampaignUpdated, id);
    ok(store.update_campaign(&edited, &entry).await, "update_campaign");
    one_audit(&store, count, AuditAction::CampaignUpdated, "update_campaign").await;
    let expected = Campaign::new(id, details, CampaignStatus::Planned, T0, None);
    assert_eq!(read(&store, id).await, expected, "details saved, status left Planned");
    assert_eq!(active_ids(&store).await, vec![], "update_campaign never activates");

    let before = snapshot(&store).await;
    let ghost = Campaign::new(CampaignId::new(MISSING), seed::details("Ghost"), CampaignStatus::Planned, T0, None);
    let entry = on_campaign(AuditAction::CampaignUpdated, ghost.id());
    not_found(store.update_campaign(&ghost, &entry).await, "update_campaign(missing)");
    let report = CampaignReport::build(&ghost, &[], &[], &[], &[], T0);
    let entry = on_campaign(AuditAction::CampaignClosed, ghost.id());
    not_found(store.close_campaign(&ghost, &report, &entry).await, "close_campaign(missing)");
    unchanged(&store, &before, "writes to a missing campaign").await;
}

/// A starting pool that names one asset twice is refused as a whole.
pub async fn a_pool_naming_one_asset_twice_is_refused_and_changes_nothing<S: Store>(store: S) {
    let s = scene(&store).await;
    let before = snapshot(&store).await;
    let pool = vec![seed::pooled(&s.ammo, 1), seed::pooled(&s.tank, 2), seed::pooled(&s.tank, 3)];
    let new = seed::new_campaign("Twice", CampaignStatus::Active, pool);
    let entry = seed::created(AuditAction::CampaignCreated, None, ObjectKind::Campaign);
    let result = store.insert_campaign(&new, &entry, None).await;
    conflict(result, Conflict::AlreadyInPool, "insert_campaign(asset twice)");
    unchanged(&store, &before, "a pool naming one asset twice").await;
}

/// Closing saves the closed campaign and its report; the report reads back equal.
pub async fn closing_a_campaign_archives_its_final_report_exactly<S: Store>(store: S) {
    let s = scene(&store).await;
    let other = seed::campaign(&store, "Other", CampaignStatus::Planned, vec![]).await;
    seed::event(&store, s.campaign, s.mission, "Ambush", &[(s.tank_entry, -3), (s.ammo_entry, 7)]).await;
    let second = seed::mission(&store, s.campaign, "Night raid").await;
    seed::event(&store, s.campaign, second, "Lost the HQ", &[(s.hq_entry, -1)]).await;

    let mut closed = read(&store, s.campaign).await;
    closed.close(at(86_400 * 40)).expect("an open campaign can be closed");
    let pool = ok(store.pool(s.campaign).await, "pool");
    let missions = ok(store.missions(s.campaign).await, "missions");
    let events = ok(store.campaign_events(s.campaign).await, "campaign_events");
    let report = CampaignReport::build(&closed, &pool, &[], &missions, &events, at(86_400 * 40));
    assert_eq!(report.missions.len(), 2, "the report has both missions");
    let count = audit_count(&store).await;
    let entry = on_campaign(AuditAction::CampaignClosed, s.campaign);
    ok(store.close_campaign(&closed, &report, &entry).await, "close_campaign");
    one_audit(&store, count, AuditAction::CampaignClosed, "close_campaign").await;

    assert_eq!(read(&store, s.campaign).await, closed, "the closed campaign reads back");
    assert_eq!(read(&store, s.campaign).await.closed_at(), Some(at(86_400 * 40)));
    let archived = ok(store.final_report(s.campaign).await, "final_report");
    assert_eq!(archived, Some(report), "final_report reads back exactly");
    assert_eq!(ok(store.final_report(other).await, "final_report(other)"), None);
    assert_eq!(active_ids(&store).await, vec![], "the closed campaign is no longer active");
    let listed = ok(store.campaigns().await, "campaigns");
    assert!(listed.iter().any(|c| c.id() == s.campaign && c.is_closed()), "still listed");
    assert_eq!(ok(store.pool(s.campaign).await, "pool"), pool, "a closed pool still reads");
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_campaigns {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            campaigns,
            $fresh,
            $tidy,
            [
                a_campaign_is_created_with_its_pool_copied_from_its_assets,
                campaigns_are_listed_newest_first,
                creating_an_active_campaign_makes_the_previous_one_planned,
                activating_a_campaign_switches_the_active_one,
                updating_a_campaign_saves_its_details_but_not_its_status,
                a_pool_naming_one_asset_twice_is_refused_and_changes_nothing,
                closing_a_campaign_archives_its_final_report_exactly,
            ]
        );
    };
}
