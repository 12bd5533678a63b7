//! The tracker: one facade holding the ports, on which every use case is a method.
//! The feature modules (`users`, `libraries`, `campaigns`, …) each add their use cases
//! to it in their own `impl` block.

use crate::actor::StaffMember;
use crate::error::{UseCaseError, UseCaseResult, ValidationErrors};
use crate::ports::{Clock, HealthRepo, PasswordHasher, Store};
use domain::{AuditAction, Campaign, CampaignId, IdempotencyKey, NewAuditEntry, ObjectRef};

/// The actor name of audit entries written by the system itself.
pub(crate) const SYSTEM_ACTOR: &str = "system";

/// The application: every use case, generic over the ports it needs.
#[derive(Debug, Clone)]
pub struct Tracker<S, H, C> {
    pub(crate) store: S,
    pub(crate) hasher: H,
    pub(crate) clock: C,
}

/// One wiring of the application, named by a single type: the ports a [`Tracker`] runs
/// on. Inbound adapters are generic over `A: App` alone (one parameter instead of
/// three) and reach the use cases through [`TrackerOf<A>`]. Every `Tracker` over ports
/// is an `App`, so a binary needs no type of its own to wire one.
pub trait App: Send + Sync + 'static {
    /// Where everything is kept; it also answers the readiness probe.
    type Store: Store + HealthRepo;
    /// How passwords are hashed and verified.
    type Hasher: PasswordHasher;
    /// What time it is.
    type Clock: Clock;
}

impl<S: Store + HealthRepo, H: PasswordHasher, C: Clock> App for Tracker<S, H, C> {
    type Store = S;
    type Hasher = H;
    type Clock = C;
}

/// The tracker of the wiring `A` (for `A = Tracker<S, H, C>`, that tracker itself).
pub type TrackerOf<A> = Tracker<<A as App>::Store, <A as App>::Hasher, <A as App>::Clock>;

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Wires the ports together.
    pub fn new(store: S, hasher: H, clock: C) -> Self {
        Self { store, hasher, clock }
    }

    /// The store, for adapters that also need it directly (readiness checks, tests).
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Whether the store answers, for the readiness probe. Needs no actor: it reveals
    /// nothing but "ready" or "not ready".
    pub async fn check_storage(&self) -> UseCaseResult<()>
    where
        S: crate::ports::HealthRepo,
    {
        crate::ports::HealthRepo::ping(&self.store).await.map_err(UseCaseError::from)
    }

    /// An audit entry by `actor`, timed now.
    pub(crate) fn audit(
        &self,
        actor: &StaffMember,
        action: AuditAction,
        campaign: Option<CampaignId>,
        object: ObjectRef,
        details: impl Into<String>,
    ) -> NewAuditEntry {
        NewAuditEntry {
            at: self.clock.now(),
            actor_id: Some(actor.id),
            actor_name: actor.username.to_string(),
            action,
            campaign_id: campaign,
            object,
            details: match &actor.token {
                None => details.into(),
                Some(token) => format!("{} (API token \"{token}\")", details.into()),
            },
        }
    }

    /// An audit entry by the system itself (first run, operator commands), timed now,
    /// about no campaign.
    pub(crate) fn system_audit(&self, action: AuditAction, object: ObjectRef, details: String) -> NewAuditEntry {
        NewAuditEntry {
            at: self.clock.now(),
            actor_id: None,
            actor_name: SYSTEM_ACTOR.to_owned(),
            action,
            campaign_id: None,
            object,
            details,
        }
    }

    /// The campaign, or `NotFound`.
    pub(crate) async fn campaign_or_404(&self, id: CampaignId) -> UseCaseResult<Campaign> {
        crate::ports::CampaignRepo::campaign(&self.store, id).await?.ok_or(UseCaseError::NotFound("campaign"))
    }
}

/// Parses an optional idempotency key sent with a create request; blank means none.
pub(crate) fn idempotency_key(errors: &mut ValidationErrors, raw: Option<&str>) -> Option<IdempotencyKey> {
    match raw.map(str::trim) {
        None | Some("") => None,
        Some(raw) => errors.check("idempotency_key", IdempotencyKey::parse(raw)),
    }
}
