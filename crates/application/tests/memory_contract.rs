//! Runs the storage contract suite against the in-memory reference store, and checks
//! that the suite's macro lists every contract test exactly once.
#![cfg(feature = "contract")]

use application::memory::MemoryStore;

async fn fresh() -> Option<MemoryStore> {
    Some(MemoryStore::new())
}

application::storage_contract_tests!(fresh);

/// Each contract module's source, with the name its list macro expands.
const MODULES: &[(&str, &str)] = &[
    ("users", include_str!("../src/contract/users.rs")),
    ("throttle", include_str!("../src/contract/throttle.rs")),
    ("tokens", include_str!("../src/contract/tokens.rs")),
    ("libraries", include_str!("../src/contract/libraries.rs")),
    ("campaigns", include_str!("../src/contract/campaigns.rs")),
    ("closed", include_str!("../src/contract/closed.rs")),
    ("pool", include_str!("../src/contract/pool.rs")),
    ("missions", include_str!("../src/contract/missions.rs")),
    ("events", include_str!("../src/contract/events.rs")),
    ("ledger", include_str!("../src/contract/ledger.rs")),
    ("audit", include_str!("../src/contract/audit.rs")),
    ("pages", include_str!("../src/contract/pages.rs")),
    ("idempotency", include_str!("../src/contract/idempotency.rs")),
    ("concurrency", include_str!("../src/contract/concurrency.rs")),
    ("legacy", include_str!("../src/contract/legacy.rs")),
];

fn identifiers(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect()
}

#[test]
fn every_public_contract_test_is_listed_once_in_its_modules_macro() {
    let top = include_str!("../src/contract.rs");
    for (module, source) in MODULES {
        let (code, list) = source.split_once("macro_rules!").unwrap_or_else(|| panic!("{module}.rs has no list macro"));
        let defined: Vec<&str> =
            code.split("pub async fn ").skip(1).filter_map(|rest| identifiers(rest).first().copied()).collect();
        assert!(!defined.is_empty(), "{module}.rs defines no contract test");
        let listed = identifiers(list);
        for name in &defined {
            let times = listed.iter().filter(|w| *w == name).count();
            assert_eq!(times, 1, "{module}::{name} must be listed exactly once in its macro");
        }
        let macro_name = format!("__storage_contract_{module}");
        assert!(list.contains(&format!("{macro_name} ")), "{module}.rs exports {macro_name}");
        assert!(top.contains(&format!("$crate::{macro_name}!")), "{macro_name} is expanded");
    }
    let declared = top.matches("pub mod ").count();
    assert_eq!(declared, MODULES.len() + 3, "every test module (plus check, scene, seed) is here");
}
