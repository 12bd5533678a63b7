//! Closing a campaign, its archived report, live reports, and that a closed campaign
//! refuses every change.

use super::{input, is_closed_conflict, system_audit};
use crate::error::UseCaseError;
use crate::ports::{CampaignRepo, LibraryRepo};
use crate::testing::{add_asset, import, initial, public, sync};
use crate::testing::{
    anonymous, audit_actions, campaign_of, entry_named, fixture, pool_of, seed_campaign, seed_event, seed_library,
    seed_mission,
};
use domain::{AssetKind, AssetName, AssetSpec, AuditAction, CampaignStatus, ObjectKind};
use time::Duration;
use time::macros::{date, utc_datetime};

#[tokio::test]
async fn closing_a_campaign_archives_its_report_and_sets_the_end_date() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[nato]).await;
    let mission = seed_mission(&f.t, id, "Kavala").await;
    let hunter = entry_named(&pool_of(&f.t, id).await, "Hunter").id();
    seed_event(&f.t, mission, "Ambush", &[(hunter, -3)]).await;
    seed_event(&f.t, mission, "Resupply", &[(hunter, 1)]).await;
    f.t.clock.set(utc_datetime!(2026-03-05 18:00));

    let report = f.t.close_campaign(&f.admin, id).await.expect("closed");

    let campaign = campaign_of(&f.t, id).await;
    assert_eq!(campaign.status(), CampaignStatus::Closed);
    assert_eq!(campaign.details().dates.end(), Some(date!(2026 - 03 - 05)));
    assert_eq!(report.status, CampaignStatus::Closed);
    assert_eq!(report.end, Some(date!(2026 - 03 - 05)));
    assert_eq!(report.generated_at, utc_datetime!(2026-03-05 18:00));
    let entry = &report.entries[0];
    assert_eq!((entry.asset_name.as_str(), entry.initial, entry.current), ("Hunter", 4, 2));
    assert_eq!((entry.gained, entry.lost), (1, 3));
    assert_eq!(report.missions[0].events.len(), 2);
    assert_eq!(f.t.store.final_report(id).await.expect("read"), Some(report));
    let last = f.t.store.audit_entries().pop().expect("audited").entry;
    assert_eq!(last.action, AuditAction::CampaignClosed);
    assert_eq!(last.campaign_id, Some(id));
}

#[tokio::test]
async fn the_close_preview_is_the_report_close_will_store_and_changes_nothing() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[nato]).await;
    let before = audit_actions(&f.t);

    let preview = f.t.close_preview(&f.admin, id).await.expect("preview");

    assert_eq!(preview.status, CampaignStatus::Closed);
    assert!(campaign_of(&f.t, id).await.is_active());
    assert_eq!(f.t.store.final_report(id).await.expect("read"), None);
    assert_eq!(audit_actions(&f.t), before);
    assert_eq!(f.t.close_campaign(&f.admin, id).await.expect("closed"), preview);
}

#[tokio::test]
async fn a_closed_campaign_keeps_its_report_when_a_library_asset_is_renamed() {
    let f = fixture().await;
    let (nato, assets) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[nato]).await;
    let archived = f.t.close_campaign(&f.admin, id).await.expect("closed");

    let mut asset = f.t.store.asset(assets[0]).await.expect("read").expect("exists");
    let spec = &asset.spec;
    asset.spec = AssetSpec::new(
        AssetName::parse("Hunter HMG (renamed)").expect("valid"),
        spec.kind(),
        spec.category().clone(),
        spec.description().clone(),
        spec.default_quantity(),
        spec.is_unique(),
        spec.is_public(),
    )
    .expect("valid spec");
    let audit = system_audit(&f, AuditAction::AssetUpdated, ObjectKind::Asset, asset.id.get());
    f.t.store.update_asset(&asset, &audit).await.expect("renamed");
    f.t.clock.advance(Duration::days(30));

    let report = f.t.campaign_report(&f.manager, id).await.expect("report");
    assert_eq!(report, archived);
    assert_eq!(report.entries[0].asset_name, "Hunter");
}

#[tokio::test]
async fn staff_read_live_reports_of_open_campaigns() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Planned, &[nato]).await;
    let mission = seed_mission(&f.t, id, "Kavala").await;
    let hunter = entry_named(&pool_of(&f.t, id).await, "Hunter").id();
    seed_event(&f.t, mission, "Ambush", &[(hunter, -1)]).await;

    let report = f.t.campaign_report(&f.manager, id).await.expect("report");

    assert_eq!(report.status, CampaignStatus::Planned);
    assert_eq!(report.end, None);
    assert_eq!((report.entries[0].current, report.entries[0].lost), (3, 1));
    assert_eq!(report.missions[0].name, "Kavala");
    assert!(matches!(f.t.campaign_report(&anonymous(), id).await, Err(UseCaseError::Forbidden)));
}

#[tokio::test]
async fn a_closed_campaign_refuses_every_change_for_everyone() {
    let f = fixture().await;
    let (nato, assets) = seed_library(
        &f.t,
        "NATO",
        &[("Hunter", AssetKind::Vehicle, 4, false), ("Strider", AssetKind::Vehicle, 2, false)],
    )
    .await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[nato]).await;
    let hunter = entry_named(&pool_of(&f.t, id).await, "Hunter").clone();
    f.t.close_campaign(&f.admin, id).await.expect("closed");
    let (_, new_assets) = seed_library(&f.t, "CSAT", &[("Kajman", AssetKind::Aircraft, 1, true)]).await;
    let before = audit_actions(&f.t);
    let pool_before = pool_of(&f.t, id).await;

    // Pool changes: managers too are told the campaign is closed, not that they may not.
    for actor in [&f.admin, &f.manager] {
        assert!(is_closed_conflict(&f.t.import_library(actor, id, import(nato, None)).await));
        assert!(is_closed_conflict(&f.t.sync_library(actor, id, sync(nato)).await));
        assert!(is_closed_conflict(&f.t.add_pool_asset(actor, id, add_asset(new_assets[0], "", None)).await));
        assert!(is_closed_conflict(&f.t.set_initial_quantity(actor, hunter.id(), initial("6")).await));
        assert!(is_closed_conflict(&f.t.set_pool_entry_public(actor, hunter.id(), public(false)).await));
        assert!(is_closed_conflict(&f.t.remove_pool_entry(actor, hunter.id()).await));
    }
    assert!(is_closed_conflict(&f.t.update_campaign(&f.admin, id, input("Renamed")).await));
    assert!(is_closed_conflict(&f.t.activate_campaign(&f.admin, id).await));
    assert!(is_closed_conflict(&f.t.close_campaign(&f.admin, id).await));
    assert!(is_closed_conflict(&f.t.close_preview(&f.admin, id).await));

    assert_eq!(campaign_of(&f.t, id).await.name().as_str(), "Harvest");
    assert_eq!(pool_of(&f.t, id).await, pool_before);
    assert_eq!(audit_actions(&f.t), before);
    let viewed = f.t.pool(&f.manager, id).await.expect("staff still view a closed pool");
    assert_eq!(viewed.len(), assets.len());
}
