//! Importing the Flask tracker's database (`asset-tracker import-legacy`): the old
//! tables as read (`snapshot`), the pure planning step that turns them into our model
//! and lists every disagreement (`planning`, `findings`), what is written (`plan`),
//! and the use case that writes it through one port call.
//!
//! Invariants: the import writes into an empty store only (no user, library or
//! campaign), all or nothing, in one transaction; a dry run plans and reports exactly
//! as a real run and writes nothing.

mod findings;
#[cfg(any(test, feature = "memory"))]
pub mod fixture;
mod plan;
mod planning;
mod snapshot;
#[cfg(test)]
mod tests;

pub use findings::{Finding, FindingKind, LegacyReport};
pub use plan::{
    AssetRef, IMPORT_ACTOR, ImportCounts, ImportPlan, ImportedIds, LibraryTimes, PlannedCampaign, PlannedChange,
    PlannedEntry, PlannedEvent, PlannedLibrary, PlannedMission, PlannedUser,
};
pub use planning::plan_import;
pub use snapshot::{
    LegacyAsset, LegacyCampaign, LegacyCampaignAsset, LegacyChange, LegacyEvent, LegacyLibrary, LegacyLibraryImport,
    LegacyLog, LegacyMission, LegacySnapshot, LegacyUser,
};

use crate::error::{Conflict, UseCaseResult};
use crate::ports::{Clock, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{AuditAction, ObjectKind, ObjectRef};

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyOutcome {
    /// Every disagreement found and what was done about it.
    pub report: LegacyReport,
    /// How many objects of each kind are (or would be) written.
    pub counts: ImportCounts,
    /// Whether anything was written (false for a dry run).
    pub written: bool,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Imports the old tracker's data read into `old`: users (keeping their Werkzeug
    /// hashes), libraries and assets, campaigns with their pools, missions, events and
    /// changes, and the times each library came into each campaign. With `dry_run`,
    /// plans and reports without writing. An operator's command: no actor, audited as
    /// the system.
    ///
    /// # Errors
    /// `Conflict::StoreNotEmpty` when the store already holds a user, a library or a
    /// campaign (checked again inside the write); `Unexpected` when the store fails.
    pub async fn import_legacy(&self, old: &LegacySnapshot, dry_run: bool) -> UseCaseResult<LegacyOutcome> {
        let (plan, report) = plan_import(old, self.clock.now());
        let counts = plan.counts();
        if self.store.holds_data().await? {
            return Err(Conflict::StoreNotEmpty.into());
        }
        if !dry_run {
            let details = format!("imported from the old tracker: {counts}; {} findings", report.findings.len());
            let audit = self.system_audit(AuditAction::LegacyImported, ObjectRef::created(ObjectKind::Store), details);
            self.store.import_legacy(&plan, &audit).await?;
        }
        Ok(LegacyOutcome { report, counts, written: !dry_run })
    }
}
