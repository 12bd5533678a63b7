//! Creating campaigns: the starting pool, activation, validation and idempotency.

use super::{input, invalid_fields};
use crate::campaigns::CampaignInput;
use crate::error::UseCaseError;
use crate::ports::CampaignRepo;
use crate::testing::{audit_actions, campaign_of, fixture, pool_of, seed_campaign, seed_library};
use domain::{AssetKind, AuditAction, CampaignStatus};
use time::macros::date;

#[tokio::test]
async fn creating_a_campaign_imports_every_asset_of_the_selected_libraries_at_its_default() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let (csat, _) = seed_library(&f.t, "CSAT", &[("Kajman", AssetKind::Aircraft, 1, true)]).await;
    let (_unused, _) = seed_library(&f.t, "AAF", &[("Strider", AssetKind::Vehicle, 9, false)]).await;
    let cmd = CampaignInput {
        description: "Retake Altis".into(),
        end_date: "2026-03-01".into(),
        map_edit_url: "https://maps.example.org/edit".into(),
        map_view_url: "https://maps.example.org/view".into(),
        library_ids: vec![nato, csat, nato],
        ..input("Operation Harvest")
    };

    let id = f.t.create_campaign(&f.admin, cmd).await.expect("created");

    let campaign = campaign_of(&f.t, id).await;
    assert_eq!(campaign.name().as_str(), "Operation Harvest");
    assert_eq!(campaign.status(), CampaignStatus::Planned);
    assert_eq!(campaign.details().dates.start(), date!(2026 - 02 - 01));
    assert_eq!(campaign.details().dates.end(), Some(date!(2026 - 03 - 01)));
    assert_eq!(campaign.details().map_view_url.as_ref().map(|u| u.as_str()), Some("https://maps.example.org/view"));
    let pool = pool_of(&f.t, id).await;
    let summary: Vec<_> =
        pool.iter().map(|e| (e.asset_name().as_str(), e.initial().get(), e.current().get())).collect();
    assert_eq!(summary, [("Hunter", 4, 4), ("Kajman", 1, 1)]);
    assert!(pool.iter().all(|e| e.is_public()));
    assert_eq!(audit_actions(&f.t).last(), Some(&AuditAction::CampaignCreated));
}

#[tokio::test]
async fn creating_an_active_campaign_steps_the_previous_one_back_to_planned() {
    let f = fixture().await;
    let old = seed_campaign(&f.t, "Old", CampaignStatus::Active, &[]).await;

    let new =
        f.t.create_campaign(&f.admin, CampaignInput { make_active: true, ..input("New") }).await.expect("created");

    assert_eq!(campaign_of(&f.t, new).await.status(), CampaignStatus::Active);
    assert_eq!(campaign_of(&f.t, old).await.status(), CampaignStatus::Planned);
}

#[tokio::test]
async fn an_unknown_library_is_reported_on_library_ids_and_nothing_is_created() {
    let f = fixture().await;
    let (nato, _) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
    let before = audit_actions(&f.t);
    let cmd = CampaignInput { library_ids: vec![nato, domain::LibraryId::new(9999)], ..input("Harvest") };

    assert_eq!(invalid_fields(f.t.create_campaign(&f.admin, cmd).await), ["library_ids"]);
    assert!(f.t.store.campaigns().await.expect("read").is_empty());
    assert_eq!(audit_actions(&f.t), before);
}

#[tokio::test]
async fn every_bad_field_of_the_campaign_form_is_reported_by_name() {
    let f = fixture().await;
    let cmd = CampaignInput {
        name: "   ".into(),
        start_date: "14/03/2026".into(),
        map_edit_url: "javascript:alert(1)".into(),
        map_view_url: "data:text/html,hi".into(),
        idempotency_key: Some("short".into()),
        ..CampaignInput::default()
    };
    let fields = invalid_fields(f.t.create_campaign(&f.admin, cmd).await);
    assert_eq!(fields, ["name", "start_date", "map_edit_url", "map_view_url", "idempotency_key"]);

    let reversed = CampaignInput { end_date: "2026-01-31".into(), ..input("Harvest") };
    match f.t.create_campaign(&f.admin, reversed).await {
        Err(UseCaseError::Invalid(errors)) => {
            assert_eq!(errors.fields().len(), 1);
            assert_eq!(errors.message_for("end_date"), Some("the end date must not be before the start date"));
        }
        other => panic!("expected invalid end date, got {other:?}"),
    }
    let bad_end = CampaignInput { end_date: "soon".into(), ..input("Harvest") };
    assert_eq!(invalid_fields(f.t.create_campaign(&f.admin, bad_end).await), ["end_date"]);
    assert!(f.t.store.campaigns().await.expect("read").is_empty());
}

#[tokio::test]
async fn a_repeated_create_with_the_same_key_creates_one_campaign() {
    let f = fixture().await;
    let cmd = CampaignInput { idempotency_key: Some("create-harvest-1".into()), ..input("Harvest") };

    let first = f.t.create_campaign(&f.admin, cmd.clone()).await.expect("first");
    let again = f.t.create_campaign(&f.admin, cmd).await.expect("replayed");

    assert_eq!(first, again);
    assert_eq!(f.t.store.campaigns().await.expect("read").len(), 1);
    assert_eq!(audit_actions(&f.t).iter().filter(|a| **a == AuditAction::CampaignCreated).count(), 1);
}
