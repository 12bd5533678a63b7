//! Fixtures for the use-case tests: a tracker over the in-memory store, seeded users,
//! and seeding helpers that write straight to the store so that each feature's tests
//! depend on no other feature's use cases.

use crate::actor::{Actor, StaffMember};
use crate::memory::{ManualClock, MemoryStore, PlainHasher};
use crate::ports::{
    CampaignRepo, LibraryRepo, MissionRepo, NewCampaign, NewChange, NewEvent, NewLibrary, NewMission, NewPoolEntry,
    NewUser, PasswordHasher, PoolRepo, UserRepo,
};
use crate::tracker::Tracker;
use domain::{
    AssetId, AssetKind, AssetName, AssetSpec, AuditAction, CampaignDates, CampaignDetails, CampaignId, CampaignName,
    CampaignStatus, Category, Delta, Description, EventDetails, EventId, EventKind, EventTitle, LibraryId, LibraryName,
    Location, MissionDetails, MissionId, MissionName, MissionStatus, NewAuditEntry, Notes, ObjectKind, ObjectRef,
    Password, PoolEntry, PoolEntryId, Quantity, Role, ShortText, UserId, Username,
};
use time::macros::{date, utc_datetime};

/// The tracker every use-case test runs against.
pub(crate) type TestTracker = Tracker<MemoryStore, PlainHasher, ManualClock>;

/// The password of the seeded users.
pub(crate) const PASSWORD: &str = "correct horse battery";

/// A tracker with an admin and a manager.
pub(crate) struct Fixture {
    pub t: TestTracker,
    pub admin: Actor,
    pub manager: Actor,
    pub admin_id: UserId,
    pub manager_id: UserId,
}

/// An empty tracker whose clock shows 2026-01-01T12:00Z.
pub(crate) fn tracker() -> TestTracker {
    Tracker::new(MemoryStore::new(), PlainHasher::new(), ManualClock::new(utc_datetime!(2026-01-01 12:00)))
}

/// A tracker with users `admin` (Admin) and `manager` (Manager), both with `PASSWORD`.
pub(crate) async fn fixture() -> Fixture {
    let t = tracker();
    let admin_id = seed_user(&t, "admin", Role::Admin).await;
    let manager_id = seed_user(&t, "manager", Role::Manager).await;
    Fixture {
        admin: staff(admin_id, "admin", Role::Admin),
        manager: staff(manager_id, "manager", Role::Manager),
        admin_id,
        manager_id,
        t,
    }
}

/// The public.
pub(crate) fn anonymous() -> Actor {
    Actor::Anonymous
}

/// A staff actor.
pub(crate) fn staff(id: UserId, username: &str, role: Role) -> Actor {
    Actor::Staff(StaffMember { id, username: Username::parse(username).expect("valid username"), role, token: None })
}

fn system_audit(t: &TestTracker, action: AuditAction, campaign: Option<CampaignId>, kind: ObjectKind) -> NewAuditEntry {
    NewAuditEntry {
        at: crate::ports::Clock::now(&t.clock),
        actor_id: None,
        actor_name: "system".into(),
        action,
        campaign_id: campaign,
        object: ObjectRef::created(kind),
        details: "seeded by a test".into(),
    }
}

/// Adds a user with `PASSWORD`.
pub(crate) async fn seed_user(t: &TestTracker, username: &str, role: Role) -> UserId {
    let hash = t.hasher.hash(&Password::parse(PASSWORD).expect("valid password")).await.expect("hash");
    let new = NewUser {
        username: Username::parse(username).expect("valid username"),
        role,
        password_hash: hash,
        created_at: crate::ports::Clock::now(&t.clock),
    };
    let audit = system_audit(t, AuditAction::UserCreated, None, ObjectKind::User);
    t.store.insert_user(&new, &audit, None).await.expect("seed user")
}

/// Adds a library with public assets `(name, kind, default quantity, unique)`.
pub(crate) async fn seed_library(
    t: &TestTracker,
    name: &str,
    assets: &[(&str, AssetKind, u32, bool)],
) -> (LibraryId, Vec<AssetId>) {
    let new = NewLibrary {
        name: LibraryName::parse(name).expect("valid library name"),
        description: Description::empty(),
        category: Category::parse("Modern").expect("valid category"),
        is_default: false,
    };
    let specs: Vec<AssetSpec> = assets
        .iter()
        .map(|&(asset, kind, quantity, unique)| {
            AssetSpec::new(
                AssetName::parse(asset).expect("valid asset name"),
                kind,
                Category::parse("").expect("empty category"),
                Description::empty(),
                Quantity::new(quantity).expect("valid quantity"),
                unique,
                true,
            )
            .expect("valid asset")
        })
        .collect();
    let audit = system_audit(t, AuditAction::LibraryCreated, None, ObjectKind::Library);
    let library = t.store.insert_library(&new, &specs, &audit, None).await.expect("seed library");
    let stored = t.store.assets(library).await.expect("seeded assets");
    let ids = specs
        .iter()
        .map(|spec| stored.iter().find(|a| a.spec.name() == spec.name()).expect("seeded asset").id)
        .collect();
    (library, ids)
}

/// Adds a campaign whose pool holds every asset of `libraries` at its default quantity.
pub(crate) async fn seed_campaign(
    t: &TestTracker,
    name: &str,
    status: CampaignStatus,
    libraries: &[LibraryId],
) -> CampaignId {
    let mut pool = Vec::new();
    for &library in libraries {
        for asset in t.store.assets(library).await.expect("assets") {
            pool.push(NewPoolEntry::from_asset(&asset, asset.spec.default_quantity()));
        }
    }
    let details = CampaignDetails {
        name: CampaignName::parse(name).expect("valid campaign name"),
        description: Description::empty(),
        dates: CampaignDates::new(date!(2026 - 01 - 01), None).expect("valid dates"),
        map_edit_url: None,
        map_view_url: None,
    };
    let new = NewCampaign { details, status, pool, created_at: crate::ports::Clock::now(&t.clock) };
    let audit = system_audit(t, AuditAction::CampaignCreated, None, ObjectKind::Campaign);
    t.store.insert_campaign(&new, &audit, None).await.expect("seed campaign")
}

/// Adds a planned mission.
pub(crate) async fn seed_mission(t: &TestTracker, campaign: CampaignId, name: &str) -> MissionId {
    let new = NewMission {
        campaign_id: campaign,
        details: MissionDetails {
            name: MissionName::parse(name).expect("valid mission name"),
            description: Description::empty(),
            date: None,
            location: Location::parse("").expect("empty location"),
            map_edit_url: None,
            map_view_url: None,
        },
        status: MissionStatus::Planned,
    };
    let audit = system_audit(t, AuditAction::MissionCreated, Some(campaign), ObjectKind::Mission);
    t.store.insert_mission(&new, &audit, None).await.expect("seed mission")
}

/// Records a combat event at the clock's time with the given `(entry, delta)` changes.
pub(crate) async fn seed_event(
    t: &TestTracker,
    mission: MissionId,
    title: &str,
    changes: &[(PoolEntryId, i64)],
) -> EventId {
    let new = NewEvent {
        mission_id: mission,
        details: EventDetails {
            kind: EventKind::Combat,
            title: EventTitle::parse(title).expect("valid title"),
            description: Description::empty(),
            occurred_at: crate::ports::Clock::now(&t.clock),
            location: Location::parse("").expect("empty location"),
            notes: Notes::parse("").expect("empty notes"),
        },
        changes: changes
            .iter()
            .map(|&(pool_entry_id, delta)| NewChange {
                pool_entry_id,
                delta: Delta::new(delta).expect("non-zero delta"),
                note: ShortText::parse("").expect("empty note"),
            })
            .collect(),
    };
    let campaign = MissionRepo::mission(&t.store, mission).await.expect("read").expect("mission exists").campaign_id;
    let audit = system_audit(t, AuditAction::EventCreated, Some(campaign), ObjectKind::Event);
    crate::ports::EventRepo::record_event(&t.store, &new, &audit, None).await.expect("seed event")
}

/// A campaign's pool.
pub(crate) async fn pool_of(t: &TestTracker, campaign: CampaignId) -> Vec<PoolEntry> {
    t.store.pool(campaign).await.expect("pool")
}

/// The pool entry of the asset named `asset`.
pub(crate) fn entry_named<'a>(pool: &'a [PoolEntry], asset: &str) -> &'a PoolEntry {
    pool.iter().find(|e| e.asset_name().as_str() == asset).expect("asset in pool")
}

/// Every audit action written so far, oldest first.
pub(crate) fn audit_actions(t: &TestTracker) -> Vec<AuditAction> {
    t.store.audit_entries().into_iter().map(|a| a.entry.action).collect()
}

/// Reads a campaign straight from the store.
pub(crate) async fn campaign_of(t: &TestTracker, id: CampaignId) -> domain::Campaign {
    t.store.campaign(id).await.expect("read").expect("campaign exists")
}

/// The command importing `library`, with an optional request key.
pub(crate) fn import(library: LibraryId, key: Option<&str>) -> crate::pool::ImportLibrary {
    crate::pool::ImportLibrary { library_id: library.to_string(), idempotency_key: key.map(str::to_owned) }
}

/// The command syncing `library`.
pub(crate) fn sync(library: LibraryId) -> crate::pool::SyncLibrary {
    crate::pool::SyncLibrary { library_id: library.to_string() }
}

/// The command adding `asset` at `initial` (blank: its default), with an optional key.
pub(crate) fn add_asset(asset: AssetId, initial: &str, key: Option<&str>) -> crate::pool::AddPoolAsset {
    crate::pool::AddPoolAsset {
        asset_id: asset.to_string(),
        initial: initial.to_owned(),
        idempotency_key: key.map(str::to_owned),
    }
}

/// The command setting an entry's initial quantity to `initial`.
pub(crate) fn initial(initial: &str) -> crate::pool::SetInitialQuantity {
    crate::pool::SetInitialQuantity { initial: initial.to_owned() }
}

/// The command showing (`true`) or hiding (`false`) an entry.
pub(crate) fn public(public: bool) -> crate::pool::SetPoolEntryPublic {
    crate::pool::SetPoolEntryPublic { public: public.to_string() }
}

/// The command giving an account the role `role`.
pub(crate) fn role(role: &str) -> crate::users::ChangeRole {
    crate::users::ChangeRole { role: role.to_owned() }
}

/// The command setting an account's password to `password`.
pub(crate) fn new_password(password: &str) -> crate::users::ResetPassword {
    crate::users::ResetPassword { new_password: password.to_owned() }
}

/// The command creating the admin `username` with `password`.
pub(crate) fn admin(username: &str, password: &str) -> crate::users::CreateAdmin {
    crate::users::CreateAdmin { username: username.to_owned(), password: password.to_owned() }
}

/// The command setting a mission's status to `status`.
pub(crate) fn status(status: &str) -> crate::missions::SetMissionStatus {
    crate::missions::SetMissionStatus { status: status.to_owned() }
}
