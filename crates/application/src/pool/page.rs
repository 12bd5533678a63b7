//! The pool page's read: a campaign, its pool, the libraries it can import, sync or add
//! from, and whether the actor may change the pool, in one use case and one page-shaped
//! read (`PageRepo::pool_with_libraries`).

use crate::actor::Actor;
use crate::error::{UseCaseError, UseCaseResult};
use crate::ports::{CampaignPool, Clock, LibrarySummary, PasswordHasher, PoolWithLibraries, Store};
use crate::tracker::Tracker;
use domain::{Asset, Campaign, CampaignId, PoolEntry};

/// Why the actor may only look at a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolLock {
    /// The campaign is closed: its pool is shown as it ended.
    Closed,
    /// A manager on a campaign that is not the active one: only admins change it.
    NotRunner,
}

/// What the pool page shows.
#[derive(Debug, Clone)]
pub struct PoolPage {
    /// The campaign.
    pub campaign: Campaign,
    /// Its pool, by kind then name.
    pub pool: Vec<PoolEntry>,
    /// Every library, with its assets when the pool may change (to import, sync or add
    /// from); without them when it may not.
    pub libraries: Vec<(LibrarySummary, Vec<Asset>)>,
    /// `Some` when the actor may not change this pool, saying why.
    pub lock: Option<PoolLock>,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Everything the pool page needs. Staff may view any campaign's pool.
    ///
    /// # Errors
    /// `Forbidden` for the public; `NotFound("campaign")`.
    pub async fn pool_page(&self, actor: &Actor, id: CampaignId) -> UseCaseResult<PoolPage> {
        actor.staff()?;
        let found = self.store.pool_with_libraries(id).await?;
        let PoolWithLibraries { campaign: CampaignPool { campaign, pool }, mut libraries } =
            found.ok_or(UseCaseError::NotFound("campaign"))?;
        let lock = match actor.runner_of(&campaign) {
            Ok(_) => None,
            Err(UseCaseError::Conflict(_)) => Some(PoolLock::Closed),
            Err(_) => Some(PoolLock::NotRunner),
        };
        if lock.is_some() {
            // Nothing can be added to a pool that cannot change: the page offers no asset.
            libraries.iter_mut().for_each(|(_, assets)| assets.clear());
        }
        Ok(PoolPage { campaign, pool, libraries, lock })
    }
}
