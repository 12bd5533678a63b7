//! Campaign use cases for admins: list, create (with its starting pool), edit and
//! activate; closing and reports live in `campaigns::report`, the audit log in
//! `campaigns::audit_log`.
//!
//! Invariants kept here: a closed campaign is never changed (every write checks it
//! before touching the store, and the store checks it again); at most one campaign is
//! active (activation is one store write that also steps the previous one back to
//! `Planned`); a campaign and its starting pool are created in one atomic write.

mod audit_log;
mod input;
mod report;

pub use input::CampaignInput;

use crate::actor::Actor;
use crate::error::{UseCaseResult, ValidationErrors};
use crate::ports::{Clock, NewCampaign, NewPoolEntry, PasswordHasher, Store};
use crate::tracker::{Tracker, idempotency_key};
use domain::{AuditAction, Campaign, CampaignId, CampaignStatus, LibraryId, ObjectKind, ObjectRef};

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Every campaign, newest first. Staff may read any campaign (managers pick the
    /// campaign whose report they want); only admins change them.
    ///
    /// # Errors
    /// `Forbidden` for the public.
    pub async fn list_campaigns(&self, actor: &Actor) -> UseCaseResult<Vec<Campaign>> {
        actor.staff()?;
        Ok(self.store.campaigns().await?)
    }

    /// Every campaign, newest first, for the admin's dashboard, where campaigns are
    /// created, activated and closed.
    ///
    /// # Errors
    /// `Forbidden` unless the actor is an admin.
    pub async fn campaigns_to_manage(&self, actor: &Actor) -> UseCaseResult<Vec<Campaign>> {
        actor.admin()?;
        Ok(self.store.campaigns().await?)
    }

    /// One campaign, for its edit form.
    ///
    /// # Errors
    /// `Forbidden` unless the actor is an admin; `NotFound("campaign")`.
    pub async fn campaign_to_edit(&self, actor: &Actor, id: CampaignId) -> UseCaseResult<Campaign> {
        actor.admin()?;
        self.campaign_or_404(id).await
    }

    /// One campaign, to read (staff may read any campaign).
    ///
    /// # Errors
    /// `Forbidden` for the public; `NotFound("campaign")`.
    pub async fn campaign(&self, actor: &Actor, id: CampaignId) -> UseCaseResult<Campaign> {
        actor.staff()?;
        self.campaign_or_404(id).await
    }

    /// The libraries flagged as default, which the create form pre-selects.
    ///
    /// # Errors
    /// `Forbidden` unless the actor is an admin.
    pub async fn default_library_ids(&self, actor: &Actor) -> UseCaseResult<Vec<LibraryId>> {
        actor.admin()?;
        let libraries = self.store.libraries().await?;
        Ok(libraries.into_iter().filter(|s| s.library.is_default).map(|s| s.library.id).collect())
    }

    /// Creates a campaign whose pool holds every asset of the selected libraries at
    /// its default quantity and public flag, all in one atomic write. With
    /// `make_active`, the campaign becomes the active one and the previously active
    /// campaign steps back to `Planned` in the same write.
    ///
    /// # Errors
    /// `Forbidden` unless the actor is an admin; `Invalid` with the fields of
    /// [`CampaignInput`] (an unknown library is reported on `library_ids`);
    /// `Conflict::IdempotencyKeyReused`.
    pub async fn create_campaign(&self, actor: &Actor, cmd: CampaignInput) -> UseCaseResult<CampaignId> {
        let admin = actor.admin()?;
        let mut errors = ValidationErrors::new();
        let details = cmd.parse_details(&mut errors);
        let key = idempotency_key(&mut errors, cmd.idempotency_key.as_deref());
        let mut requested = cmd.library_ids.clone();
        requested.sort_unstable();
        requested.dedup();
        let mut library_ids: Vec<LibraryId> = Vec::with_capacity(requested.len());
        let mut library_names = Vec::with_capacity(requested.len());
        for id in requested {
            match self.store.library(id).await? {
                Some(summary) => {
                    library_ids.push(id);
                    library_names.push(summary.library.name.to_string());
                }
                None => errors.add("library_ids", format!("library {id} does not exist")),
            }
        }
        // `details` is `None` only when a field error was recorded.
        let details = match details {
            Some(details) if errors.is_empty() => details,
            _ => return Err(errors.into()),
        };

        let mut pool: Vec<NewPoolEntry> = Vec::new();
        for &library in &library_ids {
            for asset in self.store.assets(library).await? {
                let initial = asset.spec.default_quantity();
                pool.push(NewPoolEntry::from_asset(&asset, initial));
            }
        }
        let status = if cmd.make_active { CampaignStatus::Active } else { CampaignStatus::Planned };
        let mut summary = format!("created campaign {}", details.name);
        if !library_names.is_empty() {
            summary.push_str(&format!(" with {} assets from {}", pool.len(), library_names.join(", ")));
        }
        if cmd.make_active {
            summary.push_str(", made active");
        }
        let new = NewCampaign { details, status, pool, created_at: self.clock.now() };
        let audit =
            self.audit(admin, AuditAction::CampaignCreated, None, ObjectRef::created(ObjectKind::Campaign), summary);
        Ok(self.store.insert_campaign(&new, &audit, key.as_ref()).await?)
    }

    /// Edits a campaign's name, description, dates and map links. `library_ids` and
    /// `make_active` are ignored here: the pool is changed with the pool use cases and
    /// the status with [`Tracker::activate_campaign`] and [`Tracker::close_campaign`].
    /// Saving unchanged fields writes nothing.
    ///
    /// # Errors
    /// `Forbidden` unless the actor is an admin; `NotFound("campaign")`;
    /// `Conflict::CampaignClosed`; `Invalid` with the fields of [`CampaignInput`].
    pub async fn update_campaign(&self, actor: &Actor, id: CampaignId, cmd: CampaignInput) -> UseCaseResult<()> {
        let admin = actor.admin()?;
        let mut campaign = self.campaign_or_404(id).await?;
        campaign.ensure_open()?;
        let mut errors = ValidationErrors::new();
        let details = cmd.parse_details(&mut errors);
        let details = match details {
            Some(details) if errors.is_empty() => details,
            _ => return Err(errors.into()),
        };
        let changed = input::changed_fields(campaign.details(), &details);
        if changed.is_empty() {
            return Ok(());
        }
        let summary = format!("edited campaign {} ({})", details.name, changed.join(", "));
        campaign.edit(details)?;
        let audit = self.audit(
            admin,
            AuditAction::CampaignUpdated,
            Some(id),
            ObjectRef::existing(ObjectKind::Campaign, id.get()),
            summary,
        );
        Ok(self.store.update_campaign(&campaign, &audit).await?)
    }

    /// Makes the campaign the active one; the previously active campaign becomes
    /// `Planned` in the same write. Activating the active campaign writes nothing.
    ///
    /// # Errors
    /// `Forbidden` unless the actor is an admin; `NotFound("campaign")`;
    /// `Conflict::CampaignClosed`.
    pub async fn activate_campaign(&self, actor: &Actor, id: CampaignId) -> UseCaseResult<()> {
        let admin = actor.admin()?;
        let mut campaign = self.campaign_or_404(id).await?;
        campaign.activate()?;
        let previous = self.store.active_campaign().await?;
        let mut summary = format!("activated campaign {}", campaign.name());
        match previous {
            Some(p) if p.id() == id => return Ok(()),
            Some(p) => summary.push_str(&format!(" ({} is now planned)", p.name())),
            None => {}
        }
        let object = ObjectRef::existing(ObjectKind::Campaign, id.get());
        let audit = self.audit(admin, AuditAction::CampaignActivated, Some(id), object, summary);
        Ok(self.store.activate_campaign(id, &audit).await?)
    }
}

#[cfg(test)]
mod tests;
