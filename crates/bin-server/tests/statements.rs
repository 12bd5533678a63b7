//! How many SQL statements each page and API read costs, counted as sqlx reports them
//! (every statement on every connection, the session's own reads included, and a
//! transaction's BEGIN and COMMIT as two), on a
//! campaign with a full pool and a history of missions and events, on SQLite and
//! (when reachable) PostgreSQL. A page's cost must not depend on the campaign's size:
//! at most `LIMIT` statements, however many missions, events or entries there are.

mod support;

use adapters_http::{Argon2Hasher, HashParams};
use application::Tracker;
use application::ports::{Clock, PasswordHasher, Store};
use bin_server::Application;
use bin_server::clock::SystemClock;
use bin_server::database::Database;
use bin_server::settings::{Profile, Settings, load_from};
use secrecy::SecretString;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::Client;
use tokio::sync::{Mutex, oneshot};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;

/// The most statements one page or API read may run.
const LIMIT: usize = 6;
const PASSWORD: &str = "statement-count-password";

/// Statements sqlx reported since the counter was last taken.
static STATEMENTS: AtomicUsize = AtomicUsize::new(0);
/// One measurement at a time in this process (the counter is global).
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

struct CountStatements;

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct Summary(String);
        impl tracing::field::Visit for Summary {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "summary" {
                    self.0 = format!("{value:?}").trim_matches('"').to_owned();
                }
            }
        }
        let mut summary = Summary(String::new());
        event.record(&mut summary);
        let first = summary.0.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        // sqlx reports the end of a transaction but not always its start: a COMMIT or
        // ROLLBACK counts for its BEGIN too, and a reported BEGIN counts for nothing.
        let statements = match first.as_str() {
            "BEGIN" => 0,
            "COMMIT" | "ROLLBACK" => 2,
            _ => 1,
        };
        STATEMENTS.fetch_add(statements, Ordering::SeqCst);
        if std::env::var_os("STATEMENTS_DEBUG").is_some() {
            eprintln!("  sql: {}", summary.0);
        }
    }
}

fn count_statements() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let only_statements = Targets::new().with_target("sqlx::query", LevelFilter::TRACE);
        let subscriber = tracing_subscriber::registry().with(CountStatements.with_filter(only_statements));
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    });
}

fn settings(database_url: &str) -> Settings {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
    let mut s = load_from(&dir, Profile::Testing).expect("testing profile");
    s.database.url = Some(SecretString::from(database_url.to_owned()));
    s
}

/// A migrated store with the built-in libraries and an admin whose password is known.
async fn prepare(url: &str) {
    let database = Database::connect(&settings(url).database).await.expect("connect");
    database.migrate().await.expect("migrate");
    let hasher = Argon2Hasher::new(HashParams::OWASP).expect("hasher");
    match database.clone() {
        Database::Sqlite(store) => admin_and_libraries(&Tracker::new(store, hasher, SystemClock)).await,
        Database::Postgres(store) => admin_and_libraries(&Tracker::new(store, hasher, SystemClock)).await,
    }
    database.close().await;
}

async fn admin_and_libraries<S: Store, H: PasswordHasher, C: Clock>(tracker: &Tracker<S, H, C>) {
    tracker.install_builtin_libraries().await.expect("libraries");
    let admin = application::users::CreateAdmin { username: "admin".to_owned(), password: PASSWORD.to_owned() };
    tracker.create_first_admin(admin).await.expect("admin");
}

/// An active campaign holding every built-in asset, with `missions` missions of three
/// events of three losses each; and a closed campaign. Answers (active, closed) ids.
async fn seed(client: &mut Client, missions: usize) -> (i64, i64) {
    let libraries = client.get("/manage/libraries").await.body;
    let imports: String =
        numbers_after(&libraries, "/manage/libraries/").iter().map(|id| format!("&library_ids={id}")).collect();
    let campaign = "description=&end_date=&map_edit_url=&map_view_url=";
    let closed = format!("name=Closed+Op&start_date=2026-01-01&{campaign}");
    assert_eq!(client.post("/admin/campaigns/new", &closed).await, 303);
    let active = format!("name=Operation+Count&start_date=2026-02-01&make_active=on&{campaign}{imports}");
    assert_eq!(client.post("/admin/campaigns/new", &active).await, 303);
    let admin = client.get("/admin").await.body;
    let ids = numbers_after(&admin, "/admin/campaigns/");
    let (active, closed) = (ids[0].max(ids[1]), ids[0].min(ids[1]));
    let pool = client.get(&format!("/manage/campaigns/{active}/pool")).await.body;
    let entries = numbers_after(&pool, "/manage/pool/");
    assert!(entries.len() > 100, "the pool holds the built-in assets: {}", entries.len());
    for m in 0..missions {
        let form = format!("name=Mission+{m}&description=&date=&location=&status=Planned&map_edit_url=&map_view_url=");
        assert_eq!(client.post(&format!("/manage/campaigns/{active}/missions"), &form).await, 303);
    }
    let list = client.get(&format!("/manage/campaigns/{active}/missions")).await.body;
    let mut recorded = 0;
    for (m, mission) in numbers_after(&list, "/manage/missions/").into_iter().enumerate() {
        // Losses, then gains, so that each entry swings between its start and one less.
        let delta = if m % 2 == 0 { -1 } else { 1 };
        for e in 0..3 {
            let changes: String = (0..3)
                .map(|c| {
                    format!("&change_entry={}&change_delta={delta}&change_note=", entries[(e * 3 + c) % entries.len()])
                })
                .collect();
            let form = format!(
                "kind=Combat&title=Event+{e}&description=&occurred_at=2026-02-0{}T1{e}:00&location=&notes={changes}",
                1 + e
            );
            // An entry that starts at zero refuses the loss (422): the rest still land.
            if client.post(&format!("/manage/missions/{mission}/events/new"), &form).await == 303 {
                recorded += 1;
            }
        }
    }
    assert!(recorded >= 6, "events recorded: {recorded}");
    assert_eq!(client.post(&format!("/admin/campaigns/{closed}/close"), "").await, 303);
    (active, closed)
}

/// The distinct numbers that follow `prefix` in `html`, in order of first appearance.
fn numbers_after(html: &str, prefix: &str) -> Vec<i64> {
    let mut found = Vec::new();
    for part in html.split(prefix).skip(1) {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse::<i64>()
            && !found.contains(&n)
        {
            found.push(n);
        }
    }
    found
}

async fn measure(url: &str) {
    let _one = ONE_AT_A_TIME.lock().await;
    count_statements();
    prepare(url).await;
    let app = Application::build(&settings(url), None).await.expect("server starts");
    let port = app.port();
    let (stop, stopped) = oneshot::channel::<()>();
    let done = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let mut client = Client::new(port);
    client.get("/login").await;
    assert_eq!(client.post("/login", &format!("username=admin&password={PASSWORD}&next=")).await, 303);
    let (active, closed) = seed(&mut client, 4).await;
    let missions = client.get(&format!("/manage/campaigns/{active}/missions")).await.body;
    let mission = numbers_after(&missions, "/manage/missions/")[0];
    let mission_page = client.get(&format!("/manage/missions/{mission}")).await.body;
    let event = numbers_after(&mission_page, "/manage/events/")[0];
    let libraries = client.get("/manage/libraries").await.body;
    let library = numbers_after(&libraries, "/manage/libraries/")[0];
    let library_page = client.get(&format!("/manage/libraries/{library}")).await.body;
    let asset = numbers_after(&library_page, "/manage/assets/")[0];
    let users = client.get("/admin/users").await.body;
    let user = numbers_after(&users, "/admin/users/")[0];
    // A fresh login just before measuring: a signed-in session is saved again (one more
    // statement) only a minute after its last save, far longer than the pages take.
    let mut client = Client::new(port);
    client.get("/login").await;
    assert_eq!(client.post("/login", &format!("username=admin&password={PASSWORD}&next=")).await, 303);
    // The first page after a login stores the session's CSRF token (a save).
    client.get("/profile").await;
    let pages = [
        "/".to_owned(),
        "/timeline".to_owned(),
        "/missions".to_owned(),
        format!("/missions/{mission}"),
        "/campaigns".to_owned(),
        format!("/campaigns/{closed}"),
        format!("/campaigns/{closed}/report.csv"),
        "/api/v1/pool".to_owned(),
        "/profile".to_owned(),
        "/manage".to_owned(),
        format!("/manage/campaigns/{active}/pool"),
        format!("/manage/campaigns/{active}/missions"),
        format!("/manage/campaigns/{active}/missions/new"),
        format!("/manage/campaigns/{active}/report"),
        format!("/manage/campaigns/{active}/report.csv"),
        "/manage/reports".to_owned(),
        format!("/manage/missions/{mission}"),
        format!("/manage/missions/{mission}/edit"),
        format!("/manage/missions/{mission}/delete"),
        format!("/manage/missions/{mission}/events/new"),
        format!("/manage/events/{event}"),
        format!("/manage/events/{event}/edit"),
        format!("/manage/events/{event}/delete"),
        "/manage/libraries".to_owned(),
        format!("/manage/libraries/{library}"),
        format!("/manage/libraries/{library}/edit"),
        format!("/manage/libraries/{library}/copy"),
        format!("/manage/libraries/{library}/assets/new"),
        format!("/manage/assets/{asset}/edit"),
        "/admin".to_owned(),
        "/admin/campaigns/new".to_owned(),
        format!("/admin/campaigns/{active}/edit"),
        format!("/admin/campaigns/{active}/close"),
        "/admin/users".to_owned(),
        "/admin/users/new".to_owned(),
        format!("/admin/users/{user}/delete"),
        "/admin/audit".to_owned(),
    ];
    let mut costs = Vec::new();
    for page in &pages {
        if std::env::var_os("STATEMENTS_DEBUG").is_some() {
            eprintln!("GET {page}");
        }
        STATEMENTS.store(0, Ordering::SeqCst);
        let reply = client.get(page).await;
        assert_eq!(reply.status, 200, "{page}: {}", reply.body);
        costs.push((page.as_str(), STATEMENTS.swap(0, Ordering::SeqCst)));
    }
    stop.send(()).expect("stop");
    tokio::time::timeout(Duration::from_secs(10), done).await.expect("stops").expect("joins").expect("serves");
    let report: Vec<String> = costs.iter().map(|(page, n)| format!("{n:>3}  {page}")).collect();
    println!("statements per request:\n{}", report.join("\n"));
    let over: Vec<&String> = costs.iter().zip(&report).filter(|((_, n), _)| *n > LIMIT).map(|(_, line)| line).collect();
    assert!(over.is_empty(), "pages over {LIMIT} statements:\n{over:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite_no_page_runs_more_than_six_statements() {
    let dir = std::env::temp_dir().join(format!("asset-tracker-statements-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    measure(&format!("sqlite://{}", dir.join("tracker.db").display())).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_no_page_runs_more_than_six_statements() {
    let Some(db) = adapters_postgres::test_support::TestDatabase::create().await else { return };
    let url = db.url().to_owned();
    db.store().close().await;
    measure(&url).await;
    db.drop_database().await;
}
