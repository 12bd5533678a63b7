//! Editing and activating campaigns.

use super::{input, invalid_fields};
use crate::campaigns::CampaignInput;
use crate::ports::CampaignRepo;
use crate::testing::{audit_actions, campaign_of, fixture, pool_of, seed_campaign, seed_library};
use domain::{AssetKind, AuditAction, CampaignId, CampaignStatus};
use time::macros::date;

#[tokio::test]
async fn editing_a_campaign_saves_its_fields_and_leaves_pool_and_status_alone() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Planned, &[]).await;
    let cmd = CampaignInput {
        description: "Now with tanks".into(),
        end_date: "2026-04-01".into(),
        library_ids: vec![nato],
        make_active: true,
        ..input("Harvest II")
    };

    f.t.update_campaign(&f.admin, id, cmd).await.expect("edited");

    let campaign = campaign_of(&f.t, id).await;
    assert_eq!(campaign.name().as_str(), "Harvest II");
    assert_eq!(campaign.details().description.as_str(), "Now with tanks");
    assert_eq!(campaign.details().dates.end(), Some(date!(2026 - 04 - 01)));
    assert_eq!(campaign.status(), CampaignStatus::Planned);
    assert!(pool_of(&f.t, id).await.is_empty());
    let last = f.t.store.audit_entries().pop().expect("audited").entry;
    assert_eq!(last.action, AuditAction::CampaignUpdated);
    assert_eq!(last.campaign_id, Some(id));
    assert_eq!(last.details, "edited campaign Harvest II (name, description, dates)");
}

#[tokio::test]
async fn an_edit_that_changes_nothing_or_is_invalid_writes_nothing() {
    let f = fixture().await;
    let id = f.t.create_campaign(&f.admin, input("Harvest")).await.expect("created");
    let before = audit_actions(&f.t);

    f.t.update_campaign(&f.admin, id, input("Harvest")).await.expect("no-op");
    let bad = CampaignInput { map_view_url: "javascript:alert(1)".into(), ..input("") };
    assert_eq!(invalid_fields(f.t.update_campaign(&f.admin, id, bad).await), ["name", "map_view_url"]);

    assert_eq!(campaign_of(&f.t, id).await.name().as_str(), "Harvest");
    assert_eq!(audit_actions(&f.t), before);
}

#[tokio::test]
async fn activating_a_campaign_leaves_exactly_one_active() {
    let f = fixture().await;
    let first = seed_campaign(&f.t, "First", CampaignStatus::Active, &[]).await;
    let second = seed_campaign(&f.t, "Second", CampaignStatus::Planned, &[]).await;

    f.t.activate_campaign(&f.admin, second).await.expect("activated");

    let active: Vec<CampaignId> =
        f.t.store.campaigns().await.expect("read").iter().filter(|c| c.is_active()).map(|c| c.id()).collect();
    assert_eq!(active, [second]);
    assert_eq!(campaign_of(&f.t, first).await.status(), CampaignStatus::Planned);
    let last = f.t.store.audit_entries().pop().expect("audited").entry;
    assert_eq!(last.action, AuditAction::CampaignActivated);
    assert_eq!(last.details, "activated campaign Second (First is now planned)");
}

#[tokio::test]
async fn activating_the_active_campaign_again_writes_nothing() {
    let f = fixture().await;
    let id = seed_campaign(&f.t, "Harvest", CampaignStatus::Active, &[]).await;
    let before = audit_actions(&f.t);

    f.t.activate_campaign(&f.admin, id).await.expect("no-op");

    assert!(campaign_of(&f.t, id).await.is_active());
    assert_eq!(audit_actions(&f.t), before);
}
