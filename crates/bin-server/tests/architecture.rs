//! The dependency rules of docs/ARCHITECTURE.md, checked against `cargo metadata` so
//! that they cannot rot: dependencies point inward (domain <- application <- adapters
//! <- bin-server), adapters never depend on each other, the inner crates stay free
//! of runtimes, frameworks, databases and serialization, and the web adapter never
//! reaches sqlx, not even through another crate.
//!
//! Only normal dependencies count (`dep_kinds` with `kind: null`): a test may use
//! tokio or an in-memory adapter. Metadata is read with `--all-features`, so a
//! forbidden crate hidden behind an optional feature is still caught.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// Crates the domain must never depend on: it does no I/O, knows no async runtime,
/// web framework, template engine, database or serialization format.
const DOMAIN_FORBIDDEN: &[&str] = &[
    "tokio",
    "async-std",
    "futures",
    "axum",
    "tower",
    "tower-http",
    "hyper",
    "sqlx",
    "tera",
    "serde",
    "serde_json",
    "reqwest",
    "tracing-subscriber",
];

/// Crates the application layer must never depend on: it knows ports, not the
/// technologies behind them (tokio is allowed as a dev-dependency for tests).
const APPLICATION_FORBIDDEN: &[&str] = &["tokio", "axum", "tower", "hyper", "sqlx", "tera", "reqwest"];

/// The storage core: SQL written once for both databases.
const STORAGE_CORE: &str = "adapters-sql";

/// The adapters that build on the storage core, and the only crates that may.
const SQL_ADAPTERS: &[&str] = &["adapters-sqlite", "adapters-postgres"];

/// The crates that wire adapters together: the server binary, and the load benchmark,
/// which seeds databases through the adapters and hashes passwords as the server does.
const WIRING: &[&str] = &["bin-server", "bench"];

/// Crates the web adapter must never depend on, directly or through another crate: it
/// knows HTTP and templates, not SQL (`bin-server` builds the session store from the
/// storage pool).
const HTTP_FORBIDDEN: &[&str] = &["sqlx", "sqlx-core"];

/// The workspace's crates and the normal dependencies of each crate in the build
/// (workspace or not), by package name.
#[derive(Debug, Default)]
struct Graph {
    workspace: BTreeSet<String>,
    deps: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    /// Reads the graph from `cargo metadata`, run on this workspace with the same cargo.
    fn from_cargo_metadata() -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let output = Command::new(env!("CARGO"))
            .args(["metadata", "--format-version", "1", "--all-features"])
            .current_dir(&root)
            .output()
            .expect("cargo metadata should start");
        assert!(output.status.success(), "cargo metadata failed:\n{}", String::from_utf8_lossy(&output.stderr));
        let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
        Self::from_metadata(&metadata)
    }

    /// Builds the graph from the JSON of `cargo metadata --format-version 1`.
    fn from_metadata(metadata: &Value) -> Self {
        let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
        let names: BTreeMap<String, String> =
            list(&metadata["packages"]).iter().map(|p| (text(&p["id"]), text(&p["name"]))).collect();
        let name_of = |id: &Value| names.get(&text(id)).cloned().unwrap_or_else(|| text(id));
        let mut graph = Graph::default();
        for id in list(&metadata["workspace_members"]) {
            graph.workspace.insert(name_of(&id));
        }
        for node in list(&metadata["resolve"]["nodes"]) {
            let crate_name = name_of(&node["id"]);
            let normal = list(&node["deps"])
                .into_iter()
                .filter(|dep| list(&dep["dep_kinds"]).iter().any(|k| k["kind"].is_null()))
                .map(|dep| name_of(&dep["pkg"]))
                .collect();
            graph.deps.insert(crate_name, normal);
        }
        graph
    }

    /// The normal dependencies of a workspace crate; a missing crate fails the test,
    /// so a rename cannot make a rule pass by checking nothing.
    fn deps_of(&self, krate: &str) -> &BTreeSet<String> {
        self.deps.get(krate).unwrap_or_else(|| {
            panic!("workspace crate {krate} not found in cargo metadata; found {:?}", self.workspace)
        })
    }

    /// Every crate `krate` depends on, directly or through others (normal dependencies).
    fn reachable_from(&self, krate: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut next: Vec<&String> = self.deps_of(krate).iter().collect();
        while let Some(dep) = next.pop() {
            if seen.insert(dep.clone()) {
                next.extend(self.deps.get(dep).into_iter().flatten());
            }
        }
        seen
    }

    fn is_adapter(name: &str) -> bool {
        name.starts_with("adapters-")
    }

    /// Rule: the domain depends on no workspace crate and on nothing forbidden.
    fn domain_violations(&self) -> Vec<String> {
        self.deps_of("domain")
            .iter()
            .filter_map(|dep| {
                if self.workspace.contains(dep) {
                    Some(format!("domain depends on workspace crate {dep}; the domain depends on nothing inward"))
                } else if DOMAIN_FORBIDDEN.contains(&dep.as_str()) {
                    Some(format!(
                        "domain depends on {dep}; the domain does no I/O, async, web, SQL, templates or serde"
                    ))
                } else {
                    None
                }
            })
            .collect()
    }

    /// Rule: application depends only on domain among workspace crates, and on nothing forbidden.
    fn application_violations(&self) -> Vec<String> {
        self.deps_of("application")
            .iter()
            .filter_map(|dep| {
                if self.workspace.contains(dep) && dep != "domain" {
                    Some(format!("application depends on workspace crate {dep}; it may depend only on domain"))
                } else if APPLICATION_FORBIDDEN.contains(&dep.as_str()) {
                    Some(format!(
                        "application depends on {dep} as a normal dependency; use cases know ports, not technologies"
                    ))
                } else {
                    None
                }
            })
            .collect()
    }

    /// Rule: no adapter depends on another adapter.
    fn adapter_violations(&self) -> Vec<String> {
        self.workspace
            .iter()
            .filter(|krate| Self::is_adapter(krate))
            .flat_map(|krate| {
                self.deps_of(krate)
                    .iter()
                    .filter(|dep| Self::is_adapter(dep) && self.workspace.contains(*dep))
                    .filter(move |dep| !(*dep == STORAGE_CORE && SQL_ADAPTERS.contains(&krate.as_str())))
                    .map(move |dep| format!("{krate} depends on {dep}; adapters never depend on each other"))
            })
            .collect()
    }

    /// Rule: the storage core depends only on application and domain among workspace
    /// crates, and only the SQL adapters depend on it.
    fn storage_core_violations(&self) -> Vec<String> {
        let inward = self
            .deps
            .get(STORAGE_CORE)
            .into_iter()
            .flatten()
            .filter(|dep| self.workspace.contains(*dep) && *dep != "application" && *dep != "domain")
            .map(|dep| {
                format!("{STORAGE_CORE} depends on {dep}; the storage core may depend only on application and domain")
            });
        let users = self
            .workspace
            .iter()
            .filter(|krate| !SQL_ADAPTERS.contains(&krate.as_str()))
            .filter(|krate| self.deps_of(krate).contains(STORAGE_CORE))
            .map(|krate| format!("{krate} depends on {STORAGE_CORE}; only the SQL adapters build on the storage core"));
        inward.chain(users).collect()
    }

    /// Rule: only the wiring crates (bin-server, bench) depend on adapters.
    fn adapter_user_violations(&self) -> Vec<String> {
        self.workspace
            .iter()
            .filter(|krate| !WIRING.contains(&krate.as_str()) && !Self::is_adapter(krate))
            .flat_map(|krate| {
                self.deps_of(krate)
                    .iter()
                    .filter(|dep| Self::is_adapter(dep) && self.workspace.contains(*dep))
                    .map(move |dep| format!("{krate} depends on {dep}; only bin-server and bench wire adapters"))
            })
            .collect()
    }
}

impl Graph {
    /// Rule: adapters-http reaches no forbidden crate (sqlx), whatever the path.
    fn http_violations(&self) -> Vec<String> {
        let reachable = self.reachable_from("adapters-http");
        HTTP_FORBIDDEN
            .iter()
            .filter(|forbidden| reachable.contains(**forbidden))
            .map(|forbidden| format!("adapters-http depends on {forbidden}; only the storage adapters know SQL"))
            .collect()
    }
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn assert_none(rule: &str, violations: &[String]) {
    assert!(
        violations.is_empty(),
        "dependency rule broken ({rule}), see docs/ARCHITECTURE.md:\n  {}",
        violations.join("\n  ")
    );
}

#[test]
fn the_dependency_graph_read_from_cargo_metadata_holds_the_real_edges() {
    let graph = Graph::from_cargo_metadata();
    for krate in ["domain", "application", STORAGE_CORE, "bin-server"] {
        assert!(graph.workspace.contains(krate), "{krate} missing from {:?}", graph.workspace);
    }
    assert!(graph.deps_of("domain").contains("thiserror"));
    assert!(graph.deps_of("application").contains("domain"));
    assert!(graph.deps_of("adapters-sqlite").contains(STORAGE_CORE));
    assert!(!graph.deps_of("application").contains("tokio"), "dev-dependencies must not count");
    assert!(graph.reachable_from("adapters-http").contains("http"), "dependencies of dependencies count");
    assert!(graph.reachable_from("adapters-sqlite").contains("sqlx-core"), "{:?}", graph.deps_of("adapters-sqlite"));
    assert!(
        graph.deps_of("adapters-redis").contains("application"),
        "the shared budgets implement an application port"
    );
}

#[test]
fn the_web_adapter_holds_the_shared_budgets_by_their_port_and_never_knows_redis() {
    let graph = Graph::from_cargo_metadata();
    assert!(graph.deps_of("adapters-http").contains("application"));
    assert!(!graph.reachable_from("adapters-http").contains("redis"), "only adapters-redis and bin-server know Redis");
    assert!(graph.deps_of("bin-server").contains("adapters-redis"), "the binary wires the Redis budgets");
}

#[test]
fn the_domain_depends_on_no_workspace_crate_and_no_runtime_framework_or_serializer() {
    assert_none("domain", &Graph::from_cargo_metadata().domain_violations());
}

#[test]
fn the_application_depends_only_on_the_domain_and_on_no_runtime_or_framework() {
    assert_none("application", &Graph::from_cargo_metadata().application_violations());
}

#[test]
fn adapters_never_depend_on_each_other() {
    assert_none("adapters", &Graph::from_cargo_metadata().adapter_violations());
}

#[test]
fn only_the_sql_adapters_build_on_the_storage_core_which_depends_only_inward() {
    assert_none("storage core", &Graph::from_cargo_metadata().storage_core_violations());
}

#[test]
fn only_the_server_binary_depends_on_adapters() {
    assert_none("adapter users", &Graph::from_cargo_metadata().adapter_user_violations());
}

#[test]
fn the_web_adapter_never_depends_on_sqlx() {
    assert_none("adapters-http", &Graph::from_cargo_metadata().http_violations());
}

#[test]
fn every_rule_reports_a_crate_that_breaks_it() {
    let edges: &[(&str, &[&str])] = &[
        ("domain", &["application", "serde"]),
        ("application", &["domain", "adapters-sqlite", "tokio"]),
        ("adapters-http", &["application", "adapters-postgres", "session-store"]),
        ("adapters-postgres", &["application", "adapters-sql"]),
        ("adapters-sqlite", &["application", "adapters-sql"]),
        ("adapters-sql", &["application", "adapters-http"]),
        ("bin-server", &["adapters-http", "adapters-postgres", "adapters-sql"]),
        ("session-store", &["sqlx"]),
    ];
    let graph = Graph {
        workspace: edges.iter().map(|(k, _)| (*k).to_owned()).filter(|k| k != "session-store").collect(),
        deps: edges.iter().map(|(k, deps)| ((*k).to_owned(), deps.iter().map(|d| (*d).to_owned()).collect())).collect(),
    };
    let domain = graph.domain_violations();
    assert_eq!(domain.len(), 2, "{domain:?}");
    assert!(domain[0].contains("application") && domain[1].contains("serde"));
    let application = graph.application_violations();
    assert_eq!(application.len(), 2, "{application:?}");
    assert!(application[0].contains("adapters-sqlite") && application[1].contains("tokio"));
    assert_eq!(
        graph.adapter_violations(),
        [
            "adapters-http depends on adapters-postgres; adapters never depend on each other",
            "adapters-sql depends on adapters-http; adapters never depend on each other",
        ]
    );
    assert_eq!(
        graph.storage_core_violations(),
        [
            "adapters-sql depends on adapters-http; the storage core may depend only on application and domain",
            "bin-server depends on adapters-sql; only the SQL adapters build on the storage core",
        ]
    );
    assert_eq!(
        graph.adapter_user_violations(),
        ["application depends on adapters-sqlite; only bin-server and bench wire adapters"]
    );
    assert_eq!(graph.http_violations(), ["adapters-http depends on sqlx; only the storage adapters know SQL"]);
}
