//! Closing a campaign and its reports.
//!
//! Invariant: a closed campaign's report is the one archived when it was closed, never
//! one rebuilt later, so later edits to libraries (or anything else) never change it.
//! The preview shown before closing is built by the same function as the archived
//! report, so it shows exactly what will be stored.

use crate::actor::Actor;
use crate::error::{UseCaseError, UseCaseResult};
use crate::ports::{Clock, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{AuditAction, Campaign, CampaignId, CampaignReport, ObjectKind, ObjectRef};
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
        let campaign = self.campaign_or_404(id).await?;
        let (closed, report) = self.closed_with_report(campaign).await?;
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
        let campaign = self.campaign_or_404(id).await?;
        let (_, report) = self.closed_with_report(campaign).await?;
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
        let campaign = self.campaign_or_404(id).await?;
        if campaign.is_closed() {
            return self.store.final_report(id).await?.ok_or(UseCaseError::NotFound("final report"));
        }
        self.report_at(&campaign, self.clock.now()).await
    }

    /// The campaign as it will be once closed now, with the report to archive.
    async fn closed_with_report(&self, mut campaign: Campaign) -> UseCaseResult<(Campaign, CampaignReport)> {
        let now = self.clock.now();
        campaign.close(now)?;
        let report = self.report_at(&campaign, now).await?;
        Ok((campaign, report))
    }

    /// The report of `campaign` built from its pool, missions and events as stored now,
    /// stamped `generated_at`.
    async fn report_at(&self, campaign: &Campaign, generated_at: UtcDateTime) -> UseCaseResult<CampaignReport> {
        let id = campaign.id();
        let pool = self.store.pool(id).await?;
        let missions = self.store.missions(id).await?;
        let events = self.store.campaign_events(id).await?;
        Ok(CampaignReport::build(campaign, &pool, &missions, &events, generated_at))
    }
}
