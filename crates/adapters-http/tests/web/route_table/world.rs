//! The world every row of the route table runs against, seeded through the tracker's use
//! cases: libraries (one imported, one spare, one unused), an active, a planned and a
//! closed campaign each with missions, an event and a change, and two more users. Rows
//! name its ids with `{markers}` (`{missing}`: an id nothing has); `snapshot` is what a refused request must leave
//! unchanged.

use crate::support::TestApp;
use application::UseCaseResult;
use application::campaigns::CampaignInput;
use application::events::{ChangeInput, EventFields, EventInput};
use application::libraries::{AssetInput, LibraryInput};
use application::missions::MissionInput;
use application::ports::AuditFilter;
use application::users::CreateUser;
use domain::{AssetId, CampaignId, LibraryId, MissionId, UserId};
use std::collections::BTreeMap;

/// The ids of the seeded world, by marker name.
#[derive(Debug)]
pub struct World {
    ids: BTreeMap<&'static str, String>,
}

/// Everything a refused request must leave as it was.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// How many audit entries there are (every write leaves exactly one).
    pub audit_entries: u64,
    /// The campaigns, pools, missions, events, libraries and users, as debug text.
    pub state: String,
}

impl World {
    /// Seeds the world into `app` as its admin.
    pub async fn seed(app: &TestApp) -> Self {
        seed(app).await.expect("the route table's world is seeded")
    }

    /// `template` with every `{name}` replaced by that id (`{css}`: the stylesheet's URL).
    pub fn fill(&self, template: &str) -> String {
        let mut out = template.to_owned();
        for (name, value) in &self.ids {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        assert!(!out.contains('{'), "unknown marker in {template:?}");
        out
    }

    /// The stylesheet's hashed URL, read from a page (static URLs are content-hashed).
    async fn find_static_url(&mut self, app: &TestApp) {
        let page = app.anonymous().get("/login").await;
        let start = page.body.find("/static/").expect("a static URL on the login page");
        let url = page.body[start..].split('"').next().expect("a quoted URL");
        self.ids.insert("css", url.to_owned());
    }

    /// What the tracker holds now, read through its use cases as the admin.
    pub async fn snapshot(&self, app: &TestApp) -> Snapshot {
        let (t, admin) = (app.tracker(), app.admin());
        let audit = t.audit_page(&admin, AuditFilter::default(), 1, 1).await.expect("the audit log").entries;
        let mut state = format!("{:?}\n", t.list_campaigns(&admin).await.expect("campaigns"));
        for name in ["active", "planned", "closed"] {
            let id = CampaignId::new(self.id(name));
            state += &format!("{:?}\n", t.pool(&admin, id).await.expect("a pool"));
            for mission in t.missions(&admin, id).await.expect("missions") {
                state += &format!("{:?}\n", t.mission(&admin, mission.id).await.expect("a mission"));
            }
        }
        for library in t.list_libraries(&admin).await.expect("libraries") {
            state += &format!("{:?}\n", t.library(&admin, library.library.id).await.expect("a library"));
        }
        state += &format!("{:?}\n", t.list_users(&admin).await.expect("users"));
        state += &format!("{:?}\n", t.tokens(&admin).await.expect("the admin's tokens"));
        state += &format!("{:?}\n", t.tokens(&app.manager()).await.expect("the manager's tokens"));
        Snapshot { audit_entries: audit.total, state }
    }

    fn id(&self, name: &str) -> i64 {
        self.ids[name].parse().expect("a numeric id")
    }
}

async fn seed(app: &TestApp) -> UseCaseResult<World> {
    let (t, admin) = (app.tracker(), &app.admin());
    let mut ids = BTreeMap::new();
    let lib = library(app, "Base game", true).await?;
    let asset = asset(app, lib, "Hunter", 5).await?;
    asset_in(app, lib, "Slammer", 3).await?;
    let spare = library(app, "Spares", false).await?;
    ids.insert("spare_asset", asset_in(app, spare, "Hummingbird", 2).await?);
    let unused = library(app, "Unused", false).await?;
    ids.insert("unused_asset", asset_in(app, unused, "Spare tyre", 4).await?);
    ids.insert("asset", asset.to_string());
    ids.extend([("lib", lib.to_string()), ("spare", spare.to_string()), ("unused", unused.to_string())]);

    let closed = campaign(app, "Operation Past", lib, false).await?;
    seed_campaign(app, &mut ids, "c_", closed).await?;
    t.close_campaign(admin, closed).await?;
    let planned = campaign(app, "Operation Next", lib, false).await?;
    seed_campaign(app, &mut ids, "p_", planned).await?;
    let active = campaign(app, "Operation Now", lib, true).await?;
    seed_campaign(app, &mut ids, "", active).await?;
    ids.extend([("active", active.to_string()), ("planned", planned.to_string()), ("closed", closed.to_string())]);
    // Added after every import, so that syncing the library adds it.
    asset_in(app, lib, "Ghosthawk", 1).await?;

    ids.insert("manager2", user(app, "manager2").await?.to_string());
    let disabled = user(app, "retired").await?;
    t.disable_user(admin, disabled).await?;
    ids.extend([("disabled", disabled.to_string()), ("manager_id", app.manager_id().to_string())]);
    ids.insert("missing", "999999".to_owned());
    let token = application::users::TokenInput { name: "admin's bot".into(), expires_in_days: String::new() };
    ids.insert("admin_token", app.tracker().create_token(&app.admin(), token).await?.token.id.to_string());
    let token = application::users::TokenInput { name: "manager's bot".into(), expires_in_days: String::new() };
    app.tracker().create_token(&app.manager(), token).await?;
    let mut world = World { ids };
    world.find_static_url(app).await;
    Ok(world)
}

/// Two missions (the first with an event losing one Hunter), the Hunter entry (which has
/// a change) and the Slammer entry (which has none), under names prefixed by `prefix`.
async fn seed_campaign(
    app: &TestApp,
    ids: &mut BTreeMap<&'static str, String>,
    prefix: &'static str,
    campaign: CampaignId,
) -> UseCaseResult<()> {
    let (t, admin) = (app.tracker(), &app.admin());
    let pool = t.pool(admin, campaign).await?;
    let entry_of = |name: &str| pool.iter().find(|e| e.asset_name().as_str() == name).map(|e| e.id().to_string());
    let (entry, bare) = (entry_of("Hunter").expect("a Hunter entry"), entry_of("Slammer").expect("a Slammer entry"));
    let mission = mission(app, campaign, "Dawn raid").await?;
    let second = mission_in(app, campaign, "Dusk patrol").await?;
    let changes = vec![ChangeInput { pool_entry_id: entry.clone(), delta: "-1".into(), note: "Ambushed".into() }];
    let fields = event_fields("Ambush");
    let event = t.create_event(admin, mission, EventInput { fields, changes, idempotency_key: None }).await?;
    let change = t.event(admin, event).await?.changes.first().map(|c| c.id.to_string()).expect("the event's change");
    let names = [
        ("entry", entry),
        ("bare_entry", bare),
        ("mission", mission.to_string()),
        ("mission2", second),
        ("event", event.to_string()),
        ("change", change),
    ];
    for (name, value) in names {
        ids.insert(leak(format!("{prefix}{name}")), value);
    }
    Ok(())
}

/// Marker names are few and live for the whole test run.
fn leak(name: String) -> &'static str {
    Box::leak(name.into_boxed_str())
}

/// An event's fields as a valid form would send them.
fn event_fields(title: &str) -> EventFields {
    EventFields {
        kind: "Combat".into(),
        title: title.into(),
        occurred_at: "2026-01-01T10:00".into(),
        ..EventFields::default()
    }
}

async fn library(app: &TestApp, name: &str, is_default: bool) -> UseCaseResult<LibraryId> {
    let input = LibraryInput { name: name.into(), is_default, ..LibraryInput::default() };
    app.tracker().create_library(&app.admin(), input).await
}

async fn asset(app: &TestApp, library: LibraryId, name: &str, quantity: u32) -> UseCaseResult<AssetId> {
    let input = AssetInput {
        name: name.into(),
        kind: "Vehicle".into(),
        default_quantity: quantity.to_string(),
        public: true,
        ..AssetInput::default()
    };
    app.tracker().create_asset(&app.admin(), library, input).await
}

async fn asset_in(app: &TestApp, library: LibraryId, name: &str, quantity: u32) -> UseCaseResult<String> {
    Ok(asset(app, library, name, quantity).await?.to_string())
}

async fn campaign(app: &TestApp, name: &str, library: LibraryId, make_active: bool) -> UseCaseResult<CampaignId> {
    let input = CampaignInput {
        name: name.into(),
        start_date: "2026-01-01".into(),
        library_ids: vec![library],
        make_active,
        ..CampaignInput::default()
    };
    app.tracker().create_campaign(&app.admin(), input).await
}

async fn mission(app: &TestApp, campaign: CampaignId, name: &str) -> UseCaseResult<MissionId> {
    let input = MissionInput { name: name.into(), ..MissionInput::default() };
    app.tracker().create_mission(&app.admin(), campaign, input).await
}

async fn mission_in(app: &TestApp, campaign: CampaignId, name: &str) -> UseCaseResult<String> {
    Ok(mission(app, campaign, name).await?.to_string())
}

async fn user(app: &TestApp, name: &str) -> UseCaseResult<UserId> {
    let input = CreateUser {
        username: name.into(),
        role: "manager".into(),
        password: crate::support::PASSWORD.into(),
        idempotency_key: None,
    };
    app.tracker().create_user(&app.admin(), input).await
}
