//! Deleting events and missions: the confirmation lists what will be restored (or why
//! nothing can be deleted, with no delete button), and the deletion restores it.

use super::{assert_redirect, world};
use axum::http::StatusCode;

#[tokio::test]
async fn the_event_deletion_page_lists_the_restorations_and_deleting_restores_them() {
    let w = world().await;
    let mission = w.mission(w.active, "Dawn raid").await;
    let (slammer, hunter) = (w.entry(w.active, "M2A1 Slammer").await, w.entry(w.active, "Hunter").await);
    let event = w.event(mission, "Convoy ambush", &[(slammer, "-2"), (hunter, "+1")]).await;
    let manager = w.app.login("manager").await;
    let path = format!("/manage/events/{event}/delete");
    let confirm = manager.get(&path).await;
    assert_eq!(confirm.status, StatusCode::OK);
    let slammer_row = r#"<tr data-asset="M2A1 Slammer">
        <td>M2A1 Slammer</td>
        <td class="number">1</td>
        <td class="number gain">+2</td>
        <td class="number" data-after>3</td>"#;
    assert!(confirm.body.contains(slammer_row), "{}", confirm.body);
    assert!(confirm.body.contains(r#"<td class="number loss">-1</td>"#));
    assert!(confirm.body.contains(&format!(r#"action="{path}""#)));
    assert_eq!(w.event_count(mission).await, 1, "a GET deletes nothing");

    let deleted = manager.post_form(&path, &[]).await;
    assert_redirect(&deleted, &format!("/manage/missions/{mission}"));
    assert!(manager.get(&format!("/manage/missions/{mission}")).await.body.contains("its changes were reversed"));
    assert_eq!(w.quantity(w.active, "M2A1 Slammer").await, 3);
    assert_eq!(w.quantity(w.active, "Hunter").await, 2);
    assert_eq!(w.event_count(mission).await, 0);
}

#[tokio::test]
async fn an_event_whose_reversal_would_break_the_ledger_offers_no_delete_button_and_stays() {
    let w = world().await;
    let mission = w.mission(w.active, "Dawn raid").await;
    let hunter = w.entry(w.active, "Hunter").await;
    let gain = w.event(mission, "Capture", &[(hunter, "+2")]).await;
    w.event(mission, "Ambush", &[(hunter, "-4")]).await;
    let manager = w.app.login("manager").await;
    let path = format!("/manage/events/{gain}/delete");
    let confirm = manager.get(&path).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("cannot be deleted. Not enough Hunter: 0 available, 2 asked."), "{}", confirm.body);
    assert!(!confirm.body.contains(&format!(r#"action="{path}""#)), "no delete button");
    let refused = manager.post_form(&path, &[]).await;
    assert_redirect(&refused, &path);
    assert!(manager.get(&path).await.body.contains("flash-error"));
    assert_eq!(w.event_count(mission).await, 2);
    assert_eq!(w.quantity(w.active, "Hunter").await, 0);
}

#[tokio::test]
async fn the_mission_deletion_page_lists_the_net_restorations_and_deleting_restores_them() {
    let w = world().await;
    let mission = w.mission(w.active, "Dawn raid").await;
    let other = w.mission(w.active, "Night drop").await;
    let (slammer, hunter) = (w.entry(w.active, "M2A1 Slammer").await, w.entry(w.active, "Hunter").await);
    w.event(mission, "Ambush", &[(slammer, "-2"), (hunter, "-1")]).await;
    w.event(mission, "Recovery", &[(slammer, "+1")]).await;
    w.event(other, "Patrol", &[(hunter, "-1")]).await;
    let manager = w.app.login("manager").await;
    let path = format!("/manage/missions/{mission}/delete");
    let confirm = manager.get(&path).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("its 2 event(s)"), "{}", confirm.body);
    assert!(confirm.body.contains(
        r#"<td class="number">2</td>
        <td class="number gain">+1</td>
        <td class="number" data-after>3</td>"#
    ));
    assert!(confirm.body.contains(
        r#"<td class="number">0</td>
        <td class="number gain">+1</td>
        <td class="number" data-after>1</td>"#
    ));

    let deleted = manager.post_form(&path, &[]).await;
    let list = format!("/manage/campaigns/{}/missions", w.active);
    assert_redirect(&deleted, &list);
    assert!(manager.get(&list).await.body.contains("Mission &quot;Dawn raid&quot; deleted"));
    assert_eq!(w.mission_names(w.active).await, ["Night drop"]);
    assert_eq!(w.quantity(w.active, "M2A1 Slammer").await, 3);
    assert_eq!(w.quantity(w.active, "Hunter").await, 1);
    assert_eq!(manager.get(&format!("/manage/missions/{mission}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_mission_whose_reversal_would_break_the_ledger_offers_no_delete_button_and_stays() {
    let w = world().await;
    let first = w.mission(w.active, "Dawn raid").await;
    let second = w.mission(w.active, "Night drop").await;
    let hunter = w.entry(w.active, "Hunter").await;
    w.event(first, "Capture", &[(hunter, "+1")]).await;
    w.event(second, "Ambush", &[(hunter, "-3")]).await;
    let manager = w.app.login("manager").await;
    let path = format!("/manage/missions/{first}/delete");
    let confirm = manager.get(&path).await;
    assert!(confirm.body.contains("Not enough Hunter: 0 available, 1 asked."), "{}", confirm.body);
    assert!(!confirm.body.contains(&format!(r#"action="{path}""#)));
    assert_redirect(&manager.post_form(&path, &[]).await, &path);
    assert_eq!(w.mission_names(w.active).await, ["Dawn raid", "Night drop"]);
    assert_eq!(w.quantity(w.active, "Hunter").await, 0);
}
