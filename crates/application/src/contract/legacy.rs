//! Contract of `LegacyImportRepo`: the whole plan in one write into an empty store,
//! ids handed back by the plan's positions, closed campaigns archived, library times
//! as audit entries the library page reads; a store holding data is refused and left
//! as it was.

use super::check::{audit_count, conflict, ok};
use super::seed::{at, created, library};
use crate::Conflict;
use crate::error::RepoError;
use crate::legacy::{ImportPlan, fixture, plan_import};
use crate::ports::Store;
use domain::{AuditAction, ObjectKind};
use futures_util::future::join;

fn plan() -> ImportPlan {
    plan_import(&fixture::damaged(), at(0)).0
}

/// Everything planned is stored, at the planned quantities and statuses.
pub async fn an_import_stores_the_whole_plan_in_an_empty_store<S: Store>(store: S) {
    assert!(!ok(store.holds_data().await, "holds_data"), "a fresh store is empty");
    let plan = plan();
    let audit = created(AuditAction::LegacyImported, None, ObjectKind::Store);
    let ids = ok(store.import_legacy(&plan, &audit).await, "import_legacy");
    assert!(ok(store.holds_data().await, "holds_data"));
    fixture::assert_imported(&store, &ids).await;
}

/// A store with a library (as the server's first run leaves it) is refused; nothing
/// is written.
pub async fn an_import_into_a_store_holding_data_is_refused_and_writes_nothing<S: Store>(store: S) {
    library(&store, "Built-in").await;
    let before = audit_count(&store).await;
    let audit = created(AuditAction::LegacyImported, None, ObjectKind::Store);
    conflict(store.import_legacy(&plan(), &audit).await, Conflict::StoreNotEmpty, "import_legacy");
    assert_eq!(audit_count(&store).await, before);
    assert_eq!(ok(store.libraries().await, "libraries").len(), 1);
    assert!(ok(store.users().await, "users").is_empty());
    assert!(ok(store.campaigns().await, "campaigns").is_empty());
}

/// Two imports racing into one empty store: one writes its plan, the other finds the
/// store holding data and is refused as such (not by a name colliding half-way).
pub async fn of_two_racing_imports_one_writes_and_the_other_finds_the_store_not_empty<S: Store>(store: S) {
    let plan = plan();
    let audit = created(AuditAction::LegacyImported, None, ObjectKind::Store);
    let (a, b) = join(store.import_legacy(&plan, &audit), store.import_legacy(&plan, &audit)).await;
    let refused = |r: &Result<_, RepoError>| matches!(r, Err(RepoError::Conflict(Conflict::StoreNotEmpty)));
    assert!(
        (a.is_ok() && refused(&b)) || (b.is_ok() && refused(&a)),
        "one import and one StoreNotEmpty, got {a:?} and {b:?}"
    );
    assert_eq!(ok(store.users().await, "users").len(), plan.users.len(), "one plan's users");
    assert_eq!(ok(store.campaigns().await, "campaigns").len(), plan.campaigns.len(), "one plan's campaigns");
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_legacy {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            legacy,
            $fresh,
            $tidy,
            [
                an_import_stores_the_whole_plan_in_an_empty_store,
                an_import_into_a_store_holding_data_is_refused_and_writes_nothing,
                of_two_racing_imports_one_writes_and_the_other_finds_the_store_not_empty,
            ]
        );
    };
}
