//! Contract of `PageRepo`: each page-shaped read answers exactly what the plain reads
//! of the other ports answer for the same objects, and `None` for what is missing.

use super::check::ok;
use super::scene::{Scene, scene};
use super::seed::{self, MISSING, at};
use crate::ports::{
    AuditFilter, CampaignHistory, CampaignPool, CampaignRef, EventScope, LatestMission, LibraryCampaign, MissionScope,
    NewPoolEntry, Page, PageRequest, PoolWithLibraries, ReportSource, Store,
};
use domain::{
    AssetId, AssetKind, AuditAction, CampaignId, CampaignReport, CampaignStatus, EventId, LibraryId, Mission,
    MissionId, NewAuditEntry, ObjectKind, PoolEntry, PoolEntryId, Role,
};

/// The scene with a second mission, events at different times (the later one first
/// in id order) with several changes, and an event without changes.
async fn history<S: Store>(store: &S) -> (Scene, MissionId, Vec<EventId>) {
    let s = scene(store).await;
    let second = seed::mission(store, s.campaign, "Night drop").await;
    let mut events = Vec::new();
    let recorded = [
        (s.mission, "Late", 300, vec![(s.tank_entry, -2), (s.ammo_entry, -10)]),
        (s.mission, "Early", 100, vec![(s.ammo_entry, 5)]),
        (second, "Quiet", 200, vec![]),
        (second, "Resupply", 400, vec![(s.tank_entry, 1), (s.hq_entry, -1), (s.ammo_entry, -3)]),
    ];
    for (mission, title, seconds, changes) in recorded {
        let new = seed::new_event(mission, title, at(seconds), &changes);
        let audit = seed::created(AuditAction::EventCreated, Some(s.campaign), ObjectKind::Event);
        events.push(ok(store.record_event(&new, &audit, None).await, "record_event"));
    }
    (s, second, events)
}

async fn plain_pool<S: Store>(store: &S, campaign: CampaignId) -> CampaignPool {
    CampaignPool {
        campaign: ok(store.campaign(campaign).await, "campaign").expect("the campaign exists"),
        pool: ok(store.pool(campaign).await, "pool"),
    }
}

/// Every page read of a campaign, a mission and an event agrees with the plain reads.
pub async fn page_reads_agree_with_the_plain_reads_of_the_same_objects<S: Store>(store: S) {
    let (s, second, events) = history(&store).await;
    let pool = plain_pool(&store, s.campaign).await;
    for which in [CampaignRef::Active, CampaignRef::Id(s.campaign)] {
        assert_eq!(ok(store.campaign_pool(which).await, "campaign_pool").as_ref(), Some(&pool), "{which:?}");
        let expected = CampaignHistory {
            campaign: pool.campaign.clone(),
            pool: pool.pool.clone(),
            missions: ok(store.missions(s.campaign).await, "missions"),
            events: ok(store.campaign_events(s.campaign).await, "campaign_events"),
        };
        assert_eq!(ok(store.campaign_history(which).await, "campaign_history"), Some(expected), "{which:?}");
    }
    for mission in [s.mission, second] {
        let expected = MissionScope {
            campaign: pool.campaign.clone(),
            mission: ok(store.mission(mission).await, "mission").expect("the mission exists"),
            events: ok(store.mission_events(mission).await, "mission_events"),
            pool: pool.pool.clone(),
        };
        assert_eq!(ok(store.mission_scope(mission).await, "mission_scope"), Some(expected.clone()));
        let some: Vec<_> = pool.pool.iter().rev().step_by(2).map(PoolEntry::id).collect();
        let asked = [some.clone(), vec![PoolEntryId::new(MISSING)]].concat();
        let found = ok(store.mission_entries(mission, &asked).await, "mission_entries").expect("the mission exists");
        let kept: Vec<_> = pool.pool.iter().filter(|e| some.contains(&e.id())).cloned().collect();
        assert_eq!((&found.campaign, &found.mission), (&expected.campaign, &expected.mission), "mission_entries");
        assert_eq!(found.entries, kept, "the entries asked for, in pool order; a missing id is left out");
        let none = ok(store.mission_entries(mission, &[]).await, "mission_entries").expect("the mission exists");
        assert!(none.entries.is_empty(), "no entry asked, none read: {none:?}");
    }
    for event in events {
        let found = ok(store.event(event).await, "event").expect("the event exists");
        let expected = EventScope {
            campaign: pool.campaign.clone(),
            mission: ok(store.mission(found.mission_id).await, "mission").expect("its mission exists"),
            event: found,
            pool: pool.pool.clone(),
        };
        assert_eq!(ok(store.event_scope(event).await, "event_scope"), Some(expected));
    }
    let missions = ok(store.missions(s.campaign).await, "missions");
    let expected = Some((pool.campaign.clone(), missions));
    assert_eq!(ok(store.campaign_missions(s.campaign).await, "campaign_missions"), expected);
    let mut libraries = Vec::new();
    for summary in ok(store.libraries().await, "libraries") {
        let assets = ok(store.assets(summary.library.id).await, "assets");
        let found = ok(store.library_page(summary.library.id).await, "library_page").expect("the library");
        assert_eq!((&found.summary, &found.assets), (&summary, &assets));
        for asset in &assets {
            let found = ok(store.asset_in_library(asset.id).await, "asset_in_library");
            assert_eq!(found, Some((asset.clone(), summary.clone())));
        }
        libraries.push((summary, assets));
    }
    let expected = PoolWithLibraries { campaign: pool.clone(), libraries };
    assert_eq!(ok(store.pool_with_libraries(s.campaign).await, "pool_with_libraries"), Some(expected));
}

/// A timeline page holds the plain timeline's page, the missions of its events and
/// the campaign's pool; past the last page it is empty but keeps the total.
pub async fn a_timeline_page_is_the_plain_timeline_with_its_missions<S: Store>(store: S) {
    let (s, _, _) = history(&store).await;
    let pool = plain_pool(&store, s.campaign).await;
    for request in [PageRequest::new(1, 3), PageRequest::new(2, 3), PageRequest::new(9, 3)] {
        let page = ok(store.timeline_page(CampaignRef::Active, request).await, "timeline_page").expect("active");
        let plain = ok(store.timeline(s.campaign, request).await, "timeline");
        assert_eq!(page.events, plain, "{request:?}");
        assert_eq!(page.events.total, 4, "{request:?}");
        assert_eq!(page.campaign, pool);
        let mut wanted: Vec<MissionId> = plain.items.iter().map(|e| e.mission_id).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut missions: Vec<MissionId> = page.missions.iter().map(|m| m.id).collect();
        missions.sort_unstable();
        assert_eq!(missions, wanted, "the missions of the page's events, once each: {request:?}");
        for mission in &page.missions {
            assert_eq!(Some(mission), ok(store.mission(mission.id).await, "mission").as_ref());
        }
    }
}

/// The audit page is the plain audit log's page beside every campaign and user; past
/// the last page it is empty but keeps the total.
pub async fn an_audit_page_is_the_plain_log_beside_every_campaign_and_user<S: Store>(store: S) {
    let (s, _, _) = history(&store).await;
    seed::user(&store, "zulu", Role::Manager).await;
    seed::user(&store, "Alpha", Role::Admin).await;
    seed::campaign(&store, "Archived", CampaignStatus::Planned, vec![]).await;
    let filters = [
        AuditFilter::default(),
        AuditFilter { campaign: Some(s.campaign), ..AuditFilter::default() },
        AuditFilter { action: Some(AuditAction::EventCreated), ..AuditFilter::default() },
    ];
    for filter in filters {
        for request in [PageRequest::new(1, 2), PageRequest::new(2, 2), PageRequest::new(50, 2)] {
            let page = ok(store.audit_page(&filter, request).await, "audit_page");
            let plain = ok(store.audit_log(&filter, request).await, "audit_log");
            assert_eq!(page.entries, plain, "{filter:?} {request:?}");
            assert_eq!(page.campaigns, ok(store.campaigns().await, "campaigns"));
            assert_eq!(page.users, ok(store.users().await, "users"));
        }
    }
    let past: Page<_> = ok(store.audit_page(&AuditFilter::default(), PageRequest::new(50, 2)).await, "past").entries;
    assert!(past.items.is_empty() && past.total > 0, "past the end: no items, the total kept: {past:?}");
}

/// Page reads of missing objects answer `None`; with no active campaign, so do the
/// reads of the active one.
pub async fn page_reads_of_what_does_not_exist_are_none<S: Store>(store: S) {
    let planned = seed::campaign(&store, "Planned only", CampaignStatus::Planned, vec![]).await;
    assert_eq!(ok(store.campaign_pool(CampaignRef::Active).await, "campaign_pool"), None);
    assert_eq!(ok(store.campaign_history(CampaignRef::Active).await, "campaign_history"), None);
    assert_eq!(ok(store.timeline_page(CampaignRef::Active, PageRequest::new(1, 5)).await, "timeline_page"), None);
    let missing = CampaignId::new(MISSING);
    assert_eq!(ok(store.campaign_pool(CampaignRef::Id(missing)).await, "campaign_pool"), None);
    assert_eq!(ok(store.campaign_history(CampaignRef::Id(missing)).await, "campaign_history"), None);
    assert_eq!(ok(store.pool_with_libraries(missing).await, "pool_with_libraries"), None);
    assert_eq!(ok(store.mission_scope(MissionId::new(MISSING)).await, "mission_scope"), None);
    assert_eq!(ok(store.event_scope(EventId::new(MISSING)).await, "event_scope"), None);
    let mission_entries = store.mission_entries(MissionId::new(MISSING), &[]).await;
    assert_eq!(ok(mission_entries, "mission_entries"), None);
    assert_eq!(ok(store.campaign_missions(missing).await, "campaign_missions"), None);
    assert_eq!(ok(store.library_page(LibraryId::new(MISSING)).await, "library_page"), None);
    assert_eq!(ok(store.asset_in_library(AssetId::new(MISSING)).await, "asset_in_library"), None);
    let bare = ok(store.campaign_missions(planned).await, "campaign_missions").expect("planned");
    assert!(bare.1.is_empty(), "a campaign without missions: {bare:?}");
    let empty = ok(store.campaign_history(CampaignRef::Id(planned)).await, "campaign_history").expect("planned");
    assert!(empty.pool.is_empty() && empty.missions.is_empty() && empty.events.is_empty(), "{empty:?}");
}

/// A closed campaign's report source is its archived report, an open one's its history;
/// the archive lists the closed campaigns with their reports, newest first.
pub async fn reports_come_from_the_archive_when_closed_and_from_the_history_when_open<S: Store>(store: S) {
    let (s, _, _) = history(&store).await;
    let open = ok(store.campaign_history(CampaignRef::Id(s.campaign)).await, "campaign_history").expect("open");
    // The libraries of the pool's entries, by id, with their names.
    let mut libraries: Vec<(LibraryId, String)> = ok(store.libraries().await, "libraries")
        .into_iter()
        .filter(|l| open.pool.iter().any(|e| e.library_id() == l.library.id))
        .map(|l| (l.library.id, l.library.name.to_string()))
        .collect();
    libraries.sort_by_key(|(id, _)| *id);
    assert!(!libraries.is_empty(), "the scene's pool comes from a library");
    let source = ok(store.report_source(s.campaign).await, "report_source");
    assert_eq!(source, Some(ReportSource::Live(open.clone(), libraries)));
    let mut archived = Vec::new();
    for name in ["First", "Second"] {
        let id = seed::campaign(&store, name, CampaignStatus::Planned, vec![]).await;
        let mut campaign = ok(store.campaign(id).await, "campaign").expect("seeded");
        campaign.close(at(3_600)).expect("an open campaign can be closed");
        let report = CampaignReport::build(&campaign, &open.pool, &[], &open.missions, &open.events, at(3_600));
        let entry = seed::about(AuditAction::CampaignClosed, Some(id), ObjectKind::Campaign, id.get());
        ok(store.close_campaign(&campaign, &report, &entry).await, "close_campaign");
        let closed = ok(store.campaign(id).await, "campaign").expect("closed");
        assert_eq!(
            ok(store.report_source(id).await, "report_source"),
            Some(ReportSource::Archived(closed.clone(), report.clone()))
        );
        assert_eq!(
            ok(store.archived_reports(Some(id)).await, "archived_reports"),
            vec![(closed.clone(), report.clone())]
        );
        archived.insert(0, (closed, report));
    }
    assert_eq!(ok(store.archived_reports(None).await, "archived_reports"), archived, "newest first");
    assert_eq!(ok(store.report_source(CampaignId::new(MISSING)).await, "report_source"), None);
    assert!(ok(store.archived_reports(Some(s.campaign)).await, "archived_reports").is_empty(), "an open campaign");
}

/// The dashboard's share is the latest missions with their counts and the latest events
/// of each, as the plain reads give them; limits of 1 show one of each.
pub async fn a_dashboard_page_is_the_latest_of_the_plain_history<S: Store>(store: S) {
    let (s, second, _) = history(&store).await;
    let pool = plain_pool(&store, s.campaign).await;
    let first = ok(store.mission(s.mission).await, "mission").expect("the first mission");
    let later = ok(store.mission(second).await, "mission").expect("the second mission");
    let all = ok(store.campaign_events(s.campaign).await, "campaign_events");
    let page = ok(store.dashboard_page(CampaignRef::Active, 5, 10).await, "dashboard_page").expect("active");
    assert_eq!(page.campaign, pool);
    // Each mission's net over the public entries, from the plain reads.
    let public: Vec<PoolEntryId> = pool.pool.iter().filter(|e| e.is_public()).map(PoolEntry::id).collect();
    let net = |id| {
        all.iter()
            .filter(|e| e.mission_id == id)
            .flat_map(|e| &e.changes)
            .filter(|c| public.contains(&c.pool_entry_id))
            .map(|c| c.delta.get())
            .sum::<i64>()
    };
    let latest =
        |mission: &Mission| LatestMission { mission: mission.clone(), event_count: 2, public_net: net(mission.id) };
    assert_eq!(page.missions, vec![latest(&later), latest(&first)], "last in the order first, with tallies");
    assert!(page.missions.iter().any(|m| m.public_net != 0), "the history moves the public pool");
    assert_eq!(page.mission_count, 2);
    assert_eq!(page.events, all, "every event, oldest first, with its changes");
    let small = ok(store.dashboard_page(CampaignRef::Id(s.campaign), 1, 1).await, "dashboard_page").expect("found");
    assert_eq!(small.missions, vec![latest(&later)], "one mission, its full tallies");
    assert_eq!(small.mission_count, 2);
    let latest = ok(store.mission_events(second).await, "mission_events").pop().expect("an event");
    assert_eq!(small.events, vec![latest], "only the latest event of that mission");
    assert_eq!(ok(store.dashboard_page(CampaignRef::Id(CampaignId::new(MISSING)), 5, 5).await, "dashboard_page"), None);
}

async fn campaigns_of<S: Store>(store: &S, library: LibraryId) -> Vec<LibraryCampaign> {
    ok(store.library_page(library).await, "library_page").expect("the library").campaigns
}

/// A library's campaigns: the pools holding its assets, with when the library came in
/// (its import, else the campaign's creation), its last sync, and what each pool lacks.
pub async fn a_librarys_campaigns_say_when_it_came_in_was_synced_and_what_they_lack<S: Store>(store: S) {
    let s = scene(&store).await;
    let campaign = ok(store.campaign(s.campaign).await, "campaign").expect("the campaign");
    let unused = seed::library(&store, "Unused").await;
    assert!(ok(store.library_page(unused).await, "library_page").expect("the library").campaigns.is_empty());
    let expected =
        LibraryCampaign { campaign: campaign.clone(), imported_at: campaign.created_at(), synced_at: None, missing: 0 };
    assert_eq!(campaigns_of(&store, s.library).await, std::slice::from_ref(&expected), "chosen at creation");

    let boat = seed::asset(&store, s.library, "Assault boat", AssetKind::Watercraft, 2, false).await;
    let radio = seed::asset(&store, s.library, "Radio", AssetKind::Communication, 5, false).await;
    let lacking = campaigns_of(&store, s.library).await;
    assert_eq!(lacking, [LibraryCampaign { missing: 2, ..expected.clone() }], "out of date");

    let object = |n| seed::about(AuditAction::LibrarySynced, Some(s.campaign), ObjectKind::Library, n);
    for (seconds, asset) in [(50, &boat), (90, &radio)] {
        let audit = NewAuditEntry { at: at(seconds), ..object(s.library.get()) };
        let entry = NewPoolEntry::from_asset(asset, asset.spec.default_quantity());
        ok(store.add_pool_entries(s.campaign, &[entry], &audit, None).await, "add_pool_entries");
    }
    // A later sync of another library is not this one's.
    let crate_ = seed::asset(&store, unused, "Crate", AssetKind::Supply, 5, false).await;
    let other = NewAuditEntry { at: at(500), ..object(unused.get()) };
    let entry = NewPoolEntry::from_asset(&crate_, crate_.spec.default_quantity());
    ok(store.add_pool_entries(s.campaign, &[entry], &other, None).await, "add_pool_entries");
    let synced = campaigns_of(&store, s.library).await;
    assert_eq!(synced, [LibraryCampaign { synced_at: Some(at(90)), ..expected }], "the last sync of this library");
}

/// The mission list pages the plain missions, last in the order first, with counts; a
/// mission's event page pages its plain events, oldest first.
pub async fn mission_lists_and_mission_event_pages_page_the_plain_reads<S: Store>(store: S) {
    let (s, second, _) = history(&store).await;
    let first = ok(store.mission(s.mission).await, "mission").expect("the first mission");
    let later = ok(store.mission(second).await, "mission").expect("the second mission");
    let one =
        ok(store.mission_list(CampaignRef::Active, PageRequest::new(1, 1)).await, "mission_list").expect("active");
    assert_eq!(one.campaign, plain_pool(&store, s.campaign).await.campaign);
    assert_eq!((one.missions.items, one.missions.total), (vec![(later, 2)], 2));
    let two = ok(store.mission_list(CampaignRef::Id(s.campaign), PageRequest::new(2, 1)).await, "mission_list");
    assert_eq!(two.expect("found").missions.items, vec![(first.clone(), 2)]);
    let past = ok(store.mission_list(CampaignRef::Active, PageRequest::new(9, 1)).await, "mission_list");
    assert_eq!(past.map(|p| (p.missions.items.len(), p.missions.total)), Some((0, 2)));
    let plain = ok(store.mission_events(s.mission).await, "mission_events");
    for (page, expected) in [(1, &plain[..1]), (2, &plain[1..2]), (3, &[][..])] {
        let found = ok(store.mission_events_page(s.mission, PageRequest::new(page, 1)).await, "mission_events_page")
            .expect("the mission exists");
        assert_eq!(found.mission, first);
        assert_eq!(found.campaign, plain_pool(&store, s.campaign).await);
        assert_eq!((found.events.items.as_slice(), found.events.total), (expected, 2), "page {page}");
    }
    let missing = MissionId::new(MISSING);
    assert_eq!(ok(store.mission_events_page(missing, PageRequest::new(1, 5)).await, "mission_events_page"), None);
    let nowhere = CampaignRef::Id(CampaignId::new(MISSING));
    assert_eq!(ok(store.mission_list(nowhere, PageRequest::new(1, 5)).await, "mission_list"), None);
}

/// The staff overview is the latest missions and events of the plain reads.
pub async fn a_staff_overview_is_the_latest_of_the_plain_reads<S: Store>(store: S) {
    let (s, second, _) = history(&store).await;
    let pool = plain_pool(&store, s.campaign).await;
    let mut missions = ok(store.missions(s.campaign).await, "missions");
    missions.reverse();
    let mut events = ok(store.campaign_events(s.campaign).await, "campaign_events");
    events.reverse();
    let all = ok(store.staff_overview(CampaignRef::Active, 5, 10).await, "staff_overview").expect("active");
    assert_eq!((all.campaign, all.missions.clone(), all.events.clone()), (pool, missions.clone(), events.clone()));
    let few = ok(store.staff_overview(CampaignRef::Id(s.campaign), 1, 2).await, "staff_overview").expect("found");
    assert_eq!(few.missions.iter().map(|m| m.id).collect::<Vec<_>>(), [second]);
    assert_eq!(few.events, events[..2].to_vec(), "the two newest, with their changes");
    let nowhere = CampaignRef::Id(CampaignId::new(MISSING));
    assert_eq!(ok(store.staff_overview(nowhere, 5, 10).await, "staff_overview"), None);
}

/// Every audited write raises the revision once, in its own transaction; reads, refused
/// writes and idempotent replays leave it as it is.
pub async fn every_committed_change_raises_the_revision_and_nothing_else_does<S: Store>(store: S) {
    let start = ok(store.revision().await, "revision");
    let first = seed::library(&store, "Revision library").await;
    let after_create = ok(store.revision().await, "revision");
    assert_eq!(after_create, start + 1, "a create raises it once");
    let _ = ok(store.library(first).await, "library");
    let _ = ok(store.campaign_pool(CampaignRef::Active).await, "campaign_pool");
    assert_eq!(ok(store.revision().await, "revision"), after_create, "reads leave it");
    let entry = seed::created(domain::AuditAction::LibraryCreated, None, ObjectKind::Library);
    let duplicate = store.insert_library(&seed::new_library("Revision library"), &[], &entry, None).await;
    assert!(duplicate.is_err(), "a duplicate name is refused");
    assert_eq!(ok(store.revision().await, "revision"), after_create, "a refused write leaves it");
    let key = seed::key("revision-key");
    let keyed = seed::new_library("Keyed library");
    ok(store.insert_library(&keyed, &[], &entry, Some(&key)).await, "keyed create");
    ok(store.insert_library(&keyed, &[], &entry, Some(&key)).await, "replay");
    assert_eq!(ok(store.revision().await, "revision"), after_create + 1, "a replay leaves it");
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_pages {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            pages,
            $fresh,
            $tidy,
            [
                page_reads_agree_with_the_plain_reads_of_the_same_objects,
                a_timeline_page_is_the_plain_timeline_with_its_missions,
                an_audit_page_is_the_plain_log_beside_every_campaign_and_user,
                page_reads_of_what_does_not_exist_are_none,
                reports_come_from_the_archive_when_closed_and_from_the_history_when_open,
                every_committed_change_raises_the_revision_and_nothing_else_does,
                a_dashboard_page_is_the_latest_of_the_plain_history,
                a_librarys_campaigns_say_when_it_came_in_was_synced_and_what_they_lack,
                mission_lists_and_mission_event_pages_page_the_plain_reads,
                a_staff_overview_is_the_latest_of_the_plain_reads,
            ]
        );
    };
}
