//! The datasets: a throwaway database per engine and dataset, migrated by the adapters,
//! with its base (users, libraries, the active campaign and its pool) made through the
//! use cases and its history (missions, events, changes) inserted in bulk with SQL.
//!
//! Invariant: the seeded ledger is consistent, every pool entry's current quantity is
//! its initial quantity plus the sum of its changes, and the store revision is raised
//! past every bulk write, so no cached public page predates the seed.

use adapters_http::{Argon2Hasher, HashParams};
use application::campaigns::CampaignInput;
use application::libraries::{AssetInput, LibraryInput};
use application::ports::{Clock, PasswordHasher, Store};
use application::users::{CreateAdmin, CreateUser};
use application::{Actor, StaffMember, Tracker};
use domain::{Role, Username};
use sqlx::Executor;
use std::path::PathBuf;
use time::UtcDateTime;

/// The manager whose session loads the staff pages and records events.
pub const MANAGER: &str = "manager";
/// The manager's password (hashed with the server's own Argon2id parameters).
pub const PASSWORD: &str = "bench-manager-password";
/// Libraries, and assets in each, imported into the active campaign.
const LIBRARIES: usize = 3;
const ASSETS_PER_LIBRARY: usize = 100;
/// Each asset's starting quantity: far above what any run takes away.
const QUANTITY: &str = "500000";

/// Missions, events and changes for `campaign` in a few set-based statements, then the
/// ledger's current quantities and the store revision, in one transaction; answers the
/// [`Seeded`] ids. (A macro: the same statements run on either driver's pool.)
macro_rules! history {
    ($pool:expr, $missions:expr, $events:expr, $campaign:expr, $d:expr) => {
        async {
            let (pool, campaign, d) = ($pool, $campaign, $d);
            let mut tx = pool.begin().await?;
            sqlx::query($missions).bind(campaign).bind(i64::from(d.missions)).execute(&mut *tx).await?;
            sqlx::query($events).bind(campaign).bind(i64::from(d.events_per_mission)).execute(&mut *tx).await?;
            sqlx::query(CHANGES).bind(campaign).execute(&mut *tx).await?;
            sqlx::query(LEDGER).bind(campaign).execute(&mut *tx).await?;
            sqlx::query("UPDATE store_revision SET revision = revision + 1 WHERE id = 1").execute(&mut *tx).await?;
            tx.commit().await?;
            let mission: i64 = sqlx::query_scalar("SELECT max(id) FROM missions WHERE campaign_id = $1")
                .bind(campaign)
                .fetch_one(pool)
                .await?;
            let entries: Vec<i64> =
                sqlx::query_scalar("SELECT id FROM pool_entries WHERE campaign_id = $1 ORDER BY id")
                    .bind(campaign)
                    .fetch_all(pool)
                    .await?;
            Ok(Seeded { campaign, mission, entries, events: d.events() })
        }
        .await
    };
}
/// Which database the server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// A fresh database `asset_tracker_bench_<hex>` on the PostgreSQL server.
    Postgres,
    /// A fresh SQLite file in the temp directory.
    Sqlite,
}

impl Engine {
    /// The name shown in the report.
    pub const fn label(self) -> &'static str {
        match self {
            Engine::Postgres => "PostgreSQL",
            Engine::Sqlite => "SQLite",
        }
    }
}

/// A history size.
#[derive(Debug, Clone, Copy)]
pub struct Dataset {
    /// `standard` or `large`.
    pub name: &'static str,
    /// Missions in the active campaign.
    pub missions: u32,
    /// Events in each mission (three changes each).
    pub events_per_mission: u32,
}

impl Dataset {
    /// Events in the whole history.
    pub const fn events(&self) -> u64 {
        self.missions as u64 * self.events_per_mission as u64
    }
}

struct Clockwork;

impl Clock for Clockwork {
    fn now(&self) -> UtcDateTime {
        UtcDateTime::now()
    }
}

/// A throwaway database; [`Database::remove`] deletes it.
#[derive(Debug)]
pub struct Database {
    /// What the server gets as `DATABASE_URL`.
    pub url: String,
    engine: Engine,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Postgres { server: String, name: String },
    Sqlite { dir: PathBuf },
}

/// What the load needs to know about the seed.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The active campaign.
    pub campaign: i64,
    /// The mission events are recorded in (the campaign's last).
    pub mission: i64,
    /// The campaign's pool entries, by id; the load's events change them.
    pub entries: Vec<i64>,
    /// Events in the history.
    pub events: u64,
}

/// The PostgreSQL server: `BENCH_DATABASE_URL`, then `TEST_DATABASE_URL`, then the default.
pub fn postgres_server() -> String {
    std::env::var("BENCH_DATABASE_URL")
        .or_else(|_| std::env::var("TEST_DATABASE_URL"))
        .unwrap_or_else(|_| adapters_postgres::test_support::DEFAULT_URL.to_owned())
}

fn hex_suffix() -> String {
    format!("{:016x}", rand::random::<u64>())
}

impl Database {
    /// Creates an empty database for `engine`.
    pub async fn create(engine: Engine) -> Result<Self, String> {
        let suffix = hex_suffix();
        match engine {
            Engine::Postgres => {
                let server = postgres_server();
                let name = format!("asset_tracker_bench_{suffix}");
                let admin = sqlx::PgPool::connect(&server).await.map_err(|e| format!("PostgreSQL at {server}: {e}"))?;
                admin.execute(format!("CREATE DATABASE {name}").as_str()).await.map_err(|e| e.to_string())?;
                admin.close().await;
                let url = adapters_postgres::test_support::with_database(&server, &name);
                Ok(Self { url, engine, cleanup: Cleanup::Postgres { server, name } })
            }
            Engine::Sqlite => {
                let dir = std::env::temp_dir().join(format!("asset-tracker-bench-{suffix}"));
                std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
                let url = format!("sqlite://{}", dir.join("tracker.db").display());
                Ok(Self { url, engine, cleanup: Cleanup::Sqlite { dir } })
            }
        }
    }

    /// Drops the database (PostgreSQL) or deletes its directory (SQLite).
    pub async fn remove(self) {
        match self.cleanup {
            Cleanup::Postgres { server, name } => {
                if let Ok(admin) = sqlx::PgPool::connect(&server).await {
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    if let Err(e) = admin.execute(drop.as_str()).await {
                        eprintln!("bench: could not drop {name}: {e}");
                    }
                    admin.close().await;
                }
            }
            Cleanup::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }

    /// Migrates the database, seeds the base through the use cases and the history in
    /// bulk.
    pub async fn seed(&self, dataset: Dataset) -> Result<Seeded, String> {
        let settings = adapters_sqlite::PoolSettings::default();
        let hasher = Argon2Hasher::new(HashParams::OWASP).map_err(|e| e.to_string())?;
        let campaign = match self.engine {
            Engine::Postgres => {
                let store = adapters_postgres::connect(&self.url, &settings).await.map_err(|e| e.to_string())?;
                store.migrate().await.map_err(|e| e.to_string())?;
                let campaign = base(&Tracker::new(store.clone(), hasher, Clockwork)).await?;
                store.close().await;
                campaign
            }
            Engine::Sqlite => {
                let store = adapters_sqlite::connect(&self.url, &settings).await.map_err(|e| e.to_string())?;
                store.migrate().await.map_err(|e| e.to_string())?;
                let campaign = base(&Tracker::new(store.clone(), hasher, Clockwork)).await?;
                store.close().await;
                campaign
            }
        };
        let seeded = match self.engine {
            Engine::Postgres => {
                let pool = sqlx::PgPool::connect(&self.url).await.map_err(|e| e.to_string())?;
                let seeded = history!(&pool, PG_MISSIONS, PG_EVENTS, campaign, dataset);
                pool.close().await;
                seeded
            }
            Engine::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.url).await.map_err(|e| e.to_string())?;
                let seeded = history!(&pool, SQLITE_MISSIONS, SQLITE_EVENTS, campaign, dataset);
                pool.close().await;
                seeded
            }
        };
        seeded.map_err(|e: sqlx::Error| format!("bulk seed: {e}"))
    }
}

fn failed(step: &str) -> impl FnOnce(application::UseCaseError) -> String + '_ {
    move |e| format!("seeding {step}: {e:?}")
}

/// The admin, the manager, three libraries of a hundred public assets each and the
/// active campaign importing them; answers the campaign's id.
async fn base<S: Store, H: PasswordHasher, C: Clock>(t: &Tracker<S, H, C>) -> Result<i64, String> {
    let cmd = CreateAdmin { username: "admin".into(), password: "bench-admin-password".into() };
    let id = t.create_first_admin(cmd).await.map_err(failed("admin"))?.ok_or("the database is not empty")?;
    let username = Username::parse("admin").map_err(|e| e.to_string())?;
    let admin = Actor::Staff(StaffMember { id, username, role: Role::Admin, token: None });
    let manager = CreateUser {
        username: MANAGER.into(),
        role: "manager".into(),
        password: PASSWORD.into(),
        idempotency_key: None,
    };
    t.create_user(&admin, manager).await.map_err(failed("manager"))?;
    let mut library_ids = Vec::new();
    for l in 1..=LIBRARIES {
        let input = LibraryInput { name: format!("Bench library {l}"), ..LibraryInput::default() };
        let library = t.create_library(&admin, input).await.map_err(failed("library"))?;
        for a in 1..=ASSETS_PER_LIBRARY {
            let input = AssetInput {
                name: format!("Asset {l}-{a}"),
                kind: ["Vehicle", "Aircraft", "Weapon", "Supply"][a % 4].into(),
                default_quantity: QUANTITY.into(),
                public: true,
                ..AssetInput::default()
            };
            t.create_asset(&admin, library, input).await.map_err(failed("asset"))?;
        }
        library_ids.push(library);
    }
    let input = CampaignInput {
        name: "Operation Bench".into(),
        description: "Benchmark campaign".into(),
        start_date: "2026-01-01".into(),
        library_ids,
        make_active: true,
        ..CampaignInput::default()
    };
    Ok(t.create_campaign(&admin, input).await.map_err(failed("campaign"))?.get())
}

const PG_MISSIONS: &str = "INSERT INTO missions (campaign_id, name, description, mission_date, location, status, order_index) \
     SELECT $1, 'Operation ' || m, 'Bench mission.', DATE '2026-01-01' + (m % 300)::int, 'Altis', 'Completed', m - 1 \
     FROM generate_series(1, $2::bigint) AS m";

const SQLITE_MISSIONS: &str = "WITH RECURSIVE seq(m) AS (SELECT 1 UNION ALL SELECT m + 1 FROM seq WHERE m < $2) \
     INSERT INTO missions (campaign_id, name, description, mission_date, location, status, order_index) \
     SELECT $1, 'Operation ' || m, 'Bench mission.', date('2026-01-01', '+' || (m % 300) || ' days'), 'Altis', \
            'Completed', m - 1 FROM seq";

const PG_EVENTS: &str = "INSERT INTO events (mission_id, kind, title, description, occurred_at, location, notes) \
     SELECT mi.id, 'Combat', 'Engagement ' || e, 'Contact at the northern checkpoint.', \
            TIMESTAMPTZ '2026-01-01 00:00:00+00' + make_interval(mins => (mi.order_index * $2 + e)::int), 'Altis', '' \
     FROM missions mi CROSS JOIN generate_series(1, $2::bigint) AS e WHERE mi.campaign_id = $1 \
     ORDER BY mi.order_index, e";

/// The adapter stores timestamps as fixed-width RFC 3339 text with nanoseconds.
const SQLITE_EVENTS: &str = "WITH RECURSIVE seq(e) AS (SELECT 1 UNION ALL SELECT e + 1 FROM seq WHERE e < $2) \
     INSERT INTO events (mission_id, kind, title, description, occurred_at, location, notes) \
     SELECT mi.id, 'Combat', 'Engagement ' || e, 'Contact at the northern checkpoint.', \
            strftime('%Y-%m-%dT%H:%M:%S.000000000Z', '2026-01-01 00:00:00', \
                     '+' || (mi.order_index * $2 + e) || ' minutes'), 'Altis', '' \
     FROM missions mi CROSS JOIN seq WHERE mi.campaign_id = $1 ORDER BY mi.order_index, e";

/// Event number n changes pool entries 3n, 3n+1 and 3n+2 (modulo the pool) by -1, +2
/// and -1: with 300 entries each entry always gets the same delta, at most a thousand
/// times, far within its quantity.
const CHANGES: &str = "WITH ev AS (SELECT e.id, row_number() OVER (ORDER BY e.id) - 1 AS n \
                FROM events e JOIN missions m ON m.id = e.mission_id WHERE m.campaign_id = $1), \
          pe AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS total \
                FROM pool_entries WHERE campaign_id = $1), \
          c(pos, delta) AS (VALUES (0, -1), (1, 2), (2, -1)) \
     INSERT INTO asset_changes (event_id, pool_entry_id, delta, note) \
     SELECT ev.id, pe.id, c.delta, 'bench' FROM ev CROSS JOIN c JOIN pe ON pe.k = (ev.n * 3 + c.pos) % pe.total";

const LEDGER: &str = "UPDATE pool_entries SET current_quantity = initial_quantity + \
     COALESCE((SELECT sum(delta) FROM asset_changes ac WHERE ac.pool_entry_id = pool_entries.id), 0) \
     WHERE campaign_id = $1";
