//! The audit log, for admins: every recorded change, newest first, filtered and paged.

use crate::actor::Actor;
use crate::error::UseCaseResult;
use crate::ports::{AuditFilter, AuditPage, Clock, PageRequest, PasswordHasher, Store};
use crate::tracker::Tracker;

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// The audit page: a page of the entries matching `filter`, newest first, beside
    /// every campaign and account for the filters, in one consistent read.
    ///
    /// # Errors
    /// `Forbidden` unless the actor is an admin.
    pub async fn audit_page(
        &self,
        actor: &Actor,
        filter: AuditFilter,
        page: u32,
        per_page: u32,
    ) -> UseCaseResult<AuditPage> {
        actor.admin()?;
        Ok(self.store.audit_page(&filter, PageRequest::new(page, per_page)).await?)
    }
}
