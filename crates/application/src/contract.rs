//! The storage contract: one suite of tests that every storage adapter (in memory,
//! SQLite, PostgreSQL) runs, so that they all behave exactly alike.
//!
//! Each test is a `pub async fn sentence_name<S: Store>(store: S)` that seeds through
//! the ports only and panics with a clear message when the store breaks the contract.
//! An adapter runs the whole suite with one line in its test crate:
//!
//! ```text
//! async fn fresh() -> Option<MyStore> { /* a new, migrated, empty store, or None to skip */ }
//! application::storage_contract_tests!(fresh);
//! // or, to tidy up after each passing test (for example drop a test database):
//! async fn tidy(store: MyStore) { /* … */ }
//! application::storage_contract_tests!(fresh, tidy);
//! ```
//!
//! Invariants: every contract test is listed exactly once in its module's
//! `__storage_contract_<module>!` list (checked by a tidy test in
//! `tests/memory_contract.rs`); timestamps are whole seconds; ids are never assumed
//! to take particular values; orderings follow the ports' docs with names compared
//! byte by byte (Rust's `str` order), as the in-memory reference store does.

pub mod audit;
pub mod campaigns;
pub mod check;
pub mod closed;
pub mod concurrency;
pub mod events;
pub mod idempotency;
pub mod ledger;
pub mod legacy;
pub mod libraries;
pub mod missions;
pub mod pages;
pub mod pool;
pub mod scene;
pub mod seed;
pub mod throttle;
pub mod tokens;
pub mod users;

/// The default tidy-up of `storage_contract_tests!`: just drops the store.
pub async fn drop_store<S>(store: S) {
    drop(store);
}

/// Expands to one `#[tokio::test]` per contract test, in modules named like those of
/// `application::contract` inside a module `storage_contract`.
///
/// `$fresh` is a path to an `async fn() -> Option<S>` (S: `Store + Clone`) giving a
/// new, migrated, empty store, or `None` to skip the test (for example when no
/// PostgreSQL server is reachable: print why). The optional `$tidy` is a path to an
/// `async fn(S)` run after a test passed. Both paths are resolved from the module
/// where the macro is invoked. The calling crate needs `tokio` (macros, rt-multi-thread).
#[macro_export]
macro_rules! storage_contract_tests {
    ($fresh:path) => {
        $crate::storage_contract_tests!($fresh, $crate::contract::drop_store);
    };
    ($fresh:path, $tidy:path) => {
        mod storage_contract {
            #[allow(unused_imports)]
            use super::*;
            $crate::__storage_contract_users!($fresh, $tidy);
            $crate::__storage_contract_throttle!($fresh, $tidy);
            $crate::__storage_contract_tokens!($fresh, $tidy);
            $crate::__storage_contract_libraries!($fresh, $tidy);
            $crate::__storage_contract_campaigns!($fresh, $tidy);
            $crate::__storage_contract_closed!($fresh, $tidy);
            $crate::__storage_contract_pool!($fresh, $tidy);
            $crate::__storage_contract_missions!($fresh, $tidy);
            $crate::__storage_contract_events!($fresh, $tidy);
            $crate::__storage_contract_ledger!($fresh, $tidy);
            $crate::__storage_contract_audit!($fresh, $tidy);
            $crate::__storage_contract_pages!($fresh, $tidy);
            $crate::__storage_contract_idempotency!($fresh, $tidy);
            $crate::__storage_contract_concurrency!($fresh, $tidy);
            $crate::__storage_contract_legacy!($fresh, $tidy);
        }
    };
}

/// Expands one contract module's list of tests (used by the modules' list macros).
#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_module {
    ($module:ident, $fresh:path, $tidy:path, [$($name:ident),+ $(,)?]) => {
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(store) = $fresh().await else {
                        return;
                    };
                    $crate::contract::$module::$name(::core::clone::Clone::clone(&store)).await;
                    $tidy(store).await;
                }
            )+
        }
    };
}
