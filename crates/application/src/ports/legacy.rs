//! The port that writes a whole import from the old tracker at once.

use crate::error::RepoResult;
use crate::legacy::{ImportPlan, ImportedIds};
use domain::NewAuditEntry;
use std::future::Future;

/// Writes an import into an empty store.
///
/// "Empty" means no user, no library and no campaign (audit entries, login throttles
/// and idempotency keys do not count): a freshly migrated database, before the
/// server's first run seeds its built-in libraries or a first admin.
pub trait LegacyImportRepo: Send + Sync + 'static {
    /// Whether the store holds any user, library or campaign.
    fn holds_data(&self) -> impl Future<Output = RepoResult<bool>> + Send;

    /// Writes `plan` in one transaction: users, libraries and assets, campaigns with
    /// their pools (at the planned current quantities), missions, events and changes,
    /// the archived report of every closed campaign (`ImportPlan::archived_report`),
    /// the library audit entries (`ImportPlan::library_audit`) and `audit`. Returns
    /// the ids given, by the plan's positions.
    /// # Errors
    /// `Conflict::StoreNotEmpty` when the store holds a user, a library or a campaign
    /// (nothing is written); a `Conflict` of a backstop the plan breaks (a duplicate
    /// name, the ledger), which the planner never produces.
    fn import_legacy(
        &self,
        plan: &ImportPlan,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<ImportedIds>> + Send;
}
