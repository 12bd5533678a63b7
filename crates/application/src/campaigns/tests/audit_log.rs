//! The audit log: filtering by campaign, actor and action, and paging.

use super::input;
use crate::ports::AuditFilter;
use crate::testing::public;
use crate::testing::{Fixture, fixture, pool_of, seed_campaign, seed_library};
use domain::{AssetKind, AuditAction, CampaignId, CampaignStatus};

/// Admin edits of two campaigns and a manager's pool change on the first, in order.
async fn history() -> (Fixture, CampaignId, CampaignId) {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let first = seed_campaign(&f.t, "First", CampaignStatus::Active, &[nato]).await;
    let second = seed_campaign(&f.t, "Second", CampaignStatus::Planned, &[]).await;
    f.t.update_campaign(&f.admin, first, input("First, renamed")).await.expect("edit first");
    let hunter = pool_of(&f.t, first).await[0].id();
    f.t.set_pool_entry_public(&f.manager, hunter, public(false)).await.expect("hide");
    f.t.update_campaign(&f.admin, second, input("Second, renamed")).await.expect("edit second");
    (f, first, second)
}

fn actions(page: &crate::ports::Page<domain::AuditEntry>) -> Vec<AuditAction> {
    page.items.iter().map(|a| a.entry.action).collect()
}

#[tokio::test]
async fn the_audit_log_filters_by_campaign_actor_and_action_newest_first() {
    let (f, first, second) = history().await;

    let by_campaign = AuditFilter { campaign: Some(first), ..AuditFilter::default() };
    let page = f.t.audit_page(&f.admin, by_campaign, 1, 50).await.expect("log").entries;
    assert_eq!(
        actions(&page),
        [
            AuditAction::PoolVisibilityChanged,
            AuditAction::CampaignUpdated,
            // The store files a campaign's creation under the campaign it created.
            AuditAction::CampaignCreated
        ]
    );

    let by_manager = AuditFilter { actor: Some(f.manager_id), ..AuditFilter::default() };
    let page = f.t.audit_page(&f.admin, by_manager, 1, 50).await.expect("log").entries;
    assert_eq!(actions(&page), [AuditAction::PoolVisibilityChanged]);
    assert_eq!(page.items[0].entry.actor_name, "manager");

    let edits = AuditFilter { action: Some(AuditAction::CampaignUpdated), ..AuditFilter::default() };
    let page = f.t.audit_page(&f.admin, edits.clone(), 1, 50).await.expect("log").entries;
    let campaigns: Vec<_> = page.items.iter().map(|a| a.entry.campaign_id).collect();
    assert_eq!(campaigns, [Some(second), Some(first)]);

    let both = AuditFilter { campaign: Some(second), ..edits };
    assert_eq!(f.t.audit_page(&f.admin, both, 1, 50).await.expect("log").entries.total, 1);
}

#[tokio::test]
async fn the_audit_log_comes_in_pages() {
    let (f, first, second) = history().await;
    let by_admin = AuditFilter { actor: Some(f.admin_id), ..AuditFilter::default() };

    let one = f.t.audit_page(&f.admin, by_admin.clone(), 1, 1).await.expect("page 1").entries;
    let two = f.t.audit_page(&f.admin, by_admin.clone(), 2, 1).await.expect("page 2").entries;
    let three = f.t.audit_page(&f.admin, by_admin.clone(), 3, 1).await.expect("page 3").entries;

    assert_eq!((one.total, one.page_count()), (2, 2));
    assert_eq!(one.items[0].entry.campaign_id, Some(second));
    assert_eq!(two.items[0].entry.campaign_id, Some(first));
    assert!(three.items.is_empty());
    let clamped = f.t.audit_page(&f.admin, by_admin, 0, 0).await.expect("clamped").entries;
    assert_eq!((clamped.request.page, clamped.request.per_page, clamped.items.len()), (1, 1, 1));
}
