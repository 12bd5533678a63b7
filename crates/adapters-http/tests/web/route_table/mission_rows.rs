//! The table's rows for missions, events and changes, each on the active campaign (any
//! staff member runs it), the planned one (only admins run it) and the closed one
//! (nobody changes it).

use super::rows::Outcome::{Invalid, NotFound, ToLogin};
use super::rows::{ADMIN, CLOSED, KEY, Outcome, Row, STAFF, admin, closed, get, post, staff};

/// A write to a closed campaign through a form: the form again with the refusal (422).
const CLOSED_FORM: [Outcome; 3] = [ToLogin, Invalid, Invalid];

/// Mission and event pages and their forms.
pub const MISSION_ROWS: &[Row] = &[
    get(MISSIONS, "/manage/campaigns/{active}/missions", STAFF),
    get(MISSIONS, "/manage/campaigns/{planned}/missions", STAFF),
    get(MISSIONS, "/manage/campaigns/{closed}/missions", STAFF),
    get(NEW_MISSION, "/manage/campaigns/{active}/missions/new", STAFF),
    get(NEW_MISSION, "/manage/campaigns/{planned}/missions/new", ADMIN),
    get(NEW_MISSION, "/manage/campaigns/{closed}/missions/new", CLOSED),
    post(MISSIONS, "/manage/campaigns/{active}/missions", MISSION, staff("/manage/missions/*")),
    post(MISSIONS, "/manage/campaigns/{planned}/missions", MISSION, admin("/manage/missions/*")),
    post(MISSIONS, "/manage/campaigns/{closed}/missions", MISSION, CLOSED_FORM),
    post(REORDER, "/manage/campaigns/{active}/missions/reorder", &[("order", "{mission2},{mission}")], ACTIVE_LIST),
    post(
        REORDER,
        "/manage/campaigns/{planned}/missions/reorder",
        &[("order", "{p_mission2},{p_mission}")],
        PLANNED_LIST,
    ),
    post(REORDER, "/manage/campaigns/{closed}/missions/reorder", &[("order", "{c_mission2},{c_mission}")], CLOSED_LIST),
    get("/manage/missions/{id}", "/manage/missions/{mission}", STAFF),
    get("/manage/missions/{id}", "/manage/missions/{p_mission}", STAFF),
    get("/manage/missions/{id}", "/manage/missions/{c_mission}", STAFF),
    get(EDIT_MISSION, "/manage/missions/{mission}/edit", STAFF),
    get(EDIT_MISSION, "/manage/missions/{p_mission}/edit", ADMIN),
    get(EDIT_MISSION, "/manage/missions/{c_mission}/edit", CLOSED),
    post(EDIT_MISSION, "/manage/missions/{mission}/edit", RENAMED, staff("/manage/missions/{mission}")),
    post(EDIT_MISSION, "/manage/missions/{p_mission}/edit", RENAMED, admin("/manage/missions/{p_mission}")),
    post(EDIT_MISSION, "/manage/missions/{c_mission}/edit", RENAMED, CLOSED_FORM),
    post(STATUS, "/manage/missions/{mission}/status", DONE, staff("/manage/missions/{mission}")),
    post(STATUS, "/manage/missions/{p_mission}/status", DONE, admin("/manage/missions/{p_mission}")),
    post(STATUS, "/manage/missions/{c_mission}/status", DONE, closed("/manage/missions/{c_mission}")),
    get(DELETE_MISSION, "/manage/missions/{mission}/delete", STAFF),
    get(DELETE_MISSION, "/manage/missions/{p_mission}/delete", ADMIN),
    // The confirmation explains why a closed campaign's mission cannot be deleted.
    get(DELETE_MISSION, "/manage/missions/{c_mission}/delete", STAFF),
    post(DELETE_MISSION, "/manage/missions/{mission}/delete", &[], ACTIVE_LIST),
    post(DELETE_MISSION, "/manage/missions/{missing}/delete", &[], [ToLogin, NotFound, NotFound]),
    post(DELETE_MISSION, "/manage/missions/{p_mission}/delete", &[], PLANNED_LIST),
    post(DELETE_MISSION, "/manage/missions/{c_mission}/delete", &[], closed("/manage/missions/{c_mission}/delete")),
    // Events.
    get(NEW_EVENT, "/manage/missions/{mission}/events/new", STAFF),
    get(NEW_EVENT, "/manage/missions/{p_mission}/events/new", ADMIN),
    get(NEW_EVENT, "/manage/missions/{c_mission}/events/new", CLOSED),
    post(NEW_EVENT, "/manage/missions/{mission}/events/new", EVENT, staff("/manage/events/*")),
    post(NEW_EVENT, "/manage/missions/{p_mission}/events/new", P_EVENT, admin("/manage/events/*")),
    post(NEW_EVENT, "/manage/missions/{c_mission}/events/new", C_EVENT, CLOSED_FORM),
    get("/manage/events/{id}", "/manage/events/{event}", STAFF),
    get("/manage/events/{id}", "/manage/events/{p_event}", STAFF),
    get("/manage/events/{id}", "/manage/events/{c_event}", STAFF),
    get("/manage/events/{id}", "/manage/events/{missing}", [ToLogin, NotFound, NotFound]),
    get(EDIT_EVENT, "/manage/events/{event}/edit", STAFF),
    get(EDIT_EVENT, "/manage/events/{p_event}/edit", ADMIN),
    get(EDIT_EVENT, "/manage/events/{c_event}/edit", CLOSED),
    post(EDIT_EVENT, "/manage/events/{event}/edit", RETITLED, staff("/manage/events/{event}")),
    post(EDIT_EVENT, "/manage/events/{p_event}/edit", RETITLED, admin("/manage/events/{p_event}")),
    post(EDIT_EVENT, "/manage/events/{c_event}/edit", RETITLED, CLOSED_FORM),
    post(CHANGES, "/manage/events/{event}/changes", CHANGE, staff("/manage/events/{event}")),
    post(CHANGES, "/manage/events/{p_event}/changes", P_CHANGE, admin("/manage/events/{p_event}")),
    post(CHANGES, "/manage/events/{c_event}/changes", C_CHANGE, closed("/manage/events/{c_event}")),
    post(DROP_CHANGE, "/manage/changes/{change}/delete", &[("event_id", "{event}")], staff("/manage/events/{event}")),
    post(
        DROP_CHANGE,
        "/manage/changes/{p_change}/delete",
        &[("event_id", "{p_event}")],
        admin("/manage/events/{p_event}"),
    ),
    post(
        DROP_CHANGE,
        "/manage/changes/{c_change}/delete",
        &[("event_id", "{c_event}")],
        closed("/manage/events/{c_event}"),
    ),
    get(DELETE_EVENT, "/manage/events/{event}/delete", STAFF),
    get(DELETE_EVENT, "/manage/events/{p_event}/delete", ADMIN),
    get(DELETE_EVENT, "/manage/events/{c_event}/delete", STAFF),
    post(DELETE_EVENT, "/manage/events/{event}/delete", &[], staff("/manage/missions/{mission}")),
    post(DELETE_EVENT, "/manage/events/{p_event}/delete", &[], admin("/manage/missions/{p_mission}")),
    post(DELETE_EVENT, "/manage/events/{c_event}/delete", &[], closed("/manage/events/{c_event}/delete")),
];

const MISSIONS: &str = "/manage/campaigns/{cid}/missions";
const NEW_MISSION: &str = "/manage/campaigns/{cid}/missions/new";
const REORDER: &str = "/manage/campaigns/{cid}/missions/reorder";
const EDIT_MISSION: &str = "/manage/missions/{id}/edit";
const STATUS: &str = "/manage/missions/{id}/status";
const DELETE_MISSION: &str = "/manage/missions/{id}/delete";
const NEW_EVENT: &str = "/manage/missions/{id}/events/new";
const EDIT_EVENT: &str = "/manage/events/{id}/edit";
const CHANGES: &str = "/manage/events/{id}/changes";
const DROP_CHANGE: &str = "/manage/changes/{id}/delete";
const DELETE_EVENT: &str = "/manage/events/{id}/delete";

const ACTIVE_LIST: [Outcome; 3] = staff("/manage/campaigns/{active}/missions");
const PLANNED_LIST: [Outcome; 3] = admin("/manage/campaigns/{planned}/missions");
const CLOSED_LIST: [Outcome; 3] = closed("/manage/campaigns/{closed}/missions");

const MISSION: &[(&str, &str)] = &[("name", "Night drop"), ("date", "2026-01-05"), ("idempotency_key", KEY)];
const RENAMED: &[(&str, &str)] = &[("name", "Dawn raid, again"), ("location", "Altis")];
const DONE: &[(&str, &str)] = &[("status", "Completed")];
const RETITLED: &[(&str, &str)] =
    &[("kind", "Combat"), ("title", "Ambush at dawn"), ("occurred_at", "2026-01-01T09:30")];

const EVENT: &[(&str, &str)] = &event("{entry}");
const P_EVENT: &[(&str, &str)] = &event("{p_entry}");
const C_EVENT: &[(&str, &str)] = &event("{c_entry}");

/// A valid event form with one change row losing one of `entry`, and a blank row.
const fn event(entry: &'static str) -> [(&'static str, &'static str); 10] {
    [
        ("kind", "Combat"),
        ("title", "Second ambush"),
        ("occurred_at", "2026-01-01T11:00"),
        ("change_entry", entry),
        ("change_delta", "-1"),
        ("change_note", "Lost"),
        ("change_entry", ""),
        ("change_delta", ""),
        ("change_note", ""),
        ("idempotency_key", KEY),
    ]
}

const CHANGE: &[(&str, &str)] = &change("{bare_entry}");
const P_CHANGE: &[(&str, &str)] = &change("{p_bare_entry}");
const C_CHANGE: &[(&str, &str)] = &change("{c_bare_entry}");

/// A valid added change: one more lost from `entry` (which has 3).
const fn change(entry: &'static str) -> [(&'static str, &'static str); 4] {
    [("change_entry", entry), ("change_delta", "-1"), ("change_note", "Lost"), ("idempotency_key", KEY)]
}
