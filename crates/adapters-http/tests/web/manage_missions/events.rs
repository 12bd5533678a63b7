//! The event form with its change rows, the event page (add and remove one change) and
//! the event edit form.

use super::{World, assert_redirect, id_in, world};
use crate::support::Client;
use axum::http::StatusCode;
use domain::{AssetChangeId, EventId, MissionId};

/// A logged-in manager and a mission of the active campaign.
async fn setup(w: &World) -> (Client, MissionId) {
    let mission = w.mission(w.active, "Dawn raid").await;
    (w.app.login("manager").await, mission)
}

/// The event form's fields with `rows` (entry, delta, note) and then blank rows up to five.
fn event_fields(title: &str, key: &str, rows: &[(String, &str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("kind", "Combat"),
        ("title", title),
        ("occurred_at", "2026-01-02T18:30"),
        ("location", "Kavala"),
        ("idempotency_key", key),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for i in 0..5 {
        let (entry, delta, note) = rows.get(i).map_or((String::new(), "", ""), |(e, d, n)| (e.clone(), *d, *n));
        fields.push(("change_entry".into(), entry));
        fields.push(("change_delta".into(), delta.to_owned()));
        fields.push(("change_note".into(), note.to_owned()));
    }
    fields
}

/// The id of `event`'s first change.
async fn first_change(w: &World, event: EventId) -> AssetChangeId {
    w.app.tracker().event(&w.app.admin(), event).await.expect("the event").changes[0].id
}

async fn submit(client: &Client, mission: MissionId, fields: &[(String, String)]) -> crate::support::TestResponse {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    client.post_form(&format!("/manage/missions/{mission}/events/new"), &fields).await
}

#[tokio::test]
async fn the_event_form_offers_five_change_rows_naming_each_asset_with_its_quantity() {
    let w = world().await;
    let (manager, mission) = setup(&w).await;
    let form = manager.get(&format!("/manage/missions/{mission}/events/new")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.body.matches(r#"name="change_entry""#).count(), 5);
    assert_eq!(form.body.matches(r#"name="change_delta""#).count(), 5);
    assert!(
        form.body.contains(">M2A1 Slammer (current 3)</option>") && form.body.contains(">Hunter (current 2)</option>")
    );
    assert!(form.body.contains(r#"<label for="occurred_at">When (UTC)</label>"#), "{}", form.body);
    assert!(form.body.contains(r#"type="datetime-local" value="2026-01-01T12:00""#), "defaults to now, in UTC");
    assert!(form.hidden_value("idempotency_key").is_some());
    let more = manager.get(&format!("/manage/missions/{mission}/events/new?rows=12")).await;
    assert_eq!(more.body.matches(r#"name="change_entry""#).count(), 12);
}

#[tokio::test]
async fn recording_an_event_with_two_changes_moves_the_quantities_and_shows_the_event() {
    let w = world().await;
    let (manager, mission) = setup(&w).await;
    let (slammer, hunter) = (w.entry(w.active, "M2A1 Slammer").await, w.entry(w.active, "Hunter").await);
    let rows = [(slammer.to_string(), "-2", "Destroyed at the bridge"), (hunter.to_string(), "+1", "Captured")];
    let created = submit(&manager, mission, &event_fields("Convoy ambush", "event-key-1", &rows)).await;
    let event = id_in(&created);
    assert_redirect(&created, &format!("/manage/events/{event}"));
    assert_eq!(w.quantity(w.active, "M2A1 Slammer").await, 1);
    assert_eq!(w.quantity(w.active, "Hunter").await, 3);
    let page = manager.get(&format!("/manage/events/{event}")).await;
    assert!(page.body.contains("Event recorded.") && page.body.contains("<h1>Convoy ambush"), "{}", page.body);
    assert!(page.body.contains(r#"<tr data-change="M2A1 Slammer">"#) && page.body.contains(">-2</td>"));
    assert!(page.body.contains(">+1</td>") && page.body.contains("Destroyed at the bridge"));
    let mission_page = manager.get(&format!("/manage/missions/{mission}")).await;
    assert!(mission_page.body.contains(&format!(r#"<a href="/manage/events/{event}">Convoy ambush</a>"#)));
}

#[tokio::test]
async fn a_loss_larger_than_the_pool_is_shown_again_with_the_ledger_message_and_changes_nothing() {
    let w = world().await;
    let (manager, mission) = setup(&w).await;
    let (slammer, hunter) = (w.entry(w.active, "M2A1 Slammer").await, w.entry(w.active, "Hunter").await);
    let before = w.quantities(w.active).await;
    let rows = [(slammer.to_string(), "-1", "first"), (hunter.to_string(), "-5", "too many")];
    let refused = submit(&manager, mission, &event_fields("Disaster", "event-key-2", &rows)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(r#"<p class="form-error" role="alert">Not enough Hunter: 2 available, 5 asked.</p>"#),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(r#"value="Disaster""#) && refused.body.contains(r#"value="too many""#));
    assert!(refused.body.contains(r#"value="-5""#) && refused.body.contains(r#"value="-1""#), "every row is kept");
    assert!(refused.body.contains(&format!(r#"<option value="{hunter}" selected>"#)));
    assert_eq!(refused.body.matches(r#"name="change_entry""#).count(), 5);
    assert_eq!(w.quantities(w.active).await, before);
    assert_eq!(w.event_count(mission).await, 0);
}

#[tokio::test]
async fn a_zero_change_is_an_error_on_its_row_and_records_nothing() {
    let w = world().await;
    let (manager, mission) = setup(&w).await;
    let slammer = w.entry(w.active, "M2A1 Slammer").await;
    let rows = [(slammer.to_string(), "-1", ""), (slammer.to_string(), "0", "")];
    let refused = submit(&manager, mission, &event_fields("", "event-key-3", &rows)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(r#"<p class="field-error" id="change_2-error">Quantity change must not be zero</p>"#),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(r#"id="change_delta_2" name="change_delta" type="number" step="1" value="0" aria-invalid="true" aria-describedby="change_2-error""#));
    assert!(refused.body.contains(r#"<p class="field-error" id="title-error">must not be empty</p>"#));
    assert_eq!(w.quantity(w.active, "M2A1 Slammer").await, 3);
    assert_eq!(w.event_count(mission).await, 0);
}

#[tokio::test]
async fn a_row_error_after_a_blank_row_lands_on_the_row_typed_and_its_field_only() {
    let w = world().await;
    let (manager, mission) = setup(&w).await;
    let hunter = w.entry(w.active, "Hunter").await;
    let rows = [(hunter.to_string(), "-1", ""), (String::new(), "", ""), (String::new(), "-1", "lost")];
    let refused = submit(&manager, mission, &event_fields("Patrol", "event-key-9", &rows)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(r#"<p class="field-error" id="change_3-error">Asset must be chosen</p>"#),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(
        r#"<select id="change_entry_3" name="change_entry" aria-invalid="true" aria-describedby="change_3-error">"#
    ));
    assert!(refused.body.contains(
        r#"id="change_delta_3" name="change_delta" type="number" step="1" value="-1" aria-describedby="changes-hint""#
    ));
    assert_eq!(refused.body.matches(r#"class="field-error""#).count(), 1, "only row 3 has an error");
    assert_eq!(w.event_count(mission).await, 0);
}

#[tokio::test]
async fn a_form_with_a_bad_request_key_is_shown_again_with_a_fresh_key_and_records_nothing() {
    let w = world().await;
    let (manager, mission) = setup(&w).await;
    let hunter = w.entry(w.active, "Hunter").await;
    let refused =
        submit(&manager, mission, &event_fields("Resupply", "short", &[(hunter.to_string(), "-1", "")])).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("request key was not valid"), "{}", refused.body);
    let key = refused.hidden_value("idempotency_key").expect("a key");
    assert_eq!(key.len(), 32, "a fresh key");
    assert_eq!(w.event_count(mission).await, 0);
}

#[tokio::test]
async fn a_double_submitted_event_form_records_once() {
    let w = world().await;
    let (manager, mission) = setup(&w).await;
    let form = manager.get(&format!("/manage/missions/{mission}/events/new")).await;
    let key = form.hidden_value("idempotency_key").expect("a key");
    let hunter = w.entry(w.active, "Hunter").await;
    let fields = event_fields("Resupply", &key, &[(hunter.to_string(), "-1", "")]);
    let first = submit(&manager, mission, &fields).await;
    let second = submit(&manager, mission, &fields).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(second.location(), first.location());
    assert_eq!(w.event_count(mission).await, 1);
    assert_eq!(w.quantity(w.active, "Hunter").await, 1);
}

#[tokio::test]
async fn a_change_added_on_the_event_page_is_applied_once_and_a_bad_one_is_refused() {
    let w = world().await;
    let (manager, mission) = setup(&w).await;
    let hunter = w.entry(w.active, "Hunter").await;
    let event = w.event(mission, "Ambush", &[]).await;
    let path = format!("/manage/events/{event}");
    let key = manager.get(&path).await.hidden_value("idempotency_key").expect("a key");
    let add = [("change_entry", hunter.to_string()), ("change_delta", "-2".into()), ("idempotency_key", key)];
    let add: Vec<(&str, &str)> = add.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_redirect(&manager.post_form(&format!("{path}/changes"), &add).await, &path);
    assert_redirect(&manager.post_form(&format!("{path}/changes"), &add).await, &path);
    assert_eq!(w.quantity(w.active, "Hunter").await, 0, "applied once");
    assert!(manager.get(&path).await.body.contains("Change added."));

    let zero = [("change_entry", hunter.to_string()), ("change_delta", "0".into())];
    let zero: Vec<(&str, &str)> = zero.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let invalid = manager.post_form(&format!("{path}/changes"), &zero).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        invalid.body.contains(r#"<p class="field-error" id="change_delta-error">must not be zero</p>"#),
        "{}",
        invalid.body
    );

    let too_many = [("change_entry", hunter.to_string()), ("change_delta", "-1".into())];
    let too_many: Vec<(&str, &str)> = too_many.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_redirect(&manager.post_form(&format!("{path}/changes"), &too_many).await, &path);
    let page = manager.get(&path).await;
    assert!(page.body.contains("Not enough Hunter: 0 available, 1 asked."), "{}", page.body);
    assert_eq!(w.quantity(w.active, "Hunter").await, 0);
    let changes = w.app.tracker().event(&w.app.admin(), event).await.expect("the event").changes;
    assert_eq!(changes.len(), 1);
}

#[tokio::test]
async fn removing_a_change_restores_its_quantity_unless_a_later_loss_depends_on_it() {
    let w = world().await;
    let (manager, mission) = setup(&w).await;
    let hunter = w.entry(w.active, "Hunter").await;
    let gain = w.event(mission, "Capture", &[(hunter, "+2")]).await;
    let loss = w.event(mission, "Ambush", &[(hunter, "-1")]).await;
    let loss_change = first_change(&w, loss).await;
    let removed =
        manager.post_form(&format!("/manage/changes/{loss_change}/delete"), &[("event_id", &loss.to_string())]).await;
    assert_redirect(&removed, &format!("/manage/events/{loss}"));
    assert_eq!(w.quantity(w.active, "Hunter").await, 4);
    assert!(manager.get(&format!("/manage/events/{loss}")).await.body.contains("Change removed"));

    w.event(mission, "Second ambush", &[(hunter, "-4")]).await;
    let gain_change = first_change(&w, gain).await;
    let refused =
        manager.post_form(&format!("/manage/changes/{gain_change}/delete"), &[("event_id", &gain.to_string())]).await;
    assert_redirect(&refused, &format!("/manage/events/{gain}"));
    let page = manager.get(&format!("/manage/events/{gain}")).await;
    assert!(page.body.contains("Not enough Hunter: 0 available, 2 asked."), "{}", page.body);
    assert_eq!(w.quantity(w.active, "Hunter").await, 0);
}

#[tokio::test]
async fn editing_an_event_changes_its_fields_and_keeps_its_changes() {
    let w = world().await;
    let (manager, mission) = setup(&w).await;
    let hunter = w.entry(w.active, "Hunter").await;
    let event = w.event(mission, "Ambush", &[(hunter, "-1")]).await;
    let path = format!("/manage/events/{event}/edit");
    let form = manager.get(&path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"value="2026-01-01T10:00""#) && form.body.contains(r#"value="Ambush""#));
    let bad = [("kind", "Combat"), ("title", ""), ("occurred_at", "yesterday"), ("location", "Pyrgos")];
    let refused = manager.post_form(&path, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(r#"id="title-error""#) && refused.body.contains(r#"id="occurred_at-error""#));
    assert!(refused.body.contains(r#"value="Pyrgos""#));
    let good =
        [("kind", "Logistics"), ("title", "Ambush at dusk"), ("occurred_at", "2026-01-01T17:45"), ("location", "")];
    assert_redirect(&manager.post_form(&path, &good).await, &format!("/manage/events/{event}"));
    let saved = w.app.tracker().event(&w.app.admin(), event).await.expect("the event");
    assert_eq!(saved.details.title.as_str(), "Ambush at dusk");
    assert_eq!(saved.changes.len(), 1);
    assert_eq!(w.quantity(w.active, "Hunter").await, 1);
}
