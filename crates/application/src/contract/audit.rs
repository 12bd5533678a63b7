//! Contract of the audit trail: every write stores exactly the entry it was given (the
//! new id filled in for a create) in the same transaction, and `audit_log` filters
//! and pages newest first.

use super::check::{audit_count, last_audit, ok};
use super::scene::scene;
use super::seed::{self, at};
use crate::ports::{AuditFilter, PageRequest, Store};
use domain::{
    AssetKind, AuditAction, CampaignId, CampaignReport, CampaignStatus, NewAuditEntry, ObjectKind, ObjectRef, Quantity,
    Role, UserId,
};

/// Entries by the user "auditor", at a distinct time each, with a distinct text.
struct Trail {
    actor: UserId,
    n: i64,
}

impl Trail {
    fn entry(&mut self, action: AuditAction, campaign: Option<CampaignId>, object: ObjectRef) -> NewAuditEntry {
        self.n += 1;
        NewAuditEntry {
            at: at(self.n * 61),
            actor_id: Some(self.actor),
            actor_name: "auditor".into(),
            action,
            campaign_id: campaign,
            object,
            details: format!("step {}: {action}, -2 M2A1 Slammer «ü»\nsecond line", self.n),
        }
    }
}

/// Asserts that the last write stored exactly `entry`, with `created` filled in as the
/// object id (and as the campaign id of a campaign's create).
async fn stored<S: Store>(store: &S, before: &mut u64, entry: &NewAuditEntry, created: Option<i64>) {
    let step = entry.action;
    assert_eq!(audit_count(store).await, *before + 1, "{step}: exactly one new audit entry");
    *before += 1;
    let mut expected = entry.clone();
    if expected.object.id.is_none() {
        expected.object.id = created;
        if expected.object.kind == ObjectKind::Campaign && expected.campaign_id.is_none() {
            expected.campaign_id = created.map(CampaignId::new);
        }
    }
    assert_eq!(last_audit(store).await.entry, expected, "{step}: the entry reads back exactly");
}

/// Every write stores its one audit entry exactly, with a create's new id filled in.
pub async fn every_write_stores_exactly_its_audit_entry<S: Store>(store: S) {
    let s = scene(&store).await;
    let actor = seed::user(&store, "auditor", Role::Admin).await;
    let mut t = Trail { actor, n: 0 };
    let mut n = audit_count(&store).await;
    let c = Some(s.campaign);
    let obj = ObjectRef::existing;
    let new = ObjectRef::created;

    let e = t.entry(AuditAction::UserCreated, None, new(ObjectKind::User));
    let id = ok(store.insert_user(&seed::new_user("miller", Role::Manager), &e, None).await, "insert_user");
    stored(&store, &mut n, &e, Some(id.get())).await;
    let e = t.entry(AuditAction::UserRoleChanged, None, obj(ObjectKind::User, id.get()));
    ok(store.set_role(id, Role::Admin, &e).await, "set_role");
    stored(&store, &mut n, &e, None).await;
    let e = t.entry(AuditAction::UserDeleted, None, obj(ObjectKind::User, id.get()));
    ok(store.delete_user(id, &e).await, "delete_user");
    stored(&store, &mut n, &e, None).await;

    let e = t.entry(AuditAction::LibraryCreated, None, new(ObjectKind::Library));
    let lib = ok(store.insert_library(&seed::new_library("CSAT"), &[], &e, None).await, "insert_library");
    stored(&store, &mut n, &e, Some(lib.get())).await;
    let mut library = ok(store.library(lib).await, "library").expect("library").library;
    library.is_default = false;
    let e = t.entry(AuditAction::LibraryUpdated, None, obj(ObjectKind::Library, lib.get()));
    ok(store.update_library(&library, &e).await, "update_library");
    stored(&store, &mut n, &e, None).await;
    let spec = seed::spec("Ifrit", AssetKind::Vehicle, 2, false);
    let e = t.entry(AuditAction::AssetCreated, None, new(ObjectKind::Asset));
    let asset = ok(store.insert_asset(lib, &spec, &e, None).await, "insert_asset");
    stored(&store, &mut n, &e, Some(asset.get())).await;
    let ifrit = ok(store.asset(asset).await, "asset").expect("asset");
    let e = t.entry(AuditAction::AssetUpdated, None, obj(ObjectKind::Asset, asset.get()));
    ok(store.update_asset(&ifrit, &e).await, "update_asset");
    stored(&store, &mut n, &e, None).await;
    let specs = [seed::spec("Tempest", AssetKind::Vehicle, 1, false)];
    let e = t.entry(AuditAction::AssetsCopied, None, obj(ObjectKind::Library, lib.get()));
    ok(store.copy_assets(lib, &specs, &e).await, "copy_assets");
    stored(&store, &mut n, &e, None).await;
    let e = t.entry(AuditAction::AssetDeleted, None, obj(ObjectKind::Asset, asset.get()));
    ok(store.delete_asset(asset, &e).await, "delete_asset");
    stored(&store, &mut n, &e, None).await;
    let e = t.entry(AuditAction::LibraryDeleted, None, obj(ObjectKind::Library, lib.get()));
    ok(store.delete_library(lib, &e).await, "delete_library");
    stored(&store, &mut n, &e, None).await;

    let e = t.entry(AuditAction::CampaignCreated, None, new(ObjectKind::Campaign));
    let other = seed::new_campaign("Other", CampaignStatus::Planned, vec![]);
    let other = ok(store.insert_campaign(&other, &e, None).await, "insert_campaign");
    stored(&store, &mut n, &e, Some(other.get())).await;
    let oc = Some(other);
    let campaign = ok(store.campaign(other).await, "campaign").expect("campaign");
    let e = t.entry(AuditAction::CampaignUpdated, oc, obj(ObjectKind::Campaign, other.get()));
    ok(store.update_campaign(&campaign, &e).await, "update_campaign");
    stored(&store, &mut n, &e, None).await;
    let e = t.entry(AuditAction::CampaignActivated, oc, obj(ObjectKind::Campaign, other.get()));
    ok(store.activate_campaign(other, &e).await, "activate_campaign");
    stored(&store, &mut n, &e, None).await;
    let e = t.entry(AuditAction::PoolAssetAdded, oc, new(ObjectKind::PoolEntry));
    let ids = ok(store.add_pool_entries(other, &[seed::pooled(&s.tank, 3)], &e, None).await, "add");
    stored(&store, &mut n, &e, ids.first().map(|id| id.get())).await;
    let entry = ids[0];
    let e = t.entry(AuditAction::PoolInitialChanged, oc, obj(ObjectKind::PoolEntry, entry.get()));
    let four = Quantity::new(4).expect("quantity");
    ok(store.set_initial_quantity(entry, four, &e).await, "set_initial_quantity");
    stored(&store, &mut n, &e, None).await;
    let e = t.entry(AuditAction::PoolVisibilityChanged, oc, obj(ObjectKind::PoolEntry, entry.get()));
    ok(store.set_pool_entry_public(entry, false, &e).await, "set_pool_entry_public");
    stored(&store, &mut n, &e, None).await;
    let e = t.entry(AuditAction::PoolEntryRemoved, oc, obj(ObjectKind::PoolEntry, entry.get()));
    ok(store.remove_pool_entry(entry, &e).await, "remove_pool_entry");
    stored(&store, &mut n, &e, None).await;

    let e = t.entry(AuditAction::MissionCreated, c, new(ObjectKind::Mission));
    let m = ok(store.insert_mission(&seed::new_mission(s.campaign, "Two"), &e, None).await, "insert_mission");
    stored(&store, &mut n, &e, Some(m.get())).await;
    let mission = ok(store.mission(m).await, "mission").expect("mission");
    let e = t.entry(AuditAction::MissionStatusChanged, c, obj(ObjectKind::Mission, m.get()));
    ok(store.update_mission(&mission, &e).await, "update_mission");
    stored(&store, &mut n, &e, None).await;
    let e = t.entry(AuditAction::MissionsReordered, c, obj(ObjectKind::Campaign, s.campaign.get()));
    ok(store.reorder_missions(s.campaign, &[m, s.mission], &e).await, "reorder_missions");
    stored(&store, &mut n, &e, None).await;
    let e = t.entry(AuditAction::EventCreated, c, new(ObjectKind::Event));
    let ev = seed::new_event(m, "Ambush", at(5), &[(s.tank_entry, -1)]);
    let ev = ok(store.record_event(&ev, &e, None).await, "record_event");
    stored(&store, &mut n, &e, Some(ev.get())).await;
    let e = t.entry(AuditAction::EventUpdated, c, obj(ObjectKind::Event, ev.get()));
    ok(store.update_event(ev, &seed::event_details("Ambush!", at(6)), &e).await, "update_event");
    stored(&store, &mut n, &e, None).await;
    let e = t.entry(AuditAction::ChangeAdded, c, new(ObjectKind::AssetChange));
    let ch = ok(store.add_change(ev, &seed::change(s.ammo_entry, -3), &e, None).await, "add_change");
    stored(&store, &mut n, &e, Some(ch.get())).await;
    let e = t.entry(AuditAction::ChangeDeleted, c, obj(ObjectKind::AssetChange, ch.get()));
    ok(store.delete_change(ch, &e).await, "delete_change");
    stored(&store, &mut n, &e, None).await;
    let e = t.entry(AuditAction::EventDeleted, c, obj(ObjectKind::Event, ev.get()));
    ok(store.delete_event(ev, &e).await, "delete_event");
    stored(&store, &mut n, &e, None).await;
    let e = t.entry(AuditAction::MissionDeleted, c, obj(ObjectKind::Mission, m.get()));
    ok(store.delete_mission(m, &e).await, "delete_mission");
    stored(&store, &mut n, &e, None).await;

    let mut closing = ok(store.campaign(other).await, "campaign").expect("campaign");
    closing.close(at(9_000)).expect("open");
    let report = CampaignReport::build(&closing, &[], &[], &[], &[], at(9_000));
    let e = t.entry(AuditAction::CampaignClosed, oc, obj(ObjectKind::Campaign, other.get()));
    ok(store.close_campaign(&closing, &report, &e).await, "close_campaign");
    stored(&store, &mut n, &e, None).await;
}

/// `audit_log` filters by campaign, actor and action, alone or together.
pub async fn the_audit_log_filters_by_campaign_actor_and_action<S: Store>(store: S) {
    let s = scene(&store).await;
    let other = seed::campaign(&store, "Other", CampaignStatus::Planned, vec![]).await;
    let miller = seed::user(&store, "miller", Role::Manager).await;
    let by_miller = |e| seed::by(miller, "miller", e);
    let audit = by_miller(seed::created(AuditAction::MissionCreated, Some(s.campaign), ObjectKind::Mission));
    let m1 = ok(store.insert_mission(&seed::new_mission(s.campaign, "M1"), &audit, None).await, "m1");
    let audit = by_miller(seed::created(AuditAction::MissionCreated, Some(other), ObjectKind::Mission));
    let m2 = ok(store.insert_mission(&seed::new_mission(other, "M2"), &audit, None).await, "m2");
    let audit = by_miller(seed::created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event));
    let new = seed::new_event(m1, "E", at(1), &[]);
    let ev = ok(store.record_event(&new, &audit, None).await, "event");
    let system = seed::mission(&store, other, "By the system").await;

    let page = PageRequest::new(1, 200);
    let query = async |campaign: Option<CampaignId>, actor: Option<UserId>, action: Option<AuditAction>| {
        let filter = AuditFilter { campaign, actor, action };
        let got = ok(store.audit_log(&filter, page).await, "audit_log");
        assert_eq!(got.total, got.items.len() as u64, "one page holds them all");
        for item in &got.items {
            let e = &item.entry;
            assert!(campaign.is_none_or(|c| e.campaign_id == Some(c)), "campaign filter: {e:?}");
            assert!(actor.is_none_or(|a| e.actor_id == Some(a)), "actor filter: {e:?}");
            assert!(action.is_none_or(|a| e.action == a), "action filter: {e:?}");
        }
        got.items.iter().map(|i| i.entry.object.id).collect::<Vec<_>>()
    };
    let (ev, m1, m2, system) = (Some(ev.get()), Some(m1.get()), Some(m2.get()), Some(system.get()));
    let missions = Some(AuditAction::MissionCreated);
    let mine = Some(miller);
    assert_eq!(query(None, mine, None).await, vec![ev, m2, m1], "by actor, newest first");
    assert_eq!(query(Some(s.campaign), mine, None).await, vec![ev, m1], "by campaign and actor");
    assert_eq!(query(Some(other), None, missions).await, vec![system, m2], "by campaign and action");
    assert_eq!(query(Some(other), mine, missions).await, vec![m2], "by all three");
    let events = Some(AuditAction::EventCreated);
    assert_eq!(query(None, None, events).await, vec![ev], "by action");
    let nowhere = Some(CampaignId::new(seed::MISSING));
    assert_eq!(query(nowhere, None, None).await, vec![], "an unknown campaign has no entries");
    let everything = query(None, None, None).await;
    assert_eq!(everything.len() as u64, audit_count(&store).await, "no filter, every entry");
    for campaign in [s.campaign, other, CampaignId::new(seed::MISSING)] {
        let filter = AuditFilter { campaign: Some(campaign), ..AuditFilter::default() };
        let mut newest_first = ok(store.audit_log(&filter, page).await, "audit_log").items;
        newest_first.reverse();
        assert_eq!(ok(store.campaign_audit(campaign).await, "campaign_audit"), newest_first, "all, oldest first");
    }
}

/// `audit_log` pages newest first (by id) and counts every matching entry.
pub async fn the_audit_log_pages_newest_first<S: Store>(store: S) {
    let mut libraries = Vec::new();
    for name in ["A", "B", "C", "D", "E", "F", "G"] {
        libraries.push(Some(seed::library(&store, name).await.get()));
    }
    seed::user(&store, "admin", Role::Admin).await;
    let all = AuditFilter::default();
    let everything = ok(store.audit_log(&all, PageRequest::new(1, 200)).await, "audit_log");
    assert_eq!(everything.total, 8);
    for pair in everything.items.windows(2) {
        assert!(pair[0].id > pair[1].id, "newest first means descending ids: {pair:?}");
    }
    let libs = AuditFilter { action: Some(AuditAction::LibraryCreated), ..all };
    libraries.reverse();
    for (n, range) in [(1, 0..3), (2, 3..6), (3, 6..7), (4, 7..7)] {
        let page = PageRequest::new(n, 3);
        let got = ok(store.audit_log(&libs, page).await, "audit_log page");
        let ids: Vec<_> = got.items.iter().map(|i| i.entry.object.id).collect();
        assert_eq!(ids, libraries[range].to_vec(), "page {n} of 3 per page");
        assert_eq!((got.total, got.page_count(), got.request), (7, 3, page), "page {n} totals");
    }
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_audit {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            audit,
            $fresh,
            $tidy,
            [
                every_write_stores_exactly_its_audit_entry,
                the_audit_log_filters_by_campaign_actor_and_action,
                the_audit_log_pages_newest_first,
            ]
        );
    };
}
