//! Contract of `LegacyImportRepo`: the whole plan in one write into an empty store,
//! ids handed back by the plan's positions, closed campaigns archived, library times
//! as audit entries the library page reads; a store holding data is refused and left
//! as it was.

use super::check::{audit_count, conflict, ok};
use super::seed::{at, created, library};
use crate::Conflict;
use crate::legacy::{ImportPlan, fixture, plan_import};
use crate::ports::Store;
use domain::{AuditAction, ObjectKind};

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
            ]
        );
    };
}
