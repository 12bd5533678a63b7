//! The audit log, for admins: every recorded change, newest first, filtered and paged.

use crate::actor::Actor;
use crate::error::UseCaseResult;
use crate::ports::{AuditFilter, Clock, Page, PageRequest, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::AuditEntry;

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// A page of the audit entries matching `filter`, newest first. `page` counts from
    /// 1 and `per_page` is brought into 1..=200 (see [`PageRequest::new`]).
    ///
    /// # Errors
    /// `Forbidden` unless the actor is an admin.
    pub async fn audit_log(
        &self,
        actor: &Actor,
        filter: AuditFilter,
        page: u32,
        per_page: u32,
    ) -> UseCaseResult<Page<AuditEntry>> {
        actor.admin()?;
        Ok(self.store.audit_log(&filter, PageRequest::new(page, per_page)).await?)
    }
}
