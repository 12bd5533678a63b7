//! Seeding helpers for the contract suite: every object is created through the ports,
//! as a use case would, with the system (or a seeded user) as the audit actor.
//!
//! Invariant: every timestamp is a whole number of seconds after `T0`, so that a
//! value round-trips exactly through any database (and through the archived report's
//! JSON, which keeps seconds).

use crate::ports::{NewCampaign, NewChange, NewEvent, NewLibrary, NewMission, NewPoolEntry, NewUser, Store};
use domain::{
    Asset, AssetKind, AssetName, AssetSpec, AuditAction, CampaignDates, CampaignDetails, CampaignId, CampaignName,
    CampaignStatus, Category, Delta, Description, EventDetails, EventId, EventKind, EventTitle, IdempotencyKey,
    LibraryId, LibraryName, Location, MapUrl, MissionDetails, MissionId, MissionName, MissionStatus, NewAuditEntry,
    Notes, ObjectKind, ObjectRef, PasswordHash, PoolEntryId, Quantity, Role, ShortText, UserId, Username,
};
use time::macros::{date, utc_datetime};
use time::{Duration, UtcDateTime};

/// The instant the suite's times count from.
pub const T0: UtcDateTime = utc_datetime!(2026-01-01 12:00);

/// An id no store hands out in a test (the suite creates far fewer objects).
pub const MISSING: i64 = 987_654_321;

/// `T0` plus whole seconds.
pub fn at(seconds: i64) -> UtcDateTime {
    T0 + Duration::seconds(seconds)
}

/// An audit entry by the system, about `object`.
pub fn audit(action: AuditAction, campaign: Option<CampaignId>, object: ObjectRef) -> NewAuditEntry {
    NewAuditEntry {
        at: T0,
        actor_id: None,
        actor_name: "system".into(),
        action,
        campaign_id: campaign,
        object,
        details: format!("contract: {action} ✓"),
    }
}

/// An audit entry by the system for a create (the store fills in the object id).
pub fn created(action: AuditAction, campaign: Option<CampaignId>, kind: ObjectKind) -> NewAuditEntry {
    audit(action, campaign, ObjectRef::created(kind))
}

/// An audit entry by the system about an existing object.
pub fn about(action: AuditAction, campaign: Option<CampaignId>, kind: ObjectKind, id: i64) -> NewAuditEntry {
    audit(action, campaign, ObjectRef::existing(kind, id))
}

/// The same entry, written by a seeded user instead of the system.
pub fn by(user: UserId, name: &str, entry: NewAuditEntry) -> NewAuditEntry {
    NewAuditEntry { actor_id: Some(user), actor_name: name.to_owned(), ..entry }
}

/// A parsed idempotency key.
pub fn key(raw: &str) -> IdempotencyKey {
    IdempotencyKey::parse(raw).expect("valid idempotency key")
}

/// A parsed username.
pub fn username(raw: &str) -> Username {
    Username::parse(raw).expect("valid username")
}

/// A user to create, with a hash derived from the name.
pub fn new_user(name: &str, role: Role) -> NewUser {
    NewUser {
        username: username(name),
        role,
        password_hash: PasswordHash::new(format!("plain:{name} password")),
        created_at: T0,
    }
}

/// Creates a user.
pub async fn user<S: Store>(store: &S, name: &str, role: Role) -> UserId {
    let entry = created(AuditAction::UserCreated, None, ObjectKind::User);
    store
        .insert_user(&new_user(name, role), &entry, None)
        .await
        .unwrap_or_else(|e| panic!("seeding user {name} failed: {e:?}"))
}

/// A library to create.
pub fn new_library(name: &str) -> NewLibrary {
    NewLibrary {
        name: LibraryName::parse(name).expect("valid library name"),
        description: Description::parse("Vehicles of the base game\nsecond line").expect("valid description"),
        category: Category::parse("Modern").expect("valid category"),
        is_default: true,
    }
}

/// Creates a library.
pub async fn library<S: Store>(store: &S, name: &str) -> LibraryId {
    let entry = created(AuditAction::LibraryCreated, None, ObjectKind::Library);
    store
        .insert_library(&new_library(name), &[], &entry, None)
        .await
        .unwrap_or_else(|e| panic!("seeding library {name} failed: {e:?}"))
}

/// An asset description.
pub fn spec(name: &str, kind: AssetKind, quantity: u32, unique: bool) -> AssetSpec {
    AssetSpec::new(
        AssetName::parse(name).expect("valid asset name"),
        kind,
        Category::parse("Main battle tank").expect("valid category"),
        Description::parse("Tracked, armoured").expect("valid description"),
        Quantity::new(quantity).expect("valid quantity"),
        unique,
        !unique,
    )
    .expect("valid asset spec")
}

/// Creates an asset and reads it back.
pub async fn asset<S: Store>(
    store: &S,
    library: LibraryId,
    name: &str,
    kind: AssetKind,
    quantity: u32,
    unique: bool,
) -> Asset {
    let entry = created(AuditAction::AssetCreated, None, ObjectKind::Asset);
    let id = store
        .insert_asset(library, &spec(name, kind, quantity, unique), &entry, None)
        .await
        .unwrap_or_else(|e| panic!("seeding asset {name} failed: {e:?}"));
    store.asset(id).await.expect("reading a seeded asset").expect("a seeded asset exists")
}

/// A pool entry for `asset` starting at `initial`, public as the asset says.
pub fn pooled(asset: &Asset, initial: u32) -> NewPoolEntry {
    NewPoolEntry::from_asset(asset, Quantity::new(initial).expect("valid quantity"))
}

/// A campaign's fields, with every optional field filled in.
pub fn details(name: &str) -> CampaignDetails {
    CampaignDetails {
        name: CampaignName::parse(name).expect("valid campaign name"),
        description: Description::parse("Retake Altis — phase «one»\nthen phase two").expect("valid description"),
        dates: CampaignDates::new(date!(2026 - 01 - 01), Some(date!(2026 - 03 - 31))).expect("valid dates"),
        map_edit_url: Some(MapUrl::parse("https://maps.example.org/edit/1").expect("valid url")),
        map_view_url: Some(MapUrl::parse("http://maps.example.org/view/1").expect("valid url")),
    }
}

/// A campaign to create.
pub fn new_campaign(name: &str, status: CampaignStatus, pool: Vec<NewPoolEntry>) -> NewCampaign {
    NewCampaign { details: details(name), status, pool, created_at: T0 }
}

/// Creates a campaign with its pool.
pub async fn campaign<S: Store>(store: &S, name: &str, status: CampaignStatus, pool: Vec<NewPoolEntry>) -> CampaignId {
    let entry = created(AuditAction::CampaignCreated, None, ObjectKind::Campaign);
    store
        .insert_campaign(&new_campaign(name, status, pool), &entry, None)
        .await
        .unwrap_or_else(|e| panic!("seeding campaign {name} failed: {e:?}"))
}

/// A mission's fields, with every optional field filled in.
pub fn mission_details(name: &str) -> MissionDetails {
    MissionDetails {
        name: MissionName::parse(name).expect("valid mission name"),
        description: Description::parse("Seize the airfield\nat dawn").expect("valid text"),
        date: Some(date!(2026 - 01 - 10)),
        location: Location::parse("Altis, Kavala").expect("valid location"),
        map_edit_url: Some(MapUrl::parse("https://maps.example.org/m/edit").expect("valid url")),
        map_view_url: None,
    }
}

/// A mission to create.
pub fn new_mission(campaign: CampaignId, name: &str) -> NewMission {
    NewMission { campaign_id: campaign, details: mission_details(name), status: MissionStatus::Planned }
}

/// Creates a mission at the end of the campaign's order.
pub async fn mission<S: Store>(store: &S, campaign: CampaignId, name: &str) -> MissionId {
    let entry = created(AuditAction::MissionCreated, Some(campaign), ObjectKind::Mission);
    store
        .insert_mission(&new_mission(campaign, name), &entry, None)
        .await
        .unwrap_or_else(|e| panic!("seeding mission {name} failed: {e:?}"))
}

/// A change of `delta` to `entry`.
pub fn change(entry: PoolEntryId, delta: i64) -> NewChange {
    NewChange {
        pool_entry_id: entry,
        delta: Delta::new(delta).expect("non-zero delta"),
        note: ShortText::parse(&format!("moved by {delta}")).expect("valid note"),
    }
}

/// An event's fields.
pub fn event_details(title: &str, occurred_at: UtcDateTime) -> EventDetails {
    EventDetails {
        kind: EventKind::Combat,
        title: EventTitle::parse(title).expect("valid title"),
        description: Description::parse("Ambush on the MSR\nheavy losses").expect("valid text"),
        occurred_at,
        location: Location::parse("Altis, Pyrgos").expect("valid location"),
        notes: Notes::parse("debrief pending").expect("valid notes"),
    }
}

/// An event to record.
pub fn new_event(
    mission: MissionId,
    title: &str,
    occurred_at: UtcDateTime,
    changes: &[(PoolEntryId, i64)],
) -> NewEvent {
    NewEvent {
        mission_id: mission,
        details: event_details(title, occurred_at),
        changes: changes.iter().map(|&(e, d)| change(e, d)).collect(),
    }
}

/// Records an event of `campaign`'s mission at `T0` with its changes.
pub async fn event<S: Store>(
    store: &S,
    campaign: CampaignId,
    mission: MissionId,
    title: &str,
    changes: &[(PoolEntryId, i64)],
) -> EventId {
    let entry = created(AuditAction::EventCreated, Some(campaign), ObjectKind::Event);
    store
        .record_event(&new_event(mission, title, T0, changes), &entry, None)
        .await
        .unwrap_or_else(|e| panic!("seeding event {title} failed: {e:?}"))
}
