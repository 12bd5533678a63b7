//! Closing a campaign and its reports.
//!
//! Invariant: a closed campaign's report is the one archived when it was closed, never
//! one rebuilt later, so later edits to libraries (or anything else) never change it.
//! The preview shown before closing is built by the same function as the archived
//! report, so it shows exactly what will be stored.

use crate::actor::Actor;
use crate::error::{Conflict, UseCaseError, UseCaseResult};
use crate::ports::{CampaignHistory, Clock, PasswordHasher, ReportSource, Store};
use crate::tracker::Tracker;
use domain::{AuditAction, AuditEntry, Campaign, CampaignId, CampaignReport, LibraryId, ObjectKind, ObjectRef};
use time::UtcDateTime;

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Closes a campaign: its end date becomes today, its final report (pool with
    /// gains and losses, missions and events) is archived in the same write, and the
    /// campaign is read-only from then on.
    ///
    /// # Errors
    /// `Forbidden` unless the actor is an admin; `NotFound("campaign")`;
    /// `Conflict::CampaignClosed` when it is closed already.
    pub async fn close_campaign(&self, actor: &Actor, id: CampaignId) -> UseCaseResult<CampaignReport> {
        let admin = actor.admin()?;
        let (closed, report) = self.closed_with_report(id).await?;
        let (_, _, gained, lost) = report.totals();
        let events: usize = report.missions.iter().map(|m| m.events.len()).sum();
        let summary = format!(
            "closed campaign {}: {} pool entries, {} missions, {events} events, +{gained} / -{lost} assets",
            closed.name(),
            report.entries.len(),
            report.missions.len(),
        );
        let object = ObjectRef::existing(ObjectKind::Campaign, id.get());
        let audit = self.audit(admin, AuditAction::CampaignClosed, Some(id), object, summary);
        self.store.close_campaign(&closed, &report, &audit).await?;
        Ok(report)
    }

    /// The final report the campaign would get if it were closed now, for the page
    /// that asks the admin to confirm. Changes nothing.
    ///
    /// # Errors
    /// `Forbidden` unless the actor is an admin; `NotFound("campaign")`;
    /// `Conflict::CampaignClosed` when it is closed already.
    pub async fn close_preview(&self, actor: &Actor, id: CampaignId) -> UseCaseResult<CampaignReport> {
        actor.admin()?;
        let (_, report) = self.closed_with_report(id).await?;
        Ok(report)
    }

    /// The report of any campaign, for staff. A closed campaign's report is the one
    /// archived when it was closed; any other campaign's is built from its current
    /// state.
    ///
    /// # Errors
    /// `Forbidden` for the public; `NotFound("campaign")`; `NotFound("final report")`
    /// when a closed campaign has no archived report (a damaged store).
    pub async fn campaign_report(&self, actor: &Actor, id: CampaignId) -> UseCaseResult<CampaignReport> {
        actor.staff()?;
        match self.store.report_source(id).await? {
            None => Err(UseCaseError::NotFound("campaign")),
            Some(ReportSource::Archived(_, report)) => Ok(report),
            Some(ReportSource::Live(history, libraries)) => {
                Ok(report_at(&history.campaign, &history, &libraries, self.clock.now()))
            }
        }
    }

    /// A campaign's report with every audit entry about the campaign, oldest first: the
    /// staff's JSON download.
    ///
    /// # Errors
    /// As [`Self::campaign_report`].
    pub async fn campaign_export(
        &self,
        actor: &Actor,
        id: CampaignId,
    ) -> UseCaseResult<(CampaignReport, Vec<AuditEntry>)> {
        let report = self.campaign_report(actor, id).await?;
        let audit = self.store.campaign_audit(id).await?;
        Ok((report, audit))
    }

    /// The campaign as closing it now would leave it, and its report, from one
    /// consistent read of its history.
    async fn closed_with_report(&self, id: CampaignId) -> UseCaseResult<(Campaign, CampaignReport)> {
        let (history, libraries) = match self.store.report_source(id).await? {
            None => return Err(UseCaseError::NotFound("campaign")),
            Some(ReportSource::Archived(..)) => return Err(Conflict::CampaignClosed.into()),
            Some(ReportSource::Live(history, libraries)) => (history, libraries),
        };
        let now = self.clock.now();
        let mut campaign = history.campaign.clone();
        campaign.close(now)?;
        let report = report_at(&campaign, &history, &libraries, now);
        Ok((campaign, report))
    }
}

/// The report of `campaign` (as it is, or as closing will leave it) built from its
/// history and the names of its pool's libraries, stamped `generated_at`.
fn report_at(
    campaign: &Campaign,
    history: &CampaignHistory,
    libraries: &[(LibraryId, String)],
    generated_at: UtcDateTime,
) -> CampaignReport {
    CampaignReport::build(campaign, &history.pool, libraries, &history.missions, &history.events, generated_at)
}
